//! Links, anchors, directives, code blocks and entries of the model.

use archmanual_model::{Document, EntryProblemKind, LinkKind, ParseOptions};

fn parse(src: &str) -> Document {
    Document::parse(src, &ParseOptions::default())
}

#[test]
fn links_in_code_are_not_links() {
    let doc = parse(
        "`[a](b.md)`\n\n```md\n[c](d.md) <a href=\"e.md\">\n```\n\n    [f](g.md)\n\n[h](i.md)\n",
    );
    let dests: Vec<_> = doc.links.iter().map(|l| l.dest.as_str()).collect();
    assert_eq!(dests, vec!["i.md"]);
    assert_eq!(doc.code_blocks.len(), 2);
    assert_eq!(doc.code_blocks[0].lang, "md");
    assert!(doc.code_blocks[0].content.contains("[c](d.md)"));
    assert!(doc.in_code(doc.source.find("[c]").unwrap()));
}

#[test]
fn every_link_kind_with_positions() {
    let src = "# T\n\n中文 [内联](a.md#x \"title\") and ![图](img/p.png)\n[引用][r] [r][] [r] <https://auto.example/x>\n<a href=\"raw.md\">x</a> <img src=\"pic.svg\">\n\n[r]: <ref target.md>\n";
    let doc = parse(src);
    let got: Vec<_> = doc
        .links
        .iter()
        .map(|l| {
            (
                l.kind,
                l.image,
                l.dest.as_str(),
                l.dest_span.map(|s| s.text(src)),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (LinkKind::Inline, false, "a.md#x", Some("a.md#x")),
            (LinkKind::Inline, true, "img/p.png", Some("img/p.png")),
            (
                LinkKind::Reference,
                false,
                "ref target.md",
                Some("ref target.md")
            ),
            (
                LinkKind::Collapsed,
                false,
                "ref target.md",
                Some("ref target.md")
            ),
            (
                LinkKind::Shortcut,
                false,
                "ref target.md",
                Some("ref target.md")
            ),
            (
                LinkKind::Autolink,
                false,
                "https://auto.example/x",
                Some("https://auto.example/x")
            ),
            (LinkKind::HtmlHref, false, "raw.md", Some("raw.md")),
            (LinkKind::HtmlSrc, true, "pic.svg", Some("pic.svg")),
        ]
    );
    // 1-based line/column, columns in characters: `中文 ` is 3 columns.
    assert_eq!(doc.line_col(doc.links[0].span.start), (3, 4));
    let loc = doc.location(doc.links[6].dest_span.unwrap());
    assert_eq!((loc.line, loc.column), (5, 10));
    assert_eq!(doc.links[0].text, "内联");
    assert_eq!(doc.links[1].text, "图");
}

#[test]
fn nested_brackets_and_parentheses_in_destinations() {
    let src = "[a [b] c](https://x.example/wiki/A_(b)) [d](<with space.md>)";
    let doc = parse(src);
    assert_eq!(
        doc.links[0].dest_span.unwrap().text(src),
        "https://x.example/wiki/A_(b)"
    );
    assert_eq!(doc.links[1].dest, "with space.md");
    assert_eq!(doc.links[1].dest_span.unwrap().text(src), "with space.md");
}

#[test]
fn html_anchors_and_directives() {
    let src = "<div id=\"top\"></div>\n\n{{#include ../x.md:part}}\n\n\\{{#include no.md}}\n\n```\n{{#include in-code.rs}}\n```\n";
    let doc = parse(src);
    assert_eq!(doc.anchors[0].id, "top");
    let d: Vec<_> = doc
        .directives
        .iter()
        .map(|d| (d.target.as_deref(), d.in_code))
        .collect();
    assert_eq!(
        d,
        vec![(Some("../x.md"), false), (Some("in-code.rs"), true)]
    );
    assert_eq!(doc.directives[0].selector.as_deref(), Some("part"));
}

#[test]
fn entries_groups_fields_and_problems() {
    let src = "# 消息队列\n\n消息队列解耦生产者与消费者。第二句。\n\n## 开源项目\n\n- [Kafka](https://github.com/apache/kafka) - 分布式 `log`。\n  - 官网: https://kafka.apache.org\n  - 标签: 流处理, 日志\n\n### 内存队列\n\n- [Disruptor](https://github.com/LMAX-Exchange/disruptor) — 环形缓冲区。\n- [Redis]\n- [Hmily]()\n- [ByteTCC](https://github.com/liuyangming/ByteTCC)\n- Druid\n- [X](https://x.example) - y\n  - 作者: 某人\n  - [Nested](https://n.example) - z\n\n## 清单\n\n- 普通列表项\n- [链接开头](https://a.example)\n";
    let doc = parse(src);
    let names: Vec<_> = doc
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e.group.as_deref()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Kafka", None),
            ("Disruptor", Some("内存队列")),
            ("X", Some("内存队列"))
        ]
    );
    let kafka = &doc.entries[0];
    assert_eq!(kafka.description, "分布式 log。");
    assert_eq!(kafka.description_markdown, "分布式 `log`。");
    assert_eq!(kafka.homepage.as_deref(), Some("https://kafka.apache.org"));
    assert_eq!(kafka.tags, vec!["流处理", "日志"]);
    assert_eq!(kafka.name_span.text(src), "Kafka");
    let problems: Vec<_> = doc
        .entry_problems
        .iter()
        .map(|p| (p.kind.clone(), doc.line_col(p.span.start).0))
        .collect();
    assert_eq!(
        problems,
        vec![
            (EntryProblemKind::BracketedNameWithoutLink, 14),
            (EntryProblemKind::EmptyLink, 15),
            (EntryProblemKind::MissingDescription, 16),
            (
                EntryProblemKind::MixedList {
                    entries: 2,
                    bullet_lines: vec![17]
                },
                17
            ),
            (EntryProblemKind::UnknownField("作者".into()), 19),
            (EntryProblemKind::NestedEntry, 20),
        ]
    );
    // The checklist is not an entry list: no item has the entry form.
    assert!(doc.entries.iter().all(|e| e.name != "链接开头"));
    // Kafka heads the first list, Disruptor and X share the second.
    let lists: Vec<_> = doc.entries.iter().map(|e| e.list).collect();
    assert_eq!(lists[1], lists[2]);
    assert_ne!(lists[0], lists[1]);
    assert_eq!(
        doc.intro_sentence().as_deref(),
        Some("消息队列解耦生产者与消费者。")
    );
}

#[test]
fn cross_references_are_not_entries() {
    // Bullets that link pages of the book are cross-references even in the
    // entry shape; a list of them has no entries and no problems.
    let src = "# 页\n\n- [Java](../backend/index.md#java)：Tomcat 与 Jetty；\n- [上文](#top) - 回到开头\n- 见 [缓存](cache.md)\n";
    let doc = parse(src);
    assert!(doc.entries.is_empty(), "{:?}", doc.entries);
    assert!(doc.entry_problems.is_empty(), "{:?}", doc.entry_problems);
}

#[test]
fn mixed_list_is_one_problem() {
    let src = "# 页\n\n- 见 [缓存](cache.md)\n- [Redis](https://github.com/redis/redis) - 内存数据库。\n- 见 [队列](mq.md)\n- 另见下一节\n";
    let doc = parse(src);
    assert_eq!(doc.entries.len(), 1);
    let kinds: Vec<_> = doc.entry_problems.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![EntryProblemKind::MixedList {
            entries: 1,
            bullet_lines: vec![3, 5, 6]
        }]
    );
    assert_eq!(doc.line_col(doc.entry_problems[0].span.start).0, 3);
}

#[test]
fn unlinked_brackets_are_reported_but_links_and_tasks_are_not() {
    let doc = parse(
        "用 [Redis] 和 [Kafka](https://k.example)。\n\n- [ ] 待办\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 注。\n",
    );
    let texts: Vec<_> = doc
        .unlinked_brackets
        .iter()
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(texts, vec!["Redis"]);
}
