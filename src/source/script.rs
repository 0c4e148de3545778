//! Articles written in traditional characters, read through simplified ones.
//!
//! The recognisers, the gazetteer and the patterns are written in simplified
//! characters. An article in traditional characters (from a Hong Kong, Macau
//! or Taiwan site, or a mainland site's traditional edition) is read through
//! a conversion, while the article keeps its own text: evidence quotes and
//! offsets point into what the user has.
//!
//! The conversion is `fast2s` (MIT; OpenCC-derived tables, a few contextual
//! rules such as 乾隆 kept and 乾淨 → 干净). It maps each character to one
//! character, so the reading has as many code points as the text and every
//! offset means the same in both; [`reading_of`] checks that and converts
//! character by character should a future table ever map one to two.
//! Chosen over `ferrous-opencc` (Apache-2.0), whose phrase tables may change
//! a text's length and which brings a serialisation framework and its
//! proc-macros into the build; `zhconv` is GPL.

/// Which script a language tag says a text is in: `Some(true)` for
/// traditional (zh-Hant, zh-TW, zh-HK, zh-MO and their subtags),
/// `Some(false)` for simplified (zh-Hans, zh-CN, zh-SG), `None` when it
/// does not say (zh, or no tag).
pub fn declared(language: Option<&str>) -> Option<bool> {
    let tag = language?.to_ascii_lowercase();
    let is_one_of = |tags: &[&str]| {
        tags.iter()
            .any(|t| tag == *t || tag.starts_with(&format!("{t}-")))
    };
    if is_one_of(&["zh-hant", "zh-tw", "zh-hk", "zh-mo"]) {
        Some(true)
    } else if is_one_of(&["zh-hans", "zh-cn", "zh-sg"]) {
        Some(false)
    } else {
        None
    }
}

/// The text in simplified characters, code point for code point, when it
/// is in traditional ones: as `language` says (`zh-Hant`, `zh-TW`, `zh-HK`;
/// `zh-Hans` or `zh-CN` never converts), else when the conversion changes at
/// least 3 characters and one CJK character in 20. (Simplified text changes
/// almost none: no article of the corpora changes one; traditional text
/// changes one in four or five.) `None` when the text is read as it is.
pub fn reading_of(text: &str, language: Option<&str>) -> Option<String> {
    let wanted = declared(language);
    if wanted == Some(false) {
        return None;
    }
    let mut reading = fast2s::convert(text);
    if reading.chars().count() != text.chars().count() {
        reading = text
            .chars()
            .map(|c| {
                let s = fast2s::convert(c.encode_utf8(&mut [0; 4]));
                let mut one = s.chars();
                match (one.next(), one.next()) {
                    (Some(d), None) => d,
                    _ => c,
                }
            })
            .collect();
    }
    let changed = text
        .chars()
        .zip(reading.chars())
        .filter(|(a, b)| a != b)
        .count();
    let cjk = text
        .chars()
        .filter(|&c| crate::source::article::is_cjk(c))
        .count();
    let traditional = wanted.unwrap_or(changed >= 3 && changed * 20 >= cjk);
    (traditional && changed > 0).then_some(reading)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRADITIONAL: &str = "北京市對口支援玉樹州，安排資金3000萬元，實施醫療衛生項目12個。";
    const SIMPLIFIED: &str = "北京市对口支援玉树州，安排资金3000万元，实施医疗卫生项目12个。";

    #[test]
    fn traditional_text_is_read_in_simplified_code_point_for_code_point() {
        let reading = reading_of(TRADITIONAL, None).unwrap();
        assert_eq!(reading, SIMPLIFIED);
        assert_eq!(reading.chars().count(), TRADITIONAL.chars().count());
    }

    #[test]
    fn simplified_text_is_read_as_it_is() {
        assert_eq!(reading_of(SIMPLIFIED, None), None);
        // One traditional-looking character in a simplified text (於 is a
        // surname too) is not a traditional article.
        let one = format!("{SIMPLIFIED}於是");
        assert_eq!(reading_of(&one, None), None);
    }

    #[test]
    fn the_front_matter_decides_when_it_says() {
        assert_eq!(reading_of(TRADITIONAL, Some("zh-Hans")), None);
        assert_eq!(reading_of(TRADITIONAL, Some("zh-CN")), None);
        let few = "於是";
        assert_eq!(reading_of(few, None), None);
        assert_eq!(reading_of(few, Some("zh-Hant")).as_deref(), Some("于是"));
        assert_eq!(reading_of(few, Some("zh-HK")).as_deref(), Some("于是"));
        assert!(
            reading_of(TRADITIONAL, Some("zh")).is_some(),
            "zh alone: detected"
        );
    }
}
