//! Fixture tests for rules: each rule has a fixture book under
//! `tests/fixtures/rules/<code>/` whose lines carry `<!-- expect: CODE -->`
//! markers (or `<!-- expect-file: CODE -->` for file-level findings).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::{Book, Diagnostic, Rule, lint_with};

/// The fixture directory of `code`.
pub(crate) fn fixture_dir(code: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(code.to_ascii_lowercase())
}

/// One line per diagnostic, for snapshots.
pub(crate) fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        if let Some(f) = &d.fix {
            out.push_str(&format!(
                " [fix {}..{}: {:?}]",
                f.start, f.end, f.replacement
            ));
        }
        out.push('\n');
    }
    out
}

/// `(file, line, code)` expected by the markers in every `.md` under `src`.
pub(crate) fn expected_markers(src: &Path) -> BTreeSet<(PathBuf, usize, String)> {
    let mut out = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(src.join(&rel)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = rel.join(e.file_name());
            if e.path().is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                for line in text.lines() {
                    // `<!-- expect-at: LINE CODE -->` for lines that cannot carry a
                    // marker (inside a diagram fence).
                    for (i, _) in line.match_indices("<!-- expect-at: ") {
                        let mut rest = line[i + 16..].split_whitespace();
                        let at: usize = rest.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                        out.insert((p.clone(), at, rest.next().unwrap_or("").to_string()));
                    }
                }
                for (n, line) in text.lines().enumerate() {
                    for (marker, file_level) in
                        [("<!-- expect: ", false), ("<!-- expect-file: ", true)]
                    {
                        for (i, _) in line.match_indices(marker) {
                            let rest = &line[i + marker.len()..];
                            let code = rest.split_whitespace().next().unwrap_or("").to_string();
                            out.insert((p.clone(), if file_level { 0 } else { n + 1 }, code));
                        }
                    }
                }
            }
        }
    }
    out
}

/// `(file, line, code)` of diagnostics (line 0 for file-level ones).
pub(crate) fn found(diagnostics: &[Diagnostic]) -> BTreeSet<(PathBuf, usize, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d.file.clone(),
                d.location.map_or(0, |l| l.line),
                d.code.clone(),
            )
        })
        .collect()
}

/// Runs `rule` on its fixture book, checks the markers and snapshots the output.
pub(crate) fn check_fixture(rule: &dyn Rule) {
    let code = rule.meta().code;
    let dir = fixture_dir(code);
    let book = Book::load(&dir).unwrap_or_else(|e| panic!("fixture {code}: {e}"));
    // AM021 is about what the other rules' findings and the suppression
    // comments do together: its fixture runs the whole engine.
    let diagnostics = if code == "AM021" {
        crate::lint(&book)
    } else {
        lint_with(&book, &[rule])
    };
    assert_eq!(
        found(&diagnostics),
        expected_markers(&book.src_dir),
        "{code}: findings differ from the `<!-- expect: {code} -->` markers:\n{}",
        render(&diagnostics)
    );
    insta::with_settings!({
        snapshot_path => "../tests/snapshots/rules",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(code, render(&diagnostics));
    });
}

/// Runs `rule` on a one-chapter book whose chapter is `markdown`.
pub(crate) fn lint_source(rule: &dyn Rule, markdown: &str) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("the book's src directory");
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"t\"\n").expect("book.toml");
    std::fs::write(src.join("SUMMARY.md"), "# Summary\n\n- [词](index.md)\n").expect("SUMMARY.md");
    std::fs::write(src.join("index.md"), markdown).expect("index.md");
    let book = Book::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    lint_with(&book, &[rule])
}
