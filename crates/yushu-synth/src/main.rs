//! `yushu-synth`: writes a synthetic corpus of the genre for benchmarks,
//! deterministic from `--seed`: a data directory that `yushu-kg build
//! --data` reads, or the N-Quads a build of it would load.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use yushu_kg::source::reference::Reference;
use yushu_synth::Generator;

/// Write a synthetic corpus of the genre, for benchmarks (deterministic from --seed).
///
/// With --out, a data directory (articles/ and a copy of the reference
/// data) that `yushu-kg build --data` reads; with --nquads, the N-Quads a
/// build of those articles would load, for load-only runs.
#[derive(Debug, Parser)]
#[command(
    name = "yushu-synth",
    version,
    after_help = "Examples:\n  yushu-synth --articles 10000 --out /tmp/corpus10k\n  yushu-synth --articles 10000 --nquads /tmp/corpus10k.nq"
)]
struct Args {
    /// The data directory whose reference data names the areas and organisations.
    #[arg(long, value_name = "DIR", default_value = "data")]
    data: PathBuf,
    /// How many articles.
    #[arg(long, default_value_t = 1000)]
    articles: usize,
    /// The seed: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of the first article (to generate articles beyond an existing corpus).
    #[arg(long, default_value_t = 0)]
    first: usize,
    /// Write a data directory here.
    #[arg(long, value_name = "DIR", required_unless_present = "nquads")]
    out: Option<PathBuf>,
    /// Write the N-Quads of the corpus here (- for stdout).
    #[arg(long, value_name = "FILE")]
    nquads: Option<PathBuf>,
    /// Say nothing on stderr but errors.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<()> {
    let started = Instant::now();
    let say = |line: String| {
        if !args.quiet {
            eprintln!("{line}");
        }
    };
    let range = args.first..args.first + args.articles;
    let reference = Reference::read(&args.data.join("reference"))?;
    let generator = Generator::new(&reference, args.seed);
    if let Some(out) = &args.out {
        let articles = out.join("articles");
        std::fs::create_dir_all(&articles)
            .with_context(|| format!("cannot create {}", articles.display()))?;
        copy_files(&args.data.join("reference"), &out.join("reference"))?;
        let mut bytes = 0;
        for i in range.clone() {
            let text = generator.article(i);
            bytes += text.len();
            let path = articles.join(format!("{}.txt", generator.id(i)));
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        say(format!(
            "wrote {} articles ({:.1} MB) to {} in {:.2}s",
            range.len(),
            bytes as f64 / 1e6,
            articles.display(),
            started.elapsed().as_secs_f64()
        ));
    }
    if let Some(nquads) = &args.nquads {
        let mut sink: Box<dyn Write> = if nquads == Path::new("-") {
            Box::new(std::io::BufWriter::new(std::io::stdout().lock()))
        } else {
            let file = std::fs::File::create(nquads)
                .with_context(|| format!("cannot create {}", nquads.display()))?;
            Box::new(std::io::BufWriter::new(file))
        };
        let quads = yushu_synth::nquads(&reference, &generator, range, &mut sink)
            .context("writing the N-Quads")?;
        sink.flush()?;
        say(format!(
            "wrote {quads} quads to {} in {:.2}s",
            nquads.display(),
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(())
}

/// Copies the files of `from` (not recursively) into `to`.
fn copy_files(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let path = entry?.path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap_or_default()))
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}
