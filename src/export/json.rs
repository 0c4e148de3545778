//! Node-link JSON, as networkx's `node_link_data` writes it and d3 reads
//! it: `{"directed", "multigraph", "graph", "nodes", "links"}`.
//!
//! Node ids are `n0`, `n1`… in node index order, links come in edge index
//! order, and each link's `key` is its index among the links with the same
//! source and target, so networkx reads the graph back as a
//! `MultiDiGraph` (`json_graph.node_link_graph(data, edges="links")`).
//! A node's fields after `id` are the columns of
//! [`analytics::columns`](super::analytics::columns). serde_json escapes
//! what JSON requires, control characters included; non-finite numbers
//! become `null`.

use std::collections::BTreeMap;
use std::io::Write;

use super::Written;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::analytics::{Measures, columns};
use super::graph::EntityGraph;

#[derive(Serialize)]
struct Document<'a> {
    directed: bool,
    multigraph: bool,
    graph: BTreeMap<String, String>,
    nodes: Vec<NodeRecord<'a>>,
    links: Vec<LinkRecord<'a>>,
}

/// A node as `{"id", …columns}`.
struct NodeRecord<'a> {
    graph: &'a EntityGraph,
    measures: &'a Measures,
    index: NodeIndex,
}

impl Serialize for NodeRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + columns().count()))?;
        map.serialize_entry("id", &format!("n{}", self.index.index()))?;
        for c in columns() {
            map.serialize_entry(c.name, &c.cell(self.graph, self.measures, self.index))?;
        }
        map.end()
    }
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
pub fn write_json(graph: &EntityGraph, measures: &Measures, out: &mut dyn Write) -> Written {
    measures.check(graph)?;
    let nodes = graph
        .node_indices()
        .map(|index| NodeRecord {
            graph,
            measures,
            index,
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
    use crate::export::graph::{NASTY, sample, written};

    fn write(g: &EntityGraph) -> String {
        written(write_json, g)
    }

    #[test]
    fn node_link_round_trip() {
        let text = write(&sample());
        assert!(text.ends_with("}\n"));
        assert!(text.contains("\\u0001"), "control characters are escaped");
        assert!(text.contains("玉树藏族自治州"), "Chinese is written as is");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["directed"], true);
        assert_eq!(v["multigraph"], true);
        assert_eq!(v["graph"], serde_json::json!({}));
        let nodes = v["nodes"].as_array().unwrap();
        let links = v["links"].as_array().unwrap();
        assert_eq!(nodes.len(), 4);
        assert_eq!(links.len(), 5);
        assert_eq!(nodes[0]["id"], "n0");
        assert_eq!(nodes[0]["label"], NASTY);
        assert_eq!(nodes[0]["iri"], "http://example.org/a?x=1&y=2");
        assert_eq!(nodes[1]["label"], "西城区");
        assert_eq!(nodes[1]["type"], "District");
        assert_eq!(nodes[1]["label_pinyin"], "Xīchéng Qū");
        assert_eq!(nodes[1]["degree"], 5);
        assert_eq!(nodes[1]["weighted_degree"], 6.0);
        assert_eq!(nodes[1]["component"], 0);
        assert_eq!(nodes[3]["component"], 1);
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
                ("n1", "n2", 0),
                ("n1", "n2", 1)
            ]
        );
        assert_eq!(links[2]["label"], "funding");
        assert_eq!(links[2]["weight"], 1e10);
        assert_eq!(links[4]["weight"], Value::Null);
    }

    #[test]
    fn fields_come_in_the_order_of_the_columns() {
        let text = write(&sample());
        assert!(
            text.contains(concat!(
                "    {\n",
                "      \"id\": \"n1\",\n",
                "      \"label\": \"西城区\",\n",
                "      \"label_en\": \"Xicheng District\",\n",
                "      \"label_pinyin\": \"Xīchéng Qū\",\n",
                "      \"type\": \"District\",\n",
                "      \"iri\": \"http://example.org/xicheng\",\n",
                "      \"degree\": 5,\n",
                "      \"weighted_degree\": 6.0,\n",
                "      \"betweenness\": 0.3333333333333333,\n",
                "      \"pagerank\": 0."
            )),
            "{text}"
        );
    }

    #[test]
    fn deterministic_and_empty() {
        let g = sample();
        assert_eq!(write(&g), write(&g));
        let v: Value = serde_json::from_str(&write(&EntityGraph::new())).unwrap();
        assert_eq!(v["nodes"], serde_json::json!([]));
        assert_eq!(v["links"], serde_json::json!([]));
    }
}
