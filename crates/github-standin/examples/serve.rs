//! Serves the stand-in for manual tries of `archmanual refresh` without GitHub.
//!
//! `cargo run -p github-standin --example serve -- REPOS_FILE [SECONDS]`
//! REPOS_FILE has one `owner/name` per line; each gets deterministic,
//! obviously fake star counts. Prints the environment to export, serves on
//! 127.0.0.1 for SECONDS (default 60), then stops.
#![allow(clippy::print_stdout, reason = "an example binary reports on stdout")]

use std::time::Duration;

use github_standin::{Standin, StandinConfig, StandinRepo, World};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(file) = args.next() else {
        println!("usage: serve REPOS_FILE [SECONDS]");
        std::process::exit(2);
    };
    let seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    let text = std::fs::read_to_string(&file).expect("read the repository list");
    let mut world = World::new();
    for (i, name) in text
        .lines()
        .map(str::trim)
        .filter(|l| l.contains('/'))
        .enumerate()
    {
        world = world.with_repo(StandinRepo::new(name, (i as u64 * 7_919) % 100_000));
    }
    let standin = Standin::start(StandinConfig::default(), world);
    println!("export GITHUB_API_URL={}", standin.api_url());
    println!("export GITHUB_GRAPHQL_URL={}", standin.graphql_url());
    println!("export GITHUB_TOKEN=standin");
    std::thread::sleep(Duration::from_secs(seconds));
    println!("served {} requests", standin.requests());
}
