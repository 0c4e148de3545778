//! People: titled names with their organisations and roles, posts stated
//! of a sentence's subject, and whose words a quotation is.

use crate::facts::{EntityId, EntityKind, Position};
use crate::recognize::patterns::{self};
use crate::source::article::is_cjk;
use crate::source::span::CharSpan;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Found, Run, Sentence};

/// The people an article introduces, in the order they are met (a name
/// may come more than once), with what the rules ask of them indexed:
/// asking every sentence about every person met before made an article
/// that names thousands of people quadratic.
#[derive(Default)]
pub(super) struct People {
    list: Vec<(CharSpan, EntityId, String)>,
    /// Each name: the index of its first entry.
    first: HashMap<String, usize>,
    /// The names' lengths in characters.
    lengths: BTreeSet<usize>,
    /// The entries' spans: start → ends.
    spans: BTreeMap<usize, Vec<usize>>,
}

impl People {
    fn push(&mut self, span: CharSpan, person: EntityId, name: String) {
        self.first.entry(name.clone()).or_insert(self.list.len());
        self.lengths.insert(span.len());
        self.spans.entry(span.start).or_default().push(span.end);
        self.list.push((span, person, name));
    }

    fn has_name(&self, name: &str) -> bool {
        self.first.contains_key(name)
    }

    /// Whether an entry's span overlaps `span`.
    fn overlaps(&self, span: CharSpan) -> bool {
        let longest = self.lengths.last().copied().unwrap_or(0);
        self.spans
            .range(span.start.saturating_sub(longest)..span.end)
            .any(|(_, ends)| ends.iter().any(|&e| e > span.start))
    }

    /// The index of the first entry of the name that `chars` spells, if any.
    fn index_of(&self, chars: &[char], key: &mut String) -> Option<usize> {
        key.clear();
        key.extend(chars);
        self.first.get(key.as_str()).copied()
    }

    /// Where the names met so far are written in `chars`: (name index,
    /// start), each name's occurrences left to right and not overlapping
    /// one another, in the order of the names' first entries.
    fn written_in(&self, chars: &[char]) -> Vec<(usize, usize)> {
        let mut key = String::new();
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for start in 0..chars.len() {
            for &len in &self.lengths {
                if let Some(k) = chars
                    .get(start..start + len)
                    .and_then(|w| self.index_of(w, &mut key))
                {
                    hits.push((k, start));
                }
            }
        }
        hits.sort_unstable();
        let mut out = Vec::with_capacity(hits.len());
        let mut last: Option<(usize, usize)> = None;
        for (k, start) in hits {
            if let Some((lk, end)) = last
                && lk == k
                && start < end
            {
                continue;
            }
            last = Some((k, start + self.list[k].2.chars().count()));
            out.push((k, start));
        }
        out
    }
}

impl Run<'_> {
    /// People introduced by a title, with their organisation and role.
    pub(super) fn find_positions(&mut self, sentences: &[Sentence]) {
        let mut new_people = People::default();
        for s in sentences {
            let found_people = patterns::persons(&self.chars[s.span.start..s.span.end]);
            let schars =
                |from: usize, to: usize| &self.chars[s.span.start + from..s.span.start + to];
            for pc in found_people {
                let name: String = schars(pc.name_start, pc.name_end).iter().collect();
                let name_span =
                    CharSpan::new(s.span.start + pc.name_start, s.span.start + pc.name_end);
                if self
                    .found_near(name_span)
                    .iter()
                    .any(|f| f.span.overlaps(name_span))
                {
                    continue;
                }
                let person = EntityId::Person(name.clone());
                // Walk back over "[ORG] TITLE 、 [ORG] TITLE": each title takes the
                // organisation right before it, else the next one to its left.
                let mut rows = Vec::new();
                let mut pending = Vec::new();
                for &(ts, te) in pc.titles.iter().rev() {
                    // A title read from inside an organisation's name (党委副书记
                    // after 阿柔乡党委, 委员 after 徐行镇党委) starts where the name ends.
                    let ts = self
                        .found_near(CharSpan::new(s.span.start + ts, s.span.start + ts))
                        .iter()
                        .find(|f| {
                            f.kind.is_organization()
                                && f.span.start < s.span.start + ts
                                && s.span.start + ts < f.span.end
                                && f.span.end < s.span.start + te
                        })
                        .map(|f| f.span.end - s.span.start)
                        .filter(|&t| {
                            patterns::title_at(schars(t, te), 0)
                                .is_some_and(|x| x.chars().count() == te - t)
                        })
                        .unwrap_or(ts);
                    let abs = self.title_qualifier_start(s.span.start + ts, s.span.start);
                    let ts = abs - s.span.start;
                    let title: String = schars(ts, te).iter().collect();
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
                if let Some(f) = rows
                    .last()
                    .and_then(|(o, _)| o.as_ref())
                    .and_then(|o| self.named_ending_at(o, cursor))
                {
                    cursor = f.span.start;
                }
                // A title with no organisation of its own (林芝市委副书记、
                // 常务副市长、…) is a post of the level it names, resolved below.
                // 海西州委副书记、副州长，浙江省援青指挥部指挥长X: a comma
                // joins two chains when the clause before it is only posts.
                while cursor > s.span.start + 1
                    && (self.chars[cursor - 1] == '、'
                        || (self.chars[cursor - 1] == '，'
                            && self.only_posts(s.span.start, cursor - 1)))
                {
                    let Some(title) = patterns::title_ending_at(&self.chars, cursor - 1) else {
                        break;
                    };
                    let bare = cursor - 1 - title.chars().count();
                    let t_start = self.title_qualifier_start(bare, s.span.start);
                    let title: String = self.chars[t_start..cursor - 1].iter().collect();
                    let Some(org) = self.org_ending_at(t_start) else {
                        if leader_level(&title).is_some() && t_start > s.span.start {
                            rows.push((None, title));
                            cursor = t_start;
                            continue;
                        }
                        break;
                    };
                    rows.push((Some(org.clone()), title));
                    cursor = self
                        .named_ending_at(&org, t_start)
                        .map_or(t_start, |f| f.span.start);
                }
                // A title that names its kind of organisation (总指挥 of a 指挥部)
                // takes the article's only organisation of that kind.
                for (org, title) in rows.iter_mut() {
                    if let Some(level) = leader_level(title) {
                        *org =
                            self.leader_org(org.as_ref(), level, s, s.span.start + pc.titles_start);
                    } else if org.is_none() {
                        *org = self.only_org_for_title(title);
                    }
                }
                let quote_span = CharSpan::new(
                    rows.iter()
                        .filter_map(|(o, _)| o.as_ref())
                        .filter_map(|o| {
                            self.found_within(CharSpan::new(s.span.start, name_span.start))
                                .iter()
                                .filter(|f| &f.id == o && f.span.end <= name_span.start)
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
                    && matches!(
                        self.chars[s.span.start + pc.titles_start - 1],
                        '队' | '团' | '组'
                    );
                if group {
                    rows.retain(|(org, _)| org.is_some());
                }
                rows.retain(|(_, t)| !patterns::DESCRIPTORS.contains(&t.as_str()));
                for (org, title) in rows {
                    let role = (!["老师"].contains(&title.as_str())).then_some(title);
                    self.out.positions.push(Position {
                        person: person.clone(),
                        organization: org,
                        role,
                        evidence: ev.clone(),
                    });
                }
                new_people.push(name_span, person, name);
            }
            self.find_posts_of_subject(s, &mut new_people);
            // ORG + name + honorific: 北京市密云区医院王鹏老师.
            let near = self.found_range(s.span);
            for f in &self.found[near] {
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
                        if self
                            .found_near(name_span)
                            .iter()
                            .any(|x| x.span.overlaps(name_span))
                            || new_people.overlaps(name_span)
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
                        new_people.push(name_span, person, name);
                        break;
                    }
                }
            }
        }
        let mut names: Vec<(Vec<char>, EntityId)> = Vec::new();
        for (span, person, name) in new_people.list {
            self.new_entity(person.clone(), EntityKind::Person, &name, None);
            self.found.push(Found {
                span,
                id: person.clone(),
                kind: EntityKind::Person,
                nested: false,
            });
            names.push((name.chars().collect(), person));
        }
        // A person named again later without a title (王力军在座谈会上…) is
        // the same person: the name's other occurrences are mentions too,
        // the longest names first.
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        names.dedup();
        let words: Vec<_> = names
            .into_iter()
            .map(|(name, id)| (name, id, EntityKind::Person))
            .collect();
        self.mention_all(&words);
        self.found.sort_by_key(|f| f.span);
        self.out.positions.sort();
        self.out.positions.dedup_by(|a, b| {
            a.person == b.person && a.organization == b.organization && a.role == b.role
        });
    }

    /// Posts stated of a sentence's subject: 郭勇原是ORG TITLE，…挂职ORG
    /// TITLE、ORG TITLE; 宗光未是一名…干部，如今担任ORG TITLE.
    pub(super) fn find_posts_of_subject(&mut self, s: &Sentence, people: &mut People) {
        let text = self.text(s.span);
        let lead_skip = text
            .chars()
            .take_while(|c| matches!(c, '“' | '”' | ' '))
            .count();
        let lead = &text[text
            .char_indices()
            .nth(lead_skip)
            .map_or(text.len(), |(i, _)| i)..];
        let starts_post = |rest: &str| SUBJECT_VERBS.iter().any(|v| rest.starts_with(v));
        let lead_chars = &self.chars[(s.span.start + lead_skip).min(s.span.end)..s.span.end];
        let mut key = String::new();
        let known = people
            .lengths
            .iter()
            .filter_map(|&len| {
                let k = people.index_of(lead_chars.get(..len)?, &mut key)?;
                let n = &people.list[k].2;
                starts_post(&lead[n.len()..]).then_some(k)
            })
            .min()
            .map(|k| people.list[k].2.clone());
        let fresh = || {
            [3, 2].into_iter().find_map(|len| {
                let cand: String = lead.chars().take(len).collect();
                let span = CharSpan::new(s.span.start + lead_skip, s.span.start + lead_skip + len);
                // The cheap tests first: this runs for every sentence.
                (starts_post(&lead[cand.len()..])
                    && patterns::is_person_name(&cand)
                    && !self.found_near(span).iter().any(|f| f.span.overlaps(span)))
                .then_some(cand)
            })
        };
        // The sentence's subject: every post the sentence states after a
        // verb is the subject's (李建国原是…副院长，…挂职…院长).
        if let Some(name) = known.or_else(fresh) {
            let name_span = CharSpan::new(
                s.span.start + lead_skip,
                s.span.start + lead_skip + name.chars().count(),
            );
            let person = EntityId::Person(name.clone());
            let mut posts = Vec::new();
            for verb in SUBJECT_VERBS {
                for (k, _) in text.match_indices(verb) {
                    let at = s.span.start + text[..k].chars().count() + verb.chars().count();
                    posts.extend(self.posts_at(at, s));
                }
            }
            if !posts.is_empty() {
                self.push_posts(&person, name_span, posts);
                if !people.has_name(&name) {
                    people.push(name_span, person, name);
                }
            }
        }
        // A person already named, anywhere in the sentence, with a verb of
        // office right after (王启洋任玛多县委副书记、副县长; 钱志云此前担任过
        // …局长; 朱亮到久治县政府办公室任副主任).
        let written = people.written_in(&self.chars[s.span.start..s.span.end]);
        self.examine(written.len() + s.span.len() * people.lengths.len());
        for (k, at) in written {
            let (_, person, name) = &people.list[k];
            let start = s.span.start + at;
            let name_span = CharSpan::new(start, start + name.chars().count());
            let posts = self.posts_after_name(name_span.end, s);
            if !posts.is_empty() {
                let person = person.clone();
                self.push_posts(&person, name_span, posts);
            }
        }
    }

    fn push_posts(&mut self, person: &EntityId, name_span: CharSpan, posts: Vec<Post>) {
        for (org, role, span) in posts {
            let from = name_span.start.min(span.start);
            let ev = self.evidence(CharSpan::new(from, span.end.max(name_span.end)));
            self.out.positions.push(Position {
                person: person.clone(),
                organization: Some(org),
                role: Some(role),
                evidence: ev,
            });
        }
    }

    /// Posts stated right after a name: adverbs of time, then an optional
    /// place of work (到ORG, 在ORG), then a verb of office and the posts.
    fn posts_after_name(&self, end: usize, s: &Sentence) -> Vec<Post> {
        const ADVERBS: &[&str] = &[
            "此前", "曾经", "后来", "目前", "如今", "现在", "先后", "同时", "曾", "现", "还", "也",
        ];
        let starts = |at: usize, w: &str| {
            at + w.chars().count() <= s.span.end
                && self.chars[at..at + w.chars().count()]
                    .iter()
                    .copied()
                    .eq(w.chars())
        };
        let mut at = end;
        for _ in 0..2 {
            if let Some(a) = ADVERBS.iter().find(|a| starts(at, a)) {
                at += a.chars().count();
            }
        }
        let venue = if ["到", "在"].iter().any(|w| starts(at, w)) {
            self.found_near(CharSpan::new(at + 1, at + 1))
                .iter()
                .find(|f| f.span.start == at + 1 && f.kind.is_organization() && !f.nested)
        } else {
            None
        };
        if let Some(v) = venue {
            at = v.span.end;
        }
        // 彭俊来到喀什，担任…: a move, then the post in the next clause.
        if venue.is_none()
            && ["来到", "到", "赴", "前往", "进驻"]
                .iter()
                .any(|w| starts(at, w))
            && let Some(comma) = (at..s.span.end.min(at + 12)).find(|&k| self.chars[k] == '，')
            && OFFICE_VERBS.iter().any(|v| starts(comma + 1, v))
        {
            at = comma + 1;
        }
        let Some(verb) = OFFICE_VERBS.iter().find(|v| starts(at, v)) else {
            return Vec::new();
        };
        at += verb.chars().count();
        match venue {
            // 到ORG任副主任: the bare title is a post of the place of work.
            Some(v) => patterns::title_at(&self.chars[..s.span.end], at)
                .map(|t| {
                    vec![(
                        v.id.clone(),
                        t.to_owned(),
                        CharSpan::new(v.span.start, at + t.chars().count()),
                    )]
                })
                .unwrap_or_default(),
            None => self.posts_at(at, s),
        }
    }

    /// The posts written from `at` on: ORG TITLE or AREA TITLE (治多县副县长),
    /// then more after 、, where a bare title is a post of the level it names
    /// (玛多县委副书记、副县长 → 玛多县) or of the organisation before it.
    fn posts_at(&self, mut at: usize, s: &Sentence) -> Vec<Post> {
        let mut posts: Vec<Post> = Vec::new();
        loop {
            let holder = self.found_near(CharSpan::new(at, at)).iter().find(|f| {
                f.span.start == at && !f.nested && (f.kind.is_organization() || f.kind.is_area())
            });
            let (org, title_at) = match holder {
                Some(h) => (Some(h), h.span.end),
                None if !posts.is_empty() => (None, at),
                None => break,
            };
            // A department may stand before the title (…医院麻醉科主任).
            let bounded = &self.chars[..s.span.end];
            let Some((title, end)) = patterns::title_at(bounded, title_at)
                .map(|t| (t.to_owned(), title_at + t.chars().count()))
                .or_else(|| {
                    (2..=6).find_map(|k| {
                        let d = title_at + k;
                        (d <= bounded.len()
                            && bounded[title_at..d].iter().all(|&c| is_cjk(c))
                            && bounded[d - 1] == '科')
                            .then(|| patterns::title_at(bounded, d))
                            .flatten()
                            .map(|t| {
                                let end = d + t.chars().count();
                                (bounded[title_at..end].iter().collect::<String>(), end)
                            })
                    })
                })
            else {
                break;
            };
            let title = title.as_str();
            let level = leader_level(title);
            let holder_id = match (org, level) {
                (Some(h), _) if h.kind.is_organization() => Some(h.id.clone()),
                (Some(h), Some(level)) => self.leader_org(Some(&h.id), level, s, h.span.start),
                (Some(_), None) => None,
                (None, Some(level)) => {
                    let before = posts.last().map(|p| p.0.clone());
                    self.leader_org(before.as_ref(), level, s, at)
                }
                (None, None) => posts.last().map(|p| p.0.clone()),
            };
            let Some(holder_id) = holder_id else {
                break;
            };
            posts.push((
                holder_id,
                title.to_owned(),
                CharSpan::new(org.map_or(at, |h| h.span.start), end),
            ));
            if self.chars.get(end) != Some(&'、') {
                break;
            }
            at = end + 1;
        }
        posts
    }

    fn leader_org(
        &self,
        chain_org: Option<&EntityId>,
        level: char,
        s: &Sentence,
        titles_start: usize,
    ) -> Option<EntityId> {
        let of_level = |area: &EntityId| self.is_of_level(area, level);
        let area_of = |org: &EntityId| -> Option<EntityId> {
            match org {
                EntityId::Area(_) => Some(org.clone()).filter(|a| of_level(a)),
                _ => self
                    .entities
                    .get(org)
                    .and_then(|e| e.located_in.clone())
                    .filter(|a| of_level(a)),
            }
        };
        // The area: of the chain's organisation, else one written right
        // before the titles, else the last of that level in the sentence.
        // (州长X with no place in the sentence: the article's most named
        // area of that level, 我州's prefecture.)
        let area = chain_org
            .and_then(area_of)
            .or_else(|| {
                self.found_within(s.span)
                    .iter()
                    .filter(|f| {
                        s.span.contains(f.span) && f.span.end <= titles_start && f.kind.is_area()
                    })
                    .map(|f| f.id.clone())
                    .rfind(|a| of_level(a))
            })
            .or_else(|| self.most_named_area_of_level(level))?;
        // In the paragraph, the first government of the area named; in the
        // article, the area's own government first named.
        let paragraph = self.paragraphs.get(s.paragraph).copied().unwrap_or(s.span);
        let government = self
            .government_named_in(&area, paragraph)
            .or_else(|| self.own_government(&area));
        Some(government.unwrap_or(area))
    }

    /// Whether `area` is an area of the level a title names (县 for 县长,
    /// 州 for 州长, which a prefecture is whatever its name ends with).
    fn is_of_level(&self, area: &EntityId, level: char) -> bool {
        self.ex.gazetteer.entry_of(area).is_some_and(|g| {
            g.kind.is_area()
                && (g.canonical.ends_with(level)
                    || (level == '州' && g.kind == EntityKind::Prefecture))
        })
    }

    /// The article's most named area of a level, if one is named more
    /// often than the others; worked out once per level, from the tally.
    fn most_named_area_of_level(&self, level: char) -> Option<EntityId> {
        self.examine(1);
        if let Some(known) = self.answers.most_named_of_level.borrow().get(&level) {
            return known.clone();
        }
        let mut counts: BTreeMap<&EntityId, usize> = BTreeMap::new();
        for (id, _, t) in self
            .tallied()
            .filter(|(id, kind, _)| kind.is_area() && self.is_of_level(id, level))
        {
            *counts.entry(id).or_default() += t.count;
        }
        let answer = counts.values().copied().max().and_then(|top| {
            let mut tops = counts.into_iter().filter(|(_, n)| *n == top);
            let first = tops.next()?.0.clone();
            tops.next().is_none().then_some(first)
        });
        self.answers
            .most_named_of_level
            .borrow_mut()
            .insert(level, answer.clone());
        answer
    }

    /// The first government of `area` named inside `scope`.
    fn government_named_in(&self, area: &EntityId, scope: CharSpan) -> Option<EntityId> {
        let named = self.answers.governments.get(area)?;
        let from = named.partition_point(|(span, _)| span.start < scope.start);
        let mut within = named[from..]
            .iter()
            .take_while(|(span, _)| span.start < scope.end);
        self.examine(1);
        within
            .find(|(span, _)| scope.contains(*span))
            .map(|(_, id)| id.clone())
    }

    /// The area's own government (州政府, 玉树州人民政府, not a township's
    /// within it such as 丰台区花乡人民政府) first named in the article.
    fn own_government(&self, area: &EntityId) -> Option<EntityId> {
        self.examine(1);
        self.answers.own_government.get(area).cloned()
    }

    /// Whether the text from the clause start before `end` up to `end` is
    /// only posts: [ORG] TITLE, joined by 、, after an optional 时任 or 原.
    fn only_posts(&self, lo: usize, end: usize) -> bool {
        let mut k = end;
        let mut any = false;
        while k > lo {
            let Some(title) = patterns::title_ending_at(&self.chars, k) else {
                break;
            };
            k = self.title_qualifier_start(k - title.chars().count(), lo);
            any = true;
            if let Some(org) = self.org_ending_at(k)
                && let Some(f) = self.named_ending_at(&org, k)
            {
                k = f.span.start;
            }
            if k > lo && self.chars[k - 1] == '、' {
                k -= 1;
            } else {
                break;
            }
        }
        for lead in ["时任", "曾任", "原"] {
            let n = lead.chars().count();
            if k >= lo + n && self.chars[k - n..k].iter().copied().eq(lead.chars()) {
                k -= n;
                break;
            }
        }
        any && (k == lo || matches!(self.chars[k - 1], '，' | '。' | '；' | '：' | '“'))
    }

    /// Where the title starting at `ts` really starts: with its department
    /// (风湿免疫科 of 风湿免疫科专家, written after the hospital) or, for a
    /// descriptor of age or sex, its people (藏族 of 藏族少年). Never before
    /// `lo`.
    pub(super) fn title_qualifier_start(&self, ts: usize, lo: usize) -> usize {
        const DESCRIPTORS: &[&str] = &["少年", "姑娘", "小伙", "老人", "女孩", "男孩"];
        if ts > lo && self.chars[ts - 1] == '科' {
            for k in 2..=6 {
                if ts < lo + k || !is_cjk(self.chars[ts - k]) {
                    break;
                }
                if self.org_ending_at(ts - k).is_some() {
                    return ts - k;
                }
            }
        }
        let title_here = |t: &str| {
            self.chars[ts..]
                .iter()
                .take(t.chars().count())
                .copied()
                .eq(t.chars())
        };
        if DESCRIPTORS.iter().any(|t| title_here(t)) && ts >= lo + 2 && self.chars[ts - 1] == '族'
        {
            // 藏族, 蒙古族, 维吾尔族: one to three characters and 族.
            for k in (2..=6).rev() {
                if ts >= lo + k
                    && self.chars[ts - k..ts - 1].iter().all(|&c| is_cjk(c))
                    && crate::recognize::names::lists().is_people(&self.chars[ts - k..ts - 1])
                {
                    return ts - k;
                }
            }
        }
        ts
    }

    pub(super) fn only_org_for_title(&self, title: &str) -> Option<EntityId> {
        const IMPLIED: &[(&str, &str)] = &[
            ("指挥", "指挥部"),
            ("院长", "医院"),
            ("校长", "学校"),
            ("局长", "局"),
        ];
        let (_, head) = IMPLIED
            .iter()
            .find(|(t, _)| title.ends_with(t) || title.ends_with(&format!("{t}长")))?;
        self.examine(1);
        if let Some(known) = self.answers.only_org_with_head.borrow().get(head) {
            return known.clone();
        }
        let mut orgs = self.entities.values().filter(|e| {
            e.kind.is_organization()
                && (e.label.ends_with(head) || e.alt_labels.iter().any(|a| a.ends_with(head)))
        });
        let answer = orgs
            .next()
            .filter(|_| orgs.next().is_none())
            .map(|e| e.id.clone());
        self.answers
            .only_org_with_head
            .borrow_mut()
            .insert(head, answer.clone());
        answer
    }

    /// The organisation named right before `pos` (or a bare head word there
    /// that refers back to the last organisation of that kind: 医院党委书记).
    pub(super) fn org_ending_at(&self, pos: usize) -> Option<EntityId> {
        if let Some(f) = self
            .found_near(CharSpan::new(pos, pos))
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

    pub(super) fn extend_to_speech(&self, span: CharSpan, limit: CharSpan) -> CharSpan {
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
    pub(super) fn attribute_speakers(&self, sentences: &mut [Sentence]) {
        for pi in 0..self.paragraphs.len() {
            let p = self.paragraphs[pi];
            let speaker = self
                .out
                .positions
                .iter()
                .filter(|pos| p.contains(pos.evidence.span()))
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
    pub(super) fn quoted_at(&self, pos: usize) -> bool {
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
}

/// The level a leader's title names: 县 for 县长, 副县长, 代县长, 常务副县长.
/// A post read from the text: the organisation (or area), the title, and
/// the span that states it.
type Post = (EntityId, String, CharSpan);

/// Verbs that state a sentence subject's posts (李建国原是…副院长).
const SUBJECT_VERBS: &[&str] = &["原是", "曾是", "担任", "挂职", "现任", "兼任", "是"];

/// Verbs of office right after a name (王启洋任…, 钱志云担任过…).
const OFFICE_VERBS: &[&str] = &[
    "担任过",
    "担任",
    "曾任",
    "出任",
    "现任",
    "兼任",
    "挂职",
    "任",
];

fn leader_level(title: &str) -> Option<char> {
    let head = title.strip_suffix('长')?;
    let level = head.chars().last()?;
    let rest = &head[..head.len() - level.len_utf8()];
    ("市县区州旗盟乡镇".contains(level) && ["", "副", "代", "常务副"].contains(&rest))
        .then_some(level)
}
