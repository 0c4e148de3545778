//! The query path as a property: generated deep and wide queries are bounded
//! in bytes, parsed, checked on their algebra and run on the shipped store
//! with a short time limit, on the query stack. The process never aborts;
//! each query either runs, is refused with a reason, or stops at its limit.

use std::time::Duration;

use proptest::prelude::*;
use yushu_kg::query::guard::{Limits, Refused, check, on_query_stack};
use yushu_kg::store::{Store, StoreError};

use crate::shipped_store;

/// A query of generated shape: nested, chained or
/// repeated pieces, some far past the bounds, products under the operators
/// that hold rows, and strings that double. Every query the guard lets
/// through runs: `store::watch` stops products at the time limit, and the
/// guard's bound on the patterns joined in one group keeps chains and
/// joined groups within what Oxigraph plans in about a second, before any
/// limit applies (see SECURITY.md).
fn query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(("(", ")", "1")),
        Just(("1+(", ")", "1")),
        Just(("!(", ")", "true")),
        Just(("STR(", ")", "1")),
        Just(("EXISTS { FILTER(", ") }", "true")),
        Just(("COALESCE(", ", 1)", "2")),
    ];
    let nested = (piece, 0usize..3000).prop_map(|((open, close, inner), n)| {
        format!(
            "ASK {{ FILTER({}{inner}{}) }}",
            open.repeat(n),
            close.repeat(n)
        )
    });
    let unions = (1usize..3000)
        .prop_map(|n| format!("ASK {{ {} }}", vec!["{ ?s a ?o }"; n].join(" UNION ")));
    let groups = (0usize..4000).prop_map(|n| format!("ASK {{ {} }}", "{ ?s ?p ?o } ".repeat(n)));
    let chain = (1usize..8000).prop_map(|n| {
        let body: String = (0..n).map(|i| format!("?v{i} ?p ?v{} . ", i + 1)).collect();
        format!("ASK {{ {body} }}")
    });
    let around = prop_oneof![
        Just(("SELECT (COUNT(*) AS ?n) {", "}")),
        Just(("SELECT (COUNT(DISTINCT ?a) AS ?n) {", "}")),
        Just(("SELECT * {", "} ORDER BY ?a LIMIT 1")),
        Just(("SELECT DISTINCT ?a {", "} OFFSET 5 LIMIT 1")),
        Just(("ASK {", " FILTER(STRLEN(STR(?a)) < 0) }")),
        Just(("SELECT * {", "}")),
    ];
    let products = (around, 2usize..5).prop_map(|((open, close), n)| {
        let sides: String = (0..n)
            .map(|i| {
                format!(
                    "?{} ?b{i} ?c{i} . ",
                    if i == 0 { "a".into() } else { format!("a{i}") }
                )
            })
            .collect();
        format!("{open} {sides} {close}")
    });
    let doubling = (1usize..40).prop_map(|n| {
        let binds: String = (1..=n)
            .map(|i| format!("BIND(CONCAT(?v{p}, ?v{p}) AS ?v{i}) ", p = i - 1))
            .collect();
        format!("SELECT (STRLEN(?v{n}) AS ?l) {{ BIND(\"ab\" AS ?v0) {binds}}}")
    });
    prop_oneof![nested, unions, groups, chain, products, doubling]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_query_aborts_the_process(q in query()) {
        let store = Store::open_read_only(shipped_store()).unwrap();
        let outcome = on_query_stack(move || -> Result<(), String> {
            match check(&q, Limits::DEFAULT) {
                Err(Refused::Syntax(e)) => return Err(format!("generated text must parse: {e}")),
                Err(_) => return Ok(()),
                Ok(_) => {}
            }
            match store.query(&q, Some(Duration::from_millis(200))) {
                Ok(results) => {
                    let mut sink = Vec::new();
                    match yushu_kg::query::write_results(
                        results,
                        yushu_kg::query::OutputFormat::Csv,
                        &mut sink,
                    ) {
                        Ok(()) => Ok(()),
                        Err(yushu_kg::query::QueryError::Store(
                            StoreError::Timeout | StoreError::RowBudget(_),
                        )) => Ok(()),
                        Err(e) => Err(e.to_string()),
                    }
                }
                Err(StoreError::Timeout | StoreError::RowBudget(_)) => Ok(()),
                Err(e) => Err(e.to_string()),
            }
        });
        prop_assert!(outcome.is_ok(), "{:?}", outcome);
    }
}
