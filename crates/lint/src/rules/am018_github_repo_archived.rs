use super::common::{dest_span, for_each_snapshot_repo};
use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 链接的 GitHub 仓库已归档（只读、不再维护）。
    ///
    /// ## 检查什么
    ///
    /// 快照 `book/github-repos.json` 记录该仓库已被作者归档（archived）或被 GitHub 禁用。
    ///
    /// ## 如何修复
    ///
    /// 在说明里注明“已归档/停止维护”，推荐仍在维护的替代项目；若有官方继任仓库，改链接到继任者。
    pub(crate) struct GithubRepoArchived {
        code: "AM018",
        name: "github-repo-archived",
        severity: Warning,
    }
}

impl Rule for GithubRepoArchived {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for_each_snapshot_repo(cx, |file, ch, link, _gh, entry| {
            let Some(meta) = entry.meta() else { return };
            let state = if meta.disabled {
                "disabled by GitHub"
            } else if meta.archived {
                "archived"
            } else {
                return;
            };
            let mentions = ch.doc.source[link.span.end..]
                .lines()
                .next()
                .is_some_and(|l| {
                    l.contains("归档") || l.contains("停止维护") || l.contains("archived")
                });
            if mentions {
                return;
            }
            out.at(
                file,
                ch,
                dest_span(link),
                format!(
                    "GitHub repository `{}` is {state} (snapshot of {})",
                    meta.name_with_owner, meta.fetched_at
                ),
            )
            .help =
                Some("say so in the description (已归档) or link a maintained successor".into());
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::GithubRepoArchived);
    }
}
