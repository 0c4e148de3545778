//! GraphML for Gephi, yEd and networkx.
//!
//! Gephi's importer matches a key's `id` before its `attr.name`, and drops
//! data whose key is declared after `<graph>`: so every key is declared
//! first, with a meaningful id equal to its name (`label`, `weight`), and
//! labels are the `label` key. The node keys are the columns of
//! [`analytics::columns`](super::analytics::columns), typed; colour and
//! size follow as the integer `r`, `g`, `b` and the double `size` node
//! attributes Gephi reads on import. Text is escaped by
//! [`escape::xml_text`](super::escape::xml_text).

use std::io::Write;

use super::Written;

use petgraph::visit::EdgeRef;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

use super::analytics::{ColumnType, Measures, colour, columns, size};
use super::escape;
use super::graph::EntityGraph;

/// The node keys after the columns: colour and size, with their types.
const DRAWING_KEYS: [(&str, &str); 4] =
    [("r", "int"), ("g", "int"), ("b", "int"), ("size", "double")];
/// The edge keys: id, name and type.
const EDGE_KEYS: [(&str, &str, &str); 2] = [
    ("edge_label", "label", "string"),
    ("weight", "weight", "double"),
];

/// The GraphML `attr.type` of a column.
fn key_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Text => "string",
        ColumnType::Integer => "int",
        ColumnType::Double => "double",
    }
}

type W<'a> = escape::XmlWriter<'a>;

/// Writes the graph as GraphML, with the measures as node attributes.
pub fn write_graphml(graph: &EntityGraph, measures: &Measures, out: &mut dyn Write) -> Written {
    measures.check(graph)?;
    let max_w = measures.max_weighted_degree();
    let mut w = escape::xml_document(out)?;
    let root = BytesStart::new("graphml")
        .with_attributes([("xmlns", "http://graphml.graphdrawing.org/xmlns")]);
    w.write_event(Event::Start(root))?;
    for c in columns() {
        key(&mut w, "node", c.name, c.name, key_type(c.ty))?;
    }
    for (name, ty) in DRAWING_KEYS {
        key(&mut w, "node", name, name, ty)?;
    }
    for (id, name, ty) in EDGE_KEYS {
        key(&mut w, "edge", id, name, ty)?;
    }
    let mut g = BytesStart::new("graph");
    g.push_attribute(("id", "yushu-kg"));
    g.push_attribute(("edgedefault", "directed"));
    w.write_event(Event::Start(g))?;
    for i in graph.node_indices() {
        let mut e = BytesStart::new("node");
        let id = format!("n{}", i.index());
        e.push_attribute(("id", id.as_str()));
        w.write_event(Event::Start(e))?;
        for c in columns() {
            data(&mut w, c.name, &c.cell(graph, measures, i).to_string())?;
        }
        let (r, g, b) = colour(&graph[i].kind);
        let node_size = size(measures.weighted_degree[i.index()], max_w);
        for (key, value) in [
            ("r", r.to_string()),
            ("g", g.to_string()),
            ("b", b.to_string()),
            ("size", node_size.to_string()),
        ] {
            data(&mut w, key, &value)?;
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

/// Declares a key.
fn key(w: &mut W, domain: &str, id: &str, name: &str, ty: &str) -> std::io::Result<()> {
    let mut k = BytesStart::new("key");
    k.push_attribute(("id", id));
    k.push_attribute(("for", domain));
    k.push_attribute(("attr.name", name));
    k.push_attribute(("attr.type", ty));
    w.write_event(Event::Empty(k))?;
    Ok(())
}

/// Writes `<data key>` holding `value` as escaped text.
fn data(w: &mut W, key: &str, value: &str) -> std::io::Result<()> {
    let mut d = BytesStart::new("data");
    d.push_attribute(("key", key));
    w.write_event(Event::Start(d))?;
    w.write_event(Event::Text(BytesText::from_escaped(escape::xml_text(
        value,
    ))))?;
    w.write_event(Event::End(BytesEnd::new("data")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::export::analytics::ATTRIBUTES;
    use crate::export::escape::read_xml;
    use crate::export::graph::{NASTY, sample, written};

    fn write(g: &EntityGraph) -> String {
        written(write_graphml, g)
    }

    /// Each node's `<data>`, by key, as an XML reader gives them.
    fn node_data(xml: &str) -> Vec<BTreeMap<String, String>> {
        let mut nodes: Vec<BTreeMap<String, String>> = Vec::new();
        let mut in_node = false;
        for e in read_xml(xml) {
            match e.name.as_str() {
                "node" => {
                    in_node = true;
                    nodes.push(BTreeMap::new());
                }
                "edge" => in_node = false,
                "data" if in_node => {
                    let node = nodes.last_mut().unwrap();
                    node.insert(e.attributes["key"].clone(), e.text);
                }
                _ => {}
            }
        }
        nodes
    }

    #[test]
    fn keys_come_first_with_ids_equal_to_their_names() {
        let xml = write(&sample());
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.find("<key").unwrap() < xml.find("<graph ").unwrap());
        let keys: Vec<(String, String, String)> = read_xml(&xml)
            .into_iter()
            .filter(|e| e.name == "key")
            .map(|e| {
                let a = |k: &str| e.attributes[k].clone();
                (a("id"), a("for"), a("attr.type"))
            })
            .collect();
        let typed =
            |id: &str, domain: &str, ty: &str| (id.to_owned(), domain.to_owned(), ty.to_owned());
        assert_eq!(keys.len(), 1 + ATTRIBUTES.len() + 4 + 2);
        assert_eq!(keys[0], typed("label", "node", "string"));
        assert_eq!(keys[5], typed("degree", "node", "int"));
        assert_eq!(keys[8], typed("pagerank", "node", "double"));
        assert_eq!(keys[13], typed("size", "node", "double"));
        assert_eq!(keys[14], typed("edge_label", "edge", "string"));
        assert_eq!(keys[15], typed("weight", "edge", "double"));
        assert!(xml.contains(
            "<key id=\"edge_label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>"
        ));
    }

    #[test]
    fn nodes_read_back_with_their_labels_and_measures() {
        let g = sample();
        let xml = write(&g);
        assert!(!xml.contains('\u{1}'));
        let nodes = node_data(&xml);
        assert_eq!(nodes.len(), 4);
        assert!(nodes.iter().all(|n| n.len() == 1 + ATTRIBUTES.len() + 4));
        assert_eq!(nodes[0]["label"], NASTY.replace('\u{1}', ""));
        assert_eq!(nodes[0]["iri"], "http://example.org/a?x=1&y=2");
        assert_eq!(nodes[1]["label"], "西城区");
        assert_eq!(nodes[1]["label_pinyin"], "Xīchéng Qū");
        assert_eq!(nodes[1]["degree"], "5");
        assert_eq!(nodes[1]["weighted_degree"], "6");
        assert_eq!(nodes[1]["size"], "60");
        assert_eq!(
            (&*nodes[1]["r"], &*nodes[1]["g"], &*nodes[1]["b"]),
            ("31", "119", "180")
        );
        assert_eq!(nodes[3]["component"], "1");
        assert_eq!(nodes[3]["size"], "10");
        let pagerank: f64 = nodes
            .iter()
            .map(|n| n["pagerank"].parse::<f64>().unwrap())
            .sum();
        assert!((pagerank - 1.0).abs() < 1e-9);
    }

    #[test]
    fn text_is_escaped_and_a_carriage_return_survives_end_of_line_handling() {
        let xml = write(&sample());
        assert!(!xml.contains('\r'), "{xml}");
        assert!(
            xml.contains(
                "<data key=\"label\">A&lt;b&gt;&amp;&quot;c&apos;d,e\\f&#13;\ngh\ti</data>"
            ),
            "{xml}"
        );
        assert!(xml.contains("<data key=\"label\">西城区</data>"));
        assert!(xml.contains("<data key=\"weight\">NaN</data>"));
        assert!(xml.contains("<data key=\"weight\">10000000000</data>"));
    }
}
