//! Checking the graph against the SHACL shapes of `ontology/shapes.ttl`.
//!
//! Implements the subset of SHACL Core the shapes use, by turning each
//! property shape into SPARQL queries over the union graph: `sh:targetClass`
//! (instances of subclasses included), `sh:path` (a single IRI),
//! `sh:minCount`, `sh:maxCount`, `sh:datatype`, `sh:class`, `sh:nodeKind`
//! (`sh:IRI`, `sh:Literal`), `sh:in`, and `sh:qualifiedValueShape` with
//! `sh:languageIn` plus `sh:qualifiedMinCount`. Anything else in a shape is
//! ignored, so the shapes file must stay within this subset.

use std::collections::BTreeMap;
use std::fmt;

use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

use crate::rdf::iri;
use crate::store::{Store, StoreError};

const SH: &str = "http://www.w3.org/ns/shacl#";

/// One node that breaks one constraint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Violation {
    /// The offending node.
    pub focus: String,
    /// The property path.
    pub path: String,
    /// The constraint broken (`minCount 1`).
    pub constraint: String,
    /// The shape's message.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<{}> {}: {} ({})",
            self.focus, self.path, self.message, self.constraint
        )
    }
}

#[derive(Debug, Default)]
struct PropertyShape {
    targets: Vec<String>,
    path: String,
    min: Option<u64>,
    max: Option<u64>,
    datatype: Option<String>,
    class: Option<String>,
    node_kind: Option<String>,
    values: Vec<Term>,
    languages: Vec<String>,
    qualified_min: Option<u64>,
    message: String,
}

fn rows(store: &Store, query: &str) -> Result<Vec<BTreeMap<String, Term>>, StoreError> {
    let QueryResults::Solutions(solutions) = store.query(query, None)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for s in solutions {
        let s = s?;
        out.push(
            s.iter()
                .map(|(v, t)| (v.as_str().to_owned(), t.clone()))
                .collect(),
        );
    }
    Ok(out)
}

fn text(t: Option<&Term>) -> Option<String> {
    match t? {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::Literal(l) => Some(l.value().to_owned()),
        Term::BlankNode(b) => Some(b.as_str().to_owned()),
    }
}

fn shapes(store: &Store) -> Result<Vec<PropertyShape>, StoreError> {
    let g = iri::ontology_graph().into_string();
    let base = rows(
        store,
        &format!(
            "PREFIX sh: <{SH}>
             SELECT ?shape ?target ?prop ?path ?min ?max ?dt ?class ?kind ?qmin ?msg WHERE {{ GRAPH <{g}> {{
               ?shape sh:targetClass ?target ; sh:property ?prop . ?prop sh:path ?path .
               OPTIONAL {{ ?prop sh:minCount ?min }} OPTIONAL {{ ?prop sh:maxCount ?max }}
               OPTIONAL {{ ?prop sh:datatype ?dt }} OPTIONAL {{ ?prop sh:class ?class }}
               OPTIONAL {{ ?prop sh:nodeKind ?kind }} OPTIONAL {{ ?prop sh:qualifiedMinCount ?qmin }}
               OPTIONAL {{ ?prop sh:message ?msg }} }} }}"
        ),
    )?;
    let lists = rows(
        store,
        &format!(
            "PREFIX sh: <{SH}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
             SELECT ?prop ?v ?lang WHERE {{ GRAPH <{g}> {{
               {{ ?prop sh:in/rdf:rest*/rdf:first ?v }} UNION
               {{ ?prop sh:qualifiedValueShape/sh:languageIn/rdf:rest*/rdf:first ?lang }} }} }}"
        ),
    )?;
    // Key property shapes by their node, so a shape with several targets is one entry.
    let mut by_prop: BTreeMap<String, PropertyShape> = BTreeMap::new();
    for r in &base {
        let Some(prop) = r.get("prop").map(|t| t.to_string()) else {
            continue;
        };
        let entry = by_prop.entry(prop).or_default();
        if let Some(t) = text(r.get("target"))
            && !entry.targets.contains(&t)
        {
            entry.targets.push(t);
        }
        entry.path = text(r.get("path")).unwrap_or_default();
        entry.min = text(r.get("min")).and_then(|v| v.parse().ok());
        entry.max = text(r.get("max")).and_then(|v| v.parse().ok());
        entry.datatype = text(r.get("dt"));
        entry.class = text(r.get("class"));
        entry.node_kind = text(r.get("kind"));
        entry.qualified_min = text(r.get("qmin")).and_then(|v| v.parse().ok());
        entry.message = text(r.get("msg")).unwrap_or_default();
    }
    for r in &lists {
        let Some(prop) = r.get("prop").map(|t| t.to_string()) else {
            continue;
        };
        if let Some(entry) = by_prop.get_mut(&prop) {
            if let Some(v) = r.get("v") {
                entry.values.push(v.clone());
            }
            if let Some(l) = text(r.get("lang")) {
                entry.languages.push(l);
            }
        }
    }
    Ok(by_prop.into_values().collect())
}

fn check(store: &Store, shape: &PropertyShape, target: &str) -> Result<Vec<Violation>, StoreError> {
    let path = &shape.path;
    let focus = format!("?focus a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{target}> .");
    let mut found = Vec::new();
    let mut run = |constraint: String, query: String| -> Result<(), StoreError> {
        for r in rows(store, &query)? {
            found.push(Violation {
                focus: text(r.get("focus")).unwrap_or_default(),
                path: path.clone(),
                constraint: constraint.clone(),
                message: shape.message.clone(),
            });
        }
        Ok(())
    };
    if let Some(min) = shape.min {
        run(
            format!("minCount {min}"),
            format!(
                "SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus <{path}> ?v }} }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {min})"
            ),
        )?;
    }
    if let Some(max) = shape.max {
        run(
            format!("maxCount {max}"),
            format!(
                "SELECT ?focus WHERE {{ {focus} ?focus <{path}> ?v }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {max})"
            ),
        )?;
    }
    if let Some(dt) = &shape.datatype {
        run(
            format!("datatype <{dt}>"),
            format!(
                "SELECT DISTINCT ?focus WHERE {{ {focus} ?focus <{path}> ?v FILTER(!isLiteral(?v) || datatype(?v) != <{dt}>) }}"
            ),
        )?;
    }
    if let Some(class) = &shape.class {
        run(
            format!("class <{class}>"),
            format!(
                "SELECT DISTINCT ?focus WHERE {{ {focus} ?focus <{path}> ?v FILTER NOT EXISTS {{ ?v a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{class}> }} }}"
            ),
        )?;
    }
    if let Some(kind) = &shape.node_kind {
        let test = match kind.strip_prefix(SH) {
            Some("IRI") => Some("!isIRI(?v)"),
            Some("Literal") => Some("!isLiteral(?v)"),
            Some("BlankNode") => Some("!isBlank(?v)"),
            _ => None,
        };
        if let Some(test) = test {
            run(
                format!("nodeKind <{kind}>"),
                format!(
                    "SELECT DISTINCT ?focus WHERE {{ {focus} ?focus <{path}> ?v FILTER({test}) }}"
                ),
            )?;
        }
    }
    if !shape.values.is_empty() {
        let list = shape
            .values
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        run(
            "in".to_owned(),
            format!(
                "SELECT DISTINCT ?focus WHERE {{ {focus} ?focus <{path}> ?v FILTER(?v NOT IN ({list})) }}"
            ),
        )?;
    }
    if let Some(qmin) = shape.qualified_min
        && !shape.languages.is_empty()
        && qmin > 0
    {
        let langs = shape
            .languages
            .iter()
            .map(|l| format!("langMatches(lang(?v), \"{}\")", l.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" || ");
        run(
            format!("qualifiedMinCount {qmin} languageIn {:?}", shape.languages),
            format!(
                "SELECT DISTINCT ?focus WHERE {{ {focus} FILTER NOT EXISTS {{ ?focus <{path}> ?v FILTER(isLiteral(?v) && ({langs})) }} }}"
            ),
        )?;
    }
    Ok(found)
}

/// Every violation of the shapes stored in the ontology graph, sorted.
pub fn validate(store: &Store) -> Result<Vec<Violation>, StoreError> {
    let mut out = Vec::new();
    for shape in shapes(store)? {
        for target in &shape.targets {
            out.extend(check(store, &shape, target)?);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
