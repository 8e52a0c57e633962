//! Online mode: asking GitHub during the build. The client (crate
//! `archmanual-github`, with reqwest and tokio) is behind the default-on
//! `online` feature, so users of the offline check, like `archmanual lint`,
//! build without any network code.

use std::path::Path;

use archmanual_diagnostics::{Diagnostic, Severity};
use archmanual_github_snapshot::Snapshot;
use archmanual_model::ParseOptions;
use mdbook_preprocessor::book::Book;

use crate::{GithubConfig, GithubPreprocessorError, Report, codes};

/// Asks GitHub about every repository and account `book` links, and puts
/// the answers into `snapshot` (for this build only; the file is not
/// rewritten). Lookups that failed are one warning; their data stays the
/// snapshot's.
#[cfg(feature = "online")]
pub(crate) fn update(
    book: &Book,
    options: &ParseOptions,
    config: &GithubConfig,
    root: &Path,
    snapshot: &mut Snapshot,
    report: &mut Report,
) -> Result<(), GithubPreprocessorError> {
    use archmanual_github::{Client, Config as ClientConfig, RepoStatus, Targets, update_snapshot};

    let urls = crate::collect_urls(book, options);
    let targets = Targets::from_urls(&urls);
    let client = Client::new(ClientConfig {
        cache_path: Some(root.join(&config.cache)),
        ..ClientConfig::from_env()
    })?;
    let lookups = client.lookup_blocking(&targets.repos, &targets.owners)?;
    // The cache is an optimisation; failing to write it is not a finding.
    let _ = client.save_cache();
    let unknown = lookups.unknown_count();
    if unknown > 0 {
        let reason = lookups
            .repos
            .values()
            .find_map(|s| match s {
                RepoStatus::Unknown { reason } => Some(reason.clone()),
                _ => None,
            })
            .unwrap_or_default();
        report.diagnostics.push(
            Diagnostic::new(
                codes::ONLINE_UNKNOWN,
                Severity::Warning,
                config.snapshot.clone(),
                format!(
                    "online mode: {unknown} GitHub lookups failed, the snapshot's data is used for them ({reason})"
                ),
            )
            .with_help("set GITHUB_TOKEN, or build offline from the committed snapshot"),
        );
    }
    update_snapshot(snapshot, &lookups, None);
    Ok(())
}

/// Built without the `online` feature there is no client: one warning, and
/// the snapshot as it is.
#[cfg(not(feature = "online"))]
pub(crate) fn update(
    _: &Book,
    _: &ParseOptions,
    config: &GithubConfig,
    _: &Path,
    _: &mut Snapshot,
    report: &mut Report,
) -> Result<(), GithubPreprocessorError> {
    report.diagnostics.push(
        Diagnostic::new(
            codes::ONLINE_UNKNOWN,
            Severity::Warning,
            config.snapshot.clone(),
            "online mode is not built in (mdbook-github without its `online` feature): the snapshot's data is used",
        )
        .with_help("build mdbook-github with its default features, or build offline"),
    );
    Ok(())
}

#[cfg(all(test, not(feature = "online")))]
mod tests {
    #[test]
    fn without_the_feature_online_mode_is_one_warning() {
        let mut report = crate::Report::default();
        let config = crate::GithubConfig::default();
        super::update(
            &mdbook_preprocessor::book::Book::new(),
            &archmanual_model::ParseOptions::default(),
            &config,
            std::path::Path::new("."),
            &mut archmanual_github_snapshot::Snapshot::default(),
            &mut report,
        )
        .unwrap();
        assert_eq!(report.diagnostics.len(), 1);
        assert_eq!(report.diagnostics[0].code, crate::codes::ONLINE_UNKNOWN);
        assert!(report.diagnostics[0].message.contains("`online` feature"));
    }
}
