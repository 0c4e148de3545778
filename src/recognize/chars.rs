//! Characters and words in a text held as `&[char]`: in-place word tests,
//! digits and numerals, shared by the scanners of figures, dates and names.

/// The character at `k`, if any.
pub(crate) fn at(chars: &[char], k: usize) -> Option<char> {
    chars.get(k).copied()
}

/// Whether `word` stands in `chars` at `k` (compared in place, without
/// allocating: these run for every position and every listed word).
pub(crate) fn starts_with(chars: &[char], k: usize, word: &str) -> bool {
    let mut rest = chars.get(k..).unwrap_or_default().iter();
    word.chars().all(|w| rest.next() == Some(&w))
}

/// Whether `word` ends at `end` in `chars`. Compares in place: these run
/// for every position and every listed word, so they must not allocate.
pub(crate) fn ends_with(chars: &[char], end: usize, word: &str) -> bool {
    let mut i = end.min(chars.len());
    if i != end {
        return false;
    }
    for w in word.chars().rev() {
        if i == 0 || chars[i - 1] != w {
            return false;
        }
        i -= 1;
    }
    true
}

/// Length of `word` in characters.
pub(crate) fn word_len(word: &str) -> usize {
    word.chars().count()
}

/// Value of an Arabic digit, ASCII or full-width.
pub(crate) fn arabic_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => u8::try_from(c as u32 - '０' as u32).ok(),
        _ => None,
    }
}

/// Whether a character is an Arabic digit, ASCII or full-width.
pub(crate) fn is_arabic(c: char) -> bool {
    arabic_digit(c).is_some()
}

/// Value of a Chinese digit character.
pub(crate) fn cn_digit(c: char) -> Option<u8> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Value of a Chinese unit character and whether it is a section unit (万, 亿).
pub(crate) fn cn_unit(c: char) -> Option<(i128, bool)> {
    Some(match c {
        '十' => (10, false),
        '百' => (100, false),
        '千' => (1_000, false),
        '万' => (10_000, true),
        '亿' => (100_000_000, true),
        _ => return None,
    })
}

/// Whether a character is a Chinese numeral, digit or unit.
pub(crate) fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || cn_unit(c).is_some()
}

/// Connectors between the two ends of a range (3至4名, 2019—2024年).
pub(crate) fn is_range_connector(c: char) -> bool {
    matches!(c, '至' | '到' | '-' | '－' | '—' | '–' | '~' | '～' | '〜')
}

/// Text for property tests: up to 40 characters, mostly from `pool` (the
/// characters a scanner looks at), sometimes any character at all.
#[cfg(test)]
pub(crate) fn text_from(pool: &str) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let pool: Vec<char> = pool.chars().collect();
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(pool), 1 => any::<char>()],
        0..40,
    )
    .prop_map(|v| v.into_iter().collect())
}
