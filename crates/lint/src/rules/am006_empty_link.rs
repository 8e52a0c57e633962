use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 链接目标为空。
    ///
    /// ## 检查什么
    ///
    /// `[Hmily]()`、`[文字](<>)` 这类目标为空的链接（包括条目列表里的条目）。mdBook 会生成指向当前页的
    /// 空链接，读者以为能点开，实际什么也没有。
    ///
    /// ## 如何修复
    ///
    /// 在括号里填上项目的 GitHub 仓库地址或官网；暂时没有地址就去掉方括号，写成普通文字。
    pub(crate) struct EmptyLink {
        code: "AM006",
        name: "empty-link",
        severity: Error,
    }
}

impl Rule for EmptyLink {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            for link in ch.doc.links.iter().filter(|l| l.dest.trim().is_empty()) {
                let what = if link.image { "image" } else { "link" };
                out.at(
                    file,
                    ch,
                    link.span,
                    format!("{what} `{}` has an empty target", link.span.text(&ch.doc.source).trim()),
                )
                .help = Some(
                    "put the project's repository URL (or official site) between the parentheses, or drop the brackets"
                        .into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::EmptyLink);
    }
}
