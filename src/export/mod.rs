//! The entity graph for people and tools that draw networks: a petgraph
//! view of the store (entities as nodes, relations and funding as edges),
//! network measures, and writers for GraphML, GEXF, DOT, CSV and JSON.
//!
//! Every writer is a [`Writer`]: it fails with `InvalidInput`, before it
//! writes anything, when the measures were not computed for a graph of
//! this many nodes.
//!
//! One table, [`analytics::columns`], names the per-node values (labels,
//! class, IRI, measures) every writer exports, with their types;
//! [`escape`] holds what each format must escape or drop.

pub mod analytics;
pub mod csv;
pub mod dot;
pub mod escape;
pub mod gexf;
pub mod graph;
pub mod graphml;
pub mod json;

/// What a writer returns.
pub type Written = std::io::Result<()>;

/// A writer of the entity graph with its measures.
pub type Writer = fn(&graph::EntityGraph, &analytics::Measures, &mut dyn std::io::Write) -> Written;

/// The formats the entity network is written in (`export --format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GraphML, as Gephi, yEd and networkx read it.
    Graphml,
    /// GEXF 1.3, Gephi's own format, with viz colour and size.
    Gexf,
    /// Graphviz DOT.
    Dot,
    /// Two CSV files (nodes, edges) for Gephi's spreadsheet import.
    Csv,
    /// Node-link JSON, as networkx, d3 and Cytoscape.js read it.
    Json,
}

#[cfg(test)]
mod tests {
    use super::analytics::measure;
    use super::graph::{EntityGraph, sample};
    use super::{Writer, csv, dot, gexf, graphml, json};

    #[test]
    fn every_writer_refuses_measures_of_another_graph_before_writing() {
        let writers: [(&str, Writer); 5] = [
            ("csv", csv::write_nodes_csv),
            ("dot", dot::write_dot),
            ("gexf", gexf::write_gexf),
            ("graphml", graphml::write_graphml),
            ("json", json::write_json),
        ];
        let m = measure(&EntityGraph::new());
        for (name, write) in writers {
            let mut out = Vec::new();
            let err = write(&sample(), &m, &mut out).expect_err(name);
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{name}");
            assert!(out.is_empty(), "{name} wrote before it refused");
        }
    }
}
