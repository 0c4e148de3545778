//! GraphML export of a large synthetic entity graph, against networkx's
//! `write_graphml` on the same graph, in one run, as ratios of time and peak
//! memory. Not a test: `cargo bench --bench export_vs_networkx [-- NODES EDGES]`
//! (default 52000 nodes, 175000 edges, the size of a 10k-article corpus).
//! Needs python3 with networkx for the peer.

use std::io::{BufWriter, Write};
use std::process::Command;
use std::time::Instant;

use yushu_kg::export::analytics::measure;
use yushu_kg::export::graph::{Edge, EntityGraph, Node};
use yushu_kg::export::{graphml, json};

const KINDS: [&str; 8] = [
    "District",
    "County",
    "Hospital",
    "School",
    "Company",
    "GovernmentBody",
    "Program",
    "Person",
];

/// A deterministic pseudo-random graph: a few hubs with many edges, as in the real network.
fn synthetic(nodes: usize, edges: usize) -> EntityGraph {
    let mut g = EntityGraph::new();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let ids: Vec<_> = (0..nodes)
        .map(|i| {
            g.add_node(Node {
                iri: format!("https://w3id.org/yushu-kg/id/org/实体{i}"),
                label: format!("实体{i}医院"),
                label_en: String::new(),
                label_pinyin: format!("Shí tǐ {i}"),
                kind: KINDS[i % KINDS.len()].to_owned(),
                date: String::new(),
            })
        })
        .collect();
    for _ in 0..edges {
        let a = (next() as usize) % nodes;
        // Half the edges go to one of 50 hubs.
        let b = if next() % 2 == 0 {
            (next() as usize) % 50.min(nodes)
        } else {
            (next() as usize) % nodes
        };
        g.add_edge(
            ids[a],
            ids[b],
            Edge {
                label: "supports".to_owned(),
                weight: 1.0 + (next() % 5) as f64,
                date: String::new(),
            },
        );
    }
    g
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn main() -> std::io::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (nodes, edges) = (
        args.first().copied().unwrap_or(52_000),
        args.get(1).copied().unwrap_or(175_000),
    );
    let dir = std::env::temp_dir().join(format!("yushu-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let g = synthetic(nodes, edges);

    // The peer's input, written before anything is timed.
    let m = measure(&g);
    let mut input = BufWriter::new(std::fs::File::create(dir.join("graph.json"))?);
    json::write_json(&g, &m, &mut input)?;
    input.flush()?;
    drop(input);
    let rss_before = peak_rss_kib();

    // Like for like: networkx is given the graph with its measures as
    // attributes and only writes; so is our writer. Computing the measures
    // (betweenness, PageRank, components) is timed apart.
    let started = Instant::now();
    let m = measure(&g);
    let measured = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut out = BufWriter::new(std::fs::File::create(dir.join("ours.graphml"))?);
    graphml::write_graphml(&g, &m, &mut out)?;
    out.flush()?;
    let ours = started.elapsed().as_secs_f64();
    let ours_rss = peak_rss_kib();

    let peer = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/networkx_write_graphml.py"
        ))
        .arg(dir.join("graph.json"))
        .arg(dir.join("theirs.graphml"))
        .output()?;
    let _ = std::fs::remove_dir_all(&dir);
    if !peer.status.success() {
        eprintln!(
            "networkx peer failed: {}",
            String::from_utf8_lossy(&peer.stderr)
        );
        std::process::exit(1);
    }
    let text = String::from_utf8_lossy(&peer.stdout);
    let mut fields = text.split_whitespace();
    let theirs: f64 = fields
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    let theirs_rss: f64 = fields
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    println!("| {nodes} nodes, {edges} edges | time (s) | peak RSS (MiB) |");
    println!("|---|---|---|");
    println!(
        "| yushu-kg write_graphml | {ours:.2} | {:.0} (graph built: {:.0}) |",
        ours_rss as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
    println!("| yushu-kg measures (computed apart, before writing) | {measured:.2} | |");
    println!(
        "| networkx write_graphml | {theirs:.2} | {:.0} |",
        theirs_rss / 1024.0
    );
    println!(
        "| ratio (networkx / yushu-kg writer) | {:.1}x faster | {:.1}x less memory |",
        theirs / ours,
        theirs_rss / ours_rss as f64
    );
    println!(
        "result export_writer_s={ours:.3} export_measures_s={measured:.3} networkx_s={theirs:.3} ours_rss_kib={ours_rss} networkx_rss_kib={theirs_rss:.0}"
    );
    Ok(())
}
