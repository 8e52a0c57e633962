//! Classifying GitHub URLs into repositories, owner pages and other pages.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A repository `owner/name` as written; compares, hashes and orders
/// case-insensitively (GitHub names are case-insensitive).
#[derive(Debug, Clone)]
pub struct RepoKey {
    owner: String,
    name: String,
    key: String,
}

impl RepoKey {
    /// A key from an owner and a repository name; `None` unless both are
    /// valid GitHub names (a `.git` suffix on the name is dropped).
    pub fn new(owner: &str, name: &str) -> Option<RepoKey> {
        let name = name.strip_suffix(".git").unwrap_or(name);
        if !valid_owner(owner) || !valid_repo_name(name) {
            return None;
        }
        Some(RepoKey {
            owner: owner.to_owned(),
            name: name.to_owned(),
            key: format!("{owner}/{name}").to_ascii_lowercase(),
        })
    }

    /// Parses `owner/name`.
    pub fn parse(slug: &str) -> Option<RepoKey> {
        let (owner, name) = slug.split_once('/')?;
        RepoKey::new(owner, name)
    }

    /// The owner as written.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// The repository name as written.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The lower-cased `owner/name`: the key of caches, snapshots and [`crate::Lookups`].
    pub fn key(&self) -> &str {
        &self.key
    }

    /// `https://github.com/owner/name` (as written).
    pub fn url(&self) -> String {
        format!("https://github.com/{}/{}", self.owner, self.name)
    }
}

impl fmt::Display for RepoKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

impl PartialEq for RepoKey {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for RepoKey {}
impl Hash for RepoKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}
impl PartialOrd for RepoKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for RepoKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

/// What a GitHub URL points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GithubLink {
    /// A repository's home page.
    Repo(RepoKey),
    /// A user or organisation page (`github.com/owner`); the login as written.
    Owner(String),
    /// Any other GitHub page. `repo` is the repository it belongs to, if any
    /// (issues, blobs, trees, releases, raw files…); `what` names the kind:
    /// the path segment after the repository (`issues`, `blob`…), `raw`,
    /// `gist`, or the site section (`topics`, `marketplace`…).
    Other {
        /// The repository part, still to be validated.
        repo: Option<RepoKey>,
        /// The kind of page.
        what: String,
    },
}

/// First path segments of github.com that are site sections, not owners
/// (lychee's list plus a few more).
const RESERVED_OWNERS: &[&str] = &[
    "about",
    "apps",
    "collections",
    "contact",
    "customer-stories",
    "enterprise",
    "events",
    "explore",
    "features",
    "issues",
    "join",
    "login",
    "marketplace",
    "new",
    "notifications",
    "orgs",
    "organizations",
    "pricing",
    "pulls",
    "search",
    "security",
    "settings",
    "site",
    "sponsors",
    "topics",
    "trending",
    "users",
    "watching",
];

fn valid_owner(owner: &str) -> bool {
    !owner.is_empty()
        && owner.len() <= 39
        && owner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !owner.starts_with('-')
}

fn valid_repo_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Classifies a URL; `None` when it is not on GitHub (github.com,
/// www.github.com, raw.githubusercontent.com, gist.github.com).
pub fn classify(url: &str) -> Option<GithubLink> {
    let url = url.trim();
    let rest = strip_prefix_ignore_case(url, "https://")
        .or_else(|| strip_prefix_ignore_case(url, "http://"))
        .or_else(|| url.strip_prefix("//"))?;
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let rest = &rest[..end];
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix(":443").unwrap_or(&host);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match host {
        "github.com" | "www.github.com" => Some(classify_github_path(&segments)),
        "raw.githubusercontent.com" => Some(GithubLink::Other {
            repo: match segments.as_slice() {
                [owner, name, ..] => RepoKey::new(owner, name),
                _ => None,
            },
            what: "raw".to_owned(),
        }),
        "gist.github.com" => Some(GithubLink::Other {
            repo: None,
            what: "gist".to_owned(),
        }),
        _ => None,
    }
}

fn classify_github_path(segments: &[&str]) -> GithubLink {
    let site = |what: &str| GithubLink::Other {
        repo: None,
        what: what.to_owned(),
    };
    match segments {
        [] => site("site"),
        [owner, ..] if RESERVED_OWNERS.contains(&owner.to_ascii_lowercase().as_str()) => {
            site(&owner.to_ascii_lowercase())
        }
        [owner] if valid_owner(owner) => GithubLink::Owner((*owner).to_owned()),
        [owner, name] => match RepoKey::new(owner, name) {
            Some(key) => GithubLink::Repo(key),
            None => site("site"),
        },
        [owner, name, what, ..] => GithubLink::Other {
            repo: RepoKey::new(owner, name),
            what: (*what).to_owned(),
        },
        [_] => site("site"),
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The distinct repositories and owners behind a set of URLs: what one
/// lookup has to ask GitHub about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// Distinct repositories (repo links and the repo part of other pages),
    /// sorted by key; the first spelling seen wins.
    pub repos: Vec<RepoKey>,
    /// Distinct owner logins (lower-cased), sorted.
    pub owners: Vec<String>,
}

impl Targets {
    /// Collects the targets of many URLs; non-GitHub URLs are ignored.
    pub fn from_urls<I, S>(urls: I) -> Targets
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut repos = BTreeSet::new();
        let mut owners = BTreeSet::new();
        for url in urls {
            match classify(url.as_ref()) {
                Some(GithubLink::Repo(key))
                | Some(GithubLink::Other {
                    repo: Some(key), ..
                }) => {
                    repos.insert(key);
                }
                Some(GithubLink::Owner(login)) => {
                    owners.insert(login.to_ascii_lowercase());
                }
                _ => {}
            }
        }
        Targets {
            repos: repos.into_iter().collect(),
            owners: owners.into_iter().collect(),
        }
    }

    /// True if there is nothing to look up.
    pub fn is_empty(&self) -> bool {
        self.repos.is_empty() && self.owners.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(url: &str) -> String {
        match classify(url) {
            Some(GithubLink::Repo(k)) => k.to_string(),
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn repository_urls() {
        assert_eq!(repo("https://github.com/apache/kafka"), "apache/kafka");
        assert_eq!(repo("https://github.com/apache/kafka/"), "apache/kafka");
        assert_eq!(repo("https://github.com/apache/kafka.git"), "apache/kafka");
        assert_eq!(
            repo("http://www.GitHub.com/Apache/Kafka#readme"),
            "Apache/Kafka"
        );
        assert_eq!(
            repo("https://github.com/apache/kafka?tab=readme"),
            "apache/kafka"
        );
        assert_eq!(repo("https://github.com/a-b/c.d_e"), "a-b/c.d_e");
        assert_eq!(
            classify("https://github.com/Apache/Kafka.git/"),
            classify("https://github.com/apache/kafka")
        );
    }

    #[test]
    fn keys_are_case_insensitive() {
        let a = RepoKey::parse("Apache/Kafka").unwrap();
        let b = RepoKey::parse("apache/KAFKA.git").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.key(), "apache/kafka");
        assert_eq!(a.to_string(), "Apache/Kafka");
        assert_eq!(b.name(), "KAFKA");
        assert!(RepoKey::parse("no-slash").is_none());
        assert!(RepoKey::parse("bad owner/x").is_none());
        assert!(RepoKey::parse("o/..").is_none());
    }

    #[test]
    fn owner_pages() {
        assert_eq!(
            classify("https://github.com/apache"),
            Some(GithubLink::Owner("apache".into()))
        );
        assert_eq!(
            classify("https://github.com/Apache/?tab=repositories"),
            Some(GithubLink::Owner("Apache".into()))
        );
    }

    #[test]
    fn other_pages_keep_their_repository() {
        for (url, what) in [
            ("https://github.com/apache/kafka/issues/12", "issues"),
            (
                "https://github.com/apache/kafka/blob/trunk/README.md#L3",
                "blob",
            ),
            ("https://github.com/apache/kafka/tree/trunk/docs", "tree"),
            (
                "https://github.com/apache/kafka/releases/tag/v1",
                "releases",
            ),
            ("https://github.com/apache/kafka/pull/7", "pull"),
        ] {
            match classify(url) {
                Some(GithubLink::Other {
                    repo: Some(k),
                    what: w,
                }) => {
                    assert_eq!(k.key(), "apache/kafka", "{url}");
                    assert_eq!(w, what, "{url}");
                }
                other => panic!("{url}: {other:?}"),
            }
        }
        match classify("https://raw.githubusercontent.com/apache/kafka/trunk/x.md") {
            Some(GithubLink::Other {
                repo: Some(k),
                what,
            }) => {
                assert_eq!((k.key(), what.as_str()), ("apache/kafka", "raw"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn site_pages_and_gists_have_no_repository() {
        for url in [
            "https://github.com",
            "https://github.com/",
            "https://github.com/topics/kafka",
            "https://github.com/marketplace/actions/x",
            "https://github.com/orgs/apache/repositories",
            "https://github.com/sponsors/someone",
            "https://gist.github.com/someone/abc123",
        ] {
            assert!(
                matches!(classify(url), Some(GithubLink::Other { repo: None, .. })),
                "{url}: {:?}",
                classify(url)
            );
        }
    }

    #[test]
    fn non_github_urls() {
        for url in [
            "https://example.com/apache/kafka",
            "https://github.community/t/1",
            "https://notgithub.com/a/b",
            "mailto:a@github.com",
            "../local.md",
            "github.com/apache/kafka",
        ] {
            assert_eq!(classify(url), None, "{url}");
        }
    }

    #[test]
    fn targets_are_distinct() {
        let t = Targets::from_urls([
            "https://github.com/apache/kafka",
            "https://github.com/Apache/Kafka/",
            "https://github.com/apache/kafka/issues/1",
            "https://github.com/etcd-io/etcd.git",
            "https://github.com/Apache",
            "https://github.com/apache",
            "https://github.com/topics/x",
            "https://example.com",
        ]);
        let keys: Vec<&str> = t.repos.iter().map(RepoKey::key).collect();
        assert_eq!(keys, ["apache/kafka", "etcd-io/etcd"]);
        assert_eq!(t.owners, ["apache"]);
        assert!(!t.is_empty());
        assert!(Targets::from_urls(["https://example.com"]).is_empty());
    }
}
