//! `archmanual serve`: the contributor's preview. Builds the book in-process
//! (our preprocessors and the search index, like `archmanual build`), serves
//! the output on 127.0.0.1, rebuilds when the sources change and reloads the
//! open pages.
//!
//! Reloading is a long poll: every served HTML page gets a small script that
//! asks `/__archmanual/reload?since=<build>`; the server answers when a newer
//! build is ready (or after a while, and the page asks again). The files on
//! disk stay exactly what `archmanual build` writes.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use archmanual_diagnostics::DiagnosticSink;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};

use super::build::{build_with_search, load};

/// Arguments of `archmanual serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The book's root directory (where book.toml is).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// The port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 3000)]
    port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    hostname: IpAddr,
    /// Open the book in the default web browser.
    #[arg(long)]
    open: bool,
    /// Write the output here instead of `[build] build-dir`.
    #[arg(long)]
    dest_dir: Option<PathBuf>,
}

/// The path of the reload endpoint.
const RELOAD_PATH: &str = "/__archmanual/reload";
/// How long a reload request waits before the page asks again.
const RELOAD_WAIT: Duration = Duration::from_secs(25);
/// Quiet time after a change before rebuilding (editors write in bursts).
const DEBOUNCE: Duration = Duration::from_millis(200);

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let root = args.book.clone();
    let dest = build_once(&root, args.dest_dir.as_deref())
        .context("the first build failed; fix the book and run `archmanual serve` again")?;

    let listener = std::net::TcpListener::bind(SocketAddr::new(args.hostname, args.port))
        .with_context(|| {
            format!(
                "cannot listen on {}:{}; pass another port with --port (0 picks a free one)",
                args.hostname, args.port
            )
        })?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    // Unique per process, so pages left open from an earlier run reload too.
    let first = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.as_millis() as u64);
    let (builds, _) = tokio::sync::watch::channel(first);
    let state = Arc::new(State {
        dest: dest.clone(),
        builds,
    });

    let server_state = Arc::clone(&state);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.spawn(async move {
        if let Err(e) = serve(listener, server_state).await {
            eprintln!("error: the server stopped: {e}");
        }
    });

    let url = format!("http://{addr}/");
    eprintln!("serving {} on {url} (Ctrl-C to stop)", dest.display());
    if args.open {
        open_browser(&url);
    }
    watch_and_rebuild(&root, args.dest_dir.as_deref(), &dest, &state)?;
    Ok(0)
}

/// Loads and builds the book with search; returns the directory of the
/// HTML (the build directory, or `build-dir/html` when the book has two
/// renderers, e.g. `[output.search]`), which is what is served.
fn build_once(root: &Path, dest: Option<&Path>) -> anyhow::Result<PathBuf> {
    let sink = DiagnosticSink::default();
    let (mut md, sources) = load(root, &sink)?;
    if let Some(dest) = dest {
        md.config.build.build_dir = dest.to_path_buf();
    }
    build_with_search(&mut md, &sources, &sink)
}

struct State {
    dest: PathBuf,
    /// The current build's id; bumped after every successful rebuild.
    builds: tokio::sync::watch::Sender<u64>,
}

/// Watches `book.toml`, the source directory and the theme directory;
/// rebuilds after each burst of changes. Returns only on a watcher error.
fn watch_and_rebuild(
    root: &Path,
    dest_arg: Option<&Path>,
    dest: &Path,
    state: &State,
) -> anyhow::Result<()> {
    use notify::{RecursiveMode, Watcher};

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .context("cannot watch the book's files")?;
    let (src, theme) = watched_dirs(root)?;
    // The root non-recursively: `book.toml`, even when an editor replaces it.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    watcher.watch(&src, RecursiveMode::Recursive)?;
    if theme.is_dir() {
        watcher.watch(&theme, RecursiveMode::Recursive)?;
    }
    let relevant = |event: &notify::Event| {
        use notify::EventKind;
        use notify::event::{AccessKind, AccessMode};
        let kind = matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Modify(_)
                | EventKind::Remove(_)
                | EventKind::Access(AccessKind::Close(AccessMode::Write))
        );
        kind && event.paths.iter().any(|p| {
            !p.starts_with(dest)
                && (p.starts_with(&src)
                    || p.starts_with(&theme)
                    || p.file_name().is_some_and(|n| n == "book.toml"))
        })
    };
    loop {
        let event = rx.recv().context("the file watcher stopped")?;
        let Ok(event) = event else { continue };
        if !relevant(&event) {
            continue;
        }
        let mut changed: Vec<PathBuf> = event.paths;
        // Let the burst settle.
        while let Ok(more) = rx.recv_timeout(DEBOUNCE) {
            if let Ok(e) = more
                && relevant(&e)
            {
                changed.extend(e.paths);
            }
        }
        changed.sort();
        changed.dedup();
        let names: Vec<String> = changed
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
            .collect();
        eprintln!("changed: {}; rebuilding", names.join(", "));
        match build_once(root, dest_arg) {
            Ok(_) => {
                state.builds.send_modify(|b| *b += 1);
                eprintln!("rebuilt; reloading open pages");
            }
            Err(e) => eprintln!("error: the rebuild failed, still serving the last build: {e:#}"),
        }
    }
}

/// The source and theme directories named by `book.toml` (absolute).
fn watched_dirs(root: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let config = mdbook_driver::config::Config::from_disk(root.join("book.toml"))
        .with_context(|| format!("cannot read {}", root.join("book.toml").display()))?;
    let theme = config
        .get::<PathBuf>("output.html.theme")
        .ok()
        .flatten()
        .unwrap_or_else(|| PathBuf::from("theme"));
    let root = std::path::absolute(root)?;
    Ok((root.join(&config.book.src), root.join(theme)))
}

async fn serve(listener: std::net::TcpListener, state: Arc<State>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let state = Arc::clone(&state);
                async move { Ok::<_, Infallible>(handle(&state, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(state: &State, req: Request<Incoming>) -> Response<Full<Bytes>> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "GET or HEAD only");
    }
    let path = req.uri().path();
    if path == RELOAD_PATH {
        return reload(state, req.uri().query().unwrap_or("")).await;
    }
    let Some(rel) = safe_path(path) else {
        return plain(StatusCode::BAD_REQUEST, "bad path");
    };
    let mut file = state.dest.join(&rel);
    if file.is_dir() {
        if !path.ends_with('/') {
            // Relative links in the page need the trailing slash.
            let location = format!("{path}/");
            return Response::builder()
                .status(StatusCode::MOVED_PERMANENTLY)
                .header("location", location)
                .body(Full::new(Bytes::new()))
                .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "redirect"));
        }
        file = file.join("index.html");
    }
    let build = *state.builds.borrow();
    match tokio::fs::read(&file).await {
        Ok(bytes) => file_response(StatusCode::OK, &file, bytes, build),
        Err(_) => match tokio::fs::read(state.dest.join("404.html")).await {
            Ok(bytes) => file_response(StatusCode::NOT_FOUND, Path::new("404.html"), bytes, build),
            Err(_) => plain(StatusCode::NOT_FOUND, "not found"),
        },
    }
}

/// Answers with the current build id once it differs from `since=` (or
/// after [`RELOAD_WAIT`]).
async fn reload(state: &State, query: &str) -> Response<Full<Bytes>> {
    let since: Option<u64> = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse().ok());
    let mut rx = state.builds.subscribe();
    if let Some(since) = since
        && *rx.borrow_and_update() == since
    {
        let _ = tokio::time::timeout(RELOAD_WAIT, rx.changed()).await;
    }
    let current = *rx.borrow();
    plain(StatusCode::OK, &current.to_string())
}

fn file_response(
    status: StatusCode,
    file: &Path,
    bytes: Vec<u8>,
    build: u64,
) -> Response<Full<Bytes>> {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let body = if ext == "html" {
        Bytes::from(with_reload_script(bytes, build))
    } else {
        Bytes::from(bytes)
    };
    Response::builder()
        .status(status)
        .header("content-type", content_type(ext))
        .header("cache-control", "no-cache")
        .body(Full::new(body))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "response"))
}

/// The page with the live-reload script before `</body>`.
fn with_reload_script(bytes: Vec<u8>, build: u64) -> Vec<u8> {
    let script = format!(
        r#"<script>
(function () {{
  var build = "{build}";
  function poll() {{
    fetch("{RELOAD_PATH}?since=" + build, {{ cache: "no-store" }})
      .then(function (r) {{ return r.text(); }})
      .then(function (t) {{ if (t.trim() !== build) {{ location.reload(); }} else {{ poll(); }} }})
      .catch(function () {{ setTimeout(poll, 1000); }});
  }}
  poll();
}})();
</script>
"#
    );
    let html = String::from_utf8_lossy(&bytes);
    match html.rfind("</body>") {
        Some(at) => {
            let mut out = String::with_capacity(html.len() + script.len());
            out.push_str(&html[..at]);
            out.push_str(&script);
            out.push_str(&html[at..]);
            out.into_bytes()
        }
        None => {
            let mut out = bytes;
            out.extend_from_slice(script.as_bytes());
            out
        }
    }
}

fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(text.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        "content-type",
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The request path as a relative file path, or `None` if it tries to leave
/// the output directory.
fn safe_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut out = PathBuf::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') || Path::new(p).components().count() != 1 => return None,
            p => match Path::new(p).components().next() {
                Some(Component::Normal(n)) => out.push(n),
                _ => return None,
            },
        }
    }
    Some(out)
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "wasm" => "application/wasm",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Opens `url` in the desktop's browser; says so if it cannot.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    // xdg-open tries one browser after another and prints each failure:
    // keep its output and say once, in our words, when none opened.
    let child = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let url = url.to_owned();
    match child {
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|status| status.success()) {
                    eprintln!("could not open a browser; open {url} yourself");
                }
            });
        }
        Err(_) => eprintln!("could not open a browser; open {url} yourself"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() {
        assert_eq!(
            safe_path("/backend/mq/index.html"),
            Some(PathBuf::from("backend/mq/index.html"))
        );
        assert_eq!(safe_path("/"), Some(PathBuf::new()));
        assert_eq!(
            safe_path("/%E4%B8%AD%E6%96%87.html"),
            Some(PathBuf::from("中文.html"))
        );
        assert_eq!(safe_path("/../etc/passwd"), None);
        assert_eq!(safe_path("/a/%2e%2e/%2e%2e/x"), None);
        assert_eq!(safe_path("/a/..%2F..%2Fx"), None);
    }

    #[test]
    fn reload_script_goes_before_the_body_end() {
        let out = String::from_utf8(with_reload_script(
            b"<html><body><p>x</p></body></html>".to_vec(),
            7,
        ))
        .unwrap();
        let script = out.find("__archmanual/reload").unwrap();
        assert!(script < out.rfind("</body>").unwrap());
        assert!(out.contains(r#"var build = "7";"#));
    }
}
