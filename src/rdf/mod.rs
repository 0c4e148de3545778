//! Facts to RDF: the vocabulary's terms, stable IRIs, and the mapping from
//! the domain model to quads. The only module that builds IRIs.

pub mod iri;
pub mod map;
pub mod ontology;
pub mod vocab;
