//! CSV node and edge tables in the shape of Gephi's spreadsheet import
//! (Data Laboratory → Import Spreadsheet), also handy for pandas and R.
//!
//! Node ids are `n0`, `n1`… in node index order, as in the other writers.
//! Fields follow RFC 4180: records end with CRLF, a field containing a
//! comma, a double quote, CR or LF is quoted and its quotes doubled.
//! Control characters other than tab, CR and LF are dropped.

use std::borrow::Cow;
use std::io::Write;

use petgraph::visit::EdgeRef;

use super::analytics::Measures;
use super::graph::EntityGraph;

/// Header of the node table.
pub const NODES_HEADER: &str =
    "Id,Label,label_en,label_pinyin,type,iri,degree,weighted_degree,betweenness,pagerank,component";
/// Header of the edge table.
pub const EDGES_HEADER: &str = "Source,Target,Type,Label,Weight";

/// Writes the node table: one row per node with its labels, class, IRI and
/// measures.
///
/// Fails with `InvalidInput`, before writing, when `measures` was not
/// computed for a graph of this many nodes.
pub fn write_nodes_csv(
    graph: &EntityGraph,
    measures: &Measures,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    measures.check(graph)?;
    write!(out, "{NODES_HEADER}\r\n")?;
    for i in graph.node_indices() {
        let n = &graph[i];
        let k = i.index();
        write!(
            out,
            "n{k},{},{},{},{},{},{},{},{},{},{}\r\n",
            field(&n.label),
            field(&n.label_en),
            field(&n.label_pinyin),
            field(&n.kind),
            field(&n.iri),
            measures.degree[k],
            measures.weighted_degree[k],
            measures.betweenness[k],
            measures.pagerank[k],
            measures.component[k],
        )?;
    }
    Ok(())
}

/// Writes the edge table: one directed row per edge, in edge index order,
/// with the relation as label.
pub fn write_edges_csv(graph: &EntityGraph, out: &mut dyn Write) -> std::io::Result<()> {
    write!(out, "{EDGES_HEADER}\r\n")?;
    for e in graph.edge_references() {
        write!(
            out,
            "n{},n{},Directed,{},{}\r\n",
            e.source().index(),
            e.target().index(),
            field(&e.weight().label),
            e.weight().weight,
        )?;
    }
    Ok(())
}

/// An RFC 4180 field, without control characters other than tab, CR, LF.
fn field(s: &str) -> Cow<'_, str> {
    let clean: Cow<str> = if s
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        Cow::Owned(
            s.chars()
                .filter(|&c| !c.is_control() || matches!(c, '\t' | '\r' | '\n'))
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    };
    if clean.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", clean.replace('"', "\"\"")))
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::analytics::measure;
    use crate::export::graph::{Edge, Node};

    /// A small RFC 4180 reader: records of fields.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    c => field.push(c),
                }
            } else {
                match c {
                    '"' => {
                        assert!(field.is_empty(), "quote inside an unquoted field");
                        quoted = true;
                    }
                    ',' => record.push(std::mem::take(&mut field)),
                    '\r' => assert_eq!(chars.next(), Some('\n'), "bare CR"),
                    '\n' => panic!("bare LF outside quotes"),
                    c => field.push(c),
                }
                if c == '\r' {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
            }
        }
        assert!(
            !quoted && field.is_empty() && record.is_empty(),
            "unterminated"
        );
        records
    }

    fn sample() -> EntityGraph {
        let mut g = EntityGraph::new();
        let a = g.add_node(Node {
            iri: "http://example.org/a".into(),
            label: "A<b>&\"c'd,e\nf\u{1}g".into(),
            label_en: "plain".into(),
            label_pinyin: String::new(),
            kind: "Company".into(),
            date: String::new(),
        });
        let b = g.add_node(Node {
            iri: "http://example.org/yushu".into(),
            label: "玉树藏族自治州".into(),
            label_en: "Yushu, Qinghai".into(),
            label_pinyin: "Yùshù".into(),
            kind: "Prefecture".into(),
            date: String::new(),
        });
        g.add_node(Node {
            iri: "http://example.org/alone".into(),
            label: "孤立".into(),
            label_en: String::new(),
            label_pinyin: String::new(),
            kind: "Event".into(),
            date: String::new(),
        });
        g.add_edge(
            a,
            b,
            Edge {
                label: "supports".into(),
                weight: 2.0,
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

    #[test]
    fn node_table_round_trips() {
        let g = sample();
        let mut out = Vec::new();
        write_nodes_csv(&g, &measure(&g), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1}'));
        let rows = parse(&text);
        assert_eq!(rows.len(), 1 + 3);
        assert_eq!(rows[0].join(","), NODES_HEADER);
        assert!(rows.iter().all(|r| r.len() == 11));
        assert_eq!(rows[1][0], "n0");
        assert_eq!(rows[1][1], "A<b>&\"c'd,e\nfg");
        assert_eq!(rows[2][1], "玉树藏族自治州");
        assert_eq!(rows[2][2], "Yushu, Qinghai");
        assert_eq!(rows[2][4], "Prefecture");
        assert_eq!(rows[2][6], "2");
        assert_eq!(rows[2][7], "3");
        assert_eq!(rows[3][10], "1");
        let pagerank: f64 = rows[1..].iter().map(|r| r[9].parse::<f64>().unwrap()).sum();
        assert!((pagerank - 1.0).abs() < 1e-9);
        assert!(text.contains("\"A<b>&\"\"c'd,e\nfg\""), "{text}");
    }

    #[test]
    fn edge_table_round_trips() {
        let g = sample();
        let mut out = Vec::new();
        write_edges_csv(&g, &mut out).unwrap();
        let rows = parse(&String::from_utf8(out).unwrap());
        assert_eq!(rows.len(), 1 + 2);
        assert_eq!(rows[0].join(","), EDGES_HEADER);
        assert_eq!(rows[1], ["n0", "n1", "Directed", "supports", "2"]);
        assert_eq!(rows[2], ["n0", "n1", "Directed", "funding", "10000000000"]);
    }

    #[test]
    fn fields() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("a\rb"), "\"a\rb\"");
        assert_eq!(field("a\u{1}b\u{7f}"), "ab");
        assert_eq!(field("a\tb"), "a\tb");
        assert_eq!(field(""), "");
    }

    #[test]
    fn refuses_measures_of_another_graph() {
        let m = measure(&EntityGraph::new());
        let mut out = Vec::new();
        let err = write_nodes_csv(&sample(), &m, &mut out).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(out.is_empty());
    }
}
