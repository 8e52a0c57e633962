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
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A tiny HTTP/1.1 server on 127.0.0.1 (one request per connection).
pub struct WebServer {
    pub port: u16,
    hits: Arc<Mutex<BTreeMap<String, u32>>>,
    log: Log,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl WebServer {
    /// Starts the server; `slow` is how long `/slow` takes to answer.
    pub fn start(slow: Duration) -> WebServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits: Arc<Mutex<BTreeMap<String, u32>>> = Arc::default();
        let log: Log = Arc::default();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let thread_hits = Arc::clone(&hits);
        let thread_log = Arc::clone(&log);
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let hits = Arc::clone(&thread_hits);
                            let log = Arc::clone(&thread_log);
                            tokio::spawn(serve(stream, hits, log, slow));
                        }
                    }
                }
            });
        });
        WebServer {
            port,
            hits,
            log,
            shutdown: Some(tx),
            thread: Some(thread),
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

impl Drop for WebServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

type Log = Arc<Mutex<Vec<(Instant, String)>>>;

async fn serve(
    mut stream: tokio::net::TcpStream,
    hits: Arc<Mutex<BTreeMap<String, u32>>>,
    log: Log,
    slow: Duration,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf);
    let mut first = head.lines().next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_owned();
    let path = first.next().unwrap_or("").to_owned();
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
    let route = path.split('?').next().unwrap_or("");
    let (status, headers): (u16, Vec<(&str, String)>) = match route {
        "/ok" | "/page" | "/new" => (200, vec![]),
        "/missing" => (404, vec![]),
        "/gone" => (410, vec![]),
        "/old" => (301, vec![("location", "/new".into())]),
        "/old308" => (308, vec![("location", "/new".into())]),
        "/temp" => (302, vec![("location", "/ok".into())]),
        "/chain" => (301, vec![("location", "/temp".into())]),
        "/moved-to-404" => (301, vec![("location", "/missing".into())]),
        "/loop" => (302, vec![("location", "/loop".into())]),
        "/flaky" if seen == 1 => (503, vec![("retry-after", "0".into())]),
        "/pause" if seen == 1 => (429, vec![("retry-after", "1".into())]),
        "/pause" => (200, vec![]),
        "/flaky" => (200, vec![]),
        "/down" => (503, vec![]),
        "/ratelimited" => (429, vec![("retry-after", "3600".into())]),
        "/nohead" if method == "HEAD" => (405, vec![]),
        "/nohead" => (200, vec![]),
        "/forbidden" => (403, vec![]),
        "/head404" if method == "HEAD" => (404, vec![]),
        "/head404" => (200, vec![]),
        "/slow" => {
            tokio::time::sleep(slow).await;
            (200, vec![])
        }
        _ => (404, vec![]),
    };
    log.lock()
        .unwrap()
        .push((Instant::now(), format!("answer {status} {method} {path}")));
    let body = if status == 200 && method == "GET" {
        "ok"
    } else {
        ""
    };
    let mut response = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        response.push_str(&format!("{k}: {v}\r\n"));
    }
    response.push_str("\r\n");
    if method != "HEAD" {
        response.push_str(body);
    }
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
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
