//! Reading reference data: administrative areas, official pairings and a
//! gazetteer of well-known organisations (`data/reference/*.toml`).
//!
//! Reference data is what is true independently of any article: names,
//! aliases, codes, containment, and the published pairings. Each file names
//! its source. This module reads and checks the files; it does not match text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::source::article::line_column;

/// Why reference data could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// A file could not be read.
    #[error("cannot read {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is not valid TOML of the expected shape.
    #[error("{}:{line}:{column}: {reason}", .path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        reason: String,
    },
    /// An entry refers to something that does not exist or repeats a key.
    #[error("{}: {reason}", .path.display())]
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Where a reference file's data comes from.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Name of the publication or publisher.
    pub name: String,
    /// Address of the publication.
    #[serde(default)]
    pub url: String,
    /// When it was consulted.
    #[serde(default)]
    pub retrieved: String,
    /// Remarks.
    #[serde(default)]
    pub note: String,
}

/// The level of an administrative area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum AreaType {
    /// A province-level city (北京市).
    Municipality,
    /// A province or autonomous region (青海省).
    Province,
    /// A prefecture-level unit (玉树藏族自治州).
    Prefecture,
    /// A district of a municipality on the supporting side (西城区).
    District,
    /// A county-level unit on the assisted side (囊谦县, 玉树市).
    County,
}

/// An administrative area.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Slug that becomes the IRI path (`xicheng`).
    pub id: String,
    /// Level.
    #[serde(rename = "type")]
    pub area_type: AreaType,
    /// Official Chinese name.
    pub name_zh: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Six-digit administrative division code.
    #[serde(default)]
    pub code: String,
    /// Slug of the containing area, empty at the top.
    #[serde(default)]
    pub part_of: String,
    /// Other unambiguous written forms.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Bare short forms (果洛, 玛多, 滨州) that name the area only where the
    /// article's context supports it: the extractor accepts one when the
    /// article also names the area itself, a higher area it lies in, or an
    /// area beside it.
    #[serde(default)]
    pub short_forms: Vec<String>,
    /// Names before a renaming.
    #[serde(default)]
    pub former_names: Vec<FormerName>,
}

/// A name an area had before a renaming: a plain string, or a table with
/// the year the name ended (`{ name = "玉树县", until = "2013" }`).
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum FormerName {
    /// The name alone.
    Name(String),
    /// The name and the year it was given up.
    Until {
        /// The former name.
        name: String,
        /// The year of the renaming.
        until: String,
    },
}

impl FormerName {
    /// The former name.
    pub fn name(&self) -> &str {
        match self {
            FormerName::Name(n) | FormerName::Until { name: n, .. } => n,
        }
    }

    /// The year of the renaming, when known.
    pub fn until(&self) -> Option<&str> {
        match self {
            FormerName::Name(_) => None,
            FormerName::Until { until, .. } => Some(until),
        }
    }
}

/// An official district–county pairing.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pairing {
    /// Slug of the Beijing district.
    pub district: String,
    /// Slug of the assisted county-level unit.
    pub county: String,
}

/// The kind of a gazetteer organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum OrgType {
    /// A hospital.
    Hospital,
    /// A school, university or education institute.
    School,
    /// A company or group.
    Company,
    /// A government or party body.
    GovernmentBody,
    /// Any other organisation.
    Organization,
}

/// A well-known organisation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Official Chinese name.
    pub name_zh: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Kind.
    #[serde(rename = "type")]
    pub org_type: OrgType,
    /// Short forms in common use.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Slug of the area it is in, empty when unknown.
    #[serde(default)]
    pub located_in: String,
    /// Where this entry comes from, when not the file's source.
    #[serde(default)]
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreasFile {
    source: Source,
    area: Vec<Area>,
}

/// An official counterpart-assistance arrangement between higher units
/// (上海市 supports 果洛藏族自治州): it says which side each area is on.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Support {
    /// Slug of the supporting area.
    pub supporter: String,
    /// Slug of the assisted area.
    pub assisted: String,
}

/// Which side of counterpart assistance an area is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AreaSide {
    /// It gives assistance.
    Supporting,
    /// It receives assistance.
    Assisted,
    /// The reference data does not say.
    Neither,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairingsFile {
    source: Source,
    pairing: Vec<Pairing>,
    #[serde(default)]
    support: Vec<Support>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationsFile {
    source: Source,
    #[serde(default)]
    organization: Vec<Organization>,
}

/// All reference data, checked for consistency.
#[derive(Clone, Debug, Default)]
pub struct Reference {
    /// Areas, in file order.
    pub areas: Vec<Area>,
    /// Source of the areas.
    pub areas_source: Source,
    /// Official pairings.
    pub pairings: Vec<Pairing>,
    /// Official arrangements between higher units.
    pub supports: Vec<Support>,
    /// Source of the pairings.
    pub pairings_source: Source,
    /// Gazetteer organisations.
    pub organizations: Vec<Organization>,
    /// Source of the gazetteer.
    pub organizations_source: Source,
    by_id: BTreeMap<String, usize>,
}

impl Reference {
    /// Reads `areas.toml`, `pairings.toml` and `organizations.toml` from `dir`.
    pub fn read(dir: &Path) -> Result<Reference, ReferenceError> {
        let areas_path = dir.join("areas.toml");
        let areas: AreasFile = read_toml(&areas_path)?;
        let pairings_path = dir.join("pairings.toml");
        let pairings: PairingsFile = read_toml(&pairings_path)?;
        let orgs_path = dir.join("organizations.toml");
        let orgs: OrganizationsFile = if orgs_path.exists() {
            read_toml(&orgs_path)?
        } else {
            OrganizationsFile {
                source: Source::default(),
                organization: Vec::new(),
            }
        };
        let mut reference = Reference {
            areas: areas.area,
            areas_source: areas.source,
            pairings: pairings.pairing,
            supports: pairings.support,
            pairings_source: pairings.source,
            organizations: orgs.organization,
            organizations_source: orgs.source,
            by_id: BTreeMap::new(),
        };
        reference.check(&areas_path, &pairings_path, &orgs_path)?;
        Ok(reference)
    }

    /// Ok when `id` is empty or names a known area; else the error, at
    /// `path`, that the field `what` names (`area x: part_of`) names an
    /// unknown area.
    fn known_or_none(
        &self,
        id: &str,
        path: &Path,
        what: impl FnOnce() -> String,
    ) -> Result<(), ReferenceError> {
        if id.is_empty() || self.by_id.contains_key(id) {
            return Ok(());
        }
        Err(ReferenceError::Inconsistent {
            path: path.to_owned(),
            reason: format!("{} names unknown area {id:?}", what()),
        })
    }

    fn check(
        &mut self,
        areas_path: &Path,
        pairings_path: &Path,
        orgs_path: &Path,
    ) -> Result<(), ReferenceError> {
        let inconsistent = |path: &Path, reason: String| ReferenceError::Inconsistent {
            path: path.to_owned(),
            reason,
        };
        for (i, area) in self.areas.iter().enumerate() {
            if area.id.is_empty()
                || !area
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(inconsistent(
                    areas_path,
                    format!(
                        "area id {:?} must be lowercase ASCII letters, digits and '-'",
                        area.id
                    ),
                ));
            }
            if !area.code.is_empty()
                && (area.code.len() != 6 || !area.code.chars().all(|c| c.is_ascii_digit()))
            {
                return Err(inconsistent(
                    areas_path,
                    format!("area {}: code {:?} is not six digits", area.id, area.code),
                ));
            }
            if self.by_id.insert(area.id.clone(), i).is_some() {
                return Err(inconsistent(
                    areas_path,
                    format!("area id {} appears twice", area.id),
                ));
            }
        }
        for area in &self.areas {
            self.known_or_none(&area.part_of, areas_path, || {
                format!("area {}: part_of", area.id)
            })?;
        }
        for p in &self.pairings {
            for (id, want) in [
                (&p.district, AreaType::District),
                (&p.county, AreaType::County),
            ] {
                match self.area(id) {
                    Some(a) if a.area_type == want => {}
                    Some(a) => {
                        return Err(inconsistent(
                            pairings_path,
                            format!(
                                "pairing names {id}, a {:?}, where a {want:?} is expected",
                                a.area_type
                            ),
                        ));
                    }
                    None => {
                        return Err(inconsistent(
                            pairings_path,
                            format!("pairing names unknown area {id:?}"),
                        ));
                    }
                }
            }
        }
        for sp in &self.supports {
            for id in [&sp.supporter, &sp.assisted] {
                if self.area(id).is_none() {
                    return Err(inconsistent(
                        pairings_path,
                        format!("support names unknown area {id:?}"),
                    ));
                }
            }
        }
        let mut names = BTreeMap::new();
        for o in &self.organizations {
            self.known_or_none(&o.located_in, orgs_path, || {
                format!("organisation {}: located_in", o.name_zh)
            })?;
            for name in std::iter::once(&o.name_zh).chain(&o.aliases) {
                if let Some(prev) = names.insert(name.clone(), o.name_zh.clone())
                    && prev != o.name_zh
                {
                    return Err(inconsistent(
                        orgs_path,
                        format!("name {name:?} is given to both {prev} and {}", o.name_zh),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The area with slug `id`.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.by_id.get(id).map(|&i| &self.areas[i])
    }

    /// Whether the reference knows both areas and says `inner` does not lie
    /// within `outer`: a text that states it otherwise is misread.
    pub fn denies_within(&self, inner: &str, outer: &str) -> bool {
        self.area(inner).is_some() && self.area(outer).is_some() && !self.area_within(inner, outer)
    }

    /// Whether area `inner` lies within area `outer` (or is it).
    pub fn area_within(&self, inner: &str, outer: &str) -> bool {
        let mut cur = Some(inner);
        let mut steps = 0;
        while let Some(id) = cur {
            if id == outer {
                return true;
            }
            steps += 1;
            if steps > 16 {
                return false;
            }
            cur = self
                .area(id)
                .map(|a| a.part_of.as_str())
                .filter(|p| !p.is_empty());
        }
        false
    }

    /// The side an area is on: that of the nearest area, itself or one it
    /// lies in, that a pairing or an arrangement names as supporter or as
    /// assisted (河北省 supports, its 张家口市 is assisted).
    pub fn side_of(&self, id: &str) -> AreaSide {
        let mut cur = Some(id);
        let mut steps = 0;
        while let Some(a) = cur {
            let supports = self.pairings.iter().any(|p| p.district == a)
                || self.supports.iter().any(|s| s.supporter == a);
            let assisted = self.pairings.iter().any(|p| p.county == a)
                || self.supports.iter().any(|s| s.assisted == a);
            match (supports, assisted) {
                (true, false) => return AreaSide::Supporting,
                (false, true) => return AreaSide::Assisted,
                (true, true) => return AreaSide::Neither,
                (false, false) => {}
            }
            steps += 1;
            if steps > 16 {
                break;
            }
            cur = self
                .area(a)
                .map(|x| x.part_of.as_str())
                .filter(|p| !p.is_empty());
        }
        AreaSide::Neither
    }

    /// Whether the two areas lie on the two ends of one pairing or
    /// arrangement (Beijing's 朝阳区 and 杂多县: 北京市 supports 玉树州).
    pub fn counterparts(&self, a: &str, b: &str) -> bool {
        let ends = self
            .pairings
            .iter()
            .map(|p| (p.district.as_str(), p.county.as_str()))
            .chain(
                self.supports
                    .iter()
                    .map(|s| (s.supporter.as_str(), s.assisted.as_str())),
            );
        for (s, t) in ends {
            if (self.area_within(a, s) && self.area_within(b, t))
                || (self.area_within(b, s) && self.area_within(a, t))
            {
                return true;
            }
        }
        false
    }

    /// The official pairing partner of an area, if any.
    pub fn paired(&self, id: &str) -> Option<&str> {
        self.pairings.iter().find_map(|p| {
            if p.district == id {
                Some(p.county.as_str())
            } else if p.county == id {
                Some(p.district.as_str())
            } else {
                None
            }
        })
    }
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, ReferenceError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReferenceError::Io {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| {
        let (line, column) = line_column(&text, e.span().map_or(0, |s| s.start));
        ReferenceError::Malformed {
            path: path.to_owned(),
            line,
            column,
            reason: e.message().trim().to_owned(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    const AREAS: &str = "[source]\nname = \"t\"\n[[area]]\nid = \"bj\"\ntype = \"Municipality\"\nname_zh = \"北京市\"\n[[area]]\nid = \"xc\"\ntype = \"District\"\nname_zh = \"西城区\"\npart_of = \"bj\"\n[[area]]\nid = \"nq\"\ntype = \"County\"\nname_zh = \"囊谦县\"\n";

    /// Reads AREAS with one pairing, of `xc` and `county`.
    fn paired_with_xicheng(county: &str) -> Result<Reference, ReferenceError> {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "areas.toml", AREAS);
        write(
            dir.path(),
            "pairings.toml",
            &format!(
                "[source]\nname = \"t\"\n[[pairing]]\ndistrict = \"xc\"\ncounty = \"{county}\"\n"
            ),
        );
        Reference::read(dir.path())
    }

    #[test]
    fn reads_and_checks_reference() {
        let r = paired_with_xicheng("nq").unwrap();
        assert!(r.area_within("xc", "bj"));
        assert!(!r.area_within("nq", "bj"));
        assert_eq!(r.paired("nq"), Some("xc"));
    }

    #[test]
    fn pairing_of_unknown_area_is_an_error() {
        let err = paired_with_xicheng("zz").unwrap_err().to_string();
        assert!(err.contains("unknown area \"zz\""), "{err}");
    }

    #[test]
    fn malformed_toml_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "areas.toml",
            "[source]\nname = \"t\"\n[[area]]\nid = \n",
        );
        write(
            dir.path(),
            "pairings.toml",
            "[source]\nname = \"t\"\npairing = []\n",
        );
        let err = Reference::read(dir.path()).unwrap_err();
        assert!(err.to_string().contains("areas.toml:4:"), "{err}");
    }
}
