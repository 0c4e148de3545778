//! GEXF 1.3, Gephi's own format: the entity graph with its labels,
//! network measures, and node colours and sizes Gephi shows as they are.
//!
//! Node ids are `n0`, `n1`… in node index order, edge ids `e0`… in edge
//! index order, as in the GraphML writer. The node's label is its `label`;
//! the other columns ([`analytics::ATTRIBUTES`](super::analytics::ATTRIBUTES))
//! are node attributes, each declared in `<attributes>` before the nodes,
//! with an id equal to its title. All text lives in XML attribute values,
//! escaped by [`escape::xml_attribute`](super::escape::xml_attribute).
//!
//! Time for Gephi's timeline: events start at their date and fundings at
//! the start of their year (`start` attributes, `timeformat="date"`); the
//! graph is `mode="dynamic"` when anything is dated, `"static"` otherwise.

use std::borrow::Cow;
use std::io::Write;

use super::Written;

use petgraph::visit::EdgeRef;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::analytics::{ATTRIBUTES, Cell, ColumnType, LABEL, Measures, colour};
use super::escape;
use super::graph::EntityGraph;

/// Edge attributes: id (= title) and GEXF type.
const EDGE_ATTRIBUTES: &[(&str, &str)] = &[("relation", "string")];

/// The GEXF type of a column.
fn attribute_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Text => "string",
        ColumnType::Integer => "integer",
        ColumnType::Double => "double",
    }
}

/// A cell as GEXF writes it: numbers as `xsd:integer` and `xsd:double`.
fn text(cell: Cell<'_>) -> Cow<'_, str> {
    match cell {
        Cell::Text(t) => Cow::Borrowed(t),
        Cell::Integer(n) => Cow::Owned(n.to_string()),
        Cell::Double(x) => Cow::Owned(number(x)),
    }
}

type W<'a> = escape::XmlWriter<'a>;

/// Writes the graph and its measures as GEXF 1.3.
pub fn write_gexf(graph: &EntityGraph, measures: &Measures, out: &mut dyn Write) -> Written {
    measures.check(graph)?;
    let max_w = measures.max_weighted_degree();
    let mut w = escape::xml_document(out)?;
    let root = BytesStart::new("gexf").with_attributes([
        ("xmlns", "http://gexf.net/1.3"),
        ("xmlns:viz", "http://gexf.net/1.3/viz"),
        ("version", "1.3"),
    ]);
    w.write_event(Event::Start(root))?;

    w.write_event(Event::Start(BytesStart::new("meta")))?;
    w.write_event(Event::Start(BytesStart::new("creator")))?;
    w.write_event(Event::Text(BytesText::new("yushu-kg")))?;
    w.write_event(Event::End(BytesEnd::new("creator")))?;
    w.write_event(Event::Start(BytesStart::new("description")))?;
    w.write_event(Event::Text(BytesText::new(
        "Beijing's counterpart assistance to Yushu: entities and their relations",
    )))?;
    w.write_event(Event::End(BytesEnd::new("description")))?;
    w.write_event(Event::End(BytesEnd::new("meta")))?;

    let dated = graph.node_weights().any(|n| !n.date.is_empty())
        || graph.edge_weights().any(|e| !e.date.is_empty());
    let mut g = BytesStart::new("graph");
    g.push_attribute(("defaultedgetype", "directed"));
    if dated {
        g.push_attribute(("mode", "dynamic"));
        g.push_attribute(("timeformat", "date"));
    } else {
        g.push_attribute(("mode", "static"));
    }
    w.write_event(Event::Start(g))?;
    let node_attributes: Vec<(&str, &str)> = ATTRIBUTES
        .iter()
        .map(|c| (c.name, attribute_type(c.ty)))
        .collect();
    for (class, attributes) in [
        ("node", node_attributes.as_slice()),
        ("edge", EDGE_ATTRIBUTES),
    ] {
        let mut a = BytesStart::new("attributes");
        a.push_attribute(("class", class));
        a.push_attribute(("mode", "static"));
        w.write_event(Event::Start(a))?;
        for (id, ty) in attributes {
            let mut e = BytesStart::new("attribute");
            e.push_attribute(("id", *id));
            e.push_attribute(("title", *id));
            e.push_attribute(("type", *ty));
            w.write_event(Event::Empty(e))?;
        }
        w.write_event(Event::End(BytesEnd::new("attributes")))?;
    }

    w.write_event(Event::Start(BytesStart::new("nodes")))?;
    for i in graph.node_indices() {
        let n = &graph[i];
        let k = i.index();
        let mut e = BytesStart::new("node");
        e.push_attribute(("id", format!("n{k}").as_str()));
        push_text(&mut e, LABEL.name, &text(LABEL.cell(graph, measures, i)));
        if let Some(start) = full_date(&n.date) {
            e.push_attribute(("start", start.as_str()));
        }
        w.write_event(Event::Start(e))?;
        let values: Vec<(&str, Cow<str>)> = ATTRIBUTES
            .iter()
            .map(|c| (c.name, text(c.cell(graph, measures, i))))
            .collect();
        attvalues(&mut w, &values)?;
        let (r, g, b) = colour(&n.kind);
        let mut c = BytesStart::new("viz:color");
        c.push_attribute(("r", r.to_string().as_str()));
        c.push_attribute(("g", g.to_string().as_str()));
        c.push_attribute(("b", b.to_string().as_str()));
        w.write_event(Event::Empty(c))?;
        let mut s = BytesStart::new("viz:size");
        let size = super::analytics::size(measures.weighted_degree[k], max_w);
        s.push_attribute(("value", number(size).as_str()));
        w.write_event(Event::Empty(s))?;
        w.write_event(Event::End(BytesEnd::new("node")))?;
    }
    w.write_event(Event::End(BytesEnd::new("nodes")))?;

    w.write_event(Event::Start(BytesStart::new("edges")))?;
    for (k, e) in graph.edge_references().enumerate() {
        let mut el = BytesStart::new("edge");
        el.push_attribute(("id", format!("e{k}").as_str()));
        el.push_attribute(("source", format!("n{}", e.source().index()).as_str()));
        el.push_attribute(("target", format!("n{}", e.target().index()).as_str()));
        push_text(&mut el, "label", &e.weight().label);
        el.push_attribute(("weight", number(e.weight().weight).as_str()));
        if let Some(start) = full_date(&e.weight().date) {
            el.push_attribute(("start", start.as_str()));
        }
        w.write_event(Event::Start(el))?;
        attvalues(&mut w, &[("relation", Cow::Borrowed(&e.weight().label))])?;
        w.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    w.write_event(Event::End(BytesEnd::new("edges")))?;

    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("gexf")))?;
    writeln!(w.get_mut())?;
    Ok(())
}

/// Writes `<attvalues>` with one `<attvalue for value/>` per pair.
fn attvalues(w: &mut W, values: &[(&str, Cow<str>)]) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("attvalues")))?;
    for (key, value) in values {
        let mut a = BytesStart::new("attvalue");
        a.push_attribute(("for", *key));
        push_text(&mut a, "value", value);
        w.write_event(Event::Empty(a))?;
    }
    w.write_event(Event::End(BytesEnd::new("attvalues")))?;
    Ok(())
}

/// Adds an attribute holding free text, escaped by
/// [`escape::xml_attribute`].
fn push_text(e: &mut BytesStart, key: &str, value: &str) {
    e.push_attribute(Attribute {
        key: QName(key.as_bytes()),
        value: Cow::Owned(escape::xml_attribute(value).into_bytes()),
    });
}

/// An `xsd:double` literal: Rust's shortest round-trip form for finite
/// values (never an exponent), `NaN`, `INF` or `-INF` otherwise.
fn number(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else if x.is_nan() {
        "NaN".to_owned()
    } else if x > 0.0 {
        "INF".to_owned()
    } else {
        "-INF".to_owned()
    }
}

/// A date at any precision (`2024`, `2024-03`, `2024-03-05`) as the
/// `xsd:date` GEXF's `timeformat="date"` expects: the first day it covers.
fn full_date(date: &str) -> Option<String> {
    let parts: Vec<&str> = date.split('-').collect();
    let ok = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] if ok(y, 4) => Some(format!("{y}-01-01")),
        [y, m] if ok(y, 4) && ok(m, 2) => Some(format!("{y}-{m}-01")),
        [y, m, d] if ok(y, 4) && ok(m, 2) && ok(d, 2) => Some(date.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::escape::{Element, read_xml};
    use crate::export::graph::{NASTY, sample, written};

    fn write(g: &EntityGraph) -> String {
        written(write_gexf, g)
    }

    /// The elements named `name`.
    fn named<'a>(elements: &'a [Element], name: &str) -> Vec<&'a Element> {
        elements.iter().filter(|e| e.name == name).collect()
    }

    #[test]
    fn round_trips_through_an_xml_reader() {
        let xml = write(&sample());
        let elements = read_xml(&xml);
        let nodes = named(&elements, "node");
        let edges = named(&elements, "edge");
        assert_eq!(nodes.len(), 4);
        assert_eq!(edges.len(), 5);
        let node = |k: usize, key: &str| nodes[k].attributes[key].as_str();
        assert_eq!(node(0, "label"), NASTY.replace('\u{1}', ""));
        assert_eq!(node(1, "label"), "西城区");
        assert_eq!(node(2, "label"), "玉树藏族自治州");
        assert_eq!(node(2, "id"), "n2");
        assert_eq!(node(3, "start"), "2024-03-01");
        assert!(!nodes[0].attributes.contains_key("start"));
        let edge = |k: usize, key: &str| edges[k].attributes[key].as_str();
        for (k, key, want) in [
            (2, "source", "n0"),
            (2, "target", "n1"),
            (2, "label", "funding"),
            (2, "weight", "10000000000"),
            (2, "start", "2024-01-01"),
            (4, "weight", "NaN"),
        ] {
            assert_eq!(edge(k, key), want, "edge {k}, {key}");
        }
        let attributes = named(&elements, "attribute");
        let declared: Vec<&str> = attributes
            .iter()
            .map(|a| a.attributes["id"].as_str())
            .collect();
        assert_eq!(declared.len(), ATTRIBUTES.len() + 1);
        assert_eq!(declared[..2], ["label_en", "label_pinyin"]);
        assert_eq!(declared[declared.len() - 1], "relation");
        let values = named(&elements, "attvalue");
        assert_eq!(values.len(), 4 * ATTRIBUTES.len() + 5);
        assert!(
            values
                .iter()
                .all(|v| declared.contains(&v.attributes["for"].as_str()))
        );
        let value = |node: usize, key: &str| {
            values[node * ATTRIBUTES.len()..(node + 1) * ATTRIBUTES.len()]
                .iter()
                .find(|v| v.attributes["for"] == key)
                .map(|v| v.attributes["value"].as_str())
                .unwrap()
        };
        assert_eq!(value(0, "iri"), "http://example.org/a?x=1&y=2");
        assert_eq!(value(0, "label_en"), "Nasty \"Co\"");
        assert_eq!(value(1, "degree"), "5");
        assert_eq!(value(1, "weighted_degree"), "6");
        assert_eq!(value(3, "component"), "1");
        let colours = named(&elements, "viz:color");
        let rgb: Vec<&str> = ["r", "g", "b"]
            .iter()
            .map(|k| colours[1].attributes[*k].as_str())
            .collect();
        assert_eq!(rgb, ["31", "119", "180"]);
        let sizes: Vec<f64> = named(&elements, "viz:size")
            .iter()
            .map(|s| s.attributes["value"].parse().unwrap())
            .collect();
        assert_eq!(sizes.len(), 4);
        assert_eq!(sizes[1], 60.0);
        assert_eq!(sizes[3], 10.0);
        assert!(sizes.iter().all(|s| (10.0..=60.0).contains(s)));
    }

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        let xml = write(&sample());
        assert!(!xml.contains('\u{1}') && !xml.contains('\r'));
        assert!(
            xml.contains("label=\"A&lt;b&gt;&amp;&quot;c&apos;d,e\\f&#13;&#10;gh&#9;i\""),
            "{xml}"
        );
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<gexf xmlns=\"http://gexf.net/1.3\""));
        assert!(
            xml.contains(
                "<graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">"
            )
        );
        assert!(xml.find("<attributes").unwrap() < xml.find("<nodes>").unwrap());
    }

    #[test]
    fn is_deterministic_and_handles_the_empty_graph() {
        let g = sample();
        assert_eq!(write(&g), write(&g));
        let xml = write(&EntityGraph::new());
        assert!(xml.contains("<graph defaultedgetype=\"directed\" mode=\"static\">"));
        assert!(
            read_xml(&xml)
                .iter()
                .all(|e| e.name != "node" && e.name != "edge")
        );
    }

    #[test]
    fn numbers_are_xsd_doubles() {
        assert_eq!(number(1e10), "10000000000");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "INF");
        assert_eq!(number(f64::NEG_INFINITY), "-INF");
    }

    #[test]
    fn dates_of_any_precision_become_the_first_day() {
        assert_eq!(full_date("2024").as_deref(), Some("2024-01-01"));
        assert_eq!(full_date("2024-03").as_deref(), Some("2024-03-01"));
        assert_eq!(full_date("2024-03-05").as_deref(), Some("2024-03-05"));
        assert_eq!(full_date(""), None);
        assert_eq!(full_date("24-3"), None);
    }
}
