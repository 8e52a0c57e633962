#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod answer;
mod cache;
mod client;
mod config;
mod driver;
mod graphql;
mod lookups;
mod policy;
mod rest;
pub mod review;

pub use archmanual_github_snapshot as snapshot;
pub use archmanual_github_snapshot::RepoMeta;
pub use client::{Client, Stats};
pub use config::{
    Config, DEFAULT_API_URL, DEFAULT_GRAPHQL_URL, MAX_BATCH, TOKEN_VARS, Token, USER_AGENT,
};
pub use lookups::{Lookups, OwnerStatus, RepoStatus, SnapshotChanges, update_snapshot};
// The one URL classifier; re-exported so callers of the client need not name it.
pub use archmanual_github_url::{GithubLink, RepoKey, Targets, classify};

use std::path::PathBuf;

/// Errors of the client itself. Network trouble is not an error: it ends up
/// as [`RepoStatus::Unknown`] with a reason. No error ever contains the token.
#[derive(Debug, thiserror::Error)]
pub enum GithubClientError {
    /// The HTTP client could not be built.
    #[error("could not build the HTTP client")]
    Http(#[source] reqwest::Error),
    /// The cache file could not be written.
    #[error("{path}: could not write the GitHub lookup cache")]
    Cache {
        /// The cache file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The async runtime for [`Client::lookup_blocking`] could not start.
    #[error("could not start the async runtime")]
    Runtime(#[source] std::io::Error),
}
