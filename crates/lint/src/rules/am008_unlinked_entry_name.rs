use archmanual_model::EntryProblemKind;

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 条目列表里有方括号括起来、却没有链接的名字。
    ///
    /// ## 检查什么
    ///
    /// 条目列表（有一项是 `- [名字](链接) - 说明` 形式的列表）中，写成 `- [Redis] - 说明` 的条目，
    /// 以及条目说明里的 `[名字]`。方括号在页面上会原样显示，读者也无从点开。
    ///
    /// ## 如何修复
    ///
    /// 补上链接：`- [Redis](https://github.com/redis/redis) - 说明。`；说明里提到的项目要么加链接，
    /// 要么去掉方括号。
    pub(crate) struct UnlinkedEntryName {
        code: "AM008",
        name: "unlinked-entry-name",
        severity: Error,
    }
}

impl Rule for UnlinkedEntryName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            let doc = &ch.doc;
            for p in doc
                .entry_problems
                .iter()
                .filter(|p| p.kind == EntryProblemKind::BracketedNameWithoutLink)
            {
                let (message, help) = p.message();
                out.at(file, ch, p.span, message).help = Some(help);
            }
            for b in &doc.unlinked_brackets {
                let in_entry = doc
                    .entries
                    .iter()
                    .any(|e| e.span.start <= b.span.start && b.span.end <= e.span.end);
                if in_entry && !doc.in_code(b.span.start) {
                    out.at(
                        file,
                        ch,
                        b.span,
                        format!("`[{}]` in an entry has no link", b.text),
                    )
                    .help = Some(format!(
                        "link it as `[{}](https://…)` or drop the brackets",
                        b.text
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::UnlinkedEntryName);
    }
}
