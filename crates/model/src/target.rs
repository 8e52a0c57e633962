//! What a link destination points at.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// A link destination, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `http://` or `https://`.
    External(String),
    /// Another scheme (`mailto:`, `ftp:` …) — not checked.
    OtherScheme(String),
    /// `#fragment` on the same page (percent-decoded).
    SamePage(String),
    /// A file in the book, relative to the source root, with an optional
    /// percent-decoded fragment. `escapes_root` is set when `..` climbed out
    /// of the source directory.
    Local {
        /// Normalized path relative to the book's source directory.
        path: PathBuf,
        /// The fragment, percent-decoded.
        fragment: Option<String>,
        /// The path left the source directory.
        escapes_root: bool,
    },
    /// An empty destination.
    Empty,
}

impl LinkTarget {
    /// Classifies `dest` as written in the chapter at `chapter_path`
    /// (relative to the source directory).
    pub fn classify(dest: &str, chapter_path: &Path) -> LinkTarget {
        let dest = dest.trim();
        if dest.is_empty() {
            return LinkTarget::Empty;
        }
        if let Some(frag) = dest.strip_prefix('#') {
            return LinkTarget::SamePage(decode(frag));
        }
        if is_external(dest) {
            return LinkTarget::External(dest.to_string());
        }
        if has_scheme(dest) || dest.starts_with("//") {
            return LinkTarget::OtherScheme(dest.to_string());
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(decode(f))),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        let (path, escapes_root) = resolve_relative(chapter_path, &decode(path_part));
        LinkTarget::Local {
            path,
            fragment,
            escapes_root,
        }
    }
}

/// True for `http://` and `https://` URLs (case-insensitive scheme).
pub fn is_external(dest: &str) -> bool {
    let has = |p: &str| {
        dest.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    has("http://") || has("https:/")
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Joins `rel` onto the directory of `from` (both relative to the source
/// root) and normalizes `.` and `..`. A leading `/` means the source root.
/// Returns the path and whether `..` climbed out of the root.
pub fn resolve_relative(from: &Path, rel: &str) -> (PathBuf, bool) {
    // On `/`-separated text: `Path::parent`, `Path::components` and one
    // `String` per component cost thousands of instructions per link. Same
    // rules: empty and `.` segments vanish, `..` climbs.
    let from = from
        .to_str()
        .map_or_else(|| from.to_string_lossy(), std::borrow::Cow::Borrowed);
    let mut base: Vec<&str> = Vec::new();
    if !rel.starts_with('/') {
        base.extend(from.split('/').filter(|s| !s.is_empty() && *s != "."));
        base.pop();
    }
    let mut out: Vec<&str> = Vec::new();
    let mut escapes = false;
    for seg in base.into_iter().chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => escapes |= out.pop().is_none(),
            s => out.push(s),
        }
    }
    (PathBuf::from(out.join("/")), escapes)
}

#[cfg(test)]
mod tests {
    use std::path::Component;

    use super::*;

    /// The `Path::components` reading that `resolve_relative` must agree with.
    fn by_components(from: &Path, rel: &str) -> (PathBuf, bool) {
        let base: PathBuf = if rel.starts_with('/') {
            PathBuf::new()
        } else {
            from.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let mut out: Vec<String> = Vec::new();
        let mut escapes = false;
        for c in base.join(rel.trim_start_matches('/')).components() {
            match c {
                Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
                Component::ParentDir if out.pop().is_none() => escapes = true,
                _ => {}
            }
        }
        (out.iter().collect(), escapes)
    }

    proptest::proptest! {
        #[test]
        fn resolve_relative_agrees_with_path_components(
            from in "[a./]{0,3}(/[a.]{1,3}){0,3}",
            rel in "[a./]{0,3}(/[ab.]{0,3}){0,4}",
        ) {
            let from = Path::new(&from);
            proptest::prop_assert_eq!(resolve_relative(from, &rel), by_components(from, &rel));
        }
    }

    #[test]
    fn resolve_relative_cases() {
        for (from, rel) in [
            ("a/b.md", "../c.md"),
            ("a/b.md", "./../../c.md"),
            ("b.md", "/x//y/./z.md"),
            ("a/b/c.md", "..//..//d/"),
            ("", ""),
            ("a/b.md", "."),
        ] {
            assert_eq!(
                resolve_relative(Path::new(from), rel),
                by_components(Path::new(from), rel),
                "{from} + {rel}"
            );
        }
    }

    #[test]
    fn classifies_destinations() {
        let ch = Path::new("backend/mq/index.md");
        assert_eq!(
            LinkTarget::classify("../cache/index.md#%E7%BC%93%E5%AD%98", ch),
            LinkTarget::Local {
                path: "backend/cache/index.md".into(),
                fragment: Some("缓存".into()),
                escapes_root: false
            }
        );
        assert_eq!(
            LinkTarget::classify("#选型建议", ch),
            LinkTarget::SamePage("选型建议".into())
        );
        assert!(matches!(
            LinkTarget::classify("HTTPS://github.com/a/b", ch),
            LinkTarget::External(_)
        ));
        assert!(matches!(
            LinkTarget::classify("mailto:x@y.z", ch),
            LinkTarget::OtherScheme(_)
        ));
        assert!(matches!(
            LinkTarget::classify("../../../x.md", ch),
            LinkTarget::Local {
                escapes_root: true,
                ..
            }
        ));
        assert_eq!(LinkTarget::classify("  ", ch), LinkTarget::Empty);
    }
}
