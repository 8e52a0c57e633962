//! Cold refresh of many repositories against the loopback stand-in with
//! GitHub-like latency: lookups + snapshot update + atomic save.
//!
//! `cargo bench -p archmanual-github --bench refresh [-- REPOS LATENCY_MS RUNS]`
//! (defaults: 2000 repositories, 50 ms, 3 runs). Prints one line per
//! scenario with the best and median wall time and the request count.
#![allow(clippy::print_stdout, reason = "a bench binary reports on stdout")]

use std::time::{Duration, Instant};

use archmanual_github::snapshot::Snapshot;
use archmanual_github::{Client, Config, RepoKey, update_snapshot};
use github_standin::{Standin, StandinConfig, World};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let arg = |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let repos = usize::try_from(arg(0, 2_000)).unwrap_or(2_000);
    let latency = Duration::from_millis(arg(1, 50));
    let runs = arg(2, 3).max(1);
    let world = World::generated(repos);
    let keys: Vec<RepoKey> = world
        .repo_names()
        .iter()
        .filter_map(|n| RepoKey::parse(n))
        .collect();
    let dir = std::env::temp_dir().join(format!("archmanual-refresh-bench-{}", std::process::id()));
    let scenarios = [
        (
            "clean",
            StandinConfig {
                latency,
                ..StandinConfig::default()
            },
        ),
        (
            "faults (every 5th 502, every 7th secondary limit)",
            StandinConfig {
                latency,
                fail_every: 5,
                secondary_every: 7,
                ..StandinConfig::default()
            },
        ),
    ];
    println!(
        "cold refresh of {repos} repositories, stand-in latency {} ms, {runs} runs",
        latency.as_millis()
    );
    for (name, standin_config) in scenarios {
        let mut times = Vec::new();
        let mut requests = 0;
        for _ in 0..runs {
            let standin = Standin::start(standin_config.clone(), world.clone());
            let client = Client::new(Config {
                api_url: standin.api_url(),
                graphql_url: standin.graphql_url(),
                token: Some("bench-token".into()),
                backoff_base: Duration::from_millis(10),
                secondary_min_wait: Duration::from_millis(10),
                ..Config::default()
            })
            .expect("client");
            let started = Instant::now();
            let lookups = client.lookup_blocking(&keys, &[]).expect("lookup");
            let mut snapshot = Snapshot::default();
            update_snapshot(&mut snapshot, &lookups, None);
            snapshot
                .save(&dir.join("github-repos.json"))
                .expect("save snapshot");
            times.push(started.elapsed());
            requests = standin.requests();
            assert_eq!(lookups.unknown_count(), 0, "every lookup answered");
            assert_eq!(snapshot.repos.len(), repos);
        }
        times.sort();
        println!(
            "{name}: best {:.3} s, median {:.3} s, {requests} requests (bound ⌈N/100⌉+2 = {})",
            times[0].as_secs_f64(),
            times[times.len() / 2].as_secs_f64(),
            (repos as u64).div_ceil(100) + 2
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
