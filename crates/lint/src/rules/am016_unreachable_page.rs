use std::collections::HashSet;
use std::path::{Path, PathBuf};

use archmanual_model::resolve_relative;

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// `book/` 下的 Markdown 页面没有登记在 `SUMMARY.md` 中。
    ///
    /// ## 检查什么
    ///
    /// mdBook 只渲染 `SUMMARY.md` 里列出的页面；其他 `.md` 文件只会被原样复制，读者看不到，
    /// 链接到它们也会失效。被某个页面 `{{#include}}` 的文件不算。
    ///
    /// ## 如何修复
    ///
    /// 在 `SUMMARY.md` 的合适位置加上这一页；不再需要的文件就删掉。
    pub(crate) struct UnreachablePage {
        code: "AM016",
        name: "unreachable-page",
        severity: Warning,
    }
}

impl Rule for UnreachablePage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        let mut reachable: HashSet<PathBuf> = HashSet::new();
        reachable.insert(PathBuf::from("SUMMARY.md"));
        for (file, ch) in cx.sources() {
            reachable.insert(file.to_path_buf());
            for d in ch.doc.directives.iter().filter(|d| d.includes_file()) {
                if let Some(t) = &d.target {
                    reachable.insert(resolve_relative(file, t).0);
                }
            }
        }
        let mut pages: Vec<&PathBuf> = cx
            .book
            .files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md") && !reachable.contains(*p))
            .collect();
        pages.sort();
        for p in pages {
            out.file(
                p,
                format!(
                    "`{}` is not listed in SUMMARY.md, so mdBook does not render it",
                    display(p)
                ),
            )
            .help = Some("add it to SUMMARY.md, or delete it if it is no longer needed".into());
        }
    }
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::UnreachablePage);
    }
}
