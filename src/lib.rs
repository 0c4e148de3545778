//! yushu-kg turns Chinese news articles about Beijing's counterpart
//! assistance (对口支援) to Yushu Tibetan Autonomous Prefecture into a
//! knowledge graph that can be queried with SPARQL and looked at in Gephi.
//!
//! The data flows one way through the modules, each a function from values
//! to values: [`source`] reads articles and reference data;
//! [`recognize`] finds names, figures and dates in text; [`extract`] applies
//! the general rules that turn those mentions into the domain model of
//! [`facts`], each fact with its evidence; [`rdf`] maps facts to quads with
//! stable IRIs; [`store`] holds them in a persistent Oxigraph store that is
//! rebuilt atomically by [`pipeline`]; [`query`], [`export`] and [`explain`]
//! read it back, and [`serve`] answers SPARQL over HTTP; [`remote`] writes
//! the same graphs to a SPARQL Graph Store Protocol server instead; [`eval`]
//! measures the extractor against gold annotations; [`shacl`] checks the
//! graph against the ontology's shapes.

#![warn(
    missing_docs,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used
)]

pub mod eval;
pub mod explain;
pub mod export;
pub mod extract;
pub mod facts;
pub mod pipeline;
pub mod query;
pub mod rdf;
pub mod recognize;
pub mod remote;
pub mod serve;
pub mod shacl;
pub mod source;
pub mod store;
pub mod value;
