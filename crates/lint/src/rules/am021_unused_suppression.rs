use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 抑制注释没有起作用：没有可抑制的问题、代码写错或写法不对。
    ///
    /// ## 检查什么
    ///
    /// 页面里可以用 HTML 注释关掉某些检查（读者看不到注释）：
    ///
    /// - `<!-- archmanual-lint-disable AM013 -->` …… `<!-- archmanual-lint-enable AM013 -->`：
    ///   两个注释之间（从 `disable` 所在的行开始；没有 `enable` 就到文件末尾）不报告 AM013；
    ///   不写代码表示所有代码；`enable` 结束写法相同的 `disable`，不写代码则结束全部；
    /// - `<!-- archmanual-lint-disable-next-line AM013 -->`：只对下一个非空行有效。
    ///
    /// 代码也可以是前缀（`GH`、`AM01`），多个代码用空格或逗号隔开；
    /// 第一行的 `disable` 也覆盖关于整个文件的问题（没有行号的那些）。注释只在 SUMMARY.md
    /// 和列在其中的页面里有效；没有列出的文件（AM016）用 `lint.toml` 的 `per-file-ignores`。
    /// 代码块里的注释不算。本规则报告：抑制了零个问题的注释（只在那个代码本来会检查时报告，
    /// 例如没有被 `--select`、`--ignore` 或 lint.toml 关掉）、不认识的代码或前缀、
    /// 拼错的 `archmanual-lint-*` 指令，以及前面没有对应 `disable` 的 `enable`。
    ///
    /// ## 如何修复
    ///
    /// 删掉不再需要的注释（问题已经改好了），或者改正里面的代码；
    /// 能修的问题优先修掉，整类页面都不适用的检查写进 `lint.toml` 的 `per-file-ignores`。
    pub(crate) struct UnusedSuppression {
        code: "AM021",
        name: "unused-suppression",
        severity: Warning,
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Nothing here: whether a comment suppresses anything is known only
    /// after every other rule ran, so the engine reports AM021
    /// (`crate::suppress`).
    fn check(&self, _cx: &Context<'_>, _out: &mut Reporter<'_>) {}
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::UnusedSuppression);
    }
}
