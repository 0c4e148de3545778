//! Money and figures: fundings with funder, recipient, year, sector and
//! projects; everything else as observations with unit and metric.

use std::collections::BTreeSet;

use crate::facts::{Diagnostic, EntityId, EntityKind, Funding, Observation, Sector};
use crate::recognize::dates::DateKind;
use crate::recognize::numbers::Quantity;
use crate::recognize::patterns::{self};
use crate::source::article::is_cjk;
use crate::source::span::CharSpan;
use crate::value::{Decimal, Unit};

use super::{Found, Run, Sentence, Side};

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
    "设立",
    "获得",
];

/// Words that mark money as something other than an allocation.
const NON_ALLOCATION_CUES: &[&str] = &[
    "订单",
    "售价",
    "价格",
    "意向",
    "签约",
    "协议总金额",
    "协议金额",
    "合同金额",
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
    "县均",
    "户均",
    "平均",
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

/// Where the words of each sector occur in `text`: for each sector of
/// [`SECTOR_WORDS`], in order, the byte offset of its last occurrence
/// (`last`) or its first. One pass over the text for all the words.
fn sector_positions(text: &str, last: bool) -> [Option<usize>; SECTOR_WORDS.len()] {
    static WORDS: std::sync::LazyLock<(aho_corasick::AhoCorasick, Vec<usize>)> =
        std::sync::LazyLock::new(|| {
            let (words, sectors): (Vec<&str>, Vec<usize>) = SECTOR_WORDS
                .iter()
                .enumerate()
                .flat_map(|(i, (_, words))| words.iter().map(move |w| (*w, i)))
                .unzip();
            let automaton =
                aho_corasick::AhoCorasick::new(words).expect("plain words always build");
            (automaton, sectors)
        });
    let (automaton, sectors) = &*WORDS;
    let mut out: [Option<usize>; SECTOR_WORDS.len()] = [None; SECTOR_WORDS.len()];
    // Overlapping matches: every occurrence of every word, as find/rfind see them.
    for m in automaton.find_overlapping_iter(text) {
        let slot = &mut out[sectors[m.pattern().as_usize()]];
        *slot = Some(match *slot {
            Some(p) if last => p.max(m.start()),
            Some(p) => p.min(m.start()),
            None => m.start(),
        });
    }
    out
}

/// A minus sign, in any of the forms Chinese text writes it.
fn is_minus(c: char) -> bool {
    matches!(c, '-' | '−' | '－' | '﹣')
}

/// `text` without any of `leading` at its start and `trailing` at its end.
pub(super) fn strip_words(text: &str, leading: &[&str], trailing: &[&str]) -> String {
    let mut t = text;
    while let Some(rest) = leading.iter().find_map(|w| t.strip_prefix(w)) {
        t = rest;
    }
    while let Some(rest) = trailing.iter().find_map(|w| t.strip_suffix(w)) {
        t = rest;
    }
    t.to_owned()
}

impl Run<'_> {
    /// Records a figure seen in the sentence at `span` and not read.
    fn skipped(&mut self, span: CharSpan, message: String) {
        self.out.diagnostics.push(Diagnostic {
            article: self.article.id.clone(),
            span,
            message,
        });
    }

    pub(super) fn find_money_and_figures(&mut self, sentences: &[Sentence]) {
        let mut used: BTreeSet<CharSpan> = BTreeSet::new();
        let mut last_funding: Option<(usize, Option<i32>, Option<EntityId>)> = None;
        for s in sentences {
            let quantities = self.quantities_in(s.span);
            let in_sentence: Vec<&Quantity> = quantities.iter().collect();
            let dates = self.dates_in(s.span);
            let cumulative = dates
                .iter()
                .any(|d| matches!(d.kind, DateKind::Span | DateKind::Cumulative));
            let found = self.found_in(s.span);
            // 2016年、2017年和今年，丰台区分别安排…1200万元、1560万元和1850万元:
            // the years and the amounts zipped in order.
            let zipped_years = self.zipped_years(s, &in_sentence, &dates);
            // -3000万元 after a word: the scanner reads no figure there (a
            // dash after a word is no range); a sign on money is still worth
            // a word to the user.
            for k in s.span.start + 1..s.span.end.saturating_sub(1) {
                if is_minus(self.chars[k])
                    && is_cjk(self.chars[k - 1])
                    && self.chars[k + 1].is_ascii_digit()
                    && !in_sentence
                        .iter()
                        .any(|q| q.span.contains(CharSpan::new(k, k + 1)))
                {
                    let end = (k + 1..s.span.end)
                        .find(|&j| !(self.chars[j].is_ascii_digit() || self.chars[j] == '.'))
                        .unwrap_or(s.span.end);
                    let unit: String = self.chars[end..s.span.end.min(end + 2)].iter().collect();
                    if unit.starts_with('元') || unit == "万元" || unit == "亿元" {
                        self.skipped(
                            s.span,
                            format!(
                                "negative figure {} left out: no fact",
                                self.text(CharSpan::new(k, (end + 2).min(s.span.end)))
                            ),
                        );
                    }
                }
            }
            let mut money_index = 0;
            for q in &in_sentence {
                if used.contains(&q.span)
                    || found
                        .iter()
                        .any(|f| f.span.overlaps(q.span) && f.kind != EntityKind::Person)
                {
                    continue;
                }
                // 负5亿元, -3000万元: a sign the figure does not keep. A fact
                // with the sign dropped would be wrong; say so instead.
                let sign = |c: char| c == '负' || is_minus(c);
                let signed = (q.span.start > 0 && sign(self.chars[q.span.start - 1]))
                    || sign(self.chars[q.span.start]);
                if signed {
                    self.skipped(
                        s.span,
                        format!(
                            "negative figure {} left out: no fact",
                            self.text(CharSpan::new(q.span.start.saturating_sub(1), q.span.end))
                                .trim_start_matches(|c: char| !sign(c))
                        ),
                    );
                    used.insert(q.span);
                    continue;
                }
                let clause = s
                    .clauses
                    .iter()
                    .copied()
                    .find(|c| c.contains(q.span) || c.overlaps(q.span))
                    .unwrap_or(s.span);
                // A figure may run past its clause (402,444 across a comma) or
                // start on the punctuation before it (found by fuzzing).
                let before = CharSpan::new(clause.start.min(q.span.start), q.span.start);
                let after =
                    CharSpan::new(q.span.end, (q.span.end + 6).min(clause.end).max(q.span.end));
                if q.unit == Unit::Yuan {
                    let non_alloc = self.contains_word(clause, NON_ALLOCATION_CUES);
                    let alloc = self
                        .contains_word(CharSpan::new(s.span.start, q.span.start), ALLOCATION_CUES)
                        || self.contains_word(after, &["资金"]);
                    // Money of signed projects (会上…签约…项目，涉及总投资242亿元) is intended.
                    let signed = self.contains_word(clause, &["涉及", "总投资"])
                        && self.contains_word(s.span, &["签约", "签署"]);
                    if alloc && !non_alloc && !signed {
                        let index = money_index;
                        money_index += 1;
                        let dated = dates
                            .iter()
                            .rfind(|d| d.span.start < q.span.start && d.value.is_some())
                            .and_then(|d| d.value.map(|v| v.year()));
                        // A period in the amount's own clause (1996年至2017年累计,
                        // “十二五”时期) leaves the money undated.
                        let clause_text = self.text(clause);
                        let clause_span = dates.iter().any(|d| {
                            clause.contains(d.span)
                                && matches!(d.kind, DateKind::Span | DateKind::Cumulative)
                        }) || clause_text.contains("五”")
                            || clause_text.contains("累计");
                        // A year in the amount's own clause wins over a period named
                        // elsewhere in the sentence (近三年来…，其中2022年安排资金…).
                        let own_year = dates
                            .iter()
                            .filter(|d| {
                                clause.contains(d.span)
                                    && d.span.start < q.span.start
                                    && !matches!(d.kind, DateKind::Span | DateKind::Cumulative)
                            })
                            .find_map(|d| d.value.map(|v| v.year()));
                        let own_funder = self.funder_before(s, q.span.start, &found);
                        // The year of the last funding carries over only to more
                        // money of the same funder (or of none named).
                        let carried = last_funding
                            .as_ref()
                            .filter(|(p, _, f)| {
                                s.paragraph <= p + 4
                                    && (own_funder.is_none() || own_funder.as_ref() == f.as_ref())
                            })
                            .and_then(|(_, y, _)| *y);
                        let year = if let Some(years) = &zipped_years {
                            years.get(index).copied()
                        } else if clause_span {
                            None
                        } else if let Some(y) = own_year {
                            Some(y)
                        } else if cumulative {
                            None
                        } else {
                            dated.or(carried)
                        };
                        let funder = own_funder.or_else(|| {
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
                        self.skipped(
                            s.span,
                            format!(
                                "money {} with no allocation or other cue: no fact",
                                self.text(q.span)
                            ),
                        );
                        continue;
                    }
                }
                // An observation.
                if q.value_max.is_some() {
                    self.skipped(
                        s.span,
                        format!(
                            "range {} left out: a range is not one figure",
                            self.text(q.span)
                        ),
                    );
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
                            && !self.is_helper_adverbial(f)
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

    /// With 分别, as many years before the first amount as there are
    /// allocated amounts: the years, in order, one per amount.
    fn zipped_years(
        &self,
        s: &Sentence,
        quantities: &[&Quantity],
        dates: &[crate::recognize::dates::DateMention],
    ) -> Option<Vec<i32>> {
        if !self.text(s.span).contains("分别") {
            return None;
        }
        // Money in a clause that names a period (三年累计逾4600万元) is a total, not one of the list.
        let in_period = |q: &Quantity| {
            s.clauses.iter().any(|c| {
                c.contains(q.span)
                    && dates.iter().any(|d| {
                        c.contains(d.span)
                            && matches!(d.kind, DateKind::Span | DateKind::Cumulative)
                    })
            })
        };
        let money: Vec<&&Quantity> = quantities
            .iter()
            .filter(|q| q.unit == Unit::Yuan && !in_period(q))
            .collect();
        let first = money.first()?;
        let years: Vec<i32> = dates
            .iter()
            .filter(|d| d.span.end <= first.span.start)
            .filter_map(|d| d.value.map(|v| v.year()))
            .collect();
        (years.len() >= 2 && years.len() == money.len()).then_some(years)
    }

    pub(super) fn funder_before(
        &self,
        s: &Sentence,
        pos: usize,
        found: &[Found],
    ) -> Option<EntityId> {
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

    pub(super) fn recipient_for(
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
                (f.kind == EntityKind::Program
                    || (matches!(f.id, EntityId::Org(_)) && after[..k].ends_with("用于")))
                    && f.span.start >= q.span.end
                    && f.span.start <= q.span.end + after[..k].chars().count() + 2
            })
        {
            return Some(p.id.clone());
        }
        // 投入4000万元建设的X平台: what was built with it.
        if let Some(k) = after.find("建设的").or_else(|| after.find("援建的"))
            && after[..k].chars().count() <= 2
            && let Some(p) = found.iter().find(|f| {
                (f.kind == EntityKind::Program || matches!(f.id, EntityId::Org(_)))
                    && f.span.start == q.span.end + after[..k].chars().count() + 3
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
        // Else where the sentence says the money goes: 投入资金1.2亿元，在称多县实施….
        if let Some(f) = found.iter().find(|f| {
            matches!(f.id, EntityId::Area(_))
                && self.side(&f.id) == Side::Assisted
                && f.span.start >= q.span.end
                && s.span.contains(f.span)
        }) {
            return Some(f.id.clone());
        }
        // A district's money goes to its official partner when the article names it.
        if let Some(EntityId::Area(district)) = funder
            && let Some(county) = self.ex.reference.paired(district)
        {
            let county = EntityId::Area(county.to_owned());
            if self.names_anywhere(&county) {
                return Some(county);
            }
        }
        self.main_assisted_area()
    }

    /// Whether a mention is the helper of an adverbial phrase (在北京市密云区
    /// 的支持下, 在北京的全力帮扶下): it says who helped, not what a figure
    /// is about. The phrase ends, before any punctuation, in a verb of help
    /// and 下.
    pub(super) fn is_helper_adverbial(&self, f: &Found) -> bool {
        const HELP: &[&str] = &[
            "支持", "帮助", "帮扶", "支援", "援助", "援建", "关心", "指导",
        ];
        let rest: String = self.chars[f.span.end..]
            .iter()
            .take(12)
            .take_while(|&&c| is_cjk(c) || c == '“' || c == '”')
            .collect();
        // 学校在北京的支持下: the phrase after 学校 is another's.
        rest.find('下').is_some_and(|k| {
            let before = &rest[..k];
            !before.contains('在') && HELP.iter().any(|h| before.ends_with(h))
        })
    }

    /// Whether a mention is a person's organisation in a byline-like
    /// introduction (玉树州卫生健康委员会主任扎西才让介绍), not a party of the fact.
    pub(super) fn introduces_person(&self, f: &Found) -> bool {
        patterns::title_at(&self.chars, f.span.end).is_some()
    }

    /// The assisted area the article is about: its most mentioned prefecture or county.
    /// The prefecture when the article names one, else its most named county.
    pub(super) fn main_assisted_area(&self) -> Option<EntityId> {
        self.examine(1);
        self.answers
            .main_assisted_area
            .get_or_init(|| self.most_named_assisted_area())
            .clone()
    }

    fn most_named_assisted_area(&self) -> Option<EntityId> {
        [EntityKind::Prefecture, EntityKind::County]
            .into_iter()
            .find_map(|kind| {
                self.tallied()
                    .filter(|(id, k, _)| *k == kind && self.side(id) == Side::Assisted)
                    .max_by_key(|(_, _, t)| t.count)
                    .map(|(id, _, _)| id.clone())
            })
    }

    pub(super) fn sector_for(&self, s: &Sentence, q: &Quantity) -> Sector {
        let before = self.text(CharSpan::new(s.span.start, q.span.start));
        let mut distinct: Vec<(Sector, usize)> = Vec::new();
        for ((sector, _), pos) in SECTOR_WORDS.iter().zip(sector_positions(&before, true)) {
            if let Some(pos) = pos {
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
            .zip(sector_positions(&after, false))
            .filter_map(|((sector, _), pos)| pos.map(|p| (*sector, p)))
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
    pub(super) fn projects_after(
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
            if (before.contains("项目") || head_after)
                && let Some(n) = p.value.to_i64().and_then(|v| u32::try_from(v).ok())
            {
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
        (None, q.span.end)
    }

    /// Whether a count counts projects: 项目 right before it or in the words after it.
    pub(super) fn project_count(&self, figure: CharSpan, s: &Sentence) -> bool {
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

    pub(super) fn observation_unit(&self, q: &Quantity, s: &Sentence) -> Option<&'static str> {
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
    pub(super) fn metric(&self, before: CharSpan, figure: CharSpan, clause: CharSpan) -> String {
        // The last ten characters before the figure, but a name is not cut
        // in two: a window that starts inside one starts after it instead
        // (…全年门急诊量, not 民医院全年门急诊量).
        let lead = self.chars[before.start..before.end]
            .iter()
            .take_while(|&&c| !is_cjk(c))
            .count();
        let mut start = (before.start + lead).max(before.end.saturating_sub(10));
        // The outermost name: a place nested in a name ends inside it.
        if let Some(end) = self
            .found_near(CharSpan::new(start, start))
            .iter()
            .filter(|f| f.span.start < start && start < f.span.end)
            .map(|f| f.span.end)
            .max()
        {
            start = end.min(before.end);
        }
        // A name the window starts with is the figure's subject, not what is
        // measured (西城区累计选派132名 measures 选派), unless the noun phrase
        // goes on after it (第一幼儿园等幼儿园, 医院的床位).
        if let Some(end) = self
            .found_near(CharSpan::new(start, start))
            .iter()
            .filter(|f| f.span.start == start && f.span.end < before.end)
            .map(|f| f.span.end)
            .max()
            && !matches!(self.chars[end], '等' | '和' | '与' | '及' | '、' | '的')
        {
            start = end;
        }
        let pre = self.text(CharSpan::new(start, before.end));
        let post: String = self
            .text(CharSpan::new(figure.end.min(clause.end), clause.end))
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
}
