//! A small HTTP/1.1 server with a limit on everything a client controls,
//! for the endpoint.
//!
//! It replaces tiny_http 0.12, which the endpoint's abuse tests
//! (`tests/it/hardening.rs`) showed cannot be made safe from the outside:
//! it buffers a header line of any length, gives no way to time out a
//! connection, may queue a new connection behind idle ones, deadlocks the
//! connection of an `HTTP/2.0` request line, and stops accepting for good
//! at the first error `accept` returns (out of file descriptors, say).
//!
//! Each connection has a thread of its own (at most
//! [`Limits::connections`]; beyond, 503 and close). Every read and write
//! gives up after [`Limits::io_timeout`] without progress, the request line
//! and headers must arrive within [`Limits::head_deadline`] and
//! [`Limits::head`] bytes, a body within [`Limits::body_deadline`] and the
//! endpoint's body cap (413 beyond, before it is read). At most `threads`
//! requests are answered at once; a slow client holds its connection's
//! thread only, never one of those slots.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use super::{Request, Response};

/// What a client may ask of the server.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Most bytes of request line and headers.
    pub head: usize,
    /// Most header fields.
    pub headers: usize,
    /// Largest request body.
    pub body: usize,
    /// Longest a read or write may wait for the client; also how long an
    /// idle connection is kept open between requests.
    pub io_timeout: Duration,
    /// Longest the request line and headers may take to arrive.
    pub head_deadline: Duration,
    /// Longest a body may take to arrive.
    pub body_deadline: Duration,
    /// Most connections open at once.
    pub connections: usize,
    /// Most requests on one connection.
    pub requests_per_connection: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            head: 64 * 1024,
            headers: 100,
            body: 1024 * 1024,
            io_timeout: Duration::from_secs(10),
            head_deadline: Duration::from_secs(10),
            body_deadline: Duration::from_secs(20),
            connections: 1024,
            requests_per_connection: 10_000,
        }
    }
}

/// Answers a request.
pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;
/// Hears one line per request.
pub type Log = dyn Fn(&str) + Send + Sync;

struct Shared {
    limits: Limits,
    handler: Box<Handler>,
    log: Box<Log>,
    slots: Slots,
    open: AtomicUsize,
}

/// The address to connect to to wake up `accept` on a listener bound to
/// `addr` (an unspecified address becomes loopback).
pub fn wake_address(addr: SocketAddr) -> SocketAddr {
    let mut wake = addr;
    if addr.ip().is_unspecified() {
        wake.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    wake
}

/// Serves connections from `listener` until `stopping` is set (and a
/// connection wakes the accepting thread up).
pub fn run(
    listener: TcpListener,
    limits: Limits,
    threads: usize,
    stopping: &AtomicBool,
    handler: Box<Handler>,
    log: Box<Log>,
) {
    let shared = Arc::new(Shared {
        limits,
        handler,
        log,
        slots: Slots::new(threads.max(1)),
        open: AtomicUsize::new(0),
    });
    for conn in listener.incoming() {
        if stopping.load(Ordering::Acquire) {
            break;
        }
        let stream = match conn {
            Ok(s) => s,
            Err(e) => {
                // Out of file descriptors, a connection reset before it was
                // accepted …: this connection is lost, the server is not.
                (shared.log)(&format!("accept failed: {e}"));
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let open = Open::enter(&shared);
        if open.count > limits.connections {
            refuse(&stream);
            continue;
        }
        let worker = Arc::clone(&shared);
        // The stack a query with the most nesting and operators the
        // endpoint allows (`super::too_complex`) needs, with room to spare
        // even in a debug build. Untouched stack costs no memory.
        let spawned = std::thread::Builder::new()
            .name("yushu-kg http".to_owned())
            .stack_size(16 * 1024 * 1024)
            .spawn(move || {
                let _open = open;
                connection(&worker, &stream);
            });
        if let Err(e) = spawned {
            (shared.log)(&format!("no thread for a connection: {e}"));
        }
    }
}

/// Counts an open connection until dropped.
struct Open {
    shared: Arc<Shared>,
    count: usize,
}

impl Open {
    fn enter(shared: &Arc<Shared>) -> Open {
        let count = shared.open.fetch_add(1, Ordering::AcqRel) + 1;
        Open {
            shared: Arc::clone(shared),
            count,
        }
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.shared.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Answers 503 on a connection over the limit without waiting for it.
fn refuse(stream: &TcpStream) {
    let _ = stream.set_nonblocking(true);
    let body = "too many connections; try again\n";
    let _ = (&*stream).write_all(
        format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
}

/// Why a request cannot be answered normally: an HTTP status and a
/// message, or status 0 when the connection is gone.
#[derive(Debug, PartialEq, Eq)]
struct Fail(u16, String);

impl Fail {
    fn new(status: u16, message: impl Into<String>) -> Fail {
        Fail(status, message.into())
    }

    fn gone() -> Fail {
        Fail(0, String::new())
    }

    /// A failed read: a timeout is 408, anything else a lost connection.
    fn io(e: &std::io::Error, what: &str) -> Fail {
        if timed_out(e) {
            Fail::new(408, format!("the {what} was not received in time"))
        } else {
            Fail::gone()
        }
    }
}

fn timed_out(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

type Input<'a> = BufReader<&'a TcpStream>;

fn connection(shared: &Shared, stream: &TcpStream) {
    let limits = &shared.limits;
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(limits.io_timeout));
    let _ = stream.set_write_timeout(Some(limits.io_timeout));
    let mut input = BufReader::with_capacity(16 * 1024, stream);
    for served in 1..=limits.requests_per_connection {
        let started = Instant::now();
        let result = read_head(&mut input, limits)
            .and_then(|head| match head {
                Some(head) => parse_head(&head, limits).map(Some),
                None => Ok(None),
            })
            .and_then(|parsed| match parsed {
                Some(p) => {
                    let body = read_body(&mut input, stream, &p, limits)?;
                    Ok(Some((p, body)))
                }
                None => Ok(None),
            });
        let (head, body) = match result {
            Ok(Some(request)) => request,
            Ok(None) => return, // closed, or idle too long between requests
            Err(Fail(0, _)) => return,
            Err(Fail(status, message)) => {
                let r = Response::text(status, message);
                let _ = write_response(stream, &r, false, false);
                (shared.log)(&format!("- - {status} {}ms", started.elapsed().as_millis()));
                linger(stream, &mut input);
                return;
            }
        };
        let keep_alive = head.keep_alive && served < limits.requests_per_connection;
        let request = head.request(body);
        let response = {
            let _slot = shared.slots.take();
            (shared.handler)(&request)
        };
        let written = write_response(stream, &response, request.method == "HEAD", keep_alive);
        (shared.log)(&format!(
            "{} {} {} {}ms",
            request.method,
            request.url.chars().take(200).collect::<String>(),
            response.status,
            started.elapsed().as_millis()
        ));
        if written.is_err() || !keep_alive {
            return;
        }
    }
}

/// After an error answer, reads what the client still sends for a moment
/// before closing: closing with unread data resets the connection, and the
/// client might lose the answer.
fn linger(stream: &TcpStream, input: &mut Input<'_>) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let until = Instant::now() + Duration::from_secs(2);
    let mut sink = [0u8; 16 * 1024];
    let mut total = 0;
    while Instant::now() < until && total < 4 * 1024 * 1024 {
        match input.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}

/// Reads the request line and headers, up to the blank line that ends
/// them; `None` when the connection ends (or stays idle) before a request.
fn read_head(input: &mut Input<'_>, limits: &Limits) -> Result<Option<Vec<u8>>, Fail> {
    let mut head: Vec<u8> = Vec::new();
    // From the first byte: an idle connection waits `io_timeout` at most.
    let mut deadline = None;
    loop {
        if deadline.is_some_and(|d| Instant::now() > d) {
            return Err(Fail::new(
                408,
                "the request headers were not received in time",
            ));
        }
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if head.is_empty() && timed_out(&e) => return Ok(None),
            Err(e) => return Err(Fail::io(&e, "request headers")),
        };
        if buf.is_empty() {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(Fail::gone())
            };
        }
        deadline.get_or_insert_with(|| Instant::now() + limits.head_deadline);
        let take = buf.len().min(limits.head + 1 - head.len());
        let from = head.len().saturating_sub(2);
        head.extend_from_slice(&buf[..take]);
        if let Some(end) = head_end(&head, from) {
            let unused = head.len() - end;
            input.consume(take - unused);
            head.truncate(end);
            return Ok(Some(head));
        }
        input.consume(take);
        if head.len() > limits.head {
            return Err(Fail::new(
                431,
                format!("request headers over {} bytes", limits.head),
            ));
        }
    }
}

/// Where the blank line that ends a head ends (`\n\n` or `\n\r\n`),
/// searching from `from`; leading blank lines before the request line are
/// skipped, as RFC 9112 allows.
fn head_end(head: &[u8], from: usize) -> Option<usize> {
    let start = head
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(head.len());
    let from = from.max(start);
    (from..head.len()).find_map(|i| {
        if head[i] != b'\n' {
            return None;
        }
        match head.get(i + 1..) {
            Some([b'\n', ..]) => Some(i + 2),
            Some([b'\r', b'\n', ..]) => Some(i + 3),
            _ => None,
        }
    })
}

/// A parsed request line and headers.
#[derive(Debug)]
struct Head {
    method: String,
    target: String,
    keep_alive: bool,
    expect_continue: bool,
    http11: bool,
    headers: Vec<(String, String)>,
}

impl Head {
    /// All values of a header, in order.
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn request(self, body: Vec<u8>) -> Request {
        let content_type = self
            .values("Content-Type")
            .next()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let accept = self.values("Accept").collect::<Vec<_>>().join(", ");
        Request {
            method: self.method,
            url: self.target,
            content_type,
            accept,
            body,
        }
    }
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn parse_head(head: &[u8], limits: &Limits) -> Result<Head, Fail> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .skip_while(|l| l.is_empty());
    let line = lines.next().unwrap_or_default();
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(Fail::new(400, "malformed request line"));
    };
    if !is_token(method) || target.is_empty() || target.chars().any(char::is_control) {
        return Err(Fail::new(400, "malformed request line"));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => {
            return Err(Fail::new(505, "only HTTP/1.0 and HTTP/1.1 are served"));
        }
        _ => return Err(Fail::new(400, "malformed request line")),
    };
    let mut headers = Vec::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        if headers.len() == limits.headers {
            return Err(Fail::new(
                431,
                format!("over {} header fields", limits.headers),
            ));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(Fail::new(400, "a header line without ':'"));
        };
        if !is_token(name) {
            return Err(Fail::new(400, "malformed header name"));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    // The origin form of an absolute target (`http://host/path` → `/path`).
    let target = match target.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            match rest.find(['/', '?']) {
                Some(i) if rest[i..].starts_with('/') => rest[i..].to_owned(),
                Some(i) => format!("/{}", &rest[i..]),
                None => "/".to_owned(),
            }
        }
        _ => target.to_owned(),
    };
    let mut head = Head {
        method: method.to_owned(),
        target,
        keep_alive: false,
        expect_continue: false,
        http11,
        headers,
    };
    let connection = head
        .values("Connection")
        .collect::<Vec<_>>()
        .join(",")
        .to_ascii_lowercase();
    head.keep_alive = if http11 {
        !connection.contains("close")
    } else {
        connection.contains("keep-alive")
    };
    let expect_continue = head
        .values("Expect")
        .any(|v| v.eq_ignore_ascii_case("100-continue"));
    head.expect_continue = expect_continue;
    Ok(head)
}

fn read_body(
    input: &mut Input<'_>,
    stream: &TcpStream,
    head: &Head,
    limits: &Limits,
) -> Result<Vec<u8>, Fail> {
    let deadline = Instant::now() + limits.body_deadline;
    let lengths: Vec<&str> = head.values("Content-Length").collect();
    let coding: Vec<&str> = head.values("Transfer-Encoding").collect();
    if !coding.is_empty() && !lengths.is_empty() {
        // A request smuggler's favourite ambiguity.
        return Err(Fail::new(400, "both Content-Length and Transfer-Encoding"));
    }
    if !coding.is_empty() {
        if coding.len() > 1 || !coding[0].eq_ignore_ascii_case("chunked") {
            return Err(Fail::new(
                501,
                "only the chunked transfer coding is supported",
            ));
        }
        send_continue(stream, head)?;
        return read_chunked(input, limits, deadline);
    }
    let Some(&first) = lengths.first() else {
        return Ok(Vec::new());
    };
    let n: usize = match first.parse() {
        Ok(n)
            if first.bytes().all(|b| b.is_ascii_digit()) && lengths.iter().all(|&l| l == first) =>
        {
            n
        }
        _ => return Err(Fail::new(400, "malformed Content-Length")),
    };
    if n > limits.body {
        return Err(Fail::new(
            413,
            format!("request body over {} bytes", limits.body),
        ));
    }
    send_continue(stream, head)?;
    let mut body = Vec::new();
    read_exactly(input, n, &mut body, deadline)?;
    Ok(body)
}

/// Tells a client that waits for it (`Expect: 100-continue`) to send the body.
fn send_continue(stream: &TcpStream, head: &Head) -> Result<(), Fail> {
    if head.expect_continue && head.http11 {
        (&*stream)
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .map_err(|_| Fail::gone())?;
    }
    Ok(())
}

/// Appends exactly `n` bytes of the input to `body`, as they arrive.
fn read_exactly(
    input: &mut Input<'_>,
    n: usize,
    body: &mut Vec<u8>,
    deadline: Instant,
) -> Result<(), Fail> {
    let mut left = n;
    let mut buf = [0u8; 16 * 1024];
    while left > 0 {
        if Instant::now() > deadline {
            return Err(Fail::new(408, "the request body was not received in time"));
        }
        let want = left.min(buf.len());
        match input.read(&mut buf[..want]) {
            Ok(0) => return Err(Fail::gone()),
            Ok(k) => {
                body.extend_from_slice(&buf[..k]);
                left -= k;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Fail::io(&e, "request body")),
        }
    }
    Ok(())
}

/// A line of the input without its line end, of at most `limit` bytes.
fn read_line(input: &mut Input<'_>, limit: usize, deadline: Instant) -> Result<String, Fail> {
    let mut line = Vec::new();
    loop {
        if Instant::now() > deadline {
            return Err(Fail::new(408, "the request body was not received in time"));
        }
        let buf = match input.fill_buf() {
            Ok([]) => return Err(Fail::gone()),
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Fail::io(&e, "request body")),
        };
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..take]);
        input.consume(take);
        if line.len() > limit + 2 {
            return Err(Fail::new(400, "malformed chunked body"));
        }
        if done {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return String::from_utf8(line).map_err(|_| Fail::new(400, "malformed chunked body"));
        }
    }
}

fn read_chunked(
    input: &mut Input<'_>,
    limits: &Limits,
    deadline: Instant,
) -> Result<Vec<u8>, Fail> {
    let malformed = || Fail::new(400, "malformed chunked body");
    let mut body = Vec::new();
    loop {
        let line = read_line(input, 1024, deadline)?;
        let size = line.split(';').next().unwrap_or("").trim();
        if size.is_empty() || size.len() > 15 {
            return Err(malformed());
        }
        let size = usize::from_str_radix(size, 16).map_err(|_| malformed())?;
        if size == 0 {
            // Trailer fields, read and ignored, then a blank line.
            for _ in 0..=limits.headers {
                if read_line(input, limits.head, deadline)?.is_empty() {
                    return Ok(body);
                }
            }
            return Err(Fail::new(
                431,
                format!("over {} trailer fields", limits.headers),
            ));
        }
        if body.len().saturating_add(size) > limits.body {
            return Err(Fail::new(
                413,
                format!("request body over {} bytes", limits.body),
            ));
        }
        read_exactly(input, size, &mut body, deadline)?;
        if !read_line(input, 0, deadline)?.is_empty() {
            return Err(malformed());
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

fn write_response(
    stream: &TcpStream,
    r: &Response,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nDate: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n",
        r.status,
        reason(r.status),
        http_date(SystemTime::now()),
        r.content_type.replace(['\r', '\n'], " "),
        r.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    )
    .into_bytes();
    let mut w = stream;
    if head_only {
        w.write_all(&out)?;
    } else if r.body.len() <= 64 * 1024 {
        out.extend_from_slice(&r.body);
        w.write_all(&out)?;
    } else {
        w.write_all(&out)?;
        w.write_all(&r.body)?;
    }
    w.flush()
}

/// An HTTP date (`Tue, 14 Nov 2023 22:13:20 GMT`).
fn http_date(t: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[usize::try_from(days.rem_euclid(7)).unwrap_or(0)],
        MONTHS[usize::try_from(month - 1).unwrap_or(0)],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A counting semaphore: `take` waits for a free slot, which is given back
/// when the guard is dropped (also when the handler panics).
struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    fn new(n: usize) -> Slots {
        Slots {
            free: Mutex::new(n),
            freed: Condvar::new(),
        }
    }

    fn take(&self) -> SlotGuard<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        SlotGuard(self)
    }
}

struct SlotGuard<'a>(&'a Slots);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Head, Fail> {
        parse_head(text.as_bytes(), &Limits::default())
    }

    #[test]
    fn heads_end_at_the_first_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nrest", 0), Some(18));
        assert_eq!(head_end(b"GET / HTTP/1.1\nA: b\n\nrest", 0), Some(21));
        assert_eq!(head_end(b"\r\n\r\nGET / HTTP/1.1\r\n\r\n", 0), Some(22));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n", 0), None);
    }

    #[test]
    fn request_lines_and_headers_are_checked() {
        let h = parse("GET /query?x=1 HTTP/1.1\r\nAccept: text/csv\r\naccept: a/b\r\n").unwrap();
        assert_eq!(
            (h.method.as_str(), h.target.as_str()),
            ("GET", "/query?x=1")
        );
        assert!(h.keep_alive && h.http11);
        assert_eq!(h.request(Vec::new()).accept, "text/csv, a/b");
        let h = parse("GET http://example.org:7878/query?q HTTP/1.0\r\nConnection: keep-alive\r\n")
            .unwrap();
        assert_eq!(h.target, "/query?q");
        assert!(h.keep_alive && !h.http11);
        assert!(!parse("GET / HTTP/1.0\r\n").unwrap().keep_alive);
        assert!(
            !parse("GET / HTTP/1.1\r\nConnection: close\r\n")
                .unwrap()
                .keep_alive
        );
        for (bad, status) in [
            ("", 400),
            ("GET /\r\n", 400),
            ("GET  / HTTP/1.1\r\n", 400),
            ("GE\u{0}T / HTTP/1.1\r\n", 400),
            ("GET / HTTP/2.0\r\n", 505),
            ("GET / HTTP/9.9\r\n", 505),
            ("GET / SPDY\r\n", 400),
            ("GET / HTTP/1.1\r\nNoColon\r\n", 400),
            ("GET / HTTP/1.1\r\nBad Name: x\r\n", 400),
        ] {
            assert_eq!(parse(bad).map(|_| ()).unwrap_err().0, status, "{bad:?}");
        }
        let many = format!("GET / HTTP/1.1\r\n{}", "A: b\r\n".repeat(101));
        assert_eq!(parse(&many).map(|_| ()).unwrap_err().0, 431);
    }

    #[test]
    fn dates_are_http_dates() {
        let at = |s| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(http_date(at(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(at(1_700_000_000)),
            "Tue, 14 Nov 2023 22:13:20 GMT"
        );
        assert_eq!(http_date(at(951_782_400)), "Tue, 29 Feb 2000 00:00:00 GMT");
    }
}
