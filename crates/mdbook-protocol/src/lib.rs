#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod ast;
pub mod cli;
mod error;
mod parse;
mod render;
pub mod safety;
pub mod text;

use std::fmt::Write as _;
use std::path::Path;

use archmanual_diagnostics::{Diagnostic, DiagnosticSink, Severity};
use archmanual_model::{CodeBlock, Document, ParseOptions, Span as MdSpan};
use archmanual_preprocessor_kit::{ArchPreprocessor, RunError};
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem};

pub use ast::{Diagram, Dialect};
pub use error::{DiagramError, Level, Limits};
pub use parse::parse;
pub use render::{RenderOptions, render};

/// A rendered diagram and the warnings found while checking it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// One line of SVG markup.
    pub svg: String,
    /// Protocol warnings (the diagram still rendered).
    pub warnings: Vec<DiagramError>,
}

/// Parses, checks and renders one diagram source.
pub fn render_source(
    src: &str,
    dialect: Dialect,
    seed: &str,
) -> Result<Rendered, Vec<DiagramError>> {
    let (d, warnings) = parse(src, dialect, &Limits::default())?;
    let svg = render(
        &d,
        &RenderOptions {
            seed: seed.to_string(),
        },
    );
    Ok(Rendered { svg, warnings })
}

/// Which fences this crate renders: ```` ```protocol ```` / ```` ```msc ```` always, and
/// ```` ```mermaid ```` only when its diagram is a `sequenceDiagram` (other Mermaid diagram
/// types are left alone).
pub fn fence_dialect(lang: &str, content: &str) -> Option<Dialect> {
    match lang {
        "protocol" | "msc" => Some(Dialect::Protocol),
        "mermaid" if is_sequence_diagram(content) => Some(Dialect::Mermaid),
        _ => None,
    }
}

/// True when the first statement (after front matter, directives and comments) is
/// `sequenceDiagram`.
pub fn is_sequence_diagram(src: &str) -> bool {
    let mut in_front = false;
    let mut first = true;
    for line in src.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if first && t == "---" {
            in_front = true;
            first = false;
            continue;
        }
        first = false;
        if in_front {
            in_front = t != "---";
            continue;
        }
        if t.starts_with("%%") {
            continue;
        }
        let w: String = t.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        return w.eq_ignore_ascii_case("sequencediagram");
    }
    false
}

/// What to do with a diagram that has errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnError {
    /// Fail the build when `CI` is set, else show an inline error block.
    #[default]
    Auto,
    /// Fail the build.
    Fail,
    /// Replace the diagram with an error block in the page and go on.
    Inline,
}

impl OnError {
    /// Resolves `auto` against the environment (`CI` set and not `false`/`0`).
    pub fn resolve(self) -> OnError {
        match self {
            OnError::Auto => match std::env::var("CI") {
                Ok(v) if !v.is_empty() && v != "false" && v != "0" => OnError::Fail,
                _ => OnError::Inline,
            },
            other => other,
        }
    }
}

/// `[preprocessor.protocol]` settings (besides mdBook's own `command`, `renderers`, …).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `on-error = "auto" | "fail" | "inline"`.
    #[serde(default)]
    pub on_error: OnError,
    /// `mermaid-extensions = true` also allows protocol extensions in ```` ```mermaid ```` fences.
    #[serde(default)]
    pub mermaid_extensions: bool,
}

/// A chapter after its diagrams were rendered.
#[derive(Debug, Clone)]
pub struct ChapterOutput {
    /// The new Markdown.
    pub content: String,
    /// Errors and warnings, located in the chapter file.
    pub diagnostics: Vec<Diagnostic>,
}

struct Found<'a> {
    block: &'a CodeBlock,
    dialect: Dialect,
    index: usize,
}

fn diagram_blocks<'a>(doc: &'a Document, cfg: &Config) -> Vec<Found<'a>> {
    doc.code_blocks
        .iter()
        .filter(|b| b.fenced)
        .filter_map(|b| fence_dialect(&b.lang, &b.content).map(|d| (b, d)))
        .enumerate()
        .map(|(index, (block, dialect))| Found {
            block,
            dialect: if cfg.mermaid_extensions {
                Dialect::Protocol
            } else {
                dialect
            },
            index,
        })
        .collect()
}

/// Maps a byte offset in a code block's content to a byte offset in the chapter. Content of
/// fences inside lists or block quotes is not contiguous in the chapter, so map by line and
/// re-add the container prefix.
fn map_offset(doc: &Document, b: &CodeBlock, off: usize) -> usize {
    let src = &doc.source;
    if src.get(b.content_span.start..b.content_span.end) == Some(b.content.as_str()) {
        return b.content_span.start + off.min(b.content.len());
    }
    let off = off.min(b.content.len());
    let line_k = b.content[..off].matches('\n').count();
    let cline_start = b.content[..off].rfind('\n').map_or(0, |i| i + 1);
    let cline_end = b.content[cline_start..]
        .find('\n')
        .map_or(b.content.len(), |i| cline_start + i);
    let cline = &b.content[cline_start..cline_end];
    let (first_line, _) = doc.line_col(b.content_span.start);
    let lines = doc.lines();
    let Some(ls) = lines.line_start(first_line + line_k) else {
        return b.content_span.start;
    };
    let le = src[ls..].find('\n').map_or(src.len(), |i| ls + i);
    let chapter_line = &src[ls..le];
    let prefix = if chapter_line.ends_with(cline) {
        chapter_line.len() - cline.len()
    } else {
        0
    };
    (ls + prefix + (off - cline_start)).min(le)
}

fn to_diagnostic(file: &Path, doc: &Document, b: &CodeBlock, e: &DiagramError) -> Diagnostic {
    let start = map_offset(doc, b, e.span.start);
    let end = map_offset(doc, b, e.span.end.max(e.span.start)).max(start);
    let sev = match e.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
    };
    let mut d = Diagnostic::new(e.code, sev, file, e.message.clone())
        .at(doc.location(MdSpan::new(start, end)));
    if let Some(h) = &e.help {
        d = d.with_help(h.clone());
    }
    d
}

/// Diagram diagnostics for one chapter, for `archmanual lint`: every error and warning of every
/// ```` ```protocol ```` and sequence ```` ```mermaid ```` fence, located in `file` (a path
/// relative to the book source directory).
pub fn chapter_diagnostics(file: &Path, doc: &Document, cfg: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in diagram_blocks(doc, cfg) {
        match parse(&f.block.content, f.dialect, &Limits::default()) {
            Ok((_, warnings)) => out.extend(
                warnings
                    .iter()
                    .map(|w| to_diagnostic(file, doc, f.block, w)),
            ),
            Err(errors) => out.extend(errors.iter().map(|e| to_diagnostic(file, doc, f.block, e))),
        }
    }
    out
}

fn error_block(diags: &[Diagnostic]) -> String {
    let mut s = String::from(
        "<div class=\"pd-error\" role=\"alert\" style=\"border:2px solid var(--blockquote-caution-color,#b52731);padding:.4em .8em;margin:1em 0\"><strong>图表有错误，未能渲染：</strong><pre style=\"white-space:pre-wrap\">",
    );
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            s.push_str("&#10;");
        }
        safety::escape(&d.to_string(), &mut s);
    }
    s.push_str("</pre></div>");
    s
}

/// The smallest text in a diagram, in px, after the book stylesheet's
/// sequence-number rule (`theme/archmanual.css`).
const SMALLEST_TEXT_PX: f64 = 12.0;
/// The smallest text size a reader gets: the box never shrinks a diagram
/// further, it scrolls instead.
const MIN_TEXT_PX: f64 = 11.2;

/// The HTML box around a diagram: it scrolls sideways when the diagram is
/// wider than the column at readable size. `--pd-min` is the narrowest the
/// diagram may be drawn (its smallest text at 11 px); the book's stylesheet
/// uses it for the SVG's `min-width` and the "scroll" hint.
pub fn wrap_figure(svg: &str) -> String {
    let min = svg_width(svg).map(|w| (w * MIN_TEXT_PX / SMALLEST_TEXT_PX).ceil());
    let mut out = String::with_capacity(svg.len() + 128);
    out.push_str("<div class=\"pd\" style=\"overflow-x:auto;margin:1em 0;break-inside:avoid");
    if let Some(min) = min {
        let _ = write!(out, ";--pd-min:{min}px");
    }
    out.push_str("\">");
    out.push_str(svg);
    out.push_str("</div>");
    out
}

/// The `width` attribute of the outer `<svg>` tag, in px.
fn svg_width(svg: &str) -> Option<f64> {
    let tag = &svg[..svg.find('>')?];
    let rest = &tag[tag.find(" width=\"")? + 8..];
    let w: f64 = rest[..rest.find('"')?].parse().ok()?;
    (w.is_finite() && w > 0.0).then_some(w)
}

/// Renders every diagram fence of a chapter in place (by byte span; the rest of the Markdown
/// is untouched). With `OnError::Inline` a broken diagram becomes an error block; with
/// `Fail` (or `Auto`) it is left as written and reported in the diagnostics.
pub fn process_chapter(
    file: &Path,
    content: &str,
    cfg: &Config,
    on_error: OnError,
) -> ChapterOutput {
    let doc = Document::parse(content, &ParseOptions::default());
    let found = diagram_blocks(&doc, cfg);
    if found.is_empty() {
        return ChapterOutput {
            content: content.to_string(),
            diagnostics: Vec::new(),
        };
    }
    let mut diagnostics = Vec::new();
    let mut out = String::with_capacity(content.len() * 2);
    let mut last = 0;
    let file_key = file.to_string_lossy();
    for f in &found {
        let seed = format!("{file_key}#{}", f.index);
        let replacement = match render_source(&f.block.content, f.dialect, &seed) {
            Ok(r) => {
                diagnostics.extend(
                    r.warnings
                        .iter()
                        .map(|w| to_diagnostic(file, &doc, f.block, w)),
                );
                Some(wrap_figure(&r.svg))
            }
            Err(errors) => {
                let ds: Vec<Diagnostic> = errors
                    .iter()
                    .map(|e| to_diagnostic(file, &doc, f.block, e))
                    .collect();
                let block = (on_error == OnError::Inline).then(|| error_block(&ds));
                diagnostics.extend(ds);
                block
            }
        };
        let span = f.block.span;
        if let Some(html) = replacement {
            if span.start < last || span.end > content.len() {
                continue;
            }
            out.push_str(&content[last..span.start]);
            out.push_str(&html);
            // An HTML block ends at a blank line; make sure one follows.
            out.push_str("\n\n");
            last = span.end;
        }
    }
    out.push_str(&content[last..]);
    ChapterOutput {
        content: out,
        diagnostics,
    }
}

/// The mdBook preprocessor ([`ArchPreprocessor`]): renders every diagram
/// fence of the book. With `on-error = "fail"` the diagram errors fail the
/// run (and are in its error only); every other finding goes to the sink.
#[derive(Debug, Clone, Default)]
pub struct Protocol {
    sink: DiagnosticSink,
}

impl ArchPreprocessor for Protocol {
    const NAME: &'static str = "protocol";
    type Config = Config;
    type Facts = ();

    fn new(sink: DiagnosticSink) -> Self {
        Protocol { sink }
    }

    /// Every error and warning of the chapter's diagrams: [`chapter_diagnostics`].
    fn check(file: &Path, doc: &Document, cfg: &Config, _: &()) -> Vec<Diagnostic> {
        chapter_diagnostics(file, doc, cfg)
    }

    fn process(
        &self,
        _: &PreprocessorContext,
        cfg: &Config,
        mut book: Book,
    ) -> Result<Book, RunError> {
        let on_error = cfg.on_error.resolve();
        let mut all = Vec::new();
        book.for_each_mut(|item| {
            if let BookItem::Chapter(ch) = item {
                let Some(path) = ch.source_path.clone().or_else(|| ch.path.clone()) else {
                    return;
                };
                let out = process_chapter(&path, &ch.content, cfg, on_error);
                ch.content = out.content;
                all.extend(out.diagnostics);
            }
        });
        if on_error == OnError::Fail && all.iter().any(|d| d.severity == Severity::Error) {
            let (errors, rest): (Vec<_>, Vec<_>) =
                all.into_iter().partition(|d| d.severity == Severity::Error);
            self.sink.extend(rest);
            let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return Err(RunError::msg(format!(
                "{} diagram error(s):\n{}\n(set `on-error = \"inline\"` in [preprocessor.{}] to show errors in the page instead)",
                errors.len(),
                errors.join("\n"),
                Self::NAME,
            )));
        }
        self.sink.extend(all);
        Ok(book)
    }

    fn supports_renderer(renderer: &str) -> bool {
        renderer == "html"
    }
}

#[cfg(test)]
mod wrapper_tests {
    use super::wrap_figure;

    #[test]
    fn the_box_lets_a_diagram_shrink_only_until_its_smallest_text_is_11_px() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 90" width="600" height="90"><text>a</text></svg>"#;
        let html = wrap_figure(svg);
        // 12 px text drawn at 11.2 px: 600 × 11.2 / 12 = 560.
        assert!(html.starts_with(r#"<div class="pd" style="overflow-x:auto;margin:1em 0;break-inside:avoid;--pd-min:560px">"#), "{html}");
        assert!(html.ends_with(&format!("{svg}</div>")));
        // Without a width the box says nothing (the diagram shrinks as before).
        let bare = wrap_figure("<svg><g width=\"9\"/></svg>");
        assert!(!bare.contains("--pd-min"), "{bare}");
    }
}
