//! The rule reference in the book is generated from the rules and kept up to date.

use std::collections::HashSet;
use std::path::Path;

const PAGE: &str = "../../book/contributing/lint.md";

#[test]
fn lint_page_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE);
    let want = archmanual_lint::docs::rules_page();
    if std::env::var_os("UPDATE_LINT_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "book/contributing/lint.md is out of date; run `UPDATE_LINT_DOCS=1 cargo test -p archmanual-lint --test docs`"
    );
}

#[test]
fn every_rule_is_documented_and_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for r in archmanual_lint::rules() {
        let m = r.meta();
        assert!(
            m.code.len() == 5
                && m.code.starts_with("AM")
                && m.code[2..].chars().all(|c| c.is_ascii_digit()),
            "{}: codes look like AM001",
            m.code
        );
        assert!(codes.insert(m.code), "{}: duplicate code", m.code);
        assert!(
            names.insert(m.name),
            "{}: duplicate name {}",
            m.code,
            m.name
        );
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: names are kebab-case",
            m.code
        );
        let doc = m.doc_text();
        for section in ["## 检查什么", "## 如何修复"] {
            assert!(
                doc.contains(section),
                "{}: the doc comment needs a `{section}` section",
                m.code
            );
        }
        let fixture = root
            .join("tests/fixtures/rules")
            .join(m.code.to_ascii_lowercase());
        assert!(
            fixture.join("book.toml").is_file(),
            "{}: missing fixture book {}",
            m.code,
            fixture.display()
        );
        let snap = root
            .join("tests/snapshots/rules")
            .join(format!("{}.snap", m.code));
        assert!(
            snap.is_file(),
            "{}: missing snapshot {}",
            m.code,
            snap.display()
        );
    }
}
