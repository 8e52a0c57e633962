//! `archmanual review`: the findings on a pull request's changed lines as the
//! body of GitHub's "create a review" API. Plain data, no network: posting
//! it is `archmanual_github::review` (the binary glues the two).
//!
//! Only lines added or changed on the new side get comments (GitHub rejects a
//! whole review with 422 when one comment is outside the diff); everything
//! else is summarised in the review body. A hidden [`MARKER`] in the body
//! lets the next run find and replace its own earlier review, which then
//! gets [`SUPERSEDED_BODY`].

use std::collections::BTreeMap;
use std::path::Path;

use archmanual_diagnostics::{Counts, Severity, SourceProvider};
use serde::{Deserialize, Serialize};

use crate::diff::ChangedLines;
use crate::{Diagnostic, Fix};

/// Hidden marker identifying reviews written by this tool.
pub const MARKER: &str = "<!-- archmanual-review -->";
/// Marker left in a review this tool replaced.
pub const SUPERSEDED_MARKER: &str = "<!-- archmanual-review-superseded -->";
/// The body a replaced review gets (without [`MARKER`], so the next run
/// leaves it alone).
pub const SUPERSEDED_BODY: &str = concat!(
    "<!-- archmanual-review-superseded -->",
    "\n_Superseded by a newer archmanual review._"
);
/// At most this many findings outside the diff are listed in the body.
const MAX_LISTED: usize = 30;

/// The request body of `POST /repos/{owner}/{repo}/pulls/{n}/reviews`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPayload {
    /// Always `COMMENT`: the bot never approves or blocks.
    pub event: String,
    /// Summary, including findings outside the diff.
    pub body: String,
    /// One comment per changed line with findings.
    pub comments: Vec<ReviewComment>,
}

/// One inline comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewComment {
    /// File relative to the repository root.
    pub path: String,
    /// Line on the new side.
    pub line: usize,
    /// Always `RIGHT` (the new side).
    pub side: String,
    /// The findings, with a suggestion block when a fix exists.
    pub body: String,
}

/// Splits `diagnostics` into comments on `changed` lines and a body listing
/// the rest. `src_prefix` is the book source directory relative to the
/// repository root.
pub fn build_review(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceProvider,
    src_prefix: &Path,
    changed: &ChangedLines,
) -> ReviewPayload {
    let repo_path = |d: &Diagnostic| {
        src_prefix
            .join(&d.file)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut on_lines: BTreeMap<(String, usize), Vec<&Diagnostic>> = BTreeMap::new();
    let mut elsewhere: Vec<&Diagnostic> = Vec::new();
    for d in diagnostics {
        let path = repo_path(d);
        match d.location {
            Some(l) if changed.contains(&path, l.line) => {
                on_lines.entry((path, l.line)).or_default().push(d)
            }
            _ => elsewhere.push(d),
        }
    }
    let comments: Vec<ReviewComment> = on_lines
        .into_iter()
        .map(|((path, line), ds)| {
            let body = comment_body(&ds, sources);
            ReviewComment {
                path,
                line,
                side: "RIGHT".into(),
                body,
            }
        })
        .collect();

    let in_diff: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| !elsewhere.iter().any(|e| std::ptr::eq(*e, *d)))
        .collect();
    let c = Counts::of(&in_diff.iter().map(|d| (*d).clone()).collect::<Vec<_>>());
    let mut body = format!("{MARKER}\n### archmanual lint\n\n");
    if in_diff.is_empty() {
        body.push_str("No findings on the lines this pull request changes.\n");
    } else {
        body.push_str(&format!(
            "{} error(s), {} warning(s), {} note(s) on the lines this pull request changes (see the inline comments).\n",
            c.errors, c.warnings, c.notes
        ));
    }
    if !elsewhere.is_empty() {
        body.push_str(&format!(
            "\n<details><summary>{} finding(s) elsewhere in the book (not on changed lines)</summary>\n\n",
            elsewhere.len()
        ));
        for d in elsewhere.iter().take(MAX_LISTED) {
            let at = match d.location {
                Some(l) => format!("{}:{}", repo_path(d), l.line),
                None => repo_path(d),
            };
            body.push_str(&format!(
                "- `{}` {} [{}]: {}\n",
                at.replace('`', "'"),
                d.severity,
                d.code,
                one_line(&d.message)
            ));
        }
        if elsewhere.len() > MAX_LISTED {
            body.push_str(&format!(
                "- …and {} more (run `archmanual lint`)\n",
                elsewhere.len() - MAX_LISTED
            ));
        }
        body.push_str("\n</details>\n");
    }
    ReviewPayload {
        event: "COMMENT".into(),
        body,
        comments,
    }
}

/// True if the review has an error on a changed line.
pub fn has_errors(payload: &ReviewPayload, diagnostics: &[Diagnostic], src_prefix: &Path) -> bool {
    diagnostics.iter().any(|d| {
        let path = src_prefix
            .join(&d.file)
            .to_string_lossy()
            .replace('\\', "/");
        d.severity == Severity::Error
            && d.location.is_some_and(|l| {
                payload
                    .comments
                    .iter()
                    .any(|c| c.path == path && c.line == l.line)
            })
    })
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn comment_body(ds: &[&Diagnostic], sources: &dyn SourceProvider) -> String {
    let mut body = String::new();
    for d in ds {
        body.push_str(&format!("**{}** {}: {}", d.code, d.severity, d.message));
        if let Some(h) = &d.help {
            body.push_str(&format!("\n\nhelp: {h}"));
        }
        body.push_str("\n\n");
    }
    if let Some(s) = suggestion(ds, sources) {
        body.push_str(&s);
    }
    body.trim_end().to_string()
}

/// A ```` ```suggestion ```` block: the whole line with every fix on it applied.
fn suggestion(ds: &[&Diagnostic], sources: &dyn SourceProvider) -> Option<String> {
    let first = ds.first()?;
    let line = first.location?.line;
    let source = sources.source(&first.file)?;
    let line_start = if line == 1 {
        0
    } else {
        source.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let line_end = source[line_start..]
        .find('\n')
        .map_or(source.len(), |i| line_start + i);
    let text = &source[line_start..line_end];
    let fixes: Vec<Fix> = ds
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.start >= line_start && f.end <= line_end && !f.replacement.contains('\n'))
        .map(|f| Fix {
            start: f.start - line_start,
            end: f.end - line_start,
            ..f.clone()
        })
        .collect();
    if fixes.is_empty() {
        return None;
    }
    let (fixed, n) = crate::fix::apply(text, &fixes.iter().collect::<Vec<_>>());
    if n == 0 || fixed == text {
        return None;
    }
    let mut fence = "```".to_string();
    while fixed.contains(&fence) {
        fence.push('`');
    }
    Some(format!("{fence}suggestion\n{fixed}\n{fence}\n"))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::PathBuf;

    use archmanual_diagnostics::Location;

    use super::*;

    fn diag(line: usize, start: usize, end: usize, fix: Option<Fix>) -> Diagnostic {
        let mut d = Diagnostic::new("AM012", Severity::Warning, "a.md", "uses http").at(Location {
            start,
            end,
            line,
            column: 1,
            end_line: line,
            end_column: 1,
        });
        d.fix = fix;
        d
    }

    #[test]
    fn comments_only_on_changed_lines_with_suggestions() {
        let src = "# T\n\nsee http://github.com/a/b here\nold http://github.com/c/d\n";
        let sources: HashMap<PathBuf, String> = [(PathBuf::from("a.md"), src.to_string())].into();
        let s = src.find("http://github.com/a").unwrap();
        let o = src.find("http://github.com/c").unwrap();
        let fix = |at: usize| Fix {
            message: "use https".into(),
            start: at,
            end: at + 7,
            replacement: "https://".into(),
        };
        let ds = vec![
            diag(3, s, s + 10, Some(fix(s))),
            diag(4, o, o + 10, Some(fix(o))),
        ];
        let changed = crate::diff::parse_unified_diff("+++ b/book/a.md\n@@ -3 +3 @@\n");
        let r = build_review(&ds, &sources, Path::new("book"), &changed);
        assert_eq!(r.comments.len(), 1);
        assert_eq!(
            (r.comments[0].path.as_str(), r.comments[0].line),
            ("book/a.md", 3)
        );
        assert!(
            r.comments[0]
                .body
                .contains("```suggestion\nsee https://github.com/a/b here\n```")
        );
        assert!(r.body.starts_with(MARKER));
        assert!(r.body.contains("`book/a.md:4` warning [AM012]"));
    }
}
