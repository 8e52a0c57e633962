//! Running text: prose runs, URLs written in prose, `[text]` that did not
//! become a link, and the page's intro.

use mdbook_markdown::pulldown_cmark::{Event, TagEnd};

use super::Walker;
use crate::span::Span;
use crate::{Document, Link, UnlinkedBracket};

impl Walker<'_> {
    /// Collects the intro paragraph's plain text while it is open.
    pub(super) fn track_intro(&mut self, event: &Event<'_>) {
        if !self.in_intro {
            return;
        }
        match event {
            Event::Text(t) | Event::Code(t) => {
                self.intro.get_or_insert_with(String::new).push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => {
                self.intro.get_or_insert_with(String::new).push(' ')
            }
            Event::End(TagEnd::Paragraph) => {
                self.in_intro = false;
                self.intro_done = true;
            }
            _ => {}
        }
    }
}

/// Appends `span` to `runs`, merged with the last run when they touch.
pub(super) fn extend_runs(runs: &mut Vec<Span>, span: Span) {
    match runs.last_mut() {
        Some(last) if last.end == span.start => last.end = span.end,
        _ => runs.push(span),
    }
}

/// `scheme://…` written in prose text (not in code, HTML or a link
/// destination; link text is prose). A URL starts at its scheme and ends
/// before whitespace, a non-ASCII character or one of `<>"')]`.
pub(super) fn urls_in(source: &str, prose: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    // One SIMD search of the page, not one per run (a page has hundreds);
    // `://` cannot overlap itself, so the hits are the same.
    for p in memchr::memmem::find_iter(source.as_bytes(), b"://") {
        let Some(run) = prose[prose.partition_point(|r| r.end <= p)..].first() else {
            break;
        };
        if run.start > p || p + 3 > run.end {
            continue;
        }
        let text = run.text(source);
        let i = p - run.start;
        let start = text[..i]
            .rfind(|c: char| !c.is_ascii_alphanumeric())
            .map_or(0, |s| s + 1);
        if start == i {
            continue;
        }
        let end = text[i..]
            .find(|c: char| {
                c.is_whitespace()
                    || !c.is_ascii()
                    || matches!(c, ')' | '>' | '<' | ']' | '"' | '\'')
            })
            .map_or(text.len(), |e| i + e);
        out.push(Span::new(run.start + start, run.start + end));
    }
    out
}

/// `[text]` in the text `runs` that is not inside a link, not escaped, not
/// empty and not followed by `(`.
pub(super) fn unlinked_brackets(
    source: &str,
    runs: &[Span],
    links: &[Link],
) -> Vec<UnlinkedBracket> {
    let mut out = Vec::new();
    // Every `[` of the page from one SIMD scan; each run takes its own.
    let opens: Vec<usize> = memchr::memchr_iter(b'[', source.as_bytes()).collect();
    for run in runs {
        let text = run.text(source);
        let first = opens.partition_point(|&p| p < run.start);
        let mut i = 0;
        for open in opens[first..].iter().take_while(|&&p| p < run.end) {
            let open = open - run.start;
            if open < i {
                continue;
            }
            let Some(close_rel) = text[open + 1..].find([']', '[', '\n']) else {
                break;
            };
            let close = open + 1 + close_rel;
            if text.as_bytes()[close] != b']' {
                i = close;
                continue;
            }
            let inner = &text[open + 1..close];
            let span = Span::new(run.start + open, run.start + close + 1);
            let escaped = open > 0 && text.as_bytes()[open - 1] == b'\\';
            let in_link = links
                .iter()
                .any(|l| l.span.start <= span.start && span.end <= l.span.end);
            let next = text[close + 1..].chars().next();
            if !escaped && !in_link && !inner.trim().is_empty() && next != Some('(') {
                out.push(UnlinkedBracket {
                    text: inner.to_string(),
                    span,
                });
            }
            i = close + 1;
        }
    }
    out
}

/// The first sentence of the intro paragraph (see [`Document::intro_sentence`]).
pub(crate) fn intro_sentence(doc: &Document) -> Option<String> {
    let plain = doc.intro.as_deref()?.trim();
    let end = plain
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '。' | '！' | '？') || (*c == '.' && plain[i + 1..].starts_with(' '))
        })
        .map_or(plain.len(), |(i, c)| i + c.len_utf8());
    let s = plain[..end].trim();
    (!s.is_empty()).then(|| s.to_string())
}
