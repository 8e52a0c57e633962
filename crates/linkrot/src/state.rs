//! The history of every link across runs (`--state FILE`).
//!
//! A link has **rotted** once it was `broken` in N consecutive runs that
//! span at least a minimum time ([`RotRule`]): three re-runs on one
//! afternoon say less than three weekly runs. A run where the link could
//! not be checked (`unreachable`, `skipped`) is no evidence either way: it
//! neither extends nor ends the streak. Any other status (`ok`, `moved`,
//! `archived`: the target answers) ends it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{LinkrotError, Status};

/// When a link counts as rotted: broken in `runs` consecutive runs, the
/// first and the latest at least `min_days` apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RotRule {
    /// Consecutive broken runs (`--rot-after`).
    pub runs: u32,
    /// Days from the first broken run of the streak to the latest (`--rot-min-days`).
    pub min_days: u32,
}

impl Default for RotRule {
    fn default() -> Self {
        RotRule {
            runs: 3,
            min_days: 7,
        }
    }
}

impl RotRule {
    /// "broken in 3 consecutive runs over at least 7 days".
    pub fn describe(&self) -> String {
        let runs = self.runs.max(1);
        let mut text = format!(
            "broken in {runs} consecutive run{}",
            if runs == 1 { "" } else { "s" }
        );
        if self.min_days > 0 {
            text.push_str(&format!(
                " over at least {} day{}",
                self.min_days,
                if self.min_days == 1 { "" } else { "s" }
            ));
        }
        text
    }

    /// Whether a streak of `runs` broken runs from `since` to `now` has rotted.
    fn rotted(&self, runs: u32, since: OffsetDateTime, now: OffsetDateTime) -> bool {
        runs >= self.runs.max(1) && now - since >= time::Duration::days(i64::from(self.min_days))
    }
}

/// RFC 3339, whole seconds, UTC: how times are written in the state and reports.
pub(crate) fn timestamp(now: OffsetDateTime) -> String {
    now.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(now)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// Runs of history kept per link.
const RECENT_RUNS: usize = 10;

/// The state file's content.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct State {
    /// Format version (1).
    pub version: u32,
    /// Number of runs recorded.
    pub runs: u64,
    /// When the last run happened (RFC 3339).
    pub last_run: Option<String>,
    /// Per URL.
    pub links: BTreeMap<String, LinkHistory>,
}

/// One link's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkHistory {
    /// Consecutive runs in which the link was `broken` (unchecked runs skipped).
    pub consecutive_broken: u32,
    /// When the current streak of `broken` runs began (RFC 3339).
    pub failing_since: Option<String>,
    /// The last run's status.
    pub last_status: Status,
    /// When the link was last checked (RFC 3339).
    pub last_checked: String,
    /// When the link last worked (`ok`, `moved` or `archived`).
    pub last_ok: Option<String>,
    /// The statuses of the most recent runs, oldest first.
    pub recent: Vec<Status>,
}

impl State {
    /// An empty history.
    pub fn new() -> State {
        State {
            version: 1,
            ..State::default()
        }
    }

    /// Reads the state file; an empty history when it does not exist.
    pub fn load(path: &Path) -> Result<State, LinkrotError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::new()),
            Err(source) => {
                return Err(LinkrotError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let state: State = serde_json::from_str(&text).map_err(|source| LinkrotError::State {
            path: path.to_path_buf(),
            source,
        })?;
        if state.version != 1 {
            return Err(LinkrotError::StateVersion {
                path: path.to_path_buf(),
                found: state.version,
            });
        }
        Ok(state)
    }

    /// Writes the state file atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<(), LinkrotError> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| LinkrotError::Write {
            path: path.to_path_buf(),
            source: e.into(),
        })?;
        text.push('\n');
        write_atomic(path, text.as_bytes())
    }

    /// Records this run's `status` of `url` at `now`; returns whether the
    /// link has rotted under `rule` and since when it has been failing.
    pub fn record(
        &mut self,
        url: &str,
        status: Status,
        now: OffsetDateTime,
        rule: RotRule,
    ) -> (bool, Option<String>) {
        let stamp = timestamp(now);
        let entry = self
            .links
            .entry(url.to_owned())
            .or_insert_with(|| LinkHistory {
                consecutive_broken: 0,
                failing_since: None,
                last_status: status,
                last_checked: stamp.clone(),
                last_ok: None,
                recent: Vec::new(),
            });
        // A start that does not parse (a hand-edited file) starts afresh.
        let since = entry
            .failing_since
            .as_deref()
            .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok());
        match status {
            Status::Broken => {
                entry.consecutive_broken += 1;
                if since.is_none() {
                    entry.failing_since = Some(stamp.clone());
                }
            }
            Status::Ok | Status::Moved | Status::Archived => {
                entry.consecutive_broken = 0;
                entry.failing_since = None;
                entry.last_ok = Some(stamp.clone());
            }
            Status::Unreachable | Status::Skipped => {}
        }
        entry.last_status = status;
        entry.last_checked = stamp;
        entry.recent.push(status);
        if entry.recent.len() > RECENT_RUNS {
            let excess = entry.recent.len() - RECENT_RUNS;
            entry.recent.drain(..excess);
        }
        let rotted = matches!(status, Status::Broken | Status::Unreachable)
            && entry.consecutive_broken > 0
            && rule.rotted(entry.consecutive_broken, since.unwrap_or(now), now);
        (rotted, entry.failing_since.clone())
    }

    /// Forgets links no longer in the book and counts the run.
    pub fn finish_run(&mut self, current: &BTreeSet<&str>, now: &str) {
        self.links.retain(|url, _| current.contains(url.as_str()));
        self.version = 1;
        self.runs += 1;
        self.last_run = Some(now.to_owned());
    }
}

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), LinkrotError> {
    archmanual_atomic_write::write_atomic(path, bytes).map_err(|source| LinkrotError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> OffsetDateTime {
        time::Date::from_calendar_date(2026, time::Month::November, d)
            .unwrap()
            .with_hms(3, 0, 0)
            .unwrap()
            .assume_utc()
    }

    const WEEKLY: RotRule = RotRule {
        runs: 3,
        min_days: 7,
    };

    #[test]
    fn rots_after_n_consecutive_broken_runs_and_unchecked_runs_do_not_reset() {
        let mut state = State::new();
        let url = "https://gone.example/";
        let since = Some("2026-11-01T03:00:00Z".to_owned());
        assert_eq!(
            state.record(url, Status::Broken, day(1), WEEKLY),
            (false, since.clone())
        );
        assert_eq!(
            state.record(url, Status::Unreachable, day(8), WEEKLY),
            (false, since.clone())
        );
        assert_eq!(
            state.record(url, Status::Broken, day(9), WEEKLY),
            (false, since.clone())
        );
        assert_eq!(
            state.record(url, Status::Broken, day(15), WEEKLY),
            (true, since.clone())
        );
        // A timeout after rotting keeps it rotted: no evidence it came back.
        assert_eq!(
            state.record(url, Status::Unreachable, day(22), WEEKLY),
            (true, since)
        );
        // It answers again: the streak ends.
        assert_eq!(
            state.record(url, Status::Ok, day(23), WEEKLY),
            (false, None)
        );
        assert_eq!(
            state.record(url, Status::Broken, day(24), WEEKLY),
            (false, Some("2026-11-24T03:00:00Z".into()))
        );
        let h = &state.links[url];
        assert_eq!(h.consecutive_broken, 1);
        assert_eq!(h.last_ok.as_deref(), Some("2026-11-23T03:00:00Z"));
        assert_eq!(h.recent.len(), 7);
    }

    #[test]
    fn rot_needs_time_as_well_as_runs() {
        let url = "https://down-for-an-hour.example/";
        // Three re-runs on one afternoon: enough runs, not enough time.
        let mut state = State::new();
        let afternoon = [
            day(6),
            day(6) + time::Duration::hours(1),
            day(6) + time::Duration::hours(2),
        ];
        for now in afternoon {
            assert!(!state.record(url, Status::Broken, now, WEEKLY).0);
        }
        // It keeps failing: rotted once the streak spans the minimum time.
        assert!(!state.record(url, Status::Broken, day(12), WEEKLY).0);
        assert!(state.record(url, Status::Broken, day(13), WEEKLY).0);
        // Enough time, too few runs.
        let mut state = State::new();
        assert!(!state.record(url, Status::Broken, day(1), WEEKLY).0);
        assert!(!state.record(url, Status::Broken, day(29), WEEKLY).0);
        // `min_days = 0`: runs alone decide.
        let mut state = State::new();
        let runs_only = RotRule {
            runs: 2,
            min_days: 0,
        };
        assert!(!state.record(url, Status::Broken, day(6), runs_only).0);
        assert!(state.record(url, Status::Broken, day(6), runs_only).0);
        assert_eq!(
            WEEKLY.describe(),
            "broken in 3 consecutive runs over at least 7 days"
        );
        assert_eq!(runs_only.describe(), "broken in 2 consecutive runs");
    }

    #[test]
    fn round_trips_and_forgets_removed_links() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        let mut state = State::new();
        state.record("https://a/", Status::Broken, day(1), WEEKLY);
        state.record("https://b/", Status::Ok, day(1), WEEKLY);
        state.finish_run(&BTreeSet::from(["https://a/"]), "2026-11-01T03:00:00Z");
        state.save(&path).unwrap();
        let loaded = State::load(&path).unwrap();
        assert_eq!(loaded, state);
        assert_eq!(loaded.links.keys().collect::<Vec<_>>(), ["https://a/"]);
        assert_eq!(loaded.runs, 1);
        std::fs::write(&path, "{\"nope\":1}").unwrap();
        let err = State::load(&path).unwrap_err().to_string();
        assert!(err.contains("not a link-rot state file"), "{err}");
        assert_eq!(
            State::load(&dir.path().join("missing.json")).unwrap(),
            State::new()
        );
    }
}
