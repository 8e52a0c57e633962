//! A small scanner for raw HTML: tags and their attributes with byte spans.
//!
//! It is forgiving by design (unbalanced or broken HTML never fails): we only
//! need `href`, `src`, `id` and `name` attribute values and where they are.

pub use crate::entity::decode_entities;
use crate::span::Span;

/// An attribute found in a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlAttr {
    /// Lower-cased tag name, e.g. `a`, `img`, `h2`.
    pub tag: String,
    /// Lower-cased attribute name.
    pub name: String,
    /// Attribute value with character references decoded.
    pub value: String,
    /// Span of the raw value (without quotes), relative to the scanned text.
    pub value_span: Span,
    /// Span of the whole tag, relative to the scanned text.
    pub tag_span: Span,
}

/// Scans `text` for start tags and returns their attributes, in order.
pub fn scan_attributes(text: &str) -> Vec<HtmlAttr> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = text[i..].find('<') {
        let lt = i + rel;
        i = lt + 1;
        if text[i..].starts_with("!--") {
            // Comment: skip to its end (or the end of text).
            match text[i..].find("-->") {
                Some(e) => i += e + 3,
                None => break,
            }
            continue;
        }
        let name_len = text[i..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if name_len == 0 || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let tag = text[i..i + name_len].to_ascii_lowercase();
        let mut j = i + name_len;
        let mut attrs = Vec::new();
        // Attributes until '>' or end of text.
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'<' {
                break;
            }
            let n0 = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/' | b'<')
            {
                j += 1;
            }
            let name = text[n0..j].to_ascii_lowercase();
            let mut k = j;
            while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                k += 1;
            }
            if k < bytes.len() && bytes[k] == b'=' {
                k += 1;
                while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                    k += 1;
                }
                let (v0, v1, next) = if k < bytes.len() && (bytes[k] == b'"' || bytes[k] == b'\'') {
                    let q = bytes[k];
                    let v0 = k + 1;
                    match bytes[v0..].iter().position(|b| *b == q) {
                        Some(p) => (v0, v0 + p, v0 + p + 1),
                        None => (v0, bytes.len(), bytes.len()),
                    }
                } else {
                    let v0 = k;
                    let mut e = k;
                    while e < bytes.len() && !bytes[e].is_ascii_whitespace() && bytes[e] != b'>' {
                        e += 1;
                    }
                    (v0, e, e)
                };
                attrs.push((name, Span::new(v0, v1)));
                j = next;
            } else {
                if name.is_empty() {
                    j += 1;
                }
                attrs.push((name, Span::new(j, j)));
            }
        }
        let end = if j < bytes.len() && bytes[j] == b'>' {
            j + 1
        } else {
            j
        };
        let tag_span = Span::new(lt, end);
        for (name, value_span) in attrs {
            if name.is_empty() {
                continue;
            }
            out.push(HtmlAttr {
                tag: tag.clone(),
                name,
                value: decode_entities(value_span.text(text)),
                value_span,
                tag_span,
            });
        }
        i = end.max(i);
    }
    out
}

/// The text nodes of an inline HTML fragment (entities decoded), as mdBook 0.5
/// sees them when it tokenizes the fragment with html5ever: comments
/// (`<!-- a > b -->`, `<!-->`), bogus comments (`<!…>`, `<?…>`), tags with
/// quoted attribute values containing `>`, and the raw text of `script` and
/// `style` contribute nothing.
pub fn text_content(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let Some(first) = after.chars().next() else {
            text.push('<');
            rest = after;
            break;
        };
        rest = if let Some(comment) = after.strip_prefix("!--") {
            skip_comment(comment)
        } else if first == '!' || first == '?' {
            after.find('>').map_or("", |e| &after[e + 1..])
        } else if first == '/' {
            match after[1..].chars().next() {
                Some(c) if c.is_ascii_alphabetic() => skip_tag(&after[1..]).1,
                // `</>` is dropped; `</ x>` is a bogus comment.
                Some('>') => &after[2..],
                Some(_) => after.find('>').map_or("", |e| &after[e + 1..]),
                None => {
                    text.push_str("</");
                    ""
                }
            }
        } else if first.is_ascii_alphabetic() {
            let (name, after_tag) = skip_tag(after);
            if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
                skip_raw_text(after_tag, &name)
            } else {
                after_tag
            }
        } else {
            text.push('<');
            after
        };
    }
    text.push_str(rest);
    decode_entities(&text)
}

/// After `<!--`: the text after the comment (html5ever: `>` and `->` close an
/// empty comment at once; otherwise `-->` or `--!>`; unclosed runs to the end).
fn skip_comment(s: &str) -> &str {
    if let Some(rest) = s.strip_prefix('>').or_else(|| s.strip_prefix("->")) {
        return rest;
    }
    let close = [s.find("-->").map(|e| e + 3), s.find("--!>").map(|e| e + 4)]
        .into_iter()
        .flatten()
        .min();
    close.map_or("", |e| &s[e..])
}

/// After `<` or `</`: the tag name and the text after the tag's `>` (quoted
/// attribute values may contain `>`; an unclosed tag swallows the rest).
fn skip_tag(s: &str) -> (String, &str) {
    let name_len = s
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(s.len());
    let name = s[..name_len].to_string();
    let bytes = s.as_bytes();
    let mut i = name_len;
    let mut after_eq = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return (name, &s[i + 1..]),
            b'"' | b'\'' if after_eq => {
                let q = bytes[i];
                match bytes[i + 1..].iter().position(|b| *b == q) {
                    Some(p) => i += p + 2,
                    None => return (name, ""),
                }
                after_eq = false;
                continue;
            }
            b'=' => after_eq = true,
            b if b.is_ascii_whitespace() => {}
            _ => after_eq = false,
        }
        i += 1;
    }
    (name, "")
}

/// After `<script …>` or `<style …>`: the text after the matching end tag.
fn skip_raw_text<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let end_tag = format!("</{}", name.to_ascii_lowercase());
    let mut from = 0;
    while let Some(p) = lower[from..].find(&end_tag) {
        let at = from + p + end_tag.len();
        match lower.as_bytes().get(at) {
            Some(b) if b.is_ascii_whitespace() || *b == b'/' || *b == b'>' => {
                return skip_tag(&s[from + p + 2..]).1;
            }
            None => return "",
            _ => from = at,
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_content_keeps_only_text_nodes() {
        for (html, want) in [
            ("<span>行内</span>", "行内"),
            ("<!-- a > b -->", ""),
            ("<!-- a --!> b", " b"),
            ("<!--> x", " x"),
            ("<!---> x", " x"),
            ("<!-- unclosed > b", ""),
            ("<!DOCTYPE html>x", "x"),
            ("<?php echo 1 ?>x", "x"),
            (r#"<span title="a > b">c</span>"#, "c"),
            ("<span title='a > b'>c</span>", "c"),
            ("<script>if (a > b) {}</script>d", "d"),
            ("<STYLE>p > a {}</STYLE >e", "e"),
            ("a &amp; b", "a & b"),
            ("1 < 2", "1 < 2"),
            ("</ x>y", "y"),
        ] {
            assert_eq!(text_content(html), want, "{html}");
        }
    }

    #[test]
    fn finds_quoted_unquoted_and_broken_attributes() {
        let t = r#"<a href="x.md#y" id=top>t</a><img src='i.png'><div name="n" <p id="q">"#;
        let got: Vec<_> = scan_attributes(t)
            .into_iter()
            .map(|a| (a.tag, a.name, a.value))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a".into(), "href".into(), "x.md#y".into()),
                ("a".into(), "id".into(), "top".into()),
                ("img".into(), "src".into(), "i.png".into()),
                ("div".into(), "name".into(), "n".into()),
                ("p".into(), "id".into(), "q".into()),
            ]
        );
    }

    #[test]
    fn value_spans_point_at_raw_values() {
        let t = r#"<a href="a&amp;b">"#;
        let a = &scan_attributes(t)[0];
        assert_eq!(a.value, "a&b");
        assert_eq!(a.value_span.text(t), "a&amp;b");
    }

    #[test]
    fn comments_are_skipped() {
        assert!(scan_attributes("<!-- <a href=x> -->").is_empty());
    }
}
