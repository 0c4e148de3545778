//! The entity network as a petgraph graph, read from the store.
//!
//! Nodes are the entities some article names, plus every administrative
//! area of the reference data (which carries the pairings); organisations
//! the gazetteer knows but no article names are left out.
//! edges are entity-to-entity relations (`supports`, `participatesIn`,
//! `pairedWith`, `locatedIn`, `partOf`, `affiliation`), weighted by how many
//! pieces of evidence state them (at least 1), and fundings collapsed into
//! funder → recipient edges weighted by the amount in yuan, one per year
//! (dated, for timelines) and one for undated fundings.

use std::collections::BTreeMap;

use oxigraph::model::Term;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::query::cell_value as value;
use crate::rdf::vocab;
use crate::store::{Store, StoreError};

/// A node of the network.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Node {
    /// The entity's IRI.
    pub iri: String,
    /// Chinese label.
    pub label: String,
    /// English label, empty when unknown.
    pub label_en: String,
    /// Pinyin label, empty when the name has no Chinese character.
    pub label_pinyin: String,
    /// Class name (`Hospital`).
    pub kind: String,
    /// When it happened, for events (`2024-03`), else empty.
    pub date: String,
}

/// An edge of the network.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Edge {
    /// Relation name (`supports`, `funding`).
    pub label: String,
    /// Evidence count, or the amount in yuan for funding.
    pub weight: f64,
    /// The year a funding is for (`2024`), else empty.
    pub date: String,
}

/// The entity network.
pub type EntityGraph = DiGraph<Node, Edge>;

/// How fundings appear in the network (`export --funding`).
///
/// The first paragraph of each variant's documentation is its help in
/// `yushu-kg export --help`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FundingAs {
    /// One funder → recipient edge per year, weighted by yuan.
    ///
    /// The weight is the sum of the year's amounts.
    #[default]
    Edges,
    /// A node per funding, linked to its funder and recipient.
    ///
    /// The node's type is `Funding`; the funder → funding (`funds`) and
    /// funding → recipient (`receives`) edges are weighted by its amount.
    Nodes,
}

/// Reads the entity network from the store, in a deterministic order.
pub fn entity_graph(store: &Store) -> Result<EntityGraph, StoreError> {
    entity_graph_with(store, FundingAs::Edges)
}

/// Reads the entity network, with fundings as edges or as nodes.
pub fn entity_graph_with(store: &Store, funding_as: FundingAs) -> Result<EntityGraph, StoreError> {
    let ns = vocab::NS;
    let nodes = store.select(
        &format!(
            "PREFIX ykg: <{ns}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
             SELECT ?e (SAMPLE(?t) AS ?type) (SAMPLE(?zh) AS ?label) (SAMPLE(?en) AS ?label_en) (SAMPLE(?py) AS ?label_pinyin) (SAMPLE(?d) AS ?date) WHERE {{
               ?e a ?t . VALUES ?t {{ ykg:Municipality ykg:Province ykg:Prefecture ykg:District ykg:County
                 ykg:Hospital ykg:School ykg:Company ykg:GovernmentBody ykg:Organization ykg:Program ykg:Person ykg:Event }}
               OPTIONAL {{ ?e rdfs:label ?zh FILTER(lang(?zh) = \"zh\") }}
               OPTIONAL {{ ?e rdfs:label ?en FILTER(lang(?en) = \"en\") }}
               OPTIONAL {{ ?e rdfs:label ?py FILTER(langMatches(lang(?py), \"zh-Latn-pinyin\")) }}
               OPTIONAL {{ ?e ykg:date ?d }}
               FILTER(EXISTS {{ ?e ykg:mentionedIn ?article }} || EXISTS {{ ?e a/rdfs:subClassOf* ykg:AdministrativeArea }})
             }} GROUP BY ?e ORDER BY ?e"
        ),
    )?;
    let mut graph = EntityGraph::new();
    let mut index: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for r in &nodes {
        let iri = value(&r[0]);
        let kind = value(&r[1]).strip_prefix(ns).unwrap_or_default().to_owned();
        let mut label = value(&r[2]);
        if label.is_empty() {
            label = iri.rsplit('/').next().unwrap_or_default().to_owned();
        }
        let i = graph.add_node(Node {
            iri: iri.clone(),
            label,
            label_en: value(&r[3]),
            label_pinyin: value(&r[4]),
            kind,
            date: value(&r[5]),
        });
        index.insert(iri, i);
    }
    let relations = store.select(
        &format!(
            "PREFIX ykg: <{ns}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
             SELECT ?s ?p ?o (COUNT(DISTINCT ?ev) AS ?n) WHERE {{
               ?s ?p ?o . VALUES ?p {{ ykg:supports ykg:participatesIn ykg:pairedWith ykg:locatedIn ykg:partOf ykg:affiliation }}
               OPTIONAL {{ ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ykg:evidence ?ev }}
             }} GROUP BY ?s ?p ?o ORDER BY ?s ?p ?o"
        ),
    )?;
    for r in &relations {
        let (Some(&a), Some(&b)) = (index.get(&value(&r[0])), index.get(&value(&r[2]))) else {
            continue;
        };
        let n: f64 = value(&r[3]).parse().unwrap_or(0.0);
        graph.add_edge(
            a,
            b,
            Edge {
                label: value(&r[1]).strip_prefix(ns).unwrap_or_default().to_owned(),
                weight: n.max(1.0),
                date: String::new(),
            },
        );
    }
    if funding_as == FundingAs::Nodes {
        add_funding_nodes(store, &mut graph, &index)?;
        return Ok(graph);
    }
    let fundings = store.select(
        &format!(
            "PREFIX ykg: <{ns}>
             SELECT ?funder ?recipient (SUM(?amount) AS ?total) ?year WHERE {{
               ?f a ykg:Funding ; ykg:funder ?funder ; ykg:recipient ?recipient ; ykg:amount ?amount .
               OPTIONAL {{ ?f ykg:year ?y }} BIND(COALESCE(STR(?y), \"\") AS ?year)
             }} GROUP BY ?funder ?recipient ?year ORDER BY ?funder ?recipient ?year"
        ),
    )?;
    for r in &fundings {
        let (Some(&a), Some(&b)) = (index.get(&value(&r[0])), index.get(&value(&r[1]))) else {
            continue;
        };
        graph.add_edge(
            a,
            b,
            Edge {
                label: "funding".to_owned(),
                weight: value(&r[2]).parse().unwrap_or(0.0),
                date: value(&r[3]),
            },
        );
    }
    Ok(graph)
}

fn add_funding_nodes(
    store: &Store,
    graph: &mut EntityGraph,
    index: &BTreeMap<String, NodeIndex>,
) -> Result<(), StoreError> {
    let ns = vocab::NS;
    let fundings = store.select(&format!(
        "PREFIX ykg: <{ns}>
         SELECT ?f ?funder ?recipient ?amount ?year ?sector WHERE {{
           ?f a ykg:Funding ; ykg:amount ?amount ; ykg:sector ?sector .
           OPTIONAL {{ ?f ykg:funder ?funder }} OPTIONAL {{ ?f ykg:recipient ?recipient }}
           OPTIONAL {{ ?f ykg:year ?y }} BIND(COALESCE(STR(?y), \"\") AS ?year)
         }} ORDER BY ?f"
    ))?;
    for r in &fundings {
        let (amount, year, sector) = (value(&r[3]), value(&r[4]), value(&r[5]));
        let weight: f64 = amount.parse().unwrap_or(0.0);
        let label = if year.is_empty() {
            format!("{amount} 元 {sector}")
        } else {
            format!("{amount} 元 {year} {sector}")
        };
        let node = graph.add_node(Node {
            iri: value(&r[0]),
            label,
            label_en: String::new(),
            label_pinyin: String::new(),
            kind: "Funding".to_owned(),
            date: year.clone(),
        });
        let edge = |label: &str| Edge {
            label: label.to_owned(),
            weight,
            date: year.clone(),
        };
        if let Some(&funder) = index.get(&value(&r[1])) {
            graph.add_edge(funder, node, edge("funds"));
        }
        if let Some(&recipient) = index.get(&value(&r[2])) {
            graph.add_edge(node, recipient, edge("receives"));
        }
    }
    Ok(())
}

/// The graph restricted to entities of the given classes (`Hospital`,
/// `School` …) and the edges between them.
pub fn keep_types(graph: &EntityGraph, types: &[String]) -> EntityGraph {
    graph.filter_map(
        |_, n| types.iter().any(|t| t == &n.kind).then(|| n.clone()),
        |_, e| Some(e.clone()),
    )
}

/// The graph of a CONSTRUCT (or DESCRIBE) query's result: every IRI that is
/// a subject or an IRI object becomes a node (labelled and typed from the
/// store), every triple between two IRIs an edge named by its predicate.
pub fn construct_graph(store: &Store, query: &str) -> Result<EntityGraph, StoreError> {
    let oxigraph::sparql::QueryResults::Graph(triples) = store.query(query, None)? else {
        return Err(StoreError::Syntax(
            "--construct needs a CONSTRUCT or DESCRIBE query".to_owned(),
        ));
    };
    let mut edges: Vec<(String, String, String)> = Vec::new();
    let mut iris: BTreeMap<String, ()> = BTreeMap::new();
    for t in triples {
        let t = t?;
        let oxigraph::model::NamedOrBlankNode::NamedNode(s) = t.subject else {
            continue;
        };
        iris.insert(s.as_str().to_owned(), ());
        if let Term::NamedNode(o) = t.object {
            if t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" {
                continue;
            }
            iris.insert(o.as_str().to_owned(), ());
            edges.push((
                s.as_str().to_owned(),
                t.predicate.as_str().to_owned(),
                o.as_str().to_owned(),
            ));
        }
    }
    edges.sort();
    edges.dedup();
    let ns = vocab::NS;
    let mut graph = EntityGraph::new();
    let mut index: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for iri in iris.keys() {
        let labels = store.select(&format!(
            "SELECT (SAMPLE(?zh) AS ?l) (SAMPLE(?en) AS ?le) (SAMPLE(?py) AS ?lp) (SAMPLE(?t) AS ?type) WHERE {{
               OPTIONAL {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?zh FILTER(lang(?zh) = \"zh\") }}
               OPTIONAL {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?en FILTER(lang(?en) = \"en\") }}
               OPTIONAL {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?py FILTER(langMatches(lang(?py), \"zh-Latn-pinyin\")) }}
               OPTIONAL {{ <{iri}> a ?t FILTER(STRSTARTS(STR(?t), \"{ns}\")) }}
             }}"
        ))?;
        let row = labels.into_iter().next().unwrap_or_default();
        let get = |i: usize| row.get(i).map(value).unwrap_or_default();
        let mut label = get(0);
        if label.is_empty() {
            label = iri.rsplit(['/', '#']).next().unwrap_or_default().to_owned();
        }
        let i = graph.add_node(Node {
            iri: iri.clone(),
            label,
            label_en: get(1),
            label_pinyin: get(2),
            kind: get(3).strip_prefix(ns).unwrap_or_default().to_owned(),
            date: String::new(),
        });
        index.insert(iri.clone(), i);
    }
    for (s, p, o) in edges {
        let label = p.rsplit(['/', '#']).next().unwrap_or_default().to_owned();
        graph.add_edge(
            index[&s],
            index[&o],
            Edge {
                label,
                weight: 1.0,
                date: String::new(),
            },
        );
    }
    Ok(graph)
}

/// The label of the first node of [`sample`]: markup, both quotes, a
/// comma, a backslash, CR LF, a control character and a tab, each of which
/// some format must escape or drop.
#[cfg(test)]
pub(crate) const NASTY: &str = "A<b>&\"c'd,e\\f\r\ng\u{1}h\ti";

/// The graph every writer's tests export: a company labelled [`NASTY`]
/// with an IRI holding `&`, 西城区 and 玉树藏族自治州 with English and pinyin
/// labels, and a dated event on its own; edges both ways and in parallel
/// between the company and 西城区 (one a dated funding of 1e10 yuan), and
/// from 西城区 to 玉树 a relation and a funding whose amount is NaN.
/// What `write` writes of `g` with its measures, as text (tests).
#[cfg(test)]
pub(crate) fn written(write: super::Writer, g: &EntityGraph) -> String {
    let mut out = Vec::new();
    write(g, &super::analytics::measure(g), &mut out).expect("written to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[cfg(test)]
pub(crate) fn sample() -> EntityGraph {
    let node = |iri: &str, label: &str, en: &str, pinyin: &str, kind: &str, date: &str| Node {
        iri: iri.to_owned(),
        label: label.to_owned(),
        label_en: en.to_owned(),
        label_pinyin: pinyin.to_owned(),
        kind: kind.to_owned(),
        date: date.to_owned(),
    };
    let mut g = EntityGraph::new();
    let company = g.add_node(node(
        "http://example.org/a?x=1&y=2",
        NASTY,
        "Nasty \"Co\"",
        "",
        "Company",
        "",
    ));
    let xicheng = g.add_node(node(
        "http://example.org/xicheng",
        "西城区",
        "Xicheng District",
        "Xīchéng Qū",
        "District",
        "",
    ));
    let yushu = g.add_node(node(
        "http://example.org/yushu",
        "玉树藏族自治州",
        "Yushu, Qinghai",
        "Yùshù",
        "Prefecture",
        "",
    ));
    g.add_node(node(
        "http://example.org/event",
        "孤立",
        "",
        "",
        "Event",
        "2024-03",
    ));
    for (source, target, label, weight, date) in [
        (company, xicheng, "supports", 2.0, ""),
        (xicheng, company, "supports", 1.0, ""),
        (company, xicheng, "funding", 1e10, "2024"),
        (xicheng, yushu, "supports", 1.0, ""),
        (xicheng, yushu, "funding", f64::NAN, ""),
    ] {
        g.add_edge(
            source,
            target,
            Edge {
                label: label.to_owned(),
                weight,
                date: date.to_owned(),
            },
        );
    }
    g
}
