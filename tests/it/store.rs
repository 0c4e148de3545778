//! The shipped data built into a store: every named query answers, the
//! export parses back, builds are atomic and deterministic.

use std::collections::BTreeSet;
use std::path::Path;

use crate::{query_rows, root, shipped_store, yushu, yushu_ok};

fn column(rows: &[Vec<String>], i: usize) -> Vec<String> {
    rows.iter().map(|r| r[i].clone()).collect()
}

#[test]
fn every_named_query_runs() {
    let named: Vec<_> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    assert!(named.len() >= 10, "the named queries ship");
    for q in named {
        let name = q.file_stem().unwrap().to_str().unwrap().to_owned();
        let rows = query_rows(&name);
        assert!(
            !rows.is_empty(),
            "query {name} returns rows on the shipped data"
        );
    }
}

#[test]
fn pairings_come_from_the_published_list() {
    let rows = query_rows("pairings");
    let pairs: BTreeSet<(String, String)> =
        rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    for (d, c) in [
        ("密云区", "玉树市"),
        ("昌平区", "曲麻莱县"),
        ("石景山区", "称多县"),
        ("西城区", "囊谦县"),
        ("丰台区", "治多县"),
        ("怀柔区", "杂多县"),
    ] {
        assert!(
            pairs.contains(&(d.to_owned(), c.to_owned())),
            "{d}—{c} missing: {pairs:?}"
        );
    }
    assert!(
        column(&rows, 2)
            .iter()
            .all(|s| s == "https://fgw.beijing.gov.cn/fzggzl/zyhz/gzdt/yq")
    );
}

#[test]
fn the_six_fundings_have_amount_year_sector_and_projects() {
    let rows = query_rows("fundings");
    let got: BTreeSet<(String, String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[2].clone(),
                r[3].clone(),
                r[4].clone(),
                r[5].clone(),
                r[6].clone(),
            )
        })
        .collect();
    let want = [
        ("6000000000", "", "total", "", "approx"),
        ("20000000", "2024", "medical", "", ""),
        ("149000000", "2024", "education", "", ""),
        ("434000000", "2024", "total", "43", ""),
        ("71000000", "2024", "industry", "11", ""),
        ("13200000", "", "talent", "5", ""),
    ];
    let want: BTreeSet<_> = want
        .iter()
        .map(|(a, y, s, p, q)| {
            (
                a.to_string(),
                y.to_string(),
                s.to_string(),
                p.to_string(),
                q.to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    let funders: BTreeSet<String> = column(&rows, 0).into_iter().collect();
    assert!(funders.contains("北京市"));
    assert!(funders.contains("北京市对口支援和经济合作工作领导小组青海玉树指挥部"));
}

#[test]
fn money_that_is_not_allocated_is_an_observation_in_yuan() {
    let rows = query_rows("figures");
    let yuan: BTreeSet<String> = rows
        .iter()
        .filter(|r| r[3] == "yuan")
        .map(|r| r[2].clone())
        .collect();
    assert!(
        yuan.contains("2600000000") && yuan.contains("200000"),
        "{yuan:?}"
    );
    let fundings = column(&query_rows("fundings"), 2);
    assert!(
        !fundings.contains(&"2600000000".to_owned()) && !fundings.contains(&"200000".to_owned())
    );
}

#[test]
fn sums_by_year_and_sector_count_each_funding_once() {
    let total: u64 = column(&query_rows("funding-by-year-and-sector"), 2)
        .iter()
        .map(|v| v.parse::<u64>().unwrap())
        .sum();
    let each: u64 = column(&query_rows("fundings"), 2)
        .iter()
        .map(|v| v.parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, each);
    assert_eq!(
        each,
        6_000_000_000 + 20_000_000 + 149_000_000 + 434_000_000 + 71_000_000 + 13_200_000
    );
}

#[test]
fn who_supports_whom_as_the_article_says() {
    let hospitals = query_rows("hospitals");
    let has = |rows: &[Vec<String>], a: &str, b: &str| rows.iter().any(|r| r[0] == a && r[1] == b);
    assert!(has(&hospitals, "囊谦县医院", "西城区"), "{hospitals:?}");
    assert!(
        has(&hospitals, "玉树市人民医院", "北京市密云区医院"),
        "{hospitals:?}"
    );
    let schools = query_rows("schools");
    assert!(
        schools
            .iter()
            .any(|r| r[0] == "治多县农牧民实训基地" && r[1] == "supported by" && r[2] == "丰台区"),
        "{schools:?}"
    );
}

#[test]
fn people_have_role_and_organisation() {
    let rows = query_rows("people");
    let has = |p: &str, role: &str, org: &str| {
        rows.iter()
            .any(|r| r[0] == p && r[1] == role && r[2] == org)
    };
    assert!(has("布尼玛", "党委书记", "玉树市人民医院"));
    assert!(has(
        "马超鹰",
        "党委委员",
        "北京市对口支援和经济合作工作领导小组青海玉树指挥部"
    ));
    assert!(has(
        "马超鹰",
        "副指挥",
        "北京市对口支援和经济合作工作领导小组青海玉树指挥部"
    ));
    assert!(has("昂文才仁", "局长", "玉树州文体旅游广电局"));
}

#[test]
fn events_are_dated_against_the_article() {
    let rows = query_rows("events");
    assert!(
        rows.iter()
            .any(|r| r[0] == "北京—玉树合作交流推介会" && r[1] == "2024-03"),
        "{rows:?}"
    );
}

#[test]
fn every_quote_is_its_span_of_the_article_text() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let q = "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
             SELECT (COUNT(*) AS ?n) (SUM(IF(?quote = SUBSTR(?text, ?start + 1, ?end - ?start), 1, 0)) AS ?ok) WHERE {
               ?ev a ykg:Evidence ; ykg:quote ?quote ; ykg:start ?start ; ykg:end ?end ; ykg:source ?a . ?a ykg:text ?text }";
    let csv = yushu_ok(&["query", "--store", &store, "--format", "csv", q]);
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert!(
        row[0].parse::<u32>().unwrap() > 30,
        "evidence exists: {csv}"
    );
    assert_eq!(row[0], row[1].trim(), "every quote equals its span");
}

#[test]
fn evidence_query_traces_a_funding_to_its_sentence() {
    let rows = query_rows("evidence");
    assert!(
        rows.iter().any(|r| r[1].ends_with("#amount")
            && r[2] == "149000000"
            && r[6] == "在教育帮扶上,安排资金1.49亿元"),
        "no evidence row for the education funding"
    );
    assert!(
        rows.iter()
            .any(|r| r[1].ends_with("#supports") && r[0].ends_with("area/xicheng"))
    );
}

fn graphml_counts(xml: &str) -> (usize, usize, Vec<String>) {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(xml);
    let (mut nodes, mut edges, mut labels) = (0, 0, Vec::new());
    let mut in_label = false;
    let mut seen_graph = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"node" => nodes += 1,
                b"edge" => edges += 1,
                b"graph" => seen_graph = true,
                b"key" => assert!(!seen_graph, "keys are declared before <graph>"),
                b"data" => {
                    in_label = e.attributes().any(|a| {
                        a.is_ok_and(|a| a.key.as_ref() == b"key" && a.value.as_ref() == b"label")
                    });
                }
                _ => {}
            },
            Event::Text(t) if in_label => {
                labels.push(t.decode().unwrap().into_owned());
                in_label = false;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (nodes, edges, labels)
}

#[test]
fn graphml_export_parses_back_with_labels() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.graphml");
    let store = shipped_store().to_str().unwrap().to_owned();
    yushu_ok(&[
        "export",
        "--store",
        &store,
        "--format",
        "graphml",
        "-o",
        out.to_str().unwrap(),
    ]);
    let xml = std::fs::read_to_string(&out).unwrap();
    let (nodes, edges, labels) = graphml_counts(&xml);
    let entities = query_rows(
        "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#> SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t . VALUES ?t { ykg:Municipality ykg:Province ykg:Prefecture ykg:District ykg:County ykg:Hospital ykg:School ykg:Company ykg:GovernmentBody ykg:Organization ykg:Program ykg:Person ykg:Event } FILTER(EXISTS { ?e ykg:mentionedIn ?a } || ?t IN (ykg:Municipality, ykg:Province, ykg:Prefecture, ykg:District, ykg:County)) }",
    );
    assert_eq!(nodes.to_string(), entities[0][0]);
    assert!(edges > 40, "relations and fundings become edges: {edges}");
    assert_eq!(labels.len(), nodes, "every node has a label");
    assert!(labels.iter().all(|l| !l.is_empty()));
    assert!(labels.contains(&"西城区".to_owned()) && labels.contains(&"玉树市人民医院".to_owned()));
    assert!(xml.contains("<data key=\"edge_label\">funding</data>"));
    assert!(
        xml.contains("<data key=\"label_pinyin\">Xī chéng qū</data>"),
        "pinyin labels for readers of Latin script"
    );
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
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

#[test]
fn failed_build_leaves_the_previous_store_intact() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&root().join("data"), &data);
    let store = dir.path().join("store");
    let (d, s) = (data.to_str().unwrap(), store.to_str().unwrap());
    yushu_ok(&["build", "-q", "--data", d, "--store", s]);
    let before = yushu_ok(&["dump", "--store", s]);

    std::fs::write(
        data.join("articles/broken.txt"),
        b"\xe5\x8c\x97\xff bad bytes",
    )
    .unwrap();
    let out = yushu(&["build", "-q", "--data", d, "--store", s]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.txt:1:2: not UTF-8"), "{err}");

    assert_eq!(
        yushu_ok(&["dump", "--store", s]),
        before,
        "the old store is unchanged"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no staging directory left behind: {leftovers:?}"
    );
}

#[test]
fn two_builds_of_the_same_input_dump_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    yushu_ok(&["build", "-q", "--store", a.to_str().unwrap()]);
    yushu_ok(&["build", "-q", "--store", b.to_str().unwrap()]);
    let (da, db) = (
        yushu_ok(&["dump", "--store", a.to_str().unwrap()]),
        yushu_ok(&["dump", "--store", b.to_str().unwrap()]),
    );
    assert!(da.lines().count() > 1000);
    assert_eq!(da, db);
}

#[test]
fn adding_an_article_again_changes_nothing_and_a_new_one_adds_its_graph() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let s = store.to_str().unwrap();
    yushu_ok(&["build", "-q", "--store", s]);
    let before = yushu_ok(&["dump", "--store", s]);
    yushu_ok(&[
        "add",
        "-q",
        "--store",
        s,
        "data/articles/000_b429af862e07442e.txt",
    ]);
    assert_eq!(yushu_ok(&["dump", "--store", s]), before);

    let a3 = root().join("tests/fixtures/corpus/dev/a3.txt");
    yushu_ok(&["add", "-q", "--store", s, a3.to_str().unwrap()]);
    let pairings = yushu_ok(&["query", "--store", s, "-f", "csv", "pairings"]);
    assert!(
        pairings.contains("https://w3id.org/yushu-kg/id/article/a3"),
        "{pairings}"
    );
}

#[test]
fn explain_shows_facts_with_their_sentence() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let out = yushu_ok(&["explain", "--store", &store, "西城区"]);
    assert!(out.contains("囊谦县医院"), "{out}");
    assert!(out.contains("⟦"), "the quote is marked: {out}");
    assert!(
        out.contains("https://fgw.beijing.gov.cn/"),
        "reference facts name their source: {out}"
    );
}

#[test]
fn a_curation_quote_that_is_not_in_the_article_fails_the_build_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&root().join("data"), &data);
    std::fs::write(
        data.join("curation.toml"),
        "[[add]]\narticle = \"000_b429af862e07442e\"\nsubject = \"西城区\"\npredicate = \"supports\"\nobject = \"囊谦县\"\nquote = \"这句话不在文章里\"\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    let out = yushu(&[
        "build",
        "-q",
        "--data",
        data.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("curation.toml:6:9: the quote does not occur"),
        "{err}"
    );
    assert!(!store.exists(), "nothing was written");
}

#[test]
fn the_shipped_curation_rejects_its_relation() {
    let rows = query_rows("programs");
    assert!(
        rows.iter()
            .any(|r| r[0] == "“组团式”帮扶" && r[1] == "participatesIn"),
        "{rows:?}"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r[0] == "“组团式”帮扶" && r[1] == "supports" && r[2] == "北京市"),
        "{rows:?}"
    );
}

#[test]
fn replacing_an_article_drops_the_facts_it_no_longer_states() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let s = store.to_str().unwrap();
    yushu_ok(&["build", "-q", "--store", s]);
    let amounts = |s: &str| {
        column(
            &crate::split_rows(&yushu_ok(&["query", "--store", s, "-f", "csv", "fundings"])),
            2,
        )
    };
    assert!(amounts(s).contains(&"149000000".to_owned()));

    // The same article (same id) without its education sentence.
    let text =
        std::fs::read_to_string(root().join("data/articles/000_b429af862e07442e.txt")).unwrap();
    let edited: String = text
        .lines()
        .filter(|l| !l.starts_with("在教育帮扶上"))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = dir.path().join("000_b429af862e07442e.txt");
    std::fs::write(&file, edited).unwrap();
    yushu_ok(&["add", "-q", "--store", s, file.to_str().unwrap()]);
    let after = amounts(s);
    assert!(!after.contains(&"149000000".to_owned()), "{after:?}");
    assert!(
        after.contains(&"20000000".to_owned()),
        "the other fundings stay: {after:?}"
    );
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_store() {
    let dir = tempfile::tempdir().unwrap();
    // A bigger data set, so the build takes long enough to be killed midway.
    let data = dir.path().join("data");
    copy_dir(&root().join("data"), &data);
    let seed = std::fs::read_to_string(data.join("articles/000_b429af862e07442e.txt")).unwrap();
    for i in 0..20 {
        let copy = seed.replacen("+++\n", &format!("+++\nid = \"copy-{i}\"\n"), 1);
        std::fs::write(data.join(format!("articles/copy-{i}.txt")), copy).unwrap();
    }
    let (d, store) = (data.to_str().unwrap(), dir.path().join("store"));
    let s = store.to_str().unwrap();
    yushu_ok(&["build", "-q", "--store", s]);
    let old = yushu_ok(&["dump", "--store", s]);
    let reference = dir.path().join("reference-store");
    yushu_ok(&[
        "build",
        "-q",
        "--data",
        d,
        "--store",
        reference.to_str().unwrap(),
    ]);
    let new = yushu_ok(&["dump", "--store", reference.to_str().unwrap()]);

    for delay_ms in [20, 100, 250, 500, 800] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_yushu-kg"))
            .args(["build", "-q", "--data", d, "--store", s])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let now = yushu_ok(&["dump", "--store", s]);
        assert!(
            now == old || now == new,
            "after a kill at {delay_ms} ms the store is neither the old nor the new one"
        );
    }
    yushu_ok(&["build", "-q", "--data", d, "--store", s]);
    assert_eq!(
        yushu_ok(&["dump", "--store", s]),
        new,
        "the next build succeeds"
    );
}

#[test]
fn a_store_path_that_cannot_be_created_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-directory");
    std::fs::write(&file, "x").unwrap();
    let out = yushu(&[
        "build",
        "-q",
        "--store",
        file.join("store").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not-a-directory"), "names the path: {err}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "x",
        "nothing was changed"
    );
}

#[test]
fn every_export_format_parses_back_with_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let store = shipped_store().to_str().unwrap().to_owned();
    let json = yushu_ok(&["export", "--store", &store, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (nodes, links) = (
        v["nodes"].as_array().unwrap().len(),
        v["links"].as_array().unwrap().len(),
    );
    assert!(nodes > 40 && links > 40, "{nodes} nodes, {links} links");
    assert!(
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["label"] == "西城区" && n["label_pinyin"] == "Xī chéng qū")
    );

    let graphml = yushu_ok(&["export", "--store", &store, "--format", "graphml"]);
    let (gn, ge, _) = graphml_counts(&graphml);
    assert_eq!((gn, ge), (nodes, links));
    for key in [
        "\"r\"",
        "\"g\"",
        "\"b\"",
        "\"size\"",
        "\"pagerank\"",
        "\"betweenness\"",
    ] {
        assert!(
            graphml.contains(&format!("<key id={key}")),
            "GraphML declares {key}"
        );
    }

    let gexf = yushu_ok(&["export", "--store", &store, "--format", "gexf"]);
    assert_eq!(gexf.matches("<node ").count(), nodes);
    assert_eq!(gexf.matches("<edge ").count(), links);
    assert!(gexf.contains("viz:color") && gexf.contains("label=\"西城区\""));
    assert!(
        gexf.contains("mode=\"dynamic\" timeformat=\"date\""),
        "a timeline for Gephi"
    );
    assert!(
        gexf.contains("label=\"北京—玉树合作交流推介会\" start=\"2024-03-01\""),
        "events start at their date"
    );

    let dot = yushu_ok(&["export", "--store", &store, "--format", "dot"]);
    assert!(dot.starts_with("digraph") && dot.matches(" -> ").count() == links);

    let prefix = dir.path().join("net");
    yushu_ok(&[
        "export",
        "--store",
        &store,
        "--format",
        "csv",
        "-o",
        prefix.to_str().unwrap(),
    ]);
    let node_csv = std::fs::read_to_string(dir.path().join("net.nodes.csv")).unwrap();
    let edge_csv = std::fs::read_to_string(dir.path().join("net.edges.csv")).unwrap();
    let read = |text: &str| {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        (header, rows)
    };
    let (header, rows) = read(&node_csv);
    assert_eq!((&header[0], &header[1]), ("Id", "Label"));
    assert_eq!(rows.len(), nodes);
    assert!(rows.iter().any(|r| &r[1] == "西城区"));
    let (header, rows) = read(&edge_csv);
    assert_eq!(&header[0], "Source");
    assert_eq!(rows.len(), links);

    let stdout_csv = yushu(&["export", "--store", &store, "--format", "csv"]);
    assert_eq!(
        stdout_csv.status.code(),
        Some(1),
        "csv needs a prefix for its two files"
    );
}

#[test]
fn stats_lists_the_most_central_entities() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let v: serde_json::Value = serde_json::from_str(&yushu_ok(&[
        "stats", "--store", &store, "--json", "--top", "3",
    ]))
    .unwrap();
    assert_eq!(v["central"].as_array().unwrap().len(), 3);
    let central = v["central"].as_array().unwrap();
    let ranks: Vec<f64> = central
        .iter()
        .map(|c| c["pagerank"].as_f64().unwrap())
        .collect();
    assert!(
        ranks.windows(2).all(|w| w[0] >= w[1]),
        "sorted by PageRank: {ranks:?}"
    );
    assert!(
        central.iter().any(|c| c["label"] == "玉树藏族自治州"),
        "the assisted prefecture is central"
    );
    assert!(!v["components"].as_array().unwrap().is_empty());
}

#[test]
fn exports_can_keep_some_classes_or_a_construct_result() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let json = yushu_ok(&[
        "export",
        "--store",
        &store,
        "--format",
        "json",
        "--types",
        "Hospital,District",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kinds: BTreeSet<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["District", "Hospital"]));

    let json = yushu_ok(&[
        "export",
        "--store",
        &store,
        "--format",
        "json",
        "--construct",
        "examples/funding-network.rq",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let labels: BTreeSet<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        BTreeSet::from([
            "北京市",
            "北京市对口支援和经济合作工作领导小组青海玉树指挥部",
            "玉树藏族自治州"
        ])
    );
    assert!(
        v["links"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["label"] == "funds")
    );

    let out = yushu(&["export", "--store", &store, "--construct", "pairings"]);
    assert_eq!(out.status.code(), Some(1), "a SELECT query is not a graph");
}

#[test]
fn fundings_can_be_nodes_of_their_own() {
    let store = shipped_store().to_str().unwrap().to_owned();
    let json = yushu_ok(&[
        "export",
        "--store",
        &store,
        "--format",
        "json",
        "--funding",
        "nodes",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let fundings: Vec<&serde_json::Value> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "Funding")
        .collect();
    assert_eq!(fundings.len(), 6);
    let links = v["links"].as_array().unwrap();
    assert_eq!(links.iter().filter(|l| l["label"] == "funds").count(), 6);
    assert_eq!(links.iter().filter(|l| l["label"] == "receives").count(), 6);
    assert!(
        !links.iter().any(|l| l["label"] == "funding"),
        "not also collapsed into edges"
    );
}
