//! Every command reads a book the same way: one loader that never writes
//! into the book, `[preprocessor.*]` settings read once, and chapter files
//! that are not UTF-8 reported with their position.

use std::path::{Path, PathBuf};

use crate::support::{archmanual, run};

/// A book at `dir` with `book_toml` and `src/` files.
fn book(dir: &Path, book_toml: &str, files: &[(&str, &[u8])]) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("book.toml"), book_toml).unwrap();
    for (name, bytes) in files {
        let path = dir.join("src").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Every path under `dir`, sorted, with each file's bytes.
fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
                out.push((p, Vec::new()));
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

fn lint_json(root: &Path) -> (i32, serde_json::Value, String) {
    let out = run(archmanual()
        .args(["lint", "--format", "json", "--book"])
        .arg(root));
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn build(root: &Path, dest: &Path) -> (bool, String) {
    let out = run(archmanual()
        .args(["build", "--book"])
        .arg(root)
        .arg("--dest-dir")
        .arg(dest));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

const SUMMARY: &[u8] = "# Summary\n\n- [图](a.md)\n".as_bytes();

#[test]
fn mermaid_extensions_lint_and_build_agree() {
    // A protocol extension (`crash`) in a ```mermaid fence: allowed only
    // with `mermaid-extensions = true`.
    let page = "# 图\n\n```mermaid\nsequenceDiagram\n  participant C as 协调者\n  C ->> P1, P2: Prepare\n  crash C: 掉电\n```\n";
    for extensions in [true, false] {
        let tmp = tempfile::tempdir().unwrap();
        let toml = format!(
            "[book]\ntitle = \"t\"\n[build]\ncreate-missing = false\n[preprocessor.protocol]\non-error = \"fail\"\nmermaid-extensions = {extensions}\n"
        );
        book(
            tmp.path(),
            &toml,
            &[("SUMMARY.md", SUMMARY), ("a.md", page.as_bytes())],
        );
        let (_, json, stderr) = lint_json(tmp.path());
        let lint_pd005 = codes(&json).iter().any(|c| c == "PD005");
        let (built, build_err) = build(tmp.path(), &tmp.path().join("out"));
        assert_eq!(lint_pd005, !extensions, "lint: {json} {stderr}");
        assert_eq!(built, extensions, "build: {build_err}");
        if !built {
            assert!(build_err.contains("PD005"), "{build_err}");
        }
    }
}

#[test]
fn a_bad_github_key_fails_lint_and_build_with_the_same_message() {
    let tmp = tempfile::tempdir().unwrap();
    book(
        tmp.path(),
        "[book]\ntitle = \"t\"\n[preprocessor.github]\nmin-star = 5\n",
        &[("SUMMARY.md", SUMMARY), ("a.md", b"# A\n")],
    );
    let (code, _, lint_err) = lint_json(tmp.path());
    assert_eq!(code, 2, "{lint_err}");
    let (built, build_err) = build(tmp.path(), &tmp.path().join("out"));
    assert!(!built);
    let line = lint_err
        .lines()
        .find_map(|l| l.find("book.toml [preprocessor.github]").map(|i| &l[i..]))
        .unwrap_or_else(|| panic!("no config error in: {lint_err}"));
    assert!(line.contains("min-star"), "{line}");
    assert!(build_err.contains(line), "lint: {line}\nbuild: {build_err}");
}

#[test]
fn no_command_writes_into_a_book_whose_summary_names_a_missing_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("book");
    book(
        &root,
        // mdBook's default would create the file; the loader never does.
        "[book]\ntitle = \"t\"\n",
        &[
            (
                "SUMMARY.md",
                "# Summary\n\n- [A](a.md)\n- [Gone](gone/page.md)\n".as_bytes(),
            ),
            ("a.md", b"# A\n\nNo links here.\n"),
        ],
    );
    let before = listing(&root);
    let gone = root.join("src/gone/page.md");

    let (code, json, stderr) = lint_json(&root);
    assert_eq!(code, 1, "{stderr}");
    assert!(codes(&json).contains(&"AM018".to_string()), "{json}");
    assert_eq!(listing(&root), before, "lint wrote into the book");

    let out = run(archmanual()
        .args(["linkrot", "--book"])
        .arg(&root)
        .arg("--report-json")
        .arg(tmp.path().join("linkrot.json")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(listing(&root), before, "linkrot wrote into the book");

    let out = run(archmanual()
        .args(["refresh", "--no-token", "--quiet", "--book"])
        .arg(&root)
        .env_remove("GITHUB_TOKEN"));
    let _ = out.status;
    assert!(
        !gone.exists() && !gone.parent().unwrap().exists(),
        "refresh created the chapter"
    );

    let (built, err) = build(&root, &tmp.path().join("out"));
    assert!(!built);
    assert!(
        err.contains("SUMMARY.md:4:") && err.contains("gone/page.md"),
        "{err}"
    );
    assert_eq!(
        listing(&root).len(),
        before.len() + usize::from(root.join("src/github-repos.json").exists())
    );
    assert!(!gone.exists(), "build created the chapter");
}

#[test]
fn a_gbk_chapter_is_a_lint_finding_and_a_build_error_at_the_same_place() {
    // "# 标题\n\n分布式一致性与共识算法。\n" saved as GBK.
    let gbk: &[u8] = b"# \xb1\xea\xcc\xe2\n\n\xb7\xd6\xb2\xbc\xca\xbd\xd2\xbb\xd6\xc2\xd0\xd4\xd3\xeb\xb9\xb2\xca\xb6\xcb\xe3\xb7\xa8\xa1\xa3\n";
    let tmp = tempfile::tempdir().unwrap();
    book(
        tmp.path(),
        "[book]\ntitle = \"t\"\n",
        &[("SUMMARY.md", SUMMARY), ("a.md", gbk)],
    );
    let (code, json, stderr) = lint_json(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    let d = json["diagnostics"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["code"] == "AM014"))
        .unwrap_or_else(|| panic!("no AM014 in {json}"));
    assert_eq!(d["file"], "a.md", "{d}");
    let (line, column) = (&d["line"], &d["column"]);
    assert_eq!((line.as_u64(), column.as_u64()), (Some(1), Some(3)), "{d}");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("GBK"), "{message}");

    let (built, err) = build(tmp.path(), &tmp.path().join("out"));
    assert!(!built);
    assert!(err.contains("a.md:1:3:") && err.contains("GBK"), "{err}");
    assert_eq!(err.matches("not valid UTF-8").count(), 1, "{err}");
}
