//! One article at a time: read, extract, curate, map to quads and check
//! against the shapes. Pure: nothing here writes a store.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use oxigraph::model::Quad;

use super::{BuildError, DataDir, Progress, Report};
use crate::extract::Extractor;
use crate::facts::{Diagnostic, EntityId, Extraction};
use crate::rdf::{map, ontology};
use crate::shacl::{self, Violation};
use crate::source::article::{Article, STDIN};
use crate::source::curation::Curation;
use crate::source::reference::Reference;

/// Articles converted per parallel round: bounds how many articles and
/// their quads are in memory at once.
pub(super) const CHUNK: usize = 256;

/// What one article gave, ready to load.
pub(crate) struct Converted {
    pub(super) id: String,
    pub(super) path: PathBuf,
    pub(super) quads: Vec<Quad>,
    pub(super) summary: Summary,
    /// Where the article's quads break the shapes, checked on their own.
    violations: Vec<Violation>,
    /// Hashes of (node, path) and of the value, for the attributes a shape
    /// allows one value of, with the node and path for the message.
    single_valued: Vec<(u64, u64, String, String)>,
}

/// The counts of one article's extraction, kept after its quads are gone.
#[derive(Default)]
pub(crate) struct Summary {
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
pub(super) struct Tally {
    seen: HashSet<EntityId>,
    pub(super) report: Report,
}

impl Tally {
    pub(super) fn add(&mut self, s: Summary) {
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
pub(super) struct Converter {
    extractor: Extractor,
    pub(super) curation: Option<Curation>,
    reference_context: map::ReferenceContext,
    shapes: shacl::Shapes,
    /// The ontology and reference quads, indexed: an article's nodes may
    /// point at reference entities, whose types are stated there.
    context: shacl::Index,
    /// What a file named `-` stands for (see [`super::Options::stdin`]).
    pub(super) stdin: Option<Vec<u8>>,
}

impl Converter {
    /// Reads the reference data and the curation file of `data`; returns
    /// the converter and the fixed quads (ontology and reference), checked.
    pub(super) fn new(data: &DataDir) -> Result<(Converter, Vec<Quad>), BuildError> {
        let reference = Reference::read(&data.reference())?;
        let extractor = Extractor::new(&reference);
        let reference_context = map::reference_context(&reference);
        let curation = data.curation_file()?;
        let mut fixed = ontology::quads()?;
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
                stdin: None,
            },
            fixed,
        ))
    }

    /// Converts `files` in parallel rounds of [`CHUNK`] on every core and
    /// hands each round, in file order, to `each`; stops at the first error.
    pub(super) fn rounds(
        &self,
        files: &[PathBuf],
        progress: &dyn Progress,
        mut each: impl FnMut(Vec<Converted>) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        use rayon::prelude::*;

        progress.start(files.len() as u64);
        for chunk in files.chunks(CHUNK) {
            let round: Vec<Result<Converted, BuildError>> = chunk
                .par_iter()
                .map(|file| {
                    let c = self.convert(file);
                    progress.advance(1);
                    c
                })
                .collect();
            // The first failure in file order, whichever worker met it first.
            each(round.into_iter().collect::<Result<_, _>>()?)?;
        }
        progress.finish();
        Ok(())
    }

    /// Reads, extracts, curates, maps and checks one article.
    fn convert(&self, file: &Path) -> Result<Converted, BuildError> {
        let article = match &self.stdin {
            Some(bytes) if file == Path::new(STDIN) => Article::parse(file, bytes)?,
            _ => Article::read(file)?,
        };
        let mut x = self.extractor.extract(&article);
        if let Some(curation) = &self.curation {
            let corrections = curation.corrections_for(&article)?;
            self.extractor
                .apply_curation(&article, &mut x, &corrections)?;
        }
        let quads = map::article_quads(&article, &x, &self.reference_context);
        let index = shacl::Index::of(&quads);
        let violations = self.shapes.check(&index, &self.context);
        let single_valued = self
            .shapes
            .single_valued(&index)
            .into_iter()
            .map(|(node, path, value)| {
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

/// What the articles converted so far must agree on: distinct ids, no
/// shape violation, one value for each attribute a shape allows one of.
#[derive(Default)]
pub(super) struct Checks {
    /// The article ids seen so far, each with its file: a second file with
    /// an id already seen is an error naming both.
    ids: HashMap<String, PathBuf>,
    violations: Vec<Violation>,
    seen: HashMap<u64, u64>,
    conflicts: HashSet<u64>,
}

impl Checks {
    /// At most this many violations are kept for the message.
    const KEEP: usize = 50;

    /// Takes in one converted article: its id, violations and values.
    pub(super) fn admit(
        &mut self,
        converter: &Converter,
        c: &mut Converted,
    ) -> Result<(), BuildError> {
        if let Some(first) = self.ids.insert(c.id.clone(), c.path.clone()) {
            return Err(BuildError::DuplicateId {
                id: c.id.clone(),
                first,
                second: c.path.clone(),
            });
        }
        for v in c.violations.drain(..) {
            if self.violations.len() < Checks::KEEP {
                self.violations.push(v);
            }
        }
        for (key, value, node, path) in c.single_valued.drain(..) {
            let first = *self.seen.entry(key).or_insert(value);
            if first != value && self.conflicts.insert(key) && self.violations.len() < Checks::KEEP
            {
                self.violations
                    .push(converter.shapes.conflict(&node, &path));
            }
        }
        Ok(())
    }

    /// Articles admitted.
    pub(super) fn articles(&self) -> usize {
        self.ids.len()
    }

    /// The verdict once every article is in. For the whole corpus (a
    /// build), every article the curation file names must be among them.
    pub(super) fn verdict(
        mut self,
        converter: &Converter,
        whole_corpus: bool,
    ) -> Result<(), BuildError> {
        if whole_corpus && let Some(curation) = &converter.curation {
            curation.check_articles(|id| self.ids.contains_key(id))?;
        }
        if !self.violations.is_empty() {
            self.violations.sort();
            return Err(BuildError::Shapes(self.violations));
        }
        Ok(())
    }
}
