use archmanual_model::LinkTarget;

use std::path::{Path, PathBuf};

use super::common::{candidates, dest_span, is_checkable_link, resolves};
use crate::text::edit_distance;
use crate::{Book, Context, Reporter, Rule, RuleMeta};

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
                    let help = match nearest_file(cx.book, path) {
                        Some(near) => format!(
                            "did you mean `{}`? (`{}` in the book's source directory)",
                            suggested_dest(&link.dest, path, near),
                            near.display()
                        ),
                        None => "fix the path (it is relative to this file's directory), or create the page and list it in SUMMARY.md".into(),
                    };
                    out.at(
                        file,
                        ch,
                        dest_span(link),
                        format!(
                            "link target `{}` does not exist (looked for `{}`)",
                            link.dest,
                            path.display()
                        ),
                    )
                    .help = Some(help);
                }
            }
        }
    }
}

/// The book file closest to a missing link target: a near spelling of the
/// file name in the same directory first (`mq-semantic.md` →
/// `mq-semantics.md`), else of the whole path; a typo, not a rename, so at
/// most a quarter of the name may differ (1 to 3 characters).
fn nearest_file<'a>(book: &'a Book, path: &Path) -> Option<&'a Path> {
    let wanted: Vec<PathBuf> = candidates(path)
        .into_iter()
        .filter(|c| c.extension().is_some())
        .collect();
    let mut best: Option<(usize, &Path)> = None;
    for c in &wanted {
        let name = c.file_name()?.to_string_lossy();
        let whole = c.to_string_lossy();
        for f in &book.files {
            if f.extension() != c.extension() {
                continue;
            }
            let (a, b) = if f.parent() == c.parent() {
                (
                    name.to_string(),
                    f.file_name()?.to_string_lossy().into_owned(),
                )
            } else {
                (whole.to_string(), f.to_string_lossy().into_owned())
            };
            let max = (a.chars().count() / 4).clamp(1, 3);
            let Some(d) = edit_distance(&a, &b, max) else {
                continue;
            };
            // Ties go to the same directory, then to the smaller path, so
            // the suggestion does not depend on the set's order.
            let key = (d, f.parent() != c.parent());
            let better = match best {
                None => true,
                Some((bd, bf)) => {
                    let bkey = (bd, bf.parent() != c.parent());
                    key < bkey || (key == bkey && f.as_path() < bf)
                }
            };
            if better {
                best = Some((d, f.as_path()));
            }
        }
    }
    best.map(|(_, f)| f)
}

/// The link as it should be written to reach `near`: the same directory part
/// with the nearest file name when both are in one directory, else the book path.
fn suggested_dest(dest: &str, path: &Path, near: &Path) -> String {
    let (link, rest) = match dest.find(['#', '?']) {
        Some(i) => dest.split_at(i),
        None => (dest, ""),
    };
    if near.parent() == path.parent()
        && let (Some(old), Some(new)) = (path.file_name(), near.file_name())
        && let Some(prefix) = link.strip_suffix(&*old.to_string_lossy())
    {
        return format!("{prefix}{}{rest}", new.to_string_lossy());
    }
    format!("{}{rest}", near.display())
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::MissingFile);
    }
}
