//! The whole book: every chapter (drafts included) in SUMMARY order, each
//! parsed once.

use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem, Chapter};

use crate::{Document, ParseOptions};

/// One chapter of the book with its parsed Markdown.
#[derive(Debug, Clone)]
pub struct ChapterModel {
    /// The chapter's title in SUMMARY.md.
    pub name: String,
    /// Section number, e.g. `2.3.`, if numbered.
    pub number: Option<String>,
    /// The rendered path (relative to the source dir), `None` for drafts.
    pub path: Option<PathBuf>,
    /// The source file (relative to the source dir), `None` for drafts and generated pages.
    pub source_path: Option<PathBuf>,
    /// Index of the parent chapter in [`BookModel::chapters`].
    pub parent: Option<usize>,
    /// Indices of the child chapters, in order.
    pub children: Vec<usize>,
    /// Nesting depth (0 for top level).
    pub depth: usize,
    /// The parsed content.
    pub doc: Document,
}

impl ChapterModel {
    /// True for a draft chapter (`- [Title]()`).
    pub fn is_draft(&self) -> bool {
        self.path.is_none()
    }

    /// The file diagnostics should name: the source file, else the rendered path.
    pub fn file(&self) -> Option<&Path> {
        self.source_path.as_deref().or(self.path.as_deref())
    }
}

/// Every chapter of a book, parsed once.
#[derive(Debug, Clone, Default)]
pub struct BookModel {
    /// Chapters in SUMMARY order (depth-first), drafts included.
    pub chapters: Vec<ChapterModel>,
}

impl BookModel {
    /// Builds the model of an mdBook [`Book`].
    pub fn from_book(book: &Book, options: &ParseOptions) -> BookModel {
        let mut model = BookModel::default();
        for item in &book.items {
            model.add_item(item, None, 0, options);
        }
        model
    }

    fn add_item(
        &mut self,
        item: &BookItem,
        parent: Option<usize>,
        depth: usize,
        options: &ParseOptions,
    ) {
        let BookItem::Chapter(ch) = item else {
            return;
        };
        let idx = self.add_chapter(ch, parent, depth, options);
        for sub in &ch.sub_items {
            self.add_item(sub, Some(idx), depth + 1, options);
        }
    }

    fn add_chapter(
        &mut self,
        ch: &Chapter,
        parent: Option<usize>,
        depth: usize,
        options: &ParseOptions,
    ) -> usize {
        let idx = self.chapters.len();
        self.chapters.push(ChapterModel {
            name: ch.name.clone(),
            number: ch.number.as_ref().map(|n| n.to_string()),
            path: ch.path.clone(),
            source_path: ch.source_path.clone(),
            parent,
            children: Vec::new(),
            depth,
            doc: Document::parse(ch.content.clone(), options),
        });
        if let Some(p) = parent {
            self.chapters[p].children.push(idx);
        }
        idx
    }

    /// Top-level chapters.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.chapters.len()).filter(|&i| self.chapters[i].parent.is_none())
    }

    /// The chapter rendered at `path` (relative to the source dir), or whose source is `path`.
    pub fn chapter_by_path(&self, path: &Path) -> Option<usize> {
        self.chapters
            .iter()
            .position(|c| c.path.as_deref() == Some(path) || c.source_path.as_deref() == Some(path))
    }

    /// All descendants of `idx`, depth-first in SUMMARY order (not `idx` itself).
    pub fn descendants(&self, idx: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.chapters[idx].children.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.chapters[i].children.iter().rev().copied());
        }
        out
    }
}
