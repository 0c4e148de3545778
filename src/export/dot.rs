//! Graphviz DOT: the entity graph as `digraph yushu { … }`, for `dot`,
//! `sfdp` and scripts that draw with Graphviz.
//!
//! Node ids are `n0`, `n1`… in node index order. Nodes are filled with the
//! colour of their class, their font size grows with their weighted
//! degree (the node size of the other formats); edges carry the relation as label and a pen
//! width that grows with the logarithm of their weight, capped, so that
//! funding amounts in yuan stay drawable. Strings are always quoted:
//! `"` and `\` are escaped, a newline becomes the `\n` line break, a tab a
//! space, and other control characters are dropped.

use std::io::Write;

use petgraph::visit::EdgeRef;

use super::analytics::{MAX_SIZE, MIN_SIZE, Measures, colour, size};
use super::graph::EntityGraph;

/// The thinnest edge.
const MIN_PENWIDTH: f64 = 1.0;
/// The thickest edge.
const MAX_PENWIDTH: f64 = 6.0;

/// Writes the graph as a Graphviz digraph.
///
/// Fails with `InvalidInput`, before writing, when `measures` was not
/// computed for a graph of this many nodes.
pub fn write_dot(
    graph: &EntityGraph,
    measures: &Measures,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    measures.check(graph)?;
    let max_w = measures.max_weighted_degree();
    writeln!(out, "digraph yushu {{")?;
    writeln!(out, "  graph [overlap=false, splines=true];")?;
    writeln!(out, "  node [shape=ellipse, style=filled];")?;
    for i in graph.node_indices() {
        let n = &graph[i];
        let (r, g, b) = colour(&n.kind);
        let k = i.index();
        // The measures ride along as custom attributes, which Graphviz ignores
        // and DOT readers (pydot, networkx) keep.
        writeln!(
            out,
            "  n{k} [label={}, fillcolor=\"#{r:02x}{g:02x}{b:02x}\", fontsize={:.1}, tooltip={}, type={}, degree={}, weighted_degree={}, betweenness={}, pagerank={}, component={}];",
            quote(&n.label),
            fontsize(size(measures.weighted_degree[k], max_w)),
            quote(&n.iri),
            quote(&n.kind),
            measures.degree[k],
            finite(measures.weighted_degree[k]),
            finite(measures.betweenness[k]),
            finite(measures.pagerank[k]),
            measures.component[k],
        )?;
    }
    for e in graph.edge_references() {
        writeln!(
            out,
            "  n{} -> n{} [label={}, penwidth={:.2}];",
            e.source().index(),
            e.target().index(),
            quote(&e.weight().label),
            penwidth(e.weight().weight),
        )?;
    }
    writeln!(out, "}}")?;
    Ok(())
}

/// A number DOT can hold: non-finite values become 0.
fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
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

/// A DOT double-quoted string.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push(' '),
            c if c.is_control() => {}
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::analytics::measure;
    use crate::export::graph::{Edge, Node};

    fn sample() -> EntityGraph {
        let mut g = EntityGraph::new();
        let a = g.add_node(Node {
            iri: "http://example.org/a".into(),
            label: "A<b>&\"c'd,e\\f\ng\u{1}h\r".into(),
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
        g.add_edge(
            a,
            b,
            Edge {
                label: "supports".into(),
                weight: 1.0,
                date: String::new(),
            },
        );
        g.add_edge(
            a,
            b,
            Edge {
                label: "funding".into(),
                weight: 1e10,
                date: String::new(),
            },
        );
        g
    }

    /// Reads a quoted DOT string back: the inverse of [`quote`] for what it
    /// writes.
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
        let g = sample();
        let mut out = Vec::new();
        write_dot(&g, &measure(&g), &mut out).unwrap();
        let dot = String::from_utf8(out).unwrap();
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
        assert_eq!(nodes.len(), 2);
        assert_eq!(edges.len(), 2);
        assert_eq!(unquote(value_of(nodes[0], "label")), "A<b>&\"c'd,e\\f\ngh");
        assert_eq!(unquote(value_of(nodes[1], "label")), "玉树藏族自治州");
        assert!(nodes[1].contains("fillcolor=\"#ff7f0e\""), "{}", nodes[1]);
        assert!(nodes[0].contains("fontsize=24.0"), "{}", nodes[0]);
        assert!(nodes[1].contains("fontsize=24.0"), "{}", nodes[1]);
        assert!(edges[0].starts_with("  n0 -> n1 [label=\"supports\""));
        assert!(edges[0].contains("penwidth=1.69"), "{}", edges[0]);
        assert!(edges[1].contains("penwidth=6.00"), "{}", edges[1]);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\\c\nd\te\u{1}\u{7f}f"), "\"a\\\"b\\\\c\\nd ef\"");
        assert_eq!(penwidth(0.0), 1.0);
        assert_eq!(penwidth(f64::NAN), 1.0);
        assert_eq!(penwidth(-3.0), 1.0);
    }

    #[test]
    fn refuses_measures_of_another_graph() {
        let m = measure(&EntityGraph::new());
        let mut out = Vec::new();
        let err = write_dot(&sample(), &m, &mut out).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(out.is_empty());
    }
}
