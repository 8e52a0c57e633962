use archmanual_model::LinkTarget;

use super::common::dest_span;
use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 图片文件不存在。
    ///
    /// ## 检查什么
    ///
    /// `![说明](images/x.png)` 或 `<img src="…">` 引用的本地图片在 `book/` 下找不到。
    ///
    /// ## 如何修复
    ///
    /// 把图片放到引用它的页面旁边（或 `book/` 下的公共目录），并按当前文件的目录写相对路径。
    pub(crate) struct MissingImage {
        code: "AM003",
        name: "missing-image",
        severity: Error,
    }
}

impl Rule for MissingImage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            for (link, target) in ch.links_with_targets().filter(|(l, _)| l.image) {
                let LinkTarget::Local {
                    path, escapes_root, ..
                } = target
                else {
                    continue;
                };
                if *escapes_root || (!path.as_os_str().is_empty() && !cx.book.has_file(path)) {
                    out.at(
                        file,
                        ch,
                        dest_span(link),
                        format!(
                            "image `{}` does not exist (looked for `{}`)",
                            link.dest,
                            path.display()
                        ),
                    )
                    .help = Some(
                        "add the image file or fix the path (relative to this file's directory)"
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
        crate::testing::check_fixture(&super::MissingImage);
    }
}
