use super::common::{dest_span, for_each_snapshot_repo};
use crate::{Context, Fix, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 链接的 GitHub 仓库已改名或迁移。
    ///
    /// ## 检查什么
    ///
    /// 快照 `book/github-repos.json` 中该仓库的规范名称 `owner/name` 与链接里写的不同
    /// （只差大小写不算）。GitHub 目前还会跳转，但旧名字随时可能被别人占用。
    ///
    /// ## 如何修复
    ///
    /// 换成新的 `owner/name`；`--fix` 会只替换链接中的这一段，其余部分保持不变。
    pub(crate) struct GithubRepoRenamed {
        code: "AM019",
        name: "github-repo-renamed",
        severity: Warning,
    }
}

impl Rule for GithubRepoRenamed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for_each_snapshot_repo(cx, |file, ch, link, gh, entry| {
            let Some(meta) = entry.meta() else { return };
            let written = format!("{}/{}", gh.owner, gh.repo.unwrap_or(""));
            let Some(new) = meta.renamed_from(&written) else {
                return;
            };
            let span = dest_span(link);
            // The destination as written must be the URL itself for a span-exact fix.
            let fix =
                (link.dest_span.is_some() && span.text(&ch.doc.source) == link.dest).then(|| Fix {
                    message: format!("link `{new}`"),
                    start: span.start + gh.owner_start,
                    end: span.start + gh.slug_end,
                    replacement: new.to_string(),
                });
            let d = out.at(
                file,
                ch,
                span,
                format!("GitHub repository `{written}` was renamed to `{new}`"),
            );
            d.help = Some(format!("link https://github.com/{new}"));
            d.fix = fix;
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::GithubRepoRenamed);
    }
}
