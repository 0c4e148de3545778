//! Stopping a query where Oxigraph's own cancellation does not reach.
//!
//! Oxigraph 0.5 checks its `CancellationToken` when it reads a quad, not
//! while it joins, groups, sorts or filters the rows it already holds: an
//! aggregate over a product of patterns ran for minutes past its time
//! limit, holding gigabytes. So before a query runs, [`watched`] puts a
//! call to a function of ours wherever rows can be made or taken in
//! without a row coming out: above every product (a join whose sides share
//! no variable) and on the input of every aggregate, sort, `DISTINCT`,
//! `REDUCED`, slice and `MINUS`. The call is bound to a variable of ours
//! (`BIND`) and projected away at once, so the query's answer is
//! unchanged. It is a `BIND`, not a `FILTER`: a filter that names the
//! variables of both sides of a join makes the optimizer evaluate the
//! join as a loop over the store, 50 to 75 times slower (measured on a
//! product of the seed store). It takes no arguments: a `BIND` is
//! evaluated once per row whatever it names, and arguments cost time
//! (one per variable in scope cost 40 µs a row in a debug build).
//!
//! A filter over a product may drop every row the product makes, and the
//! optimizer may move it below the check that was above the product; so
//! each conjunct `c` of such a filter becomes `IF(awake(), c, false)`,
//! which reads the token and counts nothing. The conjunct's variables
//! are unchanged, so it is placed where it was.
//!
//! A `GROUP_CONCAT` holds one string per group that grows with every row
//! taken in, which the row budget bounds only by the rows: each one's
//! expression is passed through [`JOINED`], which returns its argument,
//! counts its bytes and the separator's, and stops the evaluation past
//! [`Budget::concat_bytes`].
//!
//! Each call of `alive` counts one row and reads the token. Once the token is
//! cancelled (the time limit) or the rows pass the budget, it unwinds the
//! evaluation with [`std::panic::resume_unwind`], which runs no panic hook
//! and prints nothing, and [`Caught`], around every step of the
//! evaluation, turns that into an error: [`QueryEvaluationError::Cancelled`]
//! for the time limit, [`RowBudget`] for the rows. The unwinding drops the
//! evaluation's iterators and buffers on the way, so their memory is
//! returned at once.

#[cfg(panic = "abort")]
compile_error!(
    "store::watch stops a query by unwinding its evaluation: build with panic = \"unwind\""
);

use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError};
use spargebra::Query;
use spargebra::algebra::{
    AggregateExpression, AggregateFunction, Expression, Function, GraphPattern,
};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern, Variable};

/// The function [`watched`] calls. Not a public name: a query that calls it
/// itself only adds a check.
pub const ALIVE: &str = "https://w3id.org/yushu-kg/internal#alive";

/// The function a filter over a product calls: it reads the token and
/// counts nothing, for a filter holds no rows.
pub const AWAKE: &str = "https://w3id.org/yushu-kg/internal#awake";

/// The function every `GROUP_CONCAT`'s expression is passed through: it
/// returns its argument and counts its bytes.
pub const JOINED: &str = "https://w3id.org/yushu-kg/internal#joined";

/// The most rows an evaluation makes in its products or takes in through
/// the operators that hold them (aggregates, sorts, `DISTINCT`): about a
/// gigabyte at the worst.
pub const DEFAULT_ROW_BUDGET: u64 = 10_000_000;

/// The most bytes the `GROUP_CONCAT`s of one evaluation may join (64 MiB):
/// each row's string and separator, counted as they are taken in.
pub const DEFAULT_CONCAT_BUDGET: u64 = 64 * 1024 * 1024;

/// What one evaluation may hold: rows and joined bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// See [`DEFAULT_ROW_BUDGET`].
    pub rows: u64,
    /// See [`DEFAULT_CONCAT_BUDGET`].
    pub concat_bytes: u64,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            rows: DEFAULT_ROW_BUDGET,
            concat_bytes: DEFAULT_CONCAT_BUDGET,
        }
    }
}

/// The unwinding payload of a stopped evaluation.
struct Stop;

/// Why a query was stopped: it took in more rows than its budget.
#[derive(Clone, Debug, thiserror::Error)]
#[error(
    "it made or held more than {max} rows in its products, sorts and aggregates; \
     narrow its patterns or raise --row-budget"
)]
pub struct RowBudget {
    /// The budget.
    pub max: u64,
}

/// Why a query was stopped: its `GROUP_CONCAT`s joined more bytes than
/// its budget.
#[derive(Clone, Debug, thiserror::Error)]
#[error(
    "its GROUP_CONCATs joined more than {max} bytes; \
     narrow the groups or raise --concat-budget"
)]
pub struct ConcatBudget {
    /// The budget, in bytes.
    pub max: u64,
}

/// One evaluation's watch: its token, the rows seen and the bytes joined.
pub struct Watch {
    token: CancellationToken,
    rows: AtomicU64,
    joined: AtomicU64,
    budget: Budget,
    over_budget: AtomicBool,
    over_concat: AtomicBool,
}

impl Watch {
    /// A watch on `token`, stopping past the budget's rows or bytes.
    pub fn new(token: CancellationToken, budget: Budget) -> Watch {
        Watch {
            token,
            rows: AtomicU64::new(0),
            joined: AtomicU64::new(0),
            budget,
            over_budget: AtomicBool::new(false),
            over_concat: AtomicBool::new(false),
        }
    }

    /// The function a `GROUP_CONCAT`'s expression is passed through: its
    /// argument, its bytes and the separator's (the second argument)
    /// counted, and a stop once they pass the budget or the time is out.
    pub fn joined(&self, args: &[Term]) -> Option<Term> {
        let value = args.first()?;
        let bytes = |t: Option<&Term>| match t {
            Some(Term::Literal(l)) => l.value().len() as u64,
            Some(other) => other.to_string().len() as u64,
            None => 0,
        };
        let n = bytes(Some(value)) + bytes(args.get(1));
        let seen = self.joined.fetch_add(n, Ordering::Relaxed) + n;
        if seen > self.budget.concat_bytes {
            self.over_concat.store(true, Ordering::Relaxed);
            panic::resume_unwind(Box::new(Stop));
        }
        if self.token.is_cancelled() {
            panic::resume_unwind(Box::new(Stop));
        }
        Some(value.clone())
    }

    /// The function [`watched`] calls: one row more, and a stop once the
    /// time or the budget is out.
    pub fn alive(&self, _: &[Term]) -> Option<Term> {
        let seen = self.rows.fetch_add(1, Ordering::Relaxed);
        if seen >= self.budget.rows {
            self.over_budget.store(true, Ordering::Relaxed);
            panic::resume_unwind(Box::new(Stop));
        }
        if self.token.is_cancelled() {
            panic::resume_unwind(Box::new(Stop));
        }
        Some(Literal::from(true).into())
    }

    /// The function a filter over a product calls: a stop once the time is
    /// out. A filter that drops every row of a product would otherwise
    /// leave the checks above it nothing to see.
    pub fn awake(&self, _: &[Term]) -> Option<Term> {
        if self.token.is_cancelled() {
            panic::resume_unwind(Box::new(Stop));
        }
        Some(Literal::from(true).into())
    }

    /// Runs one step of the evaluation, turning a stop into its error.
    /// Any other panic goes on.
    pub fn step<T>(&self, f: impl FnOnce() -> T) -> Result<T, QueryEvaluationError> {
        match panic::catch_unwind(AssertUnwindSafe(f)) {
            Ok(v) => Ok(v),
            Err(payload) if payload.is::<Stop>() => Err(self.error()),
            Err(payload) => panic::resume_unwind(payload),
        }
    }

    fn error(&self) -> QueryEvaluationError {
        if self.over_budget.load(Ordering::Relaxed) {
            QueryEvaluationError::Dataset(Box::new(RowBudget {
                max: self.budget.rows,
            }))
        } else if self.over_concat.load(Ordering::Relaxed) {
            QueryEvaluationError::Dataset(Box::new(ConcatBudget {
                max: self.budget.concat_bytes,
            }))
        } else {
            QueryEvaluationError::Cancelled
        }
    }
}

/// An iterator of results read under a [`Watch`]: after a stop, one error,
/// then the end (the evaluation it unwound is not resumed).
pub struct Caught<I> {
    inner: Option<I>,
    watch: std::sync::Arc<Watch>,
}

impl<I> Caught<I> {
    /// `inner`, read under `watch`.
    pub fn new(inner: I, watch: std::sync::Arc<Watch>) -> Caught<I> {
        Caught {
            inner: Some(inner),
            watch,
        }
    }
}

impl<T, I: Iterator<Item = Result<T, QueryEvaluationError>>> Iterator for Caught<I> {
    type Item = Result<T, QueryEvaluationError>;

    fn next(&mut self) -> Option<Self::Item> {
        let inner = self.inner.as_mut()?;
        match self.watch.step(|| inner.next()) {
            Ok(next) => next,
            Err(e) => {
                // Dropped here, not resumed.
                self.inner = None;
                Some(Err(e))
            }
        }
    }
}

/// `query` with the checks of this module's header in place.
pub fn watched(query: Query) -> Query {
    let mut w = Rewrite::default();
    match query {
        Query::Select {
            dataset,
            pattern,
            base_iri,
        } => Query::Select {
            dataset,
            pattern: w.pattern(pattern),
            base_iri,
        },
        Query::Construct {
            template,
            dataset,
            pattern,
            base_iri,
        } => Query::Construct {
            template,
            dataset,
            pattern: w.pattern(pattern),
            base_iri,
        },
        Query::Describe {
            dataset,
            pattern,
            base_iri,
        } => Query::Describe {
            dataset,
            pattern: w.pattern(pattern),
            base_iri,
        },
        Query::Ask {
            dataset,
            pattern,
            base_iri,
        } => Query::Ask {
            dataset,
            pattern: w.pattern(pattern),
            base_iri,
        },
    }
}

/// The start of the name of every variable a check is bound to. Not a name
/// a query can write: SPARQL's grammar refuses `-` in a variable's name.
const CHECK_PREFIX: &str = "yushu-kg-alive-";

fn is_check_variable(v: &Variable) -> bool {
    v.as_str().starts_with(CHECK_PREFIX)
}

/// The call that checks one row (see the header on why it has no
/// arguments).
fn alive() -> Expression {
    Expression::FunctionCall(
        Function::Custom(NamedNode::new_unchecked(ALIVE)),
        Vec::new(),
    )
}

/// One query's rewriting: each check gets a variable of its own, so that
/// two checks never join, nor make the two sides of a `MINUS` share a
/// variable.
#[derive(Default)]
struct Rewrite {
    next: usize,
}

impl Rewrite {
    fn variable(&mut self) -> Variable {
        self.next += 1;
        Variable::new_unchecked(format!("{CHECK_PREFIX}{}", self.next))
    }

    /// `inner` (watched), each of its rows checked, with no projection, so
    /// that the blank nodes it shares with the patterns beside it (a
    /// property path's steps are joined by blank nodes) still join.
    fn product_check(&mut self, inner: GraphPattern) -> GraphPattern {
        GraphPattern::Extend {
            inner: Box::new(inner),
            variable: self.variable(),
            expression: alive(),
        }
    }

    /// `inner` (watched), each of its rows checked, its variables as they
    /// were: the input of an operator that holds rows, whose output is
    /// what the query sees.
    fn input_check(&mut self, inner: GraphPattern) -> GraphPattern {
        let mut variables = Vec::new();
        let mut seen = HashSet::new();
        inner.on_in_scope_variable(|v| {
            if !is_check_variable(v) && seen.insert(v) {
                variables.push(v.clone())
            }
        });
        GraphPattern::Project {
            inner: Box::new(self.product_check(inner)),
            variables,
        }
    }

    /// `inner`, watched, each of its rows checked (once: a product under an
    /// aggregate is checked where it is made).
    fn checked(&mut self, inner: GraphPattern) -> Box<GraphPattern> {
        let inner = self.pattern(inner);
        if is_check(&inner) {
            Box::new(inner)
        } else {
            Box::new(self.input_check(inner))
        }
    }

    fn boxed(&mut self, inner: GraphPattern) -> Box<GraphPattern> {
        Box::new(self.pattern(inner))
    }

    fn pattern(&mut self, pattern: GraphPattern) -> GraphPattern {
        use GraphPattern as P;
        match pattern {
            P::Bgp { patterns } if !is_connected(&patterns) => {
                self.product_check(P::Bgp { patterns })
            }
            p @ (P::Bgp { .. } | P::Path { .. } | P::Values { .. } | P::Service { .. }) => p,
            P::Join { left, right } => {
                let product = is_product(&left, &right);
                let join = P::Join {
                    left: self.boxed(*left),
                    right: self.boxed(*right),
                };
                if product {
                    self.product_check(join)
                } else {
                    join
                }
            }
            P::LeftJoin {
                left,
                right,
                expression,
            } => P::LeftJoin {
                left: self.boxed(*left),
                right: self.boxed(*right),
                expression,
            },
            P::Lateral { left, right } => P::Lateral {
                left: self.boxed(*left),
                right: self.boxed(*right),
            },
            P::Filter { expr, inner } => P::Filter {
                expr: if has_product(&inner) {
                    awake_in(expr)
                } else {
                    expr
                },
                inner: self.boxed(*inner),
            },
            P::Union { left, right } => P::Union {
                left: self.boxed(*left),
                right: self.boxed(*right),
            },
            P::Graph { name, inner } => P::Graph {
                name,
                inner: self.boxed(*inner),
            },
            P::Extend {
                inner,
                variable,
                expression,
            } => P::Extend {
                inner: self.boxed(*inner),
                variable,
                expression,
            },
            P::Minus { left, right } => P::Minus {
                left: self.checked(*left),
                right: self.checked(*right),
            },
            P::OrderBy { inner, expression } => P::OrderBy {
                inner: self.checked(*inner),
                expression,
            },
            P::Project { inner, variables } => P::Project {
                inner: self.boxed(*inner),
                variables,
            },
            P::Distinct { inner } => P::Distinct {
                inner: self.checked(*inner),
            },
            P::Reduced { inner } => P::Reduced {
                inner: self.checked(*inner),
            },
            P::Slice {
                inner,
                start,
                length,
            } => P::Slice {
                inner: self.checked(*inner),
                start,
                length,
            },
            P::Group {
                inner,
                variables,
                aggregates,
            } => P::Group {
                inner: self.checked(*inner),
                variables,
                aggregates: aggregates
                    .into_iter()
                    .map(|(v, a)| (v, counted_concat(a)))
                    .collect(),
            },
        }
    }
}

/// A `GROUP_CONCAT` whose expression is passed through [`JOINED`], with
/// its separator, so that its bytes are counted; other aggregates as they
/// were.
fn counted_concat(aggregate: AggregateExpression) -> AggregateExpression {
    match aggregate {
        AggregateExpression::FunctionCall {
            name: AggregateFunction::GroupConcat { separator },
            expr,
            distinct,
        } => {
            let separator_term = Expression::Literal(Literal::new_simple_literal(
                separator.as_deref().unwrap_or(" "),
            ));
            AggregateExpression::FunctionCall {
                expr: Expression::FunctionCall(
                    Function::Custom(NamedNode::new_unchecked(JOINED)),
                    vec![expr, separator_term],
                ),
                name: AggregateFunction::GroupConcat { separator },
                distinct,
            }
        }
        other => other,
    }
}

/// Whether `pattern` is a check (either kind) of [`Rewrite`].
fn is_check(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Extend { variable, .. } => is_check_variable(variable),
        GraphPattern::Project { inner, .. } => {
            matches!(&**inner, GraphPattern::Extend { variable, .. } if is_check_variable(variable))
        }
        _ => false,
    }
}

/// The names that join `pattern` to what is beside it: its variables in
/// scope and the blank nodes of its triple patterns and paths (which join
/// like variables within a group).
fn joining_names(pattern: &GraphPattern) -> Vec<String> {
    fn term(t: &TermPattern, out: &mut Vec<String>) {
        if let TermPattern::BlankNode(b) = t {
            out.push(format!("_:{}", b.as_str()));
        }
    }
    fn blanks(p: &GraphPattern, out: &mut Vec<String>) {
        use GraphPattern as P;
        match p {
            P::Bgp { patterns } => {
                for t in patterns {
                    term(&t.subject, out);
                    term(&t.object, out);
                }
            }
            P::Path {
                subject, object, ..
            } => {
                term(subject, out);
                term(object, out);
            }
            // A subquery's blank nodes are its own.
            P::Project { .. } | P::Group { .. } => {}
            p => children(p).for_each(|c| blanks(c, out)),
        }
    }
    let mut names = Vec::new();
    pattern.on_in_scope_variable(|v| names.push(format!("?{}", v.as_str())));
    blanks(pattern, &mut names);
    names
}

/// Whether a join of `left` and `right` is a product: no variable or
/// blank node of one side is on the other.
fn is_product(left: &GraphPattern, right: &GraphPattern) -> bool {
    let on_left: HashSet<String> = joining_names(left).into_iter().collect();
    !joining_names(right).iter().any(|n| on_left.contains(n))
}

/// `expr` with each of its conjuncts `c` read as `IF(awake(), c, false)`:
/// the same value, the same variables, so the optimizer places each
/// conjunct where it placed it before, and each evaluation reads the token.
fn awake_in(expr: Expression) -> Expression {
    match expr {
        Expression::And(a, b) => Expression::And(Box::new(awake_in(*a)), Box::new(awake_in(*b))),
        c => Expression::If(
            Box::new(Expression::FunctionCall(
                Function::Custom(NamedNode::new_unchecked(AWAKE)),
                Vec::new(),
            )),
            Box::new(c),
            Box::new(Expression::Literal(Literal::from(false))),
        ),
    }
}

/// Whether `pattern` has a product inside.
fn has_product(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Bgp { patterns } => !is_connected(patterns),
        GraphPattern::Join { left, right } if is_product(left, right) => true,
        p => children(p).any(has_product),
    }
}

/// The patterns `pattern` is made of (none for its leaves).
fn children(pattern: &GraphPattern) -> impl Iterator<Item = &GraphPattern> {
    use GraphPattern as P;
    let (first, second): (Option<&GraphPattern>, Option<&GraphPattern>) = match pattern {
        P::Bgp { .. } | P::Path { .. } | P::Values { .. } | P::Service { .. } => (None, None),
        P::Join { left, right }
        | P::LeftJoin { left, right, .. }
        | P::Lateral { left, right }
        | P::Union { left, right }
        | P::Minus { left, right } => (Some(left), Some(right)),
        P::Filter { inner, .. }
        | P::Graph { inner, .. }
        | P::Extend { inner, .. }
        | P::OrderBy { inner, .. }
        | P::Project { inner, .. }
        | P::Distinct { inner }
        | P::Reduced { inner }
        | P::Slice { inner, .. }
        | P::Group { inner, .. } => (Some(inner), None),
    };
    first.into_iter().chain(second)
}

/// Whether the triple patterns of a basic graph pattern are joined into
/// one by their variables and blank nodes: if not, the pattern is a
/// product of its parts.
fn is_connected(patterns: &[TriplePattern]) -> bool {
    fn names(t: &TriplePattern) -> Vec<String> {
        [&t.subject, &t.object]
            .into_iter()
            .filter_map(|term| match term {
                TermPattern::Variable(v) => Some(format!("?{}", v.as_str())),
                TermPattern::BlankNode(b) => Some(format!("_:{}", b.as_str())),
                _ => None,
            })
            .chain(match &t.predicate {
                NamedNodePattern::Variable(v) => Some(format!("?{}", v.as_str())),
                NamedNodePattern::NamedNode(_) => None,
            })
            .collect()
    }
    // A pattern with no variable at all is a check, not a side of a product.
    let named: Vec<Vec<String>> = patterns
        .iter()
        .map(names)
        .filter(|n| !n.is_empty())
        .collect();
    // Which patterns each name is in; then a walk from the first pattern
    // over shared names, each pattern and name taken once: linear in the
    // pattern, as the guard lets a pattern have 20,000 triples.
    let mut with: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, n) in named.iter().enumerate() {
        for x in n {
            with.entry(x).or_default().push(i);
        }
    }
    let mut reached = vec![false; named.len()];
    let mut todo: Vec<usize> = Vec::new();
    if !named.is_empty() {
        reached[0] = true;
        todo.push(0);
    }
    while let Some(i) = todo.pop() {
        for x in &named[i] {
            for j in with.remove(x.as_str()).unwrap_or_default() {
                if !reached[j] {
                    reached[j] = true;
                    todo.push(j);
                }
            }
        }
    }
    reached.iter().all(|&r| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: u64) -> Budget {
        Budget {
            rows,
            ..Budget::default()
        }
    }

    fn parsed(q: &str) -> Query {
        spargebra::SparqlParser::new().parse_query(q).unwrap()
    }

    fn calls(q: &Query) -> usize {
        q.to_string().matches(ALIVE).count()
    }

    #[test]
    fn every_operator_that_holds_rows_gets_a_check_and_plain_patterns_none() {
        for q in [
            "SELECT * { ?s ?p ?o }",
            "SELECT * { ?s ?p ?o . ?o ?q ?r FILTER(?s != ?r) }",
            "SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
            "SELECT * { <x:a> <x:b> <x:c> . ?s ?p ?o . ?s a ?t }",
        ] {
            assert_eq!(calls(&watched(parsed(q))), 0, "{q}");
        }
        for (q, n) in [
            ("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }", 1),
            ("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?c ?e ?f }", 1),
            ("SELECT * { ?a ?b ?c . ?d ?e ?f }", 1),
            ("SELECT * { ?a ?b ?c { ?d ?e ?f } }", 1),
            ("SELECT * { ?a ?b _:x . _:x ?e ?f . ?g ?h ?i }", 1),
            ("SELECT * { ?a ?b ?c } ORDER BY ?a", 1),
            ("SELECT DISTINCT ?a { ?a ?b ?c }", 1),
            ("ASK { ?a ?b ?c . ?d ?e ?f FILTER(?a = ?d) }", 1),
            ("SELECT * { ?a ?b ?c MINUS { ?a ?b ?d } }", 2),
            (
                "SELECT * { { SELECT DISTINCT ?a { ?a ?b ?c } ORDER BY ?a } }",
                2,
            ),
        ] {
            assert_eq!(calls(&watched(parsed(q))), n, "{q}");
        }
    }

    #[test]
    fn a_filter_over_a_product_reads_the_token_in_each_conjunct_and_others_are_kept() {
        let q = watched(parsed(
            "ASK { ?a ?b ?c . ?d ?e ?f FILTER(?a = ?d && ?c != ?f) }",
        ));
        assert_eq!(q.to_string().matches(AWAKE).count(), 2, "{q}");
        for plain in [
            "ASK { ?a ?b ?c . ?c ?e ?f FILTER(?a = ?f && ?b != ?e) }",
            "SELECT * { ?a ?b ?c FILTER(?c > 3) }",
            "SELECT * { { SELECT DISTINCT ?a { ?a ?b ?c } } ?a ?d ?e FILTER(?e > 3) }",
        ] {
            let q = watched(parsed(plain));
            assert!(!q.to_string().contains(AWAKE), "{q}");
        }
    }

    #[test]
    fn the_check_is_projected_away() {
        let q = watched(parsed("SELECT * { ?a ?b ?c . ?d ?e ?f }"));
        let Query::Select { pattern, .. } = q else {
            unreachable!()
        };
        let mut seen = Vec::new();
        pattern.on_in_scope_variable(|v| seen.push(v.as_str().to_owned()));
        seen.sort();
        assert_eq!(seen, ["a", "b", "c", "d", "e", "f"]);
    }

    #[test]
    fn the_check_is_a_bind_of_our_variable_above_the_product() {
        let q = watched(parsed("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }"));
        let text = q.to_string();
        assert!(text.contains(&format!("<{ALIVE}>()")), "{text}");
        assert!(!text.contains("FILTER"), "{text}");
        let Query::Select { pattern, .. } = q else {
            unreachable!()
        };
        let mut found = false;
        fn walk(p: &GraphPattern, found: &mut bool) {
            match p {
                GraphPattern::Group { inner, .. } | GraphPattern::Project { inner, .. } => {
                    walk(inner, found)
                }
                GraphPattern::Extend {
                    inner, variable, ..
                } => {
                    if is_check_variable(variable) {
                        *found = matches!(&**inner, GraphPattern::Bgp { .. });
                    } else {
                        walk(inner, found)
                    }
                }
                _ => {}
            }
        }
        walk(&pattern, &mut found);
        assert!(found, "the check sits right above the product: {pattern:?}");
    }

    #[test]
    fn a_cancelled_token_stops_the_next_step_with_cancelled() {
        let token = CancellationToken::new();
        let watch = Watch::new(token.clone(), rows(100));
        assert!(watch.step(|| watch.alive(&[])).is_ok());
        token.cancel();
        let stopped = watch.step(|| watch.alive(&[]));
        assert!(matches!(stopped, Err(QueryEvaluationError::Cancelled)));
    }

    #[test]
    fn the_row_past_the_budget_stops_with_the_budget() {
        let watch = Watch::new(CancellationToken::new(), rows(3));
        for _ in 0..3 {
            assert!(watch.step(|| watch.alive(&[])).is_ok());
        }
        let Err(QueryEvaluationError::Dataset(e)) = watch.step(|| watch.alive(&[])) else {
            panic!("the fourth row is stopped");
        };
        assert!(e.to_string().contains("more than 3 rows"), "{e}");
    }

    #[test]
    fn another_panic_is_not_swallowed() {
        let watch = Watch::new(CancellationToken::new(), rows(3));
        let caught = panic::catch_unwind(AssertUnwindSafe(|| watch.step(|| panic!("a bug"))));
        assert!(caught.is_err());
    }
}
