//! Exponential backoff with jitter.

use std::time::Duration;

/// Exponential backoff: `base`, doubled per retry, capped at `max`, then
/// scaled by a random factor in [50 %, 100 %] so that retries of many
/// requests that failed together spread out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait before the first retry (before jitter).
    pub base: Duration,
    /// The longest wait (before jitter).
    pub max: Duration,
}

impl Backoff {
    /// The wait before retry number `retry` (0 for the first retry).
    pub fn delay(&self, retry: u32) -> Duration {
        let full = self
            .base
            .saturating_mul(2u32.saturating_pow(retry.min(20)))
            .min(self.max);
        full.mul_f64(0.5 + fastrand::f64() * 0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_per_retry_with_jitter_and_caps() {
        let backoff = Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_millis(1000),
        };
        for retry in 0..40 {
            let d = backoff.delay(retry);
            let full = Duration::from_millis(100)
                .saturating_mul(2u32.saturating_pow(retry.min(20)))
                .min(Duration::from_secs(1));
            assert!(d >= full / 2 && d <= full, "{retry}: {d:?}");
        }
        assert!(backoff.delay(0) <= Duration::from_millis(100));
        assert!(backoff.delay(5) >= Duration::from_millis(500));
    }
}
