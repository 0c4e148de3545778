//! A read-only SPARQL 1.1 Protocol endpoint over the store, with HTML
//! pages for people: a query page at `/` and an entity page per entity at
//! `/entity/…`.
//!
//! [`handle`] maps one request to one response and does no IO of its own,
//! so it is tested in process; [`serve`] binds a socket and runs `handle`
//! on worker threads. Nothing is served from the file system.
//!
//! * `GET /query?query=…`, `POST /query` with `application/sparql-query`
//!   or `application/x-www-form-urlencoded`; `default-graph-uri` and
//!   `named-graph-uri` honoured (without them the default graph is the
//!   union of all graphs); results by content negotiation: SPARQL JSON,
//!   XML, CSV, TSV for SELECT and ASK, Turtle, N-Triples, RDF/XML for
//!   CONSTRUCT and DESCRIBE.
//! * Read-only: `/update` and the Graph Store write methods answer 403;
//!   `SERVICE` answers 403 (the store is built without an HTTP client).
//! * Limits: a per-query timeout (503 when hit) and a request body cap (413).
//! * Abusive clients: request line and headers are capped in size (431)
//!   and count, every read and write and each whole request have time
//!   limits (408), connections are capped (503), and slow clients hold a
//!   connection thread of their own, never one of the `threads` that answer
//!   requests ([`http`]).

mod http;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::QueryResultsFormat;

use crate::explain;
use crate::query::{self, OutputFormat, display_term};
use crate::rdf::vocab;
use crate::store::{Store, StoreError};

/// How the endpoint behaves.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Longest a query may run.
    pub timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Where the named queries are, for the query page.
    pub queries_dir: PathBuf,
}

/// One HTTP request, as `handle` needs it.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST` …
    pub method: String,
    /// The path and query string (`/query?query=…`).
    pub url: String,
    /// `Content-Type`, without parameters, lower case.
    pub content_type: String,
    /// `Accept`.
    pub accept: String,
    /// The body.
    pub body: Vec<u8>,
}

/// One HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    fn text(status: u16, message: impl Into<String>) -> Response {
        let mut body = message.into();
        body.push('\n');
        Response {
            status,
            content_type: "text/plain; charset=utf-8".to_owned(),
            body: body.into_bytes(),
        }
    }

    fn html(body: String) -> Response {
        Response {
            status: 200,
            content_type: "text/html; charset=utf-8".to_owned(),
            body: body.into_bytes(),
        }
    }
}

/// Decodes `application/x-www-form-urlencoded` text into pairs.
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    decode(s, true)
}

/// Decodes %XX escapes; `plus_is_space` for form data, not for paths.
fn decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// HTML-escapes text.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The media types of an `Accept` header, best first.
fn accepted(accept: &str) -> Vec<String> {
    let mut items: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.split(';');
            let media = bits.next()?.trim().to_ascii_lowercase();
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!media.is_empty() && q > 0.0).then_some((q, i, media))
        })
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    items.into_iter().map(|(_, _, m)| m).collect()
}

fn results_format(accept: &str) -> Option<(OutputFormat, &'static str)> {
    let wanted = accepted(accept);
    if wanted.is_empty() {
        return Some((OutputFormat::Json, QueryResultsFormat::Json.media_type()));
    }
    for m in &wanted {
        if m == "*/*" || m == "application/*" {
            return Some((OutputFormat::Json, QueryResultsFormat::Json.media_type()));
        }
        let Some(qf) = QueryResultsFormat::from_media_type(m) else {
            continue;
        };
        let f = match qf {
            QueryResultsFormat::Json => OutputFormat::Json,
            QueryResultsFormat::Xml => OutputFormat::Xml,
            QueryResultsFormat::Csv => OutputFormat::Csv,
            QueryResultsFormat::Tsv => OutputFormat::Tsv,
            _ => continue,
        };
        return Some((f, qf.media_type()));
    }
    None
}

fn graph_format(accept: &str) -> Option<(OutputFormat, &'static str)> {
    let wanted = accepted(accept);
    if wanted.is_empty() {
        return Some((OutputFormat::Turtle, RdfFormat::Turtle.media_type()));
    }
    for m in &wanted {
        if m == "*/*" || m == "text/*" {
            return Some((OutputFormat::Turtle, RdfFormat::Turtle.media_type()));
        }
        match RdfFormat::from_media_type(m) {
            Some(RdfFormat::Turtle) => {
                return Some((OutputFormat::Turtle, RdfFormat::Turtle.media_type()));
            }
            Some(RdfFormat::NTriples) => {
                return Some((OutputFormat::NTriples, RdfFormat::NTriples.media_type()));
            }
            Some(RdfFormat::RdfXml) => {
                return Some((OutputFormat::Xml, RdfFormat::RdfXml.media_type()));
            }
            _ => {}
        }
    }
    None
}

/// Whether a query calls out with `SERVICE`.
fn calls_service(query: &str) -> bool {
    let upper = query.to_ascii_uppercase();
    let mut rest = upper.as_str();
    while let Some(i) = rest.find("SERVICE") {
        let before_ok = i == 0 || !rest.as_bytes()[i - 1].is_ascii_alphanumeric();
        let after = rest[i + 7..].trim_start();
        let after_ok = after.starts_with('<')
            || after.starts_with('?')
            || after.starts_with("SILENT")
            || after.starts_with('$');
        if before_ok && after_ok {
            return true;
        }
        rest = &rest[i + 7..];
    }
    false
}

/// Deepest nesting of brackets a query may have on the endpoint.
pub const MAX_NESTING: usize = 64;
/// Most operators (`&&`, `+`, `/`, `UNION`, `OPTIONAL` …) a query may have
/// on the endpoint.
pub const MAX_OPERATORS: usize = 1000;

/// Why a query is too complex to run on the endpoint, if it is.
///
/// The SPARQL parser, the evaluator and even dropping a query recurse
/// once per nesting level and per operator of a chain (`1 + 1 + …` is a
/// tree as deep as it is long), and a thread that runs out of stack aborts
/// the whole process: 1000 nested parentheses or 5000 `&&` took the
/// endpoint down. Brackets and operators outside IRIs, strings and comments
/// are counted (generously: `-` in a prefixed name counts) and bounded.
pub fn too_complex(query: &str) -> Option<String> {
    let b = query.as_bytes();
    let (mut depth, mut deepest, mut operators) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let long = b[i..].starts_with(&[q, q, q]);
                i += if long { 3 } else { 1 };
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                    } else if long && b[i..].starts_with(&[q, q, q]) {
                        i += 2;
                        break;
                    } else if !long && (b[i] == q || b[i] == b'\n') {
                        break;
                    } else {
                        i += 1;
                    }
                }
            }
            b'<' => {
                // An IRI runs to `>` without spaces and quotes; else `<` is an operator.
                let end = b[i + 1..]
                    .iter()
                    .position(|&c| c == b'>' || c <= b' ' || b"<\"{}|^`".contains(&c));
                match end {
                    Some(k) if b[i + 1 + k] == b'>' => i += k + 1,
                    _ => operators += 1,
                }
            }
            b'(' | b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            b'&' | b'|' | b'=' | b'!' | b'>' | b'+' | b'-' | b'*' | b'/' | b'^' => operators += 1,
            c if c.is_ascii_alphabetic() => {
                let end = b[i..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric() && *c != b'_')
                    .map_or(b.len(), |k| i + k);
                let word = &b[i..end];
                if ["UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "VALUES"]
                    .iter()
                    .any(|w| word.eq_ignore_ascii_case(w.as_bytes()))
                {
                    operators += 1;
                }
                i = end - 1;
            }
            _ => {}
        }
        i += 1;
    }
    let negations = crate::query::guard::negations(query);
    if negations > crate::query::guard::MAX_NEGATIONS {
        // The parser's time is exponential in nested negations.
        Some(format!(
            "the query negates {negations} brackets (`!(`); the endpoint allows {}",
            crate::query::guard::MAX_NEGATIONS
        ))
    } else if deepest > MAX_NESTING {
        Some(format!(
            "the query nests brackets {deepest} deep; the endpoint allows {MAX_NESTING}"
        ))
    } else if operators > MAX_OPERATORS {
        Some(format!(
            "the query has {operators} operators; the endpoint allows {MAX_OPERATORS}"
        ))
    } else {
        None
    }
}

fn sparql(
    store: &Store,
    opts: &ServeOptions,
    params: &[(String, String)],
    query: &str,
    accept: &str,
) -> Response {
    if calls_service(query) {
        return Response::text(403, "SERVICE calls are disabled on this endpoint");
    }
    if let Some(why) = too_complex(query) {
        return Response::text(400, why);
    }
    let graphs = |key: &str| -> Result<Vec<NamedNode>, Response> {
        params
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| {
                NamedNode::new(v.as_str()).map_err(|e| Response::text(400, format!("{key}: {e}")))
            })
            .collect()
    };
    let (default, named) = match (graphs("default-graph-uri"), graphs("named-graph-uri")) {
        (Ok(d), Ok(n)) => (d, n),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let started = std::time::Instant::now();
    let results = match store.query_with_dataset(query, &default, &named, Some(opts.timeout)) {
        Ok(r) => r,
        Err(e) => return error_response(&e),
    };
    let (format, media) = match &results {
        QueryResults::Graph(_) => graph_format(accept),
        _ => results_format(accept),
    }
    .unwrap_or((OutputFormat::Json, ""));
    if media.is_empty() {
        return Response::text(406, format!("cannot answer in any of: {accept}"));
    }
    let mut body = Vec::new();
    let written = query::write_results(results, format, &mut body);
    // Oxigraph does not check for cancellation while it gathers the rows of
    // a sort or a grouping, so such a query can end after its timeout: its
    // answer is not sent then either.
    if started.elapsed() > opts.timeout {
        return error_response(&StoreError::Timeout);
    }
    match written {
        Ok(()) => Response {
            status: 200,
            content_type: media.to_owned(),
            body,
        },
        Err(query::QueryError::Store(e)) => error_response(&e),
        Err(e) => Response::text(500, e.to_string()),
    }
}

fn error_response(e: &StoreError) -> Response {
    match e {
        StoreError::Syntax(m) => Response::text(400, m.clone()),
        StoreError::Timeout => {
            Response::text(503, "the query ran longer than the endpoint's timeout")
        }
        other => Response::text(500, other.to_string()),
    }
}

/// Answers one request.
pub fn handle(store: &Store, opts: &ServeOptions, req: &Request) -> Response {
    if req.body.len() > opts.max_body {
        return Response::text(413, format!("request body over {} bytes", opts.max_body));
    }
    let (path, qs) = req.url.split_once('?').unwrap_or((req.url.as_str(), ""));
    let params = parse_form(qs);
    let param = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    match (req.method.as_str(), path) {
        ("GET" | "HEAD", "/query") => match param("query") {
            Some(q) => sparql(store, opts, &params, &q, &req.accept),
            None => Response::text(400, "missing query parameter"),
        },
        ("POST", "/query") => {
            let body = String::from_utf8_lossy(&req.body).into_owned();
            match req.content_type.as_str() {
                "application/sparql-query" => sparql(store, opts, &params, &body, &req.accept),
                "application/x-www-form-urlencoded" => {
                    let mut form = parse_form(&body);
                    let Some(q) = form
                        .iter()
                        .find(|(k, _)| k == "query")
                        .map(|(_, v)| v.clone())
                    else {
                        return Response::text(400, "missing query parameter");
                    };
                    form.extend(params.iter().cloned());
                    sparql(store, opts, &form, &q, &req.accept)
                }
                other => Response::text(415, format!("unsupported content type {other:?}")),
            }
        }
        (_, "/update") => {
            Response::text(403, "this endpoint is read-only: SPARQL UPDATE is refused")
        }
        ("PUT" | "POST" | "DELETE" | "PATCH", "/store") => Response::text(
            403,
            "this endpoint is read-only: Graph Store writes are refused",
        ),
        ("GET" | "HEAD", "/") => {
            Response::html(index_page(store, opts, param("query"), param("name")))
        }
        ("GET" | "HEAD", p) if p.starts_with("/entity/") => {
            entity_page(store, &p["/entity/".len()..])
        }
        ("GET" | "HEAD", _) => Response::text(404, "not found"),
        _ => Response::text(405, "method not allowed"),
    }
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em;max-width:80em}\
textarea{width:100%;height:12em;font-family:monospace}table{border-collapse:collapse;margin-top:1em}\
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}\
mark{background:#ffe08a}nav a{margin-right:1em}.err{color:#a00;white-space:pre-wrap}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\
         <nav><a href=\"/\">yushu-kg</a></nav>{body}</body></html>",
        escape_html(title)
    )
}

fn link_term(t: &Term) -> String {
    match t {
        Term::NamedNode(n) if n.as_str().starts_with(vocab::ID) => format!(
            "<a href=\"/entity/{}\">{}</a>",
            escape_html(&n.as_str()[vocab::ID.len()..]),
            escape_html(&display_term(t))
        ),
        other => escape_html(&display_term(other)),
    }
}

fn index_page(
    store: &Store,
    opts: &ServeOptions,
    text: Option<String>,
    name: Option<String>,
) -> String {
    let named = query::named_queries(&opts.queries_dir).unwrap_or_default();
    let mut body = String::from("<h1>Beijing–Yushu knowledge graph</h1><h2>Named queries</h2><ul>");
    for q in &named {
        let _ = write!(
            body,
            "<li><a href=\"/?name={}\">{}</a> — {}</li>",
            percent_encode(&q.name),
            escape_html(&q.name),
            escape_html(&q.description)
        );
    }
    body.push_str("</ul>");
    let query = match (&text, &name) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(n)) => named.iter().find(|q| &q.name == n).map(|q| q.text.clone()),
        _ => None,
    };
    let _ = write!(
        body,
        "<h2>SPARQL</h2><form method=\"get\" action=\"/\"><textarea name=\"query\">{}</textarea><br><button type=\"submit\">Run</button></form>",
        escape_html(
            query
                .as_deref()
                .unwrap_or("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20")
        )
    );
    if let Some(q) = query {
        if calls_service(&q) {
            body.push_str("<p class=\"err\">SERVICE calls are disabled on this endpoint</p>");
        } else if let Some(why) = too_complex(&q) {
            let _ = write!(body, "<p class=\"err\">{}</p>", escape_html(&why));
        } else {
            match store.query(&q, Some(opts.timeout)) {
                Ok(QueryResults::Solutions(rows)) => {
                    let vars = rows.variables().to_vec();
                    let mut table = String::from("<table id=\"results\"><tr>");
                    for v in &vars {
                        let _ = write!(table, "<th>{}</th>", escape_html(v.as_str()));
                    }
                    table.push_str("</tr>");
                    let mut n = 0;
                    let mut failure = None;
                    for row in rows {
                        match row {
                            Ok(row) => {
                                n += 1;
                                table.push_str("<tr>");
                                for v in &vars {
                                    let _ = write!(
                                        table,
                                        "<td>{}</td>",
                                        row.get(v).map(link_term).unwrap_or_default()
                                    );
                                }
                                table.push_str("</tr>");
                            }
                            Err(e) => {
                                failure = Some(StoreError::from(e).to_string());
                                break;
                            }
                        }
                    }
                    table.push_str("</table>");
                    let _ = write!(body, "<p>{n} row(s)</p>{table}");
                    if let Some(f) = failure {
                        let _ = write!(body, "<p class=\"err\">{}</p>", escape_html(&f));
                    }
                }
                Ok(QueryResults::Boolean(b)) => {
                    let _ = write!(body, "<p id=\"results\">{b}</p>");
                }
                Ok(QueryResults::Graph(triples)) => {
                    body.push_str("<table id=\"results\"><tr><th>subject</th><th>predicate</th><th>object</th></tr>");
                    for t in triples.flatten() {
                        let _ = write!(
                            body,
                            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                            link_term(&t.subject.into()),
                            link_term(&t.predicate.into()),
                            link_term(&t.object)
                        );
                    }
                    body.push_str("</table>");
                }
                Err(e) => {
                    let _ = write!(body, "<p class=\"err\">{}</p>", escape_html(&e.to_string()));
                }
            }
        }
    }
    page("yushu-kg", &body)
}

/// `⟦quote⟧` in a marked sentence becomes `<mark>quote</mark>`, escaped.
fn mark_quote(sentence: &str) -> String {
    match (sentence.find('⟦'), sentence.find('⟧')) {
        (Some(a), Some(b)) if a < b => format!(
            "{}<mark>{}</mark>{}",
            escape_html(&sentence[..a]),
            escape_html(&sentence[a + '⟦'.len_utf8()..b]),
            escape_html(&sentence[b + '⟧'.len_utf8()..])
        ),
        _ => escape_html(sentence),
    }
}

fn linkify(fact: &str) -> String {
    fact.split(' ')
        .map(|w| match w.strip_prefix("id:") {
            Some(rest) => format!(
                "<a href=\"/entity/{}\">{}</a>",
                escape_html(rest),
                escape_html(w)
            ),
            None => escape_html(w),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn entity_page(store: &Store, path: &str) -> Response {
    let decoded = decode(path, false);
    let iri = format!("{}{}", vocab::ID, crate::rdf::iri::segment_path(&decoded));
    let label = store
        .query(
            &format!(
                "SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = \"zh\") }} LIMIT 1"
            ),
            None,
        )
        .ok()
        .and_then(|r| match r {
            QueryResults::Solutions(mut rows) => rows.next().and_then(|r| r.ok()).and_then(|r| r.get("l").cloned()),
            _ => None,
        });
    let Some(label) = label else {
        return Response::text(404, format!("no entity <{iri}>"));
    };
    let facts = match explain::explain(store, &iri) {
        Ok(f) => f,
        Err(e) => return error_response(&e),
    };
    let mut body = format!(
        "<h1>{}</h1><p><code>{}</code></p><table><tr><th>fact</th><th>source</th><th>sentence</th></tr>",
        escape_html(&display_term(&label)),
        escape_html(&iri)
    );
    for f in &facts {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            linkify(&f.fact),
            escape_html(&f.source),
            mark_quote(&f.sentence)
        );
    }
    body.push_str("</table>");
    Response::html(page(&display_term(&label), &body))
}

/// A listening socket with `TCP_NODELAY` set, which accepted connections
/// inherit: responses are written in several pieces, and Nagle's algorithm
/// would hold each piece back for the client's delayed acknowledgement.
fn listen(bind: &str) -> std::io::Result<std::net::TcpListener> {
    use std::net::ToSocketAddrs;
    let addr = bind
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other(format!("cannot resolve {bind}")))?;
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(addr),
        socket2::Type::STREAM,
        None,
    )?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket
        .bind(&addr.into())
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot bind {bind}: {e}")))?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// Runs the endpoint on `bind` until `stop` is called; `ready` hears the
/// address bound, `log` one line per request. At most `threads` requests
/// are answered at once; see [`http`] for the limits on clients.
pub fn serve(
    store: Store,
    bind: &str,
    opts: ServeOptions,
    threads: usize,
    ready: impl FnOnce(&str),
    log: impl Fn(&str) + Send + Sync + 'static,
    stop: impl FnOnce(Box<dyn Fn() + Send + Sync>),
) -> std::io::Result<()> {
    let listener = listen(bind)?;
    let addr = listener.local_addr()?;
    ready(&addr.to_string());
    let stopping = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let stopping = Arc::clone(&stopping);
        let wake = http::wake_address(addr);
        stop(Box::new(move || {
            stopping.store(true, std::sync::atomic::Ordering::Release);
            // Wakes the accepting thread up, which then sees the flag.
            let _ = std::net::TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        }));
    }
    let limits = http::Limits {
        body: opts.max_body,
        ..http::Limits::default()
    };
    http::run(
        listener,
        limits,
        threads,
        &stopping,
        Box::new(move |request: &Request| handle(&store, &opts, request)),
        Box::new(log),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_percent_and_plus() {
        assert_eq!(
            parse_form("query=SELECT+%3Fs%20WHERE&x=%E8%A5%BF"),
            vec![
                ("query".to_owned(), "SELECT ?s WHERE".to_owned()),
                ("x".to_owned(), "西".to_owned())
            ]
        );
        assert_eq!(percent_decode("%zz%"), "%zz%");
    }

    #[test]
    fn accept_headers_pick_the_best_format() {
        assert_eq!(
            results_format("text/csv;q=0.5, application/sparql-results+xml").map(|f| f.0),
            Some(OutputFormat::Xml)
        );
        assert_eq!(results_format("").map(|f| f.0), Some(OutputFormat::Json));
        assert_eq!(
            graph_format("application/n-triples").map(|f| f.0),
            Some(OutputFormat::NTriples)
        );
        assert!(graph_format("image/png").is_none());
    }

    #[test]
    fn queries_too_deep_or_too_long_for_the_stack_are_refused() {
        assert_eq!(too_complex("SELECT * WHERE { ?s ?p ?o }"), None);
        let named = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries")).unwrap();
        for q in named {
            let text = std::fs::read_to_string(q.unwrap().path()).unwrap();
            assert_eq!(too_complex(&text), None, "{text}");
        }
        // Brackets, operators and keywords inside IRIs, strings and
        // comments do not count.
        let quiet = format!(
            "SELECT * WHERE {{ ?s <http://e.org/a/b/c?x=1&y=2> \"{0}\" ; <p> '''{0}\n''' }} # {0}\n",
            "((((+&&UNION".repeat(200)
        );
        assert_eq!(too_complex(&quiet), None);
        let nested = format!("ASK {{ FILTER({}1{}) }}", "(".repeat(100), ")".repeat(100));
        assert!(too_complex(&nested).unwrap().contains("102 deep"));
        let chain = format!("ASK {{ FILTER({}) }}", vec!["true"; 2000].join(" && "));
        assert!(too_complex(&chain).unwrap().contains("3999 operators"));
        assert!(too_complex(&"{ ?s ?p ?o } UNION ".repeat(1100)).is_some());
        assert!(too_complex(&"OPTIONAL { ?s ?p ?o } ".repeat(1100)).is_some());
        assert!(too_complex("ASK { FILTER(1 < 2 && 3 <= 4) }").is_none());
    }

    #[test]
    fn service_calls_are_detected() {
        assert!(calls_service(
            "SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }"
        ));
        assert!(calls_service("select * { service silent <http://x> {} }"));
        assert!(!calls_service(
            "SELECT * WHERE { ?s <http://ex/SERVICE> \"SERVICES\" }"
        ));
    }

    #[test]
    fn html_is_escaped_and_quotes_marked() {
        assert_eq!(escape_html("<a&\"b'>\u{1}"), "&lt;a&amp;&quot;b&#39;&gt;");
        assert_eq!(mark_quote("前⟦<b>⟧后"), "前<mark>&lt;b&gt;</mark>后");
    }
}
