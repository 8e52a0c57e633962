//! `archmanual build`: mdBook in-process, with our preprocessors replacing the
//! command preprocessors that `book.toml` declares under the same names (same
//! order, no subprocesses, one process-wide diagnostics sink).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use archmanual_diagnostics::{Diagnostic, DiagnosticSink, render_human};
use archmanual_model::{ChapterProblem, LoadedBook, Sources};
use archmanual_preprocessor_kit::{Adapter, ArchPreprocessor};
use mdbook_catalog::Catalog;
use mdbook_driver::MDBook;
use mdbook_github::Github;
use mdbook_protocol::Protocol;
use mdbook_summary::Summary;

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

/// Loads the book at `root` with the one loader every command uses (so
/// nothing is ever created in the book, whatever `create-missing` says) and
/// registers every in-process preprocessor under the names `book.toml`
/// declares. A missing or non-UTF-8 chapter, or an invalid
/// `[preprocessor.*]` table, fails here with the words `archmanual lint`
/// uses. Shared with tests and benchmarks.
pub(crate) fn load(root: &Path, sink: &DiagnosticSink) -> anyhow::Result<(MDBook, Sources)> {
    let loaded = LoadedBook::load(root)
        .with_context(|| format!("cannot load the book at {}", root.display()))?;
    let src = loaded.src_dir.display().to_string();
    if let Some(problem) = loaded.problems.first() {
        match problem {
            ChapterProblem::Encoding { error, .. } => bail!("{src}/{error}"),
            other => {
                let path = other.path();
                let at = loaded.summary_span(path).map_or_else(String::new, |span| {
                    let (line, column) = loaded.summary.line_col(span.start);
                    format!(":{line}:{column}")
                });
                bail!(
                    "{src}/SUMMARY.md{at}: SUMMARY.md lists `{}`, which does not exist; create the page, fix the path, or make it a draft chapter `- [Title]()` (archmanual never creates chapter files)",
                    path.display()
                );
            }
        }
    }
    // The chapters are already loaded: give mdBook an empty summary (it reads
    // no file and creates none) and then the book we read.
    let mut config = loaded.config.clone();
    config.build.create_missing = false;
    let mut md = MDBook::load_with_config_and_summary(root, config, Summary::default())
        .with_context(|| format!("cannot load the book at {}", root.display()))?;
    register::<Catalog>(&mut md, &loaded, sink)?;
    register::<Github>(&mut md, &loaded, sink)?;
    register::<Protocol>(&mut md, &loaded, sink)?;
    md.book = loaded.book;
    Ok((md, loaded.sources))
}

/// Checks `P`'s `[preprocessor.NAME]` table (with the words `archmanual
/// lint` uses) and, when book.toml declares it, registers `P` in place of
/// the command preprocessor of that name. Findings that fail the build
/// travel in its error, the rest in `sink`.
fn register<P: ArchPreprocessor>(
    md: &mut MDBook,
    loaded: &LoadedBook,
    sink: &DiagnosticSink,
) -> anyhow::Result<()> {
    loaded.preprocessor_config::<P::Config>(P::NAME)?;
    if loaded.declares_preprocessor(P::NAME) {
        md.with_preprocessor(Adapter::<P>::new(sink.clone()));
    }
    Ok(())
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let sink = DiagnosticSink::default();
    let (mut md, sources) = load(&args.book, &sink)?;
    if let Some(dest) = args.dest_dir {
        md.config.build.build_dir = dest;
    }
    build_with_search(&mut md, &sources, &sink)?;
    Ok(0)
}

/// Builds the loaded book, prints the preprocessors' warnings, then indexes
/// the output for search (mdBook's own index is switched off). Shared with
/// `archmanual serve`.
pub(crate) fn build_with_search(
    md: &mut MDBook,
    sources: &Sources,
    sink: &DiagnosticSink,
) -> anyhow::Result<()> {
    let has_chapters = md.book.chapters().next().is_some();
    let search = archmanual_search::use_pagefind_for_search(&mut md.config, has_chapters)?;
    let capture = archmanual_search::BookCapture::default();
    if search {
        md.with_preprocessor(capture.clone());
    }
    let result = md.build();
    print_diagnostics(md, sources, &sink.drain());
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
            .get::<String>(&format!("preprocessor.{}.snapshot", Catalog::NAME))
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
        "indexed {} pages and {} entries for search in {:.2}s (adding {:.2}s, index and gzip {:.2}s, writing {:.2}s; {} files, {} KiB in {})",
        report.pages,
        report.entries,
        started.elapsed().as_secs_f64(),
        report.add_time.as_secs_f64(),
        report.build_time.as_secs_f64(),
        report.write_time.as_secs_f64(),
        report.bundle_files,
        report.bundle_bytes / 1024,
        dest.join(archmanual_search::BUNDLE_DIR).display()
    );
    if report.entries_without_anchor > 0 {
        eprintln!(
            "warning: {} entries have no anchor on their page (is [preprocessor.{}] in book.toml?); their search results link to the page",
            report.entries_without_anchor,
            Catalog::NAME
        );
    }
    Ok(())
}

/// Renders warnings left by the preprocessors, with source excerpts from
/// the files as loaded (offsets index the text after a byte-order mark).
fn print_diagnostics(md: &MDBook, loaded: &Sources, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    // Generated pages and files outside SUMMARY (the snapshot) are read now.
    let mut sources = Sources::read_for(
        &md.source_dir(),
        diagnostics
            .iter()
            .map(|d| d.file.clone())
            .filter(|f| loaded.get(f).is_none()),
    );
    sources
        .0
        .extend(loaded.0.iter().map(|(k, v)| (k.clone(), v.clone())));
    let stderr = std::io::stderr();
    let color = super::color::enabled(&stderr);
    let _ = render_human(diagnostics, &sources, color, &mut stderr.lock());
}
