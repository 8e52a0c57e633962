//! The rule reference, `book/contributing/lint.md`, generated from the rules'
//! doc comments (a test keeps the committed page up to date).

use crate::{Severity, rules};

/// The book page documenting every rule (Chinese, mdBook Markdown).
pub fn rules_page() -> String {
    let mut out = String::new();
    out.push_str("# 检查规则（archmanual lint）\n\n");
    out.push_str(
        "<!-- 本页由 crates/lint/src/docs.rs 根据各规则的文档注释生成，请勿手工编辑。\n     \
         更新：UPDATE_LINT_DOCS=1 cargo test -p archmanual-lint --test docs -->\n\n",
    );
    out.push_str(
        "提交前在仓库根目录运行 `cargo run --release -- lint`，它会检查 `book/` 下的全部页面，\
         按 rustc 的格式给出文件、行、列、原文片段和修改建议。带 `--fix` 运行会自动应用能精确修复的问题\
         （改名的仓库、`http://`、已知的错拼等），只改动出问题的那几个字符，不会重排其他内容。\n\n",
    );
    out.push_str(
        "- `--format human|json|sarif|github|rdjson|markdown`：分别用于终端、脚本、GitHub 代码扫描、\
         GitHub Actions 注解、reviewdog 和 `$GITHUB_STEP_SUMMARY`；\n\
         - 退出码：没有错误为 0，有错误（error）为 1，用法或内部错误为 2；警告（warning）不影响退出码；\n\
         - `archmanual review --base <提交>` 只报告两次提交之间改动过的行，CI 用它在拉取请求上留下行内评论。\n\n",
    );
    out.push_str("| 代码 | 名称 | 级别 | 检查什么 |\n| --- | --- | --- | --- |\n");
    for r in rules() {
        let m = r.meta();
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} |\n",
            m.code,
            m.code.to_ascii_lowercase(),
            m.name,
            severity_zh(m.severity),
            escape(&m.summary()).replace('|', "\\|")
        ));
    }
    for r in rules() {
        let m = r.meta();
        out.push_str(&format!(
            "\n## {} {} {{#{}}}\n\n级别：{}。{}\n",
            m.code,
            m.name,
            m.code.to_ascii_lowercase(),
            severity_zh(m.severity),
            escape(&m.summary())
        ));
        let doc = m.doc_text();
        let body = doc.split_once('\n').map_or("", |(_, b)| b);
        for line in body.lines() {
            // The rule's `##` sections become `###` on the page.
            if line.starts_with("## ") {
                out.push('#');
            }
            out.push_str(&escape(line));
            out.push('\n');
        }
    }
    out
}

fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Note => "提示",
    }
}

/// Escapes `{{#` so mdBook's `links` preprocessor leaves the text alone.
fn escape(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("{{#") {
        out.push_str(&rest[..i]);
        if !out.ends_with('\\') {
            out.push('\\');
        }
        out.push_str("{{#");
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}
