//! Node-link JSON, as networkx's `node_link_data` writes it and d3 reads
//! it: `{"directed", "multigraph", "graph", "nodes", "links"}`.
//!
//! Node ids are `n0`, `n1`… in node index order, links come in edge index
//! order, and each link's `key` is its index among the links with the same
//! source and target, so networkx reads the graph back as a
//! `MultiDiGraph` (`json_graph.node_link_graph(data, edges="links")`).
//! serde_json escapes what JSON requires, control characters included;
//! non-finite numbers become `null`.

use std::collections::BTreeMap;
use std::io::Write;

use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::analytics::Measures;
use super::graph::EntityGraph;

#[derive(Serialize)]
struct Document<'a> {
    directed: bool,
    multigraph: bool,
    graph: BTreeMap<String, String>,
    nodes: Vec<NodeRecord<'a>>,
    links: Vec<LinkRecord<'a>>,
}

#[derive(Serialize)]
struct NodeRecord<'a> {
    id: String,
    label: &'a str,
    label_en: &'a str,
    label_pinyin: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    iri: &'a str,
    degree: u32,
    weighted_degree: f64,
    betweenness: f64,
    pagerank: f64,
    component: u32,
}

#[derive(Serialize)]
struct LinkRecord<'a> {
    source: String,
    target: String,
    key: u32,
    label: &'a str,
    weight: f64,
}

/// Writes the graph and its measures as pretty-printed node-link JSON,
/// ending with a newline.
///
/// Fails with `InvalidInput`, before writing, when `measures` was not
/// computed for a graph of this many nodes.
pub fn write_json(
    graph: &EntityGraph,
    measures: &Measures,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    measures.check(graph)?;
    let nodes = graph
        .node_indices()
        .map(|i| {
            let n = &graph[i];
            let k = i.index();
            NodeRecord {
                id: format!("n{k}"),
                label: &n.label,
                label_en: &n.label_en,
                label_pinyin: &n.label_pinyin,
                kind: &n.kind,
                iri: &n.iri,
                degree: measures.degree[k],
                weighted_degree: measures.weighted_degree[k],
                betweenness: measures.betweenness[k],
                pagerank: measures.pagerank[k],
                component: measures.component[k],
            }
        })
        .collect();
    let mut seen: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    let links = graph
        .edge_references()
        .map(|e| {
            let (s, t) = (e.source().index(), e.target().index());
            let count = seen.entry((s, t)).or_insert(0);
            let key = *count;
            *count += 1;
            LinkRecord {
                source: format!("n{s}"),
                target: format!("n{t}"),
                key,
                label: &e.weight().label,
                weight: e.weight().weight,
            }
        })
        .collect();
    let document = Document {
        directed: true,
        multigraph: true,
        graph: BTreeMap::new(),
        nodes,
        links,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::export::analytics::measure;
    use crate::export::graph::{Edge, Node};

    const NASTY: &str = "A<b>&\"c'd,e\nf\u{1}g\\";

    fn sample() -> EntityGraph {
        let mut g = EntityGraph::new();
        let a = g.add_node(Node {
            iri: "http://example.org/a".into(),
            label: NASTY.into(),
            label_en: String::new(),
            label_pinyin: String::new(),
            kind: "Company".into(),
            date: String::new(),
        });
        let b = g.add_node(Node {
            iri: "http://example.org/yushu".into(),
            label: "玉树藏族自治州".into(),
            label_en: "Yushu".into(),
            label_pinyin: "Yùshù".into(),
            kind: "Prefecture".into(),
            date: String::new(),
        });
        for (s, t, label, weight) in [
            (a, b, "supports", 2.0),
            (b, a, "supports", 1.0),
            (a, b, "funding", 1e10),
            (a, a, "partOf", f64::NAN),
        ] {
            g.add_edge(
                s,
                t,
                Edge {
                    label: label.into(),
                    weight,
                    date: String::new(),
                },
            );
        }
        g
    }

    fn write(g: &EntityGraph) -> String {
        let mut out = Vec::new();
        write_json(g, &measure(g), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn node_link_round_trip() {
        let g = sample();
        let text = write(&g);
        assert!(text.ends_with("}\n"));
        assert!(text.contains("\\u0001"), "control characters are escaped");
        assert!(text.contains("玉树藏族自治州"), "Chinese is written as is");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["directed"], true);
        assert_eq!(v["multigraph"], true);
        assert_eq!(v["graph"], serde_json::json!({}));
        let nodes = v["nodes"].as_array().unwrap();
        let links = v["links"].as_array().unwrap();
        assert_eq!(nodes.len(), 2);
        assert_eq!(links.len(), 4);
        assert_eq!(nodes[0]["id"], "n0");
        assert_eq!(nodes[0]["label"], NASTY);
        assert_eq!(nodes[1]["label"], "玉树藏族自治州");
        assert_eq!(nodes[1]["type"], "Prefecture");
        assert_eq!(nodes[1]["label_pinyin"], "Yùshù");
        assert_eq!(nodes[1]["degree"], 3);
        assert_eq!(nodes[1]["component"], 0);
        let keys: Vec<(&str, &str, u64)> = links
            .iter()
            .map(|l| {
                (
                    l["source"].as_str().unwrap(),
                    l["target"].as_str().unwrap(),
                    l["key"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("n0", "n1", 0),
                ("n1", "n0", 0),
                ("n0", "n1", 1),
                ("n0", "n0", 0)
            ]
        );
        assert_eq!(links[2]["label"], "funding");
        assert_eq!(links[2]["weight"], 1e10);
        assert_eq!(links[3]["weight"], Value::Null);
    }

    #[test]
    fn deterministic_and_empty() {
        let g = sample();
        assert_eq!(write(&g), write(&g));
        let v: Value = serde_json::from_str(&write(&EntityGraph::new())).unwrap();
        assert_eq!(v["nodes"], serde_json::json!([]));
        assert_eq!(v["links"], serde_json::json!([]));
    }

    #[test]
    fn refuses_measures_of_another_graph() {
        let m = measure(&EntityGraph::new());
        let mut out = Vec::new();
        let err = write_json(&sample(), &m, &mut out).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(out.is_empty());
    }
}
