//! A remote store: `build` and `add` write to a real SPARQL Graph Store
//! Protocol server, Oxigraph's (`pip install oxigraph`), started here on
//! loopback. The tests that need it are `#[ignore]`d, so that `cargo test`
//! on a machine without it says so in its summary ("2 ignored") instead of
//! passing them unseen; `cargo test -- --include-ignored` runs them, and
//! fails where the server is missing. `.ci/run` installs it and runs them.

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
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "oxigraph serve did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
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
