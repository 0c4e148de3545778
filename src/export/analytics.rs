//! Network measures of the entity graph, the table of per-node columns
//! every writer exports, the statistics `yushu-kg stats` prints, and the
//! colours and sizes the drawing formats (GraphML, GEXF, DOT) give its
//! nodes.
//!
//! Every measure is a vector indexed like the graph's nodes and is computed
//! by iterating node and edge indices in order, so the same graph always
//! gives the same numbers.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use petgraph::graph::NodeIndex;
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;

use super::graph::{EntityGraph, Node};

/// Damping factor of PageRank.
const DAMPING: f64 = 0.85;
/// PageRank stops when the L1 change of an iteration falls below this.
const PAGERANK_TOLERANCE: f64 = 1e-10;
/// PageRank stops after this many iterations at most.
const PAGERANK_MAX_ITERATIONS: usize = 100;
/// Smallest node size of [`size`].
pub const MIN_SIZE: f64 = 10.0;
/// Largest node size of [`size`].
pub const MAX_SIZE: f64 = 60.0;

/// Per-node measures, indexed like the graph's nodes.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Measures {
    /// Number of edges in and out (a self-loop counts twice).
    pub degree: Vec<u32>,
    /// Sum of the weights of the edges in and out, where a `funding` edge
    /// counts as 1: its weight is an amount in yuan (up to 1e10) that would
    /// swamp the evidence counts the other edges weigh.
    pub weighted_degree: Vec<f64>,
    /// Betweenness centrality (Brandes) of the undirected, unweighted view,
    /// normalised to [0, 1] by 2/((n-1)(n-2)); all 0 when n ≤ 2.
    pub betweenness: Vec<f64>,
    /// PageRank of the directed graph (damping 0.85, every edge one link
    /// whatever its weight, dangling nodes spread evenly); sums to 1.
    pub pagerank: Vec<f64>,
    /// Weakly connected component, numbered from 0 in order of the lowest
    /// node index in each component.
    pub component: Vec<u32>,
}

impl Measures {
    /// The largest weighted degree, 0 for an empty graph: the `max_w` of
    /// [`size`].
    pub fn max_weighted_degree(&self) -> f64 {
        self.weighted_degree
            .iter()
            .copied()
            .filter(|w| w.is_finite())
            .fold(0.0, f64::max)
    }

    /// Fails with `InvalidInput` unless every vector has one entry per node
    /// of `graph`: the writers call it before writing anything.
    pub fn check(&self, graph: &EntityGraph) -> std::io::Result<()> {
        let n = graph.node_count();
        let lens = [
            self.degree.len(),
            self.weighted_degree.len(),
            self.betweenness.len(),
            self.pagerank.len(),
            self.component.len(),
        ];
        if lens.iter().all(|&l| l == n) {
            Ok(())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("measures of {lens:?} entries for a graph of {n} nodes"),
            ))
        }
    }
}

/// What a column holds, for the formats that declare the types of their
/// attributes (GraphML, GEXF).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Free text.
    Text,
    /// A count or a number (`u32`).
    Integer,
    /// A double.
    Double,
}

/// One node's value in a column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Free text, as the node holds it (each writer escapes it).
    Text(&'a str),
    /// A count or a number.
    Integer(u32),
    /// A double, possibly not finite.
    Double(f64),
}

impl fmt::Display for Cell<'_> {
    /// Text as it is; numbers in Rust's shortest round-trip form, never
    /// with an exponent (`NaN`, `inf` when not finite).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Text(t) => f.write_str(t),
            Cell::Integer(n) => write!(f, "{n}"),
            Cell::Double(x) => write!(f, "{x}"),
        }
    }
}

impl serde::Serialize for Cell<'_> {
    /// A string or a number (serde_json writes a non-finite double as
    /// `null`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Cell::Text(t) => serializer.serialize_str(t),
            Cell::Integer(n) => serializer.serialize_u32(n),
            Cell::Double(x) => serializer.serialize_f64(x),
        }
    }
}

/// Reads one node's cell of a column: the node, the measures, its index.
type Get = for<'a> fn(&'a Node, &Measures, usize) -> Cell<'a>;

/// A per-node column of the exports: its name, what it holds and how to
/// read it. [`LABEL`] and [`ATTRIBUTES`] drive the GraphML keys, the GEXF
/// attributes, the CSV header, the DOT attributes and the JSON fields.
pub struct Column {
    /// The GraphML key, GEXF attribute, CSV column, DOT attribute and JSON
    /// field that carries it.
    pub name: &'static str,
    /// What it holds.
    pub ty: ColumnType,
    /// Whether DOT carries it as a custom attribute of this name, which
    /// Graphviz ignores and DOT readers keep. DOT leaves the English and
    /// pinyin labels out, and gives the label and the IRI as Graphviz's own
    /// `label` and `tooltip`.
    pub dot: bool,
    get: Get,
}

impl Column {
    /// The cell of node `i` of `graph` in this column.
    ///
    /// Panics unless `measures` has an entry for `i` ([`Measures::check`]).
    pub fn cell<'a>(&self, graph: &'a EntityGraph, measures: &Measures, i: NodeIndex) -> Cell<'a> {
        (self.get)(&graph[i], measures, i.index())
    }
}

/// The Chinese label, every format's node label: the first column of
/// GraphML, CSV (as Gephi's `Label`) and JSON, GEXF's and DOT's `label`.
pub static LABEL: Column = Column {
    name: "label",
    ty: ColumnType::Text,
    dot: false,
    get: |n, _, _| Cell::Text(&n.label),
};

/// The columns after [`LABEL`], in the order every writer gives them: the
/// other labels, the class, the IRI and the measures.
pub static ATTRIBUTES: &[Column] = &[
    Column {
        name: "label_en",
        ty: ColumnType::Text,
        dot: false,
        get: |n, _, _| Cell::Text(&n.label_en),
    },
    Column {
        name: "label_pinyin",
        ty: ColumnType::Text,
        dot: false,
        get: |n, _, _| Cell::Text(&n.label_pinyin),
    },
    Column {
        name: "type",
        ty: ColumnType::Text,
        dot: true,
        get: |n, _, _| Cell::Text(&n.kind),
    },
    Column {
        name: "iri",
        ty: ColumnType::Text,
        dot: false,
        get: |n, _, _| Cell::Text(&n.iri),
    },
    Column {
        name: "degree",
        ty: ColumnType::Integer,
        dot: true,
        get: |_, m, k| Cell::Integer(m.degree[k]),
    },
    Column {
        name: "weighted_degree",
        ty: ColumnType::Double,
        dot: true,
        get: |_, m, k| Cell::Double(m.weighted_degree[k]),
    },
    Column {
        name: "betweenness",
        ty: ColumnType::Double,
        dot: true,
        get: |_, m, k| Cell::Double(m.betweenness[k]),
    },
    Column {
        name: "pagerank",
        ty: ColumnType::Double,
        dot: true,
        get: |_, m, k| Cell::Double(m.pagerank[k]),
    },
    Column {
        name: "component",
        ty: ColumnType::Integer,
        dot: true,
        get: |_, m, k| Cell::Integer(m.component[k]),
    },
];

/// Every column: [`LABEL`], then [`ATTRIBUTES`].
pub fn columns() -> impl Iterator<Item = &'static Column> {
    std::iter::once(&LABEL).chain(ATTRIBUTES)
}

/// One of the most central entities of [`Stats`].
///
/// Its fields are in alphabetical order: `stats --json` has always written
/// their keys so.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Central {
    /// Betweenness centrality.
    pub betweenness: f64,
    /// Number of edges in and out.
    pub degree: u32,
    /// The entity's IRI.
    pub iri: String,
    /// Chinese label.
    pub label: String,
    /// PageRank.
    pub pagerank: f64,
    /// Class name (`Hospital`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Weighted degree.
    pub weighted_degree: f64,
}

/// A weakly connected component of [`Stats`] and its size.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ComponentSize {
    /// The component's number ([`Measures::component`]).
    pub component: u32,
    /// How many nodes it has.
    pub nodes: usize,
}

/// What `yushu-kg stats` prints: counts by class, the most central
/// entities and the components of the network.
///
/// Its fields are in alphabetical order: `stats --json` has always written
/// their keys so.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Stats {
    /// How many nodes each class (`Hospital`) has, by class name.
    pub by_type: BTreeMap<String, usize>,
    /// The most central entities: highest PageRank first, ties in node
    /// order.
    pub central: Vec<Central>,
    /// Every component: largest first, ties by number.
    pub components: Vec<ComponentSize>,
    /// Number of edges.
    pub edges: usize,
    /// Number of nodes.
    pub nodes: usize,
}

/// The statistics of `graph`, with its `top` most central entities.
pub fn stats(graph: &EntityGraph, top: usize) -> Stats {
    let m = measure(graph);
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for n in graph.node_weights() {
        *by_type.entry(n.kind.clone()).or_default() += 1;
    }
    let mut order: Vec<usize> = (0..graph.node_count()).collect();
    order.sort_by(|&a, &b| m.pagerank[b].total_cmp(&m.pagerank[a]).then(a.cmp(&b)));
    let central = order
        .into_iter()
        .take(top)
        .map(|i| {
            let n = &graph[NodeIndex::new(i)];
            Central {
                betweenness: m.betweenness[i],
                degree: m.degree[i],
                iri: n.iri.clone(),
                label: n.label.clone(),
                pagerank: m.pagerank[i],
                kind: n.kind.clone(),
                weighted_degree: m.weighted_degree[i],
            }
        })
        .collect();
    let mut sizes: BTreeMap<u32, usize> = BTreeMap::new();
    for &c in &m.component {
        *sizes.entry(c).or_default() += 1;
    }
    let mut components: Vec<ComponentSize> = sizes
        .into_iter()
        .map(|(component, nodes)| ComponentSize { component, nodes })
        .collect();
    components.sort_by(|a, b| b.nodes.cmp(&a.nodes).then(a.component.cmp(&b.component)));
    Stats {
        by_type,
        central,
        components,
        edges: graph.edge_count(),
        nodes: graph.node_count(),
    }
}

/// Computes every measure of `graph`.
pub fn measure(graph: &EntityGraph) -> Measures {
    let n = graph.node_count();
    let mut degree = vec![0u32; n];
    let mut weighted_degree = vec![0.0f64; n];
    for e in graph.edge_references() {
        let w = if e.weight().label == "funding" {
            1.0
        } else {
            e.weight().weight
        };
        for i in [e.source().index(), e.target().index()] {
            degree[i] += 1;
            weighted_degree[i] += w;
        }
    }
    Measures {
        degree,
        weighted_degree,
        betweenness: betweenness(graph),
        pagerank: pagerank(graph),
        component: components(graph),
    }
}

/// Neighbours in the undirected view, without self-loops or repeats, each
/// list sorted.
fn undirected_neighbours(graph: &EntityGraph) -> Vec<Vec<usize>> {
    let mut adj = vec![Vec::new(); graph.node_count()];
    for e in graph.edge_references() {
        let (a, b) = (e.source().index(), e.target().index());
        if a != b {
            adj[a].push(b);
            adj[b].push(a);
        }
    }
    for list in &mut adj {
        list.sort_unstable();
        list.dedup();
    }
    adj
}

/// Brandes' algorithm on the undirected, unweighted view.
/// Above this many nodes, betweenness is estimated from a sample of source
/// nodes (Brandes & Pich 2007), as exact Brandes is O(nodes × edges).
pub const EXACT_BETWEENNESS_LIMIT: usize = 5_000;
/// Source nodes sampled for the estimate: every (n / SAMPLES)-th node, so
/// the estimate is deterministic.
const BETWEENNESS_SAMPLES: usize = 256;

fn betweenness(graph: &EntityGraph) -> Vec<f64> {
    let n = graph.node_count();
    let sources: Vec<usize> = if n > EXACT_BETWEENNESS_LIMIT {
        let step = n / BETWEENNESS_SAMPLES;
        (0..BETWEENNESS_SAMPLES).map(|i| i * step).collect()
    } else {
        (0..n).collect()
    };
    // Sampled sums are scaled up to estimate the sum over all sources.
    let sample_scale = n as f64 / sources.len().max(1) as f64;
    let adj = undirected_neighbours(graph);
    let mut centrality = vec![0.0f64; n];
    let mut stack = Vec::with_capacity(n);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![-1i64; n];
    let mut delta = vec![0.0f64; n];
    let mut queue = VecDeque::with_capacity(n);
    for &s in &sources {
        stack.clear();
        for v in 0..n {
            preds[v].clear();
            sigma[v] = 0.0;
            dist[v] = -1;
            delta[v] = 0.0;
        }
        sigma[s] = 1.0;
        dist[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for &w in &adj[v] {
                if dist[w] < 0 {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        while let Some(w) = stack.pop() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != s {
                centrality[w] += delta[w];
            }
        }
    }
    // Each unordered pair was counted from both ends: halve, then normalise
    // by the number of pairs not involving the node.
    let scale = if n > 2 {
        sample_scale / (((n - 1) * (n - 2)) as f64)
    } else {
        0.0
    };
    centrality.iter().map(|c| c * scale).collect()
}

/// PageRank by power iteration on the directed graph.
fn pagerank(graph: &EntityGraph) -> Vec<f64> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let nf = n as f64;
    let mut out_degree = vec![0usize; n];
    let edges: Vec<(usize, usize)> = graph
        .edge_references()
        .map(|e| (e.source().index(), e.target().index()))
        .collect();
    for &(a, _) in &edges {
        out_degree[a] += 1;
    }
    let mut rank = vec![1.0 / nf; n];
    let mut next = vec![0.0f64; n];
    for _ in 0..PAGERANK_MAX_ITERATIONS {
        let dangling: f64 = (0..n)
            .filter(|&v| out_degree[v] == 0)
            .map(|v| rank[v])
            .sum();
        let base = (1.0 - DAMPING) / nf + DAMPING * dangling / nf;
        next.iter_mut().for_each(|x| *x = base);
        for &(a, b) in &edges {
            next[b] += DAMPING * rank[a] / out_degree[a] as f64;
        }
        let change: f64 = rank.iter().zip(&next).map(|(x, y)| (x - y).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < PAGERANK_TOLERANCE {
            break;
        }
    }
    let total: f64 = rank.iter().sum();
    if total > 0.0 {
        rank.iter_mut().for_each(|x| *x /= total);
    }
    rank
}

/// Weakly connected components, numbered by their lowest node index.
fn components(graph: &EntityGraph) -> Vec<u32> {
    let n = graph.node_count();
    let mut sets = UnionFind::<usize>::new(n);
    for e in graph.edge_references() {
        sets.union(e.source().index(), e.target().index());
    }
    let mut id_of_root: Vec<Option<u32>> = vec![None; n];
    let mut next = 0u32;
    (0..n)
        .map(|v| {
            let root = sets.find(v);
            *id_of_root[root].get_or_insert_with(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// The fill colour of an entity class (`Hospital`), as RGB; grey for a
/// class not in the palette.
pub fn colour(kind: &str) -> (u8, u8, u8) {
    match kind {
        "Municipality" => (214, 39, 40),   // red: Beijing
        "Province" => (148, 103, 189),     // purple
        "Prefecture" => (255, 127, 14),    // orange: Yushu
        "District" => (31, 119, 180),      // blue
        "County" => (44, 160, 44),         // green
        "Hospital" => (227, 119, 194),     // pink
        "School" => (188, 189, 34),        // olive
        "Company" => (23, 190, 207),       // cyan
        "GovernmentBody" => (140, 86, 75), // brown
        "Organization" => (174, 199, 232), // light blue
        "Program" => (255, 187, 120),      // light orange
        "Person" => (152, 223, 138),       // light green
        "Event" => (197, 176, 213),        // lavender
        _ => (127, 127, 127),              // grey
    }
}

/// The drawing size of a node of weighted degree `w` when the largest
/// weighted degree is `max_w`: 10 + 50 · ln(1+w) / ln(1+max_w), within
/// [`MIN_SIZE`]..=[`MAX_SIZE`]; [`MIN_SIZE`] when either is not positive or
/// the ratio is undefined.
pub fn size(w: f64, max_w: f64) -> f64 {
    if !(w > 0.0 && max_w > 0.0) {
        return MIN_SIZE;
    }
    let ratio = w.ln_1p() / max_w.ln_1p();
    if ratio.is_nan() {
        return MIN_SIZE;
    }
    MIN_SIZE + (MAX_SIZE - MIN_SIZE) * ratio.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graph::{Edge, Node, sample};

    fn graph(n: usize, edges: &[(usize, usize, &str, f64)]) -> EntityGraph {
        let mut g = EntityGraph::new();
        let ids: Vec<_> = (0..n)
            .map(|i| {
                g.add_node(Node {
                    iri: format!("http://example.org/{i}"),
                    label: format!("实体{i}"),
                    label_en: String::new(),
                    label_pinyin: String::new(),
                    kind: "Organization".into(),
                    date: String::new(),
                })
            })
            .collect();
        for &(a, b, label, weight) in edges {
            g.add_edge(
                ids[a],
                ids[b],
                Edge {
                    label: label.into(),
                    weight,
                    date: String::new(),
                },
            );
        }
        g
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
    }

    #[test]
    fn star_out_from_the_centre() {
        // 0 → 1, 0 → 2, 0 → 3, 0 → 4
        let g = graph(
            5,
            &[
                (0, 1, "supports", 2.0),
                (0, 2, "supports", 1.0),
                (0, 3, "funding", 5e9),
                (0, 4, "partOf", 1.0),
            ],
        );
        let m = measure(&g);
        assert_eq!(m.degree, [4, 1, 1, 1, 1]);
        assert!(close(&m.weighted_degree, &[5.0, 2.0, 1.0, 1.0, 1.0]));
        assert!(close(&m.betweenness, &[1.0, 0.0, 0.0, 0.0, 0.0]));
        assert_eq!(m.component, [0; 5]);
        // The leaves are dangling and spread their rank evenly. With c the
        // centre and l a leaf: c = 0.15/5 + 0.85·4l/5 and c + 4l = 1, so
        // c = 0.03 + 0.17(1 - c).
        let c = 0.2 / 1.17;
        let l = (1.0 - c) / 4.0;
        assert!(close(&m.pagerank, &[c, l, l, l, l]), "{:?}", m.pagerank);
    }

    #[test]
    fn star_into_the_centre_pagerank() {
        // Leaves 1..=4 each point at 0, which is dangling. With l a leaf and
        // c the centre: l = 0.15/5 + 0.85·c/5 and c + 4l = 1.
        let g = graph(
            5,
            &[
                (1, 0, "supports", 1.0),
                (2, 0, "supports", 1.0),
                (3, 0, "supports", 1.0),
                (4, 0, "supports", 1.0),
            ],
        );
        let m = measure(&g);
        // From c + 4l = 1 and l = 0.03 + 0.17c: c + 0.12 + 0.68c = 1.
        let c = 0.88 / 1.68;
        let l = 0.03 + 0.17 * c;
        assert!(close(&m.pagerank, &[c, l, l, l, l]), "{:?}", m.pagerank);
    }

    #[test]
    fn path_of_four() {
        // 0 - 1 - 2 - 3, with edges in mixed directions.
        let g = graph(
            4,
            &[
                (0, 1, "supports", 3.0),
                (2, 1, "pairedWith", 1.0),
                (2, 3, "supports", 1.0),
            ],
        );
        let m = measure(&g);
        assert_eq!(m.degree, [1, 2, 2, 1]);
        assert!(close(&m.weighted_degree, &[3.0, 4.0, 2.0, 1.0]));
        // Node 1 lies on 0–2 and 0–3: 2 of the 3 pairs without it.
        assert!(close(&m.betweenness, &[0.0, 2.0 / 3.0, 2.0 / 3.0, 0.0]));
        assert_eq!(m.component, [0; 4]);
    }

    #[test]
    fn parallel_edges_and_self_loops() {
        let g = graph(
            3,
            &[
                (0, 1, "supports", 1.0),
                (0, 1, "funding", 1e10),
                (1, 1, "partOf", 1.0),
                (1, 2, "supports", 1.0),
            ],
        );
        let m = measure(&g);
        assert_eq!(m.degree, [2, 5, 1]);
        assert!(close(&m.weighted_degree, &[2.0, 5.0, 1.0]));
        // Parallel edges do not double the shortest paths through 1.
        assert!(close(&m.betweenness, &[0.0, 1.0, 0.0]));
        assert!((m.pagerank.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn two_components_numbered_by_lowest_index() {
        // {0, 3} and {1, 2, 4}, and the isolated 5.
        let g = graph(
            6,
            &[
                (3, 0, "supports", 1.0),
                (4, 2, "supports", 1.0),
                (1, 4, "locatedIn", 1.0),
            ],
        );
        let m = measure(&g);
        assert_eq!(m.component, [0, 1, 1, 0, 1, 2]);
        // Betweenness counts pairs across the whole graph: node 4 joins
        // 1 and 2, one of the C(5, 2) = 10 pairs without it.
        assert!(close(&m.betweenness, &[0.0, 0.0, 0.0, 0.0, 0.1, 0.0]));
        assert!((m.pagerank.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn empty_and_tiny_graphs() {
        let m = measure(&EntityGraph::new());
        assert!(m.degree.is_empty() && m.pagerank.is_empty());
        let m = measure(&graph(2, &[(0, 1, "supports", 1.0)]));
        assert_eq!(m.betweenness, [0.0, 0.0]);
        // r0 = 0.15/2 + 0.85·r1/2 (1 is dangling) and r0 + r1 = 1.
        let r0 = 0.5 / 1.425;
        assert!(close(&m.pagerank, &[r0, 1.0 - r0]), "{:?}", m.pagerank);
        assert!(m.check(&graph(2, &[])).is_ok());
        assert!(m.check(&graph(3, &[])).is_err());
    }

    #[test]
    fn the_columns_every_writer_exports() {
        let names: Vec<&str> = columns().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "label",
                "label_en",
                "label_pinyin",
                "type",
                "iri",
                "degree",
                "weighted_degree",
                "betweenness",
                "pagerank",
                "component",
            ]
        );
        let g = sample();
        let m = measure(&g);
        let xicheng = NodeIndex::new(1);
        let cells: Vec<Cell<'_>> = columns().map(|c| c.cell(&g, &m, xicheng)).collect();
        assert_eq!(cells[0], Cell::Text("西城区"));
        assert_eq!(cells[3], Cell::Text("District"));
        assert_eq!(cells[5], Cell::Integer(5));
        assert_eq!(cells[6], Cell::Double(6.0));
        assert_eq!(cells[9], Cell::Integer(0));
        assert_eq!(cells[6].to_string(), "6");
        assert_eq!(Cell::Double(0.25).to_string(), "0.25");
        assert_eq!(Cell::Double(1e-7).to_string(), "0.0000001");
        for c in columns() {
            let text = matches!(c.cell(&g, &m, xicheng), Cell::Text(_));
            assert_eq!(text, c.ty == ColumnType::Text, "{}", c.name);
        }
        let dot: Vec<&str> = columns().filter(|c| c.dot).map(|c| c.name).collect();
        assert_eq!(
            dot,
            [
                "type",
                "degree",
                "weighted_degree",
                "betweenness",
                "pagerank",
                "component"
            ]
        );
    }

    #[test]
    fn stats_count_classes_rank_entities_and_size_components() {
        let s = stats(&sample(), 2);
        assert_eq!((s.nodes, s.edges), (4, 5));
        let by_type: Vec<(&str, usize)> = s.by_type.iter().map(|(k, n)| (k.as_str(), *n)).collect();
        assert_eq!(
            by_type,
            [
                ("Company", 1),
                ("District", 1),
                ("Event", 1),
                ("Prefecture", 1)
            ]
        );
        let central: Vec<&str> = s.central.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(central, ["西城区", "玉树藏族自治州"]);
        assert_eq!(s.central[0].kind, "District");
        assert_eq!(s.central[0].degree, 5);
        assert!((s.central[0].betweenness - 1.0 / 3.0).abs() < 1e-12);
        assert!(s.central[0].pagerank > s.central[1].pagerank);
        assert_eq!(
            s.components,
            [
                ComponentSize {
                    component: 0,
                    nodes: 3
                },
                ComponentSize {
                    component: 1,
                    nodes: 1
                }
            ]
        );
        assert_eq!(stats(&sample(), 10).central.len(), 4);
        assert!(stats(&EntityGraph::new(), 10).central.is_empty());
        // The keys `stats --json` has always written, in their order.
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.starts_with("{\"by_type\":{\"Company\":1,"), "{json}");
        assert!(
            json.contains(
                "\"central\":[{\"betweenness\":0.3333333333333333,\"degree\":5,\"iri\":\"http://example.org/xicheng\",\"label\":\"西城区\",\"pagerank\":"
            ),
            "{json}"
        );
        assert!(
            json.contains(",\"type\":\"District\",\"weighted_degree\":6.0}"),
            "{json}"
        );
        assert!(
            json.ends_with(
                "\"components\":[{\"component\":0,\"nodes\":3},{\"component\":1,\"nodes\":1}],\"edges\":5,\"nodes\":4}"
            ),
            "{json}"
        );
    }

    #[test]
    fn sizes_and_colours() {
        assert_eq!(size(0.0, 10.0), MIN_SIZE);
        assert_eq!(size(10.0, 10.0), MAX_SIZE);
        assert_eq!(size(1.0, 0.0), MIN_SIZE);
        assert_eq!(size(f64::NAN, 3.0), MIN_SIZE);
        assert_eq!(size(100.0, 10.0), MAX_SIZE);
        let mid = size(3.0, 15.0);
        assert!((mid - 35.0).abs() < 1e-12, "{mid}");
        assert_eq!(colour("Nonsense"), (127, 127, 127));
        let kinds = [
            "Municipality",
            "Province",
            "Prefecture",
            "District",
            "County",
            "Hospital",
            "School",
            "Company",
            "GovernmentBody",
            "Organization",
            "Program",
            "Person",
            "Event",
        ];
        let mut seen: Vec<_> = kinds.iter().map(|k| colour(k)).collect();
        seen.push(colour(""));
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), kinds.len() + 1, "colours must differ");
    }
}
