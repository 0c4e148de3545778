//! The whole job: read `data/`, extract, map to RDF, load a new store, check
//! it against the shapes, and swap it in (`build`); or replace single
//! articles in an existing store (`add`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, NamedOrBlankNode, Quad, Term};

use crate::extract::Extractor;
use crate::facts::{Diagnostic, EntityId, Extraction};
use crate::rdf::{iri, map, vocab};
use crate::shacl::{self, Violation};
use crate::source::article::{Article, ArticleError, article_files};
use crate::source::curation::{Correction, CurationError, OtherArticles, read_curation};
use crate::source::reference::{Reference, ReferenceError};
use crate::store::{StagedStore, Store, StoreError};

/// The ontology, compiled in so a build needs no file beside the binary.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/ykg.ttl");
/// The SHACL shapes, compiled in.
pub const SHAPES_TTL: &str = include_str!("../ontology/shapes.ttl");

/// Why a build or an add failed. Nothing was changed in the store.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// An article could not be read.
    #[error(transparent)]
    Article(#[from] ArticleError),
    /// Reference data could not be read.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The data directory is not laid out as expected.
    #[error("{}: {reason}", .path.display())]
    Layout {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Two articles have the same id.
    #[error("{} and {} both have the id {id:?}\nhint: set a distinct `id` in the front matter of one of them", .first.display(), .second.display())]
    DuplicateId {
        /// The id.
        id: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    /// The compiled-in ontology does not parse (a packaging bug).
    #[error("the ontology does not parse: {0}")]
    Ontology(String),
    /// The curation file is malformed or does not fit the articles.
    #[error(transparent)]
    Curation(#[from] CurationError),
    /// A curation entry cannot be applied.
    #[error("{0}: {1}")]
    Correction(String, String),
    /// The graph breaks the ontology's shapes.
    #[error("{} shape violation(s); the store was not changed:\n{}", .0.len(), .0.iter().map(|v| format!("  {v}")).collect::<Vec<_>>().join("\n"))]
    Shapes(Vec<Violation>),
}

/// What a build or add did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    /// Articles converted.
    pub articles: usize,
    /// Distinct entities named in the articles, by class.
    pub entities: BTreeMap<String, usize>,
    /// Facts by kind.
    pub facts: BTreeMap<String, usize>,
    /// Quads in the store after the operation.
    pub quads: usize,
    /// Sentences with figures that gave no fact.
    pub skipped: Vec<Diagnostic>,
    /// Where the store is.
    pub store: PathBuf,
    /// Time taken.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// Where things are in a data directory.
#[derive(Clone, Debug)]
pub struct DataDir {
    /// The directory.
    pub root: PathBuf,
}

impl DataDir {
    /// A data directory at `root`.
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// `articles/`.
    pub fn articles(&self) -> PathBuf {
        self.root.join("articles")
    }

    /// `reference/`.
    pub fn reference(&self) -> PathBuf {
        self.root.join("reference")
    }

    /// `curation.toml` (optional).
    pub fn curation(&self) -> PathBuf {
        self.root.join("curation.toml")
    }

    /// The corrections of the curation file for `articles`, none without a file.
    pub fn corrections(
        &self,
        articles: &[Article],
        others: OtherArticles,
    ) -> Result<Vec<Correction>, CurationError> {
        let path = self.curation();
        if path.exists() {
            read_curation(&path, articles, others)
        } else {
            Ok(Vec::new())
        }
    }
}

/// Reads the reference data and every article of a data directory.
pub fn read_data(data: &DataDir) -> Result<(Reference, Vec<Article>), BuildError> {
    for dir in [data.articles(), data.reference()] {
        if !dir.is_dir() {
            return Err(BuildError::Layout {
                path: dir,
                reason: "no such directory (a data directory has articles/ and reference/)"
                    .to_owned(),
            });
        }
    }
    let reference = Reference::read(&data.reference())?;
    let files = article_files(&data.articles()).map_err(|source| {
        BuildError::Store(StoreError::Io {
            action: "cannot list",
            path: data.articles(),
            source,
        })
    })?;
    let mut articles = Vec::new();
    let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        let article = Article::read(&file)?;
        if let Some(first) = ids.insert(article.id.clone(), file.clone()) {
            return Err(BuildError::DuplicateId {
                id: article.id,
                first,
                second: file,
            });
        }
        articles.push(article);
    }
    Ok((reference, articles))
}

/// The quads of the ontology and shapes, in the ontology graph.
///
/// The parser names blank nodes at random; they are renamed in order of
/// appearance so that two builds give the same quads.
pub fn ontology_quads() -> Result<Vec<Quad>, BuildError> {
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
            let mut q = q.map_err(|e| BuildError::Ontology(e.to_string()))?;
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

fn tally(report: &mut Report, extractions: &[Extraction]) {
    let mut seen: BTreeSet<&EntityId> = BTreeSet::new();
    for x in extractions {
        for e in x.entities.values() {
            if seen.insert(&e.id) {
                *report
                    .entities
                    .entry(e.kind.as_str().to_owned())
                    .or_default() += 1;
            }
        }
        let mut add = |k: &str, n: usize| *report.facts.entry(k.to_owned()).or_default() += n;
        add("funding", x.fundings.len());
        add("observation", x.observations.len());
        add("position", x.positions.len());
        add("event", x.events.len());
        for r in &x.relations {
            add(r.predicate.as_str(), 1);
        }
        report.skipped.extend(x.diagnostics.iter().cloned());
    }
}

/// Builds a new store at `store_path` from `data`, swapping it in only when
/// everything succeeded. `progress` hears what is being done.
pub fn build(
    data: &DataDir,
    store_path: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Report, BuildError> {
    let started = Instant::now();
    progress("reading data");
    let (reference, articles) = read_data(data)?;
    let extractor = Extractor::new(&reference);
    let reference_relations = map::reference_relations(&reference);
    let corrections = data.corrections(&articles, OtherArticles::Error)?;

    progress("preparing a new store");
    let staged = StagedStore::create(store_path)?;
    let store = staged.store();
    store.bulk_load(ontology_quads()?)?;
    store.bulk_load(map::reference_quads(&reference))?;

    let mut extractions = Vec::with_capacity(articles.len());
    let mut quads = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        progress(&format!(
            "[{}/{}] {}",
            i + 1,
            articles.len(),
            article.path.display()
        ));
        let mut x = extractor.extract(article);
        extractor
            .apply_curation(article, &mut x, &corrections)
            .map_err(|(at, why)| BuildError::Correction(at, why))?;
        quads.extend(map::article_quads(article, &x, &reference_relations));
        extractions.push(x);
    }
    store.bulk_load(quads)?;

    progress("checking shapes");
    let violations = shacl::validate(store)?;
    if !violations.is_empty() {
        return Err(BuildError::Shapes(violations));
    }
    let quads = store.len()?;
    progress("swapping the new store in");
    let path = staged.commit()?;

    let mut report = Report {
        articles: articles.len(),
        quads,
        store: path,
        ..Report::default()
    };
    tally(&mut report, &extractions);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Adds or replaces articles in an existing store: each article's graph is
/// replaced, its entities and facts added; facts no article supports any
/// more are removed.
pub fn add(
    data: &DataDir,
    store_path: &Path,
    files: &[PathBuf],
    progress: &mut dyn FnMut(&str),
) -> Result<Report, BuildError> {
    let started = Instant::now();
    let reference = Reference::read(&data.reference())?;
    let extractor = Extractor::new(&reference);
    let reference_relations = map::reference_relations(&reference);
    // Read everything first: a bad file changes nothing.
    let mut articles = Vec::new();
    let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for f in files {
        let a = Article::read(f)?;
        if let Some(first) = ids.insert(a.id.clone(), f.clone()) {
            return Err(BuildError::DuplicateId {
                id: a.id,
                first,
                second: f.clone(),
            });
        }
        articles.push(a);
    }
    // Corrections for these articles only (the file may name others in the store).
    let corrections = data.corrections(&articles, OtherArticles::Skip)?;
    let store = Store::open(store_path)?;
    let mut extractions = Vec::new();
    for a in &articles {
        progress(&format!("adding {}", a.path.display()));
        let mut x = extractor.extract(a);
        extractor
            .apply_curation(a, &mut x, &corrections)
            .map_err(|(at, why)| BuildError::Correction(at, why))?;
        let quads = map::article_quads(a, &x, &reference_relations);
        store.replace_graph(iri::article_graph(&a.id).as_ref(), &quads)?;
        extractions.push(x);
    }
    collect_garbage(&store)?;
    store.flush()?;
    let mut report = Report {
        articles: articles.len(),
        quads: store.len()?,
        store: store_path.to_owned(),
        ..Report::default()
    };
    tally(&mut report, &extractions);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Removes shared facts and statements that no article's evidence supports
/// any more (after an article was replaced and no longer states them).
fn collect_garbage(store: &Store) -> Result<(), StoreError> {
    let facts = iri::facts_graph().into_string();
    let ns = vocab::NS;
    let unsupported = format!(
        "GRAPH <{facts}> {{ ?n a ?t . VALUES ?t {{ <{ns}Funding> <{ns}Observation> <{ns}Position> <{ns}Statement> }} }}
         FILTER NOT EXISTS {{ GRAPH ?g {{ ?n <{ns}evidence> ?e }} }}"
    );
    store.update(&format!(
        "DELETE {{ GRAPH <{facts}> {{ ?s ?p ?o }} }} WHERE {{ {unsupported}
           GRAPH <{facts}> {{ ?n <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
                                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ;
                                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }} }}"
    ))?;
    store.update(&format!(
        "DELETE {{ GRAPH <{facts}> {{ ?n ?p ?o }} }} WHERE {{ {unsupported} GRAPH <{facts}> {{ ?n ?p ?o }} }}"
    ))?;
    Ok(())
}
