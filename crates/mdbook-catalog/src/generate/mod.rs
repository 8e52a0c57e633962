//! Generated pages, built as Markdown events and serialised with
//! `pulldown-cmark-to-cmark`, so names containing `[`, `*` or `|` come out
//! escaped instead of breaking the page.
//!
//! One file per page kind (`index`: category indexes, `map`: the technology
//! map); `advice` reads the sentence a category page recommends, `markdown`
//! builds and serialises the events, `stars` ranks entries by stars.

mod advice;
mod index;
mod map;
mod map_svg;
mod markdown;
mod stars;

pub use markdown::escape_text;
pub use stars::StarLookup;

use std::path::{Path, PathBuf};

use archmanual_model::{BookModel, Entry};
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};

use crate::config::{CatalogConfig, Order};
use crate::paths::relative_link;
use markdown::{Events, link, text};

/// A generated page.
pub(crate) struct Page {
    pub(crate) markdown: String,
    pub(crate) entry_count: usize,
    pub(crate) subcategories: usize,
}

/// Writes the generated pages of one book.
pub(crate) struct Generator<'a> {
    pub(crate) model: &'a BookModel,
    pub(crate) paths: &'a [Option<PathBuf>],
    pub(crate) config: &'a CatalogConfig,
    pub(crate) stars: Option<&'a StarLookup>,
    /// The SUMMARY.md part of each top-level chapter (see `map_parts`).
    pub(crate) parts: &'a [Option<String>],
    /// Entry anchors of every chapter (`archmanual_model::entry_anchors`).
    pub(crate) anchors: &'a [Vec<String>],
}

impl Generator<'_> {
    fn path(&self, i: usize) -> Option<&Path> {
        self.paths[i].as_deref()
    }

    /// Entries of chapter `i` and all its descendants.
    fn subtree_entry_count(&self, i: usize) -> usize {
        std::iter::once(i)
            .chain(self.model.descendants(i))
            .map(|c| self.model.chapters[c].doc.entries.len())
            .sum()
    }

    /// Entries in the configured order.
    fn ordered<'e>(&self, entries: &'e [Entry]) -> Vec<&'e Entry> {
        let mut v: Vec<&Entry> = entries.iter().collect();
        match self.config.order {
            Order::Source => {}
            Order::Name => v.sort_by_key(|e| e.name.to_lowercase()),
            Order::Stars => {
                let stars = |e: &Entry| self.stars.and_then(|s| s.stars_of(&e.url));
                // Stable: unknown counts keep their order after known ones.
                v.sort_by_key(|e| std::cmp::Reverse(stars(e)));
            }
        }
        v
    }

    /// An entry of chapter `c`, listed on the page at `here`: its link, its
    /// description, and a link to the entry on its category page.
    fn entry_item(&self, ev: &mut Events, e: &Entry, description: bool, here: &Path, c: usize) {
        ev.push(Event::Start(Tag::Item));
        link(ev, &e.url, |ev| text(ev, &e.name));
        if description && !e.description.is_empty() {
            text(ev, &format!(" - {}", e.description));
        }
        let k = self.model.chapters[c]
            .doc
            .entries
            .iter()
            .position(|x| x.span == e.span);
        if let (Some(page), Some(anchor)) = (self.path(c), k.and_then(|k| self.anchors[c].get(k))) {
            text(ev, " ");
            link(
                ev,
                &format!("{}#{anchor}", relative_link(here, page)),
                |ev| text(ev, "→"),
            );
        }
        ev.push(Event::End(TagEnd::Item));
    }

    fn chapter_link(&self, ev: &mut Events, here: &Path, c: usize, label: &str) {
        match self.path(c) {
            Some(p) => link(ev, &relative_link(here, p), |ev| text(ev, label)),
            None => text(ev, label),
        }
    }
}
