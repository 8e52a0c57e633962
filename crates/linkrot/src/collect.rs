//! Every external link of the book, with every place it is written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use archmanual_model::{BookModel, is_external};
use serde::{Deserialize, Serialize};

use crate::LinkrotError;

/// Where a link is written: the file relative to the book root (e.g.
/// `book/backend/mq/index.md`), 1-based line and column of the destination.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Occurrence {
    /// File, relative to the book root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
}

/// One distinct external URL and all its occurrences (in file order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectedLink {
    /// The URL as written (trimmed).
    pub url: String,
    /// Where it is written.
    pub occurrences: Vec<Occurrence>,
}

/// A book loaded from disk and parsed once.
#[derive(Debug)]
pub struct LoadedBook {
    /// The book root (the directory with `book.toml`).
    pub root: PathBuf,
    /// The source directory, relative to the root (`book.src`).
    pub src: PathBuf,
    /// The shared Markdown model.
    pub model: BookModel,
}

/// Loads the book at `root` (raw sources, no preprocessors) into the shared
/// model, with the loader every command uses: nothing is written into the
/// book, a chapter that is missing or not UTF-8 is skipped (`archmanual
/// lint` reports it).
pub fn load_book(root: &Path) -> Result<LoadedBook, LinkrotError> {
    let loaded = archmanual_model::LoadedBook::load(root).map_err(|source| LinkrotError::Book {
        path: root.to_path_buf(),
        source,
    })?;
    Ok(LoadedBook {
        root: root.to_path_buf(),
        src: loaded.config.book.src.clone(),
        model: loaded.model(),
    })
}

/// Every distinct external (`http`/`https`) link of `model`, sorted by URL.
/// File names are `src` joined with the chapter's source path.
pub fn collect_links(model: &BookModel, src: &Path) -> Vec<CollectedLink> {
    let mut by_url: BTreeMap<String, Vec<Occurrence>> = BTreeMap::new();
    for chapter in &model.chapters {
        let Some(file) = chapter.file() else {
            continue;
        };
        let file = slash_path(&src.join(file));
        let doc = &chapter.doc;
        for link in &doc.links {
            let url = link.dest.trim();
            if !is_external(url) {
                continue;
            }
            let loc = doc.location(link.dest_span.unwrap_or(link.span));
            by_url.entry(url.to_owned()).or_default().push(Occurrence {
                file: file.clone(),
                line: loc.line,
                column: loc.column,
            });
        }
    }
    by_url
        .into_iter()
        .map(|(url, mut occurrences)| {
            occurrences.sort();
            occurrences.dedup();
            CollectedLink { url, occurrences }
        })
        .collect()
}

fn slash_path(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use archmanual_model::ParseOptions;
    use mdbook_driver::book::{Book, BookItem, Chapter};

    fn chapter(name: &str, path: &str, content: &str) -> BookItem {
        BookItem::Chapter(Chapter::new(name, content.to_owned(), path, Vec::new()))
    }

    #[test]
    fn collects_external_links_with_positions_deduplicated_by_url() {
        let mut book = Book::new();
        book.items.push(chapter(
            "A",
            "a/index.md",
            "# A\n\n- [Kafka](https://github.com/apache/kafka) - 日志。\n- [本地](../b.md)\n\n`https://in.code/x`\n",
        ));
        book.items.push(chapter(
            "B",
            "b.md",
            "# B\n\n见 [Kafka](https://github.com/apache/kafka) 与 <https://example.com/x>。\n",
        ));
        let model = BookModel::from_book(&book, &ParseOptions::default());
        let links = collect_links(&model, Path::new("book"));
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://example.com/x", "https://github.com/apache/kafka"]
        );
        let kafka = &links[1];
        assert_eq!(
            kafka.occurrences,
            vec![
                Occurrence {
                    file: "book/a/index.md".into(),
                    line: 3,
                    column: 11
                },
                Occurrence {
                    file: "book/b.md".into(),
                    line: 3,
                    column: 11
                },
            ]
        );
    }
}
