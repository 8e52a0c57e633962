#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use archmanual_search::{BookCapture, Outcome, SearchError};
use mdbook_renderer::book::Book;
use mdbook_renderer::{RenderContext, Renderer};

/// The renderer's name: the `[output.search]` table.
pub const NAME: &str = "search";
/// The command mdBook runs for it by default (`mdbook-<name>`).
pub const COMMAND: &str = "mdbook-search";

/// Errors of the renderer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// Standard input was not mdBook's render context.
    #[error(
        "standard input is not an mdBook render context; mdbook-search is run by `mdbook build` for the `[output.search]` table of book.toml, not by hand"
    )]
    Input(#[source] serde_json::Error),
    /// Standard input is JSON without mdBook's `version`.
    #[error(
        "standard input is not an mdBook render context (no `version` field); mdbook-search is run by `mdbook build` for the `[output.search]` table of book.toml, not by hand"
    )]
    NoVersion,
    /// The context comes from an mdBook other than 0.5.
    #[error(
        "mdbook-search needs mdBook 0.5, this is mdBook {0}; install it with `cargo install mdbook --version ^0.5 --locked`"
    )]
    Version(String),
    /// Indexing failed.
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// The names of the `[output.*]` tables in `config` that run this renderer:
/// `[output.search]` without a `command`, and any table whose `command`
/// runs `mdbook-search` (a path to it, or `cargo run … -p mdbook-search`).
pub fn declared_renderers(config: &mdbook_renderer::config::Config) -> Vec<String> {
    let Ok(outputs) = config.outputs::<serde_json::Value>() else {
        return Vec::new();
    };
    outputs
        .into_iter()
        .filter(
            |(name, table)| match table.get("command").and_then(|c| c.as_str()) {
                None => name == NAME,
                Some(command) => command
                    .split_whitespace()
                    .any(|w| w.rsplit(['/', '\\']).next() == Some(COMMAND)),
            },
        )
        .map(|(name, _)| name)
        .collect()
}

/// What the last run found, for the caller to report.
pub type OutcomeSlot = Arc<Mutex<Option<(Outcome, PathBuf)>>>;

/// The renderer. [`SearchRenderer::new`] is what the `mdbook-search` binary
/// runs; [`SearchRenderer::in_process`] is the same renderer registered in a
/// program that drives mdBook itself (`archmanual build`).
#[derive(Debug, Clone)]
pub struct SearchRenderer {
    name: String,
    books: Option<(BookCapture, Book)>,
    outcome: OutcomeSlot,
}

impl Default for SearchRenderer {
    fn default() -> Self {
        SearchRenderer::new(NAME)
    }
}

impl SearchRenderer {
    /// The renderer of the `[output.NAME]` table.
    pub fn new(name: &str) -> SearchRenderer {
        SearchRenderer {
            name: name.to_string(),
            books: None,
            outcome: OutcomeSlot::default(),
        }
    }

    /// The renderer for a program that runs mdBook in-process: it indexes the
    /// book the HTML renderer received (kept by `capture`, which must be
    /// registered as a preprocessor) instead of preprocessing the book once
    /// more for this renderer, and reads catalog entries from `source` (the
    /// book as loaded) instead of loading it again.
    pub fn in_process(name: &str, capture: BookCapture, source: Book) -> SearchRenderer {
        SearchRenderer {
            books: Some((capture, source)),
            ..SearchRenderer::new(name)
        }
    }

    /// The outcome of the last render and the HTML directory it indexed.
    pub fn outcome(&self) -> OutcomeSlot {
        Arc::clone(&self.outcome)
    }
}

impl Renderer for SearchRenderer {
    fn name(&self) -> &str {
        &self.name
    }

    fn render(&self, ctx: &RenderContext) -> mdbook_renderer::errors::Result<()> {
        let (rendered, source) = match &self.books {
            Some((capture, source)) => (capture.take(), Some(source)),
            None => (None, None),
        };
        let done = render(ctx, rendered.as_ref(), source)?;
        *self.outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some(done);
        Ok(())
    }
}

/// Indexes the HTML that mdBook's HTML renderer wrote for the book of `ctx`
/// (in `build-dir/html`, since the book has two renderers). `rendered`
/// replaces `ctx.book` and `source` the book read from disk, when given.
/// Removes the renderer's own output directory (`build-dir/search`) if it
/// is empty: everything this renderer writes goes next to the HTML.
pub fn render(
    ctx: &RenderContext,
    rendered: Option<&Book>,
    source: Option<&Book>,
) -> Result<(Outcome, PathBuf), RenderError> {
    let html = archmanual_search::html_dir(&ctx.root, &ctx.config);
    let outcome = archmanual_search::index_rendered_book(
        &ctx.root,
        &ctx.config,
        rendered.unwrap_or(&ctx.book),
        source,
        &html,
    )?;
    if ctx.destination != html {
        // Only removes an empty directory.
        let _ = std::fs::remove_dir(&ctx.destination);
    }
    Ok((outcome, html))
}

/// What to tell the user about an outcome, one line each.
pub fn describe(outcome: &Outcome, html: &Path) -> Vec<String> {
    match outcome {
        Outcome::Indexed { report, language } => {
            let total = report.add_time + report.build_time + report.write_time;
            let mut lines = vec![format!(
                "indexed {} pages{} for search in {:.2}s (adding {:.2}s, index and gzip {:.2}s, writing {:.2}s; {} files, {} KiB in {}); language {}{}",
                report.pages,
                if report.entries > 0 {
                    format!(" and {} entries", report.entries)
                } else {
                    String::new()
                },
                total.as_secs_f64(),
                report.add_time.as_secs_f64(),
                report.build_time.as_secs_f64(),
                report.write_time.as_secs_f64(),
                report.bundle_files,
                report.bundle_bytes / 1024,
                html.join(archmanual_search::BUNDLE_DIR).display(),
                language.tag,
                if language.detected {
                    " (read from the text; set `[book] language` to choose)"
                } else {
                    ""
                },
            )];
            if report.entries_without_anchor > 0 {
                lines.push(format!(
                    "warning: {} entries have no anchor on their page (is [preprocessor.catalog] in book.toml?); their search results link to the page",
                    report.entries_without_anchor
                ));
            }
            if report.pages == 0 {
                lines.push(format!(
                    "warning: no chapter page found in {}; is this where the HTML renderer wrote the book?",
                    html.display()
                ));
            }
            lines
        }
        Outcome::Disabled => {
            vec!["search is off (`[output.html.search] enable = false`): nothing indexed".into()]
        }
        Outcome::NoSearchMarkup => vec![format!(
            "warning: the pages in {} have no search bar (a custom theme/index.hbs without mdBook's search markup): nothing indexed, mdBook's own search left as it is",
            html.display()
        )],
        _ => Vec::new(),
    }
}

/// Reads the render context from `input` and renders. The version is
/// checked before the context is parsed, so an mdBook 0.4 gets a clear
/// message instead of a field error.
pub fn run(input: impl Read) -> Result<(Outcome, PathBuf), RenderError> {
    let value: serde_json::Value = serde_json::from_reader(input).map_err(RenderError::Input)?;
    let version = value
        .get("version")
        .and_then(|v| v.as_str())
        .ok_or(RenderError::NoVersion)?;
    if !version.starts_with("0.5.") {
        return Err(RenderError::Version(version.to_string()));
    }
    let ctx: RenderContext = serde_json::from_value(value).map_err(RenderError::Input)?;
    render(&ctx, None, None)
}

/// The `mdbook-search` command: 0 when done (also when search is off or
/// the theme has no search bar, which it says), 2 on any error.
#[allow(clippy::print_stderr)] // the binary's own messages
pub fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    if let Some(arg) = args.next() {
        let help = matches!(arg.as_str(), "-h" | "--help");
        let text = format!(
            "usage: {COMMAND} (run by mdBook for the [output.{NAME}] table of book.toml)\n\nAdd to book.toml:\n\n    [output.html]\n\n    [output.{NAME}]\n\nthen `mdbook build` or `mdbook serve` indexes the book for Chinese, Japanese and Korean full-text search."
        );
        eprintln!("{text}");
        return std::process::ExitCode::from(if help { 0 } else { 2 });
    }
    match run(std::io::stdin().lock()) {
        Ok((outcome, html)) => {
            for line in describe(&outcome, &html) {
                eprintln!("{COMMAND}: {line}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{COMMAND}: error: {}", with_causes(&e));
            std::process::ExitCode::from(2)
        }
    }
}

/// The error and its causes, joined by `": "` (as anyhow's `{:#}`): the
/// cause carries the reason, file, line and column.
fn with_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
