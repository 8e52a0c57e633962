//! The client itself: shared state, counters, the clock, and sending one
//! request through its host's circuit breaker. Settings live in
//! [`crate::config`], the retry policy in [`crate::policy`], lookups in
//! [`crate::driver`].

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use archmanual_http_policy::{Breaker, Timeouts, client_builder};

use crate::cache::CacheData;
use crate::{Config, GithubClientError};

/// Request counters of a client (cumulative over its lifetime).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests sent (all kinds, retries included).
    pub requests: u64,
    /// GraphQL requests.
    pub graphql_requests: u64,
    /// REST requests.
    pub rest_requests: u64,
    /// Retries after failures and rate limits.
    pub retries: u64,
    /// GraphQL batches split after 502/504.
    pub splits: u64,
    /// Lookups answered from the cache without a request.
    pub cache_hits: u64,
    /// REST answers `304 Not Modified`.
    pub not_modified: u64,
    /// Waits for rate limits.
    pub rate_limit_waits: u64,
    /// Total time slept for rate limits and backoff, in milliseconds.
    pub waited_ms: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) requests: AtomicU64,
    pub(crate) graphql: AtomicU64,
    pub(crate) rest: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) splits: AtomicU64,
    pub(crate) cache_hits: AtomicU64,
    pub(crate) not_modified: AtomicU64,
    pub(crate) rate_limit_waits: AtomicU64,
    pub(crate) waited_ms: AtomicU64,
}

/// Adds one to a counter (relaxed: the counters are statistics, not synchronisation).
pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// The time source, replaceable for tests of TTLs and `fetched_at`.
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;
/// `progress(done, total)`; the drivers call it with `(n, 0)` per finished batch.
pub(crate) type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// What clones of a [`Client`] share.
pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) http: reqwest::Client,
    clock: RwLock<Clock>,
    pub(crate) cache: Mutex<CacheData>,
    pub(crate) breakers: Mutex<HashMap<String, Breaker<String>>>,
    pub(crate) counters: Counters,
}

/// Why a request got no HTTP answer.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// The host's breaker is open: give up without retrying.
    Unreachable(String),
    /// One connection-level failure; a retry may help.
    Network {
        /// What happened (no URL, no token), for lookup reasons.
        why: String,
        /// It was a timeout.
        timeout: bool,
        /// The error itself (URL stripped), for errors that keep their cause.
        source: reqwest::Error,
    },
}

/// The GitHub client. Cheap to clone (shared state).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("stats", &self.stats())
            .finish()
    }
}

impl Client {
    /// A client with these settings; loads the cache file if configured.
    pub fn new(config: Config) -> Result<Client, GithubClientError> {
        // No automatic redirects: renames are detected from the 301 itself.
        let timeouts = Timeouts {
            request: Some(config.timeout),
            connect: config.connect_timeout,
        };
        let http = client_builder(&config.user_agent, timeouts)
            .build()
            .map_err(GithubClientError::Http)?;
        let cache = config
            .cache_path
            .as_deref()
            .map(CacheData::load)
            .unwrap_or_default();
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                http,
                clock: RwLock::new(Arc::new(SystemTime::now)),
                cache: Mutex::new(cache),
                breakers: Mutex::new(HashMap::new()),
                counters: Counters::default(),
            }),
        })
    }

    /// [`Client::new`] with [`Config::from_env`].
    pub fn from_env() -> Result<Client, GithubClientError> {
        Client::new(Config::from_env())
    }

    /// Replaces the clock (for tests of TTLs and `fetched_at`).
    #[must_use]
    pub fn with_clock(self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Client {
        if let Ok(mut c) = self.inner.clock.write() {
            *c = Arc::new(clock);
        }
        self
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// True if a token is configured (GraphQL mode).
    pub fn has_token(&self) -> bool {
        self.inner.config.token.is_some()
    }

    /// The request counters so far.
    pub fn stats(&self) -> Stats {
        let c = &self.inner.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            requests: get(&c.requests),
            graphql_requests: get(&c.graphql),
            rest_requests: get(&c.rest),
            retries: get(&c.retries),
            splits: get(&c.splits),
            cache_hits: get(&c.cache_hits),
            not_modified: get(&c.not_modified),
            rate_limit_waits: get(&c.rate_limit_waits),
            waited_ms: get(&c.waited_ms),
        }
    }

    pub(crate) fn now(&self) -> SystemTime {
        match self.inner.clock.read() {
            Ok(clock) => clock(),
            Err(_) => SystemTime::now(),
        }
    }

    pub(crate) fn now_secs(&self) -> u64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    pub(crate) fn now_rfc3339(&self) -> String {
        rfc3339(self.now())
    }

    /// Sends one request through its host's circuit breaker and reads the
    /// whole answer. Any HTTP answer, whatever its status, shows the host
    /// is reachable and resets the breaker.
    pub(crate) async fn fetch(
        &self,
        request: reqwest::RequestBuilder,
        graphql: bool,
    ) -> Result<(StatusCode, HeaderMap, String), FetchError> {
        let request = request.build().map_err(|e| {
            let source = e.without_url();
            FetchError::Network {
                why: format!("invalid request: {}", error_chain(&source)),
                timeout: false,
                source,
            }
        })?;
        let origin = origin(request.url());
        if let Some(reason) = self.breaker_blocks(&origin) {
            return Err(FetchError::Unreachable(reason));
        }
        let c = &self.inner.counters;
        bump(&c.requests);
        bump(if graphql { &c.graphql } else { &c.rest });
        let answer = async {
            let response = self.inner.http.execute(request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let text = response.text().await?;
            Ok::<_, reqwest::Error>((status, headers, text))
        }
        .await;
        match answer {
            Ok(answer) => {
                self.breaker_answered(&origin);
                Ok(answer)
            }
            Err(e) => {
                let e = e.without_url();
                let timeout = e.is_timeout();
                let why = if timeout {
                    format!("timed out after {}", seconds(self.inner.config.timeout))
                } else {
                    format!("network error: {}", error_chain(&e))
                };
                match self.breaker_failed(&origin, &why) {
                    Some(reason) => Err(FetchError::Unreachable(reason)),
                    None => Err(FetchError::Network {
                        why,
                        timeout,
                        source: e,
                    }),
                }
            }
        }
    }
}

/// RFC 3339 with whole seconds, UTC.
pub(crate) fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    time::OffsetDateTime::from_unix_timestamp(i64::try_from(secs).unwrap_or(0))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// `scheme://host:port` of a URL (port made explicit), the key of breakers
/// and what redirects are compared by.
pub(crate) fn origin(url: &reqwest::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// A duration as people read it in a reason: `8 s`, `300 ms`.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The messages of an error and its sources, repeats dropped: reqwest's
/// own message says little ("error sending request"), the cause is below
/// it. Callers strip the URL first (`without_url`).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = Some(e);
    while let Some(err) = source {
        let text = err.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    parts.join(": ")
}

/// Shortens untrusted API text used in reasons.
pub(crate) fn clip(text: &str) -> String {
    const MAX: usize = 200;
    let text = text.trim();
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_737_600);
        assert_eq!(rfc3339(t), "2026-11-27T00:00:00Z");
    }
}
