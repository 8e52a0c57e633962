//! The client: configuration, the lookup driver, retries and rate limits.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::RepoKey;
use crate::cache::{CacheData, CachedOwner, CachedRepo};
use crate::lookups::{Lookups, OwnerStatus, RepoStatus};
use crate::{Error, graphql, rest};

/// GitHub.com's REST API.
pub const DEFAULT_API_URL: &str = "https://api.github.com";
/// GitHub.com's GraphQL endpoint.
pub const DEFAULT_GRAPHQL_URL: &str = "https://api.github.com/graphql";
/// Most lookups per GraphQL request.
pub const MAX_BATCH: usize = 100;
/// The User-Agent GitHub requires.
pub const USER_AGENT: &str = concat!(
    "archmanual/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/archmanual/archmanual)"
);

/// A GitHub token. It prints as `<redacted>` and is only ever sent in the
/// `Authorization` header.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into())
    }

    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Token {
    fn from(s: &str) -> Token {
        Token(s.to_owned())
    }
}

impl From<String> for Token {
    fn from(s: String) -> Token {
        Token(s)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Client settings. [`Config::default`] targets GitHub.com without a token;
/// [`Config::from_env`] reads the environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// REST base URL (no trailing `/`).
    pub api_url: String,
    /// GraphQL endpoint.
    pub graphql_url: String,
    /// With a token: GraphQL batches; without: REST, 60 requests/hour.
    pub token: Option<Token>,
    /// Sent as `User-Agent`.
    pub user_agent: String,
    /// Lookups per GraphQL request (1..=100).
    pub batch_size: usize,
    /// GraphQL requests in flight at once. 1 by default: GitHub asks
    /// clients to send requests for one token serially, which keeps them
    /// clear of the secondary rate limits.
    pub concurrency: usize,
    /// Retries per request after the first attempt.
    pub max_retries: u32,
    /// First backoff; doubles per retry, with jitter (50–100%).
    pub backoff_base: Duration,
    /// Longest single backoff.
    pub backoff_max: Duration,
    /// Minimum wait after a secondary rate limit without `retry-after`
    /// (GitHub asks for at least a minute).
    pub secondary_min_wait: Duration,
    /// Longest the client will wait for a rate limit to pass; a longer wait
    /// gives up and reports the rest as unknown.
    pub max_wait: Duration,
    /// Per-request timeout. GitHub stops any request after 10 s of work,
    /// so waiting longer gains nothing; a GraphQL batch that times out is
    /// split in halves like one answered 502/504.
    pub timeout: Duration,
    /// Timeout for connecting (TCP and TLS).
    pub connect_timeout: Duration,
    /// Consecutive connection-level failures (DNS, refused, TLS, timeouts,
    /// broken connections) at one API host after which the client stops
    /// asking it: the remaining lookups are unknown at once, with one
    /// reason ("GitHub API unreachable: …"). Any answer resets the count.
    pub breaker_threshold: u32,
    /// How long an open breaker blocks its host; then one request may try
    /// again, and a success closes the breaker.
    pub breaker_cooldown: Duration,
    /// The lookup cache file, if any.
    pub cache_path: Option<PathBuf>,
    /// How long cached lookups (negative ones too) stay fresh.
    pub cache_ttl: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_url: DEFAULT_API_URL.to_owned(),
            graphql_url: DEFAULT_GRAPHQL_URL.to_owned(),
            token: None,
            user_agent: USER_AGENT.to_owned(),
            batch_size: MAX_BATCH,
            concurrency: 1,
            max_retries: 5,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            secondary_min_wait: Duration::from_secs(60),
            max_wait: Duration::from_secs(120),
            timeout: Duration::from_secs(8),
            connect_timeout: Duration::from_secs(5),
            breaker_threshold: 3,
            breaker_cooldown: Duration::from_secs(60),
            cache_path: None,
            cache_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

impl Config {
    /// Defaults, with `GITHUB_API_URL`, `GITHUB_GRAPHQL_URL` (else
    /// `$GITHUB_API_URL/graphql`) and the token from `GITHUB_TOKEN`, else
    /// `GH_TOKEN` (empty values are ignored).
    pub fn from_env() -> Config {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Config::from_env`] with another source of variables (for tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Config {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut config = Config::default();
        if let Some(api) = var("GITHUB_API_URL") {
            config.api_url = api.trim_end_matches('/').to_owned();
            config.graphql_url = format!("{}/graphql", config.api_url);
        }
        if let Some(graphql) = var("GITHUB_GRAPHQL_URL") {
            config.graphql_url = graphql;
        }
        config.token = var("GITHUB_TOKEN")
            .or_else(|| var("GH_TOKEN"))
            .map(|t| Token::new(t.trim()));
        config
    }
}

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

pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;
pub(crate) type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) http: reqwest::Client,
    clock: RwLock<Clock>,
    cache: Mutex<CacheData>,
    breakers: Mutex<HashMap<String, Breaker>>,
    pub(crate) counters: Counters,
}

/// One API host's circuit breaker.
#[derive(Debug, Default)]
struct Breaker {
    /// Connection-level failures in a row.
    failures: u32,
    /// Set while open: when it opened (or last let a trial through).
    open_since: Option<Instant>,
    /// The reason every blocked lookup gets.
    reason: String,
}

/// Why a request got no HTTP answer.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// The host's breaker is open: give up without retrying.
    Unreachable(String),
    /// One connection-level failure; a retry may help.
    Network {
        /// What happened (no URL, no token).
        why: String,
        /// It was a timeout.
        timeout: bool,
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

/// One thing to look up.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Repo(RepoKey),
    Owner(String),
}

/// Its result; the ETag only for REST 200s.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant, reason = "short-lived, moved once")]
pub(crate) enum ItemResult {
    Repo(RepoStatus, Option<String>),
    Owner(OwnerStatus),
}

impl ItemResult {
    /// "We could not find out": the result for `item` when lookups failed.
    pub(crate) fn unknown(item: &Item, reason: &str) -> ItemResult {
        match item {
            Item::Repo(_) => ItemResult::Repo(
                RepoStatus::Unknown {
                    reason: reason.to_owned(),
                },
                None,
            ),
            Item::Owner(_) => ItemResult::Owner(OwnerStatus::Unknown {
                reason: reason.to_owned(),
            }),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// Sleep this long, then try again (counts as a retry).
    Retry(Duration, String),
    /// Stop: the reason becomes `Unknown { reason }`.
    GiveUp(String),
}

impl Client {
    /// A client with these settings; loads the cache file if configured.
    pub fn new(config: Config) -> Result<Client, Error> {
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            // Renames are detected from the 301 itself.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| Error::Http(e.to_string()))?;
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
    pub fn from_env() -> Result<Client, Error> {
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

    /// Looks up repositories.
    pub async fn lookup(&self, repos: &[RepoKey]) -> Lookups {
        self.lookup_all(repos, &[]).await
    }

    /// Looks up repositories and owner pages.
    pub async fn lookup_all(&self, repos: &[RepoKey], owners: &[String]) -> Lookups {
        self.lookup_with_progress(repos, owners, |_, _| {}).await
    }

    /// [`Client::lookup_all`], calling `progress(done, total)` as results come in.
    pub async fn lookup_with_progress(
        &self,
        repos: &[RepoKey],
        owners: &[String],
        progress: impl Fn(usize, usize) + Send + Sync + 'static,
    ) -> Lookups {
        let progress: Progress = Arc::new(progress);
        let now = self.now_secs();
        let ttl = self.inner.config.cache_ttl.as_secs();
        let mut out = Lookups {
            fetched_at: self.now_rfc3339(),
            ..Lookups::default()
        };
        let mut distinct_repos: BTreeMap<&str, &RepoKey> = BTreeMap::new();
        for r in repos {
            distinct_repos.entry(r.key()).or_insert(r);
        }
        let mut distinct_owners: BTreeMap<String, ()> = BTreeMap::new();
        for o in owners {
            distinct_owners.insert(o.to_ascii_lowercase(), ());
        }
        let total = distinct_repos.len() + distinct_owners.len();
        let mut pending = Vec::new();
        // Stale entries still give REST an ETag and a body for a 304.
        let mut stale: BTreeMap<String, CachedRepo> = BTreeMap::new();
        {
            let cache = self.lock_cache();
            for (key, repo) in &distinct_repos {
                if let Some(c) = cache.fresh_repo(key, now, ttl) {
                    out.repos
                        .insert((*key).to_owned(), RepoStatus::from_entry(key, &c.entry));
                    bump(&self.inner.counters.cache_hits);
                } else {
                    if let Some(c) = cache.repos.get(*key) {
                        stale.insert((*key).to_owned(), c.clone());
                    }
                    pending.push(Item::Repo((*repo).clone()));
                }
            }
            for login in distinct_owners.keys() {
                if let Some(c) = cache.fresh_owner(login, now, ttl) {
                    out.owners
                        .insert(login.clone(), OwnerStatus::from_entry(&c.entry));
                    bump(&self.inner.counters.cache_hits);
                } else {
                    pending.push(Item::Owner(login.clone()));
                }
            }
        }
        let done = Arc::new(AtomicUsize::new(total - pending.len()));
        progress(done.load(Ordering::Relaxed), total);
        let tick: Progress = {
            let done = Arc::clone(&done);
            let progress = Arc::clone(&progress);
            Arc::new(move |n, _| {
                let d = done.fetch_add(n, Ordering::Relaxed) + n;
                progress(d, total);
            })
        };
        let results = if pending.is_empty() {
            Vec::new()
        } else if self.has_token() {
            graphql::run(self, pending, tick).await
        } else {
            rest::run(self, pending, &stale, tick).await
        };
        let checked = self.now_secs();
        let mut cache = self.lock_cache();
        for (item, result) in results {
            match (item, result) {
                (Item::Repo(key), ItemResult::Repo(status, etag)) => {
                    if let Some(entry) = status.to_entry(&out.fetched_at) {
                        cache.repos.insert(
                            key.key().to_owned(),
                            CachedRepo {
                                checked,
                                etag,
                                entry,
                            },
                        );
                        cache.dirty = true;
                    }
                    out.repos.insert(key.key().to_owned(), status);
                }
                (Item::Owner(login), ItemResult::Owner(status)) => {
                    if let Some(entry) = status.to_entry(&out.fetched_at) {
                        cache
                            .owners
                            .insert(login.clone(), CachedOwner { checked, entry });
                        cache.dirty = true;
                    }
                    out.owners.insert(login, status);
                }
                _ => {}
            }
        }
        out
    }

    /// [`Client::lookup_all`] on a private single-threaded runtime, for
    /// synchronous callers (preprocessors, CLIs). Must not be called from
    /// inside an async runtime.
    pub fn lookup_blocking(&self, repos: &[RepoKey], owners: &[String]) -> Result<Lookups, Error> {
        self.lookup_blocking_with_progress(repos, owners, |_, _| {})
    }

    /// [`Client::lookup_blocking`] with a `progress(done, total)` callback.
    pub fn lookup_blocking_with_progress(
        &self,
        repos: &[RepoKey],
        owners: &[String],
        progress: impl Fn(usize, usize) + Send + Sync + 'static,
    ) -> Result<Lookups, Error> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Runtime(e.to_string()))?;
        Ok(rt.block_on(self.lookup_with_progress(repos, owners, progress)))
    }

    /// Writes the cache file (atomically), if one is configured and changed.
    pub fn save_cache(&self) -> Result<(), Error> {
        let Some(path) = &self.inner.config.cache_path else {
            return Ok(());
        };
        let mut cache = self.lock_cache();
        if !cache.dirty && path.exists() {
            return Ok(());
        }
        cache.save(path).map_err(|e| Error::Cache {
            path: path.clone(),
            message: e.to_string(),
        })?;
        cache.dirty = false;
        Ok(())
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, CacheData> {
        // A poisoned cache is still a valid map; keep going.
        self.inner
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sends one request through its host's circuit breaker and reads the
    /// whole answer. Any HTTP answer, whatever its status, shows the host
    /// is reachable and resets the breaker.
    pub(crate) async fn fetch(
        &self,
        request: reqwest::RequestBuilder,
        graphql: bool,
    ) -> Result<(StatusCode, HeaderMap, String), FetchError> {
        let request = request.build().map_err(|e| FetchError::Network {
            why: format!("invalid request: {}", error_chain(&e.without_url())),
            timeout: false,
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
                    None => Err(FetchError::Network { why, timeout }),
                }
            }
        }
    }

    fn lock_breakers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Breaker>> {
        self.inner
            .breakers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Some(reason)` while `origin`'s breaker is open. After the cooldown
    /// one request goes through (the others stay blocked meanwhile).
    fn breaker_blocks(&self, origin: &str) -> Option<String> {
        let mut breakers = self.lock_breakers();
        let breaker = breakers.get_mut(origin)?;
        let since = breaker.open_since?;
        if since.elapsed() < self.inner.config.breaker_cooldown {
            return Some(breaker.reason.clone());
        }
        breaker.open_since = Some(Instant::now());
        None
    }

    fn breaker_answered(&self, origin: &str) {
        self.lock_breakers().remove(origin);
    }

    /// Counts a failure; `Some(reason)` if the breaker is (now) open.
    fn breaker_failed(&self, origin: &str, why: &str) -> Option<String> {
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
                    " or set GITHUB_TOKEN (60 requests/hour without one)"
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
    fn token_never_prints() {
        let t = Token::new("ghp_supersecret");
        let config = Config {
            token: Some(t.clone()),
            ..Config::default()
        };
        for text in [format!("{t:?}"), format!("{t}"), format!("{config:?}")] {
            assert!(!text.contains("supersecret"), "{text}");
        }
        let client = Client::new(config).unwrap();
        assert!(!format!("{client:?}").contains("supersecret"));
    }

    #[test]
    fn environment() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let c = Config::from_vars(vars(&[]));
        assert_eq!(c.api_url, DEFAULT_API_URL);
        assert_eq!(c.graphql_url, DEFAULT_GRAPHQL_URL);
        assert!(c.token.is_none());
        let c = Config::from_vars(vars(&[
            ("GITHUB_API_URL", "http://127.0.0.1:9/api/"),
            ("GITHUB_TOKEN", ""),
            ("GH_TOKEN", "gh-token"),
        ]));
        assert_eq!(c.api_url, "http://127.0.0.1:9/api");
        assert_eq!(c.graphql_url, "http://127.0.0.1:9/api/graphql");
        assert_eq!(c.token.unwrap().secret(), "gh-token");
        let c = Config::from_vars(vars(&[
            ("GITHUB_GRAPHQL_URL", "http://127.0.0.1:9/gql"),
            ("GITHUB_TOKEN", "a"),
            ("GH_TOKEN", "b"),
        ]));
        assert_eq!(c.graphql_url, "http://127.0.0.1:9/gql");
        assert_eq!(c.token.unwrap().secret(), "a");
    }

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

    #[test]
    fn timestamps() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_737_600);
        assert_eq!(rfc3339(t), "2026-11-27T00:00:00Z");
    }
}
