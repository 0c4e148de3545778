//! Bad input and faults, each with the error a user sees and proof that
//! the store is what it was: malformed articles and reference files, huge
//! files, a store locked or read-only or on a full disk, readers during a
//! build, and every export format parsing back whatever the labels hold.
//! The table in SECURITY.md points here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::roundtrip;
use crate::{root, shipped_store, yushu_ok};

/// The one article the repository ships.
const SEED: &str = "data/articles/000_b429af862e07442e.txt";

/// Generous bound for one command: a hang fails the test instead of
/// blocking the suite. Not a performance assertion.
const LIMIT: Duration = Duration::from_secs(120);

/// Runs the binary, killing it and failing the test if it has not finished
/// within `limit`.
pub fn yushu_within(args: &[&str], limit: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_yushu-kg"))
        .args(args)
        .current_dir(root())
        .env_remove("YUSHU_KG_STORE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    wait_within(child, limit, &format!("yushu-kg {args:?}"))
}

/// Waits for `child`, collecting its output; kills it and panics after `limit`.
pub fn wait_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

/// Asserts that the command failed with exit code 1 and that its error
/// message contains every one of `needles`; returns the message.
fn fails_saying(out: &Output, needles: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "exit code 1 expected: {err}");
    for n in needles {
        assert!(err.contains(n), "the message should contain {n:?}: {err}");
    }
    err
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// `yushu-kg add -q --data DATA --store STORE FILES…`, stopped after [`LIMIT`].
fn add_within(data: &Path, store: &Path, files: &[&Path]) -> Output {
    let mut args = vec!["add", "-q", "--data", s(data), "--store", s(store)];
    args.extend(files.iter().map(|f| s(f)));
    yushu_within(&args, LIMIT)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A copy of `data/` (reference, curation, the one article) in `dir`.
fn data_copy(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&root().join("data"), &data);
    data
}

/// The seed article under another id, `copies` times, in `articles`.
fn add_copies(articles: &Path, copies: usize) {
    let seed = std::fs::read_to_string(root().join(SEED)).unwrap();
    for i in 0..copies {
        let copy = seed.replacen("+++\n", &format!("+++\nid = \"copy-{i}\"\n"), 1);
        std::fs::write(articles.join(format!("copy-{i}.txt")), copy).unwrap();
    }
}

fn dump(store: &Path) -> String {
    yushu_ok(&["dump", "--store", s(store)])
}

fn count(store: &Path, query: &str) -> u64 {
    let csv = yushu_ok(&["query", "--store", s(store), "-f", "csv", query]);
    csv.lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("a count from {query}: {csv}"))
}

const FUNDINGS: &str = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#> SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a ykg:Funding }";

// ---------------------------------------------------------------------------
// Bad articles
// ---------------------------------------------------------------------------

#[test]
fn bad_articles_are_refused_with_their_position_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--data", s(&data), "--store", s(&store)]);
    let before = dump(&store);

    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    // A single 50 MB line: refused before it is read, not converted for hours.
    let mut huge = b"\xe6\xa0\x87\xe9\xa2\x98\n".to_vec(); // 标题
    huge.resize(50 * 1024 * 1024, b'a');
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "not-utf8.txt",
            b"\xe5\x8c\x97\xff bad bytes".to_vec(),
            vec!["not-utf8.txt:1:2: not UTF-8"],
        ),
        (
            "binary.txt",
            b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec(),
            vec!["binary.txt:1:1: control character U+007F"],
        ),
        (
            "nul.txt",
            "标题\r\n正文\0正文".as_bytes().to_vec(),
            vec!["nul.txt:2:3: control character U+0000"],
        ),
        (
            "empty.txt",
            Vec::new(),
            vec!["empty.txt: the article has no text"],
        ),
        (
            "blank.txt",
            b" \n\t\r\n  \r".to_vec(),
            vec!["blank.txt: the article has no text"],
        ),
        (
            "unclosed.txt",
            "+++\ntitle = \"T\"\n标题\n".as_bytes().to_vec(),
            vec!["unclosed.txt:1:1: malformed front matter", "never closed"],
        ),
        (
            "toml.txt",
            "+++\ntitle = \"T\"\nauthors = [\"a\",\n+++\n标题\n正文\n"
                .as_bytes()
                .to_vec(),
            vec!["toml.txt:3:16: malformed front matter", "unclosed array"],
        ),
        (
            "unknown-key.txt",
            "\u{feff}+++\r\ntitle = \"T\"\r\nauther = \"x\"\r\n+++\r\n标题\r\n正文\r\n"
                .as_bytes()
                .to_vec(),
            vec!["unknown-key.txt:3:1: malformed front matter", "auther"],
        ),
        (
            "bad-date.txt",
            "+++\ndate = \"去年\"\n+++\n标题\n正文\n"
                .as_bytes()
                .to_vec(),
            vec![
                "bad-date.txt:2:1: malformed front matter",
                "unparseable date",
            ],
        ),
        (
            "bad-id.txt",
            "+++\nid = \"a b/<c>\"\n+++\n标题\n正文\n"
                .as_bytes()
                .to_vec(),
            vec!["bad-id.txt: invalid article id"],
        ),
        (
            "huge.txt",
            huge,
            vec!["huge.txt: the article is 52428800 bytes, more than the limit"],
        ),
    ];
    for (name, bytes, needles) in &cases {
        let file = bad.join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = add_within(&data, &store, &[&file]);
        fails_saying(&out, needles);
    }
    // Two articles with one id, and one article given twice.
    let (a, b) = (bad.join("a.txt"), bad.join("b.txt"));
    for f in [&a, &b] {
        std::fs::write(f, "+++\nid = \"same\"\n+++\n标题\n西城区支援囊谦县。\n").unwrap();
    }
    let out = add_within(&data, &store, &[&a, &b]);
    fails_saying(&out, &["a.txt and", "b.txt both have the id \"same\""]);
    let out = add_within(&data, &store, &[&a, &a]);
    fails_saying(&out, &["both have the id \"same\""]);
    assert_eq!(dump(&store), before, "no failed add wrote anything");

    // A whole build with the 50 MB file among the articles fails the same
    // way and keeps the store.
    std::fs::copy(bad.join("huge.txt"), data.join("articles/huge.txt")).unwrap();
    let out = yushu_within(
        &["build", "-q", "--data", s(&data), "--store", s(&store)],
        LIMIT,
    );
    fails_saying(&out, &["huge.txt: the article is 52428800 bytes"]);
    std::fs::rename(data.join("articles/huge.txt"), bad.join("huge.txt")).unwrap();
    // Two files with one id in a build.
    std::fs::copy(&a, data.join("articles/a.txt")).unwrap();
    std::fs::copy(&b, data.join("articles/b.txt")).unwrap();
    let out = yushu_within(
        &["build", "-q", "--data", s(&data), "--store", s(&store)],
        LIMIT,
    );
    fails_saying(&out, &["both have the id \"same\"", "hint:"]);
    assert_eq!(dump(&store), before, "no failed build changed the store");
}

#[test]
fn a_long_single_line_and_crlf_line_ends_are_read_like_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--data", s(&data), "--store", s(&store)]);
    let fundings = count(&store, FUNDINGS);
    assert_eq!(fundings, 6);

    let seed = std::fs::read_to_string(root().join(SEED)).unwrap();
    let (front, body) = seed
        .strip_prefix("+++\n")
        .and_then(|r| r.split_once("\n+++\n"))
        .unwrap();
    // The body on one line (paragraphs joined), some 100 KB: read in full.
    let line: String = body.lines().collect::<Vec<_>>().join(" ");
    let mut long = line.clone();
    while long.len() < 100_000 {
        long.push(' ');
        long.push_str(&line);
    }
    let one_line = dir.path().join("one-line.txt");
    std::fs::write(&one_line, format!("+++\n{front}\n+++\n标题\n{long}\n")).unwrap();
    // The article with a byte-order mark and CRLF and lone CR line ends.
    let crlf = dir.path().join("crlf.txt");
    let mut text = "\u{feff}".to_owned();
    for (i, l) in seed.lines().enumerate() {
        text.push_str(l);
        text.push_str(if i % 2 == 0 { "\r\n" } else { "\r" });
    }
    std::fs::write(&crlf, text).unwrap();
    let evidence_of = |id: &str| {
        count(
            &store,
            &format!(
                "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
                 SELECT (COUNT(*) AS ?n) WHERE {{ ?ev ykg:source <https://w3id.org/yushu-kg/id/article/{id}> }}"
            ),
        )
    };
    let add = |file: &Path| {
        let out = add_within(&data, &store, &[file]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    add(&crlf);
    assert_eq!(
        count(&store, FUNDINGS),
        fundings,
        "the same fundings, not new ones"
    );
    // The original under another id, which the curation file does not touch.
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, &seed).unwrap();
    add(&plain);
    assert_eq!(
        evidence_of("crlf"),
        evidence_of("plain"),
        "as much evidence as the original"
    );
    add(&one_line);
    assert!(evidence_of("one-line") > 10);
    // Each article's evidence slices its own text to the quote.
    for id in ["one-line", "crlf"] {
        let q = format!(
            "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
             SELECT (SUM(IF(?quote = SUBSTR(?text, ?start + 1, ?end - ?start), 1, 0)) - COUNT(*) AS ?bad) (COUNT(*) AS ?n) WHERE {{
               ?ev a ykg:Evidence ; ykg:quote ?quote ; ykg:start ?start ; ykg:end ?end ;
                   ykg:source <https://w3id.org/yushu-kg/id/article/{id}> .
               <https://w3id.org/yushu-kg/id/article/{id}> ykg:text ?text }}"
        );
        let csv = yushu_ok(&["query", "--store", s(&store), "-f", "csv", &q]);
        let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
        assert_eq!(row[0].trim(), "0", "{id}: every quote is its span: {csv}");
        assert!(row[1].trim().parse::<u32>().unwrap() > 10, "{id}: {csv}");
    }
}

#[test]
fn an_article_added_again_or_under_another_id_duplicates_no_fact() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--data", s(&data), "--store", s(&store)]);
    // Fact nodes are named by their values: the same fact read twice is
    // one node with two pieces of evidence. (Relations are left out: the
    // curation file rejects one in the original article only.)
    let facts = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
        SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a ?t VALUES ?t { ykg:Funding ykg:Observation ykg:Position } }";
    let evidence_links = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
        SELECT (COUNT(*) AS ?n) WHERE { ?f a ?t ; ykg:evidence ?e VALUES ?t { ykg:Funding ykg:Observation ykg:Position } }";
    let (fundings, with_evidence) = (count(&store, FUNDINGS), count(&store, facts));
    let links = count(&store, evidence_links);
    assert!(
        fundings == 6 && with_evidence > 20,
        "{fundings} {with_evidence}"
    );

    // The same text as another article: the same facts, twice the evidence.
    add_copies(dir.path(), 1);
    let copy = dir.path().join("copy-0.txt");
    let add = [
        "add",
        "-q",
        "--data",
        s(&data),
        "--store",
        s(&store),
        s(&copy),
    ];
    yushu_ok(&add);
    assert_eq!(count(&store, FUNDINGS), fundings);
    assert_eq!(count(&store, facts), with_evidence);
    assert_eq!(count(&store, evidence_links), 2 * links);
    // Added again: it replaces itself.
    let after_one = dump(&store);
    yushu_ok(&add);
    assert_eq!(dump(&store), after_one);
}

// ---------------------------------------------------------------------------
// Bad reference and curation files
// ---------------------------------------------------------------------------

#[test]
fn bad_reference_and_curation_files_fail_with_their_position_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--data", s(&data), "--store", s(&store)]);
    let before = dump(&store);
    let lines = |file: &str| {
        std::fs::read_to_string(data.join(file))
            .unwrap()
            .lines()
            .count()
    };
    let areas = lines("reference/areas.toml");
    let curation = lines("curation.toml");
    let cases: Vec<(&str, String, Vec<String>)> = vec![
        (
            "reference/areas.toml",
            "\n[[area]]\nid = \n".to_owned(),
            vec![format!("areas.toml:{}:", areas + 3)],
        ),
        (
            "reference/areas.toml",
            "\n[[area]]\nid = \"atlantis-city\"\ntype = \"City\"\nname_zh = \"亚特兰蒂斯\"\n".to_owned(),
            vec![format!("areas.toml:{}:", areas + 4)],
        ),
        (
            "reference/pairings.toml",
            "\n[[pairing]]\ndistrict = \"xicheng\"\ncounty = \"atlantis\"\n".to_owned(),
            vec![
                "pairings.toml".to_owned(),
                "unknown area \"atlantis\"".to_owned(),
            ],
        ),
        (
            "reference/organizations.toml",
            "\n[[organization]]\nname_zh = \"亚特兰蒂斯医院\"\ntype = \"Hospital\"\nlocated_in = \"atlantis\"\n"
                .to_owned(),
            vec![
                "organizations.toml".to_owned(),
                "located_in names unknown area \"atlantis\"".to_owned(),
            ],
        ),
        (
            "curation.toml",
            "\n[[add]]\narticle = \"000_b429af862e07442e\"\nsubject = \n".to_owned(),
            vec![format!("curation.toml:{}:", curation + 4)],
        ),
        (
            "curation.toml",
            "\n[[add]]\narticle = \"000_b429af862e07442e\"\nsubject = \"亚特兰蒂斯医院\"\npredicate = \"supports\"\nobject = \"西城区\"\nquote = \"京玉情满怀\"\n"
                .to_owned(),
            vec![
                "curation.toml:".to_owned(),
                "no entity is named \"亚特兰蒂斯医院\"".to_owned(),
            ],
        ),
        (
            "curation.toml",
            "\n[[reject]]\narticle = \"no-such-article\"\nsubject = \"北京市\"\npredicate = \"supports\"\nobject = \"西城区\"\nquote = \"京玉情满怀\"\n"
                .to_owned(),
            vec![
                "curation.toml:".to_owned(),
                "no article has the id \"no-such-article\"".to_owned(),
            ],
        ),
    ];
    for (file, appended, needles) in &cases {
        let path = data.join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{original}{appended}")).unwrap();
        let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
        let out = yushu_within(
            &["build", "-q", "--data", s(&data), "--store", s(&store)],
            LIMIT,
        );
        fails_saying(&out, &needles);
        if file.starts_with("reference/") {
            // `add` reads the reference data too.
            let out = add_within(&data, &store, &[&root().join(SEED)]);
            fails_saying(&out, &needles);
        }
        std::fs::write(&path, original).unwrap();
    }
    assert_eq!(
        dump(&store),
        before,
        "no failed build or add changed the store"
    );
}

// ---------------------------------------------------------------------------
// Locks and readers
// ---------------------------------------------------------------------------

#[test]
fn a_store_open_for_writing_elsewhere_gives_a_clear_error_not_a_wait() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--store", s(&store)]);
    let before = dump(&store);
    // This process holds the store open for writing, as a long `add` would.
    let held = yushu_kg::store::Store::open(&store).expect("the store opens");
    let out = yushu_within(&["add", "-q", "--store", s(&store), SEED], LIMIT);
    fails_saying(
        &out,
        &[
            &format!("the store at {} is in use by another process", s(&store)),
            "hint:",
        ],
    );
    // Readers are not locked out.
    let csv = yushu_ok(&["query", "--store", s(&store), "-f", "csv", "pairings"]);
    assert_eq!(csv.lines().count(), 7, "{csv}");
    drop(held);
    assert_eq!(dump(&store), before);
    yushu_ok(&["add", "-q", "--store", s(&store), SEED]);
}

#[test]
fn a_build_refuses_to_replace_a_store_another_process_is_writing() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--store", s(&store)]);
    let held = yushu_kg::store::Store::open(&store).expect("the store opens");
    let out = yushu_within(&["build", "-q", "--store", s(&store)], LIMIT);
    // As `add` says it.
    fails_saying(
        &out,
        &[&format!(
            "the store at {} is in use by another process",
            s(&store)
        )],
    );
    drop(held);
}

#[test]
fn readers_keep_the_old_store_while_a_build_prepares_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--data", s(&data), "--store", s(&store)]);
    let before = dump(&store);
    let quads = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let old_count = count(&store, quads);
    let server = crate::hardening::Server::start(&store, &[]);

    // A slow build that fails at its very end (the last file is not UTF-8),
    // so it never swaps: everything read meanwhile must be the old store.
    let articles = data.join("articles");
    add_copies(&articles, 24);
    std::fs::write(articles.join("zzz-broken.txt"), b"\xff").unwrap();
    let build = Command::new(env!("CARGO_BIN_EXE_yushu-kg"))
        .args(["build", "-q", "--data", s(&data), "--store", s(&store)])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let staging = dir.path().join(format!(".store.building-{}", build.id()));
    let started = Instant::now();
    while !staging.exists() && started.elapsed() < LIMIT {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(staging.exists(), "the build prepares {}", staging.display());
    let mut build = build;
    let mut overlapped = 0;
    while build.try_wait().unwrap().is_none() {
        let cli = count(&store, quads);
        let (status, body) = server.get("/query?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D");
        if build.try_wait().unwrap().is_none() {
            overlapped += 1; // both readers ran wholly during the build
        }
        assert_eq!(cli, old_count, "query reads the old store");
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("true"), "{body}");
    }
    let out = wait_within(build, LIMIT, "the build");
    fails_saying(&out, &["zzz-broken.txt:1:1: not UTF-8"]);
    assert!(
        overlapped >= 1,
        "a query and a request ran while the build was preparing the store"
    );
    assert_eq!(dump(&store), before);
}

// ---------------------------------------------------------------------------
// Full disk, read-only and impossible store paths
// ---------------------------------------------------------------------------

/// A tmpfs mounted on a temporary directory, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (`3m`); `None`, with the reason printed,
    /// where mounting is not allowed (not root).
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                s(dir.path()),
            ])
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir }),
            Ok(o) => {
                eprintln!(
                    "SKIPPED: cannot mount a tmpfs (needs root): {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("SKIPPED: cannot run mount: {e}");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount_read_only(&self) {
        let out = Command::new("mount")
            .args(["-o", "remount,ro", s(self.path())])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_fails_the_build_and_keeps_the_previous_store() {
    // 3 MB holds the store of the shipped article (under 1 MB, some 2 MB
    // while it is built) but not a build of 25 articles beside it.
    let Some(disk) = Tmpfs::mount("3m") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let store = disk.path().join("store");
    yushu_ok(&["build", "-q", "--data", s(&data), "--store", s(&store)]);
    let before = dump(&store);
    add_copies(&data.join("articles"), 24);
    let out = yushu_within(
        &["build", "-q", "--data", s(&data), "--store", s(&store)],
        LIMIT,
    );
    fails_saying(&out, &["No space left on device", s(disk.path())]);
    assert_eq!(dump(&store), before, "the previous store is intact");
    let left: Vec<_> = std::fs::read_dir(disk.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["store"], "the failed build cleaned up");
}

#[test]
fn a_read_only_store_can_be_read_and_is_not_changed_by_failed_writes() {
    let Some(disk) = Tmpfs::mount("16m") else {
        return;
    };
    let store = disk.path().join("store");
    yushu_ok(&["build", "-q", "--store", s(&store)]);
    let before = dump(&store);
    disk.remount_read_only();
    let out = yushu_within(&["build", "-q", "--store", s(&store)], LIMIT);
    fails_saying(&out, &["Read-only file system", s(disk.path())]);
    let out = yushu_within(&["add", "-q", "--store", s(&store), SEED], LIMIT);
    fails_saying(&out, &["Read-only file system", "store"]);
    assert_eq!(dump(&store), before);
    let csv = yushu_ok(&["query", "--store", s(&store), "-f", "csv", "pairings"]);
    assert_eq!(csv.lines().count(), 7);
}

#[test]
fn a_store_path_nobody_can_create_is_a_clear_error() {
    // Root may write anywhere chmod forbids, but not into /proc.
    for target in ["/proc/yushu-kg-test/store", "/proc/self/status/store"] {
        let out = yushu_within(&["build", "-q", "--store", target], LIMIT);
        fails_saying(&out, &[target.trim_end_matches("/store")]);
    }
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

#[test]
fn a_missing_query_file_is_an_error_naming_it() {
    let store = s(shipped_store()).to_owned();
    for q in ["nosuch.rq", "queries/nosuch.rq", "/nonexistent/q.rq"] {
        let out = yushu_within(&["query", "--store", &store, q], LIMIT);
        fails_saying(&out, &[q, "no such query file"]);
        assert!(out.stdout.is_empty(), "no data on stdout");
    }
}

// ---------------------------------------------------------------------------
// Exports of any labels
// ---------------------------------------------------------------------------

/// Characters that are special somewhere: markup, quoting, separators,
/// control characters, bidirectional marks, XML's non-characters.
const SPECIAL: &[char] = &[
    '"',
    '\'',
    '<',
    '>',
    '&',
    ';',
    ',',
    '\\',
    '\n',
    '\r',
    '\t',
    ' ',
    '\0',
    '\u{1}',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{200b}',
    '\u{200e}',
    '\u{200f}',
    '\u{202e}',
    '\u{2028}',
    '\u{feff}',
    '\u{fffe}',
    '\u{ffff}',
    '\u{d7ff}',
    '\u{e000}',
    '\u{10ffff}',
    '[',
    ']',
    '{',
    '}',
    '=',
    '#',
    '%',
    '-',
    '>',
    '/',
    '西',
    '𠀀',
];

fn label() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    proptest::collection::vec(
        prop_oneof![any::<char>(), proptest::sample::select(SPECIAL)],
        0..10,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// GraphML and GEXF parse as XML, JSON as JSON, CSV as RFC 4180 and
    /// DOT statement by statement, and each gives back every label as
    /// written, less only what its format cannot hold.
    #[test]
    fn every_export_reads_back_whatever_the_labels_hold(
        nodes in proptest::collection::vec(
            (label(), label(), label(), label(), label(), label()),
            0..6,
        ),
        edges in proptest::collection::vec(
            (0usize..6, 0usize..6, label(), proptest::prelude::any::<f64>(), label()),
            0..8,
        ),
    ) {
        let g = roundtrip::graph_of(&nodes, &edges);
        if let Err(e) = roundtrip::check_all(&g) {
            return Err(proptest::test_runner::TestCaseError::fail(e));
        }
    }
}

#[test]
fn the_shipped_store_exports_read_back() {
    let store = yushu_kg::store::Store::open_read_only(shipped_store()).unwrap();
    let g = yushu_kg::export::graph::entity_graph(&store).unwrap();
    assert!(g.node_count() > 40);
    roundtrip::check_all(&g).unwrap();
}

#[cfg(unix)]
#[test]
fn add_refuses_a_fifo_instead_of_hanging_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--data", s(&data), "--store", s(&store)]);
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = add_within(&data, &store, &[&fifo]);
    fails_saying(&out, &["pipe.txt", "not a regular file"]);
}

#[cfg(unix)]
#[test]
fn an_upper_case_extension_is_an_article_and_a_dangling_link_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let articles = data.join("articles");
    let seed = articles.join("000_b429af862e07442e.txt");
    std::fs::rename(&seed, articles.join("000_b429af862e07442e.TXT")).unwrap();
    let store = dir.path().join("store");
    yushu_ok(&["build", "-q", "--data", s(&data), "--store", s(&store)]);
    let count = yushu_ok(&[
        "query",
        "--store",
        s(&store),
        "--format",
        "tsv",
        "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#> \
         SELECT (COUNT(?a) AS ?n) WHERE { ?a a ykg:Article }",
    ]);
    assert_eq!(count.lines().nth(1).map(str::trim), Some("1"), "{count}");

    std::os::unix::fs::symlink(dir.path().join("gone.txt"), articles.join("link.txt")).unwrap();
    let out = yushu_within(
        &["build", "-q", "--data", s(&data), "--store", s(&store)],
        LIMIT,
    );
    fails_saying(&out, &["link.txt", "symbolic link to nothing"]);
}

#[test]
fn a_negative_amount_is_listed_by_explain_skips_not_stored_without_its_sign() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let articles = data.join("articles");
    std::fs::write(
        articles.join("minus.txt"),
        "亏损报道\n\n2023年，北京市安排对口支援资金负5亿元。\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    let out = yushu_within(
        &[
            "build",
            "--explain-skips",
            "--data",
            s(&data),
            "--store",
            s(&store),
        ],
        LIMIT,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("negative figure 负5亿元"), "{err}");
    let amounts = yushu_ok(&[
        "query",
        "--store",
        s(&store),
        "--format",
        "tsv",
        "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#> \
         SELECT (COUNT(?f) AS ?n) WHERE { ?f ykg:amount ?a ; ykg:evidence/ykg:quote ?q \
         FILTER(CONTAINS(?q, \"负5亿元\")) }",
    ]);
    assert_eq!(
        amounts.lines().nth(1).map(str::trim),
        Some("0"),
        "{amounts}"
    );
}
