//! A pasted text made into an article file: the front matter `build` and
//! `add` read, written for it (`yushu-kg new`).

use std::path::Path;

use super::article::{Article, ArticleError, WrittenFrontMatter, is_valid_id};
use crate::value::DateValue;

/// Why a pasted text could not be made into an article file.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// A flag's value would not be read back.
    #[error("--{flag} {value:?}: {reason}")]
    Flag {
        /// The flag, without its dashes.
        flag: &'static str,
        /// What was given.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The text itself (empty, or with front matter already).
    #[error(transparent)]
    Article(#[from] ArticleError),
}

/// What the user knows about a pasted text; each field a flag of `new`.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// The id; else one made of the date and a hash of the text.
    pub id: Option<String>,
    /// The headline; else the text's first non-empty line.
    pub title: Option<String>,
    /// Publication date: YYYY, YYYY-MM or YYYY-MM-DD.
    pub date: Option<String>,
    /// The outlet (青海日报).
    pub publisher: Option<String>,
    /// Address of the original.
    pub url: Option<String>,
}

/// The article file for `text`: TOML front matter, then the text as given
/// (its line ends normalised, one final newline). The result is read back
/// as an article before it is returned; a date or id that `build` would
/// refuse is an error naming its flag, and `origin` names the input in the
/// others.
pub fn article_file(origin: &Path, text: &str, meta: &Metadata) -> Result<String, NewError> {
    if let Some(d) = &meta.date
        && DateValue::parse_xsd(d.trim()).is_none()
    {
        return Err(NewError::Flag {
            flag: "date",
            value: d.clone(),
            reason: "write YYYY, YYYY-MM or YYYY-MM-DD",
        });
    }
    if let Some(id) = &meta.id
        && !is_valid_id(id)
    {
        return Err(NewError::Flag {
            flag: "id",
            value: id.clone(),
            reason: "use letters, digits, '-', '_' or '.'",
        });
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ArticleError::Empty {
            path: origin.to_owned(),
        }
        .into());
    }
    if text.starts_with("+++\n") {
        return Err(ArticleError::FrontMatter {
            path: origin.to_owned(),
            line: 1,
            column: 1,
            reason: "the text already has front matter: add it as it is".to_owned(),
        }
        .into());
    }
    let first_line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let title = meta.title.as_deref().unwrap_or(first_line);
    let made_id;
    let id = match &meta.id {
        Some(id) => id.as_str(),
        None => {
            // A date that is not one is the date's error below, not the id's.
            let date = meta
                .date
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit() || c == '-'))
                .unwrap_or("undated");
            made_id = format!("{date}-{:016x}", fnv1a(text.trim().as_bytes()));
            &made_id
        }
    };
    let front = WrittenFrontMatter {
        id: Some(id),
        title,
        date: meta.date.as_deref().map(str::trim),
        publisher: meta.publisher.as_deref(),
        url: meta.url.as_deref(),
        ..WrittenFrontMatter::default()
    };
    let file = format!("{}{}\n", front.block(), text.trim_end());
    Article::parse(origin, file.as_bytes())?;
    Ok(file)
}

/// 64-bit FNV-1a: a hash fixed by its definition, so that the id made for a
/// text is the same on every machine and release (std's hasher is not).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Metadata {
        Metadata::default()
    }

    #[test]
    fn the_first_line_is_the_title_and_the_text_is_kept_whole() {
        let text = "\n  北京援建玉树医院  \r\n正文第一段。\r\n\r\n正文第二段。";
        let file = article_file(Path::new("-"), text, &meta()).unwrap();
        let a = Article::parse(Path::new("x.txt"), file.as_bytes()).unwrap();
        assert_eq!(a.title, "北京援建玉树医院");
        assert!(
            a.text.contains("正文第一段。\n\n正文第二段。"),
            "{:?}",
            a.text
        );
        assert!(file.ends_with("正文第二段。\n"));
        assert!(a.id.starts_with("undated-"), "{}", a.id);
    }

    #[test]
    fn flags_fill_the_front_matter_and_are_escaped() {
        let m = Metadata {
            id: Some("qh-2024-001".into()),
            title: Some("“组团式”帮扶 \"quoted\" \\ back".into()),
            date: Some("2024-06".into()),
            publisher: Some("青海日报".into()),
            url: Some("https://example.org/a?b=1&c=2".into()),
        };
        let file = article_file(Path::new("-"), "标题\n正文。", &m).unwrap();
        let a = Article::parse(Path::new("x.txt"), file.as_bytes()).unwrap();
        assert_eq!(a.id, "qh-2024-001");
        assert_eq!(a.title, "“组团式”帮扶 \"quoted\" \\ back");
        assert_eq!(a.date, Some(crate::value::DateValue::YearMonth(2024, 6)));
        assert_eq!(a.publisher.as_deref(), Some("青海日报"));
        assert_eq!(a.url.as_deref(), Some("https://example.org/a?b=1&c=2"));
    }

    #[test]
    fn the_made_id_depends_on_the_date_and_the_text_only() {
        let dated = Metadata {
            date: Some("2024-06-01".into()),
            ..meta()
        };
        let id = |text: &str, m: &Metadata| {
            let file = article_file(Path::new("-"), text, m).unwrap();
            Article::parse(Path::new("x.txt"), file.as_bytes())
                .unwrap()
                .id
        };
        let a = id("标题\n正文。", &dated);
        assert!(a.starts_with("2024-06-01-"), "{a}");
        assert_eq!(
            a,
            id("标题\r\n正文。\n\n", &dated),
            "line ends do not count"
        );
        assert_ne!(a, id("标题\n正文！", &dated));
        // Fixed by FNV-1a's definition, not by this build's hasher.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn a_bad_date_or_id_names_its_flag_and_a_bad_text_its_input() {
        let bad_date = Metadata {
            date: Some("June 2024".into()),
            ..meta()
        };
        let err = article_file(Path::new("-"), "标题\n正文。", &bad_date).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--date \"June 2024\": write YYYY, YYYY-MM or YYYY-MM-DD"
        );
        let bad_id = Metadata {
            id: Some("a b".into()),
            ..meta()
        };
        let err = article_file(Path::new("-"), "标题\n正文。", &bad_id).unwrap_err();
        assert!(err.to_string().starts_with("--id \"a b\""), "{err}");
        let err = article_file(Path::new("a.txt"), "+++\nid = \"x\"\n+++\n标题\n", &meta());
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("already has front matter")
        );
        let err = article_file(Path::new("paste.txt"), " \n\n", &meta()).unwrap_err();
        assert!(err.to_string().contains("paste.txt"), "{err}");
    }
}
