//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use yushu_kg::export::Format as ExportFormat;
use yushu_kg::export::graph::FundingAs;
use yushu_kg::query::OutputFormat;
use yushu_kg::store::StoreLocation;

/// Build, query and export a knowledge graph of Beijing's counterpart
/// assistance to Yushu from Chinese news articles.
#[derive(Debug, Parser)]
#[command(name = "yushu-kg", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Quick start:\n  yushu-kg build                      convert data/ into the store at .yushu-kg/store\n  yushu-kg query pairings             run a named query\n  yushu-kg export -o graph.graphml    write the network for Gephi"
)]
pub struct Args {
    /// Say nothing on stderr but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the store lives.
#[derive(Debug, clap::Args)]
pub struct StoreArg {
    /// The store directory; for build and add, also an http:// SPARQL Graph
    /// Store Protocol endpoint (e.g. Oxigraph server's http://host:7878/store).
    #[arg(
        long,
        value_name = "DIR",
        env = "YUSHU_KG_STORE",
        default_value = ".yushu-kg/store"
    )]
    pub store: StoreLocation,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert every article of the data directory and load a new store.
    ///
    /// The new store is written beside the old one and swapped in only when
    /// everything succeeded: a failed build leaves the previous store as it was.
    #[command(
        after_help = "Examples:\n  yushu-kg build --data data --store .yushu-kg/store\n  yushu-kg build --store http://127.0.0.1:7878/store    # an Oxigraph server's Graph Store endpoint"
    )]
    Build {
        /// The data directory (articles/ and reference/).
        #[arg(long, value_name = "DIR", default_value = "data")]
        data: PathBuf,
        /// Where to write the store.
        #[command(flatten)]
        store: StoreArg,
        /// List the sentences with money or figures that produced no fact.
        #[arg(long)]
        explain_skips: bool,
        /// Print the summary as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Write the store even when articles/ holds no article.
        #[arg(long)]
        allow_empty: bool,
        /// With an http:// store: longest a request may go without progress.
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = seconds)]
        remote_timeout: f64,
    },
    /// Add or replace articles in an existing store.
    ///
    /// Each article's named graph is replaced; nothing else changes except
    /// the shared entities and facts it states.
    #[command(
        after_help = "Examples:\n  yushu-kg add data/articles/new-report.txt\n  yushu-kg new --date 2024-06 pasted.txt | yushu-kg add -"
    )]
    Add {
        /// The data directory whose reference data to use.
        #[arg(long, value_name = "DIR", default_value = "data")]
        data: PathBuf,
        /// The store.
        #[command(flatten)]
        store: StoreArg,
        /// Article files; - reads one from stdin (its front matter must give its id).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// With an http:// store: longest a request may go without progress.
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = seconds)]
        remote_timeout: f64,
    },
    /// Write an article file for a pasted text: front matter, then the text.
    ///
    /// The title is the text's first non-empty line unless --title says
    /// otherwise; the id is made of the date and a hash of the text unless
    /// --id gives one. The result is read back as `build` would read it, so
    /// a bad date is an error here, not later.
    #[command(
        after_help = "Examples:\n  pbpaste | yushu-kg new --date 2024-06-12 --publisher 青海日报 -o data/articles/qh-0612.txt\n  yushu-kg new pasted.txt --url https://example.org/a | yushu-kg add -"
    )]
    New {
        /// The pasted text, or - for stdin.
        #[arg(value_name = "FILE", default_value = "-")]
        input: PathBuf,
        /// Write here instead of stdout (never over an existing file).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The article id (letters, digits, '-', '_', '.').
        #[arg(long)]
        id: Option<String>,
        /// The headline, if not the first line.
        #[arg(long)]
        title: Option<String>,
        /// Publication date: YYYY, YYYY-MM or YYYY-MM-DD (relative dates in
        /// the text, 今年 or 去年8月, are read from it).
        #[arg(long, value_parser = xsd_date)]
        date: Option<String>,
        /// The outlet that published it.
        #[arg(long)]
        publisher: Option<String>,
        /// Address of the original.
        #[arg(long)]
        url: Option<String>,
    },
    /// Remove articles, by id, from an existing store.
    ///
    /// Each article's graph goes, and so do the facts and entities that no
    /// other article supports; facts other articles also state keep their
    /// other evidence.
    #[command(after_help = "Example:\n  yushu-kg remove 000_b429af862e07442e")]
    Remove {
        /// The store.
        #[command(flatten)]
        store: StoreArg,
        /// Article ids (the `id` of the front matter, or the file name without extension).
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Load an RDF file (a `dump`, or quads from elsewhere) into a new store.
    ///
    /// Uses the bulk loader; the new store replaces the old one only when
    /// the whole file loaded.
    #[command(
        after_help = "Examples:\n  yushu-kg dump > backup.nq && yushu-kg load backup.nq --store restored\n  zcat quads.nq.gz | yushu-kg load -"
    )]
    Load {
        /// The store to create.
        #[command(flatten)]
        store: StoreArg,
        /// Syntax of the input.
        #[arg(long, short, value_enum, default_value = "nquads")]
        format: LoadFormat,
        /// The file, or - for stdin.
        #[arg(value_name = "FILE")]
        input: PathBuf,
        /// Write the store even when the input holds no quad.
        #[arg(long)]
        allow_empty: bool,
    },
    /// Run a SPARQL query: text, a .rq file, - for stdin, or a named query.
    ///
    /// The default graph is the union of all graphs. A table is printed when
    /// stdout is a terminal, CSV otherwise; --format chooses.
    #[command(
        after_help = "Examples:\n  yushu-kg query pairings\n  yushu-kg query --format json queries/funding.rq\n  yushu-kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'\n  yushu-kg query evidence --limit 100 --offset 200\n  echo 'ASK { ?s ?p ?o }' | yushu-kg query -"
    )]
    Query {
        /// The store.
        #[command(flatten)]
        store: StoreArg,
        /// Output format.
        #[arg(long, short, value_enum)]
        format: Option<OutputFormat>,
        /// Stop the query after this many seconds (exit code 3).
        #[arg(long, value_name = "SECONDS", value_parser = seconds)]
        timeout: Option<f64>,
        /// Stop the query once its products, sorts, aggregates and DISTINCTs
        /// have made or taken in this many rows (exit code 3).
        #[arg(long, value_name = "ROWS", default_value_t = yushu_kg::store::watch::DEFAULT_ROW_BUDGET)]
        row_budget: u64,
        /// Stop the query once its GROUP_CONCATs have joined this many
        /// bytes (exit code 3).
        #[arg(long, value_name = "BYTES", default_value_t = yushu_kg::store::watch::DEFAULT_CONCAT_BUDGET)]
        concat_budget: u64,
        /// Print at most this many rows (solutions) of the answer.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Leave out this many rows (solutions) first.
        #[arg(long, value_name = "N", default_value_t = 0)]
        offset: usize,
        /// Directory of named queries.
        #[arg(long, value_name = "DIR", default_value = "queries")]
        queries: PathBuf,
        /// SPARQL text, a .rq file, -, or a query name.
        #[arg(value_name = "QUERY")]
        query: String,
    },
    /// List the named queries with what each answers.
    #[command(after_help = "Example:\n  yushu-kg queries")]
    Queries {
        /// Directory of named queries.
        #[arg(long, value_name = "DIR", default_value = "queries")]
        queries: PathBuf,
    },
    /// Export the entity network: GraphML or GEXF for Gephi, DOT, CSV, JSON.
    ///
    /// Nodes carry labels (Chinese, English, pinyin), class, colour, size and
    /// network measures (degree, weighted degree, betweenness, PageRank,
    /// component); edges carry the relation and a weight. CSV writes two files,
    /// PREFIX.nodes.csv and PREFIX.edges.csv, as Gephi's spreadsheet import reads them.
    #[command(
        after_help = "Examples:\n  yushu-kg export --format graphml -o yushu.graphml\n  yushu-kg export --format gexf -o yushu.gexf\n  yushu-kg export --format csv -o yushu        # yushu.nodes.csv, yushu.edges.csv\n  yushu-kg export --format json | jq '.nodes | length'\n  yushu-kg export --types Hospital,District,County -o hospitals.graphml\n  yushu-kg export --construct examples/funding-network.rq --format gexf -o funding.gexf"
    )]
    Export {
        /// The store.
        #[command(flatten)]
        store: StoreArg,
        /// Export format.
        #[arg(long, short, value_enum, default_value = "graphml")]
        format: ExportFormat,
        /// Output file (- or absent: stdout); for csv, the prefix of the two files.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Fundings as funder → recipient edges, or as nodes of their own.
        #[arg(long, value_enum, default_value = "edges")]
        funding: FundingAs,
        /// Keep only entities of these classes (comma-separated: Hospital,School).
        #[arg(long, value_name = "CLASSES", value_delimiter = ',')]
        types: Vec<String>,
        /// Export the result of this CONSTRUCT query (a .rq file or a named query) as the graph.
        #[arg(long, value_name = "QUERY")]
        construct: Option<String>,
        /// Directory of named queries, for --construct.
        #[arg(long, value_name = "DIR", default_value = "queries")]
        queries: PathBuf,
    },
    /// Counts by class, the most central entities, and the components of the network.
    #[command(after_help = "Examples:\n  yushu-kg stats\n  yushu-kg stats --top 20 --json")]
    Stats {
        /// The store.
        #[command(flatten)]
        store: StoreArg,
        /// How many central entities to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Serve the store read-only over HTTP: SPARQL at /query, pages at /.
    ///
    /// A SPARQL 1.1 Protocol endpoint (GET and POST, content negotiation,
    /// default-graph-uri and named-graph-uri); UPDATE, Graph Store writes and
    /// SERVICE are refused. / is a query page with the named queries, and
    /// /entity/… shows every fact about an entity with its sentence.
    #[command(
        after_help = "Examples:\n  yushu-kg serve\n  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' http://127.0.0.1:7878/query"
    )]
    Serve {
        /// The store.
        #[command(flatten)]
        store: StoreArg,
        /// Address to listen on (loopback by default; port 0 picks a free one).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
        bind: String,
        /// The endpoint's bounds.
        #[command(flatten)]
        limits: Limits,
        /// Directory of named queries for the query page.
        #[arg(long, value_name = "DIR", default_value = "queries")]
        queries: PathBuf,
    },
    /// Write every quad, sorted, so two builds can be diffed.
    #[command(after_help = "Example:\n  yushu-kg dump > store.nq")]
    Dump {
        /// The store.
        #[command(flatten)]
        store: StoreArg,
        /// Output format.
        #[arg(long, short, value_enum, default_value = "nquads")]
        format: DumpFormat,
    },
    /// Every fact about an entity, with the sentence it came from.
    #[command(
        after_help = "Examples:\n  yushu-kg explain 西城区\n  yushu-kg explain https://w3id.org/yushu-kg/id/area/xicheng"
    )]
    Explain {
        /// The store.
        #[command(flatten)]
        store: StoreArg,
        /// Print JSON lines instead of text.
        #[arg(long)]
        json: bool,
        /// A name or alias as written, or an IRI.
        #[arg(value_name = "ENTITY-OR-IRI")]
        entity: String,
    },
    /// Measure the extractor against gold annotations.
    ///
    /// Each gold file names its article, which must sit beside it.
    #[command(after_help = "Example:\n  yushu-kg eval tests/fixtures/corpus/*/*.gold.json")]
    Eval {
        /// The data directory whose reference data to use.
        #[arg(long, value_name = "DIR", default_value = "data")]
        data: PathBuf,
        /// Also list what was missed and what was spurious.
        #[arg(long, short)]
        verbose: bool,
        /// Print the evaluation as JSON.
        #[arg(long)]
        json: bool,
        /// Gold files (NAME.gold.json).
        #[arg(required = true, value_name = "GOLD")]
        gold: Vec<PathBuf>,
    },
}

/// Formats `load` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LoadFormat {
    /// N-Quads (what `dump` writes).
    Nquads,
    /// N-Triples (into the default graph).
    Ntriples,
    /// TriG.
    Trig,
    /// Turtle (into the default graph).
    Turtle,
}

/// Dump formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DumpFormat {
    /// N-Quads, one quad a line, sorted.
    Nquads,
    /// TriG, graph by graph.
    Trig,
}

/// The longest time limit accepted: one week.
const MAX_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

/// A time limit in seconds: a finite number above zero, at most a week
/// (`nan`, `inf` and `1e20` are usage errors, not a panic).
/// A publication date as the front matter takes it (a usage error, exit 2).
fn xsd_date(s: &str) -> Result<String, String> {
    yushu_kg::value::DateValue::parse_xsd(s.trim())
        .map(|_| s.trim().to_owned())
        .ok_or_else(|| format!("{s:?}: write YYYY, YYYY-MM or YYYY-MM-DD"))
}

fn seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !v.is_finite() || v <= 0.0 {
        return Err(format!(
            "{s:?}: a time limit is a number of seconds above 0"
        ));
    }
    if v > MAX_SECONDS {
        return Err(format!(
            "{s:?}: a time limit is at most {MAX_SECONDS} seconds (a week)"
        ));
    }
    Ok(v)
}

/// How much the endpoint takes on (`serve`).
#[derive(clap::Args, Debug)]
pub struct Limits {
    /// Longest a query may run, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = seconds)]
    pub timeout: f64,
    /// Largest request body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1_048_576)]
    pub max_body: usize,
    /// Requests answered at once (each on a thread of its own).
    #[arg(long, default_value_t = 8)]
    pub threads: usize,
    /// Most connections open at once (503 beyond).
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_connections: usize,
    /// Most connections open at once from one client address (503 beyond).
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub max_connections_per_client: usize,
    /// Most rows one query's products, sorts, aggregates and DISTINCTs may
    /// make or take in (503 beyond).
    #[arg(long, value_name = "ROWS", default_value_t = yushu_kg::store::watch::DEFAULT_ROW_BUDGET)]
    pub row_budget: u64,
    /// Most bytes one query's GROUP_CONCATs may join (503 beyond).
    #[arg(long, value_name = "BYTES", default_value_t = yushu_kg::store::watch::DEFAULT_CONCAT_BUDGET)]
    pub concat_budget: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn time_limits_are_finite_positive_and_bounded() {
        assert_eq!(seconds("2.5"), Ok(2.5));
        for bad in ["nan", "NaN", "inf", "-inf", "1e20", "0", "-1", "soon"] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arguments_are_consistent() {
        Args::command().debug_assert();
    }
}
