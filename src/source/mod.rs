//! Inputs: articles, reference data, and the code-point spans every offset
//! is counted in. Reading and checking, nothing else.

pub mod article;
pub mod curation;
pub mod html;
pub mod reference;
pub mod script;
pub mod skeleton;
pub mod span;
