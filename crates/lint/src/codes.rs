//! Every code lint can report, and the one place that declares the severity
//! of the codes rules delegate to.
//!
//! AM017 reports the checks of `mdbook-github` (`GHnnn`) and AM019 those of
//! `mdbook-protocol` (`PDnnn`). Each of these codes has its own row in
//! [`DELEGATED`]: a name, a severity and a summary. The engine stamps that
//! severity on every delegated finding, so the text, JSON, SARIF, rdjson and
//! GitHub outputs agree with the rule reference
//! (`book/contributing/lint.md`, generated from this table), and a test keeps
//! the table equal to what the preprocessors report during the build.

use crate::Severity;

/// A code reported by a rule on behalf of a preprocessor check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelegatedCode {
    /// The code, e.g. `GH002`.
    pub code: &'static str,
    /// The rule that reports it, e.g. `AM017`.
    pub parent: &'static str,
    /// Kebab-case name, e.g. `repository-missing`.
    pub name: &'static str,
    /// The severity users see.
    pub severity: Severity,
    /// One line (Chinese, like the rule docs).
    pub summary: &'static str,
}

const fn gh(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    summary: &'static str,
) -> DelegatedCode {
    DelegatedCode {
        code,
        parent: "AM017",
        name,
        severity,
        summary,
    }
}

const fn pd(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    summary: &'static str,
) -> DelegatedCode {
    DelegatedCode {
        code,
        parent: "AM019",
        name,
        severity,
        summary,
    }
}

/// Every delegated code lint can report, in code order. `GH000` (no
/// snapshot) is a note in lint, reported once per book, and a warning in the
/// build; `GH009` (online mode) only occurs during the build; `PD000` only in
/// `mdbook-protocol`'s own command line.
pub static DELEGATED: &[DelegatedCode] = &[
    gh(
        "GH000",
        "no-snapshot",
        Severity::Note,
        "没有仓库快照，GitHub 检查已跳过",
    ),
    gh(
        "GH001",
        "not-in-snapshot",
        Severity::Warning,
        "仓库或账号不在快照里",
    ),
    gh(
        "GH002",
        "repository-missing",
        Severity::Error,
        "仓库不存在或已转为私有",
    ),
    gh(
        "GH003",
        "repository-archived",
        Severity::Warning,
        "仓库已归档",
    ),
    gh(
        "GH004",
        "repository-renamed",
        Severity::Warning,
        "仓库已改名或迁移（`--fix` 只替换链接中的 `owner/name`）",
    ),
    gh(
        "GH005",
        "repository-disabled",
        Severity::Warning,
        "仓库被 GitHub 禁用",
    ),
    gh(
        "GH006",
        "too-few-stars",
        Severity::Warning,
        "星标数低于 book.toml 的 `min-stars`（配置了才检查）",
    ),
    gh(
        "GH007",
        "stars-off",
        Severity::Warning,
        "正文里手写的星标数与快照相差太多（`--fix` 改成快照的数）",
    ),
    gh(
        "GH008",
        "repository-blocked",
        Severity::Error,
        "仓库被 GitHub 屏蔽",
    ),
    pd("PD001", "diagram-syntax", Severity::Error, "图的语法错误"),
    pd(
        "PD002",
        "diagram-semantics",
        Severity::Error,
        "图的语义错误（例如未声明就销毁参与者）",
    ),
    pd(
        "PD003",
        "diagram-too-large",
        Severity::Error,
        "图超出规模限制",
    ),
    pd(
        "PD004",
        "diagram-unsafe-value",
        Severity::Error,
        "图里有不安全的值（例如 `javascript:` 链接）",
    ),
    pd(
        "PD005",
        "protocol-in-mermaid",
        Severity::Error,
        "`mermaid` 代码块里用了协议扩展",
    ),
    pd(
        "PD010",
        "diagram-warning",
        Severity::Warning,
        "图能渲染，但可能不是作者的本意",
    ),
];

/// The delegated code `code` (exact, upper-case), if any.
pub fn delegated(code: &str) -> Option<&'static DelegatedCode> {
    DELEGATED.iter().find(|d| d.code == code)
}

/// The codes a rule delegates to (empty for most rules).
pub fn delegated_by(rule: &str) -> impl Iterator<Item = &'static DelegatedCode> + '_ {
    DELEGATED.iter().filter(move |d| d.parent == rule)
}

/// The severity users see for `code`: the rule's declared severity, or the
/// delegated code's row in [`DELEGATED`].
pub fn severity(code: &str) -> Option<Severity> {
    crate::rule(code)
        .map(|r| r.meta().severity)
        .or_else(|| delegated(code).map(|d| d.severity))
}

/// Every code lint can report: the rules' and the delegated ones.
pub fn all() -> impl Iterator<Item = &'static str> {
    crate::rules()
        .iter()
        .map(|r| r.meta().code)
        .chain(DELEGATED.iter().map(|d| d.code))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use archmanual_preprocessor_kit::ArchPreprocessor;
    use mdbook_github::Github;
    use mdbook_protocol::Protocol;

    use super::*;
    use crate::Book;

    /// The table says what the preprocessors report during the build: run
    /// their checks directly (not through lint, which stamps the table's
    /// severity) on the AM017 and AM019 fixtures.
    #[test]
    fn table_matches_what_the_preprocessors_report() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ["AM017", "AM019"] {
            let book = Book::load(&crate::testing::fixture_dir(code)).unwrap();
            for ch in &book.model.chapters {
                let Some(file) = ch.source_path.as_deref() else {
                    continue;
                };
                let mut found = Protocol::check(file, &ch.doc, &book.protocol, &());
                if let Some(snapshot) = &book.snapshot {
                    found.extend(Github::check(file, &ch.doc, &book.github, snapshot));
                }
                for d in found {
                    let row = delegated(&d.code)
                        .unwrap_or_else(|| panic!("{} is not in codes::DELEGATED", d.code));
                    assert_eq!(d.severity, row.severity, "{}: {}", d.code, d.message);
                    seen.insert(d.code);
                }
            }
        }
        // Diagrams the fixture does not have: a syntax error, a semantic
        // error and a warning.
        let md = "```protocol\nsequenceDiagram\n  A =>=> B\n```\n\n\
                  ```protocol\nsequenceDiagram\n  heal\n```\n\n\
                  ```protocol\nsequenceDiagram\n  participant A\n  participant B\n  crash B: x\n  A ->> B: hi\n```\n";
        let doc = archmanual_model::Document::parse(md, &Default::default());
        for d in Protocol::check(Path::new("x.md"), &doc, &Default::default(), &()) {
            let row = delegated(&d.code)
                .unwrap_or_else(|| panic!("{} is not in codes::DELEGATED", d.code));
            assert_eq!(d.severity, row.severity, "{}: {}", d.code, d.message);
            seen.insert(d.code);
        }
        for code in [
            "GH001", "GH002", "GH008", "PD001", "PD002", "PD005", "PD010",
        ] {
            assert!(seen.contains(code), "{code} not exercised: {seen:?}");
        }
    }

    #[test]
    fn codes_are_unique_and_belong_to_a_rule() {
        let mut all: Vec<&str> = all().collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
        for d in DELEGATED {
            assert!(crate::rule(d.parent).is_some(), "{}", d.code);
            assert!(
                d.code
                    .starts_with(if d.parent == "AM017" { "GH" } else { "PD" })
            );
        }
    }
}
