//! A user's files are never deleted or written: only a path that holds
//! nothing, an empty directory or a store this tool made is ever replaced
//! or written as a store, the data directory is never a store location, and
//! an empty input does not replace a full store unless asked to.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::root;

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Runs the binary in `cwd`.
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yushu-kg"))
        .args(args)
        .current_dir(cwd)
        .env_remove("YUSHU_KG_STORE")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn run(args: &[&str]) -> Output {
    run_in(root(), args)
}

/// `build -q --data DATA --store STORE`, with more arguments after.
fn build(data: &Path, store: &Path, more: &[&str]) -> Output {
    let mut args = vec!["build", "-q", "--data", s(data), "--store", s(store)];
    args.extend_from_slice(more);
    run(&args)
}

/// `add -q --data DATA --store STORE FILE`.
fn add(data: &Path, store: &Path, file: &Path) -> Output {
    run(&["add", "-q", "--data", s(data), "--store", s(store), s(file)])
}

/// Asserts a refusal (exit 1) whose message holds every needle.
fn refused(out: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a refusal (exit 1): {err}");
    for n in needles {
        assert!(err.contains(n), "the message names {n:?}: {err}");
    }
}

/// Every file under `dir` with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// A data directory with the shipped reference data and the seed article.
fn data_dir(at: &Path) -> PathBuf {
    let data = at.join("data");
    for sub in ["articles", "reference"] {
        std::fs::create_dir_all(data.join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(root().join("data").join(sub)).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                std::fs::copy(&path, data.join(sub).join(path.file_name().expect("name")))
                    .expect("copy");
            }
        }
    }
    data
}

fn user_dir(at: &Path) -> PathBuf {
    let dir = at.join("thesis");
    std::fs::create_dir_all(dir.join("chapters")).expect("mkdir");
    std::fs::write(dir.join("thesis.docx"), "precious").expect("write");
    std::fs::write(dir.join("chapters/one.md"), "# one").expect("write");
    dir
}

#[test]
fn build_and_load_refuse_a_directory_that_is_not_a_store_and_keep_every_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = data_dir(tmp.path());
    let user = user_dir(tmp.path());
    let before = snapshot(&user);
    let out = build(&data, &user, &[]);
    refused(
        &out,
        &["is not a yushu-kg store", "thesis", "nothing was written"],
    );
    assert_eq!(snapshot(&user), before, "the directory is as it was");

    let nq = tmp.path().join("one.nq");
    std::fs::write(&nq, "<http://a> <http://b> <http://c> .\n").expect("write");
    let out = run(&["load", "-q", "--store", s(&user), s(&nq)]);
    refused(&out, &["is not a yushu-kg store"]);
    assert_eq!(snapshot(&user), before, "the directory is as it was");
    let siblings: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".thesis"))
        .collect();
    assert!(siblings.is_empty(), "no staging left behind: {siblings:?}");
}

#[test]
fn build_into_the_current_directory_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = data_dir(tmp.path());
    let user = user_dir(tmp.path());
    let before = snapshot(&user);
    let out = run_in(&user, &["build", "-q", "--data", s(&data), "--store", "."]);
    refused(&out, &["is not a yushu-kg store"]);
    assert_eq!(snapshot(&user), before);
}

#[test]
fn the_data_directory_is_never_a_store_location() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = data_dir(tmp.path());
    let before = snapshot(&data);
    for store in [
        data.clone(),
        data.join("articles"),
        data.join("store"),
        tmp.path().to_owned(),
    ] {
        let out = build(&data, &store, &[]);
        refused(&out, &["the data directory is never a store location"]);
        assert_eq!(
            snapshot(&data),
            before,
            "the input is intact (--store {store:?})"
        );
    }
    let seed = data.join("articles/000_b429af862e07442e.txt");
    let out = add(&data, &data, &seed);
    refused(&out, &["the data directory is never a store location"]);
    assert_eq!(snapshot(&data), before);
}

#[test]
fn build_refuses_to_replace_a_regular_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = data_dir(tmp.path());
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "precious").expect("write");
    let out = build(&data, &file, &[]);
    refused(&out, &["is not a yushu-kg store", "it is a file"]);
    assert_eq!(std::fs::read(&file).expect("read"), b"precious");
}

#[test]
fn add_and_remove_write_nothing_into_a_directory_that_is_not_a_store() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = data_dir(tmp.path());
    let user = user_dir(tmp.path());
    let before = snapshot(&user);
    let seed = data.join("articles/000_b429af862e07442e.txt");
    let out = add(&data, &user, &seed);
    refused(&out, &["is not a yushu-kg store"]);
    let out = run(&["remove", "-q", "--store", s(&user), "000_b429af862e07442e"]);
    refused(&out, &["is not a yushu-kg store"]);
    assert_eq!(snapshot(&user), before, "no RocksDB file among the user's");

    // An empty directory is not a store either: add does not create one there.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let out = add(&data, &empty, &seed);
    refused(&out, &["no store at"]);
    assert_eq!(std::fs::read_dir(&empty).expect("list").count(), 0);
}

#[test]
fn an_empty_directory_and_an_older_store_may_become_stores() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = data_dir(tmp.path());
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let out = build(&data, &empty, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        empty.join("yushu-kg-store").is_file(),
        "the store carries its marker"
    );

    // A store written before the marker existed is known by RocksDB's layout.
    std::fs::remove_file(empty.join("yushu-kg-store")).expect("rm marker");
    let out = build(&data, &empty, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seed = data.join("articles/000_b429af862e07442e.txt");
    std::fs::remove_file(empty.join("yushu-kg-store")).expect("rm marker");
    let out = add(&data, &empty, &seed);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_empty_input_does_not_replace_a_full_store_unless_asked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = data_dir(tmp.path());
    let store = tmp.path().join("store");
    let out = build(&data, &store, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = |store: &Path| run(&["dump", "--store", s(store)]).stdout;
    let full = dump(&store);
    assert!(!full.is_empty());

    let empty = tmp.path().join("nodata");
    std::fs::create_dir_all(empty.join("articles")).expect("mkdir");
    std::fs::create_dir_all(empty.join("reference")).expect("mkdir");
    for entry in std::fs::read_dir(data.join("reference")).expect("list") {
        let path = entry.expect("entry").path();
        std::fs::copy(
            &path,
            empty
                .join("reference")
                .join(path.file_name().expect("name")),
        )
        .expect("copy");
    }
    let out = build(&empty, &store, &[]);
    refused(&out, &["holds no article", "--allow-empty"]);
    assert_eq!(dump(&store), full, "the store is as it was");

    let nothing = tmp.path().join("empty.nq");
    std::fs::write(&nothing, "").expect("write");
    let out = run(&["load", "-q", "--store", s(&store), s(&nothing)]);
    refused(&out, &["holds no quad", "--allow-empty"]);
    assert_eq!(dump(&store), full, "the store is as it was");

    let out = build(&empty, &store, &["--allow-empty"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(dump(&store), full, "asked for, the empty build replaces it");
}
