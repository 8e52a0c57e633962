//! Injected failures: scripted [`Fault`]s for the next requests, then the
//! periodic ones of [`crate::StandinConfig`], answered the way GitHub does.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::json;

use crate::State;
use crate::http::{Answer, answer, now_secs};

/// A scripted answer for the next request (before periodic faults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and a JSON message.
    Status(u16),
    /// 403 secondary rate limit with this `retry-after` (or none).
    SecondaryRateLimit(Option<u64>),
    /// 403 primary rate limit: `x-ratelimit-remaining: 0`, reset in this many seconds.
    PrimaryRateLimit(u64),
    /// GraphQL's primary limit: 200 with a `RATE_LIMITED` error and
    /// `x-ratelimit-remaining: 0`, reset in this many seconds.
    GraphqlRateLimited(u64),
    /// Sleep this long before answering normally.
    Delay(Duration),
    /// 301 to this `location` (e.g. to test where a client follows it).
    Redirect(String),
    /// Answer with this status and a message quoting the request's
    /// `Authorization` header, as a misbehaving proxy might: to test that a
    /// client redacts what servers say.
    EchoAuthorization(u16),
}

/// The injected answer for request number `n` (counting from 1), if any.
/// A scripted [`Fault::Delay`] sleeps and then lets the request through.
pub(crate) async fn inject(state: &State, n: u64, authorization: Option<&str>) -> Option<Answer> {
    let scripted = state.script.lock().ok().and_then(|mut s| s.pop_front());
    let fault = |state: &State| {
        state.counters.faults.fetch_add(1, Ordering::Relaxed);
    };
    match scripted {
        Some(Fault::Status(code)) => {
            fault(state);
            return Some(answer(
                code,
                &[],
                &json!({ "message": format!("injected {code}") }),
            ));
        }
        Some(Fault::SecondaryRateLimit(retry_after)) => {
            fault(state);
            return Some(secondary(retry_after));
        }
        Some(Fault::PrimaryRateLimit(reset_in)) => {
            fault(state);
            return Some(primary(reset_in));
        }
        Some(Fault::GraphqlRateLimited(reset_in)) => {
            fault(state);
            return Some(answer(
                200,
                &[
                    ("x-ratelimit-limit", "5000".to_owned()),
                    ("x-ratelimit-remaining", "0".to_owned()),
                    ("x-ratelimit-reset", (now_secs() + reset_in).to_string()),
                    ("x-ratelimit-resource", "graphql".to_owned()),
                ],
                &json!({ "errors": [{ "type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1." }] }),
            ));
        }
        Some(Fault::Redirect(location)) => {
            fault(state);
            return Some(answer(
                301,
                &[("location", location)],
                &json!({ "message": "Moved Permanently" }),
            ));
        }
        Some(Fault::EchoAuthorization(code)) => {
            fault(state);
            let message = format!("denied: {}", authorization.unwrap_or("no authorization"));
            return Some(answer(code, &[], &json!({ "message": message })));
        }
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    let cfg = &state.config;
    if cfg.fail_every > 0 && n.is_multiple_of(cfg.fail_every) {
        fault(state);
        return Some(answer(502, &[], &json!({ "message": "Server Error" })));
    }
    if cfg.secondary_every > 0 && n.is_multiple_of(cfg.secondary_every) {
        fault(state);
        return Some(secondary(cfg.retry_after_secs));
    }
    None
}

/// GitHub's secondary rate limit: 403, budget left, maybe `retry-after`.
pub(crate) fn secondary(retry_after: Option<u64>) -> Answer {
    let mut headers = vec![("x-ratelimit-remaining", "4999".to_owned())];
    if let Some(secs) = retry_after {
        headers.push(("retry-after", secs.to_string()));
    }
    answer(
        403,
        &headers,
        &json!({
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
        }),
    )
}

/// GitHub's primary rate limit: 403 with `x-ratelimit-remaining: 0`.
pub(crate) fn primary(reset_in: u64) -> Answer {
    answer(
        403,
        &[
            ("x-ratelimit-limit", "60".to_owned()),
            ("x-ratelimit-remaining", "0".to_owned()),
            ("x-ratelimit-used", "60".to_owned()),
            ("x-ratelimit-reset", (now_secs() + reset_in).to_string()),
            ("x-ratelimit-resource", "core".to_owned()),
        ],
        &json!({ "message": "API rate limit exceeded for 127.0.0.1." }),
    )
}
