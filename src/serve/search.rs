//! Entity search for the pages: one index of every entity's names (Chinese
//! label and aliases, pinyin with or without tones, English label), built
//! from the store once, when the endpoint opens it, and searched in memory.

use std::collections::BTreeMap;

use oxigraph::model::Term;

use crate::query::cell_value as value;
use crate::rdf::vocab;
use crate::store::{Store, StoreError};

/// One entity as search shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The entity's path under `/entity/`.
    pub path: String,
    /// Its Chinese label (else its first name).
    pub label: String,
    /// Its class, as the ontology's local name.
    pub class: String,
    /// How many articles mention it.
    pub articles: usize,
    /// Its names, normalised (see [`normalise`]).
    keys: Vec<String>,
}

/// Every entity's names, for [`SearchIndex::find`].
#[derive(Debug, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

/// A name as search compares it: lower case, tone marks taken off
/// (Náng qiān → nangqian) and other Latin accents (Nangqên → nangqen),
/// without spaces, hyphens or apostrophes.
pub fn normalise(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !matches!(c, ' ' | '-' | '\'' | '’' | '·'))
        .map(|c| match c {
            'ā' | 'á' | 'ǎ' | 'à' | 'â' | 'ä' => 'a',
            'ē' | 'é' | 'ě' | 'è' | 'ê' | 'ë' => 'e',
            'ī' | 'í' | 'ǐ' | 'ì' | 'î' | 'ï' => 'i',
            'ō' | 'ó' | 'ǒ' | 'ò' | 'ô' | 'ö' => 'o',
            'ū' | 'ú' | 'ǔ' | 'ù' | 'û' => 'u',
            'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'ü' => 'v',
            other => other,
        })
        .collect()
}

impl SearchIndex {
    /// The index of every entity of `store` that has a class of the
    /// ontology and a name.
    pub fn build(store: &Store) -> Result<SearchIndex, StoreError> {
        let ns = vocab::NS;
        let rows = store.select(&format!(
            "SELECT ?e ?type ?name ?n WHERE {{
               ?e a ?type FILTER(STRSTARTS(STR(?type), \"{ns}\") && STRSTARTS(STR(?e), \"{id}\"))
               ?e <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?name .
               OPTIONAL {{ SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?e <{ns}mentionedIn> ?a }} GROUP BY ?e }}
             }}",
            id = vocab::ID
        ))?;
        let mut by_entity: BTreeMap<String, Entry> = BTreeMap::new();
        for row in &rows {
            let iri = value(&row[0]);
            let name = value(&row[2]);
            let zh = matches!(&row[2], Some(Term::Literal(l)) if l.language() == Some("zh"));
            let entry = by_entity.entry(iri.clone()).or_insert_with(|| Entry {
                path: iri.strip_prefix(vocab::ID).unwrap_or(&iri).to_owned(),
                label: String::new(),
                class: value(&row[1])
                    .strip_prefix(ns)
                    .unwrap_or_default()
                    .to_owned(),
                articles: value(&row[3]).parse().unwrap_or(0),
                keys: Vec::new(),
            });
            if zh && entry.label.is_empty() {
                entry.label = name.clone();
            }
            let key = normalise(&name);
            if !key.is_empty() && !entry.keys.contains(&key) {
                entry.keys.push(key);
            }
        }
        // The Chinese rdfs:label, where there is one, is what a hit shows.
        let labels = store.select(&format!(
            "SELECT ?e ?l WHERE {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = \"zh\" && STRSTARTS(STR(?e), \"{}\")) }}",
            vocab::ID
        ))?;
        for row in &labels {
            if let Some(e) = by_entity.get_mut(&value(&row[0])) {
                e.label = value(&row[1]);
            }
        }
        Ok(SearchIndex {
            entries: by_entity
                .into_values()
                .map(|mut e| {
                    if e.label.is_empty() {
                        e.label = e.path.clone();
                    }
                    e
                })
                .collect(),
        })
    }

    /// How many entities the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entities a name matches, best first: a name equal to the query,
    /// then one that starts with it, then one that holds it; among equals,
    /// the most mentioned, then the shortest label. At most `limit`.
    pub fn find(&self, query: &str, limit: usize) -> Vec<&Entry> {
        let q = normalise(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let rank = e
                    .keys
                    .iter()
                    .map(|k| {
                        if *k == q {
                            3
                        } else if k.starts_with(&q) {
                            2
                        } else if k.contains(&q) {
                            1
                        } else {
                            0
                        }
                    })
                    .max()?;
                (rank > 0).then_some((rank, e))
            })
            .collect();
        hits.sort_by(|(ra, a), (rb, b)| {
            rb.cmp(ra)
                .then(b.articles.cmp(&a.articles))
                .then(a.label.chars().count().cmp(&b.label.chars().count()))
                .then(a.path.cmp(&b.path))
        });
        hits.into_iter().take(limit).map(|(_, e)| e).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, label: &str, names: &[&str], articles: usize) -> Entry {
        Entry {
            path: path.into(),
            label: label.into(),
            class: "County".into(),
            articles,
            keys: names.iter().map(|n| normalise(n)).collect(),
        }
    }

    #[test]
    fn pinyin_with_or_without_tones_and_english_find_the_same_entity() {
        let index = SearchIndex {
            entries: vec![
                entry(
                    "area/nangqen",
                    "囊谦县",
                    &["囊谦县", "囊谦", "Náng qiān xiàn", "Nangqên County"],
                    3,
                ),
                entry(
                    "org/囊谦县人民医院",
                    "囊谦县人民医院",
                    &["囊谦县人民医院"],
                    1,
                ),
            ],
        };
        for q in ["nangqian", "Náng qiān", "Nangqen", "囊谦县"] {
            assert_eq!(index.find(q, 5)[0].path, "area/nangqen", "{q}");
        }
        // A substring finds both, the exact and better known first.
        let both: Vec<_> = index
            .find("囊谦", 5)
            .iter()
            .map(|e| e.path.clone())
            .collect();
        assert_eq!(both, ["area/nangqen", "org/囊谦县人民医院"]);
        assert!(index.find("人民医院", 5).len() == 1);
        assert!(index.find("  ", 5).is_empty());
        assert!(index.find("beijing", 5).is_empty());
    }
}
