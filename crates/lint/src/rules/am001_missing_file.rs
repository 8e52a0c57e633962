use archmanual_model::LinkTarget;

use super::common::{dest_span, is_checkable_link, resolves};
use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 相对链接指向的文件不存在。
    ///
    /// ## 检查什么
    ///
    /// 书中 `[文字](../cache/index.md)` 这类相对链接（以及 HTML 的 `href`）解析后，在 `book/`
    /// 下找不到对应的文件；或者 `..` 跳出了 `book/` 目录。mdBook 会原样生成这样的链接，读者点开就是 404。
    /// `x.html` 会按 `x.md` 查找，目录和 `index.html` 会按其中的 `index.md`/`README.md` 查找。
    ///
    /// ## 如何修复
    ///
    /// 按当前文件所在目录改正相对路径；如果页面还没写，先创建它并在 `SUMMARY.md` 中登记。
    pub(crate) struct MissingFile {
        code: "AM001",
        name: "missing-file",
        severity: Error,
    }
}

impl Rule for MissingFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            let links = ch.links_with_targets();
            for (link, target) in links.filter(|(l, _)| is_checkable_link(l)) {
                let LinkTarget::Local {
                    path, escapes_root, ..
                } = target
                else {
                    continue;
                };
                if *escapes_root {
                    out.at(
                        file,
                        ch,
                        dest_span(link),
                        format!("link `{}` points outside the book's source directory", link.dest),
                    )
                    .help = Some(
                        "link to a page inside `book/`, or use the full https:// URL of the file in the repository"
                            .into(),
                    );
                } else if !resolves(cx.book, path) {
                    out.at(
                        file,
                        ch,
                        dest_span(link),
                        format!("link target `{}` does not exist (looked for `{}`)", link.dest, path.display()),
                    )
                    .help = Some(
                        "fix the path (it is relative to this file's directory), or create the page and list it in SUMMARY.md"
                            .into(),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::MissingFile);
    }
}
