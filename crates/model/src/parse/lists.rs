//! Lists and list items as the walk meets them: each item's first
//! paragraph, its plain text and links, its nested items and its group.
//! `entries` reads catalog entries from these once the walk is over.

use mdbook_markdown::pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Walker;
use crate::span::Span;

/// What we remember of a list item while walking it.
#[derive(Default)]
pub(super) struct ItemInfo<'s> {
    pub(super) span: Span,
    /// Span of the first paragraph (inline content before any nested block).
    pub(super) first_para: Option<Span>,
    first_para_closed: bool,
    /// Plain-text pieces of the first paragraph with their source start;
    /// most borrow from the source, so a piece costs no allocation.
    pub(super) pieces: Vec<(usize, CowStr<'s>)>,
    /// Links (indices) that start inside the first paragraph.
    pub(super) links: Vec<usize>,
    /// Nested items (direct children of this item's nested lists).
    pub(super) children: Vec<usize>,
    /// The group heading in force when the item started.
    pub(super) group: Option<String>,
}

/// One list being walked.
pub(super) struct OpenList {
    pub(super) ordered: bool,
    /// Its items (indices), in order.
    pub(super) items: Vec<usize>,
    /// Nesting in lists and block quotes; 1 for a list at the top of the page.
    depth: usize,
}

impl<'s> Walker<'s> {
    /// Grows the innermost item's first paragraph over the event at `span`,
    /// until a nested block or the paragraph's end closes it.
    pub(super) fn track_first_paragraph(&mut self, event: &Event<'_>, span: Span) {
        let Some(&it) = self.item_stack.last() else {
            return;
        };
        let item = &mut self.items[it];
        if item.first_para_closed {
            return;
        }
        match event {
            Event::Start(Tag::List(_) | Tag::CodeBlock(_) | Tag::BlockQuote(_))
            | Event::End(TagEnd::Paragraph) => {
                if item.first_para.is_some() {
                    item.first_para_closed = true;
                }
            }
            Event::Start(Tag::Paragraph | Tag::Item) | Event::End(TagEnd::Item) => {}
            _ => {
                let fp = item.first_para.get_or_insert(span);
                fp.start = fp.start.min(span.start);
                fp.end = fp.end.max(span.end);
            }
        }
    }

    /// Adds plain text starting at `start` to the innermost item's first paragraph.
    pub(super) fn push_piece(&mut self, start: usize, t: CowStr<'s>) {
        if let Some(&it) = self.item_stack.last() {
            let item = &mut self.items[it];
            if !item.first_para_closed {
                item.pieces.push((start, t));
            }
        }
    }

    /// Notes that link `index` starts in the innermost item's first paragraph.
    pub(super) fn note_link_in_item(&mut self, index: usize) {
        if let Some(&it) = self.item_stack.last() {
            let item = &mut self.items[it];
            if !item.first_para_closed {
                item.links.push(index);
            }
        }
    }

    pub(super) fn start_list(&mut self, ordered: bool) {
        self.lists.push(OpenList {
            ordered,
            items: Vec::new(),
            depth: self.lists.len() + 1 + self.blockquote_depth,
        });
    }

    pub(super) fn end_list(&mut self) {
        if let Some(list) = self.lists.pop()
            && list.depth == 1
        {
            self.finished_top_lists.push(list);
        }
    }

    pub(super) fn start_item(&mut self, span: Span) {
        let idx = self.items.len();
        if let Some(&parent) = self.item_stack.last() {
            self.items[parent].children.push(idx);
        }
        self.items.push(ItemInfo {
            span,
            group: self
                .group
                .as_ref()
                .filter(|(level, _)| *level >= 3)
                .map(|(_, t)| t.clone()),
            ..ItemInfo::default()
        });
        if let Some(list) = self.lists.last_mut() {
            list.items.push(idx);
        }
        self.item_stack.push(idx);
    }
}
