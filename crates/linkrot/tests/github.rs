//! GitHub links through the GitHub client against the loopback stand-in:
//! statuses, rate limits without a token, the cache, injected faults.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use archmanual_github::Client;
use archmanual_linkrot::{LinkKind, LinkrotConfig, Progress, Report, State, Status, WebChecker};
use common::{entry, github_config, links, run, web_options};
use github_standin::{Standin, StandinConfig, StandinRepo, World};

const TOKEN: &str = "ghp_linkrot_secret_token_123";

fn urls() -> Vec<String> {
    [
        "https://github.com/apache/kafka",
        "https://github.com/coreos/etcd",
        "https://github.com/archived/old",
        "https://github.com/disabled/repo",
        "https://github.com/nobody/missing",
        "https://github.com/apache",
        "https://github.com/no-such-owner-x",
        "https://github.com/apache/kafka/issues/1",
        "https://github.com/coreos/etcd/blob/main/README.md#build",
        "https://gist.github.com/someone/abc123",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn web() -> Arc<WebChecker> {
    Arc::new(WebChecker::new(web_options(Duration::from_millis(500))).unwrap())
}

fn statuses(report: &Report) -> BTreeMap<String, (Status, Option<String>)> {
    report
        .links
        .iter()
        .map(|l| (l.url.clone(), (l.status, l.canonical.clone())))
        .collect()
}

#[test]
fn github_statuses_with_a_token() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let client = Client::new(github_config(&standin, Some(TOKEN), None)).unwrap();
    let mut state = State::new();
    let (report, order) = run(
        &links(&urls()),
        &LinkrotConfig::default(),
        &web(),
        &client,
        &mut state,
        3,
    );
    assert_eq!(order.len(), urls().len());

    let kafka = entry(&report, "https://github.com/apache/kafka");
    assert_eq!(
        (kafka.kind, kafka.status),
        (LinkKind::GithubRepo, Status::Ok)
    );
    assert_eq!(
        (kafka.repo.as_deref(), kafka.stars),
        (Some("apache/kafka"), Some(31_234))
    );

    let renamed = entry(&report, "https://github.com/coreos/etcd");
    assert_eq!(renamed.status, Status::Moved);
    assert_eq!(
        renamed.canonical.as_deref(),
        Some("https://github.com/etcd-io/etcd")
    );
    let blob = entry(
        &report,
        "https://github.com/coreos/etcd/blob/main/README.md#build",
    );
    assert_eq!(
        (blob.kind, blob.status),
        (LinkKind::GithubOther, Status::Moved)
    );
    assert_eq!(
        blob.canonical.as_deref(),
        Some("https://github.com/etcd-io/etcd/blob/main/README.md#build")
    );

    let archived = entry(&report, "https://github.com/archived/old");
    assert_eq!(
        (archived.status, archived.stars),
        (Status::Archived, Some(1_200))
    );
    assert_eq!(
        entry(&report, "https://github.com/disabled/repo").status,
        Status::Broken
    );
    let missing = entry(&report, "https://github.com/nobody/missing");
    assert_eq!(missing.status, Status::Broken);
    assert!(
        missing
            .detail
            .as_deref()
            .unwrap()
            .contains("does not exist")
    );

    let owner = entry(&report, "https://github.com/apache");
    assert_eq!(
        (owner.kind, owner.status),
        (LinkKind::GithubOwner, Status::Ok)
    );
    assert_eq!(
        entry(&report, "https://github.com/no-such-owner-x").status,
        Status::Broken
    );
    let issue = entry(&report, "https://github.com/apache/kafka/issues/1");
    assert_eq!(
        (issue.kind, issue.status),
        (LinkKind::GithubOther, Status::Ok)
    );
    let gist = entry(&report, "https://gist.github.com/someone/abc123");
    assert_eq!(
        (gist.kind, gist.status),
        (LinkKind::GithubOther, Status::Skipped)
    );

    // Every repository and owner in one batched GraphQL request.
    assert_eq!(standin.requests(), 1);
    assert_eq!(standin.rest_requests(), 0);
}

#[test]
fn rate_limited_run_without_a_token_reports_unknown_links_as_unreachable() {
    let mut world = World::new();
    for i in 0..6 {
        world = world.with_repo(StandinRepo::new(&format!("org/repo{i}"), 10 + i));
    }
    let world = world.with_blocked("dmca/blocked");
    // Budget for 3 REST calls only.
    let standin = Standin::start(
        StandinConfig {
            rest_limit: 3,
            ..StandinConfig::default()
        },
        world,
    );
    let client = Client::new(github_config(&standin, None, None)).unwrap();
    let mut urls: Vec<String> = (0..6)
        .map(|i| format!("https://github.com/org/repo{i}"))
        .collect();
    urls.insert(0, "https://github.com/dmca/blocked".into());
    let mut state = State::new();
    let (report, _) = run(
        &links(&urls),
        &LinkrotConfig::default(),
        &web(),
        &client,
        &mut state,
        1,
    );

    let count = |s: Status| report.links.iter().filter(|l| l.status == s).count();
    // Blocked (451) sorts first and is answered within the budget.
    assert_eq!(
        entry(&report, "https://github.com/dmca/blocked").status,
        Status::Broken
    );
    assert_eq!(count(Status::Ok), 2);
    assert_eq!(count(Status::Unreachable), 4, "{report:#?}");
    assert_eq!(
        count(Status::Broken),
        1,
        "only the blocked repository is broken"
    );
    for l in report
        .links
        .iter()
        .filter(|l| l.status == Status::Unreachable)
    {
        assert!(!l.rotted);
        assert!(l.detail.as_deref().unwrap().contains("GitHub"), "{l:?}");
    }
    // No GraphQL without a token; REST stopped when the budget ran out.
    assert_eq!(standin.graphql_requests(), 0);
    assert!(standin.rest_requests() <= 4, "{}", standin.rest_requests());
}

#[test]
fn rerun_within_the_cache_ttl_makes_no_github_requests() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("github-cache.json");
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let first = {
        let client = Client::new(github_config(&standin, Some(TOKEN), Some(&cache))).unwrap();
        let mut state = State::new();
        let (report, _) = run(
            &links(&urls()),
            &LinkrotConfig::default(),
            &web(),
            &client,
            &mut state,
            3,
        );
        client.save_cache().unwrap();
        report
    };
    let before = standin.requests();
    assert!(before >= 1);
    // A new process: a new client reading the same cache file.
    let client = Client::new(github_config(&standin, Some(TOKEN), Some(&cache))).unwrap();
    let mut state = State::new();
    let (second, _) = run(
        &links(&urls()),
        &LinkrotConfig::default(),
        &web(),
        &client,
        &mut state,
        3,
    );
    assert_eq!(standin.requests(), before, "no API request within the TTL");
    assert_eq!(statuses(&second), statuses(&first));
    // The token is in no file we wrote.
    let cache_text = std::fs::read_to_string(&cache).unwrap();
    assert!(!cache_text.contains(TOKEN));
    assert!(!second.to_json().contains(TOKEN));
}

#[test]
fn injected_faults_do_not_change_the_statuses() {
    let mut world = World::sample();
    for i in 0..60 {
        world = world.with_repo(StandinRepo::new(&format!("org{}/repo{i}", i % 7), i));
    }
    let mut urls = urls();
    urls.extend((0..60).map(|i| format!("https://github.com/org{}/repo{i}", i % 7)));
    // Owners too, so batches mix both kinds.
    urls.extend((0..7).map(|i| format!("https://github.com/org{i}")));

    let run_against = |config: StandinConfig| {
        let standin = Standin::start(config, world.clone());
        let mut github = github_config(&standin, Some(TOKEN), None);
        // Small batches: many requests, so the periodic faults hit.
        github.batch_size = 5;
        github.max_retries = 8;
        let client = Client::new(github).unwrap();
        let mut state = State::new();
        let (report, _) = run(
            &links(&urls),
            &LinkrotConfig::default(),
            &web(),
            &client,
            &mut state,
            3,
        );
        (report, standin.faults(), standin.requests())
    };
    let (clean, clean_faults, _) = run_against(StandinConfig::default());
    let (faulty, faults, requests) = run_against(StandinConfig {
        fail_every: 5,
        secondary_every: 7,
        retry_after_secs: Some(0),
        ..StandinConfig::default()
    });
    assert_eq!(clean_faults, 0);
    assert!(faults >= 3, "faults were injected: {faults} of {requests}");
    assert_eq!(statuses(&faulty), statuses(&clean));
    assert_eq!(faulty.summary, clean.summary);
    assert_eq!(clean.summary.unreachable, 0, "{:#?}", clean.summary);
}

#[test]
fn github_lookups_report_their_progress() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let client = Client::new(github_config(&standin, Some(TOKEN), None)).unwrap();
    let mut state = State::new();
    let mut github_events = Vec::new();
    let mut links_done = 0;
    archmanual_linkrot::check_blocking(
        &links(&urls()),
        &LinkrotConfig::default(),
        web(),
        &client,
        &mut state,
        &archmanual_linkrot::Options::default(),
        &mut |p| match p {
            Progress::Github { done, total } => github_events.push((done, total)),
            Progress::Link { done, .. } => links_done = done,
        },
    )
    .unwrap();
    assert_eq!(links_done, urls().len());
    // 5 distinct repositories (issue and blob links share theirs) and 2 owners.
    assert_eq!(github_events.last(), Some(&(7, 7)), "{github_events:?}");
}
