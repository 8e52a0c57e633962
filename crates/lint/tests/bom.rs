//! A chapter that starts with a UTF-8 byte-order mark: findings, excerpts
//! and GitHub findings are the same as without the mark, and `--fix`
//! changes exactly the intended bytes (the mark stays). Also: `--fix`
//! refuses a file that changed after it was linted.

use std::path::{Path, PathBuf};

use archmanual_lint::{Book, Diagnostic, LintError, fix, format, lint};
use archmanual_model::{LoadedBook, SourceError};

const BOM: &[u8] = b"\xEF\xBB\xBF";
const PAGE: &str = "# 仓库\n\n- [Foo](http://github.com/incubator/foo) - 改名了。\n- [Gone](https://github.com/gone/project) - 已删除。\n\n见 http://github.com/apache/kafka 。\n";

fn book(dir: &Path, bom: bool) {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"t\"\n[preprocessor.github]\n",
    )
    .unwrap();
    std::fs::write(src.join("SUMMARY.md"), "# Summary\n\n- [仓库](a.md)\n").unwrap();
    let mut bytes = if bom { BOM.to_vec() } else { Vec::new() };
    bytes.extend_from_slice(PAGE.as_bytes());
    std::fs::write(src.join("a.md"), bytes).unwrap();
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules/am017/src/github-repos.json");
    std::fs::copy(snapshot, src.join("github-repos.json")).unwrap();
}

fn both() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (plain, bom) = (tmp.path().join("plain"), tmp.path().join("bom"));
    book(&plain, false);
    book(&bom, true);
    (tmp, plain, bom)
}

fn codes(ds: &[Diagnostic]) -> Vec<&str> {
    ds.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn findings_and_their_positions_ignore_the_bom() {
    let (_tmp, plain, bom) = both();
    let (p, b) = (
        lint(&Book::load(&plain).unwrap()),
        lint(&Book::load(&bom).unwrap()),
    );
    for code in ["AM012", "GH002", "GH004"] {
        assert!(codes(&b).contains(&code), "{code} missing: {b:?}");
    }
    assert_eq!(b, p);
}

#[test]
fn excerpts_are_the_same_with_and_without_the_bom() {
    let (_tmp, plain, bom) = both();
    let render = |root: &Path| {
        let book = Book::load(root).unwrap();
        let ds = lint(&book);
        let sources = book.sources();
        let report = format::Report {
            diagnostics: &ds,
            sources: &sources,
            src_prefix: Path::new("src"),
            color: false,
            lang: archmanual_lint::i18n::Lang::En,
        };
        let mut out = Vec::new();
        format::by_name("human")
            .unwrap()
            .write(&report, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    };
    let (p, b) = (render(&plain), render(&bom));
    // The caret sits under the `http://` of the excerpted line.
    assert!(b.contains("[Foo](http://github.com/incubator/foo)"), "{b}");
    assert_eq!(b, p);
}

#[test]
fn fix_changes_exactly_the_intended_bytes_and_keeps_the_bom() {
    let (_tmp, plain, bom) = both();
    for root in [&plain, &bom] {
        let book = Book::load(root).unwrap();
        let ds = lint(&book);
        let summary = fix::fix_files(&book, &ds).unwrap();
        // http→https twice, and the renamed repository.
        assert_eq!(summary.total(), 3, "{ds:?}");
    }
    let p = std::fs::read(plain.join("src/a.md")).unwrap();
    let b = std::fs::read(bom.join("src/a.md")).unwrap();
    assert_eq!(&b[..3], BOM);
    assert_eq!(&b[3..], &p[..]);
    let fixed = String::from_utf8(p).unwrap();
    assert!(
        !fixed.contains("http://") && !fixed.contains("incubator/foo"),
        "{fixed}"
    );
    // Outside the fixed spans nothing moved: same lines, same ends.
    assert_eq!(fixed.lines().count(), PAGE.lines().count());
    assert!(fixed.ends_with(" 。\n"));
}

#[test]
fn github_preprocessor_reports_the_same_findings_for_a_bom_chapter() {
    let (_tmp, plain, bom) = both();
    let run = |root: &Path| {
        let loaded = LoadedBook::load(root).unwrap();
        let config = loaded
            .preprocessor_config::<mdbook_github::GithubConfig>("github")
            .unwrap();
        let (_, report) = mdbook_github::process(
            loaded.book.clone(),
            &loaded.options,
            &config,
            &loaded.src_dir,
            root,
            false,
        )
        .unwrap();
        report.diagnostics
    };
    let (p, b) = (run(&plain), run(&bom));
    assert!(
        codes(&b).contains(&"GH002") && codes(&b).contains(&"GH004"),
        "{b:?}"
    );
    assert_eq!(b, p);
}

#[test]
fn fix_refuses_a_file_that_changed_since_it_was_linted() {
    let (_tmp, plain, _) = both();
    let book = Book::load(&plain).unwrap();
    let ds = lint(&book);
    let page = plain.join("src/a.md");
    let edited = format!("{PAGE}\n另一个人刚加的一行。\n");
    std::fs::write(&page, &edited).unwrap();
    let err = fix::fix_files(&book, &ds).unwrap_err();
    assert!(
        matches!(&err, LintError::Source(SourceError::Changed { path }) if path.ends_with("a.md")),
        "{err}"
    );
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(std::fs::read_to_string(&page).unwrap(), edited);
}
