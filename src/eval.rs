//! Measuring the extractor against gold annotations
//! (`../shared/spec/gold-format.md`): precision, recall and F1 per kind, and
//! the items missed and spurious.
//!
//! Matching follows the gold format: an entity matches when the types agree
//! and one of its names equals one of the gold names; facts match through
//! their entities; a funding matches on amount and year, and its other
//! attributes are scored separately over the matched fundings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::extract::Extractor;
use crate::facts::{EntityId, Extraction, Predicate};
use crate::source::article::Article;
use crate::value::Decimal;

/// Why a gold file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The gold file or its article could not be read.
    #[error("cannot read {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The gold file is not valid gold JSON.
    #[error("{}:{line}:{column}: {reason}", .path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// What is wrong.
        reason: String,
    },
    /// The article could not be parsed.
    #[error(transparent)]
    Article(#[from] crate::source::article::ArticleError),
}

#[derive(Debug, Deserialize)]
struct Gold {
    article: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    entities: Vec<GoldEntity>,
    #[serde(default)]
    pairings: Vec<GoldPairing>,
    #[serde(default)]
    fundings: Vec<GoldFunding>,
    #[serde(default)]
    observations: Vec<GoldObservation>,
    #[serde(default)]
    relations: Vec<GoldRelation>,
    #[serde(default)]
    persons: Vec<GoldPerson>,
    #[serde(default)]
    events: Vec<GoldEvent>,
}

#[derive(Debug, Deserialize)]
struct GoldEntity {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    canonical: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GoldPairing {
    district: String,
    county: String,
}

#[derive(Debug, Deserialize)]
struct GoldFunding {
    funder: Option<String>,
    recipient: Option<String>,
    amount_cny: serde_json::Number,
    year: Option<i32>,
    sector: Option<String>,
    projects: Option<u32>,
    qualifier: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GoldObservation {
    metric: String,
    value: serde_json::Number,
    unit: String,
}

#[derive(Debug, Deserialize)]
struct GoldRelation {
    subject: String,
    predicate: String,
    object: String,
}

#[derive(Debug, Deserialize)]
struct GoldPerson {
    name: String,
    organization: Option<String>,
    role: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GoldEvent {
    name: String,
    date: Option<String>,
}

/// Counts for one kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Score {
    /// Items both in gold and extracted.
    pub matched: usize,
    /// Gold items.
    pub gold: usize,
    /// Extracted items.
    pub extracted: usize,
    /// Gold items not extracted.
    pub missed: Vec<String>,
    /// Extracted items not in gold.
    pub spurious: Vec<String>,
}

impl Score {
    /// Precision (1 when nothing was extracted).
    pub fn precision(&self) -> f64 {
        if self.extracted == 0 {
            1.0
        } else {
            self.matched as f64 / self.extracted as f64
        }
    }
    /// Recall (1 when gold is empty).
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.matched as f64 / self.gold as f64
        }
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: &Score) {
        self.matched += other.matched;
        self.gold += other.gold;
        self.extracted += other.extracted;
        self.missed.extend(other.missed.iter().cloned());
        self.spurious.extend(other.spurious.iter().cloned());
    }
}

/// The kinds scored, in report order.
pub const KINDS: [&str; 7] = [
    "entities",
    "pairings",
    "fundings",
    "observations",
    "relations",
    "persons",
    "events",
];
/// The funding attributes scored over matched fundings.
pub const ATTRIBUTES: [&str; 5] = ["sector", "funder", "recipient", "projects", "qualifier"];

/// The result for one or more gold files.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Evaluation {
    /// The articles evaluated.
    pub articles: Vec<String>,
    /// Scores by kind.
    pub scores: BTreeMap<String, Score>,
    /// Correct attribute count by attribute, over matched fundings.
    pub attributes: BTreeMap<String, (usize, usize)>,
}

impl Evaluation {
    /// Adds another evaluation's counts to this one.
    pub fn merge(&mut self, other: &Evaluation) {
        self.articles.extend(other.articles.iter().cloned());
        for (k, s) in &other.scores {
            self.scores.entry(k.clone()).or_default().add(s);
        }
        for (k, (c, n)) in &other.attributes {
            let e = self.attributes.entry(k.clone()).or_default();
            e.0 += c;
            e.1 += n;
        }
    }
}

/// Evaluates the extractor on the article beside a gold file.
pub fn evaluate(extractor: &Extractor, gold_path: &Path) -> Result<Evaluation, EvalError> {
    let text = std::fs::read_to_string(gold_path).map_err(|source| EvalError::Io {
        path: gold_path.to_owned(),
        source,
    })?;
    let gold: Gold = serde_json::from_str(&text).map_err(|e| EvalError::Json {
        path: gold_path.to_owned(),
        line: e.line(),
        column: e.column(),
        reason: e.to_string(),
    })?;
    let article_path = gold_path.with_file_name(&gold.article);
    let mut article = Article::read(&article_path)?;
    if article.date.is_none() {
        article.date = gold
            .date
            .as_deref()
            .and_then(crate::value::DateValue::parse_xsd);
    }
    let x = extractor.extract(&article);
    Ok(compare(extractor, &gold, &x, &article.id))
}

struct Names<'a> {
    extractor: &'a Extractor,
    x: &'a Extraction,
    gold: BTreeMap<&'a str, (BTreeSet<&'a str>, &'a str)>,
}

impl Names<'_> {
    /// All names of an extracted entity: label, alternative labels and reference names.
    fn of(&self, id: &EntityId) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(e) = self.x.entities.get(id) {
            out.insert(e.label.clone());
            out.extend(e.alt_labels.iter().cloned());
        }
        for (name, entry) in self.extractor.gazetteer().names() {
            if &entry.id == id {
                out.insert(name.to_owned());
            }
        }
        out
    }

    fn matches(&self, id: &EntityId, gold_name: &str) -> bool {
        let names = self.of(id);
        match self.gold.get(gold_name) {
            Some((set, _)) => set.iter().any(|n| names.contains(*n)),
            None => names.contains(gold_name),
        }
    }

    fn matches_opt(&self, id: Option<&EntityId>, gold_name: Option<&str>) -> bool {
        match (id, gold_name) {
            (None, None) => true,
            (Some(id), Some(g)) => self.matches(id, g),
            _ => false,
        }
    }

    fn label(&self, id: &EntityId) -> String {
        self.x
            .entities
            .get(id)
            .map_or_else(|| id.key().to_owned(), |e| e.label.clone())
    }
}

fn decimal(n: &serde_json::Number) -> Option<Decimal> {
    n.to_string().parse().ok()
}

/// Greedy one-to-one matching of gold items to extracted items.
fn score<G, X>(
    gold: &[G],
    extracted: &[X],
    same: impl Fn(&G, &X) -> bool,
    show_g: impl Fn(&G) -> String,
    show_x: impl Fn(&X) -> String,
) -> (Score, Vec<(usize, usize)>) {
    let mut used = vec![false; extracted.len()];
    let mut pairs = Vec::new();
    let mut s = Score {
        gold: gold.len(),
        extracted: extracted.len(),
        ..Score::default()
    };
    for (gi, g) in gold.iter().enumerate() {
        match extracted
            .iter()
            .enumerate()
            .find(|(i, x)| !used[*i] && same(g, x))
        {
            Some((i, _)) => {
                used[i] = true;
                s.matched += 1;
                pairs.push((gi, i));
            }
            None => s.missed.push(show_g(g)),
        }
    }
    for (i, x) in extracted.iter().enumerate() {
        if !used[i] {
            s.spurious.push(show_x(x));
        }
    }
    (s, pairs)
}

fn shares_two_chars(a: &str, b: &str) -> bool {
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    for c in a.chars() {
        *counts.entry(c).or_default() += 1;
    }
    let mut shared = 0;
    for c in b.chars() {
        if let Some(n) = counts.get_mut(&c)
            && *n > 0
        {
            *n -= 1;
            shared += 1;
        }
    }
    shared >= 2
}

fn compare(extractor: &Extractor, gold: &Gold, x: &Extraction, id: &str) -> Evaluation {
    let names = Names {
        extractor,
        x,
        gold: gold
            .entities
            .iter()
            .map(|e| {
                let mut set: BTreeSet<&str> = e.aliases.iter().map(String::as_str).collect();
                set.insert(&e.name);
                if let Some(c) = &e.canonical {
                    set.insert(c);
                }
                (e.name.as_str(), (set, e.kind.as_str()))
            })
            .collect(),
    };
    let mut ev = Evaluation {
        articles: vec![id.to_owned()],
        ..Evaluation::default()
    };
    let entities: Vec<&crate::facts::Entity> = x.entities.values().collect();
    let (s, _) = score(
        &gold.entities,
        &entities,
        |g, e| e.kind.as_str() == g.kind && names.matches(&e.id, &g.name),
        |g| format!("{} ({})", g.name, g.kind),
        |e| format!("{} ({})", e.label, e.kind.as_str()),
    );
    ev.scores.insert("entities".into(), s);

    let pairings: Vec<_> = x
        .relations
        .iter()
        .filter(|r| r.predicate == Predicate::PairedWith)
        .collect();
    let (s, _) = score(
        &gold.pairings,
        &pairings,
        |g, r| names.matches(&r.subject, &g.district) && names.matches(&r.object, &g.county),
        |g| format!("{} — {}", g.district, g.county),
        |r| format!("{} — {}", names.label(&r.subject), names.label(&r.object)),
    );
    ev.scores.insert("pairings".into(), s);

    let (s, pairs) = score(
        &gold.fundings,
        &x.fundings,
        |g, f| decimal(&g.amount_cny) == Some(f.amount) && g.year == f.year,
        |g| format!("{} yuan, year {:?}", g.amount_cny, g.year),
        |f| {
            format!(
                "{} yuan, year {:?} «{}»",
                f.amount,
                f.year,
                f.evidence.quote()
            )
        },
    );
    ev.scores.insert("fundings".into(), s);
    for (gi, xi) in pairs {
        let (g, f) = (&gold.fundings[gi], &x.fundings[xi]);
        let checks = [
            ("sector", g.sector.as_deref() == Some(f.sector.as_str())),
            (
                "funder",
                names.matches_opt(f.funder.as_ref(), g.funder.as_deref()),
            ),
            (
                "recipient",
                names.matches_opt(f.recipient.as_ref(), g.recipient.as_deref()),
            ),
            ("projects", g.projects == f.projects),
            (
                "qualifier",
                g.qualifier.as_deref() == f.qualifier.map(|q| q.as_str()),
            ),
        ];
        for (attr, ok) in checks {
            let e = ev.attributes.entry(attr.to_owned()).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            } else {
                ev.scores
                    .get_mut("fundings")
                    .expect("fundings scored above")
                    .missed
                    .push(format!(
                        "{attr} of {} yuan: gold {:?}",
                        f.amount,
                        match attr {
                            "sector" => format!("{:?} got {}", g.sector, f.sector.as_str()),
                            "funder" => format!(
                                "{:?} got {:?}",
                                g.funder,
                                f.funder.as_ref().map(|i| names.label(i))
                            ),
                            "recipient" => format!(
                                "{:?} got {:?}",
                                g.recipient,
                                f.recipient.as_ref().map(|i| names.label(i))
                            ),
                            "projects" => format!("{:?} got {:?}", g.projects, f.projects),
                            _ => format!(
                                "{:?} got {:?}",
                                g.qualifier,
                                f.qualifier.map(|q| q.as_str())
                            ),
                        }
                    ));
            }
        }
    }

    let (s, _) = score(
        &gold.observations,
        &x.observations,
        |g, o| {
            decimal(&g.value) == Some(o.value)
                && g.unit == o.unit
                && shares_two_chars(&g.metric, &o.metric)
        },
        |g| format!("{} = {} {}", g.metric, g.value, g.unit),
        |o| format!("{} = {} {}", o.metric, o.value, o.unit),
    );
    ev.scores.insert("observations".into(), s);

    let relations: Vec<_> = x
        .relations
        .iter()
        .filter(|r| r.predicate != Predicate::PairedWith)
        .collect();
    let (s, _) = score(
        &gold.relations,
        &relations,
        |g, r| {
            r.predicate.as_str() == g.predicate
                && names.matches(&r.subject, &g.subject)
                && names.matches(&r.object, &g.object)
        },
        |g| format!("{} {} {}", g.subject, g.predicate, g.object),
        |r| {
            format!(
                "{} {} {}",
                names.label(&r.subject),
                r.predicate.as_str(),
                names.label(&r.object)
            )
        },
    );
    ev.scores.insert("relations".into(), s);

    let (s, _) = score(
        &gold.persons,
        &x.positions,
        |g, p| {
            names.matches(&p.person, &g.name)
                && names.matches_opt(p.organization.as_ref(), g.organization.as_deref())
                && g.role == p.role
        },
        |g| format!("{} / {:?} / {:?}", g.name, g.organization, g.role),
        |p| {
            format!(
                "{} / {:?} / {:?}",
                names.label(&p.person),
                p.organization.as_ref().map(|o| names.label(o)),
                p.role
            )
        },
    );
    ev.scores.insert("persons".into(), s);

    let (s, _) = score(
        &gold.events,
        &x.events,
        |g, e| {
            names.matches(&e.event, &g.name)
                && g.date.as_deref() == e.date.map(|d| d.to_xsd()).as_deref()
        },
        |g| format!("{} {:?}", g.name, g.date),
        |e| format!("{} {:?}", names.label(&e.event), e.date.map(|d| d.to_xsd())),
    );
    ev.scores.insert("events".into(), s);
    ev
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_on_two_shared_characters() {
        assert!(shares_two_chars("转诊率", "医院转诊率均降至"));
        assert!(!shares_two_chars("转诊率", "抢救成功"));
    }

    #[test]
    fn scores_are_precision_recall_f1() {
        let s = Score {
            matched: 3,
            gold: 4,
            extracted: 6,
            ..Score::default()
        };
        assert!((s.precision() - 0.5).abs() < 1e-9);
        assert!((s.recall() - 0.75).abs() < 1e-9);
        assert!((s.f1() - 0.6).abs() < 1e-9);
    }
}
