//! The domain model: entities, facts and the evidence each fact was read from.
//!
//! Plain data with no knowledge of RDF or of how it was recognised. Every fact
//! type has a required [`Evidence`] field, so a fact without evidence cannot be
//! built. Collections are ordered (`BTreeMap`, sorted `Vec`s) so that the same
//! input always gives the same output.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::source::article::Article;
use crate::source::reference::{AreaType, OrgType};
use crate::source::span::CharSpan;
pub use crate::value::Predicate;
use crate::value::{DateValue, Decimal, Qualifier};

/// The identity of an entity: what its IRI is built from.
///
/// Areas are keyed by their reference slug; everything else by its canonical
/// Chinese name, so the same name in two articles is the same entity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum EntityId {
    /// An administrative area from the reference data (`xicheng`).
    Area(String),
    /// An organisation of any kind, by canonical name.
    Org(String),
    /// A person, by name.
    Person(String),
    /// A programme, model or named project, by name.
    Program(String),
    /// A named event, by name.
    Event(String),
}

impl EntityId {
    /// The key inside its kind: slug or name.
    pub fn key(&self) -> &str {
        match self {
            EntityId::Area(k)
            | EntityId::Org(k)
            | EntityId::Person(k)
            | EntityId::Program(k)
            | EntityId::Event(k) => k,
        }
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            EntityId::Area(_) => "area",
            EntityId::Org(_) => "org",
            EntityId::Person(_) => "person",
            EntityId::Program(_) => "program",
            EntityId::Event(_) => "event",
        };
        write!(f, "{kind}/{}", self.key())
    }
}

/// The class of an entity, named as in the vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum EntityKind {
    /// 北京市
    Municipality,
    /// 青海省
    Province,
    /// 玉树藏族自治州
    Prefecture,
    /// 西城区
    District,
    /// 囊谦县
    County,
    /// 玉树州人民医院
    Hospital,
    /// 玉树州第二民族高级中学
    School,
    /// 依文集团
    Company,
    /// 北京青海玉树指挥部
    GovernmentBody,
    /// Any other organisation.
    Organization,
    /// “1+10+N”
    Program,
    /// 布尼玛
    Person,
    /// 北京—玉树合作交流推介会
    Event,
}

impl EntityKind {
    /// Every kind, in a fixed order.
    pub const ALL: [EntityKind; 13] = [
        EntityKind::Municipality,
        EntityKind::Province,
        EntityKind::Prefecture,
        EntityKind::District,
        EntityKind::County,
        EntityKind::Hospital,
        EntityKind::School,
        EntityKind::Company,
        EntityKind::GovernmentBody,
        EntityKind::Organization,
        EntityKind::Program,
        EntityKind::Person,
        EntityKind::Event,
    ];

    /// The vocabulary's class name (`Hospital`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Municipality => "Municipality",
            EntityKind::Province => "Province",
            EntityKind::Prefecture => "Prefecture",
            EntityKind::District => "District",
            EntityKind::County => "County",
            EntityKind::Hospital => "Hospital",
            EntityKind::School => "School",
            EntityKind::Company => "Company",
            EntityKind::GovernmentBody => "GovernmentBody",
            EntityKind::Organization => "Organization",
            EntityKind::Program => "Program",
            EntityKind::Person => "Person",
            EntityKind::Event => "Event",
        }
    }

    /// The kind named `name` (as [`EntityKind::as_str`] writes it).
    pub fn parse(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether this is an administrative area.
    pub fn is_area(self) -> bool {
        matches!(
            self,
            EntityKind::Municipality
                | EntityKind::Province
                | EntityKind::Prefecture
                | EntityKind::District
                | EntityKind::County
        )
    }

    /// Whether this is an organisation.
    pub fn is_organization(self) -> bool {
        matches!(
            self,
            EntityKind::Hospital
                | EntityKind::School
                | EntityKind::Company
                | EntityKind::GovernmentBody
                | EntityKind::Organization
        )
    }
}

/// A thing the graph has a node for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Identity.
    pub id: EntityId,
    /// Class.
    pub kind: EntityKind,
    /// Canonical Chinese name.
    pub label: String,
    /// English name, where known.
    pub label_en: Option<String>,
    /// Other names: aliases and abbreviations seen or known.
    pub alt_labels: BTreeSet<String>,
    /// Where an organisation is, as its name says (玉树州人民医院 → 玉树州).
    pub located_in: Option<EntityId>,
    /// Whether the reference data describes it (then the graph does not repeat it).
    pub from_reference: bool,
}

/// Where a fact was read: a span of one article, in code points, end
/// exclusive, with its text. Only [`Evidence::new`] makes one, from the
/// article itself, so the quote is always the text of the span.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Evidence {
    article: String,
    span: CharSpan,
    quote: String,
}

impl Evidence {
    /// Evidence for `span` of `article`; the quote is cut from the article
    /// here, so it always matches the span.
    pub fn new(article: &Article, span: CharSpan) -> Evidence {
        Evidence {
            article: article.id.clone(),
            span,
            quote: article.text_at(span).to_owned(),
        }
    }

    /// Id of the article.
    pub fn article(&self) -> &str {
        &self.article
    }

    /// The span of the quote, in code points of the article's text.
    pub fn span(&self) -> CharSpan {
        self.span
    }

    /// The exact text of the span.
    pub fn quote(&self) -> &str {
        &self.quote
    }
}

/// What a sum of money is for, as the vocabulary lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Sector {
    /// Hospitals, health.
    Medical,
    /// Schools, teachers.
    Education,
    /// Industry, employment, agriculture.
    Industry,
    /// Training people, cadres and talent.
    Talent,
    /// Culture and tourism.
    Tourism,
    /// Infrastructure, municipal works.
    Infrastructure,
    /// Housing.
    Housing,
    /// Everything together.
    Total,
    /// None of the above.
    Other,
}

impl Sector {
    /// The vocabulary's string.
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Medical => "medical",
            Sector::Education => "education",
            Sector::Industry => "industry",
            Sector::Talent => "talent",
            Sector::Tourism => "tourism",
            Sector::Infrastructure => "infrastructure",
            Sector::Housing => "housing",
            Sector::Total => "total",
            Sector::Other => "other",
        }
    }
}

/// One reported allocation or investment of money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Funding {
    /// Who gives the money.
    pub funder: Option<EntityId>,
    /// Who or what receives it.
    pub recipient: Option<EntityId>,
    /// Amount in yuan.
    pub amount: Decimal,
    /// The year it is for, when the text ties it to one.
    pub year: Option<i32>,
    /// What it is for.
    pub sector: Sector,
    /// Number of projects it funds, when stated.
    pub projects: Option<u32>,
    /// How exact the amount is.
    pub qualifier: Option<Qualifier>,
    /// Where it was read.
    pub evidence: Evidence,
}

/// One reported figure that is not an allocation of money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// What the figure describes.
    pub about: Option<EntityId>,
    /// What is measured, as written.
    pub metric: String,
    /// The figure.
    pub value: Decimal,
    /// Upper end when the figure is a range.
    pub value_max: Option<Decimal>,
    /// The vocabulary's unit (`person`, `percent` …).
    pub unit: &'static str,
    /// How exact it is.
    pub qualifier: Option<Qualifier>,
    /// The year it is for.
    pub year: Option<i32>,
    /// Where it was read.
    pub evidence: Evidence,
}

/// An entity-to-entity statement read from the text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Relation {
    /// Subject.
    pub subject: EntityId,
    /// Predicate.
    pub predicate: Predicate,
    /// Object.
    pub object: EntityId,
    /// Where it was read.
    pub evidence: Evidence,
}

impl Relation {
    /// `subject predicate object`, read at `evidence`.
    pub fn new(
        subject: EntityId,
        predicate: Predicate,
        object: EntityId,
        evidence: Evidence,
    ) -> Relation {
        Relation {
            subject,
            predicate,
            object,
            evidence,
        }
    }
}

/// A person's title in an organisation, as the text gives it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// The person.
    pub person: EntityId,
    /// The organisation, when named.
    pub organization: Option<EntityId>,
    /// The title as written (党委书记), when given.
    pub role: Option<String>,
    /// Where it was read.
    pub evidence: Evidence,
}

/// A named event and its date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventFact {
    /// The event.
    pub event: EntityId,
    /// When it happened, resolved against the article date.
    pub date: Option<DateValue>,
    /// Where it was read.
    pub evidence: Evidence,
}

/// Something the extractor saw but could not turn into a fact.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Id of the article.
    pub article: String,
    /// The sentence concerned.
    pub span: CharSpan,
    /// What was skipped and why.
    pub message: String,
}

/// A place in an article where an entity is named.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Mention {
    /// The span of the name.
    pub span: CharSpan,
    /// The entity named.
    pub entity: EntityId,
}

/// Everything read from one article.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Extraction {
    /// Id of the article.
    pub article: String,
    /// Entities named in it, by id.
    pub entities: BTreeMap<EntityId, Entity>,
    /// Where each entity is named, in text order.
    pub mentions: Vec<Mention>,
    /// Fundings.
    pub fundings: Vec<Funding>,
    /// Observations.
    pub observations: Vec<Observation>,
    /// Relations (supports, participatesIn, pairedWith, locatedIn …).
    pub relations: Vec<Relation>,
    /// People's titles and organisations.
    pub positions: Vec<Position>,
    /// Dated events.
    pub events: Vec<EventFact>,
    /// What was seen and not turned into a fact.
    pub diagnostics: Vec<Diagnostic>,
}

impl Extraction {
    /// Number of facts of all kinds.
    pub fn fact_count(&self) -> usize {
        self.fundings.len()
            + self.observations.len()
            + self.relations.len()
            + self.positions.len()
            + self.events.len()
    }
}

impl From<AreaType> for EntityKind {
    /// The kind of a reference area.
    fn from(t: AreaType) -> EntityKind {
        match t {
            AreaType::Municipality => EntityKind::Municipality,
            AreaType::Province => EntityKind::Province,
            AreaType::Prefecture => EntityKind::Prefecture,
            AreaType::District => EntityKind::District,
            AreaType::County => EntityKind::County,
        }
    }
}

impl From<OrgType> for EntityKind {
    /// The kind of a gazetteer organisation.
    fn from(t: OrgType) -> EntityKind {
        match t {
            OrgType::Hospital => EntityKind::Hospital,
            OrgType::School => EntityKind::School,
            OrgType::Company => EntityKind::Company,
            OrgType::GovernmentBody => EntityKind::GovernmentBody,
            OrgType::Organization => EntityKind::Organization,
        }
    }
}
