//! Dead API hosts and the circuit breaker; how many requests are in flight.

use std::time::Duration;

use archmanual_github::{Client, Config, OwnerStatus, RepoKey, RepoStatus};
use github_standin::{Blackhole, Fault, Standin, StandinConfig, World, closed_port};

use crate::{TOKEN, config, keys};

/// Settings against a dead API: short timeouts, tiny backoff.
fn dead_config(api: &str, token: bool) -> Config {
    Config {
        api_url: api.to_owned(),
        graphql_url: format!("{api}/graphql"),
        token: token.then(|| TOKEN.into()),
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        timeout: Duration::from_millis(300),
        connect_timeout: Duration::from_millis(300),
        ..Config::default()
    }
}

#[test]
fn a_dead_api_host_costs_a_few_attempts_then_every_lookup_is_unknown_at_once() {
    let repos: Vec<RepoKey> = World::generated(400)
        .repo_names()
        .iter()
        .map(|n| RepoKey::parse(n).unwrap())
        .collect();
    let owners = vec!["apache".to_owned()];
    let blackhole = Blackhole::start();
    let refused = format!("http://127.0.0.1:{}", closed_port());
    for token in [false, true] {
        for (api, answers_nothing) in [(refused.clone(), false), (blackhole.url(), true)] {
            let before = blackhole.requests();
            let client = Client::new(dead_config(&api, token)).unwrap();
            let l = client.lookup_blocking(&repos, &owners).unwrap();
            let what = format!("token: {token}, {api}");
            assert_eq!(l.unknown_count(), 401, "{what}");
            let mut reasons = std::collections::BTreeSet::new();
            for status in l.repos.values() {
                if let RepoStatus::Unknown { reason } = status {
                    reasons.insert(reason.clone());
                }
            }
            if let OwnerStatus::Unknown { reason } = &l.owners["apache"] {
                reasons.insert(reason.clone());
            }
            assert_eq!(reasons.len(), 1, "one reason for all ({what}): {reasons:?}");
            let reason = reasons.first().unwrap();
            assert!(
                reason.starts_with("GitHub API unreachable: "),
                "{what}: {reason}"
            );
            assert!(
                reason.contains(if answers_nothing {
                    "timed out"
                } else {
                    "refused"
                }),
                "{what}: {reason}"
            );
            assert!(!reason.contains(TOKEN));
            // Three failures in a row open the breaker; nothing is sent after.
            assert_eq!(client.stats().requests, 3, "{what}");
            if answers_nothing {
                assert_eq!(blackhole.requests() - before, 3, "counted at the server");
            }
        }
    }
}

#[test]
fn a_success_closes_the_breaker() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let client = Client::new(Config {
        timeout: Duration::from_millis(200),
        // Every new request after an open may try again.
        breaker_cooldown: Duration::ZERO,
        // No answers from the in-memory cache: every lookup asks.
        cache_ttl: Duration::ZERO,
        ..config(&standin, false)
    })
    .unwrap();
    let kafka = keys(&["apache/kafka"]);
    let slow = || Fault::Delay(Duration::from_millis(600));
    standin.push_faults([slow(), slow(), slow()]);
    let l = client.lookup_blocking(&kafka, &[]).unwrap();
    match &l.repos["apache/kafka"] {
        RepoStatus::Unknown { reason } => {
            assert!(reason.starts_with("GitHub API unreachable"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // The host answers again: found, and the count starts afresh.
    let l = client.lookup_blocking(&kafka, &[]).unwrap();
    assert!(matches!(l.repos["apache/kafka"], RepoStatus::Found(_)));
    // Two more timeouts stay under the threshold: the third try works.
    standin.push_faults([slow(), slow()]);
    let l = client.lookup_blocking(&kafka, &[]).unwrap();
    assert!(
        matches!(l.repos["apache/kafka"], RepoStatus::Found(_)),
        "{l:?}"
    );
}

#[test]
fn with_one_token_requests_are_serial_unless_configured() {
    let world = World::generated(400);
    let repos: Vec<RepoKey> = world
        .repo_names()
        .iter()
        .map(|n| RepoKey::parse(n).unwrap())
        .collect();
    let sc = StandinConfig {
        latency: Duration::from_millis(100),
        ..StandinConfig::default()
    };
    assert_eq!(Config::default().concurrency, 1);
    let standin = Standin::start(sc.clone(), world.clone());
    let client = Client::new(config(&standin, true)).unwrap();
    let l = client.lookup_blocking(&repos, &[]).unwrap();
    assert_eq!((l.unknown_count(), standin.graphql_requests()), (0, 4));
    assert_eq!(standin.max_in_flight(), 1);
    let standin = Standin::start(sc, world);
    let client = Client::new(Config {
        concurrency: 4,
        ..config(&standin, true)
    })
    .unwrap();
    let l = client.lookup_blocking(&repos, &[]).unwrap();
    assert_eq!(l.unknown_count(), 0);
    assert!(standin.max_in_flight() > 1, "{}", standin.max_in_flight());
}
