//! Text to mentions: reference names (gazetteer), name patterns, figures
//! and dates. Recognisers read text and return spans; they do not decide
//! what is a fact.

pub(crate) mod chars;
pub mod dates;
pub mod gazetteer;
pub mod names;
pub mod numbers;
pub mod patterns;
pub mod words;
