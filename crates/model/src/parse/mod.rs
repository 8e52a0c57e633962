//! The single pass over pulldown-cmark's events that builds a [`Document`].
//!
//! A `Walker` holds the state of the pass and hands each event to one
//! method. The methods live next to what they collect:
//!
//! - `headings`: headings, definition-list terms, their ids, footnote anchors;
//! - `links`: links and images, and where their destinations are written;
//! - `raw_html`: raw-HTML spans, comments, and the anchors and links in tags;
//! - `lists`: lists and items as the walk sees them;
//! - `entries`: catalog entries and entry problems, read from those lists;
//! - `text`: prose runs, URLs in prose, unlinked brackets, the intro.
//!
//! This file keeps the dispatch, code blocks and the hand-over to [`Document`].

mod entries;
mod headings;
mod links;
mod lists;
mod raw_html;
mod text;

use mdbook_markdown::new_cmark_parser;
use mdbook_markdown::pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use crate::heading_id::IdAllocator;
use crate::span::{LineIndex, Span};
use crate::{Anchor, CodeBlock, Document, Heading, Link, ParseOptions, directive};

pub(crate) use text::intro_sentence;

/// The state of the pass over one chapter.
struct Walker<'s> {
    source: &'s str,
    /// Reference definitions: label, span of the definition, destination.
    defs: Vec<(String, Span, String)>,
    links: Vec<Link>,
    headings: Vec<Heading>,
    anchors: Vec<Anchor>,
    code_blocks: Vec<CodeBlock>,
    inline_code: Vec<Span>,
    /// Links and images not closed yet, innermost last.
    open_links: Vec<links::OpenLink>,
    open_heading: Option<headings::OpenHeading>,
    open_code: Option<CodeBlock>,
    ids: IdAllocator,
    footnotes: headings::Footnotes,
    /// Every list item, in the order they start.
    items: Vec<lists::ItemInfo<'s>>,
    /// Items (indices into `items`) not closed yet, innermost last.
    item_stack: Vec<usize>,
    /// Lists not closed yet, innermost last.
    lists: Vec<lists::OpenList>,
    /// Closed lists at depth 1 (outside lists and block quotes): the ones
    /// that can hold catalog entries.
    finished_top_lists: Vec<lists::OpenList>,
    /// Level and text of the last heading: items under a `###` or deeper
    /// heading belong to its group.
    group: Option<(u8, String)>,
    /// Every text run, code included.
    text_runs: Vec<Span>,
    /// Text runs outside code.
    prose: Vec<Span>,
    html: Vec<Span>,
    blockquote_depth: usize,
    /// The first top-level paragraph before any `##` heading: the page's intro.
    intro: Option<String>,
    in_intro: bool,
    intro_done: bool,
}

pub(crate) fn parse(source: String, options: &ParseOptions) -> Document {
    let lines = LineIndex::new(&source);
    parse_with_lines(source, lines, options)
}

/// [`parse`] with the line index of `source` already built (the loader's).
pub(crate) fn parse_with_lines(
    source: String,
    lines: LineIndex,
    options: &ParseOptions,
) -> Document {
    let md_opts = options.markdown_options();
    let parser = new_cmark_parser(&source, &md_opts);
    let defs = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| {
            (
                label.to_string(),
                Span::from(def.span.clone()),
                def.dest.to_string(),
            )
        })
        .collect();
    let mut walker = Walker::new(&source, defs);
    for (event, range) in parser.into_offset_iter() {
        walker.event(event, Span::from(range));
    }
    let collected = walker.finish(lines);
    Document {
        source,
        options: *options,
        ..collected
    }
}

impl<'s> Walker<'s> {
    fn new(source: &'s str, defs: Vec<(String, Span, String)>) -> Self {
        // Room for what a typical page holds (a text run every ~50 bytes, a
        // link or list item every few hundred), so the vectors rarely grow.
        let per = |bytes: usize| source.len() / bytes + 4;
        Walker {
            source,
            defs,
            links: Vec::with_capacity(per(400)),
            headings: Vec::new(),
            anchors: Vec::new(),
            code_blocks: Vec::new(),
            inline_code: Vec::new(),
            open_links: Vec::new(),
            open_heading: None,
            open_code: None,
            ids: IdAllocator::default(),
            footnotes: headings::Footnotes::default(),
            items: Vec::with_capacity(per(300)),
            item_stack: Vec::new(),
            lists: Vec::new(),
            finished_top_lists: Vec::new(),
            group: None,
            text_runs: Vec::with_capacity(per(50)),
            prose: Vec::with_capacity(per(60)),
            html: Vec::new(),
            blockquote_depth: 0,
            intro: None,
            in_intro: false,
            intro_done: false,
        }
    }

    fn event(&mut self, event: Event<'s>, span: Span) {
        // Bookkeeping every event takes part in, before its own handling.
        self.track_link_children(&event, span);
        self.track_first_paragraph(&event, span);
        self.track_intro(&event);
        if !matches!(event, Event::FootnoteReference(_))
            && let Some(h) = self.open_heading.as_mut()
        {
            h.after_footnote = false;
        }

        match event {
            Event::Start(Tag::Paragraph)
                if !self.intro_done && self.item_stack.is_empty() && self.blockquote_depth == 0 =>
            {
                self.in_intro = true;
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                // A `##` heading ends the part of the page the intro may come from.
                if level as u8 >= 2 {
                    self.intro_done = true;
                }
                self.start_heading(level as u8, id.map(|s| s.to_string()), span);
            }
            Event::Start(Tag::DefinitionListTitle) => self.start_heading(0, None, span),
            Event::End(TagEnd::Heading(_) | TagEnd::DefinitionListTitle) => self.end_heading(span),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                self.start_link(tag, span)
            }
            Event::End(TagEnd::Link | TagEnd::Image) => self.end_link(),
            Event::Text(t) => self.text(t, span),
            Event::Code(t) => {
                self.inline_code.push(span);
                self.push_text(&t);
                self.push_piece(span.start, t);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t),
            Event::SoftBreak => {
                self.push_text("\n");
                self.push_piece(span.start, CowStr::Borrowed(" "));
            }
            Event::HardBreak => self.push_piece(span.start, CowStr::Borrowed(" ")),
            Event::Html(h) | Event::InlineHtml(h) => self.raw_html(&h, span),
            Event::FootnoteReference(name) => self.footnote_reference(&name, span),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.footnotes.defs.push((name.to_string(), span));
            }
            Event::Start(Tag::CodeBlock(kind)) => self.start_code_block(kind, span),
            Event::End(TagEnd::CodeBlock) => self.end_code_block(),
            Event::Start(Tag::BlockQuote(_)) => self.blockquote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => {
                self.blockquote_depth = self.blockquote_depth.saturating_sub(1)
            }
            Event::Start(Tag::List(first)) => self.start_list(first.is_some()),
            Event::End(TagEnd::List(_)) => self.end_list(),
            Event::Start(Tag::Item) => self.start_item(span),
            Event::End(TagEnd::Item) => {
                self.item_stack.pop();
            }
            _ => {}
        }
    }

    /// A text node: text of the open link, heading, code block and list item.
    fn text(&mut self, t: CowStr<'s>, span: Span) {
        self.push_text(&t);
        text::extend_runs(&mut self.text_runs, span);
        if self.open_code.is_none() {
            text::extend_runs(&mut self.prose, span);
        }
        if let Some(cb) = self.open_code.as_mut() {
            if cb.content.is_empty() {
                cb.content_span = span;
            }
            cb.content.push_str(&t);
            cb.content_span.end = span.end;
        }
        self.push_piece(span.start, t);
    }

    /// Adds text to the innermost open link and to the open heading.
    fn push_text(&mut self, t: &str) {
        if let Some(l) = self.open_links.last() {
            self.links[l.index].text.push_str(t);
        }
        if let Some(h) = self.open_heading.as_mut() {
            // Image alt text is an attribute in HTML, not a text node.
            if self.open_links.iter().all(|l| !self.links[l.index].image) {
                h.text.push_str(t);
            }
        }
    }

    fn start_code_block(&mut self, kind: CodeBlockKind<'_>, span: Span) {
        let (info, fenced) = match kind {
            CodeBlockKind::Fenced(info) => (info.to_string(), true),
            CodeBlockKind::Indented => (String::new(), false),
        };
        let lang = info
            .split(|c: char| c == ',' || c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_string();
        self.open_code = Some(CodeBlock {
            info,
            lang,
            content: String::new(),
            span,
            content_span: Span::new(span.end, span.end),
            fenced,
        });
    }

    fn end_code_block(&mut self) {
        if let Some(mut cb) = self.open_code.take() {
            if cb.content.is_empty() {
                // Empty block: point at the line after the opening fence.
                let after_fence = self.source[cb.span.start..cb.span.end]
                    .find('\n')
                    .map_or(cb.span.end, |i| cb.span.start + i + 1);
                cb.content_span = Span::new(after_fence, after_fence);
            }
            self.code_blocks.push(cb);
        }
    }

    /// Everything the pass collected, and what is computed from it once the
    /// pass is over. The source is left empty for [`parse`], which owns it.
    fn finish(mut self, lines: LineIndex) -> Document {
        self.footnote_anchors();
        let source = self.source;
        let code_spans: Vec<Span> = self
            .code_blocks
            .iter()
            .map(|c: &CodeBlock| c.span)
            .chain(self.inline_code.iter().copied())
            .collect();
        let directives = directive::scan(source, &code_spans);
        let mut shapes = entries::item_shapes(source, &self.links, &self.items);
        let entry_form_links = entries::entry_form_links(&shapes);
        let (entries, entry_problems) = entries::entries_of(
            source,
            &lines,
            &self.links,
            &self.items,
            &mut shapes,
            &self.finished_top_lists,
        );
        let unlinked_brackets = text::unlinked_brackets(source, &self.text_runs, &self.links);
        let comments = raw_html::comments_in(source, &self.html);
        let text_urls = text::urls_in(source, &self.prose);

        Document {
            links: self.links,
            headings: self.headings,
            anchors: self.anchors,
            directives,
            code_blocks: self.code_blocks,
            inline_code: self.inline_code,
            entries,
            entry_problems,
            entry_form_links,
            unlinked_brackets,
            html: self.html,
            comments,
            prose: self.prose,
            text_urls,
            intro: self.intro,
            lines,
            source: String::new(),
            options: ParseOptions::default(),
        }
    }
}
