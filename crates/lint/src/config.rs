//! `lint.toml`: which rules run, per book and per file.
//!
//! mdBook 0.5 rejects unknown top-level tables in `book.toml`, and a
//! `[preprocessor.lint]` table would make mdBook run a command, so lint's
//! settings live in their own optional file next to `book.toml` (like
//! `linkrot.toml`):
//!
//! ```toml
//! select = ["ALL"]                 # codes or prefixes; default ALL
//! ignore = ["AM020", "GH001"]      # more specific selectors win, ignore wins a tie
//!
//! [per-file-ignores]               # glob relative to the book's src = codes or prefixes
//! "changelog/**" = ["AM013"]
//! "diagrams.md" = ["PD"]           # a pattern without `/` matches the file name anywhere
//! ```
//!
//! Command-line selectors combine with the file the way ruff's do: with
//! `--select`, the command line's `--select`/`--ignore` replace the file's
//! `select`/`ignore`; `--ignore` alone turns codes off on top of the file.
//! Per-file ignores apply last and always win.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::select::{Selection, Selector};

/// The configuration file's name, looked up in the book root.
pub const CONFIG_FILE: &str = "lint.toml";

/// `lint.toml` is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}; {help}")]
pub struct LintConfigError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub help: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Vec<Spanned<String>>,
    per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// Lint settings: the selection plus per-file ignores.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Which codes are on for the whole book.
    pub selection: Selection,
    per_file: Vec<PerFile>,
}

#[derive(Debug, Clone)]
struct PerFile {
    pattern: String,
    matcher: globset::GlobMatcher,
    /// A pattern without `/` matches the file name in any directory.
    name_only: bool,
    ignore: Vec<Selector>,
}

impl Config {
    /// Reads `lint.toml` from the book root; the defaults (every rule, no
    /// per-file ignores) when it does not exist.
    pub fn load(book_root: &Path) -> Result<Config, crate::LintError> {
        let path = book_root.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Config::parse(&text, &path)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(source) => Err(crate::LintError::Io { path, source }),
        }
    }

    /// Parses the TOML text of `path` (named in errors).
    pub fn parse(text: &str, path: &Path) -> Result<Config, LintConfigError> {
        let error = |span: std::ops::Range<usize>, message: String, help: String| {
            let (line, column) = line_col(text, span.start);
            LintConfigError {
                path: path.to_path_buf(),
                line,
                column,
                message,
                help,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().replace('\n', " ");
            let help = if message.contains("unknown field") {
                "lint.toml takes `select = [codes]`, `ignore = [codes]` and a `[per-file-ignores]` table".to_string()
            } else {
                "see the lint.toml example in crates/lint/README.md".to_string()
            };
            error(e.span().unwrap_or(0..0), message, help)
        })?;
        let selectors = |list: &[Spanned<String>]| -> Result<Vec<Selector>, LintConfigError> {
            list.iter()
                .map(|s| {
                    Selector::parse(s.get_ref()).map_err(|e| {
                        error(
                            s.span(),
                            format!("unknown rule code or prefix `{}`", e.given),
                            crate::select::valid_help(),
                        )
                    })
                })
                .collect()
        };
        let mut config = Config::default();
        if let Some(select) = &raw.select {
            config.selection.select = selectors(select)?;
        }
        config.selection.ignore = selectors(&raw.ignore)?;
        for (pattern, codes) in &raw.per_file_ignores {
            let p = pattern.get_ref();
            let matcher = globset::GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    error(
                        pattern.span(),
                        format!("invalid glob `{p}`: {}", e.kind()),
                        "write a glob relative to the book's src, such as \"changelog/**\" or \"*.md\"".into(),
                    )
                })?
                .compile_matcher();
            config.per_file.push(PerFile {
                pattern: p.clone(),
                matcher,
                name_only: !p.contains('/'),
                ignore: selectors(codes)?,
            });
        }
        Ok(config)
    }

    /// Applies the command line like ruff: with `--select`, the command
    /// line's `--select` and `--ignore` replace the file's `select` and
    /// `ignore`; with only `--ignore`, its codes are turned off on top of
    /// what the file selects. Per-file ignores stay.
    pub fn with_cli(mut self, select: Vec<Selector>, ignore: Vec<Selector>) -> Config {
        if select.is_empty() {
            self.selection.ignore_after.extend(ignore);
        } else {
            self.selection = Selection {
                select,
                ignore,
                ignore_after: Vec::new(),
            };
        }
        self
    }

    /// True if `code` is reported in `file` (relative to the book's src).
    pub fn enabled(&self, code: &str, file: &Path) -> bool {
        self.selection.enabled(code) && self.file_ignore(code, file).is_none()
    }

    /// The per-file-ignores pattern that turns `code` off in `file`, if any.
    pub fn file_ignore(&self, code: &str, file: &Path) -> Option<&str> {
        self.per_file
            .iter()
            .find(|p| {
                let hit = p.matcher.is_match(file)
                    || (p.name_only && file.file_name().is_some_and(|n| p.matcher.is_match(n)));
                hit && p.ignore.iter().any(|s| s.matches(code))
            })
            .map(|p| p.pattern.as_str())
    }

    /// True if every code lint knows is on in `file`.
    pub fn everything_enabled(&self, file: &Path) -> bool {
        crate::codes::all().all(|c| self.enabled(c, file))
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, LintConfigError> {
        Config::parse(text, Path::new("book/lint.toml"))
    }

    #[test]
    fn reads_select_ignore_and_per_file_ignores() {
        let c = parse(
            "select = [\"AM\"]\nignore = [\"am013\"]\n[per-file-ignores]\n\"notes/**\" = [\"AM005\", \"PD\"]\n\"index.md\" = [\"AM020\"]\n",
        )
        .unwrap();
        assert!(c.enabled("AM012", Path::new("a.md")));
        assert!(!c.enabled("AM013", Path::new("a.md")));
        assert!(!c.enabled("AM005", Path::new("notes/x/y.md")));
        assert!(!c.enabled("PD005", Path::new("notes/y.md")));
        assert!(c.enabled("AM005", Path::new("other/notes/y.md")));
        // No `/`: the file name in any directory.
        assert!(!c.enabled("AM020", Path::new("a/b/index.md")));
        assert_eq!(
            c.file_ignore("AM020", Path::new("index.md")),
            Some("index.md")
        );
        // `--ignore` alone turns codes off on top of the file.
        let s = |v: &str| vec![Selector::parse(v).unwrap()];
        let ignored = c.clone().with_cli(vec![], s("AM012"));
        assert!(!ignored.enabled("AM012", Path::new("a.md")));
        assert!(!ignored.enabled("AM013", Path::new("a.md")));
        assert!(ignored.enabled("AM001", Path::new("a.md")));
        // `--select` starts over: the file's ignore of AM013 is gone,
        // per-file ignores stay.
        let c = c.with_cli(s("AM013"), s("AM012"));
        assert!(c.enabled("AM013", Path::new("a.md")));
        assert!(!c.enabled("AM012", Path::new("a.md")));
        assert!(!c.enabled("AM001", Path::new("a.md")));
        let c = c.with_cli(s("AM005"), vec![]);
        assert!(!c.enabled("AM005", Path::new("notes/y.md")));
    }

    #[test]
    fn errors_name_line_column_and_what_to_write() {
        let e = parse("select = [\"AM\"]\nignor = [\"AM013\"]\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        let msg = e.to_string();
        assert!(
            msg.starts_with("book/lint.toml:2:1: unknown field `ignor`"),
            "{msg}"
        );
        assert!(msg.contains("a `[per-file-ignores]` table"), "{msg}");

        let e = parse("[per-file-ignores]\n\"a.md\" = [\"AM013\", \"XY1\"]\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 20), "{e}");
        assert!(
            e.to_string()
                .contains("unknown rule code or prefix `XY1`; write ALL"),
            "{e}"
        );

        let e = parse("[per-file-ignores]\n\"a[.md\" = [\"AM013\"]\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.to_string().contains("invalid glob `a[.md`"), "{e}");
    }
}
