//! The stand-in over raw HTTP/1.1 (no client library in between).

use std::io::{Read, Write};
use std::net::TcpStream;

use github_standin::{Standin, StandinConfig, World};

fn request(standin: &Standin, raw: &str) -> String {
    let addr = standin.api_url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

fn graphql(auth: Option<&str>) -> String {
    let body =
        r#"{"query":"query { r0: repository(owner: \"apache\", name: \"kafka\") { url } }"}"#;
    let auth = auth
        .map(|a| format!("authorization: {a}\r\n"))
        .unwrap_or_default();
    format!(
        "POST /graphql HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\n{auth}content-length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn graphql_needs_a_token() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let denied = request(&standin, &graphql(None));
    assert!(denied.starts_with("HTTP/1.1 401"), "{denied}");
    assert!(denied.contains("requires you to be authenticated"));
    let ok = request(&standin, &graphql(Some("bearer t")));
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains(r#""nameWithOwner":"apache/kafka""#), "{ok}");
    assert_eq!(standin.graphql_requests(), 2);
}

#[test]
fn rest_etag_304_and_rate_limit_headers() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let get = |extra: &str| {
        format!("GET /repos/apache/kafka HTTP/1.1\r\nhost: x\r\nconnection: close\r\n{extra}\r\n")
    };
    let first = request(&standin, &get(""));
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    assert!(first.contains("x-ratelimit-remaining: 59"), "{first}");
    let etag = first
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap()
        .to_owned();
    let second = request(&standin, &get(&format!("if-none-match: {etag}\r\n")));
    assert!(second.starts_with("HTTP/1.1 304"), "{second}");
    // A 304 does not use the budget.
    assert!(second.contains("x-ratelimit-remaining: 59"), "{second}");
    let moved = request(
        &standin,
        "GET /repos/coreos/etcd HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert!(moved.starts_with("HTTP/1.1 301"), "{moved}");
    assert!(moved.contains("/repositories/"), "{moved}");
    let missing = request(
        &standin,
        "GET /repos/no/such HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
}
