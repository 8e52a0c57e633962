//! A blocking HTTP/1.1 client for loopback servers under test (`archmanual
//! serve`, the stand-ins), on hyper's client.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// Longer than any answer a test waits for (a build of a fixture book).
const TIMEOUT: Duration = Duration::from_secs(60);

/// An answer: status, headers (names in lower case, in order) and body.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// `(name, value)` pairs, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, decoded as UTF-8 (lossily).
    pub body: String,
}

impl Reply {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `GET url`.
///
/// # Panics
///
/// When the URL is invalid, the server cannot be reached or does not answer
/// within a minute.
#[track_caller]
pub fn get(url: &str) -> Reply {
    send("GET", url, &[], "")
}

/// A request with `method`, `headers` and `body` (sent when not empty).
///
/// # Panics
///
/// As [`get`]; also for an invalid method or header.
#[track_caller]
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut request = hyper::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap_or_else(|e| panic!("invalid request {method} {url}: {e}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    runtime
        .block_on(async {
            let client = Client::builder(TokioExecutor::new()).build_http();
            let response = tokio::time::timeout(TIMEOUT, client.request(request))
                .await
                .map_err(|_| "no answer within a minute".to_owned())?
                .map_err(|e| e.to_string())?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = tokio::time::timeout(TIMEOUT, response.into_body().collect())
                .await
                .map_err(|_| "the body did not end within a minute".to_owned())?
                .map_err(|e| e.to_string())?
                .to_bytes();
            Ok::<_, String>(Reply {
                status,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            })
        })
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}
