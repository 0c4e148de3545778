//! Saved web pages (`.html`, `.htm`) as articles.
//!
//! The main text is found with `dom_smoothie` (MIT), a port of Firefox's
//! Reader View (readability.js): it scores the page's blocks by their text
//! and link density, so navigation, sidebars of headlines, share bars,
//! comments and footers fall away, and it reads the metadata a page
//! states (`og:*`, `article:published_time`, JSON-LD `NewsArticle`). What
//! it cannot know is added here: the `<meta>` names of Chinese government
//! and portal sites (`PubDate`, `publishdate`, `ContentSource`,
//! `ArticleTitle`), the byline lines of Chinese news pages (发布时间：,
//! 来源：, 作者：) and the editor and copyright lines inside the content
//! (责任编辑：, 版权所有).
//!
//! The page becomes the text of an article file: the headline, a blank
//! line, then one paragraph per block, separated by blank lines, the way
//! a `.txt` article is laid out, with the metadata as front matter. Every
//! offset of the article counts into that text, which the store keeps.

use std::path::Path;

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

use super::article::{ArticleError, WrittenFrontMatter};

/// Whether a file is a saved web page, by its extension (in any case).
pub fn is_html(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm"))
}

/// The article file (front matter and text) for a saved page.
pub fn article_file(path: &Path, html: &str) -> Result<String, ArticleError> {
    let error = |reason: String| ArticleError::Html {
        path: path.to_owned(),
        reason,
    };
    let page = Document::from(html);
    let meta = Meta::of(&page);
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let mut reader = Readability::with_document(page.clone(), None, Some(config))
        .map_err(|e| error(format!("cannot read the page: {e}")))?;
    let found = reader
        .parse()
        .map_err(|e| error(format!("no main text found ({e})")))?;
    let paragraphs: Vec<String> = found
        .text_content
        .split('\n')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty() && !is_boilerplate(p))
        .collect();
    let cjk = paragraphs
        .iter()
        .flat_map(|p| p.chars())
        .filter(|&c| super::article::is_cjk(c))
        .count();
    if cjk < MIN_CJK {
        return Err(error(format!(
            "no main text found (the page's text has {cjk} Chinese characters; an article has at least {MIN_CJK})"
        )));
    }
    // A list of links (a column's index page) has words but no sentence.
    if !paragraphs
        .iter()
        .any(|p| p.contains(['。', '！', '？', '；']))
    {
        return Err(error(
            "no main text found (the page's text has no sentence: an index or a list of links?)"
                .to_owned(),
        ));
    }

    let byline = Byline::of(&page.select("body").text());
    let title = meta
        .title
        .clone()
        .or_else(|| headline(&page, &found.title))
        .unwrap_or_else(|| strip_site(&found.title));
    let date = meta
        .date
        .as_deref()
        .or(found.published_time.as_deref())
        .or(byline.date.as_deref())
        .and_then(day_of);
    let publisher = meta
        .publisher
        .clone()
        .or(found.site_name.clone())
        .or(byline.source.clone());
    let url = meta.url.clone().or(found.url.clone());
    let authors: Vec<String> = found
        .byline
        .as_deref()
        .or(byline.author.as_deref())
        .map(names)
        .unwrap_or_default();
    let front = WrittenFrontMatter {
        id: None,
        title: &title,
        date: date.as_deref(),
        publisher: publisher.as_deref(),
        authors,
        language: meta.language.as_deref(),
        url: url.as_deref(),
    };
    Ok(format!(
        "{}{title}\n\n{}\n",
        front.block(),
        paragraphs.join("\n\n")
    ))
}

/// The fewest Chinese characters a page's main text has to count as an
/// article (the shortest of the corpora has several hundred).
const MIN_CJK: usize = 40;

/// What the page's `<meta>` and `<link>` elements say.
#[derive(Default)]
struct Meta {
    title: Option<String>,
    date: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    language: Option<String>,
}

impl Meta {
    fn of(page: &Document) -> Meta {
        let mut m = Meta::default();
        let content = |names: &[&str]| -> Option<String> {
            page.select("meta").iter().find_map(|el| {
                let key = el.attr("property").or_else(|| el.attr("name"))?;
                names
                    .iter()
                    .any(|n| key.eq_ignore_ascii_case(n))
                    .then(|| el.attr("content"))
                    .flatten()
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
            })
        };
        m.title = content(&["og:title", "ArticleTitle", "twitter:title"]);
        m.date = content(&[
            "article:published_time",
            "publishdate",
            "PubDate",
            "pubdate",
            "publish_date",
            "publishtime",
        ]);
        m.publisher = content(&["ContentSource", "source", "og:site_name"]);
        m.url = content(&["og:url"]).or_else(|| {
            page.select("link[rel=canonical]")
                .attr("href")
                .map(|h| h.trim().to_owned())
                .filter(|h| h.starts_with("http"))
        });
        // A page's own language tag, if it says it is traditional Chinese
        // (the script module reads zh-Hant, zh-TW, zh-HK); zh-CN and the
        // like need not be written, detection does as well.
        m.language = page
            .select("html")
            .attr("lang")
            .map(|l| l.trim().to_owned())
            .filter(|l| super::script::declared(Some(l)) == Some(true));
        m
    }
}

/// What the byline lines of a Chinese news page say (发布时间：2020-04-14
/// 来源：青海日报 作者：…), read from the page's text.
#[derive(Default)]
struct Byline {
    date: Option<String>,
    source: Option<String>,
    author: Option<String>,
}

impl Byline {
    fn of(text: &str) -> Byline {
        let after = |labels: &[&str]| -> Option<String> {
            labels.iter().find_map(|label| {
                let at = text.find(label)? + label.len();
                let rest = text[at..].trim_start_matches([':', '：', ' ', '\u{3000}']);
                let value: String = rest
                    .chars()
                    .take_while(|&c| !c.is_whitespace() && c != '\u{3000}' && c != '|')
                    .take(40)
                    .collect();
                (!value.is_empty()).then_some(value)
            })
        };
        let date = ["发布时间", "发布日期", "时间：", "日期："]
            .iter()
            .find_map(|label| {
                let at = text.find(label)? + label.len();
                let rest: String = text[at..].chars().take(20).collect();
                day_of(rest.trim_start_matches([':', '：', ' ', '\u{3000}']))
            });
        Byline {
            date,
            source: after(&["来源：", "来源:", "稿源："]),
            author: after(&["作者：", "作者:"]),
        }
    }
}

/// The day a date string starts with, as YYYY-MM-DD: `2020-04-14T08:00`,
/// `2020-04-14 09:30`, `2020/4/14`, `2020年04月14日`.
fn day_of(s: &str) -> Option<String> {
    let s = s.trim();
    let mut parts = Vec::new();
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !digits.is_empty() && matches!(c, '-' | '/' | '.' | '年' | '月' | '日') {
            parts.push(std::mem::take(&mut digits));
            if parts.len() == 3 {
                break;
            }
        } else {
            break;
        }
    }
    if !digits.is_empty() && parts.len() < 3 {
        parts.push(digits);
    }
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (u16, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The page's `<h1>` that its `<title>` starts with (the title then goes on
/// with the column and the site: 标题_新闻中心_某某网).
fn headline(page: &Document, title: &str) -> Option<String> {
    page.select("h1").iter().find_map(|h| {
        let h = h.text().split_whitespace().collect::<Vec<_>>().join(" ");
        (!h.is_empty() && title.starts_with(&h)).then_some(h)
    })
}

/// A `<title>` without the column and site after it (标题_新闻_某某网,
/// 标题|新闻_门户网, 标题 - 青海日报): its first part.
fn strip_site(title: &str) -> String {
    title
        .split(['_', '|', '｜'])
        .next()
        .map(|t| t.split(" - ").next().unwrap_or(t))
        .unwrap_or(title)
        .trim()
        .to_owned()
}

/// The names of a byline: 张三 李四, 张三、李四; none for a byline that names
/// nobody (本报记者, 记者, 通讯员).
fn names(byline: &str) -> Vec<String> {
    const NOBODY: &[&str] = &[
        "本报记者",
        "记者",
        "通讯员",
        "本报通讯员",
        "本网记者",
        "佚名",
    ];
    byline
        .split(['、', ',', '，', ' ', '\u{3000}', '/'])
        .map(str::trim)
        .filter(|n| !n.is_empty() && !NOBODY.contains(n))
        .map(str::to_owned)
        .collect()
}

/// A paragraph of the main text that is not content: the editor's line,
/// the source line, a copyright notice, a print or share bar.
fn is_boilerplate(p: &str) -> bool {
    let bare = p.trim_matches(['（', '）', '(', ')', '[', ']', '【', '】', ' ']);
    let labelled = ["责任编辑", "编辑", "审核", "校对", "来源", "稿源", "作者"]
        .iter()
        .any(|l| {
            bare.strip_prefix(l)
                .is_some_and(|r| r.starts_with(['：', ':']))
        });
    (labelled && bare.chars().count() <= 40)
        || bare.contains("版权所有")
        || bare.to_ascii_lowercase().contains("copyright")
        || ["打印本页", "关闭窗口", "分享到"]
            .iter()
            .any(|w| bare.starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_every_shape_pages_write_are_days() {
        for s in [
            "2020-04-14T08:00:00+08:00",
            "2020-04-14 09:30",
            "2020/4/14",
            "2020年04月14日 08:00",
            "2020.04.14",
        ] {
            assert_eq!(day_of(s).as_deref(), Some("2020-04-14"), "{s}");
        }
        assert_eq!(day_of("浏览次数：1024"), None);
        assert_eq!(day_of("2020-13-01"), None);
        assert_eq!(day_of("14:30"), None);
    }

    #[test]
    fn the_site_goes_from_a_title_and_nobody_from_a_byline() {
        assert_eq!(strip_site("标题_新闻中心_玉树州人民政府网"), "标题");
        assert_eq!(strip_site("标题|新闻_门户网"), "标题");
        assert_eq!(strip_site("标题 - 青海日报"), "标题");
        assert_eq!(names("本报记者 张三、李四"), vec!["张三", "李四"]);
        assert!(names("本报记者").is_empty());
    }

    #[test]
    fn editor_source_and_copyright_lines_are_not_content() {
        for p in [
            "（责任编辑：李四）",
            "责任编辑：张三",
            "(编辑:王五)",
            "来源：青海日报",
            "版权所有：玉树藏族自治州人民政府",
            "Copyright © 2020 青海日报社",
        ] {
            assert!(is_boilerplate(p), "{p}");
        }
        // A sentence that names an editor's work is content.
        assert!(!is_boilerplate(
            "来源于北京的援建资金累计达26.6亿元，编辑部记者走访了12个项目。"
        ));
    }

    #[test]
    fn byline_lines_give_date_source_and_author() {
        let b = Byline::of(
            "首页 > 要闻 发布时间：2020-04-14 09:30　来源：青海日报　作者：张三　浏览次数：8",
        );
        assert_eq!(b.date.as_deref(), Some("2020-04-14"));
        assert_eq!(b.source.as_deref(), Some("青海日报"));
        assert_eq!(b.author.as_deref(), Some("张三"));
    }

    #[test]
    fn a_page_without_main_text_is_an_error_naming_the_file() {
        let page = "<html><head><title>首页</title></head><body><nav><a href='/'>首页</a><a href='/a'>新闻</a></nav></body></html>";
        let err = article_file(Path::new("empty.html"), page).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("empty.html"), "{msg}");
        assert!(msg.contains("no main text found"), "{msg}");
    }
}
