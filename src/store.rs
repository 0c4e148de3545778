//! The persistent store: the only module that touches `oxigraph::store`.
//!
//! A build never writes into the store users read. It writes a complete new
//! store in a sibling directory (`STORE.building-PID`), and only when
//! everything succeeded swaps it in: the old store is renamed aside
//! (`STORE.previous-PID`), the new one renamed into place, and the old one
//! deleted. A failure or a kill before the swap leaves the old store as it
//! was; a kill between the two renames is repaired the next time the store is
//! opened (the previous store is moved back). Queries see the union of all
//! named graphs as their default graph.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use oxigraph::model::{NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::sparql::{
    CancellationToken, QueryResults, QuerySolutionIter, QueryTripleIter, SparqlEvaluator,
};
use oxigraph::store::Store as OxStore;

mod articles;
pub mod watch;

/// Where `--store` points, parsed once: the directory of an embedded store,
/// or the address of a remote SPARQL Graph Store Protocol endpoint
/// (`http://…`, which `build` and `add` write to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreLocation {
    /// An embedded store's directory.
    Dir(PathBuf),
    /// A remote store's address.
    Remote(String),
}

impl StoreLocation {
    /// The directory of an embedded store; a remote store is an error for
    /// the commands that read the store themselves.
    pub fn dir(&self) -> Result<&Path, StoreError> {
        match self {
            StoreLocation::Dir(path) => Ok(path),
            StoreLocation::Remote(url) => Err(StoreError::Remote { url: url.clone() }),
        }
    }
}

impl From<std::ffi::OsString> for StoreLocation {
    /// An address with a scheme of the web (`http://`, `https://`) is
    /// remote; anything else is a path.
    fn from(s: std::ffi::OsString) -> StoreLocation {
        match s.to_str() {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                StoreLocation::Remote(url.to_owned())
            }
            _ => StoreLocation::Dir(PathBuf::from(s)),
        }
    }
}

impl std::fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreLocation::Dir(path) => write!(f, "{}", path.display()),
            StoreLocation::Remote(url) => f.write_str(url),
        }
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No store at the path.
    #[error("no store at {}\nhint: run `yushu-kg build` first, or pass --store", .path.display())]
    Missing {
        /// The path.
        path: PathBuf,
    },
    /// Oxigraph could not open the store (locked, corrupt, not a store).
    #[error("cannot open the store at {}: {source}", .path.display())]
    Open {
        /// The path.
        path: PathBuf,
        /// What Oxigraph said.
        source: oxigraph::store::StorageError,
    },
    /// Oxigraph failed while reading or writing.
    #[error(transparent)]
    Storage(#[from] oxigraph::store::StorageError),
    /// A file system operation failed.
    #[error("{action} {}", .path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A SPARQL query or update failed to parse.
    #[error("{0}")]
    Syntax(String),
    /// A query failed while running.
    #[error("query failed: {0}")]
    Evaluation(oxigraph::sparql::QueryEvaluationError),
    /// A query ran longer than allowed.
    #[error("query stopped: it ran longer than its timeout")]
    Timeout,
    /// A query took in more rows than its budget where rows are held.
    #[error("query stopped: {0}")]
    RowBudget(watch::RowBudget),
    /// A query's `GROUP_CONCAT`s joined more bytes than its budget.
    #[error("query stopped: {0}")]
    ConcatBudget(watch::ConcatBudget),
    /// Another process holds the store open for writing.
    #[error("the store at {} is in use by another process that is writing it (a build, add, remove or load)\nhint: wait for it to finish; query, export and serve can read the store meanwhile", .path.display())]
    Locked {
        /// The path.
        path: PathBuf,
    },
    /// The path exists but is not a store this tool made: it is never
    /// written, replaced or deleted.
    #[error("{} is not a yushu-kg store: {reason}; nothing was written\nhint: pass --store a new path, an empty directory or an existing store", .path.display())]
    NotAStore {
        /// The path.
        path: PathBuf,
        /// What is there instead.
        reason: String,
    },
    /// A command that needs the embedded store was given a remote one.
    #[error(
        "{url} is a remote store: build and add write to it; query it through its own SPARQL endpoint"
    )]
    Remote {
        /// The address.
        url: String,
    },
}

impl From<oxigraph::sparql::QueryEvaluationError> for StoreError {
    fn from(e: oxigraph::sparql::QueryEvaluationError) -> Self {
        // Results are lazy: a timeout can surface while they are read.
        match e {
            oxigraph::sparql::QueryEvaluationError::Cancelled => StoreError::Timeout,
            oxigraph::sparql::QueryEvaluationError::Dataset(e) => {
                let e = match e.downcast::<watch::RowBudget>() {
                    Ok(budget) => return StoreError::RowBudget(*budget),
                    Err(e) => e,
                };
                match e.downcast::<watch::ConcatBudget>() {
                    Ok(budget) => StoreError::ConcatBudget(*budget),
                    Err(e) => {
                        StoreError::Evaluation(oxigraph::sparql::QueryEvaluationError::Dataset(e))
                    }
                }
            }
            e => StoreError::Evaluation(e),
        }
    }
}

/// The file every store this tool creates holds, so that a directory is
/// recognisably ours before anything in it is written, replaced or deleted.
pub const MARKER: &str = "yushu-kg-store";

/// What is at a path given as a store location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occupant {
    /// Nothing: a store may be created there.
    Nothing,
    /// An empty directory: a store may be created there.
    EmptyDir,
    /// A store this tool made (its marker, or RocksDB's layout for stores
    /// made before the marker existed).
    Store,
}

/// Says what is at `path`, or why it must not be touched: a file, a
/// symbolic link, or a directory holding anything but a store.
pub fn occupant(path: &Path) -> Result<Occupant, StoreError> {
    let not_ours = |reason: String| StoreError::NotAStore {
        path: path.to_owned(),
        reason,
    };
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Occupant::Nothing),
        Err(source) => {
            return Err(StoreError::Io {
                action: "cannot inspect",
                path: path.to_owned(),
                source,
            });
        }
    };
    if meta.file_type().is_symlink() {
        return Err(not_ours("it is a symbolic link".to_owned()));
    }
    if !meta.is_dir() {
        return Err(not_ours("it is a file, not a directory".to_owned()));
    }
    let entries = std::fs::read_dir(path).map_err(|source| StoreError::Io {
        action: "cannot list",
        path: path.to_owned(),
        source,
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| StoreError::Io {
            action: "cannot list",
            path: path.to_owned(),
            source,
        })?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    if names.is_empty() {
        return Ok(Occupant::EmptyDir);
    }
    if names.iter().any(|n| n == MARKER) {
        return Ok(Occupant::Store);
    }
    // A store made before the marker: RocksDB's own files.
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("CURRENT") && has("IDENTITY") && names.iter().any(|n| n.starts_with("MANIFEST-")) {
        return Ok(Occupant::Store);
    }
    names.sort();
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    Err(not_ours(format!(
        "it is a directory that holds other files ({}{})",
        shown.join(", "),
        if names.len() > shown.len() {
            ", …"
        } else {
            ""
        }
    )))
}

/// Memory the bulk loader may use for its batches, in MB.
const BULK_LOAD_MEMORY_MB: usize = 1024;

/// An open knowledge-graph store. A clone is another handle on the same
/// store.
#[derive(Clone)]
pub struct Store {
    inner: OxStore,
    path: Option<PathBuf>,
    /// The most rows one query may take in where rows are held, and the
    /// most bytes its `GROUP_CONCAT`s may join ([`watch`]).
    budget: watch::Budget,
}

impl Store {
    /// Opens the store at `path` for reading and writing. Only a store this
    /// tool made is opened so: an ordinary directory is never written into.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        recover_interrupted_swap(path)?;
        match occupant(path)? {
            Occupant::Store => {}
            Occupant::Nothing | Occupant::EmptyDir => {
                return Err(StoreError::Missing {
                    path: path.to_owned(),
                });
            }
        }
        Store::open_with(path, |p| OxStore::open(p))
    }

    /// Opens the store at `path` for reading only; another process may hold it open for writing.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, |p| OxStore::open_read_only(p))
    }

    fn open_with(
        path: &Path,
        open: impl FnOnce(&Path) -> Result<OxStore, oxigraph::store::StorageError>,
    ) -> Result<Store, StoreError> {
        recover_interrupted_swap(path)?;
        if !path.is_dir() {
            return Err(StoreError::Missing {
                path: path.to_owned(),
            });
        }
        let inner = open(path).map_err(|source| {
            if is_lock_error(&source) {
                StoreError::Locked {
                    path: path.to_owned(),
                }
            } else {
                StoreError::Open {
                    path: path.to_owned(),
                    source,
                }
            }
        })?;
        Ok(Store {
            inner,
            path: Some(path.to_owned()),
            budget: watch::Budget::default(),
        })
    }

    /// A store in memory, for tests and one-off conversions.
    pub fn in_memory() -> Result<Store, StoreError> {
        Ok(Store {
            inner: OxStore::new()?,
            path: None,
            budget: watch::Budget::default(),
        })
    }

    /// Where the store lives, unless in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Loads quads in bulk with Oxigraph's bulk loader: it sorts them in
    /// batches on background threads and writes sorted files that the store
    /// takes in at the end, so the iterator may stream any number of quads in
    /// bounded memory. Not atomic: meant for a store nobody reads yet (a
    /// [`StagedStore`]).
    pub fn bulk_load(&self, quads: impl IntoIterator<Item = Quad>) -> Result<(), StoreError> {
        // Batches of at most about 1 GB in all: peak memory stays well
        // under 2 GiB whatever the corpus (Oxigraph's default batch is a
        // million quads per thread).
        let mut loader = self
            .inner
            .bulk_loader()
            .with_max_memory_size_in_megabytes(BULK_LOAD_MEMORY_MB);
        loader.load_quads(quads)?;
        loader.commit()?;
        Ok(())
    }

    /// Loads an RDF file in bulk (see [`Store::bulk_load`]), keeping its
    /// blank node labels, so a `dump` loads back to the same quads; a
    /// syntax error names its line and column.
    pub fn bulk_load_reader(
        &self,
        input: &mut dyn std::io::Read,
        format: oxigraph::io::RdfFormat,
    ) -> Result<(), StoreError> {
        use oxigraph::store::LoaderError;
        let quads = oxigraph::io::RdfParser::from_format(format).for_reader(input);
        let mut loader = self
            .inner
            .bulk_loader()
            .with_max_memory_size_in_megabytes(BULK_LOAD_MEMORY_MB);
        loader
            .load_ok_quads::<_, LoaderError>(quads)
            .map_err(|e| match e {
                LoaderError::Storage(e) => e.into(),
                e => StoreError::Syntax(e.to_string()),
            })?;
        loader.commit()?;
        Ok(())
    }

    /// This store, its queries held to `rows` rows made by their products
    /// or taken in by their sorts, aggregates and `DISTINCT`s (see
    /// [`watch`]).
    pub fn with_row_budget(mut self, rows: u64) -> Store {
        self.budget.rows = rows;
        self
    }

    /// This store, the `GROUP_CONCAT`s of each of its queries held to
    /// `bytes` bytes joined (see [`watch`]).
    pub fn with_concat_budget(mut self, bytes: u64) -> Store {
        self.budget.concat_bytes = bytes;
        self
    }

    /// This store, its queries held to `budget`.
    pub fn with_budget(mut self, budget: watch::Budget) -> Store {
        self.budget = budget;
        self
    }

    /// The most rows one query may take in where rows are held.
    pub fn row_budget(&self) -> u64 {
        self.budget.rows
    }

    /// What one query may hold: rows and joined bytes.
    pub fn budget(&self) -> watch::Budget {
        self.budget
    }

    /// Runs a SPARQL query with the union of all graphs as its default graph.
    ///
    /// `timeout`, when given, cancels the query after that long.
    pub fn query(
        &self,
        query: &str,
        timeout: Option<Duration>,
    ) -> Result<QueryResults<'static>, StoreError> {
        let parsed = spargebra::SparqlParser::new()
            .parse_query(query)
            .map_err(|e| StoreError::Syntax(e.to_string()))?;
        self.query_parsed(parsed, None, timeout)
    }

    /// The rows of a SELECT query, each value in the order of the query's
    /// variables (`None` where unbound); empty for other query forms.
    pub fn select(&self, query: &str) -> Result<Vec<Vec<Option<Term>>>, StoreError> {
        self.select_within(query, None)
    }

    /// [`Store::select`], cancelled after `timeout` when one is given.
    pub fn select_within(
        &self,
        query: &str,
        timeout: Option<Duration>,
    ) -> Result<Vec<Vec<Option<Term>>>, StoreError> {
        let QueryResults::Solutions(solutions) = self.query(query, timeout)? else {
            return Ok(Vec::new());
        };
        let vars = solutions.variables().to_vec();
        let mut out = Vec::new();
        for s in solutions {
            let s = s?;
            out.push(vars.iter().map(|v| s.get(v).cloned()).collect());
        }
        Ok(out)
    }

    /// Runs a query already parsed (and checked: see
    /// [`crate::query::guard`]), which is not parsed again, as the SPARQL
    /// Protocol asks: with a request's dataset (default graphs, named
    /// graphs), when it names one, in place of the query's own `FROM` and
    /// `FROM NAMED`, both halves; without one, over the union of all graphs
    /// unless the query says `FROM`.
    pub fn query_parsed(
        &self,
        query: spargebra::Query,
        dataset: Option<(&[NamedNode], &[NamedNode])>,
        timeout: Option<Duration>,
    ) -> Result<QueryResults<'static>, StoreError> {
        let token = CancellationToken::new();
        let watch = Arc::new(watch::Watch::new(token.clone(), self.budget));
        let alive = Arc::clone(&watch);
        let awake = Arc::clone(&watch);
        let joined = Arc::clone(&watch);
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(token.clone())
            .with_custom_function(NamedNode::new_unchecked(watch::ALIVE), move |args| {
                alive.alive(args)
            })
            .with_custom_function(NamedNode::new_unchecked(watch::AWAKE), move |args| {
                awake.awake(args)
            })
            .with_custom_function(NamedNode::new_unchecked(watch::JOINED), move |args| {
                joined.joined(args)
            })
            .for_query(watch::watched(query));
        match dataset {
            Some((default_graphs, named_graphs)) => {
                let dataset = prepared.dataset_mut();
                dataset.set_default_graph(default_graphs.iter().cloned().map(Into::into).collect());
                dataset.set_available_named_graphs(
                    named_graphs.iter().cloned().map(Into::into).collect(),
                );
            }
            None => {
                // Without FROM, the union of all graphs; FROM keeps its meaning.
                let plain_default = prepared
                    .dataset()
                    .default_graph_graphs()
                    .is_some_and(|g| g.iter().all(|g| g.is_default_graph()));
                if plain_default {
                    prepared.dataset_mut().set_default_graph_as_union();
                }
            }
        }
        cancel_after(token, timeout);
        // Every step of the evaluation under the watch: where it stops the
        // work, the step is an error and the evaluation is dropped.
        let results = watch.step(|| prepared.on_store(&self.inner).execute())??;
        Ok(match results {
            QueryResults::Solutions(solutions) => {
                let variables: Arc<[oxigraph::sparql::Variable]> = solutions.variables().into();
                QueryResults::Solutions(QuerySolutionIter::new(
                    variables,
                    watch::Caught::new(solutions, watch),
                ))
            }
            QueryResults::Graph(triples) => {
                QueryResults::Graph(QueryTripleIter::new(watch::Caught::new(triples, watch)))
            }
            boolean => boolean,
        })
    }

    /// The quads matching a pattern, from the index that fits it.
    pub fn quads_matching(
        &self,
        subject: Option<oxigraph::model::NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<oxigraph::model::TermRef<'_>>,
        graph: Option<oxigraph::model::GraphNameRef<'_>>,
    ) -> impl Iterator<Item = Result<Quad, StoreError>> + 'static {
        self.inner
            .quads_for_pattern(subject, predicate, object, graph)
            .map(|q| q.map_err(StoreError::from))
    }

    /// Every quad of the store, sorted, so two stores can be compared.
    pub fn sorted_quads(&self) -> Result<Vec<Quad>, StoreError> {
        let mut quads = self.inner.iter().collect::<Result<Vec<_>, _>>()?;
        quads.sort_by_cached_key(|q| q.to_string());
        Ok(quads)
    }

    /// Number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.inner.len()?)
    }

    /// Whether the store holds no quad.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.inner.is_empty()?)
    }

    /// Compacts the store's files after a bulk load, so that a lookup reads
    /// one sorted run instead of one per loaded batch.
    pub fn optimize(&self) -> Result<(), StoreError> {
        if self.path.is_some() {
            self.inner.optimize()?;
        }
        Ok(())
    }

    /// Flushes writes to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        if self.path.is_some() {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Says, by the time of the store's marker, that the store changed in
    /// place (an `add`, a `remove`): a reader watching [`Version::of`]
    /// reopens it. A store without a marker (made by an older version) is
    /// left as it is.
    pub fn mark_changed(&self) -> Result<(), StoreError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let marker = path.join(MARKER);
        match std::fs::OpenOptions::new().append(true).open(&marker) {
            Ok(file) => file
                .set_modified(std::time::SystemTime::now())
                .map_err(|source| StoreError::Io {
                    action: "cannot mark as changed",
                    path: marker,
                    source,
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(StoreError::Io {
                action: "cannot mark as changed",
                path: marker,
                source,
            }),
        }
    }
}

/// Which store is at a path, and how recently it changed: a new build
/// swapped in is another directory, an `add` or `remove` touches the
/// marker. Two versions differ when a reader should reopen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    directory: Option<(u64, u64)>,
    marked: Option<std::time::SystemTime>,
}

impl Version {
    /// The version of the store at `path` now.
    pub fn of(path: &Path) -> Version {
        #[cfg(unix)]
        let directory = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
        };
        #[cfg(not(unix))]
        let directory = std::fs::metadata(path)
            .and_then(|m| m.created())
            .ok()
            .map(|t| {
                (
                    t.duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_nanos() as u64),
                    0,
                )
            });
        let marked = std::fs::metadata(path.join(MARKER))
            .and_then(|m| m.modified())
            .ok();
        Version { directory, marked }
    }
}

/// Cancels `token` after `timeout`.
///
/// One timer thread serves every query of the process (started on first
/// use), so a busy endpoint does not park a thread per request.
fn cancel_after(token: CancellationToken, timeout: Option<Duration>) {
    use std::sync::OnceLock;
    use std::sync::mpsc::{Sender, channel};
    static TIMER: OnceLock<std::sync::Mutex<Sender<(std::time::Instant, CancellationToken)>>> =
        OnceLock::new();
    let Some(limit) = timeout else {
        return;
    };
    let timer = TIMER.get_or_init(|| {
        let (tx, rx) = channel::<(std::time::Instant, CancellationToken)>();
        std::thread::spawn(move || {
            // Deadlines in order (with a counter to keep equal instants apart).
            let mut pending: std::collections::BTreeMap<
                (std::time::Instant, u64),
                CancellationToken,
            > = std::collections::BTreeMap::new();
            let mut counter = 0u64;
            loop {
                let now = std::time::Instant::now();
                while let Some(entry) = pending.first_entry() {
                    if entry.key().0 > now {
                        break;
                    }
                    entry.remove().cancel();
                }
                let received = match pending.keys().next() {
                    Some((at, _)) => rx.recv_timeout(at.saturating_duration_since(now)),
                    None => rx
                        .recv()
                        .map_err(|_| std::sync::mpsc::RecvTimeoutError::Disconnected),
                };
                match received {
                    Ok((at, token)) => {
                        counter += 1;
                        pending.insert((at, counter), token);
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
        });
        std::sync::Mutex::new(tx)
    });
    if let Ok(tx) = timer.lock() {
        let _ = tx.send((std::time::Instant::now() + limit, token));
    }
}

/// A store being built beside the live one, swapped in by [`StagedStore::commit`].
pub struct StagedStore {
    store: Option<Store>,
    staging: PathBuf,
    target: PathBuf,
}

impl StagedStore {
    /// Starts building a new store for `target`, in a sibling directory.
    pub fn create(target: &Path) -> Result<StagedStore, StoreError> {
        let target = absolute(target);
        recover_interrupted_swap(&target)?;
        // Refuse before anything is created: only nothing, an empty
        // directory or one of our stores is ever replaced.
        occupant(&target)?;
        let parent = target.parent().unwrap_or_else(|| Path::new("."));
        std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
            action: "cannot create the directory",
            path: parent.to_owned(),
            source,
        })?;
        clean_stale_siblings(&target);
        let staging = sibling(&target, &format!("building-{}", std::process::id()));
        if staging.exists() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        let inner = OxStore::open(&staging).map_err(|source| StoreError::Open {
            path: staging.clone(),
            source,
        })?;
        let marker = staging.join(MARKER);
        std::fs::write(&marker, "a knowledge-graph store written by yushu-kg\n").map_err(
            |source| StoreError::Io {
                action: "cannot write",
                path: marker,
                source,
            },
        )?;
        Ok(StagedStore {
            store: Some(Store {
                inner,
                path: Some(staging.clone()),
                budget: watch::Budget::default(),
            }),
            staging,
            target,
        })
    }

    /// The store being built.
    pub fn store(&self) -> &Store {
        self.store
            .as_ref()
            .expect("the staged store is present until commit")
    }

    /// Swaps the new store in place of the old one.
    pub fn commit(mut self) -> Result<PathBuf, StoreError> {
        let store = self
            .store
            .take()
            .expect("the staged store is present until commit");
        store.flush()?;
        drop(store);
        let previous = sibling(&self.target, &format!("previous-{}", std::process::id()));
        // Checked again: the target may have changed since the build began.
        let had_previous = match occupant(&self.target) {
            Ok(Occupant::Nothing) => false,
            Ok(Occupant::EmptyDir | Occupant::Store) => true,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&self.staging);
                return Err(e);
            }
        };
        // A store another process is writing (an `add`, a `remove`) is not
        // replaced: its writes would go to the store about to be deleted.
        // Opening it is the probe (RocksDB's lock answers), and it is closed
        // again before the swap: holding it across the renames is not safe
        // when the build is killed between them.
        if had_previous
            && let Err(locked @ StoreError::Locked { .. }) = Store::open(&self.target).map(drop)
        {
            let _ = std::fs::remove_dir_all(&self.staging);
            return Err(locked);
        }
        if had_previous {
            std::fs::rename(&self.target, &previous).map_err(|source| StoreError::Io {
                action: "cannot move the old store aside:",
                path: self.target.clone(),
                source,
            })?;
        }
        if let Err(source) = std::fs::rename(&self.staging, &self.target) {
            if had_previous {
                let _ = std::fs::rename(&previous, &self.target);
            }
            return Err(StoreError::Io {
                action: "cannot move the new store into place:",
                path: self.target.clone(),
                source,
            });
        }
        if had_previous {
            let _ = std::fs::remove_dir_all(&previous);
        }
        Ok(self.target.clone())
    }
}

impl Drop for StagedStore {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            drop(store);
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether RocksDB refused to open because another process holds the lock
/// ("While lock file: …/LOCK: Resource temporarily unavailable").
fn is_lock_error(e: &oxigraph::store::StorageError) -> bool {
    let message = e.to_string();
    message.contains("lock file") || message.contains("LOCK:")
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "store".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{suffix}"))
}

/// Siblings left by builds that were killed, whose process is gone.
fn stale_siblings(target: &Path, kind: &str) -> Vec<PathBuf> {
    let Some(parent) = target.parent() else {
        return Vec::new();
    };
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let prefix = format!(".{name}.{kind}-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let pid: u32 = file.strip_prefix(&prefix)?.parse().ok()?;
            let alive = pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists();
            (!alive).then(|| e.path())
        })
        .collect();
    out.sort();
    out
}

fn clean_stale_siblings(target: &Path) {
    for dir in stale_siblings(target, "building") {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A kill between moving the old store aside and moving the new one in
/// leaves no store but a `previous` sibling: move it back.
fn recover_interrupted_swap(target: &Path) -> Result<(), StoreError> {
    let previous = stale_siblings(target, "previous");
    if target.exists() {
        for dir in previous {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Ok(());
    }
    if let Some(last) = previous.last() {
        std::fs::rename(last, target).map_err(|source| StoreError::Io {
            action: "cannot restore the previous store from",
            path: last.clone(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal};

    fn quad(n: u32) -> Quad {
        let s = NamedNode::new_unchecked(format!("https://example.org/{n}"));
        Quad::new(s.clone(), s, Literal::from(n), GraphName::DefaultGraph)
    }

    /// A store of `quads` built at `target` as `build` does.
    fn committed(target: &Path, quads: impl IntoIterator<Item = Quad>) {
        let staged = StagedStore::create(target).unwrap();
        staged.store().bulk_load(quads).unwrap();
        staged.commit().unwrap();
    }

    #[test]
    fn a_query_past_its_row_budget_stops_with_the_budget_and_one_within_answers() {
        let store = Store::in_memory().unwrap().with_row_budget(100);
        store.bulk_load((0..20).map(quad)).unwrap();
        // 400 rows in the product: stopped, and the store still answers.
        let product = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }";
        assert!(matches!(
            store.select(product),
            Err(StoreError::RowBudget(watch::RowBudget { max: 100 }))
        ));
        let streamed = "SELECT * { ?a ?b ?c . ?d ?e ?f }";
        assert!(matches!(
            store.select(streamed),
            Err(StoreError::RowBudget(_))
        ));
        let rows = store
            .select("SELECT (COUNT(*) AS ?n) { ?a ?b ?c }")
            .unwrap();
        assert_eq!(rows[0][0], Some(Literal::from(20).into()));
        // A join on a shared variable is no product: nothing is counted.
        let joined = "SELECT * { ?a ?b ?c . ?a ?e ?f . ?a ?g ?h . ?a ?i ?j . ?a ?k ?l }";
        assert_eq!(store.select(joined).unwrap().len(), 20);
    }

    #[test]
    fn a_group_concat_past_its_byte_budget_stops_and_one_within_answers_the_same() {
        // 20 literals "0".."19" (30 bytes) and their separators (20 bytes).
        let store = Store::in_memory().unwrap().with_concat_budget(50);
        store.bulk_load((0..20).map(quad)).unwrap();
        let concat = "SELECT (GROUP_CONCAT(STR(?c); separator=\",\") AS ?all) { ?a ?b ?c }";
        let rows = store.select(concat).unwrap();
        let Some(Term::Literal(all)) = &rows[0][0] else {
            panic!("{rows:?}");
        };
        let mut parts: Vec<u32> = all.value().split(',').map(|p| p.parse().unwrap()).collect();
        parts.sort_unstable();
        assert_eq!(parts, (0..20).collect::<Vec<_>>());
        // One byte less: stopped with the budget, and the store still answers.
        let store = store.with_concat_budget(49);
        assert!(matches!(
            store.select(concat),
            Err(StoreError::ConcatBudget(watch::ConcatBudget { max: 49 }))
        ));
        // Per group, the bytes add up over the evaluation.
        let grouped = "SELECT ?a (GROUP_CONCAT(STR(?c)) AS ?all) { ?a ?b ?c } GROUP BY ?a";
        assert!(matches!(
            store.select(grouped),
            Err(StoreError::ConcatBudget(_))
        ));
        assert_eq!(
            store.with_concat_budget(50).select(grouped).unwrap().len(),
            20
        );
    }

    #[test]
    fn the_checks_change_no_answer_where_blank_nodes_join_a_product() {
        // A sequence path's steps are joined by blank nodes, not variables:
        // a check that hid them made this a product and doubled the list.
        let store = Store::in_memory().unwrap();
        let turtle = "<x:s> <x:in> (1 2) . <x:t> <x:in> (3) .";
        let quads = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .map(|t| t.unwrap());
        store.bulk_load(quads).unwrap();
        let rows = store
            .select(
                "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
                 SELECT ?v { { <x:s> <x:in>/rdf:rest*/rdf:first ?v } UNION { ?x ?y 7 } }
                 ORDER BY ?v",
            )
            .unwrap();
        let values: Vec<_> = rows.into_iter().map(|r| r[0].clone()).collect();
        assert_eq!(
            values,
            [Some(Literal::from(1).into()), Some(Literal::from(2).into())]
        );
    }

    #[test]
    fn staged_store_replaces_the_old_one_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("store");
        committed(&target, [quad(1)]);
        assert_eq!(Store::open(&target).unwrap().len().unwrap(), 1);

        let staged = StagedStore::create(&target).unwrap();
        staged.store().bulk_load([quad(2), quad(3)]).unwrap();
        drop(staged); // a failed build: never committed
        assert_eq!(Store::open(&target).unwrap().len().unwrap(), 1);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging directory removed");
    }

    #[test]
    fn interrupted_swap_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("store");
        committed(&target, [quad(1)]);
        // As if killed after moving the old store aside (pid 1 is never ours).
        std::fs::rename(&target, dir.path().join(".store.previous-999999999")).unwrap();
        assert_eq!(Store::open(&target).unwrap().len().unwrap(), 1);
    }

    #[test]
    fn union_default_graph_sees_named_graphs_once() {
        let store = Store::in_memory().unwrap();
        let s = NamedNode::new_unchecked("https://example.org/s");
        let g = NamedNode::new_unchecked("https://example.org/g");
        store
            .bulk_load([Quad::new(s.clone(), s.clone(), s.clone(), g)])
            .unwrap();
        let QueryResults::Solutions(rows) =
            store.query("SELECT * WHERE { ?s ?p ?o }", None).unwrap()
        else {
            panic!("solutions expected");
        };
        assert_eq!(rows.count(), 1);
    }
}
