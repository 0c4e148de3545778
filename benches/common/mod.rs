//! What the extraction benchmarks share: their peer and their clock.

use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use yushu_kg::recognize::gazetteer::Gazetteer;
use yushu_kg::source::reference::Reference;

/// The peer: one leftmost-longest automaton over every name and alias of
/// the gazetteer, the practical upper limit of a dictionary recogniser.
pub fn peer_automaton(reference: &Reference) -> AhoCorasick {
    let names: Vec<String> = Gazetteer::new(reference)
        .names()
        .map(|(name, _)| name.to_owned())
        .collect();
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&names)
        .expect("automaton")
}

/// The seconds of the fastest of three runs of `f`, and what it found:
/// the machine is shared and noisy.
pub fn best_of_three(f: &dyn Fn() -> usize) -> (f64, usize) {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let found = f();
            (started.elapsed().as_secs_f64(), found)
        })
        .fold((f64::INFINITY, 0), |a, b| if b.0 < a.0 { b } else { a })
}
