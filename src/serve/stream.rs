//! A query's answer: held up to [`BUFFERED`] bytes before its status is
//! sent, so that a timeout or an error met early is a 503 or a 500 with
//! the reason; streamed past that, a chunk at a time, as fast as the client
//! reads and no faster.
//!
//! A streamed answer that the query cannot finish (its timeout, an error)
//! ends without its last chunk: the client sees an incomplete response, not
//! a complete wrong one. A client that stops reading is let go by the
//! server's write deadline, and the query stops at its next chunk.

use std::io::{self, Write};
use std::task::{Context, Poll};
use std::time::Instant;

use super::Response;

/// How much of an answer is held before its status is sent.
pub const BUFFERED: usize = 1024 * 1024;
/// Each chunk streamed past the buffer.
const CHUNK: usize = 64 * 1024;
/// Chunks a query may produce ahead of the client.
const AHEAD: usize = 4;

/// Why a streamed answer stopped before its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aborted(pub String);

/// The rest of an answer that did not fit the buffer, chunk by chunk.
#[derive(Debug)]
pub struct Stream(tokio::sync::mpsc::Receiver<Result<Vec<u8>, Aborted>>);

impl Stream {
    /// The next chunk; `None` at the end.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<u8>, Aborted>>> {
        self.0.poll_recv(cx)
    }
}

/// Where a query writes its answer: into the buffer, then, past it, the
/// answer (status and what was buffered) goes to `answer` and the rest to
/// a stream of chunks.
pub(super) struct Spill<'a> {
    answer: Option<&'a dyn Fn(Response)>,
    media: &'static str,
    buf: Vec<u8>,
    chunks: Option<tokio::sync::mpsc::Sender<Result<Vec<u8>, Aborted>>>,
    deadline: Instant,
    /// Whether the deadline passed while the answer was written.
    pub(super) timed_out: bool,
    /// Writes since the clock was last read.
    writes: u32,
}

impl<'a> Spill<'a> {
    pub(super) fn new(
        answer: &'a dyn Fn(Response),
        media: &'static str,
        deadline: Instant,
    ) -> Self {
        Spill {
            answer: Some(answer),
            media,
            buf: Vec::new(),
            chunks: None,
            deadline,
            timed_out: false,
            writes: 0,
        }
    }

    /// Ends the answer: with `failure` (what stopped the query), a buffered
    /// answer is replaced by `failure`'s response and a streamed one ends
    /// without its last chunk; else the answer is complete.
    pub(super) fn finish(mut self, failure: Option<Response>) {
        match (self.chunks.take(), self.answer.take()) {
            (None, Some(answer)) => answer(failure.unwrap_or(Response {
                status: 200,
                content_type: self.media.to_owned(),
                body: std::mem::take(&mut self.buf),
                rest: None,
            })),
            (Some(chunks), _) => {
                let last = match failure {
                    None => Ok(std::mem::take(&mut self.buf)),
                    Some(why) => Err(Aborted(
                        String::from_utf8_lossy(&why.body).trim().to_owned(),
                    )),
                };
                let _ = chunks.blocking_send(last);
            }
            (None, None) => {}
        }
    }
}

impl Write for Spill<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // The clock is read every so many writes: a serialiser writes a row
        // in many small pieces.
        self.writes = self.writes.wrapping_add(1);
        if self.writes.is_multiple_of(256) && Instant::now() > self.deadline {
            self.timed_out = true;
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the query ran past its timeout",
            ));
        }
        self.buf.extend_from_slice(data);
        if let Some(chunks) = &self.chunks {
            if self.buf.len() >= CHUNK {
                let chunk = std::mem::take(&mut self.buf);
                chunks.blocking_send(Ok(chunk)).map_err(|_| {
                    io::Error::new(io::ErrorKind::BrokenPipe, "the client went away")
                })?;
            }
        } else if self.buf.len() > BUFFERED
            && let Some(answer) = self.answer.take()
        {
            let (tx, rx) = tokio::sync::mpsc::channel(AHEAD);
            let head = Response {
                status: 200,
                content_type: self.media.to_owned(),
                body: std::mem::take(&mut self.buf),
                rest: Some(Stream(rx)),
            };
            answer(head);
            self.chunks = Some(tx);
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
