//! The stand-in over plain HTTP/1.1 (hyper's client, none of our GitHub
//! client's policy in between).

use archmanual_test_support::{Reply, send};
use github_standin::{Standin, StandinConfig, World};

fn graphql(standin: &Standin, auth: Option<&str>) -> Reply {
    let body =
        r#"{"query":"query { r0: repository(owner: \"apache\", name: \"kafka\") { url } }"}"#;
    let mut headers = vec![("content-type", "application/json")];
    headers.extend(auth.map(|a| ("authorization", a)));
    send("POST", &standin.graphql_url(), &headers, body)
}

fn rest(standin: &Standin, path: &str, headers: &[(&str, &str)]) -> Reply {
    send("GET", &format!("{}{path}", standin.api_url()), headers, "")
}

#[test]
fn graphql_needs_a_token() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let denied = graphql(&standin, None);
    assert_eq!(denied.status, 401, "{denied:?}");
    assert!(denied.body.contains("requires you to be authenticated"));
    let ok = graphql(&standin, Some("bearer t"));
    assert_eq!(ok.status, 200, "{ok:?}");
    assert!(
        ok.body.contains(r#""nameWithOwner":"apache/kafka""#),
        "{ok:?}"
    );
    assert_eq!(standin.graphql_requests(), 2);
}

#[test]
fn rest_etag_304_and_rate_limit_headers() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let first = rest(&standin, "/repos/apache/kafka", &[]);
    assert_eq!(first.status, 200, "{first:?}");
    assert_eq!(
        first.header("x-ratelimit-remaining"),
        Some("59"),
        "{first:?}"
    );
    let etag = first.header("etag").unwrap().to_owned();
    let second = rest(&standin, "/repos/apache/kafka", &[("if-none-match", &etag)]);
    assert_eq!(second.status, 304, "{second:?}");
    // A 304 does not use the budget.
    assert_eq!(
        second.header("x-ratelimit-remaining"),
        Some("59"),
        "{second:?}"
    );
    let moved = rest(&standin, "/repos/coreos/etcd", &[]);
    assert_eq!(moved.status, 301, "{moved:?}");
    assert!(
        moved.header("location").unwrap().contains("/repositories/"),
        "{moved:?}"
    );
    let missing = rest(&standin, "/repos/no/such", &[]);
    assert_eq!(missing.status, 404, "{missing:?}");
}
