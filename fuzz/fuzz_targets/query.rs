//! The query path before evaluation: arbitrary text to `query::guard::check`
//! on the query stack. Never a panic and never an abort; a query that
//! passes is within the bounds, and one that is refused says why.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yushu_kg::query::guard::{Limits, Refused, check, on_query_stack};

fuzz_target!(|text: &str| {
    let text = text.to_owned();
    let outcome = on_query_stack(move || check(&text, Limits::DEFAULT).map(|_| ()));
    if let Err(why) = outcome {
        // Every refusal is a sentence a user can read.
        assert!(!why.to_string().is_empty());
        if let Refused::TooLong { bytes, max } = why {
            assert!(bytes > max);
        }
    }
});
