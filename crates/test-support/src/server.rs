//! Loopback HTTP servers on hyper: [`Server`] answers with a handler,
//! [`StaticServer`] serves a directory (a built book) the way a browser
//! needs it.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::Bytes;

/// A request as a handler sees it: method, URI and headers (the tests'
/// servers never read a body).
pub type Request = hyper::Request<()>;

/// A handler's answer; build it with [`reply`].
pub type Response = hyper::Response<Full<Bytes>>;

/// An answer with `status`, `headers` and `body`.
///
/// # Panics
///
/// When `status` or a header is not valid HTTP (a bug in the test).
pub fn reply(status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Response {
    let mut builder = hyper::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Full::new(body.into()))
        .unwrap_or_else(|e| panic!("invalid response {status} {headers:?}: {e}"))
}

/// An HTTP/1.1 server on `127.0.0.1` (a free port) on its own thread: each
/// request goes to the handler. One request per connection, as every stand-in
/// here has always answered (`Connection: close`). Stops when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts the server; `handler` may wait (e.g. `tokio::time::sleep` for a
    /// slow page) without holding up other requests.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound.
    pub fn start<H, F>(handler: H) -> Self
    where
        H: Fn(Request) -> F + Send + Sync + 'static,
        F: Future<Output = Response> + Send + 'static,
    {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let handler = Arc::new(handler);
        let (shutdown, mut stop) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    tokio::select! {
                        _ = &mut stop => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            tokio::spawn(connection(stream, Arc::clone(&handler)));
                        }
                    }
                }
            });
        });
        Self {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn base(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn connection<H, F>(stream: tokio::net::TcpStream, handler: Arc<H>)
where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = Response> + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
        let (parts, _body) = request.into_parts();
        let answer = handler(Request::from_parts(parts, ()));
        async move { Ok::<_, Infallible>(answer.await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

/// One file a [`StaticServer`] answered: the request's path (without the
/// query) and the bytes of the body it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The path as requested, e.g. `/pagefind/pagefind.js`.
    pub path: String,
    /// Bytes of the body (0 for a 404).
    pub bytes: u64,
}

/// Serves the files under a directory on `127.0.0.1` with the content types
/// a browser needs (`.wasm` as `application/wasm`, scripts and styles as
/// such, Pagefind's `.pf_*` and `.pagefind` files as bytes) and
/// `Cache-Control: no-store`; a directory serves its `index.html`. Stops
/// when dropped.
#[derive(Debug)]
pub struct StaticServer {
    server: Server,
    base: String,
    log: Arc<Mutex<Vec<Served>>>,
}

impl StaticServer {
    /// Starts serving `root`.
    pub fn start(root: &Path) -> Self {
        let root = Arc::new(root.to_path_buf());
        let log: Arc<Mutex<Vec<Served>>> = Arc::default();
        let server_log = Arc::clone(&log);
        let server = Server::start(move |request| {
            let answer = serve_file(&root, &request, &server_log);
            async move { answer }
        });
        let base = server.base();
        Self { server, base, log }
    }

    /// `http://127.0.0.1:PORT/`: append a path relative to the root.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// Every file answered since the start or the last call, in order; the
    /// log is emptied.
    pub fn take_log(&self) -> Vec<Served> {
        std::mem::take(&mut *self.log.lock().expect("log lock"))
    }
}

fn serve_file(root: &Path, request: &Request, log: &Mutex<Vec<Served>>) -> Response {
    let path = request.uri().path();
    let file = file_of(root, path);
    let answer = std::fs::read(&file).ok();
    let bytes = answer.as_ref().map_or(0, Vec::len);
    log.lock().expect("log lock").push(Served {
        path: path.to_owned(),
        bytes: bytes as u64,
    });
    match answer {
        Some(body) => reply(
            200,
            &[
                ("content-type", content_type(&file)),
                ("cache-control", "no-store"),
            ],
            body,
        ),
        None => reply(404, &[("content-type", "text/plain")], "not found"),
    }
}

/// The file under `root` for a request path: percent-decoded, `.` and `..`
/// dropped (nothing outside `root` is served), `index.html` for a directory.
fn file_of(root: &Path, path: &str) -> PathBuf {
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut file = root.to_path_buf();
    for part in path
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
    {
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        // Streaming compilation of WebAssembly requires this type.
        "wasm" => "application/wasm",
        // Pagefind's gzipped index chunks and its WebAssembly module
        // (`wasm.<lang>.pagefind`): read as bytes by its own script.
        _ => "application/octet-stream",
    }
}
