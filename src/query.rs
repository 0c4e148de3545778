//! Running a query — SPARQL text, a `.rq` file, standard input, or the name
//! of a query in `queries/` — and writing its results in a format.

pub mod guard;

use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};

use crate::rdf::vocab;
use crate::store::StoreError;

/// How results are written (the values of `query --format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns (SELECT, ASK) or Turtle (CONSTRUCT).
    Table,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV.
    Tsv,
    /// SPARQL 1.1 JSON.
    Json,
    /// SPARQL XML (RDF/XML for CONSTRUCT).
    Xml,
    /// Turtle (CONSTRUCT, DESCRIBE).
    Turtle,
    /// N-Triples (CONSTRUCT, DESCRIBE).
    #[value(name = "ntriples")]
    NTriples,
}

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing failed (a closed pipe, a full disk).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The format does not fit the query's results.
    #[error("--format {format} cannot write {kind} results\nhint: {hint}")]
    Format {
        /// The format asked for.
        format: &'static str,
        /// What the query returned.
        kind: &'static str,
        /// What to use instead.
        hint: &'static str,
    },
    /// The query named is neither a file nor a named query.
    #[error(
        "no query named {0:?}\nhint: `yushu-kg queries` lists the named queries; a file must end in .rq"
    )]
    Unknown(String),
}

/// A query shipped in `queries/`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct NamedQuery {
    /// File stem.
    pub name: String,
    /// The first comment line.
    pub description: String,
    /// Where it is (`queries/NAME.rq` for a query compiled in).
    pub path: PathBuf,
    /// The SPARQL text.
    #[serde(skip)]
    pub text: String,
}

/// The queries of `queries/`, compiled in: the named queries when the
/// directory is not there (the binary run from elsewhere, or installed).
/// `tests::the_compiled_in_queries_are_those_of_the_directory` keeps them equal.
pub const SHIPPED: &[(&str, &str)] = &[
    ("companies", include_str!("../queries/companies.rq")),
    ("entities", include_str!("../queries/entities.rq")),
    ("events", include_str!("../queries/events.rq")),
    ("evidence", include_str!("../queries/evidence.rq")),
    ("figures", include_str!("../queries/figures.rq")),
    (
        "funding-by-year-and-sector",
        include_str!("../queries/funding-by-year-and-sector.rq"),
    ),
    ("fundings", include_str!("../queries/fundings.rq")),
    ("hospitals", include_str!("../queries/hospitals.rq")),
    ("pairings", include_str!("../queries/pairings.rq")),
    ("people", include_str!("../queries/people.rq")),
    ("programs", include_str!("../queries/programs.rq")),
    ("schools", include_str!("../queries/schools.rq")),
];

fn named(name: String, path: PathBuf, text: String) -> NamedQuery {
    let description = text
        .lines()
        .find_map(|l| l.trim().strip_prefix('#'))
        .unwrap_or("")
        .trim()
        .to_owned();
    NamedQuery {
        name,
        description,
        path,
        text,
    }
}

/// The named queries of a directory, sorted by name; the compiled-in ones
/// ([`SHIPPED`]) when the directory does not exist.
pub fn named_queries(dir: &Path) -> std::io::Result<Vec<NamedQuery>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(SHIPPED
                .iter()
                .map(|(name, text)| {
                    let path = Path::new("queries").join(format!("{name}.rq"));
                    named((*name).to_owned(), path, (*text).to_owned())
                })
                .collect());
        }
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rq") {
            let text = std::fs::read_to_string(&path)?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(named(name, path, text));
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The text of a query argument: `-` reads stdin; a path to an existing file
/// (or ending in `.rq`) is read; a bare name is looked up in `queries_dir`;
/// anything else is SPARQL text.
pub fn query_text(arg: &str, queries_dir: &Path) -> Result<String, QueryError> {
    if arg == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        return Ok(s);
    }
    let path = Path::new(arg);
    if path.is_file() {
        return Ok(std::fs::read_to_string(path)?);
    }
    if arg.ends_with(".rq") {
        return Err(QueryError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{arg}: no such query file"),
        )));
    }
    let is_name = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if is_name {
        let named = queries_dir.join(format!("{arg}.rq"));
        if named.is_file() {
            return Ok(std::fs::read_to_string(named)?);
        }
        if !queries_dir.exists()
            && let Some((_, text)) = SHIPPED.iter().find(|(n, _)| *n == arg)
        {
            return Ok((*text).to_owned());
        }
        return Err(QueryError::Unknown(arg.to_owned()));
    }
    Ok(arg.to_owned())
}

/// Prefixes used to shorten IRIs in tables.
const PREFIXES: &[(&str, &str)] = &[
    ("ykg:", vocab::NS),
    ("id:", vocab::ID),
    ("graph:", vocab::GRAPH),
    ("rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
    ("skos:", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
];

/// The string of a result cell: an IRI as written, a literal's value, a
/// blank node's label; empty where the variable is unbound.
pub fn cell_value(t: &Option<Term>) -> String {
    match t {
        Some(Term::NamedNode(n)) => n.as_str().to_owned(),
        Some(Term::Literal(l)) => l.value().to_owned(),
        Some(Term::BlankNode(b)) => b.as_str().to_owned(),
        None => String::new(),
    }
}

/// A term as a person reads it: prefixed IRIs, plain literal values.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => {
            for (p, ns) in PREFIXES {
                if let Some(rest) = n.as_str().strip_prefix(ns) {
                    return format!("{p}{rest}");
                }
            }
            format!("<{}>", n.as_str())
        }
        Term::Literal(l) => match l.language() {
            Some(lang) if lang != "zh" => format!("{}@{lang}", l.value()),
            _ => l.value().to_owned(),
        },
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// Display width: CJK and full-width characters take two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            0..=0x1F | 0x7F..=0x9F => 0,
            _ => 1,
        })
        .sum()
}

/// The SPARQL results format of `format` for the results of a SELECT or an
/// ASK (`kind`): `None` for the table, an error for the RDF syntaxes.
fn solutions_format(
    format: OutputFormat,
    kind: &'static str,
) -> Result<Option<QueryResultsFormat>, QueryError> {
    Ok(Some(match format {
        OutputFormat::Table => return Ok(None),
        OutputFormat::Csv => QueryResultsFormat::Csv,
        OutputFormat::Tsv => QueryResultsFormat::Tsv,
        OutputFormat::Json => QueryResultsFormat::Json,
        OutputFormat::Xml => QueryResultsFormat::Xml,
        OutputFormat::Turtle | OutputFormat::NTriples => {
            return Err(QueryError::Format {
                format: if format == OutputFormat::Turtle {
                    "turtle"
                } else {
                    "ntriples"
                },
                kind,
                hint: "use table, csv, tsv, json or xml",
            });
        }
    }))
}

/// Writes query results in `format`.
pub fn write_results(
    results: QueryResults<'_>,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<(), QueryError> {
    match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let sparql_format = match solutions_format(format, "SELECT")? {
                None => {
                    let mut rows = Vec::new();
                    for s in solutions {
                        let s = s.map_err(StoreError::from)?;
                        rows.push(
                            variables
                                .iter()
                                .map(|v| {
                                    s.get(v)
                                        .map(display_term)
                                        .unwrap_or_default()
                                        .replace(['\n', '\t'], " ")
                                })
                                .collect::<Vec<_>>(),
                        );
                    }
                    let header: Vec<String> =
                        variables.iter().map(|v| v.as_str().to_owned()).collect();
                    write_table(&header, &rows, out)?;
                    return Ok(());
                }
                Some(f) => f,
            };
            let mut w = QueryResultsSerializer::from_format(sparql_format)
                .serialize_solutions_to_writer(out, variables)?;
            for s in solutions {
                w.serialize(&s.map_err(StoreError::from)?)?;
            }
            w.finish()?;
        }
        QueryResults::Boolean(b) => {
            let sparql_format = match solutions_format(format, "ASK")? {
                None => {
                    writeln!(out, "{b}")?;
                    return Ok(());
                }
                Some(f) => f,
            };
            QueryResultsSerializer::from_format(sparql_format)
                .serialize_boolean_to_writer(out, b)?;
        }
        QueryResults::Graph(triples) => {
            let rdf_format = match format {
                OutputFormat::Table | OutputFormat::Turtle => RdfFormat::Turtle,
                OutputFormat::NTriples => RdfFormat::NTriples,
                OutputFormat::Xml => RdfFormat::RdfXml,
                OutputFormat::Csv | OutputFormat::Tsv | OutputFormat::Json => {
                    return Err(QueryError::Format {
                        format: "csv/tsv/json",
                        kind: "CONSTRUCT/DESCRIBE",
                        hint: "use turtle, ntriples or xml (RDF/XML)",
                    });
                }
            };
            let mut serializer = RdfSerializer::from_format(rdf_format);
            for (p, ns) in PREFIXES {
                serializer = serializer
                    .with_prefix(p.trim_end_matches(':'), *ns)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
            }
            let mut w = serializer.for_writer(out);
            for t in triples {
                w.serialize_triple(&t.map_err(StoreError::from)?)?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

/// Writes rows as aligned columns with a header line.
pub fn write_table(
    header: &[String],
    rows: &[Vec<String>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c).min(60));
        }
    }
    let line = |cells: &[String], out: &mut dyn Write| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(widths[i].saturating_sub(width(c))));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(header, out)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&rule, out)?;
    for r in rows {
        line(r, out)?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

/// `query` with its solutions paged: the first `offset` left out, at most
/// `limit` kept, as `OFFSET` and `LIMIT` around the whole query would (a
/// query's own `LIMIT` and `OFFSET` apply first). For `CONSTRUCT` and
/// `DESCRIBE` the solutions the template is filled from are paged; an
/// `ASK` is unchanged.
pub fn paged(query: spargebra::Query, offset: usize, limit: Option<usize>) -> spargebra::Query {
    use spargebra::Query as Q;
    use spargebra::algebra::GraphPattern;
    if offset == 0 && limit.is_none() {
        return query;
    }
    let slice = |pattern: GraphPattern| GraphPattern::Slice {
        inner: Box::new(pattern),
        start: offset,
        length: limit,
    };
    match query {
        Q::Select {
            dataset,
            pattern,
            base_iri,
        } => Q::Select {
            dataset,
            pattern: slice(pattern),
            base_iri,
        },
        Q::Construct {
            template,
            dataset,
            pattern,
            base_iri,
        } => Q::Construct {
            template,
            dataset,
            pattern: slice(pattern),
            base_iri,
        },
        Q::Describe {
            dataset,
            pattern,
            base_iri,
        } => Q::Describe {
            dataset,
            pattern: slice(pattern),
            base_iri,
        },
        ask @ Q::Ask { .. } => ask,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_slices_the_whole_query_after_its_own_slice() {
        let parse = |q: &str| spargebra::SparqlParser::new().parse_query(q).unwrap();
        let q = paged(
            parse("SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 10"),
            2,
            Some(3),
        );
        use spargebra::algebra::GraphPattern as P;
        let spargebra::Query::Select { pattern, .. } = q else {
            panic!("{q}");
        };
        let P::Slice {
            inner,
            start: 2,
            length: Some(3),
        } = pattern
        else {
            panic!("{pattern:?}");
        };
        assert!(
            matches!(
                *inner,
                P::Slice {
                    start: 0,
                    length: Some(10),
                    ..
                }
            ),
            "{inner:?}"
        );
        let ask = parse("ASK { ?s ?p ?o }");
        assert_eq!(paged(ask.clone(), 5, Some(1)), ask);
        let plain = parse("SELECT * { ?s ?p ?o }");
        assert_eq!(paged(plain.clone(), 0, None), plain);
    }

    #[test]
    fn the_compiled_in_queries_are_those_of_the_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        let on_disk: Vec<(String, String)> = named_queries(&dir)
            .unwrap()
            .into_iter()
            .map(|q| (q.name, q.text))
            .collect();
        let shipped: Vec<(String, String)> = SHIPPED
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        assert_eq!(on_disk, shipped, "add or remove the query in SHIPPED too");
        let elsewhere = named_queries(Path::new("/nonexistent/queries")).unwrap();
        assert_eq!(elsewhere.len(), SHIPPED.len());
        assert_eq!(
            query_text("pairings", Path::new("/nonexistent/queries")).unwrap(),
            SHIPPED.iter().find(|(n, _)| *n == "pairings").unwrap().1
        );
    }

    #[test]
    fn cjk_is_two_columns_wide() {
        assert_eq!(width("西城区"), 6);
        assert_eq!(width("ab"), 2);
    }

    #[test]
    fn sparql_text_passes_through_and_names_resolve() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pairings.rq"),
            "# The pairings\nSELECT * {}",
        )
        .unwrap();
        assert_eq!(
            query_text("pairings", dir.path()).unwrap(),
            "# The pairings\nSELECT * {}"
        );
        assert_eq!(query_text("ASK {}", dir.path()).unwrap(), "ASK {}");
        assert!(matches!(
            query_text("nosuch", dir.path()),
            Err(QueryError::Unknown(_))
        ));
        let named = named_queries(dir.path()).unwrap();
        assert_eq!(named[0].description, "The pairings");
    }
}
