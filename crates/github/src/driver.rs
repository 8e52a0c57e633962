//! The lookup driver: what the cache already knows, what goes to GraphQL
//! (with a token) or REST (without), and folding the answers back into the
//! cache and the results.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cache::{CacheData, CachedOwner, CachedRepo};
use crate::client::{Progress, bump};
use crate::lookups::{Lookups, OwnerStatus, RepoStatus};
use crate::{Client, GithubClientError, RepoKey, graphql, rest};

/// One thing to look up.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Repo(RepoKey),
    Owner(String),
}

/// Its result; the ETag only for REST 200s.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant, reason = "short-lived, moved once")]
pub(crate) enum ItemResult {
    Repo(RepoStatus, Option<String>),
    Owner(OwnerStatus),
}

impl ItemResult {
    /// "We could not find out": the result for `item` when lookups failed.
    pub(crate) fn unknown(item: &Item, reason: &str) -> ItemResult {
        match item {
            Item::Repo(_) => ItemResult::Repo(
                RepoStatus::Unknown {
                    reason: reason.to_owned(),
                },
                None,
            ),
            Item::Owner(_) => ItemResult::Owner(OwnerStatus::Unknown {
                reason: reason.to_owned(),
            }),
        }
    }
}

impl Client {
    /// Looks up repositories.
    pub async fn lookup(&self, repos: &[RepoKey]) -> Lookups {
        self.lookup_all(repos, &[]).await
    }

    /// Looks up repositories and owner pages.
    pub async fn lookup_all(&self, repos: &[RepoKey], owners: &[String]) -> Lookups {
        self.lookup_with_progress(repos, owners, |_, _| {}).await
    }

    /// [`Client::lookup_all`], calling `progress(done, total)` as results come in.
    pub async fn lookup_with_progress(
        &self,
        repos: &[RepoKey],
        owners: &[String],
        progress: impl Fn(usize, usize) + Send + Sync + 'static,
    ) -> Lookups {
        let progress: Progress = Arc::new(progress);
        let now = self.now_secs();
        let ttl = self.inner.config.cache_ttl.as_secs();
        let mut out = Lookups {
            fetched_at: self.now_rfc3339(),
            ..Lookups::default()
        };
        let mut distinct_repos: BTreeMap<&str, &RepoKey> = BTreeMap::new();
        for r in repos {
            distinct_repos.entry(r.key()).or_insert(r);
        }
        let mut distinct_owners: BTreeMap<String, ()> = BTreeMap::new();
        for o in owners {
            distinct_owners.insert(o.to_ascii_lowercase(), ());
        }
        let total = distinct_repos.len() + distinct_owners.len();
        let mut pending = Vec::new();
        // Stale entries still give REST an ETag and a body for a 304.
        let mut stale: BTreeMap<String, CachedRepo> = BTreeMap::new();
        {
            let cache = self.lock_cache();
            for (key, repo) in &distinct_repos {
                if let Some(c) = cache.fresh_repo(key, now, ttl) {
                    out.repos
                        .insert((*key).to_owned(), RepoStatus::from_entry(key, &c.entry));
                    bump(&self.inner.counters.cache_hits);
                } else {
                    if let Some(c) = cache.repos.get(*key) {
                        stale.insert((*key).to_owned(), c.clone());
                    }
                    pending.push(Item::Repo((*repo).clone()));
                }
            }
            for login in distinct_owners.keys() {
                if let Some(c) = cache.fresh_owner(login, now, ttl) {
                    out.owners
                        .insert(login.clone(), OwnerStatus::from_entry(&c.entry));
                    bump(&self.inner.counters.cache_hits);
                } else {
                    pending.push(Item::Owner(login.clone()));
                }
            }
        }
        let done = Arc::new(AtomicUsize::new(total - pending.len()));
        progress(done.load(Ordering::Relaxed), total);
        let tick: Progress = {
            let done = Arc::clone(&done);
            let progress = Arc::clone(&progress);
            Arc::new(move |n, _| {
                let d = done.fetch_add(n, Ordering::Relaxed) + n;
                progress(d, total);
            })
        };
        let results = if pending.is_empty() {
            Vec::new()
        } else if self.has_token() {
            graphql::run(self, pending, tick).await
        } else {
            rest::run(self, pending, &stale, tick).await
        };
        let checked = self.now_secs();
        let mut cache = self.lock_cache();
        for (item, result) in results {
            match (item, result) {
                (Item::Repo(key), ItemResult::Repo(status, etag)) => {
                    if let Some(entry) = status.to_entry(&out.fetched_at) {
                        cache.repos.insert(
                            key.key().to_owned(),
                            CachedRepo {
                                checked,
                                etag,
                                entry,
                            },
                        );
                        cache.dirty = true;
                    }
                    out.repos.insert(key.key().to_owned(), status);
                }
                (Item::Owner(login), ItemResult::Owner(status)) => {
                    if let Some(entry) = status.to_entry(&out.fetched_at) {
                        cache
                            .owners
                            .insert(login.clone(), CachedOwner { checked, entry });
                        cache.dirty = true;
                    }
                    out.owners.insert(login, status);
                }
                _ => {}
            }
        }
        out
    }

    /// [`Client::lookup_all`] on a private single-threaded runtime, for
    /// synchronous callers (preprocessors, CLIs). Must not be called from
    /// inside an async runtime.
    pub fn lookup_blocking(
        &self,
        repos: &[RepoKey],
        owners: &[String],
    ) -> Result<Lookups, GithubClientError> {
        self.lookup_blocking_with_progress(repos, owners, |_, _| {})
    }

    /// [`Client::lookup_blocking`] with a `progress(done, total)` callback.
    pub fn lookup_blocking_with_progress(
        &self,
        repos: &[RepoKey],
        owners: &[String],
        progress: impl Fn(usize, usize) + Send + Sync + 'static,
    ) -> Result<Lookups, GithubClientError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(GithubClientError::Runtime)?;
        Ok(rt.block_on(self.lookup_with_progress(repos, owners, progress)))
    }

    /// Writes the cache file (atomically), if one is configured and changed.
    pub fn save_cache(&self) -> Result<(), GithubClientError> {
        let Some(path) = &self.inner.config.cache_path else {
            return Ok(());
        };
        let mut cache = self.lock_cache();
        if !cache.dirty && path.exists() {
            return Ok(());
        }
        cache.save(path).map_err(|e| GithubClientError::Cache {
            path: path.clone(),
            source: e,
        })?;
        cache.dirty = false;
        Ok(())
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, CacheData> {
        // A poisoned cache is still a valid map; keep going.
        self.inner
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
