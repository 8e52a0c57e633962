//! The history of every link across runs (`--state FILE`).
//!
//! A link has **rotted** once it was `broken` in N consecutive runs. A run
//! where the link could not be checked (`unreachable`, `skipped`) is no
//! evidence either way: it neither extends nor ends the streak. Any other
//! status (`ok`, `moved`, `archived`: the target answers) ends it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Status};

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
    pub fn load(path: &Path) -> Result<State, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::new()),
            Err(e) => {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    message: format!("could not read the state file: {e}"),
                });
            }
        };
        let state: State = serde_json::from_str(&text).map_err(|e| Error::State {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        if state.version != 1 {
            return Err(Error::State {
                path: path.to_path_buf(),
                message: format!("unsupported version {}", state.version),
            });
        }
        Ok(state)
    }

    /// Writes the state file atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        text.push('\n');
        write_atomic(path, text.as_bytes())
    }

    /// Records this run's `status` of `url` at `now`; returns whether the
    /// link has rotted (`rot_after` consecutive broken runs) and since when
    /// it has been failing.
    pub fn record(
        &mut self,
        url: &str,
        status: Status,
        now: &str,
        rot_after: u32,
    ) -> (bool, Option<String>) {
        let entry = self
            .links
            .entry(url.to_owned())
            .or_insert_with(|| LinkHistory {
                consecutive_broken: 0,
                failing_since: None,
                last_status: status,
                last_checked: now.to_owned(),
                last_ok: None,
                recent: Vec::new(),
            });
        match status {
            Status::Broken => {
                entry.consecutive_broken += 1;
                if entry.failing_since.is_none() {
                    entry.failing_since = Some(now.to_owned());
                }
            }
            Status::Ok | Status::Moved | Status::Archived => {
                entry.consecutive_broken = 0;
                entry.failing_since = None;
                entry.last_ok = Some(now.to_owned());
            }
            Status::Unreachable | Status::Skipped => {}
        }
        entry.last_status = status;
        entry.last_checked = now.to_owned();
        entry.recent.push(status);
        if entry.recent.len() > RECENT_RUNS {
            let excess = entry.recent.len() - RECENT_RUNS;
            entry.recent.drain(..excess);
        }
        let rotted = entry.consecutive_broken >= rot_after.max(1)
            && matches!(status, Status::Broken | Status::Unreachable);
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

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        message: format!("could not write: {e}"),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rots_after_n_consecutive_broken_runs_and_unchecked_runs_do_not_reset() {
        let mut state = State::new();
        let url = "https://gone.example/";
        assert_eq!(
            state.record(url, Status::Broken, "d1", 3),
            (false, Some("d1".into()))
        );
        assert_eq!(
            state.record(url, Status::Unreachable, "d2", 3),
            (false, Some("d1".into()))
        );
        assert_eq!(
            state.record(url, Status::Broken, "d3", 3),
            (false, Some("d1".into()))
        );
        assert_eq!(
            state.record(url, Status::Broken, "d4", 3),
            (true, Some("d1".into()))
        );
        // A timeout after rotting keeps it rotted: no evidence it came back.
        assert_eq!(
            state.record(url, Status::Unreachable, "d5", 3),
            (true, Some("d1".into()))
        );
        // It answers again: the streak ends.
        assert_eq!(state.record(url, Status::Ok, "d6", 3), (false, None));
        assert_eq!(
            state.record(url, Status::Broken, "d7", 3),
            (false, Some("d7".into()))
        );
        let h = &state.links[url];
        assert_eq!(h.consecutive_broken, 1);
        assert_eq!(h.last_ok.as_deref(), Some("d6"));
        assert_eq!(h.recent.len(), 7);
    }

    #[test]
    fn round_trips_and_forgets_removed_links() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        let mut state = State::new();
        state.record("https://a/", Status::Broken, "d1", 3);
        state.record("https://b/", Status::Ok, "d1", 3);
        state.finish_run(&BTreeSet::from(["https://a/"]), "d1");
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
