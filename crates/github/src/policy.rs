//! Rate-limit policy: how long to wait after a failed attempt
//! (`retry-after`, `x-ratelimit-reset`, secondary limits, exponential backoff
//! with jitter) and the circuit breaker per API host. The mechanisms live in
//! `archmanual-http-policy`; this file applies them with the client's
//! settings and words the reasons for GitHub.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use archmanual_http_policy::{Backoff, Breaker, rate_limit_reset, retry_after};
use reqwest::header::HeaderMap;

use crate::Client;
use crate::client::bump;

/// What to do after a failed attempt.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// Sleep this long, then try again (counts as a retry).
    Retry(Duration, String),
    /// Stop: the reason becomes `Unknown { reason }`.
    GiveUp(String),
}

impl Client {
    fn lock_breakers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Breaker<String>>> {
        self.inner
            .breakers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Some(reason)` while `origin`'s breaker is open. After the cooldown
    /// one request goes through (the others stay blocked meanwhile).
    pub(crate) fn breaker_blocks(&self, origin: &str) -> Option<String> {
        let cooldown = self.inner.config.breaker_cooldown;
        self.lock_breakers().get_mut(origin)?.blocks(cooldown)
    }

    pub(crate) fn breaker_answered(&self, origin: &str) {
        self.lock_breakers().remove(origin);
    }

    /// Counts a failure; `Some(reason)` if the breaker is (now) open. An
    /// open breaker keeps the reason it opened with.
    pub(crate) fn breaker_failed(&self, origin: &str, why: &str) -> Option<String> {
        let threshold = self.inner.config.breaker_threshold;
        let mut breakers = self.lock_breakers();
        let breaker = breakers.entry(origin.to_owned()).or_default();
        let opened_with = breaker.reason().cloned();
        breaker.failed(threshold, |failures| {
            opened_with.unwrap_or_else(|| {
                format!(
                    "GitHub API unreachable: {why} ({failures} failures in a row at {origin}; the remaining lookups were not sent)"
                )
            })
        })
    }

    /// Exponential backoff with jitter for retry number `attempt` (0-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let cfg = &self.inner.config;
        Backoff {
            base: cfg.backoff_base,
            max: cfg.backoff_max,
        }
        .delay(attempt)
    }

    /// How to react to a rate-limited answer (403/429, or GraphQL
    /// `RATE_LIMITED`): `retry-after`, then `x-ratelimit-reset` when the
    /// budget is used up, then the secondary minimum; capped by `max_wait`.
    pub(crate) fn rate_limit_verdict(
        &self,
        headers: &HeaderMap,
        secondary: bool,
        attempt: u32,
    ) -> Option<Verdict> {
        let cfg = &self.inner.config;
        let (wait, what) = if let Some(wait) = retry_after(headers, self.now()) {
            (wait, "retry-after")
        } else if let Some(wait) = rate_limit_reset(headers, self.now()) {
            (wait, "x-ratelimit-reset")
        } else if secondary {
            (
                cfg.secondary_min_wait.max(self.backoff(attempt)),
                "secondary rate limit",
            )
        } else {
            return None;
        };
        Some(if wait > cfg.max_wait {
            Verdict::GiveUp(format!(
                "GitHub rate limit: {what} asks to wait {}s, more than the {}s cap; try again later{}",
                wait.as_secs(),
                cfg.max_wait.as_secs(),
                if self.has_token() {
                    ""
                } else {
                    " or set GH_TOKEN or GITHUB_TOKEN (60 requests/hour without one)"
                }
            ))
        } else {
            Verdict::Retry(wait, format!("rate limited ({what})"))
        })
    }

    /// Sleeps for a retry and counts it; `why` (the failure retried) is
    /// logged at debug level (`archmanual -v`).
    pub(crate) async fn pause(&self, wait: Duration, rate_limit: bool, why: &str) {
        tracing::debug!("GitHub API: {why}; retrying in {} ms", wait.as_millis());
        let c = &self.inner.counters;
        bump(&c.retries);
        if rate_limit {
            bump(&c.rate_limit_waits);
        }
        c.waited_ms.fetch_add(
            u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    #[test]
    fn backoff_grows_with_jitter_and_caps() {
        let config = Config {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(1000),
            ..Config::default()
        };
        let client = Client::new(config).unwrap();
        for attempt in 0..8 {
            let d = client.backoff(attempt);
            let full = Duration::from_millis(100 * 2u64.pow(attempt)).min(Duration::from_secs(1));
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
    }
}
