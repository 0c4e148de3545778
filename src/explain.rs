//! Every fact about one entity, with the sentence it was read from.

use oxigraph::model::Term;

use crate::query::display_term;
use crate::rdf::vocab;
use crate::store::{Store, StoreError};

/// One fact about the entity and where it was read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Explanation {
    /// The fact, readable (`id:area/xicheng ykg:supports id:org/囊谦县医院`).
    pub fact: String,
    /// The article it was read in, or the reference source.
    pub source: String,
    /// The sentence, with the quoted part between ⟦ and ⟧; empty for reference facts.
    pub sentence: String,
    /// Where the quote starts in the article's text (code points), if read from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// Where it ends (exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

/// Why an entity could not be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No entity has that IRI or name.
    #[error(
        "no entity is named {0:?}\nhint: give a Chinese name or alias as written (西城区), or a full IRI"
    )]
    NotFound(String),
}

fn lit(t: &Option<Term>) -> String {
    match t {
        Some(Term::Literal(l)) => l.value().to_owned(),
        Some(other) => display_term(other),
        None => String::new(),
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The entity IRIs a name or IRI denotes, sorted.
pub fn resolve(store: &Store, name: &str) -> Result<Vec<String>, StoreError> {
    if name.starts_with("http://") || name.starts_with("https://") {
        return Ok(vec![name.to_owned()]);
    }
    let rows = store.select(
        &format!(
            "SELECT DISTINCT ?e WHERE {{ ?e <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?l FILTER(str(?l) = \"{}\") }} ORDER BY ?e",
            escape(name)
        ),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|r| match &r[0] {
            Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect())
}

/// The sentence around `[start, end)` of `text`, the quote marked.
pub fn marked_sentence(text: &str, start: usize, end: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (start.min(chars.len()), end.min(chars.len()));
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '\n');
    let mut s = start;
    while s > 0 && !is_end(chars[s - 1]) {
        s -= 1;
    }
    let mut e = end;
    while e < chars.len() && !(e > 0 && is_end(chars[e - 1])) {
        e += 1;
    }
    let part = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    format!(
        "{}⟦{}⟧{}",
        part(s, start),
        part(start, end),
        part(end, e).trim_end()
    )
}

/// Every fact about the entity `iri`, with its evidence, sorted.
pub fn explain(store: &Store, iri: &str) -> Result<Vec<Explanation>, StoreError> {
    explain_within(store, iri, None)
}

/// [`explain`], each of its queries cancelled after `timeout` when one is
/// given (the endpoint's entity pages).
pub fn explain_within(
    store: &Store,
    iri: &str,
    timeout: Option<std::time::Duration>,
) -> Result<Vec<Explanation>, StoreError> {
    let ns = vocab::NS;
    // One deadline for both queries: the page's answer is held to the
    // timeout, not to twice it.
    let deadline = timeout.map(|t| std::time::Instant::now() + t);
    let left = || deadline.map(|d| d.saturating_duration_since(std::time::Instant::now()));
    let evidence = format!(
        "OPTIONAL {{ ?node <{ns}evidence> ?ev . ?ev <{ns}start> ?start ; <{ns}end> ?end ; <{ns}source> ?article . ?article <{ns}text> ?text }}
         OPTIONAL {{ ?node <{ns}referenceSource> ?ref }}"
    );
    let statements = store.select_within(
        &format!(
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
             SELECT ?s ?p ?o ?article ?text ?start ?end ?ref WHERE {{
               ?node a <{ns}Statement> ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
               FILTER(?s = <{iri}> || ?o = <{iri}>) {evidence} }}"
        ),
        left(),
    )?;
    let facts = store.select_within(
        &format!(
            "SELECT ?node ?type ?desc ?article ?text ?start ?end ?ref WHERE {{
               {{ ?node ?link <{iri}> . VALUES ?link {{ <{ns}funder> <{ns}recipient> <{ns}about> <{ns}person> <{ns}organization> }} }}
               UNION {{ BIND(<{iri}> AS ?node) ?node a <{ns}Event> }}
               ?node a ?type . FILTER(?type IN (<{ns}Funding>, <{ns}Observation>, <{ns}Position>, <{ns}Event>))
               OPTIONAL {{ SELECT ?node (GROUP_CONCAT(CONCAT(STRAFTER(STR(?dp), \"#\"), \"=\", STR(?dv)); separator=\" \") AS ?desc) WHERE {{
                 ?node ?dp ?dv . FILTER(?dp IN (<{ns}amount>, <{ns}year>, <{ns}sector>, <{ns}projectCount>, <{ns}qualifier>, <{ns}metric>, <{ns}value>, <{ns}unit>, <{ns}role>, <{ns}date>))
               }} GROUP BY ?node }}
               {evidence} }}"
        ),
        left(),
    )?;
    let mut out = Vec::new();
    let mut push = |fact: String, r: &[Option<Term>]| {
        let (article, text, start, end, reference) = (&r[0], &r[1], &r[2], &r[3], &r[4]);
        let sentence = match (text, lit(start).parse::<usize>(), lit(end).parse::<usize>()) {
            (Some(Term::Literal(t)), Ok(s), Ok(e)) => marked_sentence(t.value(), s, e),
            _ => String::new(),
        };
        let source = if article.is_some() {
            lit(article)
        } else {
            lit(reference)
        };
        out.push(Explanation {
            fact,
            source,
            sentence,
            start: lit(start).parse().ok(),
            end: lit(end).parse().ok(),
        });
    };
    for r in &statements {
        let fact = format!("{} {} {}", lit(&r[0]), lit(&r[1]), lit(&r[2]));
        push(fact, &r[3..]);
    }
    for r in &facts {
        let fact = format!("{} a {} {}", lit(&r[0]), lit(&r[1]), lit(&r[2]));
        push(fact.trim_end().to_owned(), &r[3..]);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_is_marked_inside_its_sentence() {
        let text = "第一句。北京援玉安排资金2000万元，全面开启。第三句。";
        assert_eq!(
            marked_sentence(text, 4, 18),
            "⟦北京援玉安排资金2000万元⟧，全面开启。"
        );
    }
}
