//! Where converted articles go: a new embedded store (a build), an
//! existing one (an add), or a remote Graph Store Protocol endpoint.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oxigraph::model::{NamedNode, Quad};

use super::convert::{CHUNK, Converted};
use super::{BuildError, DataDir, Progress, check_apart};
use crate::rdf::iri;
use crate::remote::{self, RemoteStore};
use crate::store::{StagedStore, Store, StoreError};

/// What a sink did, once finished.
pub(super) struct Finished {
    /// Where the store is.
    pub(super) store: PathBuf,
    /// Quads in the store (a build), or quads written (an add, a remote store).
    pub(super) quads: usize,
    /// Time taken by the sink's own final stages, by name.
    pub(super) stages: Vec<(&'static str, Duration)>,
}

/// Where a run writes the articles it converts.
pub(super) trait Sink {
    /// Whether nothing written is seen until [`Sink::finish`] succeeds. A
    /// sink that cannot take writes back has every article converted and
    /// checked before the first write.
    const STAGED: bool;
    /// What the progress line says while articles are written.
    fn stage(&self) -> String;
    /// For a build: replaces the fixed graphs (ontology, reference) with
    /// `fixed` and starts the shared graphs (entities, facts) empty.
    fn start(&mut self, fixed: Vec<Quad>) -> Result<(), BuildError>;
    /// Writes a round of articles: each one's graph replaced, its share of
    /// the shared graphs merged in.
    fn write(&mut self, round: Vec<Converted>) -> Result<(), BuildError>;
    /// Makes what was written the store.
    fn finish(self, progress: &dyn Progress) -> Result<Finished, BuildError>;
}

/// A new embedded store, written beside the old one by the bulk loader on
/// a thread of its own while the workers convert the next round, and
/// swapped in by `finish`. Dropped unfinished, it leaves the old store as
/// it was and removes what it wrote.
pub(super) struct NewStore {
    target: PathBuf,
    // Dropped in this order (see `Drop`): the sender, so the loader ends;
    // the loader, joined; then the staged store, removed.
    tx: Option<SyncSender<Vec<Quad>>>,
    loader: Option<JoinHandle<Result<(), StoreError>>>,
    staged: Option<StagedStore>,
}

impl NewStore {
    /// A new store for `target`, which must lie apart from `data`.
    pub(super) fn new(data: &DataDir, target: &Path) -> Result<NewStore, BuildError> {
        check_apart(data, target)?;
        Ok(NewStore {
            target: target.to_owned(),
            tx: None,
            loader: None,
            staged: None,
        })
    }

    /// Waits for the loader to take in everything sent so far.
    fn join_loader(&mut self) -> Result<(), StoreError> {
        self.tx = None;
        match self.loader.take() {
            Some(loader) => loader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Ok(()),
        }
    }

    fn send(&mut self, quads: Vec<Quad>) -> Result<(), BuildError> {
        let tx = self.tx.as_ref().expect("a build starts before it writes");
        if tx.send(quads).is_err() {
            // The loader stopped: its error says why.
            self.join_loader()?;
        }
        Ok(())
    }
}

impl Sink for NewStore {
    const STAGED: bool = true;

    fn stage(&self) -> String {
        "converting articles".to_owned()
    }

    fn start(&mut self, fixed: Vec<Quad>) -> Result<(), BuildError> {
        let staged = StagedStore::create(&self.target)?;
        let store = staged.store().clone();
        self.staged = Some(staged);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Quad>>(2 * CHUNK);
        self.loader = Some(std::thread::spawn(move || {
            store.bulk_load(rx.into_iter().flatten())
        }));
        self.tx = Some(tx);
        self.send(fixed)
    }

    fn write(&mut self, round: Vec<Converted>) -> Result<(), BuildError> {
        for c in round {
            self.send(c.quads)?;
        }
        Ok(())
    }

    fn finish(mut self, progress: &dyn Progress) -> Result<Finished, BuildError> {
        self.join_loader()?;
        let staged = self
            .staged
            .take()
            .expect("a build starts before it finishes");
        let mut stages = Vec::new();
        progress.stage("compacting the store");
        let started = Instant::now();
        staged.store().optimize()?;
        stages.push(("compact", started.elapsed()));
        let quads = staged.store().len()?;
        progress.stage("swapping the new store in");
        let started = Instant::now();
        let store = staged.commit()?;
        stages.push(("swap", started.elapsed()));
        Ok(Finished {
            store,
            quads,
            stages,
        })
    }
}

impl Drop for NewStore {
    fn drop(&mut self) {
        // Unfinished: let the loader end before its directory is removed.
        let _ = self.join_loader();
    }
}

/// An existing embedded store, changed in place in one transaction when
/// the run finishes: readers see every article added, or none.
pub(super) struct OpenStore {
    store: Store,
    path: PathBuf,
    articles: Vec<(NamedNode, Vec<Quad>)>,
}

impl OpenStore {
    /// The store at `path`, which must lie apart from `data`.
    pub(super) fn open(data: &DataDir, path: &Path) -> Result<OpenStore, BuildError> {
        check_apart(data, path)?;
        Ok(OpenStore {
            store: Store::open(path)?,
            path: path.to_owned(),
            articles: Vec::new(),
        })
    }
}

impl Sink for OpenStore {
    const STAGED: bool = true;

    fn stage(&self) -> String {
        format!("converting articles for {}", self.path.display())
    }

    fn start(&mut self, _fixed: Vec<Quad>) -> Result<(), BuildError> {
        unreachable!("an existing store is added to, never built")
    }

    fn write(&mut self, round: Vec<Converted>) -> Result<(), BuildError> {
        self.articles.extend(
            round
                .into_iter()
                .map(|c| (iri::article_graph(&c.id), c.quads)),
        );
        Ok(())
    }

    fn finish(self, progress: &dyn Progress) -> Result<Finished, BuildError> {
        progress.stage(&format!("adding {} article(s)", self.articles.len()));
        self.store.replace_articles(
            self.articles
                .iter()
                .map(|(graph, quads)| (graph, quads.as_slice())),
        )?;
        self.store.flush()?;
        self.store.mark_changed()?;
        Ok(Finished {
            store: self.path,
            // Counting the store would read all of it: the cost of an add
            // must not grow with the store.
            quads: self.articles.iter().map(|(_, q)| q.len()).sum(),
            stages: Vec::new(),
        })
    }
}

/// A remote Graph Store Protocol endpoint (see [`crate::remote`]): each
/// article's graph is replaced with `PUT`, from the workers in parallel,
/// and a round's share of the shared graphs merged with one `POST` per
/// graph. What is sent cannot be taken back, so nothing is sent before
/// every article has been converted and checked.
pub(super) struct Remote {
    remote: RemoteStore,
    sent: AtomicUsize,
}

impl Remote {
    /// The endpoint at `url`, each request failing after `timeout`
    /// without progress.
    pub(super) fn new(url: &str, timeout: Duration) -> Result<Remote, BuildError> {
        Ok(Remote {
            remote: RemoteStore::new(url, timeout)?,
            sent: AtomicUsize::new(0),
        })
    }

    fn put(&self, graph: &NamedNode, body: String) -> Result<(), BuildError> {
        self.sent.fetch_add(body.lines().count(), Ordering::Relaxed);
        Ok(self.remote.put(graph, body)?)
    }
}

impl Sink for Remote {
    const STAGED: bool = false;

    fn stage(&self) -> String {
        format!("writing to {}", self.remote.url())
    }

    fn start(&mut self, fixed: Vec<Quad>) -> Result<(), BuildError> {
        for (graph, body) in remote::by_graph(fixed) {
            self.put(&graph, body)?;
        }
        for graph in [iri::entities_graph(), iri::facts_graph()] {
            self.remote.delete(&graph)?;
        }
        Ok(())
    }

    fn write(&mut self, round: Vec<Converted>) -> Result<(), BuildError> {
        use rayon::prelude::*;

        let shares = round
            .into_par_iter()
            .map(|c| {
                let own = iri::article_graph(&c.id);
                let mut graphs = remote::by_graph(c.quads);
                self.put(&own, graphs.remove(&own).unwrap_or_default())?;
                Ok(graphs)
            })
            .collect::<Vec<Result<_, BuildError>>>();
        let mut merged: BTreeMap<NamedNode, BTreeSet<String>> = BTreeMap::new();
        for graphs in shares {
            for (graph, body) in graphs? {
                merged
                    .entry(graph)
                    .or_default()
                    .extend(body.lines().map(str::to_owned));
            }
        }
        for (graph, lines) in merged {
            self.sent.fetch_add(lines.len(), Ordering::Relaxed);
            let body = lines.into_iter().fold(String::new(), |mut b, l| {
                b.push_str(&l);
                b.push('\n');
                b
            });
            self.remote.post(&graph, body)?;
        }
        Ok(())
    }

    fn finish(self, _progress: &dyn Progress) -> Result<Finished, BuildError> {
        Ok(Finished {
            store: PathBuf::from(self.remote.url()),
            quads: self.sent.into_inner(),
            stages: Vec::new(),
        })
    }
}
