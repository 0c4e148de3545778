//! Extraction quality against the gold annotations in tests/fixtures/corpus:
//! a floor per article and kind that fails the tests when the rules get
//! worse. The floors are today's measured F1 (rounded down), not targets;
//! raise them as the rules improve. `yushu-kg eval -v …` shows the misses.

use yushu_kg::eval::{Evaluation, evaluate};
use yushu_kg::extract::Extractor;
use yushu_kg::source::reference::Reference;

use crate::root;

fn evaluation(gold: &str) -> Evaluation {
    let reference = Reference::read(&root().join("data/reference")).unwrap();
    let extractor = Extractor::new(&reference);
    evaluate(&extractor, &root().join("tests/fixtures/corpus").join(gold)).unwrap()
}

fn check(gold: &str, floors: &[(&str, f64)], attribute_floor: f64) {
    let e = evaluation(gold);
    let mut failures = Vec::new();
    for (kind, floor) in floors {
        let f1 = e.scores[*kind].f1();
        // A floor is a measured F1 rounded down; allow for the rounding of the sum.
        if f1 + 1e-9 < *floor {
            failures.push(format!("{kind}: F1 {f1:.2} < floor {floor:.2}"));
        }
    }
    for (attr, (ok, n)) in &e.attributes {
        let share = if *n == 0 { 1.0 } else { *ok as f64 / *n as f64 };
        if share + 1e-9 < attribute_floor {
            failures.push(format!(
                "funding.{attr}: {share:.2} < floor {attribute_floor:.2}"
            ));
        }
    }
    assert!(failures.is_empty(), "{gold}: {}", failures.join("; "));
}

#[test]
fn seed_article_quality() {
    check(
        "seed/000_b429af862e07442e.gold.json",
        &[
            ("entities", 0.95),
            ("fundings", 1.0),
            ("observations", 0.95),
            ("relations", 0.90),
            ("persons", 0.95),
            ("events", 0.95),
        ],
        0.95,
    );
}

#[test]
fn dev_a1_quality() {
    check(
        "dev/a1.gold.json",
        &[
            ("entities", 0.95),
            ("pairings", 1.0),
            ("fundings", 1.0),
            ("observations", 0.80),
            ("relations", 0.80),
            ("persons", 0.95),
            ("events", 0.95),
        ],
        0.95,
    );
}

#[test]
fn dev_a2_quality() {
    check(
        "dev/a2.gold.json",
        &[
            ("entities", 0.95),
            ("fundings", 1.0),
            ("observations", 0.80),
            ("relations", 0.95),
            ("persons", 0.95),
        ],
        1.0,
    );
}

#[test]
fn dev_a3_quality() {
    check(
        "dev/a3.gold.json",
        &[
            ("entities", 0.95),
            ("pairings", 1.0),
            ("fundings", 1.0),
            ("observations", 0.95),
            ("relations", 0.90),
            ("persons", 0.95),
        ],
        1.0,
    );
}

/// dev2 (another hand, a wider genre): floors at the level the rules reach,
/// per article and kind. d01, d05 and d12 were held back while the rules
/// were written (their floors guard them all the same). A kind the rules
/// do not read at all in an article has no floor there.
/// An article, its floors by kind, and the floor of the funding attributes.
type Floors = (&'static str, &'static [(&'static str, f64)], f64);

const DEV2_FLOORS: &[Floors] = &[
    (
        "d01",
        &[
            ("entities", 0.90),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.47),
            ("relations", 0.92),
            ("persons", 1.00),
        ],
        0.50,
    ),
    (
        "d02",
        &[
            ("entities", 0.96),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.66),
            ("relations", 0.82),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.66,
    ),
    (
        "d03",
        &[
            ("entities", 0.96),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.78),
            ("relations", 0.69),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        1.00,
    ),
    (
        "d04",
        &[
            ("entities", 0.94),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.72),
            ("relations", 0.82),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.00,
    ),
    (
        "d05",
        &[
            ("entities", 0.96),
            ("pairings", 1.00),
            ("fundings", 0.88),
            ("observations", 0.76),
            ("relations", 0.83),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.87,
    ),
    (
        "d06",
        &[
            ("entities", 0.95),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 1.00),
            ("relations", 0.57),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.75,
    ),
    (
        "d07",
        &[
            ("entities", 0.95),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.41),
            ("relations", 0.88),
            ("persons", 0.85),
            ("events", 1.00),
        ],
        1.00,
    ),
    (
        "d08",
        &[
            ("entities", 0.91),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.84),
            ("relations", 0.66),
            ("persons", 0.90),
            ("events", 1.00),
        ],
        0.77,
    ),
    (
        "d09",
        &[
            ("entities", 0.97),
            ("pairings", 0.72),
            ("fundings", 0.66),
            ("observations", 0.82),
            ("relations", 0.82),
            ("persons", 0.90),
            ("events", 1.00),
        ],
        0.66,
    ),
    (
        "d10",
        &[
            ("entities", 1.00),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.62),
            ("relations", 0.28),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.00,
    ),
    (
        "d11",
        &[
            ("entities", 0.87),
            ("pairings", 1.00),
            ("fundings", 0.80),
            ("observations", 0.77),
            ("relations", 0.40),
            ("persons", 0.66),
            ("events", 1.00),
        ],
        0.33,
    ),
    (
        "d12",
        &[
            ("entities", 0.93),
            ("pairings", 1.00),
            ("fundings", 0.77),
            ("observations", 0.60),
            ("relations", 0.66),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.57,
    ),
];

const DEV3_FLOORS: &[Floors] = &[
    (
        "d3-01",
        &[
            ("entities", 1.00),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.71),
            ("relations", 0.87),
            ("persons", 1.00),
        ],
        0.50,
    ),
    (
        "d3-02",
        &[
            ("entities", 0.97),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.50),
            ("relations", 0.66),
            ("persons", 0.94),
            ("events", 0.80),
        ],
        1.00,
    ),
    (
        "d3-03",
        &[
            ("entities", 0.92),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.75),
            ("relations", 0.60),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.71,
    ),
    (
        "d3-04",
        &[
            ("entities", 0.77),
            ("pairings", 1.00),
            ("observations", 0.71),
            ("relations", 0.46),
            ("persons", 0.57),
            ("events", 1.00),
        ],
        1.00,
    ),
    (
        "d3-05",
        &[
            ("entities", 0.94),
            ("pairings", 1.00),
            ("fundings", 0.83),
            ("observations", 0.85),
            ("relations", 0.60),
            ("persons", 0.76),
            ("events", 1.00),
        ],
        0.60,
    ),
    (
        "d3-06",
        &[
            ("entities", 0.72),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.57),
            ("relations", 0.36),
            ("persons", 0.44),
            ("events", 1.00),
        ],
        0.00,
    ),
];

const DEV4_FLOORS: &[Floors] = &[
    (
        "d4-01",
        &[
            ("entities", 0.96),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 1.00),
            ("relations", 0.36),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.57,
    ),
    (
        "d4-02",
        &[
            ("entities", 0.85),
            ("pairings", 1.00),
            ("fundings", 0.85),
            ("observations", 0.60),
            ("relations", 0.30),
            ("persons", 0.40),
        ],
        0.66,
    ),
    (
        "d4-03",
        &[
            ("entities", 0.95),
            ("pairings", 1.00),
            ("fundings", 0.60),
            ("observations", 0.83),
            ("persons", 1.00),
            ("events", 1.00),
        ],
        0.33,
    ),
    (
        "d4-04",
        &[
            ("entities", 0.73),
            ("pairings", 1.00),
            ("fundings", 1.00),
            ("observations", 0.76),
            ("relations", 0.47),
            ("persons", 0.16),
            ("events", 0.50),
        ],
        1.00,
    ),
    (
        "d4-05",
        &[
            ("entities", 0.83),
            ("pairings", 1.00),
            ("fundings", 0.57),
            ("observations", 0.70),
            ("relations", 0.37),
            ("persons", 1.00),
            ("events", 0.66),
        ],
        0.50,
    ),
    (
        "d4-06",
        &[
            ("entities", 0.64),
            ("fundings", 1.00),
            ("observations", 0.82),
            ("persons", 0.80),
        ],
        0.00,
    ),
];

#[test]
fn dev2_quality() {
    check_set("dev2", DEV2_FLOORS);
}

/// dev3: six articles by another hand, three read while the rules were
/// tuned and three (d3-02, d3-04, d3-06) first measured unread.
#[test]
fn dev3_quality() {
    check_set("dev3", DEV3_FLOORS);
}

/// dev4: six articles by another hand, measured once unread, as the last
/// check of the session that wrote the rules; floors at that level.
#[test]
fn dev4_quality() {
    check_set("dev4", DEV4_FLOORS);
}

fn check_set(set: &str, table: &[Floors]) {
    let mut failures = Vec::new();
    for (article, floors, attribute_floor) in table {
        let gold = format!("{set}/{article}.gold.json");
        let result = std::panic::catch_unwind(|| check(&gold, floors, *attribute_floor));
        if let Err(e) = result {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "failed".to_owned());
            failures.push(message);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every article of the gold corpus builds into one store that meets the
/// shapes: a fact the extractor reads (a post held in an area, 副县长 of a
/// county) must never make a build fail.
#[test]
fn the_whole_corpus_builds_into_a_valid_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let articles = data.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    let mut n = 0;
    for set in ["seed", "dev", "dev2", "dev3", "dev4"] {
        let from = root().join("tests/fixtures/corpus").join(set);
        for entry in std::fs::read_dir(&from).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                let name = format!("{set}-{}", path.file_name().unwrap().to_string_lossy());
                std::fs::copy(&path, articles.join(name)).unwrap();
                n += 1;
            }
        }
    }
    crate::robust::copy_dir(&root().join("data/reference"), &data.join("reference"));
    let store = dir.path().join("store");
    let out = crate::yushu_ok(&[
        "build",
        "--quiet",
        "--data",
        data.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(out.is_empty(), "{out}");
    let count = crate::yushu_ok(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "tsv",
        "PREFIX ykg: <https://w3id.org/yushu-kg/ontology#> \
         PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> \
         SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ykg:Position ; ykg:organization ?o . \
         ?o a/rdfs:subClassOf* ykg:AdministrativeArea }",
    ]);
    let posts_in_areas: usize = count.lines().nth(1).unwrap().trim().parse().unwrap();
    assert!(
        n >= 16 && posts_in_areas > 0,
        "{n} articles, {posts_in_areas} posts in areas"
    );
}
