//! The whole job: read `data/`, extract, map to RDF, load a new store, check
//! it against the shapes, and swap it in (`build`); or replace single
//! articles in an existing store (`add`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;

use crate::facts::Diagnostic;
use crate::rdf::iri;
use crate::remote::RemoteError;
use crate::shacl::Violation;
use crate::source::article::{ArticleError, article_files};
use crate::source::curation::{Curation, CurationError};
use crate::source::reference::ReferenceError;
use crate::store::{StagedStore, Store, StoreError, StoreLocation};

mod convert;
mod sink;

use convert::{Checks, Converter, Tally};
use sink::{NewStore, OpenStore, Remote, Sink};

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
    /// A file or directory of the input could not be read, or the output
    /// written.
    #[error("{action} {}", .path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
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
    Ontology(#[from] oxigraph::io::RdfParseError),
    /// The curation file is malformed or does not fit the articles.
    #[error(transparent)]
    Curation(#[from] CurationError),
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

/// Builds a new store from `data` at `store`, a directory (swapped in
/// only when everything succeeded) or a remote endpoint.
///
/// Articles are streamed: they are converted in parallel rounds on every
/// core while the bulk loader, on its own thread, sorts and writes the
/// previous rounds' quads. Memory holds one round of articles, the loader's
/// batch and the set of entity ids, never the corpus.
pub fn build(
    data: &DataDir,
    store: &StoreLocation,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Report, BuildError> {
    let job = Job::Build {
        allow_empty: options.allow_empty,
    };
    run_at(data, job, store, options, progress, |path| {
        NewStore::new(data, path)
    })
}

/// How `build` and `add` behave where a user may choose.
#[derive(Clone, Debug)]
pub struct Options {
    /// Whether a build of a data directory without articles may replace a
    /// store (`--allow-empty`).
    pub allow_empty: bool,
    /// Longest a request to a remote store may go without progress
    /// (connecting, sending, receiving) before it fails (`--remote-timeout`).
    pub remote_timeout: Duration,
    /// The article that a file named `-` stands for in `add` (what the
    /// binary read from its standard input); `-` without it is an error.
    pub stdin: Option<Vec<u8>>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            allow_empty: false,
            stdin: None,
            remote_timeout: Duration::from_secs(60),
        }
    }
}

/// Adds or replaces articles in an existing store. Each article's graph is
/// replaced and its entities and facts merged into the shared graphs; then
/// the facts and entities the old version of the article supported are
/// checked one by one, and those no article supports any more are removed
/// (in a remote store they stay until the next build; see [`crate::remote`]).
/// Nothing else in the store is read or written, so the cost is that of the
/// articles, not of the store. In the embedded store, all the articles go in
/// one transaction.
pub fn add(
    data: &DataDir,
    store: &StoreLocation,
    files: &[PathBuf],
    options: &Options,
    progress: &dyn Progress,
) -> Result<Report, BuildError> {
    run_at(data, Job::Add(files), store, options, progress, |path| {
        OpenStore::open(data, path)
    })
}

/// Runs `job` into the store at `store`: a directory through the sink
/// `local` opens, or a remote endpoint.
fn run_at<S: Sink>(
    data: &DataDir,
    job: Job<'_>,
    store: &StoreLocation,
    options: &Options,
    progress: &dyn Progress,
    local: impl FnOnce(&Path) -> Result<S, BuildError>,
) -> Result<Report, BuildError> {
    match store {
        StoreLocation::Dir(path) => run(data, job, local(path)?, options, progress),
        StoreLocation::Remote(url) => run(
            data,
            job,
            Remote::new(url, options.remote_timeout)?,
            options,
            progress,
        ),
    }
}

/// What a run converts.
enum Job<'a> {
    /// Every article of the data directory, into a new store.
    Build {
        /// Whether a data directory without articles may give a store.
        allow_empty: bool,
    },
    /// These articles, into an existing store.
    Add(&'a [PathBuf]),
}

/// The one shape of `build` and `add`: convert the articles in parallel
/// rounds, check them, write them to the sink, finish. A sink that cannot
/// take writes back (a remote store) gets nothing before every article has
/// been converted and checked once: bad input changes nothing anywhere.
fn run<S: Sink>(
    data: &DataDir,
    job: Job<'_>,
    mut sink: S,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Report, BuildError> {
    let started = Instant::now();
    progress.stage("reading reference data");
    let whole = matches!(job, Job::Build { .. });
    if whole {
        check_layout(data)?;
    }
    let (mut converter, fixed) = Converter::new(data)?;
    converter.stdin.clone_from(&options.stdin);
    let files = match job {
        Job::Build { allow_empty } => {
            let files = list_articles(data)?;
            check_not_empty(data, &files, allow_empty)?;
            files
        }
        Job::Add(files) => files.to_vec(),
    };
    if !S::STAGED {
        progress.stage("checking articles");
        let mut checks = Checks::default();
        converter.rounds(&files, progress, |mut round| {
            round
                .iter_mut()
                .try_for_each(|c| checks.admit(&converter, c))
        })?;
        checks.verdict(&converter, whole)?;
    }
    if whole {
        progress.stage("preparing a new store");
        sink.start(fixed)?;
    }
    progress.stage(&sink.stage());
    let convert_started = Instant::now();
    let mut tally = Tally::default();
    let mut checks = Checks::default();
    converter.rounds(&files, progress, |mut round| {
        for c in &mut round {
            checks.admit(&converter, c)?;
            tally.add(std::mem::take(&mut c.summary));
        }
        sink.write(round)
    })?;
    let articles = checks.articles();
    checks.verdict(&converter, whole)?;
    let mut stages = BTreeMap::from([("convert_check_and_load", convert_started.elapsed())]);
    let finished = sink.finish(progress)?;
    stages.extend(finished.stages);
    let mut report = tally.report;
    report.articles = articles;
    report.quads = finished.quads;
    report.store = finished.store;
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
    article_files(&data.articles()).map_err(|source| BuildError::Io {
        action: "cannot list",
        path: data.articles(),
        source,
    })
}

/// Removes articles, by id, from an existing store, in one transaction:
/// their graphs go, and so do the facts and entities no other article
/// supports. An id the store does not hold is an error, and then nothing is
/// removed.
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
    let graphs: Vec<NamedNode> = ids.iter().map(|id| iri::article_graph(id)).collect();
    store.replace_articles(graphs.iter().map(|g| (g, &[][..])))?;
    store.flush()?;
    store.mark_changed()?;
    Ok(Report {
        articles: ids.len(),
        store: store_path.to_owned(),
        elapsed: started.elapsed(),
        ..Report::default()
    })
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
