//! Mentions to facts: the general rules that turn one article into an
//! [`Extraction`].
//!
//! The pipeline for one article:
//!
//! 1. **Mentions.** Each content paragraph is searched with the gazetteer
//!    (reference areas and organisations) and the patterns of
//!    `recognize::patterns` (organisations by head word, quoted programmes,
//!    named events, titled people). Longer names win over names inside them;
//!    an area inside a longer name still counts as mentioned.
//! 2. **Resolution.** Each name is mapped to one entity: reference names to
//!    their reference entity; a higher place before a lower one is dropped
//!    (北京市密云区医院 → 密云区医院); short forms are linked to the full name
//!    the article or the gazetteer gives (州人民医院 → 玉树州人民医院, 依文集团 →
//!    北京依文集团, 首师大附中 → 首都师范大学附属中学).
//! 3. **Facts**, sentence by sentence: money with an allocation verb becomes a
//!    [`Funding`] (funder, recipient, year, sector, projects); other figures
//!    become [`Observation`]s; support, participation, pairing and location
//!    cues between entities of the two sides become [`Relation`]s; titled
//!    people become [`Position`]s; named events get their date.
//!
//! What looks like a fact but cannot be read safely is reported as a
//! [`Diagnostic`] instead: no fact is better than a wrong one.

mod figures;
mod mentions;
mod people;
mod relations;

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};

use crate::facts::{Entity, EntityId, EntityKind, Evidence, Extraction, Mention, Relation};
use crate::recognize::dates::{DateMention, scan_dates};
use crate::recognize::gazetteer::Gazetteer;
use crate::recognize::numbers::{Quantity, scan_quantities};
use crate::source::article::Article;
use crate::source::curation::CurationError;
use crate::source::reference::Reference;
use crate::source::span::CharSpan;
use crate::value::DateValue;

/// Which side of the assistance an entity is on, from the reference
/// pairings and arrangements (see `Reference::side_of`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// The giving side: 北京市 and its districts, 上海市, their bodies and firms.
    Supporting,
    /// The receiving side: 玉树州 and its counties, 果洛州, their bodies.
    Assisted,
    /// Unknown.
    Neutral,
}

/// A resolved mention in article code points.
#[derive(Clone, Debug)]
struct Found {
    span: CharSpan,
    id: EntityId,
    kind: EntityKind,
    /// Inside a longer name (an area inside an organisation's name).
    nested: bool,
}

/// A sentence: its span and the spans of its clauses.
/// The longest sentence a rule looks at, in characters (the longest of the
/// gold corpus has 139).
const MAX_SENTENCE: usize = 600;

/// The longest name the recognisers produce, in characters (an event name
/// is at most 40 plus its head; an organisation's 26 plus its head).
const MAX_NAME: usize = 80;

#[derive(Clone)]
struct Sentence {
    span: CharSpan,
    paragraph: usize,
    clauses: Vec<CharSpan>,
    /// The organisation of the person whose quoted words this sentence is, if any.
    speaker_org: Option<EntityId>,
}

/// Turns articles into facts with the rules of this module.
pub struct Extractor {
    reference: Reference,
    gazetteer: Gazetteer,
    /// The side of every reference area, worked out once.
    area_sides: std::collections::HashMap<String, Side>,
}

impl Extractor {
    /// An extractor over the given reference data.
    pub fn new(reference: &Reference) -> Extractor {
        use crate::source::reference::AreaSide;
        let side_of = |area: &str| match reference.side_of(area) {
            AreaSide::Supporting => Side::Supporting,
            AreaSide::Assisted => Side::Assisted,
            AreaSide::Neither => Side::Neutral,
        };
        Extractor {
            reference: reference.clone(),
            gazetteer: Gazetteer::new(reference),
            area_sides: reference
                .areas
                .iter()
                .map(|a| (a.id.clone(), side_of(&a.id)))
                .collect(),
        }
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Applies a reviewer's corrections for `article` to its extraction.
    ///
    /// The error names the entry (file, line, column) of the first
    /// correction that cannot be applied: a name that is no entity, or a
    /// rejection that matches no extracted relation.
    pub fn apply_curation(
        &self,
        article: &Article,
        x: &mut Extraction,
        corrections: &[crate::source::curation::Correction],
    ) -> Result<(), CurationError> {
        use crate::source::curation::Action;
        for c in corrections.iter().filter(|c| c.article == article.id) {
            let find = |name: &str| {
                x.entities
                    .values()
                    .find(|e| e.label == name || e.alt_labels.contains(name))
                    .map(|e| e.id.clone())
                    .or_else(|| self.gazetteer.lookup(name).map(|g| g.id.clone()))
                    .ok_or_else(|| {
                        c.invalid(format!(
                            "no entity is named {name:?} in article {}",
                            article.id
                        ))
                    })
            };
            let (subject, object) = (find(&c.subject)?, find(&c.object)?);
            let predicate = c.predicate;
            match c.action {
                Action::Reject => {
                    let before = x.relations.len();
                    x.relations.retain(|r| {
                        !(r.subject == subject && r.predicate == predicate && r.object == object)
                    });
                    if x.relations.len() == before {
                        return Err(c.invalid("the rejected relation was not extracted".to_owned()));
                    }
                }
                Action::Add => {
                    for id in [&subject, &object] {
                        if !x.entities.contains_key(id)
                            && let Some(g) = self.gazetteer.entry_of(id)
                        {
                            x.entities.insert(id.clone(), g.entity());
                        }
                    }
                    x.relations.push(Relation {
                        subject,
                        predicate,
                        object,
                        evidence: Evidence::new(article, CharSpan::new(c.start, c.end)),
                    });
                    x.relations.sort();
                }
            }
        }
        Ok(())
    }

    /// Everything the rules read from `article`.
    pub fn extract(&self, article: &Article) -> Extraction {
        let mut run = Run::new(self, article);
        run.find_mentions();
        run.find_facts();
        run.finish()
    }
}

/// The state of one article's extraction.
struct Run<'a> {
    ex: &'a Extractor,
    article: &'a Article,
    chars: Vec<char>,
    paragraphs: Vec<CharSpan>,
    entities: BTreeMap<EntityId, Entity>,
    found: Vec<Found>,
    /// How often each entity is named, and as what: the
    /// article-wide questions (its most named county, whether it names a
    /// district's partner) answered from this instead of from every mention.
    /// Taken when the names are settled, before the facts; the people found
    /// with the facts are not in it (no article-wide question asks for them).
    tally: BTreeMap<EntityId, Vec<(EntityKind, Tally)>>,
    dates: Vec<DateMention>,
    /// For each prefix `dates[..i]`, the index of its last full day and of
    /// its last day or month: "the last day named before" by one lookup.
    last_day: Vec<Option<usize>>,
    last_finer: Vec<Option<usize>>,
    /// The first full date of each month and day, in the order of the text
    /// (玉树“4·14”地震 takes the year of a 4月14日 written out elsewhere).
    first_of_day: BTreeMap<(u8, u8), DateValue>,
    quantities: Vec<Quantity>,
    out: Extraction,
    /// How many candidates (mentions, dates, quantities, facts, sentences,
    /// tally rows) the fact rules have been handed. They reach them through
    /// the accessors below, which bisect and count, and read the article
    /// whole at most once per rule (counted as its length), so this bounds
    /// their work: the test over long random reports checks that it grows
    /// linearly with the article.
    examined: Cell<usize>,
    /// Article-wide answers that rules ask per mention, worked out once.
    answers: Answers,
}

/// What the rules ask of the whole article, per mention or per fact:
/// answered from tables taken with the tally, or worked out on the first
/// question and kept, so that asking costs the same in a long article.
#[derive(Default)]
struct Answers {
    /// Each level's (县, 州) most named area, once asked.
    most_named_of_level: RefCell<HashMap<char, Option<EntityId>>>,
    /// The article's main assisted area, once asked.
    main_assisted_area: OnceCell<Option<EntityId>>,
    /// The one organisation whose name ends in a head word (医院, 学校),
    /// once asked.
    only_org_with_head: RefCell<HashMap<&'static str, Option<EntityId>>>,
    /// Each area's governments (…政府, …行署) as named, in the order of
    /// the text.
    governments: HashMap<EntityId, Vec<(CharSpan, EntityId)>>,
    /// Each area's own government (州政府 of the prefecture, not a
    /// township's within it), the first named.
    own_government: HashMap<EntityId, EntityId>,
}

/// Whether an organisation is an area's government (州政府, 囊谦县人民政府,
/// 玉树州行署), not one of its committees or offices.
fn is_government(e: &Entity) -> bool {
    matches!(e.id, EntityId::Org(_))
        && e.kind == EntityKind::GovernmentBody
        && (e.label.ends_with("政府") || e.label.ends_with("行署"))
        && !e.label.contains('委')
        && !e.label.contains("办")
}

/// Whether a government is `area`'s own (州政府, 玉树州人民政府), not a
/// township's within it (丰台区花乡人民政府): its name less 人民政府 is one
/// character or one of the area's names.
fn is_own_government(e: &Entity, area: &Entity) -> bool {
    std::iter::once(&e.label).chain(&e.alt_labels).any(|l| {
        let stem = l
            .strip_suffix("人民政府")
            .or_else(|| l.strip_suffix("政府"))
            .unwrap_or(l);
        stem.chars().count() == 1 || stem == area.label || area.alt_labels.iter().any(|x| x == stem)
    })
}

/// The facts found so far (fundings, positions) by where their evidence
/// starts, so that a rule asking for those of one sentence bisects instead
/// of reading them all.
struct SpanIndex {
    /// (evidence start, index of the fact), sorted.
    starts: Vec<(usize, usize)>,
}

impl SpanIndex {
    fn new<T>(items: &[T], span: impl Fn(&T) -> CharSpan) -> SpanIndex {
        let mut starts: Vec<(usize, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, x)| (span(x).start, i))
            .collect();
        starts.sort_unstable();
        SpanIndex { starts }
    }
}

/// One entity's mentions in [`Run::tally`]: how many.
#[derive(Clone, Copy, Debug)]
struct Tally {
    count: usize,
}

impl<'a> Run<'a> {
    fn new(ex: &'a Extractor, article: &'a Article) -> Run<'a> {
        let chars: Vec<char> = article.read_text().chars().collect();
        let paragraphs = article.paragraphs();
        // Paragraphs are in the order of the text and do not overlap.
        let in_body = |s: CharSpan| {
            let i = paragraphs.partition_point(|p| p.end <= s.start);
            paragraphs.get(i).is_some_and(|p| p.contains(s))
        };
        let mut dates: Vec<DateMention> = scan_dates(article.read_text(), article.date)
            .into_iter()
            .filter(|d| in_body(d.span))
            .collect();
        dates.sort_by_key(|d| d.span);
        let last_where = |pred: fn(&DateValue) -> bool| {
            let mut last = vec![None];
            for (i, d) in dates.iter().enumerate() {
                let before = last[i];
                last.push(if d.value.as_ref().is_some_and(pred) {
                    Some(i)
                } else {
                    before
                });
            }
            last
        };
        let last_day = last_where(|v| matches!(v, DateValue::Day(..)));
        let last_finer = last_where(|v| !matches!(v, DateValue::Year(_)));
        let mut first_of_day = BTreeMap::new();
        for d in &dates {
            debug_assert!(d.span.len() <= MAX_NAME, "a date of {} chars", d.span.len());
            if let Some(DateValue::Day(y, m, dd)) = d.value {
                first_of_day
                    .entry((m, dd))
                    .or_insert(DateValue::Day(y, m, dd));
            }
        }
        let mut quantities: Vec<Quantity> = scan_quantities(article.read_text())
            .into_iter()
            .filter(|q| in_body(q.span))
            .collect();
        quantities.sort_by_key(|q| q.span.start);
        Run {
            ex,
            article,
            chars,
            paragraphs,
            entities: BTreeMap::new(),
            found: Vec::new(),
            tally: BTreeMap::new(),
            dates,
            last_day,
            last_finer,
            first_of_day,
            quantities,
            out: Extraction {
                article: article.id.clone(),
                ..Extraction::default()
            },
            examined: Cell::new(0),
            answers: Answers::default(),
        }
    }

    /// Counts `n` candidates handed to a rule (see [`Run::examined`]).
    fn examine(&self, n: usize) {
        self.examined.set(self.examined.get() + n);
    }

    fn text(&self, span: CharSpan) -> String {
        self.chars[span.start..span.end].iter().collect()
    }

    fn evidence(&self, span: CharSpan) -> Evidence {
        Evidence::new(self.article, span)
    }

    fn sentences(&self) -> Vec<Sentence> {
        let mut out = Vec::new();
        for (pi, p) in self.paragraphs.iter().enumerate() {
            let mut start = p.start;
            let mut depth = 0i32;
            for i in p.start..p.end {
                let c = self.chars[i];
                match c {
                    '“' => depth += 1,
                    '”' => depth -= 1,
                    _ => {}
                }
                let end_here = matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
                    && !(depth > 0 && self.chars.get(i + 1) == Some(&'”'));
                if end_here || i + 1 == p.end {
                    let mut end = i + 1;
                    if self.chars.get(end) == Some(&'”') {
                        end += 1;
                    }
                    if end > start {
                        out.push(Sentence {
                            span: CharSpan::new(start, end.min(p.end)),
                            paragraph: pi,
                            clauses: Vec::new(),
                            speaker_org: None,
                        });
                    }
                    start = end.min(p.end);
                }
            }
        }
        // No rule looks at more than one sentence of at most MAX_SENTENCE
        // characters: text without 。 (a table pasted as one line, a feed
        // without punctuation) is cut at a comma or pause mark, else at the
        // bound, never inside a name. The rules' cost stays linear in the
        // article however it is punctuated.
        let mut bounded = Vec::with_capacity(out.len());
        for s in out {
            let mut start = s.span.start;
            while s.span.end - start > MAX_SENTENCE {
                let limit = start + MAX_SENTENCE;
                let mut cut = (start + MAX_SENTENCE / 2..limit)
                    .rev()
                    .find(|&k| matches!(self.chars[k - 1], '，' | ',' | '、' | '：' | ':' | ' '))
                    .unwrap_or(limit);
                if let Some(f) = self
                    .found_near(CharSpan::new(cut, cut))
                    .iter()
                    .find(|f| f.span.start < cut && cut < f.span.end && f.span.start > start)
                {
                    cut = f.span.start;
                }
                bounded.push(Sentence {
                    span: CharSpan::new(start, cut),
                    ..s.clone()
                });
                start = cut;
            }
            bounded.push(Sentence {
                span: CharSpan::new(start, s.span.end),
                ..s
            });
        }
        let mut out = bounded;
        for s in &mut out {
            let mut clauses = Vec::new();
            let mut cs = s.span.start;
            for i in s.span.start..s.span.end {
                if matches!(
                    self.chars[i],
                    '，' | ',' | '：' | ':' | '。' | '；' | '！' | '？'
                ) {
                    clauses.push(CharSpan::new(cs, i + 1));
                    cs = i + 1;
                }
            }
            if cs < s.span.end {
                clauses.push(CharSpan::new(cs, s.span.end));
            }
            s.clauses = clauses;
        }
        out
    }

    fn side(&self, id: &EntityId) -> Side {
        let Some(e) = self.entities.get(id) else {
            return Side::Neutral;
        };
        // An area the reference data does not hold is on neither side.
        let area_side = |area: &str| {
            self.ex
                .area_sides
                .get(area)
                .copied()
                .unwrap_or(Side::Neutral)
        };
        match id {
            EntityId::Area(a) => area_side(a),
            EntityId::Org(_) => {
                // The first place in the name says where the organisation is.
                let places = self.ex.gazetteer.find_areas(&e.label);
                if let Some(m) = places.first()
                    && m.start == 0
                    && let EntityId::Area(a) = &self.ex.gazetteer.entries()[m.entry].id
                {
                    return area_side(a);
                }
                let located = e
                    .located_in
                    .as_ref()
                    .map_or(Side::Neutral, |l| area_side(l.key()));
                if located != Side::Neutral {
                    return located;
                }
                // Else a place inside the name (首都医科大学附属北京安定医院).
                places
                    .first()
                    .and_then(|m| match &self.ex.gazetteer.entries()[m.entry].id {
                        EntityId::Area(a) => Some(area_side(a)),
                        _ => None,
                    })
                    .unwrap_or(Side::Neutral)
            }
            _ => Side::Neutral,
        }
    }

    fn found_in(&self, span: CharSpan) -> Vec<Found> {
        self.found_within(span)
            .iter()
            .filter(|f| span.contains(f.span) && !f.nested)
            .cloned()
            .collect()
    }

    /// The names that start inside `span` (nested ones too), a run of
    /// `found`: it is sorted by span once the mentions are settled, so the
    /// names of a span are found by bisection and a sentence costs its own
    /// names, not the article's.
    fn found_within(&self, span: CharSpan) -> &[Found] {
        let from = self.found.partition_point(|f| f.span.start < span.start);
        let to = self.found.partition_point(|f| f.span.start < span.end);
        let run = &self.found[from..to.max(from)];
        self.examine(run.len());
        run
    }

    /// The names that may touch `span`: those starting less than
    /// [`MAX_NAME`] characters before it and before its end, a run of the
    /// sorted `found` (so a lookup costs the names near it, not the article's).
    fn found_near(&self, span: CharSpan) -> &[Found] {
        &self.found[self.found_range(span)]
    }

    /// Where the names of [`Run::found_near`] are in `found`.
    fn found_range(&self, span: CharSpan) -> std::ops::Range<usize> {
        let lo = span.start.saturating_sub(MAX_NAME);
        let from = self.found.partition_point(|f| f.span.start < lo);
        let to = self.found.partition_point(|f| f.span.start <= span.end);
        self.examine(to.saturating_sub(from));
        from..to.max(from)
    }

    /// The mentions of `id` that end at `end`.
    fn named_ending_at<'s>(&'s self, id: &'s EntityId, end: usize) -> Option<&'s Found> {
        self.found_near(CharSpan::new(end, end))
            .iter()
            .find(|f| &f.id == id && f.span.end == end)
    }

    /// Counts each entity's mentions into [`Run::tally`]; once, when the
    /// names are settled.
    fn take_tally(&mut self) {
        let mut tally: BTreeMap<EntityId, Vec<(EntityKind, Tally)>> = BTreeMap::new();
        for f in &self.found {
            // What `found_near` relies on.
            debug_assert!(f.span.len() <= MAX_NAME, "a name of {} chars", f.span.len());
            let kinds = tally.entry(f.id.clone()).or_default();
            match kinds.iter_mut().find(|(k, _)| *k == f.kind) {
                Some((_, t)) => t.count += 1,
                None => kinds.push((f.kind, Tally { count: 1 })),
            }
        }
        self.tally = tally;
        let mut answers = Answers::default();
        for f in &self.found {
            let Some(e) = self.entities.get(&f.id) else {
                continue;
            };
            let Some(area) = e.located_in.as_ref().filter(|_| is_government(e)) else {
                continue;
            };
            answers
                .governments
                .entry(area.clone())
                .or_default()
                .push((f.span, f.id.clone()));
            if !answers.own_government.contains_key(area)
                && self
                    .entities
                    .get(area)
                    .is_some_and(|a| is_own_government(e, a))
            {
                answers.own_government.insert(area.clone(), f.id.clone());
            }
        }
        self.answers = answers;
    }

    /// The rows of [`Run::tally`], in the order of the entity ids.
    fn tallied(&self) -> impl Iterator<Item = (&EntityId, EntityKind, Tally)> {
        self.examine(self.tally.len());
        self.tally
            .iter()
            .flat_map(|(id, kinds)| kinds.iter().map(move |(kind, t)| (id, *kind, *t)))
    }

    /// Whether the article names `id` anywhere (as settled before the facts).
    fn names_anywhere(&self, id: &EntityId) -> bool {
        self.examine(1);
        self.tally.contains_key(id)
    }

    /// The indices, in order, of the facts of `index` whose evidence
    /// starts inside `span`.
    fn starting_in(&self, index: &SpanIndex, span: CharSpan) -> Vec<usize> {
        let from = index.starts.partition_point(|&(k, _)| k < span.start);
        let to = index.starts.partition_point(|&(k, _)| k < span.end);
        let mut out: Vec<usize> = index.starts[from..to.max(from)]
            .iter()
            .map(|&(_, i)| i)
            .collect();
        self.examine(out.len());
        out.sort_unstable();
        out
    }

    /// The quantities inside `span`, in the order of the text.
    fn quantities_in(&self, span: CharSpan) -> Vec<Quantity> {
        let from = self
            .quantities
            .partition_point(|q| q.span.start < span.start);
        let to = self.quantities.partition_point(|q| q.span.start < span.end);
        let run = &self.quantities[from..to.max(from)];
        self.examine(run.len());
        run.iter()
            .filter(|q| span.contains(q.span))
            .cloned()
            .collect()
    }

    /// The sentence whose span contains `span`.
    fn sentence_at<'s>(&self, sentences: &'s [Sentence], span: CharSpan) -> Option<&'s Sentence> {
        self.examine(1);
        let i = sentences.partition_point(|s| s.span.end <= span.start);
        sentences.get(i).filter(|s| s.span.contains(span))
    }

    fn dates_in(&self, span: CharSpan) -> Vec<DateMention> {
        // The dates are in the order of the text (see `found_in`).
        let from = self.dates.partition_point(|d| d.span.start < span.start);
        let to = self.dates.partition_point(|d| d.span.start < span.end);
        self.examine(to.saturating_sub(from));
        self.dates[from..to.max(from)]
            .iter()
            .filter(|d| span.contains(d.span))
            .cloned()
            .collect()
    }

    fn contains_word(&self, span: CharSpan, words: &[&str]) -> bool {
        let t = self.text(span);
        words.iter().any(|w| t.contains(w))
    }

    fn find_facts(&mut self) {
        let mut sentences = self.sentences();
        self.take_tally();
        self.find_positions(&sentences);
        self.attribute_speakers(&mut sentences);
        self.find_money_and_figures(&sentences);
        self.find_relations(&sentences);
        self.find_events(&sentences);
    }

    fn finish(mut self) -> Extraction {
        for f in &self.found {
            self.out.mentions.push(Mention {
                span: f.span,
                entity: f.id.clone(),
            });
        }
        // Every entity a fact names is in the entity table.
        let mut referenced: Vec<EntityId> = Vec::new();
        for f in &self.out.fundings {
            referenced.extend(f.funder.iter().chain(f.recipient.iter()).cloned());
        }
        for r in &self.out.relations {
            referenced.push(r.subject.clone());
            referenced.push(r.object.clone());
        }
        for id in referenced {
            if !self.entities.contains_key(&id) {
                self.add_reference_entity(id);
            }
        }
        self.out.entities = self.entities;
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Predicate, Sector};
    use std::path::Path;

    /// Extracts from a made-up article with the shipped reference data.
    fn extract(body: &str, date: &str) -> Extraction {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference");
        let reference = Reference::read(&dir).unwrap();
        let text = format!("+++\ndate = \"{date}\"\n+++\n标题\n{body}\n");
        let article = Article::parse(Path::new("t.txt"), text.as_bytes()).unwrap();
        Extractor::new(&reference).extract(&article)
    }

    fn label(x: &Extraction, id: &Option<EntityId>) -> String {
        id.as_ref()
            .and_then(|i| x.entities.get(i))
            .map(|e| e.label.clone())
            .unwrap_or_default()
    }

    #[test]
    fn an_allocation_becomes_a_funding_with_year_sector_and_projects() {
        let x = extract(
            "2023年，北京援玉安排资金3000万元，实施医疗卫生项目12个。",
            "2023-06",
        );
        assert_eq!(x.fundings.len(), 1);
        let f = &x.fundings[0];
        assert_eq!(f.amount.to_string(), "30000000");
        assert_eq!(
            (f.year, f.sector, f.projects),
            (Some(2023), Sector::Medical, Some(12))
        );
        assert_eq!(label(&x, &f.funder), "北京市");
        assert_eq!(
            f.evidence.quote(),
            "2023年，北京援玉安排资金3000万元，实施医疗卫生项目12个"
        );
    }

    #[test]
    fn cumulative_money_has_no_year_and_other_money_is_an_observation() {
        let x = extract(
            "十年来，北京累计投入资金约8.5亿元。签约意向金额达3亿元。",
            "2020",
        );
        assert_eq!(x.fundings.len(), 1);
        assert_eq!(x.fundings[0].year, None);
        assert_eq!(
            x.fundings[0].qualifier,
            Some(crate::value::Qualifier::Approx)
        );
        assert!(
            x.observations
                .iter()
                .any(|o| o.unit == "yuan" && o.value.to_string() == "300000000")
        );
    }

    #[test]
    fn a_metric_does_not_start_inside_a_name() {
        // Ten characters back from the figure would start inside 人民医院.
        let x = extract("去年，称多县人民医院全年门急诊量达到12000人次。", "2024");
        let metrics: Vec<&str> = x.observations.iter().map(|o| o.metric.as_str()).collect();
        assert_eq!(metrics, vec!["全年门急诊量"]);
        // Nor with the name of its subject, unless the noun phrase goes on.
        let x = extract(
            "截至2023年底，西城区累计选派132名医疗人才到囊谦县挂职。",
            "2024",
        );
        let metrics: Vec<&str> = x.observations.iter().map(|o| o.metric.as_str()).collect();
        assert_eq!(metrics, vec!["选派医疗人才到囊谦县挂职"]);
    }

    #[test]
    fn a_figure_is_about_its_subject_not_the_helper() {
        let x = extract(
            "玉树市第一完全小学在北京市密云区的支持下新建了图书馆，覆盖学生3000多名。\n\
             在北京援青医疗专家帮扶下，囊谦县人民医院完成手术200余例。",
            "2024",
        );
        let rows: Vec<(String, String)> = x
            .observations
            .iter()
            .map(|o| (label(&x, &o.about), o.metric.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("玉树市第一完全小学".to_owned(), "覆盖学生".to_owned()),
                ("囊谦县人民医院".to_owned(), "完成手术".to_owned()),
            ]
        );
    }

    #[test]
    fn a_year_carries_over_to_the_next_funding_without_one() {
        let x = extract(
            "今年，北京安排资金500万元用于产业。\n在教育帮扶上，安排资金800万元。",
            "2022",
        );
        let years: Vec<_> = x.fundings.iter().map(|f| f.year).collect();
        assert_eq!(years, vec![Some(2022), Some(2022)]);
        assert_eq!(x.fundings[1].sector, Sector::Education);
    }

    #[test]
    fn a_districts_money_goes_to_its_partner_and_a_clause_year_wins() {
        let x = extract(
            "杂多县委书记张德明介绍，近三年来，怀柔区累计投入资金1.8亿元，其中2022年安排资金6500万元。杂多县发展很快。",
            "2023",
        );
        let got: Vec<(String, Option<i32>, String)> = x
            .fundings
            .iter()
            .map(|f| (f.amount.to_string(), f.year, label(&x, &f.recipient)))
            .collect();
        assert!(
            got.contains(&("180000000".to_owned(), None, "杂多县".to_owned())),
            "{got:?}"
        );
        assert!(
            got.contains(&("65000000".to_owned(), Some(2022), "杂多县".to_owned())),
            "{got:?}"
        );
    }

    #[test]
    fn money_of_a_named_school_goes_to_it_and_this_school_refers_back() {
        let x = extract(
            "由北京市援建、总投资5000万元的治多县第一民族中学建成。该校校长多杰说，学校有教师60人。全县现有中小学12所。",
            "2020",
        );
        assert_eq!(label(&x, &x.fundings[0].recipient), "治多县第一民族中学");
        let p = &x.positions[0];
        assert_eq!(
            (label(&x, &p.organization), p.role.as_deref()),
            ("治多县第一民族中学".to_owned(), Some("校长"))
        );
        assert!(!x.entities.values().any(|e| e.label.contains("现有")));
    }

    #[test]
    fn pairings_listed_with_fenbie_are_zipped_in_order() {
        let x = extract(
            "按照结对安排，杂多县由北京市怀柔区对口支援，称多县、曲麻莱县则分别由石景山区和昌平区帮扶。",
            "2023",
        );
        let pairs: Vec<(String, String)> = x
            .relations
            .iter()
            .filter(|r| r.predicate == Predicate::PairedWith)
            .map(|r| (r.subject.key().to_owned(), r.object.key().to_owned()))
            .collect();
        assert_eq!(pairs.len(), 3, "{pairs:?}");
        assert!(pairs.contains(&("huairou".to_owned(), "zadoi".to_owned())));
        assert!(pairs.contains(&("changping".to_owned(), "qumarleb".to_owned())));
    }

    #[test]
    fn money_goes_where_its_sentence_says_and_aid_money_is_no_pairing() {
        let x = extract(
            "杂多县牦牛产业发展很快，杂多县干部群众干劲十足。\n\
             2023年，朝阳区投入帮扶资金1.2亿元，在称多县实施项目26个。",
            "2023",
        );
        let f = &x.fundings[0];
        assert_eq!(label(&x, &f.funder), "朝阳区");
        assert_eq!(label(&x, &f.recipient), "称多县");
        // 帮扶资金 is aid money, not a statement that the two are paired.
        assert!(
            !x.relations
                .iter()
                .any(|r| r.predicate == Predicate::PairedWith),
            "{:?}",
            x.relations
        );
    }

    #[test]
    fn titles_joined_by_a_pause_mark_give_one_position_each() {
        let x = extract(
            "囊谦县委副书记、囊谦县人民医院院长李明华介绍说，医院今年新开两个科室。",
            "2023",
        );
        let rows = roles(&x);
        assert!(
            rows.contains(&("囊谦县人民医院".to_owned(), Some("院长".to_owned()))),
            "{rows:?}"
        );
        assert!(
            rows.contains(&("囊谦县委".to_owned(), Some("副书记".to_owned()))),
            "{rows:?}"
        );
    }

    /// (organisation, role) of each position.
    fn roles(x: &Extraction) -> Vec<(String, Option<String>)> {
        x.positions
            .iter()
            .map(|p| (label(x, &p.organization), p.role.clone()))
            .collect()
    }

    /// (person, organisation, role) of each position.
    fn posts(x: &Extraction) -> Vec<(String, String, Option<String>)> {
        x.positions
            .iter()
            .map(|p| {
                (
                    label(x, &Some(p.person.clone())),
                    label(x, &p.organization),
                    p.role.clone(),
                )
            })
            .collect()
    }

    /// Asserts that each (person, organisation, role) is a position of `x`.
    fn has_posts(x: &Extraction, wants: &[(&str, &str, &str)]) {
        let rows = posts(x);
        for want in wants {
            assert!(
                rows.contains(&(
                    want.0.to_owned(),
                    want.1.to_owned(),
                    Some(want.2.to_owned())
                )),
                "{want:?} in {rows:?}"
            );
        }
    }

    fn relations_of(x: &Extraction, p: Predicate) -> Vec<(String, String)> {
        x.relations
            .iter()
            .filter(|r| r.predicate == p)
            .map(|r| {
                (
                    label(x, &Some(r.subject.clone())),
                    label(x, &Some(r.object.clone())),
                )
            })
            .collect()
    }

    #[test]
    fn generic_bodies_and_leaders_take_the_area_the_text_places_them_in() {
        let x = extract(
            "今年，北京市密云区代表团来到玉树市。玉树州委副书记、市委书记张明华，市委副书记、市长扎西多杰陪同考察。",
            "2023-06",
        );
        has_posts(
            &x,
            &[
                ("张明华", "玉树市委", "书记"),
                ("扎西多杰", "玉树市委", "副书记"),
                ("扎西多杰", "玉树市", "市长"),
            ],
        );
        let body = x.entities.values().find(|e| e.label == "玉树市委").unwrap();
        assert!(body.alt_labels.contains("市委"), "{body:?}");
    }

    #[test]
    fn short_forms_need_a_related_place_and_are_not_a_river() {
        let x = extract(
            "一头是黄浦江畔，一头是果洛。上海对口支援青海省果洛藏族自治州，干部走遍了玛沁、甘德、玛多等县。",
            "2025",
        );
        let names: Vec<&str> = x.entities.values().map(|e| e.label.as_str()).collect();
        for place in ["玛沁县", "甘德县", "玛多县", "果洛藏族自治州"] {
            assert!(names.contains(&place), "{place} in {names:?}");
        }
        assert!(!names.contains(&"黄浦区"), "黄浦江 is a river: {names:?}");
        // Without a related place, a short form is only a word.
        let x = extract("他说玛多的羊肉很好吃。", "2025");
        assert!(!x.entities.values().any(|e| e.label == "玛多县"));
    }

    #[test]
    fn a_repeated_name_is_the_one_its_context_places() {
        let x = extract("吉林省长春市朝阳区组织企业来访。", "2024");
        let ids: Vec<&str> = x.entities.keys().map(|k| k.key()).collect();
        assert!(ids.contains(&"changchun-chaoyang"), "{ids:?}");
        assert!(!ids.contains(&"chaoyang"), "{ids:?}");
        let x = extract("北京市朝阳区与称多县签订协议。", "2024");
        assert!(x.entities.keys().any(|k| k.key() == "chaoyang"));
    }

    #[test]
    fn lists_are_zipped_only_with_fenbie_and_clauses_pair_one_to_one() {
        let x = extract(
            "他们来自黄浦、虹口、长宁等区，对口支援玛沁、甘德、玛多各县，上海对口支援果洛州。",
            "2025",
        );
        assert!(
            relations_of(&x, Predicate::PairedWith).is_empty(),
            "{:?}",
            x.relations
        );
        let x = extract(
            "玉树州现辖玉树市和称多、囊谦两县。北京各区与这些县逐一结对：称多由石景山区帮扶，囊谦县是西城区的对口县。",
            "2023",
        );
        let pairs = relations_of(&x, Predicate::PairedWith);
        assert!(
            pairs.contains(&("石景山区".to_owned(), "称多县".to_owned())),
            "{pairs:?}"
        );
        assert!(
            pairs.contains(&("西城区".to_owned(), "囊谦县".to_owned())),
            "{pairs:?}"
        );
        let parts = relations_of(&x, Predicate::PartOf);
        assert!(
            parts.contains(&("玉树市".to_owned(), "玉树藏族自治州".to_owned())),
            "{parts:?}"
        );
    }

    #[test]
    fn an_event_between_two_places_keeps_its_name_date_and_parties() {
        let x = extract(
            "5月22日，王力军带队到治多县。当天下午，北京市丰台区与青海省治多县交流对接座谈会召开。座谈会上，治多县发展改革局作了发言。",
            "2018-05-24",
        );
        let e = &x.events[0];
        assert_eq!(
            label(&x, &Some(e.event.clone())),
            "北京市丰台区与青海省治多县交流对接座谈会"
        );
        assert_eq!(e.date.map(|d| d.to_xsd()).as_deref(), Some("2018-05-22"));
        let who: Vec<String> = relations_of(&x, Predicate::ParticipatesIn)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        for party in ["丰台区", "治多县", "治多县发展改革局"] {
            assert!(who.contains(&party.to_owned()), "{party} in {who:?}");
        }
        assert!(!who.contains(&"北京市".to_owned()), "{who:?}");
        // Ordinals and anniversaries stay in the name; the date after it counts.
        let x = extract(
            "第26届中国·青海绿色发展投资贸易洽谈会6月24日在西宁开幕。",
            "2025-06-25",
        );
        assert_eq!(
            label(&x, &Some(x.events[0].event.clone())),
            "第26届中国·青海绿色发展投资贸易洽谈会"
        );
        assert_eq!(
            x.events[0].date.map(|d| d.to_xsd()).as_deref(),
            Some("2025-06-24")
        );
    }

    #[test]
    fn years_listed_with_fenbie_date_the_amounts_in_order() {
        let x = extract(
            "2016年、2017年和今年，丰台区分别安排对口支援资金1200万元、1560万元和1850万元，三年累计逾4600万元。",
            "2018-05",
        );
        let got: Vec<(String, Option<i32>)> = x
            .fundings
            .iter()
            .map(|f| (f.amount.to_string(), f.year))
            .collect();
        for want in [
            ("12000000", Some(2016)),
            ("15600000", Some(2017)),
            ("18500000", Some(2018)),
            ("46000000", None),
        ] {
            assert!(
                got.contains(&(want.0.to_owned(), want.1)),
                "{want:?} in {got:?}"
            );
        }
    }

    #[test]
    fn posts_stated_of_the_subject_give_positions() {
        let x = extract(
            "李建国原是北京市丰台区人民医院副院长，2021年来到玉树，挂职玉树州人民医院院长。",
            "2023",
        );
        let rows = roles(&x);
        assert!(
            rows.contains(&("丰台区人民医院".to_owned(), Some("副院长".to_owned()))),
            "{rows:?}"
        );
        assert!(
            rows.iter().any(|(o, r)| o.ends_with("人民医院")
                && r.as_deref() == Some("院长")
                && o.contains("玉树")),
            "{rows:?}"
        );
        assert!(x.entities.contains_key(&EntityId::Person("李建国".into())));
    }

    #[test]
    fn a_group_title_gives_the_person_but_no_position() {
        let x = extract(
            "据第三批北京援青医疗队队长张志远介绍，队员们克服了高原反应。",
            "2023",
        );
        assert!(x.entities.contains_key(&EntityId::Person("张志远".into())));
        assert!(x.positions.is_empty(), "{:?}", x.positions);
    }

    #[test]
    fn support_cues_link_the_supporting_side_to_the_assisted_side() {
        let x = extract("东城区帮扶杂多县人民医院的做法得到推广。", "2023");
        assert!(
            x.relations
                .iter()
                .any(|r| r.predicate == Predicate::Supports
                    && r.subject == EntityId::Area("dongcheng".into())
                    && r.object == EntityId::Org("杂多县人民医院".into())),
            "{:?}",
            x.relations
        );
        let hospital = &x.entities[&EntityId::Org("杂多县人民医院".into())];
        assert_eq!(
            hospital.located_in,
            Some(EntityId::Area("zadoi".into())),
            "in the area its name begins with"
        );
    }

    #[test]
    fn places_that_qualify_people_or_organisations_support_nothing() {
        // Origin of people, a place prefixed to a school's name, a market
        // named after the speaker's words, a programme someone drafted.
        let x = extract(
            "在杂多县职业技术学校，来自北京的教师现场指导学生实训。\
             杂多县第一完全小学教师团队改进帮扶形式，与北京景山学校合作开展“书香校园”读书项目。\
             “有了东城区的帮助，我们的产品卖到了首都市场。”杂多县职业技术学校校长才仁多杰说。\
             这是杂多县拟定的“行动计划”。",
            "2023",
        );
        let supports = relations_of(&x, Predicate::Supports);
        for spurious in [
            ("北京市", "杂多县职业技术学校"),
            ("北京市", "杂多县第一完全小学"),
        ] {
            assert!(
                !supports.contains(&(spurious.0.to_owned(), spurious.1.to_owned())),
                "{spurious:?} in {supports:?}"
            );
        }
        assert!(
            supports.contains(&("东城区".to_owned(), "杂多县职业技术学校".to_owned())),
            "{supports:?}"
        );
        let takes_part = relations_of(&x, Predicate::ParticipatesIn);
        assert!(
            !takes_part
                .iter()
                .any(|(s, o)| s == "杂多县" && o == "行动计划"),
            "{takes_part:?}"
        );
    }

    #[test]
    fn titles_keep_their_department_and_a_bare_post_takes_its_level() {
        let x = extract(
            "援疆期间，北京市朝阳区人民医院心内科主治医师韩雪、和田县人民医院院长孙立波照例每周查房。\
             时任喀什地委副书记、常务副专员、广东省援疆工作队领队林建华曾表示，项目进展顺利。\
             维吾尔族姑娘阿依古丽说，村里通了公交。",
            "2023",
        );
        has_posts(
            &x,
            &[
                ("韩雪", "朝阳区人民医院", "心内科主治医师"),
                ("孙立波", "和田县人民医院", "院长"),
                ("林建华", "广东省援疆工作队", "领队"),
                ("阿依古丽", "", "维吾尔族姑娘"),
            ],
        );
    }

    #[test]
    fn staff_sent_to_work_make_their_hospital_a_supporter_and_a_meeting_is_named_back() {
        let x = extract(
            "2023年5月，北京—杂多合作交流座谈会在杂多县举行。\
             援青期间，北京市朝阳区人民医院心内科主治医师韩雪等人都曾在杂多县人民医院轮岗坐诊。\
             北京天坛医院派出的马骏出任杂多县人民医院副院长。\
             座谈会上，杂多县人民医院院长扎西多杰说，医院新开了两个科室；\
             北京市朝阳区卫生健康委员会副主任刘畅表示，还将派出更多医生。",
            "2023-06",
        );
        let supports = relations_of(&x, Predicate::Supports);
        for want in [
            ("朝阳区人民医院", "杂多县人民医院"),
            ("首都医科大学附属北京天坛医院", "杂多县人民医院"),
        ] {
            assert!(
                supports.contains(&(want.0.to_owned(), want.1.to_owned())),
                "{want:?} in {supports:?}"
            );
        }
        let takes_part = relations_of(&x, Predicate::ParticipatesIn);
        for who in ["扎西多杰", "刘畅"] {
            assert!(
                takes_part
                    .iter()
                    .any(|(s, o)| s == who && o == "北京—杂多合作交流座谈会"),
                "{who} in {takes_part:?}"
            );
        }
    }

    #[test]
    fn posts_stated_after_a_name_and_descriptors_that_state_none() {
        let x = extract(
            "2021年，通州区第三批援青干部周凯、吴立新来到称多县挂职，周凯任称多县委副书记、副县长，\
             吴立新到称多县人民医院任副院长。称多县教育局局长尕玛此前担任过称多县民政局局长。",
            "2023",
        );
        has_posts(
            &x,
            &[
                ("周凯", "称多县委", "副书记"),
                ("周凯", "称多县", "副县长"),
                ("吴立新", "称多县人民医院", "副院长"),
                ("尕玛", "称多县民政局", "局长"),
            ],
        );
        // 援青干部 introduces the two; it is no post.
        let rows = posts(&x);
        assert!(
            !rows.iter().any(|r| r.2.as_deref() == Some("援青干部")),
            "{rows:?}"
        );
        assert!(x.entities.contains_key(&EntityId::Person("吴立新".into())));
    }

    #[test]
    fn one_unit_pairs_with_a_list_and_a_colon_list_lies_within() {
        let x = extract(
            "果洛州下辖的六个县由上海4个区分别结对：黄浦区结对玛多县，杨浦区结对甘德县、达日县，\
             静安区与班玛县、久治县两县结对。",
            "2023",
        );
        let pairs = relations_of(&x, Predicate::PairedWith);
        for want in [
            ("黄浦区", "玛多县"),
            ("杨浦区", "甘德县"),
            ("杨浦区", "达日县"),
            ("静安区", "班玛县"),
            ("静安区", "久治县"),
        ] {
            assert!(
                pairs.contains(&(want.0.to_owned(), want.1.to_owned())),
                "{want:?} in {pairs:?}"
            );
        }
        assert_eq!(pairs.len(), 5, "{pairs:?}");
        let parts = relations_of(&x, Predicate::PartOf);
        assert!(
            !parts
                .iter()
                .any(|(p, _)| p == "上海市" || p.ends_with('区')),
            "no supporting place is part of 果洛: {parts:?}"
        );
        let x = extract(
            "2010年起，北京市对口支援玉树州，按照安排，北京6个区分别帮扶玉树州下辖的一市五县：\
             密云区对口玉树市，昌平区对口曲麻莱县。",
            "2023",
        );
        let parts = relations_of(&x, Predicate::PartOf);
        for want in ["玉树市", "曲麻莱县"] {
            assert!(
                parts
                    .iter()
                    .any(|(p, w)| p == want && w.starts_with("玉树")),
                "{want} in {parts:?}"
            );
        }
        assert!(!parts.iter().any(|(_, w)| w == "北京市"), "{parts:?}");
    }

    #[test]
    fn chains_across_a_comma_disasters_and_quoted_event_names() {
        let x = extract(
            "2019年6月，甘肃省扶贫协作交流领导小组办公室专职副主任李刚来津对接。\
             时任果洛州委副书记、副州长，上海市援青干部联络组组长陈明在会上发言。\
             同年发生青海玛多“5·22”地震。\
             2021年5月8日，“大美果洛·生态高地”果洛州文化旅游推介会在上海举行。\
             2021年7月，代表团访问果洛，9日抵达玛沁县；访问期间，双方出席沪果对口支援工作座谈会。",
            "2021-12",
        );
        has_posts(
            &x,
            &[
                ("李刚", "甘肃省扶贫协作交流领导小组办公室", "专职副主任"),
                ("陈明", "上海市援青干部联络组", "组长"),
                ("陈明", "果洛州委", "副书记"),
            ],
        );
        let events: Vec<(String, Option<String>)> = x
            .events
            .iter()
            .map(|e| {
                (
                    x.entities[&e.event].label.clone(),
                    e.date.map(|d| d.to_xsd()),
                )
            })
            .collect();
        for want in [
            ("青海玛多“5·22”地震", None),
            (
                "“大美果洛·生态高地”果洛州文化旅游推介会",
                Some("2021-05-08"),
            ),
            ("沪果对口支援工作座谈会", Some("2021-07")),
        ] {
            assert!(
                events
                    .iter()
                    .any(|(n, d)| n == want.0 && (want.1.is_none() || d.as_deref() == want.1)),
                "{want:?} in {events:?}"
            );
        }
    }

    #[test]
    fn a_capital_lies_within_and_a_framing_cue_keeps_its_own_party() {
        let x = extract(
            "代表团抵达果洛州首府玛沁县。\
             按照中央对口支援西藏的部署，上海市开始对口支援日喀则市。",
            "2023",
        );
        let parts = relations_of(&x, Predicate::PartOf);
        assert!(
            parts
                .iter()
                .any(|(p, w)| p == "玛沁县" && w.starts_with("果洛")),
            "{parts:?}"
        );
        let supports = relations_of(&x, Predicate::Supports);
        assert!(
            supports
                .iter()
                .any(|(s, o)| s == "上海市" && o.starts_with("日喀则")),
            "{supports:?}"
        );
        assert!(
            !supports
                .iter()
                .any(|(s, o)| s == "上海市" && o.starts_with("西藏")),
            "the framing clause's 西藏 is another party's: {supports:?}"
        );
    }

    #[test]
    fn places_that_sign_at_an_event_take_part_and_agreement_values_are_no_funding() {
        let x = extract(
            "2022年9月5日，果洛（上海）文旅推介会在上海举行，上海市有关部门与玛多县相关部门签订了合作协议，\
             协议总金额3亿元。",
            "2022-09",
        );
        let takes_part = relations_of(&x, Predicate::ParticipatesIn);
        for who in ["上海市", "玛多县"] {
            assert!(
                takes_part
                    .iter()
                    .any(|(s, o)| s == who && o == "果洛（上海）文旅推介会"),
                "{who} in {takes_part:?}"
            );
        }
        assert!(x.fundings.is_empty(), "{:?}", x.fundings);
    }

    #[test]
    fn a_numbered_hospital_is_known_by_its_short_form_and_a_move_precedes_a_post() {
        let x = extract(
            "浙江大学医学院附属第二医院派出专家赴阿克苏。2023年，浙大二院麻醉科副教授林涛来到阿克苏，\
             担任阿克苏地区第一人民医院麻醉科主任。",
            "2023",
        );
        let org = x
            .entities
            .values()
            .find(|e| e.label == "浙江大学医学院附属第二医院")
            .expect("the hospital");
        assert!(org.alt_labels.contains("浙大二院"), "{org:?}");
        assert!(
            !x.entities.values().any(|e| e.label == "浙大二院"),
            "one organisation, not two"
        );
        let rows = roles(&x);
        assert!(
            rows.contains(&(
                "阿克苏地区第一人民医院".to_owned(),
                Some("麻醉科主任".to_owned())
            )),
            "{rows:?}"
        );
    }

    #[test]
    fn projects_listed_after_a_supporters_colon_are_its_own() {
        let x = extract(
            "庆祝大会期间，代表团察看上海援建项目：在玛多县调研牦牛交易市场建设项目，\
             在久治县察看游客服务中心项目。",
            "2023",
        );
        let supports = relations_of(&x, Predicate::Supports);
        for want in ["牦牛交易市场建设项目", "游客服务中心项目"] {
            assert!(
                supports.iter().any(|(s, o)| s == "上海市" && o == want),
                "{want} in {supports:?}"
            );
        }
    }

    #[test]
    fn a_negative_amount_is_a_diagnostic_not_a_fact_without_its_sign() {
        let x = extract(
            "2023年，北京市安排对口支援资金负5亿元。2023年，西城区安排帮扶资金-3000万元。",
            "2023",
        );
        assert!(x.fundings.is_empty(), "{:?}", x.fundings);
        assert!(x.observations.is_empty(), "{:?}", x.observations);
        let negative = x
            .diagnostics
            .iter()
            .filter(|d| d.message.starts_with("negative figure"))
            .count();
        assert_eq!(negative, 2, "{:?}", x.diagnostics);
    }

    /// Words of the genre a random report is made of: names of the
    /// reference data and of made-up bodies, titles, people, dates
    /// (relative ones too), amounts, the verbs the rules key on, and
    /// punctuation that is sometimes missing.
    const WORDS: &[&str] = &[
        "北京市",
        "西城区",
        "东城区",
        "朝阳区",
        "海淀区",
        "丰台区",
        "昌平区",
        "囊谦县",
        "杂多县",
        "称多县",
        "治多县",
        "曲麻莱县",
        "玉树市",
        "玉树州",
        "玉树藏族自治州",
        "青海省",
        "囊谦县人民医院",
        "玉树州人民医院",
        "杂多县职业技术学校",
        "西城区卫生健康委员会",
        "北京青海玉树指挥部",
        "州政府",
        "县委",
        "我州",
        "我市",
        "“1+10+N”",
        "“组团式”帮扶",
        "对接会",
        "推介会",
        "签约仪式",
        "州长",
        "副书记",
        "院长",
        "指挥长",
        "张明",
        "扎西才让",
        "李华",
        "2023年",
        "2024年",
        "6月12日",
        "8月",
        "去年",
        "今年",
        "当天",
        "同月5日",
        "“4·14”地震",
        "3000万元",
        "1.2亿元",
        "8.5亿元",
        "12个",
        "132名",
        "约",
        "累计",
        "安排资金",
        "投入",
        "援建",
        "支援",
        "对口支援",
        "帮扶",
        "签署",
        "协议",
        "实施",
        "项目",
        "介绍",
        "表示",
        "来自",
        "代表",
        "在",
        "的支持下",
        "两地",
        "与",
        "和",
        "选派",
        "到",
        "挂职",
        "用于",
        "建设的",
        "医疗卫生",
        "教育",
        "产业",
        "，",
        "，",
        "、",
        "。",
        "。",
        "；",
        "：",
        "“",
        "”",
        "\n",
    ];

    /// A report of about `chars` characters drawn from [`WORDS`] by `picks`
    /// (cycled), so that a longer report reads like a shorter one.
    fn random_report(picks: &[usize], chars: usize) -> String {
        let mut out = String::new();
        let mut n = 0;
        for &k in picks.iter().cycle() {
            let w = WORDS[k % WORDS.len()];
            out.push_str(w);
            n += w.chars().count();
            if n >= chars {
                break;
            }
        }
        out
    }

    /// The candidates the fact rules were handed for `body`, with the
    /// length of the article in characters.
    fn candidates_examined(reference: &Reference, body: &str) -> (usize, usize) {
        let text = format!("+++\ndate = \"2024-06-01\"\n+++\n标题\n{body}\n");
        let article = Article::parse(Path::new("t.txt"), text.as_bytes()).unwrap();
        let ex = Extractor::new(reference);
        let mut run = Run::new(&ex, &article);
        run.find_mentions();
        run.find_facts();
        (run.examined.get(), run.chars.len())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 12,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The rules' work is linear in the article: the candidates they
        /// examine per character stay under a fixed bound, and do not grow
        /// when the same kind of report is eight times as long. (A rule
        /// reading every mention, fact or date of the article for each of
        /// its own multiplies the count by the article's length.)
        #[test]
        fn the_rules_examine_a_bounded_number_of_candidates_per_character(
            picks in proptest::collection::vec(0usize..1000, 50..400),
        ) {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference");
            let reference = Reference::read(&dir).unwrap();
            let (short, short_len) = candidates_examined(&reference, &random_report(&picks, 4_000));
            let (long, long_len) = candidates_examined(&reference, &random_report(&picks, 32_000));
            let per_char = |n: usize, len: usize| n as f64 / len as f64;
            proptest::prop_assert!(
                per_char(long, long_len) <= CANDIDATES_PER_CHAR,
                "{long} candidates for {long_len} characters"
            );
            proptest::prop_assert!(
                per_char(long, long_len) <= 1.25 * per_char(short, short_len) + 0.5,
                "{short} for {short_len} characters, {long} for {long_len}"
            );
        }
    }

    /// The bound of the test above: the candidates the rules may examine per
    /// character of an article (the random reports give 1.7 to 6.3).
    const CANDIDATES_PER_CHAR: f64 = 16.0;

    /// Different titled people, each named again, and generic bodies after
    /// a county, about `chars` characters in one paragraph.
    fn many_names(chars: usize) -> String {
        let (surnames, given) = ("王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛");
        let mut out = String::new();
        'all: for s in surnames.chars() {
            for g in given.chars() {
                for h in given.chars() {
                    out.push_str(&format!(
                        "县委书记{s}{g}{h}表示，{s}{g}{h}指出，称多县县政府安排，"
                    ));
                    if out.chars().count() >= chars {
                        break 'all;
                    }
                }
            }
        }
        out.push('。');
        out
    }

    /// Asserts that the candidates counted for the article `text` makes
    /// of 32,000 characters stay within [`CANDIDATES_PER_CHAR`] and grow
    /// per character by at most a quarter over those of 4,000 (the bound of
    /// the property test over random reports, for one shape of text).
    fn assert_steady_cost_per_character(text: fn(usize) -> String) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference");
        let reference = Reference::read(&dir).unwrap();
        let (short, short_len) = candidates_examined(&reference, &text(4_000));
        let (long, long_len) = candidates_examined(&reference, &text(32_000));
        let per_char = |n: usize, len: usize| n as f64 / len as f64;
        assert!(
            per_char(long, long_len) <= CANDIDATES_PER_CHAR,
            "{long} candidates for {long_len} characters"
        );
        assert!(
            per_char(long, long_len) <= 1.25 * per_char(short, short_len) + 0.5,
            "{short} for {short_len} characters, {long} for {long_len}"
        );
    }

    #[test]
    fn names_met_again_cost_the_same_per_character_in_a_long_article() {
        // The people named again, the posts after their names and the
        // generic bodies' areas were found by reading the article (or the
        // paragraph) once per name; their counted work must not grow with
        // the number of names.
        assert_steady_cost_per_character(many_names);
    }

    /// Ever more different hospitals, each followed by a county head and a
    /// hospital head with no place or hospital of their own and money with
    /// no recipient, about `chars` characters in one paragraph: the
    /// questions answered from the whole article (the most named county,
    /// the only hospital, the main assisted area) asked once per mention.
    fn many_organisations(chars: usize) -> String {
        let digits: Vec<char> = "零一二三四五六七八九".chars().collect();
        let mut out = String::from("称多县");
        let mut n = 0usize;
        while out.chars().count() < chars {
            let spelled: String = n
                .to_string()
                .bytes()
                .map(|b| digits[usize::from(b - b'0')])
                .collect();
            out.push_str(&format!(
                "北京{spelled}区第{}人民医院援助，县长王伟表示，院长李强指出，安排资金{}万元，",
                digits[n % 9 + 1],
                n % 90 + 10
            ));
            n += 1;
        }
        out.push('。');
        out
    }

    #[test]
    fn article_wide_answers_cost_the_same_per_character_in_a_long_article() {
        // The leaders' areas, the governments, the only organisation of a
        // kind and the main assisted area were worked out from every entity
        // of the article once per question; their counted work must not
        // grow with the number of organisations.
        assert_steady_cost_per_character(many_organisations);
    }

    #[test]
    fn no_rule_looks_at_more_than_one_bounded_sentence() {
        // 60,000 characters without a full stop: one paragraph, one
        // "sentence" as written, cut into bounded ones, never inside a name.
        let body: String = "北京市西城区对口支援囊谦县人民医院资金安排2023年"
            .chars()
            .cycle()
            .take(60_000)
            .collect();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference");
        let reference = Reference::read(&dir).unwrap();
        let text = format!("标题\n\n{body}\n");
        let article = Article::parse(Path::new("t.txt"), text.as_bytes()).unwrap();
        let ex = Extractor::new(&reference);
        let mut run = Run::new(&ex, &article);
        run.find_mentions();
        let sentences = run.sentences();
        assert!(sentences.len() >= 60_000 / MAX_SENTENCE);
        for s in &sentences {
            assert!(s.span.len() <= MAX_SENTENCE, "{:?}", s.span);
            assert!(
                !run.found
                    .iter()
                    .any(|f| f.span.start < s.span.start && s.span.start < f.span.end && !f.nested),
                "a cut inside a name at {}",
                s.span.start
            );
        }
        // The whole text reads in one go, and finds its names.
        let x = ex.extract(&article);
        assert!(
            x.entities
                .values()
                .any(|e| e.kind == EntityKind::Hospital && e.label.contains("囊谦")),
            "{:?}",
            x.entities.values().map(|e| &e.label).collect::<Vec<_>>()
        );
    }

    #[test]
    fn events_take_the_date_of_their_sentence_or_period() {
        let x = extract(
            "2021年7月9日，北京—杂多文旅推介会在北京举行。杂多县同期举办了首届虫草文化节。",
            "2021-08",
        );
        let dates: BTreeMap<String, Option<String>> = x
            .events
            .iter()
            .map(|e| (e.event.key().to_owned(), e.date.map(|d| d.to_xsd())))
            .collect();
        assert_eq!(
            dates.get("北京—杂多文旅推介会"),
            Some(&Some("2021-07-09".to_owned()))
        );
        assert_eq!(
            dates.get("首届虫草文化节"),
            Some(&Some("2021-07".to_owned()))
        );
    }

    #[test]
    fn an_edition_year_before_the_name_gives_way_to_the_day() {
        let x = extract(
            "6月12日，2024年北京·玉树文化旅游推介会在北京举行，玉树州副州长才仁多杰出席并致辞。",
            "2024-05",
        );
        let dates: Vec<(String, Option<String>)> = x
            .events
            .iter()
            .map(|e| (e.event.key().to_owned(), e.date.map(|d| d.to_xsd())))
            .collect();
        assert_eq!(
            dates,
            vec![(
                "北京·玉树文化旅游推介会".to_owned(),
                Some("2024-06-12".to_owned())
            )]
        );
        assert!(
            x.positions
                .iter()
                .any(|p| p.person == EntityId::Person("才仁多杰".into())),
            "{:?}",
            x.positions
        );
    }

    #[test]
    fn short_forms_resolve_to_the_full_name_in_the_article() {
        let x = extract(
            "果洛州人民医院开设新科室。州人民医院院长说，依托北京协和医院的帮扶，诊疗能力大幅提升。",
            "2023",
        );
        let hospital = EntityId::Org("果洛州人民医院".into());
        assert!(x.entities.contains_key(&hospital));
        assert!(
            x.entities[&hospital].alt_labels.contains("州人民医院"),
            "{:?}",
            x.entities[&hospital]
        );
    }

    fn shipped_extractor() -> &'static Extractor {
        static EXTRACTOR: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
        EXTRACTOR.get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference");
            Extractor::new(&Reference::read(&dir).unwrap())
        })
    }

    /// Found by the `recognize` fuzz target: a figure read across a comma
    /// (`402,444`) ran past the end of its clause, and the metric's span
    /// came out reversed.
    #[test]
    fn a_figure_across_a_clause_boundary_does_not_panic() {
        for body in [
            "4441%402,444%4024%4040244",
            "项目402，444个",
            "资金1,000，2000万元",
        ] {
            let text = format!("标题\n{body}\n");
            let article = Article::parse(Path::new("f.txt"), text.as_bytes()).unwrap();
            let x = shipped_extractor().extract(&article);
            for o in &x.observations {
                assert_eq!(article.text_at(o.evidence.span()), o.evidence.quote());
            }
        }
    }

    /// Pieces of the genre, so random articles reach the rules.
    const PIECES: &[&str] = &[
        "北京市",
        "西城区",
        "玉树州",
        "囊谦县",
        "人民医院",
        "第二中学",
        "指挥部",
        "局长",
        "党委书记",
        "张三",
        "说",
        "介绍",
        "安排资金",
        "2000万元",
        "1.5亿元",
        "近",
        "余",
        "以上",
        "30%",
        "今年",
        "去年8月",
        "2024年",
        "十年来",
        "累计",
        "帮扶",
        "对口支援",
        "援建的",
        "“",
        "”",
        "1+10+N",
        "模式",
        "推介会",
        "，",
        "。",
        "、",
        "\n",
        "项目",
        "12个",
        "名",
        "分别由",
        "和",
        "在",
        "的支持下",
        "同期",
        "举办了",
        "两地",
        "“4·14”地震",
        "位于",
        "【便民提示】",
        "a",
        " ",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
        #[test]
        fn any_article_gives_evidence_that_slices_to_its_quote(
            picks in proptest::collection::vec(0..PIECES.len(), 0..60),
            noise in "\\PC{0,20}",
        ) {
            let mut body: String = picks.iter().map(|&i| PIECES[i]).collect();
            body.push_str(&noise);
            let text = format!("标题\n{body}\n");
            let article = Article::parse(Path::new("p.txt"), text.as_bytes()).unwrap();
            let x = shipped_extractor().extract(&article);
            let evidence = x.fundings.iter().map(|f| &f.evidence)
                .chain(x.observations.iter().map(|o| &o.evidence))
                .chain(x.relations.iter().map(|r| &r.evidence))
                .chain(x.positions.iter().map(|p| &p.evidence))
                .chain(x.events.iter().map(|e| &e.evidence));
            for ev in evidence {
                proptest::prop_assert!(ev.span().end <= article.char_len());
                proptest::prop_assert_eq!(article.text_at(ev.span()), ev.quote());
                proptest::prop_assert!(!ev.quote().is_empty());
            }
            for m in &x.mentions {
                proptest::prop_assert!(m.span.end <= article.char_len() && m.span.start < m.span.end);
            }
        }
    }
}
