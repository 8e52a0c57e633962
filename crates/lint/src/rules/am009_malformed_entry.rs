use archmanual_model::EntryProblemKind;

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 条目列表中的一项不符合条目格式。
    ///
    /// ## 检查什么
    ///
    /// 一个列表只要有一项是 `- [名字](链接) - 一句话说明。`，它就是条目列表，其中每一项都必须是这种格式。
    /// 报告：缺少 ` - 说明` 的条目、不以链接开头的项、嵌套在条目下的另一个条目，以及条目下
    /// 既不是 `官网:` 也不是 `标签:` 的子项。（空链接见 AM006，没有链接的 `[名字]` 见 AM008。）
    ///
    /// ## 如何修复
    ///
    /// 写成 `- [名字](https://github.com/owner/repo) - 一句话说明。`；可选字段写在下一级列表：
    /// `  - 官网: https://…`、`  - 标签: 消息队列, 流处理`。需要分组时用 `###` 标题，不要嵌套条目；
    /// 不是条目的普通列表放到另一个标题下。
    pub(crate) struct MalformedEntry {
        code: "AM009",
        name: "malformed-entry",
        severity: Error,
    }
}

impl Rule for MalformedEntry {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            for p in ch.doc.entry_problems.iter().filter(|p| {
                !matches!(
                    p.kind,
                    EntryProblemKind::BracketedNameWithoutLink | EntryProblemKind::EmptyLink
                )
            }) {
                let (message, help) = p.message();
                out.at(file, ch, p.span, message).help = Some(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::MalformedEntry);
    }
}
