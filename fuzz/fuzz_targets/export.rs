//! Every exporter on a graph of arbitrary labels, read back as a standard
//! reader of each format would: GraphML and GEXF as XML, JSON as JSON, CSV
//! as RFC 4180, DOT statement by statement. The checker is the one the
//! property tests use (`tests/it/roundtrip.rs`).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/it/roundtrip.rs"]
mod roundtrip;

type Fields = (String, String, String, String, String, String);

#[derive(Arbitrary, Debug)]
struct Graph {
    nodes: Vec<Fields>,
    edges: Vec<(u8, u8, String, f64, String)>,
}

fuzz_target!(|g: Graph| {
    let nodes: Vec<Fields> = g.nodes.into_iter().take(16).collect();
    let edges: Vec<(usize, usize, String, f64, String)> = g
        .edges
        .into_iter()
        .take(32)
        .map(|(a, b, label, weight, date)| (usize::from(a), usize::from(b), label, weight, date))
        .collect();
    let graph = roundtrip::graph_of(&nodes, &edges);
    if let Err(e) = roundtrip::check_all(&graph) {
        panic!("{e}");
    }
});
