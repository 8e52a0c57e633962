use std::collections::HashMap;

use archmanual_github_url::{GithubLink, classify};

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 同一个列表里两次列出同一个仓库，或者同一分类页里重复收录了同一个项目。
    ///
    /// ## 检查什么
    ///
    /// 任何页面上，同一个条目列表中两个条目指向同一个仓库（GitHub 的 `owner/repo` 不区分大小写；
    /// 指向仓库内不同目录的链接不算同一个；其他网址忽略协议、`www.` 和末尾的 `/`）。
    /// 分类页（`…/index.md` 或 `README.md`）上范围扩大到整页（不论在哪个 `###` 分组下），名字相同
    /// （不区分大小写）也算重复，除非两条链接的是两个不同的 GitHub 仓库（同名的两个项目）；
    /// 其他页面可以有意在不同小节的不同列表里重复列出。
    ///
    /// ## 如何修复
    ///
    /// 删掉后出现的那一条，把有用的说明合并到第一条里。一个项目属于多个主题时，用 `标签:` 字段表达。
    pub(crate) struct DuplicateEntry {
        code: "AM010",
        name: "duplicate-entry",
        severity: Error,
    }
}

impl Rule for DuplicateEntry {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        // Category pages are `…/index.md` (or README.md): one entry per
        // project on the whole page. Other pages may list a project under
        // several headings on purpose, but never twice in one list.
        let is_category = |f: &std::path::Path| {
            f.file_name()
                .is_some_and(|n| n == "index.md" || n.eq_ignore_ascii_case("README.md"))
        };
        for (file, ch) in cx.sources() {
            let whole_page = is_category(file);
            // Keys are scoped by list unless the whole page is one scope.
            let scope = |e: &archmanual_model::Entry| if whole_page { 0 } else { e.list };
            let mut by_repo: HashMap<(usize, String), usize> = HashMap::new();
            let mut by_name: HashMap<String, usize> = HashMap::new();
            for (i, e) in ch.doc.entries.iter().enumerate() {
                let repo = repo_key(&e.url).map(|r| (scope(e), r));
                let name = e.name.trim().to_lowercase();
                let first_repo = repo.as_ref().and_then(|r| by_repo.get(r).copied());
                // Two entries of the same name that link two different GitHub
                // repositories are two projects (`Steam`, `STEAM`).
                let first_name = whole_page
                    .then(|| by_name.get(&name).copied())
                    .flatten()
                    .filter(|&j| !(is_repo(&e.url) && is_repo(&ch.doc.entries[j].url)));
                let line_of = |j: usize| ch.doc.line_col(ch.doc.entries[j].span.start).0;
                let found = match (first_repo, first_name) {
                    (Some(j), _) => Some(format!(
                        "`{}` links the same repository as `{}` on line {}{}",
                        e.name,
                        ch.doc.entries[j].name,
                        line_of(j),
                        if whole_page { "" } else { " in the same list" }
                    )),
                    (None, Some(j)) => Some(format!(
                        "entry `{}` is listed twice in this category (first on line {})",
                        e.name,
                        line_of(j)
                    )),
                    (None, None) => None,
                };
                if let Some(message) = found {
                    out.at(file, ch, e.name_span, message).help = Some(
                        "keep one entry per project and category; use the `标签:` field to place it under several topics"
                            .into(),
                    );
                }
                if let Some(r) = repo {
                    by_repo.entry(r).or_insert(i);
                }
                by_name.entry(name).or_insert(i);
            }
        }
    }
}

fn is_repo(url: &str) -> bool {
    matches!(classify(url), Some(GithubLink::Repo(_)))
}

/// `owner/repo` for a GitHub repository, the login for an owner page (only a
/// link to the repository or account itself: `…/tree/main/docs` is a
/// different resource of the same repository), else the URL without scheme,
/// `www.` and trailing `/`.
fn repo_key(url: &str) -> Option<String> {
    match classify(url) {
        Some(GithubLink::Repo(key)) => return Some(key.key().to_owned()),
        Some(GithubLink::Owner(login)) => return Some(login.to_ascii_lowercase()),
        _ => {}
    }
    let rest = url.split_once("://")?.1;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    Some(rest.trim_end_matches('/').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::DuplicateEntry);
    }
}
