//! GraphML for Gephi, yEd and networkx.
//!
//! Gephi's importer matches a key's `id` before its `attr.name`, and drops
//! data whose key is declared after `<graph>`: so every key is declared
//! first, with a meaningful id equal to its name (`label`, `weight`), and
//! labels are the `label` key. Colour and size come as the integer `r`,
//! `g`, `b` and the double `size` node attributes Gephi reads on import;
//! the network measures of `analytics` are typed attributes. Characters XML
//! 1.0 forbids are removed; the rest is escaped by the XML writer.

use std::io::Write;

use petgraph::visit::EdgeRef;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::analytics::{Measures, colour, size};
use super::graph::EntityGraph;

/// Removes characters that XML 1.0 does not allow.
pub fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}'))
        .collect()
}

const NODE_KEYS: &[(&str, &str)] = &[
    ("label", "string"),
    ("label_en", "string"),
    ("label_pinyin", "string"),
    ("type", "string"),
    ("iri", "string"),
    ("degree", "int"),
    ("weighted_degree", "double"),
    ("betweenness", "double"),
    ("pagerank", "double"),
    ("component", "int"),
    ("r", "int"),
    ("g", "int"),
    ("b", "int"),
    ("size", "double"),
];
const EDGE_KEYS: &[(&str, &str)] = &[("label", "string"), ("weight", "double")];

/// Writes the graph as GraphML, with the measures as node attributes.
pub fn write_graphml(
    graph: &EntityGraph,
    measures: &Measures,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    measures.check(graph)?;
    let max_w = measures.max_weighted_degree();
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("graphml");
    root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
    w.write_event(Event::Start(root))?;
    for (domain, keys) in [("node", NODE_KEYS), ("edge", EDGE_KEYS)] {
        for (name, ty) in keys {
            let id = if domain == "edge" && *name == "label" {
                "edge_label".to_owned()
            } else {
                (*name).to_owned()
            };
            let id = if domain == "edge" && *name == "weight" {
                "weight".to_owned()
            } else {
                id
            };
            let mut k = BytesStart::new("key");
            k.push_attribute(("id", id.as_str()));
            k.push_attribute(("for", domain));
            k.push_attribute(("attr.name", *name));
            k.push_attribute(("attr.type", *ty));
            w.write_event(Event::Empty(k))?;
        }
    }
    let mut g = BytesStart::new("graph");
    g.push_attribute(("id", "yushu-kg"));
    g.push_attribute(("edgedefault", "directed"));
    w.write_event(Event::Start(g))?;
    for i in graph.node_indices() {
        let n = &graph[i];
        let mut e = BytesStart::new("node");
        let id = format!("n{}", i.index());
        e.push_attribute(("id", id.as_str()));
        w.write_event(Event::Start(e))?;
        let (r, g, b) = colour(&n.kind);
        let k = i.index();
        let numbers = [
            ("degree", measures.degree[k].to_string()),
            ("weighted_degree", measures.weighted_degree[k].to_string()),
            ("betweenness", measures.betweenness[k].to_string()),
            ("pagerank", measures.pagerank[k].to_string()),
            ("component", measures.component[k].to_string()),
            ("r", r.to_string()),
            ("g", g.to_string()),
            ("b", b.to_string()),
            ("size", size(measures.weighted_degree[k], max_w).to_string()),
        ];
        for (key, value) in [
            ("label", n.label.as_str()),
            ("label_en", n.label_en.as_str()),
            ("label_pinyin", n.label_pinyin.as_str()),
            ("type", n.kind.as_str()),
            ("iri", n.iri.as_str()),
        ] {
            data(&mut w, key, value)?;
        }
        for (key, value) in &numbers {
            data(&mut w, key, value)?;
        }
        w.write_event(Event::End(BytesEnd::new("node")))?;
    }
    for (k, e) in graph.edge_references().enumerate() {
        let mut el = BytesStart::new("edge");
        let id = format!("e{k}");
        let source = format!("n{}", e.source().index());
        let target = format!("n{}", e.target().index());
        el.push_attribute(("id", id.as_str()));
        el.push_attribute(("source", source.as_str()));
        el.push_attribute(("target", target.as_str()));
        w.write_event(Event::Start(el))?;
        data(&mut w, "edge_label", &e.weight().label)?;
        data(&mut w, "weight", &e.weight().weight.to_string())?;
        w.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))?;
    writeln!(w.get_mut())?;
    Ok(())
}

fn data<W: Write>(w: &mut Writer<W>, key: &str, value: &str) -> std::io::Result<()> {
    let mut d = BytesStart::new("data");
    d.push_attribute(("key", key));
    w.write_event(Event::Start(d))?;
    // A raw CR in text reaches a reader as LF (XML end-of-line handling),
    // so it is written as a character reference.
    let text = quick_xml::escape::escape(xml_safe(value)).replace('\r', "&#13;");
    w.write_event(Event::Text(BytesText::from_escaped(text)))?;
    w.write_event(Event::End(BytesEnd::new("data")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graph::{Edge, Node};

    #[test]
    fn labels_are_escaped_and_keys_come_first() {
        let mut g = EntityGraph::new();
        let a = g.add_node(Node {
            iri: "x".into(),
            label: "A<&>\u{1}\"".into(),
            label_en: String::new(),
            label_pinyin: String::new(),
            kind: "Company".into(),
            date: String::new(),
        });
        let b = g.add_node(Node {
            iri: "y".into(),
            label: "西城区".into(),
            label_en: "Xicheng".into(),
            label_pinyin: "Xī chéng qū".into(),
            kind: "District".into(),
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
        let mut out = Vec::new();
        let m = crate::export::analytics::measure(&g);
        write_graphml(&g, &m, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains("A&lt;&amp;&gt;&quot;"), "{xml}");
        assert!(!xml.contains('\u{1}'));
        assert!(xml.find("<key").unwrap() < xml.find("<graph ").unwrap());
        assert!(xml.contains("<data key=\"label\">西城区</data>"));
    }

    #[test]
    fn a_carriage_return_survives_end_of_line_handling() {
        let mut g = EntityGraph::new();
        g.add_node(Node {
            iri: "x".into(),
            label: "a\r\nb\rc".into(),
            label_en: String::new(),
            label_pinyin: String::new(),
            kind: "Company".into(),
            date: String::new(),
        });
        let mut out = Vec::new();
        write_graphml(&g, &crate::export::analytics::measure(&g), &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(!xml.contains('\r'), "{xml}");
        assert!(
            xml.contains("<data key=\"label\">a&#13;\nb&#13;c</data>"),
            "{xml}"
        );
    }
}
