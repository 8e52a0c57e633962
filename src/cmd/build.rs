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
use mdbook_preprocessor::Preprocessor;
use mdbook_protocol::Protocol;
use mdbook_search::SearchRenderer;
use mdbook_summary::Summary;
use std::sync::PoisonError;

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
        md.with_preprocessor(NotForSearch {
            inner: Adapter::<P>::new(sink.clone()),
            search: mdbook_search::declared_renderers(&loaded.config),
        });
    }
    Ok(())
}

/// An in-process preprocessor that skips the search renderer: in-process,
/// that renderer indexes the book the HTML renderer got (mdBook would
/// otherwise run every preprocessor once more for it, and report their
/// findings twice).
struct NotForSearch<P> {
    inner: P,
    search: Vec<String>,
}

impl<P: Preprocessor> Preprocessor for NotForSearch<P> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn run(
        &self,
        ctx: &mdbook_preprocessor::PreprocessorContext,
        book: mdbook_preprocessor::book::Book,
    ) -> mdbook_preprocessor::errors::Result<mdbook_preprocessor::book::Book> {
        self.inner.run(ctx, book)
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        if self.search.iter().any(|s| s == renderer) {
            return Ok(false);
        }
        self.inner.supports_renderer(renderer)
    }
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
/// the HTML for search. A book that declares the `mdbook-search` renderer
/// (`[output.search]`) gets it in-process, in its place among the renderers;
/// any other book is indexed after the build the same way. Returns the
/// directory of the HTML. Shared with `archmanual serve`.
pub(crate) fn build_with_search(
    md: &mut MDBook,
    sources: &Sources,
    sink: &DiagnosticSink,
) -> anyhow::Result<PathBuf> {
    let has_chapters = md.book.chapters().next().is_some();
    archmanual_search::skip_mdbook_index(&md.root, &mut md.config, has_chapters)?;
    let capture = archmanual_search::BookCapture::default();
    md.with_preprocessor(capture.clone());
    let renderers = mdbook_search::declared_renderers(&md.config);
    let mut slots = Vec::new();
    for name in &renderers {
        let renderer = SearchRenderer::in_process(name, capture.clone(), md.book.clone());
        slots.push(renderer.outcome());
        md.with_renderer(renderer);
    }
    let result = md.build();
    print_diagnostics(md, sources, &sink.drain());
    result.context("the build failed")?;
    let html = md.build_dir_for("html");
    eprintln!(
        "built {} into {}",
        md.config.book.title.as_deref().unwrap_or("the book"),
        html.display()
    );
    let done = if renderers.is_empty() {
        match capture.take() {
            Some(rendered) => Some((
                archmanual_search::index_rendered_book(
                    &md.root,
                    &md.config,
                    &rendered,
                    Some(&md.book),
                    &html,
                )
                .context("indexing the book for search failed")?,
                html.clone(),
            )),
            None => None,
        }
    } else {
        slots
            .iter()
            .find_map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).take())
    };
    if let Some((outcome, dir)) = done {
        for line in mdbook_search::describe(&outcome, &dir) {
            eprintln!("{line}");
        }
    }
    Ok(html)
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
