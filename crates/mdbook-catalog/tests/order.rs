//! Entry order on generated pages, including by stars from the snapshot.

use archmanual_github_snapshot::{RepoMeta, Snapshot, SnapshotEntry};
use archmanual_model::ParseOptions;
use mdbook_catalog::{CatalogConfig, Order, StarLookup, process};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};

fn book() -> Book {
    let mut theme = Chapter::new_draft("主题", vec![]);
    let page = "# 分类\n\n说明。\n\n- [Small](https://github.com/o/small) - 少。\n- [Zed](https://zed.example) - 无仓库。\n- [Big](https://github.com/O/Big) - 多。\n- [Mid](https://github.com/o/mid.git) - 中。\n";
    theme.sub_items.push(BookItem::Chapter(Chapter::new(
        "分类",
        page.into(),
        "t/c/index.md",
        vec![],
    )));
    let mut book = Book::new();
    book.items.push(BookItem::Chapter(theme));
    book
}

fn order_of(config: &CatalogConfig, stars: Option<&StarLookup>) -> Vec<&'static str> {
    let (book, _) = process(
        book(),
        &ParseOptions::default(),
        config,
        stars,
        &std::env::temp_dir(),
    )
    .unwrap();
    let BookItem::Chapter(index) = &book.items[0] else {
        unreachable!()
    };
    let mut found: Vec<(usize, &'static str)> = ["Small", "Zed", "Big", "Mid"]
        .into_iter()
        .map(|n| {
            (
                index.content.find(&format!("[{n}]")).expect("entry listed"),
                n,
            )
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, n)| n).collect()
}

#[test]
fn source_and_name_order() {
    let cfg = CatalogConfig::default();
    assert_eq!(order_of(&cfg, None), ["Small", "Zed", "Big", "Mid"]);
    let cfg = CatalogConfig {
        order: Order::Name,
        ..CatalogConfig::default()
    };
    assert_eq!(order_of(&cfg, None), ["Big", "Mid", "Small", "Zed"]);
}

#[test]
fn star_order_reads_the_snapshot_case_insensitively() {
    let dir = tempfile::tempdir().unwrap();
    let mut snap = Snapshot::default();
    for (key, stars) in [("o/small", 10), ("o/big", 5000), ("o/mid", 300)] {
        snap.repos.insert(
            key.into(),
            SnapshotEntry::Found(RepoMeta::new(key, stars, "2026-11-01T00:00:00Z")),
        );
    }
    let path = dir.path().join("github-repos.json");
    snap.save(&path).unwrap();
    let stars = StarLookup::from_snapshot_file(&path).unwrap();
    let cfg = CatalogConfig {
        order: Order::Stars,
        ..CatalogConfig::default()
    };
    // Unknown counts (no repository) keep their place after the known ones.
    assert_eq!(order_of(&cfg, Some(&stars)), ["Big", "Mid", "Small", "Zed"]);
}

#[test]
fn a_broken_snapshot_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("github-repos.json");
    std::fs::write(&path, "{ not json").unwrap();
    let err = StarLookup::from_snapshot_file(&path).unwrap_err();
    // What mdbook-catalog prints: the advice, the file and position, serde's reason.
    let shown = archmanual_diagnostics::ErrorChain(&err).to_string();
    assert!(
        shown.starts_with("cannot read the GitHub snapshot; run `archmanual refresh`"),
        "{shown}"
    );
    assert!(
        shown.contains("github-repos.json:1:3: not a valid GitHub snapshot"),
        "{shown}"
    );
    assert!(
        shown.ends_with(": key must be a string at line 1 column 3"),
        "{shown}"
    );
}
