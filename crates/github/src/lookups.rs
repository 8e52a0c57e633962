//! Results of a lookup and how they fold into the committed snapshot.

use std::collections::{BTreeMap, BTreeSet};

use archmanual_github_snapshot::{OwnerEntry, RepoMeta, Snapshot, SnapshotEntry};

use crate::{RepoKey, Targets};

/// What GitHub said about one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoStatus {
    /// It exists under the name asked for (case aside). Archived/disabled
    /// are flags on the metadata.
    Found(RepoMeta),
    /// It exists under a new name (renamed or transferred).
    Renamed {
        /// The current `owner/name`.
        new: RepoKey,
        /// Its metadata.
        meta: RepoMeta,
    },
    /// It does not exist or is private.
    Missing,
    /// Access is blocked (HTTP 451, e.g. DMCA).
    Blocked {
        /// GitHub's reason.
        reason: String,
    },
    /// Not known: rate limit used up, network failure, retries exhausted.
    /// Never a reason to call a link broken.
    Unknown {
        /// Why (for humans; contains no token).
        reason: String,
    },
}

impl RepoStatus {
    /// The metadata, for found and renamed repositories.
    pub fn meta(&self) -> Option<&RepoMeta> {
        match self {
            RepoStatus::Found(meta) | RepoStatus::Renamed { meta, .. } => Some(meta),
            _ => None,
        }
    }

    /// True if the repository exists and is archived.
    pub fn is_archived(&self) -> bool {
        self.meta().is_some_and(|m| m.archived)
    }

    /// True if the repository exists and is disabled.
    pub fn is_disabled(&self) -> bool {
        self.meta().is_some_and(|m| m.disabled)
    }

    /// True unless the status is [`RepoStatus::Unknown`].
    pub fn is_known(&self) -> bool {
        !matches!(self, RepoStatus::Unknown { .. })
    }

    /// The status a snapshot/cache entry stands for, seen from `key`.
    pub(crate) fn from_entry(key: &str, entry: &SnapshotEntry) -> RepoStatus {
        match entry {
            SnapshotEntry::Found(meta) => RepoStatus::from_meta(key, meta.clone()),
            SnapshotEntry::Missing { .. } => RepoStatus::Missing,
            SnapshotEntry::Blocked { reason, .. } => RepoStatus::Blocked {
                reason: reason.clone(),
            },
        }
    }

    /// Found or renamed, depending on whether `meta` has the name asked for.
    pub(crate) fn from_meta(requested: &str, meta: RepoMeta) -> RepoStatus {
        match meta.renamed_from(requested).and_then(RepoKey::parse) {
            Some(new) => RepoStatus::Renamed { new, meta },
            None => RepoStatus::Found(meta),
        }
    }

    /// The snapshot entry for this status; `None` for unknown.
    pub(crate) fn to_entry(&self, fetched_at: &str) -> Option<SnapshotEntry> {
        match self {
            RepoStatus::Found(meta) | RepoStatus::Renamed { meta, .. } => {
                Some(SnapshotEntry::Found(meta.clone()))
            }
            RepoStatus::Missing => Some(SnapshotEntry::Missing {
                fetched_at: fetched_at.to_owned(),
            }),
            RepoStatus::Blocked { reason } => Some(SnapshotEntry::Blocked {
                reason: reason.clone(),
                fetched_at: fetched_at.to_owned(),
            }),
            RepoStatus::Unknown { .. } => None,
        }
    }
}

/// What GitHub said about one owner page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerStatus {
    /// The user or organisation exists.
    Found {
        /// Canonical login.
        login: String,
        /// Profile URL.
        url: String,
    },
    /// No such account.
    Missing,
    /// Not known (see [`RepoStatus::Unknown`]).
    Unknown {
        /// Why.
        reason: String,
    },
}

impl OwnerStatus {
    pub(crate) fn from_entry(entry: &OwnerEntry) -> OwnerStatus {
        match entry {
            OwnerEntry::Found { login, url, .. } => OwnerStatus::Found {
                login: login.clone(),
                url: url.clone(),
            },
            OwnerEntry::Missing { .. } => OwnerStatus::Missing,
        }
    }

    pub(crate) fn to_entry(&self, fetched_at: &str) -> Option<OwnerEntry> {
        match self {
            OwnerStatus::Found { login, url } => Some(OwnerEntry::Found {
                login: login.clone(),
                url: url.clone(),
                fetched_at: fetched_at.to_owned(),
            }),
            OwnerStatus::Missing => Some(OwnerEntry::Missing {
                fetched_at: fetched_at.to_owned(),
            }),
            OwnerStatus::Unknown { .. } => None,
        }
    }
}

/// The results of one lookup call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lookups {
    /// Per repository, keyed by lower-cased `owner/name` ([`RepoKey::key`]).
    pub repos: BTreeMap<String, RepoStatus>,
    /// Per owner, keyed by lower-cased login.
    pub owners: BTreeMap<String, OwnerStatus>,
    /// When the lookup ran, RFC 3339.
    pub fetched_at: String,
}

impl Lookups {
    /// The status of `key` (any casing).
    pub fn repo(&self, key: &RepoKey) -> Option<&RepoStatus> {
        self.repos.get(key.key())
    }

    /// How many repositories and owners ended up unknown.
    pub fn unknown_count(&self) -> usize {
        self.repos.values().filter(|s| !s.is_known()).count()
            + self
                .owners
                .values()
                .filter(|s| matches!(s, OwnerStatus::Unknown { .. }))
                .count()
    }
}

/// What [`update_snapshot`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotChanges {
    /// Entries added or changed (stars, flags, name…), ignoring `fetched_at`.
    pub changed: usize,
    /// Entries whose content stayed the same (their `fetched_at` moves on).
    pub unchanged: usize,
    /// Keys left as they were because the lookup was unknown.
    pub kept_unknown: Vec<String>,
    /// Keys removed because the book no longer links them.
    pub removed: Vec<String>,
}

/// Folds `lookups` into `snapshot`. Unknown results keep the previous entry
/// (a failed refresh never erases knowledge). With `keep_only`, entries for
/// repositories and owners not in it are removed.
pub fn update_snapshot(
    snapshot: &mut Snapshot,
    lookups: &Lookups,
    keep_only: Option<&Targets>,
) -> SnapshotChanges {
    let mut changes = SnapshotChanges::default();
    for (key, status) in &lookups.repos {
        match status.to_entry(&lookups.fetched_at) {
            Some(entry) => {
                let same = snapshot
                    .repos
                    .get(key)
                    .is_some_and(|old| same_ignoring_time(old, &entry));
                if same {
                    changes.unchanged += 1;
                } else {
                    changes.changed += 1;
                }
                snapshot.repos.insert(key.clone(), entry);
            }
            None => changes.kept_unknown.push(key.clone()),
        }
    }
    for (login, status) in &lookups.owners {
        match status.to_entry(&lookups.fetched_at) {
            Some(entry) => {
                snapshot.owners.insert(login.clone(), entry);
            }
            None => changes.kept_unknown.push(login.clone()),
        }
    }
    if let Some(targets) = keep_only {
        let repos: BTreeSet<&str> = targets.repos.iter().map(RepoKey::key).collect();
        let owners: BTreeSet<&str> = targets.owners.iter().map(String::as_str).collect();
        snapshot.repos.retain(|k, _| {
            let keep = repos.contains(k.as_str());
            if !keep {
                changes.removed.push(k.clone());
            }
            keep
        });
        snapshot.owners.retain(|k, _| {
            let keep = owners.contains(k.as_str());
            if !keep {
                changes.removed.push(k.clone());
            }
            keep
        });
    }
    changes
}

fn same_ignoring_time(a: &SnapshotEntry, b: &SnapshotEntry) -> bool {
    match (a, b) {
        (SnapshotEntry::Found(x), SnapshotEntry::Found(y)) => {
            let mut x = x.clone();
            x.fetched_at.clone_from(&y.fetched_at);
            x == *y
        }
        (SnapshotEntry::Missing { .. }, SnapshotEntry::Missing { .. }) => true,
        (SnapshotEntry::Blocked { reason: r1, .. }, SnapshotEntry::Blocked { reason: r2, .. }) => {
            r1 == r2
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(name: &str, stars: u64) -> RepoStatus {
        RepoStatus::Found(RepoMeta::new(name, stars, "t1"))
    }

    #[test]
    fn unknown_keeps_old_entries_and_prune_removes_unlinked() {
        let mut snap = Snapshot::default();
        snap.insert_repo("a/a", SnapshotEntry::Found(RepoMeta::new("a/a", 1, "t0")));
        snap.insert_repo("b/b", SnapshotEntry::Found(RepoMeta::new("b/b", 2, "t0")));
        snap.insert_repo(
            "old/gone",
            SnapshotEntry::Found(RepoMeta::new("old/gone", 3, "t0")),
        );
        let mut lookups = Lookups {
            fetched_at: "t1".into(),
            ..Lookups::default()
        };
        lookups.repos.insert("a/a".into(), found("a/a", 1));
        lookups.repos.insert(
            "b/b".into(),
            RepoStatus::Unknown {
                reason: "rate limit".into(),
            },
        );
        lookups.repos.insert("c/c".into(), RepoStatus::Missing);
        let targets = Targets::from_urls([
            "https://github.com/a/a",
            "https://github.com/b/b",
            "https://github.com/c/c",
        ]);
        let changes = update_snapshot(&mut snap, &lookups, Some(&targets));
        assert_eq!(changes.unchanged, 1);
        assert_eq!(changes.changed, 1);
        assert_eq!(changes.kept_unknown, ["b/b"]);
        assert_eq!(changes.removed, ["old/gone"]);
        assert_eq!(snap.stars("b/b"), Some(2), "unknown must not erase");
        assert_eq!(
            snap.repo("a/a")
                .and_then(SnapshotEntry::meta)
                .unwrap()
                .fetched_at,
            "t1"
        );
        assert!(matches!(
            snap.repo("c/c"),
            Some(SnapshotEntry::Missing { .. })
        ));
    }

    #[test]
    fn renamed_status_comes_from_the_name() {
        let meta = RepoMeta::new("new/name", 5, "t");
        assert!(matches!(
            RepoStatus::from_meta("old/name", meta.clone()),
            RepoStatus::Renamed { ref new, .. } if new.key() == "new/name"
        ));
        assert!(matches!(
            RepoStatus::from_meta("NEW/Name", meta),
            RepoStatus::Found(_)
        ));
    }
}
