//! The ontology and its SHACL shapes, compiled in so that a build needs no file
//! beside the binary, and their quads in the ontology graph.

use std::collections::BTreeMap;

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{BlankNode, NamedOrBlankNode, Quad, Term};

use super::iri;

/// The ontology (`ontology/ykg.ttl`).
pub const ONTOLOGY_TTL: &str = include_str!("../../ontology/ykg.ttl");
/// The SHACL shapes (`ontology/shapes.ttl`).
pub const SHAPES_TTL: &str = include_str!("../../ontology/shapes.ttl");

/// The quads of the ontology and shapes, in the ontology graph.
///
/// The parser names blank nodes at random; they are renamed in order of
/// appearance so that two builds give the same quads. An error means the
/// compiled-in files do not parse: a packaging bug.
pub fn quads() -> Result<Vec<Quad>, RdfParseError> {
    let mut out = Vec::new();
    let mut names: BTreeMap<String, BlankNode> = BTreeMap::new();
    let mut rename = |b: &BlankNode| {
        let n = names.len();
        names
            .entry(b.as_str().to_owned())
            .or_insert_with(|| BlankNode::new_unchecked(format!("o{n}")))
            .clone()
    };
    for text in [ONTOLOGY_TTL, SHAPES_TTL] {
        for q in RdfParser::from_format(RdfFormat::Turtle)
            .with_default_graph(iri::ontology_graph())
            .for_slice(text.as_bytes())
        {
            let mut q = q?;
            if let NamedOrBlankNode::BlankNode(b) = &q.subject {
                q.subject = rename(b).into();
            }
            if let Term::BlankNode(b) = &q.object {
                q.object = rename(b).into();
            }
            out.push(q);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ontology_and_shapes_parse_with_stable_blank_nodes() {
        let a = super::quads().expect("the compiled-in ontology parses");
        let b = super::quads().expect("the compiled-in ontology parses");
        assert!(a.len() > 100, "{} quads", a.len());
        assert_eq!(a, b, "two parses give the same quads");
    }
}
