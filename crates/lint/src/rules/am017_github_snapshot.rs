use archmanual_preprocessor_kit::ArchPreprocessor;
use mdbook_github::Github;

use archmanual_github_url::classify;

use crate::{Context, Diagnostic, Reporter, Rule, RuleMeta, Severity};

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
    /// 没有快照文件时不做这些检查，只给出一条 `GH000` 提示（note，不影响退出码），说明跳过了多少个
    /// GitHub 链接的检查。快照由 `archmanual refresh` 在有令牌的环境里生成：本仓库由每月运行的
    /// `.github/workflows/refresh.yml` 生成并以拉取请求的形式提交，贡献者本地不需要令牌。
    /// 完全离线，结果取决于快照的时间。
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
            skipped_note(cx, out);
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

/// Without a snapshot every GitHub check is skipped: say so once, with how
/// many links went unchecked, instead of reporting nothing.
fn skipped_note(cx: &Context<'_>, out: &mut Reporter<'_>) {
    let links = cx
        .sources()
        .flat_map(|(_, ch)| &ch.doc.links)
        .filter(|l| !l.image && classify(&l.dest).is_some_and(|g| g.repo().is_some()))
        .count();
    if links == 0 {
        return;
    }
    let snapshot = &cx.book.github.snapshot;
    let mut d = Diagnostic::new(
        mdbook_github::codes::NO_SNAPSHOT,
        Severity::Note,
        snapshot.clone(),
        format!(
            "no GitHub snapshot ({snapshot}): the GitHub checks of {links} repository link(s) were skipped"
        ),
    );
    d.help = Some(
        "the snapshot is written by `archmanual refresh` with a GitHub token (in this repository \
         the monthly workflow .github/workflows/refresh.yml opens a pull request with it); \
         contributors need no token"
            .into(),
    );
    out.push(d);
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::GithubSnapshot);
    }

    /// No snapshot: one note for the whole book, none without GitHub links.
    #[test]
    fn without_a_snapshot_one_note() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
        std::fs::create_dir(root.join("src")).unwrap();
        std::fs::write(
            root.join("src/SUMMARY.md"),
            "# Summary\n\n- [A](a.md)\n- [B](b.md)\n",
        )
        .unwrap();
        let entry = "- [Kafka](https://github.com/apache/kafka) - 日志。\n";
        std::fs::write(root.join("src/a.md"), format!("# A\n\n{entry}")).unwrap();
        std::fs::write(root.join("src/b.md"), format!("# B\n\n{entry}")).unwrap();
        let book = crate::Book::load(root).unwrap();
        let found = crate::lint(&book);
        let notes: Vec<_> = found.iter().filter(|d| d.code == "GH000").collect();
        assert_eq!(notes.len(), 1, "{found:?}");
        assert_eq!(notes[0].severity, crate::Severity::Note);
        assert!(
            notes[0].message.contains("2 repository link(s)"),
            "{}",
            notes[0].message
        );
        assert_eq!(crate::exit_code(&found), 0, "a note does not fail lint");

        std::fs::write(root.join("src/a.md"), "# A\n\n正文。\n").unwrap();
        std::fs::write(root.join("src/b.md"), "# B\n\n正文。\n").unwrap();
        let book = crate::Book::load(root).unwrap();
        assert!(crate::lint(&book).iter().all(|d| d.code != "GH000"));
    }
}
