//! The endpoint against the query side of the W3C SPARQL 1.1 Protocol test
//! suite (`sparql/sparql11/protocol/manifest.ttl` in w3c/rdf-tests), over
//! real HTTP.
//!
//! Each test keeps one case's protocol rule and swaps the suite's data for
//! the shipped store's graphs: the ontology graph and the reference graph
//! stand in for the suite's `data1.rdf` … `data3.rdf`. The update cases are
//! one test: the endpoint is read-only, so every one of them is refused.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

use crate::hardening::Server;
use crate::serve::enc;
use crate::shipped_store;

const ONTOLOGY_GRAPH: &str = "https://w3id.org/yushu-kg/graph/ontology";
const REFERENCE_GRAPH: &str = "https://w3id.org/yushu-kg/graph/reference";
/// A triple pattern that matches in the ontology graph only: its header.
const IN_ONTOLOGY: &str =
    "<https://w3id.org/yushu-kg/ontology> a <http://www.w3.org/2002/07/owl#Ontology>";
/// A triple pattern that matches in the reference graph (the official
/// pairings), never in the ontology graph.
const IN_REFERENCE: &str = "?district <https://w3id.org/yushu-kg/ontology#pairedWith> ?county";
/// The ontology's Chinese title, a literal of the ontology's own description.
const ONTOLOGY_TITLE: &str = "玉树对口支援知识图谱本体";
/// The named graphs a query sees.
const EVERY_GRAPH: &str = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }";

const JSON: &str = "application/sparql-results+json";
const XML: &str = "application/sparql-results+xml";
const CSV: &str = "text/csv";
const TSV: &str = "text/tab-separated-values";
const TURTLE: &str = "text/turtle";
const N_TRIPLES: &str = "application/n-triples";
const RDF_XML: &str = "application/rdf+xml";
const SPARQL_QUERY: &str = "application/sparql-query";
const SPARQL_UPDATE: &str = "application/sparql-update";
const FORM: &str = "application/x-www-form-urlencoded";

fn start() -> Server {
    Server::start(shipped_store(), &[])
}

/// One answer of the endpoint.
struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

impl Reply {
    /// The media type answered, without its parameters.
    fn media_type(&self) -> &str {
        self.content_type.split(';').next().unwrap_or("").trim()
    }

    /// The body of a 200 in SPARQL JSON.
    #[track_caller]
    fn json(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.body);
        assert_eq!(self.media_type(), JSON, "{}", self.body);
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The answer of an ASK query.
    #[track_caller]
    fn boolean(&self) -> bool {
        self.json()["boolean"]
            .as_bool()
            .unwrap_or_else(|| panic!("no boolean: {}", self.body))
    }

    /// The values of `var` in the rows of a SELECT query, sorted.
    #[track_caller]
    fn column(&self, var: &str) -> Vec<String> {
        let json = self.json();
        let rows = json["results"]["bindings"]
            .as_array()
            .unwrap_or_else(|| panic!("no bindings: {}", self.body));
        let mut values: Vec<String> = rows
            .iter()
            .map(|row| {
                row[var]["value"]
                    .as_str()
                    .unwrap_or_else(|| panic!("?{var} unbound: {}", self.body))
                    .to_owned()
            })
            .collect();
        values.sort();
        values
    }
}

/// Sends one request on a connection of its own and reads the answer.
fn send(
    server: &Server,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let addr = &server.addr;
    let mut stream = TcpStream::connect(addr).expect("the endpoint accepts a connection");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a read timeout can be set");
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .expect("the request head is sent");
    stream.write_all(body).expect("the request body is sent");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("the answer is read to its end");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (answer_head, answer_body) = text.split_once("\r\n\r\n").unwrap_or((text.as_str(), ""));
    let status = answer_head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("{method} {target}: no status line in {text:?}"));
    let content_type = answer_head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default();
    Reply {
        status,
        content_type,
        body: answer_body.to_owned(),
    }
}

/// `name=value&…`, each value percent-encoded.
fn form(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(name, value)| format!("{name}={}", enc(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `path`, then `?` and the parameters when there are any.
fn with_params(path: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", form(params))
    }
}

/// The three ways a query reaches the endpoint.
#[derive(Clone, Copy, Debug)]
enum Via {
    /// `GET /query?query=…&…`.
    Get,
    /// `POST /query?…` with the query as an `application/sparql-query` body.
    Direct,
    /// `POST /query` with the query and the other parameters in an
    /// `application/x-www-form-urlencoded` body.
    Form,
}

/// Sends `query` with the protocol parameters `params`, asking for `accept`.
fn run(server: &Server, via: Via, params: &[(&str, &str)], query: &str, accept: &str) -> Reply {
    let mut all = vec![("query", query)];
    all.extend_from_slice(params);
    match via {
        Via::Get => send(
            server,
            "GET",
            &with_params("/query", &all),
            &[("Accept", accept)],
            b"",
        ),
        Via::Direct => send(
            server,
            "POST",
            &with_params("/query", params),
            &[("Content-Type", SPARQL_QUERY), ("Accept", accept)],
            query.as_bytes(),
        ),
        Via::Form => send(
            server,
            "POST",
            "/query",
            &[("Content-Type", FORM), ("Accept", accept)],
            form(&all).as_bytes(),
        ),
    }
}

#[track_caller]
fn ask(server: &Server, via: Via, params: &[(&str, &str)], query: &str) -> bool {
    run(server, via, params, query, JSON).boolean()
}

/// The named graphs `query` binds to `?g`, sorted.
#[track_caller]
fn graphs(server: &Server, via: Via, params: &[(&str, &str)], query: &str) -> Vec<String> {
    run(server, via, params, query, JSON).column("g")
}

/// The one `?n` of a counting query.
#[track_caller]
fn count(server: &Server, params: &[(&str, &str)], query: &str) -> u64 {
    let values = run(server, Via::Direct, params, query, JSON).column("n");
    match values.as_slice() {
        [n] => n
            .parse::<u64>()
            .unwrap_or_else(|e| panic!("count {n:?}: {e}")),
        other => panic!("one count expected: {other:?}"),
    }
}

/// A text in UTF-16, little-endian, after its byte-order mark.
fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// With `default-graph-uri` alone, the default graph is the merge of the
/// graphs named and there is no named graph.
fn default_graph_uris_make_the_default_graph(via: Via) {
    let server = start();
    let both = format!("ASK {{ {IN_ONTOLOGY} . {IN_REFERENCE} }}");
    let two = [
        ("default-graph-uri", ONTOLOGY_GRAPH),
        ("default-graph-uri", REFERENCE_GRAPH),
    ];
    assert!(
        ask(&server, via, &two, &both),
        "{via:?}: the merge of the two graphs holds both patterns"
    );
    let one = [("default-graph-uri", ONTOLOGY_GRAPH)];
    assert!(
        !ask(&server, via, &one, &both),
        "{via:?}: the ontology graph alone holds one of them"
    );
    let named = graphs(&server, via, &two, EVERY_GRAPH);
    assert!(
        named.is_empty(),
        "{via:?}: the request names no named graph, yet the query sees {named:?}"
    );
}

/// With `named-graph-uri` alone, the named graphs are those and only those.
fn named_graph_uris_make_the_named_graphs(via: Via) {
    let server = start();
    let both = format!("ASK {{ GRAPH ?g1 {{ {IN_ONTOLOGY} }} GRAPH ?g2 {{ {IN_REFERENCE} }} }}");
    let two = [
        ("named-graph-uri", ONTOLOGY_GRAPH),
        ("named-graph-uri", REFERENCE_GRAPH),
    ];
    assert!(
        ask(&server, via, &two, &both),
        "{via:?}: both graphs are named"
    );
    assert_eq!(
        graphs(&server, via, &two, EVERY_GRAPH),
        [ONTOLOGY_GRAPH, REFERENCE_GRAPH],
        "{via:?}: no other graph is named"
    );
    let one = [("named-graph-uri", ONTOLOGY_GRAPH)];
    assert!(
        !ask(&server, via, &one, &both),
        "{via:?}: the reference graph is not named"
    );
}

/// W3C protocol: query_get
#[test]
fn get_with_query_parameter_answers_200_with_results() {
    let server = start();
    let query = format!("ASK {{ {IN_ONTOLOGY} }}");
    let reply = run(
        &server,
        Via::Get,
        &[("default-graph-uri", ONTOLOGY_GRAPH)],
        &query,
        JSON,
    );
    assert_eq!(
        (reply.status, reply.media_type()),
        (200, JSON),
        "{}",
        reply.body
    );
    assert!(reply.boolean());
}

/// W3C protocol: query_post_form
#[test]
fn form_post_with_query_field_answers_200_with_results() {
    let server = start();
    let query = format!("ASK {{ {IN_ONTOLOGY} }}");
    // As in the suite: the query in the body, the dataset in the URL.
    let reply = send(
        &server,
        "POST",
        &with_params("/query", &[("default-graph-uri", ONTOLOGY_GRAPH)]),
        &[("Content-Type", FORM), ("Accept", JSON)],
        form(&[("query", query.as_str())]).as_bytes(),
    );
    assert!(reply.boolean());
    // Every parameter in the body: its default-graph-uri is the dataset.
    let pairings = format!("ASK {{ {IN_REFERENCE} }}");
    assert!(!ask(
        &server,
        Via::Form,
        &[("default-graph-uri", ONTOLOGY_GRAPH)],
        &pairings
    ));
    assert!(ask(
        &server,
        Via::Form,
        &[("default-graph-uri", REFERENCE_GRAPH)],
        &pairings
    ));
}

/// W3C protocol: query_post_direct
#[test]
fn direct_post_of_a_query_answers_200_with_results() {
    let server = start();
    let reply = run(
        &server,
        Via::Direct,
        &[],
        &format!("ASK {{ {IN_ONTOLOGY} }}"),
        JSON,
    );
    assert_eq!(
        (reply.status, reply.media_type()),
        (200, JSON),
        "{}",
        reply.body
    );
    assert!(reply.boolean());
}

/// W3C protocol: query_dataset_default_graphs_get
#[test]
fn get_default_graph_uris_make_the_default_graph_and_no_named_graph() {
    default_graph_uris_make_the_default_graph(Via::Get);
}

/// W3C protocol: query_dataset_default_graphs_post
#[test]
fn post_default_graph_uris_make_the_default_graph_and_no_named_graph() {
    default_graph_uris_make_the_default_graph(Via::Direct);
}

/// W3C protocol: query_dataset_named_graphs_post
#[test]
fn post_named_graph_uris_are_the_only_named_graphs() {
    named_graph_uris_make_the_named_graphs(Via::Direct);
}

/// W3C protocol: query_dataset_named_graphs_get
#[test]
fn get_named_graph_uris_are_the_only_named_graphs() {
    named_graph_uris_make_the_named_graphs(Via::Get);
}

/// W3C protocol: query_dataset_full
#[test]
fn default_and_named_graph_uris_together_make_the_whole_dataset() {
    let server = start();
    let params = [
        ("default-graph-uri", REFERENCE_GRAPH),
        ("named-graph-uri", ONTOLOGY_GRAPH),
    ];
    let both = format!("ASK {{ {IN_REFERENCE} . GRAPH ?g {{ {IN_ONTOLOGY} }} }}");
    assert!(ask(&server, Via::Direct, &params, &both));
    assert_eq!(
        graphs(&server, Via::Direct, &params, EVERY_GRAPH),
        [ONTOLOGY_GRAPH]
    );
    assert!(
        !ask(
            &server,
            Via::Direct,
            &params,
            &format!("ASK {{ {IN_ONTOLOGY} }}")
        ),
        "the ontology graph is named, not in the default graph"
    );
    assert!(
        !ask(
            &server,
            Via::Direct,
            &params,
            &format!("ASK {{ GRAPH ?g {{ {IN_REFERENCE} }} }}")
        ),
        "the reference graph is the default graph, not a named one"
    );
}

/// W3C protocol: query_multiple_dataset
#[test]
fn protocol_dataset_replaces_the_querys_from_and_from_named() {
    let server = start();
    let from = format!("FROM <{REFERENCE_GRAPH}> FROM NAMED <{REFERENCE_GRAPH}>");
    let in_default = format!("SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}");
    let named = format!("SELECT DISTINCT ?g {from} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}");
    // Without protocol parameters the query's own dataset holds.
    let reference_triples = count(&server, &[], &in_default);
    assert!(reference_triples > 0, "the reference graph has triples");
    assert_eq!(graphs(&server, Via::Direct, &[], &named), [REFERENCE_GRAPH]);

    let default_only = [("default-graph-uri", ONTOLOGY_GRAPH)];
    let ontology_triples = count(
        &server,
        &default_only,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    );
    assert_eq!(
        count(&server, &default_only, &in_default),
        ontology_triples,
        "FROM is ignored: the default graph is default-graph-uri's"
    );
    let seen = graphs(&server, Via::Direct, &default_only, &named);
    assert!(
        seen.is_empty(),
        "FROM NAMED is ignored: the request names no named graph, yet the query sees {seen:?}"
    );

    let named_only = [("named-graph-uri", ONTOLOGY_GRAPH)];
    assert_eq!(
        graphs(&server, Via::Direct, &named_only, &named),
        [ONTOLOGY_GRAPH],
        "FROM NAMED is ignored: the named graphs are named-graph-uri's"
    );
    assert_eq!(
        count(&server, &named_only, &in_default),
        0,
        "FROM is ignored: the request names no default graph, so it is empty \
         (the reference graph has {reference_triples} triples)"
    );
}

/// W3C protocol: query_content_type_select
#[test]
fn select_answers_in_the_results_format_asked_for() {
    let server = start();
    for media in [JSON, XML, CSV, TSV] {
        let reply = run(&server, Via::Direct, &[], "SELECT (1 AS ?value) {}", media);
        assert_eq!(
            (reply.status, reply.media_type()),
            (200, media),
            "{}",
            reply.body
        );
        let lines: Vec<&str> = reply.body.lines().map(str::trim_end).collect();
        let one_row = match media {
            JSON => reply.json()["results"]["bindings"][0]["value"]["value"] == "1",
            XML => {
                reply.body.contains("<variable name=\"value\"")
                    && reply.body.contains(">1</literal>")
            }
            CSV => lines == ["value", "1"],
            _ => lines == ["?value", "1"],
        };
        assert!(one_row, "{media}: {}", reply.body);
    }
}

/// W3C protocol: query_content_type_ask
#[test]
fn ask_answers_in_the_results_format_asked_for() {
    let server = start();
    let query = format!("ASK {{ {IN_ONTOLOGY} }}");
    for media in [JSON, XML, CSV, TSV] {
        let reply = run(&server, Via::Direct, &[], &query, media);
        assert_eq!(
            (reply.status, reply.media_type()),
            (200, media),
            "{}",
            reply.body
        );
        let yes = match media {
            JSON => reply.boolean(),
            XML => reply.body.contains("<boolean>true</boolean>"),
            _ => reply.body.trim() == "true",
        };
        assert!(yes, "{media}: {}", reply.body);
    }
}

/// W3C protocol: query_content_type_describe
#[test]
fn describe_answers_in_the_rdf_syntax_asked_for() {
    let server = start();
    let query = "DESCRIBE <https://w3id.org/yushu-kg/ontology>";
    for media in [TURTLE, N_TRIPLES, RDF_XML] {
        let reply = run(&server, Via::Direct, &[], query, media);
        assert_eq!(
            (reply.status, reply.media_type()),
            (200, media),
            "{}",
            reply.body
        );
        assert!(
            reply.body.contains(ONTOLOGY_TITLE),
            "{media}: the ontology's description: {}",
            reply.body
        );
    }
}

/// W3C protocol: query_content_type_construct
///
/// The suite's query has relative IRIs: they resolve against the request's
/// URL.
#[test]
fn construct_answers_in_the_rdf_syntax_asked_for_with_relative_iris_resolved() {
    let server = start();
    let query = "CONSTRUCT { <s> <p> 1 } WHERE {}";
    let reply = run(&server, Via::Direct, &[], query, N_TRIPLES);
    assert_eq!(
        (reply.status, reply.media_type()),
        (200, N_TRIPLES),
        "{}",
        reply.body
    );
    let subject = reply
        .body
        .trim_start()
        .strip_prefix('<')
        .and_then(|rest| rest.split_once('>'))
        .map(|(iri, _)| iri.to_owned())
        .unwrap_or_else(|| panic!("no triple: {}", reply.body));
    assert!(
        subject.starts_with("http://") && subject.ends_with("/s"),
        "<s> resolved against the request's URL: {subject}"
    );
    for media in [TURTLE, RDF_XML] {
        let reply = run(&server, Via::Direct, &[], query, media);
        assert_eq!(
            (reply.status, reply.media_type()),
            (200, media),
            "{}",
            reply.body
        );
        assert!(
            reply.body.contains(subject.as_str()),
            "{media}: <{subject}>: {}",
            reply.body
        );
    }
}

/// W3C protocol: bad_query_method
#[test]
fn methods_other_than_get_and_post_are_a_405() {
    let server = start();
    for method in ["PUT", "DELETE", "PATCH"] {
        let reply = send(
            &server,
            method,
            &with_params("/query", &[("query", "ASK {}")]),
            &[("Content-Type", FORM)],
            b"",
        );
        assert_eq!(reply.status, 405, "{method}: {}", reply.body);
    }
}

/// W3C protocol: bad_multiple_queries
#[test]
fn two_query_parameters_are_a_400() {
    let server = start();
    // `run` puts its query first: the request carries two.
    for via in [Via::Get, Via::Form] {
        let reply = run(&server, via, &[("query", "SELECT * {}")], "ASK {}", JSON);
        assert_eq!(reply.status, 400, "{via:?}: {}", reply.body);
    }
}

/// W3C protocol: bad_query_wrong_media_type
#[test]
fn a_post_in_another_media_type_is_refused_as_unsupported() {
    let server = start();
    let reply = send(
        &server,
        "POST",
        "/query",
        &[("Content-Type", "text/plain")],
        b"ASK {}",
    );
    assert!(
        matches!(reply.status, 400 | 415),
        "{}: {}",
        reply.status,
        reply.body
    );
}

/// W3C protocol: bad_query_missing_form_type
#[test]
fn a_form_body_without_its_media_type_is_refused() {
    let server = start();
    let body = form(&[("query", "ASK {}")]);
    let reply = send(&server, "POST", "/query", &[], body.as_bytes());
    assert!(
        matches!(reply.status, 400 | 415),
        "{}: {}",
        reply.status,
        reply.body
    );
}

/// W3C protocol: bad_query_missing_direct_type
#[test]
fn a_query_body_without_its_media_type_is_refused() {
    let server = start();
    let reply = send(&server, "POST", "/query", &[], b"ASK {}");
    assert!(
        matches!(reply.status, 400 | 415),
        "{}: {}",
        reply.status,
        reply.body
    );
}

/// Beside the W3C cases bad_query_missing_form_type and
/// bad_query_missing_direct_type: a request that carries no query at all.
#[test]
fn a_request_without_a_query_is_a_400() {
    let server = start();
    let dataset = [("default-graph-uri", ONTOLOGY_GRAPH)];
    for (what, reply) in [
        ("GET", send(&server, "GET", "/query", &[], b"")),
        (
            "GET with a dataset",
            send(&server, "GET", &with_params("/query", &dataset), &[], b""),
        ),
        (
            "a form without a query field",
            send(
                &server,
                "POST",
                "/query",
                &[("Content-Type", FORM)],
                form(&dataset).as_bytes(),
            ),
        ),
        (
            "an empty query body",
            send(
                &server,
                "POST",
                "/query",
                &[("Content-Type", SPARQL_QUERY)],
                b"",
            ),
        ),
    ] {
        assert_eq!(reply.status, 400, "{what}: {}", reply.body);
    }
}

/// W3C protocol: bad_query_non_utf8
#[test]
fn a_query_body_that_is_not_utf8_is_a_400_naming_utf8() {
    let server = start();
    for (what, content_type, body) in [
        (
            "UTF-16",
            "application/sparql-query; charset=UTF-16",
            utf16("ASK {}"),
        ),
        (
            "Latin-1",
            SPARQL_QUERY,
            b"ASK { FILTER(\"caf\xe9\" != \"\") }".to_vec(),
        ),
    ] {
        let reply = send(
            &server,
            "POST",
            "/query",
            &[("Content-Type", content_type)],
            &body,
        );
        assert_eq!(reply.status, 400, "{what}: {}", reply.body);
        assert!(
            reply.body.contains("UTF-8"),
            "{what}: the answer names the encoding it reads: {}",
            reply.body
        );
    }
}

/// W3C protocol: bad_query_syntax
#[test]
fn get_with_a_query_that_does_not_parse_is_a_400() {
    let server = start();
    let reply = run(&server, Via::Get, &[], "ASK {", JSON);
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(
        !reply.body.trim().is_empty(),
        "the answer says what is wrong"
    );
}

/// One request of an update case of the suite, sent to a path the test picks.
struct UpdateCase {
    name: &'static str,
    method: &'static str,
    params: Vec<(&'static str, &'static str)>,
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

fn update_case(
    name: &'static str,
    method: &'static str,
    params: &[(&'static str, &'static str)],
    content_type: Option<&'static str>,
    body: impl Into<Vec<u8>>,
) -> UpdateCase {
    UpdateCase {
        name,
        method,
        params: params.to_vec(),
        content_type,
        body: body.into(),
    }
}

/// The update cases of the suite, on the shipped store's graphs.
fn update_cases() -> Vec<UpdateCase> {
    let delete = format!(
        "DELETE {{ GRAPH <{REFERENCE_GRAPH}> {{ {IN_REFERENCE} }} }} WHERE {{ {IN_REFERENCE} }}"
    );
    let delete_named = format!(
        "DELETE {{ GRAPH ?g {{ {IN_REFERENCE} }} }} WHERE {{ GRAPH ?g {{ {IN_REFERENCE} }} }}"
    );
    let relative = format!(
        "INSERT DATA {{ GRAPH <{REFERENCE_GRAPH}> {{ \
         <https://w3id.org/yushu-kg/id/x> <https://w3id.org/yushu-kg/ontology#p> <relative> }} }}"
    );
    let with =
        format!("WITH <{REFERENCE_GRAPH}> DELETE {{ {IN_REFERENCE} }} WHERE {{ {IN_REFERENCE} }}");
    let update = Some(SPARQL_UPDATE);
    let post = "POST";
    vec![
        update_case(
            "update_dataset_default_graph",
            post,
            &[("using-graph-uri", REFERENCE_GRAPH)],
            update,
            delete.as_str(),
        ),
        update_case(
            "update_dataset_default_graphs",
            post,
            &[
                ("using-graph-uri", REFERENCE_GRAPH),
                ("using-graph-uri", ONTOLOGY_GRAPH),
            ],
            update,
            delete.as_str(),
        ),
        update_case(
            "update_dataset_named_graphs",
            post,
            &[
                ("using-named-graph-uri", REFERENCE_GRAPH),
                ("using-named-graph-uri", ONTOLOGY_GRAPH),
            ],
            update,
            delete_named,
        ),
        update_case(
            "update_dataset_full",
            post,
            &[
                ("using-graph-uri", REFERENCE_GRAPH),
                ("using-named-graph-uri", ONTOLOGY_GRAPH),
            ],
            update,
            delete,
        ),
        update_case(
            "update_post_form",
            post,
            &[],
            Some(FORM),
            form(&[("update", "CLEAR ALL")]),
        ),
        update_case("update_post_direct", post, &[], update, "CLEAR ALL"),
        update_case("update_base_uri", post, &[], update, relative),
        update_case(
            "bad_update_get",
            "GET",
            &[("update", "CLEAR ALL")],
            None,
            Vec::<u8>::new(),
        ),
        update_case(
            "bad_multiple_updates",
            post,
            &[],
            Some(FORM),
            form(&[("update", "CLEAR NAMED"), ("update", "CLEAR DEFAULT")]),
        ),
        update_case(
            "bad_update_wrong_media_type",
            post,
            &[],
            Some("text/plain"),
            "CLEAR NAMED",
        ),
        update_case(
            "bad_update_missing_form_type",
            post,
            &[],
            None,
            form(&[("update", "CLEAR NAMED")]),
        ),
        update_case(
            "bad_update_non_utf8",
            post,
            &[],
            Some("application/sparql-update; charset=UTF-16"),
            utf16("CLEAR NAMED"),
        ),
        update_case(
            "bad_update_syntax",
            post,
            &[],
            Some(FORM),
            form(&[("update", "CLEAR XYZ")]),
        ),
        update_case(
            "bad_update_dataset_conflict",
            post,
            &[("using-named-graph-uri", REFERENCE_GRAPH)],
            update,
            with,
        ),
    ]
}

/// W3C protocol: update_dataset_default_graph, update_dataset_default_graphs,
/// update_dataset_named_graphs, update_dataset_full, update_post_form,
/// update_post_direct, update_base_uri, bad_update_get, bad_multiple_updates,
/// bad_update_wrong_media_type, bad_update_missing_form_type,
/// bad_update_non_utf8, bad_update_syntax, bad_update_dataset_conflict
///
/// The endpoint is read-only: each of these requests is a 403, at `/update`
/// and at `/query` alike, with the same answer, and nothing is written.
#[test]
fn every_update_is_a_403_at_update_and_at_query_alike() {
    let server = start();
    let mut wrong = Vec::new();
    for case in update_cases() {
        let headers: Vec<(&str, &str)> = case
            .content_type
            .map(|ct| ("Content-Type", ct))
            .into_iter()
            .collect();
        let at_update = send(
            &server,
            case.method,
            &with_params("/update", &case.params),
            &headers,
            &case.body,
        );
        let at_query = send(
            &server,
            case.method,
            &with_params("/query", &case.params),
            &headers,
            &case.body,
        );
        if at_update.status != 403 {
            wrong.push(format!(
                "{}: /update answered {}: {}",
                case.name,
                at_update.status,
                at_update.body.trim()
            ));
        }
        if at_query.status != 403
            || at_query.body != at_update.body
            || at_query.content_type != at_update.content_type
        {
            wrong.push(format!(
                "{}: /query answered {} {:?}, /update {} {:?}",
                case.name,
                at_query.status,
                at_query.body.trim(),
                at_update.status,
                at_update.body.trim()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Nothing was written: the pairings several of them delete are still there.
    let pairings = format!("ASK {{ GRAPH <{REFERENCE_GRAPH}> {{ {IN_REFERENCE} }} }}");
    assert!(ask(&server, Via::Direct, &[], &pairings));
    let header = format!("ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {IN_ONTOLOGY} }} }}");
    assert!(ask(&server, Via::Direct, &[], &header));
}
