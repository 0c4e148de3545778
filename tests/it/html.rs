//! Saved web pages in: three pages in the shapes of real sites (a
//! government site, a newspaper's, a portal with heavy navigation), each
//! the same article as `tests/fixtures/html/a1.txt`, give its facts.

use std::path::Path;

use crate::{root, yushu, yushu_ok};

/// A data directory of the reference data and one article, `file` copied
/// as `articles/a1.<its extension>` (so that every twin has the id `a1`).
fn data_with(dir: &Path, file: &str) -> String {
    let data = dir.join("data");
    crate::store::copy_dir(&root().join("data/reference"), &data.join("reference"));
    std::fs::create_dir_all(data.join("articles")).unwrap();
    let ext = Path::new(file).extension().unwrap().to_str().unwrap();
    std::fs::copy(root().join(file), data.join(format!("articles/a1.{ext}"))).unwrap();
    data.to_str().unwrap().to_owned()
}

fn dump_of(dir: &Path, file: &str) -> Vec<String> {
    let data = data_with(dir, file);
    let store = dir.join("store").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &store]);
    yushu_ok(&["dump", "--store", &store])
        .lines()
        .map(str::to_owned)
        .collect()
}

const FILE_NAME: &str = "<https://w3id.org/yushu-kg/ontology#fileName>";
const SOURCE_URL: &str = "<https://w3id.org/yushu-kg/ontology#sourceUrl>";

#[test]
fn each_saved_page_gives_the_facts_text_and_metadata_of_its_txt_twin() {
    let twin_dir = tempfile::tempdir().unwrap();
    let twin = dump_of(twin_dir.path(), "tests/fixtures/html/a1.txt");
    assert!(twin.len() > 300, "the twin has facts: {}", twin.len());
    for (page, has_url) in [("gov", true), ("paper", true), ("portal", false)] {
        let dir = tempfile::tempdir().unwrap();
        let dump = dump_of(dir.path(), &format!("tests/fixtures/html/a1-{page}.html"));
        assert!(
            dump.iter()
                .any(|l| l.split(' ').nth(1) == Some(FILE_NAME) && l.contains("\"a1.html\"")),
            "{page}: the article records its file's name"
        );
        // The same quads, the text and its quotes and offsets included; the
        // portal page states no address.
        let predicate = |l: &str, p: &str| l.split(' ').nth(1) == Some(p);
        let keep = |l: &&String| !predicate(l, FILE_NAME) && (has_url || !predicate(l, SOURCE_URL));
        let a: Vec<&String> = twin.iter().filter(keep).collect();
        let b: Vec<&String> = dump.iter().filter(|l| !predicate(l, FILE_NAME)).collect();
        let only_twin: Vec<_> = a.iter().filter(|l| !b.contains(l)).collect();
        let only_page: Vec<_> = b.iter().filter(|l| !a.contains(l)).collect();
        assert!(
            only_twin.is_empty() && only_page.is_empty(),
            "{page}: only in the .txt: {only_twin:#?}\nonly in the page: {only_page:#?}"
        );
    }
}

#[test]
fn a_page_without_main_text_fails_the_build_naming_the_file_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_with(dir.path(), "tests/fixtures/html/a1-gov.html");
    let store = dir.path().join("store").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &store]);
    let before = yushu_ok(&["dump", "--store", &store]);

    let nav: String = (1..30)
        .map(|i| format!("<li><a href='/c{i}'>栏目{i}</a></li>"))
        .collect();
    std::fs::write(
        format!("{data}/articles/index.html"),
        format!("<html><head><title>首页</title></head><body><ul>{nav}</ul></body></html>"),
    )
    .unwrap();
    let out = yushu(&["build", "--data", &data, "--store", &store]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("index.html: no main text found"), "{err}");
    assert!(yushu_ok(&["dump", "--store", &store]) == before);
}

#[test]
fn add_takes_a_saved_page_as_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_with(dir.path(), "tests/fixtures/html/a1.txt");
    std::fs::remove_file(format!("{data}/articles/a1.txt")).unwrap();
    let store = dir.path().join("store").to_str().unwrap().to_owned();
    yushu_ok(&[
        "build",
        "-q",
        "--allow-empty",
        "--data",
        &data,
        "--store",
        &store,
    ]);
    let page = dir.path().join("a1.html");
    std::fs::copy(root().join("tests/fixtures/html/a1-paper.html"), &page).unwrap();
    yushu_ok(&[
        "add",
        "-q",
        "--data",
        &data,
        "--store",
        &store,
        page.to_str().unwrap(),
    ]);

    let fresh = tempfile::tempdir().unwrap();
    let expected = dump_of(fresh.path(), "tests/fixtures/html/a1-paper.html");
    let added: Vec<String> = yushu_ok(&["dump", "--store", &store])
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(added, expected);
}
