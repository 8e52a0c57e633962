//! The client against the loopback stand-in: batching, classification of
//! answers, retries, rate limits, the cache, the token's secrecy, and
//! posting pull-request reviews.

mod breaker;
mod cache;
mod graphql;
mod rest;
mod review;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use archmanual_github::{Config, RepoKey};
use github_standin::Standin;

pub(crate) const TOKEN: &str = "ghp_TESTSECRET_0123456789";

pub(crate) fn config(standin: &Standin, token: bool) -> Config {
    Config {
        api_url: standin.api_url(),
        graphql_url: standin.graphql_url(),
        token: token.then(|| TOKEN.into()),
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        secondary_min_wait: Duration::from_millis(1),
        max_wait: Duration::from_secs(5),
        timeout: Duration::from_secs(5),
        ..Config::default()
    }
}

pub(crate) fn keys(slugs: &[&str]) -> Vec<RepoKey> {
    slugs.iter().map(|s| RepoKey::parse(s).unwrap()).collect()
}

pub(crate) fn fixed_clock() -> impl Fn() -> SystemTime + Send + Sync + 'static {
    || UNIX_EPOCH + Duration::from_secs(1_795_737_600)
}
