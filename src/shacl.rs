//! Checking the graph against the SHACL shapes of `ontology/shapes.ttl`.
//!
//! Implements the subset of SHACL Core the shapes use, in memory, over an
//! index of the quads to check (one article's, during a build, on the
//! worker that converted it): `sh:targetClass`
//! (instances of subclasses included), `sh:path` (a single IRI),
//! `sh:minCount`, `sh:maxCount`, `sh:datatype`, `sh:class`, `sh:or` of
//! shapes that each give only an `sh:class` (one of these classes),
//! `sh:nodeKind` (`sh:IRI`, `sh:Literal`), `sh:in`, and `sh:qualifiedValueShape` with
//! `sh:languageIn` plus `sh:qualifiedMinCount`. Anything else in a shape is
//! ignored, so the shapes file must stay within this subset.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNode, Quad, Term};
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

#[derive(Clone, Debug, Default)]
struct PropertyShape {
    targets: Vec<String>,
    path: String,
    min: Option<u64>,
    max: Option<u64>,
    datatype: Option<String>,
    class: Option<String>,
    /// `sh:or` of `sh:class` shapes: the value has one of these classes.
    any_class: Vec<String>,
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
             SELECT ?prop ?v ?lang ?orclass WHERE {{ GRAPH <{g}> {{
               {{ ?prop sh:in/rdf:rest*/rdf:first ?v }} UNION
               {{ ?prop sh:or/rdf:rest*/rdf:first/sh:class ?orclass }} UNION
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
            if let Some(c) = text(r.get("orclass")) {
                entry.any_class.push(c);
            }
        }
    }
    // The order of solutions is not fixed: keep messages stable.
    for entry in by_prop.values_mut() {
        entry.any_class.sort();
        entry.any_class.dedup();
    }
    Ok(by_prop.into_values().collect())
}

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_SUB_CLASS_OF: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";

/// The shapes, read once from the ontology graph, ready to check any set of
/// quads in memory.
#[derive(Debug)]
pub struct Shapes {
    shapes: Vec<PropertyShape>,
    /// Each class named by a shape, with the classes whose instances it has
    /// (itself and its subclasses).
    subclasses: HashMap<String, HashSet<String>>,
}

/// What a graph says about its nodes, indexed for the checks: the types of
/// each node, and the values of each (node, predicate). Values stated in
/// several graphs count once.
#[derive(Debug, Default)]
pub struct Index {
    types: HashMap<Term, HashSet<String>>,
    values: HashMap<(Term, String), HashSet<Term>>,
}

impl Index {
    /// Indexes `quads` (graph names are ignored: the union is checked).
    pub fn of<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> Index {
        let mut index = Index::default();
        index.extend(quads);
        index
    }

    /// Adds `quads`.
    pub fn extend<'a>(&mut self, quads: impl IntoIterator<Item = &'a Quad>) {
        for q in quads {
            let subject = Term::from(q.subject.clone());
            if q.predicate.as_str() == RDF_TYPE
                && let Term::NamedNode(class) = &q.object
            {
                self.types
                    .entry(subject.clone())
                    .or_default()
                    .insert(class.as_str().to_owned());
            }
            self.values
                .entry((subject, q.predicate.as_str().to_owned()))
                .or_default()
                .insert(q.object.clone());
        }
    }

    fn has_type(&self, node: &Term, classes: &HashSet<String>) -> bool {
        self.types
            .get(node)
            .is_some_and(|ts| ts.iter().any(|t| classes.contains(t)))
    }
}

impl Shapes {
    /// The shapes of the ontology graph of `store`.
    pub fn read(store: &Store) -> Result<Shapes, StoreError> {
        let shapes = shapes(store)?;
        let ontology = iri::ontology_graph();
        let mut parents: HashMap<String, Vec<String>> = HashMap::new();
        for q in store.quads_matching(
            None,
            Some(NamedNodeRef::new_unchecked(RDFS_SUB_CLASS_OF)),
            None,
            Some(GraphNameRef::NamedNode(ontology.as_ref())),
        ) {
            let q = q?;
            if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) = (&q.subject, &q.object) {
                parents
                    .entry(s.as_str().to_owned())
                    .or_default()
                    .push(o.as_str().to_owned());
            }
        }
        let mut subclasses = HashMap::new();
        for class in shapes
            .iter()
            .flat_map(|s| s.targets.iter().chain(s.class.iter()).chain(&s.any_class))
        {
            let mut subs: HashSet<String> = HashSet::from([class.clone()]);
            loop {
                let more: Vec<String> = parents
                    .iter()
                    .filter(|(c, ps)| !subs.contains(*c) && ps.iter().any(|p| subs.contains(p)))
                    .map(|(c, _)| c.clone())
                    .collect();
                if more.is_empty() {
                    break;
                }
                subs.extend(more);
            }
            subclasses.insert(class.clone(), subs);
        }
        Ok(Shapes { shapes, subclasses })
    }

    /// The shapes of the compiled-in ontology quads.
    pub fn of_ontology(ontology: Vec<Quad>) -> Result<Shapes, StoreError> {
        let store = Store::in_memory()?;
        store.bulk_load(ontology)?;
        Shapes::read(&store)
    }

    /// Every violation in `data`, checked against itself and `context` (a
    /// node's type may be stated there, e.g. reference entities) but
    /// reporting only nodes typed in `data`: so each article can be checked
    /// alone, on its own core.
    pub fn check(&self, data: &Index, context: &Index) -> Vec<Violation> {
        let empty = HashSet::new();
        let mut found = Vec::new();
        for shape in &self.shapes {
            for target in &shape.targets {
                let classes = self.subclasses.get(target).unwrap_or(&empty);
                for (node, types) in &data.types {
                    if types.iter().any(|t| classes.contains(t)) {
                        check_node(self, shape, node, data, context, &mut found);
                    }
                }
            }
        }
        found.sort();
        found.dedup();
        found
    }

    /// The (node, path) pairs of `data` that a shape allows one value for,
    /// each with a hash of its value: a build compares them across articles
    /// to find facts that two articles give different values.
    pub fn single_valued(&self, data: &Index) -> Vec<(String, String, u64)> {
        use std::hash::{Hash, Hasher};
        let empty = HashSet::new();
        let mut out = Vec::new();
        for shape in self.shapes.iter().filter(|s| s.max == Some(1)) {
            for target in &shape.targets {
                let classes = self.subclasses.get(target).unwrap_or(&empty);
                for (node, types) in &data.types {
                    if !types.iter().any(|t| classes.contains(t)) {
                        continue;
                    }
                    if let Some(vs) = data.values.get(&(node.clone(), shape.path.clone()))
                        && let Some(v) = vs.iter().next()
                    {
                        let mut h = std::collections::hash_map::DefaultHasher::new();
                        v.hash(&mut h);
                        out.push((node.to_string(), shape.path.clone(), h.finish()));
                    }
                }
            }
        }
        out
    }

    /// The violation to report for a node given different values by
    /// different articles, with the shape's message.
    pub fn conflict(&self, node: &str, path: &str) -> Violation {
        let message = self
            .shapes
            .iter()
            .find(|s| s.path == path && s.max == Some(1))
            .map(|s| s.message.clone())
            .unwrap_or_default();
        Violation {
            focus: node
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned(),
            path: path.to_owned(),
            constraint: "maxCount 1 (articles disagree)".to_owned(),
            message,
        }
    }
}

/// `tag` matches `range` as SPARQL's langMatches does.
fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    let (tag, range) = (tag.to_ascii_lowercase(), range.to_ascii_lowercase());
    tag == range || tag.starts_with(&format!("{range}-"))
}

fn check_node(
    shapes: &Shapes,
    shape: &PropertyShape,
    node: &Term,
    data: &Index,
    context: &Index,
    found: &mut Vec<Violation>,
) {
    let none = HashSet::new();
    let key = (node.clone(), shape.path.clone());
    let mut merged;
    let vs = match (data.values.get(&key), context.values.get(&key)) {
        (Some(d), Some(c)) => {
            merged = d.clone();
            merged.extend(c.iter().cloned());
            &merged
        }
        (Some(d), None) => d,
        (None, Some(c)) => c,
        (None, None) => &none,
    };
    let mut fail = |constraint: String| {
        found.push(Violation {
            focus: text(Some(node)).unwrap_or_default(),
            path: shape.path.clone(),
            constraint,
            message: shape.message.clone(),
        });
    };
    let n = vs.len() as u64;
    if let Some(min) = shape.min
        && n < min
    {
        fail(format!("minCount {min}"));
    }
    if let Some(max) = shape.max
        && n > max
    {
        fail(format!("maxCount {max}"));
    }
    if let Some(dt) = &shape.datatype
        && vs
            .iter()
            .any(|v| !matches!(v, Term::Literal(l) if l.datatype().as_str() == dt))
    {
        fail(format!("datatype <{dt}>"));
    }
    if let Some(class) = &shape.class {
        let empty = HashSet::new();
        let classes = shapes.subclasses.get(class).unwrap_or(&empty);
        if vs
            .iter()
            .any(|v| !data.has_type(v, classes) && !context.has_type(v, classes))
        {
            fail(format!("class <{class}>"));
        }
    }
    if !shape.any_class.is_empty() {
        let empty = HashSet::new();
        let fits = |v: &Term| {
            shape.any_class.iter().any(|class| {
                let classes = shapes.subclasses.get(class).unwrap_or(&empty);
                data.has_type(v, classes) || context.has_type(v, classes)
            })
        };
        if !vs.iter().all(fits) {
            fail(format!("or class {:?}", shape.any_class));
        }
    }
    if let Some(kind) = &shape.node_kind {
        let ok: Option<fn(&Term) -> bool> = match kind.strip_prefix(SH) {
            Some("IRI") => Some(|v| matches!(v, Term::NamedNode(_))),
            Some("Literal") => Some(|v| matches!(v, Term::Literal(_))),
            Some("IRIOrLiteral") => Some(|v| matches!(v, Term::NamedNode(_) | Term::Literal(_))),
            Some("BlankNode") => Some(|v| matches!(v, Term::BlankNode(_))),
            _ => None,
        };
        if let Some(ok) = ok
            && !vs.iter().all(ok)
        {
            fail(format!("nodeKind <{kind}>"));
        }
    }
    if !shape.values.is_empty() && vs.iter().any(|v| !shape.values.contains(v)) {
        fail("in".to_owned());
    }
    if let Some(qmin) = shape.qualified_min
        && !shape.languages.is_empty()
        && qmin > 0
    {
        let matching = vs
            .iter()
            .filter(|v| {
                matches!(v, Term::Literal(l) if l.language().is_some_and(|tag| {
                    shape.languages.iter().any(|range| lang_matches(tag, range))
                }))
            })
            .count() as u64;
        if matching < qmin {
            fail(format!(
                "qualifiedMinCount {qmin} languageIn {:?}",
                shape.languages
            ));
        }
    }
}

/// Every violation of the shapes stored in the ontology graph, over the
/// whole store (read into memory: for the stores a test or an `add` checks;
/// a build checks article by article as it goes).
pub fn validate(store: &Store) -> Result<Vec<Violation>, StoreError> {
    let shapes = Shapes::read(store)?;
    let quads = store
        .quads_matching(None, None, None, None)
        .collect::<Result<Vec<Quad>, StoreError>>()?;
    Ok(shapes.check(&Index::of(&quads), &Index::default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    const SHAPES: &str = r#"
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix ex: <http://ex/> .
        ex:Sub rdfs:subClassOf ex:Thing .
        ex:ThingShape sh:targetClass ex:Thing ;
          sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ; sh:message "name" ] ;
          sh:property [ sh:path ex:link ; sh:class ex:Other ; sh:nodeKind sh:IRI ; sh:message "link" ] ;
          sh:property [ sh:path ex:size ; sh:in ( "small" "large" ) ; sh:message "size" ] ;
          sh:property [ sh:path ex:label ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ; sh:qualifiedMinCount 1 ; sh:message "label" ] ;
          sh:property [ sh:path ex:held ; sh:or ( [ sh:class ex:Other ] [ sh:class ex:Place ] ) ; sh:message "held" ] .
        ex:Town rdfs:subClassOf ex:Place .
    "#;

    fn store(data: &str) -> Store {
        let store = Store::in_memory().unwrap();
        let g = iri::ontology_graph();
        let parse = |text: &str, graph: NamedNode| -> Vec<Quad> {
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
                .with_default_graph(graph)
                .for_slice(text.as_bytes())
                .map(|q| q.unwrap())
                .collect()
        };
        store.bulk_load(parse(SHAPES, g)).unwrap();
        store
            .bulk_load(parse(data, NamedNode::new_unchecked("http://graph/a")))
            .unwrap();
        store
    }

    fn constraints(data: &str) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = validate(&store(data))
            .unwrap()
            .into_iter()
            .map(|v| (v.focus, v.constraint))
            .collect();
        found.sort();
        found
    }

    const PREFIX: &str = "@prefix ex: <http://ex/> . ";

    #[test]
    fn a_conforming_graph_has_no_violation() {
        let data = format!(
            "{PREFIX} ex:a a ex:Sub ; ex:name \"A\" ; ex:link ex:o ; ex:size \"small\" ; ex:label \"甲\"@zh-latn-pinyin . ex:o a ex:Other ."
        );
        assert_eq!(constraints(&data), Vec::<(String, String)>::new());
    }

    #[test]
    fn each_constraint_is_checked_on_instances_of_subclasses() {
        let data = format!(
            "{PREFIX} ex:a a ex:Sub ; ex:name \"A\", \"B\" ; ex:link ex:x, \"lit\" ; ex:size \"huge\" ; ex:label \"A\"@en .
             ex:b a ex:Thing ; ex:name 3 ; ex:label \"乙\"@zh .
             ex:x a ex:Unrelated .
             ex:c ex:name \"not a target\" ."
        );
        let found = constraints(&data);
        let a = |c: &str| ("http://ex/a".to_owned(), c.to_owned());
        let b = |c: &str| ("http://ex/b".to_owned(), c.to_owned());
        assert_eq!(
            found,
            vec![
                a("class <http://ex/Other>"),
                a("in"),
                a("maxCount 1"),
                a("nodeKind <http://www.w3.org/ns/shacl#IRI>"),
                a("qualifiedMinCount 1 languageIn [\"zh\"]"),
                b("datatype <http://www.w3.org/2001/XMLSchema#string>"),
            ]
        );
    }

    #[test]
    fn an_or_of_classes_takes_a_value_of_any_of_them() {
        let data = format!(
            "{PREFIX} ex:a a ex:Thing ; ex:name \"A\" ; ex:label \"甲\"@zh ; ex:held ex:o, ex:t .
             ex:b a ex:Thing ; ex:name \"B\" ; ex:label \"乙\"@zh ; ex:held ex:u .
             ex:o a ex:Other . ex:t a ex:Town . ex:u a ex:Unrelated ."
        );
        assert_eq!(
            constraints(&data),
            vec![(
                "http://ex/b".to_owned(),
                "or class [\"http://ex/Other\", \"http://ex/Place\"]".to_owned()
            )]
        );
    }

    #[test]
    fn a_value_stated_in_two_graphs_counts_once() {
        let store = store(&format!(
            "{PREFIX} ex:a a ex:Thing ; ex:name \"A\" ; ex:label \"甲\"@zh ."
        ));
        let again = Quad::new(
            NamedNode::new_unchecked("http://ex/a"),
            NamedNode::new_unchecked("http://ex/name"),
            Literal::from("A"),
            NamedNode::new_unchecked("http://graph/b"),
        );
        store.bulk_load([again]).unwrap();
        assert_eq!(validate(&store).unwrap(), Vec::new());
    }

    #[test]
    fn language_ranges_match_as_in_sparql() {
        assert!(lang_matches("zh-latn-pinyin", "zh"));
        assert!(lang_matches("ZH", "zh"));
        assert!(!lang_matches("zhx", "zh"));
        assert!(lang_matches("en", "*"));
    }
}
