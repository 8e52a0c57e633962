//! The verdict on a link from the last hop's answer: status, canonical URL
//! and a detail that says what happened.

use std::time::Duration;

use reqwest::{StatusCode, Url};

use super::request::{Attempt, Failure, retryable};
use super::{Hop, WebChecker, WebOutcome};
use crate::Status;

/// Whether the last attempt got an HTTP answer (kept before `HostDown`
/// becomes `Failed`).
#[derive(Debug, Clone, Copy)]
enum AttemptKind {
    Response,
    Failed,
}

impl WebChecker {
    pub(super) fn classify(
        &self,
        url: &str,
        attempt: Attempt,
        attempts: u32,
        hops: Vec<Hop>,
        last: &Url,
        fragment: Option<&str>,
    ) -> WebOutcome {
        let attempt_kind = match &attempt {
            Attempt::Response { .. } => AttemptKind::Response,
            Attempt::Failed(_) | Attempt::HostDown(_) => AttemptKind::Failed,
        };
        let (attempt, host_down) = match attempt {
            Attempt::HostDown(failure) => (Attempt::Failed(failure), true),
            other => (other, false),
        };
        let tries = if host_down {
            format!(
                " (the host failed {} times in a row: not asked again this run)",
                self.options.breaker_threshold.max(1)
            )
        } else if attempts <= 1 {
            String::new()
        } else {
            format!(" ({attempts} attempts)")
        };
        let mut out = match attempt {
            Attempt::Response { status, .. } if status.is_success() => {
                let permanent = hops
                    .iter()
                    .take_while(|h| matches!(h.status, 301 | 308))
                    .count();
                if permanent > 0 {
                    let target = hops
                        .get(permanent)
                        .map_or(last.as_str(), |h| h.url.as_str());
                    let canonical = with_fragment(target, fragment);
                    if canonical != url.trim() {
                        let mut out = WebOutcome::new(
                            Status::Moved,
                            format!("moved permanently ({})", describe_hops(&hops, last)),
                        );
                        out.canonical = Some(canonical);
                        out.redirects = hops;
                        out.attempts = attempts;
                        out.responded = true;
                        return out;
                    }
                }
                let mut out = WebOutcome::new(Status::Ok, "");
                out.detail = (!hops.is_empty())
                    .then(|| format!("temporary redirect ({})", describe_hops(&hops, last)));
                out
            }
            Attempt::Response { status, .. }
                if matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE) =>
            {
                WebOutcome::new(Status::Broken, format!("HTTP {}", status_text(status)))
            }
            Attempt::Response { status, .. } if retryable(status) => WebOutcome::new(
                Status::Unreachable,
                format!("HTTP {}{tries}", status_text(status)),
            ),
            Attempt::Response { status, .. } => WebOutcome::new(
                Status::Unreachable,
                format!("HTTP {} (not counted as rot)", status_text(status)),
            ),
            Attempt::Failed(Failure::Timeout) => WebOutcome::new(
                Status::Unreachable,
                format!(
                    "timed out after {}{tries}",
                    human_duration(self.options.timeout)
                ),
            ),
            Attempt::Failed(Failure::Dns {
                permanent: true,
                message,
            }) => {
                let mut out = WebOutcome::new(
                    Status::Broken,
                    format!("host does not resolve: {message}{tries}"),
                );
                out.dns_failure = true;
                out
            }
            Attempt::Failed(Failure::Dns { message, .. }) => WebOutcome::new(
                Status::Unreachable,
                format!("DNS lookup failed temporarily: {message}{tries}"),
            ),
            Attempt::Failed(Failure::Connect(message)) => WebOutcome::new(
                Status::Unreachable,
                format!("connection failed: {message}{tries}"),
            ),
            Attempt::Failed(Failure::Other(message)) => {
                WebOutcome::new(Status::Unreachable, format!("{message}{tries}"))
            }
            // Turned into `Failed` above.
            Attempt::HostDown(_) => WebOutcome::new(Status::Unreachable, "the host is down"),
        };
        if !hops.is_empty() && out.status != Status::Ok {
            let chain = describe_hops(&hops, last);
            out.detail = Some(match out.detail.take() {
                Some(d) => format!("{d}; redirects: {chain}"),
                None => format!("redirects: {chain}"),
            });
        }
        out.responded = !hops.is_empty() || matches!(attempt_kind, AttemptKind::Response);
        out.redirects = hops;
        out.attempts = attempts;
        out
    }
}

fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

fn describe_hops(hops: &[Hop], last: &Url) -> String {
    let mut out = String::new();
    for (i, hop) in hops.iter().enumerate() {
        let next = hops.get(i + 1).map_or(last.as_str(), |h| h.url.as_str());
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&format!("{} → {next}", hop.status));
    }
    out
}

pub(crate) fn with_fragment(url: &str, fragment: Option<&str>) -> String {
    match fragment {
        Some(f) if !url.contains('#') => format!("{url}#{f}"),
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_are_described_in_order() {
        let hops = vec![
            Hop {
                url: "http://a/".into(),
                status: 301,
            },
            Hop {
                url: "https://a/".into(),
                status: 302,
            },
        ];
        let last = Url::parse("https://a/b").unwrap();
        assert_eq!(
            describe_hops(&hops, &last),
            "301 → https://a/, 302 → https://a/b"
        );
    }
}
