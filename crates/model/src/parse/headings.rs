//! Headings and definition-list terms with the ids mdBook 0.5 gives them,
//! and the footnote anchors it writes.

use std::collections::{HashMap, HashSet};

use super::Walker;
use crate::heading_id::id_from_content;
use crate::span::Span;
use crate::{Anchor, Heading};

/// An open heading or `dt`.
pub(super) struct OpenHeading {
    level: u8,
    explicit: Option<String>,
    pub(super) text: String,
    start: usize,
    /// The last thing appended was a footnote reference: mdBook puts a space
    /// text node between two adjacent ones.
    pub(super) after_footnote: bool,
}

/// Footnotes as mdBook 0.5's HTML renderer numbers them: by first reference.
#[derive(Default)]
pub(super) struct Footnotes {
    /// Name → (number, references so far).
    numbers: HashMap<String, (usize, u32)>,
    /// Definitions in source order: name and the span of the definition.
    pub(super) defs: Vec<(String, Span)>,
}

impl Walker<'_> {
    /// Opens a heading (`level` 1–6) or a definition-list term (`level` 0).
    pub(super) fn start_heading(&mut self, level: u8, explicit: Option<String>, span: Span) {
        self.open_heading = Some(OpenHeading {
            level,
            explicit,
            text: String::new(),
            start: span.start,
            after_footnote: false,
        });
    }

    /// Closes the open heading: gives it its id and makes it the group of
    /// the list items that follow.
    pub(super) fn end_heading(&mut self, span: Span) {
        let Some(h) = self.open_heading.take() else {
            return;
        };
        let (id, explicit_id) = match h.explicit {
            Some(id) => (id, true),
            None => (self.ids.unique(&id_from_content(&h.text)), false),
        };
        if h.level >= 1 {
            self.group = Some((h.level, h.text.trim().to_string()));
        }
        self.headings.push(Heading {
            level: h.level,
            text: h.text.trim().to_string(),
            id,
            explicit_id,
            span: Span::new(h.start, span.end),
        });
    }

    pub(super) fn footnote_reference(&mut self, name: &str, span: Span) {
        // mdBook 0.5 writes `<sup id="fr-NAME-K"><a href="#footnote-NAME">N</a></sup>`:
        // the number is text of an enclosing heading, the `sup` a fragment target.
        let next = self.footnotes.numbers.len() + 1;
        let (number, count) = self
            .footnotes
            .numbers
            .entry(name.to_string())
            .or_insert((next, 0));
        *count += 1;
        self.anchors.push(Anchor {
            id: format!("fr-{name}-{count}"),
            tag: "sup".into(),
            span,
        });
        if let Some(h) = self.open_heading.as_mut() {
            if h.after_footnote {
                h.text.push(' ');
            }
            h.text.push_str(&number.to_string());
            h.after_footnote = true;
        }
    }

    /// Adds the anchors of footnote definitions, once every reference is known.
    pub(super) fn footnote_anchors(&mut self) {
        // mdBook keeps the first definition of each referenced footnote, as
        // `<li id="footnote-NAME">`; unreferenced ones are dropped.
        let mut defined = HashSet::new();
        for (name, span) in std::mem::take(&mut self.footnotes.defs) {
            if self.footnotes.numbers.contains_key(&name) && defined.insert(name.clone()) {
                self.anchors.push(Anchor {
                    id: format!("footnote-{name}"),
                    tag: "li".into(),
                    span,
                });
            }
        }
    }
}
