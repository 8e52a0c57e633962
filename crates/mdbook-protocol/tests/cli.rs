//! The command line as a library call (`mdbook_protocol::cli::run`): what goes to which
//! stream, and the exit codes. `tests/preprocessor.rs` runs the real binary.

use mdbook_protocol::cli;

/// Runs the CLI with `args`; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run(&args, std::io::empty(), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn help_goes_to_stdout() {
    let (code, out, err) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("mdbook-protocol render FILE..."), "{out}");
    assert!(err.is_empty());
}

#[test]
fn usage_errors_say_what_is_wrong_and_exit_2() {
    for (args, says) in [
        (&["render"][..], "no input files"),
        (
            &["render", "a.mmd", "b.mmd"][..],
            "several files need --out-dir",
        ),
        (&["render", "--out-dir"][..], "--out-dir needs a directory"),
        (
            &["render", "--bogus", "a.mmd"][..],
            "unknown option --bogus",
        ),
        (&["bogus", "x", "y"][..], "usage: mdbook-protocol"),
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn render_writes_the_svg_to_stdout_and_problems_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("ok.protocol");
    std::fs::write(
        &good,
        "sequenceDiagram\n  A ->> B: hi\n  A ->> B: x @{lost}\n",
    )
    .unwrap();
    let (code, out, err) = run(&["render", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("<svg") && out.ends_with("</svg>\n"),
        "{out}"
    );
    assert!(err.is_empty(), "{err}");

    let missing = dir.path().join("missing.protocol");
    let (code, out, err) = run(&["render", missing.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("PD000") && err.contains("cannot read the file"),
        "{err}"
    );
}

#[test]
fn supports_answers_with_the_exit_code() {
    assert_eq!(run(&["supports", "html"]).0, 0);
    assert_eq!(run(&["supports", "epub"]).0, 1);
}
