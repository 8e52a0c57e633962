//! REST without a token: classification, ETags, the hourly budget, redirects.

use std::time::Duration;

use archmanual_github::{Client, OwnerStatus, RepoKey, RepoStatus};
use github_standin::{Fault, Standin, StandinConfig, World};

use crate::{config, keys};

#[test]
fn rest_without_token_classifies_and_uses_etags() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(&standin, false);
    c.cache_path = Some(dir.path().join("cache.json"));
    c.cache_ttl = Duration::ZERO; // always stale: revalidate with ETags
    let client = Client::new(c.clone()).unwrap();
    let repos = keys(&[
        "apache/kafka",
        "coreos/etcd",
        "nobody/nothing",
        "dmca/blocked",
    ]);
    let owners = vec!["apache".to_owned(), "ghost-owner".to_owned()];
    let l = client.lookup_blocking(&repos, &owners).unwrap();
    assert!(matches!(l.repos["apache/kafka"], RepoStatus::Found(ref m) if m.stars == 31_234));
    match &l.repos["coreos/etcd"] {
        RepoStatus::Renamed { new, .. } => assert_eq!(new.key(), "etcd-io/etcd"),
        other => panic!("{other:?}"),
    }
    assert_eq!(l.repos["nobody/nothing"], RepoStatus::Missing);
    assert!(
        matches!(l.repos["dmca/blocked"], RepoStatus::Blocked { ref reason } if reason == "dmca")
    );
    assert!(matches!(l.owners["apache"], OwnerStatus::Found { .. }));
    assert_eq!(l.owners["ghost-owner"], OwnerStatus::Missing);
    // 4 repos + 1 redirect target + 2 owners.
    assert_eq!(standin.rest_requests(), 7);
    assert_eq!(standin.graphql_requests(), 0);
    client.save_cache().unwrap();

    // Second run: kafka answers 304 (free) and keeps its data.
    let client = Client::new(c.clone()).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(matches!(l.repos["apache/kafka"], RepoStatus::Found(ref m) if m.stars == 31_234));
    assert_eq!(standin.not_modified(), 1);
    assert_eq!(client.stats().not_modified, 1);

    // A change on GitHub changes the ETag: a full answer again.
    standin.update_repo("apache/kafka", |r| r.stars = 40_000);
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(matches!(l.repos["apache/kafka"], RepoStatus::Found(ref m) if m.stars == 40_000));
    assert_eq!(standin.not_modified(), 1);
}

#[test]
fn rest_budget_used_up_stops_and_reports_unknown() {
    let sc = StandinConfig {
        rest_limit: 2,
        ..StandinConfig::default()
    };
    let world = World::generated(5);
    let names = world.repo_names();
    let standin = Standin::start(sc, world);
    let client = Client::new(config(&standin, false)).unwrap();
    let repos: Vec<RepoKey> = names.iter().map(|n| RepoKey::parse(n).unwrap()).collect();
    let l = client.lookup_blocking(&repos, &[]).unwrap();
    let found = l
        .repos
        .values()
        .filter(|s| matches!(s, RepoStatus::Found(_)))
        .count();
    assert_eq!(found, 2);
    assert_eq!(l.unknown_count(), 3);
    assert!(
        !l.repos.values().any(|s| *s == RepoStatus::Missing),
        "never missing"
    );
    let reason = l
        .repos
        .values()
        .find_map(|s| match s {
            RepoStatus::Unknown { reason } => Some(reason.clone()),
            _ => None,
        })
        .unwrap();
    assert!(reason.contains("GITHUB_TOKEN"), "{reason}");
    // The second answer said `remaining: 0`: the rest were not even asked.
    assert_eq!(standin.rest_requests(), 2);
}

#[test]
fn rest_primary_rate_limit_with_a_near_reset_is_waited_out() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    standin.push_faults([Fault::PrimaryRateLimit(0)]);
    let client = Client::new(config(&standin, false)).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(
        matches!(l.repos["apache/kafka"], RepoStatus::Found(_)),
        "{l:?}"
    );
    assert_eq!(client.stats().rate_limit_waits, 1);
}

#[test]
fn a_redirect_to_a_look_alike_host_is_not_followed() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    // Starts with the API's URL as text; its host is evil.invalid.
    let look_alike = format!("{}@evil.invalid/repositories/1000", standin.api_url());
    standin.push_faults([Fault::Redirect(look_alike)]);
    let client = Client::new(config(&standin, false)).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    match &l.repos["apache/kafka"] {
        RepoStatus::Unknown { reason } => {
            assert!(
                reason.contains("redirect outside the configured API"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(standin.requests(), 1, "the look-alike was not asked");
    // The same redirect within the API's origin is followed.
    standin.push_faults([Fault::Redirect(format!(
        "{}/repositories/1000",
        standin.api_url()
    ))]);
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(
        matches!(l.repos["apache/kafka"], RepoStatus::Found(_)),
        "{l:?}"
    );
}
