//! GraphQL batches: ≤100 aliased lookups per request, values as variables.

use std::sync::Arc;

use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;

use reqwest::header::HeaderMap;

use crate::answer::{GraphqlAnswer, GraphqlError, GraphqlOwner, GraphqlRepo, read};
use crate::client::{Client, FetchError, Progress, bump, clip};
use crate::driver::{Item, ItemResult};
use crate::lookups::{OwnerStatus, RepoStatus};
use crate::policy::Verdict;

const REPO_FRAGMENT: &str = "fragment R on Repository { databaseId nameWithOwner url \
stargazerCount isArchived isDisabled isFork pushedAt description licenseInfo { spdxId } \
primaryLanguage { name } latestRelease { tagName } }";

/// The query text (structure only: aliases and variable names from
/// indices) and the variables (the owner/name values).
pub(crate) fn build_query(items: &[Item]) -> (String, Map<String, Value>) {
    let mut decls = Vec::with_capacity(items.len());
    let mut body = String::new();
    let mut vars = Map::new();
    let mut any_repo = false;
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Repo(key) => {
                any_repo = true;
                decls.push(format!("$ro{i}: String!, $rn{i}: String!"));
                body.push_str(&format!(
                    "  r{i}: repository(owner: $ro{i}, name: $rn{i}) {{ ...R }}\n"
                ));
                vars.insert(format!("ro{i}"), Value::from(key.owner()));
                vars.insert(format!("rn{i}"), Value::from(key.name()));
            }
            Item::Owner(login) => {
                decls.push(format!("$ul{i}: String!"));
                body.push_str(&format!(
                    "  u{i}: repositoryOwner(login: $ul{i}) {{ login url }}\n"
                ));
                vars.insert(format!("ul{i}"), Value::from(login.as_str()));
            }
        }
    }
    let mut query = format!("query Lookup({}) {{\n{body}}}\n", decls.join(", "));
    if any_repo {
        query.push_str(REPO_FRAGMENT);
        query.push('\n');
    }
    (query, vars)
}

/// Looks `items` up in batches of [`crate::Config::batch_size`], at most
/// [`crate::Config::concurrency`] in flight; every item gets a result.
pub(crate) async fn run(
    client: &Client,
    items: Vec<Item>,
    progress: Progress,
) -> Vec<(Item, ItemResult)> {
    let size = client.config().batch_size.clamp(1, crate::MAX_BATCH);
    let semaphore = Arc::new(Semaphore::new(client.config().concurrency.max(1)));
    // Set when a batch gives up on a rate limit (or a rejected token):
    // the other batches then stop asking instead of hammering GitHub.
    let stop: Stop = Arc::new(std::sync::Mutex::new(None));
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in items.chunks(size) {
        let client = client.clone();
        let chunk = chunk.to_vec();
        let semaphore = Arc::clone(&semaphore);
        let progress = Arc::clone(&progress);
        let stop = Arc::clone(&stop);
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            run_batch(&client, chunk, &progress, &stop).await
        });
    }
    let mut out = Vec::with_capacity(items.len());
    while let Some(joined) = tasks.join_next().await {
        // A panicking task loses its items; they are reported below.
        if let Ok(results) = joined {
            out.extend(results);
        }
    }
    // Anything lost to a panicked task is unknown, never missing.
    if out.len() < items.len() {
        let seen: std::collections::BTreeSet<String> =
            out.iter().map(|(i, _)| item_id(i)).collect();
        for item in items {
            if !seen.contains(&item_id(&item)) {
                let reason = "internal error while looking this up".to_owned();
                out.push((item.clone(), ItemResult::unknown(&item, &reason)));
            }
        }
    }
    out
}

fn item_id(item: &Item) -> String {
    match item {
        Item::Repo(k) => format!("r:{}", k.key()),
        Item::Owner(l) => format!("o:{l}"),
    }
}

/// What one request for a batch came to.
enum Attempt {
    Done(Vec<(Item, ItemResult)>),
    Split(String),
    Failed(Verdict, bool),
}

/// One batch with retries; a 502/504 splits it into halves.
type Stop = Arc<std::sync::Mutex<Option<String>>>;

fn stopped(stop: &Stop) -> Option<String> {
    stop.lock().ok().and_then(|s| s.clone())
}

async fn run_batch(
    client: &Client,
    items: Vec<Item>,
    progress: &Progress,
    stop: &Stop,
) -> Vec<(Item, ItemResult)> {
    let mut queue = vec![items];
    let mut out = Vec::new();
    while let Some(mut batch) = queue.pop() {
        let mut attempt: u32 = 0;
        loop {
            if let Some(reason) = stopped(stop) {
                settle_unknown(&mut out, progress, &batch, &reason);
                break;
            }
            let (verdict, rate_limit) = match attempt_batch(client, &batch, attempt).await {
                Attempt::Done(results) => {
                    progress(results.len(), 0);
                    out.extend(results);
                    break;
                }
                Attempt::Split(_) if batch.len() > 1 => {
                    bump(&client.inner.counters.splits);
                    let second = batch.split_off(batch.len() / 2);
                    queue.push(second);
                    queue.push(batch);
                    break;
                }
                Attempt::Split(why) => (Verdict::Retry(client.backoff(attempt), why), false),
                Attempt::Failed(verdict, rate_limit) => (verdict, rate_limit),
            };
            match verdict {
                Verdict::Retry(wait, why) if attempt < client.config().max_retries => {
                    client.pause(wait, rate_limit, &why).await;
                    attempt += 1;
                }
                Verdict::Retry(_, why) => {
                    let reason = format!(
                        "GitHub GraphQL failed after {} retries: {why}",
                        client.config().max_retries
                    );
                    settle_unknown(&mut out, progress, &batch, &reason);
                    break;
                }
                Verdict::GiveUp(reason) => {
                    if rate_limit && let Ok(mut s) = stop.lock() {
                        s.get_or_insert_with(|| reason.clone());
                    }
                    settle_unknown(&mut out, progress, &batch, &reason);
                    break;
                }
            }
        }
    }
    out
}

/// Every item of `batch` ends unknown for `reason` (stopped, or out of retries).
fn settle_unknown(
    out: &mut Vec<(Item, ItemResult)>,
    progress: &Progress,
    batch: &[Item],
    reason: &str,
) {
    progress(batch.len(), 0);
    out.extend(
        batch
            .iter()
            .map(|i| (i.clone(), ItemResult::unknown(i, reason))),
    );
}

/// One request for `batch`, classified per alias.
async fn attempt_batch(client: &Client, batch: &[Item], attempt: u32) -> Attempt {
    let (status, headers, answer) = match send_batch(client, batch, attempt).await {
        Ok(sent) => sent,
        Err(failed) => return failed,
    };
    if let Some(failed) = http_failure(client, status, &headers, &answer, attempt) {
        return failed;
    }
    // Errors without a path concern the whole request.
    let global: Vec<&GraphqlError> = answer.errors.iter().filter(|e| e.path.is_empty()).collect();
    // Primary limits come as `RATE_LIMITED`; secondary limits may come as a
    // 200 whose error message says so.
    let rate_limited = global.iter().any(|e| {
        e.kind.as_deref() == Some("RATE_LIMITED")
            || e.message
                .as_deref()
                .is_some_and(|m| m.to_ascii_lowercase().contains("rate limit"))
    });
    if rate_limited {
        let v = client
            .rate_limit_verdict(&headers, true, attempt)
            .unwrap_or_else(|| Verdict::Retry(client.backoff(attempt), "RATE_LIMITED".into()));
        return Attempt::Failed(v, true);
    }
    let Some(data) = answer.data.as_ref() else {
        let what = global
            .first()
            .and_then(|e| e.message.as_deref())
            .map(clip)
            .unwrap_or_else(|| "answer without data".to_owned());
        return Attempt::Failed(Verdict::GiveUp(format!("GitHub GraphQL: {what}")), false);
    };
    let fetched_at = client.now_rfc3339();
    let results = batch
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let result = alias_result(item, i, data, &answer.errors, &fetched_at);
            (item.clone(), result)
        })
        .collect();
    Attempt::Done(results)
}

/// Sends the batch's query; a failure to get an answer is an [`Attempt`].
async fn send_batch(
    client: &Client,
    batch: &[Item],
    attempt: u32,
) -> Result<(u16, HeaderMap, GraphqlAnswer), Attempt> {
    let cfg = client.config();
    let Some(token) = cfg.token.as_ref() else {
        return Err(Attempt::Failed(
            Verdict::GiveUp("GraphQL needs a token".into()),
            false,
        ));
    };
    let (query, variables) = build_query(batch);
    let request = client
        .inner
        .http
        .post(&cfg.graphql_url)
        .bearer_auth(token.secret())
        .json(&json!({ "query": query, "variables": variables }));
    match client.fetch(request, true).await {
        Ok((status, headers, text)) => {
            let answer = serde_json::from_str(&text).unwrap_or_default();
            Ok((status.as_u16(), headers, answer))
        }
        // The host's breaker is open: every batch stops, with its reason.
        Err(FetchError::Unreachable(reason)) => Err(Attempt::Failed(Verdict::GiveUp(reason), true)),
        // GitHub gives up on requests after 10 s of work; a batch that
        // times out is treated like one answered 504: split in halves.
        Err(FetchError::Network {
            why, timeout: true, ..
        }) => Err(Attempt::Split(why)),
        Err(FetchError::Network { why, .. }) => Err(Attempt::Failed(
            Verdict::Retry(client.backoff(attempt), why),
            false,
        )),
    }
}

/// What a status other than 200 comes to; `None` for a 200.
fn http_failure(
    client: &Client,
    status: u16,
    headers: &HeaderMap,
    answer: &GraphqlAnswer,
    attempt: u32,
) -> Option<Attempt> {
    let message = answer.message.as_deref().map(clip).unwrap_or_default();
    let give_up = || {
        Attempt::Failed(
            Verdict::GiveUp(format!("GitHub GraphQL: HTTP {status} {message}")),
            false,
        )
    };
    Some(match status {
        200 => return None,
        502 | 504 => Attempt::Split(format!("HTTP {status}")),
        500..=599 => Attempt::Failed(
            Verdict::Retry(client.backoff(attempt), format!("HTTP {status}")),
            false,
        ),
        401 => Attempt::Failed(
            Verdict::GiveUp(
                "GitHub rejected the token (HTTP 401): check GH_TOKEN or GITHUB_TOKEN".into(),
            ),
            // Like a rate limit, a bad token stops every batch.
            true,
        ),
        403 | 429 => {
            let secondary = status == 429 || message.to_ascii_lowercase().contains("secondary");
            match client.rate_limit_verdict(headers, secondary, attempt) {
                Some(v) => Attempt::Failed(v, true),
                None => give_up(),
            }
        }
        _ => give_up(),
    })
}

/// The result for item number `i` of the batch from its alias's data and errors.
fn alias_result(
    item: &Item,
    i: usize,
    data: &Map<String, Value>,
    errors: &[GraphqlError],
    fetched_at: &str,
) -> ItemResult {
    let alias = match item {
        Item::Repo(_) => format!("r{i}"),
        Item::Owner(_) => format!("u{i}"),
    };
    let value = data.get(&alias).filter(|v| !v.is_null());
    let alias_errors: Vec<&GraphqlError> = errors
        .iter()
        .filter(|e| e.alias() == Some(alias.as_str()))
        .collect();
    let not_found = alias_errors
        .iter()
        .any(|e| e.kind.as_deref() == Some("NOT_FOUND"));
    let error_reason = || {
        alias_errors
            .first()
            .map(|e| {
                format!(
                    "GitHub GraphQL: {} {}",
                    e.kind.as_deref().unwrap_or("error"),
                    clip(e.message.as_deref().unwrap_or(""))
                )
            })
            .unwrap_or_else(|| format!("GitHub GraphQL returned nothing for {alias}"))
    };
    match (item, value) {
        (Item::Repo(key), Some(v)) => match read::<GraphqlRepo>(v) {
            Some(repo) => {
                let meta = repo.into_meta(fetched_at);
                ItemResult::Repo(RepoStatus::from_meta(key.key(), meta), None)
            }
            None => ItemResult::unknown(item, "GitHub GraphQL: malformed repository data"),
        },
        (Item::Owner(_), Some(v)) => match read::<GraphqlOwner>(v) {
            Some(owner) => ItemResult::Owner(OwnerStatus::Found {
                login: owner.login,
                url: owner.url,
            }),
            None => ItemResult::unknown(item, "GitHub GraphQL: malformed owner data"),
        },
        (Item::Repo(_), None) if not_found => ItemResult::Repo(RepoStatus::Missing, None),
        (Item::Owner(_), None) if not_found => ItemResult::Owner(OwnerStatus::Missing),
        (_, None) => ItemResult::unknown(item, &error_reason()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RepoKey;

    #[test]
    fn values_travel_as_variables_not_query_text() {
        let items = vec![
            Item::Repo(RepoKey::parse("apache/kafka").unwrap()),
            Item::Owner("etcd-io".into()),
        ];
        let (query, vars) = build_query(&items);
        assert!(
            !query.contains("kafka") && !query.contains("etcd-io"),
            "{query}"
        );
        assert!(query.contains("r0: repository(owner: $ro0, name: $rn0)"));
        assert!(query.contains("u1: repositoryOwner(login: $ul1)"));
        assert!(query.contains("fragment R on Repository"));
        assert_eq!(vars["ro0"], "apache");
        assert_eq!(vars["rn0"], "kafka");
        assert_eq!(vars["ul1"], "etcd-io");
        // No repository, no (unused, hence invalid) fragment.
        let (query, _) = build_query(&[Item::Owner("x".into())]);
        assert!(!query.contains("fragment"));
    }
}
