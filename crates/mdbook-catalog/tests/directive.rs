//! `{{#catalog}}` on a page with other content: replaced in place, or an error with
//! file:line:col — never left in the page as raw text.

mod common;

use archmanual_diagnostics::Severity;
use archmanual_model::ParseOptions;
use mdbook_catalog::{CatalogConfig, codes};
use mdbook_preprocessor::book::{BookItem, Chapter};

/// A book whose `t/index.md` page is `page`, with one child category.
fn run(page: &str) -> (String, Vec<archmanual_diagnostics::Diagnostic>) {
    let child = Chapter::new(
        "消息队列",
        "# 消息队列\n\n异步通信。\n\n- [Kafka](https://github.com/apache/kafka) - 分布式日志。\n"
            .into(),
        "t/mq/index.md",
        vec!["主题".into()],
    );
    let mut theme = Chapter::new("主题", page.into(), "t/index.md", vec![]);
    theme.sub_items.push(BookItem::Chapter(child));
    common::process_theme(theme)
}

#[test]
fn a_directive_on_its_own_line_is_replaced_in_place() {
    let page = "# 主题\n\n开头的说明。\n\n{{#catalog}}\n\n## 延伸阅读\n\n结尾的说明。\n";
    let (content, diagnostics) = run(page);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(!content.contains("{{#catalog"), "{content}");
    let at = |s: &str| {
        content
            .find(s)
            .unwrap_or_else(|| panic!("{s} missing: {content}"))
    };
    // The page keeps its own title (only one) and text, around the generated list.
    assert_eq!(content.matches("# 主题").count(), 1, "{content}");
    assert!(at("开头的说明。") < at("[Kafka](https://github.com/apache/kafka)"));
    assert!(at("[消息队列](mq/index.md)") < at("## 延伸阅读"));
    assert!(at("[Kafka](https://github.com/apache/kafka)") < at("结尾的说明。"));
}

#[test]
fn a_directive_right_after_a_paragraph_does_not_join_it() {
    let (content, diagnostics) = run("# 主题\n\n说明紧挨着\n{{#catalog}}\n");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(content.starts_with("# 主题\n\n说明紧挨着\n\n"), "{content}");
    assert!(content.contains("[Kafka](https://github.com/apache/kafka)"));
}

#[test]
fn a_page_that_is_only_the_directive_is_generated_whole() {
    let (content, diagnostics) = run("# 主题\n\n{{#catalog}}\n");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(content.starts_with("# 主题\n"), "{content}");
    // The generated count line, as on any index page.
    assert!(content.contains("主题共 1 个分类、1 个条目。"), "{content}");
}

#[test]
fn a_directive_sharing_its_line_is_an_error_with_its_location() {
    for (page, line, column) in [
        ("# 主题\n\n见下表：{{#catalog}}\n", 3, 5),
        ("# 主题\n\n> {{#catalog}}\n\n正文。\n", 3, 3),
        ("# 主题\n\n  {{#catalog}} 以及更多\n", 3, 3),
    ] {
        let (content, diagnostics) = run(page);
        assert_eq!(diagnostics.len(), 1, "{page}: {diagnostics:?}");
        let d = &diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.severity),
            (codes::MISPLACED_DIRECTIVE, Severity::Error),
            "{page}"
        );
        assert_eq!(d.file, std::path::Path::new("t/index.md"));
        let at = d.location.as_ref().expect("located");
        assert_eq!((at.line, at.column), (line, column), "{page}");
        // An error fails the build, so this content never ships; it is left untouched.
        assert_eq!(content, page);
    }
}

#[test]
fn two_directives_on_a_page_are_an_error() {
    let (_, diagnostics) = run("# 主题\n\n{{#catalog}}\n\n正文。\n\n{{#catalog map}}\n");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, codes::MISPLACED_DIRECTIVE);
    assert_eq!(diagnostics[0].location.as_ref().unwrap().line, 7);
}

#[test]
fn check_reports_what_the_book_run_reports_for_the_page() {
    use archmanual_preprocessor_kit::ArchPreprocessor;
    use mdbook_catalog::Catalog;
    // A misplaced directive, a second one, and a malformed entry.
    let page = "# 主题\n\n见下 {{#catalog}}\n\n{{#catalog map}}\n\n- [Kafka](https://github.com/apache/kafka) - 分布式日志。\n- [Pulsar](https://github.com/apache/pulsar)\n";
    let (_, from_run) = run(page);
    let doc = archmanual_model::Document::parse(page, &ParseOptions::default());
    let from_check = Catalog::check(
        std::path::Path::new("t/index.md"),
        &doc,
        &CatalogConfig::default(),
        &(),
    );
    let show = |ds: &[archmanual_diagnostics::Diagnostic]| {
        let mut v: Vec<String> = ds.iter().map(ToString::to_string).collect();
        v.sort();
        v
    };
    assert_eq!(show(&from_check), show(&from_run));
    let codes_found: Vec<&str> = from_check.iter().map(|d| d.code.as_ref()).collect();
    assert!(
        codes_found.contains(&codes::MALFORMED_ENTRY),
        "{codes_found:?}"
    );
    assert!(
        codes_found.contains(&codes::MISPLACED_DIRECTIVE),
        "{codes_found:?}"
    );
    assert!(from_check.iter().all(|d| d.severity == Severity::Error));
}
