//! The ykg vocabulary as Rust constants: the only place an ontology IRI is
//! spelled in Rust. A test checks that every term here is declared in
//! `ontology/ykg.ttl`.

use oxigraph::model::NamedNodeRef;

/// Namespace of the ontology's terms.
pub const NS: &str = "https://w3id.org/yushu-kg/ontology#";
/// Base of entity and fact IRIs.
pub const ID: &str = "https://w3id.org/yushu-kg/id/";
/// Base of named-graph IRIs.
pub const GRAPH: &str = "https://w3id.org/yushu-kg/graph/";

macro_rules! terms {
    ($($(#[$doc:meta])* $name:ident = $local:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: NamedNodeRef<'static> =
                NamedNodeRef::new_unchecked(concat!("https://w3id.org/yushu-kg/ontology#", $local));
        )*
        /// Every term above, by local name, for the consistency test.
        pub const ALL: &[&str] = &[$($local),*];
    };
}

terms! {
    /// A source document.
    ARTICLE = "Article";
    /// Superclass of the administrative levels.
    ADMINISTRATIVE_AREA = "AdministrativeArea";
    /// A province-level city.
    MUNICIPALITY = "Municipality";
    /// A province.
    PROVINCE = "Province";
    /// A prefecture-level unit.
    PREFECTURE = "Prefecture";
    /// A district of Beijing.
    DISTRICT = "District";
    /// A county-level unit on the assisted side.
    COUNTY = "County";
    /// Superclass of organisations.
    ORGANIZATION = "Organization";
    /// A hospital.
    HOSPITAL = "Hospital";
    /// A school or institute.
    SCHOOL = "School";
    /// A company or group.
    COMPANY = "Company";
    /// A government or party body.
    GOVERNMENT_BODY = "GovernmentBody";
    /// A named programme.
    PROGRAM = "Program";
    /// A named person.
    PERSON = "Person";
    /// A dated happening.
    EVENT = "Event";
    /// An allocation of money.
    FUNDING = "Funding";
    /// A figure that is not an allocation.
    OBSERVATION = "Observation";
    /// Where in a source a fact was read.
    EVIDENCE_CLASS = "Evidence";
    /// A reified entity-to-entity statement (extension).
    STATEMENT = "Statement";
    /// A person's title in one organisation (extension).
    POSITION = "Position";
    /// Six-digit administrative division code.
    ADMIN_CODE = "adminCode";
    /// Administrative containment.
    PART_OF = "partOf";
    /// Official pairing.
    PAIRED_WITH = "pairedWith";
    /// Where an organisation is.
    LOCATED_IN = "locatedIn";
    /// One party assists another.
    SUPPORTS = "supports";
    /// Takes part in.
    PARTICIPATES_IN = "participatesIn";
    /// Works for.
    AFFILIATION = "affiliation";
    /// Job title.
    ROLE = "role";
    /// The article names it.
    MENTIONED_IN = "mentionedIn";
    /// Where an article names it: its code-point spans (extension).
    MENTION_SPANS = "mentionSpans";
    /// A name, not its label, an article writes it with.
    WRITTEN_AS = "writtenAs";
    /// Who gives the money.
    FUNDER = "funder";
    /// Who receives it.
    RECIPIENT = "recipient";
    /// Amount in yuan.
    AMOUNT = "amount";
    /// Year of a figure.
    YEAR = "year";
    /// Sector of a funding.
    SECTOR = "sector";
    /// Number of projects funded.
    PROJECT_COUNT = "projectCount";
    /// How exact a figure is.
    QUALIFIER = "qualifier";
    /// What is measured.
    METRIC = "metric";
    /// The figure.
    VALUE = "value";
    /// Upper end of a range (extension).
    VALUE_MAX = "valueMax";
    /// Unit of the figure.
    UNIT = "unit";
    /// What an observation describes.
    ABOUT = "about";
    /// Date of an event.
    DATE = "date";
    /// Where a fact was read.
    EVIDENCE = "evidence";
    /// Which article.
    SOURCE = "source";
    /// Quoted text.
    QUOTE = "quote";
    /// Start offset in code points.
    START = "start";
    /// End offset in code points, exclusive.
    END = "end";
    /// Position's person (extension).
    PERSON_PROP = "person";
    /// Position's organisation (extension).
    ORGANIZATION_PROP = "organization";
    /// Article headline (extension).
    TITLE = "title";
    /// Article publisher (extension).
    PUBLISHER = "publisher";
    /// Article author (extension).
    AUTHOR = "author";
    /// Publication date (extension).
    DATE_PUBLISHED = "datePublished";
    /// Language of the text (extension).
    LANGUAGE = "language";
    /// Full article text (extension).
    TEXT = "text";
    /// Address of the original (extension).
    SOURCE_URL = "sourceUrl";
    /// The name of the file an article was read from (extension).
    FILE_NAME = "fileName";
    /// Published source of a reference statement (extension).
    REFERENCE_SOURCE = "referenceSource";
    /// Name before a renaming (extension).
    FORMER_NAME = "formerName";
}

/// `rdfs:label`.
pub const RDFS_LABEL: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label");
/// `skos:altLabel`.
pub const SKOS_ALT_LABEL: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#altLabel");
/// `rdf:type`.
pub const RDF_TYPE: NamedNodeRef<'static> = oxigraph::model::vocab::rdf::TYPE;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{NamedOrBlankNode, vocab::rdf};

    #[test]
    fn every_term_is_declared_in_the_ontology() {
        let declared: BTreeSet<String> = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(crate::rdf::ontology::ONTOLOGY_TTL.as_bytes())
            .map(|q| q.expect("the ontology parses"))
            .filter(|q| q.predicate == rdf::TYPE)
            .filter_map(|q| match q.subject {
                NamedOrBlankNode::NamedNode(n) => {
                    n.as_str().strip_prefix(super::NS).map(str::to_owned)
                }
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        for term in super::ALL {
            assert!(
                declared.contains(*term),
                "ykg:{term} is used in Rust but not declared in ontology/ykg.ttl"
            );
        }
    }
}
