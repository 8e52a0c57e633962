#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Range;

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
        let mut key = String::with_capacity(owner.len() + 1 + name.len());
        key.push_str(owner);
        key.push('/');
        key.push_str(name);
        key.make_ascii_lowercase();
        Some(RepoKey {
            owner: owner.to_owned(),
            name: name.to_owned(),
            key,
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

    /// The lower-cased `owner/name`: the key of caches and snapshots.
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
    /// `gist`, the site section (`topics`, `marketplace`…), or `site` for
    /// the home page and paths that are no valid owner or repository.
    Other {
        /// The repository the page belongs to.
        repo: Option<RepoKey>,
        /// The kind of page.
        what: String,
    },
}

impl GithubLink {
    /// The repository the link belongs to: the repository itself, or the
    /// repository part of one of its pages.
    pub fn repo(&self) -> Option<&RepoKey> {
        match self {
            GithubLink::Repo(key) => Some(key),
            GithubLink::Other { repo, .. } => repo.as_ref(),
            GithubLink::Owner(_) => None,
        }
    }
}

/// First path segments of github.com that are site sections, not owners
/// (lychee's list plus the sections GitHub links from its own pages).
/// Compared lower-cased.
pub const RESERVED_OWNERS: &[&str] = &[
    "about",
    "account",
    "apps",
    "codespaces",
    "collections",
    "contact",
    "customer-stories",
    "dashboard",
    "enterprise",
    "events",
    "explore",
    "features",
    "issues",
    "join",
    "login",
    "logout",
    "marketplace",
    "new",
    "notifications",
    "organizations",
    "orgs",
    "pricing",
    "pulls",
    "readme",
    "search",
    "security",
    "settings",
    "signup",
    "site",
    "solutions",
    "sponsors",
    "stars",
    "team",
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

/// The GitHub hosts this crate knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host {
    /// `github.com`, `www.github.com`.
    Site,
    /// `raw.githubusercontent.com`: `/owner/name/ref/path`.
    Raw,
    /// `gist.github.com`.
    Gist,
}

/// A GitHub URL cut into its host and the byte ranges of its non-empty path
/// segments (query and fragment excluded), in the URL as given.
struct Parsed {
    host: Host,
    segments: Vec<Range<usize>>,
}

fn parse(url: &str) -> Option<Parsed> {
    let lead = url.len() - url.trim_start().len();
    let trimmed = url.trim();
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|p| {
            trimmed
                .get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        })
        .map(str::len)
        .or_else(|| trimmed.starts_with("//").then_some(2))?;
    let start = lead + scheme;
    let end = lead + trimmed.len();
    let rest = &url[start..end];
    let end = rest.bytes().position(|b| b == b'?' || b == b'#');
    let rest = &rest[..end.unwrap_or(rest.len())];
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host
        .get(host.len().saturating_sub(4)..)
        .filter(|port| *port == ":443")
        .map_or(host, |_| &host[..host.len() - 4]);
    let is = |name: &str| host.eq_ignore_ascii_case(name);
    let host = if is("github.com") || is("www.github.com") {
        Host::Site
    } else if is("raw.githubusercontent.com") {
        Host::Raw
    } else if is("gist.github.com") {
        Host::Gist
    } else {
        return None;
    };
    let mut segments = Vec::new();
    let mut at = start + rest.len() - path.len();
    for seg in path.split('/') {
        if !seg.is_empty() {
            segments.push(at..at + seg.len());
        }
        at += seg.len() + 1;
    }
    Some(Parsed { host, segments })
}

/// Classifies a URL; `None` when it is not on GitHub (github.com,
/// www.github.com, raw.githubusercontent.com, gist.github.com).
pub fn classify(url: &str) -> Option<GithubLink> {
    let parsed = parse(url)?;
    let segments: Vec<&str> = parsed.segments.iter().map(|r| &url[r.clone()]).collect();
    Some(match parsed.host {
        Host::Site => classify_github_path(&segments),
        Host::Raw => GithubLink::Other {
            repo: match segments.as_slice() {
                [owner, name, ..] => RepoKey::new(owner, name),
                _ => None,
            },
            what: "raw".to_owned(),
        },
        Host::Gist => GithubLink::Other {
            repo: None,
            what: "gist".to_owned(),
        },
    })
}

fn classify_github_path(segments: &[&str]) -> GithubLink {
    let site = |what: &str| GithubLink::Other {
        repo: None,
        what: what.to_owned(),
    };
    match segments {
        [] => site("site"),
        [owner, ..]
            if RESERVED_OWNERS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(owner)) =>
        {
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

/// `url` with its `owner/name` part (`.git` included) replaced by `new`;
/// the rest of the path, the query and the fragment are kept. A URL without
/// a repository part becomes [`RepoKey::url`].
pub fn replace_repo(url: &str, new: &RepoKey) -> String {
    let has_repo = classify(url).is_some_and(|l| l.repo().is_some());
    match parse(url) {
        Some(Parsed { segments, .. }) if has_repo && segments.len() >= 2 => {
            let (from, to) = (segments[0].start, segments[1].end);
            format!(
                "{}{}/{}{}",
                &url[..from],
                new.owner(),
                new.name(),
                &url[to..]
            )
        }
        _ => new.url(),
    }
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
                Some(GithubLink::Owner(login)) => {
                    owners.insert(login.to_ascii_lowercase());
                }
                Some(link) => {
                    if let Some(key) = link.repo() {
                        repos.insert(key.clone());
                    }
                }
                None => {}
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
mod tests;
