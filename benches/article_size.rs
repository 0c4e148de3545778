//! Extraction time per MB as one article grows from 10 KB to 4 MB: flat
//! when every rule's window is bounded, rising when a rule scans the whole
//! article (or a whole unpunctuated run) per mention.
//!
//! Six shapes of article, each at 10 KB, 100 KB, 1 MB and 4 MB:
//! generated reports of the genre run together (`corpus`), one funding line
//! repeated (`funding`), the same reports with every punctuation mark
//! taken out, so that the sentence splitter finds no boundary
//! (`unpunctuated`), and three that name ever more things in one
//! paragraph: thousands of different people with titles (`people`),
//! thousands of different numbered hospitals (`hospitals`), and generic
//! bodies (县政府) read against the places before them (`generic`).
//! A shape longer than the size is cut into articles of that size, so
//! that every size reads the same text.
//! The peer, run on the same text side by side, is a leftmost-longest
//! Aho-Corasick scan for the gazetteer's names, whose cost is linear by
//! construction: its seconds per MB are the yardstick for the noise.
//!
//! `cargo bench --bench article_size [-- MAX_MB] [SHAPE…]` (default 4 MB,
//! every shape). Prints a
//! table and one `result` line per shape with `growth`, the extractor's
//! seconds per MB at the largest size over those at 10 KB (1.0 is linear).

mod common;

use std::path::Path;

use yushu_kg::extract::Extractor;
use yushu_kg::source::article::Article;
use yushu_kg::source::reference::Reference;
use yushu_synth::Generator;

/// Articles of about `bytes` bytes made of `body`: when it is longer, it is
/// cut into consecutive pieces of that size, so that every size reads the
/// same text (the first 10 KB of a shape alone is not the mix of the
/// rest); when shorter, repeated and cut to that size.
fn articles_of(body: &str, bytes: usize) -> Vec<String> {
    if bytes >= body.len() {
        return vec![sized(body, bytes)];
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start < body.len() {
        let mut end = (start + bytes).min(body.len());
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        out.push(body[start..end].to_owned());
        start = end;
    }
    out
}

/// `body` repeated and cut to about `bytes` bytes, on a character boundary.
fn sized(body: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + body.len());
    while out.len() < bytes {
        out.push_str(body);
    }
    let mut end = bytes.min(out.len());
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out
}

fn main() {
    let max_mb: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(4.0);
    // Shape names among the arguments run those shapes only.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a.parse::<f64>().is_err() && !a.starts_with('-'))
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference = Reference::read(&root.join("data/reference")).expect("reference data");
    let extractor = Extractor::new(&reference);
    let automaton = common::peer_automaton(&reference);

    let generator = Generator::new(&reference, 7);
    let mut reports = String::new();
    for i in 0..40 {
        // The body's paragraphs: not the front matter and headline, nor the
        // site boilerplate after (友情提示…), where a reader stops reading.
        let file = generator.article(i);
        let article = Article::parse(Path::new("synth.txt"), file.as_bytes()).expect("parses");
        for p in article.paragraphs() {
            reports.push_str(article.text_at(p));
            reports.push('\n');
        }
    }
    let funding = "2023年，北京市东城区安排对口支援资金3200万元，支持玉树州治多县实施教育、医疗等项目12个。\n";
    let unpunctuated: String = reports
        .chars()
        .filter(|c| !"，。；：、！？,.;:!?\n“”（）《》".contains(*c))
        .collect();

    // Different titled people: 20 × 25 × 25 three-character names.
    let (surnames, given) = (
        "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗",
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华晨",
    );
    let mut people = String::new();
    for s in surnames.chars() {
        for g in given.chars() {
            for h in given.chars() {
                people.push_str(&format!("县委书记{s}{g}{h}表示，{s}{g}{h}指出，"));
            }
        }
    }
    people.push_str("。\n");
    let digits: Vec<char> = "零一二三四五六七八九".chars().collect();
    let spelled = |n: usize| -> String {
        n.to_string()
            .bytes()
            .map(|b| digits[usize::from(b - b'0')])
            .collect()
    };
    let mut hospitals = String::new();
    for n in 0..20_000 {
        hospitals.push_str(&format!(
            "北京{}区第{}人民医院援助，",
            spelled(n),
            digits[n % 9 + 1]
        ));
    }
    hospitals.push_str("。\n");
    let generic = "称多县县政府召开会议，县政府安排部署工作，";

    let mut sizes = vec![10_000usize, 100_000, 1_000_000, 4_000_000];
    sizes.retain(|&b| b as f64 <= max_mb * 1e6);
    println!("| article | size × articles | extractor s/MB | facts | Aho-Corasick s/MB |");
    println!("|---|---|---|---|---|");
    for (shape, body) in [
        ("corpus", reports.as_str()),
        ("funding", funding),
        ("unpunctuated", unpunctuated.as_str()),
        ("people", people.as_str()),
        ("hospitals", hospitals.as_str()),
        ("generic", generic),
    ] {
        if !only.is_empty() && !only.iter().any(|o| o == shape) {
            continue;
        }
        let mut per_mb = Vec::new();
        for &bytes in &sizes {
            let texts = articles_of(body, bytes);
            let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
            let articles: Vec<Article> = texts
                .iter()
                .map(|text| {
                    let file = format!(
                        "+++\ntitle = \"{shape}\"\ndate = \"2024-01-01\"\n+++\n{shape}\n{text}"
                    );
                    Article::parse(Path::new("big.txt"), file.as_bytes()).expect("parses")
                })
                .collect();
            let (ours, facts) = common::best_of_three(&|| {
                articles
                    .iter()
                    .map(|a| extractor.extract(a).fact_count())
                    .sum::<usize>()
            });
            let (scan, _) = common::best_of_three(&|| {
                articles
                    .iter()
                    .map(|a| automaton.find_iter(&a.text).count())
                    .sum::<usize>()
            });
            per_mb.push(ours / mb);
            println!(
                "| {shape} | {:.0} KB × {} | {:.3} | {facts} | {:.4} |",
                mb * 1e3 / articles.len() as f64,
                articles.len(),
                ours / mb,
                scan / mb
            );
        }
        let growth = per_mb.last().unwrap_or(&1.0) / per_mb.first().unwrap_or(&1.0);
        println!("result shape={shape} growth={growth:.2}");
    }
}
