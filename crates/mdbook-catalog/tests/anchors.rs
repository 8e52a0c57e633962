//! Entry anchors: every entry gets `<a id="entry-…">` on its own page, and
//! generated pages link to it.

use archmanual_model::ParseOptions;
use mdbook_catalog::{CatalogConfig, process};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};

fn run(book: Book) -> Book {
    process(
        book,
        &ParseOptions::default(),
        &CatalogConfig::default(),
        None,
        &std::env::temp_dir(),
    )
    .expect("catalog runs")
    .0
}

fn chapter(name: &str, path: &str, content: &str, subs: Vec<BookItem>) -> BookItem {
    let mut ch = Chapter::new(name, content.into(), path, vec![]);
    ch.sub_items = subs;
    BookItem::Chapter(ch)
}

fn content(item: &BookItem) -> &str {
    match item {
        BookItem::Chapter(ch) => &ch.content,
        _ => unreachable!(),
    }
}

#[test]
fn category_pages_get_anchors_and_the_catalog_links_them() {
    let mq = "# 消息队列\n\n- [Kafka](https://github.com/apache/kafka) - 日志。\n- [Kafka](https://k2.example) - 同名。\n";
    let book = Book::new_with_items(vec![chapter(
        "后端",
        "backend/index.md",
        "# 后端\n\n后端的技术各有分工，下面是全部条目。\n\n{{#catalog}}\n\n- [Redis](https://github.com/redis/redis) - 缓存。\n",
        vec![chapter("消息队列", "backend/mq/index.md", mq, vec![])],
    )]);
    let book = run(book);
    let BookItem::Chapter(backend) = &book.items[0] else {
        unreachable!()
    };
    let page = content(&backend.sub_items[0]);
    assert!(
        page.contains(
            r#"- [Kafka](https://github.com/apache/kafka) - <a id="entry-kafka"></a>日志。"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<a id="entry-kafka-1"></a>同名。"#),
        "{page}"
    );
    // The in-place catalog: generated links to the anchors, and the page's own
    // entry after the directive has its anchor too.
    let index = &backend.content;
    assert!(index.contains("(mq/index.md#entry-kafka)"), "{index}");
    assert!(index.contains("(mq/index.md#entry-kafka-1)"), "{index}");
    assert!(
        index.contains(r#"<a id="entry-redis"></a>缓存。"#),
        "{index}"
    );
    assert!(!index.contains("{{#catalog}}"));
}
