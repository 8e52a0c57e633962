//! GitHub links: classified and looked up through the GitHub client
//! (batched, cached), then turned into link statuses.

use archmanual_github::{GithubLink, Lookups, OwnerStatus, RepoKey, RepoStatus};
use archmanual_github_url::replace_repo;

use crate::{LinkKind, Status};

/// The verdict on one GitHub link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GithubOutcome {
    pub(crate) status: Status,
    pub(crate) canonical: Option<String>,
    pub(crate) detail: Option<String>,
    pub(crate) repo: Option<String>,
    pub(crate) stars: Option<u64>,
}

impl GithubOutcome {
    fn new(status: Status, detail: impl Into<String>) -> GithubOutcome {
        GithubOutcome {
            status,
            canonical: None,
            detail: Some(detail.into()),
            repo: None,
            stars: None,
        }
    }
}

pub(crate) fn kind_of(link: &GithubLink) -> LinkKind {
    match link {
        GithubLink::Repo(_) => LinkKind::GithubRepo,
        GithubLink::Owner(_) => LinkKind::GithubOwner,
        GithubLink::Other { .. } => LinkKind::GithubOther,
    }
}

/// The verdict on `url` (classified as `link`) from the lookups.
pub(crate) fn outcome(url: &str, link: &GithubLink, lookups: &Lookups) -> GithubOutcome {
    match link {
        GithubLink::Repo(key) => repo_outcome(url, key, lookups, false),
        GithubLink::Other {
            repo: Some(key), ..
        } => repo_outcome(url, key, lookups, true),
        GithubLink::Other { repo: None, what } => GithubOutcome::new(
            Status::Skipped,
            format!("GitHub {what} page without a repository: not checkable through the API"),
        ),
        GithubLink::Owner(login) => match lookups.owners.get(&login.to_ascii_lowercase()) {
            Some(OwnerStatus::Found { login: found, .. }) => GithubOutcome {
                repo: Some(found.clone()),
                ..GithubOutcome::new(Status::Ok, "")
            },
            Some(OwnerStatus::Missing) => GithubOutcome::new(
                Status::Broken,
                format!("no GitHub user or organisation {login}"),
            ),
            Some(OwnerStatus::Unknown { reason }) => GithubOutcome::new(
                Status::Unreachable,
                format!("GitHub lookup not possible this run: {reason}"),
            ),
            None => GithubOutcome::new(Status::Unreachable, "GitHub lookup gave no answer"),
        }
        .without_empty_detail(),
    }
}

fn repo_outcome(url: &str, key: &RepoKey, lookups: &Lookups, subpage: bool) -> GithubOutcome {
    let note = if subpage {
        " (the repository was checked, not this page)"
    } else {
        ""
    };
    let out = match lookups.repos.get(key.key()) {
        Some(RepoStatus::Found(meta)) => {
            let (status, detail) = if meta.disabled {
                (
                    Status::Broken,
                    format!("repository {key} is disabled by GitHub"),
                )
            } else if meta.archived {
                (
                    Status::Archived,
                    format!("repository {key} is archived{note}"),
                )
            } else {
                (Status::Ok, note.trim().trim_matches(['(', ')']).to_owned())
            };
            GithubOutcome {
                repo: Some(meta.name_with_owner.clone()),
                stars: Some(meta.stars),
                ..GithubOutcome::new(status, detail)
            }
        }
        Some(RepoStatus::Renamed { new, meta }) => {
            let archived = if meta.archived { ", and archived" } else { "" };
            GithubOutcome {
                canonical: Some(replace_repo(url, new)),
                repo: Some(meta.name_with_owner.clone()),
                stars: Some(meta.stars),
                ..GithubOutcome::new(
                    if meta.disabled {
                        Status::Broken
                    } else {
                        Status::Moved
                    },
                    format!("repository {key} was renamed or transferred to {new}{archived}"),
                )
            }
        }
        Some(RepoStatus::Missing) => GithubOutcome::new(
            Status::Broken,
            format!("repository {key} does not exist (or is private)"),
        ),
        Some(RepoStatus::Blocked { reason }) => GithubOutcome::new(
            Status::Broken,
            format!("access to repository {key} is blocked: {reason}"),
        ),
        Some(RepoStatus::Unknown { reason }) => GithubOutcome::new(
            Status::Unreachable,
            format!("GitHub lookup not possible this run: {reason}"),
        ),
        None => GithubOutcome::new(Status::Unreachable, "GitHub lookup gave no answer"),
    };
    // Unresolved repositories still name what was asked for, so tools can group by it.
    GithubOutcome {
        repo: out.repo.clone().or_else(|| Some(key.to_string())),
        ..out
    }
    .without_empty_detail()
}

impl GithubOutcome {
    fn without_empty_detail(mut self) -> GithubOutcome {
        if self.detail.as_deref() == Some("") {
            self.detail = None;
        }
        self
    }
}
