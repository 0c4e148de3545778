//! One function per subcommand. stdout carries data only; summaries and
//! progress go to stderr.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use oxigraph::io::{RdfFormat, RdfSerializer};
use yushu_kg::eval::{self, Evaluation};
use yushu_kg::export::{Format as ExportFormat, analytics, csv, dot, gexf, graph, graphml, json};
use yushu_kg::extract::Extractor;
use yushu_kg::pipeline::{self, DataDir, Report};
use yushu_kg::query::{self, OutputFormat};
use yushu_kg::source::reference::Reference;
use yushu_kg::source::{article, skeleton};
use yushu_kg::store::{Store, StoreError, StoreLocation};
use yushu_kg::{explain, query::write_table};

use crate::args::{Args, Command, DumpFormat, Limits, LoadFormat};

/// Whether the error is a closed stdout (`yushu-kg dump | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(broken)
            || matches!(e.downcast_ref::<query::QueryError>(), Some(query::QueryError::Io(io)) if broken(io))
            // A serialiser may keep only the message of the write error.
            || e.to_string().contains("Broken pipe (os error 32)")
    })
}

/// The exit code for an error: 3 for a query stopped by its limits (the
/// timeout or the row budget), else 1.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let stopped = |e: &StoreError| {
        matches!(
            e,
            StoreError::Timeout | StoreError::RowBudget(_) | StoreError::ConcatBudget(_)
        )
    };
    let timeout = err.chain().any(|e| {
        e.downcast_ref::<StoreError>().is_some_and(stopped)
            || matches!(
                e.downcast_ref::<query::QueryError>(),
                Some(query::QueryError::Store(s)) if stopped(s)
            )
    });
    if timeout { 3 } else { 1 }
}

struct Ui {
    quiet: bool,
}

impl Ui {
    /// A progress bar on a terminal; on a pipe or file, a `key=value` line
    /// per stage and at most one a second for the articles; nothing if quiet.
    fn progress(&self) -> Progress {
        let mode = if self.quiet {
            Mode::Off
        } else if std::io::stderr().is_terminal() {
            Mode::Bar(indicatif::ProgressBar::hidden())
        } else {
            Mode::Lines
        };
        Progress {
            mode,
            started: Instant::now(),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            last_line: Mutex::new(Instant::now()),
        }
    }

    fn say(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }
}

enum Mode {
    Off,
    Bar(indicatif::ProgressBar),
    Lines,
}

/// Progress of a build or add, as the terminal or a log wants it.
struct Progress {
    mode: Mode,
    started: Instant,
    done: AtomicU64,
    total: AtomicU64,
    last_line: Mutex<Instant>,
}

impl Progress {
    fn line(&self, done: u64) {
        eprintln!(
            "progress articles={done} total={} elapsed={:.2}",
            self.total.load(Ordering::Relaxed),
            self.started.elapsed().as_secs_f64()
        );
    }
}

impl pipeline::Progress for Progress {
    fn stage(&self, name: &str) {
        match &self.mode {
            Mode::Off => {}
            Mode::Bar(bar) => {
                bar.set_message(name.to_owned());
                if bar.is_hidden() {
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                            .expect("a valid template"),
                    );
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            }
            Mode::Lines => eprintln!(
                "progress stage={name:?} elapsed={:.2}",
                self.started.elapsed().as_secs_f64()
            ),
        }
    }

    fn start(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        if let Mode::Bar(bar) = &self.mode {
            bar.set_length(total);
            bar.set_position(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {human_pos}/{human_len} articles, {per_sec}, eta {eta}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
        }
    }

    fn advance(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        match &self.mode {
            Mode::Off => {}
            Mode::Bar(bar) => bar.inc(n),
            Mode::Lines => {
                // At most one line a second; a busy lock means another thread is printing.
                if let Ok(mut last) = self.last_line.try_lock()
                    && last.elapsed() >= Duration::from_secs(1)
                {
                    *last = Instant::now();
                    self.line(done);
                }
            }
        }
    }

    fn finish(&self) {
        match &self.mode {
            Mode::Off => {}
            Mode::Bar(bar) => {
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                        .expect("a valid template"),
                );
            }
            Mode::Lines => self.line(self.done.load(Ordering::Relaxed)),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Mode::Bar(bar) = &self.mode {
            bar.finish_and_clear();
        }
    }
}

/// Runs the subcommand.
pub fn run(args: Args) -> Result<()> {
    let ui = Ui { quiet: args.quiet };
    match args.command {
        Command::Build {
            data,
            store,
            explain_skips,
            json,
            allow_empty,
            remote_timeout,
        } => {
            let options = pipeline::Options {
                allow_empty,
                remote_timeout: Duration::from_secs_f64(remote_timeout),
                ..pipeline::Options::default()
            };
            build(&ui, &data, &store.store, explain_skips, json, &options)
        }
        Command::Add {
            data,
            store,
            files,
            remote_timeout,
        } => {
            let stdin = Path::new(article::STDIN);
            let options = pipeline::Options {
                remote_timeout: Duration::from_secs_f64(remote_timeout),
                stdin: if files.iter().any(|f| f == stdin) {
                    Some(article::read_stdin_bytes(stdin, std::io::stdin().lock())?)
                } else {
                    None
                },
                ..pipeline::Options::default()
            };
            add(&ui, &data, &store.store, &files, &options)
        }
        Command::New {
            input,
            output,
            id,
            title,
            date,
            publisher,
            url,
        } => {
            let meta = skeleton::Metadata {
                id,
                title,
                date,
                publisher,
                url,
            };
            new_article(&input, output.as_deref(), &meta)
        }
        Command::Remove { store, ids } => remove(&ui, store.store.dir()?, &ids),
        Command::Load {
            store,
            format,
            input,
            allow_empty,
        } => load(&ui, store.store.dir()?, format, &input, allow_empty),
        Command::Query {
            store,
            format,
            timeout,
            row_budget,
            concat_budget,
            limit,
            offset,
            queries,
            query,
        } => run_query(
            Store::open_read_only(store.store.dir()?)?
                .with_row_budget(row_budget)
                .with_concat_budget(concat_budget),
            format,
            timeout,
            (offset, limit),
            &queries,
            &query,
        ),
        Command::Queries { queries } => list_queries(&queries),
        Command::Export {
            store,
            format,
            output,
            funding,
            types,
            construct,
            queries,
        } => export(
            store.store.dir()?,
            format,
            output.as_deref(),
            funding,
            &types,
            construct.as_deref(),
            &queries,
        ),
        Command::Stats { store, top, json } => stats(store.store.dir()?, top, json),
        Command::Serve {
            store,
            bind,
            limits,
            queries,
        } => serve(&ui, store.store.dir()?, &bind, limits, queries),
        Command::Dump { store, format } => dump(store.store.dir()?, format),
        Command::Explain {
            store,
            json,
            entity,
        } => explain_entity(store.store.dir()?, json, &entity),
        Command::Eval {
            data,
            verbose,
            json,
            gold,
        } => evaluate(&data, verbose, json, &gold),
    }
}

fn stdout() -> BufWriter<std::io::StdoutLock<'static>> {
    BufWriter::new(std::io::stdout().lock())
}

fn summarize(ui: &Ui, verb: &str, report: &Report, explain_skips: bool) {
    let entities: usize = report.entities.values().sum();
    let facts: usize = report.facts.values().sum();
    ui.say(&format!(
        "{verb} {} article(s) into {} in {:.2}s: {entities} entities, {facts} facts, {} quads{}",
        report.articles,
        report.store.display(),
        report.elapsed.as_secs_f64(),
        report.quads,
        if verb == "added" { " written" } else { "" }
    ));
    let line = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    ui.say(&format!("  entities: {}", line(&report.entities)));
    ui.say(&format!("  facts:    {}", line(&report.facts)));
    if !report.skipped.is_empty() {
        ui.say(&format!(
            "  {} sentence(s) with figures gave no fact{}",
            report.skipped.len(),
            if explain_skips {
                ":"
            } else {
                " (--explain-skips lists them)"
            }
        ));
        if explain_skips {
            for d in &report.skipped {
                ui.say(&format!(
                    "    {}:{}-{}: {}",
                    d.article, d.span.start, d.span.end, d.message
                ));
            }
        }
    }
}

fn build(
    ui: &Ui,
    data: &Path,
    store: &StoreLocation,
    explain_skips: bool,
    json: bool,
    options: &pipeline::Options,
) -> Result<()> {
    let report = {
        let progress = ui.progress();
        pipeline::build(&DataDir::new(data), store, options, &progress)
    };
    let report = report.with_context(|| format!("building {store} from {}", data.display()))?;
    if json {
        let mut out = stdout();
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        out.flush()?;
    }
    summarize(ui, "built", &report, explain_skips);
    Ok(())
}

fn add(
    ui: &Ui,
    data: &Path,
    store: &StoreLocation,
    files: &[PathBuf],
    options: &pipeline::Options,
) -> Result<()> {
    let report = {
        let progress = ui.progress();
        pipeline::add(&DataDir::new(data), store, files, options, &progress)
    };
    let report = report.with_context(|| format!("adding to {store}"))?;
    summarize(ui, "added", &report, false);
    Ok(())
}

fn new_article(input: &Path, output: Option<&Path>, meta: &skeleton::Metadata) -> Result<()> {
    let bytes = if input == Path::new(article::STDIN) {
        article::read_stdin_bytes(input, std::io::stdin().lock())?
    } else {
        std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not UTF-8 at byte {}",
            input.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let file = skeleton::article_file(input, &text, meta)?;
    match output {
        None => {
            let mut out = stdout();
            out.write_all(file.as_bytes())?;
            out.flush()?;
            Ok(())
        }
        Some(path) => {
            // Never over a file the user has: create_new refuses one that exists.
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .with_context(|| {
                    format!(
                        "cannot create {} (new never writes over a file)",
                        path.display()
                    )
                })?;
            out.write_all(file.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))
        }
    }
}

fn remove(ui: &Ui, store: &Path, ids: &[String]) -> Result<()> {
    let report = pipeline::remove(store, ids)
        .with_context(|| format!("removing from {}", store.display()))?;
    ui.say(&format!(
        "removed {} article(s) from {} in {:.2}s",
        report.articles,
        report.store.display(),
        report.elapsed.as_secs_f64(),
    ));
    Ok(())
}

fn load(ui: &Ui, store: &Path, format: LoadFormat, input: &Path, allow_empty: bool) -> Result<()> {
    let started = Instant::now();
    let format = match format {
        LoadFormat::Nquads => RdfFormat::NQuads,
        LoadFormat::Ntriples => RdfFormat::NTriples,
        LoadFormat::Trig => RdfFormat::TriG,
        LoadFormat::Turtle => RdfFormat::Turtle,
    };
    let quads = if input == Path::new("-") {
        pipeline::load(&mut std::io::stdin().lock(), format, store, allow_empty)
    } else {
        let mut file = std::fs::File::open(input)
            .with_context(|| format!("cannot open {}", input.display()))?;
        pipeline::load(&mut file, format, store, allow_empty)
    }
    .with_context(|| format!("loading {} into {}", input.display(), store.display()))?;
    ui.say(&format!(
        "loaded {quads} quads into {} in {:.2}s",
        store.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

fn run_query(
    store: Store,
    format: Option<OutputFormat>,
    timeout: Option<f64>,
    (offset, limit): (usize, Option<usize>),
    queries: &Path,
    arg: &str,
) -> Result<()> {
    let text = query::query_text(arg, queries)?;
    let timeout = timeout.map(Duration::from_secs_f64);
    if let Some(limit) = timeout {
        watchdog(limit);
    }
    let format = match format {
        Some(format) => format,
        None if std::io::stdout().is_terminal() => OutputFormat::Table,
        None => OutputFormat::Csv,
    };
    // Bounded in bytes, then parsed, checked on its algebra, run and
    // written on a thread with a stack for the deepest query accepted: the
    // parser and the evaluator recurse once per level of nesting.
    query::guard::on_query_stack(|| -> Result<()> {
        let parsed = query::guard::check(&text, query::guard::Limits::DEFAULT)?;
        // Parsed once, by the guard: not again by the store.
        let parsed = query::paged(parsed, offset, limit);
        let results = store.query_parsed(parsed, None, timeout)?;
        let mut out = stdout();
        query::write_results(results, format, &mut out)?;
        out.flush()?;
        Ok(())
    })
}

/// Ends the process as a timed-out query (exit code 3) when it is still
/// running a moment after its timeout. Oxigraph checks the query's
/// cancellation between rows, but not inside a sort or a grouping that
/// gathers every row first: without this, `query --timeout 1` of a sorted
/// listing ran to its end, seconds later.
fn watchdog(limit: Duration) {
    const GRACE: Duration = Duration::from_millis(250);
    std::thread::spawn(move || {
        std::thread::sleep(limit + GRACE);
        eprintln!("error: {}", yushu_kg::store::StoreError::Timeout);
        std::process::exit(3);
    });
}

fn list_queries(dir: &Path) -> Result<()> {
    let named = query::named_queries(dir)
        .with_context(|| format!("listing queries in {}", dir.display()))?;
    let mut out = stdout();
    let rows: Vec<Vec<String>> = named
        .into_iter()
        .map(|q| vec![q.name, q.description])
        .collect();
    write_table(&["name".to_owned(), "answers".to_owned()], &rows, &mut out)?;
    out.flush()?;
    Ok(())
}

fn create(path: &Path) -> Result<Box<dyn Write>> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(Box::new(BufWriter::new(file)))
}

fn export(
    store: &Path,
    format: ExportFormat,
    output: Option<&Path>,
    funding: graph::FundingAs,
    types: &[String],
    construct: Option<&str>,
    queries: &Path,
) -> Result<()> {
    let store = Store::open_read_only(store)?;
    let mut g = match construct {
        Some(q) => graph::construct_graph(&store, &query::query_text(q, queries)?)?,
        None => graph::entity_graph_with(&store, funding)?,
    };
    if !types.is_empty() {
        g = graph::keep_types(&g, types);
    }
    let m = analytics::measure(&g);
    let to_stdout = output.is_none_or(|p| p == Path::new("-"));
    if format == ExportFormat::Csv {
        let Some(prefix) = output.filter(|_| !to_stdout) else {
            anyhow::bail!(
                "--format csv writes two files\nhint: give a prefix: -o yushu writes yushu.nodes.csv and yushu.edges.csv"
            );
        };
        let with = |ext: &str| {
            let mut p = prefix.as_os_str().to_owned();
            p.push(ext);
            PathBuf::from(p)
        };
        let mut nodes = create(&with(".nodes.csv"))?;
        csv::write_nodes_csv(&g, &m, &mut nodes)?;
        nodes.flush()?;
        let mut edges = create(&with(".edges.csv"))?;
        csv::write_edges_csv(&g, &mut edges)?;
        edges.flush()?;
        return Ok(());
    }
    let mut out: Box<dyn Write> = match output {
        Some(p) if !to_stdout => create(p)?,
        _ => Box::new(stdout()),
    };
    match format {
        ExportFormat::Graphml => graphml::write_graphml(&g, &m, &mut out)?,
        ExportFormat::Gexf => gexf::write_gexf(&g, &m, &mut out)?,
        ExportFormat::Dot => dot::write_dot(&g, &m, &mut out)?,
        ExportFormat::Json => json::write_json(&g, &m, &mut out)?,
        ExportFormat::Csv => unreachable!("handled above"),
    }
    out.flush()?;
    Ok(())
}

fn serve(ui: &Ui, store: &Path, bind: &str, limits: Limits, queries: PathBuf) -> Result<()> {
    let store = Store::open_read_only(store)?
        .with_row_budget(limits.row_budget)
        .with_concat_budget(limits.concat_budget);
    let named = query::named_queries(&queries)
        .with_context(|| format!("cannot read the named queries in {}", queries.display()))?;
    let opts = yushu_kg::serve::ServeOptions {
        timeout: Duration::from_secs_f64(limits.timeout),
        max_body: limits.max_body,
        named,
        max_connections: limits.max_connections,
        max_connections_per_client: limits.max_connections_per_client,
    };
    let quiet = ui.quiet;
    yushu_kg::serve::serve(
        store,
        bind,
        opts,
        limits.threads,
        |addr| eprintln!("listening on http://{addr}/ (Ctrl-C stops)"),
        move |line| {
            if !quiet {
                eprintln!("{line}");
            }
        },
        |stop| {
            let _ = ctrlc::set_handler(stop);
        },
    )?;
    ui.say("stopped");
    Ok(())
}

fn stats(store: &Path, top: usize, as_json: bool) -> Result<()> {
    let store = Store::open_read_only(store)?;
    let stats = analytics::stats(&graph::entity_graph(&store)?, top);
    let mut out = stdout();
    if as_json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    writeln!(
        out,
        "{} entities, {} edges, {} components\n",
        stats.nodes,
        stats.edges,
        stats.components.len()
    )?;
    let rows: Vec<Vec<String>> = stats
        .by_type
        .iter()
        .map(|(k, n)| vec![k.clone(), n.to_string()])
        .collect();
    write_table(&["type".to_owned(), "entities".to_owned()], &rows, &mut out)?;
    writeln!(out)?;
    let rows: Vec<Vec<String>> = stats
        .central
        .iter()
        .map(|c| {
            vec![
                c.label.clone(),
                c.kind.clone(),
                c.degree.to_string(),
                format!("{:.3}", c.betweenness),
                format!("{:.4}", c.pagerank),
            ]
        })
        .collect();
    let header = ["most central", "type", "degree", "betweenness", "pagerank"].map(String::from);
    write_table(&header, &rows, &mut out)?;
    out.flush()?;
    Ok(())
}

fn dump(store: &Path, format: DumpFormat) -> Result<()> {
    let store = Store::open_read_only(store)?;
    let quads = store.sorted_quads()?;
    let rdf_format = match format {
        DumpFormat::Nquads => RdfFormat::NQuads,
        DumpFormat::Trig => RdfFormat::TriG,
    };
    let mut out = stdout();
    let mut w = RdfSerializer::from_format(rdf_format).for_writer(&mut out);
    for q in &quads {
        w.serialize_quad(q)?;
    }
    w.finish()?;
    out.flush()?;
    Ok(())
}

fn explain_entity(store: &Path, json: bool, name: &str) -> Result<()> {
    let store = Store::open_read_only(store)?;
    let iris = explain::resolve(&store, name)?;
    if iris.is_empty() {
        return Err(explain::ExplainError::NotFound(name.to_owned()).into());
    }
    let mut out = stdout();
    for iri in iris {
        let facts = explain::explain(&store, &iri)?;
        if json {
            for f in &facts {
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({"entity": iri, "fact": f.fact, "source": f.source, "sentence": f.sentence}),
                )?;
                writeln!(out)?;
            }
            continue;
        }
        writeln!(out, "{iri}")?;
        for f in &facts {
            writeln!(out, "  {}", f.fact)?;
            writeln!(out, "    from {}", f.source)?;
            if !f.sentence.is_empty() {
                writeln!(out, "    {}", f.sentence)?;
            }
        }
        if facts.is_empty() {
            writeln!(out, "  (no facts)")?;
        }
    }
    out.flush()?;
    Ok(())
}

fn evaluate(data: &Path, verbose: bool, json: bool, gold: &[PathBuf]) -> Result<()> {
    let reference_dir = DataDir::new(data).reference();
    let reference = Reference::read(&reference_dir)
        .with_context(|| format!("reading {}", reference_dir.display()))?;
    let extractor = Extractor::new(&reference);
    let mut total = Evaluation::default();
    let mut per_file = Vec::new();
    for g in gold {
        let e = eval::evaluate(&extractor, g)?;
        total.merge(&e);
        per_file.push((g.clone(), e));
    }
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({
                "total": total,
                "files": per_file.iter().map(|(p, e)| serde_json::json!({"gold": p, "evaluation": e})).collect::<Vec<_>>(),
            }),
        )?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    let mut blocks: Vec<(String, &Evaluation)> = per_file
        .iter()
        .map(|(p, e)| (p.display().to_string(), e))
        .collect();
    if per_file.len() > 1 {
        blocks.push(("all".to_owned(), &total));
    }
    for (name, e) in blocks {
        writeln!(out, "{name}")?;
        let mut rows = Vec::new();
        for kind in eval::KINDS {
            if let Some(s) = e.scores.get(kind) {
                rows.push(vec![
                    kind.to_owned(),
                    s.gold.to_string(),
                    s.extracted.to_string(),
                    s.matched.to_string(),
                    format!("{:.2}", s.precision()),
                    format!("{:.2}", s.recall()),
                    format!("{:.2}", s.f1()),
                ]);
            }
        }
        for attr in eval::ATTRIBUTES {
            if let Some((ok, n)) = e.attributes.get(attr) {
                rows.push(vec![
                    format!("funding.{attr}"),
                    n.to_string(),
                    String::new(),
                    ok.to_string(),
                    String::new(),
                    String::new(),
                    format!("{:.2}", if *n == 0 { 1.0 } else { *ok as f64 / *n as f64 }),
                ]);
            }
        }
        let header = ["kind", "gold", "extracted", "matched", "P", "R", "F1"].map(String::from);
        write_table(&header, &rows, &mut out)?;
        if verbose {
            for kind in eval::KINDS {
                if let Some(s) = e.scores.get(kind) {
                    for m in &s.missed {
                        writeln!(out, "  missed   {kind}: {m}")?;
                    }
                    for m in &s.spurious {
                        writeln!(out, "  spurious {kind}: {m}")?;
                    }
                }
            }
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}
