//! The entity graph for people and tools that draw networks: a petgraph
//! view of the store (entities as nodes, relations and funding as edges),
//! network measures, and writers for GraphML, GEXF, DOT, CSV and JSON.

pub mod analytics;
pub mod csv;
pub mod dot;
pub mod gexf;
pub mod graph;
pub mod graphml;
pub mod json;
