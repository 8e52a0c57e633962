//! Dead hosts: a server that never answers, and a port that refuses.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

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
