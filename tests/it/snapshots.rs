//! Snapshots of what users see of the shipped store (the seed article):
//! its GraphML and GEXF exports and `explain` of two entities. A change to
//! any byte of them shows up as a snapshot diff to review
//! (`cargo insta review`); the snapshots live in `snapshots/` beside this
//! file.

use crate::{shipped_store, yushu_ok};

fn store() -> String {
    shipped_store().to_str().expect("UTF-8 path").to_owned()
}

#[test]
fn graphml_of_the_seed_article() {
    let graphml = yushu_ok(&["export", "--store", &store(), "--format", "graphml"]);
    insta::assert_snapshot!("seed_graphml", graphml);
}

#[test]
fn gexf_of_the_seed_article() {
    let gexf = yushu_ok(&["export", "--store", &store(), "--format", "gexf"]);
    insta::assert_snapshot!("seed_gexf", gexf);
}

#[test]
fn explain_of_a_district_and_a_hospital() {
    for (name, entity) in [
        ("explain_xicheng", "西城区"),
        ("explain_nangqian_hospital", "囊谦县医院"),
    ] {
        let text = yushu_ok(&["explain", "--store", &store(), entity]);
        insta::assert_snapshot!(name, text);
    }
}
