//! Recognition on arbitrary text: the number and date normalisers, the
//! name patterns and the whole extractor over the shipped reference data.
//! Never a panic; every span lies within the text, spans of one
//! recogniser are sorted and disjoint, and evidence slices to its quote.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yushu_kg::extract::Extractor;
use yushu_kg::recognize::dates::{DateValue, scan_dates};
use yushu_kg::recognize::numbers::{parse_number, scan_quantities};
use yushu_kg::recognize::patterns;
use yushu_kg::source::article::Article;
use yushu_kg::source::reference::Reference;
use yushu_kg::source::span::CharSpan;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/reference");
        Extractor::new(&Reference::read(&dir).expect("the shipped reference data reads"))
    })
}

fn sorted_and_disjoint(spans: &[CharSpan], len: usize) {
    for s in spans {
        assert!(s.start < s.end && s.end <= len, "{s:?} in {len} chars");
    }
    for w in spans.windows(2) {
        assert!(w[0].end <= w[1].start, "{:?} overlaps {:?}", w[0], w[1]);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();

    let _ = parse_number(text);
    let _ = DateValue::parse_xsd(text);
    let quantities: Vec<CharSpan> = scan_quantities(text).iter().map(|q| q.span).collect();
    sorted_and_disjoint(&quantities, n);
    for article_date in [
        None,
        Some(DateValue::Year(2024)),
        Some(DateValue::Day(2010, 4, 14)),
    ] {
        let dates: Vec<CharSpan> = scan_dates(text, article_date)
            .iter()
            .map(|d| d.span)
            .collect();
        sorted_and_disjoint(&dates, n);
    }

    let mut candidates = patterns::organizations(&chars);
    candidates.extend(patterns::programs(&chars));
    candidates.extend(patterns::events(&chars));
    candidates.extend(patterns::school_abbreviations(&chars, &[]));
    candidates.extend(patterns::named_disasters(&chars, &[]));
    for c in &candidates {
        assert!(c.start < c.end && c.end <= n, "{c:?}");
        // A programme's name may be the text inside its quotes.
        let written: String = chars[c.start..c.end].iter().collect();
        assert!(written.contains(&c.name), "{c:?} in {written:?}");
    }
    for p in patterns::persons(&chars) {
        assert!(p.titles_start <= p.name_start && p.name_start < p.name_end && p.name_end <= n);
    }
    let gazetteer = extractor().gazetteer();
    for m in gazetteer.find(text) {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start < m.end);
    }

    // The whole extractor, on the text as an article body.
    let Ok(article) = Article::parse(Path::new("fuzz.txt"), format!("标题\n{text}\n").as_bytes())
    else {
        return;
    };
    let x = extractor().extract(&article);
    let evidence = x
        .fundings
        .iter()
        .map(|f| &f.evidence)
        .chain(x.observations.iter().map(|o| &o.evidence))
        .chain(x.relations.iter().map(|r| &r.evidence))
        .chain(x.positions.iter().map(|p| &p.evidence))
        .chain(x.events.iter().map(|e| &e.evidence));
    for ev in evidence {
        assert!(ev.span.end <= article.char_len());
        assert_eq!(article.text_at(ev.span), ev.quote);
    }
    for m in &x.mentions {
        assert!(m.span.start < m.span.end && m.span.end <= article.char_len());
    }
});
