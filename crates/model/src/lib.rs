#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod anchor;
mod book;
mod directive;
mod entity;
mod entry;
pub mod heading_id;
pub mod html;
mod load;
mod par;
mod parse;
mod slip;
mod source;
mod span;
mod target;

pub use anchor::{ENTRY_ANCHOR_PREFIX, entry_anchor_offset, entry_anchors};
pub use book::{BookModel, ChapterModel};
pub use directive::Directive;
pub use entity::{
    EntitySyntax, decode_entities, decode_entities_in, escape_html, escape_html_with,
};
pub use entry::{Entry, EntryProblem, EntryProblemKind};
pub use load::{
    BoxedError, ChapterProblem, LoadError, LoadedBook, MDBOOK_KEYS, PreprocessorConfigError,
    Sources, preprocessor_config, summary_link_span,
};
pub use mdbook_markdown::MarkdownOptions;
pub use par::par_map;
pub use slip::{ImeSlip, SlipKind};
pub use source::{EncodingError, SourceError, SourceFile};
pub use span::{LineIndex, Span};
pub use target::{LinkTarget, is_external, resolve_relative};

use mdbook_markdown::new_cmark_parser;
use serde::Serialize;

/// Options that change how Markdown parses, read from `[output.html]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// `output.html.smart-punctuation` (default true).
    pub smart_punctuation: bool,
    /// `output.html.definition-lists` (default true).
    pub definition_lists: bool,
    /// `output.html.admonitions` (default true).
    pub admonitions: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            smart_punctuation: true,
            definition_lists: true,
            admonitions: true,
        }
    }
}

impl ParseOptions {
    /// Reads the options mdBook's HTML renderer would use from a book config.
    pub fn from_config(config: &mdbook_preprocessor::config::Config) -> Self {
        let get = |key: &str, default: bool| {
            config
                .get::<bool>(&format!("output.html.{key}"))
                .ok()
                .flatten()
                .unwrap_or(default)
        };
        ParseOptions {
            smart_punctuation: get("smart-punctuation", true),
            definition_lists: get("definition-lists", true),
            admonitions: get("admonitions", true),
        }
    }

    pub(crate) fn markdown_options(&self) -> MarkdownOptions {
        let mut o = MarkdownOptions::default();
        o.smart_punctuation = self.smart_punctuation;
        o.definition_lists = self.definition_lists;
        o.admonitions = self.admonitions;
        o
    }
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `[text](dest)` / `![alt](src)`.
    Inline,
    /// `[text][label]`.
    Reference,
    /// `[label][]`.
    Collapsed,
    /// `[label]`.
    Shortcut,
    /// `<https://…>`.
    Autolink,
    /// `<someone@example.com>`.
    Email,
    /// `href="…"` in raw HTML.
    HtmlHref,
    /// `src="…"` in raw HTML.
    HtmlSrc,
}

/// A link or image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// How it was written.
    pub kind: LinkKind,
    /// True for images (`![]()`, `<img src>`).
    pub image: bool,
    /// The destination, unescaped, as the renderer will see it.
    pub dest: String,
    /// The title, if any.
    pub title: String,
    /// The link text (plain) or the image's alt text.
    pub text: String,
    /// The whole link as written (for raw HTML: the tag).
    pub span: Span,
    /// Where the destination is written (inline: inside the parentheses;
    /// reference: in the definition; HTML: the attribute value), when found.
    pub dest_span: Option<Span>,
    /// True if the link is inside a heading.
    pub in_heading: bool,
}

impl Link {
    /// What the destination points at, seen from the chapter at `chapter_path`.
    pub fn target(&self, chapter_path: &std::path::Path) -> LinkTarget {
        LinkTarget::classify(&self.dest, chapter_path)
    }
}

/// A heading or definition-list term, with the id mdBook 0.5 gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1–6 for headings, 0 for a definition-list term (`dt`).
    pub level: u8,
    /// The heading's text as mdBook's id generation sees it (text nodes only).
    pub text: String,
    /// The id in the rendered HTML.
    pub id: String,
    /// True when the id came from `{#id}`.
    pub explicit_id: bool,
    /// The whole heading.
    pub span: Span,
}

/// A fragment target other than a heading: an `id` or `name` attribute in raw
/// HTML, or a footnote anchor mdBook 0.5 writes (`fr-NAME-K` on the K-th
/// reference, tag `sup`; `footnote-NAME` on a referenced definition, tag `li`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// The attribute value.
    pub id: String,
    /// Lower-cased tag name.
    pub tag: String,
    /// The attribute value's span; for a footnote, the reference or the definition.
    pub span: Span,
}

/// A fenced or indented code block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeBlock {
    /// The info string of a fenced block (`mermaid`, `rust,ignore`); empty otherwise.
    pub info: String,
    /// The first word of the info string.
    pub lang: String,
    /// The block's content.
    pub content: String,
    /// The whole block, fences included.
    pub span: Span,
    /// The content only (empty span at the content start when empty).
    pub content_span: Span,
    /// True for fenced blocks.
    pub fenced: bool,
}

/// `[text]` written in running text that is not a link (no definition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnlinkedBracket {
    /// The text between the brackets.
    pub text: String,
    /// The brackets and their content.
    pub span: Span,
}

/// One chapter's Markdown, parsed once.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The text that was parsed.
    pub source: String,
    /// Links and images, in source order.
    pub links: Vec<Link>,
    /// Headings and definition-list terms, in source order.
    pub headings: Vec<Heading>,
    /// Raw-HTML `id`/`name` attributes.
    pub anchors: Vec<Anchor>,
    /// `{{#…}}` directives.
    pub directives: Vec<Directive>,
    /// Code blocks.
    pub code_blocks: Vec<CodeBlock>,
    /// Spans of inline code (`` `x` ``).
    pub inline_code: Vec<Span>,
    /// Catalog entries.
    pub entries: Vec<Entry>,
    /// Items of entry lists that are not well-formed entries.
    pub entry_problems: Vec<EntryProblem>,
    /// Links (indices into `links`) that open a list item of entry form
    /// (`[Name](url) - 说明`) at any depth, in any list: the entries plus
    /// entry-shaped items elsewhere, such as the generated map, which nests
    /// them under categories.
    pub entry_form_links: Vec<usize>,
    /// `[text]` that did not become a link.
    pub unlinked_brackets: Vec<UnlinkedBracket>,
    /// Raw HTML (blocks and inline tags, comments included), merged where
    /// adjacent, in source order.
    pub html: Vec<Span>,
    /// HTML comments `<!-- … -->`, in source order.
    pub comments: Vec<Span>,
    /// Prose: runs of text outside code, HTML and link destinations (link
    /// text and unlinked brackets included), merged where adjacent.
    pub prose: Vec<Span>,
    /// URLs (`scheme://…`) written in prose, from the scheme to the first
    /// whitespace, non-ASCII character or one of `<>"')]`.
    pub text_urls: Vec<Span>,
    /// Plain text of the first top-level paragraph before any `##` heading.
    pub intro: Option<String>,
    #[serde(skip)]
    lines: LineIndex,
    /// The options the source was parsed with.
    #[serde(skip)]
    options: ParseOptions,
}

impl Document {
    /// Parses `source` with mdBook's parser settings.
    pub fn parse(source: impl Into<String>, options: &ParseOptions) -> Document {
        parse::parse(source.into(), options)
    }

    /// The pulldown-cmark events of the source, with the options it was
    /// parsed with (the book's): for readers that walk the Markdown
    /// themselves, so they see what mdBook renders.
    pub fn markdown_events(&self) -> mdbook_markdown::pulldown_cmark::Parser<'_> {
        new_cmark_parser(&self.source, &self.options.markdown_options())
    }

    /// The line index of the source.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// 1-based `(line, column)` of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.source, offset)
    }

    /// The diagnostic location of a span.
    pub fn location(&self, span: Span) -> archmanual_diagnostics::Location {
        self.lines.location(&self.source, span)
    }

    /// Every fragment this page can be linked to: heading ids and HTML anchors.
    pub fn fragment_ids(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.anchors.iter().map(|a| a.id.as_str()))
    }

    /// The first level-1 heading's text, if any.
    pub fn title(&self) -> Option<&str> {
        self.headings
            .iter()
            .find(|h| h.level == 1)
            .map(|h| h.text.as_str())
    }

    /// The first sentence of the first paragraph after the title (up to `。`, `.` + space, or the paragraph end).
    pub fn intro_sentence(&self) -> Option<String> {
        parse::intro_sentence(self)
    }

    /// True if `offset` is inside an HTML comment.
    pub fn in_comment(&self, offset: usize) -> bool {
        let i = self.comments.partition_point(|s| s.end <= offset);
        self.comments.get(i).is_some_and(|s| s.start <= offset)
    }

    /// Every occurrence of `needle` in prose, as source offsets.
    pub fn prose_matches<'a>(&'a self, needle: &'a str) -> Box<dyn Iterator<Item = usize> + 'a> {
        let n = needle.len();
        let overlaps_itself = (1..n).any(|k| needle.as_bytes()[..k] == needle.as_bytes()[n - k..]);
        if overlaps_itself {
            return Box::new(self.prose.iter().flat_map(move |run| {
                run.text(&self.source)
                    .match_indices(needle)
                    .map(move |(i, _)| run.start + i)
            }));
        }
        // One search over the whole page instead of one per prose run (a page
        // has hundreds): a needle that cannot overlap itself has the same
        // occurrences either way, kept when they lie inside one run.
        // (memmem is SIMD; `str::match_indices` costs ~5 instructions a byte.)
        let hits = memchr::memmem::find_iter(self.source.as_bytes(), needle.as_bytes());
        Box::new(hits.filter_map(move |i| {
            let run = self.prose[self.prose.partition_point(|r| r.end <= i)..].first()?;
            (run.start <= i && i + n <= run.end).then_some(i)
        }))
    }

    /// True if `offset` is inside a code block or inline code.
    pub fn in_code(&self, offset: usize) -> bool {
        self.code_blocks
            .iter()
            .map(|c| c.span)
            .chain(self.inline_code.iter().copied())
            .any(|s| s.start <= offset && offset < s.end)
    }
}
