//! An article in traditional characters gives the facts of its simplified
//! twin, and its evidence quotes and offsets point into its own text.

use std::collections::BTreeSet;

use crate::{root, yushu_ok};

const TWIN: &str = "tests/fixtures/corpus/dev/a2.txt";
const HANT: &str = "tests/fixtures/traditional/a2-hant.txt";

/// Builds a store of the one article `file` (as `articles/a2.txt`, so both
/// have the id `a2`) and returns its dump.
fn dump_of(dir: &std::path::Path, file: &str) -> (String, String) {
    let data = dir.join("data");
    crate::store::copy_dir(&root().join("data/reference"), &data.join("reference"));
    std::fs::create_dir_all(data.join("articles")).unwrap();
    std::fs::copy(root().join(file), data.join("articles/a2.txt")).unwrap();
    let store = dir.join("store").to_str().unwrap().to_owned();
    let data = data.to_str().unwrap();
    yushu_ok(&["build", "-q", "--data", data, "--store", &store]);
    (yushu_ok(&["dump", "--store", &store]), store)
}

/// The quads that do not carry the article's own words: its text, title,
/// language and evidence quotes differ between the twins by design.
fn facts(dump: &str) -> BTreeSet<String> {
    const OWN_WORDS: [&str; 4] = [
        "<https://w3id.org/yushu-kg/ontology#quote>",
        "<https://w3id.org/yushu-kg/ontology#text>",
        "<https://w3id.org/yushu-kg/ontology#language>",
        "<https://w3id.org/yushu-kg/ontology#title>",
    ];
    dump.lines()
        .filter(|l| !OWN_WORDS.iter().any(|p| l.contains(p)))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_traditional_article_gives_the_facts_of_its_simplified_twin() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (twin, _) = dump_of(a.path(), TWIN);
    let (hant, _) = dump_of(b.path(), HANT);
    let (twin, hant) = (facts(&twin), facts(&hant));
    assert!(twin.len() > 100, "the twin has facts: {}", twin.len());
    let only_twin: Vec<_> = twin.difference(&hant).collect();
    let only_hant: Vec<_> = hant.difference(&twin).collect();
    assert!(
        only_twin.is_empty() && only_hant.is_empty(),
        "only in the simplified twin: {only_twin:#?}\nonly in the traditional one: {only_hant:#?}"
    );
}

#[test]
fn the_evidence_of_a_traditional_article_quotes_its_own_text() {
    let dir = tempfile::tempdir().unwrap();
    let (dump, store) = dump_of(dir.path(), HANT);
    let text: Vec<char> = std::fs::read_to_string(root().join(HANT))
        .unwrap()
        .chars()
        .collect();
    let csv = yushu_ok(&[
        "query",
        "--store",
        &store,
        "--format",
        "csv",
        "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#> \
         SELECT ?q ?s ?e ?t ?lang WHERE { ?ev ykg:quote ?q ; ykg:start ?s ; ykg:end ?e ; ykg:source ?a . \
         ?a ykg:text ?t ; ykg:language ?lang }",
    ]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut n = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let (quote, start, end, stored) = (&row[0], &row[1], &row[2], &row[3]);
        let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        assert!(stored.contains(quote), "{quote:?} is in the stored text");
        let cut: String = stored.chars().skip(start).take(end - start).collect();
        assert_eq!(cut, quote, "the offsets cut the quote from the stored text");
        let from_file: String = text[start..end].iter().collect();
        assert_eq!(from_file, quote, "and from the file the user has");
        assert_eq!(&row[4], "zh-Hant");
        n += 1;
    }
    assert!(n > 5, "{n} quotes");
    // The quotes are traditional; the entity labels the simplified ones the
    // gazetteer knows.
    assert!(dump.contains("玉樹"), "the article's words are kept");
    assert!(dump.contains("\"玉树藏族自治州\"@zh"));
}
