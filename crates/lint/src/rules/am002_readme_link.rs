use archmanual_model::LinkTarget;

use super::common::{dest_span, is_checkable_link};
use crate::{Context, Fix, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 链接指向 `README.md`，而 mdBook 把它渲染成 `index.html`。
    ///
    /// ## 检查什么
    ///
    /// mdBook 把每个目录的 `README.md` 渲染为 `index.html`，但链接里的 `README.md` 只会被改写成
    /// `README.html`——这个页面并不存在（mdBook #984）。
    ///
    /// ## 如何修复
    ///
    /// 把链接里的 `README.md` 换成 `index.md`（`--fix` 会自动替换），mdBook 会把它改写成 `index.html`。
    pub(crate) struct ReadmeLink {
        code: "AM002",
        name: "readme-link",
        severity: Error,
    }
}

impl Rule for ReadmeLink {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            let links = ch.links_with_targets();
            for (link, target) in links.filter(|(l, _)| is_checkable_link(l)) {
                let LinkTarget::Local { path, .. } = target else {
                    continue;
                };
                let is_readme = path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("README.md"));
                if !is_readme || !cx.book.has_file(path) {
                    continue;
                }
                let span = dest_span(link);
                let written = span.text(&ch.doc.source);
                let fix = written
                    .to_ascii_lowercase()
                    .rfind("readme.md")
                    .filter(|_| link.dest_span.is_some())
                    .map(|i| Fix {
                        message: "link to index.md".into(),
                        start: span.start + i,
                        end: span.start + i + "README.md".len(),
                        replacement: "index.md".into(),
                    });
                let d = out.at(
                    file,
                    ch,
                    span,
                    format!("link to `{}`: mdBook renders README.md as index.html, so this link is broken", link.dest),
                );
                d.help = Some("link to `index.md` in the same directory instead".into());
                d.fix = fix;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::ReadmeLink);
    }
}
