//! REST lookups: `GET /repos/{owner}/{repo}` (ETags, 304, 301 for renames,
//! 451), `/repositories/{id}`, `/users/{login}`, with the hourly budget.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use crate::State;
use crate::faults::primary;
use crate::http::{Answer, answer, hash, now_secs};

/// Answers a REST lookup, counting it against the budget (a 304 is free).
pub(crate) fn rest(state: &State, path: &str, if_none_match: Option<&str>) -> Answer {
    let world = match state.world.lock() {
        Ok(w) => w.clone(),
        Err(_) => return answer(500, &[], &json!({ "message": "poisoned" })),
    };
    let reset = now_secs() + state.config.rest_reset_in;
    let limit = state.config.rest_limit;
    let mut remaining = match state.rest_remaining.lock() {
        Ok(r) => r,
        Err(_) => return answer(500, &[], &json!({ "message": "poisoned" })),
    };
    if *remaining == 0 {
        return primary(state.config.rest_reset_in);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (status, body, location): (u16, Value, Option<String>) = match segments.as_slice() {
        ["repos", owner, name] => {
            let key = format!("{owner}/{name}").to_ascii_lowercase();
            if world.blocked.contains(&key) {
                (
                    451,
                    json!({ "message": "Repository access blocked",
                            "block": { "reason": "dmca", "created_at": "2026-01-01T00:00:00Z" } }),
                    None,
                )
            } else if let Some(repo) = world.repos.get(&key) {
                (200, repo.rest(), None)
            } else if let Some(repo) = world.renames.get(&key).and_then(|n| world.repos.get(n)) {
                let url = format!("{}/repositories/{}", state.base, repo.id);
                (
                    301,
                    json!({ "message": "Moved Permanently", "url": url,
                            "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects" }),
                    Some(url),
                )
            } else {
                (404, json!({ "message": "Not Found" }), None)
            }
        }
        ["repositories", id] => match world
            .repos
            .values()
            .find(|r| id.parse::<u64>().ok() == Some(r.id))
        {
            Some(repo) => (200, repo.rest(), None),
            None => (404, json!({ "message": "Not Found" }), None),
        },
        ["users", login] => {
            if world.owners.contains(&login.to_ascii_lowercase()) {
                (
                    200,
                    json!({ "login": login, "html_url": format!("https://github.com/{login}"), "type": "Organization" }),
                    None,
                )
            } else {
                (404, json!({ "message": "Not Found" }), None)
            }
        }
        _ => (404, json!({ "message": "Not Found" }), None),
    };
    let etag = format!("\"{:016x}\"", hash(&body.to_string()));
    if status == 200 && if_none_match == Some(etag.as_str()) {
        // GitHub: a 304 does not count against the rate limit.
        state.counters.not_modified.fetch_add(1, Ordering::Relaxed);
        return answer(
            304,
            &[
                ("etag", etag),
                ("x-ratelimit-limit", limit.to_string()),
                ("x-ratelimit-remaining", remaining.to_string()),
                ("x-ratelimit-reset", reset.to_string()),
            ],
            &Value::Null,
        );
    }
    *remaining -= 1;
    let mut headers = vec![
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-used", (limit - *remaining).to_string()),
        ("x-ratelimit-reset", reset.to_string()),
        ("x-ratelimit-resource", "core".to_owned()),
    ];
    if status == 200 {
        headers.push(("etag", etag));
    }
    if let Some(location) = location {
        headers.push(("location", location));
    }
    answer(status, &headers, &body)
}
