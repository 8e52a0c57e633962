//! What exists on the stand-in's GitHub: repositories, renames, owners,
//! blocked repositories, and pull requests with their reviews.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::reviews::Pull;

/// One repository the stand-in knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandinRepo {
    /// Canonical `owner/name`.
    pub name_with_owner: String,
    /// Numeric id (for `/repositories/{id}`).
    pub id: u64,
    /// Stargazers.
    pub stars: u64,
    /// Archived.
    pub archived: bool,
    /// Disabled.
    pub disabled: bool,
    /// A fork.
    pub fork: bool,
    /// Description (may contain anything, e.g. HTML).
    pub description: Option<String>,
    /// SPDX license id.
    pub license: Option<String>,
    /// Primary language.
    pub language: Option<String>,
    /// Last push.
    pub pushed_at: String,
    /// Latest release tag.
    pub latest_release: Option<String>,
}

impl StandinRepo {
    /// A plain repository with this name and stars.
    pub fn new(name_with_owner: &str, stars: u64) -> StandinRepo {
        StandinRepo {
            name_with_owner: name_with_owner.to_owned(),
            id: 0,
            stars,
            archived: false,
            disabled: false,
            fork: false,
            description: Some(format!("The {name_with_owner} project")),
            license: Some("Apache-2.0".to_owned()),
            language: Some("Rust".to_owned()),
            pushed_at: "2026-11-20T12:00:00Z".to_owned(),
            latest_release: Some("v1.0.0".to_owned()),
        }
    }

    pub(crate) fn graphql(&self) -> Value {
        json!({
            "databaseId": self.id,
            "nameWithOwner": self.name_with_owner,
            "url": format!("https://github.com/{}", self.name_with_owner),
            "stargazerCount": self.stars,
            "isArchived": self.archived,
            "isDisabled": self.disabled,
            "isFork": self.fork,
            "pushedAt": self.pushed_at,
            "description": self.description,
            "licenseInfo": self.license.as_ref().map(|l| json!({ "spdxId": l })),
            "primaryLanguage": self.language.as_ref().map(|l| json!({ "name": l })),
            "latestRelease": self.latest_release.as_ref().map(|t| json!({ "tagName": t })),
        })
    }

    pub(crate) fn rest(&self) -> Value {
        json!({
            "id": self.id,
            "full_name": self.name_with_owner,
            "html_url": format!("https://github.com/{}", self.name_with_owner),
            "stargazers_count": self.stars,
            "archived": self.archived,
            "disabled": self.disabled,
            "fork": self.fork,
            "pushed_at": self.pushed_at,
            "description": self.description,
            "license": self.license.as_ref().map(|l| json!({ "spdx_id": l })),
            "language": self.language,
        })
    }
}

/// What exists on the stand-in's GitHub.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub(crate) repos: BTreeMap<String, StandinRepo>,
    pub(crate) renames: BTreeMap<String, String>,
    pub(crate) owners: BTreeSet<String>,
    pub(crate) blocked: BTreeSet<String>,
    pub(crate) pulls: BTreeMap<(String, u64), Pull>,
    /// The last review or comment id handed out (ids are unique across pulls).
    pub(crate) last_id: u64,
}

impl World {
    /// An empty world.
    pub fn new() -> World {
        World::default()
    }

    /// A small world: `apache/kafka` (31.2k★), `etcd-io/etcd` (48k★),
    /// `archived/old` (archived), `disabled/repo` (disabled), a rename
    /// `coreos/etcd` → `etcd-io/etcd`, a blocked `dmca/blocked`, and the
    /// owners of all of them.
    pub fn sample() -> World {
        let mut old = StandinRepo::new("archived/old", 1_200);
        old.archived = true;
        let mut disabled = StandinRepo::new("disabled/repo", 10);
        disabled.disabled = true;
        World::new()
            .with_repo(StandinRepo::new("apache/kafka", 31_234))
            .with_repo(StandinRepo::new("etcd-io/etcd", 48_000))
            .with_repo(old)
            .with_repo(disabled)
            .with_rename("coreos/etcd", "etcd-io/etcd")
            .with_blocked("dmca/blocked")
    }

    /// `n` repositories `org{i % 50}/repo{i}` with deterministic stars.
    pub fn generated(n: usize) -> World {
        let mut world = World::new();
        for i in 0..n {
            let stars = (i as u64 * 7_919) % 250_000;
            world = world.with_repo(StandinRepo::new(&format!("org{}/repo{i}", i % 50), stars));
        }
        world
    }

    /// Adds a repository (and its owner). Ids are assigned in order if 0.
    #[must_use]
    pub fn with_repo(mut self, mut repo: StandinRepo) -> World {
        if repo.id == 0 {
            repo.id = 1_000 + self.repos.len() as u64;
        }
        if let Some((owner, _)) = repo.name_with_owner.split_once('/') {
            self.owners.insert(owner.to_ascii_lowercase());
        }
        self.repos
            .insert(repo.name_with_owner.to_ascii_lowercase(), repo);
        self
    }

    /// `old` now redirects to the existing repository `new`.
    #[must_use]
    pub fn with_rename(mut self, old: &str, new: &str) -> World {
        self.renames
            .insert(old.to_ascii_lowercase(), new.to_ascii_lowercase());
        self
    }

    /// An owner without repositories.
    #[must_use]
    pub fn with_owner(mut self, login: &str) -> World {
        self.owners.insert(login.to_ascii_lowercase());
        self
    }

    /// A repository blocked for legal reasons (REST 451).
    #[must_use]
    pub fn with_blocked(mut self, name_with_owner: &str) -> World {
        self.blocked.insert(name_with_owner.to_ascii_lowercase());
        self
    }

    /// The canonical names of all repositories.
    pub fn repo_names(&self) -> Vec<String> {
        self.repos
            .values()
            .map(|r| r.name_with_owner.clone())
            .collect()
    }

    pub(crate) fn resolve(&self, key: &str) -> Option<&StandinRepo> {
        let key = key.to_ascii_lowercase();
        self.repos
            .get(&key)
            .or_else(|| self.renames.get(&key).and_then(|new| self.repos.get(new)))
    }
}
