//! The request dispatcher: counts and logs every request, injects faults,
//! then routes to GraphQL, the pull-request review endpoints or REST lookups.

use std::hash::{Hash, Hasher};
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::{State, faults, graphql, rest, reviews};

/// Answers one request.
pub(crate) async fn handle(state: &State, req: Request<Incoming>) -> Answer {
    let n = state.counters.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    if let Ok(mut log) = state.log.lock() {
        log.push(match query.as_str() {
            "" => format!("{method} {path}"),
            q => format!("{method} {path}?{q}"),
        });
    }
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
    if let Some(injected) = faults::inject(state, n, authorization.as_deref()).await {
        return injected;
    }
    if path == "/graphql" && method == hyper::Method::POST {
        return graphql::graphql(state, authorization.as_deref(), &body);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let ["repos", owner, name, "pulls", rest @ ..] = segments.as_slice() {
        let request = reviews::PullRequest {
            method: &method,
            repo: format!("{owner}/{name}"),
            rest,
            query: &query,
            authorization: authorization.as_deref(),
            body: &body,
        };
        return reviews::handle(state, &request);
    }
    if method != hyper::Method::GET {
        return answer(404, &[], &json!({ "message": "Not Found" }));
    }
    rest::rest(state, &path, if_none_match.as_deref())
}

/// A complete response.
pub(crate) type Answer = Response<Full<Bytes>>;

/// A JSON answer with these headers.
pub(crate) fn answer(status: u16, headers: &[(&str, String)], body: &Value) -> Answer {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json; charset=utf-8");
    for (k, v) in headers {
        builder = builder.header(*k, v.as_str());
    }
    // 204 and 304 carry no body.
    let bytes = if matches!(status, 204 | 304) {
        Bytes::new()
    } else {
        Bytes::from(body.to_string())
    };
    builder
        .body(Full::new(bytes))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Seconds since the Unix epoch, for `x-ratelimit-reset`.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub(crate) fn hash(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}
