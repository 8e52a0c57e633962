//! The subcategory table of a generated index page.

mod common;

use mdbook_preprocessor::book::{BookItem, Chapter};

/// A category page under 主题.
fn category(name: &str, content: &str, path: &str) -> BookItem {
    BookItem::Chapter(Chapter::new(
        name,
        content.into(),
        path,
        vec!["主题".into()],
    ))
}

/// The generated index page of a draft theme holding `children`.
fn theme_index(children: Vec<BookItem>) -> String {
    let mut theme = Chapter::new_draft("主题", vec![]);
    theme.sub_items = children;
    let (page, diagnostics) = common::process_theme(theme);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    page
}

/// The table row whose first cell links `name`, cut into trimmed cells.
fn row(page: &str, name: &str) -> Vec<String> {
    let line = page
        .lines()
        .find(|l| l.starts_with('|') && l.contains(&format!("[{name}]")))
        .unwrap_or_else(|| panic!("no row for {name}:\n{page}"));
    line.trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

#[test]
fn a_category_without_entries_of_its_own_shows_no_count() {
    let page = theme_index(vec![
        category(
            "消息队列",
            "# 消息队列\n\n异步通信。\n\n- [Kafka](https://github.com/apache/kafka) - 分布式日志。\n",
            "t/mq/index.md",
        ),
        category(
            "仓库",
            "# 仓库\n\n项目收在[仓库管理](../../ops/repo/index.md)一页。\n",
            "t/warehouse/index.md",
        ),
    ]);
    assert_eq!(
        row(&page, "消息队列").last().map(String::as_str),
        Some("1"),
        "{page}"
    );
    assert_eq!(
        row(&page, "仓库").last().map(String::as_str),
        Some("—"),
        "{page}"
    );
    assert!(page.contains("共 2 个分类、1 个条目"), "{page}");
}

#[test]
fn an_index_of_articles_has_no_count_column() {
    let page = theme_index(vec![
        category(
            "两阶段提交",
            "# 两阶段提交\n\n协调者分两步提交。\n",
            "t/2pc.md",
        ),
        category("Raft", "# Raft\n\n选主与日志复制。\n", "t/raft.md"),
    ]);
    assert_eq!(row(&page, "Raft").len(), 2, "{page}");
    assert!(!page.contains("条目"), "{page}");
    assert!(page.contains("主题共 2 个分类。"), "{page}");
}
