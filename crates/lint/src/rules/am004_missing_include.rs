use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// `{{#include}}` 引用的文件或锚点不存在。
    ///
    /// ## 检查什么
    ///
    /// `{{#include path}}`、`{{#rustdoc_include path}}`、`{{#playground path}}` 指向的文件
    /// （相对于当前文件所在目录）不存在；或者 `{{#include path:锚点}}` 中的锚点在文件里没有
    /// `ANCHOR: 锚点` 标记。mdBook 构建时只会打印一条警告，页面上留下空白。
    ///
    /// ## 如何修复
    ///
    /// 改正路径；或在被引用的文件中加上 `// ANCHOR: 名字` 和 `// ANCHOR_END: 名字` 标记。
    /// 只想在正文里展示指令本身时，在 `{{` 前加一个反斜杠转义。
    pub(crate) struct MissingInclude {
        code: "AM004",
        name: "missing-include",
        severity: Error,
    }
}

impl Rule for MissingInclude {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            let dir = cx
                .book
                .src_dir
                .join(file.parent().unwrap_or(std::path::Path::new("")));
            for d in ch.doc.directives.iter().filter(|d| d.includes_file()) {
                let target = d.target.as_deref().unwrap_or("");
                // mdBook needs whitespace and at least one more character
                // after the name to see a directive (`\s+([^}]+)`):
                // `{{#include}}` and `{{ #include }}` stay plain text.
                if target.trim().is_empty() {
                    continue;
                }
                let path = dir.join(target);
                let Ok(text) = std::fs::read_to_string(&path) else {
                    out.at(
                        file,
                        ch,
                        d.span,
                        format!("included file `{target}` does not exist"),
                    )
                    .help = Some(
                        "the path is relative to this file's directory; fix it or add the file"
                            .into(),
                    );
                    continue;
                };
                let Some(sel) = d.selector.as_deref() else {
                    continue;
                };
                let is_range = sel.chars().all(|c| c.is_ascii_digit() || c == ':');
                if !is_range && !has_anchor(&text, sel) {
                    out.at(
                        file,
                        ch,
                        d.span,
                        format!("anchor `{sel}` is not defined in `{target}`"),
                    )
                    .help = Some(format!(
                        "add `ANCHOR: {sel}` and `ANCHOR_END: {sel}` comments around the lines to include"
                    ));
                }
            }
        }
    }
}

/// True if `text` has an `ANCHOR: name` marker (mdBook: `ANCHOR:\s*[\w_-]+`).
fn has_anchor(text: &str, name: &str) -> bool {
    text.match_indices("ANCHOR:").any(|(i, m)| {
        let rest = text[i + m.len()..].trim_start();
        rest.strip_prefix(name).is_some_and(|after| {
            !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
        })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::MissingInclude);
    }

    #[test]
    fn anchors_match_whole_names() {
        let text = "// ANCHOR: setup_all\nx\n// ANCHOR_END: setup_all\n";
        assert!(super::has_anchor(text, "setup_all"));
        assert!(!super::has_anchor(text, "setup"));
    }
}
