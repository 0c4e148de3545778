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
        if f1 < *floor {
            failures.push(format!("{kind}: F1 {f1:.2} < floor {floor:.2}"));
        }
    }
    for (attr, (ok, n)) in &e.attributes {
        let share = if *n == 0 { 1.0 } else { *ok as f64 / *n as f64 };
        if share < attribute_floor {
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
