//! Rate-limit policy: how long to wait after a failed attempt
//! (`retry-after`, `x-ratelimit-reset`, secondary limits, exponential backoff
//! with jitter) and the circuit breaker per API host.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

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

/// One API host's circuit breaker.
#[derive(Debug, Default)]
pub(crate) struct Breaker {
    /// Connection-level failures in a row.
    failures: u32,
    /// Set while open: when it opened (or last let a trial through).
    open_since: Option<Instant>,
    /// The reason every blocked lookup gets.
    reason: String,
}

impl Client {
    fn lock_breakers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Breaker>> {
        self.inner
            .breakers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Some(reason)` while `origin`'s breaker is open. After the cooldown
    /// one request goes through (the others stay blocked meanwhile).
    pub(crate) fn breaker_blocks(&self, origin: &str) -> Option<String> {
        let mut breakers = self.lock_breakers();
        let breaker = breakers.get_mut(origin)?;
        let since = breaker.open_since?;
        if since.elapsed() < self.inner.config.breaker_cooldown {
            return Some(breaker.reason.clone());
        }
        breaker.open_since = Some(Instant::now());
        None
    }

    pub(crate) fn breaker_answered(&self, origin: &str) {
        self.lock_breakers().remove(origin);
    }

    /// Counts a failure; `Some(reason)` if the breaker is (now) open.
    pub(crate) fn breaker_failed(&self, origin: &str, why: &str) -> Option<String> {
        let threshold = self.inner.config.breaker_threshold.max(1);
        let mut breakers = self.lock_breakers();
        let breaker = breakers.entry(origin.to_owned()).or_default();
        breaker.failures += 1;
        if breaker.failures < threshold {
            return None;
        }
        if breaker.open_since.is_none() || breaker.reason.is_empty() {
            breaker.reason = format!(
                "GitHub API unreachable: {why} ({} failures in a row at {origin}; the remaining lookups were not sent)",
                breaker.failures
            );
        }
        breaker.open_since = Some(Instant::now());
        Some(breaker.reason.clone())
    }

    /// Exponential backoff with jitter for retry number `attempt` (0-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let cfg = &self.inner.config;
        let exp = cfg
            .backoff_base
            .saturating_mul(2u32.saturating_pow(attempt.min(20)));
        let capped = exp.min(cfg.backoff_max);
        capped.mul_f64(0.5 + fastrand::f64() * 0.5)
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
        let header_u64 = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let (wait, what) = if let Some(secs) = header_u64("retry-after") {
            (Duration::from_secs(secs), "retry-after")
        } else if header_u64("x-ratelimit-remaining") == Some(0) {
            let reset = header_u64("x-ratelimit-reset").unwrap_or(0);
            (
                Duration::from_secs(reset.saturating_sub(self.now_secs())),
                "x-ratelimit-reset",
            )
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

    /// Sleeps for a retry and counts it.
    pub(crate) async fn pause(&self, wait: Duration, rate_limit: bool) {
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
