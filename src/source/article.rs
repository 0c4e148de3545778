//! Reading one article: front matter, text, and the region worth reading.
//!
//! An article file is UTF-8 text in one of two forms:
//!
//! * **with TOML front matter**: a first line `+++`, TOML metadata, a line
//!   `+++`, then the article text (headline first);
//! * **plain text**: the article text alone; its first non-empty line is the
//!   headline and everything else gets defaults (id from the file name, no
//!   date, language `zh`).
//!
//! The *text* of an article is what follows the front matter, with a leading
//! byte-order mark dropped and line ends normalised to `\n`. Every offset in
//! the graph counts code points into this text, and the text itself is stored
//! in the graph (`ykg:text`), so quotes can always be checked.
//!
//! Inside the text, only the *body* is read for facts: the headline, trailing
//! byline and outlet lines such as `(余晖 程宦宁)` / `(青海日报)`, site
//! boilerplate (a `友情提示` block and everything after it) and bracketed
//! notices (`【便民提示】…`) are not content. This module finds those regions;
//! it does not interpret the content.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::source::span::{CharIndex, CharSpan};
use crate::value::DateValue;

/// Why an article could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    /// The file could not be read.
    #[error("cannot read {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The path is not a regular file (a FIFO, a device, a directory) or is
    /// a symbolic link to nothing: reading it could block or means nothing.
    #[error("{}: {what}, not a regular file", .path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead.
        what: &'static str,
    },
    /// The file is not UTF-8.
    #[error("{}:{line}:{column}: not UTF-8 (invalid byte at offset {offset})", .path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Line of the first invalid byte, from 1.
        line: usize,
        /// Column (in characters) of the first invalid byte, from 1.
        column: usize,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The front matter is malformed.
    #[error("{}:{line}:{column}: malformed front matter: {reason}", .path.display())]
    FrontMatter {
        /// The file.
        path: PathBuf,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        reason: String,
    },
    /// The article has no text.
    #[error("{}: the article has no text", .path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The text contains control characters other than tab and newline (a binary file).
    #[error("{}:{line}:{column}: control character U+{code:04X} in the text (is this a binary file?)", .path.display())]
    Binary {
        /// The file.
        path: PathBuf,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The offending character.
        code: u32,
    },
    /// The file is larger than [`MAX_ARTICLE_BYTES`].
    #[error("{}: the article is {size} bytes, more than the limit of {limit} bytes: split it into several articles", .path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (at least, for a file read up to the limit).
        size: u64,
        /// The limit, [`MAX_ARTICLE_BYTES`].
        limit: u64,
    },
    /// A saved web page whose main text or metadata cannot be read.
    #[error("{}: {reason}", .path.display())]
    Html {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The article id is not usable in an IRI path segment.
    #[error("{}: invalid article id {id:?}: use letters, digits, '-', '_' or '.'", .path.display())]
    BadId {
        /// The file.
        path: PathBuf,
        /// The id.
        id: String,
    },
}

/// The largest article file read, in bytes (4 MiB, some forty times a
/// long news article). The rules take time in proportion to the text, and
/// the text is stored whole in the graph: a bigger file (a 50 MB line, a
/// binary dump) gets a clear error at once instead of a build that runs
/// for hours.
pub const MAX_ARTICLE_BYTES: u64 = 4 * 1024 * 1024;

/// The name that stands for standard input among article files (`add -`).
/// An article read from there takes its id from its front matter.
pub const STDIN: &str = "-";

/// Article metadata as written in the front matter. Unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: Option<String>,
    title: Option<String>,
    publisher: Option<String>,
    via: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    date: Option<String>,
    language: Option<String>,
    url: Option<String>,
}

/// The front matter of an article file as written (by `new` and for a
/// saved page), keys in this order, the empty ones left out.
#[derive(Debug, Default, serde::Serialize)]
pub(super) struct WrittenFrontMatter<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
}

impl WrittenFrontMatter<'_> {
    /// The `+++` block, TOML between the two lines, ready for the text.
    pub(super) fn block(&self) -> String {
        let toml = toml::to_string(self).expect("strings always serialise");
        format!("+++\n{toml}+++\n")
    }
}

/// Whether `id` can be an article id: letters, digits, '-', '_' or '.', as
/// an IRI path segment takes them unescaped.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A source document, read and normalised, ready for recognition.
#[derive(Clone, Debug)]
pub struct Article {
    /// Stable identifier: the front matter's `id`, else the file stem.
    pub id: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// The name of the file it was read from, without its directory, so
    /// that `add` and a fresh build describe it alike (`None` from stdin).
    pub file_name: Option<String>,
    /// The headline.
    pub title: String,
    /// The outlet that published it (青海日报).
    pub publisher: Option<String>,
    /// The site or app it was read on, when different from the publisher.
    pub via: Option<String>,
    /// Reporters in the byline.
    pub authors: Vec<String>,
    /// Publication date, at the precision known.
    pub date: Option<DateValue>,
    /// BCP 47 language tag of the text.
    pub language: String,
    /// Address of the original, when known.
    pub url: Option<String>,
    /// The text every offset counts into.
    pub text: String,
    /// The text in simplified characters, code point for code point, when
    /// it is written in traditional ones (see [`super::script`]): what the
    /// recognisers read. Offsets and quotes are of `text`.
    pub reading: Option<String>,
    /// The body: the part of the text read for facts (code points).
    pub body: CharSpan,
    /// Parts of the body that are not content (notices), in order.
    pub excluded: Vec<CharSpan>,
    index: CharIndex,
}

impl Article {
    /// Reads an article file.
    ///
    /// At most [`MAX_ARTICLE_BYTES`] and one more byte are read, so a huge
    /// file is refused without being loaded.
    pub fn read(path: &Path) -> Result<Article, ArticleError> {
        use std::io::Read;
        let io = |source| ArticleError::Io {
            path: path.to_owned(),
            source,
        };
        // Checked before opening: opening a FIFO blocks until a writer comes.
        let not_a_file = |what| ArticleError::NotAFile {
            path: path.to_owned(),
            what,
        };
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => {}
            Ok(m) if m.is_dir() => return Err(not_a_file("a directory")),
            Ok(_) => return Err(not_a_file("a FIFO, socket or device")),
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    && std::fs::symlink_metadata(path).is_ok() =>
            {
                return Err(not_a_file("a symbolic link to nothing"));
            }
            Err(e) => return Err(io(e)),
        }
        let file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > MAX_ARTICLE_BYTES {
            return Err(too_large(path, size));
        }
        let mut bytes = Vec::new();
        file.take(MAX_ARTICLE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        Article::parse(path, &bytes)
    }

    /// Parses an article from its bytes; `path` names it in errors and gives the default id.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Article, ArticleError> {
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if size > MAX_ARTICLE_BYTES {
            return Err(too_large(path, size));
        }
        let raw = std::str::from_utf8(bytes).map_err(|e| {
            let offset = e.valid_up_to();
            // The valid prefix is UTF-8, so it can be counted in characters.
            let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
            let (line, column) = line_column(prefix, prefix.len());
            ArticleError::NotUtf8 {
                path: path.to_owned(),
                line,
                column,
                offset,
            }
        })?;
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        // A saved page is read as the article file its main text makes
        // (see `super::html`); every offset counts into that text.
        let page;
        let raw = if super::html::is_html(path) {
            page = super::html::article_file(path, raw)?;
            page.as_str()
        } else {
            raw
        };
        let normalised = normalise_line_ends(raw);
        check_controls(path, &normalised)?;

        let (meta, text) = split_front_matter(path, &normalised)?;
        let text = text.to_owned();
        if text.trim().is_empty() {
            return Err(ArticleError::Empty {
                path: path.to_owned(),
            });
        }

        let id = match meta.id {
            Some(id) => id,
            None if path == Path::new(STDIN) => {
                return Err(ArticleError::FrontMatter {
                    path: path.to_owned(),
                    line: 1,
                    column: 1,
                    reason: "an article read from standard input needs an `id` in its \
                             front matter (yushu-kg new writes one)"
                        .to_owned(),
                });
            }
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "article".to_owned()),
        };
        if !is_valid_id(&id) {
            return Err(ArticleError::BadId {
                path: path.to_owned(),
                id,
            });
        }
        let date = match meta.date {
            Some(d) => Some(DateValue::parse_xsd(d.trim()).ok_or_else(|| {
                front_matter_error(
                    path,
                    &normalised,
                    "date",
                    format!("unparseable date {d:?}: write YYYY, YYYY-MM or YYYY-MM-DD"),
                )
            })?),
            None => None,
        };

        // The layout is read where the patterns can read it (来源, not 來源);
        // its spans are code points, the same in both texts, and the words it
        // takes from the text are given back as the text writes them.
        let reading = super::script::reading_of(&text, meta.language.as_deref());
        let read = reading.as_deref().unwrap_or(&text);
        let layout = Layout::of(read);
        let read_index = CharIndex::new(read);
        let index = CharIndex::new(&text);
        let as_written = |s: &str| -> String {
            match (&reading, read.find(s)) {
                (Some(_), Some(at)) => {
                    let start = read_index.span_of_bytes(at, at).start;
                    let span = CharSpan::new(start, start + s.chars().count());
                    text[index.bytes_of_span(span)].to_owned()
                }
                _ => s.to_owned(),
            }
        };
        let title = meta.title.unwrap_or_else(|| as_written(&layout.headline));
        let body = read_index.span_of_bytes(layout.body.start, layout.body.end);
        let excluded = layout
            .notices
            .iter()
            .map(|r| read_index.span_of_bytes(r.start, r.end))
            .collect();
        let authors = if meta.authors.is_empty() {
            layout
                .byline_authors
                .iter()
                .map(|a| as_written(a))
                .collect()
        } else {
            meta.authors
        };
        let language = match (meta.language, &reading) {
            (Some(l), _) => l,
            (None, Some(_)) => "zh-Hant".to_owned(),
            (None, None) => "zh".to_owned(),
        };
        Ok(Article {
            id,
            path: path.to_owned(),
            file_name: (path != Path::new(STDIN))
                .then(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .flatten(),
            title,
            publisher: meta.publisher.or(layout.outlet.as_deref().map(as_written)),
            via: meta.via,
            authors,
            date,
            language,
            url: meta.url,
            text,
            reading,
            body,
            excluded,
            index,
        })
    }

    /// The text the recognisers read: [`Article::reading`] if the article
    /// is in traditional characters, else the text itself. Same code points.
    pub fn read_text(&self) -> &str {
        self.reading.as_deref().unwrap_or(&self.text)
    }

    /// The text of a span of this article.
    pub fn text_at(&self, span: CharSpan) -> &str {
        &self.text[self.index.bytes_of_span(span)]
    }

    /// The code-point index of the text.
    pub fn index(&self) -> &CharIndex {
        &self.index
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        self.index.char_len()
    }

    /// The paragraphs of the body that are content, as code-point spans, in order.
    ///
    /// A paragraph is a line; excluded notices are left out.
    pub fn paragraphs(&self) -> Vec<CharSpan> {
        let body_bytes = self.index.bytes_of_span(self.body);
        let mut out = Vec::new();
        let mut start = body_bytes.start;
        for (i, c) in self.text[body_bytes.clone()].char_indices() {
            if c == '\n' {
                self.push_paragraph(&mut out, start, body_bytes.start + i);
                start = body_bytes.start + i + 1;
            }
        }
        self.push_paragraph(&mut out, start, body_bytes.end);
        out
    }

    fn push_paragraph(&self, out: &mut Vec<CharSpan>, start: usize, end: usize) {
        let line = &self.text[start..end];
        let trimmed_start = start + (line.len() - line.trim_start().len());
        let trimmed_end = end - (line.len() - line.trim_end().len());
        if trimmed_start >= trimmed_end {
            return;
        }
        let span = self.index.span_of_bytes(trimmed_start, trimmed_end);
        if self.excluded.iter().any(|x| x.overlaps(span)) {
            return;
        }
        out.push(span);
    }
}

/// Where the parts of an article's text are, in bytes.
struct Layout {
    headline: String,
    body: std::ops::Range<usize>,
    notices: Vec<std::ops::Range<usize>>,
    byline_authors: Vec<String>,
    outlet: Option<String>,
}

/// Lines that start site boilerplate: everything from such a line on is not content.
const BOILERPLATE_STARTS: &[&str] = &[
    "友情提示",
    "免责声明",
    "版权声明",
    "责任编辑",
    "【责任编辑",
    "分享到",
    "相关阅读",
    "相关新闻",
];

impl Layout {
    fn of(text: &str) -> Layout {
        // Lines with their byte ranges (without the newline).
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c == '\n' {
                lines.push(start..i);
                start = i + 1;
            }
        }
        lines.push(start..text.len());

        let first = lines
            .iter()
            .position(|r| !text[r.clone()].trim().is_empty())
            .unwrap_or(0);
        let headline = text[lines[first].clone()].trim().to_owned();
        let mut body_start = lines.get(first + 1).map_or(text.len(), |r| r.start);

        // Boilerplate: from the first line that opens it.
        let mut end_line = lines.len();
        for (i, r) in lines.iter().enumerate().skip(first + 1) {
            let line = text[r.clone()].trim();
            if BOILERPLATE_STARTS.iter().any(|b| line.starts_with(b)) {
                end_line = i;
                break;
            }
        }
        // Trailing byline and outlet lines: short lines wholly in parentheses.
        let mut byline_authors = Vec::new();
        let mut outlet = None;
        while end_line > first + 1 {
            let line = text[lines[end_line - 1].clone()].trim();
            if line.is_empty() {
                end_line -= 1;
                continue;
            }
            let Some(inner) = parenthesised(line) else {
                break;
            };
            let names: Vec<&str> = inner
                .split([' ', '\u{3000}', '、'])
                .filter(|s| !s.is_empty())
                .collect();
            if inner.ends_with("日报")
                || inner.ends_with("报")
                || inner.ends_with("社")
                || inner.ends_with("网")
            {
                outlet = Some(inner.to_owned());
            } else if !names.is_empty()
                && names
                    .iter()
                    .all(|n| (2..=4).contains(&n.chars().count()) && n.chars().all(is_cjk))
            {
                byline_authors = names.iter().map(|s| (*s).to_owned()).collect();
            } else {
                break;
            }
            end_line -= 1;
        }
        let body_end = if end_line == 0 {
            0
        } else {
            lines[end_line - 1].end
        };
        if body_start > body_end {
            body_start = body_end;
        }

        let notices = lines[..end_line]
            .iter()
            .filter(|r| r.start >= body_start && is_notice(text[r.start..r.end].trim()))
            .cloned()
            .collect();
        Layout {
            headline,
            body: body_start..body_end,
            notices,
            byline_authors,
            outlet,
        }
    }
}

/// A paragraph that opens with a bracketed notice label such as `【便民提示】`.
fn is_notice(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('【') else {
        return false;
    };
    let Some(label_end) = rest.find('】') else {
        return false;
    };
    let label = &rest[..label_end];
    ["提示", "公告", "广告", "声明", "通知", "链接"]
        .iter()
        .any(|w| label.ends_with(w))
}

fn parenthesised(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('(').or_else(|| line.strip_prefix('（'))?;
    let inner = inner
        .strip_suffix(')')
        .or_else(|| inner.strip_suffix('）'))?;
    (!inner.trim().is_empty() && inner.chars().count() <= 20).then(|| inner.trim())
}

/// The bytes of an article from `reader` (standard input), named `origin`
/// in errors; at most [`MAX_ARTICLE_BYTES`] and one more byte are read.
pub fn read_stdin_bytes(
    origin: &Path,
    reader: impl std::io::Read,
) -> Result<Vec<u8>, ArticleError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ArticleError::Io {
            path: origin.to_owned(),
            source,
        })?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > MAX_ARTICLE_BYTES {
        return Err(too_large(origin, size));
    }
    Ok(bytes)
}

fn too_large(path: &Path, size: u64) -> ArticleError {
    ArticleError::TooLarge {
        path: path.to_owned(),
        size,
        limit: MAX_ARTICLE_BYTES,
    }
}

/// Whether a character is a CJK ideograph.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn normalise_line_ends(raw: &str) -> String {
    if !raw.contains('\r') {
        return raw.to_owned();
    }
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

fn check_controls(path: &Path, text: &str) -> Result<(), ArticleError> {
    if let Some((offset, c)) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && c != '\n' && c != '\t')
    {
        let (line, column) = line_column(text, offset);
        return Err(ArticleError::Binary {
            path: path.to_owned(),
            line,
            column,
            code: c as u32,
        });
    }
    Ok(())
}

/// Line and column (both from 1, column in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Splits `+++` TOML front matter from the text; a file without it is all text.
fn split_front_matter<'a>(
    path: &Path,
    text: &'a str,
) -> Result<(FrontMatter, &'a str), ArticleError> {
    let Some(after_open) = text.strip_prefix("+++\n") else {
        return Ok((FrontMatter::default(), text));
    };
    let close = after_open.find("\n+++\n").map(|i| (i, i + 5)).or_else(|| {
        after_open
            .strip_suffix("\n+++")
            .map(|s| (s.len(), after_open.len()))
    });
    let Some((toml_end, text_start)) = close else {
        return Err(ArticleError::FrontMatter {
            path: path.to_owned(),
            line: 1,
            column: 1,
            reason: "front matter opened with +++ is never closed by a +++ line".to_owned(),
        });
    };
    let toml_src = &after_open[..toml_end];
    let meta: FrontMatter = toml::from_str(toml_src).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start) + 4; // "+++\n"
        let (line, column) = line_column(text, offset);
        ArticleError::FrontMatter {
            path: path.to_owned(),
            line,
            column,
            reason: e.message().trim().to_owned(),
        }
    })?;
    Ok((meta, &after_open[text_start..]))
}

fn front_matter_error(path: &Path, text: &str, key: &str, reason: String) -> ArticleError {
    let offset = text.find(&format!("\n{key}")).map_or(0, |i| i + 1);
    let (line, column) = line_column(text, offset);
    ArticleError::FrontMatter {
        path: path.to_owned(),
        line,
        column,
        reason,
    }
}

/// Lists the article files of a directory (`.txt`, `.md`, and saved pages
/// `.html` and `.htm`, in any case),
/// sorted by name, including names that are no readable file.
pub fn article_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // .txt, .TXT, .Md alike: the case of an extension says nothing.
        let is_article = path.extension().is_some_and(|e| {
            let e = e.to_string_lossy();
            e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md")
        }) || super::html::is_html(&path);
        // An article name that is not a readable file (a dangling link, a
        // FIFO) is kept, so that reading it says what is wrong.
        if is_article && !path.is_dir() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, ArticleError> {
        Article::parse(Path::new("t/a1.txt"), text.as_bytes())
    }

    #[test]
    fn plain_text_takes_headline_and_defaults() {
        let a = parse("标题一\n\n正文第一段。\n正文第二段。\n").unwrap();
        assert_eq!(a.id, "a1");
        assert_eq!(a.title, "标题一");
        assert_eq!(a.language, "zh");
        assert_eq!(a.text_at(a.body).trim(), "正文第一段。\n正文第二段。");
        assert_eq!(a.paragraphs().len(), 2);
    }

    #[test]
    fn front_matter_fills_metadata() {
        let a = parse("+++\nid = \"x-1\"\ntitle = \"T\"\ndate = \"2024-05\"\nauthors = [\"余晖\"]\n+++\n标题\n正文。\n").unwrap();
        assert_eq!(a.id, "x-1");
        assert_eq!(a.title, "T");
        assert_eq!(a.date, Some(DateValue::YearMonth(2024, 5)));
        assert_eq!(a.authors, vec!["余晖"]);
        assert!(a.text.starts_with("标题\n"));
    }

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let err = parse("+++\ntitle = \"T\"\nauther = \"x\"\n+++\n标题\n正文\n").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("t/a1.txt:3:1: malformed front matter"),
            "{msg}"
        );
    }

    #[test]
    fn unparseable_date_is_an_error() {
        let err = parse("+++\ndate = \"去年\"\n+++\n标题\n正文\n").unwrap_err();
        assert!(err.to_string().contains("t/a1.txt:2:1"), "{err}");
    }

    #[test]
    fn boilerplate_byline_and_notices_are_not_body() {
        let a = parse("标题\n正文。\n【便民提示】缴费350元。\n再一段。\n(余晖 程宦宁)\n(青海日报)\n友情提示\n本站转载。\n").unwrap();
        let body = a.text_at(a.body);
        assert!(body.ends_with("再一段。"), "{body:?}");
        assert_eq!(a.authors, vec!["余晖", "程宦宁"]);
        assert_eq!(a.publisher.as_deref(), Some("青海日报"));
        let paragraphs: Vec<&str> = a.paragraphs().into_iter().map(|p| a.text_at(p)).collect();
        assert_eq!(paragraphs, vec!["正文。", "再一段。"]);
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let a = parse("\u{feff}标题\r\n正文\r一段\r\n").unwrap();
        assert_eq!(a.text, "标题\n正文\n一段\n");
    }

    #[test]
    fn empty_and_binary_inputs_are_errors() {
        assert!(matches!(parse("  \n\n"), Err(ArticleError::Empty { .. })));
        assert!(matches!(
            parse("标题\n\u{0}\u{1}"),
            Err(ArticleError::Binary { line: 2, .. })
        ));
        let err = Article::parse(Path::new("b.txt"), b"ab\n\xff").unwrap_err();
        assert!(err.to_string().starts_with("b.txt:2:1: not UTF-8"), "{err}");
    }

    #[test]
    fn an_article_over_the_size_limit_is_refused_before_it_is_read() {
        let limit = usize::try_from(MAX_ARTICLE_BYTES).unwrap();
        let mut text = "标题\n".to_owned();
        text.push_str(&"a".repeat(limit - text.len()));
        assert!(parse(&text).is_ok(), "exactly the limit is fine");
        text.push('a');
        let err = parse(&text).unwrap_err();
        assert!(
            matches!(err, ArticleError::TooLarge { size, .. } if size == MAX_ARTICLE_BYTES + 1)
        );
        assert!(
            err.to_string()
                .starts_with("t/a1.txt: the article is 4194305 bytes"),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.txt");
        std::fs::write(&file, &text).unwrap();
        let err = Article::read(&file).unwrap_err();
        assert!(err.to_string().contains("big.txt: the article is"), "{err}");
    }

    /// Line ends as the parser counts them: after a BOM, with CRLF and CR
    /// made LF.
    fn lines_of(bytes: &[u8]) -> usize {
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        normalise_line_ends(text).matches('\n').count() + 1
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any bytes: an article whose spans all slice its text, or an error
        /// that names the file and a position inside the input.
        #[test]
        fn any_bytes_give_an_article_or_a_located_error(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
            front in proptest::prelude::any::<bool>(),
        ) {
            let mut input = if front { b"+++\n".to_vec() } else { Vec::new() };
            input.extend_from_slice(&bytes);
            check_parse(&input)?;
        }

        /// Text made of the pieces articles are made of, so that the front
        /// matter, headline, byline and notice rules all get exercised.
        #[test]
        fn article_like_text_gives_an_article_or_a_located_error(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40),
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            check_parse(text.as_bytes())?;
        }
    }

    const PIECES: &[&str] = &[
        "+++\n",
        "+++",
        "title = \"T\"\n",
        "date = \"2024-13\"\n",
        "date = \"2024\"\n",
        "id = \"a b\"\n",
        "id = \"x\"\n",
        "auther = 1\n",
        "=",
        "[",
        "\"",
        "\n",
        "\r\n",
        "\r",
        "\u{feff}",
        "\t",
        " ",
        "标题",
        "正文。",
        "【便民提示】",
        "友情提示",
        "(余晖 程宦宁)",
        "(青海日报)",
        "（",
        "）",
        "\u{1}",
        "\u{7f}",
        "\u{200f}",
        "\u{fffe}",
        "\u{ffff}",
        "𠀀",
    ];

    fn check_parse(input: &[u8]) -> Result<(), proptest::test_runner::TestCaseError> {
        use proptest::prop_assert;
        match Article::parse(Path::new("p.txt"), input) {
            Ok(a) => {
                prop_assert!(!a.text.trim().is_empty());
                prop_assert!(a.body.end <= a.char_len());
                let _ = a.text_at(a.body);
                for span in a.paragraphs().into_iter().chain(a.excluded.iter().copied()) {
                    prop_assert!(a.body.contains(span), "{span:?} outside {:?}", a.body);
                    let _ = a.text_at(span);
                }
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("p.txt"), "{msg}");
                let position = match e {
                    ArticleError::NotUtf8 {
                        line,
                        column,
                        offset,
                        ..
                    } => {
                        prop_assert!(offset < input.len());
                        Some((line, column))
                    }
                    ArticleError::FrontMatter { line, column, .. }
                    | ArticleError::Binary { line, column, .. } => Some((line, column)),
                    _ => None,
                };
                if let Some((line, column)) = position {
                    prop_assert!(line >= 1 && column >= 1, "{msg}");
                    prop_assert!(line <= lines_of(input), "{msg}");
                    prop_assert!(
                        msg.starts_with(&format!("p.txt:{line}:{column}: ")),
                        "{msg}"
                    );
                }
            }
        }
        Ok(())
    }
}
