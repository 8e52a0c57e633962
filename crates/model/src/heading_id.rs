//! Heading ids exactly as mdBook 0.5 (`mdbook-html`) generates them.
//!
//! mdBook 0.5 takes the heading's text nodes (after smart punctuation and
//! entity decoding), then `trim → to_lowercase → keep alphanumeric, '_' and
//! '-' → whitespace becomes '-'`, then makes it unique per page by probing
//! `-1`, `-2`, … against a set of ids already used. Explicit `{#id}` ids are
//! used verbatim and do not reserve their name.

use rustc_hash::FxHashSet;

/// mdBook 0.5's `id_from_content`.
pub fn id_from_content(content: &str) -> String {
    content
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Per-page de-duplication, mdBook 0.5's `unique_id`.
#[derive(Debug, Default, Clone)]
pub struct IdAllocator {
    used: FxHashSet<String>,
}

impl IdAllocator {
    /// Returns `id` if unused, else the first free `id-N` (N = 1, 2, …).
    pub fn unique(&mut self, id: &str) -> String {
        if self.used.insert(id.to_string()) {
            return id.to_string();
        }
        let mut counter: u32 = 1;
        loop {
            let candidate = format!("{id}-{counter}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            counter += 1;
        }
    }
}
