//! Integration tests: the real binary and library on the real data.

mod cli;
mod data_loss;
mod hardening;
mod html;
mod incremental;
mod new;
mod protocol;
mod quality;
mod query_guard;
mod remote;
mod robust;
mod roundtrip;
mod serve;
mod snapshots;
mod store;
mod traditional;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with `args` in the repository root.
pub fn yushu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yushu-kg"))
        .args(args)
        .current_dir(root())
        .env_remove("YUSHU_KG_STORE")
        .output()
        .expect("the binary runs")
}

/// Runs the binary and returns stdout, failing the test on a non-zero exit.
pub fn yushu_ok(args: &[&str]) -> String {
    let out = yushu(args);
    assert!(
        out.status.success(),
        "yushu-kg {args:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// A store built once from the shipped data, shared by the read-only tests.
pub fn shipped_store() -> &'static Path {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        yushu_ok(&[
            "build",
            "--quiet",
            "--store",
            path.to_str().expect("UTF-8 path"),
        ]);
        (dir, path)
    });
    path
}

/// Runs a query on the shipped store and returns its CSV rows (header dropped).
/// A query that takes seconds without reading the store: 2.56 million rows
/// gathered and sorted before the first comes out, where Oxigraph checks no
/// cancellation.
pub fn slow_sorted_query() -> String {
    let values = (1..=40)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "SELECT ?a ?b ?c ?d WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} \
         VALUES ?c {{ {values} }} VALUES ?d {{ {values} }} }} ORDER BY DESC(?a + ?b * ?c - ?d) LIMIT 1"
    )
}

pub fn query_rows(query: &str) -> Vec<Vec<String>> {
    let store = shipped_store().to_str().expect("UTF-8 path").to_owned();
    split_rows(&yushu_ok(&[
        "query", "--store", &store, "--format", "csv", query,
    ]))
}

/// The rows of a CSV document, header dropped.
pub fn split_rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(split_csv)
        .collect()
}

fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}
