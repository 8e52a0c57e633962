#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod collect;
mod config;
mod github;
mod report;
mod run;
mod state;
mod web;

pub use collect::{CollectedLink, LoadedBook, Occurrence, collect_links, load_book};
pub use config::{CONFIG_FILE, HostConfig, LinkrotConfig};
pub use report::{LinkReport, MAX_MARKDOWN_BYTES, Report, Summary, render_markdown};
pub use run::{Options, Progress, check, check_blocking};
pub use state::{LinkHistory, RotRule, State};
pub use web::{Hop, WebChecker, WebOptions, WebOutcome};

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The verdict on one link for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The link works.
    Ok,
    /// The target is gone: 404/410, a missing or blocked repository, a host
    /// that does not resolve (through every retry).
    Broken,
    /// The target moved: a renamed repository or a permanent redirect; the
    /// new URL is in `canonical`.
    Moved,
    /// The repository is archived (read-only, unmaintained).
    Archived,
    /// Could not tell this run: timeouts, 5xx, 429, rate limits, access
    /// denied. Transient; never counts towards rot.
    Unreachable,
    /// Not checked: excluded by configuration or not checkable.
    Skipped,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 6] = [
        Status::Ok,
        Status::Broken,
        Status::Moved,
        Status::Archived,
        Status::Unreachable,
        Status::Skipped,
    ];

    /// The lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Broken => "broken",
            Status::Moved => "moved",
            Status::Archived => "archived",
            Status::Unreachable => "unreachable",
            Status::Skipped => "skipped",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of link this is, which decides how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `github.com/owner/repo`: checked through the GitHub API.
    GithubRepo,
    /// `github.com/owner`: checked through the GitHub API.
    GithubOwner,
    /// Another GitHub page (issue, blob, raw file, gist…); its repository is
    /// checked through the API.
    GithubOther,
    /// Any other `http(s)` link: checked over HTTP.
    Web,
}

/// Errors of the checker: reading the book, the configuration or the state,
/// writing files. Link failures are not errors; they are statuses.
#[derive(Debug, thiserror::Error)]
pub enum LinkrotError {
    /// The book could not be loaded.
    #[error("{path}: could not load the book (is this the directory with book.toml?)")]
    Book {
        /// The book directory.
        path: PathBuf,
        /// Why (book.toml, SUMMARY.md or a chapter, with its position).
        source: archmanual_model::LoadError,
    },
    /// A file could not be read.
    #[error("{path}: could not read")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("{path}: could not write")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML for these settings.
    #[error("{path}: invalid link-rot configuration")]
    ConfigSyntax {
        /// The configuration file.
        path: PathBuf,
        /// The TOML error (line, column and the offending text).
        source: toml::de::Error,
    },
    /// A setting of the configuration file has a value it may not have.
    #[error("{path}: invalid link-rot configuration: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// Which setting and what it must be.
        message: String,
    },
    /// The state file is not a link-rot state.
    #[error("{path}: not a link-rot state file (delete it to start the history afresh)")]
    State {
        /// The state file.
        path: PathBuf,
        /// The JSON error (line and column).
        source: serde_json::Error,
    },
    /// The state file has a format version this tool does not read.
    #[error(
        "{path}: link-rot state version {found} is not supported, this tool reads version 1 (delete it to start the history afresh)"
    )]
    StateVersion {
        /// The state file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
    },
    /// The HTTP client could not be built.
    #[error("could not build the HTTP client")]
    Http(#[source] reqwest::Error),
    /// The async runtime could not start.
    #[error("could not start the async runtime")]
    Runtime(#[source] std::io::Error),
    /// The GitHub client failed (not a lookup failure: those are statuses).
    #[error(transparent)]
    Github(#[from] archmanual_github::GithubClientError),
}
