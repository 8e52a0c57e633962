use archmanual_preprocessor_kit::ArchPreprocessor;
use mdbook_github::Github;

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// GitHub 仓库的问题：不存在、被屏蔽、已归档、已改名、不在快照里（离线检查，代码为 `GHnnn`）。
    ///
    /// ## 检查什么
    ///
    /// 依据提交在仓库里的快照 `book/github-repos.json`（由 `archmanual refresh` 更新），
    /// 对书中每个 GitHub 链接做与构建时 `mdbook-github` 完全相同的检查，沿用它的代码
    /// （仓库不在快照里、不存在、被屏蔽、已归档、已改名、被禁用、星标数不足或写错；
    /// 各代码的名称和级别见下面的“代码与级别”）。`GH004` 和 `GH007` 可以用 `--fix` 修复：
    /// 只替换链接中的 `owner/name`，或把手写的星标数改成快照的数。
    ///
    /// 没有快照文件时不做这些检查。完全离线，结果取决于快照的时间。
    ///
    /// ## 如何修复
    ///
    /// 改名的仓库换成新地址；不存在的仓库找到新地址或删除条目；已归档的在说明里注明并推荐替代项目；
    /// 不在快照里的，运行 `archmanual refresh`（需要 `GITHUB_TOKEN`）并提交 `book/github-repos.json`。
    pub(crate) struct GithubSnapshot {
        code: "AM017",
        name: "github-snapshot",
        severity: Error,
    }
}

impl Rule for GithubSnapshot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        let Some(snapshot) = cx.book.snapshot.as_ref() else {
            return;
        };
        for (file, ch) in cx.sources() {
            // The chapter parsed once by the lint loader, not again.
            for d in Github::check(file, &ch.doc, &cx.book.github, snapshot) {
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::GithubSnapshot);
    }
}
