use archmanual_model::EntryProblemKind;

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 条目列表中的一项不符合条目格式，或者条目列表里混着普通列表项。
    ///
    /// ## 检查什么
    ///
    /// 一个列表只要有一项是 `- [名字](https://…) - 一句话说明。`（链接指向站外；指向本书页面的
    /// `- [页面](x.md)：…` 是交叉引用，不算条目），它就是条目列表。报告：缺少 ` - 说明` 的条目、
    /// 嵌套在条目下的另一个条目、条目下既不是 `官网:` 也不是 `标签:` 的子项；条目列表里不以链接
    /// 开头的普通列表项（如 `- 见 [页面](x.md)`）整个列表只报告一次，位置在第一个普通项，
    /// 消息列出所有普通项的行号。（空链接见 AM006，没有链接的 `[名字]` 见 AM008。）
    ///
    /// ## 如何修复
    ///
    /// 写成 `- [名字](https://github.com/owner/repo) - 一句话说明。`；可选字段写在下一级列表：
    /// `  - 官网: https://…`、`  - 标签: 消息队列, 流处理`。需要分组时用 `###` 标题，不要嵌套条目。
    /// 条目和普通列表项混在一起时，把条目移到 `###` 标题下单独的列表里；如果这本来就是普通列表，
    /// 让那一两个条目以文字开头（`- 见 [名字](https://…)：…`），它们就不再是条目。
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
            // Lines where an input-method slip broke the entry: AM015 says so.
            let slips = ch.doc.ime_slips();
            for p in ch
                .doc
                .entry_problems_beside_slips(&slips)
                .iter()
                .filter(|p| {
                    !matches!(
                        p.kind,
                        EntryProblemKind::BracketedNameWithoutLink | EntryProblemKind::EmptyLink
                    )
                })
            {
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
