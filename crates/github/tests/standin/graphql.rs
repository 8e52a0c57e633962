//! GraphQL: batching, classification of every answer, retries, splits, rate limits.

use std::time::Duration;

use archmanual_github::{Client, Config, OwnerStatus, RepoKey, RepoStatus};
use github_standin::{Fault, Standin, StandinConfig, World};

use crate::{TOKEN, config, keys};

#[test]
fn graphql_classifies_every_answer() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let client = Client::new(config(&standin, true)).unwrap();
    let repos = keys(&[
        "Apache/Kafka",
        "coreos/etcd",
        "archived/old",
        "disabled/repo",
        "nobody/nothing",
        "ETCD-IO/etcd",
    ]);
    let owners = vec!["apache".to_owned(), "no-such-owner".to_owned()];
    let l = client.lookup_blocking(&repos, &owners).unwrap();
    assert_eq!(
        standin.graphql_requests(),
        1,
        "one batch for 6 repos and 2 owners"
    );
    match &l.repos["apache/kafka"] {
        RepoStatus::Found(m) => {
            assert_eq!(m.stars, 31_234);
            assert_eq!(m.name_with_owner, "apache/kafka");
            assert_eq!(m.license.as_deref(), Some("Apache-2.0"));
            assert_eq!(m.latest_release.as_deref(), Some("v1.0.0"));
        }
        other => panic!("{other:?}"),
    }
    match &l.repos["coreos/etcd"] {
        RepoStatus::Renamed { new, meta } => {
            assert_eq!(new.key(), "etcd-io/etcd");
            assert_eq!(meta.stars, 48_000);
        }
        other => panic!("{other:?}"),
    }
    // Case-only difference is not a rename.
    assert!(matches!(l.repos["etcd-io/etcd"], RepoStatus::Found(_)));
    assert!(l.repos["archived/old"].is_archived());
    assert!(l.repos["disabled/repo"].is_disabled());
    assert_eq!(l.repos["nobody/nothing"], RepoStatus::Missing);
    assert!(matches!(l.owners["apache"], OwnerStatus::Found { .. }));
    assert_eq!(l.owners["no-such-owner"], OwnerStatus::Missing);
    assert_eq!(l.unknown_count(), 0);
    // The token went in the Authorization header and nowhere else.
    assert_eq!(standin.authorizations(), [format!("Bearer {TOKEN}")]);
}

#[test]
fn graphql_without_valid_token_is_unknown_not_missing() {
    let sc = StandinConfig {
        token: Some("the-right-one".into()),
        ..StandinConfig::default()
    };
    let standin = Standin::start(sc, World::sample());
    let client = Client::new(config(&standin, true)).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka", "nobody/nothing"]), &[])
        .unwrap();
    for status in l.repos.values() {
        match status {
            RepoStatus::Unknown { reason } => {
                assert!(reason.contains("401"), "{reason}");
                assert!(!reason.contains(TOKEN));
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(client.stats().retries, 0, "401 is not retried");
}

#[test]
fn one_give_up_stops_every_batch() {
    let sc = StandinConfig {
        token: Some("the-right-one".into()),
        ..StandinConfig::default()
    };
    let world = World::generated(350);
    let names = world.repo_names();
    let standin = Standin::start(sc, world);
    let client = Client::new(Config {
        concurrency: 1,
        ..config(&standin, true)
    })
    .unwrap();
    let repos: Vec<RepoKey> = names.iter().map(|n| RepoKey::parse(n).unwrap()).collect();
    let l = client.lookup_blocking(&repos, &[]).unwrap();
    assert_eq!(l.unknown_count(), 350);
    assert_eq!(standin.requests(), 1, "the other 3 batches were not sent");
}

#[test]
fn batches_hold_at_most_100_lookups() {
    let world = World::generated(250);
    let names = world.repo_names();
    let standin = Standin::start(StandinConfig::default(), world);
    let client = Client::new(config(&standin, true)).unwrap();
    let repos: Vec<RepoKey> = names.iter().map(|n| RepoKey::parse(n).unwrap()).collect();
    let l = client.lookup_blocking(&repos, &[]).unwrap();
    assert_eq!(l.repos.len(), 250);
    assert!(l.repos.values().all(|s| matches!(s, RepoStatus::Found(_))));
    assert_eq!(standin.requests(), 3);
    assert_eq!(client.stats().requests, 3);
}

#[test]
fn batch_502_is_split_and_5xx_retried() {
    let world = World::generated(40);
    let names = world.repo_names();
    let standin = Standin::start(StandinConfig::default(), world);
    standin.push_faults([Fault::Status(502), Fault::Status(500), Fault::Status(504)]);
    let client = Client::new(config(&standin, true)).unwrap();
    let repos: Vec<RepoKey> = names.iter().map(|n| RepoKey::parse(n).unwrap()).collect();
    let l = client.lookup_blocking(&repos, &[]).unwrap();
    assert!(
        l.repos.values().all(|s| matches!(s, RepoStatus::Found(_))),
        "{l:?}"
    );
    let stats = client.stats();
    assert_eq!(stats.splits, 2, "502 and 504 split; 500 is retried");
    assert_eq!(stats.retries, 1);
}

#[test]
fn retries_give_up_as_unknown() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    standin.push_faults(vec![Fault::Status(503); 10]);
    let mut c = config(&standin, true);
    c.max_retries = 2;
    let client = Client::new(c).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    match &l.repos["apache/kafka"] {
        RepoStatus::Unknown { reason } => assert!(reason.contains("503"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(standin.requests(), 3, "first try + 2 retries");
}

#[test]
fn timeouts_are_retried() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    standin.push_faults([Fault::Delay(Duration::from_millis(800))]);
    let mut c = config(&standin, true);
    c.timeout = Duration::from_millis(200);
    let client = Client::new(c).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(
        matches!(l.repos["apache/kafka"], RepoStatus::Found(_)),
        "{l:?}"
    );
    assert_eq!(client.stats().retries, 1);
}

#[test]
fn secondary_rate_limit_honours_retry_after() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    standin.push_faults([Fault::SecondaryRateLimit(Some(1))]);
    let client = Client::new(config(&standin, true)).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(matches!(l.repos["apache/kafka"], RepoStatus::Found(_)));
    let stats = client.stats();
    assert_eq!(stats.rate_limit_waits, 1);
    assert!(stats.waited_ms >= 1000, "waited {} ms", stats.waited_ms);
}

#[test]
fn rate_limit_wait_beyond_the_cap_gives_up() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    standin.push_faults([Fault::SecondaryRateLimit(Some(3600))]);
    let client = Client::new(config(&standin, true)).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    match &l.repos["apache/kafka"] {
        RepoStatus::Unknown { reason } => assert!(reason.contains("3600s"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(client.stats().waited_ms, 0);
}

#[test]
fn graphql_primary_rate_limit_waits_for_the_reset_or_gives_up() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    standin.push_faults([Fault::GraphqlRateLimited(0)]);
    let client = Client::new(config(&standin, true)).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(
        matches!(l.repos["apache/kafka"], RepoStatus::Found(_)),
        "{l:?}"
    );
    assert_eq!(client.stats().rate_limit_waits, 1);

    standin.push_faults([Fault::GraphqlRateLimited(3600)]);
    let client = Client::new(config(&standin, true)).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    match &l.repos["apache/kafka"] {
        RepoStatus::Unknown { reason } => assert!(reason.contains("x-ratelimit-reset"), "{reason}"),
        other => panic!("{other:?}"),
    }
}
