//! Loopback stand-ins for the link-rot tests: a plain web server with pages
//! that answer ok, 404, 410, redirects, flaky 503s, 405 on HEAD, or too
//! slowly; helpers for the GitHub stand-in and the checker.

#![allow(dead_code, unreachable_pub, reason = "shared by several test files")]

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use archmanual_linkrot::{
    CollectedLink, LinkrotConfig, Occurrence, Options, Progress, Report, RotRule, State,
    WebChecker, WebOptions, check_blocking,
};
use archmanual_test_support::{Request, Response, Server, reply};

/// The test pages on 127.0.0.1 (one request per connection).
pub struct WebServer {
    pub port: u16,
    hits: Hits,
    log: Log,
    _server: Server,
}

impl WebServer {
    /// Starts the server; `slow` is how long `/slow` takes to answer.
    pub fn start(slow: Duration) -> WebServer {
        let hits: Hits = Arc::default();
        let log: Log = Arc::default();
        let (server_hits, server_log) = (Arc::clone(&hits), Arc::clone(&log));
        let server = Server::start(move |request| {
            answer(
                request,
                Arc::clone(&server_hits),
                Arc::clone(&server_log),
                slow,
            )
        });
        WebServer {
            port: server.port(),
            hits,
            log,
            _server: server,
        }
    }

    /// A URL on this server under `host` (resolved to 127.0.0.1 by the checker).
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    /// Requests seen for `METHOD /path`.
    pub fn hits(&self, method_path: &str) -> u32 {
        self.hits
            .lock()
            .unwrap()
            .get(method_path)
            .copied()
            .unwrap_or(0)
    }

    /// Every request (arrival) and answer, with the time, in order.
    pub fn log(&self) -> Vec<(Instant, String)> {
        self.log.lock().unwrap().clone()
    }

    /// All requests seen.
    pub fn total_hits(&self) -> u32 {
        self.hits.lock().unwrap().values().sum()
    }
}

type Hits = Arc<Mutex<BTreeMap<String, u32>>>;
type Log = Arc<Mutex<Vec<(Instant, String)>>>;

/// What each test page answers: ok, 404, 410, redirects, flaky 503s, 429s,
/// 405 or 404 on HEAD only, or ok after `slow`.
async fn answer(request: Request, hits: Hits, log: Log, slow: Duration) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    log.lock()
        .unwrap()
        .push((Instant::now(), format!("request {method} {path}")));
    let seen = {
        let mut hits = hits.lock().unwrap();
        let n = hits.entry(format!("{method} {path}")).or_default();
        *n += 1;
        // Per path, all methods: how often this page was asked for.
        let p = hits.entry(format!("ANY {path}")).or_default();
        *p += 1;
        *p
    };
    let (status, headers): (u16, &[(&str, &str)]) = match request.uri().path() {
        "/ok" | "/page" | "/new" => (200, &[]),
        "/missing" => (404, &[]),
        "/gone" => (410, &[]),
        "/old" => (301, &[("location", "/new")]),
        "/old308" => (308, &[("location", "/new")]),
        "/temp" => (302, &[("location", "/ok")]),
        "/chain" => (301, &[("location", "/temp")]),
        "/moved-to-404" => (301, &[("location", "/missing")]),
        "/loop" => (302, &[("location", "/loop")]),
        "/flaky" if seen == 1 => (503, &[("retry-after", "0")]),
        "/pause" if seen == 1 => (429, &[("retry-after", "1")]),
        "/pause" => (200, &[]),
        "/flaky" => (200, &[]),
        "/down" => (503, &[]),
        "/ratelimited" => (429, &[("retry-after", "3600")]),
        "/nohead" if method == "HEAD" => (405, &[]),
        "/nohead" => (200, &[]),
        "/forbidden" => (403, &[]),
        "/head404" if method == "HEAD" => (404, &[]),
        "/head404" => (200, &[]),
        "/slow" => {
            tokio::time::sleep(slow).await;
            (200, &[])
        }
        _ => (404, &[]),
    };
    log.lock()
        .unwrap()
        .push((Instant::now(), format!("answer {status} {method} {path}")));
    let body = if status == 200 && method == "GET" {
        "ok"
    } else {
        ""
    };
    reply(status, headers, body)
}

/// Web options for tests: tiny timeouts and backoff, test hosts on loopback.
pub fn web_options(timeout: Duration) -> WebOptions {
    let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
    WebOptions {
        timeout,
        max_retries: 2,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_wait: Duration::from_secs(1),
        resolve: ["web.test", "fast.test", "slow.test", "other.test"]
            .iter()
            .map(|h| ((*h).to_owned(), loopback))
            .collect(),
        ..WebOptions::default()
    }
}

/// GitHub client settings against a stand-in: tiny backoff, optional token and cache.
pub fn github_config(
    standin: &github_standin::Standin,
    token: Option<&str>,
    cache: Option<&std::path::Path>,
) -> archmanual_github::Config {
    archmanual_github::Config {
        api_url: standin.api_url(),
        graphql_url: standin.graphql_url(),
        token: token.map(Into::into),
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        secondary_min_wait: Duration::from_millis(1),
        max_wait: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        cache_path: cache.map(std::path::Path::to_path_buf),
        ..archmanual_github::Config::default()
    }
}

/// A client that must never be asked (no GitHub links).
pub fn unused_github() -> archmanual_github::Client {
    archmanual_github::Client::new(archmanual_github::Config {
        api_url: "http://unused.invalid".into(),
        graphql_url: "http://unused.invalid/graphql".into(),
        ..archmanual_github::Config::default()
    })
    .unwrap()
}

/// Links, each written once in `book/page.md` on its own line.
pub fn links(urls: &[String]) -> Vec<CollectedLink> {
    urls.iter()
        .enumerate()
        .map(|(i, url)| CollectedLink {
            url: url.clone(),
            occurrences: vec![Occurrence {
                file: "book/page.md".into(),
                line: i + 1,
                column: 3,
            }],
        })
        .collect()
}

/// One run (rotted after `rot_after` broken runs, however close together);
/// returns the report and the URLs in the order they finished.
pub fn run(
    links: &[CollectedLink],
    config: &LinkrotConfig,
    web: &Arc<WebChecker>,
    github: &archmanual_github::Client,
    state: &mut State,
    rot_after: u32,
) -> (Report, Vec<String>) {
    let options = Options {
        rule: RotRule {
            runs: rot_after,
            min_days: 0,
        },
        ..Options::default()
    };
    let mut order = Vec::new();
    let report = check_blocking(
        links,
        config,
        Arc::clone(web),
        github,
        state,
        &options,
        &mut |p| {
            if let Progress::Link { url, .. } = p {
                order.push(url.to_owned());
            }
        },
    )
    .unwrap();
    (report, order)
}

/// The report's entry for `url`.
pub fn entry<'a>(report: &'a Report, url: &str) -> &'a archmanual_linkrot::LinkReport {
    report
        .links
        .iter()
        .find(|l| l.url == url)
        .unwrap_or_else(|| panic!("{url} not in the report"))
}

pub fn socket(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}
