#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The schema version written into every snapshot.
pub const SCHEMA_VERSION: u32 = 1;

/// Where the snapshot lives, relative to the book's source directory.
pub const SNAPSHOT_FILE: &str = "github-repos.json";

/// Errors reading or writing a snapshot file.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The file could not be read.
    #[error("{path}: cannot read the GitHub snapshot")]
    Read {
        /// The snapshot file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file could not be written.
    #[error("{path}: cannot write the GitHub snapshot")]
    Write {
        /// The snapshot file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not a valid snapshot.
    #[error(
        "{path}:{line}:{column}: not a valid GitHub snapshot (run `archmanual refresh` to rewrite it)"
    )]
    Parse {
        /// The snapshot file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What serde said.
        source: serde_json::Error,
    },
    /// The file was written by a newer schema.
    #[error(
        "{path}: snapshot schema version {found} is not supported (this tool reads version {SCHEMA_VERSION}); update the toolchain or run `archmanual refresh`"
    )]
    UnsupportedVersion {
        /// The snapshot file.
        path: PathBuf,
        /// The version found in the file.
        found: u32,
    },
}

/// Metadata of one repository, as GitHub reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoMeta {
    /// Canonical `owner/name` (GitHub's casing, after renames).
    pub name_with_owner: String,
    /// Canonical web URL.
    pub url: String,
    /// Stargazer count.
    pub stars: u64,
    /// Archived (read-only, unmaintained).
    #[serde(default)]
    pub archived: bool,
    /// Disabled by GitHub.
    #[serde(default)]
    pub disabled: bool,
    /// A fork of another repository.
    #[serde(default)]
    pub fork: bool,
    /// The repository's description (untrusted text: escape before HTML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// SPDX id of the license, when GitHub detected one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Primary language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Last push, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_at: Option<String>,
    /// Tag of the latest release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_release: Option<String>,
    /// GitHub's numeric id (survives renames).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_id: Option<u64>,
    /// When this record was fetched, RFC 3339.
    pub fetched_at: String,
}

impl RepoMeta {
    /// A record with the canonical name, stars and fetch time; the URL is
    /// derived from the name, everything else is empty.
    pub fn new(name_with_owner: &str, stars: u64, fetched_at: &str) -> Self {
        RepoMeta {
            name_with_owner: name_with_owner.to_owned(),
            url: format!("https://github.com/{name_with_owner}"),
            stars,
            archived: false,
            disabled: false,
            fork: false,
            description: None,
            license: None,
            language: None,
            pushed_at: None,
            latest_release: None,
            database_id: None,
            fetched_at: fetched_at.to_owned(),
        }
    }

    /// The new `owner/name` if `requested` names this repository under an
    /// old name (compared case-insensitively; a case-only difference is not a
    /// rename).
    pub fn renamed_from(&self, requested: &str) -> Option<&str> {
        if self.name_with_owner.eq_ignore_ascii_case(requested) {
            None
        } else {
            Some(&self.name_with_owner)
        }
    }
}

/// What the snapshot knows about one repository key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SnapshotEntry {
    /// The repository exists (possibly under a new name).
    Found(RepoMeta),
    /// GitHub says it does not exist (or is private).
    Missing {
        /// When this was established, RFC 3339.
        fetched_at: String,
    },
    /// Access blocked (HTTP 451, e.g. DMCA).
    Blocked {
        /// GitHub's reason, if any.
        reason: String,
        /// When this was established, RFC 3339.
        fetched_at: String,
    },
}

impl SnapshotEntry {
    /// The metadata of a found repository.
    pub fn meta(&self) -> Option<&RepoMeta> {
        match self {
            SnapshotEntry::Found(meta) => Some(meta),
            _ => None,
        }
    }
}

/// What the snapshot knows about one owner (user or organisation) page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OwnerEntry {
    /// The account exists.
    Found {
        /// Canonical login.
        login: String,
        /// Profile URL.
        url: String,
        /// When this was established, RFC 3339.
        fetched_at: String,
    },
    /// No such account.
    Missing {
        /// When this was established, RFC 3339.
        fetched_at: String,
    },
}

/// The whole snapshot file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Schema version ([`SCHEMA_VERSION`]).
    pub version: u32,
    /// Repositories by lower-cased `owner/name`.
    #[serde(default)]
    pub repos: BTreeMap<String, SnapshotEntry>,
    /// Owner pages by lower-cased login.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub owners: BTreeMap<String, OwnerEntry>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            version: SCHEMA_VERSION,
            repos: BTreeMap::new(),
            owners: BTreeMap::new(),
        }
    }
}

impl Snapshot {
    /// Reads a snapshot file.
    pub fn load(path: &Path) -> Result<Snapshot, SnapshotError> {
        let text = std::fs::read_to_string(path).map_err(|source| SnapshotError::Read {
            path: path.to_owned(),
            source,
        })?;
        Snapshot::from_json(&text, path)
    }

    /// Reads a snapshot file; a file that does not exist is `Ok(None)`.
    pub fn load_optional(path: &Path) -> Result<Option<Snapshot>, SnapshotError> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            _ => Snapshot::load(path).map(Some),
        }
    }

    /// Parses snapshot JSON; `path` is only used in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<Snapshot, SnapshotError> {
        let parse_err = |e: serde_json::Error| SnapshotError::Parse {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            source: e,
        };
        // Check the version first so a newer schema gets a clear message
        // rather than a confusing field error.
        let value: serde_json::Value = serde_json::from_str(text).map_err(parse_err)?;
        let found = value.get("version").and_then(serde_json::Value::as_u64);
        if let Some(found) = found
            && found != u64::from(SCHEMA_VERSION)
        {
            return Err(SnapshotError::UnsupportedVersion {
                path: path.to_owned(),
                found: u32::try_from(found).unwrap_or(u32::MAX),
            });
        }
        serde_json::from_value(value).map_err(parse_err)
    }

    /// The stable JSON text: sorted keys, two-space indent, final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .unwrap_or_else(|_| unreachable!("snapshot types always serialize"));
        text.push('\n');
        text
    }

    /// Writes the snapshot atomically: a temporary file in the same
    /// directory, then a rename, so readers never see half a file.
    pub fn save(&self, path: &Path) -> Result<(), SnapshotError> {
        archmanual_atomic_write::write_atomic(path, self.to_json().as_bytes()).map_err(|source| {
            SnapshotError::Write {
                path: path.to_owned(),
                source,
            }
        })
    }

    /// The entry for `owner/name` (any casing).
    pub fn repo(&self, key: &str) -> Option<&SnapshotEntry> {
        self.repos.get(&key.to_ascii_lowercase())
    }

    /// Inserts or replaces the entry for `owner/name` (key lower-cased).
    pub fn insert_repo(&mut self, key: &str, entry: SnapshotEntry) {
        self.repos.insert(key.to_ascii_lowercase(), entry);
    }

    /// The entry for an owner login (any casing).
    pub fn owner(&self, login: &str) -> Option<&OwnerEntry> {
        self.owners.get(&login.to_ascii_lowercase())
    }

    /// Inserts or replaces the entry for an owner login (key lower-cased).
    pub fn insert_owner(&mut self, login: &str, entry: OwnerEntry) {
        self.owners.insert(login.to_ascii_lowercase(), entry);
    }

    /// Stars of `owner/name`, if the snapshot has found it.
    pub fn stars(&self, key: &str) -> Option<u64> {
        self.repo(key)
            .and_then(SnapshotEntry::meta)
            .map(|m| m.stars)
    }
}

/// A star count as shown in the book: `★ 999`, `★ 1.2k`, `★ 12.3k`, `★ 123k`, `★ 1.5M`.
pub fn format_stars(stars: u64) -> String {
    format!("★ {}", format_count(stars))
}

/// A count in GitHub's short form without the star: `999`, `1.2k`, `12.3k`, `123k`, `1.5M`.
pub fn format_count(n: u64) -> String {
    fn short(n: u64, unit: u64, suffix: &str) -> Option<String> {
        // Round to one decimal; switch to whole units from 100 up.
        let tenths = (n + unit / 20) / (unit / 10);
        if tenths < 1000 {
            let (whole, frac) = (tenths / 10, tenths % 10);
            return Some(if frac == 0 {
                format!("{whole}{suffix}")
            } else {
                format!("{whole}.{frac}{suffix}")
            });
        }
        let whole = (n + unit / 2) / unit;
        (whole < 1000).then(|| format!("{whole}{suffix}"))
    }
    if n < 1000 {
        return n.to_string();
    }
    short(n, 1000, "k")
        .or_else(|| short(n, 1_000_000, "M"))
        .unwrap_or_else(|| format!("{}B", (n + 500_000_000) / 1_000_000_000))
}

/// Parses a hand-written star count: `12345`, `12,345`, `12.3k`, `12.3K`,
/// `1.5M`, `1.2万`, `3千`. Returns `None` for anything else.
pub fn parse_star_count(text: &str) -> Option<u64> {
    let text = text.trim();
    let (number, multiplier) = match text.chars().last()? {
        'k' | 'K' | '千' => (&text[..text.len() - text.chars().last()?.len_utf8()], 1_000),
        'm' | 'M' => (&text[..text.len() - 1], 1_000_000),
        '万' => (&text[..text.len() - '万'.len_utf8()], 10_000),
        _ => (text, 1),
    };
    let number = number.trim_end();
    if number.is_empty() {
        return None;
    }
    let mut whole: u64 = 0;
    let mut frac: u64 = 0;
    let mut frac_digits: u32 = 0;
    let mut seen_dot = false;
    let mut seen_digit = false;
    for c in number.chars() {
        match c {
            '0'..='9' => {
                let d = u64::from(c as u8 - b'0');
                seen_digit = true;
                if seen_dot {
                    if frac_digits < 6 {
                        frac = frac * 10 + d;
                        frac_digits += 1;
                    }
                } else {
                    whole = whole.checked_mul(10)?.checked_add(d)?;
                }
            }
            // Thousands separators are only meaningful before the dot.
            ',' | '_' if !seen_dot && seen_digit => {}
            '.' if !seen_dot && seen_digit => seen_dot = true,
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    let scaled_frac = frac * multiplier / 10u64.pow(frac_digits);
    whole.checked_mul(multiplier)?.checked_add(scaled_frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        let mut s = Snapshot::default();
        let mut kafka = RepoMeta::new("apache/kafka", 31_000, "2026-11-27T06:00:00Z");
        kafka.description = Some("<script>alert(1)</script> & \"quotes\"".into());
        kafka.license = Some("Apache-2.0".into());
        kafka.language = Some("Java".into());
        kafka.pushed_at = Some("2026-11-26T10:00:00Z".into());
        kafka.database_id = Some(2_211_243);
        s.insert_repo("Apache/Kafka", SnapshotEntry::Found(kafka));
        let mut old = RepoMeta::new("new-owner/etcd", 48_000, "2026-11-27T06:00:00Z");
        old.archived = true;
        s.insert_repo("coreos/etcd", SnapshotEntry::Found(old));
        s.insert_repo(
            "gone/repo",
            SnapshotEntry::Missing {
                fetched_at: "2026-11-27T06:00:00Z".into(),
            },
        );
        s.insert_owner(
            "Apache",
            OwnerEntry::Found {
                login: "apache".into(),
                url: "https://github.com/apache".into(),
                fetched_at: "2026-11-27T06:00:00Z".into(),
            },
        );
        s
    }

    #[test]
    fn round_trip_is_lossless_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(SNAPSHOT_FILE);
        let s = sample();
        s.save(&path).unwrap();
        let first = std::fs::read_to_string(&path).unwrap();
        let loaded = Snapshot::load(&path).unwrap();
        assert_eq!(loaded, s);
        loaded.save(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
        // Keys are sorted and lower-cased.
        let a = first.find("\"apache/kafka\"").unwrap();
        let c = first.find("\"coreos/etcd\"").unwrap();
        let g = first.find("\"gone/repo\"").unwrap();
        assert!(a < c && c < g, "{first}");
        assert!(first.ends_with("}\n"));
        // No temp files left behind.
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from(SNAPSHOT_FILE)]);
    }

    #[test]
    fn lookups_ignore_case_and_detect_renames() {
        let s = sample();
        assert_eq!(s.stars("APACHE/kafka"), Some(31_000));
        assert_eq!(s.stars("gone/repo"), None);
        let etcd = s.repo("coreos/etcd").and_then(SnapshotEntry::meta).unwrap();
        assert_eq!(etcd.renamed_from("coreos/etcd"), Some("new-owner/etcd"));
        assert_eq!(etcd.renamed_from("NEW-OWNER/Etcd"), None);
        assert!(matches!(s.owner("APACHE"), Some(OwnerEntry::Found { .. })));
    }

    #[test]
    fn missing_file_is_none_and_bad_files_name_the_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SNAPSHOT_FILE);
        assert!(Snapshot::load_optional(&path).unwrap().is_none());
        std::fs::write(&path, "{\n  \"version\": 1,\n  \"repos\": [}\n").unwrap();
        let err = Snapshot::load(&path).unwrap_err();
        // The position is ours, serde's reason is the cause: both reach the user.
        assert!(
            err.to_string()
                .contains(":3:13: not a valid GitHub snapshot"),
            "{err}"
        );
        let cause = std::error::Error::source(&err).map(ToString::to_string);
        assert_eq!(cause.as_deref(), Some("expected value at line 3 column 13"));
        let dir_as_file = Snapshot::load(dir.path()).unwrap_err();
        assert!(
            matches!(dir_as_file, SnapshotError::Read { .. }),
            "{dir_as_file}"
        );
        assert!(std::error::Error::source(&dir_as_file).is_some());
        std::fs::write(&path, "{\"version\": 9, \"repos\": {}}").unwrap();
        let err = Snapshot::load(&path).unwrap_err();
        assert!(matches!(
            err,
            SnapshotError::UnsupportedVersion { found: 9, .. }
        ));
    }

    #[test]
    fn star_formatting() {
        let cases = [
            (0, "★ 0"),
            (999, "★ 999"),
            (1000, "★ 1k"),
            (1049, "★ 1k"),
            (1050, "★ 1.1k"),
            (12_345, "★ 12.3k"),
            (99_949, "★ 99.9k"),
            (99_950, "★ 100k"),
            (123_456, "★ 123k"),
            (999_499, "★ 999k"),
            (999_500, "★ 1M"),
            (1_540_000, "★ 1.5M"),
            (250_000_000, "★ 250M"),
        ];
        for (n, want) in cases {
            assert_eq!(format_stars(n), want, "{n}");
        }
    }

    #[test]
    fn star_parsing() {
        let cases = [
            ("12345", Some(12_345)),
            ("12,345", Some(12_345)),
            ("12.3k", Some(12_300)),
            ("12.3K", Some(12_300)),
            ("1.5M", Some(1_500_000)),
            ("1.2万", Some(12_000)),
            ("3千", Some(3_000)),
            (" 7 k ", Some(7_000)),
            ("k", None),
            ("1.2.3k", None),
            (",5", None),
            ("abc", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_star_count(text), want, "{text:?}");
        }
        // Formatting then parsing stays within the short form's rounding (<5%).
        for n in [1_234u64, 56_789, 432_100, 7_654_321] {
            let shown = format_count(n);
            let back = parse_star_count(&shown).unwrap();
            assert!(back.abs_diff(n) * 20 <= n, "{n} -> {shown} -> {back}");
        }
    }
}
