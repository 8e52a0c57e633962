//! The technology map: every category with entries, nested as in SUMMARY.md.

use std::path::Path;

use archmanual_model::Entry;
use mdbook_markdown::pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::advice::selection_sentence;
use super::markdown::{Events, heading, paragraph, render, text};
use super::{Generator, Page};

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

    /// True if top-level chapter `root` is in a part the map covers.
    fn on_map(&self, root: usize) -> bool {
        let parts = &self.config.map_parts;
        parts.is_empty()
            || self.parts[root]
                .as_ref()
                .is_some_and(|p| parts.iter().any(|m| m == p))
    }
}
