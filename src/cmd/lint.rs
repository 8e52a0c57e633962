//! `archmanual lint`: run every rule over the book and report the findings.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use archmanual_lint::config::Config;
use archmanual_lint::select::Selector;
use archmanual_lint::{Book, exit_code, fix, format, lint_configured};

/// Which rules report, ruff-style (shared by `lint` and `review`).
#[derive(Debug, Default, clap::Args)]
pub(crate) struct SelectArgs {
    /// Report only these codes or prefixes (comma-separated, repeatable): `ALL`, `AM`, `AM0`, `AM013`, `GH`, `GH002`, `PD005` … Replaces `select` of lint.toml.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    select: Vec<String>,
    /// Do not report these codes or prefixes (comma-separated, repeatable); the more specific of a select and an ignore wins, an ignore wins a tie. Adds to `ignore` of lint.toml.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    ignore: Vec<String>,
}

impl SelectArgs {
    /// `lint.toml` of the book at `root` with the command line applied.
    pub(crate) fn config(&self, root: &Path) -> anyhow::Result<Config> {
        let parse = |list: &[String]| -> anyhow::Result<Vec<Selector>> {
            list.iter()
                .filter(|s| !s.trim().is_empty())
                .map(|s| Selector::parse(s).map_err(anyhow::Error::from))
                .collect()
        };
        let select = parse(&self.select).context("--select")?;
        let ignore = parse(&self.ignore).context("--ignore")?;
        Ok(Config::load(root)?.with_cli(select, ignore))
    }
}

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
    #[command(flatten)]
    select: SelectArgs,
    #[command(flatten)]
    lang: LangArg,
}

/// `--lang` (shared by `lint` and `review`).
#[derive(Debug, Default, clap::Args)]
pub(crate) struct LangArg {
    /// Language of messages, help and fix lines: `zh` or `en`. Default: `[book] language` of book.toml (`zh`, `zh-CN`, `zh-TW` … → zh, anything else → en). JSON and SARIF keep English `message` and add the localised text.
    #[arg(long, value_parser = ["zh", "en"])]
    lang: Option<String>,
}

impl LangArg {
    /// The chosen language, else the book's.
    pub(crate) fn resolve(&self, root: &Path) -> archmanual_lint::i18n::Lang {
        use archmanual_lint::i18n::Lang;
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| Lang::of_book(root))
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let config = args.select.config(&args.book)?;
    let mut book = Book::load(&args.book)?;
    // `git rev-parse` (for the report's paths) runs while the rules do.
    let src_dir = book.src_dir.clone();
    let prefix = std::thread::spawn(move || src_prefix(&src_dir));
    let mut diagnostics = lint_configured(&book, &config);
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
            diagnostics = lint_configured(&book, &config);
        }
    }
    let format = format::by_name(&args.format).context("unknown format")?;
    // The files as read, SUMMARY.md included: what the findings point into.
    let sources = &book.files_read;
    let prefix = match prefix.join() {
        Ok(prefix) => prefix,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let color = args.format == "human" && super::color::enabled(&std::io::stdout());
    let report = format::Report {
        diagnostics: &diagnostics,
        sources,
        src_prefix: &prefix,
        color,
        lang: args.lang.resolve(&args.book),
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
            select: SelectArgs::default(),
            lang: LangArg::default(),
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
