//! Facts to quads, graph by graph.
//!
//! Each triple is written to exactly one graph, so the union default graph
//! never returns it twice:
//!
//! * `graph/reference`: areas, official pairings, gazetteer organisations;
//! * `graph/entities`: type and labels of entities first met in articles;
//! * `graph/facts`: fundings, observations, positions, event dates and
//!   entity-to-entity triples with their `ykg:Statement` nodes;
//! * `graph/article/{id}`: the article, its evidence, the `ykg:evidence`
//!   links from facts to that evidence, `ykg:mentionedIn`, and where each
//!   entity is named (`ykg:mentionSpans`).
//!
//! Shared graphs can receive the same triple from two articles; the store
//! keeps a set, so it is stored once. A triple the reference data already
//! states is not written again from an article: only its evidence link is.

use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};

use crate::facts::{EntityId, EntityKind, Evidence, Extraction, Predicate};
use crate::source::article::Article;
use crate::source::reference::Reference;
use crate::value::DateValue;

use super::iri;
use super::vocab as v;

/// Collects quads of one graph.
struct Sink<'a> {
    graph: GraphName,
    out: &'a mut Vec<Quad>,
}

impl Sink<'_> {
    fn add(&mut self, s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: impl Into<Term>) {
        self.out.push(Quad::new(
            s.clone(),
            p.into_owned(),
            o.into(),
            self.graph.clone(),
        ));
    }
}

fn zh(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "zh")
}

fn en(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

/// Adds the pinyin label of a Chinese name, where it has Chinese characters.
///
/// The tag is written as Oxigraph's parsers normalise it (lower case; tags
/// compare case-insensitively), so a dump loads back byte for byte.
fn add_pinyin(g: &mut Sink<'_>, s: &NamedNode, name: &str) {
    if let Some(p) = pinyin_label(name) {
        g.add(
            s,
            v::RDFS_LABEL,
            Literal::new_language_tagged_literal_unchecked(p, "zh-latn-pinyin"),
        );
    }
}

fn integer(n: impl ToString) -> Literal {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER)
}

fn year(y: i32) -> Literal {
    Literal::new_typed_literal(format!("{y:04}"), xsd::G_YEAR)
}

/// The typed literal of a date at its precision.
pub fn date_literal(d: DateValue) -> Literal {
    let datatype = match d {
        DateValue::Year(_) => xsd::G_YEAR,
        DateValue::YearMonth(..) => xsd::G_YEAR_MONTH,
        DateValue::Day(..) => xsd::DATE,
    };
    Literal::new_typed_literal(d.to_xsd(), datatype)
}

/// The class IRI of an entity kind.
pub fn class_of(kind: EntityKind) -> NamedNode {
    let class = match kind {
        EntityKind::Municipality => v::MUNICIPALITY,
        EntityKind::Province => v::PROVINCE,
        EntityKind::Prefecture => v::PREFECTURE,
        EntityKind::District => v::DISTRICT,
        EntityKind::County => v::COUNTY,
        EntityKind::Hospital => v::HOSPITAL,
        EntityKind::School => v::SCHOOL,
        EntityKind::Company => v::COMPANY,
        EntityKind::GovernmentBody => v::GOVERNMENT_BODY,
        EntityKind::Organization => v::ORGANIZATION,
        EntityKind::Program => v::PROGRAM,
        EntityKind::Person => v::PERSON,
        EntityKind::Event => v::EVENT,
    };
    class.into_owned()
}

/// The property IRI of a predicate.
pub fn predicate_iri(p: Predicate) -> NamedNode {
    match p {
        Predicate::Supports => v::SUPPORTS,
        Predicate::ParticipatesIn => v::PARTICIPATES_IN,
        Predicate::LocatedIn => v::LOCATED_IN,
        Predicate::PairedWith => v::PAIRED_WITH,
        Predicate::PartOf => v::PART_OF,
        Predicate::Affiliation => v::AFFILIATION,
    }
    .into_owned()
}

fn source_iri(url: &str) -> Option<NamedNode> {
    NamedNode::new(url).ok()
}

/// The triples the reference data states, as `(subject, predicate, object)`
/// entity ids, so articles do not state them again.
pub fn reference_relations(reference: &Reference) -> BTreeSet<(EntityId, Predicate, EntityId)> {
    let area = |id: &String| EntityId::Area(id.clone());
    let mut out = BTreeSet::new();
    for a in reference.areas.iter().filter(|a| !a.part_of.is_empty()) {
        out.insert((area(&a.id), Predicate::PartOf, area(&a.part_of)));
    }
    for p in &reference.pairings {
        out.insert((area(&p.district), Predicate::PairedWith, area(&p.county)));
    }
    for o in reference
        .organizations
        .iter()
        .filter(|o| !o.located_in.is_empty())
    {
        let org = EntityId::Org(o.name_zh.clone());
        out.insert((org, Predicate::LocatedIn, area(&o.located_in)));
    }
    out
}

/// What the mapping of one article needs from the reference data: the
/// triples it states (not written again from an article) and the areas the
/// reference graph leaves out until an article names them.
#[derive(Clone, Debug, Default)]
pub struct ReferenceContext {
    relations: BTreeSet<(EntityId, Predicate, EntityId)>,
    /// Areas described in the shared entity graph when an article names
    /// them, with their description quads' (predicate, object) pairs.
    on_mention: std::collections::BTreeMap<String, Vec<(NamedNode, Term)>>,
}

/// The reference context of `reference`.
pub fn reference_context(reference: &Reference) -> ReferenceContext {
    let mut on_mention = std::collections::BTreeMap::new();
    let core = core_areas(reference);
    let source = source_iri(&reference.areas_source.url);
    for a in reference.areas.iter().filter(|a| !core.contains(&a.id)) {
        let mut quads = Vec::new();
        let mut g = Sink {
            graph: iri::entities_graph().into(),
            out: &mut quads,
        };
        describe_area(&mut g, a, source.as_ref());
        on_mention.insert(
            a.id.clone(),
            quads.into_iter().map(|q| (q.predicate, q.object)).collect(),
        );
    }
    ReferenceContext {
        relations: reference_relations(reference),
        on_mention,
    }
}

/// The areas the reference graph always describes: those a pairing or an
/// arrangement names, and the areas they lie in. The country's other
/// areas are described only once an article names them, so that a store,
/// its exports and its statistics hold the places of the corpus, not 3,200.
pub fn core_areas(reference: &Reference) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ends = reference
        .pairings
        .iter()
        .flat_map(|p| [p.district.as_str(), p.county.as_str()])
        .chain(
            reference
                .supports
                .iter()
                .flat_map(|s| [s.supporter.as_str(), s.assisted.as_str()]),
        );
    for end in ends {
        let mut cur = Some(end);
        while let Some(id) = cur {
            if !out.insert(id.to_owned()) {
                break;
            }
            cur = reference
                .area(id)
                .map(|a| a.part_of.as_str())
                .filter(|p| !p.is_empty());
        }
    }
    out
}

fn describe_area(g: &mut Sink<'_>, a: &crate::source::reference::Area, source: Option<&NamedNode>) {
    let s = iri::entity(&EntityId::Area(a.id.clone()));
    g.add(&s, v::RDF_TYPE, class_of(a.area_type.into()));
    g.add(&s, v::RDFS_LABEL, zh(&a.name_zh));
    add_pinyin(g, &s, &a.name_zh);
    if !a.name_en.is_empty() {
        g.add(&s, v::RDFS_LABEL, en(&a.name_en));
    }
    for alias in &a.aliases {
        g.add(&s, v::SKOS_ALT_LABEL, zh(alias));
    }
    for short in &a.short_forms {
        g.add(&s, v::SKOS_ALT_LABEL, zh(short));
    }
    for former in &a.former_names {
        g.add(&s, v::FORMER_NAME, zh(former.name()));
    }
    if !a.code.is_empty() {
        g.add(&s, v::ADMIN_CODE, Literal::new_simple_literal(&a.code));
    }
    if !a.part_of.is_empty() {
        g.add(
            &s,
            v::PART_OF,
            iri::entity(&EntityId::Area(a.part_of.clone())),
        );
    }
    if let Some(src) = source {
        g.add(&s, v::REFERENCE_SOURCE, src.clone());
    }
}

/// The quads of the reference graph: the core areas (see [`core_areas`]),
/// the pairings and the gazetteer's organisations.
pub fn reference_quads(reference: &Reference) -> Vec<Quad> {
    let mut out = Vec::new();
    let mut g = Sink {
        graph: iri::reference_graph().into(),
        out: &mut out,
    };
    let areas_source = source_iri(&reference.areas_source.url);
    let core = core_areas(reference);
    for a in reference.areas.iter().filter(|a| core.contains(&a.id)) {
        describe_area(&mut g, a, areas_source.as_ref());
    }
    let pairings_source = source_iri(&reference.pairings_source.url);
    for p in &reference.pairings {
        let district = EntityId::Area(p.district.clone());
        let county = EntityId::Area(p.county.clone());
        g.add(
            &iri::entity(&district),
            v::PAIRED_WITH,
            iri::entity(&county),
        );
        let st = iri::statement(&district, Predicate::PairedWith, &county);
        statement_node(&mut g, &st, &district, Predicate::PairedWith, &county);
        if let Some(src) = &pairings_source {
            g.add(&st, v::REFERENCE_SOURCE, src.clone());
        }
    }
    let orgs_source = source_iri(&reference.organizations_source.url);
    for o in &reference.organizations {
        let s = iri::entity(&EntityId::Org(o.name_zh.clone()));
        g.add(&s, v::RDF_TYPE, class_of(o.org_type.into()));
        g.add(&s, v::RDFS_LABEL, zh(&o.name_zh));
        add_pinyin(&mut g, &s, &o.name_zh);
        if !o.name_en.is_empty() {
            g.add(&s, v::RDFS_LABEL, en(&o.name_en));
        }
        for alias in &o.aliases {
            g.add(&s, v::SKOS_ALT_LABEL, zh(alias));
        }
        if !o.located_in.is_empty() {
            g.add(
                &s,
                v::LOCATED_IN,
                iri::entity(&EntityId::Area(o.located_in.clone())),
            );
        }
        if let Some(src) = source_iri(&o.source).or_else(|| orgs_source.clone()) {
            g.add(&s, v::REFERENCE_SOURCE, src);
        }
    }
    out
}

fn statement_node(g: &mut Sink<'_>, st: &NamedNode, s: &EntityId, p: Predicate, o: &EntityId) {
    g.add(st, v::RDF_TYPE, v::STATEMENT.into_owned());
    g.add(st, rdf::SUBJECT, iri::entity(s));
    g.add(st, rdf::PREDICATE, predicate_iri(p));
    g.add(st, rdf::OBJECT, iri::entity(o));
}

/// The quads one article contributes: its own graph plus its share of the
/// shared entity and fact graphs.
pub fn article_quads(
    article: &Article,
    extraction: &Extraction,
    context: &ReferenceContext,
) -> Vec<Quad> {
    let reference_relations = &context.relations;
    let mut own = Vec::new();
    let mut shared_entities = Vec::new();
    let mut shared_facts = Vec::new();
    let mut a = Sink {
        graph: iri::article_graph(&article.id).into(),
        out: &mut own,
    };
    let mut e = Sink {
        graph: iri::entities_graph().into(),
        out: &mut shared_entities,
    };
    let mut f = Sink {
        graph: iri::facts_graph().into(),
        out: &mut shared_facts,
    };

    let art = iri::article(&article.id);
    a.add(&art, v::RDF_TYPE, v::ARTICLE.into_owned());
    a.add(&art, v::TITLE, Literal::new_simple_literal(&article.title));
    if let Some(p) = &article.publisher {
        a.add(&art, v::PUBLISHER, Literal::new_simple_literal(p));
    }
    for author in &article.authors {
        a.add(&art, v::AUTHOR, Literal::new_simple_literal(author));
    }
    if let Some(d) = article.date {
        a.add(&art, v::DATE_PUBLISHED, date_literal(d));
    }
    a.add(
        &art,
        v::LANGUAGE,
        Literal::new_simple_literal(&article.language),
    );
    a.add(&art, v::TEXT, Literal::new_simple_literal(&article.text));
    if let Some(name) = &article.file_name {
        a.add(&art, v::FILE_NAME, Literal::new_simple_literal(name));
    }
    if let Some(url) = article.url.as_deref().and_then(source_iri) {
        a.add(
            &art,
            v::SOURCE_URL,
            Literal::new_typed_literal(url.as_str(), xsd::ANY_URI),
        );
    }

    for entity in extraction.entities.values() {
        let s = iri::entity(&entity.id);
        a.add(&s, v::MENTIONED_IN, art.clone());
        if entity.from_reference {
            // A place of the country the reference graph leaves out: its
            // description goes with the entities articles name.
            if let EntityId::Area(id) = &entity.id
                && let Some(description) = context.on_mention.get(id)
            {
                for (p, o) in description {
                    e.add(&s, p.as_ref(), o.clone());
                }
            }
            continue;
        }
        e.add(&s, v::RDF_TYPE, class_of(entity.kind));
        e.add(&s, v::RDFS_LABEL, zh(&entity.label));
        add_pinyin(&mut e, &s, &entity.label);
        if let Some(label_en) = &entity.label_en {
            e.add(&s, v::RDFS_LABEL, en(label_en));
        }
        for alt in &entity.alt_labels {
            e.add(&s, v::SKOS_ALT_LABEL, zh(alt));
            // Which article gives the name, so that it goes with the last
            // of them (the entities graph holds each label once).
            a.add(&s, v::WRITTEN_AS, zh(alt));
        }
    }

    // Where each entity is named, one literal per entity (the reader marks
    // them): a node per mention would make the store of a dense text several
    // times larger.
    let mut spans: BTreeMap<&EntityId, Vec<String>> = BTreeMap::new();
    for m in &extraction.mentions {
        spans
            .entry(&m.entity)
            .or_default()
            .push(format!("{}-{}", m.span.start, m.span.end));
    }
    for (entity, spans) in spans {
        a.add(
            &iri::entity(entity),
            v::MENTION_SPANS,
            Literal::new_simple_literal(spans.join(" ")),
        );
    }

    // Where an organisation is, as its name suggests (囊谦县人民医院), is not a
    // fact the text states: it stays out of the graph, which holds only the
    // locations an article states (位于…) and the reference data's.

    let mut evidence_written = BTreeSet::new();
    let mut link = |a: &mut Sink<'_>, fact: &NamedNode, ev: &Evidence| {
        let node = iri::evidence(ev.article(), ev.span().start, ev.span().end);
        if evidence_written.insert(ev.span()) {
            a.add(&node, v::RDF_TYPE, v::EVIDENCE_CLASS.into_owned());
            a.add(&node, v::SOURCE, art.clone());
            a.add(&node, v::QUOTE, Literal::new_simple_literal(ev.quote()));
            a.add(&node, v::START, integer(ev.span().start));
            a.add(&node, v::END, integer(ev.span().end));
        }
        a.add(fact, v::EVIDENCE, node);
    };

    for fu in &extraction.fundings {
        let s = iri::funding(fu);
        f.add(&s, v::RDF_TYPE, v::FUNDING.into_owned());
        if let Some(funder) = &fu.funder {
            f.add(&s, v::FUNDER, iri::entity(funder));
        }
        if let Some(recipient) = &fu.recipient {
            f.add(&s, v::RECIPIENT, iri::entity(recipient));
        }
        f.add(
            &s,
            v::AMOUNT,
            Literal::new_typed_literal(fu.amount.to_string(), xsd::DECIMAL),
        );
        if let Some(y) = fu.year {
            f.add(&s, v::YEAR, year(y));
        }
        f.add(
            &s,
            v::SECTOR,
            Literal::new_simple_literal(fu.sector.as_str()),
        );
        if let Some(n) = fu.projects {
            f.add(&s, v::PROJECT_COUNT, integer(n));
        }
        if let Some(q) = fu.qualifier {
            f.add(&s, v::QUALIFIER, Literal::new_simple_literal(q.as_str()));
        }
        link(&mut a, &s, &fu.evidence);
    }

    for ob in &extraction.observations {
        let s = iri::observation(ob);
        f.add(&s, v::RDF_TYPE, v::OBSERVATION.into_owned());
        if let Some(about) = &ob.about {
            f.add(&s, v::ABOUT, iri::entity(about));
        }
        f.add(&s, v::METRIC, Literal::new_simple_literal(&ob.metric));
        f.add(
            &s,
            v::VALUE,
            Literal::new_typed_literal(ob.value.to_string(), xsd::DECIMAL),
        );
        if let Some(max) = ob.value_max {
            f.add(
                &s,
                v::VALUE_MAX,
                Literal::new_typed_literal(max.to_string(), xsd::DECIMAL),
            );
        }
        f.add(&s, v::UNIT, Literal::new_simple_literal(ob.unit));
        if let Some(q) = ob.qualifier {
            f.add(&s, v::QUALIFIER, Literal::new_simple_literal(q.as_str()));
        }
        if let Some(y) = ob.year {
            f.add(&s, v::YEAR, year(y));
        }
        link(&mut a, &s, &ob.evidence);
    }

    for r in &extraction.relations {
        let st = iri::statement(&r.subject, r.predicate, &r.object);
        let key = (r.subject.clone(), r.predicate, r.object.clone());
        if !reference_relations.contains(&key) {
            f.add(
                &iri::entity(&r.subject),
                predicate_iri(r.predicate).as_ref(),
                iri::entity(&r.object),
            );
            statement_node(&mut f, &st, &r.subject, r.predicate, &r.object);
        }
        link(&mut a, &st, &r.evidence);
    }

    for p in &extraction.positions {
        let s = iri::position(p);
        let person = iri::entity(&p.person);
        f.add(&s, v::RDF_TYPE, v::POSITION.into_owned());
        f.add(&s, v::PERSON_PROP, person.clone());
        if let Some(org) = &p.organization {
            f.add(&s, v::ORGANIZATION_PROP, iri::entity(org));
        }
        // ykg:affiliation ranges over organisations only: a post in an area
        // (副县长 of a county) is on the Position alone.
        if let Some(org) = p
            .organization
            .as_ref()
            .filter(|o| !matches!(o, EntityId::Area(_)))
        {
            f.add(&person, v::AFFILIATION, iri::entity(org));
            let st = iri::statement(&p.person, Predicate::Affiliation, org);
            statement_node(&mut f, &st, &p.person, Predicate::Affiliation, org);
            link(&mut a, &st, &p.evidence);
        }
        if let Some(role) = &p.role {
            f.add(&s, v::ROLE, Literal::new_simple_literal(role));
            f.add(&person, v::ROLE, Literal::new_simple_literal(role));
        }
        link(&mut a, &s, &p.evidence);
    }

    for ev in &extraction.events {
        let s = iri::entity(&ev.event);
        if let Some(d) = ev.date {
            // Several articles may name one event, and not all date it: each
            // date and year is a statement with the evidence of the articles
            // that give it, so that it goes with the last of them (`remove`,
            // `add`) and the dates the others give stay.
            for (p, o) in [(v::DATE, date_literal(d)), (v::YEAR, year(d.year()))] {
                f.add(&s, p, o.clone());
                let st = iri::value_statement(&ev.event, p, &o);
                f.add(&st, v::RDF_TYPE, v::STATEMENT.into_owned());
                f.add(&st, rdf::SUBJECT, s.clone());
                f.add(&st, rdf::PREDICATE, p.into_owned());
                f.add(&st, rdf::OBJECT, o);
                link(&mut a, &st, &ev.evidence);
            }
        }
        link(&mut a, &s, &ev.evidence);
    }

    own.extend(shared_entities);
    own.extend(shared_facts);
    own
}

/// A pinyin rendering of a Chinese name, with tone marks, one syllable per
/// character (玉树州 → "Yù shù zhōu"), for readers who do not read Chinese.
/// Characters without a reading (digits, Latin letters, punctuation) are
/// kept as they are. Polyphonic characters take their most common reading.
/// `None` when the name has no Chinese character.
pub fn pinyin_label(name: &str) -> Option<String> {
    use pinyin::ToPinyin;
    let mut words: Vec<String> = Vec::new();
    let mut any = false;
    let mut pending = String::new();
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => {
                if !pending.trim().is_empty() {
                    words.push(std::mem::take(&mut pending).trim().to_owned());
                }
                pending.clear();
                words.push(p.with_tone().to_owned());
                any = true;
            }
            None if c.is_alphanumeric() || c == '+' || c == '-' || c == '.' => pending.push(c),
            None => {
                if !pending.trim().is_empty() {
                    words.push(std::mem::take(&mut pending).trim().to_owned());
                }
                pending.clear();
            }
        }
    }
    if !pending.trim().is_empty() {
        words.push(pending.trim().to_owned());
    }
    if !any {
        return None;
    }
    let text = words.join(" ");
    let mut chars = text.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_labels_have_tone_marks_and_keep_other_characters() {
        assert_eq!(pinyin_label("玉树州").as_deref(), Some("Yù shù zhōu"));
        assert_eq!(pinyin_label("1+10+N").as_deref(), None);
        assert_eq!(
            pinyin_label("“组团式”帮扶").as_deref(),
            Some("Zǔ tuán shì bāng fú")
        );
        assert_eq!(
            pinyin_label("北京—玉树推介会").as_deref(),
            Some("Běi jīng yù shù tuī jiè huì")
        );
    }
}
