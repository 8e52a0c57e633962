//! Helpers shared by several rules.

use std::path::{Path, PathBuf};

use archmanual_model::{ChapterModel, Link, Span};

use crate::{Book, Context};

/// Where to point at a link's destination: the destination if known, else the link.
pub(super) fn dest_span(link: &Link) -> Span {
    link.dest_span.unwrap_or(link.span)
}

/// The paths a local link to `path` may be served from, in mdBook's output:
/// the file itself, `x.md` for `x.html`, and `index.md`/`README.md` for a
/// directory or `index.html`.
pub(super) fn candidates(path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    match name.as_deref() {
        None => {
            out.push(path.join("index.md"));
            out.push(path.join("README.md"));
        }
        Some(n) => {
            if n.eq_ignore_ascii_case("index.html") || n.eq_ignore_ascii_case("index.md") {
                out.push(path.with_file_name("README.md"));
                out.push(path.with_file_name("index.md"));
            } else if let Some(stem) = n.strip_suffix(".html") {
                out.push(path.with_file_name(format!("{stem}.md")));
            } else if !n.contains('.') {
                out.push(path.join("index.md"));
                out.push(path.join("README.md"));
            }
        }
    }
    out
}

/// True if a local link to `path` reaches a file of the book.
pub(super) fn resolves(book: &Book, path: &Path) -> bool {
    if path.as_os_str().is_empty() {
        return true;
    }
    candidates(path).iter().any(|p| book.has_file(p))
}

/// The chapter a local link to `path` lands on.
pub(super) fn target_chapter<'a>(cx: &Context<'a>, path: &Path) -> Option<&'a ChapterModel> {
    candidates(path).iter().find_map(|p| cx.chapter(p))
}

/// Links that point somewhere in the book (not images), with their target.
pub(super) fn is_checkable_link(link: &Link) -> bool {
    !link.image && !matches!(link.kind, archmanual_model::LinkKind::HtmlSrc)
}
