#![doc = include_str!("../README.md")]

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};

/// How the stand-in behaves.
#[derive(Debug, Clone)]
pub struct StandinConfig {
    /// The token GraphQL accepts; `None` accepts any bearer token. Without
    /// an `Authorization` header GraphQL always answers 401.
    pub token: Option<String>,
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
            latency: Duration::ZERO,
            fail_every: 0,
            secondary_every: 0,
            retry_after_secs: Some(0),
            rest_limit: 60,
            rest_reset_in: 3600,
        }
    }
}

/// One repository the stand-in knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandinRepo {
    /// Canonical `owner/name`.
    pub name_with_owner: String,
    /// Numeric id (for `/repositories/{id}`).
    pub id: u64,
    /// Stargazers.
    pub stars: u64,
    /// Archived.
    pub archived: bool,
    /// Disabled.
    pub disabled: bool,
    /// A fork.
    pub fork: bool,
    /// Description (may contain anything, e.g. HTML).
    pub description: Option<String>,
    /// SPDX license id.
    pub license: Option<String>,
    /// Primary language.
    pub language: Option<String>,
    /// Last push.
    pub pushed_at: String,
    /// Latest release tag.
    pub latest_release: Option<String>,
}

impl StandinRepo {
    /// A plain repository with this name and stars.
    pub fn new(name_with_owner: &str, stars: u64) -> StandinRepo {
        StandinRepo {
            name_with_owner: name_with_owner.to_owned(),
            id: 0,
            stars,
            archived: false,
            disabled: false,
            fork: false,
            description: Some(format!("The {name_with_owner} project")),
            license: Some("Apache-2.0".to_owned()),
            language: Some("Rust".to_owned()),
            pushed_at: "2026-11-20T12:00:00Z".to_owned(),
            latest_release: Some("v1.0.0".to_owned()),
        }
    }

    fn graphql(&self) -> Value {
        json!({
            "databaseId": self.id,
            "nameWithOwner": self.name_with_owner,
            "url": format!("https://github.com/{}", self.name_with_owner),
            "stargazerCount": self.stars,
            "isArchived": self.archived,
            "isDisabled": self.disabled,
            "isFork": self.fork,
            "pushedAt": self.pushed_at,
            "description": self.description,
            "licenseInfo": self.license.as_ref().map(|l| json!({ "spdxId": l })),
            "primaryLanguage": self.language.as_ref().map(|l| json!({ "name": l })),
            "latestRelease": self.latest_release.as_ref().map(|t| json!({ "tagName": t })),
        })
    }

    fn rest(&self) -> Value {
        json!({
            "id": self.id,
            "full_name": self.name_with_owner,
            "html_url": format!("https://github.com/{}", self.name_with_owner),
            "stargazers_count": self.stars,
            "archived": self.archived,
            "disabled": self.disabled,
            "fork": self.fork,
            "pushed_at": self.pushed_at,
            "description": self.description,
            "license": self.license.as_ref().map(|l| json!({ "spdx_id": l })),
            "language": self.language,
        })
    }
}

/// What exists on the stand-in's GitHub.
#[derive(Debug, Clone, Default)]
pub struct World {
    repos: BTreeMap<String, StandinRepo>,
    renames: BTreeMap<String, String>,
    owners: BTreeSet<String>,
    blocked: BTreeSet<String>,
}

impl World {
    /// An empty world.
    pub fn new() -> World {
        World::default()
    }

    /// A small world: `apache/kafka` (31.2k★), `etcd-io/etcd` (48k★),
    /// `archived/old` (archived), `disabled/repo` (disabled), a rename
    /// `coreos/etcd` → `etcd-io/etcd`, a blocked `dmca/blocked`, and the
    /// owners of all of them.
    pub fn sample() -> World {
        let mut old = StandinRepo::new("archived/old", 1_200);
        old.archived = true;
        let mut disabled = StandinRepo::new("disabled/repo", 10);
        disabled.disabled = true;
        World::new()
            .with_repo(StandinRepo::new("apache/kafka", 31_234))
            .with_repo(StandinRepo::new("etcd-io/etcd", 48_000))
            .with_repo(old)
            .with_repo(disabled)
            .with_rename("coreos/etcd", "etcd-io/etcd")
            .with_blocked("dmca/blocked")
    }

    /// `n` repositories `org{i % 50}/repo{i}` with deterministic stars.
    pub fn generated(n: usize) -> World {
        let mut world = World::new();
        for i in 0..n {
            let stars = (i as u64 * 7_919) % 250_000;
            world = world.with_repo(StandinRepo::new(&format!("org{}/repo{i}", i % 50), stars));
        }
        world
    }

    /// Adds a repository (and its owner). Ids are assigned in order if 0.
    #[must_use]
    pub fn with_repo(mut self, mut repo: StandinRepo) -> World {
        if repo.id == 0 {
            repo.id = 1_000 + self.repos.len() as u64;
        }
        if let Some((owner, _)) = repo.name_with_owner.split_once('/') {
            self.owners.insert(owner.to_ascii_lowercase());
        }
        self.repos
            .insert(repo.name_with_owner.to_ascii_lowercase(), repo);
        self
    }

    /// `old` now redirects to the existing repository `new`.
    #[must_use]
    pub fn with_rename(mut self, old: &str, new: &str) -> World {
        self.renames
            .insert(old.to_ascii_lowercase(), new.to_ascii_lowercase());
        self
    }

    /// An owner without repositories.
    #[must_use]
    pub fn with_owner(mut self, login: &str) -> World {
        self.owners.insert(login.to_ascii_lowercase());
        self
    }

    /// A repository blocked for legal reasons (REST 451).
    #[must_use]
    pub fn with_blocked(mut self, name_with_owner: &str) -> World {
        self.blocked.insert(name_with_owner.to_ascii_lowercase());
        self
    }

    /// The canonical names of all repositories.
    pub fn repo_names(&self) -> Vec<String> {
        self.repos
            .values()
            .map(|r| r.name_with_owner.clone())
            .collect()
    }

    fn resolve(&self, key: &str) -> Option<&StandinRepo> {
        let key = key.to_ascii_lowercase();
        self.repos
            .get(&key)
            .or_else(|| self.renames.get(&key).and_then(|new| self.repos.get(new)))
    }
}

/// A scripted answer for the next request (before periodic faults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and a JSON message.
    Status(u16),
    /// 403 secondary rate limit with this `retry-after` (or none).
    SecondaryRateLimit(Option<u64>),
    /// 403 primary rate limit: `x-ratelimit-remaining: 0`, reset in this many seconds.
    PrimaryRateLimit(u64),
    /// GraphQL's primary limit: 200 with a `RATE_LIMITED` error and
    /// `x-ratelimit-remaining: 0`, reset in this many seconds.
    GraphqlRateLimited(u64),
    /// Sleep this long before answering normally.
    Delay(Duration),
    /// 301 to this `location` (e.g. to test where a client follows it).
    Redirect(String),
}

#[derive(Default)]
struct Counters {
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    requests: AtomicU64,
    graphql: AtomicU64,
    rest: AtomicU64,
    faults: AtomicU64,
    not_modified: AtomicU64,
}

struct State {
    config: StandinConfig,
    world: Mutex<World>,
    script: Mutex<VecDeque<Fault>>,
    rest_remaining: Mutex<u64>,
    counters: Counters,
    authorizations: Mutex<Vec<String>>,
    base: String,
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
                                        Ok::<_, Infallible>(handle(&state, req).await)
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

type Answer = Response<Full<Bytes>>;

fn answer(status: u16, headers: &[(&str, String)], body: &Value) -> Answer {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json; charset=utf-8");
    for (k, v) in headers {
        builder = builder.header(*k, v.as_str());
    }
    builder
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn secondary(retry_after: Option<u64>) -> Answer {
    let mut headers = vec![("x-ratelimit-remaining", "4999".to_owned())];
    if let Some(secs) = retry_after {
        headers.push(("retry-after", secs.to_string()));
    }
    answer(
        403,
        &headers,
        &json!({
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
        }),
    )
}

fn primary(reset_in: u64) -> Answer {
    answer(
        403,
        &[
            ("x-ratelimit-limit", "60".to_owned()),
            ("x-ratelimit-remaining", "0".to_owned()),
            ("x-ratelimit-used", "60".to_owned()),
            ("x-ratelimit-reset", (now_secs() + reset_in).to_string()),
            ("x-ratelimit-resource", "core".to_owned()),
        ],
        &json!({ "message": "API rate limit exceeded for 127.0.0.1." }),
    )
}

async fn handle(state: &State, req: Request<Incoming>) -> Answer {
    let n = state.counters.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorization = header("authorization");
    let if_none_match = header("if-none-match");
    if let Some(a) = &authorization
        && let Ok(mut seen) = state.authorizations.lock()
    {
        seen.push(a.clone());
    }
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    if path == "/graphql" {
        state.counters.graphql.fetch_add(1, Ordering::Relaxed);
    } else {
        state.counters.rest.fetch_add(1, Ordering::Relaxed);
    }
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
    let scripted = state.script.lock().ok().and_then(|mut s| s.pop_front());
    let fault = |state: &State| {
        state.counters.faults.fetch_add(1, Ordering::Relaxed);
    };
    match scripted {
        Some(Fault::Status(code)) => {
            fault(state);
            return answer(code, &[], &json!({ "message": format!("injected {code}") }));
        }
        Some(Fault::SecondaryRateLimit(retry_after)) => {
            fault(state);
            return secondary(retry_after);
        }
        Some(Fault::PrimaryRateLimit(reset_in)) => {
            fault(state);
            return primary(reset_in);
        }
        Some(Fault::GraphqlRateLimited(reset_in)) => {
            fault(state);
            return answer(
                200,
                &[
                    ("x-ratelimit-limit", "5000".to_owned()),
                    ("x-ratelimit-remaining", "0".to_owned()),
                    ("x-ratelimit-reset", (now_secs() + reset_in).to_string()),
                    ("x-ratelimit-resource", "graphql".to_owned()),
                ],
                &json!({ "errors": [{ "type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1." }] }),
            );
        }
        Some(Fault::Redirect(location)) => {
            fault(state);
            return answer(
                301,
                &[("location", location)],
                &json!({ "message": "Moved Permanently" }),
            );
        }
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    let cfg = &state.config;
    if cfg.fail_every > 0 && n.is_multiple_of(cfg.fail_every) {
        fault(state);
        return answer(502, &[], &json!({ "message": "Server Error" }));
    }
    if cfg.secondary_every > 0 && n.is_multiple_of(cfg.secondary_every) {
        fault(state);
        return secondary(cfg.retry_after_secs);
    }
    if path == "/graphql" && method == hyper::Method::POST {
        return graphql(state, authorization.as_deref(), &body);
    }
    if method != hyper::Method::GET {
        return answer(404, &[], &json!({ "message": "Not Found" }));
    }
    rest(state, &path, if_none_match.as_deref())
}

fn graphql(state: &State, authorization: Option<&str>, body: &[u8]) -> Answer {
    let token = authorization.and_then(|a| {
        a.strip_prefix("bearer ")
            .or_else(|| a.strip_prefix("Bearer "))
            .or_else(|| a.strip_prefix("token "))
    });
    let authorized = match (&state.config.token, token) {
        (_, None) => false,
        (None, Some(t)) => !t.is_empty(),
        (Some(want), Some(t)) => want == t,
    };
    if !authorized {
        let message = if token.is_none() {
            "This endpoint requires you to be authenticated."
        } else {
            "Bad credentials"
        };
        return answer(
            401,
            &[],
            &json!({ "message": message, "documentation_url": "https://docs.github.com/graphql" }),
        );
    }
    let limits = [
        ("x-ratelimit-limit", "5000".to_owned()),
        ("x-ratelimit-remaining", "4990".to_owned()),
        ("x-ratelimit-reset", (now_secs() + 3600).to_string()),
        ("x-ratelimit-resource", "graphql".to_owned()),
    ];
    let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let query = request.get("query").and_then(Value::as_str).unwrap_or("");
    let variables = request.get("variables").cloned().unwrap_or(Value::Null);
    let Some(selections) = parse_selections(query, &variables) else {
        return answer(
            200,
            &limits,
            &json!({ "errors": [{ "message": "Parse error on the query" }] }),
        );
    };
    let world = match state.world.lock() {
        Ok(w) => w.clone(),
        Err(_) => return answer(500, &[], &json!({ "message": "poisoned" })),
    };
    let mut data = serde_json::Map::new();
    let mut errors = Vec::new();
    for s in selections {
        let value = match s.field.as_str() {
            "repository" => {
                let owner = s.args.get("owner").cloned().unwrap_or_default();
                let name = s.args.get("name").cloned().unwrap_or_default();
                let key = format!("{owner}/{name}");
                if world.blocked.contains(&key.to_ascii_lowercase()) {
                    errors.push(json!({
                        "type": "FORBIDDEN", "path": [s.alias],
                        "message": "Repository access blocked"
                    }));
                    Value::Null
                } else if let Some(repo) = world.resolve(&key) {
                    repo.graphql()
                } else {
                    errors.push(json!({
                        "type": "NOT_FOUND", "path": [s.alias],
                        "locations": [{ "line": 1, "column": 1 }],
                        "message": format!("Could not resolve to a Repository with the name '{key}'.")
                    }));
                    Value::Null
                }
            }
            "repositoryOwner" => {
                let login = s.args.get("login").cloned().unwrap_or_default();
                if world.owners.contains(&login.to_ascii_lowercase()) {
                    json!({ "login": login, "url": format!("https://github.com/{login}") })
                } else {
                    errors.push(json!({
                        "type": "NOT_FOUND", "path": [s.alias],
                        "message": format!("Could not resolve to a RepositoryOwner with the login of '{login}'.")
                    }));
                    Value::Null
                }
            }
            _ => Value::Null,
        };
        data.insert(s.alias, value);
    }
    let mut out = json!({ "data": data });
    if !errors.is_empty() {
        out["errors"] = Value::Array(errors);
    }
    answer(200, &limits, &out)
}

fn rest(state: &State, path: &str, if_none_match: Option<&str>) -> Answer {
    let world = match state.world.lock() {
        Ok(w) => w.clone(),
        Err(_) => return answer(500, &[], &json!({ "message": "poisoned" })),
    };
    let reset = now_secs() + state.config.rest_reset_in;
    let limit = state.config.rest_limit;
    let mut remaining = match state.rest_remaining.lock() {
        Ok(r) => r,
        Err(_) => return answer(500, &[], &json!({ "message": "poisoned" })),
    };
    if *remaining == 0 {
        return primary(state.config.rest_reset_in);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (status, body, location): (u16, Value, Option<String>) = match segments.as_slice() {
        ["repos", owner, name] => {
            let key = format!("{owner}/{name}").to_ascii_lowercase();
            if world.blocked.contains(&key) {
                (
                    451,
                    json!({ "message": "Repository access blocked",
                            "block": { "reason": "dmca", "created_at": "2026-01-01T00:00:00Z" } }),
                    None,
                )
            } else if let Some(repo) = world.repos.get(&key) {
                (200, repo.rest(), None)
            } else if let Some(repo) = world.renames.get(&key).and_then(|n| world.repos.get(n)) {
                let url = format!("{}/repositories/{}", state.base, repo.id);
                (
                    301,
                    json!({ "message": "Moved Permanently", "url": url,
                            "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects" }),
                    Some(url),
                )
            } else {
                (404, json!({ "message": "Not Found" }), None)
            }
        }
        ["repositories", id] => match world
            .repos
            .values()
            .find(|r| id.parse::<u64>().ok() == Some(r.id))
        {
            Some(repo) => (200, repo.rest(), None),
            None => (404, json!({ "message": "Not Found" }), None),
        },
        ["users", login] => {
            if world.owners.contains(&login.to_ascii_lowercase()) {
                (
                    200,
                    json!({ "login": login, "html_url": format!("https://github.com/{login}"), "type": "Organization" }),
                    None,
                )
            } else {
                (404, json!({ "message": "Not Found" }), None)
            }
        }
        _ => (404, json!({ "message": "Not Found" }), None),
    };
    let etag = format!("\"{:016x}\"", hash(&body.to_string()));
    if status == 200 && if_none_match == Some(etag.as_str()) {
        // GitHub: a 304 does not count against the rate limit.
        state.counters.not_modified.fetch_add(1, Ordering::Relaxed);
        return answer(
            304,
            &[
                ("etag", etag),
                ("x-ratelimit-limit", limit.to_string()),
                ("x-ratelimit-remaining", remaining.to_string()),
                ("x-ratelimit-reset", reset.to_string()),
            ],
            &Value::Null,
        );
    }
    *remaining -= 1;
    let mut headers = vec![
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-used", (limit - *remaining).to_string()),
        ("x-ratelimit-reset", reset.to_string()),
        ("x-ratelimit-resource", "core".to_owned()),
    ];
    if status == 200 {
        headers.push(("etag", etag));
    }
    if let Some(location) = location {
        headers.push(("location", location));
    }
    answer(status, &headers, &body)
}

/// A dead server on 127.0.0.1: it accepts connections, reads the request
/// head and never answers (a firewall that black-holes, a hung proxy). It
/// counts connections and requests per `Host` header, so tests can bound
/// the attempts a client makes against a dead host. Stops when dropped
/// (closing every connection).
pub struct Blackhole {
    port: u16,
    seen: Arc<Mutex<BTreeMap<String, u64>>>,
    connections: Arc<AtomicU64>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Blackhole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blackhole")
            .field("port", &self.port)
            .finish()
    }
}

impl Blackhole {
    /// Starts it on a random loopback port. Panics if it cannot bind.
    pub fn start() -> Blackhole {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let seen: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
        let connections = Arc::new(AtomicU64::new(0));
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let (thread_seen, thread_connections) = (Arc::clone(&seen), Arc::clone(&connections));
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("blackhole runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let mut held = tokio::task::JoinSet::new();
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            thread_connections.fetch_add(1, Ordering::Relaxed);
                            held.spawn(swallow(stream, Arc::clone(&thread_seen)));
                        }
                    }
                }
                held.abort_all();
            });
        });
        Blackhole {
            port,
            seen,
            connections,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }

    /// Requests received so far, per lower-cased `Host` header (port
    /// included, as sent).
    pub fn requests_by_host(&self) -> BTreeMap<String, u64> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Requests received so far.
    pub fn requests(&self) -> u64 {
        self.requests_by_host().values().sum()
    }
}

impl Drop for Blackhole {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads requests on `stream` and answers none; keeps it open until the
/// client gives up (or the black hole stops).
async fn swallow(mut stream: tokio::net::TcpStream, seen: Arc<Mutex<BTreeMap<String, u64>>>) {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        // Count each complete request head once.
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let host = head
                .lines()
                .find_map(|l| l.strip_prefix("host:"))
                .map(|h| h.trim().to_owned())
                .unwrap_or_default();
            if let Ok(mut seen) = seen.lock() {
                *seen.entry(host).or_default() += 1;
            }
            buf.drain(..end + 4);
        }
    }
}

/// A loopback port with nothing listening (connections are refused): bound
/// once to get a free number, then released.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

fn hash(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// One top-level field of a query: `alias: field(arg: value, …)`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Selection {
    alias: String,
    field: String,
    args: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Var(String),
    Str(String),
    Punct(char),
}

fn tokenize(query: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || c == ',' {
            chars.next();
        } else if c == '#' {
            while chars.next().is_some_and(|c| c != '\n') {}
        } else if c == '$' || c == '_' || c.is_ascii_alphabetic() {
            chars.next();
            let mut name = String::new();
            if c != '$' {
                name.push(c);
            }
            while let Some(&d) = chars.peek() {
                if d == '_' || d.is_ascii_alphanumeric() {
                    name.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(if c == '$' {
                Tok::Var(name)
            } else {
                Tok::Name(name)
            });
        } else if c == '"' {
            chars.next();
            let mut s = String::new();
            loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => s.push(chars.next()?),
                    d => s.push(d),
                }
            }
            out.push(Tok::Str(s));
        } else {
            chars.next();
            out.push(Tok::Punct(c));
        }
    }
    Some(out)
}

/// Finds `alias: repository(…)` / `alias: repositoryOwner(…)` selections
/// (aliases are required, as the client always sends them) and resolves
/// their arguments from literals or variables.
fn parse_selections(query: &str, variables: &Value) -> Option<Vec<Selection>> {
    let toks = tokenize(query)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < toks.len() {
        let is_field = matches!(
            (&toks[i], &toks[i + 1], &toks[i + 2], &toks[i + 3]),
            (Tok::Name(_), Tok::Punct(':'), Tok::Name(f), Tok::Punct('('))
                if f == "repository" || f == "repositoryOwner"
        );
        if !is_field {
            i += 1;
            continue;
        }
        let (Tok::Name(alias), Tok::Name(field)) = (&toks[i], &toks[i + 2]) else {
            unreachable!("checked above")
        };
        let mut args = BTreeMap::new();
        let mut j = i + 4;
        while j + 2 < toks.len() && toks[j] != Tok::Punct(')') {
            let (Tok::Name(key), Tok::Punct(':')) = (&toks[j], &toks[j + 1]) else {
                return None;
            };
            let value = match &toks[j + 2] {
                Tok::Str(s) => s.clone(),
                Tok::Var(v) => variables.get(v)?.as_str()?.to_owned(),
                _ => return None,
            };
            args.insert(key.clone(), value);
            j += 3;
        }
        out.push(Selection {
            alias: alias.clone(),
            field: field.clone(),
            args,
        });
        i = j + 1;
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_resolve_variables_and_literals() {
        let q = "query Q($o: String!, $n: String!) { a0: repository(owner: $o, name: $n) { ...R } \
                 b1: repositoryOwner(login: \"etcd-io\") { login } } fragment R on Repository { url }";
        let s = parse_selections(q, &json!({ "o": "apache", "n": "kafka" })).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].alias, "a0");
        assert_eq!(s[0].args["owner"], "apache");
        assert_eq!(s[0].args["name"], "kafka");
        assert_eq!(s[1].field, "repositoryOwner");
        assert_eq!(s[1].args["login"], "etcd-io");
        assert!(parse_selections("{ viewer { login } }", &Value::Null).is_none());
        assert!(parse_selections("{ a: repository(owner: $x) { url } }", &json!({})).is_none());
    }
}
