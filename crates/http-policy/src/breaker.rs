//! The circuit breaker of one origin: after `threshold` connection-level
//! failures in a row the origin gets no more requests, so a dead host costs
//! its retries once, not once per request.

use std::time::{Duration, Instant};

/// One origin's circuit breaker; `R` is what a blocked request reports.
#[derive(Debug, Clone)]
pub struct Breaker<R> {
    /// Connection-level failures in a row.
    failures: u32,
    /// While open: the reason, and when it opened or last let a trial through.
    open: Option<(R, Instant)>,
}

impl<R> Default for Breaker<R> {
    fn default() -> Self {
        Breaker {
            failures: 0,
            open: None,
        }
    }
}

impl<R: Clone> Breaker<R> {
    /// Connection-level failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The reason while the breaker is open.
    pub fn reason(&self) -> Option<&R> {
        self.open.as_ref().map(|(reason, _)| reason)
    }

    /// `Some(reason)` while open. Once `cooldown` has passed since it opened
    /// (or last let one through), one request may try again: `None`, and the
    /// cooldown starts over, so the others stay blocked meanwhile.
    pub fn blocks(&mut self, cooldown: Duration) -> Option<R> {
        let (reason, since) = self.open.as_mut()?;
        if since.elapsed() < cooldown {
            return Some(reason.clone());
        }
        *since = Instant::now();
        None
    }

    /// An answer came (any HTTP status): the origin is reachable again.
    pub fn answered(&mut self) {
        self.failures = 0;
        self.open = None;
    }

    /// Counts a failure; at `threshold` failures in a row (at least 1) the
    /// breaker opens, or stays open with its cooldown restarted, with the
    /// reason `reason(failures)`. Returns the reason when open.
    pub fn failed(&mut self, threshold: u32, reason: impl FnOnce(u32) -> R) -> Option<R> {
        self.failures += 1;
        if self.failures < threshold.max(1) {
            return None;
        }
        let reason = reason(self.failures);
        self.open = Some((reason.clone(), Instant::now()));
        Some(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_at_the_threshold_and_closes_on_an_answer() {
        let mut b: Breaker<String> = Breaker::default();
        assert_eq!(b.failed(3, |n| format!("{n} failures")), None);
        assert_eq!(b.failed(3, |n| format!("{n} failures")), None);
        assert_eq!(b.blocks(Duration::from_secs(60)), None);
        assert_eq!(
            b.failed(3, |n| format!("{n} failures")).as_deref(),
            Some("3 failures")
        );
        assert_eq!(b.failures(), 3);
        assert_eq!(
            b.blocks(Duration::from_secs(60)).as_deref(),
            Some("3 failures")
        );
        assert_eq!(b.reason().map(String::as_str), Some("3 failures"));
        b.answered();
        assert_eq!(b.failures(), 0);
        assert_eq!(b.blocks(Duration::from_secs(60)), None);
    }

    #[test]
    fn after_the_cooldown_one_request_goes_through() {
        let mut b: Breaker<&str> = Breaker::default();
        assert_eq!(b.failed(0, |_| "down"), Some("down"));
        // Zero cooldown: the first check lets one through and restarts the
        // cooldown; with a long cooldown the next is blocked again.
        assert_eq!(b.blocks(Duration::ZERO), None);
        assert_eq!(b.blocks(Duration::from_secs(60)), Some("down"));
    }
}
