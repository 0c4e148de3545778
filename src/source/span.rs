//! Spans of text counted in Unicode code points, end exclusive.
//!
//! Every offset that leaves `source` is a [`CharSpan`]; byte offsets are an
//! implementation detail of whoever slices a `&str`.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of Unicode code points in an article text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharSpan {
    /// First code point of the span.
    pub start: usize,
    /// One past the last code point of the span.
    pub end: usize,
}

impl CharSpan {
    /// A span from `start` (inclusive) to `end` (exclusive).
    ///
    /// # Panics
    /// When `end < start`: a reversed span is a bug in the caller.
    pub fn new(start: usize, end: usize) -> Self {
        assert!(start <= end, "reversed span {start}..{end}");
        Self { start, end }
    }

    /// Number of code points covered.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers nothing.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `other` lies wholly inside `self`.
    pub fn contains(self, other: CharSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one code point.
    pub fn overlaps(self, other: CharSpan) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Maps between byte offsets and code-point offsets of one string.
///
/// Built once per text; lookups are `O(log n)`.
#[derive(Clone, Debug)]
pub struct CharIndex {
    /// Byte offset of every code point, plus the text length at the end.
    byte_of_char: Vec<usize>,
}

impl CharIndex {
    /// Index the code points of `text`.
    pub fn new(text: &str) -> Self {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_of_char.push(text.len());
        Self { byte_of_char }
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    /// Code-point offset of a byte offset that lies on a char boundary.
    ///
    /// A byte offset inside a code point maps to the code point that contains it.
    pub fn char_of_byte(&self, byte: usize) -> usize {
        match self.byte_of_char.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset of a code-point offset (clamped to the text length).
    pub fn byte_of_char(&self, ch: usize) -> usize {
        self.byte_of_char[ch.min(self.byte_of_char.len() - 1)]
    }

    /// The code-point span of a byte range.
    pub fn span_of_bytes(&self, start: usize, end: usize) -> CharSpan {
        CharSpan::new(self.char_of_byte(start), self.char_of_byte(end))
    }

    /// The byte range of a code-point span.
    pub fn bytes_of_span(&self, span: CharSpan) -> std::ops::Range<usize> {
        self.byte_of_char(span.start)..self.byte_of_char(span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_bytes_and_chars_both_ways() {
        let text = "北京a玉树";
        let index = CharIndex::new(text);
        assert_eq!(index.char_len(), 5);
        assert_eq!(index.char_of_byte(6), 2);
        assert_eq!(index.byte_of_char(3), 7);
        let span = index.span_of_bytes(7, 13);
        assert_eq!(span, CharSpan::new(3, 5));
        assert_eq!(&text[index.bytes_of_span(span)], "玉树");
    }
}
