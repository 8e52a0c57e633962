#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod blackhole;
mod faults;
mod graphql;
mod http;
mod rest;
mod reviews;
mod world;

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use blackhole::{Blackhole, closed_port};
pub use faults::Fault;
pub use reviews::{StandinComment, StandinReview};
pub use world::{StandinRepo, World};

/// How the stand-in behaves.
#[derive(Debug, Clone)]
pub struct StandinConfig {
    /// The token GraphQL and the review endpoints accept; `None` accepts
    /// any bearer token. Without an `Authorization` header they answer 401.
    pub token: Option<String>,
    /// The token may read but not write: review writes answer 403
    /// "Resource not accessible by integration" (a pull request from a fork).
    pub read_only: bool,
    /// Added before every answer.
    pub latency: Duration,
    /// Every Nth request (counting all requests from 1) answers 502; 0 = never.
    pub fail_every: u64,
    /// Every Mth request answers a secondary rate limit (403 + `retry-after`); 0 = never.
    pub secondary_every: u64,
    /// The `retry-after` of secondary rate limits; `None` sends none.
    pub retry_after_secs: Option<u64>,
    /// REST budget per window (GitHub: 60/hour without a token).
    pub rest_limit: u64,
    /// Seconds until the REST window resets (for `x-ratelimit-reset`).
    pub rest_reset_in: u64,
}

impl Default for StandinConfig {
    fn default() -> Self {
        StandinConfig {
            token: None,
            read_only: false,
            latency: Duration::ZERO,
            fail_every: 0,
            secondary_every: 0,
            retry_after_secs: Some(0),
            rest_limit: 60,
            rest_reset_in: 3600,
        }
    }
}

#[derive(Default)]
pub(crate) struct Counters {
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    pub(crate) requests: AtomicU64,
    pub(crate) graphql: AtomicU64,
    pub(crate) rest: AtomicU64,
    pub(crate) faults: AtomicU64,
    pub(crate) not_modified: AtomicU64,
}

/// Everything the request handlers share.
pub(crate) struct State {
    pub(crate) config: StandinConfig,
    pub(crate) world: Mutex<World>,
    pub(crate) script: Mutex<VecDeque<Fault>>,
    pub(crate) rest_remaining: Mutex<u64>,
    pub(crate) counters: Counters,
    pub(crate) authorizations: Mutex<Vec<String>>,
    /// `METHOD /path?query` of every request, in arrival order.
    pub(crate) log: Mutex<Vec<String>>,
    pub(crate) base: String,
}

/// A running stand-in on 127.0.0.1 (random port), on its own thread.
/// Stops when dropped.
pub struct Standin {
    state: Arc<State>,
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Standin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Standin").field("addr", &self.addr).finish()
    }
}

impl Standin {
    /// Starts the stand-in. Panics if it cannot bind a loopback port (test
    /// support: there is nothing sensible to do then).
    pub fn start(config: StandinConfig, world: World) -> Standin {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            rest_remaining: Mutex::new(config.rest_limit),
            config,
            world: Mutex::new(world),
            script: Mutex::new(VecDeque::new()),
            counters: Counters::default(),
            authorizations: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            base: format!("http://{addr}"),
        });
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let thread_state = Arc::clone(&state);
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("stand-in runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let state = Arc::clone(&thread_state);
                            tokio::spawn(async move {
                                let service = hyper::service::service_fn(move |req| {
                                    let state = Arc::clone(&state);
                                    async move {
                                        let _busy = Busy::enter(&state.counters);
                                        Ok::<_, Infallible>(http::handle(&state, req).await)
                                    }
                                });
                                let _ = hyper::server::conn::http1::Builder::new()
                                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                                    .await;
                            });
                        }
                    }
                }
            });
        });
        Standin {
            state,
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// The REST base URL, e.g. `http://127.0.0.1:41234`.
    pub fn api_url(&self) -> String {
        self.state.base.clone()
    }

    /// The GraphQL endpoint.
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.state.base)
    }

    /// All requests so far.
    pub fn requests(&self) -> u64 {
        self.state.counters.requests.load(Ordering::Relaxed)
    }

    /// The most requests it was answering at the same time.
    pub fn max_in_flight(&self) -> u64 {
        self.state.counters.max_in_flight.load(Ordering::Relaxed)
    }

    /// GraphQL requests so far.
    pub fn graphql_requests(&self) -> u64 {
        self.state.counters.graphql.load(Ordering::Relaxed)
    }

    /// REST requests so far.
    pub fn rest_requests(&self) -> u64 {
        self.state.counters.rest.load(Ordering::Relaxed)
    }

    /// Faults injected so far (scripted and periodic).
    pub fn faults(&self) -> u64 {
        self.state.counters.faults.load(Ordering::Relaxed)
    }

    /// REST `304 Not Modified` answers so far.
    pub fn not_modified(&self) -> u64 {
        self.state.counters.not_modified.load(Ordering::Relaxed)
    }

    /// Every `Authorization` header value received (to check how the token travels).
    pub fn authorizations(&self) -> Vec<String> {
        self.state
            .authorizations
            .lock()
            .map(|a| a.clone())
            .unwrap_or_default()
    }

    /// `METHOD /path?query` of every request so far, in arrival order (to
    /// check which calls a client made, and in which order).
    pub fn request_log(&self) -> Vec<String> {
        self.state.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The reviews of pull request `number` of `repo` (any casing) as they
    /// are now, oldest first; empty if the pull request is unknown.
    pub fn reviews(&self, repo: &str, number: u64) -> Vec<StandinReview> {
        self.state
            .world
            .lock()
            .ok()
            .and_then(|w| {
                w.pulls
                    .get(&(repo.to_ascii_lowercase(), number))
                    .map(|p| p.reviews.clone())
            })
            .unwrap_or_default()
    }

    /// Queues scripted answers for the next requests.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        if let Ok(mut s) = self.state.script.lock() {
            s.extend(faults);
        }
    }

    /// Changes a repository (by canonical name, any casing).
    pub fn update_repo(&self, name_with_owner: &str, change: impl FnOnce(&mut StandinRepo)) {
        if let Ok(mut world) = self.state.world.lock()
            && let Some(repo) = world.repos.get_mut(&name_with_owner.to_ascii_lowercase())
        {
            change(repo);
        }
    }

    /// Sets the remaining REST budget.
    pub fn set_rest_remaining(&self, remaining: u64) {
        if let Ok(mut r) = self.state.rest_remaining.lock() {
            *r = remaining;
        }
    }
}

impl Drop for Standin {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Counts a request in flight while alive.
struct Busy<'a>(&'a Counters);

impl<'a> Busy<'a> {
    fn enter(counters: &'a Counters) -> Busy<'a> {
        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
        Busy(counters)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
