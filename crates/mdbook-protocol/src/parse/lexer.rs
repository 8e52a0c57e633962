//! Statement splitting, mirroring Mermaid 11's `sequenceDiagram` lexer: statements end at a
//! newline or `;`, `#` starts a comment unless it is an entity code `#…;`, `%%` comments,
//! `%%{…}%%` directives and front matter are skipped. Also the small text helpers the keyword
//! parsers share.

use super::Parser;
use crate::ast::*;
use crate::text::split_br;
use archmanual_model::{EntitySyntax, decode_entities_in};

impl Parser<'_> {
    /// Splits the source into statements and parses each one.
    pub(super) fn run(&mut self) {
        let mut bytes = self.src.as_bytes().to_vec();
        self.strip_front_matter(&mut bytes);
        self.strip_directives(&mut bytes);
        // Only whole characters were blanked, so this cannot fail; fall back to the source.
        self.clean = String::from_utf8(bytes).unwrap_or_else(|_| self.src.to_string());
        let clean = std::mem::take(&mut self.clean);
        let b = clean.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_whitespace() || c == b';' {
                i += 1;
                continue;
            }
            if clean[i..].starts_with("%%") || (c == b'#' && entity_len(b, i).is_none()) {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            // accDescr { … } spans lines.
            let lw = leading_word(&clean[i..]);
            if lw.eq_ignore_ascii_case("accdescr")
                && clean[i + lw.len()..].trim_start().starts_with('{')
            {
                let close = clean[i..].find('}').map(|k| i + k);
                let end = close.unwrap_or(b.len());
                let open = clean[i..].find('{').map_or(i, |k| i + k + 1);
                if close.is_none() {
                    self.err(
                        "PD001",
                        Span::new(start, end),
                        "`accDescr {` is not closed",
                        "add a line with `}`",
                    );
                }
                let text = clean[open..end].trim();
                self.d.acc_descr = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
                i = (end + 1).min(b.len());
                continue;
            }
            let mut comment = false;
            while i < b.len() {
                match b[i] {
                    b'\n' | b';' => break,
                    b'#' => match entity_len(b, i) {
                        Some(n) => i += n,
                        None => {
                            comment = true;
                            break;
                        }
                    },
                    _ => i += 1,
                }
            }
            let end = start + clean[start..i].trim_end().len();
            if comment {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            self.statements += 1;
            if self.statements > self.limits.max_events {
                self.err(
                    "PD003",
                    Span::new(start, end),
                    format!("more than {} statements", self.limits.max_events),
                    "split the diagram",
                );
                break;
            }
            self.statement(&clean, start, end);
            if self.errors.len() > 20 {
                break;
            }
        }
        self.clean = clean;
        self.finish();
    }

    fn strip_front_matter(&mut self, b: &mut [u8]) {
        let s = self.src;
        let lead = s.len() - s.trim_start().len();
        let first_end = s[lead..].find('\n').map_or(s.len(), |k| lead + k);
        if s[lead..first_end].trim() != "---" {
            return;
        }
        let mut pos = (first_end + 1).min(s.len());
        let mut close = None;
        while pos < s.len() {
            let le = s[pos..].find('\n').map_or(s.len(), |k| pos + k);
            if s[pos..le].trim() == "---" {
                close = Some(le);
                break;
            }
            let line = s[pos..le].trim();
            if let Some(t) = line.strip_prefix("title:") {
                let t = t.trim().trim_matches(['"', '\'']);
                if !t.is_empty() && self.d.title.is_none() {
                    self.d.title = Some(label(t));
                }
            }
            if line.replace(' ', "") == "wrap:true" {
                self.d.wrap = true;
            }
            pos = le + 1;
        }
        match close {
            Some(end) => blank(b, 0, end),
            None => self.err(
                "PD001",
                Span::new(lead, first_end),
                "front matter `---` is not closed",
                "add a closing `---` line",
            ),
        }
    }

    fn strip_directives(&mut self, b: &mut [u8]) {
        let s = self.src;
        let mut from = 0;
        while let Some(k) = s[from..].find("%%{") {
            let start = from + k;
            match s[start..].find("}%%") {
                Some(e) => {
                    let end = start + e + 3;
                    let inner: String = s[start + 3..end - 3]
                        .chars()
                        .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
                        .collect();
                    if inner == "wrap" || inner.contains("wrap:true") {
                        self.d.wrap = true;
                    }
                    blank(b, start, end);
                    from = end;
                }
                None => {
                    self.err(
                        "PD001",
                        Span::new(start, start + 3),
                        "directive `%%{` is not closed with `}%%`",
                        "",
                    );
                    blank(b, start, s.len());
                    return;
                }
            }
        }
    }
}

pub(super) fn entity_len(b: &[u8], i: usize) -> Option<usize> {
    // `#\w+;` starting at i
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    (j > i + 1 && j < b.len() && b[j] == b';').then_some(j + 1 - i)
}

pub(super) fn leading_word(s: &str) -> &str {
    let n = s
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'_')
        .count();
    &s[..n]
}

pub(super) fn blank(b: &mut [u8], start: usize, end: usize) {
    for x in &mut b[start..end] {
        if *x != b'\n' {
            *x = b' ';
        }
    }
}

/// Splits `who: text` at the first ASCII colon.
pub(super) fn split_colon(s: &str) -> (&str, Option<&str>) {
    match s.find(':') {
        Some(k) => (&s[..k], Some(&s[k + 1..])),
        None => (s, None),
    }
}

/// `ID as Alias`, the `as` surrounded by whitespace and case-insensitive.
pub(super) fn split_as(s: &str) -> Option<(&str, &str)> {
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = lower[from..].find("as") {
        let i = from + k;
        let before_ws = i > 0 && lower.as_bytes()[i - 1].is_ascii_whitespace();
        let after_ws = lower
            .as_bytes()
            .get(i + 2)
            .is_some_and(|b| b.is_ascii_whitespace());
        if before_ws && after_ws {
            return Some((&s[..i], s[i + 2..].trim()));
        }
        from = i + 2;
    }
    None
}

/// A label from raw text: `wrap:`/`nowrap:` prefix, entities, `<br>` lines.
pub(super) fn label(raw: &str) -> Label {
    let mut t = raw.trim();
    let mut wrap = None;
    for (p, w) in [
        (":wrap:", true),
        ("wrap:", true),
        (":nowrap:", false),
        ("nowrap:", false),
    ] {
        if let Some(r) = t.strip_prefix(p) {
            wrap = Some(w);
            t = r.trim_start();
            break;
        }
    }
    let lines = split_br(t)
        .into_iter()
        .map(|l| decode_entities_in(l.trim(), EntitySyntax::Mermaid))
        .collect();
    Label { lines, wrap }
}

/// Lenient JSON-ish object: `"key": "value"` pairs; keys may be bare, strings may use `'`.
pub(super) fn parse_config(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    let read_token = |i: &mut usize| -> Result<String, String> {
        if *i >= chars.len() {
            return Err("unexpected end".into());
        }
        let q = chars[*i];
        if q == '"' || q == '\'' {
            *i += 1;
            let st = *i;
            while *i < chars.len() && chars[*i] != q {
                if chars[*i] == '\n' {
                    return Err("unterminated string".into());
                }
                *i += 1;
            }
            if *i >= chars.len() {
                return Err("unterminated string".into());
            }
            let v: String = chars[st..*i].iter().collect();
            *i += 1;
            Ok(v)
        } else {
            let st = *i;
            while *i < chars.len()
                && (chars[*i].is_alphanumeric()
                    || chars[*i] == '_'
                    || chars[*i] == '-'
                    || chars[*i] == '.')
            {
                *i += 1;
            }
            if st == *i {
                return Err(format!("unexpected `{}`", chars[*i]));
            }
            Ok(chars[st..*i].iter().collect())
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        let k = read_token(&mut i)?;
        skip_ws(&mut i);
        if i >= chars.len() || chars[i] != ':' {
            return Err(format!("expected `:` after `{k}`"));
        }
        i += 1;
        skip_ws(&mut i);
        let v = read_token(&mut i)?;
        out.push((k, v));
        skip_ws(&mut i);
        if i < chars.len() {
            if chars[i] == ',' {
                i += 1;
            } else {
                return Err(format!("expected `,` or `}}`, found `{}`", chars[i]));
            }
        }
    }
    Ok(out)
}
