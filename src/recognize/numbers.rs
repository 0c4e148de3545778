//! Figures in Chinese news text: exact decimals, Chinese and Arabic numerals,
//! and the quantities (money, percentages, counts with a measure word) the
//! extractor turns into observations.
//!
//! This module owns [`Decimal`] (exact arithmetic, never `f64`),
//! [`parse_number`] (one numeral, Arabic or Chinese) and [`scan_quantities`]
//! (every figure in a text, with its qualifier, unit and code-point span).

use serde::Serialize;

use super::chars::{
    arabic_digit, at, cn_digit, cn_unit, is_arabic, is_cn_numeral, is_range_connector, starts_with,
    word_len,
};
use crate::source::span::CharSpan;
use crate::value::{Decimal, Qualifier, Unit};

/// One figure found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quantity {
    /// Code points of the whole figure, including its qualifiers and unit.
    pub span: CharSpan,
    /// The value, with 万/亿 multipliers applied (1.49亿元 → 149000000).
    pub value: Decimal,
    /// Upper end of a range (3至4名 → `Some(4)`).
    pub value_max: Option<Decimal>,
    /// How exact the figure is.
    pub qualifier: Option<Qualifier>,
    /// What the figure counts.
    pub unit: Unit,
}

fn is_number_start(c: char) -> bool {
    is_arabic(c) || is_cn_numeral(c)
}

// ---------------------------------------------------------------------------
// Parsing one number
// ---------------------------------------------------------------------------

/// Parses one number: Arabic digits (optional decimal point, thousands commas "1,200"), Chinese numerals (一二三四五六七八九十百千万亿 零 〇 两, 点 for the decimal point: 一点二 → 1.2, 十四 → 14, 二千 → 2000, 三千五百 → 3500, 两万 → 20000, 千 → 1000 (bare 千/百/万 as in 千余个), 十一 → 11), or digits with a Chinese multiplier (1.5万 → 15000). None for anything else.
pub fn parse_number(s: &str) -> Option<Decimal> {
    let chars: Vec<char> = s.chars().collect();
    parse_chars(&chars)
}

fn parse_chars(chars: &[char]) -> Option<Decimal> {
    let first = *chars.first()?;
    if is_arabic(first) {
        let split = chars
            .iter()
            .position(|&c| !(is_arabic(c) || matches!(c, ',' | '.' | '．')))
            .unwrap_or(chars.len());
        let base = parse_arabic(&chars[..split])?;
        let mult = parse_multiplier(&chars[split..])?;
        base.checked_mul(mult)
    } else {
        parse_chinese(chars)
    }
}

/// Arabic digits with optional thousands commas and one decimal point.
fn parse_arabic(chars: &[char]) -> Option<Decimal> {
    let mut text = String::with_capacity(chars.len());
    let point = chars.iter().position(|&c| matches!(c, '.' | '．'));
    let (int, frac) = match point {
        Some(p) => (&chars[..p], &chars[p + 1..]),
        None => (chars, &chars[..0]),
    };
    if int.is_empty() || (point.is_some() && frac.is_empty()) {
        return None;
    }
    let groups: Vec<&[char]> = int.split(|&c| c == ',').collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    for g in &groups {
        for &c in *g {
            text.push(char::from(b'0' + arabic_digit(c)?));
        }
    }
    if point.is_some() {
        text.push('.');
        for &c in frac {
            text.push(char::from(b'0' + arabic_digit(c)?));
        }
    }
    text.parse().ok()
}

/// A run of Chinese multipliers (万, 亿, 千万 …); empty is ×1.
fn parse_multiplier(chars: &[char]) -> Option<Decimal> {
    if chars.len() > 3 {
        return None;
    }
    let mut m: i128 = 1;
    for &c in chars {
        m = m.checked_mul(cn_unit(c)?.0)?;
    }
    Some(Decimal::new(m, 0))
}

/// Chinese numeral, possibly with 点 and a trailing multiplier (一点五万).
fn parse_chinese(chars: &[char]) -> Option<Decimal> {
    match chars.iter().position(|&c| c == '点') {
        None => Some(Decimal::new(parse_chinese_int(chars)?, 0)),
        Some(p) => {
            let int = parse_chinese_int(&chars[..p])?;
            let rest = &chars[p + 1..];
            let n = rest
                .iter()
                .position(|&c| cn_digit(c).is_none())
                .unwrap_or(rest.len());
            if n == 0 {
                return None;
            }
            let mut m = int;
            for &c in &rest[..n] {
                m = m.checked_mul(10)?.checked_add(i128::from(cn_digit(c)?))?;
            }
            let scale = u32::try_from(n).ok()?;
            Decimal::new(m, scale).checked_mul(parse_multiplier(&rest[n..])?)
        }
    }
}

/// Integer Chinese numeral: 十一, 三千五百, 两万, 一万五, 二〇二四, 千.
fn parse_chinese_int(chars: &[char]) -> Option<i128> {
    if chars.is_empty() {
        return None;
    }
    if chars.len() >= 2 && chars.iter().all(|&c| cn_digit(c).is_some()) {
        let mut v: i128 = 0;
        for &c in chars {
            v = v.checked_mul(10)?.checked_add(i128::from(cn_digit(c)?))?;
        }
        return Some(v);
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Prev {
        Start,
        Digit,
        Zero,
        Unit(i128),
    }
    let mut total: i128 = 0;
    let mut section: i128 = 0;
    let mut digit: Option<i128> = None;
    // Unit right before the pending digit (一万五 → 五 counts thousands).
    let mut digit_after: Option<i128> = None;
    let mut last_small: Option<i128> = None;
    let mut prev = Prev::Start;
    for &c in chars {
        if let Some(d) = cn_digit(c) {
            if d == 0 {
                if prev == Prev::Digit {
                    return None;
                }
                prev = Prev::Zero;
                continue;
            }
            if prev == Prev::Digit {
                return None;
            }
            digit = Some(i128::from(d));
            digit_after = match prev {
                Prev::Unit(u) => Some(u),
                _ => None,
            };
            prev = Prev::Digit;
        } else if let Some((u, big)) = cn_unit(c) {
            if big {
                if let Prev::Unit(p) = prev
                    && p >= 10_000
                    && (u == 10_000 || p == 100_000_000)
                {
                    return None;
                }
                let mut sec = section.checked_add(digit.unwrap_or(0))?;
                if sec == 0 && total == 0 {
                    sec = 1;
                }
                total = if u == 100_000_000 {
                    total.checked_add(sec)?.checked_mul(u)?
                } else {
                    total.checked_add(sec.checked_mul(u)?)?
                };
                section = 0;
                last_small = None;
            } else {
                if last_small.is_some_and(|l| l <= u) {
                    return None;
                }
                let n = digit.unwrap_or(1);
                section = section.checked_add(n.checked_mul(u)?)?;
                last_small = Some(u);
            }
            digit = None;
            digit_after = None;
            prev = Prev::Unit(u);
        } else {
            return None;
        }
    }
    let tail = match (digit, digit_after) {
        (Some(d), Some(u)) => d.checked_mul(u / 10)?,
        (Some(d), None) => d,
        (None, _) => 0,
    };
    total.checked_add(section)?.checked_add(tail)
}

// ---------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------

/// Measure words, longest first.
const MEASURES: &[&str] = &[
    "平方米",
    "人次",
    "个月",
    "公里",
    "名",
    "人",
    "个",
    "项",
    "批",
    "所",
    "家",
    "户",
    "头",
    "只",
    "天",
    "岁",
    "级",
    "台",
    "例",
    "座",
    "条",
    "套",
    "次",
    "期",
    "倍",
    "亩",
    "吨",
    "斤",
    "张",
    "床",
    "支",
    "栋",
    "间",
    "场",
    "位",
];

/// Measure words a lone 一 may take (一名, 一所 …).
const LONE_YI_MEASURES: &[&str] = &["名", "人", "个", "项", "所", "家", "户", "批"];

/// People nouns that make a 万/亿 figure a head count (1.5万周边农牧民).
const PEOPLE_NOUNS: &[&str] = &["贫困人口", "农牧民", "群众", "牧民", "人口", "居民"];

/// Qualifiers before a number, longest first.
const PRE_QUALIFIERS: &[(&str, Qualifier)] = &[
    ("不超过", Qualifier::Under),
    ("不高于", Qualifier::Under),
    ("不少于", Qualifier::Over),
    ("不低于", Qualifier::Over),
    ("大约", Qualifier::Approx),
    ("将近", Qualifier::Approx),
    ("接近", Qualifier::Approx),
    ("超过", Qualifier::Over),
    ("突破", Qualifier::Over),
    ("至少", Qualifier::Over),
    ("不到", Qualifier::Under),
    ("不足", Qualifier::Under),
    ("不满", Qualifier::Under),
    ("未满", Qualifier::Under),
    ("近", Qualifier::Approx),
    ("约", Qualifier::Approx),
    ("超", Qualifier::Over),
    ("逾", Qualifier::Over),
    ("上", Qualifier::Over),
];

/// Qualifiers after the unit.
const POST_QUALIFIERS: &[(&str, Qualifier)] = &[
    ("以上", Qualifier::Over),
    ("以下", Qualifier::Under),
    ("以内", Qualifier::Under),
    ("左右", Qualifier::Approx),
];

/// Multipliers after Arabic digits (or after 余/多), longest first.
const MULTIPLIERS: &[&str] = &["千万", "百万", "万亿", "万", "亿", "千", "百"];

/// Characters that glue a number into a code or compound (1+10+N, 4·14).
fn is_glue(c: char) -> bool {
    matches!(
        c,
        '+' | '＋' | '·' | '•' | '・' | '∙' | '/' | '／' | '_' | '#'
    )
}

/// Characters that, right before a Chinese numeral, make it part of a word
/// (第十一, 统一, 唯一, 之一, 这一批, 万一).
fn cn_word_prefix(c: char) -> bool {
    matches!(
        c,
        '第' | '统'
            | '唯'
            | '之'
            | '这'
            | '那'
            | '某'
            | '每'
            | '哪'
            | '其'
            | '另'
            | '任'
            | '同'
            | '单'
            | '专'
            | '逐'
            | '均'
            | '划'
            | '初'
            | '星'
            | '周'
            | '礼'
            | '拜'
            | '老'
            | '小'
    )
}

fn is_punct_or_digit(c: char) -> bool {
    is_arabic(c)
        || c.is_ascii_punctuation()
        || c.is_whitespace()
        || matches!(
            c,
            '，' | '。'
                | '；'
                | '、'
                | '：'
                | '！'
                | '？'
                | '（'
                | '）'
                | '“'
                | '”'
                | '《'
                | '》'
        )
}

/// A number read from the text.
#[derive(Clone, Copy, Debug)]
struct NumTok {
    end: usize,
    value: Decimal,
    chinese: bool,
    /// The numeral is a lone 一.
    lone_yi: bool,
    /// The numeral is a lone 零 or 〇.
    lone_zero: bool,
    /// The numeral is a lone unit character 十/百/千/万/亿 (千余个, 上亿元).
    bare: Option<char>,
    /// A 万/亿 multiplier applies.
    has_big: bool,
    /// The trailing multiplier, to share across a range (3至5万元).
    mult: Option<Decimal>,
    /// 余 or 多 followed the number.
    over: bool,
}

enum Read {
    Tok(NumTok),
    Skip(usize),
}

/// Reads one bare number at `i` (which starts with a numeral character).
fn read_core(chars: &[char], i: usize) -> Read {
    let Some(first) = at(chars, i) else {
        return Read::Skip(i + 1);
    };
    if is_arabic(first) {
        let mut j = i;
        let mut seen_point = false;
        while let Some(c) = at(chars, j) {
            if is_arabic(c) {
                j += 1;
            } else if c == ','
                && !seen_point
                && (1..=3).all(|o| at(chars, j + o).is_some_and(is_arabic))
                && !at(chars, j + 4).is_some_and(is_arabic)
            {
                j += 4;
            } else if matches!(c, '.' | '．')
                && !seen_point
                && at(chars, j + 1).is_some_and(is_arabic)
            {
                seen_point = true;
                j += 1;
            } else {
                break;
            }
        }
        let dotted = matches!(at(chars, j), Some('.' | '．' | ':' | '：'))
            && at(chars, j + 1).is_some_and(is_arabic);
        if dotted {
            while at(chars, j).is_some_and(|c| is_arabic(c) || matches!(c, '.' | '．' | ':' | '：'))
            {
                j += 1;
            }
            return Read::Skip(j);
        }
        match parse_arabic(&chars[i..j]) {
            Some(value) => Read::Tok(NumTok {
                end: j,
                value,
                chinese: false,
                lone_yi: false,
                lone_zero: false,
                bare: None,
                has_big: false,
                mult: None,
                over: false,
            }),
            None => Read::Skip(j),
        }
    } else {
        let mut j = i;
        let mut seen_point = false;
        while let Some(c) = at(chars, j) {
            if is_cn_numeral(c) {
                j += 1;
            } else if c == '点'
                && !seen_point
                && j > i
                && at(chars, j + 1).and_then(cn_digit).is_some()
            {
                seen_point = true;
                j += 1;
            } else {
                break;
            }
        }
        if j == i {
            return Read::Skip(i + 1);
        }
        let run = &chars[i..j];
        let Some(value) = parse_chinese(run) else {
            return Read::Skip(j);
        };
        let trailing_big: Vec<char> = run
            .iter()
            .rev()
            .take_while(|&&c| matches!(c, '万' | '亿'))
            .copied()
            .collect();
        let mult = if trailing_big.is_empty() || trailing_big.len() == run.len() {
            None
        } else {
            parse_multiplier(&trailing_big)
        };
        Read::Tok(NumTok {
            end: j,
            value,
            chinese: true,
            lone_yi: run == ['一'],
            lone_zero: run.len() == 1 && matches!(run[0], '零' | '〇'),
            bare: (run.len() == 1 && cn_unit(run[0]).is_some()).then_some(run[0]),
            has_big: run.iter().any(|&c| matches!(c, '万' | '亿')),
            mult,
            over: false,
        })
    }
}

/// Reads a number with its 余/多 and multipliers (3000余万, 1.5万, 5千多万).
fn read_number(chars: &[char], i: usize) -> Read {
    let mut tok = match read_core(chars, i) {
        Read::Tok(t) => t,
        skip => return skip,
    };
    let mut k = tok.end;
    let mut mults = 0;
    loop {
        if !tok.over && matches!(at(chars, k), Some('余' | '多')) {
            tok.over = true;
            k += 1;
            continue;
        }
        if mults < 2
            && (!tok.chinese || tok.over)
            && let Some(m) = MULTIPLIERS.iter().find(|m| starts_with(chars, k, m))
        {
            let len = word_len(m);
            let Some(mult) = parse_multiplier(&chars[k..k + len]) else {
                break;
            };
            let Some(value) = tok.value.checked_mul(mult) else {
                return Read::Skip(k + len);
            };
            tok.value = value;
            tok.mult = Some(tok.mult.and_then(|p| p.checked_mul(mult)).unwrap_or(mult));
            tok.has_big |= m.contains(['万', '亿']);
            tok.bare = None;
            tok.lone_yi = false;
            k += len;
            mults += 1;
            continue;
        }
        break;
    }
    tok.end = k;
    Read::Tok(tok)
}

/// What follows a number.
enum UnitMatch {
    Unit(Unit, usize),
    /// 两个半月: adds a half, measure 个月.
    HalfMonth(usize),
    /// 两个多月: over, measure 个月.
    OverMonth(usize),
    /// Not a figure (date, percentage point, ordinal-like); skip this many chars.
    Reject(usize),
    Nothing,
}

fn unit_at(chars: &[char], k: usize) -> UnitMatch {
    let Some(c) = at(chars, k) else {
        return UnitMatch::Nothing;
    };
    match c {
        '元' => return UnitMatch::Unit(Unit::Yuan, 1),
        '%' | '％' => return UnitMatch::Unit(Unit::Percent, 1),
        '年' | '月' | '日' | '号' => return UnitMatch::Reject(1),
        _ => {}
    }
    if starts_with(chars, k, "周年") {
        return UnitMatch::Reject(2);
    }
    if starts_with(chars, k, "个百分点") {
        return UnitMatch::Reject(4);
    }
    if starts_with(chars, k, "个半月") {
        return UnitMatch::HalfMonth(3);
    }
    if starts_with(chars, k, "个多月") || starts_with(chars, k, "个余月") {
        return UnitMatch::OverMonth(3);
    }
    if starts_with(chars, k, "人民币") {
        return UnitMatch::Unit(Unit::Yuan, 3);
    }
    if starts_with(chars, k, "人民") {
        return UnitMatch::Nothing;
    }
    for &m in MEASURES {
        if !starts_with(chars, k, m) {
            continue;
        }
        let len = word_len(m);
        let ok = match m {
            "级" => (0..=4).any(|o| starts_with(chars, k + 1 + o, "地震")),
            "家" => !matches!(
                at(chars, k + 1),
                Some('庭' | '长' | '属' | '乡' | '园' | '人' | '具' | '电')
            ),
            _ => true,
        };
        return if ok {
            UnitMatch::Unit(Unit::Measure(m), len)
        } else {
            UnitMatch::Nothing
        };
    }
    UnitMatch::Nothing
}

/// The qualifier word ending right before `i`, not reaching before `floor`.
fn pre_qualifier(
    chars: &[char],
    i: usize,
    floor: usize,
    tok: &NumTok,
) -> Option<(usize, Qualifier)> {
    for &(word, q) in PRE_QUALIFIERS {
        let len = word_len(word);
        if i < floor + len {
            continue;
        }
        let start = i - len;
        if !starts_with(chars, start, word) {
            continue;
        }
        let before = start.checked_sub(1).and_then(|b| at(chars, b));
        let excluded = match word {
            "约" => matches!(
                before,
                Some(
                    '节' | '制'
                        | '签'
                        | '合'
                        | '预'
                        | '履'
                        | '公'
                        | '邀'
                        | '特'
                        | '条'
                        | '契'
                        | '违'
                        | '婚'
                        | '相'
                )
            ),
            "近" => matches!(
                before,
                Some('最' | '附' | '邻' | '靠' | '亲' | '贴' | '临' | '新' | '就' | '远')
            ),
            "上" => {
                !matches!(tok.bare, Some('亿' | '万' | '千' | '百'))
                    || matches!(
                        before,
                        Some(
                            '以' | '之'
                                | '加'
                                | '马'
                                | '线'
                                | '网'
                                | '向'
                                | '晚'
                                | '早'
                                | '会'
                                | '台'
                                | '身'
                                | '路'
                                | '手'
                                | '北'
                        )
                    )
            }
            _ => false,
        };
        if !excluded {
            return Some((start, q));
        }
    }
    None
}

fn post_qualifier(chars: &[char], k: usize) -> Option<(usize, Qualifier)> {
    POST_QUALIFIERS
        .iter()
        .find(|(w, _)| starts_with(chars, k, w))
        .map(|&(w, q)| (word_len(w), q))
}

fn people_noun_near(chars: &[char], k: usize) -> bool {
    for o in 0..=6 {
        let Some(c) = at(chars, k + o) else {
            return false;
        };
        if PEOPLE_NOUNS.iter().any(|n| starts_with(chars, k + o, n)) {
            return true;
        }
        if is_punct_or_digit(c) {
            return false;
        }
    }
    false
}

/// Whether the text at `k` starts something that looks like a measure word
/// (一批批, 一项项) or another 一 (一人一策).
fn measure_like_at(chars: &[char], k: usize) -> bool {
    at(chars, k) == Some('一') || MEASURES.iter().any(|m| starts_with(chars, k, m))
}

/// Tries a figure starting at `i`; `floor` is the end of the previous figure.
/// Returns the quantity (if any) and where scanning resumes.
fn read_figure(chars: &[char], i: usize, floor: usize) -> (Option<Quantity>, usize) {
    // 百分之三十
    if starts_with(chars, i, "百分之") && at(chars, i + 3).is_some_and(is_number_start) {
        let tok = match read_core(chars, i + 3) {
            Read::Tok(t) => t,
            Read::Skip(n) => return (None, n),
        };
        let mut end = tok.end;
        let mut qualifier = pre_qualifier(chars, i, floor, &tok);
        let start = qualifier.map_or(i, |(s, _)| s);
        if let Some((len, q)) = post_qualifier(chars, end) {
            end += len;
            qualifier = Some((start, q));
        }
        let q = Quantity {
            span: CharSpan::new(start, end),
            value: tok.value,
            value_max: None,
            qualifier: qualifier.map(|(_, q)| q),
            unit: Unit::Percent,
        };
        return (Some(q), end);
    }
    let Some(c) = at(chars, i) else {
        return (None, i + 1);
    };
    if !is_number_start(c) {
        return (None, i + 1);
    }
    let tok = match read_number(chars, i) {
        Read::Tok(t) => t,
        Read::Skip(n) => return (None, n.max(i + 1)),
    };
    let skip = (None, tok.end.max(i + 1));
    let before = i.checked_sub(1).and_then(|b| at(chars, b));
    if let Some(b) = before {
        if b == '第' || is_glue(b) {
            return skip;
        }
        if tok.chinese && cn_word_prefix(b) {
            return skip;
        }
        if !tok.chinese && (b.is_ascii_alphanumeric() || matches!(b, '.' | '．' | '-' | '－')) {
            return skip;
        }
    }
    if let Some(a) = at(chars, tok.end)
        && (is_glue(a) || (!tok.chinese && a.is_ascii_alphabetic()))
    {
        return skip;
    }
    let mut value = tok.value;
    let mut k = tok.end;
    let mut over = tok.over;
    let mut has_big = tok.has_big;

    // Range before the unit: 3至4名, 3-4名, 3至5万元.
    let mut value_max = None;
    if at(chars, k).is_some_and(is_range_connector)
        && at(chars, k + 1).is_some_and(is_number_start)
        && let Read::Tok(t2) = read_number(chars, k + 1)
    {
        let mut low = value;
        if tok.mult.is_none()
            && let Some(m) = t2.mult
        {
            low = value.checked_mul(m).unwrap_or(value);
        }
        if t2.value > low {
            value = low;
            value_max = Some(t2.value);
            over |= t2.over;
            has_big |= t2.has_big;
            k = t2.end;
        }
    }

    let mut qualifier = if over { Some(Qualifier::Over) } else { None };
    let pre = pre_qualifier(chars, i, floor, &tok);
    let start = pre.map_or(i, |(s, _)| s);

    let (unit, unit_end) = match unit_at(chars, k) {
        UnitMatch::Unit(u, len) => (u, k + len),
        UnitMatch::HalfMonth(len) if value_max.is_none() => {
            match value.checked_add(Decimal::new(5, 1)) {
                Some(v) => value = v,
                None => return (None, k + len),
            }
            (Unit::Measure("个月"), k + len)
        }
        UnitMatch::HalfMonth(len) => return (None, k + len),
        UnitMatch::OverMonth(len) => {
            qualifier = Some(Qualifier::Over);
            (Unit::Measure("个月"), k + len)
        }
        UnitMatch::Reject(len) => return (None, k + len),
        UnitMatch::Nothing => {
            if has_big && tok.bare.is_none() && people_noun_near(chars, k) {
                (Unit::Measure("人"), k)
            } else {
                return (None, k.max(i + 1));
            }
        }
    };

    // Numerals that are words, not figures.
    if tok.lone_zero {
        return (None, unit_end);
    }
    if tok.lone_yi && value_max.is_none() {
        let allowed = matches!(unit, Unit::Measure(m) if LONE_YI_MEASURES.contains(&m));
        if !allowed || measure_like_at(chars, unit_end) {
            return (None, unit_end);
        }
    }
    if tok.bare.is_some() && !over && pre.is_none() && value_max.is_none() {
        return (None, unit_end);
    }

    let mut end = unit_end;
    // Range after the unit: 1000元至5000元.
    if value_max.is_none()
        && at(chars, end).is_some_and(is_range_connector)
        && at(chars, end + 1).is_some_and(is_number_start)
        && let Read::Tok(t2) = read_number(chars, end + 1)
        && let UnitMatch::Unit(u2, len2) = unit_at(chars, t2.end)
        && u2 == unit
        && t2.value > value
    {
        value_max = Some(t2.value);
        end = t2.end + len2;
    }
    if let Some((len, q)) = post_qualifier(chars, end) {
        end += len;
        qualifier.get_or_insert(q);
    }
    if qualifier.is_none() {
        qualifier = pre.map(|(_, q)| q);
    }
    let q = Quantity {
        span: CharSpan::new(start, end),
        value,
        value_max,
        qualifier,
        unit,
    };
    (Some(q), end)
}

/// Every figure in `text`, left to right, non-overlapping.
pub fn scan_quantities(text: &str) -> Vec<Quantity> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut floor = 0;
    while i < chars.len() {
        let (found, next) = read_figure(&chars, i, floor);
        match found {
            Some(q) => {
                floor = q.span.end;
                i = q.span.end.max(i + 1);
                out.push(q);
            }
            None => i = next.max(i + 1),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (covered text, value, value_max, qualifier, unit) of every figure.
    type Row = (String, String, Option<String>, Option<Qualifier>, Unit);

    fn scan(text: &str) -> Vec<Row> {
        let chars: Vec<char> = text.chars().collect();
        scan_quantities(text)
            .into_iter()
            .map(|q| {
                (
                    chars[q.span.start..q.span.end].iter().collect(),
                    q.value.to_string(),
                    q.value_max.map(|v| v.to_string()),
                    q.qualifier,
                    q.unit,
                )
            })
            .collect()
    }

    fn one(text: &str, covered: &str, value: &str, qualifier: Option<Qualifier>, unit: Unit) {
        assert_eq!(
            scan(text),
            vec![(
                covered.to_string(),
                value.to_string(),
                None,
                qualifier,
                unit
            )],
            "in {text:?}"
        );
    }

    #[test]
    fn parses_single_numbers() {
        for (text, want) in [
            ("2000", "2000"),
            ("1,200", "1200"),
            ("12,345,678", "12345678"),
            ("1.49", "1.49"),
            ("１２", "12"),
            ("1.5万", "15000"),
            ("1.49亿", "149000000"),
            ("3千万", "30000000"),
            ("一点二", "1.2"),
            ("十四", "14"),
            ("十一", "11"),
            ("十", "10"),
            ("二千", "2000"),
            ("三千五百", "3500"),
            ("三千五", "3500"),
            ("一万五", "15000"),
            ("两万", "20000"),
            ("千", "1000"),
            ("百", "100"),
            ("万", "10000"),
            ("亿", "100000000"),
            ("一百零五", "105"),
            ("三千零五十", "3050"),
            ("二十亿零五万", "2000050000"),
            ("一亿二千万", "120000000"),
            ("二〇二四", "2024"),
            ("一点五万", "15000"),
            ("二十五点五", "25.5"),
            ("五", "5"),
            ("零", "0"),
        ] {
            assert_eq!(
                parse_number(text).map(|v| v.to_string()),
                Some(want.to_string()),
                "{text}"
            );
        }
        for bad in [
            "",
            "abc",
            "1,20",
            "1,2345",
            "1.",
            "十百",
            "五五万",
            "十三五",
            "3元",
            "点五",
            "一点",
            "1.2.3",
            "万万万万",
        ] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn money() {
        let y = Unit::Yuan;
        one("投入1.49亿元", "1.49亿元", "149000000", None, y);
        one("共2000元", "2000元", "2000", None, y);
        one("援助500万元", "500万元", "5000000", None, y);
        one("3千万元", "3千万元", "30000000", None, y);
        one(
            "3000余万元",
            "3000余万元",
            "30000000",
            Some(Qualifier::Over),
            y,
        );
        one(
            "200多万元",
            "200多万元",
            "2000000",
            Some(Qualifier::Over),
            y,
        );
        one("500余元", "500余元", "500", Some(Qualifier::Over), y);
        one(
            "5千多万元",
            "5千多万元",
            "50000000",
            Some(Qualifier::Over),
            y,
        );
        one(
            "上亿元资金",
            "上亿元",
            "100000000",
            Some(Qualifier::Over),
            y,
        );
        one("近亿元", "近亿元", "100000000", Some(Qualifier::Approx), y);
        one("三千万元", "三千万元", "30000000", None, y);
        one(
            "约1.2亿元人民币",
            "约1.2亿元",
            "120000000",
            Some(Qualifier::Approx),
            y,
        );
        one("5亿人民币", "5亿人民币", "500000000", None, y);
        one(
            "不超过100万元",
            "不超过100万元",
            "1000000",
            Some(Qualifier::Under),
            y,
        );
    }

    #[test]
    fn percentages() {
        let p = Unit::Percent;
        one("占30%", "30%", "30", None, p);
        one("占30％", "30％", "30", None, p);
        one("30%以下", "30%以下", "30", Some(Qualifier::Under), p);
        one("降至30%以下", "30%以下", "30", Some(Qualifier::Under), p);
        one("95%以上", "95%以上", "95", Some(Qualifier::Over), p);
        one("12.5%左右", "12.5%左右", "12.5", Some(Qualifier::Approx), p);
        one("百分之三十", "百分之三十", "30", None, p);
        one(
            "超过百分之九十",
            "超过百分之九十",
            "90",
            Some(Qualifier::Over),
            p,
        );
        one("百分之25", "百分之25", "25", None, p);
        assert!(scan("百分百").is_empty());
        assert!(scan("提高3个百分点").is_empty());
    }

    #[test]
    fn measures() {
        let m = Unit::Measure;
        for (text, covered, value, q, unit) in [
            ("0.12万人", "0.12万人", "1200", None, m("人")),
            ("1.5万人", "1.5万人", "15000", None, m("人")),
            (
                "700多人次",
                "700多人次",
                "700",
                Some(Qualifier::Over),
                m("人次"),
            ),
            (
                "1000余名",
                "1000余名",
                "1000",
                Some(Qualifier::Over),
                m("名"),
            ),
            ("1,200户", "1,200户", "1200", None, m("户")),
            ("3个月", "3个月", "3", None, m("个月")),
            ("两个半月", "两个半月", "2.5", None, m("个月")),
            (
                "两个多月",
                "两个多月",
                "2",
                Some(Qualifier::Over),
                m("个月"),
            ),
            ("五批", "五批", "5", None, m("批")),
            ("四批", "四批", "4", None, m("批")),
            ("千余个", "千余个", "1000", Some(Qualifier::Over), m("个")),
            ("六个区", "六个", "6", None, m("个")),
            ("三个阶段", "三个", "3", None, m("个")),
            ("十一个", "十一个", "11", None, m("个")),
            (
                "近三百名",
                "近三百名",
                "300",
                Some(Qualifier::Approx),
                m("名"),
            ),
            ("上万名", "上万名", "10000", Some(Qualifier::Over), m("名")),
            ("二千名", "二千名", "2000", None, m("名")),
            ("三千五百人", "三千五百人", "3500", None, m("人")),
            ("两万人", "两万人", "20000", None, m("人")),
            (
                "一万余人",
                "一万余人",
                "10000",
                Some(Qualifier::Over),
                m("人"),
            ),
            (
                "5万余头",
                "5万余头",
                "50000",
                Some(Qualifier::Over),
                m("头"),
            ),
            ("7.1级强烈地震", "7.1级", "7.1", None, m("级")),
            ("7.1级地震", "7.1级", "7.1", None, m("级")),
            ("一名医生", "一名", "1", None, m("名")),
            ("一所学校", "一所", "1", None, m("所")),
            ("3所学校", "3所", "3", None, m("所")),
            ("8天", "8天", "8", None, m("天")),
            ("12项", "12项", "12", None, m("项")),
            ("30家企业", "30家", "30", None, m("家")),
            ("200头牦牛", "200头", "200", None, m("头")),
            ("100只", "100只", "100", None, m("只")),
            ("65岁", "65岁", "65", None, m("岁")),
            ("10台", "10台", "10", None, m("台")),
            ("20例", "20例", "20", None, m("例")),
            ("3座", "3座", "3", None, m("座")),
            ("4条", "4条", "4", None, m("条")),
            ("500套", "500套", "500", None, m("套")),
            ("3次", "3次", "3", None, m("次")),
            ("两期", "两期", "2", None, m("期")),
            ("2倍", "2倍", "2", None, m("倍")),
            ("120公里", "120公里", "120", None, m("公里")),
            ("500亩", "500亩", "500", None, m("亩")),
            ("30吨", "30吨", "30", None, m("吨")),
            ("50斤", "50斤", "50", None, m("斤")),
            ("2000平方米", "2000平方米", "2000", None, m("平方米")),
            ("300张", "300张", "300", None, m("张")),
            ("100床", "100床", "100", None, m("床")),
            ("5支", "5支", "5", None, m("支")),
            ("8栋", "8栋", "8", None, m("栋")),
            ("20间", "20间", "20", None, m("间")),
            ("6场", "6场", "6", None, m("场")),
            ("9位", "9位", "9", None, m("位")),
            (
                "约200人左右",
                "约200人左右",
                "200",
                Some(Qualifier::Approx),
                m("人"),
            ),
            (
                "大约30名",
                "大约30名",
                "30",
                Some(Qualifier::Approx),
                m("名"),
            ),
            (
                "将近50户",
                "将近50户",
                "50",
                Some(Qualifier::Approx),
                m("户"),
            ),
            (
                "接近90%",
                "接近90%",
                "90",
                Some(Qualifier::Approx),
                p_unit(),
            ),
            (
                "突破1000人",
                "突破1000人",
                "1000",
                Some(Qualifier::Over),
                m("人"),
            ),
            (
                "超1000人",
                "超1000人",
                "1000",
                Some(Qualifier::Over),
                m("人"),
            ),
            ("逾百名", "逾百名", "100", Some(Qualifier::Over), m("名")),
            (
                "不到10人",
                "不到10人",
                "10",
                Some(Qualifier::Under),
                m("人"),
            ),
            ("不足5个", "不足5个", "5", Some(Qualifier::Under), m("个")),
            (
                "不满18岁",
                "不满18岁",
                "18",
                Some(Qualifier::Under),
                m("岁"),
            ),
            (
                "未满18岁",
                "未满18岁",
                "18",
                Some(Qualifier::Under),
                m("岁"),
            ),
            (
                "5000人以上",
                "5000人以上",
                "5000",
                Some(Qualifier::Over),
                m("人"),
            ),
            (
                "60岁以下",
                "60岁以下",
                "60",
                Some(Qualifier::Under),
                m("岁"),
            ),
            ("1.5万周边农牧民", "1.5万", "15000", None, m("人")),
            (
                "超过19万贫困人口",
                "超过19万",
                "190000",
                Some(Qualifier::Over),
                m("人"),
            ),
            ("两万群众", "两万", "20000", None, m("人")),
            ("3万居民", "3万", "30000", None, m("人")),
        ] {
            one(text, covered, value, q, unit);
        }
    }

    fn p_unit() -> Unit {
        Unit::Percent
    }

    #[test]
    fn ranges() {
        let m = Unit::Measure;
        for (text, covered, lo, hi, unit) in [
            ("3至4名", "3至4名", "3", "4", m("名")),
            ("3到5个", "3到5个", "3", "5", m("个")),
            ("3-4名", "3-4名", "3", "4", m("名")),
            ("三至五人", "三至五人", "3", "5", m("人")),
            ("3至5万元", "3至5万元", "30000", "50000", Unit::Yuan),
            (
                "1000元至5000元",
                "1000元至5000元",
                "1000",
                "5000",
                Unit::Yuan,
            ),
            ("10%-20%", "10%-20%", "10", "20", Unit::Percent),
        ] {
            assert_eq!(
                scan(text),
                vec![(
                    covered.to_string(),
                    lo.to_string(),
                    Some(hi.to_string()),
                    None,
                    unit
                )],
                "{text}"
            );
        }
    }

    #[test]
    fn not_figures() {
        for text in [
            "第十一批",
            "第二民族",
            "第3批",
            "1+10+N",
            "4·14",
            "“4·14”地震",
            "二级手术",
            "三级医院",
            "百分百",
            "一市五县",
            "一年",
            "一大批",
            "一些",
            "一方面",
            "一举两得",
            "一支",
            "一起",
            "一直",
            "一批批",
            "一项项",
            "一体",
            "一线",
            "统一",
            "唯一",
            "之一",
            "十分之一",
            "十周年",
            "2024年",
            "5月",
            "8月份",
            "13日",
            "4月14日",
            "2017年8月25日",
            "2019—2024年",
            "这一批",
            "G214国道",
            "5G基站",
            "10:30",
            "2010.4.14",
            "三级",
            "5级",
            "十三五规划",
            "千方百计",
            "万众一心",
            "百姓",
            "一人一策",
            "两岸",
            "3家庭",
            "为期2年",
            "30日内",
            "5岁.",
            "",
        ] {
            let rows: Vec<Row> = scan(text)
                .into_iter()
                .filter(|r| !(text == "5岁." && r.0 == "5岁"))
                .collect();
            assert!(rows.is_empty(), "{text:?} gave {rows:?}");
        }
    }

    #[test]
    fn several_in_a_sentence() {
        let rows = scan(
            "2010年4月14日，玉树发生7.1级强烈地震，北京投入1.49亿元援建3所学校，惠及1.5万周边农牧民，贫困发生率降至30%以下。",
        );
        let covered: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(covered, ["7.1级", "1.49亿元", "3所", "1.5万", "30%以下"]);
    }

    #[test]
    fn spans_count_code_points() {
        let text = "北京a近1000余名医生";
        let qs = scan_quantities(text);
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].span, CharSpan::new(3, 10));
        assert_eq!(qs[0].qualifier, Some(Qualifier::Over));
    }

    fn check_spans(text: &str, spans: &[CharSpan]) {
        let len = text.chars().count();
        let mut last_end = 0;
        for s in spans {
            assert!(s.start < s.end && s.end <= len, "{s:?} in {text:?}");
            assert!(s.start >= last_end, "overlap at {s:?} in {text:?}");
            last_end = s.end;
        }
    }

    fn cjk_text() -> impl Strategy<Value = String> {
        crate::recognize::chars::text_from(
            "0123456789.一二三四五六七八九十百千万亿两点元%％年月日来近约余多以上下第+·个名人次 至到-分之级地震零〇超过不足左右群众",
        )
    }

    proptest! {
        #[test]
        fn scan_never_panics_on_any_string(text in any::<String>()) {
            let spans: Vec<CharSpan> = scan_quantities(&text).iter().map(|q| q.span).collect();
            check_spans(&text, &spans);
        }

        #[test]
        fn scan_spans_are_sorted_and_disjoint(text in cjk_text()) {
            let qs = scan_quantities(&text);
            let spans: Vec<CharSpan> = qs.iter().map(|q| q.span).collect();
            check_spans(&text, &spans);
            for q in &qs {
                if let Some(max) = q.value_max {
                    prop_assert!(max > q.value);
                }
            }
        }

        #[test]
        fn parse_number_never_panics(text in cjk_text()) {
            let _ = parse_number(&text);
        }

        #[test]
        fn decimal_round_trips(m in -1_000_000_000_000_000_000i128..=1_000_000_000_000_000_000i128, s in 0u32..10) {
            let v = Decimal::new(m, s);
            let text = v.to_string();
            prop_assert_eq!(text.parse::<Decimal>(), Ok(v));
            prop_assert!(!text.contains('e'));
        }

        #[test]
        fn decimal_order_matches_cross_multiplication(
            a in -1_000_000_000i128..1_000_000_000, sa in 0u32..8,
            b in -1_000_000_000i128..1_000_000_000, sb in 0u32..8,
        ) {
            let (x, y) = (Decimal::new(a, sa), Decimal::new(b, sb));
            let lhs = a * 10i128.pow(sb);
            let rhs = b * 10i128.pow(sa);
            prop_assert_eq!(x.cmp(&y), lhs.cmp(&rhs));
            prop_assert_eq!(x == y, lhs == rhs);
        }
    }

    /// The money forms the extraction issue lists, each to an exact yuan amount.
    #[test]
    fn listed_money_forms_normalise_to_exact_yuan() {
        for (text, yuan) in [
            ("2000万元", "20000000"),
            ("1.49亿元", "149000000"),
            ("二千万元", "20000000"),
            ("一点二亿元", "120000000"),
            ("0.12万元", "1200"),
            ("近60亿元", "6000000000"),
            ("4.34亿元", "434000000"),
            ("20万元", "200000"),
        ] {
            let found = scan_quantities(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].unit, Unit::Yuan, "{text}");
            assert_eq!(found[0].value.to_string(), yuan, "{text}");
        }
    }
}
