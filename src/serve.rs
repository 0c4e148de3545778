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

use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    match query::write_results(results, format, &mut body) {
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
        (None, Some(n)) => named
            .iter()
            .find(|q| &q.name == n)
            .and_then(|q| std::fs::read_to_string(&q.path).ok()),
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
/// address bound, `log` one line per request.
pub fn serve(
    store: Store,
    bind: &str,
    opts: ServeOptions,
    threads: usize,
    ready: impl FnOnce(&str),
    log: impl Fn(&str) + Send + Sync + 'static,
    stop: impl FnOnce(Box<dyn Fn() + Send + Sync>),
) -> std::io::Result<()> {
    let server = Arc::new(
        tiny_http::Server::from_listener(listen(bind)?, None)
            .map_err(|e| std::io::Error::other(format!("cannot serve on {bind}: {e}")))?,
    );
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| bind.to_owned(), |a| a.to_string());
    ready(&addr);
    {
        let server = Arc::clone(&server);
        stop(Box::new(move || {
            for _ in 0..threads {
                server.unblock();
            }
        }));
    }
    let store = Arc::new(store);
    let opts = Arc::new(opts);
    let log = Arc::new(log);
    let workers: Vec<_> = (0..threads.max(1))
        .map(|_| {
            let (server, store, opts, log) = (
                Arc::clone(&server),
                Arc::clone(&store),
                Arc::clone(&opts),
                Arc::clone(&log),
            );
            std::thread::spawn(move || {
                while let Ok(mut request) = server.recv() {
                    let started = Instant::now();
                    let header = |name: &str| {
                        request
                            .headers()
                            .iter()
                            .find(|h| h.field.to_string().eq_ignore_ascii_case(name))
                            .map(|h| h.value.as_str().to_owned())
                            .unwrap_or_default()
                    };
                    let content_type = header("Content-Type")
                        .split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase();
                    let accept = header("Accept");
                    let method = request.method().as_str().to_owned();
                    let url = request.url().to_owned();
                    // Read one byte past the cap, so an oversized body is seen without reading it all.
                    let mut body = Vec::new();
                    let limit = u64::try_from(opts.max_body)
                        .unwrap_or(u64::MAX)
                        .saturating_add(1);
                    let read = request.as_reader().take(limit).read_to_end(&mut body);
                    let response = match read {
                        Ok(_) => handle(
                            &store,
                            &opts,
                            &Request {
                                method: method.clone(),
                                url: url.clone(),
                                content_type,
                                accept,
                                body,
                            },
                        ),
                        Err(e) => Response::text(400, format!("cannot read the request body: {e}")),
                    };
                    let status = response.status;
                    let mut r =
                        tiny_http::Response::from_data(response.body).with_status_code(status);
                    if let Ok(h) = tiny_http::Header::from_bytes(
                        "Content-Type",
                        response.content_type.as_bytes(),
                    ) {
                        r = r.with_header(h);
                    }
                    let _ = request.respond(r);
                    log(&format!(
                        "{method} {} {status} {}ms",
                        url.chars().take(200).collect::<String>(),
                        started.elapsed().as_millis()
                    ));
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
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
