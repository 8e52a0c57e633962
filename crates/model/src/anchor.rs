//! Stable anchors for catalog entries on their category page.
//!
//! An entry's anchor is `entry-` + its name run through mdBook's heading-id
//! rule ([`crate::heading_id::id_from_content`]: CJK kept, punctuation
//! dropped), made unique on the page against the page's heading ids and
//! HTML anchors and the entries before it (`-1`, `-2`, …). The same source
//! page therefore always gives the same anchors, whoever computes them (the
//! catalog preprocessor that writes them, the search index that links to them).

use crate::Document;
use crate::heading_id::{IdAllocator, id_from_content};

/// The prefix of every entry anchor.
pub const ENTRY_ANCHOR_PREFIX: &str = "entry-";

/// The anchor of each of `doc.entries`, in the same order.
pub fn entry_anchors(doc: &Document) -> Vec<String> {
    let mut ids = IdAllocator::default();
    // Anchors already written into entries (a page that went through the
    // catalog) are ours, not the page's: skipping them keeps the result stable.
    let in_entry = |at: usize| {
        doc.entries
            .iter()
            .any(|e| e.item_span.start <= at && at < e.item_span.end)
    };
    let page_ids = doc.headings.iter().map(|h| h.id.as_str()).chain(
        doc.anchors
            .iter()
            .filter(|a| !in_entry(a.span.start))
            .map(|a| a.id.as_str()),
    );
    for id in page_ids {
        ids.unique(id);
    }
    doc.entries
        .iter()
        .map(|e| {
            ids.unique(&format!(
                "{ENTRY_ANCHOR_PREFIX}{}",
                id_from_content(&e.name)
            ))
        })
        .collect()
}

/// Where an entry's anchor goes in `doc.source`: right after the separator
/// (` - `), at the start of the description. There the anchor is on the
/// entry's first line, and a re-parse still sees the entry unchanged (the
/// item must start with the link, and the separator must follow it).
pub fn entry_anchor_offset(doc: &Document, entry: &crate::Entry) -> usize {
    let link_end = doc.links[entry.link].span.end;
    let rest = &doc.source[link_end..];
    let t = rest.trim_start();
    let mut at = link_end + (rest.len() - t.len());
    if let Some(sep) = ["-", "–", "—", "：", ":"]
        .iter()
        .find(|s| t.starts_with(**s))
    {
        let after = &t[sep.len()..];
        at += sep.len() + (after.len() - after.trim_start().len());
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ParseOptions;

    fn doc(src: &str) -> Document {
        Document::parse(src, &ParseOptions::default())
    }

    #[test]
    fn anchors_are_cjk_safe_and_unique_on_the_page() {
        let d = doc(concat!(
            "# 页\n\n## entry-kafka\n\n",
            "- [Kafka](https://k) - 日志。\n",
            "- [Kafka](https://k2) - 同名。\n",
            "- [阿里云 OSS（对象存储）](https://o) - 存储。\n",
            "- [C++](https://c) - 语言。\n",
        ));
        assert_eq!(
            entry_anchors(&d),
            [
                "entry-kafka-1",
                "entry-kafka-2",
                "entry-阿里云-oss对象存储",
                "entry-c"
            ]
        );
    }

    #[test]
    fn inserting_anchors_leaves_entries_unchanged() {
        let src = concat!(
            "# 页\n\n",
            "- [Kafka](https://github.com/apache/kafka) - 高吞吐的 `log`。\n",
            "  - 标签: 消息, 流\n",
            "- [Pulsar](https://p)：云原生\n  消息队列。\n",
        );
        let before = doc(src);
        let anchors = entry_anchors(&before);
        let mut out = src.to_string();
        for (e, a) in before.entries.iter().zip(&anchors).rev() {
            out.insert_str(
                entry_anchor_offset(&before, e),
                &format!(r#"<a id="{a}"></a>"#),
            );
        }
        assert!(out.contains(r#"- <a id="entry-kafka"></a>高吞吐"#), "{out}");
        let after = doc(&out);
        let key = |d: &Document| {
            d.entries
                .iter()
                .map(|e| {
                    (
                        e.name.clone(),
                        e.url.clone(),
                        e.description.clone(),
                        e.tags.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(key(&after), key(&before));
        assert!(after.entry_problems.is_empty());
        // Stable: the anchors of the annotated page are the same.
        assert_eq!(entry_anchors(&after), anchors);
    }
}
