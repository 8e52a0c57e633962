//! The lookup cache: one JSON file, negative results included, with a TTL.

use std::collections::BTreeMap;
use std::path::Path;

use archmanual_github_snapshot::{OwnerEntry, SnapshotEntry};
use serde::{Deserialize, Serialize};

const CACHE_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CachedRepo {
    /// When it was checked, seconds since the Unix epoch.
    pub(crate) checked: u64,
    /// REST ETag, for `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) etag: Option<String>,
    pub(crate) entry: SnapshotEntry,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CachedOwner {
    pub(crate) checked: u64,
    pub(crate) entry: OwnerEntry,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CacheData {
    version: u32,
    #[serde(default)]
    pub(crate) repos: BTreeMap<String, CachedRepo>,
    #[serde(default)]
    pub(crate) owners: BTreeMap<String, CachedOwner>,
    #[serde(skip)]
    pub(crate) dirty: bool,
}

impl Default for CacheData {
    fn default() -> Self {
        CacheData {
            version: CACHE_VERSION,
            repos: BTreeMap::new(),
            owners: BTreeMap::new(),
            dirty: false,
        }
    }
}

impl CacheData {
    /// Reads the cache; a missing, unreadable or outdated file is an empty
    /// cache (it is only a cache: the next save rewrites it).
    pub(crate) fn load(path: &Path) -> CacheData {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<CacheData>(&text).ok())
            .filter(|c| c.version == CACHE_VERSION)
            .unwrap_or_default()
    }

    pub(crate) fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        archmanual_atomic_write::write_atomic(path, text.as_bytes())
    }

    pub(crate) fn fresh_repo(&self, key: &str, now: u64, ttl: u64) -> Option<&CachedRepo> {
        self.repos
            .get(key)
            .filter(|c| now.saturating_sub(c.checked) < ttl)
    }

    pub(crate) fn fresh_owner(&self, login: &str, now: u64, ttl: u64) -> Option<&CachedOwner> {
        self.owners
            .get(login)
            .filter(|c| now.saturating_sub(c.checked) < ttl)
    }
}
