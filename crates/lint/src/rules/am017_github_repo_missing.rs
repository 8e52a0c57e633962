use archmanual_github_snapshot::SnapshotEntry;

use super::common::{dest_span, for_each_snapshot_repo};
use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 链接的 GitHub 仓库已不存在（依据提交在仓库里的快照，离线检查）。
    ///
    /// ## 检查什么
    ///
    /// `book/github-repos.json` 快照（由 `archmanual refresh` 更新）记录该仓库不存在、转为私有，
    /// 或因法律原因被屏蔽（HTTP 451）。检查完全离线，结果取决于快照的时间。
    ///
    /// ## 如何修复
    ///
    /// 找到项目的新地址（可能换了组织，或迁到其他托管平台）；项目确已消失时删除条目，
    /// 或在说明里注明“已停止维护”并链接官网或存档。
    pub(crate) struct GithubRepoMissing {
        code: "AM017",
        name: "github-repo-missing",
        severity: Error,
    }
}

impl Rule for GithubRepoMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for_each_snapshot_repo(cx, |file, ch, link, gh, entry| {
            let slug = format!("{}/{}", gh.owner, gh.repo.unwrap_or(""));
            let message = match entry {
                SnapshotEntry::Missing { fetched_at } => {
                    format!("GitHub repository `{slug}` does not exist (snapshot of {fetched_at})")
                }
                SnapshotEntry::Blocked { reason, fetched_at } => {
                    format!(
                        "GitHub repository `{slug}` is blocked: {reason} (snapshot of {fetched_at})"
                    )
                }
                _ => return,
            };
            out.at(file, ch, dest_span(link), message).help = Some(
                "find the project's new home and link it, or remove the entry; `archmanual refresh` updates the snapshot"
                    .into(),
            );
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::GithubRepoMissing);
    }
}
