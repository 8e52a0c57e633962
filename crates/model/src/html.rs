//! A small scanner for raw HTML: tags and their attributes with byte spans.
//!
//! It is forgiving by design (unbalanced or broken HTML never fails): we only
//! need `href`, `src`, `id` and `name` attribute values and where they are.

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

/// Decodes the character references that matter in URLs and ids.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let semi = rest.find(';').filter(|&e| e <= 10);
        let decoded = semi.and_then(|e| {
            let ent = &rest[1..e];
            let ch = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Strips tags from inline HTML, keeping text content (entities decoded).
pub fn text_content(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    decode_entities(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
