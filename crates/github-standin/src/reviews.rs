//! Pull-request reviews, as far as a bot that replaces its own earlier
//! review needs them: list reviews (paginated), create one with inline
//! comments (422 for a comment outside the diff, as GitHub does), list a
//! review's comments, update a review's body, delete a comment. Every call
//! needs a token; writes answer 403 when [`crate::StandinConfig::read_only`].

use std::collections::BTreeSet;

use hyper::Method;
use serde_json::{Value, json};

use crate::http::{Answer, answer};
use crate::{State, World};

/// A submitted review on the stand-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandinReview {
    /// Review id; assigned when 0.
    pub id: u64,
    /// Its body (Markdown).
    pub body: String,
    /// Who wrote it.
    pub user: String,
    /// Its inline comments.
    pub comments: Vec<StandinComment>,
}

impl StandinReview {
    /// A review by `user` with this body and no comments.
    pub fn new(user: &str, body: &str) -> StandinReview {
        StandinReview {
            id: 0,
            body: body.to_owned(),
            user: user.to_owned(),
            comments: Vec::new(),
        }
    }

    /// Adds an inline comment on `line` of `path`.
    #[must_use]
    pub fn with_comment(mut self, path: &str, line: u64, body: &str) -> StandinReview {
        self.comments.push(StandinComment {
            id: 0,
            path: path.to_owned(),
            line,
            body: body.to_owned(),
        });
        self
    }

    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "body": self.body,
            "state": "COMMENTED",
            "user": { "login": self.user },
        })
    }
}

/// An inline review comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandinComment {
    /// Comment id; assigned when 0.
    pub id: u64,
    /// File relative to the repository root.
    pub path: String,
    /// Line on the new side.
    pub line: u64,
    /// Its body.
    pub body: String,
}

impl StandinComment {
    fn json(&self, review: u64) -> Value {
        json!({
            "id": self.id,
            "pull_request_review_id": review,
            "path": self.path,
            "line": self.line,
            "side": "RIGHT",
            "body": self.body,
        })
    }
}

/// One pull request: the lines its diff touches and its reviews.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pull {
    /// `(path, line)` a comment may be on; `None` accepts any line.
    pub(crate) lines: Option<BTreeSet<(String, u64)>>,
    pub(crate) reviews: Vec<StandinReview>,
}

impl World {
    /// Pull request `number` of `repo`; review comments must be on one of
    /// `lines` (`(path, line)` on the new side), else creating the review
    /// answers 422 like GitHub.
    #[must_use]
    pub fn with_pull<'a>(
        mut self,
        repo: &str,
        number: u64,
        lines: impl IntoIterator<Item = (&'a str, u64)>,
    ) -> World {
        let pull = self
            .pulls
            .entry((repo.to_ascii_lowercase(), number))
            .or_default();
        pull.lines = Some(lines.into_iter().map(|(p, l)| (p.to_owned(), l)).collect());
        self
    }

    /// An earlier review of pull request `number` of `repo` (created, with
    /// any line allowed, if the pull request is not known yet). Ids of 0
    /// are assigned.
    #[must_use]
    pub fn with_review(mut self, repo: &str, number: u64, mut review: StandinReview) -> World {
        self.assign_ids(&mut review);
        self.pulls
            .entry((repo.to_ascii_lowercase(), number))
            .or_default()
            .reviews
            .push(review);
        self
    }

    fn assign_ids(&mut self, review: &mut StandinReview) {
        let mut next = || {
            self.last_id += 1;
            self.last_id
        };
        if review.id == 0 {
            review.id = next();
        }
        for c in &mut review.comments {
            if c.id == 0 {
                c.id = next();
            }
        }
    }
}

/// A request under `/repos/{owner}/{repo}/pulls/`.
pub(crate) struct PullRequest<'a> {
    pub(crate) method: &'a Method,
    /// `owner/name` as requested.
    pub(crate) repo: String,
    /// The path segments after `pulls`.
    pub(crate) rest: &'a [&'a str],
    pub(crate) query: &'a str,
    pub(crate) authorization: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

/// An error answer with GitHub's `{"message": …}` body.
fn message(status: u16, text: &str) -> Answer {
    answer(status, &[], &json!({ "message": text }))
}

/// Answers a request under `/repos/{owner}/{repo}/pulls/`.
pub(crate) fn handle(state: &State, req: &PullRequest<'_>) -> Answer {
    let token = req.authorization.and_then(|a| {
        a.strip_prefix("Bearer ")
            .or_else(|| a.strip_prefix("bearer "))
            .or_else(|| a.strip_prefix("token "))
    });
    match (token, &state.config.token) {
        (None, _) => return message(401, "Requires authentication"),
        (Some(t), Some(want)) if t != want => return message(401, "Bad credentials"),
        (Some(""), None) => return message(401, "Bad credentials"),
        _ => {}
    }
    if *req.method != Method::GET && state.config.read_only {
        return message(403, "Resource not accessible by integration");
    }
    let Ok(mut world) = state.world.lock() else {
        return message(500, "poisoned");
    };
    let repo = req.repo.to_ascii_lowercase();
    let number = |s: &str| s.parse::<u64>().ok();
    match (req.method, req.rest) {
        (&Method::DELETE, ["comments", id]) => {
            let id = number(id);
            for ((r, _), pull) in world.pulls.iter_mut() {
                if *r != repo {
                    continue;
                }
                for review in &mut pull.reviews {
                    if let Some(i) = review.comments.iter().position(|c| Some(c.id) == id) {
                        review.comments.remove(i);
                        return answer(204, &[], &Value::Null);
                    }
                }
            }
            message(404, "Not Found")
        }
        (method, [n, "reviews", tail @ ..]) => {
            let key = (repo, number(n).unwrap_or(0));
            if !world.pulls.contains_key(&key) {
                return message(404, "Not Found");
            }
            match (method, tail) {
                (&Method::GET, []) => {
                    let all: Vec<Value> = world.pulls[&key]
                        .reviews
                        .iter()
                        .map(StandinReview::json)
                        .collect();
                    page(state, req, all)
                }
                (&Method::POST, []) => create(&mut world, &key, req.body),
                (method, [id, tail @ ..]) => {
                    let id = number(id);
                    let pull = world.pulls.get_mut(&key).expect("checked above");
                    let Some(review) = pull.reviews.iter_mut().find(|r| Some(r.id) == id) else {
                        return message(404, "Not Found");
                    };
                    match (method, tail) {
                        (&Method::GET, []) => answer(200, &[], &review.json()),
                        (&Method::PUT, []) => {
                            let update: Value =
                                serde_json::from_slice(req.body).unwrap_or(Value::Null);
                            let Some(body) = update.get("body").and_then(Value::as_str) else {
                                return unprocessable("body is missing");
                            };
                            review.body = body.to_owned();
                            answer(200, &[], &review.json())
                        }
                        (&Method::GET, ["comments"]) => {
                            let all = review.comments.iter().map(|c| c.json(review.id)).collect();
                            page(state, req, all)
                        }
                        _ => message(404, "Not Found"),
                    }
                }
                _ => message(404, "Not Found"),
            }
        }
        _ => message(404, "Not Found"),
    }
}

/// GitHub's 422 shape: a generic message and the specific errors.
fn unprocessable(error: &str) -> Answer {
    answer(
        422,
        &[],
        &json!({
            "message": "Unprocessable Entity",
            "errors": [error],
            "documentation_url": "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
            "status": "422",
        }),
    )
}

/// `POST …/pulls/{n}/reviews`: all comments must be on the diff, or none
/// is created.
fn create(world: &mut World, key: &(String, u64), body: &[u8]) -> Answer {
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return message(400, "Problems parsing JSON");
    };
    let event = request.get("event").and_then(Value::as_str).unwrap_or("");
    if !matches!(event, "COMMENT" | "APPROVE" | "REQUEST_CHANGES") {
        return unprocessable("event must be COMMENT, APPROVE or REQUEST_CHANGES");
    }
    let mut review = StandinReview::new(
        "archmanual-bot",
        request.get("body").and_then(Value::as_str).unwrap_or(""),
    );
    let lines = &world.pulls[key].lines;
    for c in request
        .get("comments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(path), Some(line), Some(body)) = (
            c.get("path").and_then(Value::as_str),
            c.get("line").and_then(Value::as_u64),
            c.get("body").and_then(Value::as_str),
        ) else {
            return unprocessable("a comment needs path, line and body");
        };
        if lines
            .as_ref()
            .is_some_and(|l| !l.contains(&(path.to_owned(), line)))
        {
            return unprocessable("Line could not be resolved");
        }
        review = review.with_comment(path, line, body);
    }
    world.assign_ids(&mut review);
    let out = review.json();
    world
        .pulls
        .get_mut(key)
        .expect("checked by the caller")
        .reviews
        .push(review);
    answer(200, &[], &out)
}

/// One page of `all` (`per_page`, default 30, at most 100; `page` from 1),
/// with a `link: <…>; rel="next"` header when there is more.
fn page(state: &State, req: &PullRequest<'_>, all: Vec<Value>) -> Answer {
    let param = |name: &str| {
        req.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then(|| v.parse::<usize>().ok()).flatten()
        })
    };
    let per_page = param("per_page").unwrap_or(30).clamp(1, 100);
    let page = param("page").unwrap_or(1).max(1);
    let start = (page - 1).saturating_mul(per_page);
    let items: Vec<Value> = all.iter().skip(start).take(per_page).cloned().collect();
    let mut headers = Vec::new();
    if start + per_page < all.len() {
        headers.push((
            "link",
            format!(
                "<{}/repos/{}/pulls/{}?per_page={per_page}&page={}>; rel=\"next\"",
                state.base,
                req.repo,
                req.rest.join("/"),
                page + 1
            ),
        ));
    }
    answer(200, &headers, &Value::Array(items))
}
