//! `archmanual review`: the findings on a pull request's changed lines as the
//! body of GitHub's "create a review" API. Plain data, no network: posting
//! it is `archmanual_github::review` (the binary glues the two).
//!
//! Only lines added or changed on the new side get comments (GitHub rejects a
//! whole review with 422 when one comment is outside the diff); everything
//! else is summarised in the review body. A hidden [`MARKER`] in the body
//! lets the next run find and replace its own earlier review, which then
//! gets [`SUPERSEDED_BODY`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use archmanual_diagnostics::SourceProvider;
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

/// Which findings of `head` are new: not on `base`, where a finding is the
/// same when its code, file (through `renamed`, base → head), message (with
/// numbers blanked, so "also at line 12" survives a shift) and the trimmed
/// text of its line agree. Line numbers are not compared, so a finding that
/// only moved is not new; matching counts, so a second copy of an old
/// finding is new.
pub fn new_on_head(
    base: &[Diagnostic],
    base_sources: &dyn SourceProvider,
    head: &[Diagnostic],
    head_sources: &dyn SourceProvider,
    renamed: &HashMap<PathBuf, PathBuf>,
) -> Vec<bool> {
    let mut old: HashMap<FindingKey, usize> = HashMap::new();
    for d in base {
        let file = renamed.get(&d.file).unwrap_or(&d.file);
        *old.entry(FindingKey::of(d, file, base_sources))
            .or_default() += 1;
    }
    head.iter()
        .map(|d| {
            let key = FindingKey::of(d, &d.file, head_sources);
            match old.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        })
        .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct FindingKey {
    code: String,
    file: PathBuf,
    message: String,
    line_text: String,
}

impl FindingKey {
    fn of(d: &Diagnostic, file: &Path, sources: &dyn SourceProvider) -> FindingKey {
        let line_text = d
            .location
            .and_then(|l| {
                let source = sources.source(&d.file)?;
                source.lines().nth(l.line.checked_sub(1)?)
            })
            .unwrap_or("")
            .trim()
            .to_owned();
        let mut message = String::with_capacity(d.message.len());
        for c in d.message.chars() {
            if c.is_ascii_digit() {
                if !message.ends_with('#') {
                    message.push('#');
                }
            } else {
                message.push(c);
            }
        }
        FindingKey {
            code: d.code.clone(),
            file: file.to_path_buf(),
            message,
            line_text,
        }
    }
}

/// The review of a branch against its base: comments for the *new*
/// findings on changed lines, the new findings on unchanged lines listed in
/// the body with their location (a renamed heading breaks links on pages the
/// branch never touched), and the findings the base already had only
/// counted. `is_new[i]` says whether `diagnostics[i]` is new (see
/// [`new_on_head`]).
pub fn build_review_of_changes(
    diagnostics: &[Diagnostic],
    is_new: &[bool],
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
    let mut new_elsewhere: Vec<&Diagnostic> = Vec::new();
    let mut old = 0usize;
    for (d, &new) in diagnostics.iter().zip(is_new) {
        if !new {
            old += 1;
            continue;
        }
        let path = repo_path(d);
        match d.location {
            Some(l) if changed.contains(&path, l.line) => {
                on_lines.entry((path, l.line)).or_default().push(d)
            }
            _ => new_elsewhere.push(d),
        }
    }
    let inline: usize = on_lines.values().map(Vec::len).sum();
    let comments: Vec<ReviewComment> = on_lines
        .into_iter()
        .map(|((path, line), ds)| ReviewComment {
            body: comment_body(&ds, sources),
            path,
            line,
            side: "RIGHT".into(),
        })
        .collect();
    let mut body = format!("{MARKER}\n### archmanual lint\n\n");
    if inline + new_elsewhere.len() == 0 {
        body.push_str("This pull request adds no findings.\n");
    } else {
        body.push_str(&format!(
            "**This pull request adds {} finding(s)**: {inline} on the lines it changes (see the inline comments), {} on lines it does not change.\n",
            inline + new_elsewhere.len(),
            new_elsewhere.len()
        ));
    }
    if !new_elsewhere.is_empty() {
        body.push_str("\nNew findings on lines this pull request does not change (a renamed heading or a removed page breaks links elsewhere):\n\n");
        for d in new_elsewhere.iter().take(MAX_LISTED) {
            body.push_str(&listed(d, &repo_path(d)));
        }
        if new_elsewhere.len() > MAX_LISTED {
            body.push_str(&format!(
                "- …and {} more (run `archmanual review --base … --format human`)\n",
                new_elsewhere.len() - MAX_LISTED
            ));
        }
    }
    if old > 0 {
        body.push_str(&format!(
            "\n{old} finding(s) were already on the base branch and are not repeated here.\n"
        ));
    }
    ReviewPayload {
        event: "COMMENT".into(),
        body,
        comments,
    }
}

fn listed(d: &Diagnostic, path: &str) -> String {
    let at = match d.location {
        Some(l) => format!("{path}:{}", l.line),
        None => path.to_owned(),
    };
    format!(
        "- `{}` {} [{}]: {}\n",
        at.replace('`', "'"),
        d.severity,
        d.code,
        one_line(&d.message)
    )
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

    use archmanual_diagnostics::{Location, Severity};

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
        let r = build_review_of_changes(&ds, &[true, true], &sources, Path::new("book"), &changed);
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
        // The same finding on the base: not new, so only counted.
        let r = build_review_of_changes(&ds, &[true, false], &sources, Path::new("book"), &changed);
        assert!(!r.body.contains("a.md:4"), "{}", r.body);
        assert!(r.body.contains("1 finding(s) were already on the base"));
    }

    #[test]
    fn moved_findings_match_and_copies_do_not() {
        let base_src = "# T\n\nold http://github.com/c/d\n";
        let head_src = "# T\n\nnew line\n\nold http://github.com/c/d\nold http://github.com/c/d\n";
        let base: HashMap<PathBuf, String> = [(PathBuf::from("a.md"), base_src.into())].into();
        let head: HashMap<PathBuf, String> = [(PathBuf::from("b.md"), head_src.into())].into();
        let mut on_base = diag(3, 0, 1, None);
        on_base.file = "a.md".into();
        let mut moved = diag(5, 0, 1, None);
        moved.file = "b.md".into();
        let mut copy = diag(6, 0, 1, None);
        copy.file = "b.md".into();
        let renamed: HashMap<PathBuf, PathBuf> = [("a.md".into(), "b.md".into())].into();
        assert_eq!(
            new_on_head(
                &[on_base.clone()],
                &base,
                &[moved.clone(), copy.clone()],
                &head,
                &renamed
            ),
            [false, true]
        );
        // Without the rename the file differs: both are new.
        assert_eq!(
            new_on_head(&[on_base], &base, &[moved, copy], &head, &HashMap::new()),
            [true, true]
        );
    }
}
