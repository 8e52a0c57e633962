#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod config;
mod generate;
mod paths;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use archmanual_diagnostics::{Diagnostic, DiagnosticSink, Severity, render_human};
use archmanual_model::{BookModel, ChapterModel, Directive, Document, ParseOptions};
use archmanual_preprocessor_kit::{ArchPreprocessor, RunError};
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem};

pub use config::{CatalogConfig, Order};
pub use generate::{StarLookup, escape_text};

/// Diagnostic codes of this preprocessor.
pub mod codes {
    /// A malformed entry (error).
    pub const MALFORMED_ENTRY: &str = "CAT001";
    /// A generated index page with nothing under it (warning).
    pub const EMPTY_CATEGORY: &str = "CAT002";
    /// `{{#catalog …}}` with an unknown argument (error).
    pub const BAD_DIRECTIVE: &str = "CAT003";
    /// `order = "stars"` without a snapshot file (warning).
    pub const NO_SNAPSHOT: &str = "CAT004";
    /// `{{#catalog}}` that cannot be replaced: not on a line of its own, or a
    /// second one on the page (error).
    pub const MISPLACED_DIRECTIVE: &str = "CAT005";
}

/// Where a generated page goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// The whole chapter (a draft, or a page that is only the directive).
    Page,
    /// In place of the directive's line; the rest of the page is kept.
    Line(archmanual_model::Span),
}

/// What kind of page a chapter becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A category index: the chapter's subcategories and every entry under it.
    Index,
    /// The technology map: every category and entry of the book.
    Map,
}

/// The `catalog` preprocessor ([`ArchPreprocessor`]): warnings go to its
/// sink, malformed entries and misplaced directives fail the run.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    sink: DiagnosticSink,
    stars: Option<StarLookup>,
}

impl Catalog {
    /// Uses `stars` (repo URL → star count) when `order = "stars"`.
    #[must_use]
    pub fn with_stars(mut self, stars: StarLookup) -> Self {
        self.stars = Some(stars);
        self
    }
}

impl ArchPreprocessor for Catalog {
    const NAME: &'static str = "catalog";
    type Config = CatalogConfig;
    type Facts = ();

    fn new(sink: DiagnosticSink) -> Self {
        Catalog { sink, stars: None }
    }

    /// Malformed entries (`CAT001`) and `{{#catalog}}` directives that
    /// cannot be replaced (`CAT003`, `CAT005`): the errors that fail the run.
    fn check(file: &Path, doc: &Document, _: &CatalogConfig, _: &()) -> Vec<Diagnostic> {
        let mut out = entry_problems(file, doc);
        out.extend(directive(file, doc).1);
        out
    }

    fn process(
        &self,
        ctx: &PreprocessorContext,
        config: &CatalogConfig,
        book: Book,
    ) -> Result<Book, RunError> {
        let src_dir = ctx.root.join(&ctx.config.book.src);
        let stars = match (&config.order, &self.stars) {
            (Order::Stars, None) => {
                let path = src_dir.join(&config.snapshot);
                if path.exists() {
                    Some(StarLookup::from_snapshot_file(&path)?)
                } else {
                    // Offline builds must not fail for want of a snapshot.
                    self.sink.push(
                        Diagnostic::new(
                            codes::NO_SNAPSHOT,
                            Severity::Warning,
                            &config.snapshot,
                            "no GitHub snapshot: entries keep their source order",
                        )
                        .with_help(
                            "run `archmanual refresh` with a GITHUB_TOKEN and commit the snapshot",
                        ),
                    );
                    None
                }
            }
            // The map shows stars whenever the snapshot has them.
            (_, None) => {
                let path = src_dir.join(&config.snapshot);
                match path.exists().then(|| StarLookup::from_snapshot_file(&path)) {
                    Some(Ok(stars)) => Some(stars),
                    Some(Err(e)) => {
                        // Only the map's star marks need it: warn, do not fail.
                        self.sink.push(Diagnostic::new(
                            codes::NO_SNAPSHOT,
                            Severity::Warning,
                            &config.snapshot,
                            format!(
                                "{}; the technology map shows no stars",
                                archmanual_diagnostics::ErrorChain(&e)
                            ),
                        ));
                        None
                    }
                    None => None,
                }
            }
            _ => self.stars.clone(),
        };
        let options = ParseOptions::from_config(&ctx.config);
        let (book, diagnostics) = process(book, &options, config, stars.as_ref(), &src_dir)?;
        let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        self.sink.extend(warnings);
        if !errors.is_empty() {
            let mut out = Vec::new();
            // The chapter text after any byte-order mark: what the offsets index.
            let sources = archmanual_model::Sources::read_for(
                &src_dir,
                errors.iter().map(|d| d.file.clone()),
            );
            render_human(&errors, &sources, false, &mut out)?;
            let n = errors.len();
            let what = if errors.iter().all(|d| d.code == codes::MALFORMED_ENTRY) {
                format!("{n} malformed entr{}", if n == 1 { "y" } else { "ies" })
            } else {
                format!("{n} error{}", if n == 1 { "" } else { "s" })
            };
            return Err(RunError::msg(format!(
                "the catalog found {what} — fix them and build again:\n{}",
                String::from_utf8_lossy(&out)
            )));
        }
        Ok(book)
    }
}

/// Generates every index page and the map into `book`; returns the book and
/// the diagnostics (malformed entries are errors, empty categories warnings).
pub fn process(
    mut book: Book,
    options: &ParseOptions,
    config: &CatalogConfig,
    stars: Option<&StarLookup>,
    src_dir: &Path,
) -> std::result::Result<(Book, Vec<Diagnostic>), CatalogError> {
    let Prepared {
        model,
        mut diagnostics,
        kinds,
        paths,
        parts,
        anchors,
    } = prepare(&book, options, src_dir);
    let generator = generate::Generator {
        model: &model,
        paths: &paths,
        config,
        stars,
        parts: &parts,
        anchors: &anchors,
    };
    let mut pages: Vec<Option<String>> = vec![None; model.chapters.len()];
    for (i, kind) in kinds.iter().enumerate() {
        let Some((kind, placement)) = kind else {
            continue;
        };
        let whole = *placement == Placement::Page;
        let page = match kind {
            PageKind::Index => generator.index_page(i, whole),
            PageKind::Map => generator.map_page(i, whole),
        };
        if page.entry_count == 0 && page.subcategories == 0 {
            diagnostics.push(
                Diagnostic::new(
                    codes::EMPTY_CATEGORY,
                    Severity::Warning,
                    chapter_file(&model.chapters[i]),
                    format!(
                        "category `{}` has no entries and no subcategories",
                        model.chapters[i].name
                    ),
                )
                .with_help("add entries to its pages, or remove the empty chapter from SUMMARY.md"),
            );
        }
        pages[i] = Some(match placement {
            Placement::Page => page.markdown,
            Placement::Line(line) => {
                // Blank lines around it, so the generated blocks never merge
                // into a paragraph or list next to the directive. The page's
                // own entries around it get their anchors.
                let doc = &model.chapters[i].doc;
                let (before, after) = with_entry_anchors_around(doc, &anchors[i], *line);
                format!("{before}\n{}\n\n{after}", page.markdown.trim_end())
            }
        });
    }

    // Every entry gets its stable anchor on its own page, so search results,
    // index pages and the map can link to it.
    for (i, ch) in model.chapters.iter().enumerate() {
        if pages[i].is_none() && !ch.doc.entries.is_empty() {
            pages[i] = Some(with_entry_anchors(&ch.doc, &anchors[i]));
        }
    }

    // Write back in the same depth-first order the model was built in.
    let mut index = 0usize;
    for item in &mut book.items {
        write_back(item, &mut index, &paths, &mut pages);
    }
    Ok((book, diagnostics))
}

/// What generating pages needs: the model, each chapter's page kind, the
/// page paths (virtual ones for drafts), SUMMARY parts and entry anchors.
struct Prepared {
    model: BookModel,
    diagnostics: Vec<Diagnostic>,
    kinds: Vec<Option<(PageKind, Placement)>>,
    paths: Vec<Option<PathBuf>>,
    parts: Vec<Option<String>>,
    anchors: Vec<Vec<String>>,
}

fn prepare(book: &Book, options: &ParseOptions, src_dir: &Path) -> Prepared {
    let model = BookModel::from_book(book, options);
    let mut diagnostics = entry_diagnostics(&model);
    let kinds = page_kinds(&model, &mut diagnostics);

    // Virtual paths for generated drafts, children first so nested drafts
    // know their own paths.
    let taken: HashSet<PathBuf> = model
        .chapters
        .iter()
        .filter_map(|c| c.path.clone())
        .collect();
    let mut paths: Vec<Option<PathBuf>> = model.chapters.iter().map(|c| c.path.clone()).collect();
    let mut used = taken.clone();
    for (i, kind) in kinds.iter().enumerate().rev() {
        if matches!(kind, Some((_, Placement::Page))) && paths[i].is_none() {
            let p = paths::virtual_path(&model, i, &used, src_dir);
            used.insert(p.clone());
            paths[i] = Some(p);
        }
    }

    let parts = root_parts(book, &model);
    let anchors: Vec<Vec<String>> = model
        .chapters
        .iter()
        .map(|c| archmanual_model::entry_anchors(&c.doc))
        .collect();
    Prepared {
        model,
        diagnostics,
        kinds,
        paths,
        parts,
        anchors,
    }
}

/// The technology map as a standalone SVG file (for a README), or `None`
/// when no page has `{{#catalog map}}`. Links go to the built pages
/// (`.html`), relative to the map page, or under `base_url` when given
/// (e.g. `https://archmanual.github.io/archmanual/`).
pub fn map_svg(
    book: &Book,
    options: &ParseOptions,
    config: &CatalogConfig,
    stars: Option<&StarLookup>,
    src_dir: &Path,
    base_url: Option<&str>,
) -> Option<String> {
    let prep = prepare(book, options, src_dir);
    let i = prep
        .kinds
        .iter()
        .position(|k| matches!(k, Some((PageKind::Map, _))))?;
    let generator = generate::Generator {
        model: &prep.model,
        paths: &prep.paths,
        config,
        stars,
        parts: &prep.parts,
        anchors: &prep.anchors,
    };
    Some(generator.standalone_map(i, base_url))
}

/// The SUMMARY.md part title each top-level chapter sits under, by chapter
/// index (`None` before the first part title and for nested chapters).
fn root_parts(book: &Book, model: &BookModel) -> Vec<Option<String>> {
    let mut out = vec![None; model.chapters.len()];
    let mut roots = model.roots();
    let mut part = None;
    for item in &book.items {
        match item {
            BookItem::PartTitle(t) => part = Some(t.clone()),
            BookItem::Chapter(_) => {
                if let Some(r) = roots.next() {
                    out[r] = part.clone();
                }
            }
            _ => {}
        }
    }
    out
}

/// The page's Markdown with `<a id="entry-…"></a>` at the start of each
/// entry's description (ids are `[-_\w]` only: nothing to escape).
fn with_entry_anchors(doc: &archmanual_model::Document, anchors: &[String]) -> String {
    let end = doc.source.len();
    with_entry_anchors_around(doc, anchors, archmanual_model::Span::new(end, end)).0
}

/// The page's Markdown before and after `cut` (a `{{#catalog}}` line), with
/// the entry anchors of [`with_entry_anchors`] in both halves.
fn with_entry_anchors_around(
    doc: &archmanual_model::Document,
    anchors: &[String],
    cut: archmanual_model::Span,
) -> (String, String) {
    let (mut before, mut after) = (
        doc.source[..cut.start].to_string(),
        doc.source[cut.end..].to_string(),
    );
    for (e, a) in doc.entries.iter().zip(anchors).rev() {
        let at = archmanual_model::entry_anchor_offset(doc, e);
        let tag = format!(r#"<a id="{a}"></a>"#);
        if at >= cut.end && cut.end > cut.start {
            after.insert_str(at - cut.end, &tag);
        } else if at <= cut.start {
            before.insert_str(at, &tag);
        }
    }
    (before, after)
}

fn write_back(
    item: &mut BookItem,
    index: &mut usize,
    paths: &[Option<PathBuf>],
    pages: &mut [Option<String>],
) {
    let BookItem::Chapter(ch) = item else { return };
    let i = *index;
    *index += 1;
    if let Some(content) = pages[i].take() {
        ch.content = content;
        if ch.path.is_none() {
            ch.path = paths[i].clone();
        }
    }
    for sub in &mut ch.sub_items {
        write_back(sub, index, paths, pages);
    }
}

/// Errors that stop the catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The star snapshot could not be read.
    #[error(
        "cannot read the GitHub snapshot; run `archmanual refresh` or set `order = \"source\"` in [preprocessor.{name}]",
        name = Catalog::NAME
    )]
    Snapshot {
        /// The snapshot's path.
        path: PathBuf,
        /// Why it could not be read (it names the file, line and column).
        source: archmanual_github_snapshot::SnapshotError,
    },
}

fn chapter_file(ch: &ChapterModel) -> PathBuf {
    ch.file()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("SUMMARY.md"))
}

/// Malformed entries of every chapter, as errors.
pub fn entry_diagnostics(model: &BookModel) -> Vec<Diagnostic> {
    model
        .chapters
        .iter()
        .flat_map(|ch| entry_problems(&chapter_file(ch), &ch.doc))
        .collect()
}

/// Malformed entries of one chapter, as errors.
fn entry_problems(file: &Path, doc: &Document) -> Vec<Diagnostic> {
    // An entry broken by a Chinese input method's full-width brackets is
    // named as such, in lint's (AM015's) words; a full-width `：` separator
    // does not break the entry, so it only fails lint.
    let slips = doc.ime_slips();
    let slip_lines: Vec<usize> = slips.iter().map(|s| doc.location(s.span).line).collect();
    let broken_by_slip = doc.entry_problems.iter().flat_map(|p| match &p.kind {
        archmanual_model::EntryProblemKind::MixedList { bullet_lines, .. } => bullet_lines.clone(),
        _ => vec![doc.location(p.span).line],
    });
    let broken: Vec<usize> = broken_by_slip.filter(|l| slip_lines.contains(l)).collect();
    let slipped = slips
        .iter()
        .filter(|s| s.kind == archmanual_model::SlipKind::LinkSyntax)
        .filter(|s| broken.contains(&doc.location(s.span).line))
        .map(|s| {
            let (message, help) = s.message(&doc.source);
            Diagnostic::new(codes::MALFORMED_ENTRY, Severity::Error, file, message)
                .at(doc.location(s.span))
                .with_help(format!("{help} (`archmanual lint --fix` does it)"))
        });
    let rest = doc
        .entry_problems_beside_slips(&slips)
        .into_iter()
        .map(|p| {
            let (message, help) = p.message();
            Diagnostic::new(codes::MALFORMED_ENTRY, Severity::Error, file, message)
                .at(doc.location(p.span))
                .with_help(help)
        });
    let mut all: Vec<Diagnostic> = slipped.chain(rest).collect();
    all.sort_by_key(|d| d.location.map(|l| (l.line, l.column)));
    all
}

/// Which chapters become generated pages, and where the generated text goes.
fn page_kinds(
    model: &BookModel,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Option<(PageKind, Placement)>> {
    model
        .chapters
        .iter()
        .map(|ch| {
            if ch.is_draft() {
                return (!ch.children.is_empty()).then_some((PageKind::Index, Placement::Page));
            }
            let (placement, problems) = directive(&chapter_file(ch), &ch.doc);
            diagnostics.extend(problems);
            placement
        })
        .collect()
}

/// What the page's `{{#catalog}}` generates and where, and what is wrong
/// with its directives (`CAT003`, `CAT005`; then it generates nothing).
fn directive(file: &Path, doc: &Document) -> (Option<(PageKind, Placement)>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let catalog: Vec<_> = doc
        .directives
        .iter()
        .filter(|d| d.name == "catalog" && !d.in_code)
        .collect();
    let Some(d) = catalog.first() else {
        return (None, problems);
    };
    let source = &doc.source;
    let misplaced = |d: &Directive, message: &str| {
        Diagnostic::new(
            codes::MISPLACED_DIRECTIVE,
            Severity::Error,
            file,
            message.to_string(),
        )
        .at(doc.location(d.span))
        .with_help(
            "put one `{{#catalog}}` (or `{{#catalog map}}`) at the start of a line of its own, \
             where the generated list should appear",
        )
    };
    for extra in &catalog[1..] {
        problems.push(misplaced(extra, "a page can hold only one `{{#catalog}}`"));
    }
    let kind = match d.args.as_str() {
        "" => PageKind::Index,
        "map" => PageKind::Map,
        other => {
            problems.push(
                Diagnostic::new(
                    codes::BAD_DIRECTIVE,
                    Severity::Error,
                    file,
                    format!("unknown catalog page kind `{other}`"),
                )
                .at(doc.location(d.span))
                .with_help("write `{{#catalog}}` for a category index or `{{#catalog map}}` for the technology map"),
            );
            return (None, problems);
        }
    };
    if catalog.len() > 1 {
        return (None, problems);
    }
    // A page whose body is the directive (after an optional title) is generated whole.
    let body = format!("{}{}", &source[..d.span.start], &source[d.span.end..]);
    let only_directive = body
        .lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with("# "));
    if only_directive {
        return (Some((kind, Placement::Page)), problems);
    }
    // Otherwise the directive's line is replaced, if it is alone on it.
    let line_start = source[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[d.span.end..]
        .find('\n')
        .map_or(source.len(), |i| d.span.end + i + 1);
    if line_start != d.span.start || !source[d.span.end..line_end].trim().is_empty() {
        problems.push(misplaced(
            d,
            "`{{#catalog}}` shares its line with other text, so it cannot be replaced by the generated list",
        ));
        return (None, problems);
    }
    let line = archmanual_model::Span::new(line_start, line_end);
    (Some((kind, Placement::Line(line))), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry broken by a full-width bracket fails the build with the
    /// slip named as lint's AM015 names it, not as a "mixed list".
    #[test]
    fn input_method_slip_is_named_in_the_build_error() {
        let md = "# 消息队列\n\n- [Kafka](https://github.com/apache/kafka) - 日志。\n- ［NATS](https://github.com/nats-io/nats-server) - 消息系统。\n- [Pulsar](https://github.com/apache/pulsar) ： 云原生消息。\n";
        let doc = Document::parse(md, &ParseOptions::default());
        let found = entry_problems(Path::new("mq.md"), &doc);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(d.code, codes::MALFORMED_ENTRY);
        assert_eq!(d.location.map(|l| (l.line, l.column)), Some((4, 3)));
        let slip = &doc.ime_slips()[0];
        assert_eq!(d.message, slip.message(md).0);
        assert!(d.message.contains("full-width `［`"), "{}", d.message);
        assert!(!d.message.contains("mixes"), "{}", d.message);
    }
}

#[cfg(test)]
mod documented {
    /// Every code the catalog can print is explained on the book's rule
    /// page, where a contributor looks it up.
    #[test]
    fn every_code_is_on_the_rule_page() {
        let page = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../book/contributing/lint.md"),
        )
        .unwrap();
        for code in [
            super::codes::MALFORMED_ENTRY,
            super::codes::EMPTY_CATEGORY,
            super::codes::BAD_DIRECTIVE,
            super::codes::NO_SNAPSHOT,
            super::codes::MISPLACED_DIRECTIVE,
        ] {
            assert!(
                page.contains(&format!("| {code} |")),
                "{code} is not on book/contributing/lint.md"
            );
        }
    }
}
