//! Golden tests: heading ids must equal what mdBook 0.5.4 renders.
//! Every row of the CJK table in shared/notes/mdbook-ecosystem.md §4.3.

use archmanual_model::{Document, ParseOptions};

fn ids(src: &str) -> Vec<String> {
    Document::parse(src, &ParseOptions::default())
        .headings
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn cjk_table_rows() {
    let rows: &[(&str, &str)] = &[
        ("## 分布式一致性（CAP 定理）", "分布式一致性cap-定理"),
        ("## Raft 与 Paxos — 共识算法", "raft-与-paxos--共识算法"),
        ("## TiDB & CockroachDB", "tidb--cockroachdb"),
        ("## “引号”与「书名号」", "引号与书名号"),
        ("## 中文\u{3000}全角空格", "中文-全角空格"),
        ("## ① 序号 〇", "①-序号-〇"),
        ("## 🚀 火箭 🚀", "-火箭-"),
        ("## `etcd` 配置", "etcd-配置"),
        (
            "## [Kafka](https://kafka.apache.org) 消息队列",
            "kafka-消息队列",
        ),
        ("## 自定义 {#custom-id}", "custom-id"),
        ("## a -- b", "a--b"),
        ("## ::", ""),
        ("## Ünïcödé ÄÖÜ", "ünïcödé-äöü"),
    ];
    for (src, want) in rows {
        assert_eq!(ids(src), vec![want.to_string()], "heading source: {src}");
    }
}

#[test]
fn cap_rows_collide_and_probe() {
    // Row 2 of the table only makes sense after row 1 on the same page.
    assert_eq!(
        ids("## 分布式一致性（CAP 定理）\n\n## 分布式一致性：CAP 定理\n"),
        vec!["分布式一致性cap-定理", "分布式一致性cap-定理-1"]
    );
}

#[test]
fn duplicate_probing_is_mdbook_05_not_04() {
    assert_eq!(
        ids("## 重复\n\n## 重复\n\n## 重复-1\n"),
        vec!["重复", "重复-1", "重复-1-1"]
    );
}

#[test]
fn explicit_ids_do_not_reserve_their_name() {
    assert_eq!(ids("## A {#a}\n\n## A\n"), vec!["a", "a"]);
}

#[test]
fn smart_punctuation_off_changes_ids() {
    let opts = ParseOptions {
        smart_punctuation: false,
        ..ParseOptions::default()
    };
    let doc = Document::parse("## a -- b", &opts);
    assert_eq!(doc.headings[0].id, "a----b");
}

#[test]
fn setext_headings_and_definition_terms_get_ids() {
    assert_eq!(ids("主题\n===\n\n术语\n: 定义\n"), vec!["主题", "术语"]);
}

#[test]
fn image_alt_text_is_not_part_of_the_id() {
    assert_eq!(ids("## ![logo](x.png) Kafka"), vec!["kafka"]);
}

#[test]
fn raw_html_headings_are_anchors_not_generated_ids() {
    let doc = Document::parse(
        "<h2 id=\"手写\">手写</h2>\n\n<a name=\"old\"></a>\n",
        &ParseOptions::default(),
    );
    assert!(doc.headings.is_empty());
    let anchors: Vec<_> = doc.anchors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(anchors, vec!["手写", "old"]);
}

#[test]
fn footnote_references_count_in_heading_ids() {
    // mdBook 0.5 renders `[^x]` as `<sup><a>N</a></sup>`, N by first reference on the page;
    // adjacent references get a space text node between them.
    let src = "## 背景[^1]\n\n## 两个[^a][^b]\n\n## 再引用[^1]\n\n## *强调[^c]*[^d]\n\n## 未定义[^nope]\n\n[^1]: x\n\n[^a]: a\n\n[^b]: b\n\n[^c]: c\n\n[^d]: d\n";
    assert_eq!(
        ids(src),
        vec!["背景1", "两个2-3", "再引用1", "强调45", "未定义nope"]
    );
}

#[test]
fn footnote_anchors_are_fragment_targets() {
    let doc = Document::parse(
        "正文[^n] 再[^n] 与[^m]。\n\n[^n]: 一。\n\n[^m]: 二。\n\n[^unused]: 三。\n",
        &ParseOptions::default(),
    );
    let mut got: Vec<&str> = doc.fragment_ids().collect();
    got.sort_unstable();
    assert_eq!(
        got,
        vec!["footnote-m", "footnote-n", "fr-m-1", "fr-n-1", "fr-n-2"]
    );
}

#[test]
fn html_comments_never_leak_into_ids() {
    assert_eq!(
        ids(
            "## 注释 <!-- a > b --> 之后\n\n## 空注释 <!--> 文本\n\n## 属性 <span title=\"a > b\">里的</span>字\n"
        ),
        vec!["注释--之后", "空注释--文本", "属性-里的字"]
    );
}
