//! Date expressions in Chinese news text.
//!
//! This module owns [`DateValue`] (a calendar date at the precision the text
//! gives, with its `xsd:gYear` / `xsd:gYearMonth` / `xsd:date` lexical forms)
//! and [`scan_dates`], which finds absolute dates (2017年8月25日), dates
//! without a year (5月底, 9月27日), dates relative to the article date (今年,
//! 去年8月) or to the last year mentioned (同年, 次年), spans (十年来, 近年来)
//! and cumulative markers (累计, 截至目前).

use super::chars::{self, at, is_arabic, is_cn_numeral, is_range_connector, starts_with, word_len};
use serde::Serialize;

use crate::source::span::CharSpan;
use crate::value::DateValue;
use crate::value::make_day;

/// How a date expression relates to time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DateKind {
    /// A calendar date written out (2024年5月), or a month/day whose year is
    /// taken from the context (5月底).
    Absolute,
    /// Resolved against the article date (今年, 去年8月, 13日) or the last
    /// year mentioned (同年, 次年).
    Relative,
    /// A stretch of time up to now (十年来, 近年来, 这些年); no value.
    Span,
    /// A running total marker (累计, 截至目前, 至今); no value.
    Cumulative,
}

/// One date expression found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DateMention {
    /// Code points of the whole expression.
    pub span: CharSpan,
    /// How the expression relates to time.
    pub kind: DateKind,
    /// The resolved date, when it can be resolved.
    pub value: Option<DateValue>,
}

// ---------------------------------------------------------------------------
// Characters and small numbers
// ---------------------------------------------------------------------------

/// The first of `words` found at `k`, with its length in code points.
fn first_word(chars: &[char], k: usize, words: &[&str]) -> Option<usize> {
    words
        .iter()
        .find(|w| starts_with(chars, k, w))
        .map(|w| word_len(w))
}

/// Value of an Arabic digit, widened for date arithmetic.
fn arabic_digit(c: char) -> Option<u32> {
    chars::arabic_digit(c).map(u32::from)
}

/// Value of a Chinese digit, widened for date arithmetic.
fn cn_digit(c: char) -> Option<u32> {
    chars::cn_digit(c).map(u32::from)
}

/// Maximal run of Arabic digits at `k`: (value, length). Runs longer than
/// nine digits give no value.
fn arabic_run(chars: &[char], k: usize) -> Option<(u32, usize)> {
    let mut len = 0;
    let mut v: u32 = 0;
    while let Some(d) = at(chars, k + len).and_then(arabic_digit) {
        v = v.checked_mul(10)?.checked_add(d)?;
        len += 1;
    }
    (len > 0).then_some((v, len))
}

/// Maximal run of Chinese numeral characters at `k`, read as a number 0–99
/// (三, 十, 十四, 二十, 三十一): (value, length).
fn cn_small_run(chars: &[char], k: usize) -> Option<(u32, usize)> {
    let mut len = 0;
    while at(chars, k + len).is_some_and(is_cn_numeral) {
        len += 1;
    }
    let run = chars.get(k..k + len)?;
    let v = match run {
        ['十'] => 10,
        [d] => cn_digit(*d)?,
        ['十', d] => 10 + cn_digit(*d)?,
        [t, '十'] => 10 * cn_digit(*t)?,
        [t, '十', d] => 10 * cn_digit(*t)? + cn_digit(*d)?,
        _ => return None,
    };
    (len > 0).then_some((v, len))
}

/// A number 0–99 at `k`, Arabic (one or two digits) or Chinese:
/// (value, length, written in Chinese).
fn small_number(chars: &[char], k: usize) -> Option<(u32, usize, bool)> {
    let c = at(chars, k)?;
    if is_arabic(c) {
        let (v, len) = arabic_run(chars, k)?;
        (len <= 2).then_some((v, len, false))
    } else {
        let (v, len) = cn_small_run(chars, k)?;
        Some((v, len, true))
    }
}

/// Whether the code point before `k` is glued to a number starting at `k`.
fn glued_before(chars: &[char], k: usize) -> bool {
    k.checked_sub(1)
        .and_then(|b| at(chars, b))
        .is_some_and(|b| {
            is_arabic(b) || b.is_ascii_alphabetic() || matches!(b, '.' | '．' | '·' | '+')
        })
}

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

/// Cumulative markers, longest first.
const CUMULATIVE: &[&str] = &[
    "截至目前为止",
    "截止目前为止",
    "到目前为止",
    "截至目前",
    "截止目前",
    "迄今为止",
    "目前为止",
    "截至今日",
    "至今",
    "迄今",
    "目前",
    "累计",
];

/// Fixed span words, longest first.
const SPANS: &[&str] = &[
    "这些年来",
    "近些年来",
    "近几年来",
    "这几年来",
    "近年以来",
    "这些年",
    "近些年",
    "近几年",
    "这几年",
    "近年来",
    "多年来",
    "几年来",
    "多年以来",
    "近年",
];

/// Prefixes of a counted span (近3年来, 过去三年).
const SPAN_PREFIXES: &[&str] = &["过去的", "过去", "最近", "近"];

/// Words after 年 that close a span (十年来, 十年间).
const SPAN_SUFFIXES: &[&str] = &["以来", "来", "间"];

/// Words before a date that mark a cut-off (截至2020年).
const CUTOFF_PREFIXES: &[&str] = &["截至到", "截止到", "截至", "截止"];

/// Years relative to the article date, with their offsets.
const ARTICLE_RELATIVE: &[(&str, i32)] = &[
    ("今年", 0),
    ("本年", 0),
    ("去年", -1),
    ("前年", -2),
    ("明年", 1),
];

/// Years relative to the last year mentioned, with their offsets.
const CONTEXT_RELATIVE: &[(&str, i32)] = &[
    ("此前一年", -1),
    ("前一年", -1),
    ("上一年", -1),
    ("第二年", 1),
    ("同年", 0),
    ("次年", 1),
    ("翌年", 1),
];

/// Parts of a year that keep the year's value (上半年, 年底 after 2024年).
const YEAR_PARTS: &[&str] = &[
    "上半年",
    "下半年",
    "前三季度",
    "第一季度",
    "第二季度",
    "第三季度",
    "第四季度",
    "一季度",
    "二季度",
    "三季度",
    "四季度",
    "年初",
    "年底",
    "年末",
    "年中",
    "度",
    "底",
    "末",
    "初",
];

/// Parts of a month (5月底, 5月中旬).
const MONTH_PARTS: &[&str] = &[
    "中下旬",
    "上中旬",
    "上旬",
    "中旬",
    "下旬",
    "份",
    "底",
    "初",
    "末",
];

// ---------------------------------------------------------------------------
// Scanner
// ---------------------------------------------------------------------------

/// A match at one position: where it ends, what it is, and the year it
/// makes the context year.
struct Found {
    end: usize,
    kind: DateKind,
    value: Option<DateValue>,
    sets_year: Option<i32>,
}

struct Scanner<'a> {
    chars: &'a [char],
    article_year: Option<i32>,
    article_month: Option<u8>,
    context_year: Option<i32>,
    /// The year and month of the last date that named a month, and where it ended.
    context_month: Option<(i32, u8, usize)>,
}

impl Scanner<'_> {
    fn base_year(&self) -> Option<i32> {
        self.context_year.or(self.article_year)
    }

    /// `NUM月` at `k` (month 1–12), returning the month and the end.
    fn month_at(&self, k: usize) -> Option<(u8, usize)> {
        let (v, len, _) = small_number(self.chars, k)?;
        if at(self.chars, k + len) != Some('月') || !(1..=12).contains(&v) {
            return None;
        }
        Some((u8::try_from(v).ok()?, k + len + 1))
    }

    /// `NUM日` or `NUM号` at `k` (day 1–31), returning the day and the end.
    fn day_at(&self, k: usize) -> Option<(u8, usize)> {
        let (v, len, _) = small_number(self.chars, k)?;
        if !matches!(at(self.chars, k + len), Some('日' | '号')) || !(1..=31).contains(&v) {
            return None;
        }
        Some((u8::try_from(v).ok()?, k + len + 1))
    }

    /// Skips a trailing 以来 at `k`.
    fn since(&self, k: usize) -> usize {
        if starts_with(self.chars, k, "以来") {
            k + 2
        } else {
            k
        }
    }

    /// A month (and day) after a year, or a month without a year, at `k`.
    /// `year` is the year the month belongs to, if known.
    fn month_part(&self, k: usize, year: Option<i32>) -> Option<(usize, Option<DateValue>)> {
        let (month, mut end) = self.month_at(k)?;
        if let Some((day, day_end)) = self.day_at(end) {
            let value = make_day(year, month, day);
            return Some((self.since(day_end), value));
        }
        if let Some(len) = first_word(self.chars, end, MONTH_PARTS) {
            end += len;
        }
        Some((
            self.since(end),
            year.map(|y| DateValue::YearMonth(y, month)),
        ))
    }

    /// What follows a year expression ending at `k`: a month (with an
    /// optional 的 before it, as in 此前一年的8月), a part of the year, 以来.
    fn year_tail(&self, k: usize, year: Option<i32>) -> (usize, Option<DateValue>) {
        let year_value = year.map(DateValue::Year);
        if let Some(found) = self.month_part(k, year) {
            return found;
        }
        if at(self.chars, k) == Some('的')
            && let Some(found) = self.month_part(k + 1, year)
        {
            return found;
        }
        let mut end = k;
        let mut value = year_value;
        if let Some(len) = first_word(self.chars, k, YEAR_PARTS) {
            // 年初步 is 初步, not 年初.
            if !(starts_with(self.chars, k, "初步") || starts_with(self.chars, k, "年初步")) {
                end += len;
                // 2023年年底: the year's last month.
                let part: String = self.chars[k..k + len].iter().collect();
                if ["年底", "年末", "底", "末"].contains(&part.as_str()) {
                    value = year.map(|y| DateValue::YearMonth(y, 12));
                }
            }
        }
        // 年年底: the 年 of 2023年 is followed by 年底.
        if value == year_value
            && at(self.chars, k) == Some('年')
            && matches!(at(self.chars, k + 1), Some('底' | '末'))
        {
            end = k + 2;
            value = year.map(|y| DateValue::YearMonth(y, 12));
        }
        (self.since(end), value)
    }

    fn cutoff(&self, i: usize) -> Option<Found> {
        let len = first_word(self.chars, i, CUTOFF_PREFIXES)?;
        let k = i + len;
        let inner = self
            .article_relative(k)
            .or_else(|| self.context_relative(k))
            .or_else(|| self.absolute_year(k))
            .or_else(|| self.month_only(k))?;
        Some(inner)
    }

    fn cumulative(&self, i: usize) -> Option<Found> {
        self.undated_word(i, CUMULATIVE, DateKind::Cumulative)
    }

    fn fixed_span(&self, i: usize) -> Option<Found> {
        self.undated_word(i, SPANS, DateKind::Span)
    }

    /// One of `words` at `i`, an expression of `kind` that names no date.
    fn undated_word(&self, i: usize, words: &[&str], kind: DateKind) -> Option<Found> {
        let len = first_word(self.chars, i, words)?;
        Some(Found {
            end: i + len,
            kind,
            value: None,
            sets_year: None,
        })
    }

    /// 十四年来, 13年来, 近3年来, 近三年, 过去五年, 十多年来, 十年间.
    fn counted_span(&self, i: usize) -> Option<Found> {
        let prefix = first_word(self.chars, i, SPAN_PREFIXES);
        let k = i + prefix.unwrap_or(0);
        let c = at(self.chars, k)?;
        let (v, len) = if is_arabic(c) {
            if glued_before(self.chars, k) {
                return None;
            }
            arabic_run(self.chars, k)?
        } else {
            cn_small_run(self.chars, k)?
        };
        if v == 0 || v >= 1000 {
            return None;
        }
        let mut j = k + len;
        if matches!(at(self.chars, j), Some('多' | '余')) {
            j += 1;
        }
        if at(self.chars, j) != Some('年') {
            return None;
        }
        j += 1;
        match first_word(self.chars, j, SPAN_SUFFIXES) {
            Some(n) => j += n,
            None if prefix.is_some() => {
                if matches!(at(self.chars, j), Some('代' | '级')) {
                    return None;
                }
            }
            None => return None,
        }
        Some(Found {
            end: j,
            kind: DateKind::Span,
            value: None,
            sets_year: None,
        })
    }

    /// 今年, 去年8月, 前年, 明年, 今年上半年, 今年以来.
    fn article_relative(&self, i: usize) -> Option<Found> {
        let &(word, offset) = ARTICLE_RELATIVE
            .iter()
            .find(|(w, _)| starts_with(self.chars, i, w))?;
        let before = i.checked_sub(1).and_then(|b| at(self.chars, b));
        let excluded = match word {
            "去年" => before == Some('过'),
            "前年" => matches!(
                before,
                Some('此' | '以' | '提' | '之' | '从' | '目' | '当' | '向')
            ),
            _ => false,
        };
        if excluded {
            return None;
        }
        let year = self.article_year.and_then(|y| y.checked_add(offset));
        let (end, value) = self.year_tail(i + 2, year);
        Some(Found {
            end,
            kind: DateKind::Relative,
            value,
            sets_year: year,
        })
    }

    /// 同年, 同年4月14日, 次年, 翌年, 第二年, 此前一年的8月.
    fn context_relative(&self, i: usize) -> Option<Found> {
        let &(word, offset) = CONTEXT_RELATIVE
            .iter()
            .find(|(w, _)| starts_with(self.chars, i, w))?;
        let len = word_len(word);
        let before = i.checked_sub(1).and_then(|b| at(self.chars, b));
        let after = at(self.chars, i + len);
        let excluded = match word {
            "同年" => {
                matches!(before, Some('不' | '相' | '共' | '等'))
                    || matches!(after, Some('龄' | '级' | '代' | '纪'))
            }
            "前一年" => before == Some('提'),
            _ => false,
        };
        if excluded {
            return None;
        }
        let year = self.base_year().and_then(|y| y.checked_add(offset));
        let (end, value) = self.year_tail(i + len, year);
        Some(Found {
            end,
            kind: DateKind::Relative,
            value,
            sets_year: year,
        })
    }

    /// 2024年…, 二〇一〇年…, 2024-05-20, and the first year of 2019—2024年.
    fn absolute_year(&self, i: usize) -> Option<Found> {
        let c = at(self.chars, i)?;
        let (year, len) = if is_arabic(c) {
            if glued_before(self.chars, i) {
                return None;
            }
            let (v, len) = arabic_run(self.chars, i)?;
            if len != 4 {
                return None;
            }
            (v, len)
        } else {
            let mut len = 0;
            let mut v: u32 = 0;
            while len < 5 {
                match at(self.chars, i + len)
                    .filter(|&c| c != '两')
                    .and_then(cn_digit)
                {
                    Some(d) => {
                        v = v * 10 + d;
                        len += 1;
                    }
                    None => break,
                }
            }
            if len != 4 {
                return None;
            }
            (v, len)
        };
        if !(1000..=2999).contains(&year) {
            return None;
        }
        let year = i32::try_from(year).ok()?;
        let k = i + len;
        match at(self.chars, k) {
            Some('年') => {
                if matches!(at(self.chars, k + 1), Some('代' | '级')) {
                    return None;
                }
                let (end, value) = self.year_tail(k + 1, Some(year));
                Some(Found {
                    end,
                    kind: DateKind::Absolute,
                    value,
                    sets_year: Some(year),
                })
            }
            Some(sep @ ('-' | '/' | '.' | '．' | '－')) if is_arabic(c) => {
                // 2024-05-20, 2024.5.20, 2024/5/20
                let (m, ml) = arabic_run(self.chars, k + 1)?;
                if ml > 2 || at(self.chars, k + 1 + ml) != Some(sep) {
                    return self.range_start(k, year);
                }
                let (d, dl) = arabic_run(self.chars, k + 2 + ml)?;
                let end = k + 2 + ml + dl;
                if dl > 2 || at(self.chars, end).is_some_and(|c| is_arabic(c) || c == sep) {
                    return None;
                }
                let value = make_day(Some(year), u8::try_from(m).ok()?, u8::try_from(d).ok()?)?;
                Some(Found {
                    end,
                    kind: DateKind::Absolute,
                    value: Some(value),
                    sets_year: Some(year),
                })
            }
            Some(_) => self.range_start(k, year),
            None => None,
        }
    }

    /// `2019` in 2019—2024年 / 2019至2024年: a year whose 年 is shared.
    fn range_start(&self, k: usize, year: i32) -> Option<Found> {
        if !at(self.chars, k).is_some_and(is_range_connector) {
            return None;
        }
        let (v, len) = arabic_run(self.chars, k + 1)?;
        if len != 4 || !(1000..=2999).contains(&v) || at(self.chars, k + 1 + len) != Some('年') {
            return None;
        }
        Some(Found {
            end: k,
            kind: DateKind::Absolute,
            value: Some(DateValue::Year(year)),
            sets_year: Some(year),
        })
    }

    /// 5月底, 9月27日, 8月份: the year comes from the context.
    fn month_only(&self, i: usize) -> Option<Found> {
        if glued_before(self.chars, i) {
            return None;
        }
        let (end, value) = self.month_part(i, self.base_year())?;
        Some(Found {
            end,
            kind: DateKind::Absolute,
            value,
            sets_year: None,
        })
    }

    /// 13日 alone: a day of the article's month.
    fn day_only(&self, i: usize) -> Option<Found> {
        if glued_before(self.chars, i) {
            return None;
        }
        let (_, len, chinese) = small_number(self.chars, i)?;
        if chinese && len < 2 {
            return None;
        }
        let (day, end) = self.day_at(i)?;
        if at(self.chars, end - 1) != Some('日') {
            return None;
        }
        if first_word(self.chars, end, &["以内", "之内", "内"]).is_some() {
            return None;
        }
        // The month named last in the same paragraph (7月初（1日至3日）),
        // else the article's.
        let same_month = i >= 2 && self.chars[i - 2..i] == ['同', '月'];
        let month = self
            .context_month
            .filter(|&(_, _, at)| same_month || !self.chars[at..i].contains(&'\n'))
            .map(|(y, m, _)| (Some(y), Some(m)))
            .unwrap_or((self.article_year, self.article_month));
        let value = match month {
            (Some(y), Some(m)) => make_day(Some(y), m, day),
            _ => None,
        };
        Some(Found {
            end,
            kind: DateKind::Relative,
            value,
            sets_year: None,
        })
    }

    fn match_at(&self, i: usize) -> Option<(usize, Found)> {
        if let Some(f) = self.cutoff(i) {
            return Some((i, f));
        }
        let found = self
            .cumulative(i)
            .or_else(|| self.fixed_span(i))
            .or_else(|| self.article_relative(i))
            .or_else(|| self.context_relative(i))
            .or_else(|| self.absolute_year(i))
            .or_else(|| self.counted_span(i))
            .or_else(|| self.month_only(i))
            .or_else(|| self.day_only(i))?;
        Some((i, found))
    }
}

/// Every date expression in `text`, left to right, non-overlapping, resolved against `article_date` and the last absolute year mentioned before it.
///
/// Relative forms (今年, 同年 …) are reported with value `None` when the
/// year they depend on is unknown. A month without a year (5月底) takes the
/// last year mentioned, else the article year.
pub fn scan_dates(text: &str, article_date: Option<DateValue>) -> Vec<DateMention> {
    let chars: Vec<char> = text.chars().collect();
    // Every form starts with a numeral or one of these words; the scan
    // tries the forms only where one can start.
    static STARTS: std::sync::LazyLock<super::words::Words> = std::sync::LazyLock::new(|| {
        let mut words: Vec<&'static str> = Vec::new();
        words.extend_from_slice(CUTOFF_PREFIXES);
        words.extend_from_slice(CUMULATIVE);
        words.extend_from_slice(SPANS);
        words.extend_from_slice(SPAN_PREFIXES);
        words.extend(ARTICLE_RELATIVE.iter().map(|(w, _)| *w));
        words.extend(CONTEXT_RELATIVE.iter().map(|(w, _)| *w));
        super::words::Words::new(&words)
    });
    let may_start = |c: char| is_arabic(c) || is_cn_numeral(c) || STARTS.may_start(c);
    let mut scanner = Scanner {
        chars: &chars,
        article_year: article_date.map(DateValue::year),
        article_month: match article_date {
            Some(DateValue::YearMonth(_, m) | DateValue::Day(_, m, _)) => Some(m),
            _ => None,
        },
        context_year: None,
        context_month: None,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !may_start(chars[i]) {
            i += 1;
            continue;
        }
        if let Some((start, found)) = scanner.match_at(i)
            && found.end > start
        {
            if let Some(y) = found.sets_year {
                scanner.context_year = Some(y);
            }
            if let Some(DateValue::YearMonth(y, m) | DateValue::Day(y, m, _)) = found.value {
                scanner.context_month = Some((y, m, found.end));
            }
            out.push(DateMention {
                span: CharSpan::new(start, found.end),
                kind: found.kind,
                value: found.value,
            });
            i = found.end;
            continue;
        }
        // Skip a whole numeral so that no match starts inside it.
        let c = chars[i];
        let mut j = i + 1;
        if is_arabic(c) {
            while chars.get(j).copied().is_some_and(is_arabic) {
                j += 1;
            }
        } else if is_cn_numeral(c) {
            while chars.get(j).copied().is_some_and(is_cn_numeral) {
                j += 1;
            }
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::days_in_month;
    use DateValue::{Day, Year, YearMonth};
    use proptest::prelude::*;

    const MAY_20: Option<DateValue> = Some(Day(2024, 5, 20));
    const Y2024: Option<DateValue> = Some(Year(2024));

    type Row = (String, DateKind, Option<DateValue>);

    fn scan(text: &str, article: Option<DateValue>) -> Vec<Row> {
        let chars: Vec<char> = text.chars().collect();
        scan_dates(text, article)
            .into_iter()
            .map(|m| {
                (
                    chars[m.span.start..m.span.end].iter().collect(),
                    m.kind,
                    m.value,
                )
            })
            .collect()
    }

    fn check(article: Option<DateValue>, table: &[(&str, &str, DateKind, Option<DateValue>)]) {
        for &(text, covered, kind, value) in table {
            assert_eq!(
                scan(text, article),
                vec![(covered.to_string(), kind, value)],
                "in {text:?}"
            );
        }
    }

    #[test]
    fn xsd_forms() {
        for (v, s) in [
            (Year(2024), "2024"),
            (YearMonth(2024, 3), "2024-03"),
            (Day(2024, 3, 5), "2024-03-05"),
            (Day(2024, 2, 29), "2024-02-29"),
            (Year(987), "0987"),
            (Year(-44), "-0044"),
        ] {
            assert_eq!(v.to_xsd(), s);
            assert_eq!(DateValue::parse_xsd(s), Some(v));
        }
        assert_eq!(Day(2017, 8, 25).year(), 2017);
        assert_eq!(YearMonth(2019, 8).year(), 2019);
        for bad in [
            "",
            "24",
            "2024-13",
            "2024-00",
            "2024-1",
            "2024-02-30",
            "2023-02-29",
            "2024-04-31",
            "2024-01-32",
            "2024-01-00",
            "2024-01-01-01",
            "2024/01",
            "２０２４",
            "2024-1-05",
            "-",
            "+2024",
            "2024-",
            "99999999999",
        ] {
            assert_eq!(DateValue::parse_xsd(bad), None, "{bad:?}");
        }
        assert!(Year(2024) < YearMonth(2024, 1));
    }

    #[test]
    fn absolute_dates() {
        use DateKind::Absolute as A;
        check(
            MAY_20,
            &[
                ("2024年", "2024年", A, Some(Year(2024))),
                ("2024年5月", "2024年5月", A, Some(YearMonth(2024, 5))),
                ("2017年8月25日", "2017年8月25日", A, Some(Day(2017, 8, 25))),
                ("2019年8月", "2019年8月", A, Some(YearMonth(2019, 8))),
                ("1970年", "1970年", A, Some(Year(1970))),
                (
                    "2010年4月14日，",
                    "2010年4月14日",
                    A,
                    Some(Day(2010, 4, 14)),
                ),
                ("2010年4月14号", "2010年4月14号", A, Some(Day(2010, 4, 14))),
                ("2024年上半年", "2024年上半年", A, Some(Year(2024))),
                ("2024年下半年", "2024年下半年", A, Some(Year(2024))),
                ("2020年底", "2020年底", A, Some(YearMonth(2020, 12))),
                ("2020年以来", "2020年以来", A, Some(Year(2020))),
                ("2024年度", "2024年度", A, Some(Year(2024))),
                ("2024年5月底", "2024年5月底", A, Some(YearMonth(2024, 5))),
                ("二〇一〇年", "二〇一〇年", A, Some(Year(2010))),
                ("2024-05-20", "2024-05-20", A, Some(Day(2024, 5, 20))),
                ("2024.5.20", "2024.5.20", A, Some(Day(2024, 5, 20))),
                ("截至2020年", "截至2020年", A, Some(Year(2020))),
                ("截至2020年底", "截至2020年底", A, Some(YearMonth(2020, 12))),
                (
                    "截止2023年5月",
                    "截止2023年5月",
                    A,
                    Some(YearMonth(2023, 5)),
                ),
                ("2023年2月30日", "2023年2月30日", A, None),
            ],
        );
        assert_eq!(
            scan("2019—2024年", MAY_20),
            vec![
                ("2019".to_string(), A, Some(Year(2019))),
                ("2024年".to_string(), A, Some(Year(2024)))
            ]
        );
        assert_eq!(
            scan("2019年至2024年", MAY_20),
            vec![
                ("2019年".to_string(), A, Some(Year(2019))),
                ("2024年".to_string(), A, Some(Year(2024)))
            ]
        );
    }

    #[test]
    fn months_without_a_year() {
        use DateKind::Absolute as A;
        check(
            MAY_20,
            &[
                ("5月底", "5月底", A, Some(YearMonth(2024, 5))),
                ("5月初", "5月初", A, Some(YearMonth(2024, 5))),
                ("5月中旬", "5月中旬", A, Some(YearMonth(2024, 5))),
                ("9月27日", "9月27日", A, Some(Day(2024, 9, 27))),
                ("8月份", "8月份", A, Some(YearMonth(2024, 8))),
                ("6月", "6月", A, Some(YearMonth(2024, 6))),
                ("4月14日", "4月14日", A, Some(Day(2024, 4, 14))),
                ("十二月", "十二月", A, Some(YearMonth(2024, 12))),
                ("5月以来", "5月以来", A, Some(YearMonth(2024, 5))),
            ],
        );
        // The context year is the last year mentioned.
        let rows = scan("2019年，北京启动援建。8月份，9月27日", MAY_20);
        assert_eq!(
            rows[1],
            (
                "8月份".to_string(),
                DateKind::Absolute,
                Some(YearMonth(2019, 8))
            )
        );
        assert_eq!(
            rows[2],
            (
                "9月27日".to_string(),
                DateKind::Absolute,
                Some(Day(2019, 9, 27))
            )
        );
        // No article date and no year: the month is reported without a value.
        assert_eq!(
            scan("5月底", None),
            vec![("5月底".to_string(), DateKind::Absolute, None)]
        );
        // Only a year in the article date.
        assert_eq!(
            scan("6月", Y2024),
            vec![(
                "6月".to_string(),
                DateKind::Absolute,
                Some(YearMonth(2024, 6))
            )]
        );
    }

    #[test]
    fn relative_to_the_article() {
        use DateKind::Relative as R;
        check(
            MAY_20,
            &[
                ("今年", "今年", R, Some(Year(2024))),
                ("今年以来", "今年以来", R, Some(Year(2024))),
                ("今年3月", "今年3月", R, Some(YearMonth(2024, 3))),
                ("去年", "去年", R, Some(Year(2023))),
                ("去年8月", "去年8月", R, Some(YearMonth(2023, 8))),
                ("去年8月份", "去年8月份", R, Some(YearMonth(2023, 8))),
                ("前年", "前年", R, Some(Year(2022))),
                ("明年", "明年", R, Some(Year(2025))),
                ("今年上半年", "今年上半年", R, Some(Year(2024))),
                ("今年下半年", "今年下半年", R, Some(Year(2024))),
                ("去年底", "去年底", R, Some(YearMonth(2023, 12))),
                ("13日", "13日", R, Some(Day(2024, 5, 13))),
                ("截至今年5月", "截至今年5月", R, Some(YearMonth(2024, 5))),
            ],
        );
        check(
            Y2024,
            &[
                ("13日", "13日", R, None),
                ("今年3月", "今年3月", R, Some(YearMonth(2024, 3))),
            ],
        );
        // Unknown article date: still reported, without a value.
        check(
            None,
            &[
                ("今年", "今年", R, None),
                ("去年8月", "去年8月", R, None),
                ("同年", "同年", R, None),
                ("13日", "13日", R, None),
            ],
        );
        // Relative years update the context year.
        let rows = scan("去年，8月份", MAY_20);
        assert_eq!(rows[1].2, Some(YearMonth(2023, 8)));
        // 31日 in a 30-day month has no value.
        assert_eq!(scan("31日", Some(YearMonth(2024, 4)))[0].2, None);
    }

    #[test]
    fn relative_to_the_last_year() {
        use DateKind::Relative as R;
        let cases: &[(&str, &str, Option<DateValue>)] = &[
            ("同年", "同年", Some(Year(2010))),
            ("同年4月14日", "同年4月14日", Some(Day(2010, 4, 14))),
            ("次年", "次年", Some(Year(2011))),
            ("翌年", "翌年", Some(Year(2011))),
            ("第二年", "第二年", Some(Year(2011))),
            ("此前一年", "此前一年", Some(Year(2009))),
            ("前一年", "前一年", Some(Year(2009))),
            ("此前一年的8月", "此前一年的8月", Some(YearMonth(2009, 8))),
        ];
        for &(tail, covered, value) in cases {
            let text = format!("2010年，{tail}");
            let rows = scan(&text, MAY_20);
            assert_eq!(rows.len(), 2, "{text}");
            assert_eq!(rows[1], (covered.to_string(), R, value), "{text}");
        }
        // Without an earlier year, the article year is the base.
        assert_eq!(
            scan("次年", MAY_20),
            vec![("次年".to_string(), R, Some(Year(2025)))]
        );
        // 不同年龄 is not 同年.
        assert!(scan("不同年龄", MAY_20).is_empty());
    }

    #[test]
    fn spans_and_cumulative_markers() {
        use DateKind::{Cumulative as C, Span as S};
        let mut table = Vec::new();
        for s in [
            "十四年来",
            "十年来",
            "十年间",
            "近3年来",
            "近三年来",
            "13年来",
            "近年来",
            "多年来",
            "几年来",
            "这些年",
            "这些年来",
            "十多年来",
            "近三年",
            "过去五年",
        ] {
            table.push((s, s, S, None));
        }
        for c in [
            "累计",
            "截至目前",
            "截至目前为止",
            "目前",
            "至今",
            "迄今",
            "迄今为止",
        ] {
            table.push((c, c, C, None));
        }
        check(MAY_20, &table);
        assert_eq!(
            scan("2010年至今", MAY_20),
            vec![
                ("2010年".to_string(), DateKind::Absolute, Some(Year(2010))),
                ("至今".to_string(), C, None)
            ]
        );
    }

    #[test]
    fn not_dates() {
        for text in [
            "为期2年",
            "两年",
            "连续两年",
            "一年打基础",
            "十周年",
            "半个多世纪",
            "3个月",
            "两个半月",
            "30日内",
            "80年代",
            "12345年",
            "第3批",
            "一日三餐",
            "过去年份",
            "",
        ] {
            assert!(
                scan(text, MAY_20).is_empty(),
                "{text:?} gave {:?}",
                scan(text, MAY_20)
            );
        }
    }

    #[test]
    fn a_paragraph() {
        let text = "2010年4月14日，玉树发生强烈地震。同年6月，北京启动对口援建。十四年来，累计投入资金超过40亿元。今年以来，又新建学校3所，5月底前完工。";
        let rows = scan(text, MAY_20);
        let covered: Vec<(&str, Option<DateValue>)> =
            rows.iter().map(|r| (r.0.as_str(), r.2)).collect();
        assert_eq!(
            covered,
            [
                ("2010年4月14日", Some(Day(2010, 4, 14))),
                ("同年6月", Some(YearMonth(2010, 6))),
                ("十四年来", None),
                ("累计", None),
                ("今年以来", Some(Year(2024))),
                ("5月底", Some(YearMonth(2024, 5))),
            ]
        );
    }

    fn check_spans(text: &str, mentions: &[DateMention]) {
        let len = text.chars().count();
        let mut last_end = 0;
        for m in mentions {
            assert!(
                m.span.start < m.span.end && m.span.end <= len,
                "{m:?} in {text:?}"
            );
            assert!(m.span.start >= last_end, "overlap at {m:?} in {text:?}");
            if matches!(m.kind, DateKind::Span | DateKind::Cumulative) {
                assert!(m.value.is_none());
            }
            last_end = m.span.end;
        }
    }

    fn cjk_text() -> impl Strategy<Value = String> {
        crate::recognize::chars::text_from(
            "0123456789.一二三四五六七八九十百千万亿两点元%％年月日号份底初来近约余多以上下半第+·个名人次 今去前明同次翌此的截至目累计迄这些几〇零-—",
        )
    }

    fn article_date() -> impl Strategy<Value = Option<DateValue>> {
        prop_oneof![
            Just(None),
            (-3000i32..3000).prop_map(|y| Some(Year(y))),
            (i32::MIN..=i32::MAX, 1u8..=12).prop_map(|(y, m)| Some(YearMonth(y, m))),
            (1900i32..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Some(Day(y, m, d))),
        ]
    }

    proptest! {
        #[test]
        fn scan_never_panics_on_any_string(text in any::<String>(), article in article_date()) {
            check_spans(&text, &scan_dates(&text, article));
        }

        #[test]
        fn scan_spans_are_sorted_and_disjoint(text in cjk_text(), article in article_date()) {
            let mentions = scan_dates(&text, article);
            check_spans(&text, &mentions);
            for m in &mentions {
                if let Some(v) = m.value {
                    prop_assert_eq!(DateValue::parse_xsd(&v.to_xsd()), Some(v));
                }
            }
        }

        #[test]
        fn xsd_round_trips(y in -9999i32..=9999, m in 1u8..=12, d in 1u8..=31) {
            for v in [Year(y), YearMonth(y, m)] {
                prop_assert_eq!(DateValue::parse_xsd(&v.to_xsd()), Some(v));
            }
            let day = Day(y, m, d);
            let valid = d <= days_in_month(Some(y), m);
            prop_assert_eq!(DateValue::parse_xsd(&day.to_xsd()), valid.then_some(day));
        }

        #[test]
        fn parse_xsd_never_panics(s in "-?[0-9]{0,6}(-[0-9]{0,3}){0,3}") {
            let _ = DateValue::parse_xsd(&s);
        }
    }
}
