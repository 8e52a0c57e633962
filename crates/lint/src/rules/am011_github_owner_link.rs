use super::common::dest_span;
use archmanual_github_url::{GithubLink, classify};

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 条目链接到 GitHub 用户或组织主页，而不是项目仓库。
    ///
    /// ## 检查什么
    ///
    /// 条目的链接是 `https://github.com/owner` 这种只有一级路径的地址。条目应该指向具体仓库：
    /// 星标数、归档与改名检查都以仓库为单位。
    ///
    /// ## 如何修复
    ///
    /// 换成项目的主仓库，例如 `https://github.com/apache/dubbo`；项目没有单一仓库时，链接官网，
    /// 把组织主页放进说明或 `官网:` 字段。
    pub(crate) struct GithubOwnerLink {
        code: "AM011",
        name: "github-owner-link",
        severity: Warning,
    }
}

impl Rule for GithubOwnerLink {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            for e in &ch.doc.entries {
                let Some(GithubLink::Owner(owner)) = classify(&e.url) else {
                    continue;
                };
                let link = &ch.doc.links[e.link];
                out.at(
                    file,
                    ch,
                    dest_span(link),
                    format!(
                        "entry `{}` links the GitHub account `{}`, not a repository",
                        e.name, owner
                    ),
                )
                .help = Some(format!(
                    "link the project's repository, e.g. `https://github.com/{}/<repo>`, or its official site",
                    owner
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::GithubOwnerLink);
    }
}
