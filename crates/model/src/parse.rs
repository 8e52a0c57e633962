//! The single pass over pulldown-cmark's events that builds a [`Document`].

use mdbook_markdown::new_cmark_parser;
use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};

use crate::entry::{self, EntryProblemKind, FieldKey};
use crate::heading_id::{IdAllocator, id_from_content};
use crate::html::{scan_attributes, text_content};
use crate::span::{LineIndex, Span};
use crate::{
    Anchor, CodeBlock, Document, Entry, EntryProblem, Heading, Link, LinkKind, ParseOptions,
    UnlinkedBracket, directive,
};

/// An open link or image.
struct OpenLink {
    index: usize,
    last_child_end: Option<usize>,
}

/// An open heading or `dt`.
struct OpenHeading {
    level: u8,
    explicit: Option<String>,
    text: String,
    start: usize,
    /// The last thing appended was a footnote reference: mdBook puts a space
    /// text node between two adjacent ones.
    after_footnote: bool,
}

/// Footnotes as mdBook 0.5's HTML renderer numbers them: by first reference.
#[derive(Default)]
struct Footnotes {
    /// Name → (number, references so far).
    numbers: std::collections::HashMap<String, (usize, u32)>,
    /// Definitions in source order: name and the span of the definition.
    defs: Vec<(String, Span)>,
}

/// What we remember of a list item while walking it.
#[derive(Default)]
struct ItemInfo {
    span: Span,
    /// Span of the first paragraph (inline content before any nested block).
    first_para: Option<Span>,
    first_para_closed: bool,
    /// Plain-text pieces of the first paragraph with their source start.
    pieces: Vec<(usize, String)>,
    /// Links (indices) that start inside the first paragraph.
    links: Vec<usize>,
    /// Nested items (direct children of this item's nested lists).
    children: Vec<usize>,
    /// The group heading in force when the item started.
    group: Option<String>,
}

/// One list being walked.
struct OpenList {
    ordered: bool,
    items: Vec<usize>,
    depth: usize,
}

pub(crate) fn parse(source: String, options: &ParseOptions) -> Document {
    let lines = LineIndex::new(&source);
    let md_opts = options.markdown_options();
    let parser = new_cmark_parser(&source, &md_opts);
    let defs: Vec<(String, Span, String)> = parser
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

    let mut links: Vec<Link> = Vec::new();
    let mut headings = Vec::new();
    let mut anchors = Vec::new();
    let mut code_blocks = Vec::new();
    let mut inline_code = Vec::new();
    let mut open_links: Vec<OpenLink> = Vec::new();
    let mut open_heading: Option<OpenHeading> = None;
    let mut open_code: Option<(CodeBlock, bool)> = None;
    let mut ids = IdAllocator::default();
    let mut footnotes = Footnotes::default();
    let mut items: Vec<ItemInfo> = Vec::new();
    let mut item_stack: Vec<usize> = Vec::new();
    let mut lists: Vec<OpenList> = Vec::new();
    let mut finished_top_lists: Vec<OpenList> = Vec::new();
    let mut group: Option<(u8, String)> = None;
    let mut text_runs: Vec<Span> = Vec::new();
    let mut prose: Vec<Span> = Vec::new();
    let mut html: Vec<Span> = Vec::new();
    let mut blockquote_depth = 0usize;
    // The first top-level paragraph before any `##` heading: the page's intro.
    let mut intro: Option<String> = None;
    let mut in_intro = false;
    let mut intro_done = false;

    for (event, range) in parser.into_offset_iter() {
        let span = Span::from(range.clone());
        // Track the end of the last child of every open link (to find `](`).
        if !matches!(event, Event::Start(Tag::Link { .. } | Tag::Image { .. })) {
            for l in open_links.iter_mut() {
                // The link's own End event spans the whole link: not a child.
                if links[l.index].span != span {
                    l.last_child_end = Some(l.last_child_end.map_or(span.end, |e| e.max(span.end)));
                }
            }
        }
        // First-paragraph bookkeeping for the innermost list item.
        if let Some(&it) = item_stack.last() {
            let item = &mut items[it];
            if !item.first_para_closed {
                match &event {
                    Event::Start(Tag::List(_) | Tag::CodeBlock(_) | Tag::BlockQuote(_))
                    | Event::End(TagEnd::Paragraph) => {
                        if item.first_para.is_some() {
                            item.first_para_closed = true;
                        }
                    }
                    Event::Start(Tag::Paragraph | Tag::Item) | Event::End(TagEnd::Item) => {}
                    _ => {
                        let fp = item.first_para.get_or_insert(span);
                        fp.start = fp.start.min(span.start);
                        fp.end = fp.end.max(span.end);
                    }
                }
            }
        }

        if in_intro {
            match &event {
                Event::Text(t) | Event::Code(t) => {
                    intro.get_or_insert_with(String::new).push_str(t)
                }
                Event::SoftBreak | Event::HardBreak => {
                    intro.get_or_insert_with(String::new).push(' ')
                }
                Event::End(TagEnd::Paragraph) => {
                    in_intro = false;
                    intro_done = true;
                }
                _ => {}
            }
        }
        let is_image_event = matches!(&event, Event::Start(Tag::Image { .. }));
        if let Some(h) = open_heading.as_mut()
            && !matches!(event, Event::FootnoteReference(_))
        {
            h.after_footnote = false;
        }
        match event {
            Event::Start(Tag::Paragraph)
                if !intro_done && item_stack.is_empty() && blockquote_depth == 0 =>
            {
                in_intro = true;
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                if level as u8 >= 2 {
                    intro_done = true;
                }
                open_heading = Some(OpenHeading {
                    level: level as u8,
                    explicit: id.map(|s| s.to_string()),
                    text: String::new(),
                    start: span.start,
                    after_footnote: false,
                });
            }
            Event::Start(Tag::DefinitionListTitle) => {
                open_heading = Some(OpenHeading {
                    level: 0,
                    explicit: None,
                    text: String::new(),
                    start: span.start,
                    after_footnote: false,
                });
            }
            Event::End(TagEnd::Heading(_) | TagEnd::DefinitionListTitle) => {
                if let Some(h) = open_heading.take() {
                    let (id, explicit_id) = match h.explicit {
                        Some(id) => (id, true),
                        None => (ids.unique(&id_from_content(&h.text)), false),
                    };
                    if h.level >= 1 {
                        group = Some((h.level, h.text.trim().to_string()));
                    }
                    headings.push(Heading {
                        level: h.level,
                        text: h.text.trim().to_string(),
                        id,
                        explicit_id,
                        span: Span::new(h.start, span.end),
                    });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let image = is_image_event;
                let kind = match link_type {
                    LinkType::Inline => LinkKind::Inline,
                    LinkType::Reference | LinkType::ReferenceUnknown => LinkKind::Reference,
                    LinkType::Collapsed | LinkType::CollapsedUnknown => LinkKind::Collapsed,
                    LinkType::Shortcut | LinkType::ShortcutUnknown => LinkKind::Shortcut,
                    LinkType::Autolink => LinkKind::Autolink,
                    LinkType::Email => LinkKind::Email,
                    LinkType::WikiLink { .. } => LinkKind::Inline,
                };
                let dest_span = match kind {
                    LinkKind::Autolink | LinkKind::Email => {
                        Some(Span::new(span.start + 1, span.end.saturating_sub(1)))
                    }
                    LinkKind::Reference | LinkKind::Collapsed | LinkKind::Shortcut => {
                        let label = id.to_string();
                        let key = if label.is_empty() { None } else { Some(label) };
                        key.and_then(|k| find_def(&source, &defs, &k)).or_else(|| {
                            // Collapsed/shortcut: the label is the text; match by dest.
                            defs.iter()
                                .find(|(_, _, d)| d == dest_url.as_ref())
                                .and_then(|(_, s, _)| def_dest_span(&source, *s))
                        })
                    }
                    _ => None,
                };
                if let Some(&it) = item_stack.last() {
                    let item = &mut items[it];
                    if !item.first_para_closed {
                        item.links.push(links.len());
                    }
                }
                links.push(Link {
                    kind,
                    image,
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    text: String::new(),
                    span,
                    dest_span,
                    in_heading: open_heading.is_some(),
                });
                open_links.push(OpenLink {
                    index: links.len() - 1,
                    last_child_end: None,
                });
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(open) = open_links.pop() {
                    let link = &mut links[open.index];
                    if link.kind == LinkKind::Inline {
                        let from = open.last_child_end.unwrap_or(link.span.start + 1);
                        link.dest_span = inline_dest_span(&source, from, link.span.end);
                    }
                    // The text of a nested image counts as text of the outer link.
                    let text = link.text.clone();
                    if let Some(outer) = open_links.last() {
                        links[outer.index].text.push_str(&text);
                    }
                }
            }
            Event::Text(t) => {
                push_text(&mut links, &open_links, &mut open_heading, &t);
                text_runs_push(&mut text_runs, span);
                if open_code.is_none() {
                    text_runs_push(&mut prose, span);
                }
                if let Some((cb, _)) = open_code.as_mut() {
                    if cb.content.is_empty() {
                        cb.content_span = span;
                    }
                    cb.content.push_str(&t);
                    cb.content_span.end = span.end;
                }
                push_piece(&mut items, &item_stack, span.start, &t);
            }
            Event::Code(t) => {
                inline_code.push(span);
                push_text(&mut links, &open_links, &mut open_heading, &t);
                push_piece(&mut items, &item_stack, span.start, &t);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                push_text(&mut links, &open_links, &mut open_heading, &t);
            }
            Event::SoftBreak => {
                push_text(&mut links, &open_links, &mut open_heading, "\n");
                push_piece(&mut items, &item_stack, span.start, " ");
            }
            Event::HardBreak => push_piece(&mut items, &item_stack, span.start, " "),
            Event::Html(h) | Event::InlineHtml(h) => {
                match html.last_mut() {
                    Some(last) if last.end >= span.start => last.end = last.end.max(span.end),
                    _ => html.push(span),
                }
                if let Some(head) = open_heading.as_mut()
                    && open_links.iter().all(|l| !links[l.index].image)
                {
                    head.text.push_str(&text_content(&h));
                }
                for attr in scan_attributes(&h) {
                    // Event text may be a slice of the source or not (HTML blocks
                    // arrive line by line); map by searching the source range.
                    let base =
                        span.start + source[span.start..span.end].find(h.as_ref()).unwrap_or(0);
                    let value_span =
                        Span::new(base + attr.value_span.start, base + attr.value_span.end);
                    let tag_span = Span::new(base + attr.tag_span.start, base + attr.tag_span.end);
                    match attr.name.as_str() {
                        "id" | "name" if !attr.value.is_empty() => anchors.push(Anchor {
                            id: attr.value.clone(),
                            tag: attr.tag.clone(),
                            span: value_span,
                        }),
                        "href" | "src" => links.push(Link {
                            kind: if attr.name == "href" {
                                LinkKind::HtmlHref
                            } else {
                                LinkKind::HtmlSrc
                            },
                            image: attr.tag == "img",
                            dest: attr.value.clone(),
                            title: String::new(),
                            text: String::new(),
                            span: tag_span,
                            dest_span: Some(value_span),
                            in_heading: open_heading.is_some(),
                        }),
                        _ => {}
                    }
                }
            }
            Event::FootnoteReference(name) => {
                // mdBook 0.5 writes `<sup id="fr-NAME-K"><a href="#footnote-NAME">N</a></sup>`:
                // the number is text of an enclosing heading, the `sup` a fragment target.
                let next = footnotes.numbers.len() + 1;
                let (number, count) = footnotes
                    .numbers
                    .entry(name.to_string())
                    .or_insert((next, 0));
                *count += 1;
                anchors.push(Anchor {
                    id: format!("fr-{name}-{count}"),
                    tag: "sup".into(),
                    span,
                });
                if let Some(h) = open_heading.as_mut() {
                    if h.after_footnote {
                        h.text.push(' ');
                    }
                    h.text.push_str(&number.to_string());
                    h.after_footnote = true;
                }
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                footnotes.defs.push((name.to_string(), span));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let (info, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => (info.to_string(), true),
                    CodeBlockKind::Indented => (String::new(), false),
                };
                let lang = info
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .next()
                    .unwrap_or("")
                    .to_string();
                open_code = Some((
                    CodeBlock {
                        info,
                        lang,
                        content: String::new(),
                        span,
                        content_span: Span::new(span.end, span.end),
                        fenced,
                    },
                    true,
                ));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((mut cb, _)) = open_code.take() {
                    if cb.content.is_empty() {
                        // Empty block: point at the line after the opening fence.
                        let after_fence = source[cb.span.start..cb.span.end]
                            .find('\n')
                            .map_or(cb.span.end, |i| cb.span.start + i + 1);
                        cb.content_span = Span::new(after_fence, after_fence);
                    }
                    code_blocks.push(cb);
                }
            }
            Event::Start(Tag::BlockQuote(_)) => blockquote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => {
                blockquote_depth = blockquote_depth.saturating_sub(1)
            }
            Event::Start(Tag::List(first)) => {
                lists.push(OpenList {
                    ordered: first.is_some(),
                    items: Vec::new(),
                    depth: lists.len() + 1 + blockquote_depth,
                });
            }
            Event::End(TagEnd::List(_)) => {
                if let Some(list) = lists.pop()
                    && list.depth == 1
                {
                    finished_top_lists.push(list);
                }
            }
            Event::Start(Tag::Item) => {
                let idx = items.len();
                if let Some(&parent) = item_stack.last() {
                    items[parent].children.push(idx);
                }
                items.push(ItemInfo {
                    span,
                    group: group
                        .as_ref()
                        .filter(|(level, _)| *level >= 3)
                        .map(|(_, t)| t.clone()),
                    ..ItemInfo::default()
                });
                if let Some(list) = lists.last_mut() {
                    list.items.push(idx);
                }
                item_stack.push(idx);
            }
            Event::End(TagEnd::Item) => {
                item_stack.pop();
            }
            _ => {}
        }
    }

    // mdBook keeps the first definition of each referenced footnote, as
    // `<li id="footnote-NAME">`; unreferenced ones are dropped.
    let mut defined = std::collections::HashSet::new();
    for (name, span) in footnotes.defs {
        if footnotes.numbers.contains_key(&name) && defined.insert(name.clone()) {
            anchors.push(Anchor {
                id: format!("footnote-{name}"),
                tag: "li".into(),
                span,
            });
        }
    }

    let code_spans: Vec<Span> = code_blocks
        .iter()
        .map(|c: &CodeBlock| c.span)
        .chain(inline_code.iter().copied())
        .collect();
    let directives = directive::scan(&source, &code_spans);
    let (entries, entry_problems) = entries_of(&source, &links, &items, &finished_top_lists);
    let entry_form_links = items
        .iter()
        .filter_map(|item| match item_shape(&source, &links, item) {
            ItemShape::Entry { link, .. } => Some(link),
            _ => None,
        })
        .collect();
    let unlinked_brackets = unlinked_brackets(&source, &text_runs, &links);
    let comments = comments_in(&source, &html);
    let text_urls = urls_in(&source, &prose);

    Document {
        links,
        headings,
        anchors,
        directives,
        code_blocks,
        inline_code,
        entries,
        entry_problems,
        entry_form_links,
        unlinked_brackets,
        html,
        comments,
        prose,
        text_urls,
        intro,
        lines,
        source,
    }
}

fn push_text(
    links: &mut [Link],
    open_links: &[OpenLink],
    heading: &mut Option<OpenHeading>,
    t: &str,
) {
    if let Some(l) = open_links.last() {
        links[l.index].text.push_str(t);
    }
    if let Some(h) = heading.as_mut() {
        // Image alt text is an attribute in HTML, not a text node.
        if open_links.iter().all(|l| !links[l.index].image) {
            h.text.push_str(t);
        }
    }
}

fn push_piece(items: &mut [ItemInfo], stack: &[usize], start: usize, t: &str) {
    if let Some(&it) = stack.last() {
        let item = &mut items[it];
        if !item.first_para_closed {
            item.pieces.push((start, t.to_string()));
        }
    }
}

fn text_runs_push(runs: &mut Vec<Span>, span: Span) {
    match runs.last_mut() {
        Some(last) if last.end == span.start => last.end = span.end,
        _ => runs.push(span),
    }
}

/// `<!-- … -->` inside the raw-HTML spans (an unclosed comment runs to the
/// end of its HTML block, as in the browser).
fn comments_in(source: &str, html: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for h in html {
        let text = h.text(source);
        let mut i = 0;
        while let Some(open) = text[i..].find("<!--") {
            let open = i + open;
            let end = text[open + 4..]
                .find("-->")
                .map_or(text.len(), |e| open + 4 + e + 3);
            out.push(Span::new(h.start + open, h.start + end));
            i = end;
        }
    }
    out
}

/// `scheme://…` written in prose text (not in code, HTML or a link
/// destination; link text is prose). A URL starts at its scheme and ends
/// before whitespace, a non-ASCII character or one of `<>"')]`.
fn urls_in(source: &str, prose: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for run in prose {
        let text = run.text(source);
        for (i, _) in text.match_indices("://") {
            let start = text[..i]
                .rfind(|c: char| !c.is_ascii_alphanumeric())
                .map_or(0, |s| s + 1);
            if start == i {
                continue;
            }
            let end = text[i..]
                .find(|c: char| {
                    c.is_whitespace()
                        || !c.is_ascii()
                        || matches!(c, ')' | '>' | '<' | ']' | '"' | '\'')
                })
                .map_or(text.len(), |e| i + e);
            out.push(Span::new(run.start + start, run.start + end));
        }
    }
    out
}

fn find_def(source: &str, defs: &[(String, Span, String)], label: &str) -> Option<Span> {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let want = norm(label);
    defs.iter()
        .find(|(l, _, _)| norm(l) == want)
        .and_then(|(_, s, _)| def_dest_span(source, *s))
}

/// The destination inside a reference definition `[label]: dest "title"`.
fn def_dest_span(source: &str, def: Span) -> Option<Span> {
    let text = source.get(def.start..def.end)?;
    let colon = text.find("]:")? + 2;
    let rest = &text[colon..];
    let ws = rest.len() - rest.trim_start().len();
    let start = colon + ws;
    raw_dest(&text[start..]).map(|(s, e)| Span::new(def.start + start + s, def.start + start + e))
}

/// The destination inside `](dest "title")`, searched from `from` to `end`.
fn inline_dest_span(source: &str, from: usize, end: usize) -> Option<Span> {
    let text = source.get(from..end)?;
    let open = text.find("](")? + 2;
    let rest = &text[open..];
    let ws = rest.len() - rest.trim_start().len();
    let start = open + ws;
    raw_dest(&text[start..]).map(|(s, e)| Span::new(from + start + s, from + start + e))
}

/// Start and end of a raw link destination at the start of `text`.
fn raw_dest(text: &str) -> Option<(usize, usize)> {
    if let Some(inner) = text.strip_prefix('<') {
        let close = inner.find('>')?;
        return Some((1, 1 + close));
    }
    let mut depth = 0i32;
    let mut end = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            end = i + c.len_utf8();
            continue;
        }
        match c {
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            c if c.is_whitespace() => break,
            _ => {}
        }
        end = i + c.len_utf8();
    }
    Some((0, end))
}

fn entries_of(
    source: &str,
    links: &[Link],
    items: &[ItemInfo],
    lists: &[OpenList],
) -> (Vec<Entry>, Vec<EntryProblem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (list_index, list) in lists.iter().enumerate().filter(|(_, l)| !l.ordered) {
        let analyses: Vec<ItemShape> = list
            .items
            .iter()
            .map(|&i| item_shape(source, links, &items[i]))
            .collect();
        let entry_count = analyses
            .iter()
            .filter(|a| matches!(a, ItemShape::Entry { .. }))
            .count();
        if entry_count == 0 {
            continue;
        }
        // A list where most links have no ` - 说明` is a reading list with
        // a stray separator, not a catalog missing its descriptions: its bare
        // links count as ordinary bullets.
        let bare_links = analyses
            .iter()
            .filter(|a| matches!(a, ItemShape::NoDescription))
            .count();
        let reading_list = entry_count < bare_links;
        let is_bullet = |a: &ItemShape| match a {
            ItemShape::Other => true,
            ItemShape::NoDescription => reading_list,
            _ => false,
        };
        // Ordinary bullets (cross-references, prose) in a list that also has
        // entries: one problem for the whole list, not one per bullet, since
        // the fix is one decision about the list.
        let bullets: Vec<Span> = list
            .items
            .iter()
            .zip(&analyses)
            .filter(|(_, a)| is_bullet(a))
            .map(|(&i, _)| items[i].first_para.unwrap_or(items[i].span))
            .collect();
        if let Some(first) = bullets.first() {
            let line_of = |s: &Span| source[..s.start].matches('\n').count() + 1;
            problems.push(EntryProblem {
                kind: EntryProblemKind::MixedList {
                    entries: entry_count,
                    bullet_lines: bullets.iter().map(line_of).collect(),
                },
                span: *first,
                text: first.text(source).lines().next().unwrap_or("").to_string(),
            });
        }
        for (&i, shape) in list.items.iter().zip(analyses) {
            if is_bullet(&shape) {
                continue;
            }
            let item = &items[i];
            let first_line = item.first_para.unwrap_or(item.span);
            let text = first_line
                .text(source)
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            let problem = |kind| EntryProblem {
                kind,
                span: first_line,
                text: text.clone(),
            };
            match shape {
                ItemShape::Entry {
                    link,
                    description,
                    description_markdown,
                } => {
                    let l = &links[link];
                    let mut e = Entry {
                        name: l.text.trim().to_string(),
                        url: l.dest.clone(),
                        description,
                        description_markdown,
                        group: item.group.clone(),
                        homepage: None,
                        tags: Vec::new(),
                        link,
                        list: list_index,
                        span: first_line,
                        name_span: name_span(source, l.span),
                        item_span: item.span,
                    };
                    for &c in &item.children {
                        let child = &items[c];
                        let cspan = child.first_para.unwrap_or(child.span);
                        let ctext: String = child.pieces.iter().map(|(_, t)| t.as_str()).collect();
                        // A nested item that starts with a link to another site is
                        // an entry (perhaps without its description), not a field.
                        if matches!(
                            item_shape(source, links, child),
                            ItemShape::Entry { .. }
                                | ItemShape::NoDescription
                                | ItemShape::EmptyLink
                        ) {
                            problems.push(EntryProblem {
                                kind: EntryProblemKind::NestedEntry,
                                span: cspan,
                                text: cspan.text(source).to_string(),
                            });
                            continue;
                        }
                        match entry::split_field(ctext.trim()) {
                            Some((key, value)) => match entry::field_key(key) {
                                Some(FieldKey::Homepage) => e.homepage = Some(value.to_string()),
                                Some(FieldKey::Tags) => {
                                    e.tags = value
                                        .split([',', '，', '、'])
                                        .map(|t| t.trim().to_string())
                                        .filter(|t| !t.is_empty())
                                        .collect();
                                }
                                None => problems.push(EntryProblem {
                                    kind: EntryProblemKind::UnknownField(key.to_string()),
                                    span: cspan,
                                    text: cspan.text(source).to_string(),
                                }),
                            },
                            None => problems.push(EntryProblem {
                                kind: EntryProblemKind::MalformedField,
                                span: cspan,
                                text: cspan.text(source).to_string(),
                            }),
                        }
                    }
                    entries.push(e);
                }
                ItemShape::EmptyLink => problems.push(problem(EntryProblemKind::EmptyLink)),
                ItemShape::NoDescription => {
                    problems.push(problem(EntryProblemKind::MissingDescription))
                }
                ItemShape::Bracketed => {
                    problems.push(problem(EntryProblemKind::BracketedNameWithoutLink))
                }
                ItemShape::Other => {}
            }
        }
    }
    problems.sort_by_key(|p| p.span.start);
    (entries, problems)
}

enum ItemShape {
    Entry {
        link: usize,
        description: String,
        description_markdown: String,
    },
    EmptyLink,
    NoDescription,
    Bracketed,
    Other,
}

fn item_shape(source: &str, links: &[Link], item: &ItemInfo) -> ItemShape {
    let Some(para) = item.first_para else {
        return ItemShape::Other;
    };
    let first_link = item
        .links
        .first()
        .map(|&i| (i, &links[i]))
        .filter(|(_, l)| l.span.start == para.start && !l.image);
    let Some((li, link)) = first_link else {
        let t = para.text(source).trim_start();
        if t.starts_with('[') && t.contains(']') {
            return ItemShape::Bracketed;
        }
        return ItemShape::Other;
    };
    if link.dest.trim().is_empty() {
        return ItemShape::EmptyLink;
    }
    // A bullet that starts with a link to another page of the book (or an
    // anchor) is a cross-reference, not a catalog entry: entries name a
    // project by its repository or site.
    if matches!(link.kind, LinkKind::Autolink | LinkKind::Email) || !entry::is_external(&link.dest)
    {
        return ItemShape::Other;
    }
    let rest = after_annotations(source, links, item, link.span.end, para.end);
    let rest_plain: String = item
        .pieces
        .iter()
        .filter_map(|(start, t)| {
            // A piece may begin before `rest` (the `]` closing an annotation).
            let skip = rest.saturating_sub(*start);
            (*start + t.len() > rest).then(|| t.get(skip..).unwrap_or(""))
        })
        .collect();
    let rest_md = source.get(rest..para.end).unwrap_or("");
    match (
        entry::strip_separator(&rest_plain),
        entry::strip_separator(rest_md),
    ) {
        (Some(d), Some(md)) if !d.is_empty() => ItemShape::Entry {
            link: li,
            description: d.split_whitespace().collect::<Vec<_>>().join(" "),
            description_markdown: md.lines().map(str::trim).collect::<Vec<_>>().join(" "),
        },
        _ => ItemShape::NoDescription,
    }
}

/// Where the text after an entry's name link continues once annotations
/// are skipped: further links or badges right after the name, bare or in
/// brackets (`[Name](…) [[crate](…)] [![ci](…)](…) - 说明`), as awesome
/// lists write them. Without annotations this is `from` itself.
fn after_annotations(
    source: &str,
    links: &[Link],
    item: &ItemInfo,
    from: usize,
    end: usize,
) -> usize {
    let mut pos = from;
    loop {
        let text = source.get(pos..end).unwrap_or("");
        let at = pos + (text.len() - text.trim_start().len());
        let bracketed = source[at..end].starts_with('[');
        let link_at = |p: usize| {
            item.links
                .iter()
                .map(|&i| &links[i])
                .find(|l| l.span.start == p)
        };
        let next = match (link_at(at), bracketed) {
            (Some(l), _) => l.span.end,
            (None, true) => match link_at(at + 1) {
                Some(l) if source[l.span.end..end].starts_with(']') => l.span.end + 1,
                _ => return pos,
            },
            (None, false) => return pos,
        };
        pos = next;
    }
}

/// The span of the text between `[` and `](`/`]` of a link at `span`.
fn name_span(source: &str, span: Span) -> Span {
    let text = span.text(source);
    let start = span.start + usize::from(text.starts_with('['));
    let close = text
        .rfind("](")
        .or_else(|| text.find(']'))
        .unwrap_or(text.len());
    Span::new(start, (span.start + close).max(start))
}

fn unlinked_brackets(source: &str, runs: &[Span], links: &[Link]) -> Vec<UnlinkedBracket> {
    let mut out = Vec::new();
    for run in runs {
        let text = run.text(source);
        let mut i = 0;
        while let Some(open) = text[i..].find('[') {
            let open = i + open;
            let Some(close_rel) = text[open + 1..].find([']', '[', '\n']) else {
                break;
            };
            let close = open + 1 + close_rel;
            if text.as_bytes()[close] != b']' {
                i = close;
                continue;
            }
            let inner = &text[open + 1..close];
            let span = Span::new(run.start + open, run.start + close + 1);
            let escaped = open > 0 && text.as_bytes()[open - 1] == b'\\';
            let in_link = links
                .iter()
                .any(|l| l.span.start <= span.start && span.end <= l.span.end);
            let next = text[close + 1..].chars().next();
            if !escaped && !in_link && !inner.trim().is_empty() && next != Some('(') {
                out.push(UnlinkedBracket {
                    text: inner.to_string(),
                    span,
                });
            }
            i = close + 1;
        }
    }
    out
}

/// The first sentence of the intro paragraph (see [`Document::intro_sentence`]).
pub(crate) fn intro_sentence(doc: &Document) -> Option<String> {
    let plain = doc.intro.as_deref()?.trim();
    let end = plain
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '。' | '！' | '？') || (*c == '.' && plain[i + 1..].starts_with(' '))
        })
        .map_or(plain.len(), |(i, c)| i + c.len_utf8());
    let s = plain[..end].trim();
    (!s.is_empty()).then(|| s.to_string())
}
