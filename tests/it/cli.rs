//! The command line as a user meets it: help, errors, exit codes.

use crate::{shipped_store, yushu, yushu_ok};

#[test]
fn help_lists_every_subcommand() {
    let help = yushu_ok(&["--help"]);
    for sub in [
        "build", "add", "remove", "load", "query", "queries", "export", "dump", "explain", "eval",
    ] {
        assert!(help.contains(sub), "{sub} missing from --help");
        let sub_help = yushu_ok(&[sub, "--help"]);
        assert!(sub_help.contains("Example"), "{sub} --help has an example");
    }
}

#[test]
fn named_queries_are_listed_with_descriptions() {
    let out = yushu_ok(&["queries"]);
    assert!(
        out.contains("pairings") && out.contains("district–county pairings"),
        "{out}"
    );
}

#[test]
fn a_query_that_does_not_parse_says_where() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let out = yushu(&["query", "--store", &store, "SELECT * WHERE { ?s ?p }"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1:25"), "line and column: {err}");
}

#[test]
fn a_missing_store_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let out = yushu(&[
        "query",
        "--store",
        dir.path().join("none").to_str().unwrap(),
        "pairings",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no store at") && err.contains("yushu-kg build"),
        "{err}"
    );
}

#[test]
fn an_unknown_query_name_is_an_error() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let out = yushu(&["query", "--store", &store, "nosuchquery"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no query named"));
}

#[test]
fn a_slow_query_is_stopped_by_the_timeout_with_exit_code_3() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let out = yushu(&["query", "--store", &store, "--timeout", "0.5", slow]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("timeout"));
}

#[test]
fn a_sorted_query_is_stopped_by_the_timeout_too() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let slow = crate::slow_sorted_query();
    let started = std::time::Instant::now();
    let out = yushu(&["query", "--store", &store, "--timeout", "0.3", &slow]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The query alone takes seconds (5.9 s measured on the 2-core dev machine).
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "stopped after {:?}",
        started.elapsed()
    );
}

#[test]
fn a_query_over_its_row_budget_stops_with_exit_code_3_and_says_why() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let product = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }";
    let out = yushu(&["query", "--store", &store, "--row-budget", "1000", product]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("more than 1000 rows"), "{stderr}");
    assert!(stderr.contains("--row-budget"), "{stderr}");
    // The same query under the default budget answers.
    let plain = "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?c }";
    let out = yushu(&["query", "--store", &store, "--row-budget", "1000", plain]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_group_concat_over_its_byte_budget_stops_with_exit_code_3_and_says_why() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let all = "SELECT (STRLEN(GROUP_CONCAT(STR(?c))) AS ?n) { ?a ?b ?c FILTER(isLiteral(?c)) }";
    let out = yushu(&["query", "--store", &store, "--concat-budget", "1000", all]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("more than 1000 bytes"), "{stderr}");
    assert!(stderr.contains("--concat-budget"), "{stderr}");
    // Under the default budget the same query answers with the length.
    let out = yushu_ok(&["query", "--store", &store, "-f", "csv", all]);
    let n: u64 = out.lines().nth(1).unwrap().trim().parse().unwrap();
    assert!(n > 1000, "{out}");
}

#[test]
fn limit_and_offset_page_a_listing() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let all = yushu_ok(&["query", "--store", &store, "-f", "csv", "fundings"]);
    let all: Vec<&str> = all.lines().collect();
    assert!(all.len() > 4, "{all:?}");
    let page = yushu_ok(&[
        "query", "--store", &store, "-f", "csv", "--limit", "2", "--offset", "1", "fundings",
    ]);
    let page: Vec<&str> = page.lines().collect();
    assert_eq!(
        page,
        [all[0], all[2], all[3]],
        "the header, then rows 2 and 3"
    );
    // Past the end: the header only.
    let past = yushu_ok(&[
        "query", "--store", &store, "-f", "csv", "--offset", "100000", "fundings",
    ]);
    assert_eq!(past.lines().collect::<Vec<_>>(), [all[0]]);
}

#[test]
fn query_output_formats_are_machine_readable() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let json = yushu_ok(&["query", "--store", &store, "-f", "json", "pairings"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["results"]["bindings"].as_array().unwrap().len(), 6);
    let ttl = yushu_ok(&[
        "query",
        "--store",
        &store,
        "-f",
        "turtle",
        "CONSTRUCT { ?d ?p ?c } WHERE { ?d ?p ?c . FILTER(?p = <https://w3id.org/yushu-kg/ontology#pairedWith>) }",
    ]);
    assert!(ttl.contains("pairedWith"), "{ttl}");
    let bad = yushu(&["query", "--store", &store, "-f", "turtle", "pairings"]);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn build_json_summary_is_machine_readable() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("store");
    let out = yushu_ok(&["build", "-q", "--json", "--store", s.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["articles"], 1);
    assert_eq!(v["facts"]["funding"], 6);
}

#[test]
fn an_unusable_time_limit_is_a_usage_error_not_a_panic() {
    let store = shipped_store().to_str().unwrap().to_owned();
    for limit in ["nan", "inf", "1e20", "-3", "0"] {
        let flag = format!("--timeout={limit}");
        let out = yushu(&["query", "--store", &store, &flag, "ASK {}"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{limit}: {stderr}");
        assert!(stderr.contains("--timeout"), "{limit}: {stderr}");
        assert!(!stderr.contains("panicked"), "{limit}: {stderr}");
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_query_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let store = shipped_store().to_str().unwrap().to_owned();
    for format in ["csv", "json", "tsv"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yushu-kg"))
            .args([
                "query",
                "--store",
                &store,
                "--format",
                format,
                "SELECT * WHERE { ?s ?p ?o }",
            ])
            .current_dir(crate::root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, then close the pipe as `head -1` does.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(!line.is_empty());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn a_deep_or_huge_query_is_refused_with_a_reason_and_never_aborts() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let escaped = format!(
        "PREFIX ex: <http://e/> ASK {{ ?s ?p ex:a\\# . FILTER({}1{}) }}",
        "(".repeat(8000),
        ")".repeat(8000)
    );
    let sums = format!(
        "ASK {{ FILTER({}1{}) }}",
        "1+(".repeat(3000),
        ")".repeat(3000)
    );
    let groups = format!("ASK {{ {} }}", "{?s a ?o} ".repeat(30_000));
    let chain: String = (0..20_000)
        .map(|i| format!("?v{i} ?p ?v{} . ", i + 1))
        .collect();
    let chain = format!("ASK {{ {chain} }}");
    let nots = format!(
        "ASK {{ FILTER({}true{}) }}",
        "!(".repeat(30),
        ")".repeat(30)
    );
    let dir = tempfile::tempdir().unwrap();
    for (what, q) in [
        ("escaped name and deep brackets", &escaped),
        ("deep sums", &sums),
        ("30,000 groups", &groups),
        ("20,000 triple patterns", &chain),
        ("nested negations", &nots),
    ] {
        // From a file: a command line this long is refused by the system.
        let file = dir.path().join("q.rq");
        std::fs::write(&file, q).unwrap();
        let out = yushu(&["query", "--store", &store, file.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        // Brackets alone leave the algebra flat: that one may run.
        assert!(
            out.status.code() == Some(1) || (out.status.success() && what.starts_with("escaped")),
            "{what}: {:?} {err}",
            out.status
        );
        assert!(
            !err.contains("overflow") && !err.contains("panicked"),
            "{what}: {err}"
        );
        if !out.status.success() {
            assert!(err.contains("at most"), "{what}: {err}");
        }
    }
}

#[test]
fn named_queries_work_outside_the_repository() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let elsewhere = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_yushu-kg"))
            .args(args)
            .current_dir(elsewhere.path())
            .output()
            .unwrap()
    };
    let listed = run(&["queries"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(String::from_utf8_lossy(&listed.stdout).contains("pairings"));
    let out = run(&["query", "--store", &store, "--format", "csv", "pairings"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 1);
}
