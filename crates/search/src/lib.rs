#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod capture;
mod index;
mod page;
mod render;
mod site;

use std::path::PathBuf;

pub use capture::BookCapture;
pub use index::{IndexOptions, IndexReport, index_book};
pub use render::{
    Outcome, SearchLanguage, SearchMarkup, html_dir, index_rendered_book, search_enabled,
    search_language, skip_mdbook_index, theme_search_markup,
};
pub use site::{EntryRecord, Page, SearchSite};

/// The search UI's script (owned by the UI; see `INTERFACE.md`).
pub const UI_JS: &str = include_str!("../assets/archmanual-search.js");
/// The search UI's stylesheet.
pub const UI_CSS: &str = include_str!("../assets/archmanual-search.css");
/// Where [`UI_JS`] is written, relative to the book's output directory.
pub const UI_JS_FILE: &str = "archmanual-search.js";
/// Where [`UI_CSS`] is written, relative to the book's output directory.
pub const UI_CSS_FILE: &str = "archmanual-search.css";
/// The Pagefind bundle's directory, relative to the book's output directory.
pub const BUNDLE_DIR: &str = "pagefind";
/// The filter with each result's theme (`后端主题`, `分布式理论`, …).
pub const THEME_FILTER: &str = "主题";
/// The filter with each entry's tags.
pub const TAG_FILTER: &str = "标签";

/// Errors while indexing a book.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// A file or directory of the built book could not be read.
    #[error("cannot read {path}; build the book again")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be written into the built book.
    #[error("cannot write {path}; check that the build directory is writable")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Pagefind rejected a page or failed to build the index.
    #[error("the search index failed on {what}")]
    Pagefind {
        /// The page, entry or step.
        what: String,
        /// Pagefind's error and its causes.
        source: archmanual_model::BoxedError,
    },
    /// The indexer's async runtime could not start.
    #[error("cannot start the search indexer")]
    Runtime(#[source] std::io::Error),
    /// mdBook's configuration could not be changed.
    #[error("cannot switch off mdBook's own search index")]
    Config(#[source] archmanual_model::BoxedError),
    /// There is no HTML where mdBook's HTML renderer writes it.
    #[error(
        "no HTML book in {dir}; search indexes the output of mdBook's HTML renderer: keep `[output.html]` in book.toml (an empty table will do) next to `[output.search]`"
    )]
    NoHtml {
        /// Where the HTML was expected.
        dir: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The book's sources (for catalog entries) could not be read.
    #[error("cannot read the book's sources for the search index")]
    Source(#[source] archmanual_model::LoadError),
    /// The GitHub snapshot (for the entries' stars) could not be read.
    #[error("cannot read the GitHub snapshot for the search index")]
    Snapshot(#[source] archmanual_github_snapshot::SnapshotError),
}
