//! Generated pages, built as Markdown events and serialised with
//! `pulldown-cmark-to-cmark`, so names containing `[`, `*` or `|` come out
//! escaped instead of breaking the page.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use archmanual_model::{BookModel, Entry};
use mdbook_markdown::pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, LinkType, Options, Tag, TagEnd,
};

use crate::config::{CatalogConfig, Order};
use crate::paths::relative_link;

/// Star counts by lower-cased `owner/repo`.
#[derive(Debug, Clone, Default)]
pub struct StarLookup(HashMap<String, u64>);

impl StarLookup {
    /// A lookup from `(owner/repo, stars)` pairs.
    pub fn new(pairs: impl IntoIterator<Item = (String, u64)>) -> Self {
        StarLookup(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), v))
                .collect(),
        )
    }

    /// Reads star counts from the committed snapshot (`book/github-repos.json`).
    pub fn from_snapshot_file(path: &Path) -> Result<Self, crate::CatalogError> {
        let snapshot = archmanual_github_snapshot::Snapshot::load(path).map_err(|e| {
            crate::CatalogError::Snapshot {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        Ok(StarLookup::new(snapshot.repos.iter().filter_map(
            |(key, entry)| entry.meta().map(|m| (key.clone(), m.stars)),
        )))
    }

    /// Stars of the repository an entry links to, if known.
    pub fn stars_of(&self, url: &str) -> Option<u64> {
        // A page of a repository (`…/tree/main/docs`) ranks by its repository.
        let link = archmanual_github_url::classify(url)?;
        self.0.get(link.repo()?.key()).copied()
    }
}

/// Escapes `text` for use inside generated Markdown (as pulldown-cmark-to-cmark does).
pub fn escape_text(text: &str) -> String {
    render(&[Event::Text(CowStr::from(text.to_string()))])
}

/// A generated page.
pub(crate) struct Page {
    pub(crate) markdown: String,
    pub(crate) entry_count: usize,
    pub(crate) subcategories: usize,
}

pub(crate) struct Generator<'a> {
    pub(crate) model: &'a BookModel,
    pub(crate) paths: &'a [Option<PathBuf>],
    pub(crate) config: &'a CatalogConfig,
    pub(crate) stars: Option<&'a StarLookup>,
    /// The SUMMARY.md part of each top-level chapter (see `map_parts`).
    pub(crate) parts: &'a [Option<String>],
    /// Entry anchors of every chapter (`archmanual_model::entry_anchors`).
    pub(crate) anchors: &'a [Vec<String>],
}

type Events = Vec<Event<'static>>;

impl Generator<'_> {
    fn path(&self, i: usize) -> Option<&Path> {
        self.paths[i].as_deref()
    }

    /// Entries of chapter `i` and all its descendants.
    fn subtree_entry_count(&self, i: usize) -> usize {
        std::iter::once(i)
            .chain(self.model.descendants(i))
            .map(|c| self.model.chapters[c].doc.entries.len())
            .sum()
    }

    /// A category index: title (unless `title` is false: the page keeps its
    /// own), subcategory table, entries grouped by the page that defines them.
    pub(crate) fn index_page(&self, i: usize, title: bool) -> Page {
        let ch = &self.model.chapters[i];
        let here = self.path(i).map(Path::to_path_buf).unwrap_or_default();
        let mut ev: Events = Vec::new();
        if title {
            heading(&mut ev, HeadingLevel::H1, |ev| text(ev, &ch.name));
        }
        let total = self.subtree_entry_count(i);
        let mut rows = Vec::new();
        let mut advice_rows = 0;
        if !ch.children.is_empty() {
            for &c in &ch.children {
                let child = &self.model.chapters[c];
                let advice = selection_sentence(&child.doc.source);
                advice_rows += usize::from(advice.is_some());
                let intro = if !self.config.intro {
                    String::new()
                } else if let Some(a) = advice {
                    a
                } else if child.is_draft() {
                    // A draft has no text of its own: name what it groups.
                    let names: Vec<&str> = child
                        .children
                        .iter()
                        .map(|&k| self.model.chapters[k].name.as_str())
                        .collect();
                    match names.len() {
                        0 => String::new(),
                        1..=4 => format!("包括{}。", names.join("、")),
                        n => format!("包括{}等 {n} 个分类。", names[..3].join("、")),
                    }
                } else {
                    child.doc.intro_sentence().unwrap_or_default()
                };
                rows.push((c, child.name.clone(), intro, self.subtree_entry_count(c)));
            }
        }
        paragraph(&mut ev, |ev| {
            let mut parts = vec![format!(
                "{}共 {} 个分类、{} 个条目",
                ch.name,
                rows.len(),
                total
            )];
            if self.config.intro && !rows.is_empty() {
                parts.push(
                    if advice_rows == rows.len() {
                        "下表的“要点”摘自各分类页“选型建议”的第一条，分类名链接到完整的对比与建议"
                    } else if advice_rows > 0 {
                        "下表的“要点”摘自各分类页“选型建议”的第一条，没有选型建议的分类给出页面的第一句"
                    } else {
                        "下表给出每个分类的一句话说明，分类名链接到分类页"
                    }
                    .to_string(),
                );
            }
            if total > 0 {
                let where_ = if rows.is_empty() {
                    "下面"
                } else {
                    "表格之后按分类"
                };
                parts.push(format!("{where_}列出全部条目"));
            }
            // `甲。乙；丙。`: the count, then what the table and the list hold.
            let mut s = parts.remove(0) + "。";
            if !parts.is_empty() {
                s.push_str(&parts.join("；"));
                s.push('。');
            }
            text(ev, &s);
        });

        if !rows.is_empty() {
            heading(&mut ev, HeadingLevel::H2, |ev| text(ev, "子分类"));
            let column = if advice_rows > 0 { "要点" } else { "简介" };
            table(
                &mut ev,
                &["分类", column, "条目数"],
                rows.len(),
                |ev, r| {
                    let (c, name, intro, count) = &rows[r];
                    cell(ev, |ev| {
                        nowrap(ev, |ev| self.chapter_link(ev, &here, *c, name))
                    });
                    cell(ev, |ev| text(ev, intro));
                    cell(ev, |ev| text(ev, &count.to_string()));
                },
            );
        }

        for c in self.model.descendants(i) {
            let child = &self.model.chapters[c];
            if child.doc.entries.is_empty() {
                continue;
            }
            // mdBook wraps heading text in its own anchor, so the link to the
            // category page goes in a paragraph below, not in the heading.
            heading(&mut ev, HeadingLevel::H2, |ev| {
                text(ev, &self.breadcrumb(i, c))
            });
            paragraph(&mut ev, |ev| {
                text(ev, "分类页面：");
                self.chapter_link(ev, &here, c, &child.name);
            });
            self.entry_groups(&mut ev, &here, c, HeadingLevel::H3);
        }
        Page {
            markdown: render(&ev),
            entry_count: total,
            subcategories: ch.children.len(),
        }
    }

    /// The technology map: every category with entries, nested as in SUMMARY
    /// (without the title when `title` is false).
    pub(crate) fn map_page(&self, i: usize, with_title: bool) -> Page {
        let ch = &self.model.chapters[i];
        let here = self.path(i).map(Path::to_path_buf).unwrap_or_default();
        let mut ev: Events = Vec::new();
        let title = ch
            .doc
            .title()
            .map_or_else(|| ch.name.clone(), str::to_string);
        if with_title {
            heading(&mut ev, HeadingLevel::H1, |ev| text(ev, &title));
        }
        let roots: Vec<usize> = self
            .model
            .roots()
            .filter(|&r| r != i && self.subtree_entry_count(r) > 0 && self.on_map(r))
            .collect();
        let covered: Vec<usize> = roots
            .iter()
            .flat_map(|&r| std::iter::once(r).chain(self.model.descendants(r)))
            .filter(|&c| !self.model.chapters[c].doc.entries.is_empty())
            .collect();
        let categories = covered.len();
        let entries: usize = covered
            .iter()
            .map(|&c| self.model.chapters[c].doc.entries.len())
            .sum();
        let with_advice = covered
            .iter()
            .filter(|&&c| selection_sentence(&self.model.chapters[c].doc.source).is_some())
            .count();
        paragraph(&mut ev, |ev| {
            let mut s = format!(
                "{categories} 个技术分类、{entries} 个条目一览，按主题排列，括号里是条目数。"
            );
            if with_advice == categories && categories > 0 {
                s.push_str("点击分类名查看该类技术的选型建议。");
            } else if with_advice > 0 {
                s.push_str(&format!(
                    "点击分类名进入分类页，其中 {with_advice} 个附有选型建议，其余是检查清单或说明。"
                ));
            }
            if !self.config.map_parts.is_empty() {
                s.push_str("理论、论文与书目不在此列，见目录中的相应部分。");
            }
            text(ev, &s)
        });
        for root in roots {
            let r = &self.model.chapters[root];
            heading(&mut ev, HeadingLevel::H2, |ev| text(ev, &r.name));
            if self.path(root).is_some() {
                paragraph(&mut ev, |ev| {
                    text(ev, "主题首页：");
                    self.chapter_link(ev, &here, root, &r.name);
                });
            }
            if !r.doc.entries.is_empty() {
                self.map_entries(&mut ev, &here, root);
            }
            let kids: Vec<usize> = r
                .children
                .iter()
                .copied()
                .filter(|&c| self.subtree_entry_count(c) > 0)
                .collect();
            if !kids.is_empty() {
                ev.push(Event::Start(Tag::List(None)));
                for c in kids {
                    self.map_item(&mut ev, &here, c);
                }
                ev.push(Event::End(TagEnd::List(false)));
            }
        }
        Page {
            markdown: render(&ev),
            entry_count: entries,
            subcategories: categories,
        }
    }

    fn map_item(&self, ev: &mut Events, here: &Path, c: usize) {
        let ch = &self.model.chapters[c];
        ev.push(Event::Start(Tag::Item));
        self.chapter_link(ev, here, c, &ch.name);
        text(ev, &format!("（{}）", self.subtree_entry_count(c)));
        let kids: Vec<usize> = ch
            .children
            .iter()
            .copied()
            .filter(|&k| self.subtree_entry_count(k) > 0)
            .collect();
        if !ch.doc.entries.is_empty() || !kids.is_empty() {
            ev.push(Event::Start(Tag::List(None)));
            let mut groups: Vec<(Option<String>, Vec<&Entry>)> = Vec::new();
            for e in self.ordered(&ch.doc.entries) {
                match groups.last_mut() {
                    Some((g, list)) if *g == e.group => list.push(e),
                    _ => groups.push((e.group.clone(), vec![e])),
                }
            }
            for (group, entries) in groups {
                match group {
                    Some(g) => {
                        ev.push(Event::Start(Tag::Item));
                        text(ev, &g);
                        ev.push(Event::Start(Tag::List(None)));
                        for e in entries {
                            self.entry_item(ev, e, self.config.map_descriptions, here, c);
                        }
                        ev.push(Event::End(TagEnd::List(false)));
                        ev.push(Event::End(TagEnd::Item));
                    }
                    None => {
                        for e in entries {
                            self.entry_item(ev, e, self.config.map_descriptions, here, c);
                        }
                    }
                }
            }
            for k in kids {
                self.map_item(ev, here, k);
            }
            ev.push(Event::End(TagEnd::List(false)));
        }
        ev.push(Event::End(TagEnd::Item));
    }

    fn map_entries(&self, ev: &mut Events, here: &Path, c: usize) {
        ev.push(Event::Start(Tag::List(None)));
        for e in self.ordered(&self.model.chapters[c].doc.entries) {
            self.entry_item(ev, e, self.config.map_descriptions, here, c);
        }
        ev.push(Event::End(TagEnd::List(false)));
    }

    /// Entries under `###` group headings (ungrouped ones first, as written).
    fn entry_groups(&self, ev: &mut Events, here: &Path, c: usize, level: HeadingLevel) {
        let entries = &self.model.chapters[c].doc.entries;
        let mut groups: Vec<(Option<String>, Vec<&Entry>)> = Vec::new();
        for e in entries {
            match groups.iter_mut().find(|(g, _)| *g == e.group) {
                Some((_, list)) => list.push(e),
                None => groups.push((e.group.clone(), vec![e])),
            }
        }
        for (group, list) in groups {
            if let Some(g) = group {
                heading(ev, level, |ev| text(ev, &g));
            }
            ev.push(Event::Start(Tag::List(None)));
            let owned: Vec<Entry> = list.into_iter().cloned().collect();
            for e in self.ordered(&owned) {
                self.entry_item(ev, e, true, here, c);
            }
            ev.push(Event::End(TagEnd::List(false)));
        }
    }

    /// Entries in the configured order.
    fn ordered<'e>(&self, entries: &'e [Entry]) -> Vec<&'e Entry> {
        let mut v: Vec<&Entry> = entries.iter().collect();
        match self.config.order {
            Order::Source => {}
            Order::Name => v.sort_by_key(|e| e.name.to_lowercase()),
            Order::Stars => {
                let stars = |e: &Entry| self.stars.and_then(|s| s.stars_of(&e.url));
                // Stable: unknown counts keep their order after known ones.
                v.sort_by_key(|e| std::cmp::Reverse(stars(e)));
            }
        }
        v
    }

    /// An entry of chapter `c`, listed on the page at `here`: its link, its
    /// description, and a link to the entry on its category page.
    fn entry_item(&self, ev: &mut Events, e: &Entry, description: bool, here: &Path, c: usize) {
        ev.push(Event::Start(Tag::Item));
        link(ev, &e.url, |ev| text(ev, &e.name));
        if description && !e.description.is_empty() {
            text(ev, &format!(" - {}", e.description));
        }
        let k = self.model.chapters[c]
            .doc
            .entries
            .iter()
            .position(|x| x.span == e.span);
        if let (Some(page), Some(anchor)) = (self.path(c), k.and_then(|k| self.anchors[c].get(k))) {
            text(ev, " ");
            link(
                ev,
                &format!("{}#{anchor}", relative_link(here, page)),
                |ev| text(ev, "→"),
            );
        }
        ev.push(Event::End(TagEnd::Item));
    }

    fn chapter_link(&self, ev: &mut Events, here: &Path, c: usize, label: &str) {
        match self.path(c) {
            Some(p) => link(ev, &relative_link(here, p), |ev| text(ev, label)),
            None => text(ev, label),
        }
    }

    /// True if top-level chapter `root` is in a part the map covers.
    fn on_map(&self, root: usize) -> bool {
        let parts = &self.config.map_parts;
        parts.is_empty()
            || self.parts[root]
                .as_ref()
                .is_some_and(|p| parts.iter().any(|m| m == p))
    }

    /// `子分类 / 页面` names from `top` (exclusive) down to `c`.
    fn breadcrumb(&self, top: usize, c: usize) -> String {
        let mut names = vec![self.model.chapters[c].name.clone()];
        let mut p = self.model.chapters[c].parent;
        while let Some(i) = p {
            if i == top {
                break;
            }
            names.push(self.model.chapters[i].name.clone());
            p = self.model.chapters[i].parent;
        }
        names.reverse();
        names.join(" / ")
    }
}

/// The first sentence of the first paragraph or list item under the page's
/// `## 选型建议` heading (tables are skipped): the advice the index shows.
fn selection_sentence(source: &str) -> Option<String> {
    use mdbook_markdown::pulldown_cmark::Parser;
    let mut in_section = false;
    let mut in_heading = false;
    let mut heading_text = String::new();
    let mut depth = 0usize; // nesting of tables, code blocks and headings to skip
    let mut block: Option<String> = None;
    for ev in Parser::new_ext(source, parser_options()) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some(b) = block.take().filter(|b| !b.trim().is_empty()) {
                    return first_sentence(&b);
                }
                if in_section && level <= HeadingLevel::H2 {
                    return None;
                }
                in_heading = level == HeadingLevel::H2;
                heading_text.clear();
            }
            Event::End(TagEnd::Heading(_)) if in_heading => {
                in_heading = false;
                in_section = heading_text.trim() == "选型建议";
            }
            Event::Text(t) | Event::Code(t) if in_heading => heading_text.push_str(&t),
            _ if !in_section => {}
            Event::Start(Tag::Table(_) | Tag::CodeBlock(_) | Tag::HtmlBlock) => depth += 1,
            Event::End(TagEnd::Table | TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                depth = depth.saturating_sub(1)
            }
            _ if depth > 0 => {}
            Event::Start(Tag::Paragraph | Tag::Item) if block.is_none() => {
                block = Some(String::new())
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(b) = block.as_mut() {
                    b.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = block.as_mut() {
                    b.push(' ');
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                if let Some(b) = block.take().filter(|b| !b.trim().is_empty()) {
                    return first_sentence(&b);
                }
            }
            _ => {}
        }
    }
    None
}

/// Up to and including the first `。！？` (or `. `), else the whole text.
fn first_sentence(text: &str) -> Option<String> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '。' | '！' | '？') || (*c == '.' && t[i + 1..].starts_with(' '))
        })
        .map_or(t.len(), |(i, c)| i + c.len_utf8());
    let s = t[..end].trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn text(ev: &mut Events, t: &str) {
    ev.push(Event::Text(CowStr::from(t.to_string())));
}

fn heading(ev: &mut Events, level: HeadingLevel, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::Start(Tag::Heading {
        level,
        id: None,
        classes: Vec::new(),
        attrs: Vec::new(),
    }));
    inner(ev);
    ev.push(Event::End(TagEnd::Heading(level)));
}

/// Keeps short cells on one line: next to a long column, browsers would
/// otherwise break a Chinese name after every character.
fn nowrap(ev: &mut Events, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::InlineHtml(CowStr::from(
        r#"<span style="white-space: nowrap">"#,
    )));
    inner(ev);
    ev.push(Event::InlineHtml(CowStr::from("</span>")));
}

fn paragraph(ev: &mut Events, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::Start(Tag::Paragraph));
    inner(ev);
    ev.push(Event::End(TagEnd::Paragraph));
}

fn link(ev: &mut Events, dest: &str, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::Start(Tag::Link {
        link_type: LinkType::Inline,
        dest_url: CowStr::from(dest.to_string()),
        title: CowStr::from(""),
        id: CowStr::from(""),
    }));
    inner(ev);
    ev.push(Event::End(TagEnd::Link));
}

fn table(ev: &mut Events, header: &[&str], rows: usize, mut row: impl FnMut(&mut Events, usize)) {
    ev.push(Event::Start(Tag::Table(vec![
        Alignment::None;
        header.len()
    ])));
    ev.push(Event::Start(Tag::TableHead));
    for h in header {
        cell(ev, |ev| nowrap(ev, |ev| text(ev, h)));
    }
    ev.push(Event::End(TagEnd::TableHead));
    for r in 0..rows {
        ev.push(Event::Start(Tag::TableRow));
        row(ev, r);
        ev.push(Event::End(TagEnd::TableRow));
    }
    ev.push(Event::End(TagEnd::Table));
}

fn cell(ev: &mut Events, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::Start(Tag::TableCell));
    inner(ev);
    ev.push(Event::End(TagEnd::TableCell));
}

/// The parser options the serialiser must assume: the ones mdBook parses with.
fn parser_options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_FOOTNOTES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o.insert(Options::ENABLE_TASKLISTS);
    o.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    o.insert(Options::ENABLE_SMART_PUNCTUATION);
    o.insert(Options::ENABLE_DEFINITION_LIST);
    o.insert(Options::ENABLE_GFM);
    o
}

fn render(ev: &[Event<'_>]) -> String {
    let mut out = String::new();
    // Serialising a well-formed event list into a String cannot fail.
    if pulldown_cmark_to_cmark::cmark(ev.iter(), &mut out, parser_options()).is_err() {
        out.clear();
    }
    out.push('\n');
    out
}
