//! `new` writes the front matter for a pasted text, and `add -` reads an
//! article from standard input.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::{root, yushu, yushu_ok};

/// Runs the binary with `input` on its standard input.
fn yushu_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yushu-kg"))
        .args(args)
        .current_dir(root())
        .env_remove("YUSHU_KG_STORE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// A data directory with the shipped reference data and the seed article.
fn seed_data(dir: &Path) -> String {
    let data = dir.join("data");
    crate::store::copy_dir(&root().join("data/reference"), &data.join("reference"));
    std::fs::create_dir_all(data.join("articles")).unwrap();
    for e in std::fs::read_dir(root().join("tests/fixtures/corpus/seed")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&path, data.join("articles").join(path.file_name().unwrap())).unwrap();
        }
    }
    data.to_str().unwrap().to_owned()
}

/// A report without front matter, as a user pastes it (no date of its own:
/// its 今年 is read from the date `new` is given).
const PASTED: &str = "tests/fixtures/corpus/dev/a1.txt";

#[test]
fn new_piped_into_add_gives_the_store_a_build_of_its_file_gives() {
    let dir = tempfile::tempdir().unwrap();
    let data = seed_data(dir.path());
    let file = yushu_ok(&["new", "--id", "pasted-a1", "--date", "2020-04", PASTED]);
    assert!(
        file.starts_with("+++\nid = \"pasted-a1\"\ntitle = \"十年援玉路"),
        "{file}"
    );

    // Added from stdin to a store of the seed...
    let added = dir.path().join("added").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &added]);
    let out = yushu_with_stdin(
        &["add", "-q", "--data", &data, "--store", &added, "-"],
        file.as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // ...equals a fresh build with the file among the articles.
    std::fs::write(format!("{data}/articles/pasted-a1.txt"), &file).unwrap();
    let fresh = dir.path().join("fresh").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &fresh]);
    // (but for the file name only the file has).
    let file_name = "<https://w3id.org/yushu-kg/ontology#fileName> \"pasted-a1.txt\"";
    let dump = yushu_ok(&["dump", "--store", &added]);
    let fresh_dump = yushu_ok(&["dump", "--store", &fresh]);
    assert!(fresh_dump.contains(file_name));
    let without_name: String = fresh_dump
        .lines()
        .filter(|l| !l.contains(file_name))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(dump == without_name);
    assert!(
        dump.contains("article/pasted-a1"),
        "the article is in the store"
    );
    assert!(
        dump.contains("\"2020-04\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>"),
        "the date given to new is the article's"
    );
}

#[test]
fn an_article_on_stdin_without_an_id_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = seed_data(dir.path());
    let store = dir.path().join("store").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &store]);
    let before = yushu_ok(&["dump", "--store", &store]);

    let text = std::fs::read(root().join(PASTED)).unwrap();
    let out = yushu_with_stdin(&["add", "--data", &data, "--store", &store, "-"], &text);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs an `id` in its front matter"), "{err}");
    assert!(yushu_ok(&["dump", "--store", &store]) == before);

    // Twice `-` is one article twice: the ids collide, nothing is added.
    let file = yushu_ok(&["new", "--id", "x", PASTED]);
    let out = yushu_with_stdin(
        &["add", "--data", &data, "--store", &store, "-", "-"],
        file.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("both have the id \"x\""));
    assert!(yushu_ok(&["dump", "--store", &store]) == before);
}

#[test]
fn new_reads_stdin_and_never_writes_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read(root().join(PASTED)).unwrap();
    let from_stdin = yushu_with_stdin(&["new", "--date", "2020"], &text);
    assert!(from_stdin.status.success());
    let from_file = yushu_ok(&["new", "--date", "2020", PASTED]);
    assert_eq!(String::from_utf8(from_stdin.stdout).unwrap(), from_file);

    let taken = dir.path().join("taken.txt");
    std::fs::write(&taken, "mine").unwrap();
    let out = yushu(&["new", PASTED, "-o", taken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never writes over a file"));
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "mine");

    let fresh = dir.path().join("fresh.txt");
    yushu_ok(&[
        "new",
        "--date",
        "2020",
        PASTED,
        "-o",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&fresh).unwrap(), from_file);
}

#[test]
fn a_date_new_cannot_read_is_a_usage_error() {
    let out = yushu(&["new", "--date", "2020年4月", PASTED]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    assert!(out.stdout.is_empty());
}
