//! What the search index is made of: the book's pages (title, theme) and its
//! catalog entries (name, description, tags, anchor), read from the book.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use archmanual_github_snapshot::Snapshot;
use archmanual_github_url::{GithubLink, classify};
use archmanual_model::{BookModel, ParseOptions, entry_anchors};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};

/// One rendered chapter page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The HTML file, relative to the book's output directory (`backend/mq/index.html`).
    pub html: PathBuf,
    /// The chapter's title in SUMMARY.md.
    pub title: String,
    /// The value of the `主题` filter, if the page belongs to a theme.
    pub theme: Option<String>,
    /// True for pages the catalog generates (category indexes, the
    /// technology map): they repeat entries of other pages, so only their
    /// title is indexed.
    pub generated: bool,
}

/// One catalog entry, as a search record of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRecord {
    /// The HTML file of its category page, relative to the output directory.
    pub page: PathBuf,
    /// Its anchor on that page (`entry-kafka`).
    pub anchor: String,
    /// The project's name.
    pub name: String,
    /// The entry's link as written (a GitHub repository or another page).
    pub url: String,
    /// The one-line description (plain text, as written in the book).
    pub description: String,
    /// The `标签` field.
    pub tags: Vec<String>,
    /// The `###` group heading it sits under.
    pub group: Option<String>,
    /// The category page's title.
    pub category: String,
    /// The category page's theme.
    pub theme: Option<String>,
    /// Stars from the GitHub snapshot.
    pub stars: Option<u64>,
    /// The repository's description from the GitHub snapshot (untrusted text).
    pub github_description: Option<String>,
}

/// Everything the index needs to know about a book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchSite {
    /// Chapter pages, in SUMMARY order.
    pub pages: Vec<Page>,
    /// Catalog entries, in SUMMARY and page order.
    pub entries: Vec<EntryRecord>,
}

impl SearchSite {
    /// Reads the pages from `rendered` (the book after every preprocessor,
    /// as the HTML renderer saw it: generated pages have their paths) and
    /// the entries from `source` (the book as loaded, before any
    /// preprocessor touched its Markdown). Stars and repository descriptions
    /// come from `snapshot` when there is one.
    pub fn new(
        rendered: &Book,
        source: &Book,
        options: &ParseOptions,
        snapshot: Option<&Snapshot>,
    ) -> SearchSite {
        let model = BookModel::from_book(source, options);
        let generated: HashSet<&Path> = model
            .chapters
            .iter()
            .filter(|c| {
                // A page that is only a title and `{{#catalog}}` (one with
                // text of its own gets the catalog in place and stays a page).
                c.doc
                    .directives
                    .iter()
                    .filter(|d| d.name == "catalog" && !d.in_code)
                    .any(|d| {
                        let source = &c.doc.source;
                        let rest = format!("{}{}", &source[..d.span.start], &source[d.span.end..]);
                        rest.lines()
                            .map(str::trim)
                            .all(|l| l.is_empty() || l.starts_with("# "))
                    })
            })
            .filter_map(|c| c.source_path.as_deref())
            .collect();

        let mut pages = Vec::new();
        for (part, chapters) in parts(rendered) {
            // A part that groups several sections, each with chapters of its
            // own (the 技术主题 part: 后端主题, 前端主题, …), is a set of
            // themes; any other part is one theme named by its title. Before
            // the first part title, a section with chapters is a theme.
            let grouped = chapters.len() >= 3 && chapters.iter().all(|c| has_children(c));
            for ch in chapters {
                let theme = match part {
                    Some(_) if grouped => Some(ch.name.clone()),
                    Some(title) => Some(title.to_string()),
                    None if has_children(ch) => Some(ch.name.clone()),
                    None => None,
                };
                collect_pages(ch, theme.as_deref(), &generated, &mut pages);
            }
        }

        let by_source: HashMap<&Path, &Page> = source_paths(rendered)
            .into_iter()
            .zip(&pages)
            .filter_map(|(s, p)| s.map(|s| (s, p)))
            .collect();
        let mut entries = Vec::new();
        for ch in &model.chapters {
            let Some(page) = ch.source_path.as_deref().and_then(|s| by_source.get(s)) else {
                continue;
            };
            let anchors = entry_anchors(&ch.doc);
            for (e, anchor) in ch.doc.entries.iter().zip(anchors) {
                let meta = snapshot.and_then(|s| {
                    let key = match classify(&e.url)? {
                        GithubLink::Repo(key) => key,
                        GithubLink::Other {
                            repo: Some(key), ..
                        } => key,
                        _ => return None,
                    };
                    s.repo(key.key())?.meta()
                });
                entries.push(EntryRecord {
                    page: page.html.clone(),
                    anchor,
                    name: e.name.clone(),
                    url: e.url.clone(),
                    description: e.description.clone(),
                    tags: e.tags.clone(),
                    group: e.group.clone(),
                    category: page.title.clone(),
                    theme: page.theme.clone(),
                    stars: meta.map(|m| m.stars),
                    github_description: meta.and_then(|m| m.description.clone()),
                });
            }
        }
        SearchSite { pages, entries }
    }
}

/// Top-level chapters grouped by the part title above them (`None` before the first).
fn parts(book: &Book) -> Vec<(Option<&str>, Vec<&Chapter>)> {
    let mut out: Vec<(Option<&str>, Vec<&Chapter>)> = vec![(None, Vec::new())];
    for item in &book.items {
        match item {
            BookItem::PartTitle(t) => out.push((Some(t.as_str()), Vec::new())),
            BookItem::Chapter(ch) => {
                if let Some(last) = out.last_mut() {
                    last.1.push(ch);
                }
            }
            BookItem::Separator => {}
        }
    }
    out
}

fn has_children(ch: &Chapter) -> bool {
    ch.sub_items
        .iter()
        .any(|i| matches!(i, BookItem::Chapter(_)))
}

/// Pages of `ch` and its descendants, depth-first (drafts without a page skipped).
fn collect_pages(
    ch: &Chapter,
    theme: Option<&str>,
    generated: &HashSet<&Path>,
    out: &mut Vec<Page>,
) {
    if let Some(path) = &ch.path {
        out.push(Page {
            html: path.with_extension("html"),
            title: ch.name.clone(),
            theme: theme.map(str::to_string),
            // A draft with a page was filled by the catalog.
            generated: ch
                .source_path
                .as_deref()
                .is_none_or(|s| generated.contains(s)),
        });
    }
    for item in &ch.sub_items {
        if let BookItem::Chapter(c) = item {
            collect_pages(c, theme, generated, out);
        }
    }
}

/// The source path of every page, in the order [`collect_pages`] visits them.
fn source_paths(book: &Book) -> Vec<Option<&Path>> {
    fn walk<'b>(ch: &'b Chapter, out: &mut Vec<Option<&'b Path>>) {
        if ch.path.is_some() {
            out.push(ch.source_path.as_deref());
        }
        for item in &ch.sub_items {
            if let BookItem::Chapter(c) = item {
                walk(c, out);
            }
        }
    }
    let mut out = Vec::new();
    for (_, chapters) in parts(book) {
        for ch in chapters {
            walk(ch, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(name: &str, path: &str, content: &str, subs: Vec<BookItem>) -> BookItem {
        let mut ch = Chapter::new(name, content.into(), path, vec![]);
        ch.sub_items = subs;
        BookItem::Chapter(ch)
    }

    fn draft(name: &str, subs: Vec<BookItem>) -> BookItem {
        let mut ch = Chapter::new_draft(name, vec![]);
        ch.sub_items = subs;
        BookItem::Chapter(ch)
    }

    const ENTRIES: &str = "# 消息队列\n\n- [Kafka](https://github.com/apache/kafka) - 分布式日志。\n  - 标签: 消息, 流\n";

    fn book() -> Book {
        let mut b = Book::new();
        b.items = vec![
            chapter("简介", "README.md", "# 简介\n", vec![]),
            BookItem::PartTitle("技术主题".into()),
            draft(
                "后端主题",
                vec![chapter("消息队列", "backend/mq/index.md", ENTRIES, vec![])],
            ),
            chapter(
                "监控",
                "ops/monitor/index.md",
                "# 监控\n",
                vec![chapter(
                    "日志",
                    "ops/monitor/log/index.md",
                    "# 日志\n",
                    vec![],
                )],
            ),
            draft(
                "大数据",
                vec![chapter(
                    "流式计算",
                    "bigdata/stream/index.md",
                    "# 流\n",
                    vec![],
                )],
            ),
            BookItem::PartTitle("分布式理论".into()),
            chapter(
                "理论总览",
                "theory/index.md",
                "# 理论\n",
                vec![chapter("Raft", "theory/raft.md", "# Raft\n", vec![])],
            ),
            draft(
                "分布式设计模式",
                vec![chapter("分布式锁", "theory/lock.md", "# 锁\n", vec![])],
            ),
            BookItem::PartTitle("参考资料".into()),
            chapter("论文", "references/papers.md", ENTRIES, vec![]),
            chapter("书籍", "references/books.md", "# 书\n", vec![]),
            chapter("延伸阅读", "references/more.md", "# 读\n", vec![]),
        ];
        b
    }

    /// The book as the renderer sees it: drafts filled in, README renamed.
    fn rendered() -> Book {
        let mut b = book();
        if let BookItem::Chapter(ch) = &mut b.items[0] {
            ch.path = Some("index.md".into());
        }
        if let BookItem::Chapter(ch) = &mut b.items[2] {
            ch.path = Some("backend/index.md".into());
        }
        b
    }

    #[test]
    fn themes_follow_the_catalog_parts_and_the_other_part_titles() {
        let site = SearchSite::new(&rendered(), &book(), &ParseOptions::default(), None);
        let got: Vec<(&str, &str, Option<&str>)> = site
            .pages
            .iter()
            .map(|p| {
                (
                    p.html.to_str().unwrap(),
                    p.title.as_str(),
                    p.theme.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("index.html", "简介", None),
                ("backend/index.html", "后端主题", Some("后端主题")),
                ("backend/mq/index.html", "消息队列", Some("后端主题")),
                ("ops/monitor/index.html", "监控", Some("监控")),
                ("ops/monitor/log/index.html", "日志", Some("监控")),
                ("bigdata/stream/index.html", "流式计算", Some("大数据")),
                ("theory/index.html", "理论总览", Some("分布式理论")),
                ("theory/raft.html", "Raft", Some("分布式理论")),
                ("theory/lock.html", "分布式锁", Some("分布式理论")),
                ("references/papers.html", "论文", Some("参考资料")),
                ("references/books.html", "书籍", Some("参考资料")),
                ("references/more.html", "延伸阅读", Some("参考资料")),
            ]
        );
    }

    #[test]
    fn entries_carry_their_page_anchor_tags_and_snapshot_data() {
        let mut snapshot = Snapshot::default();
        let mut meta = archmanual_github_snapshot::RepoMeta::new(
            "apache/kafka",
            31_000,
            "2026-11-01T00:00:00Z",
        );
        meta.description = Some("<img src=x onerror=alert(1)>".into());
        snapshot.insert_repo(
            "apache/kafka",
            archmanual_github_snapshot::SnapshotEntry::Found(meta),
        );
        let site = SearchSite::new(
            &rendered(),
            &book(),
            &ParseOptions::default(),
            Some(&snapshot),
        );
        assert_eq!(site.entries.len(), 2, "{:?}", site.entries);
        let kafka = &site.entries[0];
        assert_eq!(kafka.page, Path::new("backend/mq/index.html"));
        assert_eq!(kafka.anchor, "entry-kafka");
        assert_eq!(kafka.description, "分布式日志。");
        assert_eq!(kafka.tags, ["消息", "流"]);
        assert_eq!(kafka.category, "消息队列");
        assert_eq!(kafka.theme.as_deref(), Some("后端主题"));
        assert_eq!(kafka.stars, Some(31_000));
        assert_eq!(
            kafka.github_description.as_deref(),
            Some("<img src=x onerror=alert(1)>")
        );
    }
}
