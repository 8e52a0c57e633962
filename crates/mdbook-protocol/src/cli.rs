//! The `mdbook-protocol` command line: the kit's preprocessor command line
//! ([`archmanual_preprocessor_kit::cli`]) plus [`RENDER`]:
//!
//! - no arguments: the mdBook preprocessor (book JSON on stdin, book JSON on stdout);
//! - `supports RENDERER`: exit 0 when the renderer is supported, else 1;
//! - `render FILE... [--out-dir DIR]`: renders diagram files to SVG (`*.mmd`/`*.mermaid` as
//!   Mermaid, anything else as a protocol diagram), one file to stdout, several into `DIR`.
//!
//! The library writes only to the streams it is given; exit codes are 0 (clean), 1 (a diagram
//! has errors, or the renderer is not supported) and 2 (usage or internal error).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use archmanual_diagnostics::{Diagnostic, Location, Severity};
use archmanual_preprocessor_kit::{ArchPreprocessor, Subcommand};

use crate::{DiagramError, Dialect, Level, Protocol, render_source};

/// `mdbook-protocol render FILE... [--out-dir DIR]`, for [`archmanual_preprocessor_kit::main_with`].
pub const RENDER: Subcommand = Subcommand {
    name: "render",
    usage: RENDER_ARGS,
    run: render,
};

const RENDER_ARGS: &str = "FILE... [--out-dir DIR]";

/// Runs one invocation: `args` are the arguments after the program name. Returns the exit
/// code. Writing to `stdout`/`stderr` is best effort (a closed pipe is not an error here).
pub fn run(
    args: &[String],
    stdin: impl Read,
    stdout: &mut impl Write,
    stderr: &mut impl Write,
) -> u8 {
    archmanual_preprocessor_kit::cli::<Protocol>(args, &[RENDER], stdin, stdout, stderr)
}

/// `render FILE... [--out-dir DIR]` (`args` are the arguments after `render`).
pub fn render(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let (files, out_dir) = match render_args(args) {
        Ok(parsed) => parsed,
        Err(msg) => return usage(stderr, &msg),
    };
    if let Some(d) = &out_dir
        && let Err(e) = std::fs::create_dir_all(d)
    {
        let _ = writeln!(
            stderr,
            "mdbook-{}: cannot create {}: {e}",
            Protocol::NAME,
            d.display()
        );
        return 2;
    }
    let mut failed = false;
    for f in &files {
        match render_file(f) {
            Ok((svg, warnings)) => {
                for w in warnings {
                    let _ = writeln!(stderr, "{w}");
                }
                match &out_dir {
                    None => {
                        let _ = writeln!(stdout, "{svg}");
                    }
                    Some(d) => {
                        let stem = f
                            .file_stem()
                            .map_or_else(|| "diagram".into(), |s| s.to_string_lossy().into_owned());
                        let target = d.join(format!("{stem}.svg"));
                        if let Err(e) = std::fs::write(&target, format!("{svg}\n")) {
                            let _ = writeln!(
                                stderr,
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
                    let _ = writeln!(stderr, "{d}");
                }
            }
        }
    }
    u8::from(failed)
}

/// The input files and `--out-dir`, or what is wrong with the arguments.
fn render_args(args: &[String]) -> Result<(Vec<PathBuf>, Option<PathBuf>), String> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut out_dir: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--out-dir" {
            match it.next() {
                Some(d) => out_dir = Some(PathBuf::from(d)),
                None => return Err("--out-dir needs a directory".into()),
            }
        } else if let Some(d) = a.strip_prefix("--out-dir=") {
            out_dir = Some(PathBuf::from(d));
        } else if a.starts_with("--") {
            return Err(format!("unknown option {a}"));
        } else {
            files.push(PathBuf::from(a));
        }
    }
    if files.is_empty() {
        return Err("no input files".into());
    }
    if out_dir.is_none() && files.len() > 1 {
        return Err("several files need --out-dir DIR".into());
    }
    Ok((files, out_dir))
}

fn usage(stderr: &mut dyn Write, msg: &str) -> u8 {
    let name = Protocol::NAME;
    let _ = writeln!(
        stderr,
        "mdbook-{name}: {msg}\nusage: mdbook-{name} render {RENDER_ARGS}"
    );
    2
}

/// A diagram error located in a diagram file (line and column from the source).
fn diag(file: &Path, src: &str, e: &DiagramError) -> Diagnostic {
    let (line, column) = e.line_col(src);
    let sev = if e.level == Level::Error {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut d = Diagnostic::new(e.code, sev, file, e.message.clone()).at(Location {
        start: e.span.start,
        end: e.span.end,
        line,
        column,
        end_line: line,
        end_column: column,
    });
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
