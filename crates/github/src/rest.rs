//! REST without a token: one request per repository, serial (GitHub's
//! advice), conditional requests from the cache, 301 = renamed.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use archmanual_github_snapshot::SnapshotEntry;

use crate::answer::{RestError, RestRepo, RestUser, read};
use crate::cache::CachedRepo;
use crate::client::{Client, FetchError, Progress, bump, clip, origin};
use crate::driver::{Item, ItemResult};
use crate::lookups::{OwnerStatus, RepoStatus};
use crate::policy::Verdict;

/// Looks `items` up one at a time; once the hourly budget is gone for
/// longer than [`crate::Config::max_wait`], the rest are unknown at once.
pub(crate) async fn run(
    client: &Client,
    items: Vec<Item>,
    stale: &BTreeMap<String, CachedRepo>,
    progress: Progress,
) -> Vec<(Item, ItemResult)> {
    let mut out = Vec::with_capacity(items.len());
    // Set once the hourly budget is gone for longer than we may wait.
    let mut stopped: Option<String> = None;
    for item in items {
        let result = match &stopped {
            Some(reason) => ItemResult::unknown(&item, reason),
            None => {
                let (result, stop) = lookup_one(client, &item, stale, &mut stopped).await;
                if stop.is_some() {
                    stopped = stop;
                }
                result
            }
        };
        progress(1, 0);
        out.push((item, result));
    }
    out
}

#[allow(clippy::large_enum_variant, reason = "short-lived, moved once")]
enum Outcome {
    Done(ItemResult),
    Failed(Verdict, bool),
}

/// One item with retries. The second value, when set, stops all further
/// requests (rate limit used up beyond `max_wait`).
async fn lookup_one(
    client: &Client,
    item: &Item,
    stale: &BTreeMap<String, CachedRepo>,
    exhausted: &mut Option<String>,
) -> (ItemResult, Option<String>) {
    let mut attempt = 0;
    loop {
        let outcome = attempt_one(client, item, stale, attempt, exhausted).await;
        match outcome {
            Outcome::Done(result) => return (result, None),
            Outcome::Failed(Verdict::Retry(wait, why), rate_limit)
                if attempt < client.config().max_retries =>
            {
                client.pause(wait, rate_limit, &why).await;
                attempt += 1;
            }
            Outcome::Failed(Verdict::Retry(_, why), _) => {
                let reason = format!(
                    "GitHub REST failed after {} retries: {why}",
                    client.config().max_retries
                );
                return (ItemResult::unknown(item, &reason), None);
            }
            Outcome::Failed(Verdict::GiveUp(reason), rate_limit) => {
                let stop = rate_limit.then(|| reason.clone());
                return (ItemResult::unknown(item, &reason), stop);
            }
        }
    }
}

/// One GET with the API headers (and the token, if any), the body parsed.
async fn get(
    client: &Client,
    url: &str,
    etag: Option<&str>,
) -> Result<(StatusCode, HeaderMap, Value), FetchError> {
    let cfg = client.config();
    let mut request = client
        .inner
        .http
        .get(url)
        .header("accept", "application/vnd.github+json")
        .header("x-github-api-version", "2022-11-28");
    if let Some(token) = &cfg.token {
        request = request.bearer_auth(token.secret());
    }
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    let (status, headers, text) = client.fetch(request, false).await?;
    Ok((
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    ))
}

/// A failed request as an outcome: retry after a network error, give up at
/// once when the host's breaker is open.
fn network_failure(client: &Client, error: FetchError, attempt: u32) -> Outcome {
    match error {
        FetchError::Unreachable(reason) => Outcome::Failed(Verdict::GiveUp(reason), false),
        FetchError::Network { why, .. } => {
            Outcome::Failed(Verdict::Retry(client.backoff(attempt), why), false)
        }
    }
}

/// One attempt at one item, classified.
async fn attempt_one(
    client: &Client,
    item: &Item,
    stale: &BTreeMap<String, CachedRepo>,
    attempt: u32,
    exhausted: &mut Option<String>,
) -> Outcome {
    let api = client.config().api_url.trim_end_matches('/');
    let (url, cached) = match item {
        Item::Repo(key) => (
            format!("{api}/repos/{}/{}", key.owner(), key.name()),
            stale.get(key.key()),
        ),
        Item::Owner(login) => (format!("{api}/users/{login}"), None),
    };
    let etag = cached.and_then(|c| c.etag.as_deref());
    let (status, headers, body) = match get(client, &url, etag).await {
        Ok(r) => r,
        Err(e) => return network_failure(client, e, attempt),
    };
    if let Some(outcome) = failure(client, status, &headers, &body, attempt) {
        return outcome;
    }
    // The budget just ran out and will not come back soon: ask no more.
    if let Some(reason) = budget_gone(client, &headers) {
        *exhausted = Some(reason);
    }
    let fetched_at = client.now_rfc3339();
    let etag = headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let result = match (item, status.as_u16()) {
        (Item::Repo(key), 200) => match read::<RestRepo>(&body) {
            Some(repo) => {
                let meta = repo.into_meta(&fetched_at);
                ItemResult::Repo(RepoStatus::from_meta(key.key(), meta), etag)
            }
            None => ItemResult::unknown(item, "GitHub REST: malformed repository data"),
        },
        (Item::Repo(key), 304) => {
            bump(&client.inner.counters.not_modified);
            match cached.map(|c| (&c.entry, c.etag.clone())) {
                Some((SnapshotEntry::Found(meta), etag)) => {
                    let mut meta = meta.clone();
                    meta.fetched_at = fetched_at;
                    ItemResult::Repo(RepoStatus::from_meta(key.key(), meta), etag)
                }
                _ => ItemResult::unknown(item, "GitHub REST: 304 without a cached answer"),
            }
        }
        (Item::Repo(key), 301 | 302 | 307 | 308) => {
            return follow_rename(client, item, key.key(), &headers, attempt).await;
        }
        (Item::Repo(_), 404 | 410) => ItemResult::Repo(RepoStatus::Missing, None),
        (Item::Repo(_), 451) => {
            let error = read::<RestError>(&body).unwrap_or_default();
            let reason = error
                .block
                .and_then(|b| b.reason)
                .or(error.message)
                .map(|r| clip(&r))
                .unwrap_or_else(|| "blocked".to_owned());
            ItemResult::Repo(RepoStatus::Blocked { reason }, None)
        }
        (Item::Owner(_), 200) => match read::<RestUser>(&body) {
            Some(user) => ItemResult::Owner(OwnerStatus::Found {
                login: user.login,
                url: user.html_url,
            }),
            None => ItemResult::unknown(item, "GitHub REST: malformed user data"),
        },
        (Item::Owner(_), 404) => ItemResult::Owner(OwnerStatus::Missing),
        (_, code) => ItemResult::unknown(item, &format!("GitHub REST: unexpected HTTP {code}")),
    };
    Outcome::Done(result)
}

/// `Some(reason)` if this answer used the last request of the window and
/// the reset is further away than `max_wait`.
fn budget_gone(client: &Client, headers: &HeaderMap) -> Option<String> {
    let wait = archmanual_http_policy::rate_limit_reset(headers, client.now())?.as_secs();
    (wait > client.config().max_wait.as_secs()).then(|| {
        format!(
            "GitHub's REST budget is used up for the next {wait}s; set GH_TOKEN or GITHUB_TOKEN (60 requests/hour without one) or try again later"
        )
    })
}

/// Rate limits and server errors; `None` if the answer is to be read.
fn failure(
    client: &Client,
    status: StatusCode,
    headers: &HeaderMap,
    body: &Value,
    attempt: u32,
) -> Option<Outcome> {
    let code = status.as_u16();
    let message = read::<RestError>(body)
        .and_then(|e| e.message)
        .map(|m| clip(&m))
        .unwrap_or_default();
    match code {
        403 | 429 => {
            let secondary = code == 429 || message.to_ascii_lowercase().contains("secondary");
            let exhausted = headers
                .get("x-ratelimit-remaining")
                .and_then(|v| v.to_str().ok())
                == Some("0");
            if !secondary && !exhausted && headers.get("retry-after").is_none() {
                // A plain 403 (e.g. forbidden) is an answer, not a limit.
                return Some(Outcome::Failed(
                    Verdict::GiveUp(format!("GitHub REST: HTTP {code} {message}")),
                    false,
                ));
            }
            client
                .rate_limit_verdict(headers, secondary, attempt)
                .map(|v| Outcome::Failed(v, true))
        }
        500..=599 => Some(Outcome::Failed(
            Verdict::Retry(client.backoff(attempt), format!("HTTP {code}")),
            false,
        )),
        _ => None,
    }
}

/// A 301 for a renamed repository: fetch it at `/repositories/{id}`, only
/// within the API's own origin.
async fn follow_rename(
    client: &Client,
    item: &Item,
    requested: &str,
    headers: &HeaderMap,
    attempt: u32,
) -> Outcome {
    let Some(location) = headers.get("location").and_then(|v| v.to_str().ok()) else {
        return Outcome::Done(ItemResult::unknown(
            item,
            "GitHub REST: redirect without a location",
        ));
    };
    let Some(target) = redirect_target(&client.config().api_url, location) else {
        return Outcome::Done(ItemResult::unknown(
            item,
            "GitHub REST: redirect outside the configured API",
        ));
    };
    let (status, headers, body) = match get(client, target.as_str(), None).await {
        Ok(r) => r,
        Err(e) => return network_failure(client, e, attempt),
    };
    if let Some(outcome) = failure(client, status, &headers, &body, attempt) {
        return outcome;
    }
    let fetched_at = client.now_rfc3339();
    Outcome::Done(match status.as_u16() {
        200 => match read::<RestRepo>(&body) {
            Some(repo) => {
                let meta = repo.into_meta(&fetched_at);
                ItemResult::Repo(RepoStatus::from_meta(requested, meta), None)
            }
            None => ItemResult::unknown(item, "GitHub REST: malformed repository data"),
        },
        404 | 410 => ItemResult::Repo(RepoStatus::Missing, None),
        code => ItemResult::unknown(
            item,
            &format!("GitHub REST: unexpected HTTP {code} after redirect"),
        ),
    })
}

/// Where a redirect from the API points, if it stays at the API's origin
/// (scheme, host and port, compared parsed: `https://api.github.com.evil/`
/// or `https://api.github.com@evil/` share a prefix with the API, not its
/// origin). A relative location is resolved against the API base.
fn redirect_target(api: &str, location: &str) -> Option<reqwest::Url> {
    let base = reqwest::Url::parse(api.trim_end_matches('/')).ok()?;
    let target = base.join(location.trim()).ok()?;
    let same = origin(&base) == origin(&target)
        && target.username().is_empty()
        && target.password().is_none();
    same.then_some(target)
}

/// A REST repository object as snapshot metadata; `None` if malformed.
#[cfg(test)]
mod tests {
    use super::redirect_target;

    #[test]
    fn redirects_are_followed_only_to_the_apis_own_origin() {
        let api = "https://api.github.com";
        let ok = |location: &str| redirect_target(api, location).map(|u| u.to_string());
        assert_eq!(
            ok("https://api.github.com/repositories/1").as_deref(),
            Some("https://api.github.com/repositories/1")
        );
        assert_eq!(
            ok("https://API.GitHub.com:443/repositories/1").as_deref(),
            Some("https://api.github.com/repositories/1")
        );
        assert_eq!(
            ok("/repositories/1").as_deref(),
            Some("https://api.github.com/repositories/1")
        );
        // Look-alikes that start with the API's text.
        for evil in [
            "https://api.github.com.evil.example/repositories/1",
            "https://api.github.com@evil.example/repositories/1",
            "https://api.github.com:8443/repositories/1",
            "http://api.github.com/repositories/1",
            "//evil.example/repositories/1",
        ] {
            assert_eq!(ok(evil), None, "{evil}");
        }
        // A port that extends the API's port as text.
        assert_eq!(
            redirect_target("http://127.0.0.1:1234", "http://127.0.0.1:12345/x"),
            None
        );
    }
}
