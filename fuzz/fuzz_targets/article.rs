//! The article parser on arbitrary bytes: never a panic; an article's spans
//! slice its text; an error names the file and, when it has a position, a
//! line and column of the input.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use yushu_kg::source::article::{Article, ArticleError};

fuzz_target!(|data: &[u8]| {
    match Article::parse(Path::new("fuzz.txt"), data) {
        Ok(a) => {
            assert!(!a.text.trim().is_empty());
            assert!(a.body.end <= a.char_len());
            let _ = a.text_at(a.body);
            for span in a.paragraphs().into_iter().chain(a.excluded.iter().copied()) {
                assert!(a.body.contains(span), "{span:?} outside {:?}", a.body);
                let _ = a.text_at(span);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("fuzz.txt"), "{msg}");
            if let ArticleError::NotUtf8 { line, column, .. }
            | ArticleError::FrontMatter { line, column, .. }
            | ArticleError::Binary { line, column, .. } = e
            {
                let lines = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
                assert!(line >= 1 && column >= 1 && line <= lines, "{msg}");
            }
        }
    }
});
