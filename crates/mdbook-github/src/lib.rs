#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod annotate;
mod online;

use std::path::{Path, PathBuf};

use archmanual_diagnostics::{Diagnostic, DiagnosticSink, Severity};
use archmanual_github_snapshot::{SNAPSHOT_FILE, Snapshot};
use archmanual_model::{Document, ParseOptions};
use archmanual_preprocessor_kit::{ArchPreprocessor, RunError};
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem};
use serde::Deserialize;

pub use annotate::{Annotated, annotate_chapter, badge_html, escape, star_mentions};

/// Diagnostic codes of this preprocessor.
pub mod codes {
    /// The snapshot file is absent (warning; no star counts are shown).
    pub const NO_SNAPSHOT: &str = "GH000";
    /// A linked repository is not in the snapshot (warning).
    pub const NOT_IN_SNAPSHOT: &str = "GH001";
    /// A linked repository does not exist or is private (error).
    pub const MISSING: &str = "GH002";
    /// A linked repository is archived (warning).
    pub const ARCHIVED: &str = "GH003";
    /// A linked repository was renamed or moved (warning, with a fix).
    pub const RENAMED: &str = "GH004";
    /// A linked repository is disabled (warning).
    pub const DISABLED: &str = "GH005";
    /// An entry's repository has fewer stars than `min-stars` (warning).
    pub const LOW_STARS: &str = "GH006";
    /// A star count written in the text is more than the tolerance off (warning, with a fix).
    pub const STARS_OFF: &str = "GH007";
    /// GitHub blocks access to a linked repository (error).
    pub const BLOCKED: &str = "GH008";
    /// Online mode could not reach GitHub for some repositories (warning).
    pub const ONLINE_UNKNOWN: &str = "GH009";
}

/// The environment variable that turns online mode on (`1` or `true`).
pub const ONLINE_ENV: &str = "ARCHMANUAL_GITHUB_ONLINE";

/// `[preprocessor.github]` in book.toml. Unknown keys are errors.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct GithubConfig {
    /// Ask GitHub during the build (the snapshot file is not rewritten).
    /// Off by default: builds read only the committed snapshot.
    pub online: bool,
    /// The snapshot, relative to the book's `src`.
    pub snapshot: String,
    /// Show `★ 12.3k` after each entry's link.
    pub stars: bool,
    /// Show archived/disabled badges and renamed notices.
    pub badges: bool,
    /// Warn about entries with fewer stars (off when absent).
    pub min_stars: Option<u64>,
    /// How far (percent) a hand-written star count may be off the snapshot.
    pub star_tolerance_percent: u32,
    /// Online lookup cache, relative to the book root.
    pub cache: String,
}

impl Default for GithubConfig {
    fn default() -> Self {
        GithubConfig {
            online: false,
            snapshot: SNAPSHOT_FILE.to_owned(),
            stars: true,
            badges: true,
            min_stars: None,
            star_tolerance_percent: 20,
            cache: "target/github-cache.json".to_owned(),
        }
    }
}

/// Errors that stop the preprocessor.
#[derive(Debug, thiserror::Error)]
pub enum GithubPreprocessorError {
    /// The snapshot exists but cannot be read.
    #[error(transparent)]
    Snapshot(#[from] archmanual_github_snapshot::SnapshotError),
    /// The online client could not be built.
    #[cfg(feature = "online")]
    #[error(transparent)]
    Client(#[from] archmanual_github::GithubClientError),
}

/// What [`process`] did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Findings (warnings and errors; none fails the build).
    pub diagnostics: Vec<Diagnostic>,
    /// Entries that show a star count.
    pub starred: usize,
    /// True if a snapshot file was found.
    pub snapshot_found: bool,
}

/// The `github` preprocessor ([`ArchPreprocessor`]): every finding goes to
/// its sink; none fails the run.
#[derive(Debug, Clone, Default)]
pub struct Github {
    sink: DiagnosticSink,
}

impl ArchPreprocessor for Github {
    const NAME: &'static str = "github";
    type Config = GithubConfig;
    /// The committed snapshot the links are checked against.
    type Facts = Snapshot;

    fn new(sink: DiagnosticSink) -> Self {
        Github { sink }
    }

    /// The findings about the chapter's GitHub links (`GH001`–`GH008`),
    /// offline, from `snapshot`: what [`annotate_chapter`] reports.
    fn check(
        file: &Path,
        doc: &Document,
        cfg: &GithubConfig,
        snapshot: &Snapshot,
    ) -> Vec<Diagnostic> {
        annotate::diagnose_document(file, doc, snapshot, cfg)
    }

    fn process(
        &self,
        ctx: &PreprocessorContext,
        config: &GithubConfig,
        book: Book,
    ) -> Result<Book, RunError> {
        let src_dir = ctx.root.join(&ctx.config.book.src);
        let options = ParseOptions::from_config(&ctx.config);
        let online = config.online || online_from_env(std::env::var(ONLINE_ENV).ok().as_deref());
        let (book, report) = process(book, &options, config, &src_dir, &ctx.root, online)?;
        self.sink.extend(report.diagnostics);
        Ok(book)
    }
}

fn online_from_env(value: Option<&str>) -> bool {
    matches!(
        value.map(str::trim).map(str::to_ascii_lowercase).as_deref(),
        Some("1" | "true" | "yes")
    )
}

/// Annotates every chapter of `book` from the snapshot at
/// `src_dir/config.snapshot` (asking GitHub first when `online`, if built
/// with the `online` feature).
/// A missing snapshot is one warning and no badges; a corrupt one is an error.
pub fn process(
    mut book: Book,
    options: &ParseOptions,
    config: &GithubConfig,
    src_dir: &Path,
    root: &Path,
    online: bool,
) -> Result<(Book, Report), GithubPreprocessorError> {
    let path = src_dir.join(&config.snapshot);
    let mut report = Report::default();
    let loaded = Snapshot::load_optional(&path)?;
    report.snapshot_found = loaded.is_some();
    let mut snapshot = loaded.clone().unwrap_or_default();
    if online {
        online::update(&book, options, config, root, &mut snapshot, &mut report)?;
    } else if loaded.is_none() {
        report.diagnostics.push(
            Diagnostic::new(
                codes::NO_SNAPSHOT,
                Severity::Warning,
                config.snapshot.clone(),
                format!(
                    "no GitHub snapshot at {}: star counts and badges are not shown",
                    path.display()
                ),
            )
            .with_help("run `archmanual refresh` (needs GITHUB_TOKEN) and commit the file"),
        );
        return Ok((book, report));
    }
    book.for_each_mut(|item| {
        let BookItem::Chapter(ch) = item else { return };
        if ch.content.is_empty() {
            return;
        }
        // Generated pages (no source file, or content the catalog replaced,
        // like the map) repeat entries of real pages: badges yes, findings
        // no — and their positions would not be those of a file anyway.
        let (file, diagnose) = match (&ch.source_path, &ch.path) {
            (Some(s), _) => {
                // Compared as mdBook loads it: the text after a byte-order mark.
                let on_disk = archmanual_model::SourceFile::read(&src_dir.join(s)).ok();
                (
                    s.clone(),
                    on_disk.is_some_and(|f| f.text() == ch.content.as_str()),
                )
            }
            (None, Some(p)) => (p.clone(), false),
            (None, None) => (PathBuf::from(&ch.name), false),
        };
        let annotated = annotate_chapter(&file, &ch.content, options, &snapshot, config, diagnose);
        report.starred += annotated.starred;
        report.diagnostics.extend(annotated.diagnostics);
        ch.content = annotated.content;
    });
    Ok((book, report))
}

/// Every link destination of every chapter (for online lookups and refresh).
pub fn collect_urls(book: &Book, options: &ParseOptions) -> Vec<String> {
    let mut urls = Vec::new();
    for item in book.iter() {
        if let BookItem::Chapter(ch) = item {
            let doc = Document::parse(ch.content.as_str(), options);
            urls.extend(doc.links.into_iter().filter(|l| !l.image).map(|l| l.dest));
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_env_values() {
        assert!(online_from_env(Some("1")));
        assert!(online_from_env(Some("TRUE")));
        assert!(!online_from_env(Some("0")));
        assert!(!online_from_env(Some("")));
        assert!(!online_from_env(None));
    }

    #[test]
    fn unknown_config_keys_are_errors() {
        let err = serde_json::from_value::<GithubConfig>(serde_json::json!({ "min-star": 5 }))
            .unwrap_err()
            .to_string();
        assert!(err.contains("min-star"), "{err}");
        let ok: GithubConfig =
            serde_json::from_value(serde_json::json!({ "min-stars": 5, "online": true })).unwrap();
        assert_eq!(ok.min_stars, Some(5));
        assert!(ok.online && ok.stars);
    }
}
