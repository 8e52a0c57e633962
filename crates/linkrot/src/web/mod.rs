//! The web checker: HEAD then GET, redirects followed one hop at a time (so
//! each hop is recorded), per-host and overall concurrency limits, a timeout
//! per request, retries with backoff that honour `retry-after`, and a
//! circuit breaker per host: a dead host costs its retries once, not once
//! per link.
//!
//! This file follows one link through its redirects; `request` makes one
//! hop's requests (retries, backoff), `host` holds each host's slots and
//! circuit breaker, `verdict` turns the last answer into a [`WebOutcome`],
//! and `resolve` tells DNS failures apart.

mod host;
mod request;
mod resolve;
mod verdict;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use archmanual_http_policy::{Timeouts, client_builder};
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::{LinkrotConfig, LinkrotError, Status};
use host::HostSlot;
use request::Attempt;
use resolve::Resolver;

pub(crate) use verdict::with_fragment;

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

impl WebChecker {
    /// A checker with `options`.
    pub fn new(options: WebOptions) -> Result<WebChecker, LinkrotError> {
        let resolver = Resolver {
            overrides: options
                .resolve
                .iter()
                .map(|(h, ip)| (h.to_ascii_lowercase(), *ip))
                .collect(),
        };
        // The request timeout is set per request (`request::send`).
        let timeouts = Timeouts {
            request: None,
            connect: options.timeout,
        };
        let client = client_builder(&options.user_agent, timeouts)
            .dns_resolver(Arc::new(resolver))
            .build()
            .map_err(LinkrotError::Http)?;
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
}
