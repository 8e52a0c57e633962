//! `archmanual review`: the findings on a pull request's changed lines as the
//! body of GitHub's "create a review" API, and posting it.
//!
//! Only lines added or changed on the new side get comments (GitHub rejects a
//! whole review with 422 when one comment is outside the diff); everything
//! else is summarised in the review body. A hidden [`MARKER`] in the body
//! lets the next run find and replace its own earlier review.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use archmanual_diagnostics::{Counts, Severity, SourceProvider};
use serde::{Deserialize, Serialize};

use crate::diff::ChangedLines;
use crate::{Diagnostic, Fix};

/// Hidden marker identifying reviews written by this tool.
pub const MARKER: &str = "<!-- archmanual-review -->";
/// Marker left in a review this tool replaced.
pub const SUPERSEDED_MARKER: &str = "<!-- archmanual-review-superseded -->";
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

/// Where to post: the pull request and the credentials.
#[derive(Clone)]
pub struct GithubTarget {
    /// `$GITHUB_API_URL`, e.g. `https://api.github.com`.
    pub api_url: String,
    /// `$GITHUB_REPOSITORY`, `owner/name`.
    pub repository: String,
    /// The pull request number.
    pub pr: u64,
    /// `$GITHUB_TOKEN`; never printed.
    pub token: String,
}

impl std::fmt::Debug for GithubTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GithubTarget")
            .field("api_url", &self.api_url)
            .field("repository", &self.repository)
            .field("pr", &self.pr)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// What posting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostOutcome {
    /// The review was created; `replaced` earlier reviews were cleared.
    Posted {
        /// The new review's id.
        review_id: u64,
        /// How many earlier reviews of this tool were replaced.
        replaced: usize,
    },
    /// Nothing on the changed lines: the newest earlier review's body was
    /// updated in place (its comments removed) and `replaced` older ones cleared.
    Updated {
        /// The updated review's id.
        review_id: u64,
        /// How many older reviews of this tool were cleared.
        replaced: usize,
    },
    /// The newest earlier review already says exactly this; nothing was sent.
    Unchanged {
        /// That review's id.
        review_id: u64,
    },
    /// No findings on the changed lines and no earlier review: nothing posted.
    NothingToPost,
    /// The token cannot write (403, e.g. a pull request from a fork): fall
    /// back to annotations.
    ReadOnly,
}

/// Errors talking to the GitHub API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// The request could not be sent.
    #[error("cannot reach the GitHub API at {url}: {message}")]
    Http {
        /// The URL (never contains the token).
        url: String,
        /// What went wrong.
        message: String,
    },
    /// GitHub answered with an error.
    #[error("GitHub API {method} {url} returned {status}: {message}")]
    Status {
        /// HTTP method.
        method: &'static str,
        /// The URL.
        url: String,
        /// HTTP status.
        status: u16,
        /// GitHub's message.
        message: String,
    },
}

#[derive(Deserialize)]
struct ReviewInfo {
    id: u64,
    #[serde(default)]
    body: Option<String>,
}

#[derive(Deserialize)]
struct CommentInfo {
    id: u64,
    #[serde(default)]
    path: String,
    #[serde(default)]
    line: Option<u64>,
    #[serde(default)]
    body: String,
}

struct Api<'a> {
    target: &'a GithubTarget,
    client: reqwest::blocking::Client,
}

enum Reply {
    Ok(serde_json::Value),
    Forbidden,
}

impl Api<'_> {
    fn send(
        &self,
        method: &'static str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Reply, ReviewError> {
        let url = format!("{}{path}", self.target.api_url.trim_end_matches('/'));
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("valid method");
        let mut req = self
            .client
            .request(m, &url)
            .bearer_auth(&self.target.token)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", "archmanual-review");
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().map_err(|e| ReviewError::Http {
            url: url.clone(),
            message: e.without_url().to_string(),
        })?;
        let status = resp.status().as_u16();
        let text = resp.text().unwrap_or_default();
        if status == 403 {
            return Ok(Reply::Forbidden);
        }
        if !(200..300).contains(&status) {
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| {
                    v.get("message")
                        .and_then(|m| m.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| text.chars().take(200).collect());
            return Err(ReviewError::Status {
                method,
                url,
                status,
                message,
            });
        }
        Ok(Reply::Ok(
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        ))
    }
}

/// Posts `payload` as a review of the pull request and replaces this tool's
/// earlier reviews instead of piling up: their inline comments are deleted
/// and their body becomes a one-line note (submitted reviews cannot be
/// deleted, and `COMMENT` reviews cannot be dismissed). Nothing is sent when
/// the newest earlier review already says the same; with no comments to
/// make, the newest earlier review is updated in place, or nothing is posted.
pub fn post_review(
    target: &GithubTarget,
    payload: &ReviewPayload,
) -> Result<PostOutcome, ReviewError> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| ReviewError::Http {
            url: target.api_url.clone(),
            message: e.to_string(),
        })?;
    let api = Api { target, client };
    let base = format!("/repos/{}/pulls/{}", target.repository, target.pr);

    // Our earlier reviews.
    let mut old = Vec::new();
    for page in 1..=10 {
        let Reply::Ok(v) = api.send(
            "GET",
            &format!("{base}/reviews?per_page=100&page={page}"),
            None,
        )?
        else {
            return Ok(PostOutcome::ReadOnly);
        };
        let reviews: Vec<ReviewInfo> = serde_json::from_value(v).unwrap_or_default();
        let n = reviews.len();
        old.extend(
            reviews
                .into_iter()
                .filter(|r| r.body.as_deref().is_some_and(|b| b.contains(MARKER))),
        );
        if n < 100 {
            break;
        }
    }

    // The newest earlier review's comments: is there anything new to say?
    let comments_of = |id: u64| -> Result<Vec<CommentInfo>, ReviewError> {
        match api.send(
            "GET",
            &format!("{base}/reviews/{id}/comments?per_page=100"),
            None,
        )? {
            Reply::Ok(v) => Ok(serde_json::from_value(v).unwrap_or_default()),
            Reply::Forbidden => Ok(Vec::new()),
        }
    };
    let latest = old.last().map(|r| r.id);
    let latest_comments = match latest {
        Some(id) => comments_of(id)?,
        None => Vec::new(),
    };
    if let (Some(id), [only]) = (latest, old.as_slice())
        && only.body.as_deref() == Some(payload.body.as_str())
        && same_comments(&latest_comments, &payload.comments)
    {
        return Ok(PostOutcome::Unchanged { review_id: id });
    }
    let clear = |id: u64, comments: &[CommentInfo]| -> Result<(), ReviewError> {
        for c in comments {
            api.send(
                "DELETE",
                &format!("/repos/{}/pulls/comments/{}", target.repository, c.id),
                None,
            )?;
        }
        let note = serde_json::json!({
            "body": format!("{SUPERSEDED_MARKER}\n_Superseded by a newer archmanual review._")
        });
        api.send("PUT", &format!("{base}/reviews/{id}"), Some(&note))?;
        Ok(())
    };
    let supersede_older = |keep: Option<u64>| -> Result<(), ReviewError> {
        for r in old
            .iter()
            .filter(|r| Some(r.id) != keep && Some(r.id) != latest)
        {
            clear(r.id, &comments_of(r.id)?)?;
        }
        Ok(())
    };

    if payload.comments.is_empty() {
        let Some(id) = latest else {
            // Nothing on the changed lines and nothing to replace: stay quiet.
            return Ok(PostOutcome::NothingToPost);
        };
        // Update the newest review in place: no new entry in the timeline.
        for c in &latest_comments {
            api.send(
                "DELETE",
                &format!("/repos/{}/pulls/comments/{}", target.repository, c.id),
                None,
            )?;
        }
        let body = serde_json::json!({ "body": payload.body });
        if let Reply::Forbidden = api.send("PUT", &format!("{base}/reviews/{id}"), Some(&body))? {
            return Ok(PostOutcome::ReadOnly);
        }
        supersede_older(Some(id))?;
        return Ok(PostOutcome::Updated {
            review_id: id,
            replaced: old.len() - 1,
        });
    }

    let body = serde_json::to_value(payload).expect("serializable");
    let Reply::Ok(created) = api.send("POST", &format!("{base}/reviews"), Some(&body))? else {
        return Ok(PostOutcome::ReadOnly);
    };
    let review_id = created
        .get("id")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if let Some(id) = latest {
        clear(id, &latest_comments)?;
    }
    supersede_older(None)?;
    Ok(PostOutcome::Posted {
        review_id,
        replaced: old.len(),
    })
}

/// True if GitHub's comments are the ones we would post.
fn same_comments(have: &[CommentInfo], want: &[ReviewComment]) -> bool {
    have.len() == want.len()
        && want.iter().all(|w| {
            have.iter().any(|h| {
                h.path == w.path && h.line == Some(w.line as u64) && h.body.trim() == w.body.trim()
            })
        })
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
