//! Recognition throughput on one core, against a plain Aho-Corasick scan of
//! the same text for the gazetteer's names, the practical upper limit of any
//! dictionary-based recogniser. Two figures: the recognisers alone (the
//! `recognize` module: reference names, name patterns, people, dates,
//! figures), and the whole extractor (the recognisers plus the rules that
//! turn mentions into facts with evidence).
//!
//! `cargo bench --bench recognition [-- ARTICLES]` (default 2000 generated
//! articles, about 10 MB). Prints a table and a `result` line for
//! `benches/run`.

mod common;

use std::path::Path;

use yushu_kg::extract::Extractor;
use yushu_kg::recognize::dates::scan_dates;
use yushu_kg::recognize::numbers::scan_quantities;
use yushu_kg::recognize::patterns;
use yushu_kg::source::article::Article;
use yushu_kg::source::reference::Reference;
use yushu_synth::Generator;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference = Reference::read(&root.join("data/reference")).expect("reference data");
    let generator = Generator::new(&reference, 1);
    let articles: Vec<Article> = (0..n)
        .map(|i| {
            let path = format!("{}.txt", generator.id(i));
            Article::parse(Path::new(&path), generator.article(i).as_bytes()).expect("parses")
        })
        .collect();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let mb = bytes as f64 / 1e6;

    let extractor = Extractor::new(&reference);
    let automaton = common::peer_automaton(&reference);
    let best = common::best_of_three;
    let (scan, scan_found) = best(&|| {
        articles
            .iter()
            .map(|a| automaton.find_iter(&a.text).count())
            .sum()
    });
    let gazetteer = yushu_kg::recognize::gazetteer::Gazetteer::new(&reference);
    let (recognisers, mentions) = best(&|| {
        articles
            .iter()
            .map(|a| {
                let all: Vec<char> = a.text.chars().collect();
                let mut n = 0;
                for p in a.paragraphs() {
                    let chars = &all[p.start..p.end];
                    let text: String = chars.iter().collect();
                    n += gazetteer.find(&text).len()
                        + patterns::organizations(chars).len()
                        + patterns::programs(chars).len()
                        + patterns::events(chars).len()
                        + patterns::persons(chars).len();
                }
                n + scan_dates(&a.text, a.date).len() + scan_quantities(&a.text).len()
            })
            .sum()
    });
    let (ours, facts) = best(&|| {
        articles
            .iter()
            .map(|a| extractor.extract(a).fact_count())
            .sum()
    });
    println!(
        "{n} articles, {mb:.1} MB of text, {} gazetteer names",
        automaton.patterns_len()
    );
    println!("| | seconds | MB/s (one core) | found |");
    println!("|---|---|---|---|");
    println!(
        "| Aho-Corasick scan of the names | {scan:.3} | {:.1} | {scan_found} names |",
        mb / scan
    );
    println!(
        "| yushu-kg recognisers (names, patterns, people, dates, figures) | {recognisers:.3} | {:.1} | {mentions} mentions |",
        mb / recognisers
    );
    println!(
        "| yushu-kg extractor (recognisers and every fact rule) | {ours:.3} | {:.1} | {facts} facts |",
        mb / ours
    );
    println!(
        "result recognisers_mb_s={:.2} recognition_mb_s={:.2} scan_mb_s={:.2} mb={mb:.2}",
        mb / recognisers,
        mb / ours,
        mb / scan
    );
}
