//! Escaping for the text the writers put in their formats: XML character
//! data (GraphML), XML attribute values (GEXF), DOT strings and CSV fields.
//!
//! Each function drops what its format cannot hold and escapes the rest;
//! CSV quoting itself is the `csv` crate's.

use std::borrow::Cow;
use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

/// An XML writer over any output, as GraphML and GEXF use it.
pub(super) type XmlWriter<'a> = Writer<&'a mut dyn Write>;

/// An XML document on `out`, indented by two spaces, its declaration
/// written.
pub(super) fn xml_document(out: &mut dyn Write) -> std::io::Result<XmlWriter<'_>> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

/// Whether XML 1.0 allows `c` in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `s` without the characters XML 1.0 does not allow, markup escaped
/// (`<`, `>`, `&`, `'`, `"`).
fn xml_escaped(s: &str) -> String {
    let safe: String = s.chars().filter(|&c| xml_char(c)).collect();
    quick_xml::escape::escape(safe).into_owned()
}

/// XML character data: characters XML 1.0 forbids removed, markup escaped,
/// and CR written as a character reference, since a raw CR reaches a
/// reader as LF (XML end-of-line handling).
pub fn xml_text(s: &str) -> String {
    xml_escaped(s).replace('\r', "&#13;")
}

/// An XML attribute value: characters XML 1.0 forbids removed, markup
/// escaped, and tab, LF and CR written as character references so that a
/// reader's attribute-value normalisation does not turn them into spaces.
pub fn xml_attribute(s: &str) -> String {
    let escaped = xml_escaped(s);
    let mut raw = String::with_capacity(escaped.len());
    for c in escaped.chars() {
        match c {
            '\t' => raw.push_str("&#9;"),
            '\n' => raw.push_str("&#10;"),
            '\r' => raw.push_str("&#13;"),
            c => raw.push(c),
        }
    }
    raw
}

/// A DOT double-quoted string: `"` and `\` escaped, a newline written as
/// the `\n` line break, a tab as a space, other control characters dropped.
pub fn dot_string(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push(' '),
            c if c.is_control() => {}
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// The text of a CSV field: control characters other than tab, CR and LF
/// dropped. The CSV writer quotes the field when it needs quotes.
pub fn csv_field(s: &str) -> Cow<'_, str> {
    let kept = |c: char| !c.is_control() || matches!(c, '\t' | '\r' | '\n');
    if s.chars().all(kept) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| kept(c)).collect())
    }
}

/// An element of an XML document as a reader reports it, for the writers'
/// tests.
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct Element {
    /// The element's name (`node`, `viz:color`).
    pub name: String,
    /// Its attributes, unescaped, in document order.
    pub attributes: std::collections::BTreeMap<String, String>,
    /// The text directly inside it, references resolved.
    pub text: String,
}

/// Every element of `xml` in document order, read with quick-xml: the
/// reading back of the writers' tests. Panics on XML that is not
/// well-formed.
#[cfg(test)]
pub(crate) fn read_xml(xml: &str) -> Vec<Element> {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        let event = reader.read_event().unwrap();
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let attributes = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        (key, a.unescape_value().unwrap().into_owned())
                    })
                    .collect();
                out.push(Element {
                    name,
                    attributes,
                    text: String::new(),
                });
                if !empty {
                    open.push(out.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop().unwrap();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].text.push_str(&t.xml10_content().unwrap());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().unwrap();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap()
                            .to_owned()
                    }
                };
                let &i = open.last().unwrap();
                out[i].text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the one element of `<t>…</t>` or the `v` attribute of
    /// `<t v="…"/>`, as quick-xml reads it.
    fn read_text(escaped: &str) -> String {
        read_xml(&format!("<t>{escaped}</t>")).remove(0).text
    }

    fn read_attribute(escaped: &str) -> String {
        read_xml(&format!("<t v=\"{escaped}\"/>"))
            .remove(0)
            .attributes
            .remove("v")
            .unwrap()
    }

    const NASTY: &str = "A<b>&\"c'd,e\\f\r\ng\u{1}h\ti\u{FFFE}";

    #[test]
    fn xml_text_and_attributes_read_back_less_what_xml_forbids() {
        assert_eq!(
            xml_text(NASTY),
            "A&lt;b&gt;&amp;&quot;c&apos;d,e\\f&#13;\ngh\ti"
        );
        assert_eq!(
            xml_attribute(NASTY),
            "A&lt;b&gt;&amp;&quot;c&apos;d,e\\f&#13;&#10;gh&#9;i"
        );
        let kept = "A<b>&\"c'd,e\\f\r\ngh\ti";
        assert_eq!(read_text(&xml_text(NASTY)), kept);
        assert_eq!(read_attribute(&xml_attribute(NASTY)), kept);
        assert_eq!(xml_text("西城区"), "西城区");
    }

    #[test]
    fn dot_strings() {
        assert_eq!(
            dot_string("a\"b\\c\nd\te\u{1}\u{7f}f"),
            "\"a\\\"b\\\\c\\nd ef\""
        );
        assert_eq!(dot_string(""), "\"\"");
    }

    #[test]
    fn csv_fields() {
        assert_eq!(csv_field("plain"), "plain");
        assert!(matches!(csv_field("plain"), Cow::Borrowed(_)));
        assert_eq!(csv_field("a\u{1}b\u{7f}"), "ab");
        assert_eq!(csv_field("a\tb\r\nc,\"d\""), "a\tb\r\nc,\"d\"");
        assert_eq!(csv_field(""), "");
    }
}
