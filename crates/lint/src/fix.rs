//! `--fix`: span-exact edits, applied back to front so earlier offsets stay
//! valid; nothing outside the spans changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{Diagnostic, Fix, LintError};

/// Applies `fixes` to `source`, from the end of the text to the start. A fix
/// that overlaps an earlier one in `fixes`, or whose span is not on character
/// boundaries, is skipped. Returns the new text and the
/// number of fixes applied.
pub fn apply(source: &str, fixes: &[&Fix]) -> (String, usize) {
    // Earlier fixes win over later ones that overlap them.
    let mut accepted: Vec<&Fix> = Vec::new();
    for &f in fixes {
        let valid = f.start <= f.end
            && f.end <= source.len()
            && source.is_char_boundary(f.start)
            && source.is_char_boundary(f.end);
        let overlaps = accepted
            .iter()
            .any(|a| f.start < a.end && a.start < f.end || (f.start == a.start && f.end == a.end));
        if valid && !overlaps {
            accepted.push(f);
        }
    }
    accepted.sort_by_key(|f| std::cmp::Reverse(f.start));
    let mut out = source.to_string();
    for f in &accepted {
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

/// Applies the fixes of `diagnostics` to the files under `src_dir`.
pub fn fix_files(src_dir: &Path, diagnostics: &[Diagnostic]) -> Result<FixSummary, LintError> {
    let mut by_file: BTreeMap<&Path, Vec<&Fix>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(f) = &d.fix {
            by_file.entry(d.file.as_path()).or_default().push(f);
        }
    }
    let mut summary = FixSummary::default();
    for (file, fixes) in by_file {
        let path = src_dir.join(file);
        let io = |source| LintError::Io {
            path: path.clone(),
            source,
        };
        let text = std::fs::read_to_string(&path).map_err(io)?;
        let (new, n) = apply(&text, &fixes);
        if n > 0 && new != text {
            std::fs::write(&path, new).map_err(io)?;
            summary.files.push((file.to_path_buf(), n));
        }
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
    fn refuses_spans_inside_a_character() {
        let src = "中文";
        let (out, n) = apply(src, &[&fix(1, 3, "x")]);
        assert_eq!((out.as_str(), n), ("中文", 0));
    }
}
