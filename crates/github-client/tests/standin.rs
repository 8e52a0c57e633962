//! The client against the loopback stand-in: batching, classification of
//! answers, retries, rate limits, the cache and the token's secrecy.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use archmanual_github::snapshot::{Snapshot, SnapshotEntry};
use archmanual_github::{
    Client, Config, OwnerStatus, RepoKey, RepoStatus, Targets, update_snapshot,
};
use github_standin::{Blackhole, Fault, Standin, StandinConfig, StandinRepo, World, closed_port};

const TOKEN: &str = "ghp_TESTSECRET_0123456789";

fn config(standin: &Standin, token: bool) -> Config {
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

fn keys(slugs: &[&str]) -> Vec<RepoKey> {
    slugs.iter().map(|s| RepoKey::parse(s).unwrap()).collect()
}

fn fixed_clock() -> impl Fn() -> SystemTime + Send + Sync + 'static {
    || UNIX_EPOCH + Duration::from_secs(1_795_737_600)
}

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
