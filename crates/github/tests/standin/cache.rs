//! The cache, the snapshot, and what never leaks into them (the token, faults).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use archmanual_github::snapshot::{Snapshot, SnapshotEntry};
use archmanual_github::{Client, RepoKey, RepoStatus, Targets, update_snapshot};
use github_standin::{Fault, Standin, StandinConfig, StandinRepo, World};

use crate::{TOKEN, config, fixed_clock, keys};

#[test]
fn cache_ttl_and_negative_results() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.json");
    let mut c = config(&standin, true);
    c.cache_path = Some(path.clone());
    let now = Arc::new(AtomicU64::new(1_795_737_600));
    let clock = {
        let now = Arc::clone(&now);
        move || UNIX_EPOCH + Duration::from_secs(now.load(Ordering::Relaxed))
    };
    let repos = keys(&["apache/kafka", "nobody/nothing"]);
    let client = Client::new(c.clone()).unwrap().with_clock(clock.clone());
    client.lookup_blocking(&repos, &[]).unwrap();
    client.save_cache().unwrap();
    assert_eq!(standin.requests(), 1);

    // Within the TTL (23 h later): everything from the cache, the missing repo too.
    now.fetch_add(23 * 3600, Ordering::Relaxed);
    let client = Client::new(c.clone()).unwrap().with_clock(clock.clone());
    let l = client.lookup_blocking(&repos, &[]).unwrap();
    assert_eq!(standin.requests(), 1);
    assert_eq!(client.stats().cache_hits, 2);
    assert_eq!(l.repos["nobody/nothing"], RepoStatus::Missing);
    assert!(matches!(l.repos["apache/kafka"], RepoStatus::Found(_)));

    // Past the TTL (25 h): asked again.
    now.fetch_add(2 * 3600, Ordering::Relaxed);
    let client = Client::new(c).unwrap().with_clock(clock);
    client.lookup_blocking(&repos, &[]).unwrap();
    assert_eq!(standin.requests(), 2);
    assert_eq!(client.stats().cache_hits, 0);
}

#[test]
fn unknown_results_are_not_cached() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    standin.push_faults(vec![Fault::Status(503); 3]);
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(&standin, true);
    c.cache_path = Some(dir.path().join("cache.json"));
    c.max_retries = 2;
    let client = Client::new(c.clone()).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(!l.repos["apache/kafka"].is_known());
    client.save_cache().unwrap();
    let client = Client::new(c).unwrap();
    let l = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    assert!(matches!(l.repos["apache/kafka"], RepoStatus::Found(_)));
    assert_eq!(client.stats().cache_hits, 0);
}

#[test]
fn token_never_reaches_results_cache_or_snapshot() {
    let sc = StandinConfig {
        token: Some("other".into()),
        ..StandinConfig::default()
    };
    let standin = Standin::start(sc, World::sample());
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(&standin, true);
    c.cache_path = Some(dir.path().join("cache.json"));
    let client = Client::new(c.clone()).unwrap();
    // A 401 (unknown) run and a good run.
    let bad = client
        .lookup_blocking(&keys(&["apache/kafka"]), &[])
        .unwrap();
    let standin2 = Standin::start(StandinConfig::default(), World::sample());
    c.api_url = standin2.api_url();
    c.graphql_url = standin2.graphql_url();
    let client2 = Client::new(c).unwrap();
    let good = client2
        .lookup_blocking(&keys(&["apache/kafka", "coreos/etcd"]), &[])
        .unwrap();
    client2.save_cache().unwrap();
    let mut snap = Snapshot::default();
    update_snapshot(&mut snap, &good, None);
    let snap_path = dir.path().join("github-repos.json");
    snap.save(&snap_path).unwrap();
    let texts = [
        format!("{bad:?}"),
        format!("{good:?}"),
        format!("{client:?}"),
        format!("{client2:?}"),
        format!("{:?}", client.config()),
        std::fs::read_to_string(dir.path().join("cache.json")).unwrap(),
        std::fs::read_to_string(&snap_path).unwrap(),
    ];
    for text in texts {
        assert!(
            !text.contains(TOKEN) && !text.contains("TESTSECRET"),
            "{text}"
        );
    }
}

#[test]
fn faults_do_not_change_the_snapshot() {
    let world = World::generated(450).with_rename("old/name", "org1/repo1");
    let mut names = world.repo_names();
    names.push("old/name".into());
    names.push("nobody/nothing".into());
    let repos: Vec<RepoKey> = names.iter().map(|n| RepoKey::parse(n).unwrap()).collect();
    let run = |sc: StandinConfig| {
        let standin = Standin::start(sc, world.clone());
        let mut c = config(&standin, true);
        c.max_retries = 10;
        let client = Client::new(c).unwrap().with_clock(fixed_clock());
        let l = client.lookup_blocking(&repos, &[]).unwrap();
        let mut snap = Snapshot::default();
        update_snapshot(&mut snap, &l, None);
        (snap, standin.requests(), standin.faults())
    };
    let (clean, clean_requests, _) = run(StandinConfig::default());
    let faulty = StandinConfig {
        fail_every: 5,
        secondary_every: 7,
        ..StandinConfig::default()
    };
    let (noisy, _, faults) = run(faulty);
    assert!(faults > 0);
    assert_eq!(clean.repos.len(), 452);
    assert!(matches!(
        clean.repo("nobody/nothing"),
        Some(SnapshotEntry::Missing { .. })
    ));
    assert_eq!(clean.to_json(), noisy.to_json());
    // Cold refresh bound: ⌈N/100⌉ + 2.
    assert!(
        clean_requests <= 452u64.div_ceil(100) + 2,
        "{clean_requests}"
    );
}

#[test]
fn targets_fan_in_to_one_lookup_per_repo() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let client = Client::new(config(&standin, true)).unwrap();
    let t = Targets::from_urls([
        "https://github.com/apache/kafka",
        "https://github.com/Apache/Kafka.git",
        "https://github.com/apache/kafka/issues/9",
        "https://github.com/apache/kafka/blob/trunk/README.md",
        "https://github.com/apache",
    ]);
    let l = client.lookup_blocking(&t.repos, &t.owners).unwrap();
    assert_eq!(l.repos.len(), 1);
    assert_eq!(l.owners.len(), 1);
    assert_eq!(standin.requests(), 1);
}

#[test]
fn api_text_is_kept_verbatim_for_callers_to_escape() {
    let mut repo = StandinRepo::new("evil/repo", 5);
    repo.description = Some("<script>alert('x')</script> & \"q\"".into());
    let standin = Standin::start(StandinConfig::default(), World::new().with_repo(repo));
    let client = Client::new(config(&standin, true)).unwrap();
    let l = client.lookup_blocking(&keys(&["evil/repo"]), &[]).unwrap();
    let meta = l.repos["evil/repo"].meta().unwrap();
    assert_eq!(
        meta.description.as_deref(),
        Some("<script>alert('x')</script> & \"q\"")
    );
}
