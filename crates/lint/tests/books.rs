//! Whole fixture books: a clean one with zero findings, one with one defect
//! per rule (each reported at its marked line), and `--fix` on a copy.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use archmanual_lint::{Book, Diagnostic, lint, rules};
use archmanual_test_support::copy_fixture;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn listing(ds: &[Diagnostic]) -> String {
    ds.iter().map(|d| format!("{d}\n")).collect()
}

/// `(file, line, code)` from `<!-- expect: CODE -->` / `<!-- expect-file: CODE -->` markers.
fn markers(src: &Path) -> BTreeSet<(PathBuf, usize, String)> {
    let mut out = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(src.join(&rel)).unwrap().flatten() {
            let p = rel.join(e.file_name());
            if e.path().is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(e.path()).unwrap();
                for (n, line) in text.lines().enumerate() {
                    if let Some(i) = line.find("<!-- expect-at: ") {
                        let mut rest = line[i + 16..].split_whitespace();
                        let at: usize = rest.next().unwrap().parse().unwrap();
                        out.insert((p.clone(), at, rest.next().unwrap().to_string()));
                    }
                    if let Some(i) = line.find("<!-- expect: ") {
                        let code = line[i + 13..].split_whitespace().next().unwrap();
                        out.insert((p.clone(), n + 1, code.to_string()));
                    }
                    if let Some(i) = line.find("<!-- expect-file: ") {
                        let code = line[i + 18..].split_whitespace().next().unwrap();
                        out.insert((p.clone(), 0, code.to_string()));
                    }
                }
            }
        }
    }
    out
}

fn found(ds: &[Diagnostic]) -> BTreeSet<(PathBuf, usize, String)> {
    ds.iter()
        .map(|d| {
            (
                d.file.clone(),
                d.location.map_or(0, |l| l.line),
                d.code.clone(),
            )
        })
        .collect()
}

#[test]
fn clean_book_has_no_findings() {
    let book = Book::load(&fixture("clean")).unwrap();
    let ds = lint(&book);
    // Without a snapshot (the fixture has none) the one finding is the note
    // that the GitHub checks were skipped, once for the whole book.
    assert_eq!(
        ds.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["GH000"],
        "expected only the no-snapshot note:\n{}",
        listing(&ds)
    );
    assert_eq!(ds[0].severity, archmanual_lint::Severity::Note);
    // The clean book exercises what it claims to.
    let mq = book
        .model
        .chapters
        .iter()
        .find(|c| c.name == "消息队列")
        .unwrap();
    let ids: Vec<&str> = mq.doc.fragment_ids().collect();
    for id in [
        "选型建议",
        "说明",
        "说明-1",
        "custom-id",
        "html-anchor",
        "开源项目",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn every_rule_reports_its_defect_at_its_line() {
    let dir = fixture("defects");
    let book = Book::load(&dir).unwrap();
    let ds = lint(&book);
    let expected = markers(&book.src_dir);
    assert_eq!(found(&ds), expected, "\n{}", listing(&ds));
    let codes: BTreeSet<&str> = expected.iter().map(|(_, _, c)| c.as_str()).collect();
    for r in rules() {
        let code = r.meta().code;
        // AM017 and AM019 report mdbook-github's GHnnn and the diagram checker's PDnnn codes.
        let has = codes.contains(code)
            || (code == "AM017" && codes.iter().any(|c| c.starts_with("GH")))
            || (code == "AM019" && codes.iter().any(|c| c.starts_with("PD")));
        assert!(has, "the defects book has no {code} defect");
    }

    assert_eq!(archmanual_lint::exit_code(&ds), 1);
}

#[test]
fn fix_changes_only_the_fixed_spans() {
    let tmp = copy_fixture(&fixture("defects"));
    let book = Book::load(tmp.path()).unwrap();
    let before = lint(&book);
    let fixable: Vec<&Diagnostic> = before.iter().filter(|d| d.fix.is_some()).collect();
    let fixable_codes: BTreeSet<&str> = fixable.iter().map(|d| d.code.as_str()).collect();
    assert!(
        ["AM002", "AM012", "AM013", "AM014", "AM015", "GH004"]
            .iter()
            .all(|c| fixable_codes.contains(c)),
        "{fixable_codes:?}"
    );
    let originals = book.sources();
    let summary = archmanual_lint::fix::fix_files(&book, &before).unwrap();
    assert_eq!(summary.total(), fixable.len());

    let after_book = Book::load(tmp.path()).unwrap();
    let after = lint(&after_book);
    for d in &fixable {
        assert!(
            !after.iter().any(|a| a.code == d.code && a.file == d.file),
            "{d} is still reported after --fix:\n{}",
            listing(&after)
        );
    }
    // Every changed line is a line that had a fix; nothing else moved.
    let fixed_lines: BTreeSet<(PathBuf, usize)> = fixable
        .iter()
        .map(|d| (d.file.clone(), d.location.unwrap().line))
        .collect();
    for (file, old) in &originals {
        let Ok(new) = std::fs::read_to_string(after_book.src_dir.join(file)) else {
            continue; // a chapter SUMMARY.md lists but that does not exist
        };
        assert_eq!(
            old.lines().count(),
            new.lines().count(),
            "{}",
            file.display()
        );
        for (n, (a, b)) in old.lines().zip(new.lines()).enumerate() {
            if a != b {
                assert!(
                    fixed_lines.contains(&(file.clone(), n + 1)),
                    "{}:{} changed: {a:?} -> {b:?}",
                    file.display(),
                    n + 1
                );
            }
        }
    }
    let readme = std::fs::read_to_string(tmp.path().join("src/README.md")).unwrap();
    assert!(readme.contains("[子目录首页](mq/sub/index.md)"));
    assert!(readme.contains("分布式系统架构 <!--"));
    assert!(readme.contains("[Kafka](https://kafka.apache.org)"));
    let mq = std::fs::read_to_string(tmp.path().join("src/mq/index.md")).unwrap();
    assert!(mq.contains("[ActiveMQ](https://activemq.apache.org)"));
    assert!(mq.contains("[ShardingSphere](https://github.com/apache/shardingsphere)"));
    assert!(mq.contains("[Foo](https://github.com/apache/foo)"));
}
