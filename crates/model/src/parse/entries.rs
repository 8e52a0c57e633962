//! Catalog entries (`- [Name](url) - 说明。` with nested fields) and the
//! problems of entry lists, read from the lists the walk recorded.

use super::lists::{ItemInfo, OpenList};
use crate::entry::{self, EntryProblemKind, FieldKey};
use crate::span::{LineIndex, Span};
use crate::{Entry, EntryProblem, Link, LinkKind};

/// What a list item looks like, judged by its first paragraph.
pub(super) enum ItemShape {
    /// `[Name](external url) - 说明`.
    Entry {
        link: usize,
        description: String,
        description_markdown: String,
    },
    /// `[Name]()`.
    EmptyLink,
    /// `[Name](external url)` without ` - 说明`.
    NoDescription,
    /// `[Name]` that is not a link.
    Bracketed,
    /// Anything else: an ordinary bullet.
    Other,
}

/// The shape of every item in `items`, in the same order. Each item is
/// judged once here; entries, fields and entry-form links all read these.
pub(super) fn item_shapes(source: &str, links: &[Link], items: &[ItemInfo<'_>]) -> Vec<ItemShape> {
    items
        .iter()
        .map(|item| item_shape(source, links, item))
        .collect()
}

/// The entries and entry problems of the unordered top-level `lists`. The
/// descriptions of the entries are taken out of `shapes`.
pub(super) fn entries_of(
    source: &str,
    lines: &LineIndex,
    links: &[Link],
    items: &[ItemInfo<'_>],
    shapes: &mut [ItemShape],
    lists: &[OpenList],
) -> (Vec<Entry>, Vec<EntryProblem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (list_index, list) in lists.iter().enumerate().filter(|(_, l)| !l.ordered) {
        let entry_count = list
            .items
            .iter()
            .filter(|&&i| matches!(shapes[i], ItemShape::Entry { .. }))
            .count();
        if entry_count == 0 {
            continue;
        }
        // A list where most links have no ` - 说明` is a reading list with
        // a stray separator, not a catalog missing its descriptions: its bare
        // links count as ordinary bullets.
        let bare_links = list
            .items
            .iter()
            .filter(|&&i| matches!(shapes[i], ItemShape::NoDescription))
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
            .filter(|&&i| is_bullet(&shapes[i]))
            .map(|&i| items[i].first_para.unwrap_or(items[i].span))
            .collect();
        if let Some(first) = bullets.first() {
            let line_of = |s: &Span| lines.line_col(source, s.start).0;
            problems.push(EntryProblem {
                kind: EntryProblemKind::MixedList {
                    entries: entry_count,
                    bullet_lines: bullets.iter().map(line_of).collect(),
                },
                span: *first,
                text: first.text(source).lines().next().unwrap_or("").to_string(),
            });
        }
        for &i in &list.items {
            if is_bullet(&shapes[i]) {
                continue;
            }
            // An item is in one list only, so its description is taken once.
            let shape = take_shape(&mut shapes[i]);
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
                    read_fields(source, items, shapes, item, &mut e, &mut problems);
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

/// The item's shape, with an entry's description moved out of `shape`.
fn take_shape(shape: &mut ItemShape) -> ItemShape {
    match shape {
        ItemShape::Entry {
            link,
            description,
            description_markdown,
        } => ItemShape::Entry {
            link: *link,
            description: std::mem::take(description),
            description_markdown: std::mem::take(description_markdown),
        },
        ItemShape::EmptyLink => ItemShape::EmptyLink,
        ItemShape::NoDescription => ItemShape::NoDescription,
        ItemShape::Bracketed => ItemShape::Bracketed,
        ItemShape::Other => ItemShape::Other,
    }
}

/// Reads the fields (`主页：…`, `标签：…`) nested under an entry's item into
/// `e`; nested items that are not fields become problems.
fn read_fields(
    source: &str,
    items: &[ItemInfo<'_>],
    shapes: &[ItemShape],
    item: &ItemInfo<'_>,
    e: &mut Entry,
    problems: &mut Vec<EntryProblem>,
) {
    for &c in &item.children {
        let child = &items[c];
        let cspan = child.first_para.unwrap_or(child.span);
        let ctext: String = child.pieces.iter().map(|(_, t)| t.as_ref()).collect();
        let problem = |kind| EntryProblem {
            kind,
            span: cspan,
            text: cspan.text(source).to_string(),
        };
        // A nested item that starts with a link to another site is
        // an entry (perhaps without its description), not a field.
        if matches!(
            shapes[c],
            ItemShape::Entry { .. } | ItemShape::NoDescription | ItemShape::EmptyLink
        ) {
            problems.push(problem(EntryProblemKind::NestedEntry));
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
                None => problems.push(problem(EntryProblemKind::UnknownField(key.to_string()))),
            },
            None => problems.push(problem(EntryProblemKind::MalformedField)),
        }
    }
}

/// Links that open a list item of entry form, at any depth, in any list.
pub(super) fn entry_form_links(shapes: &[ItemShape]) -> Vec<usize> {
    shapes
        .iter()
        .filter_map(|shape| match shape {
            ItemShape::Entry { link, .. } => Some(*link),
            _ => None,
        })
        .collect()
}

fn item_shape(source: &str, links: &[Link], item: &ItemInfo<'_>) -> ItemShape {
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
            description: join_spaced(d.len(), d.split_whitespace()),
            description_markdown: join_spaced(md.len(), md.lines().map(str::trim)),
        },
        _ => ItemShape::NoDescription,
    }
}

/// `parts` joined by single spaces (what `collect::<Vec<_>>().join(" ")`
/// gives, without the vector); `len` is a capacity hint.
fn join_spaced<'a>(len: usize, parts: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::with_capacity(len);
    for (i, p) in parts.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

/// Where the text after an entry's name link continues once annotations
/// are skipped: further links or badges right after the name, bare or in
/// brackets (`[Name](…) [[crate](…)] [![ci](…)](…) - 说明`), as awesome
/// lists write them. Without annotations this is `from` itself.
fn after_annotations(
    source: &str,
    links: &[Link],
    item: &ItemInfo<'_>,
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
