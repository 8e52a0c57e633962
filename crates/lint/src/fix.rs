//! `--fix`: span-exact edits, applied back to front so earlier offsets stay
//! valid; nothing outside the spans changes. Offsets index the file's text
//! after its byte-order mark ([`archmanual_model::SourceFile`]), the text the
//! rules saw; the mark is kept. A file that changed on disk since it was
//! linted is not written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use archmanual_model::SourceFile;

use crate::{Book, Diagnostic, Fix, LintError};

/// Applies `fixes` to `source`, from the end of the text to the start. A fix
/// that overlaps an earlier one in `fixes`, or whose span is not on character
/// boundaries, is skipped. An insertion (empty span) at the start of a
/// replaced span goes before the replacement; insertions at one offset keep
/// their order. Returns the new text and the number of fixes applied.
pub fn apply(source: &str, fixes: &[&Fix]) -> (String, usize) {
    // Earlier fixes win over later ones that overlap them.
    let mut accepted: Vec<(usize, &Fix)> = Vec::new();
    for (i, &f) in fixes.iter().enumerate() {
        let valid = f.start <= f.end
            && f.end <= source.len()
            && source.is_char_boundary(f.start)
            && source.is_char_boundary(f.end);
        let overlaps = accepted.iter().any(|(_, a)| {
            let same = f.start == a.start && f.end == a.end;
            // Two insertions at one offset both apply, unless they are the same text.
            let both_insert = same && f.start == f.end;
            (f.start < a.end && a.start < f.end)
                || (same && !both_insert)
                || (both_insert && f.replacement == a.replacement)
        });
        if valid && !overlaps {
            accepted.push((i, f));
        }
    }
    // Back to front; at one start, the longer span first, so an insertion
    // there lands before the replaced text; at one empty span, the later fix
    // first, so the earlier one ends up first.
    accepted.sort_by_key(|(i, f)| std::cmp::Reverse((f.start, f.end, *i)));
    let mut out = source.to_string();
    for (_, f) in &accepted {
        out.replace_range(f.start..f.end, &f.replacement);
    }
    (out, accepted.len())
}

/// The files changed by [`fix_files`] and how many fixes each got.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FixSummary {
    /// Files (relative to the source directory) and the fixes applied to each.
    pub files: Vec<(PathBuf, usize)>,
}

impl FixSummary {
    /// Total number of fixes applied.
    pub fn total(&self) -> usize {
        self.files.iter().map(|(_, n)| n).sum()
    }
}

/// Applies the fixes of `diagnostics` to the files `book` read. Every file
/// to change is checked first: if any changed on disk since it was read,
/// nothing is written and the error says which ([`LintError::Source`]).
pub fn fix_files(book: &Book, diagnostics: &[Diagnostic]) -> Result<FixSummary, LintError> {
    let mut by_file: BTreeMap<&Path, Vec<&Fix>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(f) = &d.fix {
            by_file.entry(d.file.as_path()).or_default().push(f);
        }
    }
    let mut planned: Vec<(PathBuf, SourceFile, String, usize)> = Vec::new();
    for (file, fixes) in by_file {
        let source = match book.files_read.get(file) {
            Some(s) => s.clone(),
            None => SourceFile::read(&book.src_dir.join(file))?,
        };
        let (new, n) = apply(source.text(), &fixes);
        if n > 0 && new != source.text() {
            if !source.unchanged_on_disk()? {
                return Err(archmanual_model::SourceError::Changed {
                    path: source.path().to_path_buf(),
                }
                .into());
            }
            planned.push((file.to_path_buf(), source, new, n));
        }
    }
    let mut summary = FixSummary::default();
    for (file, source, new, n) in planned {
        source.write(&new)?;
        summary.files.push((file, n));
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(start: usize, end: usize, r: &str) -> Fix {
        Fix {
            message: String::new(),
            start,
            end,
            replacement: r.into(),
        }
    }

    #[test]
    fn applies_back_to_front_and_skips_overlaps() {
        let src = "see http://github.com/a and http://gitee.com/b\n";
        let a = fix(4, 11, "https://");
        let b = fix(28, 35, "https://");
        let overlapping = fix(5, 9, "X");
        let (out, n) = apply(src, &[&a, &b, &overlapping]);
        assert_eq!(n, 2);
        assert_eq!(out, "see https://github.com/a and https://gitee.com/b\n");
    }

    #[test]
    fn an_insertion_and_a_replacement_at_one_offset_are_both_applied_in_order() {
        let src = "see http://x.org\n";
        let replace = fix(4, 11, "https://");
        let a = fix(4, 4, "A");
        let b = fix(4, 4, "B");
        // Wherever the replacement is listed, the insertions go before the
        // replaced text, in the order they were listed.
        for fixes in [[&replace, &a, &b], [&a, &replace, &b], [&a, &b, &replace]] {
            assert_eq!(apply(src, &fixes), ("see ABhttps://x.org\n".to_string(), 3));
        }
        assert_eq!(apply(src, &[&b, &a]).0, "see BAhttp://x.org\n");
        // The same insertion twice is one insertion.
        assert_eq!(apply(src, &[&a, &a]).1, 1);
    }

    #[test]
    fn refuses_spans_inside_a_character() {
        let src = "中文";
        let (out, n) = apply(src, &[&fix(1, 3, "x")]);
        assert_eq!((out.as_str(), n), ("中文", 0));
    }
}
