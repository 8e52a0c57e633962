//! Each host's share of the checker: request slots, `retry-after` pauses
//! and the circuit breaker.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use archmanual_http_policy::Breaker;
use reqwest::Url;
use tokio::sync::Semaphore;

use super::WebChecker;
use super::request::Failure;

/// One host's share of the checker: its request slots and, after a
/// `retry-after`, the time before which it gets no request at all.
#[derive(Debug)]
pub(super) struct HostSlot {
    pub(super) slots: Semaphore,
    not_before: Mutex<Option<tokio::time::Instant>>,
    breaker: Mutex<HostBreaker>,
    /// Woken whenever a request to the host ends.
    pub(super) settled: tokio::sync::Notify,
}

/// A host's circuit breaker and its requests on their way.
#[derive(Debug, Default)]
struct HostBreaker {
    /// While open: the failure every blocked request reports.
    breaker: Breaker<Failure>,
    /// Requests on their way.
    in_flight: usize,
}

/// May a request go to the host now?
pub(super) enum Gate {
    Go,
    /// Its breaker is open: report this failure instead.
    Down(Failure),
    /// It just failed and other requests are still out: wait for their
    /// verdict rather than add one more to a host that may be dead.
    Wait,
}

impl HostSlot {
    fn lock_breaker(&self) -> std::sync::MutexGuard<'_, HostBreaker> {
        self.breaker.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts a request in flight when it may go. After the cooldown of an
    /// open breaker one request may try again.
    pub(super) fn gate(&self, cooldown: Duration) -> Gate {
        let mut host = self.lock_breaker();
        let in_flight = host.in_flight;
        // While a trial request is out, the others wait for its verdict.
        if let Some(failure) = host.breaker.reason().filter(|_| in_flight > 0) {
            return Gate::Down(failure.clone());
        }
        if let Some(failure) = host.breaker.blocks(cooldown) {
            return Gate::Down(failure);
        }
        if host.breaker.reason().is_none() && host.breaker.failures() > 0 && in_flight > 0 {
            return Gate::Wait;
        }
        host.in_flight += 1;
        Gate::Go
    }

    /// Ends a request counted by [`HostSlot::gate`]: an answer (`None`)
    /// closes the breaker, a failure counts towards opening it.
    fn settle(&self, failure: Option<&Failure>, threshold: u32) {
        {
            let mut host = self.lock_breaker();
            host.in_flight = host.in_flight.saturating_sub(1);
            match failure {
                None => host.breaker.answered(),
                Some(failure) => {
                    host.breaker.failed(threshold, |_| failure.clone());
                }
            }
        }
        self.settled.notify_waiters();
    }

    fn is_open(&self) -> bool {
        self.lock_breaker().breaker.reason().is_some()
    }

    pub(super) fn pause_for(&self, wait: Duration) {
        let until = tokio::time::Instant::now() + wait;
        let mut not_before = self.not_before.lock().unwrap_or_else(|e| e.into_inner());
        if not_before.is_none_or(|t| t < until) {
            *not_before = Some(until);
        }
    }

    pub(super) fn pause_left(&self) -> Option<Duration> {
        let not_before = *self.not_before.lock().unwrap_or_else(|e| e.into_inner());
        not_before
            .map(|t| t.saturating_duration_since(tokio::time::Instant::now()))
            .filter(|d| !d.is_zero())
    }
}

impl WebChecker {
    pub(super) fn host_is_down(&self, url: &Url) -> bool {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let key = format!("{host}:{}", url.port_or_known_default().unwrap_or(0));
        self.host_slot(&key, &host).is_open()
    }

    pub(super) fn host_slot(&self, key: &str, host: &str) -> Arc<HostSlot> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(key.to_owned())
            .or_insert_with(|| {
                let limit = self
                    .options
                    .host_limits
                    .get(host)
                    .copied()
                    .unwrap_or(self.options.host_concurrency)
                    .max(1);
                Arc::new(HostSlot {
                    slots: Semaphore::new(limit),
                    not_before: Mutex::new(None),
                    breaker: Mutex::new(HostBreaker::default()),
                    settled: tokio::sync::Notify::new(),
                })
            })
            .clone()
    }
}

/// A request counted in flight at its host until settled.
pub(super) struct Pending<'a> {
    slot: &'a HostSlot,
    threshold: u32,
    done: bool,
}

impl<'a> Pending<'a> {
    /// Tracks a request that [`HostSlot::gate`] let through and counted.
    pub(super) fn new(slot: &'a HostSlot, threshold: u32) -> Self {
        Pending {
            slot,
            threshold,
            done: false,
        }
    }

    pub(super) fn settle(&mut self, failure: Option<&Failure>) {
        if !self.done {
            self.done = true;
            self.slot.settle(failure, self.threshold);
        }
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        // Abandoned (the check was cancelled): no verdict either way, but
        // the request is no longer in flight.
        if !self.done {
            self.done = true;
            let mut breaker = self.slot.lock_breaker();
            breaker.in_flight = breaker.in_flight.saturating_sub(1);
            drop(breaker);
            self.slot.settled.notify_waiters();
        }
    }
}
