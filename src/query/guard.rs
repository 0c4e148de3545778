//! Bounds on a query before it runs: its size in bytes, then, on the parsed
//! algebra, how deep it nests and how many operators and patterns it has.
//!
//! The SPARQL parser, the evaluator and even dropping a parsed query recurse
//! once per nesting level (and per operator of a chain: `1 + 1 + …` is a tree
//! as deep as it is long), and a thread that runs out of stack aborts the
//! whole process. So a query is first bounded in bytes, which bounds how deep
//! the parser can go; it is parsed, checked and run on a thread whose stack
//! holds the deepest query of that many bytes ([`on_query_stack`]); and the
//! check on the algebra ([`check`]) bounds what the evaluator meets. Text is
//! never counted: a comment, a string or an escaped name (`ex:a\#`) cannot
//! hide anything from the parsed algebra.

use std::collections::HashMap;

use spargebra::algebra::{
    AggregateExpression, AggregateFunction, Expression, Function, GraphPattern, OrderExpression,
    PropertyPathExpression,
};
use spargebra::term::Variable;
use spargebra::{Query, SparqlParser};

/// The bounds a query must stay within.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest query text, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of patterns, expressions and paths.
    pub max_depth: usize,
    /// Most nodes of the algebra (patterns, operators, triple patterns).
    pub max_nodes: usize,
    /// Most times larger than the largest value it reads a string the
    /// query builds may be (see [`Refused::Grows`]).
    pub max_growth: u64,
    /// Most work the planner may spend ordering the query's joins (see
    /// [`Refused::Joins`]).
    pub max_join_work: u64,
}

impl Limits {
    /// The bounds of the command line and the endpoint: far above any
    /// query of `queries/` (the largest has depth 12 and 60 nodes), far
    /// below what overflows the stack of [`on_query_stack`].
    pub const DEFAULT: Limits = Limits {
        max_bytes: 64 * 1024,
        max_depth: 256,
        max_nodes: 20_000,
        max_growth: MAX_GROWTH,
        max_join_work: MAX_JOIN_WORK,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The stack of the thread that parses, checks and runs a query: enough
/// for the parser on the deepest nesting `Limits::DEFAULT.max_bytes` can
/// write, in a debug build. Untouched stack costs no memory.
pub const QUERY_STACK: usize = 1024 * 1024 * 1024;

/// Why a query was refused before it ran.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    /// The text is longer than the bound.
    #[error("the query is {bytes} bytes long; at most {max} are accepted")]
    TooLong {
        /// Its length.
        bytes: usize,
        /// The bound.
        max: usize,
    },
    /// It negates too many brackets: the parser takes time exponential in
    /// nested negations (`!(!(!(…)))`, Oxigraph 0.5's spargebra 0.4.8: 16
    /// levels take 0.35 s in a debug build, and each level doubles it).
    #[error("the query negates {count} brackets (`!(`); at most {max} are accepted")]
    Negations {
        /// How many `!(` it has.
        count: usize,
        /// The bound.
        max: usize,
    },
    /// It does not parse.
    #[error("{0}")]
    Syntax(String),
    /// It nests deeper than the bound.
    #[error("the query nests {depth} levels deep or more; at most {max} are accepted")]
    TooDeep {
        /// How deep it goes (counting stops just past the bound).
        depth: usize,
        /// The bound.
        max: usize,
    },
    /// It calls another endpoint: this tool is built without an HTTP
    /// client, and an endpoint must not be made a proxy.
    #[error("SERVICE calls are disabled: the query calls out to another endpoint")]
    Service,
    /// It builds a string many times larger than the values it reads: a
    /// `BIND(CONCAT(?a, ?a) AS ?b)` doubles, and twenty-six of them in 900
    /// bytes built 1 GB in a debug build's first two seconds, in one
    /// evaluation of one row that no time limit could stop. Counted on the
    /// algebra: `CONCAT` adds its arguments' sizes, `REPLACE` multiplies by
    /// its replacement's length, `ENCODE_FOR_URI` by 3, and a variable a
    /// `BIND` made carries its size on.
    #[error(
        "the query builds strings up to {factor} times the size of the values it reads \
         (CONCAT, REPLACE or ENCODE_FOR_URI over what a BIND made); at most {max} are accepted"
    )]
    Grows {
        /// The largest factor (saturating).
        factor: u64,
        /// The bound.
        max: u64,
    },
    /// It joins so many patterns in one group that ordering the joins
    /// would take longer than any timeout, and no timeout reaches it:
    /// Oxigraph plans a query before it reads a quad. Its planner orders
    /// each group's joins greedily, in time that grows with the cube of the
    /// patterns joined and with the size of each (debug build, patterns
    /// that match nothing: 64 triple patterns that share a subject take
    /// 0.77 s, 100 take 4.5 s, and 32 groups of 32 `UNION`s 6 s; a chain
    /// of 400 took 14.7 s). Counted on the algebra, for each group of
    /// joined patterns (a triple pattern counts alone, a nested group or
    /// `UNION` as one): its patterns³ × the operators and patterns it holds,
    /// summed over the query.
    #[error(
        "the query joins up to {widest} patterns in one group: ordering its joins would take \
         the query planner, which no timeout stops, {work} units of work (for each group, its \
         patterns cubed times its operators and patterns); at most {max} (one group of 64 \
         triple patterns) are accepted"
    )]
    Joins {
        /// The most patterns joined in one group.
        widest: usize,
        /// The work counted, summed over the groups (saturating).
        work: u64,
        /// The bound.
        max: u64,
    },
    /// It has more operators and patterns than the bound.
    #[error("the query has {nodes} operators and patterns or more; at most {max} are accepted")]
    TooLarge {
        /// How many (counting stops just past the bound).
        nodes: usize,
        /// The bound.
        max: usize,
    },
}

/// Checks `query` against `limits`: its length, then its parsed algebra.
/// Call it on a thread with [`QUERY_STACK`] (see [`on_query_stack`]): the
/// parser recurses once per level of nesting.
pub fn check(query: &str, limits: Limits) -> Result<Query, Refused> {
    check_with_base(query, None, limits)
}

/// [`check`], with relative IRIs resolved against `base` (the endpoint's
/// address, as the SPARQL Protocol asks).
pub fn check_with_base(query: &str, base: Option<&str>, limits: Limits) -> Result<Query, Refused> {
    if query.len() > limits.max_bytes {
        return Err(Refused::TooLong {
            bytes: query.len(),
            max: limits.max_bytes,
        });
    }
    // Counted on the text, generously (in strings and comments too): it can
    // only refuse more, never let a nested negation through.
    let negations = negations(query);
    if negations > MAX_NEGATIONS {
        return Err(Refused::Negations {
            count: negations,
            max: MAX_NEGATIONS,
        });
    }
    let mut parser = SparqlParser::new();
    if let Some(base) = base {
        parser = parser
            .with_base_iri(base)
            .map_err(|e| Refused::Syntax(format!("base IRI {base:?}: {e}")))?;
    }
    let parsed = parser
        .parse_query(query)
        .map_err(|e| Refused::Syntax(e.to_string()))?;
    let mut walk = Walk {
        limits,
        nodes: 0,
        deepest: 0,
        services: 0,
    };
    let pattern = match &parsed {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    walk.pattern(pattern, 1);
    if walk.deepest > limits.max_depth {
        return Err(Refused::TooDeep {
            depth: walk.deepest,
            max: limits.max_depth,
        });
    }
    if walk.nodes > limits.max_nodes {
        return Err(Refused::TooLarge {
            nodes: walk.nodes,
            max: limits.max_nodes,
        });
    }
    if walk.services > 0 {
        return Err(Refused::Service);
    }
    let mut growth = Growth::default();
    growth.pattern(pattern);
    if growth.worst > limits.max_growth {
        return Err(Refused::Grows {
            factor: growth.worst,
            max: limits.max_growth,
        });
    }
    let mut planning = Planning::default();
    planning.pattern(pattern);
    if planning.work > limits.max_join_work {
        return Err(Refused::Joins {
            widest: planning.widest,
            work: planning.work,
            max: limits.max_join_work,
        });
    }
    Ok(parsed)
}

/// The operands of `e`, in order (none for a term, a variable, `BOUND` or
/// `EXISTS`, whose pattern is not an expression).
fn operands(e: &Expression) -> impl Iterator<Item = &Expression> {
    let (pair, list): (Vec<&Expression>, &[Expression]) = match e {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_)
        | Expression::Exists(_) => (Vec::new(), &[]),
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => (vec![a, b], &[]),
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => (vec![a], &[]),
        Expression::In(a, list) => (vec![a], list),
        Expression::If(a, b, c) => (vec![a, b, c], &[]),
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => (Vec::new(), list),
    };
    pair.into_iter().chain(list)
}

/// The patterns and expressions directly inside `p`: its patterns first,
/// then its expressions (a filter's, an `OPTIONAL`'s, a `BIND`'s, the sort
/// keys, the aggregates' arguments), each in order. A basic graph pattern,
/// a path and `VALUES` have none.
fn parts(p: &GraphPattern) -> (Vec<&GraphPattern>, Vec<&Expression>) {
    use GraphPattern as P;
    match p {
        P::Bgp { .. } | P::Path { .. } | P::Values { .. } => (Vec::new(), Vec::new()),
        P::Join { left, right }
        | P::Union { left, right }
        | P::Minus { left, right }
        | P::Lateral { left, right } => (vec![left, right], Vec::new()),
        P::LeftJoin {
            left,
            right,
            expression,
        } => (vec![left, right], expression.iter().collect()),
        P::Filter { expr, inner } => (vec![inner], vec![expr]),
        P::Extend {
            inner, expression, ..
        } => (vec![inner], vec![expression]),
        P::OrderBy { inner, expression } => {
            let keys = expression.iter().map(|o| match o {
                OrderExpression::Asc(e) | OrderExpression::Desc(e) => e,
            });
            (vec![inner], keys.collect())
        }
        P::Group {
            inner, aggregates, ..
        } => {
            let arguments = aggregates.iter().filter_map(|(_, a)| match a {
                AggregateExpression::FunctionCall { expr, .. } => Some(expr),
                AggregateExpression::CountSolutions { .. } => None,
            });
            (vec![inner], arguments.collect())
        }
        P::Graph { inner, .. }
        | P::Project { inner, .. }
        | P::Distinct { inner }
        | P::Reduced { inner }
        | P::Slice { inner, .. }
        | P::Service { inner, .. } => (vec![inner], Vec::new()),
    }
}

/// The default of [`Limits::max_growth`]: far above the named queries
/// (whose largest is 3), and at most 64 times the largest value of the
/// store (an article's text) or of the query (64 KiB).
pub const MAX_GROWTH: u64 = 64;

/// How much larger than the values it reads each string a query builds
/// may be (see [`Refused::Grows`]). Run after [`Walk`]: the algebra is
/// within the depth bound, so the recursion is too.
#[derive(Default)]
struct Growth {
    /// The factor of each variable a `BIND` or an aggregate made (the
    /// largest, where a name is bound in several places).
    bound: HashMap<Variable, u64>,
    /// The largest factor of any expression.
    worst: u64,
}

impl Growth {
    fn pattern(&mut self, p: &GraphPattern) {
        use GraphPattern as P;
        match p {
            P::Extend {
                inner,
                variable,
                expression,
            } => {
                self.pattern(inner);
                let factor = self.expression(expression);
                self.bind(variable, factor);
            }
            P::Group {
                inner, aggregates, ..
            } => {
                self.pattern(inner);
                for (variable, a) in aggregates {
                    let factor = match a {
                        AggregateExpression::CountSolutions { .. } => 1,
                        AggregateExpression::FunctionCall { name, expr, .. } => {
                            let factor = self.expression(expr);
                            match name {
                                AggregateFunction::Min
                                | AggregateFunction::Max
                                | AggregateFunction::Sample
                                | AggregateFunction::GroupConcat { .. }
                                | AggregateFunction::Custom(_) => factor,
                                _ => 1,
                            }
                        }
                    };
                    self.bind(variable, factor);
                }
            }
            // The inner patterns first: their BINDs reach the expressions.
            p => {
                let (patterns, expressions) = parts(p);
                for inner in patterns {
                    self.pattern(inner);
                }
                for e in expressions {
                    self.expression(e);
                }
            }
        }
    }

    fn bind(&mut self, variable: &Variable, factor: u64) {
        let entry = self.bound.entry(variable.clone()).or_insert(1);
        *entry = (*entry).max(factor);
    }

    /// The factor of `e`'s value; every subexpression's goes into `worst`.
    fn expression(&mut self, e: &Expression) -> u64 {
        // The largest factor among `e`'s operands, each visited.
        let mut largest =
            |e: &Expression| operands(e).map(|x| self.expression(x)).fold(1, u64::max);
        let factor = match e {
            Expression::Variable(v) => self.bound.get(v).copied().unwrap_or(1),
            Expression::If(a, b, c) => {
                self.expression(a);
                self.expression(b).max(self.expression(c))
            }
            Expression::Coalesce(_) => largest(e),
            Expression::FunctionCall(Function::Concat, list) => list
                .iter()
                .map(|x| self.expression(x))
                .fold(0, u64::saturating_add)
                .max(1),
            Expression::FunctionCall(Function::Replace, list) => {
                let factors: Vec<u64> = list.iter().map(|x| self.expression(x)).collect();
                let replacement = match list.get(2) {
                    Some(Expression::Literal(l)) => l.value().chars().count() as u64,
                    _ => factors.get(2).copied().unwrap_or(1),
                };
                factors[0].saturating_mul(replacement.max(1))
            }
            Expression::FunctionCall(Function::EncodeForUri, _) => largest(e).saturating_mul(3),
            Expression::FunctionCall(..) => largest(e),
            Expression::Exists(p) => {
                self.pattern(p);
                1
            }
            // Numbers, booleans and terms: no longer than what they read.
            e => {
                largest(e);
                1
            }
        };
        self.worst = self.worst.max(factor);
        factor
    }
}

/// The default of [`Limits::max_join_work`]: one group of 64 triple
/// patterns (64³ × 64), which the planner orders in under a second in a
/// debug build; the named queries' largest is 7,505.
pub const MAX_JOIN_WORK: u64 = 64 * 64 * 64 * 64;

/// The work Oxigraph's planner spends ordering joins (see
/// [`Refused::Joins`]). Run after [`Walk`]: the algebra is within the depth
/// bound, so the recursion is too.
#[derive(Default)]
struct Planning {
    /// Summed over the groups, saturating.
    work: u64,
    /// The most patterns joined in one group.
    widest: usize,
}

impl Planning {
    /// Counts the groups in `p`; returns how many operators and patterns
    /// `p` holds.
    fn pattern(&mut self, p: &GraphPattern) -> u64 {
        use GraphPattern as P;
        match p {
            P::Join { .. } | P::Bgp { .. } => {
                // The planner flattens a tree of joins, and the triple
                // patterns of each basic graph pattern in it, into one list
                // it orders.
                let (mut joined, mut size, mut todo) = (0usize, 0u64, vec![p]);
                while let Some(p) = todo.pop() {
                    match p {
                        P::Join { left, right } => {
                            todo.push(right);
                            todo.push(left);
                        }
                        P::Bgp { patterns } => {
                            joined += patterns.len();
                            size += patterns.len() as u64;
                        }
                        other => {
                            joined += 1;
                            size = size.saturating_add(self.pattern(other));
                        }
                    }
                }
                // A triple pattern is one operand of one node, and so is a
                // group of one: 64 triple patterns joined weigh 64⁴, in a
                // basic graph pattern or in groups of their own.
                if joined > 1 {
                    let n = joined as u64;
                    let work = n.saturating_mul(n).saturating_mul(n).saturating_mul(size);
                    self.work = self.work.saturating_add(work);
                    self.widest = self.widest.max(joined);
                }
                size
            }
            p => {
                let (patterns, expressions) = parts(p);
                // A `COUNT(*)` is an aggregate with no argument: one node.
                let counts = match p {
                    P::Group { aggregates, .. } => aggregates
                        .iter()
                        .filter(|(_, a)| matches!(a, AggregateExpression::CountSolutions { .. }))
                        .count() as u64,
                    _ => 0,
                };
                let mut size = 1 + counts;
                for inner in patterns {
                    size = size.saturating_add(self.pattern(inner));
                }
                for e in expressions {
                    size = size.saturating_add(self.expression(e));
                }
                size
            }
        }
    }

    /// Counts the groups in `e`'s `EXISTS`; returns its size.
    fn expression(&mut self, e: &Expression) -> u64 {
        match e {
            Expression::Exists(p) => self.pattern(p).saturating_add(1),
            e => operands(e)
                .map(|x| self.expression(x))
                .fold(1, u64::saturating_add),
        }
    }
}

/// Most `!(` a query may have (see [`Refused::Negations`]).
pub const MAX_NEGATIONS: usize = 12;

/// How many `!` stand before a `(` or another `!`, spaces between allowed.
pub fn negations(query: &str) -> usize {
    let b = query.as_bytes();
    (0..b.len())
        .filter(|&i| {
            b[i] == b'!'
                && b[i + 1..]
                    .iter()
                    .find(|c| !c.is_ascii_whitespace())
                    .is_some_and(|&c| c == b'(' || c == b'!')
        })
        .count()
}

/// Runs `f` on a thread with [`QUERY_STACK`] and waits for it: parsing,
/// checking, running and dropping a query belong there.
pub fn on_query_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("yushu-kg query".to_owned())
            .stack_size(QUERY_STACK)
            .spawn_scoped(scope, f)
            .expect("a thread for the query")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// A walk over the algebra that stops descending just past the bounds, so
/// that its own recursion stays within them.
struct Walk {
    limits: Limits,
    nodes: usize,
    deepest: usize,
    /// `SERVICE` patterns met.
    services: usize,
}

impl Walk {
    /// Counts a node at `depth`; whether to go on below it.
    fn enter(&mut self, depth: usize) -> bool {
        self.nodes += 1;
        self.deepest = self.deepest.max(depth);
        depth <= self.limits.max_depth && self.nodes <= self.limits.max_nodes
    }

    fn pattern(&mut self, p: &GraphPattern, depth: usize) {
        if !self.enter(depth) {
            return;
        }
        let d = depth + 1;
        match p {
            GraphPattern::Bgp { patterns } => self.nodes += patterns.len(),
            GraphPattern::Path { path, .. } => self.path(path, d),
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right }
            | GraphPattern::Lateral { left, right } => {
                self.pattern(left, d);
                self.pattern(right, d);
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left, d);
                self.pattern(right, d);
                if let Some(e) = expression {
                    self.expression(e, d);
                }
            }
            GraphPattern::Filter { expr, inner } => {
                self.expression(expr, d);
                self.pattern(inner, d);
            }
            GraphPattern::Extend {
                inner, expression, ..
            } => {
                self.expression(expression, d);
                self.pattern(inner, d);
            }
            GraphPattern::OrderBy { inner, expression } => {
                for o in expression {
                    match o {
                        OrderExpression::Asc(e) | OrderExpression::Desc(e) => self.expression(e, d),
                    }
                }
                self.pattern(inner, d);
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                for (_, a) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = a {
                        self.expression(expr, d);
                    } else {
                        self.nodes += 1;
                    }
                }
                self.pattern(inner, d);
            }
            GraphPattern::Values { bindings, .. } => self.nodes += bindings.len(),
            GraphPattern::Graph { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner, d),
            GraphPattern::Service { inner, .. } => {
                self.services += 1;
                self.pattern(inner, d);
            }
        }
    }

    fn expression(&mut self, e: &Expression, depth: usize) {
        if !self.enter(depth) {
            return;
        }
        match e {
            Expression::Exists(p) => self.pattern(p, depth + 1),
            e => {
                for x in operands(e) {
                    self.expression(x, depth + 1);
                }
            }
        }
    }

    fn path(&mut self, p: &PropertyPathExpression, depth: usize) {
        if !self.enter(depth) {
            return;
        }
        let d = depth + 1;
        match p {
            PropertyPathExpression::NamedNode(_) => {}
            PropertyPathExpression::NegatedPropertySet(list) => self.nodes += list.len(),
            PropertyPathExpression::Reverse(a)
            | PropertyPathExpression::ZeroOrMore(a)
            | PropertyPathExpression::OneOrMore(a)
            | PropertyPathExpression::ZeroOrOne(a) => self.path(a, d),
            PropertyPathExpression::Sequence(a, b) | PropertyPathExpression::Alternative(a, b) => {
                self.path(a, d);
                self.path(b, d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(q: &str) -> Result<(), Refused> {
        let q = q.to_owned();
        on_query_stack(move || check(&q, Limits::DEFAULT).map(|_| ()))
    }

    #[test]
    fn service_is_found_in_the_algebra_not_the_text() {
        let service = "SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }";
        assert_eq!(checked(service), Err(Refused::Service));
        let silent = "select * { ?a ?b ?c FILTER EXISTS { service silent <http://x> {} } }";
        assert_eq!(checked(silent), Err(Refused::Service));
        // The word in an IRI, a string or a comment is no call.
        let quiet = "SELECT * WHERE { ?s <http://ex/SERVICE> \"SERVICE <http://x> {}\" } # SERVICE";
        assert_eq!(checked(quiet), Ok(()));
    }

    #[test]
    fn relative_iris_need_a_base() {
        let q = "CONSTRUCT { <s> <p> 1 } WHERE {}";
        assert!(matches!(checked(q), Err(Refused::Syntax(_))));
        let with_base = on_query_stack(|| {
            check_with_base(q, Some("http://127.0.0.1:7878/query"), Limits::DEFAULT).map(|_| ())
        });
        assert_eq!(with_base, Ok(()));
    }

    #[test]
    fn a_string_that_doubles_through_binds_is_refused_and_plain_concats_pass() {
        let doubling = |n: usize| {
            let mut q = String::from("SELECT ?z { BIND(\"ab\" AS ?v0)");
            for i in 1..=n {
                q.push_str(&format!(" BIND(CONCAT(?v{p}, ?v{p}) AS ?v{i})", p = i - 1));
            }
            q + &format!(" BIND(?v{n} AS ?z) }}")
        };
        assert_eq!(checked(&doubling(6)), Ok(()));
        assert_eq!(
            checked(&doubling(7)),
            Err(Refused::Grows {
                factor: 128,
                max: MAX_GROWTH
            })
        );
        for bomb in [
            "ASK { ?s ?p ?o BIND(REPLACE(STR(?o), \".\", \"$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0\") AS ?x) BIND(REPLACE(?x, \".\", \"$0$0\") AS ?y) }",
            "ASK { ?s ?p ?o FILTER(STRLEN(CONCAT(?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o,?o)) > 0) }",
            "SELECT ?z { { SELECT (SAMPLE(CONCAT(?o, ?o, ?o, ?o, ?o, ?o, ?o, ?o)) AS ?y) { ?s ?p ?o } } BIND(ENCODE_FOR_URI(ENCODE_FOR_URI(?y)) AS ?z) }",
        ] {
            assert!(
                matches!(checked(bomb), Err(Refused::Grows { .. })),
                "{bomb}"
            );
        }
        for fine in [
            "SELECT ?l { ?s ?p ?o BIND(CONCAT(STR(?s), \" \", STR(?o)) AS ?l) }",
            "SELECT (GROUP_CONCAT(CONCAT(STR(?p), \"=\", STR(?o)); separator=\" \") AS ?d) { ?s ?p ?o }",
            "SELECT ?u { ?s ?p ?o BIND(ENCODE_FOR_URI(REPLACE(STR(?o), \"a\", \"b\")) AS ?u) }",
        ] {
            assert_eq!(checked(fine), Ok(()), "{fine}");
        }
    }

    /// The planner's work [`Planning`] counts on `q`.
    fn join_work(q: &str) -> u64 {
        let q = SparqlParser::new().parse_query(q).unwrap();
        let (Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. }) = &q;
        let mut planning = Planning::default();
        planning.pattern(pattern);
        planning.work
    }

    #[test]
    fn a_group_of_more_than_64_joined_patterns_is_refused_in_any_shape() {
        let star = |n: usize| -> String {
            let t: Vec<String> = (0..n)
                .map(|i| format!("?s <http://x/p{i}> ?o{i}"))
                .collect();
            t.join(" . ")
        };
        let groups = |n: usize| -> String {
            (0..n)
                .map(|i| format!("{{ ?s <http://x/p{i}> ?o{i} }} "))
                .collect()
        };
        let chain =
            |n: usize| -> String { (0..n).map(|i| format!("?v{i} ?p ?v{} . ", i + 1)).collect() };
        let ask = |body: String| format!("ASK {{ {body} }}");
        for shape in [star, groups, chain] {
            assert_eq!(join_work(&ask(shape(64))), MAX_JOIN_WORK);
            assert_eq!(checked(&ask(shape(64))), Ok(()), "{}", shape(64));
            assert!(matches!(
                checked(&ask(shape(65))),
                Err(Refused::Joins { widest: 65, .. })
            ));
        }
        // Patterns joined in a BGP and in groups beside it are one group.
        let mixed = ask(format!("?a ?b ?c . {}", groups(64)));
        assert!(matches!(
            checked(&mixed),
            Err(Refused::Joins { widest: 65, .. })
        ));
        // A group under a UNION or a BIND is its own group, and the work is
        // summed: two of 64 are twice one.
        let two = ask(format!("{{ {} }} UNION {{ {} }}", star(64), star(64)));
        assert_eq!(join_work(&two), 2 * MAX_JOIN_WORK);
        assert!(matches!(
            checked(&two),
            Err(Refused::Joins { widest: 64, .. })
        ));
        let bind = ask(format!("{} BIND(1 AS ?x) {}", star(40), star(40)));
        assert_eq!(checked(&bind), Ok(()));
        let bind = ask(format!("{} BIND(1 AS ?x) ?a ?b ?c", star(65)));
        assert!(matches!(
            checked(&bind),
            Err(Refused::Joins { widest: 65, .. })
        ));
        // Joined operands weigh what they hold: 32 groups of 32 UNIONs
        // (6 s of planning in a debug build) are refused, 16 of 16 pass.
        let unions = |n: usize, k: usize| -> String {
            let ops: String = (0..n)
                .map(|i| {
                    let u: Vec<String> = (0..k)
                        .map(|j| format!("{{ ?s <http://x/p{i}_{j}> ?o{i} }}"))
                        .collect();
                    format!("{{ {} }} ", u.join(" UNION "))
                })
                .collect();
            format!("ASK {{ {ops} }}")
        };
        assert!(matches!(
            checked(&unions(32, 32)),
            Err(Refused::Joins { .. })
        ));
        assert_eq!(checked(&unions(16, 16)), Ok(()));
    }

    #[test]
    fn the_named_queries_are_far_below_the_join_bound() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        let largest = crate::query::named_queries(&dir)
            .unwrap()
            .iter()
            .map(|q| join_work(&q.text))
            .max()
            .unwrap();
        assert!(largest > 0 && largest <= MAX_JOIN_WORK / 100, "{largest}");
    }

    #[test]
    fn the_named_queries_pass() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        for q in crate::query::named_queries(&dir).unwrap() {
            assert_eq!(checked(&q.text), Ok(()), "{}", q.name);
        }
    }

    #[test]
    fn a_comment_or_an_escape_hides_nothing_from_the_algebra() {
        // `ex:a\#` is a prefixed name with an escaped #, not a comment: the
        // nesting after it counts.
        let deep = format!(
            "PREFIX ex: <http://e/> ASK {{ ?s ?p ex:a\\# . FILTER({}1{}) }}",
            "1+(".repeat(2000),
            ")".repeat(2000)
        );
        assert!(matches!(checked(&deep), Err(Refused::TooDeep { .. })));
        let groups = format!("ASK {{ {} }}", "{?s a ?o} ".repeat(30_000));
        assert!(matches!(checked(&groups), Err(Refused::TooLong { .. })));
        // Within the bytes, 2,000 groups parse and are judged on their algebra.
        let groups = format!("ASK {{ {} }}", "{?s a ?o} ".repeat(2_000));
        assert!(!matches!(
            checked(&groups),
            Err(Refused::Syntax(_) | Refused::TooLong { .. })
        ));
        let chain: String = (0..20_000)
            .map(|i| format!("?v{i} ?p ?v{} . ", i + 1))
            .collect();
        assert!(matches!(
            checked(&format!("ASK {{ {chain} }}")),
            Err(Refused::TooLong { .. })
        ));
        let chain: String = (0..12_000).map(|i| format!("?a{i} ?p ?b . ")).collect();
        assert!(matches!(
            checked(&format!("ASK {{ {chain} }}")),
            Err(Refused::TooLong { .. } | Refused::TooLarge { .. })
        ));
    }

    #[test]
    fn the_deepest_text_of_the_largest_size_parses_on_the_query_stack() {
        // Nesting as deep as the byte bound allows parses without a crash:
        // brackets alone leave the algebra flat, so the query may run.
        let n = Limits::DEFAULT.max_bytes / 2 - 20;
        let deep = format!("ASK {{ FILTER({}1{}) }}", "(".repeat(n), ")".repeat(n));
        assert!(deep.len() <= Limits::DEFAULT.max_bytes);
        assert_eq!(checked(&deep), Ok(()));
        let n = Limits::DEFAULT.max_bytes / 4 - 20;
        let sums = format!("ASK {{ FILTER({}1{}) }}", "1+(".repeat(n), ")".repeat(n));
        assert!(matches!(checked(&sums), Err(Refused::TooDeep { .. })));
        // The parser takes time exponential in nested negations: refused
        // before it parses.
        let nots = format!(
            "ASK {{ FILTER({}true{}) }}",
            "!(".repeat(40),
            ")".repeat(40)
        );
        assert!(matches!(checked(&nots), Err(Refused::Negations { .. })));
        let n = Limits::DEFAULT.max_bytes / 3 - 20;
        let sums = format!("ASK {{ FILTER({}) }}", vec!["1"; n].join("+"));
        assert!(matches!(checked(&sums), Err(Refused::TooDeep { .. })));
        let n = Limits::DEFAULT.max_bytes / 2 - 20;
        let groups = format!("ASK {}?s ?p ?o{}", "{".repeat(n), "}".repeat(n));
        assert!(!matches!(
            checked(&groups),
            Err(Refused::Syntax(_) | Refused::TooLong { .. })
        ));
    }
}
