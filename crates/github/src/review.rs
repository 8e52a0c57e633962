//! Posting a pull-request review that replaces this tool's earlier one.
//!
//! The review itself (which findings, which lines, what text) is plain
//! data built elsewhere (`archmanual-lint`, network-free); this module
//! only talks to GitHub, through the client's token, endpoints, circuit
//! breaker and rate-limit policy.

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{FetchError, clip};
use crate::policy::Verdict;
use crate::{Client, Token};

/// Pages of reviews or comments read at most (100 each): a pull request
/// with more than 1,000 reviews is not worth more requests.
const MAX_PAGES: u32 = 10;

/// The pull request to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    /// `owner/name` (e.g. `$GITHUB_REPOSITORY`).
    pub repository: String,
    /// The pull request number.
    pub number: u64,
}

/// The body of GitHub's "create a review for a pull request"
/// (`POST /repos/{owner}/{repo}/pulls/{n}/reviews`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// `COMMENT`, `APPROVE` or `REQUEST_CHANGES`.
    pub event: String,
    /// The summary shown above the comments.
    pub body: String,
    /// Inline comments; each must be on a line the pull request changes,
    /// or GitHub rejects the whole review (422).
    pub comments: Vec<ReviewComment>,
}

/// One inline comment of a [`Review`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewComment {
    /// File relative to the repository root.
    pub path: String,
    /// Line on the `side` of the diff.
    pub line: u64,
    /// `RIGHT` (the new side) or `LEFT`.
    pub side: String,
    /// Markdown, e.g. with a ```` ```suggestion ```` block.
    pub body: String,
}

/// How this tool's own earlier reviews are recognised, and what they say
/// once replaced (submitted reviews cannot be deleted, and `COMMENT`
/// reviews cannot be dismissed, so they are emptied instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnReviews {
    /// Text (usually a hidden HTML comment) that only this tool's review
    /// bodies contain.
    pub marker: String,
    /// The body a replaced review gets; it must not contain `marker`.
    pub superseded_body: String,
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
    /// No comments to make: the newest earlier review's body was updated in
    /// place (its comments removed) and `replaced` older ones cleared.
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
    /// No comments to make and no earlier review: nothing posted.
    NothingToPost,
    /// The token cannot write (403, e.g. a pull request from a fork):
    /// nothing was changed; the caller may fall back to annotations.
    ReadOnly,
}

/// Why a review could not be posted. No variant ever contains the token:
/// it travels only in the `Authorization` header, and text from the
/// server is redacted before it gets here.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// No token configured.
    #[error("posting a review needs a GitHub token: set GH_TOKEN or GITHUB_TOKEN")]
    NoToken,
    /// GitHub did not accept the token (401).
    #[error(
        "GitHub rejected the token (HTTP 401 at {url}): check GH_TOKEN or GITHUB_TOKEN (GH_TOKEN wins when both are set)"
    )]
    BadCredentials {
        /// The URL.
        url: String,
    },
    /// GitHub refused the review's content (422).
    #[error(
        "GitHub rejected the review (HTTP 422 at {url}): {message}; every inline comment must be on a line the pull request changes, so the findings were probably computed against another diff (a base that is not the pull request's, or a checkout that is not its head)"
    )]
    Unprocessable {
        /// The URL.
        url: String,
        /// GitHub's message and its `errors`.
        message: String,
    },
    /// No answer after the retries, or the API host's breaker is open.
    #[error("cannot reach the GitHub API at {url}")]
    Unreachable {
        /// The URL.
        url: String,
        /// Why: the last network error, or the breaker's reason.
        source: ApiUnreachable,
    },
    /// Rate limited for longer than the client may wait.
    #[error("{0}")]
    RateLimited(String),
    /// Any other error answer.
    #[error("GitHub API {method} {url} returned {status}: {message}")]
    Status {
        /// HTTP method.
        method: String,
        /// The URL.
        url: String,
        /// HTTP status.
        status: u16,
        /// GitHub's message.
        message: String,
    },
    /// The async runtime for [`Client::post_review_blocking`] could not start.
    #[error("could not start the async runtime")]
    Runtime(#[source] std::io::Error),
}

/// Why the GitHub API could not be reached ([`ReviewError::Unreachable`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiUnreachable {
    /// Requests to the API host failed several times in a row, so the client
    /// stopped sending them; the reason names the last failure.
    #[error("{0}")]
    GaveUp(String),
    /// The last attempt failed at the network level (connection, timeout).
    #[error("network error")]
    Network(#[source] reqwest::Error),
}

/// A successful answer, or 403 without a rate limit (the token may read
/// but not write).
enum Reply {
    /// The answer's body (empty for a DELETE of what was already gone).
    Ok(String, HeaderMap),
    Forbidden,
}

// The answers as GitHub documents them (REST API 2022-11-28, "Pull request
// reviews" and "Pull request review comments"), only the fields used here.
// Unknown fields are ignored; an answer that does not parse counts as empty,
// as before.

/// An item of `GET …/pulls/{n}/reviews`.
#[derive(Deserialize)]
struct ReviewInfo {
    id: u64,
    #[serde(default)]
    body: Option<String>,
}

/// An item of `GET …/pulls/{n}/reviews/{id}/comments`.
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

/// The answer to `POST …/pulls/{n}/reviews`: the review created.
#[derive(Deserialize)]
struct CreatedReview {
    #[serde(default)]
    id: u64,
}

/// A REST error answer: `message` and, for 422, `errors`. A field of
/// another shape than documented is skipped, not a reason to lose the rest.
#[derive(Default, Deserialize)]
struct ErrorAnswer {
    #[serde(default)]
    message: Lenient<String>,
    #[serde(default)]
    errors: Lenient<Vec<ErrorDetail>>,
}

/// One of `errors`: a string, or an object with `message` and/or `code`
/// (the resource and field are not shown); anything else is skipped.
#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorDetail {
    Text(String),
    Object {
        #[serde(default)]
        message: Lenient<String>,
        #[serde(default)]
        code: Lenient<String>,
    },
    Other(serde::de::IgnoredAny),
}

impl ErrorDetail {
    fn text(&self) -> Option<&str> {
        match self {
            ErrorDetail::Text(t) => Some(t),
            ErrorDetail::Object { message, code } => {
                message.get().or(code.get()).map(String::as_str)
            }
            ErrorDetail::Other(_) => None,
        }
    }
}

/// A value of the expected type, or whatever else was there (ignored).
#[derive(Deserialize)]
#[serde(untagged)]
enum Lenient<T> {
    Expected(T),
    Other(serde::de::IgnoredAny),
}

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient::Other(serde::de::IgnoredAny)
    }
}

impl<T> Lenient<T> {
    fn get(&self) -> Option<&T> {
        match self {
            Lenient::Expected(t) => Some(t),
            Lenient::Other(_) => None,
        }
    }
}

impl Client {
    /// Posts `review` on `pr` and replaces this tool's earlier reviews (found
    /// by `own.marker`) instead of piling up: their inline comments are
    /// deleted and their body becomes `own.superseded_body`. Nothing is sent
    /// when the newest earlier review already says the same; with no
    /// comments to make, the newest earlier review is updated in place, or
    /// nothing is posted.
    ///
    /// Reads, updates and deletions are retried like lookups (5xx, network
    /// errors, rate limits); creating the review is retried only after a
    /// rate limit, which GitHub answers before doing anything, so a review
    /// is never posted twice.
    pub async fn post_review(
        &self,
        pr: &PullRequest,
        review: &Review,
        own: &OwnReviews,
    ) -> Result<PostOutcome, ReviewError> {
        let token = self
            .inner
            .config
            .token
            .clone()
            .ok_or(ReviewError::NoToken)?;
        let api = Api {
            client: self,
            token: &token,
            base: format!(
                "{}/repos/{}/pulls",
                self.inner.config.api_url.trim_end_matches('/'),
                pr.repository
            ),
        };
        let pull = format!("{}/{}", api.base, pr.number);

        // Our earlier reviews, oldest first.
        let Some(reviews) = api.list::<ReviewInfo>(&format!("{pull}/reviews")).await? else {
            return Ok(PostOutcome::ReadOnly);
        };
        let old: Vec<ReviewInfo> = reviews
            .into_iter()
            .filter(|r| r.body.as_deref().is_some_and(|b| b.contains(&own.marker)))
            .collect();
        let comments_of = async |id: u64| -> Result<Vec<CommentInfo>, ReviewError> {
            Ok(api
                .list(&format!("{pull}/reviews/{id}/comments"))
                .await?
                .unwrap_or_default())
        };
        let latest = old.last().map(|r| r.id);
        let latest_comments = match latest {
            Some(id) => comments_of(id).await?,
            None => Vec::new(),
        };
        if let (Some(id), [only]) = (latest, old.as_slice())
            && only.body.as_deref() == Some(review.body.as_str())
            && same_comments(&latest_comments, &review.comments)
        {
            return Ok(PostOutcome::Unchanged { review_id: id });
        }
        let delete_comments = async |comments: &[CommentInfo]| -> Result<(), ReviewError> {
            for c in comments {
                api.send(
                    Method::DELETE,
                    &format!("{}/comments/{}", api.base, c.id),
                    None,
                )
                .await?;
            }
            Ok(())
        };
        let superseded = serde_json::json!({ "body": own.superseded_body });
        let clear = async |id: u64, comments: &[CommentInfo]| -> Result<(), ReviewError> {
            delete_comments(comments).await?;
            api.send(
                Method::PUT,
                &format!("{pull}/reviews/{id}"),
                Some(&superseded),
            )
            .await?;
            Ok(())
        };
        // Older reviews than the newest (and than `keep`) only lose their text.
        let supersede_older = async |keep: Option<u64>| -> Result<(), ReviewError> {
            for r in old
                .iter()
                .filter(|r| Some(r.id) != keep && Some(r.id) != latest)
            {
                clear(r.id, &comments_of(r.id).await?).await?;
            }
            Ok(())
        };

        if review.comments.is_empty() {
            let Some(id) = latest else {
                // Nothing on the changed lines and nothing to replace: stay quiet.
                return Ok(PostOutcome::NothingToPost);
            };
            // Update the newest review in place: no new entry in the timeline.
            delete_comments(&latest_comments).await?;
            let body = serde_json::json!({ "body": review.body });
            if let Reply::Forbidden = api
                .send(Method::PUT, &format!("{pull}/reviews/{id}"), Some(&body))
                .await?
            {
                return Ok(PostOutcome::ReadOnly);
            }
            supersede_older(Some(id)).await?;
            return Ok(PostOutcome::Updated {
                review_id: id,
                replaced: old.len() - 1,
            });
        }

        let body = serde_json::to_value(review).unwrap_or(Value::Null);
        let Reply::Ok(created, _) = api
            .send(Method::POST, &format!("{pull}/reviews"), Some(&body))
            .await?
        else {
            return Ok(PostOutcome::ReadOnly);
        };
        let review_id = serde_json::from_str::<CreatedReview>(&created).map_or(0, |r| r.id);
        if let Some(id) = latest {
            clear(id, &latest_comments).await?;
        }
        supersede_older(None).await?;
        Ok(PostOutcome::Posted {
            review_id,
            replaced: old.len(),
        })
    }

    /// [`Client::post_review`] on a private single-threaded runtime, for
    /// synchronous callers. Must not be called from inside an async runtime.
    pub fn post_review_blocking(
        &self,
        pr: &PullRequest,
        review: &Review,
        own: &OwnReviews,
    ) -> Result<PostOutcome, ReviewError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(ReviewError::Runtime)?;
        rt.block_on(self.post_review(pr, review, own))
    }
}

/// True if GitHub's comments are the ones we would post.
fn same_comments(have: &[CommentInfo], want: &[ReviewComment]) -> bool {
    have.len() == want.len()
        && want.iter().all(|w| {
            have.iter().any(|h| {
                h.path == w.path && h.line == Some(w.line) && h.body.trim() == w.body.trim()
            })
        })
}

/// The review endpoints of one repository, with the token.
struct Api<'a> {
    client: &'a Client,
    token: &'a Token,
    /// `{api}/repos/{owner}/{repo}/pulls`.
    base: String,
}

impl Api<'_> {
    /// Every item of a paginated list (100 per page, following `link:
    /// rel="next"`); `None` if the token may not read it (403).
    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
    ) -> Result<Option<Vec<T>>, ReviewError> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let Reply::Ok(text, headers) = self
                .send(
                    Method::GET,
                    &format!("{url}?per_page=100&page={page}"),
                    None,
                )
                .await?
            else {
                return Ok(None);
            };
            let items: Vec<T> = serde_json::from_str(&text).unwrap_or_default();
            let more = items.len() == 100 && has_next(&headers);
            out.extend(items);
            if !more {
                break;
            }
        }
        Ok(Some(out))
    }

    /// One call with the client's retry policy. Only idempotent methods are
    /// retried after errors that may have reached GitHub (5xx, timeouts,
    /// broken connections); rate limits are retried for every method.
    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<Reply, ReviewError> {
        let client = self.client;
        let cfg = client.config();
        let idempotent = method != Method::POST;
        let shown = self.token.redact(url);
        let mut attempt = 0;
        loop {
            let mut request = client
                .inner
                .http
                .request(method.clone(), url)
                .bearer_auth(self.token.secret())
                .header("accept", "application/vnd.github+json")
                .header("x-github-api-version", "2022-11-28");
            if let Some(body) = body {
                request = request.json(body);
            }
            let retry = match client.fetch(request, false).await {
                Err(FetchError::Unreachable(reason)) => {
                    return Err(ReviewError::Unreachable {
                        url: shown,
                        source: ApiUnreachable::GaveUp(reason),
                    });
                }
                Err(FetchError::Network { why, source, .. }) => {
                    if !idempotent || attempt >= cfg.max_retries {
                        return Err(ReviewError::Unreachable {
                            url: shown,
                            source: ApiUnreachable::Network(source),
                        });
                    }
                    (client.backoff(attempt), false, why)
                }
                Ok((status, headers, text)) => {
                    let code = status.as_u16();
                    if (200..=299).contains(&code) {
                        return Ok(Reply::Ok(text, headers));
                    }
                    let message = self.message(&text);
                    match code {
                        // Deleting what is already gone (e.g. a retried DELETE) is done.
                        404 if method == Method::DELETE => {
                            return Ok(Reply::Ok(String::new(), headers));
                        }
                        401 => return Err(ReviewError::BadCredentials { url: shown }),
                        422 => {
                            return Err(ReviewError::Unprocessable {
                                url: shown,
                                message,
                            });
                        }
                        403 | 429 => {
                            let secondary =
                                code == 429 || message.to_ascii_lowercase().contains("secondary");
                            let exhausted = headers
                                .get("x-ratelimit-remaining")
                                .and_then(|v| v.to_str().ok())
                                == Some("0");
                            if !secondary && !exhausted && headers.get("retry-after").is_none() {
                                return Ok(Reply::Forbidden);
                            }
                            match client.rate_limit_verdict(&headers, secondary, attempt) {
                                Some(Verdict::Retry(wait, why)) if attempt < cfg.max_retries => {
                                    (wait, true, why)
                                }
                                Some(Verdict::GiveUp(reason)) => {
                                    return Err(ReviewError::RateLimited(reason));
                                }
                                _ => {
                                    return Err(ReviewError::RateLimited(format!(
                                        "GitHub rate limit: still limited after {} retries at {shown}: {message}",
                                        cfg.max_retries
                                    )));
                                }
                            }
                        }
                        500..=599 if idempotent && attempt < cfg.max_retries => (
                            client.backoff(attempt),
                            false,
                            format!("HTTP {code} at {shown}"),
                        ),
                        _ => {
                            return Err(ReviewError::Status {
                                method: method.to_string(),
                                url: shown,
                                status: code,
                                message,
                            });
                        }
                    }
                }
            };
            client.pause(retry.0, retry.1, &retry.2).await;
            attempt += 1;
        }
    }

    /// [`error_text`], clipped and redacted.
    fn message(&self, text: &str) -> String {
        clip(&self.token.redact(&error_text(text)))
    }
}

/// GitHub's `message` plus its `errors` (strings or `{message}`/`{code}`
/// objects), else the body as it is.
fn error_text(text: &str) -> String {
    let answer: ErrorAnswer = serde_json::from_str(text).unwrap_or_default();
    let errors = answer.errors.get().map_or(&[][..], Vec::as_slice);
    let parts: Vec<&str> = answer
        .message
        .get()
        .map(String::as_str)
        .into_iter()
        .chain(errors.iter().filter_map(ErrorDetail::text))
        .collect();
    if parts.is_empty() {
        text.to_owned()
    } else {
        parts.join(": ")
    }
}

/// True if a `link` header has a `rel="next"` page.
fn has_next(headers: &HeaderMap) -> bool {
    headers
        .get_all("link")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|part| part.contains("rel=\"next\"")))
}

#[cfg(test)]
mod tests {
    use super::error_text;

    #[test]
    fn error_answers_show_message_and_errors() {
        // A 422 as GitHub sends it for a comment outside the diff.
        let text = r#"{"message":"Unprocessable Entity","errors":["Line could not be resolved"],"documentation_url":"https://docs.github.com/rest"}"#;
        assert_eq!(
            error_text(text),
            "Unprocessable Entity: Line could not be resolved"
        );
        let text = r#"{"message":"Validation Failed","errors":[{"resource":"PullRequestReview","code":"custom","message":"pull_request_review_thread.line must be part of the diff"},{"resource":"Issue","code":"missing_field"},7]}"#;
        assert_eq!(
            error_text(text),
            "Validation Failed: pull_request_review_thread.line must be part of the diff: missing_field"
        );
    }

    #[test]
    fn error_answers_of_another_shape_are_tolerated() {
        // A field of an unexpected type is skipped; the rest is still shown.
        assert_eq!(
            error_text(r#"{"message":"Bad","errors":{"not":"a list"}}"#),
            "Bad"
        );
        assert_eq!(error_text(r#"{"message":5,"errors":["x"]}"#), "x");
        // Not JSON, or JSON without either field: the body itself.
        assert_eq!(error_text("<html>502</html>"), "<html>502</html>");
        assert_eq!(error_text("[1]"), "[1]");
        assert_eq!(error_text(r#"{"message":null}"#), r#"{"message":null}"#);
    }
}
