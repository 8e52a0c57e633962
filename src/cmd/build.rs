//! `archmanual build`: mdBook in-process, with our preprocessors replacing the
//! command preprocessors that `book.toml` declares under the same names (same
//! order, no subprocesses, one process-wide diagnostics sink).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use archmanual_diagnostics::{Diagnostic, DiagnosticSink, render_human};
use mdbook_driver::MDBook;

/// Arguments of `archmanual build`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The book's root directory (where book.toml is).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Write the output here instead of `[build] build-dir`.
    #[arg(long)]
    dest_dir: Option<PathBuf>,
}

/// Loads the book at `root` with every in-process preprocessor registered
/// under the names `book.toml` declares. Shared with tests and benchmarks.
pub(crate) fn load(root: &Path, sink: &DiagnosticSink) -> anyhow::Result<MDBook> {
    let mut md = MDBook::load(root)
        .with_context(|| format!("cannot load the book at {}", root.display()))?;
    let declared = |name: &str| {
        md.config
            .get::<serde_json::Value>(&format!("preprocessor.{name}"))
            .ok()
            .flatten()
            .is_some()
    };
    let (catalog, github, protocol) = (
        declared(mdbook_catalog::Catalog::NAME),
        declared(mdbook_github::Github::NAME),
        declared("protocol"),
    );
    if catalog {
        md.with_preprocessor(mdbook_catalog::Catalog::with_sink(sink.clone()));
    }
    if github {
        md.with_preprocessor(mdbook_github::Github::with_sink(sink.clone()));
    }
    if protocol {
        md.with_preprocessor(Draining {
            inner: mdbook_protocol::ProtocolPreprocessor::new(),
            sink: sink.clone(),
        });
    }
    Ok(md)
}

/// Runs a preprocessor that keeps its own diagnostics and moves them into the
/// shared sink after each run (mdBook owns the preprocessor once registered).
struct Draining {
    inner: mdbook_protocol::ProtocolPreprocessor,
    sink: DiagnosticSink,
}

impl mdbook_preprocessor::Preprocessor for Draining {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn run(
        &self,
        ctx: &mdbook_preprocessor::PreprocessorContext,
        book: mdbook_preprocessor::book::Book,
    ) -> mdbook_preprocessor::errors::Result<mdbook_preprocessor::book::Book> {
        let result = self.inner.run(ctx, book);
        // Errors travel in `result`; keep only what does not fail the build.
        self.sink.extend(
            self.inner.take_diagnostics().into_iter().filter(|d| {
                result.is_ok() || d.severity != archmanual_diagnostics::Severity::Error
            }),
        );
        result
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        self.inner.supports_renderer(renderer)
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let sink = DiagnosticSink::default();
    let mut md = load(&args.book, &sink)?;
    if let Some(dest) = args.dest_dir {
        md.config.build.build_dir = dest;
    }
    build_with_search(&mut md, &sink)?;
    Ok(0)
}

/// Builds the loaded book, prints the preprocessors' warnings, then indexes
/// the output for search (mdBook's own index is switched off). Shared with
/// `archmanual serve`.
pub(crate) fn build_with_search(md: &mut MDBook, sink: &DiagnosticSink) -> anyhow::Result<()> {
    let has_chapters = md.book.chapters().next().is_some();
    let search = archmanual_search::use_pagefind_for_search(&mut md.config, has_chapters)?;
    let capture = archmanual_search::BookCapture::default();
    if search {
        md.with_preprocessor(capture.clone());
    }
    let result = md.build();
    print_diagnostics(md, &sink.drain());
    result.context("the build failed")?;
    let dest = md.root.join(&md.config.build.build_dir);
    eprintln!(
        "built {} into {}",
        md.config.book.title.as_deref().unwrap_or("the book"),
        dest.display()
    );
    let Some(rendered) = capture.take() else {
        return Ok(());
    };
    let started = std::time::Instant::now();
    let snapshot_path = md.source_dir().join(
        md.config
            .get::<String>("preprocessor.catalog.snapshot")
            .ok()
            .flatten()
            .unwrap_or_else(|| archmanual_github_snapshot::SNAPSHOT_FILE.to_string()),
    );
    let snapshot = archmanual_github_snapshot::Snapshot::load_optional(&snapshot_path)?;
    let options = archmanual_model::ParseOptions::from_config(&md.config);
    let site = archmanual_search::SearchSite::new(&rendered, &md.book, &options, snapshot.as_ref());
    let language = md
        .config
        .book
        .language
        .clone()
        .unwrap_or_else(|| "en".into());
    let report = archmanual_search::index_book(
        &dest,
        &site,
        &archmanual_search::IndexOptions::new(language),
    )
    .context("indexing the book for search failed")?;
    eprintln!(
        "indexed {} pages and {} entries for search in {:.2}s ({} files, {} KiB in {})",
        report.pages,
        report.entries,
        started.elapsed().as_secs_f64(),
        report.bundle_files,
        report.bundle_bytes / 1024,
        dest.join(archmanual_search::BUNDLE_DIR).display()
    );
    if report.entries_without_anchor > 0 {
        eprintln!(
            "warning: {} entries have no anchor on their page (is [preprocessor.catalog] in book.toml?); their search results link to the page",
            report.entries_without_anchor
        );
    }
    Ok(())
}

/// Renders warnings left by the preprocessors, with source excerpts.
fn print_diagnostics(md: &MDBook, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let src = md.source_dir();
    let sources: HashMap<PathBuf, String> = diagnostics
        .iter()
        .filter_map(|d| {
            std::fs::read_to_string(src.join(&d.file))
                .ok()
                .map(|t| (d.file.clone(), t))
        })
        .collect();
    let stderr = std::io::stderr();
    let color = stderr.is_terminal();
    let _ = render_human(diagnostics, &sources, color, &mut stderr.lock());
}
