//! The endpoint's HTTP/1.1 server: [`super::handle`] under hyper 1, on a
//! small tokio runtime.
//!
//! # Decision record
//!
//! The endpoint first ran on tiny_http 0.12, which the abuse tests
//! (`tests/it/hardening.rs`) showed cannot be made safe from outside, then
//! on an HTTP/1.1 server of our own: correct, but code to secure forever.
//! It now runs on hyper, whose parser and framing are maintained and
//! fuzzed by others. oxhttp, the server of Oxigraph's CLI, was the simpler
//! choice, but its own README calls it a naive implementation, and it has
//! neither a per-write deadline nor a bound on the time a body may take.
//! tower's `ConcurrencyLimitLayer` and tower-http's body limit and timeout
//! layers were weighed and left out: a concurrency limit around the whole
//! service would let a client that trickles its body hold a slot that
//! should go to a query, and hyper with `http-body-util`'s `Limited` and
//! tokio's timers gives each bound where it belongs, in a few lines and
//! without two more crates.
//!
//! What each bound is, and where it is enforced:
//! * request line and headers: at most [`Limits::head`] bytes (hyper's read
//!   buffer: 431 beyond) and [`Limits::headers`] fields (431), within
//!   [`Limits::head_deadline`] (hyper's header read timeout; it also closes
//!   a keep-alive connection idle that long);
//! * a body: at most the endpoint's cap (413, from `Content-Length` before
//!   anything is read, or as a chunked body grows), within
//!   [`Limits::body_deadline`] (408);
//! * framing: a transfer coding other than `chunked` is a 501;
//!   `Content-Length` beside `Transfer-Encoding` is read as chunked and the
//!   connection closed after the answer (hyper);
//! * each write: [`Limits::io_timeout`] without progress ends the
//!   connection (a client that does not read its answer);
//! * connections: at most [`Limits::connections`] open, and
//!   [`Limits::connections_per_client`] from one address (beyond, 503 and
//!   close); at most [`Limits::requests_per_connection`] on one;
//! * `Host`: an HTTP/1.1 request without one, or any request with two, is
//!   a 400 (RFC 9112 §3.2; hyper does not check it);
//! * queries: at most `threads` answered at once, on blocking threads with
//!   a stack for the deepest query the guards allow, and at most all but
//!   one of them for one client address, so that one client's long queries
//!   cannot shut the others out; a slow client holds an async task, never
//!   one of those slots.
//!
//! After a connection ends, what the client still sends is read and dropped
//! for a moment: closing a socket with unread data resets it, and the
//! client could lose the answer it was sent.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Either, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::rt::{Read, ReadBufCursor, Write};
use tokio::net::TcpStream;
use tokio::sync::{Notify, Semaphore};

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
    /// Longest a write may wait for the client to read.
    pub io_timeout: Duration,
    /// Longest the request line and headers may take to arrive; also how
    /// long an idle connection is kept open between requests.
    pub head_deadline: Duration,
    /// Longest a body may take to arrive.
    pub body_deadline: Duration,
    /// Most connections open at once.
    pub connections: usize,
    /// Most connections open at once from one address: a client that opens
    /// many cannot starve the others.
    pub connections_per_client: usize,
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
            connections_per_client: 512,
            requests_per_connection: 10_000,
        }
    }
}

/// Answers a request: calls its reply once, maybe early (a streamed
/// answer), and returns when the work is done.
pub type Handler = dyn Fn(&Request, &dyn Fn(Response)) + Send + Sync;
/// Hears one line per request.
pub type Log = dyn Fn(&str) + Send + Sync;

/// Stack of the threads that answer requests: the query guards bound a
/// query's size and depth before the recursive parser sees it, and this
/// holds the largest they accept (reserved, not used, until needed).
const ANSWER_STACK: usize = crate::query::guard::QUERY_STACK;

struct Shared {
    limits: Limits,
    handler: Arc<Handler>,
    log: Box<Log>,
    /// Requests being answered: at most `threads`.
    slots: Arc<Semaphore>,
    /// Open connections: at most `limits.connections`.
    connections: Arc<Semaphore>,
    /// Each client address: its open connections (at most
    /// `limits.connections_per_client`) and its share of the slots.
    clients: Arc<Mutex<HashMap<IpAddr, Share>>>,
    /// Slots one address may hold at once: all but one, so that one client
    /// cannot take every slot from the others.
    client_slots: usize,
    /// The address bound, for requests without a `Host`.
    local: SocketAddr,
}

/// Serves connections from `listener` until `stop` is notified.
pub fn run(
    listener: std::net::TcpListener,
    limits: Limits,
    threads: usize,
    stop: Arc<Notify>,
    handler: Box<Handler>,
    log: Box<Log>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(ANSWER_STACK)
        .thread_name("yushu-kg-serve")
        .enable_all()
        .build()?;
    let local = listener.local_addr()?;
    let shared = Arc::new(Shared {
        limits,
        handler: Arc::from(handler),
        log,
        slots: Arc::new(Semaphore::new(threads.max(1))),
        connections: Arc::new(Semaphore::new(limits.connections.max(1))),
        clients: Arc::default(),
        client_slots: threads.saturating_sub(1).max(1),
        local,
    });
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        loop {
            let (stream, peer) = tokio::select! {
                () = stop.notified() => break,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors, a connection reset before
                        // it was accepted …: this connection is lost, the
                        // server is not.
                        (shared.log)(&format!("accept failed: {e}"));
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                },
            };
            let Some(client) = Client::enter(&shared, peer.ip()) else {
                refuse(&stream, "too many connections from your address; try again");
                continue;
            };
            let Ok(open) = Arc::clone(&shared.connections).try_acquire_owned() else {
                refuse(&stream, "too many connections; try again");
                continue;
            };
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                connection(shared, stream, Arc::clone(&client.slots)).await;
                drop(open);
                drop(client);
            });
        }
        Ok(())
    })
}

/// What one client address holds.
struct Share {
    /// Its open connections.
    open: usize,
    /// Its share of the slots.
    slots: Arc<Semaphore>,
}

/// One open connection of a client address, counted until dropped.
struct Client {
    clients: Arc<Mutex<HashMap<IpAddr, Share>>>,
    ip: IpAddr,
    /// The address's share of the slots, which its requests wait for.
    slots: Arc<Semaphore>,
}

impl Client {
    /// Counts a connection from `ip`, unless that address has its share open.
    fn enter(shared: &Shared, ip: IpAddr) -> Option<Client> {
        let mut clients = shared.clients.lock().unwrap_or_else(|e| e.into_inner());
        let share = clients.entry(ip).or_insert_with(|| Share {
            open: 0,
            slots: Arc::new(Semaphore::new(shared.client_slots)),
        });
        if share.open >= shared.limits.connections_per_client {
            return None;
        }
        share.open += 1;
        Some(Client {
            clients: Arc::clone(&shared.clients),
            ip,
            slots: Arc::clone(&share.slots),
        })
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(share) = clients.get_mut(&self.ip) {
            share.open -= 1;
            if share.open == 0 {
                clients.remove(&self.ip);
            }
        }
    }
}

/// Answers 503 on a connection over a limit without waiting for it.
fn refuse(stream: &TcpStream, why: &str) {
    let body = format!("{why}\n");
    let _ = stream.try_write(
        format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
}

async fn connection(shared: Arc<Shared>, stream: TcpStream, client_slots: Arc<Semaphore>) {
    let _ = stream.set_nodelay(true);
    let stream = Arc::new(stream);
    let io = Io {
        stream: Arc::clone(&stream),
        write_timeout: shared.limits.io_timeout,
        stalled: None,
        scratch: vec![0; 16 * 1024].into_boxed_slice(),
    };
    let served = Arc::new(AtomicUsize::new(0));
    let service = {
        let shared = Arc::clone(&shared);
        hyper::service::service_fn(move |request| {
            answer(
                Arc::clone(&shared),
                request,
                Arc::clone(&served),
                Arc::clone(&client_slots),
            )
        })
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(shared.limits.head_deadline)
        .max_buf_size(shared.limits.head.max(8192))
        .max_headers(shared.limits.headers)
        // A client may send its request and close its side: it still
        // gets the answer.
        .half_close(true);
    if let Err(e) = http.serve_connection(io, service).await
        && e.is_parse()
    {
        (shared.log)(&format!("- - {e}"));
    }
    linger(&stream).await;
}

/// Reads and drops what the client still sends, for a moment, before the
/// socket is closed: see the module's documentation.
async fn linger(stream: &TcpStream) {
    let _ = socket2::SockRef::from(stream).shutdown(std::net::Shutdown::Write);
    let until = tokio::time::Instant::now() + Duration::from_secs(2);
    let mut sink = vec![0u8; 16 * 1024];
    let mut total = 0;
    while total < 4 * 1024 * 1024 {
        let read = async {
            stream.readable().await?;
            stream.try_read(&mut sink)
        };
        match tokio::time::timeout_at(until, read).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => total += n,
        }
    }
}

/// The service's error: the connection is closed without an answer (the
/// client went away, or broke off its body).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the client broke off its request")
    }
}

impl std::error::Error for Dropped {}

type HttpResponse = hyper::Response<Either<Full<Bytes>, Rest>>;

/// The body of an answer streamed past its buffer: the buffered part, then
/// the chunks as the query writes them.
struct Rest {
    head: Option<Bytes>,
    stream: super::stream::Stream,
}

impl hyper::body::Body for Rest {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some(head) = self.head.take() {
            return Poll::Ready(Some(Ok(Frame::data(head))));
        }
        Poll::Ready(match ready!(self.stream.poll_next(cx)) {
            Some(Ok(chunk)) => Some(Ok(Frame::data(Bytes::from(chunk)))),
            // Ends the response without its last chunk: the client sees it
            // is incomplete.
            Some(Err(why)) => Some(Err(io::Error::other(why.0))),
            None => None,
        })
    }
}

/// A response that ends the connection.
fn closing(status: u16, message: &str) -> HttpResponse {
    closing_with(Response::text(status, message))
}

fn closing_with(response: Response) -> HttpResponse {
    let mut r = to_http(response);
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

fn to_http(r: Response) -> HttpResponse {
    let body = match r.rest {
        None => Either::Left(Full::new(Bytes::from(r.body))),
        Some(stream) => Either::Right(Rest {
            head: Some(Bytes::from(r.body)),
            stream,
        }),
    };
    let mut out = hyper::Response::new(body);
    *out.status_mut() =
        hyper::StatusCode::from_u16(r.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(&r.content_type) {
        out.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    out
}

/// The host and framing a request's headers announce, refused when
/// missing, doubled or unsafe to read.
fn framing(request: &hyper::Request<Incoming>, cap: usize) -> Result<(), Response> {
    let headers = request.headers();
    let hosts = headers.get_all(header::HOST).iter().count();
    if hosts > 1 || (hosts == 0 && request.version() == hyper::Version::HTTP_11) {
        return Err(Response::text(
            400,
            "a request names its host in one Host header",
        ));
    }
    // Content-Length beside Transfer-Encoding, the way requests are
    // smuggled, never reaches here: hyper drops the length, reads the body
    // as chunked and closes the connection after the answer (RFC 9112 §6.3).
    if let Some(te) = headers.get(header::TRANSFER_ENCODING) {
        let codings = te.to_str().unwrap_or("").to_ascii_lowercase();
        if codings.split(',').any(|c| c.trim() != "chunked") {
            return Err(Response::text(
                501,
                "only the chunked transfer coding is served",
            ));
        }
    }
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if length.is_some_and(|n| n > cap as u64) {
        return Err(Response::text(
            413,
            format!("request body over {cap} bytes"),
        ));
    }
    Ok(())
}

/// `(media type, charset)` of a `Content-Type`, lower case.
fn media_type(headers: &HeaderMap) -> (String, Option<String>) {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches('"').to_ascii_lowercase())
    });
    (media, charset)
}

async fn answer(
    shared: Arc<Shared>,
    request: hyper::Request<Incoming>,
    served: Arc<AtomicUsize>,
    client_slots: Arc<Semaphore>,
) -> Result<HttpResponse, Dropped> {
    let started = Instant::now();
    let limits = shared.limits;
    let nth = served.fetch_add(1, Ordering::Relaxed) + 1;
    if let Err(refused) = framing(&request, limits.body) {
        let refused = closing_with(refused);
        log(
            &shared,
            request.method().as_str(),
            "-",
            refused.status(),
            started,
        );
        return Ok(refused);
    }
    let (content_type, charset) = media_type(request.headers());
    let text = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let accept = text(header::ACCEPT);
    let host = Some(text(header::HOST))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| shared.local.to_string());
    let method = request.method().as_str().to_owned();
    let url = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let body = Limited::new(request.into_body(), limits.body).collect();
    let body = match tokio::time::timeout(limits.body_deadline, body).await {
        Ok(Ok(body)) => body.to_bytes().to_vec(),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            let r = closing(413, &format!("request body over {} bytes", limits.body));
            log(&shared, &method, &url, r.status(), started);
            return Ok(r);
        }
        Ok(Err(e)) => {
            if broken_off(e.as_ref()) {
                return Err(Dropped);
            }
            let r = closing(400, &format!("malformed body: {e}"));
            log(&shared, &method, &url, r.status(), started);
            return Ok(r);
        }
        Err(_) => {
            let r = closing(408, "the body was not received in time");
            log(&shared, &method, &url, r.status(), started);
            return Ok(r);
        }
    };
    let request = Request {
        method,
        url,
        content_type,
        charset,
        accept,
        base: format!("http://{host}"),
        body,
    };
    // The slot goes with the work, not with this task: a client that goes
    // away does not free a slot while its query still runs.
    // The address's share first, then a slot: one client's queue never
    // holds every slot.
    let share = client_slots.acquire_owned().await.map_err(|_| Dropped)?;
    let slot = Arc::clone(&shared.slots)
        .acquire_owned()
        .await
        .map_err(|_| Dropped)?;
    let handler = Arc::clone(&shared.handler);
    let (method, url) = (request.method.clone(), request.url.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<Response>();
    // The work, and the slot with it, lasts until the handler returns: for
    // a streamed answer, until its last chunk is written.
    let _work = tokio::task::spawn_blocking(move || {
        let tx = Mutex::new(Some(tx));
        handler(&request, &|response| {
            let taken = tx.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(tx) = taken {
                let _ = tx.send(response);
            }
        });
        drop(slot);
        drop(share);
    });
    let Ok(response) = rx.await else {
        return Ok(closing(500, "the request could not be answered"));
    };
    let status = response.status;
    let mut response = to_http(response);
    if nth >= limits.requests_per_connection {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    log(
        &shared,
        &method,
        &url,
        hyper::StatusCode::from_u16(status).unwrap_or_default(),
        started,
    );
    Ok(response)
}

/// Whether a body failed because the client stopped sending it (closed its
/// side, or went away) rather than sent something malformed.
fn broken_off(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(e) = cause {
        if let Some(h) = e.downcast_ref::<hyper::Error>()
            && (h.is_incomplete_message() || h.is_closed())
        {
            return true;
        }
        if let Some(io) = e.downcast_ref::<io::Error>()
            && matches!(
                io.kind(),
                io::ErrorKind::UnexpectedEof
                    | io::ErrorKind::ConnectionReset
                    | io::ErrorKind::BrokenPipe
            )
        {
            return true;
        }
        cause = e.source();
    }
    false
}

fn log(shared: &Shared, method: &str, url: &str, status: hyper::StatusCode, started: Instant) {
    (shared.log)(&format!(
        "{method} {} {} {}ms",
        url.chars().take(200).collect::<String>(),
        status.as_u16(),
        started.elapsed().as_millis()
    ));
}

/// A connection's socket for hyper, shared with [`linger`], with a
/// deadline on each write: a client that stops reading is let go.
struct Io {
    stream: Arc<TcpStream>,
    write_timeout: Duration,
    /// Armed while a write waits for the client.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
    /// What a read brings, before it is handed to hyper.
    scratch: Box<[u8]>,
}

impl Read for Io {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let want = buf.remaining().min(this.scratch.len());
        loop {
            ready!(this.stream.poll_read_ready(cx))?;
            // Through a buffer of our own: filling hyper's directly would
            // take `unsafe`, which this crate forbids.
            match this.stream.try_read(&mut this.scratch[..want]) {
                Ok(n) => {
                    buf.put_slice(&this.scratch[..n]);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl Write for Io {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            match self.stream.poll_write_ready(cx) {
                Poll::Ready(ready) => {
                    ready?;
                    match self.stream.try_write(data) {
                        Ok(n) => {
                            self.stalled = None;
                            return Poll::Ready(Ok(n));
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                        Err(e) => return Poll::Ready(Err(e)),
                    }
                }
                Poll::Pending => {
                    let timeout = self.write_timeout;
                    let stalled = self
                        .stalled
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                    ready!(stalled.as_mut().poll(cx));
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client did not read its answer in time",
                    )));
                }
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(socket2::SockRef::from(&*self.stream).shutdown(std::net::Shutdown::Write))
    }
}
