//! `[preprocessor.catalog]` settings.

use serde::Deserialize;

/// How entries are ordered on generated pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// As written in the category pages (default).
    #[default]
    Source,
    /// By name, case-insensitively.
    Name,
    /// By GitHub stars from the committed snapshot, most first; entries
    /// without a count keep their source order after those with one.
    Stars,
}

/// `[preprocessor.catalog]` in book.toml. Unknown keys are errors.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CatalogConfig {
    /// Entry order on generated pages: `"source"`, `"name"` or `"stars"`.
    pub order: Order,
    /// The GitHub snapshot read when `order = "stars"`, relative to the book's `src`.
    pub snapshot: String,
    /// Show each subcategory's first intro sentence on index pages.
    pub intro: bool,
    /// Show the one-line descriptions of entries on the technology map.
    pub map_descriptions: bool,
    /// Part titles (`# 技术主题` in SUMMARY.md) whose chapters the technology
    /// map covers; empty means every part, so papers or book lists in other
    /// parts are not counted as technologies.
    pub map_parts: Vec<String>,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        CatalogConfig {
            order: Order::Source,
            snapshot: "github-repos.json".into(),
            intro: true,
            map_descriptions: true,
            map_parts: Vec::new(),
        }
    }
}
