//! What a personal name looks like: the family names and the elements of
//! Tibetan, Mongolian and Uyghur given names, from the reference lists in
//! `data/reference/names.toml` (compiled in, with their sources named
//! there), and the words that never occur inside a name.

use std::sync::LazyLock;

use serde::Deserialize;

use super::words::Words;
use crate::source::article::is_cjk;

/// The shipped lists, read once.
const NAMES_TOML: &str = include_str!("../../data/reference/names.toml");

#[derive(Deserialize)]
struct File {
    surnames: Surnames,
    tibetan: Elements,
    mongolian: Elements,
    uyghur: Elements,
    not_in_names: NotInNames,
}

#[derive(Deserialize)]
struct Surnames {
    single: String,
    double: Vec<String>,
}

#[derive(Deserialize)]
struct Elements {
    elements: Vec<String>,
}

#[derive(Deserialize)]
struct NotInNames {
    words: Vec<String>,
}

/// The name lists, ready to match.
pub struct NameLists {
    surnames: Vec<char>,
    double: Words,
    elements: Words,
    not_in_names: Words,
}

fn leak(words: Vec<String>) -> Vec<&'static str> {
    // Read once per process (a `LazyLock`), so the strings live as long as it.
    words
        .into_iter()
        .map(|w| &*Box::leak(w.into_boxed_str()))
        .collect()
}

/// The lists of `data/reference/names.toml`.
pub fn lists() -> &'static NameLists {
    static LISTS: LazyLock<NameLists> = LazyLock::new(|| {
        let file: File = toml::from_str(NAMES_TOML).expect("the shipped names.toml parses");
        let mut surnames: Vec<char> = file
            .surnames
            .single
            .chars()
            .filter(|c| is_cjk(*c))
            .collect();
        surnames.sort_unstable();
        surnames.dedup();
        let elements: Vec<String> = file
            .tibetan
            .elements
            .into_iter()
            .chain(file.mongolian.elements)
            .chain(file.uyghur.elements)
            .collect();
        NameLists {
            surnames,
            double: Words::new(&leak(file.surnames.double)),
            elements: Words::new(&leak(elements)),
            not_in_names: Words::new(&leak(file.not_in_names.words)),
        }
    });
    &LISTS
}

impl NameLists {
    /// Whether `c` is a family name.
    pub fn is_surname(&self, c: char) -> bool {
        self.surnames.binary_search(&c).is_ok()
    }

    /// Whether a word that is never part of a name occurs in `chars`.
    pub fn has_non_name_word(&self, chars: &[char]) -> bool {
        (0..chars.len()).any(|k| {
            self.not_in_names
                .starting_at(chars, k)
                .any(|w| k + self.not_in_names.len_of(w) <= chars.len())
        })
    }

    /// Whether `chars` is made entirely of name elements (扎西 + 旺加),
    /// allowing one character that no element covers.
    pub fn covered_by_elements(&self, chars: &[char], slack: usize) -> bool {
        // best[k]: fewest uncovered characters in chars[..k].
        let n = chars.len();
        let mut best = vec![usize::MAX; n + 1];
        best[0] = 0;
        for k in 0..n {
            if best[k] == usize::MAX {
                continue;
            }
            best[k + 1] = best[k + 1].min(best[k] + 1);
            for w in self.elements.starting_at(chars, k) {
                let e = k + self.elements.len_of(w);
                if e <= n {
                    best[e] = best[e].min(best[k]);
                }
            }
        }
        best[n] <= slack && best[n] < n
    }

    /// Whether some name element occurs in `chars`.
    pub fn has_element(&self, chars: &[char]) -> bool {
        (0..chars.len()).any(|k| {
            self.elements
                .starting_at(chars, k)
                .any(|w| k + self.elements.len_of(w) <= chars.len())
        })
    }

    /// Whether `chars` names one of China's 56 peoples without its 族
    /// (藏, 蒙古, 维吾尔): the official list of 民族 (GB/T 3304-1991).
    pub fn is_people(&self, chars: &[char]) -> bool {
        const PEOPLES: &[&str] = &[
            "汉",
            "蒙古",
            "回",
            "藏",
            "维吾尔",
            "苗",
            "彝",
            "壮",
            "布依",
            "朝鲜",
            "满",
            "侗",
            "瑶",
            "白",
            "土家",
            "哈尼",
            "哈萨克",
            "傣",
            "黎",
            "傈僳",
            "佤",
            "畲",
            "高山",
            "拉祜",
            "水",
            "东乡",
            "纳西",
            "景颇",
            "柯尔克孜",
            "土",
            "达斡尔",
            "仫佬",
            "羌",
            "布朗",
            "撒拉",
            "毛南",
            "仡佬",
            "锡伯",
            "阿昌",
            "普米",
            "塔吉克",
            "怒",
            "乌孜别克",
            "俄罗斯",
            "鄂温克",
            "德昂",
            "保安",
            "裕固",
            "京",
            "塔塔尔",
            "独龙",
            "鄂伦春",
            "赫哲",
            "门巴",
            "珞巴",
            "基诺",
        ];
        PEOPLES.iter().any(|p| p.chars().eq(chars.iter().copied()))
    }

    /// Whether `chars` starts with a compound family name (欧阳).
    pub fn starts_with_double_surname(&self, chars: &[char]) -> bool {
        self.double.any_at(chars, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn the_shipped_lists_load_and_cover_names_of_the_genre() {
        let l = lists();
        assert!(l.is_surname('王'));
        assert!(
            l.covered_by_elements(&c("扎西旺加"), 0) || l.covered_by_elements(&c("扎西旺加"), 1)
        );
        assert!(l.covered_by_elements(&c("仁增求扎"), 1));
        assert!(l.has_non_name_word(&c("任教")));
        assert!(!l.covered_by_elements(&c("发展工作"), 1));
    }
}
