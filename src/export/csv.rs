//! CSV node and edge tables in the shape of Gephi's spreadsheet import
//! (Data Laboratory → Import Spreadsheet), also handy for pandas and R.
//!
//! Node ids are `n0`, `n1`… in node index order, as in the other writers;
//! the node table's columns after `Id` and `Label` are
//! [`analytics::ATTRIBUTES`](super::analytics::ATTRIBUTES). Written with
//! the `csv` crate as RFC 4180: records end with CRLF, a field containing a
//! comma, a double quote, CR or LF is quoted and its quotes doubled.
//! Control characters other than tab, CR and LF are dropped
//! ([`escape::csv_field`](super::escape::csv_field)).

use std::io::Write;

use super::Written;

use ::csv::{Terminator, WriterBuilder};
use petgraph::visit::EdgeRef;

use super::analytics::{ATTRIBUTES, Cell, Measures, columns};
use super::escape;
use super::graph::EntityGraph;

/// Header of the edge table.
pub const EDGES_HEADER: [&str; 5] = ["Source", "Target", "Type", "Label", "Weight"];

/// Header of the node table: `Id`, `Label` (the names Gephi's import
/// knows), then the names of [`ATTRIBUTES`].
pub fn nodes_header() -> Vec<&'static str> {
    let mut header = vec!["Id", "Label"];
    header.extend(ATTRIBUTES.iter().map(|c| c.name));
    header
}

/// A CSV writer of RFC 4180 records (CRLF, quotes only where needed).
fn writer<W: Write>(out: W) -> ::csv::Writer<W> {
    WriterBuilder::new()
        .terminator(Terminator::CRLF)
        .from_writer(out)
}

/// A cell as a CSV field.
fn field(cell: Cell<'_>) -> String {
    match cell {
        Cell::Text(t) => escape::csv_field(t).into_owned(),
        number => number.to_string(),
    }
}

/// Writes the node table: one row per node with its labels, class, IRI and
/// measures.
pub fn write_nodes_csv(graph: &EntityGraph, measures: &Measures, out: &mut dyn Write) -> Written {
    measures.check(graph)?;
    let mut w = writer(out);
    w.write_record(nodes_header())?;
    for i in graph.node_indices() {
        let id = format!("n{}", i.index());
        let cells = columns().map(|c| field(c.cell(graph, measures, i)));
        w.write_record(std::iter::once(id).chain(cells))?;
    }
    w.flush()
}

/// Writes the edge table: one directed row per edge, in edge index order,
/// with the relation as label.
pub fn write_edges_csv(graph: &EntityGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = writer(out);
    w.write_record(EDGES_HEADER)?;
    for e in graph.edge_references() {
        w.write_record([
            format!("n{}", e.source().index()),
            format!("n{}", e.target().index()),
            "Directed".to_owned(),
            escape::csv_field(&e.weight().label).into_owned(),
            e.weight().weight.to_string(),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graph::{NASTY, sample, written};

    /// The records of `text`, header included, read with the `csv` crate.
    /// Written again as CRLF-terminated CSV, they give `text` back byte for
    /// byte: every record ends with CRLF and quoting is minimal.
    fn read(text: &str) -> Vec<Vec<String>> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
            .collect();
        let mut again = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for r in &records {
            again.write_record(r).expect("written to memory");
        }
        let again = again.into_inner().expect("written to memory");
        assert_eq!(String::from_utf8_lossy(&again), text);
        records
    }

    fn nodes(g: &EntityGraph) -> String {
        written(write_nodes_csv, g)
    }

    fn edges(g: &EntityGraph) -> String {
        let mut out = Vec::new();
        write_edges_csv(g, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn node_table_round_trips() {
        let text = nodes(&sample());
        assert!(!text.contains('\u{1}'));
        assert!(text.starts_with(
            "Id,Label,label_en,label_pinyin,type,iri,degree,weighted_degree,betweenness,pagerank,component\r\n"
        ));
        let rows = read(&text);
        assert_eq!(rows.len(), 1 + 4);
        assert_eq!(rows[0], nodes_header());
        assert!(rows.iter().all(|r| r.len() == 11));
        assert_eq!(rows[1][0], "n0");
        assert_eq!(rows[1][1], NASTY.replace('\u{1}', ""));
        assert_eq!(rows[1][2], "Nasty \"Co\"");
        assert_eq!(rows[1][5], "http://example.org/a?x=1&y=2");
        assert_eq!(rows[3][1], "玉树藏族自治州");
        assert_eq!(rows[3][2], "Yushu, Qinghai");
        assert_eq!(rows[3][4], "Prefecture");
        assert_eq!(rows[2][6], "5");
        assert_eq!(rows[2][7], "6");
        assert_eq!(rows[4][3], "");
        assert_eq!(rows[4][10], "1");
        let pagerank: f64 = rows[1..].iter().map(|r| r[9].parse::<f64>().unwrap()).sum();
        assert!((pagerank - 1.0).abs() < 1e-9);
        // Quotes only where needed, as the hand-written writer had them.
        assert!(
            text.contains("\r\nn0,\"A<b>&\"\"c'd,e\\f\r\ngh\ti\",\"Nasty \"\"Co\"\"\",,Company,"),
            "{text:?}"
        );
        assert!(
            text.contains(",\"Yushu, Qinghai\",Yùshù,Prefecture,"),
            "{text:?}"
        );
        assert!(text.contains("\r\nn3,孤立,,,Event,http://example.org/event,0,0,0,"));
    }

    #[test]
    fn edge_table_round_trips() {
        let text = edges(&sample());
        let rows = read(&text);
        assert_eq!(rows.len(), 1 + 5);
        assert_eq!(rows[0], EDGES_HEADER);
        assert_eq!(rows[1], ["n0", "n1", "Directed", "supports", "2"]);
        assert_eq!(rows[3], ["n0", "n1", "Directed", "funding", "10000000000"]);
        assert_eq!(rows[5], ["n1", "n2", "Directed", "funding", "NaN"]);
        assert!(
            text.starts_with("Source,Target,Type,Label,Weight\r\nn0,n1,Directed,supports,2\r\n")
        );
    }

    #[test]
    fn empty_graphs_have_a_header_only() {
        let g = EntityGraph::new();
        assert_eq!(edges(&g), "Source,Target,Type,Label,Weight\r\n");
        assert_eq!(read(&nodes(&g)), [nodes_header()]);
    }
}
