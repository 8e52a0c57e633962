//! `archmanual build` against plain mdBook with command preprocessors.

use crate::support::{
    archmanual, fixture, html_files, main_of, run, without_search_attributes, workspace_bin,
};

/// Builds the fixture with mdBook's driver the way `mdbook build` does:
/// the `command` preprocessors of book.toml run as subprocesses.
fn build_with_commands(root: &std::path::Path, dest: &std::path::Path) {
    // Preprocessors are chosen when the book loads, so point the command at
    // the built binary in the config first (as `MDBOOK_PREPROCESSOR__…` would).
    let mut config =
        mdbook_driver::config::Config::from_disk(root.join("book.toml")).expect("config");
    config
        .set(
            "preprocessor.catalog.command",
            workspace_bin("mdbook-catalog").display().to_string(),
        )
        .expect("config set");
    config.build.build_dir = dest.to_path_buf();
    let md = mdbook_driver::MDBook::load_with_config(root, config).expect("book loads");
    md.build().expect("command build succeeds");
}

/// `archmanual build --book root --dest-dir dest`, which must succeed.
fn build_in_process(root: &std::path::Path, dest: &std::path::Path) {
    let out = run(archmanual()
        .args(["build", "--book"])
        .arg(root)
        .arg("--dest-dir")
        .arg(dest));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Both outputs have the same pages with the same chapter content.
fn assert_same_pages(a: &std::path::Path, b: &std::path::Path) {
    let pages = html_files(a);
    assert_eq!(pages, html_files(b), "both builds produce the same pages");
    assert!(pages.iter().any(|p| p.ends_with("backend/index.html")));
    for p in &pages {
        let ha = std::fs::read_to_string(a.join(p)).unwrap();
        let hb = std::fs::read_to_string(b.join(p)).unwrap();
        assert_eq!(
            without_search_attributes(main_of(&ha)),
            main_of(&hb),
            "chapter {} differs",
            p.display()
        );
    }
}

#[test]
fn in_process_build_matches_command_preprocessors() {
    let dir = fixture("catalog");
    let a = dir.path().join("in-process");
    let b = dir.path().join("commands");
    build_in_process(dir.path(), &a);
    build_with_commands(dir.path(), &b);
    assert_same_pages(&a, &b);
}

#[test]
fn mdbook_04_input_gets_a_clear_error() {
    let input = r#"[{"root":"/b","config":{"book":{"title":"T"}},"renderer":"html","mdbook_version":"0.4.52"},{"sections":[],"__non_exhaustive":null}]"#;
    let mut child = std::process::Command::new(workspace_bin("mdbook-catalog"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout, it belongs to mdBook"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("called by mdBook 0.4.52"), "{stderr}");
    assert!(stderr.contains(">=0.5.0, <0.6.0"), "{stderr}");
}

#[test]
fn unknown_catalog_settings_are_errors() {
    let dir = fixture("catalog");
    let toml = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace(
            "before = [\"links\"]",
            "before = [\"links\"]\nordr = \"name\"",
        ),
    )
    .unwrap();
    let out = run(archmanual().args(["build", "--book"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[preprocessor.catalog]") && stderr.contains("ordr"),
        "{stderr}"
    );
}

/// With a real mdBook 0.5 on PATH (`cargo install mdbook --version ^0.5`),
/// `mdbook build` gives the same pages as `archmanual build`. Without one
/// the comparison above (mdBook's own driver running the commands) stands in.
#[test]
fn real_mdbook_binary_matches_when_installed() {
    let Ok(out) = std::process::Command::new("mdbook")
        .arg("--version")
        .output()
    else {
        eprintln!("mdbook not on PATH; covered by in_process_build_matches_command_preprocessors");
        return;
    };
    let version = String::from_utf8_lossy(&out.stdout).to_string();
    if !version.contains(" v0.5.") {
        eprintln!("mdbook {version} is not 0.5.x; skipped");
        return;
    }
    let dir = fixture("catalog");
    let a = dir.path().join("in-process");
    let b = dir.path().join("mdbook");
    build_in_process(dir.path(), &a);
    let out = run(std::process::Command::new("mdbook")
        .arg("build")
        .arg(dir.path())
        .arg("--dest-dir")
        .arg(&b)
        .env(
            "MDBOOK_PREPROCESSOR__CATALOG__COMMAND",
            workspace_bin("mdbook-catalog"),
        ));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_pages(&a, &b);
}
