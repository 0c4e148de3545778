//! Matching reference names in text: areas and well-known organisations,
//! with all their aliases, in one Aho-Corasick automaton (leftmost-longest,
//! so 玉树市 wins over 玉树 and 北京市西城区 over 北京市).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::facts::{Entity, EntityId, EntityKind};
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

impl GazetteerEntry {
    /// An entry from reference data, where an empty English name or
    /// containing area means none.
    fn new(id: EntityId, kind: EntityKind, canonical: &str, en: &str, within: &str) -> Self {
        let given = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        GazetteerEntry {
            id,
            kind,
            canonical: canonical.to_owned(),
            label_en: given(en),
            within: given(within),
        }
    }

    /// The entity this entry stands for, as an article that names it holds it.
    pub fn entity(&self) -> Entity {
        Entity {
            id: self.id.clone(),
            kind: self.kind,
            label: self.canonical.clone(),
            label_en: self.label_en.clone(),
            alt_labels: Default::default(),
            located_in: self.within.clone().map(EntityId::Area),
            from_reference: true,
        }
    }
}

/// A reference name found in text (byte offsets into the searched string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GazetteerMatch {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Index of the entry in [`Gazetteer::entries`]: the first of those the
    /// name may stand for (see [`Gazetteer::candidates`]).
    pub entry: usize,
    /// Index of the written name, for [`Gazetteer::candidates`].
    pub pattern: usize,
}

/// All reference names, ready to match.
#[derive(Clone, Debug)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    /// The entries each name stands for: several where a name repeats
    /// across the country (朝阳区, 城关区).
    pattern_entries: Vec<Vec<usize>>,
    patterns: Vec<String>,
    automaton: AhoCorasick,
    /// Area names only, to find places inside longer names.
    area_patterns: Vec<usize>,
    area_automaton: AhoCorasick,
    /// Short forms (果洛, 玛多), which name an area only in context.
    short_patterns: Vec<String>,
    short_entries: Vec<Vec<usize>>,
    short_automaton: AhoCorasick,
    by_id: std::collections::HashMap<EntityId, usize>,
    /// The written forms of each entry (names, aliases, former names, short forms).
    entry_names: Vec<Vec<String>>,
    /// The names of organisations, for abbreviation look-ups.
    org_names: Vec<(String, usize)>,
}

fn leftmost_longest<'a>(patterns: impl IntoIterator<Item = &'a str>) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(patterns)
        .expect("a gazetteer of plain strings always builds")
}

/// Names with the entries they stand for, sorted and merged.
fn merged(mut pairs: Vec<(String, usize)>) -> (Vec<String>, Vec<Vec<usize>>) {
    // Single characters are never names here (京, 青, 玉 are not mentions).
    pairs.retain(|(p, _)| p.chars().count() >= 2);
    pairs.sort();
    pairs.dedup();
    let mut names: Vec<String> = Vec::new();
    let mut entries: Vec<Vec<usize>> = Vec::new();
    for (name, e) in pairs {
        if names.last() == Some(&name) {
            entries.last_mut().expect("a name has entries").push(e);
        } else {
            names.push(name);
            entries.push(vec![e]);
        }
    }
    (names, entries)
}

impl Gazetteer {
    /// Builds the gazetteer of `reference`.
    pub fn new(reference: &Reference) -> Gazetteer {
        let mut entries = Vec::new();
        let mut patterns: Vec<(String, usize)> = Vec::new();
        let mut shorts: Vec<(String, usize)> = Vec::new();
        for a in &reference.areas {
            let idx = entries.len();
            let (id, kind) = (EntityId::Area(a.id.clone()), a.area_type.into());
            entries.push(GazetteerEntry::new(
                id, kind, &a.name_zh, &a.name_en, &a.part_of,
            ));
            // A county-level name of two characters (和县, 代县, 丰台) is
            // also a word of running text: it counts only in context.
            let county_level = matches!(
                a.area_type,
                crate::source::reference::AreaType::District
                    | crate::source::reference::AreaType::County
            );
            for name in std::iter::once(a.name_zh.as_str())
                .chain(a.aliases.iter().map(String::as_str))
                .chain(a.former_names.iter().map(|f| f.name()))
            {
                if county_level && name.chars().count() == 2 {
                    shorts.push((name.to_owned(), idx));
                } else {
                    patterns.push((name.to_owned(), idx));
                }
            }
            for short in &a.short_forms {
                shorts.push((short.clone(), idx));
            }
        }
        for o in &reference.organizations {
            let idx = entries.len();
            let (id, kind) = (EntityId::Org(o.name_zh.clone()), o.org_type.into());
            let entry = GazetteerEntry::new(id, kind, &o.name_zh, &o.name_en, &o.located_in);
            entries.push(entry);
            for name in std::iter::once(&o.name_zh).chain(&o.aliases) {
                patterns.push((name.clone(), idx));
            }
        }
        let (patterns, pattern_entries) = merged(patterns);
        // A written form that is a full name somewhere is never a short form.
        shorts.retain(|(s, _)| patterns.binary_search(s).is_err());
        let (short_patterns, short_entries) = merged(shorts);
        let automaton = leftmost_longest(patterns.iter().map(String::as_str));
        let area_patterns: Vec<usize> = (0..patterns.len())
            .filter(|&i| entries[pattern_entries[i][0]].kind.is_area())
            .collect();
        let area_automaton = leftmost_longest(area_patterns.iter().map(|&i| patterns[i].as_str()));
        let short_automaton = leftmost_longest(short_patterns.iter().map(String::as_str));
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let mut entry_names: Vec<Vec<String>> = vec![Vec::new(); entries.len()];
        let mut org_names = Vec::new();
        for (name, es) in patterns
            .iter()
            .zip(&pattern_entries)
            .chain(short_patterns.iter().zip(&short_entries))
        {
            for &e in es {
                entry_names[e].push(name.clone());
                if matches!(entries[e].id, EntityId::Org(_)) {
                    org_names.push((name.clone(), e));
                }
            }
        }
        Gazetteer {
            entries,
            area_patterns,
            area_automaton,
            pattern_entries,
            patterns,
            automaton,
            short_patterns,
            short_entries,
            short_automaton,
            by_id,
            entry_names,
            org_names,
        }
    }

    /// The entries.
    pub fn entries(&self) -> &[GazetteerEntry] {
        &self.entries
    }

    fn matched(&self, m: aho_corasick::Match, pattern: usize) -> GazetteerMatch {
        GazetteerMatch {
            start: m.start(),
            end: m.end(),
            entry: self.pattern_entries[pattern][0],
            pattern,
        }
    }

    /// Every reference name in `text`, leftmost-longest, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<GazetteerMatch> {
        self.automaton
            .find_iter(text)
            .map(|m| self.matched(m, m.pattern().as_usize()))
            .collect()
    }

    /// The first match of [`Gazetteer::find`], without finding the rest.
    pub fn first_match(&self, text: &str) -> Option<GazetteerMatch> {
        self.automaton
            .find(text)
            .map(|m| self.matched(m, m.pattern().as_usize()))
    }

    /// Every area name in `text`, leftmost-longest, non-overlapping, also
    /// inside organisation names (密云区 in 北京市密云区医院).
    pub fn find_areas(&self, text: &str) -> Vec<GazetteerMatch> {
        self.area_automaton
            .find_iter(text)
            .map(|m| self.matched(m, self.area_patterns[m.pattern().as_usize()]))
            .collect()
    }

    /// The entries a matched name may stand for: one, or several where the
    /// name repeats across the country.
    pub fn candidates(&self, m: &GazetteerMatch) -> &[usize] {
        &self.pattern_entries[m.pattern]
    }

    /// Every short form in `text` (果洛, 玛多), with the areas it may stand
    /// for: byte span and entry indices. Whether the context supports one
    /// is the caller's to decide.
    pub fn find_short_forms(&self, text: &str) -> Vec<(usize, usize, &[usize])> {
        self.short_automaton
            .find_iter(text)
            .map(|m| {
                (
                    m.start(),
                    m.end(),
                    self.short_entries[m.pattern().as_usize()].as_slice(),
                )
            })
            .collect()
    }

    /// The entry a whole string names, if it is exactly a reference name
    /// (the first, where the name repeats).
    pub fn lookup(&self, name: &str) -> Option<&GazetteerEntry> {
        self.patterns
            .binary_search_by(|p| p.as_str().cmp(name))
            .ok()
            .map(|i| &self.entries[self.pattern_entries[i][0]])
    }

    /// Whether `name` is a short form of some area.
    pub fn is_short_form(&self, name: &str) -> bool {
        self.short_patterns
            .binary_search_by(|p| p.as_str().cmp(name))
            .is_ok()
    }

    /// The entry of an entity id, if the reference describes it.
    pub fn entry_of(&self, id: &EntityId) -> Option<&GazetteerEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The written forms of the entry of `id` (none for an unknown id).
    pub fn names_of(&self, id: &EntityId) -> &[String] {
        self.by_id
            .get(id)
            .map_or(&[], |&i| self.entry_names[i].as_slice())
    }

    /// The names of the gazetteer's organisations, with their entry.
    pub fn org_names(&self) -> impl Iterator<Item = (&str, &GazetteerEntry)> {
        self.org_names
            .iter()
            .map(|(n, e)| (n.as_str(), &self.entries[*e]))
    }

    /// All names (canonical, aliases, former names and short forms) of the
    /// entries, with their entry.
    pub fn names(&self) -> impl Iterator<Item = (&str, &GazetteerEntry)> {
        let full = self
            .patterns
            .iter()
            .zip(&self.pattern_entries)
            .flat_map(|(p, es)| es.iter().map(move |&e| (p.as_str(), e)));
        let short = self
            .short_patterns
            .iter()
            .zip(&self.short_entries)
            .flat_map(|(p, es)| es.iter().map(move |&e| (p.as_str(), e)));
        full.chain(short).map(|(p, e)| (p, &self.entries[e]))
    }
}
