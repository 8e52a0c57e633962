//! The technology map's picture: an inline SVG on the map page (and the same
//! picture as a standalone file) that links every category and entry, keeps
//! its text inside its boxes, escapes every label, and lays out in two
//! columns or one without overlaps.

use std::collections::BTreeSet;

use archmanual_model::ParseOptions;
use mdbook_catalog::{CatalogConfig, StarLookup, map_svg, process};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_protocol::text::text_width;

const LONG: &str = "An Extremely Long Project Name That Cannot Possibly Fit In One Chip Of The Map";
/// Entry names go through the model's smart punctuation (quotes become
/// curly), so the quotes of the hostile labels are in the page names.
const HOSTILE: &str = "<script>alert(1)</script> & co";

fn page(name: &str, path: &str, body: &str) -> BookItem {
    BookItem::Chapter(Chapter::new(
        name,
        format!("# {name}\n\n说明。\n\n{body}"),
        path,
        vec![],
    ))
}

fn book() -> Book {
    let mut book = Book::new();
    book.items.push(BookItem::Chapter(Chapter::new(
        "技术地图",
        "# 技术地图\n\n{{#catalog map}}\n".into(),
        "map.md",
        vec![],
    )));
    let mut backend = Chapter::new_draft("后端 <主题> & \"引号\"", vec![]);
    backend.sub_items.push(page(
        "消息队列",
        "backend/mq/index.md",
        &format!(
            "- [Kafka](https://github.com/apache/kafka) - 日志。\n- [{LONG}](https://github.com/o/long) - 长。\n\n### 内存队列\n\n- [Disruptor](https://github.com/LMAX-Exchange/disruptor) - 环形缓冲。\n- [Kafka](https://github.com/o/kafka2) - 同名。\n"
        ),
    ));
    backend.sub_items.push(page(
        "分布式协调服务与一致性元数据存储的超长分类名称示例",
        "backend/coordination/index.md",
        "- [ZooKeeper](https://github.com/apache/zookeeper) - 协调。\n- [etcd](https://github.com/etcd-io/etcd) - 键值。\n",
    ));
    backend.sub_items.push(page(
        "缓存 'X'",
        "backend/cache/index.md",
        &format!(
            "- [{}](https://github.com/o/hostile) - 名字里有标签。\n",
            HOSTILE.replace('<', "\\<")
        ),
    ));
    book.items.push(BookItem::Chapter(backend));
    let mut security = Chapter::new_draft("系统安全", vec![]);
    let mut app = Chapter::new_draft("应用层", vec![]);
    app.sub_items.push(page(
        "账号",
        "security/application/account/index.md",
        "- [Keycloak](https://github.com/keycloak/keycloak) - 身份认证。\n",
    ));
    security.sub_items.push(BookItem::Chapter(app));
    book.items.push(BookItem::Chapter(security));
    book
}

fn map_page(stars: Option<&StarLookup>) -> String {
    let (book, diagnostics) = process(
        book(),
        &ParseOptions::default(),
        &CatalogConfig::default(),
        stars,
        &std::env::temp_dir(),
    )
    .unwrap();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let BookItem::Chapter(map) = &book.items[0] else {
        unreachable!()
    };
    map.content.clone()
}

/// The map's HTML block: the one line that starts with `<div class="tm"`.
fn block(page: &str) -> &str {
    let lines: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("<div class=\"tm\""))
        .collect();
    assert_eq!(lines.len(), 1, "one map block on one line:\n{page}");
    lines[0]
}

fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute(name)
}

fn hrefs(doc: &roxmltree::Document<'_>) -> BTreeSet<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|n| attr(n, "href").map(str::to_string))
        .collect()
}

/// The entry links of the text list under the picture (its `→` links).
fn list_entry_links(page: &str) -> BTreeSet<String> {
    page.match_indices("[→](")
        .map(|(i, _)| {
            let rest = &page[i + "[→](".len()..];
            rest[..rest.find(')').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_picture_links_every_category_and_every_entry_of_the_list() {
    let page = map_page(None);
    let html = block(&page);
    let doc = roxmltree::Document::parse(html).expect("the map block is well-formed XML");
    let links = hrefs(&doc);
    for category in [
        "backend/mq/index.md",
        "backend/coordination/index.md",
        "backend/cache/index.md",
        "security/application/account/index.md",
    ] {
        assert!(links.contains(category), "{category} not linked: {links:?}");
    }
    let entries: BTreeSet<String> = links
        .iter()
        .filter(|l| l.contains("#entry-"))
        .cloned()
        .collect();
    let listed = list_entry_links(&page);
    assert_eq!(listed.len(), 8, "{listed:?}");
    assert_eq!(
        entries, listed,
        "the picture and the list link the same entries"
    );
    // Two entries named Kafka on one page: two anchors.
    assert!(entries.contains("backend/mq/index.md#entry-kafka"));
    assert!(entries.contains("backend/mq/index.md#entry-kafka-1"));
    // The text list is still there, after the picture.
    let list = page.find("[→](").unwrap();
    assert!(page.find("<div class=\"tm\"").unwrap() < list);
    // Accessible name and description.
    let svg = doc.descendants().find(|n| n.has_tag_name("svg")).unwrap();
    assert_eq!(attr(svg, "role"), Some("group"));
    assert!(
        attr(svg, "aria-label")
            .unwrap()
            .contains("4 个分类、8 个条目")
    );
    assert!(svg.children().any(|n| n.has_tag_name("title")));
    assert!(svg.children().any(|n| n.has_tag_name("desc")));
}

#[test]
fn labels_are_escaped_and_only_drawing_elements_are_emitted() {
    let page = map_page(None);
    let html = block(&page);
    assert!(!html.contains("<script"), "raw tag in {html}");
    let doc = roxmltree::Document::parse(html).unwrap();
    let allowed = [
        "div", "svg", "title", "desc", "style", "g", "rect", "a", "text",
    ];
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        assert!(allowed.contains(&name), "unexpected <{name}>");
        for a in n.attributes() {
            assert!(!a.name().starts_with("on"), "event attribute {}", a.name());
        }
    }
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&HOSTILE), "{texts:?}");
    assert!(texts.contains(&"后端 <主题> & \"引号\""), "{texts:?}");
    assert!(texts.contains(&"缓存 'X'"), "{texts:?}");
    // The style sheet is generated: no label text inside it.
    let style = doc
        .descendants()
        .find(|n| n.has_tag_name("style"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(!style.contains("主题") && !style.contains("script"));
}

/// Font size in px of a text's class, and whether it is bold.
fn font(class: &str) -> (f64, bool) {
    match class {
        "tn" => (18.0, true),
        "cn" => (15.0, true),
        "el" => (13.0, false),
        "sr" => (11.0, false),
        "ts" | "cc" | "gl" => (12.0, false),
        other => panic!("text class {other}"),
    }
}

fn num(n: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    attr(n, name).map_or(0.0, |v| v.parse().unwrap())
}

#[test]
fn text_stays_inside_its_tile_and_long_names_are_cut_with_their_full_name_kept() {
    let page = map_page(None);
    let doc = roxmltree::Document::parse(block(&page)).unwrap();
    let mut checked = 0;
    for g in doc.descendants().filter(|n| attr(*n, "class") == Some("b")) {
        for t in g.descendants().filter(|n| n.has_tag_name("text")) {
            let (px, bold) = font(attr(t, "class").unwrap());
            let s = t.text().unwrap_or("");
            let w = text_width(s, px) * if bold { 1.08 } else { 1.0 };
            let x = num(t, "x");
            let (left, right) = if attr(t, "text-anchor") == Some("end") {
                (x - w, x)
            } else {
                (x, x + w)
            };
            assert!(
                left >= 0.0 && right <= 312.0,
                "`{s}` runs from {left} to {right}"
            );
            checked += 1;
        }
        // Every chip's text inside its chip.
        for a in g.descendants().filter(|n| n.has_tag_name("a")) {
            let Some(chip) = a.children().find(|n| attr(*n, "class") == Some("c")) else {
                continue;
            };
            let right = num(chip, "x") + num(chip, "width");
            assert!(right <= 302.0 + 0.05, "chip ends at {right}");
            for t in a.children().filter(|n| n.has_tag_name("text")) {
                let (px, _) = font(attr(t, "class").unwrap());
                let end = num(t, "x") + text_width(t.text().unwrap(), px);
                assert!(end <= right + 0.05, "text ends at {end}, chip at {right}");
            }
        }
    }
    assert!(checked > 20, "only {checked} texts");
    // The long name is cut, and its full name is the link's title and label.
    let cut = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .find(|a| {
            a.children()
                .any(|c| c.has_tag_name("title") && c.text() == Some(LONG))
        })
        .expect("a title with the full name");
    assert_eq!(attr(cut, "aria-label"), Some(LONG));
    let shown = cut
        .children()
        .find(|c| c.has_tag_name("text"))
        .and_then(|c| c.text())
        .unwrap();
    assert!(shown.ends_with('…') && shown.len() < LONG.len(), "{shown}");
    // The long category name wraps onto a second line instead of being cut.
    let lines: Vec<&str> = doc
        .descendants()
        .filter(|n| attr(*n, "class") == Some("cn"))
        .filter_map(|n| n.text())
        .filter(|t| t.starts_with("分布式协调") || t.ends_with("名称示例"))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines.concat(),
        "分布式协调服务与一致性元数据存储的超长分类名称示例"
    );
}

/// `(x, y, width, height)` of every placed block in the wide and the narrow layout.
type Boxes = Vec<(f64, f64, f64, f64)>;

fn layouts(doc: &roxmltree::Document<'_>) -> (Boxes, Boxes) {
    let (mut wide, mut narrow) = (Vec::new(), Vec::new());
    for g in doc.descendants().filter(|n| attr(*n, "class") == Some("b")) {
        let t = attr(g, "transform").unwrap();
        let inner = t
            .strip_prefix("translate(")
            .unwrap()
            .strip_suffix(')')
            .unwrap();
        let mut it = inner.split(' ').map(|v| v.parse::<f64>().unwrap());
        let (wx, wy) = (it.next().unwrap(), it.next().unwrap());
        let style = attr(g, "style").unwrap();
        let var = |name: &str| -> f64 {
            let at = style.find(name).unwrap() + name.len() + 1;
            let rest = &style[at..];
            rest[..rest.find("px").unwrap()].parse().unwrap()
        };
        let (nx, ny) = (var("--nx"), var("--ny"));
        // A tile's size is its background; a heading's ends at its rule.
        let (w, h) = match g.children().find(|n| attr(*n, "class") == Some("tb")) {
            Some(r) => (num(r, "width"), num(r, "height")),
            None => {
                let hr = g
                    .descendants()
                    .find(|n| attr(*n, "class") == Some("hr"))
                    .unwrap();
                (312.0, num(hr, "y") + 2.0)
            }
        };
        wide.push((wx, wy, w, h));
        narrow.push((nx, ny, 312.0, h));
    }
    (wide, narrow)
}

fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

#[test]
fn both_layouts_place_every_block_without_overlap_inside_the_picture() {
    let page = map_page(None);
    let doc = roxmltree::Document::parse(block(&page)).unwrap();
    let svg = doc.descendants().find(|n| n.has_tag_name("svg")).unwrap();
    let wide_h = num(svg, "height");
    let style = attr(svg, "style").unwrap();
    let narrow_h: f64 = style
        .strip_prefix("--tm-nh:")
        .and_then(|s| s.strip_suffix("px"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(num(svg, "width"), 644.0);
    let (wide, narrow) = layouts(&doc);
    assert_eq!(wide.len(), 2 + 4, "two headings and four tiles");
    for (layout, width, height) in [(&wide, 644.0, wide_h), (&narrow, 320.0, narrow_h)] {
        for (i, a) in layout.iter().enumerate() {
            assert!(a.0 >= 0.0 && a.0 + a.2 <= width, "{a:?} outside {width}");
            assert!(a.1 >= 0.0 && a.1 + a.3 <= height, "{a:?} below {height}");
            for b in &layout[i + 1..] {
                assert!(!overlap(*a, *b), "{a:?} overlaps {b:?}");
            }
        }
    }
    // The wide layout uses both columns; the narrow one is a single column
    // in reading order.
    assert!(wide.iter().any(|b| b.0 > 300.0));
    assert!(narrow.windows(2).all(|w| w[0].1 < w[1].1));
    assert!(narrow_h > wide_h);
    // The narrow layout is what the page's CSS switches to below 644 px.
    let css = doc
        .descendants()
        .find(|n| n.has_tag_name("style"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(css.contains("@container tmap (max-width:643.5px)"), "{css}");
    assert!(css.contains("translate(var(--nx),var(--ny))"));
    assert!(block(&page).contains("container:tmap/inline-size"));
}

#[test]
fn stars_appear_when_the_snapshot_has_them() {
    assert!(!block(&map_page(None)).contains('★'));
    let stars = StarLookup::new([
        ("apache/kafka".to_string(), 31_234),
        ("etcd-io/etcd".to_string(), 999),
    ]);
    let page = map_page(Some(&stars));
    let doc = roxmltree::Document::parse(block(&page)).unwrap();
    let marks: Vec<&str> = doc
        .descendants()
        .filter(|n| attr(*n, "class") == Some("sr"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(marks, ["★31.2k", "★999"]);
    let kafka = doc
        .descendants()
        .find(|n| attr(*n, "href") == Some("backend/mq/index.md#entry-kafka"))
        .unwrap();
    assert_eq!(attr(kafka, "aria-label"), Some("Kafka，31234 个 Star"));
    let desc = doc.descendants().find(|n| n.has_tag_name("desc")).unwrap();
    assert!(desc.text().unwrap().contains("Star"));
}

#[test]
fn the_standalone_file_is_the_same_picture_with_built_page_links() {
    let svg = map_svg(
        &book(),
        &ParseOptions::default(),
        &CatalogConfig::default(),
        None,
        &std::env::temp_dir(),
        None,
    )
    .expect("the book has a map page");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(
        attr(root, "viewBox"),
        Some(format!("0 0 644 {}", num(root, "height")).as_str())
    );
    assert!(!svg.contains("--nx") && !svg.contains("@container"));
    let links = hrefs(&doc);
    assert!(
        links.contains("backend/mq/index.html#entry-kafka"),
        "{links:?}"
    );
    assert!(links.contains("backend/mq/index.html"));
    assert!(links.iter().all(|l| !l.contains(".md")), "{links:?}");
    // Same entries as the inline picture.
    let inline = map_page(None);
    let inline_doc = roxmltree::Document::parse(block(&inline)).unwrap();
    let as_html: BTreeSet<String> = hrefs(&inline_doc)
        .into_iter()
        .map(|l| l.replace(".md", ".html"))
        .collect();
    assert_eq!(links, as_html);

    let under = map_svg(
        &book(),
        &ParseOptions::default(),
        &CatalogConfig::default(),
        None,
        &std::env::temp_dir(),
        Some("https://example.org/book"),
    )
    .unwrap();
    assert!(under.contains("href=\"https://example.org/book/backend/mq/index.html#entry-kafka\""));
}
