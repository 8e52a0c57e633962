//! Category index pages: a summary, the subcategory table, and every entry
//! below the category grouped by the page that defines it.

use std::path::Path;

use archmanual_model::Entry;
use mdbook_markdown::pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::advice::selection_sentence;
use super::markdown::{Events, cell, heading, keep_words, paragraph, render, table, text};
use super::{Generator, Page};

impl Generator<'_> {
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
        let (rows, advice_rows) = self.subcategory_rows(i);
        paragraph(&mut ev, |ev| {
            // Theory indexes group articles, not projects: no "0 个条目".
            let count = if total > 0 {
                format!("{}共 {} 个分类、{total} 个条目", ch.name, rows.len())
            } else {
                format!("{}共 {} 个分类", ch.name, rows.len())
            };
            let mut parts = vec![count];
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
            // The count column only where some category has entries.
            let headers: &[&str] = if total > 0 {
                &["分类", column, "条目数"]
            } else {
                &["分类", column]
            };
            table(&mut ev, headers, rows.len(), |ev, r| {
                let (c, name, intro, count) = &rows[r];
                cell(ev, |ev| {
                    keep_words(ev, |ev| self.chapter_link(ev, &here, *c, name))
                });
                cell(ev, |ev| text(ev, intro));
                if total > 0 {
                    // A category whose projects are on another page (its
                    // text names it) is not empty: no count, not a 0.
                    let count = match count {
                        0 => "—".to_string(),
                        n => n.to_string(),
                    };
                    cell(ev, |ev| text(ev, &count));
                }
            });
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

    /// The subcategory table's rows of chapter `i` (chapter, name, intro,
    /// entry count) and how many of the intros are selection advice.
    fn subcategory_rows(&self, i: usize) -> (Vec<(usize, String, String, usize)>, usize) {
        let mut rows = Vec::new();
        let mut advice_rows = 0;
        for &c in &self.model.chapters[i].children {
            let child = &self.model.chapters[c];
            let advice = selection_sentence(&child.doc);
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
        (rows, advice_rows)
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
