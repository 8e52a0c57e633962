//! `archmanual lint`: run every rule over the book and report the findings.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use archmanual_lint::{Book, exit_code, fix, format, lint};

/// Arguments of `archmanual lint`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The book's root directory (where book.toml is).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Output format.
    #[arg(long, default_value = "human", value_parser = ["human", "json", "sarif", "github", "rdjson", "markdown"])]
    format: String,
    /// Apply the exact fixes (renamed repositories, http→https, known misspellings …) to the files, then report what is left.
    #[arg(long)]
    fix: bool,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let mut book = Book::load(&args.book)?;
    // `git rev-parse` (for the report's paths) runs while the rules do.
    let src_dir = book.src_dir.clone();
    let prefix = std::thread::spawn(move || src_prefix(&src_dir));
    let mut diagnostics = lint(&book);
    if args.fix {
        let summary = fix::fix_files(&book, &diagnostics)?;
        for (file, n) in &summary.files {
            eprintln!(
                "fixed {n} finding(s) in {}",
                book.src_dir.join(file).display()
            );
        }
        if summary.total() > 0 {
            book = Book::load(&args.book)?;
            diagnostics = lint(&book);
        }
    }
    let format = format::by_name(&args.format).context("unknown format")?;
    // The files as read, SUMMARY.md included: what the findings point into.
    let sources = &book.files_read;
    let prefix = match prefix.join() {
        Ok(prefix) => prefix,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let color = args.format == "human"
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let report = format::Report {
        diagnostics: &diagnostics,
        sources,
        src_prefix: &prefix,
        color,
    };
    let mut out = std::io::stdout().lock();
    match format.write(&report, &mut out).and_then(|()| out.flush()) {
        Ok(()) => {}
        // `archmanual lint | head` is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
        Err(e) => return Err(e).context("cannot write the report"),
    }
    let code = exit_code(&diagnostics);
    // The process ends right after this: freeing the parsed book (hundreds of
    // thousands of small allocations) would only cost time.
    std::mem::forget((book, diagnostics));
    Ok(code)
}

/// The book's source directory relative to the repository root (or, outside
/// git, to the current directory): machine formats name files from there.
pub(crate) fn src_prefix(src_dir: &Path) -> PathBuf {
    let Ok(abs) = src_dir.canonicalize() else {
        return src_dir.to_path_buf();
    };
    let base = archmanual_lint::diff::git_toplevel(&abs)
        .or_else(|| std::env::current_dir().ok())
        .and_then(|b| b.canonicalize().ok());
    match base {
        Some(b) => abs.strip_prefix(&b).map_or(abs.clone(), Path::to_path_buf),
        None => src_dir.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(book: &str, format: &str) -> Args {
        Args {
            book: Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("crates/lint/tests/fixtures")
                .join(book),
            format: format.into(),
            fix: false,
        }
    }

    #[test]
    fn exit_codes_follow_the_findings() {
        assert_eq!(run(args("clean", "json")).unwrap(), 0);
        assert_eq!(run(args("defects", "json")).unwrap(), 1);
        // Warnings alone do not fail: AM012 is a warning.
        assert_eq!(run(args("rules/am012", "github")).unwrap(), 0);
        // No book there: an error, which main turns into exit code 2.
        assert!(run(args("no-such-book", "json")).is_err());
    }

    #[test]
    fn src_prefix_is_relative_to_the_repository() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
        assert_eq!(src_prefix(&src), Path::new("book"));
    }
}
