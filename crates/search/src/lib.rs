#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod capture;
mod index;
mod page;
mod site;

use std::path::PathBuf;

pub use capture::BookCapture;
pub use index::{IndexOptions, IndexReport, index_book};
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
    #[error("cannot read {path}: {source}; build the book again")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be written into the built book.
    #[error("cannot write {path}: {source}; check that the build directory is writable")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Pagefind rejected a page or failed to build the index.
    #[error("the search index failed on {what}: {message}")]
    Pagefind {
        /// The page, entry or step.
        what: String,
        /// Pagefind's message.
        message: String,
    },
    /// The indexer's async runtime could not start.
    #[error("cannot start the search indexer: {0}")]
    Runtime(std::io::Error),
    /// mdBook's configuration could not be changed.
    #[error("cannot switch off mdBook's own search index: {0}")]
    Config(String),
}

/// Switches mdBook's own search *index* off in `config` while keeping its
/// search markup (the menu-bar button, `#mdbook-search-wrapper`,
/// `#mdbook-searchbar`, `#mdbook-searchresults`) for our UI to bind to:
/// `copy-js = false` drops `searchindex.js` and mdBook's search scripts, and
/// disabling search for every chapter (`chapter."" = { enable = false }`)
/// spares building an elasticlunr index that would be thrown away.
///
/// Returns `false` (and changes nothing) when the book disables search
/// (`[output.html.search] enable = false`): then nothing should be indexed.
pub fn use_pagefind_for_search(
    config: &mut mdbook_preprocessor::config::Config,
    has_chapters: bool,
) -> Result<bool, SearchError> {
    let enabled = config
        .get::<bool>("output.html.search.enable")
        .map_err(|e| SearchError::Config(format!("{e:#}")))?
        .unwrap_or(true);
    if !enabled {
        return Ok(false);
    }
    let set =
        |config: &mut mdbook_preprocessor::config::Config, key: &str, value: serde_json::Value| {
            config
                .set(key, value)
                .map_err(|e| SearchError::Config(format!("{e:#}")))
        };
    set(
        config,
        "output.html.search.copy-js",
        serde_json::json!(false),
    )?;
    // mdBook rejects a chapter key that matches no chapter, so only with chapters.
    if has_chapters {
        set(
            config,
            "output.html.search.chapter",
            serde_json::json!({ "": { "enable": false } }),
        )?;
    }
    Ok(true)
}
