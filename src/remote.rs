//! A remote store: a SPARQL 1.1 Graph Store Protocol endpoint (Oxigraph
//! server's `/store`, Fuseki's `/dataset/data`, …) that `build` and `add`
//! write named graphs to instead of the embedded store.
//!
//! Each article's own graph is replaced with `PUT ?graph=…`; the triples it
//! contributes to the shared entity and fact graphs are merged with
//! `POST ?graph=…` (RDF graphs are sets, so a triple sent twice is stored
//! once). The fixed graphs (ontology, reference) are replaced with `PUT`.
//!
//! What the embedded store guarantees and a remote one cannot: a remote
//! build is not atomic (readers may see it half done, and a failure leaves
//! the graphs written so far), and facts an updated article no longer states
//! stay in the shared graphs until the next full build.

use std::collections::BTreeMap;
use std::time::Duration;

use oxigraph::model::{GraphName, NamedNode, Quad};

/// Why a remote store request failed.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The address is not one this build can reach.
    #[error("{url}: {reason}")]
    Address {
        /// The address.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// A request failed or the server refused it.
    #[error("{method} {url} (graph <{graph}>): {reason}")]
    Request {
        /// HTTP method.
        method: &'static str,
        /// Endpoint.
        url: String,
        /// Graph IRI.
        graph: String,
        /// What went wrong (status and the server's message, or the transport error).
        reason: String,
    },
}

/// A Graph Store Protocol endpoint.
#[derive(Debug)]
pub struct RemoteStore {
    url: String,
    agent: ureq::Agent,
    requests: std::sync::atomic::AtomicUsize,
}

impl RemoteStore {
    /// The endpoint at `url` (`http://host:port/store`); a request fails
    /// when connecting, or any read or write, takes longer than `timeout`.
    pub fn new(url: &str, timeout: Duration) -> Result<RemoteStore, RemoteError> {
        if url.starts_with("https://") {
            return Err(RemoteError::Address {
                url: url.to_owned(),
                reason: "this build speaks plain HTTP only; put the store behind a TLS-terminating proxy on the same host, or use http:// on a private network".to_owned(),
            });
        }
        if !url.starts_with("http://") || url.len() <= "http://".len() {
            return Err(RemoteError::Address {
                url: url.to_owned(),
                reason: "a remote store is an http:// Graph Store Protocol endpoint".to_owned(),
            });
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(timeout))
            .timeout_per_read(Some(timeout))
            .timeout_per_write(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(RemoteStore {
            url: url.to_owned(),
            agent,
            requests: Default::default(),
        })
    }

    /// The endpoint's address.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests sent so far.
    pub fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Replaces `graph` with `triples` (N-Triples lines).
    pub fn put(&self, graph: &NamedNode, triples: String) -> Result<(), RemoteError> {
        self.send("PUT", graph, Some(triples))
    }

    /// Merges `triples` into `graph`.
    pub fn post(&self, graph: &NamedNode, triples: String) -> Result<(), RemoteError> {
        self.send("POST", graph, Some(triples))
    }

    /// Deletes `graph`; a graph that is not there is not an error.
    pub fn delete(&self, graph: &NamedNode) -> Result<(), RemoteError> {
        self.send("DELETE", graph, None)
    }

    fn send(
        &self,
        method: &'static str,
        graph: &NamedNode,
        body: Option<String>,
    ) -> Result<(), RemoteError> {
        self.requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let error = |reason: String| RemoteError::Request {
            method,
            url: self.url.clone(),
            graph: graph.as_str().to_owned(),
            reason,
        };
        let response = match (method, body) {
            ("DELETE", _) => self
                .agent
                .delete(&self.url)
                .query("graph", graph.as_str())
                .call(),
            (_, body) => {
                let request = if method == "PUT" {
                    self.agent.put(&self.url)
                } else {
                    self.agent.post(&self.url)
                };
                request
                    .query("graph", graph.as_str())
                    .header("Content-Type", "application/n-triples; charset=utf-8")
                    .send(body.unwrap_or_default())
            }
        };
        let mut response = response.map_err(|e| error(e.to_string()))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) || (method == "DELETE" && status == 404) {
            return Ok(());
        }
        let message = response
            .body_mut()
            .read_to_string()
            .unwrap_or_default()
            .chars()
            .take(500)
            .collect::<String>();
        Err(error(format!("HTTP {status}: {}", message.trim())))
    }
}

/// Quads grouped by graph, as N-Triples documents, ready to send.
pub fn by_graph(quads: impl IntoIterator<Item = Quad>) -> BTreeMap<NamedNode, String> {
    let mut out: BTreeMap<NamedNode, String> = BTreeMap::new();
    for q in quads {
        let GraphName::NamedNode(g) = q.graph_name else {
            continue; // every quad of ours is in a named graph
        };
        let body = out.entry(g).or_default();
        use std::fmt::Write;
        let _ = writeln!(body, "{} {} {} .", q.subject, q.predicate, q.object);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode, Quad};

    #[test]
    fn only_plain_http_addresses_are_remote_stores() {
        use crate::store::StoreLocation;
        let at = |s: &str| StoreLocation::from(std::ffi::OsString::from(s));
        assert_eq!(
            at("http://127.0.0.1:7878/store"),
            StoreLocation::Remote("http://127.0.0.1:7878/store".to_owned())
        );
        assert!(matches!(
            at("https://example.org/store"),
            StoreLocation::Remote(_)
        ));
        assert_eq!(
            at(".yushu-kg/store"),
            StoreLocation::Dir(".yushu-kg/store".into())
        );
        assert_eq!(at("http:store"), StoreLocation::Dir("http:store".into()));
        assert!(RemoteStore::new("http://127.0.0.1:1/store", Duration::from_secs(5)).is_ok());
        let err =
            RemoteStore::new("https://example.org/store", Duration::from_secs(5)).unwrap_err();
        assert!(err.to_string().contains("plain HTTP"), "{err}");
        assert!(RemoteStore::new("http://", Duration::from_secs(5)).is_err());
    }

    #[test]
    fn quads_are_grouped_into_ntriples_documents_by_graph() {
        let g1 = NamedNode::new_unchecked("http://g/1");
        let g2 = NamedNode::new_unchecked("http://g/2");
        let s = NamedNode::new_unchecked("http://s");
        let p = NamedNode::new_unchecked("http://p");
        let quads = vec![
            Quad::new(s.clone(), p.clone(), Literal::from("a \"q\"\n"), g1.clone()),
            Quad::new(s.clone(), p.clone(), s.clone(), g2.clone()),
            Quad::new(s.clone(), p.clone(), Literal::from("b"), g1.clone()),
        ];
        let docs = by_graph(quads);
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[&g1],
            "<http://s> <http://p> \"a \\\"q\\\"\\n\" .\n<http://s> <http://p> \"b\" .\n"
        );
        // The documents parse back as N-Triples.
        for doc in docs.values() {
            for t in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
                .for_slice(doc.as_bytes())
            {
                t.unwrap();
            }
        }
    }

    #[test]
    fn an_unreachable_server_is_an_error_naming_the_request() {
        // Port 1 on loopback: nothing listens there.
        let store = RemoteStore::new("http://127.0.0.1:1/store", Duration::from_secs(5)).unwrap();
        let err = store
            .put(&NamedNode::new_unchecked("http://g"), String::new())
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("PUT http://127.0.0.1:1/store (graph <http://g>)"),
            "{msg}"
        );
    }
}
