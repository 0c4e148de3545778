//! The HTML pages, as maud templates: a template escapes every value it
//! holds, so no page is put together from strings by hand.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

use crate::explain::Explanation;
use crate::query::{NamedQuery, display_term};
use crate::rdf::vocab;
use crate::store::StoreError;

/// The pages' style sheet.
const STYLE: &str = include_str!("pages.css");

/// Most rows a page shows: a page is for reading, the endpoint (`/query`)
/// gives every row. Past this many rows the evaluation stops.
pub const PAGE_ROWS: usize = 1000;

/// What the query box holds when no query was asked for.
const EXAMPLE: &str = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20";

/// A whole page: title, style, the navigation bar and `body`.
fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="zh" {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                nav {
                    a href="/" { "yushu-kg" }
                    form.search method="get" action="/search" role="search" {
                        input type="search" name="q" placeholder="西城区 · nangqian · Nangqen" aria-label="search entities";
                        " "
                        button type="submit" { "搜索 Search" }
                    }
                }
                (body)
            }
        }
    }
    .into_string()
}

/// The query page: the named queries, the query box holding `query` (or
/// an example), and what running it gave.
pub(super) fn index(named: &[NamedQuery], query: Option<&str>, outcome: Option<Markup>) -> String {
    page(
        "yushu-kg",
        html! {
            h1 { "Beijing–Yushu knowledge graph" }
            h2 { "Named queries" }
            ul {
                @for q in named {
                    li {
                        a href={ "/?name=" (super::percent_encode(&q.name)) } { (q.name) }
                        " — " (q.description)
                    }
                }
            }
            h2 { "SPARQL" }
            form method="get" action="/" {
                textarea name="query" { (query.unwrap_or(EXAMPLE)) }
                br;
                button type="submit" { "Run" }
            }
            @if let Some(outcome) = outcome { (outcome) }
        },
    )
}

/// Why a query gave no results, for the query page.
pub(super) fn refusal(why: &str) -> Markup {
    html! { p.err { (why) } }
}

/// A term, linked to its page when it is one of our entities.
fn term(t: &Term) -> Markup {
    match t {
        Term::NamedNode(n) if n.as_str().starts_with(vocab::ID) => html! {
            a href={ "/entity/" (&n.as_str()[vocab::ID.len()..]) } { (display_term(t)) }
        },
        other => html! { (display_term(other)) },
    }
}

/// The results of a query as a table (or a boolean), entities linked to
/// their pages. Rows are read here, where the lazy evaluation happens.
pub(super) fn results(results: QueryResults<'static>) -> Markup {
    match results {
        QueryResults::Solutions(rows) => {
            let vars = rows.variables().to_vec();
            let mut body = Vec::new();
            let mut failure = None;
            let mut more = false;
            for row in rows {
                if body.len() == PAGE_ROWS {
                    more = true;
                    break;
                }
                match row {
                    Ok(row) => body.push(row),
                    Err(e) => {
                        failure = Some(StoreError::from(e).to_string());
                        break;
                    }
                }
            }
            html! {
                @if more {
                    p { "The first " (PAGE_ROWS) " rows; the endpoint at /query gives every row." }
                } @else {
                    p { (body.len()) " row(s)" }
                }
                table #results {
                    tr { @for v in &vars { th { (v.as_str()) } } }
                    @for row in &body {
                        tr { @for v in &vars { td { @if let Some(t) = row.get(v) { (term(t)) } } } }
                    }
                }
                @if let Some(f) = failure { p.err { (f) } }
            }
        }
        QueryResults::Boolean(b) => html! { p #results { (b) } },
        QueryResults::Graph(triples) => html! {
            table #results {
                tr { th { "subject" } th { "predicate" } th { "object" } }
                @for t in triples.flatten().take(PAGE_ROWS) {
                    tr {
                        td { (term(&t.subject.into())) }
                        td { (term(&t.predicate.into())) }
                        td { (term(&t.object)) }
                    }
                }
            }
        },
    }
}

/// A sentence with its quote, written between ⟦ and ⟧, marked.
fn sentence(s: &str) -> Markup {
    match (s.find('⟦'), s.find('⟧')) {
        (Some(a), Some(b)) if a < b => html! {
            (&s[..a]) mark { (&s[a + '⟦'.len_utf8()..b]) } (&s[b + '⟧'.len_utf8()..])
        },
        _ => html! { (s) },
    }
}

/// Chinese labels of the `id:…` and `ykg:…` words of facts, by word.
pub(super) type Labels = std::collections::HashMap<String, String>;

/// A readable fact, its `id:…` words linked to the entities' pages and
/// written as their labels where `labels` has them (the IRI in the link's
/// title), its `ykg:…` terms with their Chinese label before them.
fn fact(f: &str, labels: &Labels) -> Markup {
    html! {
        @for (i, w) in f.split(' ').enumerate() {
            @if i > 0 { " " }
            @if let Some(rest) = w.strip_prefix("id:") {
                @if let Some(l) = labels.get(w) {
                    a href={ "/entity/" (rest) } title=(w) { (l) }
                } @else {
                    a href={ "/entity/" (rest) } { (w) }
                }
            } @else if let (Some(term), Some(l)) = (w.strip_prefix("ykg:"), labels.get(w)) {
                (l) " " span.term { (term) }
            } @else {
                (w)
            }
        }
    }
}

/// The search results page.
pub(super) fn search(query: &str, hits: &[&super::search::Entry]) -> String {
    page(
        &format!("{query} · search"),
        html! {
            h1 { "搜索 Search: " (query) }
            @if hits.is_empty() {
                p { "No entity is named like that." }
            } @else {
                ol #hits {
                    @for e in hits {
                        li {
                            a href={ "/entity/" (e.path) } { (e.label) }
                            " · " (e.class) " · " (e.articles) " article(s)"
                        }
                    }
                }
            }
        },
    )
}

/// The article reader (see [`super::reader`]).
pub(super) fn article(view: &super::reader::ArticleView) -> String {
    page(&view.title, super::reader::body(view))
}

/// Where a fact's source leads: the reader at the quote, for an article.
fn source(f: &Explanation) -> Markup {
    match (f.source.strip_prefix("id:article/"), f.start, f.end) {
        (Some(id), Some(s), Some(e)) => html! {
            a href={ "/article/" (id) "#" (super::reader::anchor(s, e)) } { (id) }
        },
        (Some(id), _, _) => html! { a href={ "/article/" (id) } { (id) } },
        _ => html! { (f.source) },
    }
}

/// An entity's page: its label, IRI, and every fact with its source and
/// the sentence it came from.
pub(super) fn entity(label: &str, iri: &str, facts: &[Explanation], labels: &Labels) -> String {
    page(
        label,
        html! {
            h1 { (label) }
            p { code { (iri) } }
            table.entity {
                tr { th { "fact" } th { "source" } th { "sentence" } }
                @for f in facts {
                    tr { td { (fact(&f.fact, labels)) } td { (source(f)) } td { (sentence(&f.sentence)) } }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_quotes_marked() {
        assert_eq!(
            sentence("前<b>⟦<i>⟧后").into_string(),
            "前&lt;b&gt;<mark>&lt;i&gt;</mark>后"
        );
        assert_eq!(
            fact("id:org/a<b> ykg:supports \"x\"", &Labels::new()).into_string(),
            "<a href=\"/entity/org/a&lt;b&gt;\">id:org/a&lt;b&gt;</a> ykg:supports &quot;x&quot;"
        );
        let labels: Labels = [
            ("id:area/xicheng".to_owned(), "西城区".to_owned()),
            ("ykg:supports".to_owned(), "帮扶".to_owned()),
        ]
        .into();
        assert_eq!(
            fact("id:area/xicheng ykg:supports id:org/x", &labels).into_string(),
            "<a href=\"/entity/area/xicheng\" title=\"id:area/xicheng\">西城区</a> 帮扶 <span class=\"term\">supports</span> <a href=\"/entity/org/x\">id:org/x</a>"
        );
        let page = entity(
            "<script>",
            "https://w3id.org/yushu-kg/id/x",
            &[],
            &Labels::new(),
        );
        assert!(page.contains("<title>&lt;script&gt;</title>"), "{page}");
        assert!(!page.contains("<script>"), "{page}");
    }
}
