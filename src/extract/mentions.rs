//! Mentions and their entities: gazetteer and pattern candidates, longest
//! first, resolved to one entity each (higher places dropped, short forms,
//! suffix forms and abbreviations linked to full names).

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{Entity, EntityId, EntityKind};
use crate::recognize::gazetteer::GazetteerMatch;
use crate::recognize::patterns::{self, Candidate};
use crate::source::span::{CharIndex, CharSpan};

use super::{Found, MAX_NAME, Run, SpanIndex};

/// Programmes named without quotes: a place, words, and a programme head
/// (治多县手工艺产业订单式培训, 玉树市城市管理服务指挥调度平台).
pub(super) fn unquoted_programs(chars: &[char]) -> Vec<Candidate> {
    const HEADS: &[&str] = &[
        "订单式培训",
        "培训班",
        "指挥调度平台",
        "服务平台",
        "管理平台",
        "示范点",
        "体验基地",
        "育苗基地",
        "繁育基地",
        "援教工程",
        "项目",
    ];
    // A project is unquoted only when it names what it builds (牲畜屠宰场
    // 项目, 活畜交易市场建设项目), not its kind (产业项目, 援建项目).
    fn facility_ok(head: &str, part: &str) -> bool {
        if head != "项目" {
            return true;
        }
        const FACILITIES: &[&str] = &[
            "场", "厂", "站", "馆", "园", "平台", "基地", "中心", "工厂", "市场",
        ];
        const WORKS: &[&str] = &["建设", "提升", "改造", "扩建", "新建"];
        let core = WORKS
            .iter()
            .find_map(|w| part.strip_suffix(w))
            .unwrap_or(part);
        core.chars().count() >= 4 && FACILITIES.iter().any(|f| core.ends_with(f))
    }
    let mut out = Vec::new();
    for head in HEADS {
        let h: Vec<char> = head.chars().collect();
        let mut i = 0;
        while i + h.len() <= chars.len() {
            if chars[i] != h[0] || chars[i..i + h.len()] != h[..] {
                i += 1;
                continue;
            }
            // 活畜交易市场建设项目: a word of works before 项目 is part of the
            // name, although it stops a name elsewhere.
            let works = ["建设", "提升", "改造", "扩建", "新建"].iter().find(|w| {
                let n = w.chars().count();
                *head == "项目" && i >= n && chars[i - n..i].iter().copied().eq(w.chars())
            });
            let from = works.map_or(i, |w| i - w.chars().count());
            let mut start = patterns::left_boundary(chars, from, 16);
            // “玉树牦牛”高新养殖综合示范点: a quoted part belongs to the name.
            if start >= 2
                && chars[start - 1] == '”'
                && let Some(open) = chars[..start - 1].iter().rposition(|&c| c == '“')
                && start - open <= 12
            {
                start = open;
            }
            let part: String = chars[start..i].iter().collect();
            if part.chars().count() >= 3 && !patterns::is_generic(&part) && facility_ok(head, &part)
            {
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

/// Characters that, right after a place's short form, make it part of a
/// natural feature's or a street's name (黄浦江, 祁连山, 门源路).
fn is_feature_head(c: char) -> bool {
    "江河山湖海湾峰岭川溪泉路街道桥港站".contains(c)
}

/// Whether `short` is `full` without a leading part (依文集团 of 北京依文集团),
/// or `full` with 人民 left out (玉树市医院 of 玉树市人民医院).
pub(super) fn is_suffix_form(short: &str, full: &str) -> bool {
    let n = short.chars().count();
    if n < 4 {
        return false;
    }
    full.ends_with(short) || (full.contains("人民") && without_renmin_is(full, short))
}

/// Whether `full` with every 人民 taken out is `short`, without building it.
fn without_renmin_is(full: &str, short: &str) -> bool {
    let mut rest = short;
    for piece in full.split("人民") {
        match rest.strip_prefix(piece) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether `abbr` picks characters of `full` in order, starting with its first
/// character and ending within its last two (首师大附中 of 首都师范大学附属中学,
/// 玉树二高 of 玉树州第二民族高级中学).
///
/// Runs for every candidate against every known name near it, so it
/// allocates nothing.
pub(super) fn is_abbreviation(abbr: &str, full: &str) -> bool {
    if abbr.chars().next() != full.chars().next() {
        return false;
    }
    let (a_len, f_len) = (abbr.chars().count(), full.chars().count());
    if a_len < 3 || a_len >= f_len {
        return false;
    }
    let mut rest = full.chars().enumerate();
    let mut last = 0;
    for c in abbr.chars() {
        match rest.by_ref().find(|&(_, x)| x == c) {
            Some((k, _)) => last = k,
            None => return false,
        }
    }
    // The abbreviation must reach the head of the full name (高 of 高级中学 counts).
    last + 6 >= f_len
}

/// Ranges sorted by start, each with the furthest end reached so far: a
/// range overlaps one of them exactly when the furthest end of those
/// starting before its end lies past its start. One bisection per
/// question instead of a scan of every range.
struct Reach {
    ranges: Vec<(usize, usize)>,
    furthest: Vec<usize>,
}

impl Reach {
    fn new(mut ranges: Vec<(usize, usize)>) -> Reach {
        ranges.sort_unstable();
        let furthest = ranges
            .iter()
            .scan(0, |r, &(_, end)| {
                *r = (*r).max(end);
                Some(*r)
            })
            .collect();
        Reach { ranges, furthest }
    }

    /// Whether `start..end` overlaps one of the ranges.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let k = self.ranges.partition_point(|&(s, _)| s < end);
        k > 0 && self.furthest[k - 1] > start
    }
}

/// How far apart (in characters) a short form and the longer name it
/// stands for may be written: three times the longest article of the
/// corpus, so that within an article of the genre every name is in reach,
/// while a short form in a book-length text is compared with the names
/// around it only, not with every name of the text.
pub(super) const SHORT_FORM_REACH: usize = 10_000;

/// The names resolved so far, by name and by where they were written.
#[derive(Default)]
pub(super) struct Known {
    by_name: BTreeMap<String, EntityId>,
    /// The names of organisations, by the start of a mention.
    at: BTreeMap<usize, Vec<String>>,
}

impl Known {
    fn get(&self, name: &str) -> Option<&EntityId> {
        self.by_name.get(name)
    }

    /// Records `name` as `id`, written at character `at`.
    fn insert(&mut self, name: String, id: EntityId, at: usize) {
        if matches!(id, EntityId::Org(_)) {
            self.at.entry(at).or_default().push(name.clone());
        }
        self.by_name.insert(name, id);
    }

    /// The organisation names written within [`SHORT_FORM_REACH`] of `at`,
    /// with their entities.
    fn organizations_near(&self, at: usize) -> impl Iterator<Item = (&str, &EntityId)> {
        self.at
            .range(at.saturating_sub(SHORT_FORM_REACH)..=at + SHORT_FORM_REACH)
            .flat_map(|(_, names)| names)
            .filter_map(|n| Some((n.as_str(), self.by_name.get(n)?)))
    }
}

impl Run<'_> {
    pub(super) fn find_mentions(&mut self) {
        let mut raw: Vec<(CharSpan, Candidate, Option<usize>)> = Vec::new();
        // Names that may stand for several areas (a repeated name, a short
        // form): the raw index, the areas, and whether it is a short form.
        let mut pending: Vec<(usize, Vec<usize>, bool)> = Vec::new();
        for p in self.paragraphs.clone() {
            let text = self.text(p);
            let pchars: Vec<char> = text.chars().collect();
            let index = CharIndex::new(&text);
            let at = |c: &Candidate| CharSpan::new(p.start + c.start, p.start + c.end);
            let mut place_ends = Vec::new();
            let mut place_spans = Vec::new();
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
                        let g = self.ex.gazetteer.first_match(&written[..i])?;
                        let kind = self.ex.gazetteer.entries()[g.entry].kind;
                        (g.start == 0 && g.end == i && kind.is_area() && g.entry != m.entry)
                            .then_some(GazetteerMatch {
                                start: m.start,
                                end: m.start + i,
                                ..g
                            })
                    })
                })
                .collect();
            matches.extend(joined);
            // Short forms (果洛, 玛多) where no full name is written, and not
            // as the start of a river's or a mountain's name (黄浦江, 祁连山).
            let written = Reach::new(matches.iter().map(|m| (m.start, m.end)).collect());
            let shorts: Vec<(usize, usize, Vec<usize>)> = self
                .ex
                .gazetteer
                .find_short_forms(&text)
                .into_iter()
                .filter(|&(s, e, _)| {
                    !written.overlaps(s, e)
                        && !text[e..].chars().next().is_some_and(is_feature_head)
                })
                .map(|(s, e, c)| (s, e, c.to_vec()))
                .collect();
            for m in matches {
                let span = index.span_of_bytes(m.start, m.end);
                let entry = &self.ex.gazetteer.entries()[m.entry];
                if entry.kind.is_area() {
                    place_ends.push(span.end);
                    place_spans.push((span.start, span.end));
                }
                let cand = Candidate {
                    start: span.start,
                    end: span.end,
                    name: text[m.start..m.end].to_owned(),
                    kind: entry.kind,
                };
                let candidates = self.ex.gazetteer.candidates(&m);
                if candidates.len() > 1 {
                    pending.push((raw.len(), candidates.to_vec(), false));
                }
                raw.push((at(&cand), cand, Some(m.entry)));
            }
            for (start, end, candidates) in shorts {
                let span = index.span_of_bytes(start, end);
                // Short forms count as places for event names (A与B…会).
                place_spans.push((span.start, span.end));
                let cand = Candidate {
                    start: span.start,
                    end: span.end,
                    name: text[start..end].to_owned(),
                    kind: self.ex.gazetteer.entries()[candidates[0]].kind,
                };
                pending.push((raw.len(), candidates, true));
                raw.push((at(&cand), cand, None));
            }
            let mut cands = patterns::organizations(&pchars);
            cands.extend(patterns::school_abbreviations(&pchars, &place_ends));
            cands.extend(patterns::programs(&pchars));
            cands.extend(patterns::titled_plans(&pchars));
            cands.extend(patterns::events_around(&pchars, &place_spans));
            cands.extend(patterns::named_disasters(&pchars, &place_spans));
            cands.extend(unquoted_programs(&pchars));
            cands.extend(patterns::self_references(&pchars));
            cands.extend(patterns::generic_bodies(&pchars));
            for c in cands {
                raw.push((at(&c), c, None));
            }
        }
        self.settle_places(&mut raw, pending);
        self.fit_to_places(&mut raw);
        // Longest first; a candidate inside a kept non-area name is dropped,
        // an area inside one is kept as a nested mention.
        raw.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.start.cmp(&b.0.start)));
        let mut kept: Vec<(CharSpan, Candidate, Option<usize>, bool)> = Vec::new();
        // The kept spans nest or are disjoint (a later, no longer span that
        // overlaps one without lying inside it is dropped), so each belongs
        // to the family of one top-level span, and top-level spans are
        // disjoint. A candidate is checked against the families of the
        // top-level spans it touches only, not against every kept span:
        // comparing with all of them made an article with millions of names
        // (one 50 MB line) take hours.
        let mut families: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (span, cand, entry) in raw {
            let mut nested = false;
            let mut drop = false;
            let mut family = None;
            // Every kept span that contains, equals or overlaps `span`
            // shares a point with it (bounds included), and so does the top
            // of its family: the last top starting before `span`, or one
            // starting within it.
            let before = families.range(..(span.start, 0)).next_back();
            let within = families.range((span.start, 0)..=(span.end, usize::MAX));
            for (top, members) in before.into_iter().chain(within) {
                for &k in members {
                    let (kspan, kcand, _, _) = &kept[k];
                    if kspan.contains(span) && *kspan != span {
                        if cand.kind.is_area() && (!kcand.kind.is_area() || kcand.name != cand.name)
                        {
                            nested = true;
                            family = Some(*top);
                        } else {
                            drop = true;
                        }
                    } else if *kspan == span || kspan.overlaps(span) {
                        drop = true;
                    }
                }
            }
            if !drop {
                let k = kept.len();
                kept.push((span, cand, entry, nested));
                match family.and_then(|top| families.get_mut(&top)) {
                    Some(members) => members.push(k),
                    None => {
                        families.insert((span.start, span.end), vec![k]);
                    }
                }
            }
        }
        kept.sort_by_key(|k| k.0);

        // The article's main prefecture and municipality resolve 州…, 市… short forms.
        let main_prefecture = self.main_area(&kept, EntityKind::Prefecture);
        let main_municipality = self.main_area(&kept, EntityKind::Municipality);
        // Generic bodies (州委, 县政府, 市委市政府) and 我市, 我县: the area of
        // that level named last before them, else the article's most named.
        let most_named: BTreeMap<char, String> = "州市县区旗盟"
            .chars()
            .filter_map(|level| Some((level, self.most_named_of_level(&kept, level)?)))
            .collect();
        let levels = self.level_areas(&kept, &most_named);

        // Resolve longest names first, so short forms find their full names.
        let mut order: Vec<usize> = (0..kept.len()).collect();
        order.sort_by(|&a, &b| {
            kept[b]
                .0
                .len()
                .cmp(&kept[a].0.len())
                .then(kept[a].0.start.cmp(&kept[b].0.start))
        });
        let mut known = Known::default();
        let mut resolved: Vec<Option<(EntityId, EntityKind)>> = vec![None; kept.len()];
        for i in order {
            let (span, cand, entry, _) = &kept[i];
            let r = match entry {
                Some(e) => {
                    let g = &self.ex.gazetteer.entries()[*e];
                    self.add_reference_entity(g.id.clone());
                    Some((g.id.clone(), g.kind))
                }
                None => match &levels[i] {
                    Some(area) => self.resolve_generic(cand, area),
                    None => self.resolve_candidate(
                        cand,
                        &mut known,
                        span.start,
                        main_prefecture.as_deref(),
                        main_municipality.as_deref(),
                    ),
                },
            };
            if let Some((id, _)) = &r {
                known.insert(cand.name.clone(), id.clone(), span.start);
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
        self.link_ordinal_abbreviations();
        self.found.sort_by_key(|f| f.span);
    }

    /// A hospital or school numbered in its name is also called by its
    /// stem, number and a one-character head (中山大学附属第六医院 → 中山六院,
    /// 喀什地区第一人民医院 → 喀地一院, 克州第二中学 → 克州二中): such a form
    /// elsewhere in the article is the same organisation.
    pub(super) fn link_ordinal_abbreviations(&mut self) {
        const HEADS: &[(&str, char)] = &[
            ("人民医院", '院'),
            ("医院", '院'),
            ("高级中学", '高'),
            ("中学", '中'),
            ("小学", '小'),
        ];
        let mut forms: Vec<(String, EntityId)> = Vec::new();
        for e in self.entities.values() {
            if !matches!(e.kind, EntityKind::Hospital | EntityKind::School) {
                continue;
            }
            let Some(k) = e.label.find('第') else {
                continue;
            };
            let (stem, rest) = (&e.label[..k], &e.label[k + '第'.len_utf8()..]);
            let number: String = rest
                .chars()
                .take_while(|c| "一二三四五六七八九十".contains(*c))
                .collect();
            let Some(&(_, short)) = HEADS.iter().find(|(h, _)| rest[number.len()..] == **h) else {
                continue;
            };
            let stem: Vec<char> = stem.chars().collect();
            if number.is_empty() || stem.len() < 2 {
                continue;
            }
            let mut stems = vec![stem[..2].iter().collect::<String>()];
            if stem.len() >= 4 {
                stems.push([stem[0], stem[2]].iter().collect());
            }
            for st in stems {
                forms.push((format!("{st}{number}{short}"), e.id.clone()));
            }
        }
        forms.retain(|(form, _)| form.chars().count() >= 4);
        if forms.is_empty() {
            return;
        }
        // Which forms the article writes, in one scan.
        let automaton = aho_corasick::AhoCorasick::new(forms.iter().map(|(f, _)| f))
            .expect("plain words always build");
        let mut written = vec![false; forms.len()];
        for m in automaton.find_overlapping_iter(self.article.read_text()) {
            written[m.pattern().as_usize()] = true;
        }
        let mut by_label: BTreeMap<String, Vec<EntityId>> = BTreeMap::new();
        for x in self.entities.values() {
            if x.kind.is_organization() {
                by_label
                    .entry(x.label.clone())
                    .or_default()
                    .push(x.id.clone());
            }
        }
        // An entity read from the form itself is the same organisation: its
        // mentions become the numbered one's.
        let mut merged: BTreeMap<EntityId, EntityId> = BTreeMap::new();
        let final_id = |merged: &BTreeMap<EntityId, EntityId>, mut id: EntityId| {
            while let Some(next) = merged.get(&id) {
                id = next.clone();
            }
            id
        };
        let mut words = Vec::new();
        for ((form, id), written) in forms.into_iter().zip(written) {
            if !written {
                continue;
            }
            let id = final_id(&merged, id);
            for other in by_label.get(&form).into_iter().flatten() {
                if *other != id && self.entities.remove(other).is_some() {
                    merged.insert(other.clone(), id.clone());
                }
            }
            let Some(e) = self.entities.get_mut(&id) else {
                continue;
            };
            e.alt_labels.insert(form.clone());
            words.push((form.chars().collect::<Vec<char>>(), id, e.kind));
        }
        if !merged.is_empty() {
            for f in &mut self.found {
                if merged.contains_key(&f.id) {
                    f.id = final_id(&merged, f.id.clone());
                }
            }
        }
        for (_, id, _) in &mut words {
            *id = final_id(&merged, id.clone());
        }
        self.mention_all(&words);
    }

    /// Decides what the names that may stand for several areas mean here:
    /// a repeated name (朝阳区, 城关区) or a short form (果洛, 玛多) is the
    /// area that lies in, contains, or lies beside an area the article names
    /// unambiguously; one the context does not settle is dropped, a repeated
    /// full name with a diagnostic.
    fn settle_places(
        &mut self,
        raw: &mut Vec<(CharSpan, Candidate, Option<usize>)>,
        pending: Vec<(usize, Vec<usize>, bool)>,
    ) {
        if pending.is_empty() {
            return;
        }
        let open: BTreeSet<usize> = pending.iter().map(|(i, _, _)| *i).collect();
        let entries = self.ex.gazetteer.entries();
        let area_of = |e: usize| match &entries[e].id {
            EntityId::Area(a) => Some(a.clone()),
            _ => None,
        };
        let context: BTreeSet<String> = raw
            .iter()
            .enumerate()
            .filter(|(i, _)| !open.contains(i))
            .filter_map(|(_, (_, _, e))| e.and_then(area_of))
            .collect();
        let reference = &self.ex.reference;
        let parent = |a: &str| {
            reference
                .area(a)
                .map(|x| x.part_of.clone())
                .unwrap_or_default()
        };
        let near = |a: &str| {
            context.iter().any(|x| {
                x == a
                    || reference.area_within(a, x)
                    || reference.area_within(x, a)
                    || (!parent(a).is_empty() && parent(a) == parent(x))
            })
        };
        // Failing that, an area on the other end of a pairing or an
        // arrangement with one the article names (朝阳区 in a report on 杂多县).
        let partner = |a: &str| context.iter().any(|x| reference.counterparts(a, x));
        let mut drop = BTreeSet::new();
        for (i, candidates, short) in pending {
            let mut fits: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&e| area_of(e).is_some_and(|a| near(&a)))
                .collect();
            if fits.is_empty() && !short {
                fits = candidates
                    .iter()
                    .copied()
                    .filter(|&e| area_of(e).is_some_and(|a| partner(&a)))
                    .collect();
            }
            // A short form shared by an area and one inside it (和田 of
            // 和田地区 and 和田县) names the higher one.
            if fits.len() > 1 {
                let top: Vec<usize> = fits
                    .iter()
                    .copied()
                    .filter(|&e| {
                        let a = area_of(e).unwrap_or_default();
                        fits.iter().all(|&o| {
                            o == e || area_of(o).is_some_and(|b| reference.area_within(&b, &a))
                        })
                    })
                    .collect();
                fits = top;
            }
            if let [one] = fits[..] {
                raw[i].1.kind = entries[one].kind;
                raw[i].2 = Some(one);
            } else {
                drop.insert(i);
                if !short {
                    let names: Vec<String> =
                        candidates.iter().filter_map(|&e| area_of(e)).collect();
                    self.out.diagnostics.push(crate::facts::Diagnostic {
                        article: self.article.id.clone(),
                        span: raw[i].0,
                        message: format!(
                            "{} names several areas ({}); the article does not say which",
                            raw[i].1.name,
                            names.join(", ")
                        ),
                    });
                }
            }
        }
        let mut k = 0;
        raw.retain(|_| {
            k += 1;
            !drop.contains(&(k - 1))
        });
    }

    /// Pattern names whose left edge cuts a place (田第一小学 of 和田第一小学,
    /// where 和 read as a conjunction) start with the place instead; one
    /// character before a place at the start of a name (过曲麻莱县发改局) is
    /// a verb or a preposition, not part of the name.
    fn fit_to_places(&self, raw: &mut [(CharSpan, Candidate, Option<usize>)]) {
        let places: Vec<CharSpan> = raw
            .iter()
            .filter(|(_, c, e)| e.is_some() && c.kind.is_area())
            .map(|(span, ..)| *span)
            .collect();
        // Short forms too (和田 of 和田地委), for a name that starts inside one.
        let short_places: Vec<CharSpan> = raw
            .iter()
            .filter(|(span, c, e)| e.is_none() && c.kind.is_area() && span.len() >= 2)
            .map(|(span, ..)| *span)
            .collect();
        // The places that start in a span, in the order above, by bisection:
        // a candidate looks at the places near it, not at the article's.
        let either: Vec<CharSpan> = places.iter().chain(&short_places).copied().collect();
        let by_start = SpanIndex::new(&either, |p| *p);
        let near = |from: usize, to: usize, only_places: bool| -> Vec<CharSpan> {
            self.starting_in(&by_start, CharSpan::new(from, to.max(from)))
                .into_iter()
                .filter(|&i| !only_places || i < places.len())
                .map(|i| either[i])
                .collect()
        };
        for (span, cand, entry) in raw.iter_mut() {
            if entry.is_some() || cand.kind.is_area() || cand.kind == EntityKind::Person {
                continue;
            }
            let before = |slack: usize| {
                near(
                    span.start.saturating_sub(slack + MAX_NAME),
                    span.start,
                    true,
                )
            };
            let new_start = if let Some(p) =
                near(span.start.saturating_sub(MAX_NAME), span.start, false)
                    .iter()
                    .find(|p| p.start < span.start && span.start < p.end && p.end < span.end)
            {
                p.start
            } else if span.start >= 2
                && self.chars[span.start - 1] == '和'
                && let Some(p) = before(2).iter().find(|p| {
                    p.end < span.start
                        && p.end + 2 >= span.start
                        && self.chars[p.end..span.start - 1]
                            .iter()
                            .all(|&c| crate::source::article::is_cjk(c))
                })
            {
                // 青海汉和生物科技股份有限公司: the 和 is inside the name.
                p.start
            } else if cand.kind == EntityKind::GovernmentBody
                && ["领导小组", "办公室", "指挥部", "工作队", "工作组"]
                    .iter()
                    .any(|h| cand.name.contains(h))
                && let Some(p) = before(8).iter().find(|p| {
                    p.end < span.start
                        && span.start - p.end <= 8
                        && patterns::is_remit(&self.text(CharSpan::new(p.end, span.start)))
                })
            {
                // 青海省支援帮扶合作交流领导小组办公室: the words of a body's
                // remit stop a name elsewhere, not here.
                p.start
            } else if let Some(p) = near(span.start + 1, span.start + 2, true)
                .iter()
                .find(|p| p.start == span.start + 1 && p.end < span.end)
            {
                let c = self.chars[span.start];
                if "过在到受向对从为把被将让给于".contains(c) {
                    p.start
                } else {
                    continue;
                }
            } else {
                continue;
            };
            // 北京市援疆和田指挥部: the name goes on to the left of the place.
            let new_start = if new_start < span.start {
                patterns::left_boundary(&self.chars, new_start, 12).min(new_start)
            } else {
                new_start
            };
            let moved = new_start as isize - span.start as isize;
            *span = CharSpan::new(new_start, span.end);
            cand.start = (cand.start as isize + moved) as usize;
            cand.name = self.text(*span);
        }
    }

    /// A quoted programme name with a suffix (“组团式”帮扶) is also meant by
    /// its quoted core alone (“组团式”) elsewhere in the article.
    pub(super) fn link_program_cores(&mut self) {
        let mut cores = Vec::new();
        for e in self.entities.values() {
            if e.kind == EntityKind::Program
                && e.label.starts_with('“')
                && let Some(close) = e.label.find('”')
            {
                cores.push((e.label[..close + '”'.len_utf8()].to_owned(), e.id.clone()));
            }
        }
        let words: Vec<_> = cores
            .into_iter()
            .map(|(core, id)| (core.chars().collect(), id, EntityKind::Program))
            .collect();
        self.mention_all(&words);
    }

    /// Every occurrence of each word that no found name covers becomes a
    /// mention of its entity (a programme's quoted core, a person named
    /// again), the words in turn, in one scan of the article: an occurrence is taken left to right where it does not
    /// overlap the word's previous occurrence, and becomes a mention where
    /// no found name (including those the earlier words added) overlaps it.
    /// Scanning the article once per word made an article naming thousands
    /// of people take minutes.
    pub(super) fn mention_all(&mut self, words: &[(Vec<char>, EntityId, EntityKind)]) {
        let mut pattern_of: BTreeMap<&[char], usize> = BTreeMap::new();
        let mut patterns: Vec<String> = Vec::new();
        for (word, _, _) in words {
            if !word.is_empty() && !pattern_of.contains_key(word.as_slice()) {
                pattern_of.insert(word, patterns.len());
                patterns.push(word.iter().collect());
            }
        }
        if patterns.is_empty() {
            return;
        }
        let automaton =
            aho_corasick::AhoCorasick::new(&patterns).expect("plain words always build");
        // The start of every occurrence of each pattern, in text order
        // (overlapping matches of one pattern come in the order of their ends).
        let mut starts: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
        for p in self.paragraphs.clone() {
            let text = self.text(p);
            let index = CharIndex::new(&text);
            for m in automaton.find_overlapping_iter(&text) {
                let span = index.span_of_bytes(m.start(), m.end());
                starts[m.pattern().as_usize()].push(p.start + span.start);
            }
        }
        self.examine(starts.iter().map(Vec::len).sum());
        let found = Reach::new(
            self.found
                .iter()
                .map(|f| (f.span.start, f.span.end))
                .collect(),
        );
        // Spans added here overlap nothing found, nor each other.
        let mut added: BTreeMap<usize, usize> = BTreeMap::new();
        for (word, id, kind) in words {
            let Some(&pattern) = pattern_of.get(word.as_slice()) else {
                continue;
            };
            let mut next = 0;
            for &start in &starts[pattern] {
                if start < next {
                    continue;
                }
                next = start + word.len();
                let span = CharSpan::new(start, next);
                let meets_added = added
                    .range(..span.end)
                    .next_back()
                    .is_some_and(|(_, &end)| end > span.start);
                if !meets_added && !found.overlaps(span.start, span.end) {
                    added.insert(span.start, span.end);
                    self.found.push(Found {
                        span,
                        id: id.clone(),
                        kind: *kind,
                        nested: false,
                    });
                }
            }
        }
    }

    /// For each kept name that is a generic body or a 我市 of a level (州,
    /// 市, 县…), the area it stands for: the nearest area of that level
    /// named before it in its paragraph, else the one the article names
    /// most. Its id; `None` for every other name.
    ///
    /// One pass over the names per level: each level keeps, for every name,
    /// the last name before it that gives an area of that level, so finding
    /// the nearest one skips only the names that enclose the body, instead
    /// of reading every name of the paragraph for each body.
    fn level_areas(
        &self,
        kept: &[(CharSpan, Candidate, Option<usize>, bool)],
        most_named: &BTreeMap<char, String>,
    ) -> Vec<Option<String>> {
        const LEVELS: &str = "州市县区旗盟";
        let entries = self.ex.gazetteer.entries();
        let is_self = |c: &Candidate| c.name.chars().count() == 1 && c.kind.is_area();
        // The area of `level` that name `j` gives, if any.
        let gives = |j: usize, level: char| -> Option<String> {
            let (_, c, e, _) = &kept[j];
            match e {
                Some(e) => {
                    let g = &entries[*e];
                    (g.kind.is_area() && g.canonical.ends_with(level))
                        .then(|| g.id.key().to_owned())
                }
                None if is_self(c) && c.name.starts_with(level) => most_named.get(&level).cloned(),
                None => None,
            }
        };
        // previous[level][i]: the last name before `i` that gives an area of
        // that level.
        let previous: BTreeMap<char, Vec<Option<usize>>> = LEVELS
            .chars()
            .map(|level| {
                let mut last = None;
                let table = (0..kept.len())
                    .map(|j| {
                        let before = last;
                        if gives(j, level).is_some() {
                            last = Some(j);
                        }
                        before
                    })
                    .collect();
                (level, table)
            })
            .collect();
        self.examine(kept.len() * LEVELS.chars().count());
        (0..kept.len())
            .map(|i| {
                let (at, cand, entry, _) = &kept[i];
                if entry.is_some() {
                    return None;
                }
                let level = cand.name.chars().next()?;
                let generic = patterns::is_generic_body(&cand.name)
                    || matches!(cand.kind, EntityKind::County | EntityKind::Prefecture);
                if !generic || !LEVELS.contains(level) {
                    return None;
                }
                if is_self(cand) {
                    // 我市: the writer's city is the one the article names most.
                    return most_named.get(&level).cloned();
                }
                // Paragraphs are in the order of the text and do not overlap.
                let paragraph = self
                    .paragraphs
                    .get(self.paragraphs.partition_point(|p| p.end <= at.start))
                    .filter(|p| p.contains(*at))?;
                // Kept names are sorted by span: the candidates lie before
                // `i`; those that do not end before the body enclose it.
                let table = &previous[&level];
                let mut j = table[i];
                while let Some(k) = j {
                    let span = kept[k].0;
                    if span.start < paragraph.start {
                        break;
                    }
                    self.examine(1);
                    if span.end <= at.start {
                        return gives(k, level);
                    }
                    j = table[k];
                }
                most_named.get(&level).cloned()
            })
            .collect()
    }

    /// The area of level `level` (州, 市, 县…) the article names most, counted
    /// where written out with the level (玉树市, not the 北京 of 北京专家).
    fn most_named_of_level(
        &self,
        kept: &[(CharSpan, Candidate, Option<usize>, bool)],
        level: char,
    ) -> Option<String> {
        let entries = self.ex.gazetteer.entries();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (_, c, e, _) in kept {
            if let Some(e) = *e
                && entries[e].kind.is_area()
                && entries[e].canonical.ends_with(level)
                && c.name.ends_with(level)
            {
                *counts.entry(entries[e].id.key().to_owned()).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|(id, n)| (*n, std::cmp::Reverse(id.clone())))
            .map(|(id, _)| id)
    }

    /// A generic body (州委, 县政府) or a 我市 resolved to `area`: the body
    /// of that area (玉树州委, written 州委), or the area itself.
    fn resolve_generic(&mut self, cand: &Candidate, area: &str) -> Option<(EntityId, EntityKind)> {
        let id = EntityId::Area(area.to_owned());
        let g = self.ex.gazetteer.entry_of(&id)?.clone();
        if cand.kind.is_area() {
            self.add_reference_entity(id.clone());
            return Some((id, g.kind));
        }
        let level = cand.name.chars().next()?;
        let stem = g.canonical.strip_suffix(level).unwrap_or(&g.canonical);
        // 玉树藏族自治州 → 玉树州: the short written form of a prefecture.
        let stem = self
            .ex
            .gazetteer
            .names_of(&id)
            .iter()
            .filter(|n| n.ends_with(level))
            .map(|n| n.trim_end_matches(level).to_owned())
            .min_by_key(|n| n.chars().count())
            .unwrap_or_else(|| stem.to_owned());
        let full = format!("{stem}{}", cand.name);
        if let Some(g) = self.ex.gazetteer.lookup(&full) {
            let (gid, kind) = (g.id.clone(), g.kind);
            self.add_reference_entity(gid.clone());
            return Some((gid, kind));
        }
        let org = EntityId::Org(full.clone());
        self.new_entity(org.clone(), cand.kind, &full, Some(&cand.name));
        Some((org, cand.kind))
    }

    pub(super) fn main_area(
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
            .names_of(&g.id)
            .iter()
            .filter(|n| n.ends_with(suffix))
            .cloned()
            .min_by_key(|n| n.chars().count())
    }

    pub(super) fn add_reference_entity(&mut self, id: EntityId) {
        if self.entities.contains_key(&id) {
            return;
        }
        let Some(g) = self.ex.gazetteer.entry_of(&id) else {
            return;
        };
        self.entities.insert(id, g.entity());
    }

    pub(super) fn new_entity(
        &mut self,
        id: EntityId,
        kind: EntityKind,
        label: &str,
        alias: Option<&str>,
    ) {
        // An organisation is in the area its name begins with (囊谦县医院 → 囊谦县).
        let located_in = kind
            .is_organization()
            .then(|| self.ex.gazetteer.first_match(label))
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
    pub(super) fn resolve_candidate(
        &mut self,
        cand: &Candidate,
        known: &mut Known,
        at: usize,
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
        if let Some(first) = self.ex.gazetteer.first_match(name)
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
        // A place and a body's head (玉树藏族自治州委) is a full name, never an
        // abbreviation of a longer one.
        let area_body = self
            .ex
            .gazetteer
            .find_areas(&canonical)
            .first()
            .is_some_and(|m| {
                m.start == 0 && patterns::is_generic_body(&format!("州{}", &canonical[m.end..]))
            });
        // Short forms of longer names already known: a unique name that ends
        // with this one, or equals it but for 人民, or spells it as an abbreviation.
        let matches: BTreeSet<EntityId> = known
            .organizations_near(at)
            .filter(|(full, id)| {
                // Not counted by `examine`: bounded by the window, not by
                // the article's length.
                matches!(id, EntityId::Org(_))
                    && *full != canonical
                    && (is_suffix_form(&canonical, full)
                        || (!area_body && is_abbreviation(&canonical, full)))
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
            .org_names()
            .filter(|(full, e)| {
                matches!(e.id, EntityId::Org(_))
                    && !area_body
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
        known.insert(canonical, id.clone(), at);
        Some((id, cand.kind))
    }

    /// 北京市密云区医院 → 密云区医院: a place followed by a place within it loses the first.
    pub(super) fn drop_higher_place(&self, name: &str) -> String {
        let found = self.ex.gazetteer.find(name);
        // 北京丰台区委区政府: an alias that carries its higher place (北京丰台区)
        // is replaced by the area's own name.
        if let Some(first) = found.first()
            && first.start == 0
        {
            let area = &self.ex.gazetteer.entries()[first.entry];
            let written = &name[..first.end];
            if area.kind.is_area()
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
