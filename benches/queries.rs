//! Latency of the named queries on a built store, in process (what the
//! endpoint sees, without HTTP): each query runs once to warm the caches,
//! then `RUNS` times (3 when it takes over a second; stopped after 30 s);
//! the median and the slowest run are printed.
//!
//! `cargo bench --bench queries -- STORE [RUNS]` (default: .yushu-kg/store, 11 runs).

use std::path::Path;
use std::time::{Duration, Instant};

/// Longest a query may run before it is reported as "> LIMIT".
const LIMIT: Duration = Duration::from_secs(30);

use yushu_kg::query::named_queries;
use yushu_kg::store::Store;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let store = args.first().map_or(".yushu-kg/store", String::as_str);
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(11);
    let store = Store::open_read_only(Path::new(store)).expect("a built store");
    let queries = named_queries(&Path::new(env!("CARGO_MANIFEST_DIR")).join("queries"))
        .expect("the named queries");
    println!("| query | rows | median ms | max ms |");
    println!("|---|---|---|---|");
    let mut medians = Vec::new();
    for q in &queries {
        let text = std::fs::read_to_string(&q.path).expect("the query file");
        // Rows, or None when the query ran past the limit.
        let run = || -> Option<usize> {
            let results = match store.query(&text, Some(LIMIT)) {
                Ok(r) => r,
                Err(yushu_kg::store::StoreError::Timeout) => return None,
                Err(e) => panic!("{}: {e}", q.name),
            };
            let counted = match results {
                oxigraph::sparql::QueryResults::Solutions(mut s) => {
                    s.try_fold(0, |n, r| r.map(|_| n + 1))
                }
                oxigraph::sparql::QueryResults::Graph(mut g) => {
                    g.try_fold(0, |n, t| t.map(|_| n + 1))
                }
                oxigraph::sparql::QueryResults::Boolean(_) => Ok(1),
            };
            match counted {
                Ok(n) => Some(n),
                Err(oxigraph::sparql::QueryEvaluationError::Cancelled) => None,
                Err(e) => panic!("{}: {e}", q.name),
            }
        };
        let started = Instant::now();
        let Some(rows) = run() else {
            println!(
                "| {} | ? | > {} | > {} |",
                q.name,
                LIMIT.as_millis(),
                LIMIT.as_millis()
            );
            medians.push(LIMIT.as_secs_f64() * 1000.0);
            continue;
        };
        // A slow query is timed three times, not eleven: the run stays bounded.
        let runs = if started.elapsed().as_secs_f64() > 1.0 {
            3
        } else {
            runs
        };
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let started = Instant::now();
                run();
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        medians.push(median);
        println!(
            "| {} | {rows} | {median:.1} | {:.1} |",
            q.name,
            times[times.len() - 1]
        );
    }
    medians.sort_by(f64::total_cmp);
    println!(
        "result queries={} worst_median_ms={:.1} median_of_medians_ms={:.1}",
        medians.len(),
        medians.last().copied().unwrap_or(0.0),
        medians.get(medians.len() / 2).copied().unwrap_or(0.0)
    );
}
