use std::path::Path;

use archmanual_model::summary_link_span;

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// `SUMMARY.md` 登记的页面文件不存在。
    ///
    /// ## 检查什么
    ///
    /// `SUMMARY.md` 中 `- [标题](路径)` 指向的文件在 `book/` 下找不到。构建会直接失败
    /// （本书设置了 `create-missing = false`，mdBook 不会自动创建空页面）。lint 会把它当作空页面继续检查其余内容。
    ///
    /// ## 如何修复
    ///
    /// 创建这个页面；或者改正路径；还没写的页面可以先写成草稿 `- [标题]()`。
    pub(crate) struct MissingChapter {
        code: "AM018",
        name: "missing-chapter",
        severity: Error,
    }
}

impl Rule for MissingChapter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        let summary = cx.book.summary.as_str();
        for path in &cx.book.missing_chapters {
            let written = path.to_string_lossy().replace('\\', "/");
            // From the parsed SUMMARY: `](path)` in a code span or a comment is not a link.
            let span = cx
                .book
                .summary_doc
                .as_ref()
                .and_then(|doc| summary_link_span(doc, &cx.book.src_dir, path));
            let message = format!("SUMMARY.md lists `{written}`, which does not exist");
            let d = match span {
                Some(span) => out.at_text(Path::new("SUMMARY.md"), summary, span, message),
                None => out.file(Path::new("SUMMARY.md"), message),
            };
            d.help = Some(
                "create the page, fix the path, or make it a draft chapter `- [Title]()`".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::MissingChapter);
    }
}
