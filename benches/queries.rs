//! Latency of the named queries on a built store, in process (what the
//! endpoint sees, without HTTP): each query runs once to warm the caches,
//! then `RUNS` times; the median and the slowest run are printed.
//!
//! `cargo bench --bench queries -- STORE [RUNS]` (default: .yushu-kg/store, 11 runs).

use std::path::Path;
use std::time::Instant;

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
        let run = || -> usize {
            match store.query(&text, None).expect("the query runs") {
                oxigraph::sparql::QueryResults::Solutions(mut s) => {
                    s.try_fold(0, |n, r| r.map(|_| n + 1)).expect("the rows")
                }
                oxigraph::sparql::QueryResults::Graph(mut g) => {
                    g.try_fold(0, |n, t| t.map(|_| n + 1)).expect("the triples")
                }
                oxigraph::sparql::QueryResults::Boolean(_) => 1,
            }
        };
        let rows = run();
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
