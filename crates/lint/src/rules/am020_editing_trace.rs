use archmanual_model::Span;

use crate::{Context, Reporter, Rule, RuleMeta};

/// Wording that only makes sense to whoever wrote the page from its sources:
/// the notes it started from, an entry as it was before an edit, a correction.
/// `种子` alone is a term of its own (Gossip's seed nodes), so only the
/// combinations that point at source material are listed.
const TRACES: &[&str] = &[
    "种子中",
    "种子里",
    "种子资料",
    "种子将",
    "种子把",
    "种子列出",
    "种子写作",
    "种子条目",
    "种子笔记",
    "种子文件",
    "原条目",
    "原始条目",
    "原始笔记",
    "原笔记",
    "已更正",
    "已订正",
];

declare_rule! {
    /// 正文里留下了编写过程的痕迹。
    ///
    /// ## 检查什么
    ///
    /// 读者看不到本书据以编写的资料，也不关心某个条目改过什么。`种子中写作 gitlab`、
    /// `原条目误写为 thikphp`、`原始笔记某一节所引用的文章`、`链接已更正` 这类说法只对编写者有意义，
    /// 而且会被带进汇总的索引页和技术地图。规则查找正文、标题和链接文字中的
    /// `种子中`、`种子资料`、`原条目`、`原始笔记`、`已更正` 等词组（代码和 HTML 注释除外）；
    /// 单独的“种子”不算，Gossip 的种子节点是正常术语。
    ///
    /// ## 如何修复
    ///
    /// 只写读者需要的信息：项目的正式名称、常见的别名或易错的拼法（“也常写作 NextJs”），
    /// 以及这篇文章为什么值得读；删掉资料来源和修改经过。
    pub(crate) struct EditingTrace {
        code: "AM020",
        name: "editing-trace",
        severity: Warning,
    }
}

impl Rule for EditingTrace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        let firsts: Vec<String> = first_chars().map(String::from).collect();
        for (file, ch) in cx.sources() {
            let doc = &ch.doc;
            let src = doc.source.as_str();
            // Readers do not see HTML comments: the model knows where they are.
            let in_comment = |i: usize| doc.comments.iter().any(|s| s.start <= i && i < s.end);
            let in_dest = |i: usize| {
                doc.links
                    .iter()
                    .filter_map(|l| l.dest_span)
                    .any(|s| s.start <= i && i < s.end)
            };
            // Every phrase starts with one of a few characters: one scan per
            // first character, not one per phrase, then compare in place.
            let mut hits: Vec<(usize, &str)> = firsts
                .iter()
                .flat_map(|c| memchr::memmem::find_iter(src.as_bytes(), c.as_bytes()))
                .flat_map(|i| {
                    TRACES
                        .iter()
                        .filter(move |t| src[i..].starts_with(**t))
                        .map(move |t| (i, *t))
                })
                .filter(|&(i, _)| !doc.in_code(i) && !in_dest(i) && !in_comment(i))
                .collect();
            hits.sort();
            // One finding per place, even if two listed phrases overlap there.
            hits.dedup_by_key(|h| h.0);
            for (i, t) in hits {
                let d = out.at(
                    file,
                    ch,
                    Span::new(i, i + t.len()),
                    format!("`{t}` tells how the page was written, not something the reader needs"),
                );
                d.help = Some(
                    "state the fact itself (the project's name, an alternative spelling) and drop the remark about sources or edits"
                        .into(),
                );
            }
        }
    }
}

/// The distinct first characters of [`TRACES`].
fn first_chars() -> impl Iterator<Item = char> {
    let mut seen: Vec<char> = Vec::new();
    for t in TRACES {
        let c = t.chars().next().expect("phrases are not empty");
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.into_iter()
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::EditingTrace);
    }
}
