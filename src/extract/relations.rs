//! Relations and events: pairings, location, participation in programmes
//! and events, support between the two sides; event dates.

use std::collections::{BTreeSet, HashMap};

use crate::facts::{EntityId, EntityKind, EventFact, Position, Predicate, Relation};
use crate::source::span::CharSpan;
use crate::value::DateValue;

use super::{Found, MAX_NAME, Run, Sentence, Side, SpanIndex};

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

/// Nouns a support cue describes when it stands before them (对口支援项目).
const ADJECTIVAL_HEADS: &[&str] = &[
    "学校",
    "医院",
    "单位",
    "企业",
    "项目",
    "资金",
    "工作",
    "干部",
    "人才",
    "任务",
    "关系",
    "安排",
    "力度",
    "政策",
    "机制",
    "协议",
    "医疗队",
    "队",
    "团",
    "组",
    "专家",
    "医生",
    "教师",
    "基金",
    "情况",
    "形式",
    "模式",
    "的成效",
];

/// Words that state a counterpart pairing.
const PAIRING_CUES: &[&str] = &[
    "对口支援",
    "结对",
    "结成",
    "对口帮扶",
    "对口协作",
    "分别由",
    "携手奔小康",
];

/// Words that say someone works at a place for a time (轮岗, 坐诊, 出任).
const STAFF_CUES: &[&str] = &[
    "坐诊", "轮岗", "出任", "挂职", "任职", "执教", "支教", "带教",
];

/// Words that say an organisation sent a person (北京儿童医院派出的毛华伟).
const SENT_CUES: &[&str] = &["派出的", "选派的", "派驻的"];

/// Words that make every party of a sentence a participant.
const PARTICIPATION_CUES: &[&str] = &["合作", "参与", "参加", "共同", "携手", "配合"];

impl Run<'_> {
    /// `part` partOf `whole`, read at `span`.
    fn part_of(&self, part: &EntityId, whole: &EntityId, span: CharSpan) -> Relation {
        Relation::new(
            part.clone(),
            Predicate::PartOf,
            whole.clone(),
            self.evidence(span),
        )
    }

    /// Whether a found area can stand on the supporting end of a pairing.
    fn pairs_as_supporter(&self, f: &Found) -> bool {
        f.kind == EntityKind::District
            || (matches!(f.kind, EntityKind::Prefecture) && self.side(&f.id) == Side::Supporting)
    }

    /// The pairings a sentence with a pairing cue states.
    fn pairings_in(
        &self,
        s: &Sentence,
        parties: &[&Found],
        text: &str,
    ) -> Vec<(EntityId, EntityId)> {
        let mut seen = BTreeSet::new();
        let supporters: Vec<&Found> = parties
            .iter()
            .copied()
            .filter(|f| self.pairs_as_supporter(f) && seen.insert(f.id.clone()))
            .collect();
        let counties: Vec<&Found> = parties
            .iter()
            .copied()
            .filter(|f| f.kind == EntityKind::County && seen.insert(f.id.clone()))
            .collect();
        if supporters.is_empty() || counties.is_empty() {
            return Vec::new();
        }
        // 分别 zips two lists of one length; otherwise each clause may pair
        // (…分别结对：河西区结对崆峒区、庄浪县，武清区结对泾川县…).
        if supporters.len() > 1 && supporters.len() == counties.len() && text.contains("分别") {
            return supporters
                .iter()
                .zip(&counties)
                .map(|(d, c)| (d.id.clone(), c.id.clone()))
                .collect();
        }
        if supporters.len() > 1 || counties.len() > 1 {
            // One pair per clause (称多由石景山区帮扶，囊谦县是西城区的对口县，…);
            // in such a sentence 帮扶 and 对口 say pairing too.
            let mut out = Vec::new();
            for cl in &s.clauses {
                let inside = |f: &&&Found| cl.contains(f.span);
                let ds: Vec<&&Found> = supporters.iter().filter(inside).collect();
                let cs: Vec<&&Found> = counties.iter().filter(inside).collect();
                let t = self.text(*cl);
                let cue = PAIRING_CUES.iter().any(|w| t.contains(w))
                    || t.contains("对口")
                    || (t.contains('由') && t.contains("帮扶"));
                if let ([d], [c]) = (&ds[..], &cs[..])
                    && cue
                {
                    out.push((d.id.clone(), c.id.clone()));
                } else if let ([d], [c, ..]) = (&ds[..], &cs[..])
                    && cue
                {
                    // One unit and one list of counties (河西区结对崆峒区、庄浪县;
                    // 东丽区与皋兰县、甘谷县和临潭县三县结对): each county is its
                    // partner. The cue stands between them or after the list.
                    let areas: Vec<&Found> = parties
                        .iter()
                        .copied()
                        .filter(|f| f.kind.is_area() && cl.contains(f.span))
                        .collect();
                    let first = areas
                        .iter()
                        .copied()
                        .find(|f| f.span.start > d.span.end)
                        .filter(|f| f.span.start <= c.span.start);
                    if let Some(first) = first {
                        let (listed, end) = self.listed_from(first, &areas);
                        let cue_at = |a: usize, b: usize| {
                            let t = self.text(CharSpan::new(a, b));
                            PAIRING_CUES.iter().any(|w| t.contains(w)) || t.contains("对口")
                        };
                        let joined = cue_at(d.span.end, first.span.start)
                            || cue_at(end, (end + 6).min(cl.end));
                        if joined && cs.iter().all(|c| listed.contains(&c.id)) {
                            out.extend(cs.iter().map(|c| (d.id.clone(), c.id.clone())));
                        }
                    }
                }
            }
            return out;
        }
        let (d, c) = (supporters[0], counties[0]);
        let (first, second) = if d.span.start < c.span.start {
            (d.span, c.span)
        } else {
            (c.span, d.span)
        };
        let between = self.text(CharSpan::new(first.end, second.start));
        // The two must share a clause, or the cue must join them across a
        // comma (杂多县由北京市怀柔区对口支援).
        let cue_between = PAIRING_CUES.iter().any(|w| between.contains(w))
            || ["与", "和", "由", "同"]
                .iter()
                .any(|w| between.starts_with(w))
            || (between.chars().count() <= 8 && between.contains('与'));
        let same_clause = s
            .clauses
            .iter()
            .any(|cl| cl.contains(d.span) && cl.contains(c.span));
        let cue_after = {
            let after = self.text(CharSpan::new(second.end, s.span.end));
            PAIRING_CUES.iter().any(|w| after.starts_with(w))
                || after.starts_with("结成")
                || after.starts_with("对口")
        };
        if (cue_between && (same_clause || between.chars().count() <= 12))
            || (same_clause && cue_after)
        {
            vec![(d.id.clone(), c.id.clone())]
        } else {
            Vec::new()
        }
    }

    /// The clauses of a relation's sentence from the one that names one end
    /// to the one that names the other (the nearest two mentions), without
    /// the closing punctuation: what the relation cites instead of the whole
    /// sentence. `None` where the evidence is not a whole sentence or an end
    /// is not named in it.
    ///
    /// `named` keeps, per sentence, where it names each entity: read once
    /// per sentence, not once per relation (a sentence may state hundreds).
    fn clauses_stating(
        &self,
        r: &Relation,
        sentences: &[Sentence],
        named: &mut HashMap<CharSpan, HashMap<EntityId, Vec<CharSpan>>>,
    ) -> Option<CharSpan> {
        let s = self
            .sentence_at(sentences, r.evidence.span())
            .filter(|s| s.span == r.evidence.span())?;
        let names = named.entry(s.span).or_insert_with(|| {
            let mut names: HashMap<EntityId, Vec<CharSpan>> = HashMap::new();
            for f in self
                .found_within(s.span)
                .iter()
                .filter(|f| s.span.contains(f.span))
            {
                names.entry(f.id.clone()).or_default().push(f.span);
            }
            names
        });
        let at = |id: &EntityId| names.get(id).cloned().unwrap_or_default();
        let (subjects, objects) = (at(&r.subject), at(&r.object));
        let (a, b) = subjects
            .iter()
            .flat_map(|x| objects.iter().map(move |y| (*x, *y)))
            .min_by_key(|(x, y)| x.start.abs_diff(y.start))?;
        let (from, to) = (a.start.min(b.start), a.end.max(b.end));
        let first = s.clauses.iter().find(|c| c.start <= from && from < c.end)?;
        let last = s.clauses.iter().find(|c| c.start < to && to <= c.end)?;
        let mut end = last.end;
        while end > first.start
            && matches!(
                self.chars[end - 1],
                '，' | ',' | '。' | '；' | '：' | ':' | '！' | '？' | '、'
            )
        {
            end -= 1;
        }
        (end > first.start).then(|| CharSpan::new(first.start, end))
    }

    /// Whether a place says where (在拉萨, 位于囊谦县的…), not who.
    fn is_locative(&self, f: &Found) -> bool {
        f.kind.is_area()
            && ((f.span.start >= 1 && self.chars[f.span.start - 1] == '在')
                || (f.span.start >= 2
                    && self.chars[f.span.start - 2..f.span.start] == ['位', '于']))
    }

    /// Whether a place is written right before a lower place within it
    /// (山东省 of 山东省滨州市, 海北州 of 海北州祁连县): the lower one is meant.
    fn higher_in_chain(&self, f: &Found) -> bool {
        // A level's character may stand between (西藏拉萨 + 市 + 城关区).
        let next = |g: &Found| {
            g.span.start == f.span.end
                || (g.span.start == f.span.end + 1
                    && self
                        .chars
                        .get(f.span.end)
                        .is_some_and(|c| "省市州县区".contains(*c)))
        };
        f.kind.is_area()
            && self
                .found_near(CharSpan::new(f.span.end, f.span.end + 1))
                .iter()
                .any(|g| {
                    (next(g)
                    && g.kind.is_area()
                    && !g.nested
                    && self.ex.reference.area_within(g.id.key(), f.id.key()))
                    // A place written onto an organisation's name (北京 +
                    // 首都师范大学附属中学) says where it is from: the
                    // organisation is meant.
                    || (g.span.start == f.span.end && matches!(g.id, EntityId::Org(_)))
                })
    }

    /// Whether a place only says where people come from (来自北京的专家):
    /// the people act, not the place.
    fn is_origin(&self, f: &Found) -> bool {
        f.kind.is_area()
            && f.span.start >= 2
            && self.chars[f.span.start - 2..f.span.start] == ['来', '自']
            && self.chars.get(f.span.end) == Some(&'的')
    }

    /// Whether an organisation's mention only introduces a person: a title
    /// and a name follow it (上海市援青干部联络组组长倪斌).
    fn names_a_person(&self, f: &Found) -> bool {
        // 据X介绍: the source of what follows, not a party to it.
        if matches!(f.id, EntityId::Org(_))
            && ["介绍", "表示", "透露", "获悉"]
                .iter()
                .any(|w| self.chars[f.span.end..].starts_with(&w.chars().collect::<Vec<_>>()))
        {
            return true;
        }
        let mut at = f.span.end;
        // Titles joined by 、 (常委、副州长、…组长倪斌).
        while let Some(t) = crate::recognize::patterns::title_at(&self.chars, at) {
            at += t.chars().count();
            if self
                .found_within(CharSpan::new(at, at + 1))
                .iter()
                .any(|p| p.kind == EntityKind::Person && p.span.start == at)
            {
                return matches!(f.id, EntityId::Org(_));
            }
            if self.chars.get(at) != Some(&'、') {
                break;
            }
            at += 1;
        }
        false
    }

    /// The (sender, host) pairs of a sentence that sends staff: the host is
    /// an assisted organisation written after 在, 到 or a cue (在州人民医院
    /// 轮岗, 出任州人民医院院长); a sender is a supporting organisation that
    /// employs a person of the sentence or that the text says sent one.
    fn staff_sent(
        &self,
        s: &Sentence,
        text: &str,
        found: &[Found],
        positions: &[&Position],
    ) -> Vec<(EntityId, EntityId)> {
        let people: Vec<&Found> = found
            .iter()
            .filter(|f| f.kind == EntityKind::Person)
            .collect();
        let sent_cue = SENT_CUES.iter().any(|w| text.contains(w));
        if people.is_empty() && !sent_cue {
            return Vec::new();
        }
        let before = |f: &Found, w: &str| {
            let n = w.chars().count();
            f.span.start >= n
                && self.chars[f.span.start - n..f.span.start]
                    .iter()
                    .copied()
                    .eq(w.chars())
        };
        let hosts: Vec<&Found> = found
            .iter()
            .filter(|f| {
                matches!(f.id, EntityId::Org(_))
                    && self.side(&f.id) == Side::Assisted
                    && ["在", "到", "出任", "担任"].iter().any(|w| before(f, w))
            })
            .collect();
        let mut out = Vec::new();
        for sender in found
            .iter()
            .filter(|f| matches!(f.id, EntityId::Org(_)) && self.side(&f.id) == Side::Supporting)
        {
            let employs = positions.iter().any(|p| {
                p.organization.as_ref() == Some(&sender.id)
                    && s.span.contains(p.evidence.span())
                    && people.iter().any(|f| f.id == p.person)
            });
            let sent = SENT_CUES.iter().any(|w| {
                self.chars[sender.span.end..s.span.end].starts_with(&w.chars().collect::<Vec<_>>())
            });
            if !(employs || sent) {
                continue;
            }
            for host in hosts.iter().filter(|h| h.span.start > sender.span.end) {
                out.push((sender.id.clone(), host.id.clone()));
            }
        }
        out
    }

    /// The places on both sides of 与 in a clause that signs (A有关部门与B
    /// 相关部门签订…; A与B签署…), each standing for its departments.
    fn places_signing(&self, s: &Sentence, found: &[Found]) -> Vec<EntityId> {
        const SIGN: &[&str] = &["签订", "签署", "签约", "签下"];
        const BODIES: &[&str] = &["有关部门", "相关部门", "各部门", "政府", "双方"];
        let mut out = Vec::new();
        for c in &s.clauses {
            let t = self.text(*c);
            if !SIGN.iter().any(|w| t.contains(w)) {
                continue;
            }
            let areas: Vec<&Found> = found
                .iter()
                .filter(|f| f.kind.is_area() && c.contains(f.span) && !self.is_locative(f))
                .collect();
            for pair in areas.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let mut at = a.span.end;
                if let Some(w) = BODIES.iter().find(|w| {
                    self.chars[at..c.end.min(at + w.chars().count())]
                        .iter()
                        .copied()
                        .eq(w.chars())
                }) {
                    at += w.chars().count();
                }
                let joined = self.chars.get(at) == Some(&'与') && at + 1 == b.span.start;
                let rest = self.text(CharSpan::new(b.span.end, c.end));
                let signs = SIGN
                    .iter()
                    .any(|w| rest.find(w).is_some_and(|k| rest[..k].chars().count() <= 6));
                if joined && signs {
                    out.push(a.id.clone());
                    out.push(b.id.clone());
                }
            }
        }
        out
    }

    /// A与B…座谈会: the two places beside 与, each the lowest of the places
    /// written one after another (北京市丰台区 → 丰台区).
    fn places_joined_in(&self, e: &Found) -> Vec<EntityId> {
        let inside: Vec<&Found> = self
            .found_within(e.span)
            .iter()
            .filter(|f| e.span.contains(f.span) && f.kind.is_area() && f.span != e.span)
            .collect();
        let mut out = Vec::new();
        for (k, f) in inside.iter().enumerate() {
            if self.chars.get(f.span.end) != Some(&'与') {
                continue;
            }
            out.push(f.id.clone());
            let mut right = inside.get(k + 1).filter(|g| g.span.start == f.span.end + 1);
            while let Some(r) = right {
                let next = inside.iter().find(|g| g.span.start == r.span.end);
                match next {
                    Some(n) => right = Some(n),
                    None => {
                        out.push(r.id.clone());
                        break;
                    }
                }
            }
        }
        out
    }

    /// Who takes part in event `e`, from the sentences after the one that
    /// names it in the same paragraph that refer back to it by its head
    /// word alone (座谈会上，签约双方是A和B；王力军在座谈会上…): their people and
    /// organisations.
    fn participants_later(
        &self,
        e: &Found,
        named_in: &Sentence,
        sentences: &[Sentence],
    ) -> Vec<Relation> {
        let name = self.text(e.span);
        let Some(head) = crate::recognize::patterns::event_head_of(&name) else {
            return Vec::new();
        };
        // 以第23届青洽会为例: an event cited as an example is not the scene
        // of what follows.
        let after: String = self.chars[e.span.end..named_in.span.end]
            .iter()
            .take(3)
            .collect();
        if after.starts_with("为例") {
            return Vec::new();
        }
        let mut out = Vec::new();
        // 座谈会上, 在推介会上: the meeting already named, however far back.
        let on = format!("{head}上");
        // A sentence cut at ； goes on with the same scene (推介会上，A说…；B说…).
        let mut scene_goes_on = false;
        let from = sentences.partition_point(|s| s.span.start < named_in.span.end);
        for s in &sentences[from..] {
            self.examine(1);
            let in_scene = std::mem::take(&mut scene_goes_on);
            let text = self.text(s.span);
            let found = self.found_in(s.span);
            // Another event of the same kind named here: the head word is its
            // own from here on. The same event named again: its later mention
            // reads on from there (so that each sentence is read once for it).
            if found.iter().any(|f| {
                f.kind == EntityKind::Event
                    && (f.id == e.id
                        || crate::recognize::patterns::event_head_of(&self.text(f.span))
                            == Some(head))
            }) {
                break;
            }
            let near = s.paragraph <= named_in.paragraph + 1;
            let other_event = found
                .iter()
                .any(|f| f.kind == EntityKind::Event && f.id != e.id);
            let here = text.contains(&on) || (in_scene && !other_event);
            scene_goes_on = here && text.ends_with('；');
            // 参展的企业, 组团参展: those who attend the fair or meeting just named.
            let attend = ["参展", "参会", "与会"].iter().find_map(|w| {
                text.find(w)
                    .map(|k| s.span.start + text[..k].chars().count())
            });
            let attends = near && !other_event && attend.is_some();
            if !(here || attends || (near && !other_event && text.contains(head))) {
                continue;
            }
            // A place takes part as the subject of the attending verb, in its clause.
            let attending_place = |f: &Found| {
                attends
                    && f.kind.is_area()
                    && attend.is_some_and(|at| {
                        f.span.end <= at
                            && s.clauses.iter().any(|c| c.contains(f.span) && c.end > at)
                    })
                    && !self.is_locative(f)
                    && !self.higher_in_chain(f)
            };
            for f in found.iter().filter(|f| {
                f.kind == EntityKind::Person
                    || (matches!(f.id, EntityId::Org(_)) && !self.names_a_person(f))
                    || attending_place(f)
            }) {
                out.push(Relation::new(
                    f.id.clone(),
                    Predicate::ParticipatesIn,
                    e.id.clone(),
                    self.evidence(s.span),
                ));
            }
        }
        out
    }

    /// The parties listed from `first` on (拉萨市城关区、尼木县、当雄县和堆龙德庆县):
    /// names joined by 、, 和, 及 or 与; of names written one after another
    /// (西藏拉萨市城关区), the last, the lowest place. Also where the list ends.
    fn listed_from(&self, first: &Found, parties: &[&Found]) -> (Vec<EntityId>, usize) {
        let mut out: Vec<EntityId> = Vec::new();
        let mut last = first;
        let mut current = first.id.clone();
        for f in parties.iter().filter(|f| f.span.start >= first.span.end) {
            let between = self.text(CharSpan::new(last.span.end, f.span.start));
            let adjacent = between.is_empty()
                || (between.chars().count() == 1 && "省市州县区".contains(between.as_str()));
            if adjacent && f.kind.is_area() && last.kind.is_area() {
                current = f.id.clone();
            } else if ["、", "和", "及", "与", "以及"].contains(&between.as_str())
                && f.kind.is_area() == last.kind.is_area()
            {
                out.push(std::mem::replace(&mut current, f.id.clone()));
            } else {
                break;
            }
            last = f;
        }
        out.push(current);
        (out, last.span.end)
    }

    pub(super) fn find_relations(&mut self, sentences: &[Sentence]) {
        let mut rels: Vec<Relation> = Vec::new();
        let mut last_funder: Option<EntityId> = None;
        let fundings = SpanIndex::new(&self.out.fundings, |f| f.evidence.span());
        let positions = SpanIndex::new(&self.out.positions, |p| p.evidence.span());
        for s in sentences {
            let funded = self.starting_in(&fundings, s.span);
            if let Some(f) = funded.iter().map(|&i| &self.out.fundings[i]).find(|f| {
                s.span.contains(f.evidence.span()) || f.evidence.span().start == s.span.start
            }) {
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

            // Pairings: supporting units (a district, or a city of the
            // supporting side) and assisted counties named with a pairing
            // cue. Lists are zipped in order only with 分别; a list without it
            // (来自黄浦、虹口…等区，对口支援玛沁、班玛…各县) says nothing of who
            // helps whom. One pair needs its cue between the two names.
            if PAIRING_CUES.iter().any(|w| text.contains(w)) {
                for (d, c) in self.pairings_in(s, &parties, &text) {
                    rels.push(Relation::new(d, Predicate::PairedWith, c, ev.clone()));
                }
            }

            // Containment the text states: X现辖A、B…, X下辖…, X地处Y.
            for cue in ["现辖", "下辖", "辖"] {
                let Some(k) = text.find(cue) else { continue };
                let at = s.span.start + text[..k].chars().count();
                let clause = s
                    .clauses
                    .iter()
                    .copied()
                    .find(|c| c.start <= at && at < c.end)
                    .unwrap_or(s.span);
                // The containing area: of the places named before the cue,
                // the most specific that the reference data says holds the
                // part, else the sentence's first place (its subject).
                let before: Vec<&&Found> = parties
                    .iter()
                    .filter(|f| f.kind.is_area() && f.span.end <= at)
                    .collect();
                let Some(subject) = before.first().copied() else {
                    break;
                };
                let reference = &self.ex.reference;
                // 下辖的一市五县：A…，B…: the list after the colon, as far
                // as the reference agrees that each lies within.
                let colon = [clause.end.saturating_sub(1), clause.end]
                    .iter()
                    .any(|&k| matches!(self.chars.get(k), Some('：' | ':')));
                let nearest = before.last().copied().unwrap_or(subject);
                for f in parties.iter().filter(|f| {
                    f.kind.is_area()
                        && f.span.start >= at
                        && (clause.contains(f.span)
                            || (colon
                                && f.span.start >= clause.end
                                && reference.area_within(f.id.key(), nearest.id.key())))
                        && f.id != subject.id
                }) {
                    let holders: Vec<&&&Found> = before
                        .iter()
                        .filter(|w| reference.area_within(f.id.key(), w.id.key()) && w.id != f.id)
                        .collect();
                    let whole = if f.span.start >= clause.end {
                        nearest
                    } else {
                        holders
                            .iter()
                            .find(|w| {
                                holders
                                    .iter()
                                    .all(|o| reference.area_within(w.id.key(), o.id.key()))
                            })
                            .map_or(subject, |w| **w)
                    };
                    // The reference knows both and disagrees: a misreading
                    // (平凉市下辖的5个县由天津3个区…: 天津 is no part of it).
                    if reference.denies_within(f.id.key(), whole.id.key()) {
                        continue;
                    }
                    rels.push(self.part_of(
                        &f.id,
                        &whole.id,
                        CharSpan::new(whole.span.start, clause.end),
                    ));
                }
                break;
            }
            if let Some(k) = text.find("地处") {
                let at = s.span.start + text[..k].chars().count();
                if let (Some(part), Some(whole)) = (
                    parties
                        .iter()
                        .rfind(|f| f.kind.is_area() && f.span.end <= at),
                    parties
                        .iter()
                        .find(|f| f.kind.is_area() && f.span.start == at + 2),
                ) && self.ex.reference.area_within(part.id.key(), whole.id.key())
                {
                    rels.push(self.part_of(
                        &part.id,
                        &whole.id,
                        CharSpan::new(part.span.start, whole.span.end),
                    ));
                }
            }

            // A capital: X首府Y, X的首府Y (海西州首府德令哈市).
            if let Some(k) = text.find("首府") {
                let at = s.span.start + text[..k].chars().count();
                let whole = parties.iter().rfind(|f| {
                    f.kind.is_area()
                        && (f.span.end == at
                            || (f.span.end + 1 == at && self.chars[f.span.end] == '的'))
                });
                let part = parties
                    .iter()
                    .find(|f| f.kind.is_area() && f.span.start == at + 2);
                if let (Some(whole), Some(part)) = (whole, part)
                    && !self
                        .ex
                        .reference
                        .denies_within(part.id.key(), whole.id.key())
                {
                    rels.push(self.part_of(
                        &part.id,
                        &whole.id,
                        CharSpan::new(whole.span.start, part.span.end),
                    ));
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
                    rels.push(Relation::new(
                        org.id.clone(),
                        Predicate::LocatedIn,
                        area.id.clone(),
                        ev.clone(),
                    ));
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
                    // A place holds an event (玉树同期举办了…): it is the
                    // subject of the verb, with no other party between.
                    for f in found.iter().filter(|f| {
                        clause.contains(f.span) && f.span.end <= e.span.start && f.kind.is_area()
                    }) {
                        let between = self.text(CharSpan::new(f.span.end, e.span.start));
                        let holds = ["举办", "召开", "举行", "承办"]
                            .iter()
                            .any(|w| between.contains(w));
                        let alone = !found
                            .iter()
                            .any(|g| g.span.start >= f.span.end && g.span.end <= e.span.start);
                        let venue = !f.kind.is_area()
                            && f.span.start > 0
                            && self.chars[f.span.start - 1] == '在';
                        if holds && alone && !venue && between.chars().count() <= 12 {
                            who.push(f.id.clone());
                        }
                    }
                    // A与B…座谈会: the two places whose meeting it is.
                    who.extend(self.places_joined_in(e));
                    // 宁波市有关部门与天峻县相关部门签订…协议: the two places
                    // that sign at the event take part in it.
                    who.extend(self.places_signing(s, &found));
                    // 带队赴…太仆寺旗，出席…: the place visited, and the place of the
                    // party committee whose leader led the visit, take part.
                    if ["带队", "率团", "率队", "带领", "率"]
                        .iter()
                        .any(|w| text.contains(w))
                    {
                        for k in ["赴", "到", "来到"] {
                            if let Some(at) = text.find(k) {
                                let at =
                                    s.span.start + text[..at].chars().count() + k.chars().count();
                                if let Some(first) = found.iter().find(|f| {
                                    f.kind.is_area() && f.span.start >= at && f.span.start <= at + 4
                                }) {
                                    let mut last = first;
                                    while let Some(next) = found
                                        .iter()
                                        .find(|g| g.kind.is_area() && g.span.start == last.span.end)
                                    {
                                        last = next;
                                    }
                                    who.push(last.id.clone());
                                }
                                break;
                            }
                        }
                        // The leader's party committee (昌平区委副书记、区长X带队):
                        // its place goes, not the committee.
                        for f in found
                            .iter()
                            .filter(|f| matches!(f.id, EntityId::Org(_)) && self.names_a_person(f))
                        {
                            if let Some(x) = self.entities.get(&f.id)
                                && x.label.ends_with('委')
                                && let Some(area) = x.located_in.clone()
                            {
                                who.retain(|w| w != &f.id);
                                who.push(area);
                            }
                        }
                    }
                    // An organisation that only introduces a person (ORG副书记X)
                    // or that someone acts for (代表X) is not a participant itself.
                    // Someone acts for an organisation (代表X): it is not there itself.
                    who.retain(|id| {
                        !found.iter().any(|f| {
                            &f.id == id
                                && f.span.start >= 2
                                && self.chars[f.span.start - 2..f.span.start] == ['代', '表']
                        })
                    });
                    if let Some(k) = text.find("两地") {
                        let at = s.span.start + text[..k].chars().count();
                        let mut places: Vec<EntityId> = Vec::new();
                        for f in self.found_within(s.span).iter().filter(|f| {
                            s.span.contains(f.span) && f.span.end <= at && f.kind.is_area()
                        }) {
                            places.retain(|p| p != &f.id);
                            places.push(f.id.clone());
                        }
                        let n = places.len();
                        who.extend(places.into_iter().skip(n.saturating_sub(2)));
                    }
                    for p in who {
                        rels.push(Relation::new(
                            p,
                            Predicate::ParticipatesIn,
                            e.id.clone(),
                            ev.clone(),
                        ));
                    }
                    rels.extend(self.participants_later(e, s, sentences));
                }
                // A sentence about an event goes on to the programme and
                // support rules only where it lists projects of a supporter
                // (…期间，察看北京援建项目：…).
                if !SUPPORT_CUES
                    .iter()
                    .any(|c| text.contains(&format!("{c}项目：")))
                {
                    continue;
                }
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
                    let opening = self.text(s.clauses[ci]);
                    let last = if ["在", "借助", "依托", "通过"]
                        .iter()
                        .any(|w| opening.starts_with(w))
                    {
                        (ci + 1).min(s.clauses.len() - 1)
                    } else {
                        ci
                    };
                    let near =
                        CharSpan::new(s.clauses[ci.saturating_sub(1)].start, s.clauses[last].end);
                    // Not a place that says where (在北京援青成果展区，…品牌亮相),
                    // and nothing in a clause of what is yet to come (下一步北京会…).
                    let future = ["下一步", "今后", "未来"].iter().any(|w| {
                        s.clauses
                            .iter()
                            .find(|c| c.overlaps(p.span))
                            .is_some_and(|c| self.text(*c).contains(w))
                    });
                    let supporter = parties.iter().rfind(|f| {
                        f.span.end <= p.span.start
                            && self.side(&f.id) == Side::Supporting
                            && !self.is_locative(f)
                            && !future
                    });
                    // 在X的支持下: a party whose own clause says it supports (the
                    // programme's own name, “组团式”帮扶, says nothing).
                    let says_support =
                        |f: &Found| {
                            s.clauses
                                .iter()
                                .find(|c| c.contains(f.span))
                                .is_some_and(|c| {
                                    let mut t = self.text(CharSpan::new(
                                        c.start,
                                        p.span.start.clamp(c.start, c.end),
                                    ));
                                    t.push_str(&self.text(CharSpan::new(
                                        p.span.end.clamp(c.start, c.end),
                                        c.end,
                                    )));
                                    ["支持", "帮扶", "帮助", "援建"]
                                        .iter()
                                        .any(|w| t.contains(w))
                                })
                        };
                    // Money the sentence gives the programme says who supports it.
                    let funded_programme =
                        funded.iter().map(|&i| &self.out.fundings[i]).any(|fu| {
                            s.span.contains(fu.evidence.span())
                                && fu.recipient.as_ref() == Some(&p.id)
                        });
                    // Places of both sides with a joint verb (城关区与通州区签署
                    // 携手奔小康行动协议; A…B…就京蒙东西部协作进行对接) take part.
                    let near_text = self.text(near);
                    let both_sides = parties.iter().any(|f| {
                        near.contains(f.span)
                            && self.side(&f.id) == Side::Supporting
                            && f.kind.is_area()
                    }) && parties.iter().any(|f| {
                        near.contains(f.span)
                            && self.side(&f.id) == Side::Assisted
                            && f.kind.is_area()
                    });
                    let places_join = both_sides
                        && ["与", "签署", "对接", "协作", "结对"]
                            .iter()
                            .any(|w| near_text.contains(w));
                    let mut any = false;
                    for f in &parties {
                        let side = self.side(&f.id);
                        let is_supporter = supporter.is_some_and(|x| x.id == f.id);
                        let says = side == Side::Supporting
                            && f.span.end <= p.span.start
                            && !future
                            && says_support(f);
                        // X的“组团式”帮扶, 密云区医疗“组团式”帮扶: X's own programme.
                        let gap =
                            self.text(CharSpan::new(f.span.end.min(p.span.start), p.span.start));
                        // X拟定的“行动方案”: a verb before 的 makes X its
                        // agent, which the text does not call taking part.
                        let attributive = f.span.end <= p.span.start
                            && gap.chars().count() <= 4
                            && !(gap.ends_with('的') && gap.chars().count() > 1)
                            && gap.chars().all(crate::source::article::is_cjk)
                            && !SUPPORT_CUES.iter().any(|c| gap.contains(c));
                        // 在X了解…“组团式”帮扶: where the programme runs takes part in it.
                        let venue = !f.kind.is_area()
                            && f.span.start > 0
                            && self.chars[f.span.start - 1] == '在';
                        let pred = if (attributive || venue) && !says && f.span.end <= p.span.start
                        {
                            Predicate::ParticipatesIn
                        } else if funded_programme {
                            continue;
                        } else if says || (is_supporter && !joint && !places_join) {
                            Predicate::Supports
                        } else if near.contains(f.span)
                            && (!f.kind.is_area() || places_join)
                            && !self.higher_in_chain(f)
                            && (joint || places_join || side != Side::Supporting)
                        {
                            Predicate::ParticipatesIn
                        } else {
                            continue;
                        };
                        if pred == Predicate::Supports {
                            program_supporters.insert(f.id.clone());
                        }
                        any = true;
                        rels.push(Relation::new(f.id.clone(), pred, p.id.clone(), ev.clone()));
                    }
                    // Money allocated in the same sentence names who runs the programme.
                    let funded_here = self
                        .out
                        .fundings
                        .iter()
                        .any(|fu| s.span.contains(fu.evidence.span()));
                    // …the funder of that money, when the sentence names it.
                    // or, inherited, when no organisation of the sentence could be it.
                    // (在教育帮扶上，安排资金…: the amount's clause opens with the
                    // verb; 中国五矿就在祁连投资…: someone else acts).
                    let opens_with_verb = self
                        .out
                        .fundings
                        .iter()
                        .filter(|fu| s.span.contains(fu.evidence.span()))
                        .filter_map(|fu| {
                            s.clauses
                                .iter()
                                .rfind(|c| c.start < fu.evidence.span().end)
                                .map(|c| self.text(*c))
                        })
                        .any(|t| {
                            [
                                "安排", "投入", "拨付", "拿出", "落实", "筹集", "累计", "共",
                                "其中",
                            ]
                            .iter()
                            .any(|v| t.starts_with(v))
                        });
                    let named_funder = last_funder.as_ref().filter(|f| {
                        found.iter().any(|x| &x.id == *f)
                            || (opens_with_verb
                                && !found.iter().any(|x| matches!(x.id, EntityId::Org(_))))
                    });
                    if !any
                        && funded_here
                        && !funded_programme
                        && let Some(funder) = named_funder
                    {
                        rels.push(Relation::new(
                            funder.clone(),
                            Predicate::Supports,
                            p.id.clone(),
                            ev.clone(),
                        ));
                    }
                }
            }

            // Support between the two sides, around each cue: the parties of the
            // cue's clause first, the sentence's when the clause names none.
            let mut pairs: Vec<(EntityId, EntityId)> = Vec::new();
            // Each cue's occurrences, cue by cue, found in one pass (no cue
            // overlaps itself, so these are the matches `match_indices` gives).
            static CUES: std::sync::LazyLock<aho_corasick::AhoCorasick> =
                std::sync::LazyLock::new(|| {
                    aho_corasick::AhoCorasick::new(SUPPORT_CUES).expect("plain words always build")
                });
            let mut occurrences: Vec<(usize, usize)> = CUES
                .find_overlapping_iter(&text)
                .map(|m| (m.pattern().as_usize(), m.start()))
                .collect();
            occurrences.sort_unstable();
            for (cue, k) in occurrences {
                let cue = &SUPPORT_CUES[cue];
                let at = s.span.start + text[..k].chars().count();
                let cue_span = CharSpan::new(at, at + cue.chars().count());
                if found.iter().any(|f| f.span.overlaps(cue_span)) {
                    continue;
                }
                // 对口支援项目, 结对安排, 帮扶资金: the cue describes a noun, it
                // does not say who helps whom.
                let rest: String = self.chars[cue_span.end..s.span.end]
                    .iter()
                    .take(2)
                    .collect();
                // 察看北京援建项目：在…调研A项目，在…察看B项目: the projects
                // listed after the colon are the supporter's.
                if *cue == "援建"
                    && rest == "项目"
                    && matches!(self.chars.get(cue_span.end + 2), Some('：' | ':'))
                    && let Some(by) = parties.iter().find(|f| {
                        f.span.end == cue_span.start && self.side(&f.id) == Side::Supporting
                    })
                {
                    for p in programs.iter().filter(|p| p.span.start > cue_span.end + 2) {
                        pairs.push((by.id.clone(), p.id.clone()));
                    }
                    continue;
                }
                if ADJECTIVAL_HEADS.iter().any(|h| rest.starts_with(h)) {
                    continue;
                }
                let clause = s
                    .clauses
                    .iter()
                    .copied()
                    .find(|c| c.contains(cue_span))
                    .unwrap_or(s.span);
                let pick = |scope: CharSpan, side: Side, before_first: bool, org_only: bool| {
                    // 在X (在拉萨落地…, 在玉树市下拉秀镇): a place where, not a party.
                    let venue = |f: &Found| self.is_locative(f);
                    let fits = |f: &&&Found| {
                        scope.contains(f.span)
                            && self.side(&f.id) == side
                            && (!org_only || matches!(f.id, EntityId::Org(_)))
                            && !(side == Side::Assisted && venue(f))
                            && !self.higher_in_chain(f)
                            && !self.is_origin(f)
                            && !self.names_a_person(f)
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
                        !self.names_a_person(f)
                            && first.contains(f.span)
                            && f.span.end <= at
                            && self.side(&f.id) == Side::Supporting
                            && matches!(f.id, EntityId::Org(_))
                    })
                    .collect();
                let supporters: Vec<&Found> = if let Some(b) =
                    pick(clause, Side::Supporting, true, true).filter(|b| !self.names_a_person(b))
                {
                    vec![*b]
                } else if !subjects.is_empty() {
                    subjects
                } else {
                    // Outside the cue's clause, a party after it only when the
                    // clause names none (通过对口支援，玉树州与…): where it
                    // names whom (按照中央对口支援青海藏区的部署，浙江省…),
                    // the party after acts in a clause of its own.
                    let clause_names_party = parties.iter().any(|f| clause.contains(f.span));
                    pick(clause, Side::Supporting, true, false)
                        .or_else(|| {
                            pick(s.span, Side::Supporting, true, false)
                                .filter(|f| f.span.end <= at || !clause_names_party)
                        })
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
                                    && (matches!(f.id, EntityId::Org(_))
                                        || f.kind == EntityKind::Program)
                                    && self.side(&f.id) != Side::Supporting
                            })
                            .map(|f| f.id.clone())
                            .collect()
                    } else {
                        Vec::new()
                    };
                if assisted.is_empty() {
                    // The sentence's assisted party only where it names one.
                    let in_sentence = parties
                        .iter()
                        .filter(|f| self.side(&f.id) == Side::Assisted && !self.is_locative(f))
                        .map(|f| &f.id)
                        .collect::<BTreeSet<_>>()
                        .len();
                    // Else the sentence's only assisted party, in a clause
                    // beside the cue's (通过对口支援，玉树州与…建立了…).
                    let ci = s.clauses.iter().position(|c| *c == clause).unwrap_or(0);
                    let beside = CharSpan::new(
                        s.clauses[ci.saturating_sub(1)].start,
                        s.clauses[(ci + 1).min(s.clauses.len() - 1)].end,
                    );
                    let first = pick(clause, Side::Assisted, false, false).or_else(|| {
                        (in_sentence == 1)
                            .then(|| pick(beside, Side::Assisted, false, false))
                            .flatten()
                    });
                    match first {
                        Some(f) if f.span.start >= cue_span.end => {
                            let (listed, last_end) = self.listed_from(f, &parties);
                            // 张家口、承德和保定三市的23个县: the places qualify a
                            // count of units the text does not name.
                            let after: String =
                                self.chars[last_end..s.span.end].iter().take(3).collect();
                            // (甘谷县的3个村: villages are no entities, so
                            // their county is the one helped.)
                            let after = after.trim_start_matches('的');
                            let counted =
                                after.chars().next().is_some_and(|c| {
                                    "一二两三四五六七八九十0123456789".contains(c)
                                }) && after.chars().skip(1).any(|c| "市县区州旗".contains(c));
                            if !counted {
                                assisted.extend(listed);
                            }
                        }
                        Some(f) => assisted.push(f.id.clone()),
                        None => assisted.extend(
                            s.speaker_org
                                .clone()
                                .filter(|o| self.side(o) == Side::Assisted),
                        ),
                    }
                }
                for b in &supporters {
                    for y in &assisted {
                        // A pair's help is the pairing, not a further fact.
                        let district_to_county = self.pairs_as_supporter(b)
                            && matches!(y, EntityId::Area(a) if self.ex.reference.area(a).is_some_and(|x| x.area_type == crate::source::reference::AreaType::County));
                        if &b.id != y && !district_to_county && !program_supporters.contains(&b.id)
                        {
                            pairs.push((b.id.clone(), y.clone()));
                        }
                    }
                }
            }
            for (b, y) in pairs {
                rels.push(Relation::new(b, Predicate::Supports, y, ev.clone()));
            }
            // Staff sent to work at an assisted organisation (X医院医师A…都曾
            // 在Y医院轮岗坐诊; X派出的A出任Y院长): their organisation supports Y.
            if STAFF_CUES.iter().any(|w| text.contains(w)) {
                let in_sentence: Vec<&Position> = self
                    .starting_in(&positions, s.span)
                    .into_iter()
                    .map(|i| &self.out.positions[i])
                    .collect();
                for (sender, host) in self.staff_sent(s, &text, &found, &in_sentence) {
                    rels.push(Relation::new(sender, Predicate::Supports, host, ev.clone()));
                }
            }
            // In the words of an assisted organisation's speaker, a supporting
            // party that gives (给我们, 的帮助) supports the speaker's organisation.
            if let Some(org) = s
                .speaker_org
                .clone()
                .filter(|o| self.side(o) == Side::Assisted)
                && SPEAKER_SUPPORT_CUES.iter().any(|w| text.contains(w))
            {
                // Only the parties of a clause that says so (有了丰台区的帮助,
                // …给我们…), not a market named later (投向首都市场).
                let cue_clauses: Vec<CharSpan> = s
                    .clauses
                    .iter()
                    .copied()
                    .filter(|c| {
                        let t = self.text(*c);
                        SPEAKER_SUPPORT_CUES.iter().any(|w| t.contains(w))
                    })
                    .collect();
                for f in parties.iter().filter(|f| {
                    self.side(&f.id) == Side::Supporting
                        && (cue_clauses.is_empty()
                            || cue_clauses.iter().any(|c| c.contains(f.span)))
                }) {
                    rels.push(Relation::new(
                        f.id.clone(),
                        Predicate::Supports,
                        org.clone(),
                        ev.clone(),
                    ));
                }
            }
        }
        rels.retain(|r| r.subject != r.object);
        let mut named = HashMap::new();
        for r in &mut rels {
            if let Some(span) = self.clauses_stating(r, sentences, &mut named) {
                r.evidence = self.evidence(span);
            }
        }
        rels.sort();
        rels.dedup_by(|a, b| {
            a.subject == b.subject && a.predicate == b.predicate && a.object == b.object
        });
        self.out.relations = rels;
    }

    pub(super) fn find_events(&mut self, sentences: &[Sentence]) {
        let mut out = Vec::new();
        self.examine(self.found.len());
        for f in self.found.iter().filter(|f| f.kind == EntityKind::Event) {
            let Some(s) = self.sentence_at(sentences, f.span) else {
                continue;
            };
            let name = self
                .entities
                .get(&f.id)
                .map(|e| e.label.clone())
                .unwrap_or_default();
            let date = self
                .date_named_in(&name)
                .or_else(|| self.year_for_named_day(&name, f.span, s))
                .or_else(|| {
                    // The nearest date before the name; a bare year there
                    // (6月12日，2024年…推介会) gives way to a finer date of
                    // the same year said before it.
                    let before: Vec<DateValue> = self
                        .dates_in(s.span)
                        .into_iter()
                        .filter(|d| d.span.start < f.span.start)
                        .filter_map(|d| d.value)
                        .collect();
                    let mut nearest = *before.last()?;
                    // 1日至3日: a range of days dates the event to its month.
                    let spans: Vec<CharSpan> = self
                        .dates_in(s.span)
                        .into_iter()
                        .filter(|d| d.span.start < f.span.start && d.value.is_some())
                        .map(|d| d.span)
                        .collect();
                    if let [.., a, b] = spans[..]
                        && ["至", "到", "—", "-", "～", "~"]
                            .contains(&self.text(CharSpan::new(a.end, b.start)).as_str())
                        && let DateValue::Day(y, m, _) = nearest
                    {
                        nearest = DateValue::YearMonth(y, m);
                    }
                    let finer = |d: &DateValue| match d {
                        DateValue::Year(_) => 0,
                        DateValue::YearMonth(..) => 1,
                        DateValue::Day(..) => 2,
                    };
                    Some(match nearest {
                        DateValue::Year(y) => before
                            .iter()
                            .filter(|d| d.year() == y)
                            .max_by_key(|d| finer(d))
                            .copied()
                            .unwrap_or(nearest),
                        _ => nearest,
                    })
                })
                .or_else(|| self.date_right_after(f.span, s))
                .or_else(|| self.date_of_same_day(f.span, s))
                .or_else(|| self.date_of_same_period(s))
                .or_else(|| self.date_earlier_in_paragraph(f.span, s));
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
    pub(super) fn date_named_in(&self, name: &str) -> Option<DateValue> {
        let open = name.find('“')?;
        let inner = &name[open + '“'.len_utf8()..];
        let (m, rest) = inner.split_once('·')?;
        let d: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let (m, d): (u8, u8) = (m.parse().ok()?, d.parse().ok()?);
        self.examine(1);
        self.first_of_day.get(&(m, d)).copied()
    }

    /// A day or month written right after the name (…洽谈会6月24日在西宁开幕).
    fn date_right_after(&self, name: CharSpan, s: &Sentence) -> Option<DateValue> {
        self.dates_in(s.span)
            .into_iter()
            .find(|d| d.span.start >= name.end && d.span.start <= name.end + 1)
            .and_then(|d| d.value)
            .filter(|v| !matches!(v, DateValue::Year(_)))
    }

    /// 当天, 同一天, 同日 before the name: the last day named before the
    /// sentence; 同月N日: that day of the last month named.
    fn date_of_same_day(&self, name: CharSpan, s: &Sentence) -> Option<DateValue> {
        let before = self.text(CharSpan::new(s.span.start, name.start));
        // The last of `chain` (see `Run::last_day`) that ends before the
        // sentence: a date that starts before it but runs into it is passed.
        let last = |chain: &[Option<usize>]| {
            let mut at = chain[self.dates.partition_point(|d| d.span.start < s.span.start)];
            while let Some(i) = at {
                self.examine(1);
                if self.dates[i].span.end <= s.span.start {
                    return self.dates[i].value;
                }
                at = chain[i];
            }
            None
        };
        if ["当天", "同一天", "同日", "当日"]
            .iter()
            .any(|w| before.contains(w))
        {
            return last(&self.last_day);
        }
        let k = before.find("同月")?;
        let digits: String = before[k + "同月".len()..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let day: u8 = digits.parse().ok()?;
        let month = last(&self.last_finer)?;
        match month {
            DateValue::Day(y, m, _) | DateValue::YearMonth(y, m) if (1..=31).contains(&day) => {
                Some(DateValue::Day(y, m, day))
            }
            _ => None,
        }
    }

    /// The last day or month named earlier in the paragraph, when the
    /// sentence itself names none (7月，…。在…联席会上，…).
    fn date_earlier_in_paragraph(&self, name: CharSpan, s: &Sentence) -> Option<DateValue> {
        let paragraph = self.paragraphs.get(s.paragraph)?;
        // Dates are shorter than MAX_NAME: those ending 200 characters or
        // less before the name start less than 200 + MAX_NAME before it.
        let window = CharSpan::new(
            paragraph
                .start
                .max(name.start.saturating_sub(200 + MAX_NAME)),
            name.start.max(paragraph.start),
        );
        self.dates_in(window)
            .into_iter()
            .filter(|d| paragraph.contains(d.span) && d.span.end <= name.start)
            .filter(|d| name.start - d.span.end <= 200)
            .filter_map(|d| d.value)
            .rfind(|v| !matches!(v, DateValue::Year(_)))
            // A day named before belongs to what happened then (9日抵达…；在青
            // 期间…出席…座谈会): of it, only the month is sure to be the event's.
            .map(|v| match v {
                DateValue::Day(y, m, _) => DateValue::YearMonth(y, m),
                other => other,
            })
    }

    /// 2010年玉树“4·14”地震: the month and day the name quotes, in the year
    /// written right before it.
    fn year_for_named_day(&self, name: &str, at: CharSpan, s: &Sentence) -> Option<DateValue> {
        let open = name.find('“')?;
        let inner = &name[open + '“'.len_utf8()..];
        let (m, rest) = inner.split_once('·')?;
        let d: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let (m, d): (u8, u8) = (m.parse().ok()?, d.parse().ok()?);
        let year = self
            .dates_in(s.span)
            .into_iter()
            .rfind(|x| x.span.end <= at.start && at.start - x.span.end <= 1)?
            .value?
            .year();
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(DateValue::Day(year, m, d))
    }

    /// 同期 (at the same time) dates a sentence by the last date before it,
    /// to the month.
    pub(super) fn date_of_same_period(&self, s: &Sentence) -> Option<DateValue> {
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
}
