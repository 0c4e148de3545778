//! The article reader (`/article/{id}`): an article's text with every
//! mention the store holds marked by class and linked to its entity's
//! page, and every fact's evidence marked, saying the fact, with an anchor
//! (`#c{start}-{end}`) that evidence links elsewhere lead to.
//!
//! Everything comes from the store: the article's own graph holds its
//! text, its evidence and where it names each entity (`ykg:mentionSpans`); the facts those
//! evidence nodes support are described from the union graph.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use maud::{Markup, html};
use oxigraph::model::Term;

use crate::query::cell_value as value;
use crate::rdf::{iri, vocab};
use crate::store::{Store, StoreError};

/// A name marked in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedMention {
    /// Code-point span in the article's text.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// The entity's path under `/entity/`.
    pub entity: String,
    /// The entity's class, as the ontology's local name (`Hospital`).
    pub class: String,
    /// The entity's Chinese label.
    pub label: String,
}

/// A fact marked in the text at its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedFact {
    /// Code-point span of the evidence in the article's text.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// What kind of fact, in Chinese with the English term (`资金 funding`).
    pub kind: String,
    /// The fact in words (`北京市 → 玉树州 · 2,000万元 · 2024 · medical`).
    pub says: String,
}

/// What the reader shows of one article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleView {
    /// The article's id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publisher, if known.
    pub publisher: Option<String>,
    /// Publication date as stored, if known.
    pub date: Option<String>,
    /// The source's address, if known.
    pub url: Option<String>,
    /// The text the offsets count into.
    pub text: String,
    /// Its mentions, by start.
    pub mentions: Vec<MarkedMention>,
    /// Its facts, by evidence start.
    pub facts: Vec<MarkedFact>,
}

fn number(t: &Option<Term>) -> Option<usize> {
    value(t).parse().ok()
}

/// The local name of an ontology term.
fn local(iri: &str) -> &str {
    iri.strip_prefix(vocab::NS).unwrap_or(iri)
}

/// An amount in yuan in 万元, with thousands separators (2,000万元), or in
/// 元 when it is not a whole number of 万.
pub fn format_amount(yuan: &str) -> String {
    let group = |digits: &str| {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    match yuan.parse::<u128>() {
        Ok(n) if n.is_multiple_of(10_000) => format!("{}万元", group(&(n / 10_000).to_string())),
        Ok(n) => format!("{}元", group(&n.to_string())),
        Err(_) => format!("{yuan}元"),
    }
}

/// A qualifier in words (约, 超过, 不足).
fn qualifier_words(q: &str) -> &str {
    match q {
        "approx" => "约",
        "over" => "超过",
        "under" => "不足",
        other => other,
    }
}

/// A sector in Chinese with its English term (医疗 medical).
fn sector_words(s: &str) -> String {
    let zh = match s {
        "medical" => "医疗",
        "education" => "教育",
        "industry" => "产业",
        "talent" => "人才",
        "tourism" => "旅游",
        "infrastructure" => "基础设施",
        "housing" => "住房",
        "total" => "合计",
        "other" => "其他",
        _ => return s.to_owned(),
    };
    format!("{zh} {s}")
}

/// A figure's value with its unit (95%, 2,000万元, 300 person).
fn figure_words(value: &str, unit: &str) -> String {
    match unit {
        "percent" => format!("{value}%"),
        "yuan" => format_amount(value),
        "" => value.to_owned(),
        unit => format!("{value} {unit}"),
    }
}

/// The words of a predicate, in Chinese with the English term.
fn predicate_words(local: &str) -> String {
    let zh = match local {
        "pairedWith" => "结对",
        "supports" => "支援",
        "participatesIn" => "参与",
        "locatedIn" => "位于",
        "partOf" => "隶属",
        "affiliation" => "任职于",
        "date" => "日期",
        "year" => "年份",
        _ => "",
    };
    if zh.is_empty() {
        local.to_owned()
    } else {
        format!("{zh} {local}")
    }
}

/// The reader's view of article `id`, or `None` when the store has no
/// such article. All its queries together are held to `timeout`.
pub fn load(
    store: &Store,
    id: &str,
    timeout: Option<Duration>,
) -> Result<Option<ArticleView>, StoreError> {
    let deadline = timeout.map(|t| Instant::now() + t);
    let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
    let ns = vocab::NS;
    let art = iri::article(id);
    let graph = format!("{}article/{}", vocab::GRAPH, iri::segment(id));
    let meta = store.select_within(
        &format!(
            "SELECT ?p ?o WHERE {{ GRAPH <{graph}> {{ <{}> ?p ?o }} }}",
            art.as_str()
        ),
        left(),
    )?;
    if meta.is_empty() {
        return Ok(None);
    }
    let mut view = ArticleView {
        id: id.to_owned(),
        ..ArticleView::default()
    };
    for row in &meta {
        let o = value(&row[1]);
        match local(&value(&row[0])) {
            "title" => view.title = o,
            "publisher" => view.publisher = Some(o),
            "datePublished" => view.date = Some(o),
            "sourceUrl" => view.url = Some(o),
            "text" => view.text = o,
            _ => {}
        }
    }
    let mentions = store.select_within(
        &format!(
            "SELECT ?e ?spans ?type ?label WHERE {{
               GRAPH <{graph}> {{ ?e <{ns}mentionSpans> ?spans }}
               OPTIONAL {{ ?e a ?type FILTER(STRSTARTS(STR(?type), \"{ns}\")) }}
               OPTIONAL {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(lang(?label) = \"zh\") }}
             }}"
        ),
        left(),
    )?;
    let mut seen = BTreeSet::new();
    for row in &mentions {
        let entity = value(&row[0]);
        for (start, end) in parse_spans(&value(&row[1])) {
            if !seen.insert((start, end, entity.clone())) {
                continue;
            }
            view.mentions.push(MarkedMention {
                start,
                end,
                entity: entity.strip_prefix(vocab::ID).unwrap_or(&entity).to_owned(),
                class: local(&value(&row[2])).to_owned(),
                label: value(&row[3]),
            });
        }
    }
    view.mentions
        .sort_by(|a, b| (a.start, b.end, &a.entity).cmp(&(b.start, a.end, &b.entity)));
    view.facts = facts(store, &graph, left())?;
    Ok(Some(view))
}

/// The spans of a `ykg:mentionSpans` literal (`"12-15 480-483"`); a
/// piece that is not `start-end` with start before end is left out.
pub fn parse_spans(spans: &str) -> Vec<(usize, usize)> {
    spans
        .split(' ')
        .filter_map(|piece| {
            let (s, e) = piece.split_once('-')?;
            let (s, e) = (s.parse().ok()?, e.parse().ok()?);
            (s < e).then_some((s, e))
        })
        .collect()
}

/// The facts whose evidence is in the article's graph, described.
fn facts(
    store: &Store,
    graph: &str,
    timeout: Option<Duration>,
) -> Result<Vec<MarkedFact>, StoreError> {
    let ns = vocab::NS;
    let rows = store.select_within(
        &format!(
            "SELECT ?fact ?s ?t ?type ?p ?o ?label WHERE {{
               GRAPH <{graph}> {{ ?fact <{ns}evidence> ?ev . ?ev <{ns}start> ?s ; <{ns}end> ?t }}
               ?fact a ?type FILTER(?type IN (<{ns}Funding>, <{ns}Observation>, <{ns}Position>, <{ns}Event>, <{ns}Statement>))
               ?fact ?p ?o .
               OPTIONAL {{ ?o <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(lang(?label) = \"zh\") }}
             }}"
        ),
        timeout,
    )?;
    // Each fact at each of its spans: its class and its properties, each
    // value read as its label where it has one.
    type Props = BTreeMap<String, Vec<String>>;
    let mut by_fact: BTreeMap<(usize, usize, String), (String, Props)> = BTreeMap::new();
    for row in &rows {
        let (Some(start), Some(end)) = (number(&row[1]), number(&row[2])) else {
            continue;
        };
        let entry = by_fact
            .entry((start, end, value(&row[0])))
            .or_insert_with(|| (local(&value(&row[3])).to_owned(), Props::new()));
        let predicate = value(&row[4]);
        let key = predicate.rsplit(['#', '/']).next().unwrap_or_default();
        let shown = match (&row[6], &row[5]) {
            // A statement's predicate: the ontology's Chinese label and the term.
            (Some(Term::Literal(l)), Some(Term::NamedNode(n))) if key == "predicate" => {
                format!("{} {}", l.value(), local(n.as_str()))
            }
            (None, Some(Term::NamedNode(n))) if key == "predicate" => {
                predicate_words(local(n.as_str()))
            }
            (Some(Term::Literal(l)), _) => l.value().to_owned(),
            (None, Some(Term::NamedNode(n))) => local(n.as_str()).to_owned(),
            (_, o) => value(o),
        };
        let values = entry.1.entry(key.to_owned()).or_default();
        if !values.contains(&shown) {
            values.push(shown);
        }
    }
    let mut out: Vec<MarkedFact> = by_fact
        .into_iter()
        .map(|((start, end, _), (class, props))| {
            let get = |p: &str| props.get(p).map(|v| v.join("、")).unwrap_or_default();
            let joined = |parts: Vec<String>| {
                parts
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            let (kind, says) = match class.as_str() {
                "Funding" => (
                    "资金 funding",
                    joined(vec![
                        format!("{} → {}", get("funder"), get("recipient")),
                        format!(
                            "{}{}",
                            qualifier_words(&get("qualifier")),
                            format_amount(&get("amount"))
                        ),
                        get("year"),
                        sector_words(&get("sector")),
                        props
                            .get("projectCount")
                            .map(|n| format!("{}个项目", n.join("")))
                            .unwrap_or_default(),
                    ]),
                ),
                "Observation" => (
                    "数据 figure",
                    joined(vec![
                        get("about"),
                        format!(
                            "{} {}{}",
                            get("metric"),
                            qualifier_words(&get("qualifier")),
                            figure_words(&get("value"), &get("unit"))
                        ),
                        get("year"),
                    ]),
                ),
                "Position" => (
                    "职务 position",
                    joined(vec![get("person"), get("organization"), get("role")]),
                ),
                "Event" => (
                    "事件 event",
                    joined(vec![
                        props
                            .get("label")
                            .and_then(|l| {
                                l.iter()
                                    .find(|x| x.chars().any(crate::source::article::is_cjk))
                            })
                            .cloned()
                            .unwrap_or_default(),
                        get("date"),
                    ]),
                ),
                _ => (
                    "关系 relation",
                    format!("{} {} {}", get("subject"), get("predicate"), get("object")),
                ),
            };
            MarkedFact {
                start,
                end,
                kind: kind.to_owned(),
                says,
            }
        })
        .collect();
    out.sort_by(|a, b| (a.start, a.end, &a.says).cmp(&(b.start, b.end, &b.says)));
    out.dedup();
    Ok(out)
}

/// The anchor of a span, which evidence links lead to.
pub fn anchor(start: usize, end: usize) -> String {
    format!("c{start}-{end}")
}

/// The text with its marks. The text is cut at every mark's start and end;
/// each piece is wrapped in the facts that cover it (a `span.fact` saying
/// them) and in the innermost mention that covers it (an `a.m` to its
/// entity), so that marks that cross never make crossed tags.
pub fn marked_text(view: &ArticleView) -> Markup {
    let chars: Vec<char> = view.text.chars().collect();
    let n = chars.len();
    let mut cuts: BTreeSet<usize> = [0, n].into();
    for m in &view.mentions {
        cuts.insert(m.start.min(n));
        cuts.insert(m.end.min(n));
    }
    for f in &view.facts {
        cuts.insert(f.start.min(n));
        cuts.insert(f.end.min(n));
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut anchored = BTreeSet::new();
    html! {
        @for w in cuts.windows(2) {
            @let (a, b) = (w[0], w[1]);
            @let piece: String = chars[a..b].iter().collect();
            @let facts: Vec<&MarkedFact> = view.facts.iter().filter(|f| f.start <= a && b <= f.end).collect();
            @let mention = view.mentions.iter().filter(|m| m.start <= a && b <= m.end).min_by_key(|m| m.end - m.start);
            @for f in view.facts.iter().filter(|f| f.start == a) {
                @if anchored.insert((f.start, f.end)) {
                    span.anchor id=(anchor(f.start, f.end)) {}
                }
            }
            @let inner = html! {
                @if let Some(m) = mention {
                    a class={ "m m-" (m.class.to_lowercase()) } href={ "/entity/" (m.entity) }
                      title={ (m.label) " · " (m.class) } data-entity=(m.entity) { (piece) }
                } @else {
                    (piece)
                }
            };
            @if facts.is_empty() {
                (inner)
            } @else {
                @let says: Vec<String> = facts.iter().map(|f| format!("{}: {}", f.kind, f.says)).collect();
                span.fact title=(says.join("\n")) data-facts=(facts.len()) { (inner) }
            }
        }
    }
}

/// The reader's page body: the article's header, its marked text, a key to
/// the marks, and its facts, each linked to its place in the text.
pub fn body(view: &ArticleView) -> Markup {
    let classes: BTreeSet<&str> = view.mentions.iter().map(|m| m.class.as_str()).collect();
    html! {
        article {
            header {
                h1 { (view.title) }
                p.meta {
                    @if let Some(p) = &view.publisher { (p) " · " }
                    @if let Some(d) = &view.date { time datetime=(d) { (d) } " · " }
                    "id " code { (view.id) }
                    @if let Some(u) = &view.url { " · " a href=(u) rel="external nofollow" { "原文 source" } }
                }
            }
            p.key {
                "提及 mentions " (view.mentions.len()) ":"
                @for c in &classes { " " span class={ "m m-" (c.to_lowercase()) } { (c) } }
                " · 事实 facts " (view.facts.len()) ": " span.fact { "marked like this" }
            }
            div.text lang="zh" { (marked_text(view)) }
        }
        section {
            h2 { "事实 Facts" }
            table #facts {
                tr { th { "kind" } th { "fact" } th { "where" } }
                @for f in &view.facts {
                    tr {
                        td { (f.kind) }
                        td { (f.says) }
                        td { a href={ "#" (anchor(f.start, f.end)) } { (f.start) "–" (f.end) } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> ArticleView {
        ArticleView {
            id: "a".into(),
            title: "标题".into(),
            text: "西城区<支援>囊谦县人民医院。".into(),
            mentions: vec![
                MarkedMention {
                    start: 0,
                    end: 3,
                    entity: "area/xicheng".into(),
                    class: "District".into(),
                    label: "西城区".into(),
                },
                MarkedMention {
                    start: 7,
                    end: 14,
                    entity: "org/囊谦县人民医院".into(),
                    class: "Hospital".into(),
                    label: "囊谦县人民医院".into(),
                },
                MarkedMention {
                    start: 7,
                    end: 10,
                    entity: "area/nangqen".into(),
                    class: "County".into(),
                    label: "囊谦县".into(),
                },
            ],
            facts: vec![MarkedFact {
                start: 2,
                end: 9,
                kind: "关系 relation".into(),
                says: "西城区 支援 supports 囊谦县人民医院".into(),
            }],
            ..ArticleView::default()
        }
    }

    #[test]
    fn marks_nest_where_spans_cross_and_the_text_is_escaped_and_whole() {
        let html = marked_text(&view()).into_string();
        // The fact starts inside 西城区 and ends inside 囊谦县: both cut.
        assert!(
            html.contains("<span class=\"anchor\" id=\"c2-9\"></span>"),
            "{html}"
        );
        assert!(html.contains(">西城</a>"), "{html}");
        assert!(html.contains("&lt;支援&gt;"), "{html}");
        // The innermost mention links the county inside the hospital's name.
        assert!(html.contains("href=\"/entity/area/nangqen\""), "{html}");
        assert!(html.contains(">人民医院</a>"), "{html}");
        // Every character is there once, in order.
        let text: String = {
            let mut out = String::new();
            let mut in_tag = false;
            for c in html.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out.replace("&lt;", "<").replace("&gt;", ">")
        };
        assert_eq!(text, "西城区<支援>囊谦县人民医院。");
    }

    #[test]
    fn mention_spans_are_read_and_bad_pieces_left_out() {
        assert_eq!(parse_spans("12-15 480-483"), vec![(12, 15), (480, 483)]);
        assert_eq!(parse_spans("3-1 x 5-6 7-"), vec![(5, 6)]);
        assert!(parse_spans("").is_empty());
    }

    #[test]
    fn amounts_read_in_wan_with_separators() {
        assert_eq!(format_amount("20000000"), "2,000万元");
        assert_eq!(format_amount("434000000"), "43,400万元");
        assert_eq!(format_amount("12345"), "12,345元");
        assert_eq!(format_amount("1.5"), "1.5元");
    }
}
