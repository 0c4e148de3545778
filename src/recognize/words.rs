//! Word lists matched in place, at a position of a text held as chars.
//!
//! The recognisers ask, at nearly every character of an article, whether one
//! of their words (titles, organisation heads, stop words, date words)
//! starts or ends there. Trying each listed word in turn made recognition
//! the slowest stage of a build. A [`Words`] set answers from the character
//! under the cursor first: a bit per code point says whether any word starts
//! (or ends) with it, which rejects almost every position at the cost of one
//! load, and only then are the few words sharing that character compared.
//! Answers are the ones the plain loops over the list gave, including which
//! word wins when several match (the first listed, or the longest).

use std::collections::HashMap;

/// A fixed list of words, indexed by their first and last characters.
pub struct Words {
    words: Vec<&'static str>,
    chars: Vec<Box<[char]>>,
    /// Indices into `words`, in list order, by first character.
    by_first: HashMap<char, Box<[u16]>>,
    /// Indices into `words`, in list order, by last character.
    by_last: HashMap<char, Box<[u16]>>,
    first: Bits,
    last: Bits,
}

/// One bit per code point of the Basic Multilingual Plane; characters
/// beyond it share bits (a false "maybe", never a false "no").
struct Bits(Box<[u64; 1024]>);

impl Bits {
    fn new() -> Self {
        Bits(Box::new([0; 1024]))
    }

    fn slot(c: char) -> (usize, u64) {
        let k = (c as u32 & 0xFFFF) as usize;
        (k >> 6, 1 << (k & 63))
    }

    fn set(&mut self, c: char) {
        let (i, bit) = Self::slot(c);
        self.0[i] |= bit;
    }

    #[inline]
    fn has(&self, c: char) -> bool {
        let (i, bit) = Self::slot(c);
        self.0[i] & bit != 0
    }
}

impl Words {
    /// Indexes `list`. Empty words are ignored: they match nowhere.
    ///
    /// # Panics
    /// If the list holds more than 65,535 words.
    pub fn new(list: &[&'static str]) -> Self {
        assert!(list.len() < usize::from(u16::MAX), "word list too long");
        let mut by_first: HashMap<char, Vec<u16>> = HashMap::new();
        let mut by_last: HashMap<char, Vec<u16>> = HashMap::new();
        let mut first = Bits::new();
        let mut last = Bits::new();
        let mut chars = Vec::with_capacity(list.len());
        for (i, word) in list.iter().enumerate() {
            let cs: Box<[char]> = word.chars().collect();
            if let (Some(&f), Some(&l)) = (cs.first(), cs.last()) {
                let i = u16::try_from(i).expect("checked above");
                by_first.entry(f).or_default().push(i);
                by_last.entry(l).or_default().push(i);
                first.set(f);
                last.set(l);
            }
            chars.push(cs);
        }
        let boxed = |m: HashMap<char, Vec<u16>>| {
            m.into_iter()
                .map(|(c, v)| (c, v.into_boxed_slice()))
                .collect()
        };
        Words {
            words: list.to_vec(),
            chars,
            by_first: boxed(by_first),
            by_last: boxed(by_last),
            first,
            last,
        }
    }

    /// The `i`th word of the list.
    pub fn word(&self, i: usize) -> &'static str {
        self.words[i]
    }

    /// Length of the `i`th word in characters.
    pub fn len_of(&self, i: usize) -> usize {
        self.chars[i].len()
    }

    /// Whether some word starts with `c`.
    #[inline]
    pub fn may_start(&self, c: char) -> bool {
        self.first.has(c) && self.by_first.contains_key(&c)
    }

    /// Indices of the words that start at `pos`, in list order.
    #[inline]
    pub fn starting_at<'a>(
        &'a self,
        text: &'a [char],
        pos: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        let candidates: &[u16] = match text.get(pos) {
            Some(&c) if self.first.has(c) => self.by_first.get(&c).map_or(&[], |v| v),
            _ => &[],
        };
        candidates
            .iter()
            .map(|&i| usize::from(i))
            .filter(move |&i| text[pos..].starts_with(&self.chars[i]))
    }

    /// Indices of the words that end just before `end`, in list order.
    #[inline]
    pub fn ending_at<'a>(
        &'a self,
        text: &'a [char],
        end: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        let candidates: &[u16] = match end.checked_sub(1).and_then(|k| text.get(k)) {
            Some(&c) if self.last.has(c) => self.by_last.get(&c).map_or(&[], |v| v),
            _ => &[],
        };
        candidates
            .iter()
            .map(|&i| usize::from(i))
            .filter(move |&i| text[..end].ends_with(&self.chars[i]))
    }

    /// The first listed word that starts at `pos`.
    #[inline]
    pub fn first_at(&self, text: &[char], pos: usize) -> Option<usize> {
        self.starting_at(text, pos).next()
    }

    /// The longest word that starts at `pos` (the last listed of equals).
    #[inline]
    pub fn longest_at(&self, text: &[char], pos: usize) -> Option<usize> {
        self.starting_at(text, pos)
            .max_by_key(|&i| self.chars[i].len())
    }

    /// Whether some word starts at `pos`.
    #[inline]
    pub fn any_at(&self, text: &[char], pos: usize) -> bool {
        self.first_at(text, pos).is_some()
    }

    /// The longest word that ends just before `end` (the last listed of equals).
    #[inline]
    pub fn longest_ending_at(&self, text: &[char], end: usize) -> Option<usize> {
        self.ending_at(text, end)
            .max_by_key(|&i| self.chars[i].len())
    }

    /// Whether some word ends just before `end`.
    #[inline]
    pub fn any_ending_at(&self, text: &[char], end: usize) -> bool {
        self.ending_at(text, end).next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LIST: &[&str] = &["主任", "副主任", "主任医师", "主", "任", "", "区长", "长"];

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// The plain loops the sets replace.
    fn naive_starting(text: &[char], pos: usize) -> Vec<usize> {
        LIST.iter()
            .enumerate()
            .filter(|(_, w)| {
                let w = chars(w);
                !w.is_empty() && pos <= text.len() && text[pos..].starts_with(&w)
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn naive_ending(text: &[char], end: usize) -> Vec<usize> {
        LIST.iter()
            .enumerate()
            .filter(|(_, w)| {
                let w = chars(w);
                !w.is_empty() && end <= text.len() && text[..end].ends_with(&w)
            })
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn answers_as_the_list_would() {
        let words = Words::new(LIST);
        let text = chars("副主任医师与区长主任");
        assert_eq!(words.first_at(&text, 1), Some(0));
        assert_eq!(
            words.longest_at(&text, 1).map(|i| words.word(i)),
            Some("主任医师")
        );
        assert_eq!(
            words.longest_at(&text, 0).map(|i| words.word(i)),
            Some("副主任")
        );
        assert_eq!(words.first_at(&text, 5), None);
        assert!(words.any_ending_at(&text, 8));
        assert_eq!(
            words.longest_ending_at(&text, 10).map(|i| words.word(i)),
            Some("主任")
        );
        assert!(!words.any_at(&text, text.len()));
        assert!(!words.any_ending_at(&text, 0));
        assert!(!words.any_ending_at(&text, text.len() + 1));
        assert!(words.may_start('主') && !words.may_start('与'));
        assert_eq!(words.len_of(2), 4);
    }

    proptest! {
        #[test]
        fn same_matches_as_the_plain_loop(
            text in proptest::collection::vec(
                proptest::sample::select(vec!['主', '任', '副', '医', '师', '区', '长', '与', '𠀋']),
                0..20,
            ),
            pos in 0usize..22,
        ) {
            let words = Words::new(LIST);
            prop_assert_eq!(words.starting_at(&text, pos).collect::<Vec<_>>(), naive_starting(&text, pos));
            prop_assert_eq!(words.ending_at(&text, pos).collect::<Vec<_>>(), naive_ending(&text, pos));
        }
    }
}
