//! The `mdbook-search` binary's contract with mdBook and with a user who
//! runs it by hand: exit codes and what it says. (This file also makes
//! `cargo test --workspace` build the binary, which the root testsuite runs
//! through plain `mdbook build`.)

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-search"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mdbook-search");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn help_exits_0_and_says_how_to_enable_it() {
    let out = run(&["--help"], "");
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.contains("[output.search]"), "{err}");
    assert!(out.stdout.is_empty(), "a renderer keeps stdout empty");
}

#[test]
fn an_unknown_argument_is_a_usage_error() {
    let out = run(&["supports", "html"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("usage: mdbook-search"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn input_that_is_not_a_render_context_says_who_runs_it() {
    let out = run(&[], "not json");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("mdbook-search: error: standard input is not an mdBook render context"),
        "{err}"
    );
    assert!(err.contains("run by `mdbook build`"), "{err}");
    // serde's reason and position come last.
    assert!(
        err.ends_with("not by hand: expected ident at line 1 column 2\n"),
        "{err}"
    );
}

#[test]
fn a_0_5_context_that_does_not_parse_says_why() {
    let out = run(&[], r#"{"version": "0.5.4", "root": 7}"#);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("mdbook-search: error: standard input is not an mdBook render context;"),
        "{err}"
    );
    assert!(err.contains(": invalid type: integer `7`"), "{err}");
}

#[test]
fn an_unreadable_book_names_the_file_and_the_reason() {
    // A render context whose HTML output directory does not exist.
    let dir = std::env::temp_dir().join(format!("mdbook-search-cli-{}", std::process::id()));
    let context = serde_json::json!({
        "version": "0.5.4",
        "root": dir,
        "book": {"items": []},
        "config": {"book": {"title": "T"}, "output": {"html": {}, "search": {}}},
        "destination": dir.join("book/search"),
    });
    let out = run(&[], &context.to_string());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no HTML book in "), "{err}");
    assert!(err.contains("No such file or directory"), "{err}");
}

#[test]
fn a_context_without_version_is_refused() {
    let out = run(&[], r#"{"root": "/tmp"}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no `version` field"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn mdbook_0_4_gets_the_install_command_for_0_5() {
    let out = run(&[], r#"{"version": "0.4.52", "root": "/tmp", "book": {}}"#);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("this is mdBook 0.4.52"), "{err}");
    assert!(
        err.contains("cargo install mdbook --version ^0.5 --locked"),
        "{err}"
    );
}
