//! The `yushu-kg` command: parses arguments, runs a subcommand, reports
//! errors. Exit codes: 0 success, 1 failure, 2 bad usage, 3 query timeout.

mod args;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = args::Args::parse();
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if commands::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", message(&err));
            ExitCode::from(commands::exit_code(&err))
        }
    }
}

/// The error and its causes, joined by ": ", each said once: Oxigraph's
/// errors repeat their cause in their own text, and a cause already said
/// is left out.
fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cause_already_said_is_not_repeated() {
        let inner = std::io::Error::other("IO error: no CURRENT file");
        let err = anyhow::Error::new(inner)
            .context("cannot open the store at s: IO error: no CURRENT file")
            .context("query failed");
        assert_eq!(
            super::message(&err),
            "query failed: cannot open the store at s: IO error: no CURRENT file"
        );
        let plain = anyhow::anyhow!("outer").context("top");
        assert_eq!(super::message(&plain), "top: outer");
    }
}
