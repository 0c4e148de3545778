//! Reads every export format back, as a standard reader of the format
//! would, and compares it with the graph that was written.
//!
//! Shared by the property tests of `robust.rs` and by the `export` fuzz
//! target (`fuzz/fuzz_targets/export.rs` includes this file), so it uses
//! only `yushu_kg`, `quick_xml`, `serde_json`, `csv` and `std`.

#![allow(dead_code)]

use petgraph::visit::EdgeRef;
use quick_xml::Reader;
use quick_xml::events::Event;
use yushu_kg::export::analytics::{Measures, measure};
use yushu_kg::export::graph::{Edge, EntityGraph, Node};
use yushu_kg::export::{csv, dot, gexf, graphml, json};

/// A graph from node fields `(label, label_en, label_pinyin, kind, iri,
/// date)` and edges `(source, target, label, weight, date)`; edge ends are
/// taken modulo the node count (no edge without nodes).
pub fn graph_of(
    nodes: &[(String, String, String, String, String, String)],
    edges: &[(usize, usize, String, f64, String)],
) -> EntityGraph {
    let mut g = EntityGraph::new();
    let ids: Vec<_> = nodes
        .iter()
        .map(|(label, label_en, label_pinyin, kind, iri, date)| {
            g.add_node(Node {
                iri: iri.clone(),
                label: label.clone(),
                label_en: label_en.clone(),
                label_pinyin: label_pinyin.clone(),
                kind: kind.clone(),
                date: date.clone(),
            })
        })
        .collect();
    if !ids.is_empty() {
        for (a, b, label, weight, date) in edges {
            g.add_edge(
                ids[a % ids.len()],
                ids[b % ids.len()],
                Edge {
                    label: label.clone(),
                    weight: *weight,
                    date: date.clone(),
                },
            );
        }
    }
    g
}

/// Writes `g` in every format and reads each back; `Err` says what differs.
pub fn check_all(g: &EntityGraph) -> Result<(), String> {
    let m = measure(g);
    check_graphml(g, &m)?;
    check_gexf(g, &m)?;
    check_json(g, &m)?;
    check_csv(g, &m)?;
    check_dot(g, &m)
}

fn utf8(out: Vec<u8>, format: &str) -> Result<String, String> {
    String::from_utf8(out).map_err(|e| format!("{format} is not UTF-8: {e}"))
}

fn expect_eq(what: &str, got: &str, want: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: read back {got:?}, wrote {want:?}"))
    }
}

// --------------------------------------------------------------------------
// XML
// --------------------------------------------------------------------------

/// Whether XML 1.0 allows `c` in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// What an XML reader gives for a text written from `s`: the characters
/// XML forbids are gone (the writers drop them).
fn xml_expected(s: &str) -> String {
    s.chars().filter(|&c| xml_char(c)).collect()
}

/// The character or entity a reference (`lt`, `#13`, `#x1F`) stands for.
fn resolve(name: &str) -> Result<String, String> {
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse()
            } else {
                return Err(format!("undeclared entity &{name};"));
            }
            .map_err(|e| format!("bad character reference &{name};: {e}"))?;
            char::from_u32(code)
                .filter(|&c| xml_char(c))
                .ok_or_else(|| format!("reference to a character XML forbids: &{name};"))?
        }
    };
    Ok(c.to_string())
}

/// End-of-line handling of XML 1.0 §2.11: CRLF and lone CR become LF.
fn xml_eol(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// An attribute value as an XML 1.0 reader reports it (§3.3.3): line ends
/// normalised, literal whitespace made a space, references resolved.
fn attribute_value(raw: &str) -> Result<String, String> {
    let s: String = xml_eol(raw)
        .chars()
        .map(|c| if matches!(c, '\t' | '\n') { ' ' } else { c })
        .collect();
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find(';')
            .ok_or_else(|| format!("unterminated reference in {raw:?}"))?;
        out.push_str(&resolve(&rest[i + 1..i + end])?);
        rest = &rest[i + end + 1..];
    }
    if rest.contains('<') {
        return Err(format!("'<' in an attribute value: {raw:?}"));
    }
    out.push_str(rest);
    Ok(out)
}

/// An element of an XML document: name, attributes, text content.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Every element of a well-formed document, in document order, each with
/// the text directly inside it; any error of well-formedness (unbalanced
/// tags, bad references, characters XML forbids) is an `Err`.
fn xml_elements(xml: &str) -> Result<Vec<Element>, String> {
    if let Some(c) = xml.chars().find(|&c| !xml_char(c)) {
        return Err(format!("character U+{:04X} that XML forbids", c as u32));
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut roots = 0;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed at byte {}: {e}", reader.error_position()))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                if open.is_empty() {
                    roots += 1;
                }
                let name =
                    String::from_utf8(e.name().as_ref().to_vec()).map_err(|e| e.to_string())?;
                let mut attributes = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| format!("bad attribute in <{name}>: {e}"))?;
                    let key =
                        String::from_utf8(a.key.as_ref().to_vec()).map_err(|e| e.to_string())?;
                    let raw = std::str::from_utf8(&a.value).map_err(|e| e.to_string())?;
                    attributes.push((key, attribute_value(raw)?));
                }
                out.push(Element {
                    name,
                    attributes,
                    text: String::new(),
                });
                if !empty {
                    open.push(out.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop().ok_or("an end tag closes nothing")?;
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                if text.contains('<') {
                    return Err(format!("'<' in text: {text:?}"));
                }
                match open.last() {
                    Some(&i) => out[i].text.push_str(&xml_eol(&text)),
                    None if text.trim().is_empty() => {}
                    None => return Err(format!("text outside the root element: {text:?}")),
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| e.to_string())?;
                let resolved = resolve(&name)?;
                let &i = open.last().ok_or("a reference outside the root element")?;
                out[i].text.push_str(&resolved);
            }
            Event::CData(_) => return Err("unexpected CDATA".to_owned()),
            Event::Eof => break,
            _ => {}
        }
    }
    if !open.is_empty() || roots != 1 {
        return Err(format!(
            "{} unclosed element(s), {roots} root(s)",
            open.len()
        ));
    }
    Ok(out)
}

fn check_graphml(g: &EntityGraph, m: &Measures) -> Result<(), String> {
    let mut out = Vec::new();
    graphml::write_graphml(g, m, &mut out).map_err(|e| format!("GraphML: {e}"))?;
    let elements = xml_elements(&utf8(out, "GraphML")?).map_err(|e| format!("GraphML: {e}"))?;
    // Each node's or edge's <data> children, in order.
    type Data = Vec<(String, String)>;
    let mut nodes: Vec<Data> = Vec::new();
    let mut edges: Vec<(String, String, Data)> = Vec::new();
    let mut in_edge = false;
    for e in &elements {
        match e.name.as_str() {
            "node" => {
                in_edge = false;
                nodes.push(Vec::new());
            }
            "edge" => {
                in_edge = true;
                let end = |k| e.attr(k).unwrap_or_default().to_owned();
                edges.push((end("source"), end("target"), Vec::new()));
            }
            "data" => {
                let key = e.attr("key").unwrap_or_default().to_owned();
                let data = (key, e.text.clone());
                match (in_edge, nodes.last_mut(), edges.last_mut()) {
                    (true, _, Some(edge)) => edge.2.push(data),
                    (false, Some(node), _) => node.push(data),
                    _ => return Err("GraphML: <data> outside a node or edge".to_owned()),
                }
            }
            _ => {}
        }
    }
    if nodes.len() != g.node_count() || edges.len() != g.edge_count() {
        return Err(format!(
            "GraphML: {} nodes and {} edges, wrote {} and {}",
            nodes.len(),
            edges.len(),
            g.node_count(),
            g.edge_count()
        ));
    }
    let value = |data: &[(String, String)], key: &str| {
        data.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    for (i, data) in g.node_indices().zip(&nodes) {
        let n = &g[i];
        for (key, want) in [
            ("label", &n.label),
            ("label_en", &n.label_en),
            ("label_pinyin", &n.label_pinyin),
            ("type", &n.kind),
            ("iri", &n.iri),
        ] {
            expect_eq(
                &format!("GraphML node {} {key}", i.index()),
                &value(data, key),
                &xml_expected(want),
            )?;
        }
    }
    for (e, (source, target, data)) in g.edge_references().zip(&edges) {
        expect_eq(
            "GraphML edge source",
            source,
            &format!("n{}", e.source().index()),
        )?;
        expect_eq(
            "GraphML edge target",
            target,
            &format!("n{}", e.target().index()),
        )?;
        expect_eq(
            "GraphML edge label",
            &value(data, "edge_label"),
            &xml_expected(&e.weight().label),
        )?;
    }
    Ok(())
}

fn check_gexf(g: &EntityGraph, m: &Measures) -> Result<(), String> {
    let mut out = Vec::new();
    gexf::write_gexf(g, m, &mut out).map_err(|e| format!("GEXF: {e}"))?;
    let elements = xml_elements(&utf8(out, "GEXF")?).map_err(|e| format!("GEXF: {e}"))?;
    let nodes: Vec<&Element> = elements.iter().filter(|e| e.name == "node").collect();
    let edges: Vec<&Element> = elements.iter().filter(|e| e.name == "edge").collect();
    if nodes.len() != g.node_count() || edges.len() != g.edge_count() {
        return Err(format!(
            "GEXF: {} nodes and {} edges, wrote {} and {}",
            nodes.len(),
            edges.len(),
            g.node_count(),
            g.edge_count()
        ));
    }
    // The attvalues of node k follow its <node> element.
    let mut values: Vec<Vec<(String, String)>> = Vec::new();
    for e in &elements {
        match e.name.as_str() {
            "node" | "edge" => values.push(Vec::new()),
            "attvalue" => {
                let v = (
                    e.attr("for").unwrap_or_default().to_owned(),
                    e.attr("value").unwrap_or_default().to_owned(),
                );
                values
                    .last_mut()
                    .ok_or("GEXF: <attvalue> outside a node")?
                    .push(v);
            }
            _ => {}
        }
    }
    for (i, node) in g.node_indices().zip(&nodes) {
        let n = &g[i];
        expect_eq(
            "GEXF node id",
            node.attr("id").unwrap_or_default(),
            &format!("n{}", i.index()),
        )?;
        expect_eq(
            "GEXF node label",
            node.attr("label").unwrap_or_default(),
            &xml_expected(&n.label),
        )?;
        let attvalues = &values[i.index()];
        for (key, want) in [
            ("label_en", &n.label_en),
            ("label_pinyin", &n.label_pinyin),
            ("type", &n.kind),
            ("iri", &n.iri),
        ] {
            let got = attvalues
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            expect_eq(
                &format!("GEXF node {} {key}", i.index()),
                got,
                &xml_expected(want),
            )?;
        }
    }
    for (e, edge) in g.edge_references().zip(&edges) {
        expect_eq(
            "GEXF edge source",
            edge.attr("source").unwrap_or_default(),
            &format!("n{}", e.source().index()),
        )?;
        expect_eq(
            "GEXF edge target",
            edge.attr("target").unwrap_or_default(),
            &format!("n{}", e.target().index()),
        )?;
        expect_eq(
            "GEXF edge label",
            edge.attr("label").unwrap_or_default(),
            &xml_expected(&e.weight().label),
        )?;
    }
    Ok(())
}

// --------------------------------------------------------------------------
// JSON
// --------------------------------------------------------------------------

fn check_json(g: &EntityGraph, m: &Measures) -> Result<(), String> {
    let mut out = Vec::new();
    json::write_json(g, m, &mut out).map_err(|e| format!("JSON: {e}"))?;
    let v: serde_json::Value =
        serde_json::from_slice(&out).map_err(|e| format!("JSON does not parse: {e}"))?;
    let nodes = v["nodes"].as_array().ok_or("JSON: no nodes array")?;
    let links = v["links"].as_array().ok_or("JSON: no links array")?;
    if nodes.len() != g.node_count() || links.len() != g.edge_count() {
        return Err(format!(
            "JSON: {} nodes and {} links",
            nodes.len(),
            links.len()
        ));
    }
    for (i, node) in g.node_indices().zip(nodes) {
        let n = &g[i];
        for (key, want) in [
            ("id", &format!("n{}", i.index())),
            ("label", &n.label),
            ("label_en", &n.label_en),
            ("label_pinyin", &n.label_pinyin),
            ("type", &n.kind),
            ("iri", &n.iri),
        ] {
            let got = node[key]
                .as_str()
                .ok_or_else(|| format!("JSON node {key} is no string"))?;
            expect_eq(&format!("JSON node {key}"), got, want)?;
        }
    }
    for (e, link) in g.edge_references().zip(links) {
        expect_eq(
            "JSON link source",
            link["source"].as_str().unwrap_or_default(),
            &format!("n{}", e.source().index()),
        )?;
        expect_eq(
            "JSON link target",
            link["target"].as_str().unwrap_or_default(),
            &format!("n{}", e.target().index()),
        )?;
        expect_eq(
            "JSON link label",
            link["label"].as_str().unwrap_or_default(),
            &e.weight().label,
        )?;
        let w = e.weight().weight;
        // serde_json's default float parser may be a unit in the last place
        // off, more for subnormals (its exact parser is a feature this crate
        // does not use); the writer's digits are exact (ryu).
        let ok = if w.is_finite() {
            link["weight"].as_f64().is_some_and(|got| {
                (got - w).abs() <= (w.abs() * 4.0 * f64::EPSILON).max(f64::MIN_POSITIVE)
            })
        } else {
            link["weight"].is_null()
        };
        if !ok {
            return Err(format!("JSON link weight {} for {w}", link["weight"]));
        }
    }
    Ok(())
}

// --------------------------------------------------------------------------
// CSV
// --------------------------------------------------------------------------

/// Records of an RFC 4180 document, header included, read with the `csv`
/// crate; a record not ended by CRLF is an `Err`.
pub fn csv_records(text: &str) -> Result<Vec<Vec<String>>, String> {
    if !text.is_empty() && !text.ends_with("\r\n") {
        return Err("the last record is not terminated by CRLF".to_owned());
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        // The reader takes the CR as the end of a record and reports the
        // next one as starting at the LF it then skips.
        let mut start = record.position().map_or(0, |p| p.byte()) as usize;
        if text.as_bytes().get(start) == Some(&b'\n') {
            start += 1;
        }
        if start > 0 && !text.as_bytes()[..start].ends_with(b"\r\n") {
            return Err(format!("a record ends without CRLF before byte {start}"));
        }
        records.push(record.iter().map(str::to_owned).collect());
    }
    Ok(records)
}

/// What the CSV writer keeps of a text: control characters but tab, CR
/// and LF are dropped.
fn csv_expected(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\r' | '\n'))
        .collect()
}

fn check_csv(g: &EntityGraph, m: &Measures) -> Result<(), String> {
    let mut out = Vec::new();
    csv::write_nodes_csv(g, m, &mut out).map_err(|e| format!("CSV: {e}"))?;
    let rows = csv_records(&utf8(out, "CSV")?).map_err(|e| format!("node CSV: {e}"))?;
    if rows.len() != g.node_count() + 1 || rows.iter().any(|r| r.len() != 11) {
        return Err(format!(
            "node CSV: {} rows, widths {:?}",
            rows.len(),
            rows.iter().map(Vec::len).collect::<Vec<_>>()
        ));
    }
    expect_eq(
        "node CSV header",
        &rows[0].join(","),
        &csv::nodes_header().join(","),
    )?;
    for (i, row) in g.node_indices().zip(&rows[1..]) {
        let n = &g[i];
        expect_eq("node CSV id", &row[0], &format!("n{}", i.index()))?;
        for (k, want) in [&n.label, &n.label_en, &n.label_pinyin, &n.kind, &n.iri]
            .into_iter()
            .enumerate()
        {
            expect_eq(
                &format!("node CSV column {}", k + 1),
                &row[k + 1],
                &csv_expected(want),
            )?;
        }
    }
    let mut out = Vec::new();
    csv::write_edges_csv(g, &mut out).map_err(|e| format!("CSV: {e}"))?;
    let rows = csv_records(&utf8(out, "CSV")?).map_err(|e| format!("edge CSV: {e}"))?;
    if rows.len() != g.edge_count() + 1 || rows.iter().any(|r| r.len() != 5) {
        return Err(format!("edge CSV: {} rows", rows.len()));
    }
    for (e, row) in g.edge_references().zip(&rows[1..]) {
        expect_eq(
            "edge CSV source",
            &row[0],
            &format!("n{}", e.source().index()),
        )?;
        expect_eq(
            "edge CSV target",
            &row[1],
            &format!("n{}", e.target().index()),
        )?;
        expect_eq("edge CSV label", &row[3], &csv_expected(&e.weight().label))?;
    }
    Ok(())
}

// --------------------------------------------------------------------------
// DOT
// --------------------------------------------------------------------------

/// The `key=value` attributes of one DOT statement's `[…]` list, with
/// quoted values unquoted as Graphviz reads them (`\"` is a quote, every
/// other backslash stays); `Err` when the list does not tokenize.
fn dot_attributes(list: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = list.chars().peekable();
    loop {
        let key: String =
            std::iter::from_fn(|| chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_'))
                .collect();
        if key.is_empty() {
            return Err(format!(
                "no attribute name at {:?}",
                chars.collect::<String>()
            ));
        }
        if chars.next() != Some('=') {
            return Err(format!("no '=' after {key}"));
        }
        let value = if chars.peek() == Some(&'"') {
            chars.next();
            let mut v = String::new();
            loop {
                match chars
                    .next()
                    .ok_or_else(|| format!("unterminated string for {key}"))?
                {
                    '"' => break,
                    '\\' => match chars.next().ok_or("a backslash at the end")? {
                        '"' => v.push('"'),
                        '\n' => {} // a line continuation
                        c => {
                            v.push('\\');
                            v.push(c);
                        }
                    },
                    '\n' | '\r' => return Err(format!("a raw line break in the string for {key}")),
                    c => v.push(c),
                }
            }
            v
        } else {
            std::iter::from_fn(|| {
                chars.next_if(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '#'))
            })
            .collect()
        };
        out.push((key, value));
        match chars.next() {
            None => return Ok(out),
            Some(',') if chars.next() == Some(' ') => {}
            Some(c) => return Err(format!("{c:?} after an attribute value")),
        }
    }
}

/// A label as Graphviz shows it: `\\` is a backslash, `\n` a line break.
fn dot_label(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(c) => out.push(c),
            None => out.push('\\'),
        }
    }
    out
}

/// What the DOT writer keeps of a text: a tab becomes a space, other
/// control characters but LF are dropped.
fn dot_expected(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn check_dot(g: &EntityGraph, m: &Measures) -> Result<(), String> {
    let mut out = Vec::new();
    dot::write_dot(g, m, &mut out).map_err(|e| format!("DOT: {e}"))?;
    let text = utf8(out, "DOT")?;
    // One statement per line: a line break inside a string would be a bug.
    let lines: Vec<&str> = text.lines().collect();
    if lines.first() != Some(&"digraph yushu {") || lines.last() != Some(&"}") {
        return Err("DOT: not a digraph".to_owned());
    }
    let statements = &lines[3..lines.len() - 1];
    if statements.len() != g.node_count() + g.edge_count() {
        return Err(format!("DOT: {} statements", statements.len()));
    }
    let parse = |line: &str, head: &str| -> Result<Vec<(String, String)>, String> {
        let list = line
            .strip_prefix(&format!("  {head} ["))
            .and_then(|l| l.strip_suffix("];"))
            .ok_or_else(|| format!("DOT: {line:?} is not `{head} […];`"))?;
        dot_attributes(list).map_err(|e| format!("DOT: {e} in {line:?}"))
    };
    let get = |attrs: &[(String, String)], key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| dot_label(v))
            .unwrap_or_default()
    };
    for (i, line) in g.node_indices().zip(statements) {
        let attrs = parse(line, &format!("n{}", i.index()))?;
        let n = &g[i];
        expect_eq("DOT label", &get(&attrs, "label"), &dot_expected(&n.label))?;
        expect_eq(
            "DOT tooltip",
            &get(&attrs, "tooltip"),
            &dot_expected(&n.iri),
        )?;
        expect_eq("DOT type", &get(&attrs, "type"), &dot_expected(&n.kind))?;
    }
    for (e, line) in g.edge_references().zip(&statements[g.node_count()..]) {
        let attrs = parse(
            line,
            &format!("n{} -> n{}", e.source().index(), e.target().index()),
        )?;
        expect_eq(
            "DOT edge label",
            &get(&attrs, "label"),
            &dot_expected(&e.weight().label),
        )?;
    }
    Ok(())
}
