//! The technology map: every category with entries, nested as in SUMMARY.md.

use std::path::{Path, PathBuf};

use archmanual_model::Entry;
use mdbook_markdown::pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::advice::selection_sentence;
use super::map_svg::{self, MapCategory, MapEntry, MapTheme, inline_block};
use super::markdown::{Events, heading, paragraph, render, text};
use super::{Generator, Page};
use crate::paths::relative_link;

impl Generator<'_> {
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
        let roots = self.map_roots(i);
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
            .filter(|&&c| selection_sentence(&self.model.chapters[c].doc).is_some())
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
        // The picture goes between the introduction and the text list, which
        // stays for screen readers, search and print.
        let themes = self.map_themes(&roots, &here);
        let stars_shown = has_stars(&themes);
        let mut markdown = render(&ev);
        ev.clear();
        markdown.push_str("\n\n");
        markdown.push_str(&inline_block(&themes, stars_shown));
        markdown.push_str("\n\n");
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
        markdown.push_str(&render(&ev));
        Page {
            markdown,
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

    /// The themes the map at chapter `i` shows: top-level chapters with
    /// entries in the parts it covers.
    fn map_roots(&self, i: usize) -> Vec<usize> {
        self.model
            .roots()
            .filter(|&r| r != i && self.subtree_entry_count(r) > 0 && self.on_map(r))
            .collect()
    }

    /// The map of chapter `i` as a standalone SVG file, linking the built
    /// pages relative to the map page, or under `base_url`.
    pub(crate) fn standalone_map(&self, i: usize, base_url: Option<&str>) -> String {
        let here = match base_url {
            // Links from the book's root, to put under the base URL.
            Some(_) => PathBuf::from("index.md"),
            None => self.path(i).map(Path::to_path_buf).unwrap_or_default(),
        };
        let mut themes = self.map_themes(&self.map_roots(i), &here);
        let fix = |h: &mut Option<String>| {
            if let Some(h) = h {
                *h = html_link(h, base_url);
            }
        };
        for t in &mut themes {
            fix(&mut t.href);
            for c in &mut t.categories {
                fix(&mut c.href);
                for (_, entries) in &mut c.groups {
                    entries.iter_mut().for_each(|e| fix(&mut e.href));
                }
            }
        }
        let stars = has_stars(&themes);
        map_svg::render(&themes, map_svg::Flavour::Standalone, stars)
    }

    /// The map's data for its picture: each theme and its categories with
    /// entries (nested ones flattened, named after their parent too), with
    /// links relative to the map page at `here`.
    pub(crate) fn map_themes(&self, roots: &[usize], here: &Path) -> Vec<MapTheme> {
        let link = |c: usize| self.path(c).map(|p| relative_link(here, p));
        roots
            .iter()
            .map(|&r| {
                let categories = std::iter::once(r)
                    .chain(self.model.descendants(r))
                    .filter(|&c| !self.model.chapters[c].doc.entries.is_empty())
                    .map(|c| self.map_category(c, r, link(c)))
                    .collect();
                MapTheme {
                    name: self.model.chapters[r].name.clone(),
                    href: link(r),
                    categories,
                }
            })
            .collect()
    }

    fn map_category(&self, c: usize, root: usize, href: Option<String>) -> MapCategory {
        let ch = &self.model.chapters[c];
        let name = match ch.parent {
            Some(p) if p != root => format!("{} · {}", self.model.chapters[p].name, ch.name),
            _ => ch.name.clone(),
        };
        let mut groups: Vec<(Option<String>, Vec<MapEntry>)> = Vec::new();
        for e in self.ordered(&ch.doc.entries) {
            let k = ch.doc.entries.iter().position(|x| x.span == e.span);
            let anchor = k.and_then(|k| self.anchors[c].get(k));
            let entry = MapEntry {
                name: e.name.clone(),
                href: href
                    .as_ref()
                    .zip(anchor)
                    .map(|(page, a)| format!("{page}#{a}")),
                stars: self.stars.and_then(|s| s.stars_of(&e.url)),
            };
            match groups.last_mut() {
                Some((g, list)) if *g == e.group => list.push(entry),
                _ => groups.push((e.group.clone(), vec![entry])),
            }
        }
        MapCategory { name, href, groups }
    }

    /// True if top-level chapter `root` is in a part the map covers.
    fn on_map(&self, root: usize) -> bool {
        let parts = &self.config.map_parts;
        parts.is_empty()
            || self.parts[root]
                .as_ref()
                .is_some_and(|p| parts.iter().any(|m| m == p))
    }
}

/// True if any entry on the map has a star count.
fn has_stars(themes: &[MapTheme]) -> bool {
    themes
        .iter()
        .flat_map(|t| &t.categories)
        .flat_map(|c| &c.groups)
        .flat_map(|(_, e)| e)
        .any(|e| e.stars.is_some())
}

/// A link between source pages (`a/index.md#x`) as a link between built
/// pages (`a/index.html#x`; mdBook renders `README.md` as `index.html`),
/// under `base_url` when given.
fn html_link(link: &str, base_url: Option<&str>) -> String {
    let (page, anchor) = link
        .split_once('#')
        .map_or((link, None), |(p, a)| (p, Some(a)));
    let mut out = String::new();
    if let Some(base) = base_url {
        out.push_str(base);
        if !base.ends_with('/') {
            out.push('/');
        }
    }
    if page == "README.md" || page.ends_with("/README.md") {
        out.push_str(&page[..page.len() - "README.md".len()]);
        out.push_str("index.html");
    } else if let Some(stem) = page.strip_suffix(".md") {
        out.push_str(stem);
        out.push_str(".html");
    } else {
        out.push_str(page);
    }
    if let Some(a) = anchor {
        out.push('#');
        out.push_str(a);
    }
    out
}
