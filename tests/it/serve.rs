//! `yushu-kg serve` on a free loopback port, driven over real HTTP.

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::hardening::Server;
use crate::shipped_store;

fn start(extra: &[&str]) -> Server {
    Server::start(shipped_store(), extra)
}

/// Sends one request and returns (status, content type, body).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("Content-Type: ")
                .or_else(|| l.strip_prefix("content-type: "))
        })
        .unwrap_or("")
        .to_owned();
    (status, content_type, body.to_owned())
}

/// Percent-encodes every byte but ASCII letters and digits.
pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const PAIRS: &str = "SELECT ?d ?c WHERE { ?d <https://w3id.org/yushu-kg/ontology#pairedWith> ?c }";

#[test]
fn queries_by_get_and_post_in_every_results_format() {
    let s = start(&[]);
    let (st, ct, body) = http(
        &s.addr,
        "GET",
        &format!("/query?query={}", enc(PAIRS)),
        &[],
        b"",
    );
    assert_eq!((st, ct.as_str()), (200, "application/sparql-results+json"));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["results"]["bindings"].as_array().unwrap().len(), 6);

    let (st, ct, body) = http(
        &s.addr,
        "POST",
        "/query",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+xml"),
        ],
        PAIRS.as_bytes(),
    );
    assert_eq!((st, ct.as_str()), (200, "application/sparql-results+xml"));
    assert!(body.contains("<sparql"));

    let form = format!("query={}", enc(PAIRS));
    let (st, ct, body) = http(
        &s.addr,
        "POST",
        "/query",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "text/csv"),
        ],
        form.as_bytes(),
    );
    assert_eq!((st, ct.as_str()), (200, "text/csv; charset=utf-8"));
    assert_eq!(body.lines().count(), 7);

    let (st, _, body) = http(
        &s.addr,
        "GET",
        &format!("/query?query={}", enc(PAIRS)),
        &[("Accept", "text/tab-separated-values")],
        b"",
    );
    assert_eq!(st, 200);
    assert!(body.starts_with("?d\t?c"));

    let (st, _, body) = http(
        &s.addr,
        "GET",
        &format!("/query?query={}", enc("ASK { ?s ?p ?o }")),
        &[],
        b"",
    );
    assert_eq!(st, 200);
    assert!(body.contains("true"));
}

#[test]
fn construct_gives_rdf_by_content_negotiation() {
    let s = start(&[]);
    let q = enc(
        "CONSTRUCT { ?d <https://w3id.org/yushu-kg/ontology#pairedWith> ?c } WHERE { ?d <https://w3id.org/yushu-kg/ontology#pairedWith> ?c }",
    );
    for (accept, media, marker) in [
        ("text/turtle", "text/turtle", "pairedWith"),
        (
            "application/n-triples",
            "application/n-triples",
            "> <https://w3id.org/yushu-kg/ontology#pairedWith> <",
        ),
        ("application/rdf+xml", "application/rdf+xml", "rdf:RDF"),
    ] {
        let (st, ct, body) = http(
            &s.addr,
            "GET",
            &format!("/query?query={q}"),
            &[("Accept", accept)],
            b"",
        );
        assert_eq!((st, ct.as_str()), (200, media));
        assert!(body.contains(marker), "{accept}: {body}");
    }
}

#[test]
fn default_and_named_graph_uris_are_honoured() {
    let s = start(&[]);
    let q = enc("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    let graph = enc("https://w3id.org/yushu-kg/graph/ontology");
    let (_, _, all) = http(
        &s.addr,
        "GET",
        &format!("/query?query={q}"),
        &[("Accept", "text/csv")],
        b"",
    );
    let (_, _, one) = http(
        &s.addr,
        "GET",
        &format!("/query?query={q}&default-graph-uri={graph}"),
        &[("Accept", "text/csv")],
        b"",
    );
    let n = |csv: &str| csv.lines().nth(1).unwrap().trim().parse::<u32>().unwrap();
    assert!(n(&one) > 0 && n(&one) < n(&all), "{one} vs {all}");
}

#[test]
fn writes_service_and_bad_queries_are_refused_with_reasons() {
    let s = start(&["--max-body", "2000"]);
    let (st, _, _) = http(
        &s.addr,
        "POST",
        "/update",
        &[("Content-Type", "application/sparql-update")],
        b"INSERT DATA { <a:a> <a:a> <a:a> }",
    );
    assert_eq!(st, 403);
    let (st, _, _) = http(
        &s.addr,
        "PUT",
        "/store?default",
        &[("Content-Type", "text/turtle")],
        b"<a:a> <a:a> <a:a> .",
    );
    assert_eq!(st, 403);
    let (st, _, body) = http(
        &s.addr,
        "GET",
        &format!(
            "/query?query={}",
            enc("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        ),
        &[],
        b"",
    );
    assert_eq!(st, 403, "{body}");
    let (st, _, body) = http(
        &s.addr,
        "GET",
        &format!("/query?query={}", enc("SELECT * WHERE { ?s ?p }")),
        &[],
        b"",
    );
    assert_eq!(st, 400);
    assert!(body.contains("1:25"), "the parser's position: {body}");
    let big = vec![b'#'; 5000];
    let (st, _, _) = http(
        &s.addr,
        "POST",
        "/query",
        &[("Content-Type", "application/sparql-query")],
        &big,
    );
    assert_eq!(st, 413);
}

#[test]
fn a_slow_query_is_stopped_by_the_timeout() {
    let s = start(&["--timeout", "0.5"]);
    let slow = enc("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }");
    let (st, _, body) = http(&s.addr, "GET", &format!("/query?query={slow}"), &[], b"");
    assert_eq!(st, 503, "{body}");
    assert!(body.contains("timeout"));
}

#[test]
fn a_sorted_query_over_the_timeout_is_not_answered_either() {
    let s = start(&["--timeout", "0.3"]);
    let slow = enc(&crate::slow_sorted_query());
    let (st, _, body) = http(&s.addr, "GET", &format!("/query?query={slow}"), &[], b"");
    assert_eq!(st, 503, "{body}");
}

#[test]
fn many_requests_at_once_are_all_answered() {
    let s = start(&[]);
    let addr = s.addr.clone();
    let handles: Vec<_> = (0..24)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                http(
                    &addr,
                    "GET",
                    &format!("/query?query={}", enc(PAIRS)),
                    &[("Accept", "text/csv")],
                    b"",
                )
            })
        })
        .collect();
    for h in handles {
        let (st, _, body) = h.join().unwrap();
        assert_eq!(st, 200);
        assert_eq!(body.lines().count(), 7);
    }
}

#[test]
fn pages_show_named_queries_results_and_entity_evidence() {
    let s = start(&[]);
    let (st, ct, body) = http(&s.addr, "GET", "/?name=pairings", &[], b"");
    assert_eq!((st, ct.as_str()), (200, "text/html; charset=utf-8"));
    assert!(
        body.contains("href=\"/?name=fundings\""),
        "named queries one click away"
    );
    assert!(
        body.contains("<table id=\"results\">") && body.contains("囊谦县"),
        "results as a table"
    );
    let (st, _, body) = http(
        &s.addr,
        "GET",
        &format!("/entity/area/{}", "xicheng"),
        &[],
        b"",
    );
    assert_eq!(st, 200);
    assert!(
        body.contains("<mark>") && body.contains("囊谦县医院"),
        "evidence highlighted"
    );
    assert!(
        body.contains("href=\"/entity/org/囊谦县医院\""),
        "links to related entities"
    );
    let (st, _, _) = http(&s.addr, "GET", "/entity/area/nowhere", &[], b"");
    assert_eq!(st, 404);
    let (st, _, _) = http(&s.addr, "GET", "/../../etc/passwd", &[], b"");
    assert_eq!(st, 404);
}

#[test]
fn a_page_shows_at_most_a_thousand_rows_of_a_huge_result() {
    let s = start(&[]);
    // A product of every triple with every triple: millions of rows. The
    // page stops after its rows; the endpoint would stream them all.
    let q = enc("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }");
    let started = std::time::Instant::now();
    let (st, _, body) = http(&s.addr, "GET", &format!("/?query={q}"), &[], b"");
    assert_eq!(st, 200);
    assert!(
        body.contains("The first 1000 rows"),
        "{}",
        &body[..body.len().min(2000)]
    );
    assert_eq!(
        body.matches("<tr>").count(),
        1 + 1000,
        "a header and 1000 rows"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "the evaluation stopped with the page"
    );
}

/// How many articles the endpoint at `addr` answers for.
fn articles_served(addr: &str) -> usize {
    let q = enc(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <https://w3id.org/yushu-kg/ontology#Article> }",
    );
    let (st, _, body) = http(
        addr,
        "GET",
        &format!("/query?query={q}"),
        &[("Accept", "text/csv")],
        b"",
    );
    assert_eq!(st, 200, "{body}");
    body.lines()
        .nth(1)
        .and_then(|n| n.trim().parse().ok())
        .expect("a count")
}

/// Waits, up to 20 s, for the endpoint to answer for `n` articles.
fn until_served(addr: &str, n: usize) -> usize {
    let started = std::time::Instant::now();
    loop {
        let now = articles_served(addr);
        if now == n || started.elapsed() > std::time::Duration::from_secs(20) {
            return now;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn the_endpoint_follows_its_store_through_remove_and_build() {
    let dir = tempfile::tempdir().unwrap();
    let data = crate::incremental::corpus(dir.path(), &[]);
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    crate::yushu_ok(&["build", "-q", "--data", &data, "--store", store_arg]);
    let server = crate::hardening::Server::start(&store, &[]);
    let all = articles_served(&server.addr);
    assert!(all >= 2, "{all}");
    // Changed in place: the endpoint reopens the store.
    crate::yushu_ok(&["remove", "-q", "--store", store_arg, "a1"]);
    assert_eq!(until_served(&server.addr, all - 1), all - 1, "after remove");
    // Swapped for a new build: the endpoint opens the new one.
    crate::yushu_ok(&["build", "-q", "--data", &data, "--store", store_arg]);
    assert_eq!(until_served(&server.addr, all), all, "after a new build");
}

/// The rows of a SELECT asked of the endpoint, as CSV lines without the
/// header.
fn csv_rows(addr: &str, query: &str) -> Vec<String> {
    let (st, _, body) = http(
        addr,
        "GET",
        &format!("/query?query={}", enc(query)),
        &[("Accept", "text/csv")],
        b"",
    );
    assert_eq!(st, 200, "{body}");
    body.lines().skip(1).map(|l| l.trim().to_owned()).collect()
}

#[test]
fn the_reader_marks_every_fact_and_every_mention_of_the_seed_article() {
    let s = start(&[]);
    let ns = "https://w3id.org/yushu-kg/ontology#";
    let articles = csv_rows(&s.addr, &format!("SELECT ?a {{ ?a a <{ns}Article> }}"));
    assert_eq!(articles.len(), 1, "{articles:?}");
    let id = articles[0].rsplit('/').next().unwrap().to_owned();
    let graph = format!("https://w3id.org/yushu-kg/graph/article/{id}");
    let spans = csv_rows(
        &s.addr,
        &format!(
            "SELECT DISTINCT ?s ?e {{ GRAPH <{graph}> {{ ?f <{ns}evidence> ?ev . ?ev <{ns}start> ?s ; <{ns}end> ?e }} }}"
        ),
    );
    let pairs = csv_rows(
        &s.addr,
        &format!("SELECT DISTINCT ?f ?ev {{ GRAPH <{graph}> {{ ?f <{ns}evidence> ?ev }} }}"),
    );
    let entities = csv_rows(
        &s.addr,
        &format!("SELECT DISTINCT ?e {{ GRAPH <{graph}> {{ ?e <{ns}mentionSpans> ?m }} }}"),
    );
    assert!(
        spans.len() > 20 && entities.len() > 20,
        "{spans:?} {entities:?}"
    );

    let (st, ct, body) = http(&s.addr, "GET", &format!("/article/{id}"), &[], b"");
    assert_eq!((st, ct.as_str()), (200, "text/html; charset=utf-8"));
    for span in &spans {
        let (start, end) = span.split_once(',').unwrap();
        assert!(
            body.contains(&format!("id=\"c{start}-{end}\"")),
            "no anchor at the evidence {start}-{end}"
        );
    }
    for e in &entities {
        let path = e.strip_prefix("https://w3id.org/yushu-kg/id/").unwrap();
        assert!(
            body.contains(&format!("data-entity=\"{path}\"")),
            "{path} is not marked"
        );
    }
    // Every fact of the article, in words: one row per fact and span, and
    // no IRI as a fact's text.
    let table = body.split("<table id=\"facts\">").nth(1).unwrap();
    let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), pairs.len(), "{rows:?}");
    for row in &rows {
        assert!(!row.contains("https://") && !row.contains("id:"), "{row}");
    }
    assert!(
        body.contains("2,000万元 · 2024 · 医疗 medical"),
        "a funding in words"
    );
    // Evidence links on entity pages lead to the reader at the quote.
    let (_, _, entity) = http(&s.addr, "GET", "/entity/area/xicheng", &[], b"");
    assert!(
        entity.contains(&format!("href=\"/article/{id}#c")),
        "evidence links lead to the reader"
    );
    let (st, _, _) = http(&s.addr, "GET", "/article/no-such-article", &[], b"");
    assert_eq!(st, 404);
}

#[test]
fn search_finds_entities_by_chinese_name_pinyin_and_english() {
    let s = start(&[]);
    for q in [
        "nangqian",
        "N%C3%A1ng%20qi%C4%81n",
        "Nangqen",
        "%E5%9B%8A%E8%B0%A6",
    ] {
        let (st, ct, body) = http(&s.addr, "GET", &format!("/search?q={q}"), &[], b"");
        assert_eq!((st, ct.as_str()), (200, "text/html; charset=utf-8"));
        let first = body
            .split("<li>")
            .nth(1)
            .unwrap_or_else(|| panic!("{q}: {body}"));
        assert!(
            first.starts_with("<a href=\"/entity/area/nangqen\">囊谦县</a>"),
            "{q}: {first}"
        );
    }
    let (_, _, none) = http(&s.addr, "GET", "/search?q=nowhere-at-all", &[], b"");
    assert!(none.contains("No entity is named like that."), "{none}");
    // Every page has the search box.
    let (_, _, home) = http(&s.addr, "GET", "/", &[], b"");
    assert!(home.contains("action=\"/search\""), "{home}");
}
