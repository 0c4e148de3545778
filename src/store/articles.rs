//! Replacing and removing article graphs in place (`add`, `remove`), with
//! the garbage collection that keeps the shared graphs exact: a fact or an
//! entity stays only while some article graph supports it.

use std::collections::BTreeSet;

use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Transaction;

use super::{Store, StoreError};
use crate::rdf::{iri, vocab};

impl Store {
    /// Replaces the graph of each article with its quads (none: the article
    /// is removed) and removes the shared facts and entities no article
    /// supports any more, all in one transaction: a reader or a crash sees
    /// the store before or after, never half of it.
    pub fn replace_articles<'a>(
        &self,
        articles: impl IntoIterator<Item = (&'a NamedNode, &'a [Quad])>,
    ) -> Result<(), StoreError> {
        let mut tx = self.inner.start_transaction()?;
        for (graph, quads) in articles {
            let before = Supported::by(&tx, graph)?;
            tx.clear_graph(graph.as_ref())?;
            for q in quads {
                tx.insert(q);
            }
            before.collect_garbage(&mut tx)?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// The shared facts and entities one article graph supports, read before
/// the graph is replaced or removed.
struct Supported {
    facts: BTreeSet<NamedNode>,
    entities: BTreeSet<NamedNode>,
    /// The other names (`ykg:writtenAs`) the graph gives its entities.
    names: Vec<(NamedNode, Term)>,
}

/// The quads of a pattern, read inside a transaction (which sees its own writes).
fn quads_in(
    tx: &Transaction<'_>,
    subject: Option<oxigraph::model::NamedOrBlankNodeRef<'_>>,
    predicate: Option<oxigraph::model::NamedNodeRef<'_>>,
    object: Option<oxigraph::model::TermRef<'_>>,
    graph: Option<oxigraph::model::GraphNameRef<'_>>,
) -> Result<Vec<Quad>, StoreError> {
    Ok(tx
        .quads_for_pattern(subject, predicate, object, graph)
        .collect::<Result<Vec<_>, _>>()?)
}

/// Whether some named graph has a triple `subject predicate object` (any
/// object where none is given). A read error is an error, not a "no": the
/// answer decides what is deleted.
fn in_a_named_graph(
    tx: &Transaction<'_>,
    subject: &NamedNode,
    predicate: oxigraph::model::NamedNodeRef<'_>,
    object: Option<oxigraph::model::TermRef<'_>>,
) -> Result<bool, StoreError> {
    for q in tx.quads_for_pattern(Some(subject.as_ref().into()), Some(predicate), object, None) {
        if !q?.graph_name.is_default_graph() {
            return Ok(true);
        }
    }
    Ok(false)
}

impl Supported {
    /// Direct index reads, not SPARQL: this runs for every `add` and
    /// `remove`, and its cost must not grow with the store.
    fn by(tx: &Transaction<'_>, graph: &NamedNode) -> Result<Supported, StoreError> {
        let subjects = |p| -> Result<BTreeSet<NamedNode>, StoreError> {
            Ok(
                quads_in(tx, None, Some(p), None, Some(graph.as_ref().into()))?
                    .into_iter()
                    .filter_map(|q| match q.subject {
                        NamedOrBlankNode::NamedNode(n) => Some(n),
                        NamedOrBlankNode::BlankNode(_) => None,
                    })
                    .collect(),
            )
        };
        let names = quads_in(
            tx,
            None,
            Some(vocab::WRITTEN_AS),
            None,
            Some(graph.as_ref().into()),
        )?
        .into_iter()
        .filter_map(|q| match q.subject {
            NamedOrBlankNode::NamedNode(n) => Some((n, q.object)),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
        Ok(Supported {
            facts: subjects(vocab::EVIDENCE)?,
            entities: subjects(vocab::MENTIONED_IN)?,
            names,
        })
    }

    /// Removes, among these facts and entities, those that no article
    /// supports any more: a fact whose last evidence went, with the triple
    /// a statement reifies and the role a position gave; an entity no
    /// article mentions, with its description; a name no article writes
    /// an entity with any more.
    fn collect_garbage(&self, tx: &mut Transaction<'_>) -> Result<(), StoreError> {
        use oxigraph::model::vocab::rdf;
        let facts = iri::facts_graph();
        let entities = iri::entities_graph();
        let in_facts = Some(facts.as_ref().into());
        // Whether some article graph still gives `n` a piece of evidence.
        let supported =
            |tx: &Transaction<'_>, n: &NamedNode| in_a_named_graph(tx, n, vocab::EVIDENCE, None);
        for n in &self.facts {
            if supported(tx, n)? {
                continue;
            }
            let own = quads_in(tx, Some(n.as_ref().into()), None, None, in_facts)?;
            let value = |p: oxigraph::model::NamedNodeRef<'static>| {
                own.iter()
                    .filter(move |q| q.predicate == p)
                    .map(|q| &q.object)
            };
            let is = |class: oxigraph::model::NamedNodeRef<'static>| {
                value(rdf::TYPE).any(|t| *t == Term::from(class.into_owned()))
            };
            let mut remove = Vec::new();
            // The triple a statement stands for.
            if is(vocab::STATEMENT)
                && let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(o)) = (
                    value(rdf::SUBJECT).next(),
                    value(rdf::PREDICATE).next(),
                    value(rdf::OBJECT).next(),
                )
            {
                remove.push(Quad::new(s.clone(), p.clone(), o.clone(), facts.clone()));
            }
            // The role a position gave its person, unless another position
            // that some article still supports gives it too.
            if is(vocab::POSITION)
                && let Some(Term::NamedNode(person)) = value(vocab::PERSON_PROP).next()
            {
                for role in value(vocab::ROLE) {
                    let others = quads_in(
                        tx,
                        None,
                        Some(vocab::PERSON_PROP),
                        Some(person.as_ref().into()),
                        in_facts,
                    )?;
                    let mut still_given = false;
                    for other in others {
                        let NamedOrBlankNode::NamedNode(o) = other.subject else {
                            continue;
                        };
                        let gives = |p, object| {
                            tx.contains(oxigraph::model::QuadRef::new(&o, p, object, &facts))
                        };
                        if o != *n
                            && gives(rdf::TYPE, vocab::POSITION.into())?
                            && gives(vocab::ROLE, role.as_ref())?
                            && supported(tx, &o)?
                        {
                            still_given = true;
                            break;
                        }
                    }
                    if !still_given {
                        remove.push(Quad::new(
                            person.clone(),
                            vocab::ROLE.into_owned(),
                            role.clone(),
                            facts.clone(),
                        ));
                    }
                }
            }
            // The fact itself; of anything else (an event), its date.
            let whole = [
                vocab::FUNDING,
                vocab::OBSERVATION,
                vocab::POSITION,
                vocab::STATEMENT,
            ]
            .into_iter()
            .any(is);
            remove.extend(
                own.iter()
                    .filter(|q| whole || q.predicate == vocab::DATE || q.predicate == vocab::YEAR)
                    .cloned(),
            );
            for q in &remove {
                tx.remove(q);
            }
        }
        for (x, name) in &self.names {
            if !in_a_named_graph(tx, x, vocab::WRITTEN_AS, Some(name.as_ref()))? {
                tx.remove(oxigraph::model::QuadRef::new(
                    x,
                    vocab::SKOS_ALT_LABEL,
                    name,
                    &entities,
                ));
            }
        }
        for x in &self.entities {
            if !in_a_named_graph(tx, x, vocab::MENTIONED_IN, None)? {
                for q in quads_in(
                    tx,
                    Some(x.as_ref().into()),
                    None,
                    None,
                    Some(entities.as_ref().into()),
                )? {
                    tx.remove(&q);
                }
            }
        }
        Ok(())
    }
}
