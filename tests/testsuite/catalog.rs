//! Generated category index pages and the technology map.

use std::path::Path;

use crate::support::{archmanual, fixture, hrefs, main_of, run};

fn build_fixture(name: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = fixture(name);
    let out = run(archmanual()
        .arg("build")
        .arg("--book")
        .arg(dir.path())
        .arg("--dest-dir")
        .arg(dir.path().join("out")));
    (dir, out)
}

fn page(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("out").join(rel))
        .unwrap_or_else(|e| panic!("{rel} was not rendered: {e}"))
}

#[test]
fn draft_chapters_and_catalog_pages_become_index_pages() {
    let (dir, out) = build_fixture("catalog");
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = dir.path();

    // The draft `后端主题` lands at the directory its pages share.
    let backend = page(dir, "backend/index.html");
    let main = main_of(&backend);
    assert!(main.contains(r#"href="mq/index.html""#), "{main}");
    assert!(
        main.contains("消息队列让服务之间异步地交换消息。"),
        "intro sentence missing: {main}"
    );
    // Nested three deep: the storage draft's entries reach the theme page too.
    assert!(main.contains("https://github.com/postgres/postgres"));
    assert!(main.contains("https://github.com/minio/minio"));
    // The nested draft gets its own page under the shared directory.
    let storage = page(dir, "backend/storage/index.html");
    assert!(main_of(&storage).contains(r#"href="rdbms/index.html""#));
    assert!(
        !main_of(&storage).contains("apache/kafka"),
        "storage index must only cover its subtree"
    );

    // `{{#catalog}}` page covers its own children.
    let theory = page(dir, "theory/index.html");
    assert!(main_of(&theory).contains("https://github.com/etcd-io/raft"));
    assert!(!main_of(&theory).contains("{{#catalog"));

    // Nothing was written into the sources.
    assert!(!dir.join("src/backend/index.md").exists());
    assert!(!dir.join("src/backend/storage/index.md").exists());
}

#[test]
fn one_source_line_reaches_category_index_and_map() {
    let (dir, out) = build_fixture("catalog");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = dir.path();
    let kafka = "https://github.com/apache/kafka";
    for rel in ["backend/mq/index.html", "backend/index.html", "map.html"] {
        let html = page(dir, rel);
        assert_eq!(
            hrefs(main_of(&html)).iter().filter(|h| *h == kafka).count(),
            1,
            "{rel} should link Kafka exactly once"
        );
    }
    let src_count = walk_md(&dir.join("src"))
        .iter()
        .filter(|p| std::fs::read_to_string(p).unwrap().contains(kafka))
        .count();
    assert_eq!(src_count, 1, "Kafka is written in exactly one source file");
}

#[test]
fn generated_links_resolve_and_special_names_survive() {
    let (dir, out) = build_fixture("catalog");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out_dir = dir.path().join("out");
    for rel in [
        "backend/index.html",
        "backend/storage/index.html",
        "theory/index.html",
        "map.html",
    ] {
        let html = page(dir.path(), rel);
        for href in hrefs(main_of(&html)) {
            if href.starts_with("http") || href.starts_with('#') {
                continue;
            }
            let target = Path::new(rel)
                .parent()
                .unwrap()
                .join(href.split('#').next().unwrap());
            assert!(
                out_dir.join(&target).exists(),
                "{rel} links to missing {}",
                target.display()
            );
        }
    }
    let map = page(dir.path(), "map.html");
    let main = main_of(&map);
    // `[`, `*` and `|` in names are escaped in the generated Markdown, so they
    // render as text instead of breaking the link or the table.
    assert!(main.contains("Rocket*MQ*"), "{main}");
    assert!(main.contains("Disruptor [LMAX]"), "{main}");
    let backend = page(dir.path(), "backend/index.html");
    assert!(
        main_of(&backend).contains("存储 | 数据"),
        "pipe in a subcategory name breaks the table"
    );
    // Groups from `###` headings are kept.
    assert!(main.contains("分布式消息队列"));
}

#[test]
fn index_pages_show_selection_advice_and_the_map_only_technologies() {
    let (dir, out) = build_fixture("catalog");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let storage = page(dir.path(), "backend/storage/index.html");
    let main = main_of(&storage);
    // The first sentence of the first item under 选型建议, not the page's opening.
    assert!(
        main.contains("新项目默认用 PostgreSQL，团队只熟悉 MySQL 时用 MySQL。"),
        "{main}"
    );
    assert!(!main.contains("其余情况看对比表"), "{main}");
    assert!(main.contains("要点"), "{main}");
    // A page without 选型建议 keeps its opening sentence.
    assert!(main.contains("对象存储以扁平的键空间保存海量非结构化文件。"));
    // Generated pages speak to readers, not about how they were made.
    for rel in [
        "backend/index.html",
        "backend/storage/index.html",
        "map.html",
    ] {
        let html = page(dir.path(), rel);
        assert!(!main_of(&html).contains("自动生成"), "{rel}");
    }
    // `map-parts = ["技术主题"]`: the reading list of the other part is not a technology.
    let map = page(dir.path(), "map.html");
    let main = main_of(&map);
    assert!(!main.contains("dataintensive.net"), "{main}");
    // Categories with entries under 技术主题: 消息队列, 关系数据库, 对象存储, 共识实现.
    assert!(main.contains("4 个技术分类、7 个条目"), "{main}");
    assert!(!main.contains("查看该类技术的选型建议"), "{main}");
}

#[test]
fn malformed_entries_fail_with_line_and_column() {
    let (_dir, out) = build_fixture("catalog-malformed");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tx.md:6:3"),
        "empty link position missing: {stderr}"
    );
    assert!(
        stderr.contains("tx.md:7:3"),
        "missing description position missing: {stderr}"
    );
    assert!(stderr.contains("empty link target"), "{stderr}");
    assert!(stderr.contains("has no description"), "{stderr}");
    assert!(stderr.contains("CAT001"), "{stderr}");
    // The whole message as a contributor sees it (read and checked by hand).
    insta::assert_snapshot!("malformed_entries_stderr", stderr);
}

fn walk_md(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_md(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out
}
