//! `archmanual lint --select/--ignore`, `lint.toml` and inline suppression,
//! through the binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use archmanual_test_support::{copy_dir, copy_fixture};

use crate::support::{archmanual, run};

fn lint_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/lint/tests/fixtures")
        .join(name)
}

fn lint(book: &Path, args: &[&str]) -> Output {
    run(archmanual()
        .arg("lint")
        .arg("--book")
        .arg(book)
        .args(["--format", "json"])
        .args(args))
}

/// `file:line severity[code]` per finding, from the JSON output.
fn listing(out: &Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let mut s = String::new();
    for d in v["diagnostics"].as_array().unwrap() {
        s.push_str(&format!(
            "{}:{} {}[{}]\n",
            d["file"].as_str().unwrap(),
            d["line"],
            d["severity"].as_str().unwrap(),
            d["code"].as_str().unwrap()
        ));
    }
    s
}

#[test]
fn select_and_ignore_codes_and_prefixes() {
    let book = lint_fixture("defects");
    // Comma-separated and repeatable; GH003 is more specific than GH.
    let out = lint(
        &book,
        &[
            "--select", "AM013,GH", "--select", "am012", "--ignore", "GH003",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("lint_select_am013_gh_am012_ignore_gh003", listing(&out));

    // The more specific selector wins: everything AM0 but AM013 …
    let out = lint(&book, &["--select", "AM013", "--ignore", "AM0"]);
    assert_eq!(listing(&out), "mq/index.md:13 warning[AM013]\n");
    // … and `--select AM --ignore AM013` keeps every other AM code.
    let out = lint(&book, &["--select", "AM", "--ignore", "AM013,AM01,GH"]);
    let l = listing(&out);
    assert!(
        !l.contains("[AM01") && !l.contains("[GH") && l.contains("[AM005]"),
        "{l}"
    );
    assert!(l.contains("[AM002]") && l.contains("[AM020]"), "{l}");
    // The suppression of AM012 cannot be judged with AM012 off.
    assert!(!l.contains("[AM021]"), "{l}");
}

#[test]
fn a_delegated_code_alone() {
    let book = lint_fixture("rules/am019");
    let out = lint(&book, &["--select", "PD005"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(listing(&out), "index.md:17 error[PD005]\n");
    let out = lint(&book, &["--ignore", "PD005"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(listing(&out), "");

    let book = lint_fixture("rules/am017");
    let out = lint(&book, &["--select", "GH004"]);
    assert_eq!(out.status.code(), Some(0), "GH004 is a warning");
    let l = listing(&out);
    assert!(
        !l.is_empty() && l.lines().all(|l| l.ends_with("warning[GH004]")),
        "{l}"
    );
}

#[test]
fn an_unknown_code_is_a_usage_error() {
    let out = lint(&lint_fixture("clean"), &["--select", "AM013,AM999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!(
        "lint_unknown_code_stderr",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = lint(&lint_fixture("clean"), &["--ignore", "GH1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`GH1`"));
}

#[test]
fn lint_toml_per_file_ignores_and_errors() {
    let dir = copy_fixture(&lint_fixture("defects"));
    std::fs::write(
        dir.path().join("lint.toml"),
        "# The GitHub checks are for the catalog pages only.\nignore = [\"AM020\"]\n\n[per-file-ignores]\n\"mq/*.md\" = [\"AM013\", \"GH\"]\n\"README.md\" = [\"AM0\"]\n",
    )
    .unwrap();
    let out = lint(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("lint_toml_per_file_ignores", listing(&out));
    // `--select` replaces the file's select and ignore; per-file ignores stay.
    let out = lint(dir.path(), &["--select", "AM013,AM020"]);
    assert_eq!(listing(&out), "mq/index.md:18 warning[AM020]\n");

    std::fs::write(
        dir.path().join("lint.toml"),
        "select = [\"AM\"]\n\n[per-file-ignores]\n\"mq/*.md\" = [\"AM013\", \"GH01\"]\n",
    )
    .unwrap();
    let out = lint(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr =
        String::from_utf8_lossy(&out.stderr).replace(&*dir.path().to_string_lossy(), "[BOOK]");
    insta::assert_snapshot!("lint_toml_unknown_code_stderr", stderr);

    std::fs::write(dir.path().join("lint.toml"), "selct = [\"AM\"]\n").unwrap();
    let out = lint(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr =
        String::from_utf8_lossy(&out.stderr).replace(&*dir.path().to_string_lossy(), "[BOOK]");
    insta::assert_snapshot!("lint_toml_unknown_key_stderr", stderr);
}

#[test]
fn inline_suppression_and_unused_suppressions() {
    let out = lint(&lint_fixture("rules/am021"), &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("lint_inline_suppression", listing(&out));
    // With AM006 off, the suppressions of AM006 cannot be judged: not reported.
    let out = lint(&lint_fixture("rules/am021"), &["--ignore", "AM006"]);
    let l = listing(&out);
    assert!(!l.contains("index.md:17 "), "{l}");
    assert!(l.contains("index.md:23 warning[AM021]"), "{l}");
}

#[test]
fn review_takes_the_same_selectors() {
    let out = run(archmanual().args(["review", "--help"]));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--select <CODES>") && help.contains("--ignore <CODES>"),
        "{help}"
    );
}

#[test]
fn messages_follow_the_book_language_and_lang_overrides_it() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_dir(&lint_fixture("rules/am013"), &book);
    let toml = book.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("[book]\n", "[book]\nlanguage = \"zh-CN\"\n"),
    )
    .unwrap();
    let human = |args: &[&str]| {
        let out = run(archmanual().arg("lint").arg("--book").arg(&book).args(args));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // zh-CN in book.toml: Chinese message, help and fix line.
    let zh = human(&["--select", "AM013"]);
    assert!(zh.contains("`Logstack` 像是 `Logstash` 的笔误"), "{zh}");
    assert!(zh.contains("建议：请写成 `Logstash`"), "{zh}");
    assert!(zh.contains("修复：`Logstack` → `Logstash`"), "{zh}");
    assert!(!zh.contains("looks like"), "{zh}");
    // `--lang en` gives the rules' English.
    let en = human(&["--select", "AM013", "--lang", "en"]);
    assert!(
        en.contains("`Logstack` looks like a misspelling of `Logstash`"),
        "{en}"
    );
    assert!(en.contains("fix: `Logstack` → `Logstash`"), "{en}");
    assert!(!en.contains("笔误"), "{en}");
    // JSON keeps English `message` and adds the book's language beside it.
    let json = human(&["--select", "AM013", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = &v["diagnostics"][0];
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("looks like a misspelling"),
        "{d}"
    );
    assert!(
        d["message_localized"].as_str().unwrap().contains("笔误"),
        "{d}"
    );
}
