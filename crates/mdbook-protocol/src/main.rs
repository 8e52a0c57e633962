#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "binary owns the terminal"
)]
//! `mdbook-protocol`: mdBook preprocessor (no arguments / `supports R`) and `render` CLI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use archmanual_diagnostics::{Diagnostic, Severity};
use mdbook_protocol::{Dialect, ProtocolPreprocessor, render_source};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("render") {
        return render_cmd(&args[1..]);
    }
    if matches!(args.first().map(String::as_str), Some("-h" | "--help")) {
        println!(
            "usage: mdbook-protocol [supports <renderer>]   (mdBook preprocessor: JSON on stdin)\n       mdbook-protocol render FILE... [--out-dir DIR]"
        );
        return ExitCode::SUCCESS;
    }
    let pre = ProtocolPreprocessor::new();
    let result = archmanual_preprocessor_kit::run(
        &pre,
        &args,
        std::io::stdin().lock(),
        std::io::stdout().lock(),
    );
    for d in pre.take_diagnostics() {
        eprintln!("{d}");
    }
    match result {
        Ok(
            archmanual_preprocessor_kit::Outcome::Supports(true)
            | archmanual_preprocessor_kit::Outcome::Processed,
        ) => ExitCode::SUCCESS,
        Ok(archmanual_preprocessor_kit::Outcome::Supports(false)) => ExitCode::from(1),
        Err(archmanual_preprocessor_kit::KitError::Usage(u)) => {
            eprintln!("usage: {u}\n       mdbook-protocol render FILE... [--out-dir DIR]");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("mdbook-protocol: {e}");
            ExitCode::from(2)
        }
    }
}

fn render_cmd(args: &[String]) -> ExitCode {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut out_dir: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--out-dir" {
            match it.next() {
                Some(d) => out_dir = Some(PathBuf::from(d)),
                None => return usage("--out-dir needs a directory"),
            }
        } else if let Some(d) = a.strip_prefix("--out-dir=") {
            out_dir = Some(PathBuf::from(d));
        } else if a.starts_with("--") {
            return usage(&format!("unknown option {a}"));
        } else {
            files.push(PathBuf::from(a));
        }
    }
    if files.is_empty() {
        return usage("no input files");
    }
    if out_dir.is_none() && files.len() > 1 {
        return usage("several files need --out-dir DIR");
    }
    if let Some(d) = &out_dir
        && let Err(e) = std::fs::create_dir_all(d)
    {
        eprintln!("mdbook-protocol: cannot create {}: {e}", d.display());
        return ExitCode::from(2);
    }
    let mut failed = false;
    for f in &files {
        match render_file(f) {
            Ok((svg, warnings)) => {
                for w in warnings {
                    eprintln!("{w}");
                }
                match &out_dir {
                    None => println!("{svg}"),
                    Some(d) => {
                        let stem = f
                            .file_stem()
                            .map_or_else(|| "diagram".into(), |s| s.to_string_lossy().into_owned());
                        let target = d.join(format!("{stem}.svg"));
                        if let Err(e) = std::fs::write(&target, format!("{svg}\n")) {
                            eprintln!(
                                "{}: error: cannot write {}: {e}",
                                f.display(),
                                target.display()
                            );
                            failed = true;
                        }
                    }
                }
            }
            Err(diags) => {
                failed = true;
                for d in diags {
                    eprintln!("{d}");
                }
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("mdbook-protocol: {msg}\nusage: mdbook-protocol render FILE... [--out-dir DIR]");
    ExitCode::from(2)
}

fn diag(file: &Path, src: &str, e: &mdbook_protocol::DiagramError) -> Diagnostic {
    let (line, column) = e.line_col(src);
    let sev = if e.level == mdbook_protocol::Level::Error {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut d = Diagnostic::new(e.code, sev, file, e.message.clone()).at(
        archmanual_diagnostics::Location {
            start: e.span.start,
            end: e.span.end,
            line,
            column,
            end_line: line,
            end_column: column,
        },
    );
    if let Some(h) = &e.help {
        d = d.with_help(h.clone());
    }
    d
}

fn render_file(f: &Path) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let src = std::fs::read_to_string(f).map_err(|e| {
        vec![Diagnostic::new(
            "PD000",
            Severity::Error,
            f,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let dialect = match f.extension().and_then(|e| e.to_str()) {
        Some("mmd" | "mermaid") => Dialect::Mermaid,
        _ => Dialect::Protocol,
    };
    let seed = f.to_string_lossy();
    match render_source(&src, dialect, &seed) {
        Ok(r) => Ok((r.svg, r.warnings.iter().map(|w| diag(f, &src, w)).collect())),
        Err(errs) => Err(errs.iter().map(|e| diag(f, &src, e)).collect()),
    }
}
