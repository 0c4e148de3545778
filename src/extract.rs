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

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{
    Diagnostic, Entity, EntityId, EntityKind, EventFact, Evidence, Extraction, Funding, Mention,
    Observation, Position, Predicate, Relation, Sector,
};
use crate::recognize::dates::{DateKind, DateMention, DateValue, scan_dates};
use crate::recognize::gazetteer::{Gazetteer, GazetteerMatch};
use crate::recognize::numbers::{Decimal, Quantity, Unit, scan_quantities};
use crate::recognize::patterns::{self, Candidate};
use crate::source::article::{Article, is_cjk};
use crate::source::reference::Reference;
use crate::source::span::{CharIndex, CharSpan};

/// Which side of the assistance an entity is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// Beijing: the municipality, its districts, its bodies and firms.
    Supporting,
    /// Qinghai, Yushu and its counties, their bodies.
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
}

impl Extractor {
    /// An extractor over the given reference data.
    pub fn new(reference: &Reference) -> Extractor {
        Extractor {
            reference: reference.clone(),
            gazetteer: Gazetteer::new(reference),
        }
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Applies a reviewer's corrections for `article` to its extraction.
    ///
    /// Returns the location and reason of the first correction that cannot
    /// be applied: a name that is no entity, or a rejection that matches
    /// no extracted relation.
    pub fn apply_curation(
        &self,
        article: &Article,
        x: &mut Extraction,
        corrections: &[crate::source::curation::Correction],
    ) -> Result<(), (String, String)> {
        use crate::source::curation::Action;
        for c in corrections.iter().filter(|c| c.article == article.id) {
            let find = |name: &str| {
                x.entities
                    .values()
                    .find(|e| e.label == name || e.alt_labels.contains(name))
                    .map(|e| e.id.clone())
                    .or_else(|| self.gazetteer.lookup(name).map(|g| g.id.clone()))
                    .ok_or_else(|| {
                        (
                            c.location.clone(),
                            format!("no entity is named {name:?} in article {}", article.id),
                        )
                    })
            };
            let (subject, object) = (find(&c.subject)?, find(&c.object)?);
            let predicate = match c.predicate.as_str() {
                "supports" => Predicate::Supports,
                "participatesIn" => Predicate::ParticipatesIn,
                "pairedWith" => Predicate::PairedWith,
                _ => Predicate::LocatedIn,
            };
            match c.action {
                Action::Reject => {
                    let before = x.relations.len();
                    x.relations.retain(|r| {
                        !(r.subject == subject && r.predicate == predicate && r.object == object)
                    });
                    if x.relations.len() == before {
                        return Err((
                            c.location.clone(),
                            "the rejected relation was not extracted".to_owned(),
                        ));
                    }
                }
                Action::Add => {
                    for id in [&subject, &object] {
                        if !x.entities.contains_key(id)
                            && let Some(g) = self.gazetteer.entry_of(id)
                        {
                            x.entities.insert(
                                id.clone(),
                                Entity {
                                    id: id.clone(),
                                    kind: g.kind,
                                    label: g.canonical.clone(),
                                    label_en: g.label_en.clone(),
                                    alt_labels: BTreeSet::new(),
                                    located_in: g.within.clone().map(EntityId::Area),
                                    from_reference: true,
                                },
                            );
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
    dates: Vec<DateMention>,
    quantities: Vec<Quantity>,
    out: Extraction,
}

/// Words that mark money as allocated or invested.
const ALLOCATION_CUES: &[&str] = &[
    "安排资金",
    "投入资金",
    "资金投入",
    "拨付",
    "投入",
    "安排了",
    "安排",
    "投资",
    "拿出",
    "援助资金",
    "资金",
    "筹措",
    "筹集",
    "捐赠",
    "捐款",
    "援建资金",
    "支援资金",
];

/// Words that mark money as something other than an allocation.
const NON_ALLOCATION_CUES: &[&str] = &[
    "订单",
    "售价",
    "价格",
    "意向",
    "签约",
    "缴费",
    "标准",
    "收入",
    "营业额",
    "销售额",
    "交易额",
    "产值",
    "损失",
    "每斤",
    "每人",
    "每年",
    "人均",
    "成交",
    "销售",
    "利润",
    "工资",
];

/// Context words of each sector, in the vocabulary's order of precedence.
const SECTOR_WORDS: &[(Sector, &[&str])] = &[
    (
        Sector::Medical,
        &["医疗", "医院", "卫生", "健康", "诊疗", "医生", "医务"],
    ),
    (
        Sector::Education,
        &["教育", "学校", "教师", "教学", "办学", "学生"],
    ),
    (Sector::Housing, &["住房", "易地搬迁", "安居", "危房"]),
    (
        Sector::Infrastructure,
        &[
            "基础设施",
            "市政",
            "城市管理",
            "智慧城市",
            "道路",
            "供水",
            "交通",
        ],
    ),
    (Sector::Tourism, &["文旅", "旅游"]),
    (
        Sector::Talent,
        &["智力", "人才培养", "干部培训", "人才队伍"],
    ),
    (
        Sector::Industry,
        &[
            "产业",
            "就业",
            "农牧",
            "养殖",
            "畜牧",
            "种植",
            "消费帮扶",
            "企业",
        ],
    ),
];

/// Words that say one party helps another.
const SUPPORT_CUES: &[&str] = &[
    "对口支援",
    "对口帮扶",
    "帮扶",
    "支援",
    "援建",
    "支持",
    "帮助",
    "驰援",
    "援助",
    "结成帮扶对子",
    "结成对子",
    "结对",
    "辅导",
    "指导",
];

/// Words in an assisted party's own words that say a supporting party helped it
/// (有了…的帮助, …给我们…, …老师来之后).
const SPEAKER_SUPPORT_CUES: &[&str] =
    &["给我们", "的帮助", "来之后", "帮我们", "为我们", "帮助我们"];

/// Words that make every party of a sentence a participant.
const PARTICIPATION_CUES: &[&str] = &["合作", "参与", "参加", "共同", "携手", "配合"];

impl<'a> Run<'a> {
    fn new(ex: &'a Extractor, article: &'a Article) -> Run<'a> {
        let chars: Vec<char> = article.text.chars().collect();
        let paragraphs = article.paragraphs();
        let in_body = |s: CharSpan| paragraphs.iter().any(|p| p.contains(s));
        let dates = scan_dates(&article.text, article.date)
            .into_iter()
            .filter(|d| in_body(d.span))
            .collect();
        let quantities = scan_quantities(&article.text)
            .into_iter()
            .filter(|q| in_body(q.span))
            .collect();
        Run {
            ex,
            article,
            chars,
            paragraphs,
            entities: BTreeMap::new(),
            found: Vec::new(),
            dates,
            quantities,
            out: Extraction {
                article: article.id.clone(),
                ..Extraction::default()
            },
        }
    }

    fn text(&self, span: CharSpan) -> String {
        self.chars[span.start..span.end].iter().collect()
    }

    fn evidence(&self, span: CharSpan) -> Evidence {
        Evidence::new(self.article, span)
    }

    // ------------------------------------------------------------------ mentions

    fn find_mentions(&mut self) {
        let mut raw: Vec<(CharSpan, Candidate, Option<usize>)> = Vec::new();
        for p in self.paragraphs.clone() {
            let text = self.text(p);
            let pchars: Vec<char> = text.chars().collect();
            let index = CharIndex::new(&text);
            let at = |c: &Candidate| CharSpan::new(p.start + c.start, p.start + c.end);
            let mut place_ends = Vec::new();
            let mut matches = self.ex.gazetteer.find(&text);
            // Places inside reference organisation names count as mentioned too.
            let inner: Vec<_> = matches
                .iter()
                .filter(|m| !self.ex.gazetteer.entries()[m.entry].kind.is_area())
                .flat_map(|m| {
                    self.ex
                        .gazetteer
                        .find_areas(&text[m.start..m.end])
                        .into_iter()
                        .map(move |mut a| {
                            a.start += m.start;
                            a.end += m.start;
                            a
                        })
                })
                .collect();
            matches.extend(inner);
            // An alias that joins two places (青海玉树) mentions the first one too.
            let joined: Vec<_> = matches
                .iter()
                .filter(|m| self.ex.gazetteer.entries()[m.entry].kind.is_area())
                .filter_map(|m| {
                    let written = &text[m.start..m.end];
                    written.char_indices().skip(2).find_map(|(i, _)| {
                        let g = self.ex.gazetteer.lookup(&written[..i])?;
                        let idx = self
                            .ex
                            .gazetteer
                            .entries()
                            .iter()
                            .position(|e| e.id == g.id)?;
                        (g.kind.is_area() && idx != m.entry).then_some(GazetteerMatch {
                            start: m.start,
                            end: m.start + i,
                            entry: idx,
                        })
                    })
                })
                .collect();
            matches.extend(joined);
            for m in matches {
                let span = index.span_of_bytes(m.start, m.end);
                let entry = &self.ex.gazetteer.entries()[m.entry];
                if entry.kind.is_area() {
                    place_ends.push(span.end);
                }
                let cand = Candidate {
                    start: span.start,
                    end: span.end,
                    name: text[m.start..m.end].to_owned(),
                    kind: entry.kind,
                };
                raw.push((at(&cand), cand, Some(m.entry)));
            }
            let mut cands = patterns::organizations(&pchars);
            cands.extend(patterns::school_abbreviations(&pchars, &place_ends));
            cands.extend(patterns::programs(&pchars));
            cands.extend(patterns::events(&pchars));
            cands.extend(patterns::named_disasters(&pchars, &place_ends));
            cands.extend(unquoted_programs(&pchars));
            for c in cands {
                raw.push((at(&c), c, None));
            }
        }
        // Longest first; a candidate inside a kept non-area name is dropped,
        // an area inside one is kept as a nested mention.
        raw.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.start.cmp(&b.0.start)));
        let mut kept: Vec<(CharSpan, Candidate, Option<usize>, bool)> = Vec::new();
        for (span, cand, entry) in raw {
            let mut nested = false;
            let mut drop = false;
            for (kspan, kcand, _, _) in &kept {
                if kspan.contains(span) && *kspan != span {
                    if cand.kind.is_area() && (!kcand.kind.is_area() || kcand.name != cand.name) {
                        nested = true;
                    } else {
                        drop = true;
                    }
                } else if *kspan == span || kspan.overlaps(span) {
                    drop = true;
                }
            }
            if !drop {
                kept.push((span, cand, entry, nested));
            }
        }
        kept.sort_by_key(|k| k.0);

        // The article's main prefecture and municipality resolve 州…, 市… short forms.
        let main_prefecture = self.main_area(&kept, EntityKind::Prefecture);
        let main_municipality = self.main_area(&kept, EntityKind::Municipality);

        // Resolve longest names first, so short forms find their full names.
        let mut order: Vec<usize> = (0..kept.len()).collect();
        order.sort_by(|&a, &b| {
            kept[b]
                .0
                .len()
                .cmp(&kept[a].0.len())
                .then(kept[a].0.start.cmp(&kept[b].0.start))
        });
        let mut known: BTreeMap<String, EntityId> = BTreeMap::new();
        let mut resolved: Vec<Option<(EntityId, EntityKind)>> = vec![None; kept.len()];
        for i in order {
            let (_, cand, entry, _) = &kept[i];
            let r = match entry {
                Some(e) => {
                    let g = &self.ex.gazetteer.entries()[*e];
                    self.add_reference_entity(g.id.clone());
                    Some((g.id.clone(), g.kind))
                }
                None => self.resolve_candidate(
                    cand,
                    &mut known,
                    main_prefecture.as_deref(),
                    main_municipality.as_deref(),
                ),
            };
            if let Some((id, _)) = &r {
                known.insert(cand.name.clone(), id.clone());
                if let Some(entity) = self.entities.get_mut(id)
                    && entity.label != cand.name
                    && !entity.from_reference
                {
                    entity.alt_labels.insert(cand.name.clone());
                }
            }
            resolved[i] = r;
        }
        for (i, (span, _, _, nested)) in kept.iter().enumerate() {
            if let Some((id, kind)) = &resolved[i] {
                self.found.push(Found {
                    span: *span,
                    id: id.clone(),
                    kind: *kind,
                    nested: *nested,
                });
            }
        }
        self.link_program_cores();
        self.found.sort_by_key(|f| f.span);
    }

    /// A quoted programme name with a suffix (“组团式”帮扶) is also meant by
    /// its quoted core alone (“组团式”) elsewhere in the article.
    fn link_program_cores(&mut self) {
        let mut cores = Vec::new();
        for e in self.entities.values() {
            if e.kind == EntityKind::Program
                && e.label.starts_with('“')
                && let Some(close) = e.label.find('”')
            {
                cores.push((e.label[..close + '”'.len_utf8()].to_owned(), e.id.clone()));
            }
        }
        for (core, id) in cores {
            let core_chars: Vec<char> = core.chars().collect();
            for p in &self.paragraphs {
                let mut i = p.start;
                while i + core_chars.len() <= p.end {
                    if self.chars[i..i + core_chars.len()] == core_chars[..] {
                        let span = CharSpan::new(i, i + core_chars.len());
                        if !self.found.iter().any(|f| f.span.overlaps(span)) {
                            self.found.push(Found {
                                span,
                                id: id.clone(),
                                kind: EntityKind::Program,
                                nested: false,
                            });
                        }
                        i += core_chars.len();
                    } else {
                        i += 1;
                    }
                }
            }
        }
    }

    fn main_area(
        &self,
        kept: &[(CharSpan, Candidate, Option<usize>, bool)],
        kind: EntityKind,
    ) -> Option<String> {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for (_, c, e, _) in kept {
            if let Some(e) = e
                && c.kind == kind
            {
                *counts.entry(*e).or_default() += 1;
            }
        }
        let (&entry, _) = counts
            .iter()
            .max_by_key(|(e, n)| (**n, std::cmp::Reverse(**e)))?;
        // The short written form: the shortest name of that area ending in its level.
        let suffix = if kind == EntityKind::Prefecture {
            '州'
        } else {
            '市'
        };
        let g = &self.ex.gazetteer.entries()[entry];
        self.ex
            .gazetteer
            .names()
            .filter(|(n, e)| e.id == g.id && n.ends_with(suffix))
            .map(|(n, _)| n.to_owned())
            .min_by_key(|n| n.chars().count())
    }

    fn add_reference_entity(&mut self, id: EntityId) {
        if self.entities.contains_key(&id) {
            return;
        }
        let Some(g) = self.ex.gazetteer.entry_of(&id) else {
            return;
        };
        self.entities.insert(
            id.clone(),
            Entity {
                id,
                kind: g.kind,
                label: g.canonical.clone(),
                label_en: g.label_en.clone(),
                alt_labels: BTreeSet::new(),
                located_in: g.within.clone().map(EntityId::Area),
                from_reference: true,
            },
        );
    }

    fn new_entity(&mut self, id: EntityId, kind: EntityKind, label: &str, alias: Option<&str>) {
        // An organisation is in the area its name begins with (囊谦县医院 → 囊谦县).
        let located_in = kind
            .is_organization()
            .then(|| self.ex.gazetteer.find(label).into_iter().next())
            .flatten()
            .filter(|m| m.start == 0)
            .map(|m| self.ex.gazetteer.entries()[m.entry].id.clone())
            .filter(|a| matches!(a, EntityId::Area(_)));
        let entity = self.entities.entry(id.clone()).or_insert_with(|| Entity {
            id,
            kind,
            label: label.to_owned(),
            label_en: None,
            alt_labels: BTreeSet::new(),
            located_in,
            from_reference: false,
        });
        if let Some(a) = alias
            && a != entity.label
        {
            entity.alt_labels.insert(a.to_owned());
        }
    }

    /// Maps a pattern candidate to an entity, creating it when new.
    fn resolve_candidate(
        &mut self,
        cand: &Candidate,
        known: &mut BTreeMap<String, EntityId>,
        main_prefecture: Option<&str>,
        main_municipality: Option<&str>,
    ) -> Option<(EntityId, EntityKind)> {
        let name = cand.name.as_str();
        if let Some(id) = known.get(name) {
            let kind = self.entities.get(id).map_or(cand.kind, |e| e.kind);
            return Some((id.clone(), kind));
        }
        if let Some(g) = self.ex.gazetteer.lookup(name) {
            let id = g.id.clone();
            let kind = g.kind;
            self.add_reference_entity(id.clone());
            return Some((id, kind));
        }
        if cand.kind == EntityKind::Program || cand.kind == EntityKind::Event {
            let id = if cand.kind == EntityKind::Program {
                EntityId::Program(name.to_owned())
            } else {
                EntityId::Event(name.to_owned())
            };
            self.new_entity(id.clone(), cand.kind, name, None);
            return Some((id, cand.kind));
        }
        // A place written before a reference organisation's name (北京依文集团).
        if let Some(first) = self.ex.gazetteer.find(name).first()
            && first.start == 0
            && self.ex.gazetteer.entries()[first.entry].kind.is_area()
            && let Some(g) = self.ex.gazetteer.lookup(&name[first.end..])
            && !g.kind.is_area()
        {
            let id = g.id.clone();
            let kind = g.kind;
            self.add_reference_entity(id.clone());
            return Some((id, kind));
        }
        // A higher place written before a lower unit is dropped from the name.
        let canonical = self.drop_higher_place(name);
        if canonical != name {
            if let Some(g) = self.ex.gazetteer.lookup(&canonical) {
                let id = g.id.clone();
                let kind = g.kind;
                self.add_reference_entity(id.clone());
                return Some((id, kind));
            }
            if let Some(id) = known.get(&canonical).cloned() {
                let kind = self.entities.get(&id).map_or(cand.kind, |e| e.kind);
                self.new_entity(id.clone(), kind, &canonical, Some(name));
                return Some((id, kind));
            }
        }
        // Short forms: 州… and 市… stand for the article's prefecture and city.
        let expanded = match (canonical.chars().next(), main_prefecture, main_municipality) {
            (Some('州'), Some(p), _) => Some(format!("{}{}", p.trim_end_matches('州'), canonical)),
            (Some('市'), _, Some(m)) => Some(format!("{}{}", m.trim_end_matches('市'), canonical)),
            _ => None,
        };
        if let Some(full) = &expanded {
            if let Some(g) = self.ex.gazetteer.lookup(full) {
                let id = g.id.clone();
                let kind = g.kind;
                self.add_reference_entity(id.clone());
                return Some((id, kind));
            }
            if let Some(id) = known.get(full).cloned() {
                let kind = self.entities.get(&id).map_or(cand.kind, |e| e.kind);
                self.new_entity(id.clone(), kind, full, Some(name));
                return Some((id, kind));
            }
        }
        // Short forms of longer names already known: a unique name that ends
        // with this one, or equals it but for 人民, or spells it as an abbreviation.
        let matches: BTreeSet<EntityId> = known
            .iter()
            .filter(|(full, id)| {
                matches!(id, EntityId::Org(_))
                    && full.as_str() != canonical
                    && (is_suffix_form(&canonical, full) || is_abbreviation(&canonical, full))
            })
            .map(|(_, id)| id.clone())
            .collect();
        if matches.len() == 1 {
            let id = matches.into_iter().next().expect("one match");
            let kind = self.entities.get(&id).map_or(cand.kind, |e| e.kind);
            if let Some(e) = self.entities.get_mut(&id)
                && !e.from_reference
            {
                e.alt_labels.insert(name.to_owned());
            }
            return Some((id, kind));
        }
        // The same against the gazetteer's names (首师大附中 → 首都师范大学附属中学).
        let gaz: BTreeSet<EntityId> = self
            .ex
            .gazetteer
            .names()
            .filter(|(full, e)| {
                matches!(e.id, EntityId::Org(_))
                    && is_abbreviation(&canonical, full)
                    && canonical.chars().count() >= 4
            })
            .map(|(_, e)| e.id.clone())
            .collect();
        if gaz.len() == 1 {
            let id = gaz.into_iter().next().expect("one match");
            self.add_reference_entity(id.clone());
            let kind = self.entities.get(&id).map_or(cand.kind, |e| e.kind);
            return Some((id, kind));
        }
        if expanded.is_some()
            || canonical
                .chars()
                .next()
                .is_some_and(|c| matches!(c, '州' | '市' | '县' | '区'))
        {
            // A short form that resolves to nothing names nothing certain.
            return None;
        }
        let id = EntityId::Org(canonical.clone());
        let alias = (canonical != name).then_some(name);
        self.new_entity(id.clone(), cand.kind, &canonical, alias);
        known.insert(canonical, id.clone());
        Some((id, cand.kind))
    }

    /// 北京市密云区医院 → 密云区医院: a place followed by a place within it loses the first.
    fn drop_higher_place(&self, name: &str) -> String {
        let found = self.ex.gazetteer.find(name);
        // 北京丰台区委区政府: an alias that carries its higher place (北京丰台区)
        // is replaced by the area's own name.
        if let Some(first) = found.first()
            && first.start == 0
        {
            let area = &self.ex.gazetteer.entries()[first.entry];
            let written = &name[..first.end];
            if matches!(area.kind, EntityKind::District | EntityKind::County)
                && written != area.canonical
                && written.ends_with(area.canonical.as_str())
            {
                return format!("{}{}", area.canonical, &name[first.end..]);
            }
        }
        if found.len() >= 2 && found[0].start == 0 && found[1].start == found[0].end {
            let outer = &self.ex.gazetteer.entries()[found[0].entry];
            let inner = &self.ex.gazetteer.entries()[found[1].entry];
            if let (EntityId::Area(o), EntityId::Area(i)) = (&outer.id, &inner.id)
                && self.ex.reference.area_within(i, o)
                && i != o
            {
                return name[found[0].end..].to_owned();
            }
        }
        name.to_owned()
    }

    // ------------------------------------------------------------------ sentences

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
        let name_side = |name: &str| {
            if name.starts_with("北京") || name.starts_with("首都") || name.starts_with("京") {
                Some(Side::Supporting)
            } else if name.starts_with("玉树") || name.starts_with("青海") {
                Some(Side::Assisted)
            } else {
                None
            }
        };
        let area_side = |area: &str| {
            if self.ex.reference.area_within(area, "beijing") {
                Side::Supporting
            } else if self.ex.reference.area_within(area, "qinghai")
                || self.ex.reference.area_within(area, "yushu")
            {
                Side::Assisted
            } else {
                Side::Neutral
            }
        };
        match id {
            EntityId::Area(a) => area_side(a),
            EntityId::Org(_) => {
                if let Some(s) = name_side(&e.label) {
                    return s;
                }
                // The first place in the name says where the organisation is.
                if let Some(m) = self.ex.gazetteer.find(&e.label).first()
                    && m.start == 0
                    && let EntityId::Area(a) = &self.ex.gazetteer.entries()[m.entry].id
                {
                    return area_side(a);
                }
                e.located_in
                    .as_ref()
                    .map_or(Side::Neutral, |l| area_side(l.key()))
            }
            _ => Side::Neutral,
        }
    }

    fn found_in(&self, span: CharSpan) -> Vec<Found> {
        self.found
            .iter()
            .filter(|f| span.contains(f.span) && !f.nested)
            .cloned()
            .collect()
    }

    fn dates_in(&self, span: CharSpan) -> Vec<DateMention> {
        self.dates
            .iter()
            .filter(|d| span.contains(d.span))
            .cloned()
            .collect()
    }

    fn contains_word(&self, span: CharSpan, words: &[&str]) -> bool {
        let t = self.text(span);
        words.iter().any(|w| t.contains(w))
    }

    // ------------------------------------------------------------------ facts

    fn find_facts(&mut self) {
        let mut sentences = self.sentences();
        self.find_positions(&sentences);
        self.attribute_speakers(&mut sentences);
        self.find_money_and_figures(&sentences);
        self.find_relations(&sentences);
        self.find_events(&sentences);
    }

    /// People introduced by a title, with their organisation and role.
    fn find_positions(&mut self, sentences: &[Sentence]) {
        let mut new_people = Vec::new();
        for s in sentences {
            let schars: Vec<char> = self.chars[s.span.start..s.span.end].to_vec();
            for pc in patterns::persons(&schars) {
                let name: String = schars[pc.name_start..pc.name_end].iter().collect();
                let name_span =
                    CharSpan::new(s.span.start + pc.name_start, s.span.start + pc.name_end);
                if self.found.iter().any(|f| f.span.overlaps(name_span)) {
                    continue;
                }
                let person = EntityId::Person(name.clone());
                // Walk back over "[ORG] TITLE 、 [ORG] TITLE": each title takes the
                // organisation right before it, else the next one to its left.
                let mut rows = Vec::new();
                let mut pending = Vec::new();
                for &(ts, te) in pc.titles.iter().rev() {
                    let title: String = schars[ts..te].iter().collect();
                    let abs = s.span.start + ts;
                    pending.push(title);
                    if let Some(org) = self.org_ending_at(abs) {
                        for t in pending.drain(..) {
                            rows.push((Some(org.clone()), t));
                        }
                    }
                }
                let fallback = rows.last().and_then(|(o, _)| o.clone());
                for t in pending {
                    rows.push((fallback.clone(), t));
                }
                // Earlier "ORG TITLE、" pairs before the first organisation
                // (玉树州委副书记、玉树市委书记蔡成勇).
                let mut cursor = s.span.start + pc.titles[0].0;
                if let Some(f) = rows.last().and_then(|(o, _)| o.as_ref()).and_then(|o| {
                    self.found
                        .iter()
                        .find(|f| &f.id == o && f.span.end == cursor)
                }) {
                    cursor = f.span.start;
                }
                while cursor > s.span.start + 1 && self.chars[cursor - 1] == '、' {
                    let Some(title) = patterns::TITLES
                        .iter()
                        .filter(|t| {
                            let n = t.chars().count();
                            cursor > n
                                && self.chars[cursor - 1 - n..cursor - 1]
                                    .iter()
                                    .copied()
                                    .eq(t.chars())
                        })
                        .max_by_key(|t| t.len())
                    else {
                        break;
                    };
                    let t_start = cursor - 1 - title.chars().count();
                    let Some(org) = self.org_ending_at(t_start) else {
                        break;
                    };
                    rows.push((Some(org.clone()), (*title).to_owned()));
                    cursor = self
                        .found
                        .iter()
                        .find(|f| f.id == org && f.span.end == t_start)
                        .map_or(t_start, |f| f.span.start);
                }
                // A title that names its kind of organisation (总指挥 of a 指挥部)
                // takes the article's only organisation of that kind.
                for (org, title) in rows.iter_mut() {
                    if org.is_none() {
                        *org = self.only_org_for_title(title);
                    }
                }
                let quote_span = CharSpan::new(
                    rows.iter()
                        .filter_map(|(o, _)| o.as_ref())
                        .filter_map(|o| {
                            self.found
                                .iter()
                                .filter(|f| {
                                    &f.id == o
                                        && f.span.end <= name_span.start
                                        && f.span.start >= s.span.start
                                })
                                .map(|f| f.span.start)
                                .max()
                        })
                        .min()
                        .unwrap_or(s.span.start + pc.titles_start),
                    name_span.end,
                );
                let ev = self.evidence(self.extend_to_speech(quote_span, s.span));
                // 医疗队队长郭勇: the title of a group that is no entity says
                // nothing about an organisation; the person stands alone.
                let group = pc.titles_start > 0
                    && matches!(schars[pc.titles_start - 1], '队' | '团' | '组');
                if group {
                    rows.retain(|(org, _)| org.is_some());
                }
                for (org, title) in rows {
                    let role = (!["老师"].contains(&title.as_str())).then_some(title);
                    self.out.positions.push(Position {
                        person: person.clone(),
                        organization: org,
                        role,
                        evidence: ev.clone(),
                    });
                }
                new_people.push((name_span, person, name));
            }
            self.find_posts_of_subject(s, &mut new_people);
            // ORG + name + honorific: 北京市密云区医院王鹏老师.
            for f in self.found.clone() {
                if !f.kind.is_organization() || f.nested || !s.span.contains(f.span) {
                    continue;
                }
                for len in [3, 2] {
                    let end = f.span.end + len;
                    if end + 2 > s.span.end {
                        continue;
                    }
                    let after: String = self.chars[end..(end + 2).min(s.span.end)].iter().collect();
                    let name_chars = &self.chars[f.span.end..end];
                    let name: String = name_chars.iter().collect();
                    if ["老师", "医生", "教授", "同志"].contains(&after.as_str())
                        && patterns::is_person_name(&name)
                    {
                        let name_span = CharSpan::new(f.span.end, end);
                        if self.found.iter().any(|x| x.span.overlaps(name_span))
                            || new_people.iter().any(|(sp, _, _)| sp.overlaps(name_span))
                        {
                            continue;
                        }
                        let person = EntityId::Person(name.clone());
                        let ev = self.evidence(CharSpan::new(f.span.start, end + 2));
                        self.out.positions.push(Position {
                            person: person.clone(),
                            organization: Some(f.id.clone()),
                            role: None,
                            evidence: ev,
                        });
                        new_people.push((name_span, person, name));
                        break;
                    }
                }
            }
        }
        for (span, person, name) in new_people {
            self.new_entity(person.clone(), EntityKind::Person, &name, None);
            self.found.push(Found {
                span,
                id: person,
                kind: EntityKind::Person,
                nested: false,
            });
        }
        self.found.sort_by_key(|f| f.span);
        self.out.positions.sort();
        self.out.positions.dedup_by(|a, b| {
            a.person == b.person && a.organization == b.organization && a.role == b.role
        });
    }

    /// Posts stated of a sentence's subject: 郭勇原是ORG TITLE，…挂职ORG
    /// TITLE、ORG TITLE; 宗光未是一名…干部，如今担任ORG TITLE.
    fn find_posts_of_subject(
        &mut self,
        s: &Sentence,
        people: &mut Vec<(CharSpan, EntityId, String)>,
    ) {
        const VERBS: &[&str] = &["原是", "曾是", "担任", "挂职", "现任", "兼任", "是"];
        let text = self.text(s.span);
        let lead_skip = text
            .chars()
            .take_while(|c| matches!(c, '“' | '”' | ' '))
            .count();
        let lead: String = text.chars().skip(lead_skip).collect();
        let starts_post = |rest: &str| VERBS.iter().any(|v| rest.starts_with(v));
        let known = people
            .iter()
            .map(|(_, _, n)| n.clone())
            .find(|n| lead.starts_with(n.as_str()) && starts_post(&lead[n.len()..]));
        let fresh = || {
            [3, 2].into_iter().find_map(|len| {
                let cand: String = lead.chars().take(len).collect();
                let span = CharSpan::new(s.span.start + lead_skip, s.span.start + lead_skip + len);
                let taken = self.found.iter().any(|f| f.span.overlaps(span));
                (patterns::is_person_name(&cand) && starts_post(&lead[cand.len()..]) && !taken)
                    .then_some(cand)
            })
        };
        let Some(name) = known.or_else(fresh) else {
            return;
        };
        let name_span = CharSpan::new(
            s.span.start + lead_skip,
            s.span.start + lead_skip + name.chars().count(),
        );
        let person = EntityId::Person(name.clone());
        let mut posts = Vec::new();
        for verb in VERBS {
            for (k, _) in text.match_indices(verb) {
                let mut at = s.span.start + text[..k].chars().count() + verb.chars().count();
                // ORG TITLE, then more after 、.
                while let Some(org) = self
                    .found
                    .iter()
                    .find(|f| f.span.start == at && f.kind.is_organization() && !f.nested)
                {
                    let Some(title) = patterns::TITLES
                        .iter()
                        .filter(|t| {
                            self.chars
                                [org.span.end..s.span.end.min(org.span.end + t.chars().count())]
                                .iter()
                                .copied()
                                .eq(t.chars())
                        })
                        .max_by_key(|t| t.len())
                    else {
                        break;
                    };
                    let end = org.span.end + title.chars().count();
                    posts.push((
                        org.id.clone(),
                        (*title).to_owned(),
                        CharSpan::new(org.span.start, end),
                    ));
                    if self.chars.get(end) != Some(&'、') {
                        break;
                    }
                    at = end + 1;
                }
            }
        }
        if posts.is_empty() {
            return;
        }
        for (org, role, span) in posts {
            let ev = self.evidence(CharSpan::new(name_span.start, span.end));
            self.out.positions.push(Position {
                person: person.clone(),
                organization: Some(org),
                role: Some(role),
                evidence: ev,
            });
        }
        if !people.iter().any(|(_, p, _)| p == &person) {
            people.push((name_span, person, name));
        }
    }

    /// The one organisation of the article a title implies (指挥 → …指挥部).
    fn only_org_for_title(&self, title: &str) -> Option<EntityId> {
        const IMPLIED: &[(&str, &str)] = &[
            ("指挥", "指挥部"),
            ("院长", "医院"),
            ("校长", "学校"),
            ("局长", "局"),
        ];
        let (_, head) = IMPLIED
            .iter()
            .find(|(t, _)| title.ends_with(t) || title.ends_with(&format!("{t}长")))?;
        let mut orgs = self.entities.values().filter(|e| {
            e.kind.is_organization()
                && (e.label.ends_with(head) || e.alt_labels.iter().any(|a| a.ends_with(head)))
        });
        let first = orgs.next()?;
        orgs.next().is_none().then(|| first.id.clone())
    }

    /// The organisation named right before `pos` (or a bare head word there
    /// that refers back to the last organisation of that kind: 医院党委书记).
    fn org_ending_at(&self, pos: usize) -> Option<EntityId> {
        if let Some(f) = self
            .found
            .iter()
            .find(|f| f.span.end == pos && f.kind.is_organization() && !f.nested)
        {
            return Some(f.id.clone());
        }
        // 该校校长, 该院院长: "this school/hospital" is the last one named.
        for (this, kind) in [
            ("该校", EntityKind::School),
            ("该院", EntityKind::Hospital),
            ("该局", EntityKind::GovernmentBody),
            ("该公司", EntityKind::Company),
            ("该集团", EntityKind::Company),
        ] {
            let n = this.chars().count();
            if pos >= n && self.chars[pos - n..pos].iter().copied().eq(this.chars()) {
                return self
                    .found
                    .iter()
                    .rev()
                    .find(|f| f.span.end <= pos - n && f.kind == kind)
                    .map(|f| f.id.clone());
            }
        }
        for head in [
            "医院",
            "基地",
            "学校",
            "指挥部",
            "公司",
            "集团",
            "中学",
            "小学",
            "合作社",
        ] {
            let n = head.chars().count();
            if pos >= n && self.chars[pos - n..pos].iter().collect::<String>() == head {
                let before_is_name = pos > n
                    && is_cjk(self.chars[pos - n - 1])
                    && !matches!(self.chars[pos - n - 1], '的' | '了' | '是' | '在' | '说');
                if before_is_name {
                    return None;
                }
                return self
                    .found
                    .iter()
                    .rev()
                    .filter(|f| f.span.end <= pos - n && f.kind.is_organization())
                    .find(|f| {
                        self.entities.get(&f.id).is_some_and(|e| {
                            e.label.ends_with(head)
                                || e.alt_labels.iter().any(|a| a.ends_with(head))
                        })
                    })
                    .map(|f| f.id.clone());
            }
        }
        None
    }

    fn extend_to_speech(&self, span: CharSpan, limit: CharSpan) -> CharSpan {
        let mut end = span.end;
        let rest: String = self.chars[end..limit.end.min(end + 3)].iter().collect();
        for s in patterns::SPEECH {
            if rest.starts_with(s) {
                end += s.chars().count();
                break;
            }
        }
        CharSpan::new(span.start, end)
    }

    /// Sentences inside quotation marks take the organisation of the person
    /// who says them (…”布尼玛说 / 万欣介绍：“…”).
    fn attribute_speakers(&self, sentences: &mut [Sentence]) {
        for pi in 0..self.paragraphs.len() {
            let p = self.paragraphs[pi];
            let speaker = self
                .out
                .positions
                .iter()
                .filter(|pos| p.contains(pos.evidence.span))
                .find_map(|pos| pos.organization.clone());
            if speaker.is_none() || !self.text(p).contains('“') {
                continue;
            }
            for s in sentences.iter_mut().filter(|s| s.paragraph == pi) {
                let t = self.text(s.span);
                let quoted = self.quoted_at(s.span.start) || t.contains('“');
                if quoted {
                    s.speaker_org = speaker.clone();
                }
            }
        }
    }

    /// Whether position `pos` lies inside a “…” quotation of its paragraph.
    fn quoted_at(&self, pos: usize) -> bool {
        let Some(p) = self
            .paragraphs
            .iter()
            .find(|p| p.start <= pos && pos < p.end)
        else {
            return false;
        };
        let mut depth = 0;
        for i in p.start..pos {
            match self.chars[i] {
                '“' => depth += 1,
                '”' => depth -= 1,
                _ => {}
            }
        }
        depth > 0
    }

    fn find_money_and_figures(&mut self, sentences: &[Sentence]) {
        let mut used: BTreeSet<CharSpan> = BTreeSet::new();
        let mut last_funding: Option<(usize, Option<i32>, Option<EntityId>)> = None;
        let quantities = self.quantities.clone();
        for s in sentences {
            let in_sentence: Vec<&Quantity> = quantities
                .iter()
                .filter(|q| s.span.contains(q.span))
                .collect();
            let dates = self.dates_in(s.span);
            let cumulative = dates
                .iter()
                .any(|d| matches!(d.kind, DateKind::Span | DateKind::Cumulative));
            let found = self.found_in(s.span);
            for q in &in_sentence {
                if used.contains(&q.span)
                    || found
                        .iter()
                        .any(|f| f.span.overlaps(q.span) && f.kind != EntityKind::Person)
                {
                    continue;
                }
                let clause = s
                    .clauses
                    .iter()
                    .copied()
                    .find(|c| c.contains(q.span) || c.overlaps(q.span))
                    .unwrap_or(s.span);
                let before = CharSpan::new(clause.start, q.span.start);
                let after =
                    CharSpan::new(q.span.end, (q.span.end + 6).min(clause.end).max(q.span.end));
                if q.unit == Unit::Yuan {
                    let non_alloc = self.contains_word(clause, NON_ALLOCATION_CUES);
                    let alloc = self
                        .contains_word(CharSpan::new(s.span.start, q.span.start), ALLOCATION_CUES)
                        || self.contains_word(after, &["资金"]);
                    if alloc && !non_alloc {
                        let dated = dates
                            .iter()
                            .rfind(|d| d.span.start < q.span.start && d.value.is_some())
                            .and_then(|d| d.value.map(|v| v.year()));
                        // A year in the amount's own clause wins over a period named
                        // elsewhere in the sentence (近三年来…，其中2022年安排资金…).
                        let own_year = dates
                            .iter()
                            .filter(|d| clause.contains(d.span) && d.span.start < q.span.start)
                            .find_map(|d| d.value.map(|v| v.year()));
                        let year = if let Some(y) = own_year {
                            Some(y)
                        } else if cumulative {
                            None
                        } else {
                            dated.or_else(|| {
                                last_funding
                                    .as_ref()
                                    .filter(|(p, _, _)| s.paragraph <= p + 4)
                                    .and_then(|(_, y, _)| *y)
                            })
                        };
                        let funder = self.funder_before(s, q.span.start, &found).or_else(|| {
                            last_funding
                                .as_ref()
                                .filter(|(p, _, _)| s.paragraph <= p + 4)
                                .and_then(|(_, _, f)| f.clone())
                        });
                        let recipient = self.recipient_for(s, q, &found, funder.as_ref());
                        let sector = self.sector_for(s, q);
                        let (projects, projects_end) =
                            self.projects_after(s, q, &in_sentence, &mut used);
                        let ev = self
                            .evidence(CharSpan::new(s.span.start, projects_end.max(q.span.end)));
                        last_funding = Some((s.paragraph, year, funder.clone()));
                        used.insert(q.span);
                        self.out.fundings.push(Funding {
                            funder,
                            recipient,
                            amount: q.value,
                            year,
                            sector,
                            projects,
                            qualifier: q.qualifier,
                            evidence: ev,
                        });
                        continue;
                    }
                    if !non_alloc {
                        self.out.diagnostics.push(Diagnostic {
                            article: self.article.id.clone(),
                            span: s.span,
                            message: format!(
                                "money {} with no allocation or other cue: no fact",
                                self.text(q.span)
                            ),
                        });
                        continue;
                    }
                }
                // An observation.
                if q.value_max.is_some() {
                    self.out.diagnostics.push(Diagnostic {
                        article: self.article.id.clone(),
                        span: s.span,
                        message: format!(
                            "range {} left out: a range is not one figure",
                            self.text(q.span)
                        ),
                    });
                    continue;
                }
                // 一个抓手, 一名干部: the numeral one is an article here, not a figure.
                if self.chars[q.span.start] == '一' && q.value == Decimal::from_int(1) {
                    continue;
                }
                let Some(unit) = self.observation_unit(q, s) else {
                    continue;
                };
                let mut metric = if unit == "magnitude" {
                    "震级".to_owned()
                } else {
                    self.metric(before, q.span, clause)
                };
                if metric.chars().count() < 4 {
                    // Too little in the clause: the sentence's topic says what is counted.
                    let topic = s
                        .clauses
                        .iter()
                        .rposition(|c| c.end <= clause.start)
                        .map(|i| s.clauses[i]);
                    if let Some(topic) = topic {
                        let head: String = self
                            .text(topic)
                            .chars()
                            .take_while(|&c| is_cjk(c))
                            .take(6)
                            .collect();
                        metric = format!("{head}{metric}");
                    }
                }
                if metric.chars().count() < 2 {
                    continue;
                }
                let year = if cumulative {
                    None
                } else {
                    dates.iter().find_map(|d| d.value.map(|v| v.year()))
                };
                let about = found
                    .iter()
                    .rfind(|f| {
                        f.span.end <= q.span.start
                            && !matches!(f.kind, EntityKind::Person | EntityKind::Program)
                            && !self.introduces_person(f)
                    })
                    .map(|f| f.id.clone());
                used.insert(q.span);
                let ev = self.evidence(CharSpan::new(s.span.start, clause.end.min(s.span.end)));
                self.out.observations.push(Observation {
                    about,
                    metric,
                    value: q.value,
                    value_max: q.value_max,
                    unit,
                    qualifier: q.qualifier,
                    year,
                    evidence: ev,
                });
            }
        }
    }

    fn funder_before(&self, s: &Sentence, pos: usize, found: &[Found]) -> Option<EntityId> {
        let before: String = self.chars[s.span.start..pos].iter().collect();
        if (before.contains("我们") || before.contains("我州")) && s.speaker_org.is_some() {
            return s.speaker_org.clone();
        }
        found
            .iter()
            .filter(|f| f.span.end <= pos && matches!(f.id, EntityId::Area(_) | EntityId::Org(_)))
            .rfind(|f| self.side(&f.id) == Side::Supporting && !self.introduces_person(f))
            .map(|f| f.id.clone())
    }

    fn recipient_for(
        &self,
        s: &Sentence,
        q: &Quantity,
        found: &[Found],
        funder: Option<&EntityId>,
    ) -> Option<EntityId> {
        // 总投资9800万元的玉树市第一完全小学: what the money is "of".
        if self.chars.get(q.span.end) == Some(&'的')
            && let Some(f) = found.iter().find(|f| {
                f.span.start == q.span.end + 1
                    && matches!(f.id, EntityId::Org(_) | EntityId::Program(_))
            })
        {
            return Some(f.id.clone());
        }
        // A named thing built with the money: 拿出四千万元，建起…平台.
        let after: String = self.chars[q.span.end..s.span.end].iter().collect();
        if let Some(k) = ["建起", "建成", "用于建设", "用于"]
            .iter()
            .find_map(|w| after.find(w).map(|i| i + w.len()))
            && let Some(p) = found.iter().find(|f| {
                f.kind == EntityKind::Program
                    && f.span.start >= q.span.end
                    && f.span.start <= q.span.end + after[..k].chars().count() + 2
            })
        {
            return Some(p.id.clone());
        }
        if let Some(f) = found.iter().rfind(|f| {
            matches!(f.id, EntityId::Area(_) | EntityId::Org(_))
                && self.side(&f.id) == Side::Assisted
                && f.span.end <= q.span.start
                && !self.introduces_person(f)
        }) {
            return Some(f.id.clone());
        }
        // A district's money goes to its official partner when the article names it.
        if let Some(EntityId::Area(district)) = funder
            && let Some(county) = self.ex.reference.paired(district)
        {
            let county = EntityId::Area(county.to_owned());
            if self.found.iter().any(|f| f.id == county) {
                return Some(county);
            }
        }
        self.main_assisted_area()
    }

    /// Whether a mention is a person's organisation in a byline-like
    /// introduction (玉树州卫生健康委员会主任扎西才让介绍), not a party of the fact.
    fn introduces_person(&self, f: &Found) -> bool {
        patterns::TITLES.iter().any(|t| {
            let n = t.chars().count();
            f.span.end + n <= self.chars.len()
                && self.chars[f.span.end..f.span.end + n]
                    .iter()
                    .copied()
                    .eq(t.chars())
        })
    }

    /// The assisted area the article is about: its most mentioned prefecture or county.
    /// The prefecture when the article names one, else its most named county.
    fn main_assisted_area(&self) -> Option<EntityId> {
        [EntityKind::Prefecture, EntityKind::County]
            .into_iter()
            .find_map(|kind| {
                let mut counts: BTreeMap<&EntityId, usize> = BTreeMap::new();
                for f in &self.found {
                    if f.kind == kind && self.side(&f.id) == Side::Assisted {
                        *counts.entry(&f.id).or_default() += 1;
                    }
                }
                counts
                    .into_iter()
                    .max_by_key(|(_, n)| *n)
                    .map(|(id, _)| id.clone())
            })
    }

    fn sector_for(&self, s: &Sentence, q: &Quantity) -> Sector {
        let before = self.text(CharSpan::new(s.span.start, q.span.start));
        let mut distinct: Vec<(Sector, usize)> = Vec::new();
        for (sector, words) in SECTOR_WORDS {
            if let Some(pos) = words.iter().filter_map(|w| before.rfind(w)).max() {
                distinct.push((*sector, pos));
            }
        }
        if distinct.len() >= 3 {
            return Sector::Total;
        }
        if let Some((sector, _)) = distinct.iter().max_by_key(|(_, p)| *p) {
            return *sector;
        }
        // Else the first sector word in the amount's clause and the two after it.
        let Some(ci) = s.clauses.iter().position(|c| c.overlaps(q.span)) else {
            return Sector::Total;
        };
        let end = s.clauses.get(ci + 2).map_or(s.span.end, |c| c.end);
        let after = self.text(CharSpan::new(q.span.end, end.max(q.span.end)));
        let found: Vec<(Sector, usize)> = SECTOR_WORDS
            .iter()
            .filter_map(|(sector, words)| {
                words
                    .iter()
                    .filter_map(|w| after.find(w))
                    .min()
                    .map(|p| (*sector, p))
            })
            .collect();
        // 实施产业、教育、医疗等项目: money spread over many sectors is a total;
        // so is money whose parts follow (其中产业项目资金…).
        let parts_follow = after
            .find("其中")
            .is_some_and(|k| found.iter().all(|(_, p)| *p > k));
        if found.len() >= 3 || (parts_follow && !found.is_empty()) {
            return Sector::Total;
        }
        found
            .into_iter()
            .min_by_key(|(_, p)| *p)
            .map_or(Sector::Total, |(s, _)| s)
    }

    /// The number of projects a funding pays for: 实施项目43个, 5个…项目.
    fn projects_after(
        &self,
        s: &Sentence,
        q: &Quantity,
        all: &[&Quantity],
        used: &mut BTreeSet<CharSpan>,
    ) -> (Option<u32>, usize) {
        let Some(ci) = s.clauses.iter().position(|c| c.overlaps(q.span)) else {
            return (None, q.span.end);
        };
        let limit = s.clauses.get(ci + 1).map_or(s.span.end, |c| c.end);
        for p in all
            .iter()
            .filter(|p| p.span.start >= q.span.end && p.span.end <= limit)
        {
            let is_count = matches!(p.unit, Unit::Measure("个") | Unit::Measure("项"));
            if !is_count || p.qualifier.is_some() || p.unit == Unit::Yuan {
                continue;
            }
            let before = self.text(CharSpan::new(
                p.span.start.saturating_sub(4).max(q.span.end),
                p.span.start,
            ));
            let after = self.text(CharSpan::new(p.span.end, (p.span.end + 8).min(limit)));
            let head_after = after
                .split(['，', ',', '。', '；'])
                .next()
                .unwrap_or("")
                .contains("项目");
            if before.contains("项目") || head_after {
                if let Some(n) = p.value.to_i64().and_then(|v| u32::try_from(v).ok()) {
                    used.insert(p.span);
                    let end = if head_after {
                        p.span.end
                            + after
                                .find("项目")
                                .map_or(0, |i| after[..i].chars().count() + 2)
                    } else {
                        p.span.end
                    };
                    return (Some(n), end);
                }
            }
        }
        (None, q.span.end)
    }

    /// Whether a count counts projects: 项目 right before it or in the words after it.
    fn project_count(&self, figure: CharSpan, s: &Sentence) -> bool {
        let before = self.text(CharSpan::new(figure.start.saturating_sub(4), figure.start));
        // 项目分为…6大类，合计114个: a count that ends its clause counts the sentence's topic.
        let ends_clause = self
            .chars
            .get(figure.end)
            .is_none_or(|c| matches!(c, '，' | ',' | '。' | '；'));
        let topic = s
            .clauses
            .iter()
            .rposition(|c| c.end <= figure.start)
            .map_or(s.clauses[0], |i| s.clauses[i]);
        if ends_clause && self.text(topic).starts_with("项目") {
            return true;
        }
        let end = (figure.end + 10).min(self.chars.len());
        let after = self.text(CharSpan::new(figure.end, end));
        let after = after
            .split(['，', ',', '。', '；', '(', '（', '、'])
            .next()
            .unwrap_or("");
        before.ends_with("项目") || before.ends_with("项目共") || after.contains("项目")
    }

    fn observation_unit(&self, q: &Quantity, s: &Sentence) -> Option<&'static str> {
        Some(match q.unit {
            Unit::Yuan => "yuan",
            Unit::Percent => "percent",
            Unit::Measure(m) => match m {
                "人" | "名" | "万人" => "person",
                "人次" => "person-time",
                "户" => "household",
                "头" | "只" => "head",
                "天" | "日" => "day",
                "个月" => "month",
                "岁" => "year",
                "级" => "magnitude",
                "个" | "项" if self.project_count(q.span, s) => "project",
                "年" | "期" | "倍" | "次" => return None,
                _ => "count",
            },
        })
    }

    /// What a figure measures: the words of its clause around it.
    fn metric(&self, before: CharSpan, figure: CharSpan, clause: CharSpan) -> String {
        let pre = self.text(before);
        let pre: String = pre
            .trim_start_matches(|c: char| !is_cjk(c))
            .chars()
            .rev()
            .take(10)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let post: String = self
            .text(CharSpan::new(figure.end, clause.end))
            .chars()
            .take_while(|&c| is_cjk(c))
            .take(12)
            .collect();
        let pre = strip_words(
            &pre,
            &["已", "共", "均", "并", "还", "先后", "累计"],
            &[
                "超过", "突破", "降至", "达到", "达", "至", "到", "为", "了", "有", "共", "约",
                "近",
            ],
        );
        let mut m = format!("{pre}{post}");
        m.retain(|c| is_cjk(c) || c.is_alphanumeric());
        m
    }

    fn find_relations(&mut self, sentences: &[Sentence]) {
        let mut rels: Vec<Relation> = Vec::new();
        let mut last_funder: Option<EntityId> = None;
        for s in sentences {
            if let Some(f) =
                self.out.fundings.iter().find(|f| {
                    s.span.contains(f.evidence.span) || f.evidence.span.start == s.span.start
                })
            {
                last_funder = f.funder.clone();
            }
            let found: Vec<Found> = self.found_in(s.span);
            let parties: Vec<&Found> = found
                .iter()
                .filter(|f| matches!(f.id, EntityId::Area(_) | EntityId::Org(_)))
                .collect();
            let programs: Vec<&Found> = found
                .iter()
                .filter(|f| f.kind == EntityKind::Program)
                .collect();
            let mut program_supporters: BTreeSet<EntityId> = BTreeSet::new();
            let events: Vec<&Found> = found
                .iter()
                .filter(|f| f.kind == EntityKind::Event)
                .collect();
            let text = self.text(s.span);
            let ev = self.evidence(s.span);

            // Pairings: districts and counties named with a pairing cue, zipped in order.
            if ["对口支援", "结对", "结成", "对口帮扶", "帮扶", "分别由"]
                .iter()
                .any(|w| text.contains(w))
            {
                let districts: Vec<&Found> = parties
                    .iter()
                    .copied()
                    .filter(|f| f.kind == EntityKind::District)
                    .collect();
                let counties: Vec<&Found> = parties
                    .iter()
                    .copied()
                    .filter(|f| f.kind == EntityKind::County)
                    .collect();
                let mut seen = BTreeSet::new();
                let d: Vec<&EntityId> = districts
                    .iter()
                    .map(|f| &f.id)
                    .filter(|id| seen.insert((*id).clone()))
                    .collect();
                let c: Vec<&EntityId> = counties
                    .iter()
                    .map(|f| &f.id)
                    .filter(|id| seen.insert((*id).clone()))
                    .collect();
                if !d.is_empty() && d.len() == c.len() {
                    for (d, c) in d.into_iter().zip(c) {
                        rels.push(Relation {
                            subject: d.clone(),
                            predicate: Predicate::PairedWith,
                            object: c.clone(),
                            evidence: ev.clone(),
                        });
                    }
                }
            }

            // Location: 位于X的Y.
            if let Some(k) = text.find("位于") {
                let at = s.span.start + text[..k].chars().count() + 2;
                if let Some(area) = parties
                    .iter()
                    .find(|f| f.span.start == at && matches!(f.id, EntityId::Area(_)))
                    && self.chars.get(area.span.end) == Some(&'的')
                    && let Some(org) = parties.iter().find(|f| {
                        f.span.start == area.span.end + 1 && matches!(f.id, EntityId::Org(_))
                    })
                {
                    rels.push(Relation {
                        subject: org.id.clone(),
                        predicate: Predicate::LocatedIn,
                        object: area.id.clone(),
                        evidence: ev.clone(),
                    });
                }
            }

            if !events.is_empty() {
                for e in &events {
                    // People and organisations of the sentence take part; places
                    // only as the subject of the event (玉树同期举办了…) or as the
                    // 两地 that the sentence names just before.
                    let mut who: Vec<EntityId> = found
                        .iter()
                        .filter(|f| {
                            f.kind == EntityKind::Person || matches!(f.id, EntityId::Org(_))
                        })
                        .map(|f| f.id.clone())
                        .collect();
                    let clause = s
                        .clauses
                        .iter()
                        .copied()
                        .find(|c| c.contains(e.span))
                        .unwrap_or(s.span);
                    let before = self.text(CharSpan::new(clause.start, e.span.start));
                    if ["举办", "召开", "举行", "参加", "出席", "承办"]
                        .iter()
                        .any(|w| before.contains(w))
                    {
                        who.extend(
                            found
                                .iter()
                                .filter(|f| {
                                    clause.contains(f.span)
                                        && f.span.end <= e.span.start
                                        && f.kind.is_area()
                                })
                                .map(|f| f.id.clone()),
                        );
                    }
                    if let Some(k) = text.find("两地") {
                        let at = s.span.start + text[..k].chars().count();
                        let mut places: Vec<EntityId> = Vec::new();
                        for f in self.found.iter().filter(|f| {
                            s.span.contains(f.span) && f.span.end <= at && f.kind.is_area()
                        }) {
                            places.retain(|p| p != &f.id);
                            places.push(f.id.clone());
                        }
                        let n = places.len();
                        who.extend(places.into_iter().skip(n.saturating_sub(2)));
                    }
                    for p in who {
                        rels.push(Relation {
                            subject: p,
                            predicate: Predicate::ParticipatesIn,
                            object: e.id.clone(),
                            evidence: ev.clone(),
                        });
                    }
                }
                continue;
            }

            if !programs.is_empty() {
                let joint = PARTICIPATION_CUES.iter().any(|w| text.contains(w));
                for p in &programs {
                    // The parties of a programme stand in its clause or the one before.
                    let ci = s
                        .clauses
                        .iter()
                        .position(|c| c.overlaps(p.span))
                        .unwrap_or(0);
                    // The next clause too after an adverbial 在…下 (在“组团式”帮扶下，X…).
                    let last = if self.text(s.clauses[ci]).starts_with('在') {
                        (ci + 1).min(s.clauses.len() - 1)
                    } else {
                        ci
                    };
                    let near =
                        CharSpan::new(s.clauses[ci.saturating_sub(1)].start, s.clauses[last].end);
                    let supporter = parties.iter().rfind(|f| {
                        f.span.end <= p.span.start && self.side(&f.id) == Side::Supporting
                    });
                    // 在X的支持下: a party whose own clause says it supports.
                    let says_support = |f: &Found| {
                        s.clauses
                            .iter()
                            .find(|c| c.contains(f.span))
                            .is_some_and(|c| {
                                self.contains_word(*c, &["支持", "帮扶", "帮助", "援建"])
                            })
                    };
                    let mut any = false;
                    for f in &parties {
                        let side = self.side(&f.id);
                        let is_supporter = supporter.is_some_and(|x| x.id == f.id);
                        let says = side == Side::Supporting
                            && f.span.end <= p.span.start
                            && says_support(f);
                        let pred = if says || (is_supporter && !joint) {
                            Predicate::Supports
                        } else if near.contains(f.span)
                            && !f.kind.is_area()
                            && (joint || side != Side::Supporting)
                        {
                            Predicate::ParticipatesIn
                        } else {
                            continue;
                        };
                        if pred == Predicate::Supports {
                            program_supporters.insert(f.id.clone());
                        }
                        any = true;
                        rels.push(Relation {
                            subject: f.id.clone(),
                            predicate: pred,
                            object: p.id.clone(),
                            evidence: ev.clone(),
                        });
                    }
                    // Money allocated in the same sentence names who runs the programme.
                    let funded_here = self
                        .out
                        .fundings
                        .iter()
                        .any(|fu| s.span.contains(fu.evidence.span));
                    if !any
                        && funded_here
                        && let Some(funder) = &last_funder
                    {
                        rels.push(Relation {
                            subject: funder.clone(),
                            predicate: Predicate::Supports,
                            object: p.id.clone(),
                            evidence: ev.clone(),
                        });
                    }
                }
            }

            // Support between the two sides, around each cue: the parties of the
            // cue's clause first, the sentence's when the clause names none.
            let mut pairs: Vec<(EntityId, EntityId)> = Vec::new();
            for cue in SUPPORT_CUES {
                for (k, _) in text.match_indices(cue) {
                    let at = s.span.start + text[..k].chars().count();
                    let cue_span = CharSpan::new(at, at + cue.chars().count());
                    if found.iter().any(|f| f.span.overlaps(cue_span)) {
                        continue;
                    }
                    let clause = s
                        .clauses
                        .iter()
                        .copied()
                        .find(|c| c.contains(cue_span))
                        .unwrap_or(s.span);
                    let pick = |scope: CharSpan, side: Side, before_first: bool, org_only: bool| {
                        let fits = |f: &&&Found| {
                            scope.contains(f.span)
                                && self.side(&f.id) == side
                                && (!org_only || matches!(f.id, EntityId::Org(_)))
                        };
                        let before = parties.iter().filter(fits).rfind(|f| f.span.end <= at);
                        let after = parties
                            .iter()
                            .filter(fits)
                            .find(|f| f.span.start >= cue_span.end);
                        if before_first {
                            before.or(after)
                        } else {
                            after.or(before)
                        }
                    };
                    // The supporter: an organisation of the cue's clause, else the
                    // supporting subjects of the sentence's first clause (北京医院、
                    // 北京同仁医院和北京市疾控中心…驰援), else any supporting party.
                    let first = s.clauses[0];
                    let subjects: Vec<&Found> = parties
                        .iter()
                        .copied()
                        .filter(|f| {
                            first.contains(f.span)
                                && f.span.end <= at
                                && self.side(&f.id) == Side::Supporting
                                && matches!(f.id, EntityId::Org(_))
                        })
                        .collect();
                    let supporters: Vec<&Found> =
                        if let Some(b) = pick(clause, Side::Supporting, true, true) {
                            vec![*b]
                        } else if !subjects.is_empty() {
                            subjects
                        } else {
                            pick(clause, Side::Supporting, true, false)
                                .or_else(|| pick(s.span, Side::Supporting, true, false))
                                .into_iter()
                                .copied()
                                .collect()
                        };
                    // 援建的A、B: everything named after it was built with the support.
                    let mut assisted: Vec<EntityId> =
                        if *cue == "援建" && self.chars.get(cue_span.end) == Some(&'的') {
                            parties
                                .iter()
                                .filter(|f| {
                                    f.span.start >= cue_span.end
                                        && matches!(f.id, EntityId::Org(_))
                                        && self.side(&f.id) != Side::Supporting
                                })
                                .map(|f| f.id.clone())
                                .collect()
                        } else {
                            Vec::new()
                        };
                    if assisted.is_empty() {
                        assisted.extend(
                            pick(clause, Side::Assisted, false, false)
                                .or_else(|| pick(s.span, Side::Assisted, false, false))
                                .map(|f| f.id.clone())
                                .or_else(|| {
                                    s.speaker_org
                                        .clone()
                                        .filter(|o| self.side(o) == Side::Assisted)
                                }),
                        );
                    }
                    for b in &supporters {
                        for y in &assisted {
                            let district_to_county = b.kind == EntityKind::District
                                && matches!(y, EntityId::Area(a) if self.ex.reference.area(a).is_some_and(|x| x.area_type == crate::source::reference::AreaType::County));
                            if &b.id != y
                                && !district_to_county
                                && !program_supporters.contains(&b.id)
                            {
                                pairs.push((b.id.clone(), y.clone()));
                            }
                        }
                    }
                }
            }
            for (b, y) in pairs {
                rels.push(Relation {
                    subject: b,
                    predicate: Predicate::Supports,
                    object: y,
                    evidence: ev.clone(),
                });
            }
            // In the words of an assisted organisation's speaker, a supporting
            // party that gives (给我们, 的帮助) supports the speaker's organisation.
            if let Some(org) = s
                .speaker_org
                .clone()
                .filter(|o| self.side(o) == Side::Assisted)
                && SPEAKER_SUPPORT_CUES.iter().any(|w| text.contains(w))
            {
                for f in parties
                    .iter()
                    .filter(|f| self.side(&f.id) == Side::Supporting)
                {
                    rels.push(Relation {
                        subject: f.id.clone(),
                        predicate: Predicate::Supports,
                        object: org.clone(),
                        evidence: ev.clone(),
                    });
                }
            }
        }
        rels.retain(|r| r.subject != r.object);
        rels.sort();
        rels.dedup_by(|a, b| {
            a.subject == b.subject && a.predicate == b.predicate && a.object == b.object
        });
        self.out.relations = rels;
    }

    fn find_events(&mut self, sentences: &[Sentence]) {
        let mut out = Vec::new();
        for f in self.found.iter().filter(|f| f.kind == EntityKind::Event) {
            let Some(s) = sentences.iter().find(|s| s.span.contains(f.span)) else {
                continue;
            };
            let name = self
                .entities
                .get(&f.id)
                .map(|e| e.label.clone())
                .unwrap_or_default();
            let date = self
                .date_named_in(&name)
                .or_else(|| {
                    self.dates_in(s.span)
                        .into_iter()
                        .rfind(|d| d.span.start < f.span.start && d.value.is_some())
                        .and_then(|d| d.value)
                })
                .or_else(|| self.date_of_same_period(s));
            if out.iter().any(|e: &EventFact| e.event == f.id) {
                continue;
            }
            let start = self
                .dates_in(s.span)
                .into_iter()
                .filter(|d| d.span.start < f.span.start && d.value.is_some())
                .map(|d| d.span.start)
                .next_back()
                .unwrap_or(f.span.start)
                .min(f.span.start);
            out.push(EventFact {
                event: f.id.clone(),
                date,
                evidence: self.evidence(CharSpan::new(start, f.span.end)),
            });
        }
        self.out.events = out;
    }

    /// An event named by its date (玉树“4·14”地震) takes the year of the
    /// full date with that month and day elsewhere in the article.
    fn date_named_in(&self, name: &str) -> Option<DateValue> {
        let open = name.find('“')?;
        let inner = &name[open + '“'.len_utf8()..];
        let (m, rest) = inner.split_once('·')?;
        let d: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let (m, d): (u8, u8) = (m.parse().ok()?, d.parse().ok()?);
        self.dates.iter().find_map(|x| match x.value {
            Some(DateValue::Day(y, mm, dd)) if mm == m && dd == d => Some(DateValue::Day(y, m, d)),
            _ => None,
        })
    }

    /// 同期 (at the same time) dates a sentence by the last date before it,
    /// to the month.
    fn date_of_same_period(&self, s: &Sentence) -> Option<DateValue> {
        if !self.text(s.span).contains("同期") {
            return None;
        }
        let last = self
            .dates
            .iter()
            .rfind(|d| d.span.end <= s.span.start && d.value.is_some())?;
        match last.value? {
            DateValue::Day(y, m, _) | DateValue::YearMonth(y, m) => {
                Some(DateValue::YearMonth(y, m))
            }
            DateValue::Year(y) => Some(DateValue::Year(y)),
        }
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

/// Programmes named without quotes: a place, words, and a programme head
/// (治多县手工艺产业订单式培训, 玉树市城市管理服务指挥调度平台).
fn unquoted_programs(chars: &[char]) -> Vec<Candidate> {
    const HEADS: &[&str] = &[
        "订单式培训",
        "培训班",
        "指挥调度平台",
        "服务平台",
        "管理平台",
    ];
    let mut out = Vec::new();
    for head in HEADS {
        let h: Vec<char> = head.chars().collect();
        let mut i = 0;
        while i + h.len() <= chars.len() {
            if chars[i..i + h.len()] != h[..] {
                i += 1;
                continue;
            }
            let start = patterns::left_boundary(chars, i, 16);
            let part: String = chars[start..i].iter().collect();
            if part.chars().count() >= 3 && !patterns::is_generic(&part) {
                out.push(Candidate {
                    start,
                    end: i + h.len(),
                    name: chars[start..i + h.len()].iter().collect(),
                    kind: EntityKind::Program,
                });
            }
            i += h.len();
        }
    }
    out
}

/// `text` without any of `leading` at its start and `trailing` at its end.
fn strip_words(text: &str, leading: &[&str], trailing: &[&str]) -> String {
    let mut t = text;
    while let Some(rest) = leading.iter().find_map(|w| t.strip_prefix(w)) {
        t = rest;
    }
    while let Some(rest) = trailing.iter().find_map(|w| t.strip_suffix(w)) {
        t = rest;
    }
    t.to_owned()
}

/// Whether `short` is `full` without a leading part (依文集团 of 北京依文集团),
/// or `full` with 人民 left out (玉树市医院 of 玉树市人民医院).
fn is_suffix_form(short: &str, full: &str) -> bool {
    let n = short.chars().count();
    if n >= 4 && full.ends_with(short) {
        return true;
    }
    n >= 4 && full.replace("人民", "") == short
}

/// Whether `abbr` picks characters of `full` in order, starting with its first
/// character and ending within its last two (首师大附中 of 首都师范大学附属中学,
/// 玉树二高 of 玉树州第二民族高级中学).
fn is_abbreviation(abbr: &str, full: &str) -> bool {
    let a: Vec<char> = abbr.chars().collect();
    let f: Vec<char> = full.chars().collect();
    if a.len() < 3 || a.len() >= f.len() || a[0] != f[0] {
        return false;
    }
    let mut j = 0;
    let mut last = 0;
    for &c in &a {
        match f[j..].iter().position(|&x| x == c) {
            Some(k) => {
                last = j + k;
                j = last + 1;
            }
            None => return false,
        }
    }
    // The abbreviation must reach the head of the full name (高 of 高级中学 counts).
    last + 6 >= f.len()
}

#[cfg(test)]
mod tests {
    use super::*;
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
            f.evidence.quote,
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
            Some(crate::recognize::numbers::Qualifier::Approx)
        );
        assert!(
            x.observations
                .iter()
                .any(|o| o.unit == "yuan" && o.value.to_string() == "300000000")
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
    fn titles_joined_by_a_pause_mark_give_one_position_each() {
        let x = extract(
            "囊谦县委副书记、囊谦县人民医院院长李明华介绍说，医院今年新开两个科室。",
            "2023",
        );
        let rows: Vec<(String, Option<String>)> = x
            .positions
            .iter()
            .map(|p| (label(&x, &p.organization), p.role.clone()))
            .collect();
        assert!(
            rows.contains(&("囊谦县人民医院".to_owned(), Some("院长".to_owned()))),
            "{rows:?}"
        );
        assert!(
            rows.contains(&("囊谦县委".to_owned(), Some("副书记".to_owned()))),
            "{rows:?}"
        );
    }

    #[test]
    fn posts_stated_of_the_subject_give_positions() {
        let x = extract(
            "李建国原是北京市丰台区人民医院副院长，2021年来到玉树，挂职玉树州人民医院院长。",
            "2023",
        );
        let rows: Vec<(String, Option<String>)> = x
            .positions
            .iter()
            .map(|p| (label(&x, &p.organization), p.role.clone()))
            .collect();
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
                proptest::prop_assert!(ev.span.end <= article.char_len());
                proptest::prop_assert_eq!(article.text_at(ev.span), ev.quote.as_str());
                proptest::prop_assert!(!ev.quote.is_empty());
            }
            for m in &x.mentions {
                proptest::prop_assert!(m.span.end <= article.char_len() && m.span.start < m.span.end);
            }
        }
    }

    #[test]
    fn abbreviations_pick_characters_in_order() {
        assert!(is_abbreviation("首师大附中", "首都师范大学附属中学"));
        assert!(is_abbreviation("玉树二高", "玉树州第二民族高级中学"));
        assert!(!is_abbreviation("玉树二高", "玉树州人民医院"));
        assert!(!is_abbreviation("首都", "首都师范大学附属中学"));
    }

    #[test]
    fn suffix_forms_are_short_names() {
        assert!(is_suffix_form("依文集团", "北京依文集团"));
        assert!(is_suffix_form("果洛州医院", "果洛州人民医院"));
        assert!(!is_suffix_form("集团", "北京依文集团"));
    }
}
