//! The whole book: every chapter (drafts included) in SUMMARY order, each
//! parsed once.

use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem, Chapter};

use crate::span::LineIndex;
use crate::{Document, Link, LinkTarget, ParseOptions, parse};

/// The chapters under `item` in SUMMARY order (depth-first), each with its
/// parent's index in `out` and its depth.
fn flatten<'b>(
    item: &'b BookItem,
    parent: Option<usize>,
    depth: usize,
    out: &mut Vec<(&'b Chapter, Option<usize>, usize)>,
) {
    let BookItem::Chapter(ch) = item else {
        return;
    };
    let idx = out.len();
    out.push((ch, parent, depth));
    for sub in &ch.sub_items {
        flatten(sub, Some(idx), depth + 1, out);
    }
}

/// Parses every chapter on every core; the documents are in chapter order.
fn parse_all(
    flat: &[(&Chapter, Option<usize>, usize)],
    options: &ParseOptions,
    lines_of: &(dyn Fn(&Chapter) -> Option<LineIndex> + Sync),
) -> Vec<Document> {
    let parse = |ch: &Chapter| {
        let lines = lines_of(ch).unwrap_or_else(|| LineIndex::new(&ch.content));
        parse::parse_with_lines(ch.content.clone(), lines, options)
    };
    let total: usize = flat.iter().map(|(ch, ..)| ch.content.len()).sum();
    // Below 64 KiB starting threads costs more than it saves.
    crate::par_map(flat, total >= 64 * 1024, |(ch, ..)| parse(ch))
}

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
    /// What each of `doc.links` points at, classified on first use: several
    /// rules ask, and classifying allocates.
    targets: std::sync::OnceLock<Vec<LinkTarget>>,
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

    /// Each link of [`doc`](Self::doc) with what it points at, seen from
    /// [`file`](Self::file) ([`Link::target`]); classified once per chapter.
    pub fn links_with_targets(&self) -> impl Iterator<Item = (&Link, &LinkTarget)> {
        let targets = self.targets.get_or_init(|| {
            let from = self.file().unwrap_or(Path::new(""));
            self.doc.links.iter().map(|l| l.target(from)).collect()
        });
        self.doc.links.iter().zip(targets)
    }
}

/// Every chapter of a book, parsed once.
#[derive(Debug, Clone, Default)]
pub struct BookModel {
    /// Chapters in SUMMARY order (depth-first), drafts included.
    pub chapters: Vec<ChapterModel>,
}

impl BookModel {
    /// Builds the model of an mdBook [`Book`]. Chapters are independent, so
    /// they are parsed on every available core; the result does not depend
    /// on how many there are.
    pub fn from_book(book: &Book, options: &ParseOptions) -> BookModel {
        BookModel::from_book_with_lines(book, options, &|_| None)
    }

    /// [`from_book`](Self::from_book), taking each chapter's line index from
    /// `lines_of` when it has one (it must index the chapter's content).
    pub(crate) fn from_book_with_lines(
        book: &Book,
        options: &ParseOptions,
        lines_of: &(dyn Fn(&Chapter) -> Option<LineIndex> + Sync),
    ) -> BookModel {
        let mut flat: Vec<(&Chapter, Option<usize>, usize)> = Vec::new();
        for item in &book.items {
            flatten(item, None, 0, &mut flat);
        }
        let docs = parse_all(&flat, options, lines_of);
        let mut model = BookModel::default();
        for ((ch, parent, depth), doc) in flat.into_iter().zip(docs) {
            let idx = model.chapters.len();
            model.chapters.push(ChapterModel {
                name: ch.name.clone(),
                number: ch.number.as_ref().map(|n| n.to_string()),
                path: ch.path.clone(),
                source_path: ch.source_path.clone(),
                parent,
                children: Vec::new(),
                depth,
                doc,
                targets: std::sync::OnceLock::new(),
            });
            if let Some(p) = parent {
                model.chapters[p].children.push(idx);
            }
        }
        model
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
