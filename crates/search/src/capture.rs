//! Keeps the book as the HTML renderer receives it.

use std::sync::{Arc, Mutex, PoisonError};

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// A preprocessor that changes nothing and keeps a copy of the book it
/// receives. Registered last (`MDBook::with_preprocessor` appends new
/// names), it sees the book after every other preprocessor: generated pages
/// have their paths, chapters their final titles. Clones share the copy.
#[derive(Debug, Clone, Default)]
pub struct BookCapture {
    book: Arc<Mutex<Option<Book>>>,
}

impl BookCapture {
    /// The name under which it is registered.
    pub const NAME: &'static str = "archmanual-search-capture";

    /// The book of the last HTML run, taken out.
    pub fn take(&self) -> Option<Book> {
        self.book
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

impl Preprocessor for BookCapture {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run(&self, _ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        *self.book.lock().unwrap_or_else(PoisonError::into_inner) = Some(book.clone());
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}
