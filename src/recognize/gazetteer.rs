//! Matching reference names in text: areas and well-known organisations,
//! with all their aliases, in one Aho-Corasick automaton (leftmost-longest,
//! so 玉树市 wins over 玉树 and 北京市西城区 over 北京市).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::facts::{EntityId, EntityKind};
use crate::rdf::map::{area_kind, org_kind};
use crate::source::reference::Reference;

/// What a gazetteer name stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GazetteerEntry {
    /// The entity.
    pub id: EntityId,
    /// Its class.
    pub kind: EntityKind,
    /// Its canonical Chinese name.
    pub canonical: String,
    /// Its English name, when known.
    pub label_en: Option<String>,
    /// Area it is in (organisations) or part of (areas).
    pub within: Option<String>,
}

/// A reference name found in text (byte offsets into the searched string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GazetteerMatch {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Index of the entry in [`Gazetteer::entries`].
    pub entry: usize,
}

/// All reference names, ready to match.
#[derive(Clone, Debug)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    /// The entry of each pattern.
    pattern_entry: Vec<usize>,
    patterns: Vec<String>,
    automaton: AhoCorasick,
    /// Area names only, to find places inside longer names.
    area_patterns: Vec<usize>,
    area_automaton: AhoCorasick,
}

impl Gazetteer {
    /// Builds the gazetteer of `reference`.
    pub fn new(reference: &Reference) -> Gazetteer {
        let mut entries = Vec::new();
        let mut patterns: Vec<(String, usize)> = Vec::new();
        for a in &reference.areas {
            let idx = entries.len();
            entries.push(GazetteerEntry {
                id: EntityId::Area(a.id.clone()),
                kind: area_kind(a.area_type),
                canonical: a.name_zh.clone(),
                label_en: (!a.name_en.is_empty()).then(|| a.name_en.clone()),
                within: (!a.part_of.is_empty()).then(|| a.part_of.clone()),
            });
            for name in std::iter::once(&a.name_zh)
                .chain(&a.aliases)
                .chain(&a.former_names)
            {
                patterns.push((name.clone(), idx));
            }
        }
        for o in &reference.organizations {
            let idx = entries.len();
            entries.push(GazetteerEntry {
                id: EntityId::Org(o.name_zh.clone()),
                kind: org_kind(o.org_type),
                canonical: o.name_zh.clone(),
                label_en: (!o.name_en.is_empty()).then(|| o.name_en.clone()),
                within: (!o.located_in.is_empty()).then(|| o.located_in.clone()),
            });
            for name in std::iter::once(&o.name_zh).chain(&o.aliases) {
                patterns.push((name.clone(), idx));
            }
        }
        // Single characters are never names here (京, 青, 玉 are not mentions).
        patterns.retain(|(p, _)| p.chars().count() >= 2);
        patterns.sort();
        patterns.dedup_by(|a, b| a.0 == b.0);
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|(p, _)| p.as_str()))
            .expect("a gazetteer of plain strings always builds");
        let area_patterns: Vec<usize> = (0..patterns.len())
            .filter(|&i| entries[patterns[i].1].kind.is_area())
            .collect();
        let area_automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(area_patterns.iter().map(|&i| patterns[i].0.as_str()))
            .expect("a gazetteer of plain strings always builds");
        Gazetteer {
            entries,
            area_patterns,
            area_automaton,
            pattern_entry: patterns.iter().map(|(_, e)| *e).collect(),
            patterns: patterns.into_iter().map(|(p, _)| p).collect(),
            automaton,
        }
    }

    /// The entries.
    pub fn entries(&self) -> &[GazetteerEntry] {
        &self.entries
    }

    /// Every reference name in `text`, leftmost-longest, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<GazetteerMatch> {
        self.automaton
            .find_iter(text)
            .map(|m| GazetteerMatch {
                start: m.start(),
                end: m.end(),
                entry: self.pattern_entry[m.pattern().as_usize()],
            })
            .collect()
    }

    /// The first match of [`Gazetteer::find`], without finding the rest.
    pub fn first_match(&self, text: &str) -> Option<GazetteerMatch> {
        self.automaton.find(text).map(|m| GazetteerMatch {
            start: m.start(),
            end: m.end(),
            entry: self.pattern_entry[m.pattern().as_usize()],
        })
    }

    /// Every area name in `text`, leftmost-longest, non-overlapping, also
    /// inside organisation names (密云区 in 北京市密云区医院).
    pub fn find_areas(&self, text: &str) -> Vec<GazetteerMatch> {
        self.area_automaton
            .find_iter(text)
            .map(|m| GazetteerMatch {
                start: m.start(),
                end: m.end(),
                entry: self.pattern_entry[self.area_patterns[m.pattern().as_usize()]],
            })
            .collect()
    }

    /// The entry a whole string names, if it is exactly a reference name.
    pub fn lookup(&self, name: &str) -> Option<&GazetteerEntry> {
        self.patterns
            .binary_search_by(|p| p.as_str().cmp(name))
            .ok()
            .map(|i| &self.entries[self.pattern_entry[i]])
    }

    /// The entry of an entity id, if the reference describes it.
    pub fn entry_of(&self, id: &EntityId) -> Option<&GazetteerEntry> {
        self.entries.iter().find(|e| &e.id == id)
    }

    /// All names (canonical and aliases) of the entries, with their entry.
    pub fn names(&self) -> impl Iterator<Item = (&str, &GazetteerEntry)> {
        self.patterns
            .iter()
            .zip(&self.pattern_entry)
            .map(|(p, &e)| (p.as_str(), &self.entries[e]))
    }
}
