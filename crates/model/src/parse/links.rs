//! Links and images: how each was written and where its destination is.

use mdbook_markdown::pulldown_cmark::{Event, LinkType, Tag};

use super::Walker;
use crate::span::Span;
use crate::{Link, LinkKind};

/// An open link or image.
pub(super) struct OpenLink {
    /// Index into the links found so far.
    pub(super) index: usize,
    last_child_end: Option<usize>,
}

impl Walker<'_> {
    /// Tracks the end of the last child of every open link (to find `](`).
    pub(super) fn track_link_children(&mut self, event: &Event<'_>, span: Span) {
        if matches!(event, Event::Start(Tag::Link { .. } | Tag::Image { .. })) {
            return;
        }
        for l in self.open_links.iter_mut() {
            // The link's own End event spans the whole link: not a child.
            if self.links[l.index].span != span {
                l.last_child_end = Some(l.last_child_end.map_or(span.end, |e| e.max(span.end)));
            }
        }
    }

    /// Opens a link or image (`tag` is `Tag::Link` or `Tag::Image`).
    pub(super) fn start_link(&mut self, tag: Tag<'_>, span: Span) {
        let (image, link_type, dest_url, title, id) = match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => (false, link_type, dest_url, title, id),
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => (true, link_type, dest_url, title, id),
            _ => return,
        };
        let kind = match link_type {
            LinkType::Inline => LinkKind::Inline,
            LinkType::Reference | LinkType::ReferenceUnknown => LinkKind::Reference,
            LinkType::Collapsed | LinkType::CollapsedUnknown => LinkKind::Collapsed,
            LinkType::Shortcut | LinkType::ShortcutUnknown => LinkKind::Shortcut,
            LinkType::Autolink => LinkKind::Autolink,
            LinkType::Email => LinkKind::Email,
            LinkType::WikiLink { .. } => LinkKind::Inline,
        };
        let dest_span = match kind {
            LinkKind::Autolink | LinkKind::Email => {
                Some(Span::new(span.start + 1, span.end.saturating_sub(1)))
            }
            LinkKind::Reference | LinkKind::Collapsed | LinkKind::Shortcut => {
                let label = id.to_string();
                let key = if label.is_empty() { None } else { Some(label) };
                key.and_then(|k| find_def(self.source, &self.defs, &k))
                    .or_else(|| {
                        // Collapsed/shortcut: the label is the text; match by dest.
                        self.defs
                            .iter()
                            .find(|(_, _, d)| d == dest_url.as_ref())
                            .and_then(|(_, s, _)| def_dest_span(self.source, *s))
                    })
            }
            _ => None,
        };
        self.note_link_in_item(self.links.len());
        self.links.push(Link {
            kind,
            image,
            dest: dest_url.to_string(),
            title: title.to_string(),
            text: String::new(),
            span,
            dest_span,
            in_heading: self.open_heading.is_some(),
        });
        self.open_links.push(OpenLink {
            index: self.links.len() - 1,
            last_child_end: None,
        });
    }

    /// Closes the innermost link or image: finds where an inline
    /// destination is written, and passes an image's text to its outer link.
    pub(super) fn end_link(&mut self) {
        let Some(open) = self.open_links.pop() else {
            return;
        };
        let link = &mut self.links[open.index];
        if link.kind == LinkKind::Inline {
            let from = open.last_child_end.unwrap_or(link.span.start + 1);
            link.dest_span = inline_dest_span(self.source, from, link.span.end);
        }
        // The text of a nested image counts as text of the outer link.
        let text = link.text.clone();
        if let Some(outer) = self.open_links.last() {
            self.links[outer.index].text.push_str(&text);
        }
    }
}

/// The destination span of the reference definition labelled `label`
/// (matched as CommonMark matches labels: case and spacing ignored).
fn find_def(source: &str, defs: &[(String, Span, String)], label: &str) -> Option<Span> {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let want = norm(label);
    defs.iter()
        .find(|(l, _, _)| norm(l) == want)
        .and_then(|(_, s, _)| def_dest_span(source, *s))
}

/// The destination inside a reference definition `[label]: dest "title"`.
fn def_dest_span(source: &str, def: Span) -> Option<Span> {
    let text = source.get(def.start..def.end)?;
    let colon = text.find("]:")? + 2;
    let rest = &text[colon..];
    let ws = rest.len() - rest.trim_start().len();
    let start = colon + ws;
    raw_dest(&text[start..]).map(|(s, e)| Span::new(def.start + start + s, def.start + start + e))
}

/// The destination inside `](dest "title")`, searched from `from` to `end`.
fn inline_dest_span(source: &str, from: usize, end: usize) -> Option<Span> {
    let text = source.get(from..end)?;
    // The first `](` (memchr for `]`: no substring searcher per link).
    let bytes = text.as_bytes();
    let open = memchr::memchr_iter(b']', bytes).find(|&i| bytes.get(i + 1) == Some(&b'('))? + 2;
    let rest = &text[open..];
    let ws = rest.len() - rest.trim_start().len();
    let start = open + ws;
    raw_dest(&text[start..]).map(|(s, e)| Span::new(from + start + s, from + start + e))
}

/// Start and end of a raw link destination at the start of `text`.
fn raw_dest(text: &str) -> Option<(usize, usize)> {
    if let Some(inner) = text.strip_prefix('<') {
        let close = inner.find('>')?;
        return Some((1, 1 + close));
    }
    let mut depth = 0i32;
    let mut end = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            end = i + c.len_utf8();
            continue;
        }
        match c {
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            c if c.is_whitespace() => break,
            _ => {}
        }
        end = i + c.len_utf8();
    }
    Some((0, end))
}
