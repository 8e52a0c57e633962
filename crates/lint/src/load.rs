//! Loads a book like `mdbook_driver::MDBook::load` (config with environment
//! overrides, SUMMARY.md, chapter sources before any preprocessor), except
//! that a chapter file SUMMARY.md lists but that is missing becomes an empty
//! chapter and a finding (AM018) instead of a failed load.

use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book as MdBook, BookItem, Chapter};
use mdbook_preprocessor::config::Config;
use mdbook_summary::{Link, SummaryItem};

use crate::LintError;

/// What the loader read.
pub(crate) struct Loaded {
    pub(crate) config: Config,
    pub(crate) book: MdBook,
    /// SUMMARY.md's text.
    pub(crate) summary: String,
    /// Chapters listed in SUMMARY.md whose file is missing (relative to src).
    pub(crate) missing: Vec<PathBuf>,
}

pub(crate) fn load(root: &Path) -> Result<Loaded, LintError> {
    let err = |message: String| LintError::Load {
        root: root.to_path_buf(),
        message,
    };
    let config_file = root.join("book.toml");
    let mut config = if config_file.exists() {
        Config::from_disk(&config_file).map_err(|e| err(format!("{e:#}")))?
    } else {
        Config::default()
    };
    config
        .update_from_env()
        .map_err(|e| err(format!("{e:#}")))?;
    let src_dir = root.join(&config.book.src);
    let summary_path = src_dir.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .map_err(|e| err(format!("cannot read {}: {e}", summary_path.display())))?;
    let parsed = mdbook_summary::parse_summary(&summary).map_err(|e| err(format!("{e:#}")))?;
    let mut missing = Vec::new();
    let items = parsed
        .prefix_chapters
        .iter()
        .chain(&parsed.numbered_chapters)
        .chain(&parsed.suffix_chapters)
        .map(|i| load_item(i, &src_dir, Vec::new(), &mut missing))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Loaded {
        config,
        book: MdBook::new_with_items(items),
        summary,
        missing,
    })
}

fn load_item(
    item: &SummaryItem,
    src_dir: &Path,
    parents: Vec<String>,
    missing: &mut Vec<PathBuf>,
) -> Result<BookItem, LintError> {
    Ok(match item {
        SummaryItem::Link(link) => {
            BookItem::Chapter(load_chapter(link, src_dir, parents, missing)?)
        }
        SummaryItem::PartTitle(t) => BookItem::PartTitle(t.clone()),
        _ => BookItem::Separator,
    })
}

fn load_chapter(
    link: &Link,
    src_dir: &Path,
    parents: Vec<String>,
    missing: &mut Vec<PathBuf>,
) -> Result<Chapter, LintError> {
    let mut ch = match &link.location {
        Some(loc) => {
            let path = src_dir.join(loc);
            let content = match std::fs::read_to_string(&path) {
                Ok(mut c) => {
                    if c.starts_with('\u{feff}') {
                        c.replace_range(..3, "");
                    }
                    c
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    missing.push(loc.clone());
                    String::new()
                }
                Err(source) => return Err(LintError::Io { path, source }),
            };
            Chapter::new(&link.name, content, loc.clone(), parents.clone())
        }
        None => Chapter::new_draft(&link.name, parents.clone()),
    };
    ch.number = link.number.clone();
    let mut sub_parents = parents;
    sub_parents.push(link.name.clone());
    ch.sub_items = link
        .nested_items
        .iter()
        .map(|i| load_item(i, src_dir, sub_parents.clone(), missing))
        .collect::<Result<_, _>>()?;
    Ok(ch)
}
