//! `{{#include}}`-family directives, found as mdBook's `links` preprocessor
//! finds them: anywhere in the raw text (code blocks included), unless
//! escaped as `\{{#…}}`.

use serde::Serialize;

use crate::span::Span;

/// A `{{#name args}}` directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// The directive's name, e.g. `include`, `rustdoc_include`, `playground`, `title`, `catalog`.
    pub name: String,
    /// Everything after the name, trimmed (e.g. `file.rs:anchor`).
    pub args: String,
    /// The whole `{{#…}}`.
    pub span: Span,
    /// For file-including directives, the path part of `args` (before `:`).
    pub target: Option<String>,
    /// For file-including directives, the part after the first `:` (an anchor name or a line range).
    pub selector: Option<String>,
    /// True if the directive sits inside a code block or inline code span.
    pub in_code: bool,
}

impl Directive {
    /// True for the directives that include another file.
    pub fn includes_file(&self) -> bool {
        matches!(
            self.name.as_str(),
            "include" | "rustdoc_include" | "playground" | "playpen"
        )
    }
}

/// Finds every directive in `source`. `code` lists the spans of code blocks
/// and inline code, used only to set [`Directive::in_code`].
pub(crate) fn scan(source: &str, code: &[Span]) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut i = 0;
    let open = memchr::memmem::Finder::new("{{");
    while let Some(rel) = open.find(&source.as_bytes()[i..]) {
        let start = i + rel;
        i = start + 2;
        if start > 0 && source.as_bytes()[start - 1] == b'\\' {
            continue;
        }
        let rest = &source[i..];
        let ws = rest.len() - rest.trim_start().len();
        let rest = &rest[ws..];
        let Some(after_hash) = rest.strip_prefix('#') else {
            continue;
        };
        let name_len = after_hash
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = &after_hash[..name_len];
        let tail = &after_hash[name_len..];
        let Some(close) = tail.find("}}") else {
            continue;
        };
        let args_raw = &tail[..close];
        if args_raw.contains('}')
            || (!args_raw.is_empty() && !args_raw.starts_with(char::is_whitespace))
        {
            continue;
        }
        let end = i + ws + 1 + name_len + close + 2;
        let args = args_raw.trim().to_string();
        let span = Span::new(start, end);
        let mut d = Directive {
            name: name.to_string(),
            args: args.clone(),
            span,
            target: None,
            selector: None,
            in_code: code.iter().any(|c| c.start <= start && end <= c.end),
        };
        if d.includes_file() {
            let path_part = args.split_whitespace().next().unwrap_or("");
            match path_part.split_once(':') {
                Some((p, sel)) => {
                    d.target = Some(p.to_string());
                    d.selector = Some(sel.to_string());
                }
                None => d.target = Some(path_part.to_string()),
            }
        }
        out.push(d);
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_directives_and_skips_escaped_ones() {
        let src = "a {{#include foo.md:bar}} b \\{{#include no.md}} {{#catalog}} {{ #title T }}";
        let d = scan(src, &[]);
        let names: Vec<_> = d
            .iter()
            .map(|d| (d.name.as_str(), d.args.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![("include", "foo.md:bar"), ("catalog", ""), ("title", "T")]
        );
        assert_eq!(d[0].target.as_deref(), Some("foo.md"));
        assert_eq!(d[0].selector.as_deref(), Some("bar"));
        assert_eq!(d[0].span.text(src), "{{#include foo.md:bar}}");
    }
}
