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
//!   A request's dataset (`default-graph-uri`, `named-graph-uri`) replaces
//!   the query's `FROM` and `FROM NAMED`, both halves (§2.1.4); relative
//!   IRIs resolve against the endpoint's address; a body must be UTF-8.
//! * Read-only: an update, at `/update` or at `/query`, and the Graph Store
//!   write methods answer 403; `SERVICE` answers 403 (the store is built
//!   without an HTTP client).
//! * Limits: a query is bounded in bytes, then parsed, checked on its
//!   algebra and run on a thread with a stack for the deepest query the
//!   bounds allow ([`crate::query::guard`]); a per-query timeout (503 when
//!   hit) and a request body cap (413).
//! * Abusive clients: see [`http`], the HTTP/1.1 server (hyper) and the
//!   bound it sets on everything a client controls.
//!
//! The named queries are read once, when the endpoint starts: nothing is
//! read from disk per request.

mod http;
mod pages;
mod reader;
pub mod search;
pub mod stream;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::QueryResultsFormat;

use crate::explain;
use crate::query::guard::{self, Refused};
use crate::query::{self, NamedQuery, OutputFormat, display_term};
use crate::rdf::vocab;
use crate::store::{Store, StoreError, Version};

/// How the endpoint behaves.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Longest a query may run.
    pub timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// The named queries of the query page, read when the endpoint starts.
    pub named: Vec<NamedQuery>,
    /// Most connections open at once.
    pub max_connections: usize,
    /// Most connections open at once from one client address.
    pub max_connections_per_client: usize,
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
    /// The `charset` parameter of `Content-Type`, lower case.
    pub charset: Option<String>,
    /// `Accept`.
    pub accept: String,
    /// Scheme and authority the client addressed (`http://host:port`):
    /// relative IRIs in a query resolve against it.
    pub base: String,
    /// The body.
    pub body: Vec<u8>,
}

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: String,
    /// The body, or its first part when `rest` follows.
    pub body: Vec<u8>,
    /// The rest of an answer too large to hold ([`stream`]).
    pub rest: Option<stream::Stream>,
}

impl PartialEq for Response {
    /// Equal status, type and (first part of the) body, both streamed or not.
    fn eq(&self, other: &Response) -> bool {
        self.status == other.status
            && self.content_type == other.content_type
            && self.body == other.body
            && self.rest.is_some() == other.rest.is_some()
    }
}

impl Response {
    fn text(status: u16, message: impl Into<String>) -> Response {
        let mut body = message.into();
        body.push('\n');
        Response {
            status,
            content_type: "text/plain; charset=utf-8".to_owned(),
            body: body.into_bytes(),
            rest: None,
        }
    }

    fn html(body: String) -> Response {
        Response {
            status: 200,
            content_type: "text/html; charset=utf-8".to_owned(),
            body: body.into_bytes(),
            rest: None,
        }
    }
}

/// Decodes `application/x-www-form-urlencoded` text (a form body or a
/// query string) into pairs.
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

/// Decodes the %XX escapes of a path segment (`+` stays `+`).
fn decode_path(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
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

/// The formats a query's solutions or boolean are sent in, the default
/// first.
const RESULT_FORMATS: &[(OutputFormat, QueryResultsFormat)] = &[
    (OutputFormat::Json, QueryResultsFormat::Json),
    (OutputFormat::Xml, QueryResultsFormat::Xml),
    (OutputFormat::Csv, QueryResultsFormat::Csv),
    (OutputFormat::Tsv, QueryResultsFormat::Tsv),
];

/// The formats a query's graph is sent in, the default first.
const GRAPH_FORMATS: &[(OutputFormat, RdfFormat)] = &[
    (OutputFormat::Turtle, RdfFormat::Turtle),
    (OutputFormat::NTriples, RdfFormat::NTriples),
    (OutputFormat::Xml, RdfFormat::RdfXml),
];

/// The first of `offers` that the `Accept` header asks for, best first,
/// with the media type it is sent as; the first offer for a missing
/// header or a wildcard. `parse` reads a requested media type.
fn negotiate<F: Copy + PartialEq>(
    accept: &str,
    wildcards: [&str; 2],
    offers: &[(OutputFormat, F)],
    parse: fn(&str) -> Option<F>,
    media_type: fn(F) -> &'static str,
) -> Option<(OutputFormat, &'static str)> {
    let offer = |(ours, theirs): (OutputFormat, F)| (ours, media_type(theirs));
    let wanted = accepted(accept);
    if wanted.is_empty() {
        return offers.first().copied().map(offer);
    }
    wanted.iter().find_map(|m| {
        if wildcards.contains(&m.as_str()) {
            return offers.first().copied().map(offer);
        }
        let f = parse(m)?;
        offers.iter().copied().find(|o| o.1 == f).map(offer)
    })
}

fn results_format(accept: &str) -> Option<(OutputFormat, &'static str)> {
    use QueryResultsFormat as Q;
    negotiate(
        accept,
        ["*/*", "application/*"],
        RESULT_FORMATS,
        Q::from_media_type,
        Q::media_type,
    )
}

fn graph_format(accept: &str) -> Option<(OutputFormat, &'static str)> {
    use RdfFormat as R;
    negotiate(
        accept,
        ["*/*", "text/*"],
        GRAPH_FORMATS,
        R::from_media_type,
        R::media_type,
    )
}

/// What an update gets, at `/update` and at `/query` alike.
fn read_only() -> Response {
    Response::text(403, "this endpoint is read-only: SPARQL UPDATE is refused")
}

/// Whether `text` is written as a SPARQL update: its first keyword after
/// the prologue (`PREFIX`, `BASE`) is one only an update begins with.
fn looks_like_update(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.starts_with('#') {
            rest = rest.split_once('\n').map_or("", |(_, r)| r);
            continue;
        }
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_uppercase();
        match word.as_str() {
            "PREFIX" | "BASE" => rest = rest.split_once('>').map_or("", |(_, r)| r),
            "INSERT" | "DELETE" | "LOAD" | "CLEAR" | "CREATE" | "DROP" | "COPY" | "MOVE"
            | "ADD" | "WITH" => return true,
            _ => return false,
        }
    }
}

/// The body as text: the protocol reads UTF-8 only, so another charset or
/// bytes that are not UTF-8 are a 400 that says so.
fn body_text(req: &Request) -> Result<&str, Response> {
    if let Some(charset) = &req.charset
        && charset != "utf-8"
    {
        return Err(Response::text(
            400,
            format!("the body is in {charset}; this endpoint reads UTF-8 only"),
        ));
    }
    std::str::from_utf8(&req.body).map_err(|e| {
        Response::text(
            400,
            format!(
                "the body is not UTF-8 (byte {}); this endpoint reads UTF-8 only",
                e.valid_up_to()
            ),
        )
    })
}

/// Runs `query` (for a page) on this thread, which has the query stack
/// ([`respond`]): bounded, parsed and checked first ([`guard`]), then
/// evaluated against `dataset` (or the union of all graphs) with `base` for
/// relative IRIs, and handed to `consume`, where the lazy evaluation happens.
fn evaluate<T: Send>(
    store: &Store,
    opts: &ServeOptions,
    query: &str,
    dataset: Option<(&[NamedNode], &[NamedNode])>,
    base: &str,
    consume: impl FnOnce(QueryResults<'static>) -> T + Send,
) -> Result<T, Response> {
    let parsed = match guard::check_with_base(query, Some(base), guard::Limits::DEFAULT) {
        Ok(parsed) => parsed,
        Err(Refused::Service) => return Err(Response::text(403, Refused::Service.to_string())),
        Err(why) => return Err(Response::text(400, why.to_string())),
    };
    let results = store
        .query_parsed(parsed, dataset, Some(opts.timeout))
        .map_err(|e| error_response(&e))?;
    Ok(consume(results))
}

/// Answers a SPARQL query request whose parameters (query string and form
/// fields) are `params`, and whose query is `direct` (a query body) or the
/// one `query` parameter.
fn sparql(
    opts: &ServeOptions,
    params: &[(String, String)],
    direct: Option<&str>,
    req: &Request,
    path: &str,
) -> Answer {
    fn values<'a>(
        params: &'a [(String, String)],
        key: &'a str,
    ) -> impl Iterator<Item = &'a String> + 'a {
        params.iter().filter(move |(k, _)| k == key).map(|(_, v)| v)
    }
    if values(params, "update").next().is_some() {
        return Answer::Now(read_only());
    }
    let mut queries = values(params, "query").map(String::as_str).chain(direct);
    let query = match (queries.next(), queries.next()) {
        (Some(q), None) if !q.trim().is_empty() => q,
        (Some(_), None) | (None, _) => {
            return Answer::Now(Response::text(400, "missing query parameter"));
        }
        (Some(_), Some(_)) => {
            return Answer::Now(Response::text(
                400,
                "a request carries one query; this one has several",
            ));
        }
    };
    let graphs = |key: &str| -> Result<Vec<NamedNode>, Response> {
        values(params, key)
            .map(|v| {
                NamedNode::new(v.as_str()).map_err(|e| Response::text(400, format!("{key}: {e}")))
            })
            .collect()
    };
    let (default, named) = match (graphs("default-graph-uri"), graphs("named-graph-uri")) {
        (Ok(d), Ok(n)) => (d, n),
        (Err(r), _) | (_, Err(r)) => return Answer::Now(r),
    };
    // The request's dataset, when it names one, replaces the query's.
    let dataset = (!default.is_empty() || !named.is_empty()).then_some((default, named));
    Answer::Query(QueryJob {
        query: query.to_owned(),
        dataset,
        base: format!("{}{path}", req.base),
        accept: req.accept.clone(),
        timeout: opts.timeout,
    })
}

/// What a request gets: an answer now, or a query to run.
enum Answer {
    Now(Response),
    Query(QueryJob),
}

/// A SPARQL query to answer, with what its request asked for.
struct QueryJob {
    query: String,
    dataset: Option<(Vec<NamedNode>, Vec<NamedNode>)>,
    base: String,
    accept: String,
    timeout: Duration,
}

impl QueryJob {
    /// Answers the query on this thread, which must have
    /// [`guard::QUERY_STACK`]: bounded, parsed and checked ([`guard`]),
    /// evaluated with its timeout, and written into a [`stream::Spill`],
    /// which gives `reply` the whole answer or, past [`stream::BUFFERED`]
    /// bytes, its first part and a stream of the rest; this call then goes
    /// on writing that stream, as the client reads it, until it ends.
    fn run(self, store: &Store, reply: &dyn Fn(Response)) {
        let started = std::time::Instant::now();
        let parsed =
            match guard::check_with_base(&self.query, Some(&self.base), guard::Limits::DEFAULT) {
                Ok(parsed) => parsed,
                Err(Refused::Service) => {
                    return reply(Response::text(403, Refused::Service.to_string()));
                }
                Err(why) => return reply(Response::text(400, why.to_string())),
            };
        let dataset = self
            .dataset
            .as_ref()
            .map(|(d, n)| (d.as_slice(), n.as_slice()));
        // Parsed once, by the guard: not again by the store.
        let results = match store.query_parsed(parsed, dataset, Some(self.timeout)) {
            Ok(results) => results,
            Err(e) => return reply(error_response(&e)),
        };
        let chosen = match &results {
            QueryResults::Graph(_) => graph_format(&self.accept),
            _ => results_format(&self.accept),
        };
        let Some((format, media)) = chosen else {
            return reply(Response::text(
                406,
                format!("cannot answer in any of: {}", self.accept),
            ));
        };
        let mut out = stream::Spill::new(reply, media, started + self.timeout);
        let written = query::write_results(results, format, &mut out);
        // Oxigraph does not check for cancellation while it gathers the rows
        // of a sort or a grouping, so such a query can end after its
        // timeout: its answer is not sent then either.
        let failure = match written {
            _ if out.timed_out || started.elapsed() > self.timeout => {
                Some(error_response(&StoreError::Timeout))
            }
            Ok(()) => None,
            Err(query::QueryError::Store(e)) => Some(error_response(&e)),
            Err(e) => Some(Response::text(500, e.to_string())),
        };
        out.finish(failure);
    }
}

fn error_response(e: &StoreError) -> Response {
    match e {
        StoreError::Syntax(m) => Response::text(400, m.clone()),
        StoreError::Timeout => {
            Response::text(503, "the query ran longer than the endpoint's timeout")
        }
        StoreError::RowBudget(budget) => Response::text(503, budget.to_string()),
        StoreError::ConcatBudget(budget) => Response::text(503, budget.to_string()),
        other => Response::text(500, other.to_string()),
    }
}

/// Answers one request.
pub fn handle(store: &Store, opts: &ServeOptions, req: &Request) -> Response {
    let (store, opts, req) = (store.clone(), opts.clone(), req.clone());
    let (tx, rx) = std::sync::mpsc::sync_channel::<Response>(1);
    let spawned = std::thread::Builder::new()
        .name("yushu-kg request".to_owned())
        .stack_size(guard::QUERY_STACK)
        .spawn(move || {
            respond(&store, &opts, &req, &|r| {
                let _ = tx.try_send(r);
            })
        });
    if let Err(e) = spawned {
        return Response::text(503, format!("cannot answer now: {e}"));
    }
    rx.recv()
        .unwrap_or_else(|_| Response::text(500, "the request ended without an answer"))
}

/// Answers one request on this thread, which must have
/// [`guard::QUERY_STACK`] (the parser and the evaluator recurse once per
/// level of a query): `reply` hears the response, once. For a large answer
/// it hears it early, with a stream of the rest, and this call goes on
/// writing that stream until it ends, so it returns when the work is done.
/// A search builds its index for this one request: [`respond_with`] keeps
/// one (as [`serve`] does).
pub fn respond(store: &Store, opts: &ServeOptions, req: &Request, reply: &dyn Fn(Response)) {
    respond_with(store, &Search::default(), opts, req, reply)
}

/// The search index of a store: built on the first search, or ahead of it
/// ([`Search::warm`]), and kept with the store it was built from.
#[derive(Default)]
pub struct Search(std::sync::OnceLock<Result<search::SearchIndex, String>>);

impl Search {
    /// The index of `store`, built if it is not yet.
    pub fn of(&self, store: &Store) -> Result<&search::SearchIndex, &str> {
        self.0
            .get_or_init(|| search::SearchIndex::build(store).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Builds the index of `store` now, so that no request waits for it.
    pub fn warm(&self, store: &Store) {
        let _ = self.of(store);
    }
}

/// [`respond`], searching `search` (the index of `store`).
pub fn respond_with(
    store: &Store,
    search: &Search,
    opts: &ServeOptions,
    req: &Request,
    reply: &dyn Fn(Response),
) {
    match route(store, search, opts, req) {
        Answer::Now(response) => reply(response),
        Answer::Query(job) => job.run(store, reply),
    }
}

fn route(store: &Store, search: &Search, opts: &ServeOptions, req: &Request) -> Answer {
    Answer::Now(match route_query(opts, req) {
        Some(answer) => return answer,
        None => pages(store, search, opts, req),
    })
}

/// The answer of a request to `/query` or `/update`; `None` for a page.
fn route_query(opts: &ServeOptions, req: &Request) -> Option<Answer> {
    if req.body.len() > opts.max_body {
        return Some(Answer::Now(Response::text(
            413,
            format!("request body over {} bytes", opts.max_body),
        )));
    }
    let (path, qs) = req.url.split_once('?').unwrap_or((req.url.as_str(), ""));
    let params = parse_form(qs);
    let now = |r| Some(Answer::Now(r));
    match (req.method.as_str(), path) {
        (_, "/update") => now(read_only()),
        ("GET" | "HEAD", "/query") => Some(sparql(opts, &params, None, req, path)),
        ("POST", "/query") => {
            if req.content_type == "application/sparql-update" {
                return now(read_only());
            }
            let body = match body_text(req) {
                Ok(body) => body,
                Err(refused) => return now(refused),
            };
            match req.content_type.as_str() {
                "application/sparql-query" => Some(sparql(opts, &params, Some(body), req, path)),
                "application/x-www-form-urlencoded" => {
                    let mut form = parse_form(body);
                    form.extend(params.iter().cloned());
                    Some(sparql(opts, &form, None, req, path))
                }
                other => {
                    let form = parse_form(body);
                    if looks_like_update(body) || form.iter().any(|(k, _)| k == "update") {
                        now(read_only())
                    } else {
                        now(Response::text(
                            415,
                            format!("unsupported content type {other:?}"),
                        ))
                    }
                }
            }
        }
        (_, "/query") => now(Response::text(405, "method not allowed")),
        _ => None,
    }
}

/// The pages and everything else that is not a query.
fn pages(store: &Store, search: &Search, opts: &ServeOptions, req: &Request) -> Response {
    let (path, qs) = req.url.split_once('?').unwrap_or((req.url.as_str(), ""));
    let params = parse_form(qs);
    let param = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    match (req.method.as_str(), path) {
        ("PUT" | "POST" | "DELETE" | "PATCH", "/store") => Response::text(
            403,
            "this endpoint is read-only: Graph Store writes are refused",
        ),
        ("GET" | "HEAD", "/") => Response::html(index_page(
            store,
            opts,
            &req.base,
            param("query"),
            param("name"),
        )),
        ("GET" | "HEAD", p) if p.starts_with("/entity/") => {
            entity_page(store, opts, &p["/entity/".len()..])
        }
        ("GET" | "HEAD", "/search") => {
            let q = param("q").unwrap_or_default();
            match search.of(store) {
                Ok(index) => Response::html(pages::search(&q, &index.find(&q, SEARCH_HITS))),
                Err(e) => Response::text(503, format!("search is not available: {e}")),
            }
        }
        ("GET" | "HEAD", p) if p.starts_with("/article/") => {
            article_page(store, opts, &decode_path(&p["/article/".len()..]))
        }
        ("GET" | "HEAD", _) => Response::text(404, "not found"),
        _ => Response::text(405, "method not allowed"),
    }
}

fn index_page(
    store: &Store,
    opts: &ServeOptions,
    base: &str,
    text: Option<String>,
    name: Option<String>,
) -> String {
    let query = match (text, &name) {
        (Some(t), _) => Some(t),
        (None, Some(n)) => opts
            .named
            .iter()
            .find(|q| &q.name == n)
            .map(|q| q.text.clone()),
        _ => None,
    };
    let outcome = query.as_deref().map(|q| {
        let base = format!("{base}/");
        evaluate(store, opts, q, None, &base, pages::results)
            .unwrap_or_else(|refused| pages::refusal(String::from_utf8_lossy(&refused.body).trim()))
    });
    pages::index(&opts.named, query.as_deref(), outcome)
}

fn entity_page(store: &Store, opts: &ServeOptions, path: &str) -> Response {
    // Segment by segment: a `/` inside a name arrives as `%2F` and stays in
    // its segment (“1/3工程”帮扶模式).
    let path: Vec<String> = path
        .split('/')
        .map(|segment| crate::rdf::iri::segment(&decode_path(segment)))
        .collect();
    let iri = format!("{}{}", vocab::ID, path.join("/"));
    let label = store
        .query(
            &format!(
                "SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = \"zh\") }} LIMIT 1"
            ),
            Some(opts.timeout),
        )
        .ok()
        .and_then(|r| match r {
            QueryResults::Solutions(mut rows) => rows.next().and_then(|r| r.ok()).and_then(|r| r.get("l").cloned()),
            _ => None,
        });
    let Some(label) = label else {
        return Response::text(404, format!("no entity <{iri}>"));
    };
    let facts = match explain::explain_within(store, &iri, Some(opts.timeout)) {
        Ok(f) => f,
        Err(e) => return error_response(&e),
    };
    let labels = match fact_labels(store, &facts, opts.timeout) {
        Ok(l) => l,
        Err(e) => return error_response(&e),
    };
    Response::html(pages::entity(&display_term(&label), &iri, &facts, &labels))
}

/// The Chinese labels of the entities and terms the facts name, by the
/// word the fact writes (`id:area/xicheng`, `ykg:supports`).
fn fact_labels(
    store: &Store,
    facts: &[explain::Explanation],
    timeout: Duration,
) -> Result<pages::Labels, StoreError> {
    let mut words = std::collections::BTreeMap::new();
    for f in facts {
        for w in f.fact.split(' ') {
            let iri = if let Some(rest) = w.strip_prefix("id:") {
                format!("{}{rest}", vocab::ID)
            } else if let Some(rest) = w.strip_prefix("ykg:") {
                format!("{}{rest}", vocab::NS)
            } else {
                continue;
            };
            if NamedNode::new(&iri).is_ok() {
                words.insert(iri, w.to_owned());
            }
        }
    }
    if words.is_empty() {
        return Ok(pages::Labels::new());
    }
    let values: String = words.keys().map(|i| format!("<{i}> ")).collect();
    let rows = store.select_within(
        &format!(
            "SELECT ?x ?l WHERE {{ VALUES ?x {{ {values}}} ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = \"zh\") }}"
        ),
        Some(timeout),
    )?;
    let mut labels = pages::Labels::new();
    for row in rows {
        if let (Some(Term::NamedNode(x)), Some(Term::Literal(l))) = (&row[0], &row[1])
            && let Some(w) = words.get(x.as_str())
        {
            labels.insert(w.clone(), l.value().to_owned());
        }
    }
    Ok(labels)
}

/// Most entities a search shows.
const SEARCH_HITS: usize = 50;

fn article_page(store: &Store, opts: &ServeOptions, id: &str) -> Response {
    match reader::load(store, id, Some(opts.timeout)) {
        Ok(Some(view)) => Response::html(pages::article(&view)),
        Ok(None) => Response::text(404, format!("no article {id:?}")),
        Err(e) => error_response(&e),
    }
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
    let stopping = Arc::new(tokio::sync::Notify::new());
    {
        let stopping = Arc::clone(&stopping);
        // `notify_one` keeps the wake-up for the accept loop if it is not
        // waiting yet.
        stop(Box::new(move || stopping.notify_one()));
    }
    let limits = http::Limits {
        body: opts.max_body,
        connections: opts.max_connections,
        connections_per_client: opts.max_connections_per_client,
        ..http::Limits::default()
    };
    let log: Arc<dyn Fn(&str) + Send + Sync> = Arc::new(log);
    let path = store.path().map(std::path::Path::to_owned);
    let search = Arc::new(Search::default());
    search.warm(&store);
    let current = Arc::new(RwLock::new((store, search)));
    let watching = Arc::new(AtomicBool::new(true));
    let watcher = path.map(|path| {
        let (current, watching, log) = (
            Arc::clone(&current),
            Arc::clone(&watching),
            Arc::clone(&log),
        );
        std::thread::spawn(move || watch(&path, &current, &watching, &*log))
    });
    let served = http::run(
        listener,
        limits,
        threads,
        stopping,
        Box::new(move |request: &Request, reply: &dyn Fn(Response)| {
            // A clone of the handle: a reopen does not wait for requests.
            let (store, search) = current.read().unwrap_or_else(|e| e.into_inner()).clone();
            respond_with(&store, &search, &opts, request, reply)
        }),
        Box::new({
            let log = Arc::clone(&log);
            move |line: &str| log(line)
        }),
    );
    watching.store(false, Ordering::Release);
    if let Some(watcher) = watcher {
        let _ = watcher.join();
    }
    served
}

/// How often the endpoint looks whether its store changed.
const WATCH_EVERY: Duration = Duration::from_millis(500);

/// Reopens the store at `path` into `current` whenever it changes (a build
/// swapped a new one in, an `add` or `remove` wrote it), until `watching`
/// is cleared: the endpoint answers from the store as it is, and the disk
/// of a replaced store is freed. A store that cannot be opened yet (in the
/// middle of a swap) is tried again.
fn watch(
    path: &std::path::Path,
    current: &RwLock<(Store, Arc<Search>)>,
    watching: &AtomicBool,
    log: &dyn Fn(&str),
) {
    let mut seen = Version::of(path);
    while watching.load(Ordering::Acquire) {
        std::thread::sleep(WATCH_EVERY);
        let now = Version::of(path);
        if now == seen {
            continue;
        }
        let budget = current.read().unwrap_or_else(|e| e.into_inner()).0.budget();
        match Store::open_read_only(path).map(|s| s.with_budget(budget)) {
            Ok(store) => {
                // The new store's index is built before it is swapped in.
                let search = Arc::new(Search::default());
                search.warm(&store);
                *current.write().unwrap_or_else(|e| e.into_inner()) = (store, search);
                seen = now;
                log(&format!(
                    "reopened the store at {}: it changed",
                    path.display()
                ));
            }
            Err(e) => log(&format!(
                "the store at {} changed; not reopened yet: {e}",
                path.display()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_percent_and_plus_and_paths_keep_plus() {
        assert_eq!(
            parse_form("query=SELECT+%3Fs%20WHERE&x=%E8%A5%BF"),
            vec![
                ("query".to_owned(), "SELECT ?s WHERE".to_owned()),
                ("x".to_owned(), "西".to_owned())
            ]
        );
        assert_eq!(decode_path("%zz%"), "%zz%");
        assert_eq!(decode_path("org/a+b%2Fc"), "org/a+b/c");
        assert_eq!(decode_path("%E8%A5%BF"), "西");
    }

    fn request(method: &str, url: &str, content_type: &str, body: &[u8]) -> Request {
        let (media, charset) = match content_type.split_once("; charset=") {
            Some((m, c)) => (m.to_owned(), Some(c.to_ascii_lowercase())),
            None => (content_type.to_owned(), None),
        };
        Request {
            method: method.to_owned(),
            url: url.to_owned(),
            content_type: media,
            charset,
            accept: String::new(),
            base: "http://127.0.0.1:7878".to_owned(),
            body: body.to_vec(),
        }
    }

    /// The endpoint's defaults, with no named queries.
    fn options() -> ServeOptions {
        ServeOptions {
            timeout: Duration::from_secs(10),
            max_body: 1 << 20,
            named: Vec::new(),
            max_connections: 1024,
            max_connections_per_client: 512,
        }
    }

    fn get(url: &str) -> Request {
        request("GET", url, "", b"")
    }

    fn post(url: &str, content_type: &str, body: &[u8]) -> Request {
        request("POST", url, content_type, body)
    }

    fn answer(req: &Request) -> Response {
        let store = Store::in_memory().expect("a store in memory");
        let opts = options();
        handle(&store, &opts, req)
    }

    #[test]
    fn an_entity_whose_name_holds_a_slash_has_its_page() {
        use oxigraph::model::{Literal, Quad};
        let name = "“1/3工程”帮扶模式";
        let id = crate::facts::EntityId::Program(name.to_owned());
        let iri = crate::rdf::iri::entity(&id);
        let store = Store::in_memory().expect("a store in memory");
        store
            .bulk_load([Quad::new(
                iri.clone(),
                vocab::RDFS_LABEL,
                Literal::new_language_tagged_literal_unchecked(name, "zh"),
                crate::rdf::iri::entities_graph(),
            )])
            .expect("loaded");
        let opts = options();
        // The link the pages write, and the same path as a browser sends it.
        let link = format!("/entity/{}", &iri.as_str()[vocab::ID.len()..]);
        let sent: String = link
            .bytes()
            .map(|b| {
                if b.is_ascii() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        for url in [link, sent] {
            let r = handle(&store, &opts, &get(&url));
            assert_eq!(r.status, 200, "{url}: {}", String::from_utf8_lossy(&r.body));
            assert!(
                String::from_utf8_lossy(&r.body).contains("1/3工程"),
                "{url}"
            );
        }
    }

    #[test]
    fn an_update_is_refused_alike_wherever_it_is_sent() {
        let at_update = answer(&post("/update", "application/sparql-update", b"CLEAR ALL"));
        assert_eq!(at_update.status, 403);
        for req in [
            post("/query", "application/sparql-update", b"CLEAR ALL"),
            get("/query?update=CLEAR+ALL"),
            post(
                "/query",
                "application/x-www-form-urlencoded",
                b"update=CLEAR+ALL",
            ),
            post(
                "/query",
                "text/plain",
                b"PREFIX a: <http://a/> # x\nINSERT DATA {}",
            ),
            post("/query", "", b"update=CLEAR+NAMED"),
        ] {
            assert_eq!(answer(&req), at_update, "{req:?}");
        }
        assert_eq!(answer(&post("/query", "text/plain", b"ASK {}")).status, 415);
    }

    #[test]
    fn one_query_per_request_in_utf8() {
        let two = answer(&get("/query?query=ASK%7B%7D&query=ASK%7B%7D"));
        assert_eq!(two.status, 400);
        let one = answer(&get("/query?query=ASK%7B%7D"));
        assert_eq!(one.status, 200, "{:?}", String::from_utf8_lossy(&one.body));
        for (content_type, body) in [
            (
                "application/sparql-query",
                &b"ASK { FILTER(\"caf\xe9\" != \"\") }"[..],
            ),
            (
                "application/sparql-query; charset=UTF-16",
                &b"\xff\xfeA\0S\0K\0"[..],
            ),
        ] {
            let r = answer(&post("/query", content_type, body));
            assert_eq!(r.status, 400);
            assert!(String::from_utf8_lossy(&r.body).contains("UTF-8"));
        }
    }

    #[test]
    fn relative_iris_resolve_against_the_endpoint() {
        let q = "CONSTRUCT%20%7B%20%3Cs%3E%20%3Cp%3E%201%20%7D%20WHERE%20%7B%7D";
        let mut req = request("GET", &format!("/query?query={q}"), "", b"");
        req.accept = "application/n-triples".to_owned();
        let r = answer(&req);
        assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
        assert!(
            String::from_utf8_lossy(&r.body).starts_with("<http://127.0.0.1:7878/s> "),
            "{:?}",
            String::from_utf8_lossy(&r.body)
        );
    }
}
