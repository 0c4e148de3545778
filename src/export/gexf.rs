//! GEXF 1.3, Gephi's own format: the entity graph with its labels,
//! network measures, and node colours and sizes Gephi shows as they are.
//!
//! Node ids are `n0`, `n1`… in node index order, edge ids `e0`… in edge
//! index order, as in the GraphML writer. Every attribute is declared in
//! `<attributes>` before the nodes, with an id equal to its title. All text
//! lives in XML attribute values: characters XML 1.0 forbids are removed
//! ([`xml_safe`]), the rest is escaped by quick-xml, and tab, newline and
//! carriage return are written as character references so that a reader's
//! attribute-value normalisation does not turn them into spaces.
//!
//! Time for Gephi's timeline: events start at their date and fundings at
//! the start of their year (`start` attributes, `timeformat="date"`); the
//! graph is `mode="dynamic"` when anything is dated, `"static"` otherwise.

use std::borrow::Cow;
use std::io::Write;

use petgraph::visit::EdgeRef;
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::analytics::{Measures, colour};
use super::graph::EntityGraph;
use super::graphml::xml_safe;

/// Node attributes: id (= title) and GEXF type.
const NODE_ATTRIBUTES: &[(&str, &str)] = &[
    ("label_en", "string"),
    ("label_pinyin", "string"),
    ("type", "string"),
    ("iri", "string"),
    ("degree", "integer"),
    ("weighted_degree", "double"),
    ("betweenness", "double"),
    ("pagerank", "double"),
    ("component", "integer"),
];
/// Edge attributes: id (= title) and GEXF type.
const EDGE_ATTRIBUTES: &[(&str, &str)] = &[("relation", "string")];

type W<'a> = Writer<&'a mut dyn Write>;

/// Writes the graph and its measures as GEXF 1.3.
///
/// Fails with `InvalidInput`, before writing, when `measures` was not
/// computed for a graph of this many nodes.
pub fn write_gexf(
    graph: &EntityGraph,
    measures: &Measures,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    measures.check(graph)?;
    let max_w = measures.max_weighted_degree();
    let mut w: W = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("gexf");
    root.push_attribute(("xmlns", "http://gexf.net/1.3"));
    root.push_attribute(("xmlns:viz", "http://gexf.net/1.3/viz"));
    root.push_attribute(("version", "1.3"));
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
    for (class, attributes) in [("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)] {
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
        push_text(&mut e, "label", &n.label);
        if let Some(start) = full_date(&n.date) {
            e.push_attribute(("start", start.as_str()));
        }
        w.write_event(Event::Start(e))?;
        let values: [(&str, Cow<str>); 9] = [
            ("label_en", Cow::Borrowed(&n.label_en)),
            ("label_pinyin", Cow::Borrowed(&n.label_pinyin)),
            ("type", Cow::Borrowed(&n.kind)),
            ("iri", Cow::Borrowed(&n.iri)),
            ("degree", Cow::Owned(measures.degree[k].to_string())),
            (
                "weighted_degree",
                Cow::Owned(number(measures.weighted_degree[k])),
            ),
            ("betweenness", Cow::Owned(number(measures.betweenness[k]))),
            ("pagerank", Cow::Owned(number(measures.pagerank[k]))),
            ("component", Cow::Owned(measures.component[k].to_string())),
        ];
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

/// Adds an attribute holding free text: forbidden characters removed,
/// markup escaped, and whitespace that attribute-value normalisation would
/// flatten written as character references.
fn push_text(e: &mut BytesStart, key: &str, value: &str) {
    let escaped = quick_xml::escape::escape(xml_safe(value));
    let mut raw = String::with_capacity(escaped.len());
    for c in escaped.chars() {
        match c {
            '\t' => raw.push_str("&#9;"),
            '\n' => raw.push_str("&#10;"),
            '\r' => raw.push_str("&#13;"),
            c => raw.push(c),
        }
    }
    e.push_attribute(Attribute {
        key: QName(key.as_bytes()),
        value: Cow::Owned(raw.into_bytes()),
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
    use std::collections::BTreeMap;

    use quick_xml::Reader;

    use super::*;
    use crate::export::analytics::measure;
    use crate::export::graph::{Edge, Node};

    const NASTY: &str = "A<b>&\"c'd,e\nf\u{1}g";

    fn sample() -> EntityGraph {
        let mut g = EntityGraph::new();
        let a = g.add_node(Node {
            iri: "http://example.org/a?x=1&y=2".into(),
            label: NASTY.into(),
            label_en: "Nasty \"Co\"".into(),
            label_pinyin: String::new(),
            kind: "Company".into(),
            date: String::new(),
        });
        let b = g.add_node(Node {
            iri: "http://example.org/xicheng".into(),
            label: "西城区".into(),
            label_en: "Xicheng District".into(),
            label_pinyin: "Xīchéng Qū".into(),
            kind: "District".into(),
            date: String::new(),
        });
        let c = g.add_node(Node {
            iri: "http://example.org/yushu".into(),
            label: "玉树藏族自治州".into(),
            label_en: "Yushu".into(),
            label_pinyin: "Yùshù".into(),
            kind: "Prefecture".into(),
            date: String::new(),
        });
        for (s, t, label, weight) in [
            (a, b, "supports", 2.0),
            (b, c, "funding", 3.5e9),
            (b, c, "supports", 1.0),
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

    type Attrs = BTreeMap<String, String>;

    /// Elements by local name, with their unescaped attributes, in order.
    fn parse(xml: &str) -> Vec<(String, Attrs)> {
        let mut reader = Reader::from_str(xml);
        let mut out = Vec::new();
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) | Event::Empty(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.unescape_value().unwrap().into_owned(),
                            )
                        })
                        .collect();
                    out.push((name, attrs));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    fn write(g: &EntityGraph) -> String {
        let mut out = Vec::new();
        write_gexf(g, &measure(g), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn round_trips_through_an_xml_reader() {
        let g = sample();
        let xml = write(&g);
        let elements = parse(&xml);
        let nodes: Vec<&Attrs> = elements
            .iter()
            .filter(|(n, _)| n == "node")
            .map(|(_, a)| a)
            .collect();
        let edges: Vec<&Attrs> = elements
            .iter()
            .filter(|(n, _)| n == "edge")
            .map(|(_, a)| a)
            .collect();
        assert_eq!(nodes.len(), 3);
        assert_eq!(edges.len(), 3);
        assert_eq!(nodes[0]["label"], "A<b>&\"c'd,e\nfg");
        assert_eq!(nodes[1]["label"], "西城区");
        assert_eq!(nodes[2]["label"], "玉树藏族自治州");
        assert_eq!(nodes[2]["id"], "n2");
        assert_eq!(edges[1]["source"], "n1");
        assert_eq!(edges[1]["target"], "n2");
        assert_eq!(edges[1]["label"], "funding");
        assert_eq!(edges[1]["weight"], "3500000000");
        let declared: Vec<&str> = elements
            .iter()
            .filter(|(n, _)| n == "attribute")
            .map(|(_, a)| a["id"].as_str())
            .collect();
        assert_eq!(declared.len(), NODE_ATTRIBUTES.len() + 1);
        let values: Vec<&Attrs> = elements
            .iter()
            .filter(|(n, _)| n == "attvalue")
            .map(|(_, a)| a)
            .collect();
        assert_eq!(values.len(), 3 * NODE_ATTRIBUTES.len() + 3);
        assert!(values.iter().all(|v| declared.contains(&v["for"].as_str())));
        assert!(
            values
                .iter()
                .any(|v| v["for"] == "iri" && v["value"] == "http://example.org/a?x=1&y=2")
        );
        let colours: Vec<&Attrs> = elements
            .iter()
            .filter(|(n, _)| n == "viz:color")
            .map(|(_, a)| a)
            .collect();
        assert_eq!(
            (&*colours[1]["r"], &*colours[1]["g"], &*colours[1]["b"]),
            ("31", "119", "180")
        );
        let sizes: Vec<f64> = elements
            .iter()
            .filter(|(n, _)| n == "viz:size")
            .map(|(_, a)| a["value"].parse().unwrap())
            .collect();
        assert_eq!(sizes.len(), 3);
        assert_eq!(sizes[1], 60.0);
        assert!(sizes.iter().all(|s| (10.0..=60.0).contains(s)));
    }

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        let xml = write(&sample());
        assert!(!xml.contains('\u{1}'));
        assert!(
            xml.contains("label=\"A&lt;b&gt;&amp;&quot;c&apos;d,e&#10;fg\""),
            "{xml}"
        );
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<gexf xmlns=\"http://gexf.net/1.3\""));
        assert!(xml.contains("<graph defaultedgetype=\"directed\" mode=\"static\">"));
        assert!(xml.find("<attributes").unwrap() < xml.find("<nodes>").unwrap());
    }

    #[test]
    fn is_deterministic_and_handles_the_empty_graph() {
        let g = sample();
        assert_eq!(write(&g), write(&g));
        let xml = write(&EntityGraph::new());
        assert!(parse(&xml).iter().all(|(n, _)| n != "node" && n != "edge"));
    }

    #[test]
    fn refuses_measures_of_another_graph() {
        let m = measure(&EntityGraph::new());
        let mut out = Vec::new();
        let err = write_gexf(&sample(), &m, &mut out).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(out.is_empty());
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
