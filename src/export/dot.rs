//! Graphviz DOT: the entity graph as `digraph yushu { … }`, for `dot`,
//! `sfdp` and scripts that draw with Graphviz.
//!
//! Node ids are `n0`, `n1`… in node index order. Nodes are filled with the
//! colour of their class, their font size grows with their weighted
//! degree (the node size of the other formats), their tooltip is their
//! IRI, and the columns the table marks for DOT
//! ([`Column::dot`](super::analytics::Column::dot): the class and the
//! measures) ride along as custom attributes, which Graphviz ignores and
//! DOT readers (pydot, networkx) keep. Edges carry the relation as label
//! and a pen width that grows with the logarithm of their weight, capped,
//! so that funding amounts in yuan stay drawable. Strings are always quoted
//! ([`escape::dot_string`](super::escape::dot_string)).

use std::io::Write;

use super::Written;

use petgraph::visit::EdgeRef;

use super::analytics::{ATTRIBUTES, Cell, LABEL, MAX_SIZE, MIN_SIZE, Measures, colour, size};
use super::escape;
use super::graph::EntityGraph;

/// The thinnest edge.
const MIN_PENWIDTH: f64 = 1.0;
/// The thickest edge.
const MAX_PENWIDTH: f64 = 6.0;

/// Writes the graph as a Graphviz digraph.
pub fn write_dot(graph: &EntityGraph, measures: &Measures, out: &mut dyn Write) -> Written {
    measures.check(graph)?;
    let max_w = measures.max_weighted_degree();
    writeln!(out, "digraph yushu {{")?;
    writeln!(out, "  graph [overlap=false, splines=true];")?;
    writeln!(out, "  node [shape=ellipse, style=filled];")?;
    for i in graph.node_indices() {
        let n = &graph[i];
        let (r, g, b) = colour(&n.kind);
        let k = i.index();
        write!(
            out,
            "  n{k} [label={}, fillcolor=\"#{r:02x}{g:02x}{b:02x}\", fontsize={:.1}, tooltip={}",
            value(LABEL.cell(graph, measures, i)),
            fontsize(size(measures.weighted_degree[k], max_w)),
            escape::dot_string(&n.iri),
        )?;
        for c in ATTRIBUTES.iter().filter(|c| c.dot) {
            write!(out, ", {}={}", c.name, value(c.cell(graph, measures, i)))?;
        }
        writeln!(out, "];")?;
    }
    for e in graph.edge_references() {
        writeln!(
            out,
            "  n{} -> n{} [label={}, penwidth={:.2}];",
            e.source().index(),
            e.target().index(),
            escape::dot_string(&e.weight().label),
            penwidth(e.weight().weight),
        )?;
    }
    writeln!(out, "}}")?;
    Ok(())
}

/// A cell as DOT writes it: text quoted, numbers as they are, except that
/// non-finite values, which DOT cannot hold, become 0.
fn value(cell: Cell<'_>) -> String {
    match cell {
        Cell::Text(t) => escape::dot_string(t),
        Cell::Integer(n) => n.to_string(),
        Cell::Double(x) if x.is_finite() => x.to_string(),
        Cell::Double(_) => "0".to_owned(),
    }
}

/// Font size from the node size of [`size`]: 8 for the
/// smallest nodes to 24 for the largest.
fn fontsize(size: f64) -> f64 {
    8.0 + (size - MIN_SIZE) * 16.0 / (MAX_SIZE - MIN_SIZE)
}

/// 1 + ln(1 + weight), within [`MIN_PENWIDTH`]..=[`MAX_PENWIDTH`].
fn penwidth(weight: f64) -> f64 {
    let w = 1.0 + weight.max(0.0).ln_1p();
    if w.is_nan() {
        MIN_PENWIDTH
    } else {
        w.clamp(MIN_PENWIDTH, MAX_PENWIDTH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graph::{NASTY, sample, written};

    /// Reads a quoted DOT string back: the inverse of
    /// [`escape::dot_string`] for what it writes.
    fn unquote(s: &str) -> String {
        let inner = &s[1..s.len() - 1];
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next().unwrap() {
                    'n' => out.push('\n'),
                    other => out.push(other),
                }
            } else {
                assert_ne!(c, '"', "unescaped quote in {s}");
                out.push(c);
            }
        }
        out
    }

    /// The quoted value of `key=` in a statement line.
    fn value_of<'a>(line: &'a str, key: &str) -> &'a str {
        let start = line.find(&format!("{key}=\"")).unwrap() + key.len() + 1;
        let bytes = line.as_bytes();
        let mut end = start + 1;
        while bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        &line[start..=end]
    }

    #[test]
    fn writes_a_readable_digraph() {
        let dot = written(write_dot, &sample());
        assert!(dot.starts_with("digraph yushu {\n"));
        assert!(dot.ends_with("}\n"));
        assert!(!dot.contains('\u{1}') && !dot.contains('\r'));
        let lines: Vec<&str> = dot.lines().collect();
        let nodes: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| {
                let id = l.trim_start().strip_prefix('n').unwrap_or_default();
                id.starts_with(|c: char| c.is_ascii_digit()) && !l.contains("->")
            })
            .collect();
        let edges: Vec<&str> = lines.iter().copied().filter(|l| l.contains("->")).collect();
        assert_eq!(nodes.len(), 4);
        assert_eq!(edges.len(), 5);
        let label = NASTY.replace(['\r', '\u{1}'], "").replace('\t', " ");
        assert_eq!(unquote(value_of(nodes[0], "label")), label);
        assert_eq!(unquote(value_of(nodes[1], "label")), "西城区");
        assert_eq!(
            unquote(value_of(nodes[0], "tooltip")),
            "http://example.org/a?x=1&y=2"
        );
        assert!(nodes[2].contains("fillcolor=\"#ff7f0e\""), "{}", nodes[2]);
        assert!(nodes[1].contains("fontsize=24.0"), "{}", nodes[1]);
        assert!(nodes[3].contains("fontsize=8.0"), "{}", nodes[3]);
        assert!(
            nodes[1].contains(
                "\", type=\"District\", degree=5, weighted_degree=6, betweenness=0.3333333333333333, pagerank=0."
            ),
            "{}",
            nodes[1]
        );
        assert!(nodes[3].ends_with(", component=1];"), "{}", nodes[3]);
        assert!(!nodes[1].contains("label_en") && !nodes[1].contains("Xicheng"));
        assert!(edges[0].starts_with("  n0 -> n1 [label=\"supports\""));
        assert!(edges[0].contains("penwidth=2.10"), "{}", edges[0]);
        assert!(edges[1].contains("penwidth=1.69"), "{}", edges[1]);
        assert!(edges[2].contains("penwidth=6.00"), "{}", edges[2]);
        assert!(edges[4].contains("penwidth=1.00"), "{}", edges[4]);
    }

    #[test]
    fn non_finite_numbers_become_zero() {
        assert_eq!(value(Cell::Double(f64::NAN)), "0");
        assert_eq!(value(Cell::Double(f64::INFINITY)), "0");
        assert_eq!(value(Cell::Double(0.25)), "0.25");
        assert_eq!(value(Cell::Integer(3)), "3");
        assert_eq!(value(Cell::Text("a\"b")), "\"a\\\"b\"");
        assert_eq!(penwidth(0.0), 1.0);
        assert_eq!(penwidth(f64::NAN), 1.0);
        assert_eq!(penwidth(-3.0), 1.0);
    }
}
