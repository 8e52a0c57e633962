//! One hop's requests: HEAD then GET, retries with backoff, `retry-after`,
//! and what a failed request failed at.

use std::time::{Duration, SystemTime};

use archmanual_http_policy::{Backoff, retry_after};
use reqwest::{Method, StatusCode, Url};

use super::WebChecker;
use super::host::{Gate, Pending};
use super::resolve::DnsError;

/// What one hop's request came to.
#[derive(Debug)]
pub(super) enum Attempt {
    Response {
        status: StatusCode,
        location: Option<String>,
        retry_after: Option<Duration>,
    },
    Failed(Failure),
    /// Not sent: the host's breaker is open; this was its last failure.
    HostDown(Failure),
}

/// Why a request got no HTTP answer.
#[derive(Debug, Clone)]
pub(super) enum Failure {
    Timeout,
    Dns { permanent: bool, message: String },
    Connect(String),
    Other(String),
}

impl WebChecker {
    pub(super) async fn probe_with_retries(&self, url: &Url) -> (Attempt, u32) {
        let mut attempts = 0u32;
        loop {
            let attempt = self.probe(url).await;
            attempts += 1;
            let wait = match &attempt {
                Attempt::Response {
                    status,
                    retry_after,
                    ..
                } if retryable(*status) => match retry_after {
                    Some(wait) if *wait > self.options.max_wait => return (attempt, attempts),
                    Some(wait) => *wait,
                    None => self.backoff(attempts),
                },
                Attempt::Response { .. } => return (attempt, attempts),
                // Nothing was sent: the host is down.
                Attempt::HostDown(_) => return (attempt, attempts - 1),
                // That failure may have opened the host's breaker: then a
                // retry would only be refused.
                Attempt::Failed(_) if self.host_is_down(url) => return (attempt, attempts),
                Attempt::Failed(_) => self.backoff(attempts),
            };
            if attempts > self.options.max_retries {
                return (attempt, attempts);
            }
            tracing::debug!(
                "{url}: {}; retrying in {} ms",
                attempt_summary(&attempt),
                wait.as_millis()
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// HEAD, then GET when the server does not do HEAD properly (405, 403,
    /// 501), and to confirm a 400/404/410 before calling anything broken:
    /// some servers answer HEAD differently from GET.
    async fn probe(&self, url: &Url) -> Attempt {
        let head = self.send(Method::HEAD, url).await;
        match head {
            Attempt::Response { status, .. }
                if matches!(status.as_u16(), 405 | 403 | 501 | 400 | 404 | 410) =>
            {
                self.send(Method::GET, url).await
            }
            other => other,
        }
    }

    async fn send(&self, method: Method, url: &Url) -> Attempt {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let key = format!("{host}:{}", url.port_or_known_default().unwrap_or(0));
        let slot = self.host_slot(&key, &host);
        // Host first, then the global slot: a queue for a slow host must not
        // hold global slots that other hosts could use.
        let _host = slot.slots.acquire().await;
        // A host that asked us to come back later gets nothing until then.
        while let Some(wait) = slot.pause_left() {
            tokio::time::sleep(wait).await;
        }
        // Checked after the wait for the host's slot: the requests queued
        // behind the ones that failed learn it here, without a request.
        loop {
            // Registered before the check, so no wake-up is missed.
            let settled = slot.settled.notified();
            match slot.gate(self.options.breaker_cooldown) {
                Gate::Go => break,
                Gate::Down(failure) => return Attempt::HostDown(failure),
                Gate::Wait => settled.await,
            }
        }
        // Settles the request even if this future is dropped mid-way.
        let mut pending = Pending::new(&slot, self.options.breaker_threshold);
        let _global = self.global.acquire().await;
        let request = self
            .client
            .request(method, url.clone())
            .header(
                reqwest::header::ACCEPT,
                "text/html,application/xhtml+xml,*/*;q=0.8",
            )
            .timeout(self.options.timeout);
        match request.send().await {
            // The body is never read: dropping the response closes it.
            Ok(resp) => {
                pending.settle(None);
                let retry_after = retry_after(resp.headers(), SystemTime::now());
                if let Some(wait) = retry_after
                    && retryable(resp.status())
                    && wait <= self.options.max_wait
                {
                    slot.pause_for(wait);
                }
                Attempt::Response {
                    status: resp.status(),
                    location: resp
                        .headers()
                        .get(reqwest::header::LOCATION)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned),
                    retry_after,
                }
            }
            Err(e) => {
                let failure = classify_error(&e);
                pending.settle(Some(&failure));
                Attempt::Failed(failure)
            }
        }
    }

    /// The wait after attempt number `attempt` (1-based) failed.
    fn backoff(&self, attempt: u32) -> Duration {
        Backoff {
            base: self.options.backoff_base,
            max: self.options.backoff_max,
        }
        .delay(attempt.saturating_sub(1))
    }
}

/// What a retried attempt failed with, for the debug log.
fn attempt_summary(attempt: &Attempt) -> String {
    match attempt {
        Attempt::Response { status, .. } => format!("HTTP {}", status.as_u16()),
        Attempt::Failed(failure) | Attempt::HostDown(failure) => match failure {
            Failure::Timeout => "timed out".to_owned(),
            Failure::Dns { message, .. } => format!("DNS: {message}"),
            Failure::Connect(message) | Failure::Other(message) => message.clone(),
        },
    }
}

pub(super) fn retryable(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
}

fn classify_error(e: &reqwest::Error) -> Failure {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(dns) = err.downcast_ref::<DnsError>() {
            return Failure::Dns {
                permanent: dns.permanent,
                message: format!("{}: {}", dns.host, dns.source),
            };
        }
        source = err.source();
    }
    if e.is_timeout() {
        return Failure::Timeout;
    }
    let message = error_chain(e);
    if e.is_connect() {
        Failure::Connect(message)
    } else {
        Failure::Other(message)
    }
}

/// The innermost messages of an error chain (reqwest's outer message repeats the URL).
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}
