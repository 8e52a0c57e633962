//! Set-up shared by the catalog's integration tests.

use archmanual_diagnostics::Diagnostic;
use archmanual_model::ParseOptions;
use mdbook_catalog::{CatalogConfig, process};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};

/// Runs the catalog with its default settings over a book whose only item is
/// `theme`; returns the theme page as generated and the findings.
pub(crate) fn process_theme(theme: Chapter) -> (String, Vec<Diagnostic>) {
    let mut book = Book::new();
    book.items.push(BookItem::Chapter(theme));
    let (book, diagnostics) = process(
        book,
        &ParseOptions::default(),
        &CatalogConfig::default(),
        None,
        &std::env::temp_dir(),
    )
    .unwrap();
    let BookItem::Chapter(theme) = &book.items[0] else {
        unreachable!()
    };
    (theme.content.clone(), diagnostics)
}
