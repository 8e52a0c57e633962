//! The web checker: HEAD then GET, redirects followed one hop at a time (so
//! each hop is recorded), per-host and overall concurrency limits, a timeout
//! per request, retries with backoff that honour `retry-after`, and a
//! circuit breaker per host: a dead host costs its retries once, not once
//! per link.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Method, StatusCode, Url};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::{Error, LinkrotConfig, Status};

/// How the web checker behaves.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// Timeout of one request (connecting included).
    pub timeout: Duration,
    /// Consecutive connection-level failures (DNS, refused, TLS, timeouts,
    /// broken connections) after which a host gets no more requests: its
    /// remaining links get the same verdict at once. Any HTTP answer from
    /// the host resets the count.
    pub breaker_threshold: u32,
    /// How long an open breaker blocks its host before one request may try
    /// again (matters when a checker is reused across runs).
    pub breaker_cooldown: Duration,
    /// Retries after the first attempt (timeouts, connection and DNS errors, 5xx, 408, 429).
    pub max_retries: u32,
    /// First backoff; doubles per retry, with jitter.
    pub backoff_base: Duration,
    /// Longest backoff.
    pub backoff_max: Duration,
    /// Longest `retry-after` honoured; a server asking for more gets no retry
    /// (the link is `unreachable` this run).
    pub max_wait: Duration,
    /// Redirect hops followed before giving up.
    pub max_redirects: usize,
    /// Requests in flight overall.
    pub concurrency: usize,
    /// Requests in flight per host (default).
    pub host_concurrency: usize,
    /// Per-host limits (lower-case host → requests in flight).
    pub host_limits: BTreeMap<String, usize>,
    /// The User-Agent header.
    pub user_agent: String,
    /// Fixed DNS answers (lower-case host → address); the URL's port is kept.
    /// For tests and split-horizon setups.
    pub resolve: Vec<(String, IpAddr)>,
}

impl Default for WebOptions {
    fn default() -> Self {
        WebOptions {
            timeout: Duration::from_secs(10),
            breaker_threshold: 3,
            breaker_cooldown: Duration::from_secs(60),
            max_retries: 2,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            max_wait: Duration::from_secs(60),
            max_redirects: 10,
            concurrency: 32,
            host_concurrency: 4,
            host_limits: BTreeMap::new(),
            user_agent: concat!(
                "archmanual-linkrot/",
                env!("CARGO_PKG_VERSION"),
                " (+https://github.com/archmanual/archmanual)"
            )
            .to_owned(),
            resolve: Vec::new(),
        }
    }
}

impl WebOptions {
    /// Defaults with the limits of a `linkrot.toml`.
    pub fn from_config(config: &LinkrotConfig) -> WebOptions {
        WebOptions {
            max_retries: config.max_retries,
            concurrency: config.concurrency.max(1),
            host_concurrency: config.host_concurrency.max(1),
            host_limits: config
                .hosts
                .iter()
                .filter_map(|(h, c)| Some((h.to_ascii_lowercase(), c.concurrency?.max(1))))
                .collect(),
            ..WebOptions::default()
        }
    }
}

/// One redirect hop: the URL requested and the redirect status it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// The URL that redirected.
    pub url: String,
    /// Its status (301, 302, 303, 307, 308).
    pub status: u16,
}

/// The verdict on one web link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebOutcome {
    /// The status for this run.
    pub status: Status,
    /// For `moved`: where the link should point now.
    pub canonical: Option<String>,
    /// Why, for humans.
    pub detail: Option<String>,
    /// Every redirect hop followed, in order.
    pub redirects: Vec<Hop>,
    /// Requests made for the final hop (1 + retries).
    pub attempts: u32,
    /// The host did not resolve, through every retry.
    pub dns_failure: bool,
    /// Some server answered over HTTP (any status): the network works.
    pub responded: bool,
}

impl WebOutcome {
    fn new(status: Status, detail: impl Into<String>) -> WebOutcome {
        WebOutcome {
            status,
            canonical: None,
            detail: Some(detail.into()),
            redirects: Vec::new(),
            attempts: 0,
            dns_failure: false,
            responded: false,
        }
    }
}

/// Checks web links over HTTP. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct WebChecker {
    client: reqwest::Client,
    options: WebOptions,
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<HostSlot>>>,
}

/// One host's share of the checker: its request slots and, after a
/// `retry-after`, the time before which it gets no request at all.
#[derive(Debug)]
struct HostSlot {
    slots: Semaphore,
    not_before: Mutex<Option<tokio::time::Instant>>,
    breaker: Mutex<HostBreaker>,
    /// Woken whenever a request to the host ends.
    settled: tokio::sync::Notify,
}

/// A host's circuit breaker.
#[derive(Debug, Default)]
struct HostBreaker {
    /// Connection-level failures in a row.
    failures: u32,
    /// Requests on their way.
    in_flight: usize,
    /// While open: the failure every blocked request reports, and since when.
    open: Option<(Failure, Instant)>,
}

/// May a request go to the host now?
enum Gate {
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
    fn gate(&self, cooldown: Duration) -> Gate {
        let mut breaker = self.lock_breaker();
        let in_flight = breaker.in_flight;
        if let Some((failure, since)) = breaker.open.as_mut() {
            if since.elapsed() < cooldown || in_flight > 0 {
                return Gate::Down(failure.clone());
            }
            *since = Instant::now();
        } else if breaker.failures > 0 && in_flight > 0 {
            return Gate::Wait;
        }
        breaker.in_flight += 1;
        Gate::Go
    }

    /// Ends a request counted by [`HostSlot::gate`]: an answer (`None`)
    /// closes the breaker, a failure counts towards opening it.
    fn settle(&self, failure: Option<&Failure>, threshold: u32) {
        {
            let mut breaker = self.lock_breaker();
            breaker.in_flight = breaker.in_flight.saturating_sub(1);
            match failure {
                None => {
                    breaker.failures = 0;
                    breaker.open = None;
                }
                Some(failure) => {
                    breaker.failures += 1;
                    if breaker.failures >= threshold.max(1) {
                        breaker.open = Some((failure.clone(), Instant::now()));
                    }
                }
            }
        }
        self.settled.notify_waiters();
    }

    fn is_open(&self) -> bool {
        self.lock_breaker().open.is_some()
    }

    fn pause_for(&self, wait: Duration) {
        let until = tokio::time::Instant::now() + wait;
        let mut not_before = self.not_before.lock().unwrap_or_else(|e| e.into_inner());
        if not_before.is_none_or(|t| t < until) {
            *not_before = Some(until);
        }
    }

    fn pause_left(&self) -> Option<Duration> {
        let not_before = *self.not_before.lock().unwrap_or_else(|e| e.into_inner());
        not_before
            .map(|t| t.saturating_duration_since(tokio::time::Instant::now()))
            .filter(|d| !d.is_zero())
    }
}

#[derive(Debug)]
enum Attempt {
    Response {
        status: StatusCode,
        location: Option<String>,
        retry_after: Option<Duration>,
    },
    Failed(Failure),
    /// Not sent: the host's breaker is open; this was its last failure.
    HostDown(Failure),
}

#[derive(Debug, Clone, Copy)]
enum AttemptKind {
    Response,
    Failed,
}

#[derive(Debug, Clone)]
enum Failure {
    Timeout,
    Dns { permanent: bool, message: String },
    Connect(String),
    Other(String),
}

impl WebChecker {
    /// A checker with `options`.
    pub fn new(options: WebOptions) -> Result<WebChecker, Error> {
        let resolver = Resolver {
            overrides: options
                .resolve
                .iter()
                .map(|(h, ip)| (h.to_ascii_lowercase(), *ip))
                .collect(),
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(options.user_agent.clone())
            .connect_timeout(options.timeout)
            .dns_resolver(Arc::new(resolver))
            .build()
            .map_err(|e| Error::Http(e.to_string()))?;
        Ok(WebChecker {
            client,
            global: Arc::new(Semaphore::new(options.concurrency.max(1))),
            options,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// The options in use.
    pub fn options(&self) -> &WebOptions {
        &self.options
    }

    /// Checks one URL: follows redirects hop by hop, retrying each hop.
    pub async fn check(&self, url: &str) -> WebOutcome {
        let Ok(mut current) = Url::parse(url.trim()) else {
            return WebOutcome::new(Status::Skipped, "not a valid URL; fix the link");
        };
        if !matches!(current.scheme(), "http" | "https") || current.host_str().is_none() {
            return WebOutcome::new(Status::Skipped, "not an http(s) URL with a host");
        }
        let fragment = current.fragment().map(str::to_owned);
        current.set_fragment(None);
        let mut hops: Vec<Hop> = Vec::new();
        let mut seen: HashSet<Url> = HashSet::from([current.clone()]);
        loop {
            let (attempt, attempts) = self.probe_with_retries(&current).await;
            if let Attempt::Response {
                status,
                location: Some(location),
                ..
            } = &attempt
                && status.is_redirection()
                && *status != StatusCode::NOT_MODIFIED
            {
                hops.push(Hop {
                    url: current.to_string(),
                    status: status.as_u16(),
                });
                let Ok(next) = current.join(location) else {
                    let mut out = WebOutcome::new(
                        Status::Unreachable,
                        format!("redirected to an invalid Location {location:?}"),
                    );
                    out.redirects = hops;
                    return out;
                };
                if hops.len() > self.options.max_redirects || !seen.insert(next.clone()) {
                    let mut out = WebOutcome::new(
                        Status::Unreachable,
                        format!(
                            "redirect loop or more than {} redirects",
                            self.options.max_redirects
                        ),
                    );
                    out.redirects = hops;
                    return out;
                }
                current = next;
                continue;
            }
            return self.classify(url, attempt, attempts, hops, &current, fragment.as_deref());
        }
    }

    fn classify(
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

    async fn probe_with_retries(&self, url: &Url) -> (Attempt, u32) {
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

    fn host_is_down(&self, url: &Url) -> bool {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let key = format!("{host}:{}", url.port_or_known_default().unwrap_or(0));
        self.host_slot(&key, &host).is_open()
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
        let mut pending = Pending {
            slot: &slot,
            threshold: self.options.breaker_threshold,
            done: false,
        };
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
                let retry_after = resp
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after);
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

    fn host_slot(&self, key: &str, host: &str) -> Arc<HostSlot> {
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

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .options
            .backoff_base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.options.backoff_max);
        // Jitter in [50 %, 100 %] so retries from many links spread out.
        exp.mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

/// A request counted in flight at its host until settled.
struct Pending<'a> {
    slot: &'a HostSlot,
    threshold: u32,
    done: bool,
}

impl Pending<'_> {
    fn settle(&mut self, failure: Option<&Failure>) {
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

fn retryable(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
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

/// `retry-after`: delay seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let delta = date - time::OffsetDateTime::now_utc();
    Some(Duration::try_from(delta).unwrap_or(Duration::ZERO))
}

fn classify_error(e: &reqwest::Error) -> Failure {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(dns) = err.downcast_ref::<DnsError>() {
            return Failure::Dns {
                permanent: dns.permanent,
                message: dns.to_string(),
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

/// A DNS failure, marked permanent (the name does not exist) or transient.
#[derive(Debug, thiserror::Error)]
#[error("{host}: {message}")]
struct DnsError {
    host: String,
    message: String,
    permanent: bool,
}

/// The system resolver, with fixed answers and `.invalid` answered at once
/// (RFC 6761: never resolves), so DNS failures can be told from other
/// connection errors.
#[derive(Debug)]
struct Resolver {
    overrides: HashMap<String, IpAddr>,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let fixed = self.overrides.get(&host).copied();
        Box::pin(async move {
            if let Some(ip) = fixed {
                let addrs: Addrs = Box::new(std::iter::once(SocketAddr::new(ip, 0)));
                return Ok(addrs);
            }
            if host == "invalid" || host.ends_with(".invalid") {
                return Err(Box::new(DnsError {
                    host,
                    message: "the .invalid domain never resolves (RFC 6761)".into(),
                    permanent: true,
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            let looked_up: std::io::Result<Vec<SocketAddr>> =
                match tokio::net::lookup_host((host.as_str(), 0)).await {
                    Ok(addrs) => Ok(addrs.collect()),
                    Err(e) => Err(e),
                };
            match looked_up {
                Ok(addrs) => {
                    if addrs.is_empty() {
                        return Err(Box::new(DnsError {
                            host,
                            message: "no addresses".into(),
                            permanent: true,
                        })
                            as Box<dyn std::error::Error + Send + Sync>);
                    }
                    let addrs: Addrs = Box::new(addrs.into_iter());
                    Ok(addrs)
                }
                Err(e) => {
                    let message = e.to_string();
                    let lower = message.to_ascii_lowercase();
                    // EAI_AGAIN and friends: the resolver is unwell, not the name.
                    let permanent = !(lower.contains("temporary")
                        || lower.contains("try again")
                        || lower.contains("timed out")
                        || lower.contains("timeout"));
                    Err(Box::new(DnsError {
                        host,
                        message,
                        permanent,
                    })
                        as Box<dyn std::error::Error + Send + Sync>)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

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
