//! Stable, readable IRIs for entities, facts, evidence and graphs.
//!
//! An IRI is built from what identifies the thing (a reference slug, a
//! canonical name, a fact's defining values, an evidence span), never from a
//! counter, so the same thing gets the same IRI in every build. Chinese
//! characters stay as they are (IRIs allow them); anything an IRI path segment
//! may not hold, or that would be confusing to read (spaces, quotes, `/`,
//! `#`, `<>`, controls, bidirectional marks), is percent-encoded.

use std::fmt::Write;

use oxigraph::model::NamedNode;

use crate::facts::{EntityId, Funding, Observation, Position, Predicate};
use crate::rdf::vocab::{GRAPH, ID};

/// Encodes `text` as one IRI path segment.
pub fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keeps(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                // Writing to a String cannot fail.
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// Whether a character may stand unencoded in a segment: RFC 3987's
/// `iunreserved`, less whitespace and bidirectional formatting marks.
fn keeps(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    }
    let u = c as u32;
    let ucschar = matches!(u,
        0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF
        | 0x10000..=0x1FFFD | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD
        | 0x40000..=0x4FFFD | 0x50000..=0x5FFFD | 0x60000..=0x6FFFD
        | 0x70000..=0x7FFFD | 0x80000..=0x8FFFD | 0x90000..=0x9FFFD
        | 0xA0000..=0xAFFFD | 0xB0000..=0xBFFFD | 0xC0000..=0xCFFFD
        | 0xD0000..=0xDFFFD | 0xE1000..=0xEFFFD);
    let bidi = matches!(u, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0x061C);
    let invisible = matches!(
        u,
        0xA0 | 0xAD | 0x2000..=0x200D | 0x2028 | 0x2029 | 0x3000 | 0xFEFF
    );
    ucschar && !bidi && !invisible && !c.is_whitespace()
}

fn node(path: String) -> NamedNode {
    NamedNode::new_unchecked(path)
}

/// The IRI of an entity.
pub fn entity(id: &EntityId) -> NamedNode {
    node(format!("{ID}{}", entity_path(id)))
}

/// The path of an entity below the id base: `area/xicheng`, `org/玉树州人民医院`.
pub fn entity_path(id: &EntityId) -> String {
    let kind = match id {
        EntityId::Area(_) => "area",
        EntityId::Org(_) => "org",
        EntityId::Person(_) => "person",
        EntityId::Program(_) => "program",
        EntityId::Event(_) => "event",
    };
    format!("{kind}/{}", segment(id.key()))
}

fn optional_entity_path(id: Option<&EntityId>) -> String {
    id.map_or_else(|| "unknown".to_owned(), entity_path)
}

/// The IRI of an article.
pub fn article(id: &str) -> NamedNode {
    node(format!("{ID}article/{}", segment(id)))
}

/// The IRI of an evidence span.
pub fn evidence(article: &str, start: usize, end: usize) -> NamedNode {
    node(format!("{ID}evidence/{}/{start}-{end}", segment(article)))
}

/// The IRI of a funding: funder, recipient, year, sector and amount define
/// it, so the same funding reported twice is one node; a qualifier (近, 超过)
/// or a project count, where stated, is part of it too, so that two
/// articles that state the amount differently give two nodes, each with one
/// value of each attribute.
pub fn funding(f: &Funding) -> NamedNode {
    let mut iri = format!(
        "{ID}funding/{}/{}/{}/{}/{}",
        optional_entity_path(f.funder.as_ref()),
        optional_entity_path(f.recipient.as_ref()),
        f.year
            .map_or_else(|| "undated".to_owned(), |y| y.to_string()),
        f.sector.as_str(),
        f.amount
    );
    if let Some(q) = f.qualifier {
        iri.push('/');
        iri.push_str(q.as_str());
    }
    if let Some(n) = f.projects {
        iri.push_str(&format!("/projects-{n}"));
    }
    node(iri)
}

/// The IRI of an observation: what it is about, year, metric, unit and
/// value, and the qualifier and upper bound where stated (see [`funding`]).
pub fn observation(o: &Observation) -> NamedNode {
    let mut iri = format!(
        "{ID}observation/{}/{}/{}/{}/{}",
        optional_entity_path(o.about.as_ref()),
        o.year
            .map_or_else(|| "undated".to_owned(), |y| y.to_string()),
        segment(&o.metric),
        o.unit,
        o.value
    );
    if let Some(max) = o.value_max {
        iri.push_str(&format!("-{max}"));
    }
    if let Some(q) = o.qualifier {
        iri.push('/');
        iri.push_str(q.as_str());
    }
    node(iri)
}

/// The IRI of the statement node reifying `subject predicate object`.
pub fn statement(subject: &EntityId, predicate: Predicate, object: &EntityId) -> NamedNode {
    node(format!(
        "{ID}statement/{}/{}/{}",
        entity_path(subject),
        predicate.as_str(),
        entity_path(object)
    ))
}

/// The IRI of the statement that `subject` has the literal `value` for
/// the vocabulary's property `property` (an event's date, its year).
pub fn value_statement(
    subject: &EntityId,
    property: oxigraph::model::NamedNodeRef<'_>,
    value: &oxigraph::model::Literal,
) -> NamedNode {
    let name = property
        .as_str()
        .rsplit(['#', '/'])
        .next()
        .unwrap_or_default();
    node(format!(
        "{ID}statement/{}/{}/{}",
        entity_path(subject),
        segment(name),
        segment(value.value())
    ))
}

/// The IRI of a position.
pub fn position(p: &Position) -> NamedNode {
    node(format!(
        "{ID}position/{}/{}/{}",
        entity_path(&p.person),
        optional_entity_path(p.organization.as_ref()),
        segment(p.role.as_deref().unwrap_or("none"))
    ))
}

/// The named graph of the ontology and shapes.
pub fn ontology_graph() -> NamedNode {
    node(format!("{GRAPH}ontology"))
}

/// The named graph of the reference data.
pub fn reference_graph() -> NamedNode {
    node(format!("{GRAPH}reference"))
}

/// The named graph of entity descriptions first met in articles.
pub fn entities_graph() -> NamedNode {
    node(format!("{GRAPH}entities"))
}

/// The named graph of facts shared by all articles.
pub fn facts_graph() -> NamedNode {
    node(format!("{GRAPH}facts"))
}

/// The named graph of one article.
pub fn article_graph(id: &str) -> NamedNode {
    node(format!("{GRAPH}article/{}", segment(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_chinese_and_encode_the_rest() {
        assert_eq!(segment("玉树州人民医院"), "玉树州人民医院");
        assert_eq!(segment("1+10+N"), "1%2B10%2BN");
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
        assert_eq!(segment("x\u{202E}y"), "x%E2%80%AEy");
        assert_eq!(segment(""), "_");
    }

    #[test]
    fn entity_iris_are_valid_and_readable() {
        let iri = entity(&EntityId::Program("“组团式”帮扶".into()));
        assert_eq!(
            iri.as_str(),
            "https://w3id.org/yushu-kg/id/program/“组团式”帮扶"
        );
        NamedNode::new(iri.as_str()).unwrap();
    }

    proptest::proptest! {
        #[test]
        fn any_name_gives_a_valid_iri(name in "\\PC*|[<>\"{}|\\\\^` \\u{0}-\\u{1f}\\u{202e}]*") {
            let iri = entity(&EntityId::Org(name.clone()));
            proptest::prop_assert!(NamedNode::new(iri.as_str()).is_ok(), "{}", iri);
            proptest::prop_assert_eq!(iri.clone(), entity(&EntityId::Org(name)));
        }
    }
}
