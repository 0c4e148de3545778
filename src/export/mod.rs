//! The entity graph for people and tools that draw networks: a petgraph
//! view of the store (entities as nodes, relations and funding as edges)
//! and writers for it.

pub mod graph;
pub mod graphml;
