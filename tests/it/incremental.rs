//! Incremental updates (`add`, `remove`), `load`, and build progress: a
//! store changed article by article must equal the store built from scratch.

use std::path::Path;

use crate::store::copy_dir;
use crate::{root, yushu, yushu_ok};

/// A data directory with the seed article and the dev articles.
pub(crate) fn corpus(dir: &Path, leave_out: &[&str]) -> String {
    let data = dir.join("data");
    copy_dir(&root().join("data/reference"), &data.join("reference"));
    std::fs::create_dir_all(data.join("articles")).unwrap();
    for from in ["tests/fixtures/corpus/seed", "tests/fixtures/corpus/dev"] {
        for e in std::fs::read_dir(root().join(from)).unwrap() {
            let path = e.unwrap().path();
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            if path.extension().is_some_and(|x| x == "txt") && !leave_out.contains(&stem.as_str()) {
                std::fs::copy(&path, data.join("articles").join(path.file_name().unwrap()))
                    .unwrap();
            }
        }
    }
    data.to_str().unwrap().to_owned()
}

fn dump(store: &str) -> String {
    yushu_ok(&["dump", "--store", store])
}

fn count(store: &str, query: &str) -> usize {
    let csv = yushu_ok(&["query", "--store", store, "--format", "csv", query]);
    csv.lines().nth(1).unwrap().trim().parse().unwrap()
}

#[test]
fn removing_an_article_gives_the_store_built_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let all = corpus(&dir.path().join("all"), &[]);
    let part = corpus(&dir.path().join("part"), &["a2"]);
    let (s_all, s_part) = (
        dir.path().join("s_all").to_str().unwrap().to_owned(),
        dir.path().join("s_part").to_str().unwrap().to_owned(),
    );
    yushu_ok(&["build", "-q", "--data", &all, "--store", &s_all]);
    yushu_ok(&["build", "-q", "--data", &part, "--store", &s_part]);
    let full = dump(&s_all);
    yushu_ok(&["remove", "-q", "--store", &s_all, "a2"]);
    assert!(
        dump(&s_all) == dump(&s_part),
        "remove a2 = build without a2"
    );

    // Every article out, then back in one by one: the same bytes as the build.
    for id in ["a1", "a3", "000_b429af862e07442e"] {
        yushu_ok(&["remove", "-q", "--store", &s_all, id]);
    }
    let facts = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/yushu-kg/graph/facts> { ?s ?p ?o } }";
    assert_eq!(count(&s_all, facts), 0, "no article, no facts");
    for id in ["a1", "a2", "a3", "000_b429af862e07442e"] {
        let file = format!("{all}/articles/{id}.txt");
        yushu_ok(&["add", "-q", "--data", &all, "--store", &s_all, &file]);
    }
    assert!(
        dump(&s_all) == full,
        "adding every article back = the build"
    );
}

#[test]
fn a_fact_two_articles_state_loses_one_evidence_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let data = corpus(dir.path(), &["a1", "a2", "a3"]);
    // The same report published twice under another id.
    let seed =
        std::fs::read_to_string(format!("{data}/articles/000_b429af862e07442e.txt")).unwrap();
    let copy = seed.replacen("+++\n", "+++\nid = \"reprint\"\n", 1);
    std::fs::write(format!("{data}/articles/reprint.txt"), copy).unwrap();
    let store = dir.path().join("store").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &store]);

    let evidence = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
        SELECT (COUNT(?e) AS ?n) WHERE { ?f a ykg:Funding ; ykg:amount ?a ; ykg:evidence ?e FILTER(?a = 434000000) }";
    let fundings = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
        SELECT (COUNT(*) AS ?n) WHERE { ?f a ykg:Funding }";
    let before = count(&store, fundings);
    assert!(before > 0);
    assert_eq!(count(&store, evidence), 2, "one sentence in each article");

    yushu_ok(&["remove", "-q", "--store", &store, "reprint"]);
    assert_eq!(
        count(&store, evidence),
        1,
        "the other article's evidence stays"
    );
    assert_eq!(count(&store, fundings), before, "the facts stay");

    yushu_ok(&["remove", "-q", "--store", &store, "000_b429af862e07442e"]);
    assert_eq!(count(&store, fundings), 0, "no evidence left, no fact");
}

#[test]
fn removing_an_id_the_store_does_not_hold_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = corpus(dir.path(), &["a2", "a3"]);
    let store = dir.path().join("store").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &store]);
    let before = dump(&store);
    let out = yushu(&["remove", "--store", &store, "a1", "no-such-article"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-article"), "{err}");
    assert_eq!(dump(&store), before, "a1 was not removed either");
}

#[test]
fn a_dump_loads_back_into_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = corpus(dir.path(), &["a3"]);
    let store = dir.path().join("store").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &store]);
    let nq = dir.path().join("dump.nq");
    std::fs::write(&nq, dump(&store)).unwrap();
    let copy = dir.path().join("copy").to_str().unwrap().to_owned();
    yushu_ok(&["load", "-q", "--store", &copy, nq.to_str().unwrap()]);
    assert!(
        dump(&copy) == dump(&store),
        "the loaded dump dumps the same"
    );

    // A syntax error names the line; the store that was there stays.
    let bad = dir.path().join("bad.nq");
    std::fs::write(
        &bad,
        "<http://a> <http://b> <http://c> .\n<http://a> <http://b> \"x .\n",
    )
    .unwrap();
    let out = yushu(&["load", "--store", &copy, bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2") || err.contains(":2:"), "{err}");
    assert!(
        dump(&copy) == dump(&store),
        "the failed load changed nothing"
    );
}

#[test]
fn build_progress_off_a_terminal_is_one_parseable_line_per_step() {
    let dir = tempfile::tempdir().unwrap();
    let data = corpus(dir.path(), &[]);
    let store = dir.path().join("store").to_str().unwrap().to_owned();
    let out = yushu(&["build", "--data", &data, "--store", &store]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("progress ")).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("stage=\"converting articles\"")),
        "{err}"
    );
    let last = lines
        .iter()
        .rev()
        .find(|l| l.contains("articles="))
        .expect("an articles line");
    let field = |k: &str| -> String {
        last.split(' ')
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_owned()
    };
    assert_eq!(field("articles"), "4");
    assert_eq!(field("total"), "4");
    assert!(field("elapsed").parse::<f64>().is_ok());
    assert!(
        !err.contains('\r') && !err.contains('\x1b'),
        "no terminal codes in a log"
    );

    let quiet = yushu(&["build", "-q", "--data", &data, "--store", &store]);
    assert!(quiet.stderr.is_empty(), "--quiet says nothing");
}

/// A data directory with the reference data and these articles, each
/// `(id, date, text)` under a headline line.
fn articles(dir: &Path, articles: &[(&str, &str, &str)]) -> String {
    let data = dir.join("data");
    copy_dir(&root().join("data/reference"), &data.join("reference"));
    std::fs::create_dir_all(data.join("articles")).unwrap();
    for (id, date, text) in articles {
        std::fs::write(
            data.join("articles").join(format!("{id}.txt")),
            format!("+++\ntitle = \"{id}\"\ndate = \"{date}\"\n+++\n对口支援简讯\n{text}\n"),
        )
        .unwrap();
    }
    data.to_str().unwrap().to_owned()
}

/// Two stores under `dir`: one built from the articles `gone` and `kept`,
/// one from `kept` alone; (the data directory of both, the store of both,
/// the store of `kept` alone).
fn built_with_and_without(
    dir: &Path,
    gone: (&str, &str, &str),
    kept: (&str, &str, &str),
) -> (String, String, String) {
    let both = articles(&dir.join("both"), &[gone, kept]);
    let only = articles(&dir.join("only"), &[kept]);
    let (s_both, s_only) = (
        dir.join("s_both").to_str().unwrap().to_owned(),
        dir.join("s_only").to_str().unwrap().to_owned(),
    );
    yushu_ok(&["build", "-q", "--data", &both, "--store", &s_both]);
    yushu_ok(&["build", "-q", "--data", &only, "--store", &s_only]);
    (both, s_both, s_only)
}

/// Our own text: one event, named by two reports; the first dates it, the
/// second (a later report) names it again with no date of its own.
const DATED: &str =
    "2024年3月15日，北京—玉树合作交流推介会在北京举行，北京市东城区与玉树州治多县签约项目12个。";
const UNDATED: &str = "在北京—玉树合作交流推介会上，东城区与治多县签约的项目已有5个落地。";

#[test]
fn a_shared_event_keeps_only_the_dates_its_remaining_articles_give() {
    let dir = tempfile::tempdir().unwrap();
    let (both, s_both, s_only) = built_with_and_without(
        dir.path(),
        ("dated", "2024-03-20", DATED),
        ("undated", "2024-05-05", UNDATED),
    );
    let dates = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
        SELECT (COUNT(*) AS ?n) WHERE { ?e a ykg:Event ; ykg:date ?d ; ykg:year ?y }";
    let events = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ykg:Event ; ykg:evidence ?ev }";
    // The fixture does what it says: one event, both articles name it, the
    // first dates it.
    assert_eq!(count(&s_both, events), 1, "{}", dump(&s_both));
    assert_eq!(count(&s_only, events), 1, "{}", dump(&s_only));
    assert_eq!(count(&s_both, dates), 1, "the dated report dates it");
    assert_eq!(count(&s_only, dates), 0, "the other report alone does not");

    yushu_ok(&["remove", "-q", "--store", &s_both, "dated"]);
    assert_eq!(count(&s_both, dates), 0, "the date went with its article");
    assert!(
        dump(&s_both) == dump(&s_only),
        "remove = the build without it"
    );

    // Back in with `add`, and replaced by a version that dates it otherwise:
    // each time the store a fresh build of the same articles gives.
    let file = format!("{both}/articles/dated.txt");
    yushu_ok(&["add", "-q", "--data", &both, "--store", &s_both, &file]);
    let fresh = dir.path().join("fresh").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &both, "--store", &fresh]);
    assert!(dump(&s_both) == dump(&fresh), "add = the build with it");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("3月15日", "3月16日")).unwrap();
    yushu_ok(&["add", "-q", "--data", &both, "--store", &s_both, &file]);
    yushu_ok(&["build", "-q", "--data", &both, "--store", &fresh]);
    assert!(
        dump(&s_both) == dump(&fresh),
        "replacing the article = the build with the new text"
    );
}

/// Two reports of one hospital: the first gives it a short form, the second
/// only its full name.
const SHORT_FORM: &str = "2023年，浙江大学医学院附属第二医院派出专家赴阿克苏。浙大二院麻醉科副教授林涛来到阿克苏地区第一人民医院。";
const FULL_NAME: &str = "浙江大学医学院附属第二医院与阿克苏地区第一人民医院签订合作协议。";

#[test]
fn a_name_goes_with_the_last_article_that_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (both, s_both, s_only) = built_with_and_without(
        dir.path(),
        ("short", "2023-06-01", SHORT_FORM),
        ("full", "2023-07-01", FULL_NAME),
    );
    let short = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT (COUNT(*) AS ?n) WHERE { ?h skos:altLabel \"浙大二院\"@zh }";
    let mentioned = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?h rdfs:label \"浙江大学医学院附属第二医院\"@zh ; ykg:mentionedIn ?a }";
    // The fixture does what it says: both name the hospital, one writes
    // the short form.
    assert_eq!(count(&s_both, mentioned), 2, "{}", dump(&s_both));
    assert_eq!(count(&s_both, short), 1, "{}", dump(&s_both));
    assert_eq!(count(&s_only, short), 0, "{}", dump(&s_only));

    yushu_ok(&["remove", "-q", "--store", &s_both, "short"]);
    assert_eq!(
        count(&s_both, short),
        0,
        "the short form went with its article"
    );
    assert!(
        dump(&s_both) == dump(&s_only),
        "remove = the build without it"
    );
    let file = format!("{both}/articles/short.txt");
    yushu_ok(&["add", "-q", "--data", &both, "--store", &s_both, &file]);
    let fresh = dir.path().join("fresh").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &both, "--store", &fresh]);
    assert!(dump(&s_both) == dump(&fresh), "add = the build with it");
}
