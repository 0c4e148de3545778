//! Reading the curation file (`data/curation.toml`): a reviewer's
//! corrections to what the rules extracted. A correction may reject a wrong
//! relation or add a missed one, and always names the article and a quote
//! that occurs in it verbatim, so every curated fact still has evidence.
//!
//! ```toml
//! [[reject]]
//! article = "000_b429af862e07442e"
//! subject = "北京市"
//! predicate = "supports"
//! object = "“组团式”帮扶"
//! quote = "在北京援青“组团式”医疗专家帮扶下"   # occurs in the article
//!
//! [[add]]
//! article = "a3"
//! subject = "北京鼓楼医院"
//! predicate = "supports"
//! object = "玉树州人民医院"
//! quote = "其中一部分人员充实到了玉树州人民医院"
//! ```
//!
//! Names are labels or aliases as the article or the reference data write
//! them. This module reads and checks the file against the articles; the
//! pipeline applies it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::source::article::{Article, line_column};
use crate::value::Predicate;

/// Why the curation file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CurationError {
    /// The file could not be read.
    #[error("cannot read {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is malformed, or an entry cannot be applied.
    #[error("{}:{line}:{column}: {reason}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        reason: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    article: toml::Spanned<String>,
    subject: toml::Spanned<String>,
    predicate: toml::Spanned<Curatable>,
    object: toml::Spanned<String>,
    quote: toml::Spanned<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    reject: Vec<Entry>,
    #[serde(default)]
    add: Vec<Entry>,
}

/// Whether a correction removes or adds a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Remove the relation from the article's facts.
    Reject,
    /// Add the relation with the quote as evidence.
    Add,
}

/// One checked correction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// Reject or add.
    pub action: Action,
    /// Article id.
    pub article: String,
    /// Subject name.
    pub subject: String,
    /// Predicate (one of [`CURATABLE`]).
    pub predicate: Predicate,
    /// Object name.
    pub object: String,
    /// Code-point offsets of the quote in the article text.
    pub start: usize,
    /// End of the quote, exclusive.
    pub end: usize,
    /// The curation file, for errors the extractor finds later.
    pub path: PathBuf,
    /// Line of the entry, from 1.
    pub line: usize,
    /// Column of the entry, from 1.
    pub column: usize,
}

impl Correction {
    /// An error at this entry.
    pub fn invalid(&self, reason: String) -> CurationError {
        CurationError::Invalid {
            path: self.path.clone(),
            line: self.line,
            column: self.column,
            reason,
        }
    }
}

/// The predicates a curation entry may name: the relations the rules
/// extract between entities of an article.
pub const CURATABLE: [Predicate; 4] = [
    Predicate::Supports,
    Predicate::ParticipatesIn,
    Predicate::PairedWith,
    Predicate::LocatedIn,
];

/// A predicate as a curation entry writes it, parsed and checked as the
/// file is read.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "String")]
struct Curatable(Predicate);

impl TryFrom<String> for Curatable {
    type Error = String;

    fn try_from(name: String) -> Result<Curatable, String> {
        Predicate::parse(&name)
            .filter(|p| CURATABLE.contains(p))
            .map(Curatable)
            .ok_or_else(|| {
                let names: Vec<&str> = CURATABLE.iter().map(|p| p.as_str()).collect();
                format!("predicate {name:?} is not one of {names:?}")
            })
    }
}

/// What to do with an entry for an article that is not among those given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherArticles {
    /// A typo or a stale entry: fail (a whole build sees every article).
    Error,
    /// Another article of the store: pass over it (adding a few articles).
    Skip,
}

/// A parsed curation file: its entries are checked against each article as
/// the article is read, so a build need not hold every article at once.
#[derive(Debug)]
pub struct Curation {
    path: PathBuf,
    text: String,
    file: File,
}

impl Curation {
    /// Reads and parses a curation file, checking what can be checked
    /// without the articles (syntax, keys, predicates).
    pub fn read(path: &Path) -> Result<Curation, CurationError> {
        let text = std::fs::read_to_string(path).map_err(|source| CurationError::Io {
            path: path.to_owned(),
            source,
        })?;
        let mut curation = Curation {
            path: path.to_owned(),
            text,
            file: File::default(),
        };
        curation.file = toml::from_str(&curation.text).map_err(|e| {
            curation.invalid(
                e.span().map_or(0, |s| s.start),
                e.message().trim().to_owned(),
            )
        })?;
        Ok(curation)
    }

    fn invalid(&self, offset: usize, reason: String) -> CurationError {
        let (line, column) = line_column(&self.text, offset);
        CurationError::Invalid {
            path: self.path.clone(),
            line,
            column,
            reason,
        }
    }

    fn entries(&self) -> impl Iterator<Item = (Action, &Entry)> {
        let rejects = self.file.reject.iter().map(|e| (Action::Reject, e));
        rejects.chain(self.file.add.iter().map(|e| (Action::Add, e)))
    }

    /// The corrections for one article, each quote located in its text.
    pub fn corrections_for(&self, article: &Article) -> Result<Vec<Correction>, CurationError> {
        let mut out = Vec::new();
        for (action, e) in self.entries() {
            if *e.article.get_ref() != article.id {
                continue;
            }
            let quote = e.quote.get_ref();
            let Some(byte) = article
                .text
                .find(quote.as_str())
                .filter(|_| !quote.is_empty())
            else {
                return Err(self.invalid(
                    e.quote.span().start,
                    format!("the quote does not occur in article {}", article.id),
                ));
            };
            let start = article.text[..byte].chars().count();
            let (line, column) = line_column(&self.text, e.subject.span().start);
            out.push(Correction {
                action,
                article: article.id.clone(),
                subject: e.subject.get_ref().clone(),
                predicate: e.predicate.get_ref().0,
                object: e.object.get_ref().clone(),
                start,
                end: start + quote.chars().count(),
                path: self.path.clone(),
                line,
                column,
            });
        }
        Ok(out)
    }

    /// Fails on the first entry whose article is not `known` (a typo or a
    /// stale entry, once every article has been seen).
    pub fn check_articles(&self, known: impl Fn(&str) -> bool) -> Result<(), CurationError> {
        match self.entries().find(|(_, e)| !known(e.article.get_ref())) {
            Some((_, e)) => Err(self.invalid(
                e.article.span().start,
                format!("no article has the id {:?}", e.article.get_ref()),
            )),
            None => Ok(()),
        }
    }
}

/// Reads and checks a curation file against the articles it names.
pub fn read_curation(
    path: &Path,
    articles: &[Article],
    others: OtherArticles,
) -> Result<Vec<Correction>, CurationError> {
    let curation = Curation::read(path)?;
    if others == OtherArticles::Error {
        curation.check_articles(|id| articles.iter().any(|a| a.id == id))?;
    }
    let mut out = Vec::new();
    for a in articles {
        out.extend(curation.corrections_for(a)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Article {
        Article::parse(Path::new("a1.txt"), "标题\n西城区帮扶甲医院。\n".as_bytes()).unwrap()
    }

    fn read(text: &str) -> Result<Vec<Correction>, CurationError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("curation.toml");
        std::fs::write(&path, text).unwrap();
        read_curation(&path, &[article()], OtherArticles::Error)
    }

    #[test]
    fn a_quote_that_occurs_gives_its_offsets() {
        let c = read("[[add]]\narticle = \"a1\"\nsubject = \"西城区\"\npredicate = \"supports\"\nobject = \"甲医院\"\nquote = \"西城区帮扶甲医院\"\n").unwrap();
        assert_eq!((c[0].start, c[0].end), (3, 11));
        assert_eq!(c[0].action, Action::Add);
    }

    #[test]
    fn a_quote_that_does_not_occur_is_an_error_with_its_line() {
        let err = read("[[reject]]\narticle = \"a1\"\nsubject = \"西城区\"\npredicate = \"supports\"\nobject = \"甲医院\"\nquote = \"东城区\"\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("curation.toml:6:9: the quote does not occur"),
            "{err}"
        );
    }

    #[test]
    fn unknown_articles_and_predicates_are_errors() {
        let err = read("[[add]]\narticle = \"zz\"\nsubject = \"a\"\npredicate = \"supports\"\nobject = \"b\"\nquote = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains(":2:11: no article"), "{err}");
        let err = read("[[add]]\narticle = \"a1\"\nsubject = \"a\"\npredicate = \"likes\"\nobject = \"b\"\nquote = \"西城区\"\n").unwrap_err();
        assert!(err.to_string().contains("predicate \"likes\""), "{err}");
    }
}
