//! Star counts, for ordering entries by popularity.

use std::collections::HashMap;
use std::path::Path;

/// Star counts by lower-cased `owner/repo`.
#[derive(Debug, Clone, Default)]
pub struct StarLookup(HashMap<String, u64>);

impl StarLookup {
    /// A lookup from `(owner/repo, stars)` pairs.
    pub fn new(pairs: impl IntoIterator<Item = (String, u64)>) -> Self {
        StarLookup(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), v))
                .collect(),
        )
    }

    /// Reads star counts from the committed snapshot (`book/github-repos.json`).
    pub fn from_snapshot_file(path: &Path) -> Result<Self, crate::CatalogError> {
        let snapshot = archmanual_github_snapshot::Snapshot::load(path).map_err(|source| {
            crate::CatalogError::Snapshot {
                path: path.to_path_buf(),
                source,
            }
        })?;
        Ok(StarLookup::new(snapshot.repos.iter().filter_map(
            |(key, entry)| entry.meta().map(|m| (key.clone(), m.stars)),
        )))
    }

    /// Stars of the repository an entry links to, if known.
    pub fn stars_of(&self, url: &str) -> Option<u64> {
        // A page of a repository (`…/tree/main/docs`) ranks by its repository.
        let link = archmanual_github_url::classify(url)?;
        self.0.get(link.repo()?.key()).copied()
    }
}
