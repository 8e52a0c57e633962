//! Byte spans and their 1-based line/column positions.

use std::sync::Arc;

use archmanual_diagnostics::Location;
use serde::Serialize;

/// A byte range `start..end` in a chapter's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from a range.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The spanned text of `source` (empty if out of range).
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// Maps byte offsets to 1-based line and column (columns count characters).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of each line; shared, so the loader's index
    /// of a file serves the parsed chapter too without a copy.
    starts: Arc<[usize]>,
}

impl LineIndex {
    /// Indexes the line starts of `source`.
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts: starts.into(),
        }
    }

    /// 1-based `(line, column)` of byte `offset` in `source`.
    ///
    /// Offsets inside a multi-byte character or past the end are clamped.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = clamp_to_char_boundary(source, offset);
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let column = source[start..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// Byte offset where 1-based `line` starts, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.starts.get(i).copied())
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The full [`Location`] of `span`.
    pub fn location(&self, source: &str, span: Span) -> Location {
        let (line, column) = self.line_col(source, span.start);
        let (end_line, end_column) = self.line_col(source, span.end.max(span.start));
        Location {
            start: clamp_to_char_boundary(source, span.start),
            end: clamp_to_char_boundary(source, span.end.max(span.start)),
            line,
            column,
            end_line,
            end_column,
        }
    }
}

fn clamp_to_char_boundary(source: &str, mut offset: usize) -> usize {
    if offset > source.len() {
        return source.len();
    }
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "第一行\n中文 [x](y)\n";
        let idx = LineIndex::new(src);
        let off = src.find('[').unwrap();
        assert_eq!(idx.line_col(src, off), (2, 4));
        assert_eq!(idx.line_col(src, 0), (1, 1));
        assert_eq!(idx.line_col(src, src.len()), (3, 1));
        // Inside a multi-byte char: clamped back to its start.
        assert_eq!(idx.line_col(src, 1), (1, 1));
    }
}
