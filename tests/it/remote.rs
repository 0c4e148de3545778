//! A remote store: `build` and `add` write to real SPARQL Graph Store
//! Protocol servers, Oxigraph's (`pip install oxigraph`) and Virtuoso's
//! (Debian's `virtuoso-opensource`), started here on loopback. The tests
//! that need one are `#[ignore]`d, so that `cargo test` on a machine
//! without them says so in its summary ("3 ignored") instead of passing
//! them unseen; `cargo test -- --include-ignored` runs them, and fails
//! where a server is missing. `.ci/run` installs both and runs them.

use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::incremental::corpus;
use crate::{yushu, yushu_ok};

struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on (free when this returns).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Why the tests that need a server are ignored by default.
const NEEDS_SERVER: &str = "needs the `oxigraph` server (pip install oxigraph)";

/// An Oxigraph server on a free loopback port.
fn oxigraph_server() -> Server {
    let found = Command::new("oxigraph")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "this test {NEEDS_SERVER}: no `oxigraph` command on PATH"
    );
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new("oxigraph")
        .args(["serve", "--location"])
        .arg(dir.path().join("store"))
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    };
    wait_for(port, Duration::from_secs(60), "oxigraph serve");
    server
}

/// Waits until something listens on the loopback `port`; fails the test
/// when `what` has not started within `limit`.
fn wait_for(port: u16, limit: Duration, what: &str) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < limit, "{what} did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every quad the server holds, as sorted N-Quads lines without blank
/// nodes (a server names blank nodes its own way), and the total count.
fn server_quads(base: &str) -> (Vec<String>, usize) {
    let body = ureq::get(&format!("{base}/store"))
        .header("Accept", "application/n-quads")
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    named_only(&body)
}

fn named_only(nquads: &str) -> (Vec<String>, usize) {
    let all: Vec<&str> = nquads.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut named: Vec<String> = all
        .iter()
        .filter(|l| !l.starts_with("_:") && !l.contains(" _:"))
        .map(|l| l.to_string())
        .collect();
    named.sort();
    (named, all.len())
}

#[test]
#[ignore = "needs the `oxigraph` server (pip install oxigraph)"]
fn build_and_add_write_the_same_graphs_to_an_oxigraph_server() {
    let server = oxigraph_server();
    let dir = tempfile::tempdir().unwrap();
    let data = corpus(dir.path(), &[]);
    let endpoint = format!("{}/store", server.base);
    yushu_ok(&["build", "-q", "--data", &data, "--store", &endpoint]);

    let local = dir.path().join("local").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &local]);
    let expected = named_only(&yushu_ok(&["dump", "--store", &local]));
    let remote = server_quads(&server.base);
    assert_eq!(remote.1, expected.1, "as many quads as the embedded store");
    assert!(
        remote.0 == expected.0,
        "the same quads as the embedded store"
    );

    // Adding an article again replaces its graph: nothing doubles.
    let a1 = format!("{data}/articles/a1.txt");
    yushu_ok(&["add", "-q", "--data", &data, "--store", &endpoint, &a1]);
    assert!(server_quads(&server.base) == remote);

    // A second build replaces everything rather than adding to it.
    yushu_ok(&["build", "-q", "--data", &data, "--store", &endpoint]);
    assert!(server_quads(&server.base) == remote);
}

/// Why the Virtuoso tests are ignored by default.
const NEEDS_VIRTUOSO: &str =
    "needs the `virtuoso-t` server (Debian: apt-get install virtuoso-opensource)";

/// A Virtuoso server on free loopback ports, with a database of its own in
/// a temporary directory: Debian's `virtuoso.ini` with its paths and ports
/// changed. Its Graph Store endpoint, `/sparql-graph-crud`, writes only
/// for a SPARQL user granted `SPARQL_UPDATE`: acceptable on loopback in a
/// test, and the unauthenticated endpoint is the one `--store` speaks to
/// (the `-auth` one wants HTTP Digest).
fn virtuoso_server() -> Server {
    let ini = std::env::var("VIRTUOSO_INI")
        .unwrap_or_else(|_| "/etc/virtuoso-opensource-7/virtuoso.ini".to_owned());
    let template = std::fs::read_to_string(&ini)
        .unwrap_or_else(|e| panic!("this test {NEEDS_VIRTUOSO}: cannot read {ini}: {e}"));
    let dir = tempfile::tempdir().unwrap();
    let (sql, http) = (free_port(), free_port());
    let mut section = String::new();
    let mut config = String::new();
    for line in template.lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        if line.starts_with('[') {
            section = line.trim().to_owned();
        }
        let db = |name: &str| format!("{key} = {}", dir.path().join(name).display());
        let line = match (section.as_str(), key) {
            ("[Parameters]", "ServerPort") => format!("ServerPort = 127.0.0.1:{sql}"),
            ("[HTTPServer]", "ServerPort") => format!("ServerPort = 127.0.0.1:{http}"),
            ("[Database]", "DatabaseFile") => db("virtuoso.db"),
            ("[Database]", "ErrorLogFile") => db("virtuoso.log"),
            ("[Database]", "LockFile") => db("virtuoso.lck"),
            ("[Database]", "TransactionFile") => db("virtuoso.trx"),
            ("[Database]", "xa_persistent_file") => db("virtuoso.pxa"),
            ("[TempDatabase]", "DatabaseFile") => db("virtuoso-temp.db"),
            ("[TempDatabase]", "TransactionFile") => db("virtuoso-temp.trx"),
            _ => line.to_owned(),
        };
        config.push_str(&line);
        config.push('\n');
    }
    let ini = dir.path().join("virtuoso.ini");
    std::fs::write(&ini, config).unwrap();
    let child = Command::new("virtuoso-t")
        .args(["+foreground", "+configfile"])
        .arg(&ini)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("this test {NEEDS_VIRTUOSO}: {e}"));
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{http}"),
        _dir: dir,
    };
    wait_for(http, Duration::from_secs(120), "virtuoso-t");
    // Let the anonymous SPARQL user write, as a loopback test may.
    let granted = Command::new("isql-vt")
        .arg(sql.to_string())
        .args([
            "dba",
            "dba",
            "exec=grant SPARQL_UPDATE to \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);",
        ])
        .output()
        .unwrap_or_else(|e| panic!("this test {NEEDS_VIRTUOSO} and its isql-vt: {e}"));
    assert!(granted.status.success(), "{granted:?}");
    server
}

/// Every quad of `graphs` on a Virtuoso server, read graph by graph from
/// its Graph Store endpoint and parsed (it writes N-Triples its own way:
/// escapes, datatypes), as sorted N-Quads lines without blank nodes.
fn virtuoso_quads(base: &str, graphs: &BTreeSet<String>) -> Vec<String> {
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{GraphName, NamedNode, Quad};
    let mut out = Vec::new();
    for g in graphs {
        let url = format!(
            "{base}/sparql-graph-crud?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("graph", g)
                .finish()
        );
        let body = ureq::get(&url)
            .header("Accept", "application/n-triples")
            .call()
            .unwrap()
            .body_mut()
            .read_to_vec()
            .unwrap();
        let graph = GraphName::NamedNode(NamedNode::new(g.as_str()).unwrap());
        for q in RdfParser::from_format(RdfFormat::NTriples).for_slice(&body) {
            let q = q.unwrap();
            let q = Quad::new(q.subject, q.predicate, q.object, graph.clone());
            out.push(q.to_string() + " .");
        }
    }
    named_only(&out.join("\n")).0
}

/// N-Quads read and written again by oxigraph, so that two servers'
/// spellings of the same quad (escapes, datatypes) compare equal.
fn reprinted(nquads: &str) -> String {
    use oxigraph::io::{RdfFormat, RdfParser};
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(nquads.as_bytes())
        .map(|q| q.unwrap().to_string() + " .\n")
        .collect()
}

#[test]
#[ignore = "needs the `virtuoso-t` server (Debian: apt-get install virtuoso-opensource)"]
fn build_and_add_write_the_same_graphs_to_a_virtuoso_server() {
    let server = virtuoso_server();
    let dir = tempfile::tempdir().unwrap();
    let data = corpus(dir.path(), &[]);
    let endpoint = format!("{}/sparql-graph-crud", server.base);
    yushu_ok(&["build", "-q", "--data", &data, "--store", &endpoint]);

    let local = dir.path().join("local").to_str().unwrap().to_owned();
    yushu_ok(&["build", "-q", "--data", &data, "--store", &local]);
    let dump = yushu_ok(&["dump", "--store", &local]);
    let graphs: BTreeSet<String> = dump
        .lines()
        .filter_map(|l| l.rsplit(' ').nth(1))
        .map(|g| g.trim_matches(['<', '>']).to_owned())
        .collect();
    // Both sides through the same parser and printer.
    let (expected, _) = named_only(&reprinted(&dump));
    let remote = virtuoso_quads(&server.base, &graphs);
    assert!(
        remote.len() > 1000,
        "the server holds the graphs: {}",
        remote.len()
    );
    let missing: Vec<_> = expected
        .iter()
        .filter(|q| !remote.contains(q))
        .take(5)
        .collect();
    let extra: Vec<_> = remote
        .iter()
        .filter(|q| !expected.contains(q))
        .take(5)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the same quads as the embedded store: missing {missing:#?}, extra {extra:#?}"
    );

    // Adding an article again replaces its graph; a second build replaces
    // everything: nothing doubles.
    let a1 = format!("{data}/articles/a1.txt");
    yushu_ok(&["add", "-q", "--data", &data, "--store", &endpoint, &a1]);
    assert!(virtuoso_quads(&server.base, &graphs) == remote);
    yushu_ok(&["build", "-q", "--data", &data, "--store", &endpoint]);
    assert!(virtuoso_quads(&server.base, &graphs) == remote);
}

#[test]
fn an_unreachable_remote_store_is_a_clear_error() {
    let port = free_port();
    let endpoint = format!("http://127.0.0.1:{port}/store");
    let out = yushu(&["build", "--store", &endpoint]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&endpoint), "{err}");
    assert!(err.contains("PUT"), "{err}");

    let out = yushu(&["query", "--store", &endpoint, "pairings"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("remote store"),
        "query says to use the server's own endpoint"
    );
}

#[test]
#[ignore = "needs the `oxigraph` server (pip install oxigraph)"]
fn bad_input_sends_nothing_to_a_remote_store() {
    let server = oxigraph_server();
    let dir = tempfile::tempdir().unwrap();
    let data = corpus(dir.path(), &[]);
    // The last article in file order takes the id of the first: the
    // build fails only once every article has been converted.
    std::fs::write(
        format!("{data}/articles/zz.txt"),
        "+++\nid = \"a1\"\n+++\n标题\n西城区支援囊谦县。\n",
    )
    .unwrap();
    let endpoint = format!("{}/store", server.base);
    let out = yushu(&["build", "-q", "--data", &data, "--store", &endpoint]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("both have the id \"a1\""), "{err}");
    assert_eq!(server_quads(&server.base).1, 0, "nothing was sent");
}

#[test]
fn a_remote_store_that_never_answers_is_given_up_after_the_timeout() {
    // Accepts connections, reads nothing, answers nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/store", listener.local_addr().unwrap());
    let held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for c in listener.incoming().take(4) {
            open.push(c);
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let dir = tempfile::tempdir().unwrap();
    let data = corpus(dir.path(), &[]);
    let started = Instant::now();
    let out = yushu(&[
        "build",
        "-q",
        "--data",
        &data,
        "--store",
        &endpoint,
        "--remote-timeout",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&endpoint), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "given up after the timeout, not the server's leisure: {:?}",
        started.elapsed()
    );
    drop(held);
}
