//! The N-consecutive rule over several runs, with the state file on disk.

mod common;

use std::sync::Arc;
use std::time::Duration;

use archmanual_linkrot::{
    LinkrotConfig, Options, RotRule, State, Status, WebChecker, check_blocking,
};
use common::{WebServer, entry, links, unused_github, web_options};
use time::macros::datetime;

#[test]
fn links_rot_only_after_n_consecutive_broken_runs() {
    let server = WebServer::start(Duration::from_secs(10));
    let missing = server.url("web.test", "/missing");
    let down = server.url("web.test", "/down");
    let ok = server.url("web.test", "/ok");
    let nxdomain = "https://gone-for-good.invalid/".to_owned();
    let links = links(&[missing.clone(), down.clone(), ok.clone(), nxdomain.clone()]);
    let mut options = web_options(Duration::from_secs(3));
    options.max_retries = 1;
    let web = Arc::new(WebChecker::new(options).unwrap());
    let github = unused_github();
    let dir = tempfile::tempdir().unwrap();
    let state_path = dir.path().join("state/linkrot-state.json");

    let days = [
        datetime!(2026-11-06 03:00 UTC),
        datetime!(2026-11-13 03:00 UTC),
        datetime!(2026-11-20 03:00 UTC),
        datetime!(2026-11-27 03:00 UTC),
    ];
    let mut rotted_per_run = Vec::new();
    for (run, now) in days.iter().enumerate() {
        // Each run is a new process: the history comes from the file.
        let mut state = State::load(&state_path).unwrap();
        assert_eq!(state.runs, run as u64);
        let options = Options {
            rule: RotRule::default(),
            now: *now,
        };
        let report = check_blocking(
            &links,
            &LinkrotConfig::default(),
            Arc::clone(&web),
            &github,
            &mut state,
            &options,
            &mut |_| {},
        )
        .unwrap();
        state.save(&state_path).unwrap();

        assert_eq!(entry(&report, &missing).status, Status::Broken);
        assert_eq!(entry(&report, &nxdomain).status, Status::Broken);
        assert_eq!(entry(&report, &down).status, Status::Unreachable);
        assert_eq!(entry(&report, &ok).status, Status::Ok);
        // Transient failures never rot, however often they happen.
        assert!(!entry(&report, &down).rotted);
        assert!(!entry(&report, &ok).rotted);
        assert_eq!(
            entry(&report, &missing).failing_since.as_deref(),
            Some("2026-11-06T03:00:00Z")
        );
        rotted_per_run.push((
            entry(&report, &missing).rotted,
            entry(&report, &nxdomain).rotted,
            report.summary.rotted,
        ));
    }
    assert_eq!(
        rotted_per_run,
        [
            (false, false, 0),
            (false, false, 0),
            (true, true, 2),
            (true, true, 2)
        ]
    );
    let state = State::load(&state_path).unwrap();
    assert_eq!(state.links[&missing].consecutive_broken, 4);
    assert_eq!(state.links[&down].consecutive_broken, 0);
    assert_eq!(
        state.links[&ok].last_ok.as_deref(),
        Some("2026-11-27T03:00:00Z")
    );
}
