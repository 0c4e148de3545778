//! The whole job: read `data/`, extract, map to RDF, load a new store, check
//! it against the shapes, and swap it in (`build`); or replace single
//! articles in an existing store (`add`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, NamedNode, NamedOrBlankNode, Quad, Term};

use crate::extract::Extractor;
use crate::facts::{Diagnostic, EntityId, Extraction};
use crate::rdf::{iri, map, vocab};
use crate::remote::{self, RemoteError, RemoteStore};
use crate::shacl::{self, Violation};
use crate::source::article::{Article, ArticleError, article_files};
use crate::source::curation::{Curation, CurationError};
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
    /// The remote store refused a request or could not be reached.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// The input holds nothing, and replacing a store with nothing was not asked for.
    #[error(
        "{what}; the store was not changed\nhint: pass --allow-empty to write a store without articles"
    )]
    Empty {
        /// What is empty.
        what: String,
    },
    /// The store location is the data directory, or inside it, or holds it.
    #[error("the store {} and the data directory {} overlap; the data directory is never a store location\nhint: pass --store a path outside the data directory", .store.display(), .data.display())]
    StoreInData {
        /// The store location.
        store: PathBuf,
        /// The data directory.
        data: PathBuf,
    },
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
    /// Quads in the store after a build or load; quads written by an add;
    /// 0 for a remove (counting would read the whole store).
    pub quads: usize,
    /// Sentences with figures that gave no fact.
    pub skipped: Vec<Diagnostic>,
    /// Where the store is.
    pub store: PathBuf,
    /// Time taken.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    /// Time taken by each stage of a build, by name.
    #[serde(serialize_with = "stage_seconds")]
    pub stages: BTreeMap<&'static str, Duration>,
}

fn stage_seconds<S: serde::Serializer>(
    stages: &BTreeMap<&'static str, Duration>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(stages.len()))?;
    for (k, d) in stages {
        map.serialize_entry(k, &d.as_secs_f64())?;
    }
    map.end()
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

    /// The parsed curation file, `None` without one.
    pub fn curation_file(&self) -> Result<Option<Curation>, CurationError> {
        let path = self.curation();
        if path.exists() {
            Curation::read(&path).map(Some)
        } else {
            Ok(None)
        }
    }
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

/// Hears what a long operation is doing. `advance` is called from worker
/// threads, once per article, so implementations must be cheap and `Sync`.
pub trait Progress: Sync {
    /// A new stage begins ("reading reference data", "checking shapes" …).
    fn stage(&self, _name: &str) {}
    /// `total` articles are about to be converted.
    fn start(&self, _total: u64) {}
    /// `n` more articles were converted.
    fn advance(&self, _n: u64) {}
    /// The articles are done.
    fn finish(&self) {}
}

/// Progress nobody hears.
pub struct Silent;

impl Progress for Silent {}

/// The article ids seen so far, each with its file: a second file with an
/// id already seen is an error naming both.
#[derive(Default)]
struct Ids(std::collections::HashMap<String, PathBuf>);

impl Ids {
    fn claim(&mut self, id: &str, path: &Path) -> Result<(), BuildError> {
        match self.0.insert(id.to_owned(), path.to_owned()) {
            Some(first) => Err(BuildError::DuplicateId {
                id: id.to_owned(),
                first,
                second: path.to_owned(),
            }),
            None => Ok(()),
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Articles converted per parallel round: bounds how many articles and
/// their quads are in memory at once.
const CHUNK: usize = 256;

/// What one article gave, ready to load.
struct Converted {
    id: String,
    path: PathBuf,
    quads: Vec<Quad>,
    summary: Summary,
    /// Where the article's quads break the shapes, checked on their own.
    violations: Vec<Violation>,
    /// Hashes of (node, path) and of the value, for the attributes a shape
    /// allows one value of, with the node and path for the message.
    single_valued: Vec<(u64, u64, String, String)>,
}

/// The counts of one article's extraction, kept after its quads are gone.
#[derive(Default)]
struct Summary {
    entities: Vec<(EntityId, &'static str)>,
    facts: Vec<(&'static str, usize)>,
    skipped: Vec<Diagnostic>,
}

impl Summary {
    fn of(x: &Extraction) -> Summary {
        let mut facts = vec![
            ("funding", x.fundings.len()),
            ("observation", x.observations.len()),
            ("position", x.positions.len()),
            ("event", x.events.len()),
        ];
        facts.extend(x.relations.iter().map(|r| (r.predicate.as_str(), 1)));
        Summary {
            entities: x
                .entities
                .values()
                .map(|e| (e.id.clone(), e.kind.as_str()))
                .collect(),
            facts,
            skipped: x.diagnostics.clone(),
        }
    }
}

/// Running totals for the report.
#[derive(Default)]
struct Tally {
    seen: std::collections::HashSet<EntityId>,
    report: Report,
}

impl Tally {
    fn add(&mut self, s: Summary) {
        for (id, kind) in s.entities {
            if self.seen.insert(id) {
                *self.report.entities.entry(kind.to_owned()).or_default() += 1;
            }
        }
        for (kind, n) in s.facts {
            *self.report.facts.entry(kind.to_owned()).or_default() += n;
        }
        self.report.skipped.extend(s.skipped);
    }
}

/// Everything needed to convert articles, shared by the workers.
struct Converter {
    extractor: Extractor,
    curation: Option<Curation>,
    reference_context: map::ReferenceContext,
    shapes: shacl::Shapes,
    /// The ontology and reference quads, indexed: an article's nodes may
    /// point at reference entities, whose types are stated there.
    context: shacl::Index,
}

impl Converter {
    /// Reads the reference data and the curation file of `data`; returns
    /// the converter and the fixed quads (ontology and reference), checked.
    fn new(data: &DataDir) -> Result<(Converter, Vec<Quad>), BuildError> {
        let reference = Reference::read(&data.reference())?;
        let extractor = Extractor::new(&reference);
        let reference_context = map::reference_context(&reference);
        let curation = data.curation_file()?;
        let mut fixed = ontology_quads()?;
        let shapes = shacl::Shapes::of_ontology(fixed.clone())?;
        fixed.extend(map::reference_quads(&reference));
        let context = shacl::Index::of(&fixed);
        let violations = shapes.check(&context, &shacl::Index::default());
        if !violations.is_empty() {
            return Err(BuildError::Shapes(violations));
        }
        Ok((
            Converter {
                extractor,
                curation,
                reference_context,
                shapes,
                context,
            },
            fixed,
        ))
    }

    /// Converts `files` for an `add`: every article must pass its shapes
    /// and have an id of its own, or nothing is returned.
    fn convert_all(&self, files: &[PathBuf]) -> Result<Vec<Converted>, BuildError> {
        let mut converted = Vec::new();
        let mut ids = Ids::default();
        for f in files {
            let c = self.convert(f)?;
            if !c.violations.is_empty() {
                return Err(BuildError::Shapes(c.violations));
            }
            ids.claim(&c.id, f)?;
            converted.push(c);
        }
        Ok(converted)
    }

    /// Reads, extracts, curates, maps and checks one article.
    fn convert(&self, file: &Path) -> Result<Converted, BuildError> {
        let article = Article::read(file)?;
        let mut x = self.extractor.extract(&article);
        if let Some(curation) = &self.curation {
            let corrections = curation.corrections_for(&article)?;
            self.extractor
                .apply_curation(&article, &mut x, &corrections)
                .map_err(|(at, why)| BuildError::Correction(at, why))?;
        }
        let quads = map::article_quads(&article, &x, &self.reference_context);
        let index = shacl::Index::of(&quads);
        let violations = self.shapes.check(&index, &self.context);
        let single_valued = self
            .shapes
            .single_valued(&index)
            .into_iter()
            .map(|(node, path, value)| {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (&node, &path).hash(&mut h);
                (h.finish(), value, node, path)
            })
            .collect();
        Ok(Converted {
            id: article.id,
            path: file.to_owned(),
            quads,
            summary: Summary::of(&x),
            violations,
            single_valued,
        })
    }
}

/// Violations found so far in a build, and the values seen for the
/// attributes that allow one, to catch articles that disagree.
#[derive(Default)]
struct Checks {
    violations: Vec<Violation>,
    seen: std::collections::HashMap<u64, u64>,
    conflicts: std::collections::HashSet<u64>,
}

impl Checks {
    /// At most this many violations are kept for the message.
    const KEEP: usize = 50;

    fn add(&mut self, shapes: &shacl::Shapes, c: &mut Converted) {
        for v in c.violations.drain(..) {
            if self.violations.len() < Checks::KEEP {
                self.violations.push(v);
            }
        }
        for (key, value, node, path) in c.single_valued.drain(..) {
            let first = *self.seen.entry(key).or_insert(value);
            if first != value && self.conflicts.insert(key) && self.violations.len() < Checks::KEEP
            {
                self.violations.push(shapes.conflict(&node, &path));
            }
        }
    }
}

/// Builds a new store at `store_path` from `data`, swapping it in only when
/// everything succeeded.
///
/// Articles are streamed: they are converted in parallel rounds of
/// [`CHUNK`] on every core while the bulk loader, on its own thread, sorts
/// and writes the previous rounds' quads. Memory holds one round of
/// articles, the loader's batch and the set of entity ids, never the corpus.
pub fn build(
    data: &DataDir,
    store_path: &Path,
    allow_empty: bool,
    progress: &dyn Progress,
) -> Result<Report, BuildError> {
    use rayon::prelude::*;

    let started = Instant::now();
    progress.stage("reading reference data");
    check_layout(data)?;
    check_apart(data, store_path)?;
    let (converter, fixed) = Converter::new(data)?;
    let files = list_articles(data)?;
    check_not_empty(data, &files, allow_empty)?;

    progress.stage("preparing a new store");
    let staged = StagedStore::create(store_path)?;
    let store = staged.store();
    let mut stages = BTreeMap::new();

    progress.stage("converting articles");
    progress.start(files.len() as u64);
    let convert_started = Instant::now();
    let mut tally = Tally::default();
    let mut checks = Checks::default();
    let mut ids = Ids::default();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Quad>>(2 * CHUNK);
    let (converted, loaded) = std::thread::scope(|scope| {
        let loader = scope.spawn(move || store.bulk_load(rx.into_iter().flatten()));
        let converted = (|| -> Result<(), BuildError> {
            if tx.send(fixed).is_err() {
                return Ok(()); // the loader failed; its error is reported
            }
            for chunk in files.chunks(CHUNK) {
                let round: Vec<Result<Converted, BuildError>> = chunk
                    .par_iter()
                    .map(|file| {
                        let c = converter.convert(file);
                        progress.advance(1);
                        c
                    })
                    .collect();
                for c in round {
                    let mut c = c?;
                    ids.claim(&c.id, &c.path)?;
                    checks.add(&converter.shapes, &mut c);
                    tally.add(c.summary);
                    if tx.send(c.quads).is_err() {
                        return Ok(());
                    }
                }
            }
            Ok(())
        })();
        drop(tx);
        let loaded = loader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (converted, loaded)
    });
    progress.finish();
    converted?;
    loaded?;
    if let Some(curation) = &converter.curation {
        curation.check_articles(|id| ids.contains(id))?;
    }
    if !checks.violations.is_empty() {
        checks.violations.sort();
        return Err(BuildError::Shapes(checks.violations));
    }
    stages.insert("convert_check_and_load", convert_started.elapsed());

    progress.stage("compacting the store");
    let compact_started = Instant::now();
    store.optimize()?;
    stages.insert("compact", compact_started.elapsed());
    let quads = store.len()?;
    progress.stage("swapping the new store in");
    let swap_started = Instant::now();
    let path = staged.commit()?;
    stages.insert("swap", swap_started.elapsed());

    let mut report = tally.report;
    report.articles = ids.len();
    report.quads = quads;
    report.store = path;
    report.stages = stages;
    report.elapsed = started.elapsed();
    Ok(report)
}

fn check_layout(data: &DataDir) -> Result<(), BuildError> {
    for dir in [data.articles(), data.reference()] {
        if !dir.is_dir() {
            return Err(BuildError::Layout {
                path: dir,
                reason: "no such directory (a data directory has articles/ and reference/)"
                    .to_owned(),
            });
        }
    }
    Ok(())
}

/// The store must not be the data directory, lie inside it or hold it:
/// a build would replace the user's input.
fn check_apart(data: &DataDir, store: &Path) -> Result<(), BuildError> {
    let d = resolved(&data.root);
    let s = resolved(store);
    if d.starts_with(&s) || s.starts_with(&d) {
        return Err(BuildError::StoreInData {
            store: store.to_owned(),
            data: data.root.clone(),
        });
    }
    Ok(())
}

/// `path` with its longest existing prefix canonicalised (symbolic links and
/// `..` resolved) and the rest appended, for paths that may not exist yet.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut rest = Vec::new();
    let mut head = absolute.as_path();
    loop {
        if let Ok(real) = head.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (head.parent(), head.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                head = parent;
            }
            _ => return absolute,
        }
    }
}

fn check_not_empty(data: &DataDir, files: &[PathBuf], allow_empty: bool) -> Result<(), BuildError> {
    if files.is_empty() && !allow_empty {
        return Err(BuildError::Empty {
            what: format!(
                "{} holds no article (.txt or .md)",
                data.articles().display()
            ),
        });
    }
    Ok(())
}

fn list_articles(data: &DataDir) -> Result<Vec<PathBuf>, BuildError> {
    article_files(&data.articles()).map_err(|source| {
        BuildError::Store(StoreError::Io {
            action: "cannot list",
            path: data.articles(),
            source,
        })
    })
}

/// Adds or replaces articles in an existing store. Each article's graph is
/// replaced and its entities and facts merged into the shared graphs; then
/// the facts and entities the old version of the article supported are
/// checked one by one, and those no article supports any more are removed.
/// Nothing else in the store is read or written, so the cost is that of the
/// article, not of the store.
pub fn add(
    data: &DataDir,
    store_path: &Path,
    files: &[PathBuf],
    progress: &dyn Progress,
) -> Result<Report, BuildError> {
    let started = Instant::now();
    progress.stage("reading reference data");
    check_apart(data, store_path)?;
    let (converter, _) = Converter::new(data)?;
    // Convert and check everything first: a bad file changes nothing.
    let converted = converter.convert_all(files)?;
    let articles = converted.len();
    let mut tally = Tally::default();
    progress.stage("opening the store");
    let store = Store::open(store_path)?;
    let mut written = 0;
    for c in converted {
        progress.stage(&format!("adding {}", c.path.display()));
        let graph = iri::article_graph(&c.id);
        replace_article(&store, &graph, &c.quads)?;
        written += c.quads.len();
        tally.add(c.summary);
    }
    store.flush()?;
    let mut report = tally.report;
    report.articles = articles;
    // Counting the store would read all of it: the cost of an add must not
    // grow with the store.
    report.quads = written;
    report.store = store_path.to_owned();
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Removes articles, by id, from an existing store: their graphs go, and
/// so do the facts and entities no other article supports. An id the store
/// does not hold is an error, and then nothing is removed.
pub fn remove(store_path: &Path, ids: &[String]) -> Result<Report, BuildError> {
    let started = Instant::now();
    let store = Store::open(store_path)?;
    for id in ids {
        let article = iri::article(id);
        let graph = iri::article_graph(id);
        let held = store.select(&format!(
            "SELECT ?a WHERE {{ GRAPH <{}> {{ <{}> a ?t }} }} LIMIT 1",
            graph.as_str(),
            article.as_str()
        ))?;
        if held.is_empty() {
            return Err(BuildError::Layout {
                path: store_path.to_owned(),
                reason: format!("the store holds no article with the id {id:?}"),
            });
        }
    }
    for id in ids {
        let graph = iri::article_graph(id);
        replace_article(&store, &graph, &[])?;
    }
    store.flush()?;
    Ok(Report {
        articles: ids.len(),
        store: store_path.to_owned(),
        elapsed: started.elapsed(),
        ..Report::default()
    })
}

/// An article sent to a remote store: its counts, and its share of the
/// shared graphs, still to be merged and sent.
type SentArticle = (Summary, BTreeMap<NamedNode, String>);

/// Converts every article of `data` and writes the graphs to a remote
/// Graph Store Protocol endpoint (see [`crate::remote`]): the ontology and
/// reference graphs are replaced, the shared entity and fact graphs are
/// emptied and refilled, and each article's graph is replaced.
///
/// Every article is read and checked before anything is sent, so bad input
/// changes nothing on the server; a failure while sending (the server goes
/// away) leaves the graphs written so far, and a rerun repairs them.
pub fn build_remote(
    data: &DataDir,
    remote: &RemoteStore,
    allow_empty: bool,
    progress: &dyn Progress,
) -> Result<Report, BuildError> {
    use rayon::prelude::*;

    let started = Instant::now();
    progress.stage("reading reference data");
    check_layout(data)?;
    let (converter, fixed) = Converter::new(data)?;
    let curation = &converter.curation;
    let files = list_articles(data)?;
    check_not_empty(data, &files, allow_empty)?;

    progress.stage("checking articles");
    let mut ids = Ids::default();
    for chunk in files.chunks(CHUNK) {
        let read: Vec<Result<Article, ArticleError>> =
            chunk.par_iter().map(|f| Article::read(f)).collect();
        for a in read {
            let a = a?;
            if let Some(c) = &curation {
                c.corrections_for(&a)?;
            }
            ids.claim(&a.id, &a.path)?;
        }
    }
    if let Some(curation) = &curation {
        curation.check_articles(|id| ids.contains(id))?;
    }

    progress.stage(&format!("writing to {}", remote.url()));
    let mut sent = 0;
    for (graph, body) in remote::by_graph(fixed) {
        sent += body.lines().count();
        remote.put(&graph, body)?;
    }
    let shared = [iri::entities_graph(), iri::facts_graph()];
    for graph in &shared {
        remote.delete(graph)?;
    }
    progress.start(files.len() as u64);
    let mut tally = Tally::default();
    let own_lines = std::sync::atomic::AtomicUsize::new(0);
    for chunk in files.chunks(CHUNK) {
        let round: Vec<Result<SentArticle, BuildError>> = chunk
            .par_iter()
            .map(|file| {
                let c = converter.convert(file)?;
                if !c.violations.is_empty() {
                    return Err(BuildError::Shapes(c.violations));
                }
                let mut graphs = remote::by_graph(c.quads);
                let own = iri::article_graph(&c.id);
                let body = graphs.remove(&own).unwrap_or_default();
                own_lines.fetch_add(body.lines().count(), Ordering::Relaxed);
                remote.put(&own, body)?;
                progress.advance(1);
                Ok((c.summary, graphs))
            })
            .collect();
        let mut merged: BTreeMap<NamedNode, BTreeSet<String>> = BTreeMap::new();
        for r in round {
            let (summary, graphs) = r?;
            tally.add(summary);
            for (graph, body) in graphs {
                merged
                    .entry(graph)
                    .or_default()
                    .extend(body.lines().map(str::to_owned));
            }
        }
        for (graph, lines) in merged {
            sent += lines.len();
            let body = lines.into_iter().fold(String::new(), |mut b, l| {
                b.push_str(&l);
                b.push('\n');
                b
            });
            remote.post(&graph, body)?;
        }
    }
    progress.finish();
    let mut report = tally.report;
    report.articles = ids.len();
    report.quads = sent + own_lines.load(Ordering::Relaxed);
    report.store = PathBuf::from(remote.url());
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Adds or replaces articles in a remote store: each article's graph is
/// replaced and its share of the entity and fact graphs merged in.
pub fn add_remote(
    data: &DataDir,
    remote: &RemoteStore,
    files: &[PathBuf],
    progress: &dyn Progress,
) -> Result<Report, BuildError> {
    let started = Instant::now();
    progress.stage("reading reference data");
    let (converter, _) = Converter::new(data)?;
    let converted = converter.convert_all(files)?;
    let articles = converted.len();
    let mut tally = Tally::default();
    let mut sent = 0;
    for c in converted {
        progress.stage(&format!("adding {}", c.path.display()));
        let own = iri::article_graph(&c.id);
        let mut graphs = remote::by_graph(c.quads);
        let body = graphs.remove(&own).unwrap_or_default();
        sent += body.lines().count();
        remote.put(&own, body)?;
        for (graph, body) in graphs {
            sent += body.lines().count();
            remote.post(&graph, body)?;
        }
        tally.add(c.summary);
    }
    let mut report = tally.report;
    report.articles = articles;
    report.quads = sent;
    report.store = PathBuf::from(remote.url());
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Writes, as N-Quads, every quad a build of the synthetic articles
/// `range` would load (ontology, reference, articles), converting them in
/// parallel rounds; returns the number of quads. Duplicates of shared facts
/// are written as a build would hand them to the loader.
pub fn synthetic_nquads(
    reference: &Reference,
    generator: &crate::synth::Generator,
    range: std::ops::Range<usize>,
    out: &mut dyn std::io::Write,
) -> Result<usize, BuildError> {
    use rayon::prelude::*;

    let extractor = Extractor::new(reference);
    let reference_context = map::reference_context(reference);
    let io = |source| {
        BuildError::Store(StoreError::Io {
            action: "cannot write N-Quads to",
            path: PathBuf::from("the output"),
            source,
        })
    };
    let mut n = 0;
    let mut write = |quads: &[Quad], n: &mut usize| -> Result<(), BuildError> {
        for q in quads {
            writeln!(out, "{q} .").map_err(io)?;
        }
        *n += quads.len();
        Ok(())
    };
    let mut fixed = ontology_quads()?;
    fixed.extend(map::reference_quads(reference));
    write(&fixed, &mut n)?;
    let indices: Vec<usize> = range.collect();
    for chunk in indices.chunks(CHUNK) {
        let round: Vec<Result<Vec<Quad>, BuildError>> = chunk
            .par_iter()
            .map(|&i| {
                let path = PathBuf::from(format!("{}.txt", generator.id(i)));
                let article = Article::parse(&path, generator.article(i).as_bytes())?;
                let x = extractor.extract(&article);
                Ok(map::article_quads(&article, &x, &reference_context))
            })
            .collect();
        for quads in round {
            write(&quads?, &mut n)?;
        }
    }
    Ok(n)
}

/// Loads an N-Quads or N-Triples file (a `dump`, or quads from elsewhere)
/// into a new store swapped in on success, with the bulk loader; the
/// previous store is kept if anything fails. Returns the number of quads.
pub fn load(
    input: &mut dyn std::io::Read,
    format: RdfFormat,
    store_path: &Path,
    allow_empty: bool,
) -> Result<usize, BuildError> {
    let staged = StagedStore::create(store_path)?;
    staged.store().bulk_load_reader(input, format)?;
    let n = staged.store().len()?;
    if n == 0 && !allow_empty {
        return Err(BuildError::Empty {
            what: "the input holds no quad".to_owned(),
        });
    }
    staged.commit()?;
    Ok(n)
}

/// Replaces an article's graph with `quads` and removes the shared facts
/// and entities no article supports any more, in one transaction: a reader
/// or a crash sees the article before or after, never half of it.
fn replace_article(store: &Store, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
    store.transaction(|tx| {
        let before = Supported::by(tx, graph)?;
        tx.clear_graph(graph.as_ref())?;
        for q in quads {
            tx.insert(q);
        }
        before.collect_garbage(tx)
    })
}

/// The shared facts and entities one article graph supports, read before
/// the graph is replaced or removed.
struct Supported {
    facts: BTreeSet<NamedNode>,
    entities: BTreeSet<NamedNode>,
}

/// The quads of a pattern, read inside a transaction (which sees its own writes).
fn quads_in(
    tx: &oxigraph::store::Transaction<'_>,
    subject: Option<oxigraph::model::NamedOrBlankNodeRef<'_>>,
    predicate: Option<oxigraph::model::NamedNodeRef<'_>>,
    object: Option<oxigraph::model::TermRef<'_>>,
    graph: Option<oxigraph::model::GraphNameRef<'_>>,
) -> Result<Vec<Quad>, StoreError> {
    Ok(tx
        .quads_for_pattern(subject, predicate, object, graph)
        .collect::<Result<Vec<_>, _>>()?)
}

/// Whether some named graph has a triple `subject predicate …`. A read
/// error is an error, not a "no": the answer decides what is deleted.
fn in_a_named_graph(
    tx: &oxigraph::store::Transaction<'_>,
    subject: &NamedNode,
    predicate: oxigraph::model::NamedNodeRef<'_>,
) -> Result<bool, StoreError> {
    for q in tx.quads_for_pattern(Some(subject.as_ref().into()), Some(predicate), None, None) {
        if !q?.graph_name.is_default_graph() {
            return Ok(true);
        }
    }
    Ok(false)
}

impl Supported {
    /// Direct index reads, not SPARQL: this runs for every `add` and
    /// `remove`, and its cost must not grow with the store.
    fn by(
        tx: &oxigraph::store::Transaction<'_>,
        graph: &NamedNode,
    ) -> Result<Supported, StoreError> {
        let subjects = |p| -> Result<BTreeSet<NamedNode>, StoreError> {
            Ok(
                quads_in(tx, None, Some(p), None, Some(graph.as_ref().into()))?
                    .into_iter()
                    .filter_map(|q| match q.subject {
                        NamedOrBlankNode::NamedNode(n) => Some(n),
                        NamedOrBlankNode::BlankNode(_) => None,
                    })
                    .collect(),
            )
        };
        Ok(Supported {
            facts: subjects(vocab::EVIDENCE)?,
            entities: subjects(vocab::MENTIONED_IN)?,
        })
    }

    /// Removes, among these facts and entities, those that no article
    /// supports any more: a fact whose last evidence went, with the triple
    /// a statement reifies and the role a position gave; an entity no
    /// article mentions, with its description.
    fn collect_garbage(&self, tx: &mut oxigraph::store::Transaction<'_>) -> Result<(), StoreError> {
        use oxigraph::model::vocab::rdf;
        let facts = iri::facts_graph();
        let entities = iri::entities_graph();
        let in_facts = Some(facts.as_ref().into());
        // Whether some article graph still gives `n` a piece of evidence.
        let supported = |tx: &oxigraph::store::Transaction<'_>, n: &NamedNode| {
            in_a_named_graph(tx, n, vocab::EVIDENCE)
        };
        for n in &self.facts {
            if supported(tx, n)? {
                continue;
            }
            let own = quads_in(tx, Some(n.as_ref().into()), None, None, in_facts)?;
            let value = |p: oxigraph::model::NamedNodeRef<'static>| {
                own.iter()
                    .filter(move |q| q.predicate == p)
                    .map(|q| &q.object)
            };
            let is = |class: oxigraph::model::NamedNodeRef<'static>| {
                value(rdf::TYPE).any(|t| *t == Term::from(class.into_owned()))
            };
            let mut remove = Vec::new();
            // The triple a statement stands for.
            if is(vocab::STATEMENT)
                && let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(o)) = (
                    value(rdf::SUBJECT).next(),
                    value(rdf::PREDICATE).next(),
                    value(rdf::OBJECT).next(),
                )
            {
                remove.push(Quad::new(s.clone(), p.clone(), o.clone(), facts.clone()));
            }
            // The role a position gave its person, unless another position
            // that some article still supports gives it too.
            if is(vocab::POSITION)
                && let Some(Term::NamedNode(person)) = value(vocab::PERSON_PROP).next()
            {
                for role in value(vocab::ROLE) {
                    let others = quads_in(
                        tx,
                        None,
                        Some(vocab::PERSON_PROP),
                        Some(person.as_ref().into()),
                        in_facts,
                    )?;
                    let mut still_given = false;
                    for other in others {
                        let NamedOrBlankNode::NamedNode(o) = other.subject else {
                            continue;
                        };
                        let gives = |p, object| {
                            tx.contains(oxigraph::model::QuadRef::new(&o, p, object, &facts))
                        };
                        if o != *n
                            && gives(rdf::TYPE, vocab::POSITION.into())?
                            && gives(vocab::ROLE, role.as_ref())?
                            && supported(tx, &o)?
                        {
                            still_given = true;
                            break;
                        }
                    }
                    if !still_given {
                        remove.push(Quad::new(
                            person.clone(),
                            vocab::ROLE.into_owned(),
                            role.clone(),
                            facts.clone(),
                        ));
                    }
                }
            }
            // The fact itself; of anything else (an event), its date.
            let whole = [
                vocab::FUNDING,
                vocab::OBSERVATION,
                vocab::POSITION,
                vocab::STATEMENT,
            ]
            .into_iter()
            .any(is);
            remove.extend(
                own.iter()
                    .filter(|q| whole || q.predicate == vocab::DATE || q.predicate == vocab::YEAR)
                    .cloned(),
            );
            for q in &remove {
                tx.remove(q);
            }
        }
        for x in &self.entities {
            if !in_a_named_graph(tx, x, vocab::MENTIONED_IN)? {
                for q in quads_in(
                    tx,
                    Some(x.as_ref().into()),
                    None,
                    None,
                    Some(entities.as_ref().into()),
                )? {
                    tx.remove(&q);
                }
            }
        }
        Ok(())
    }
}
