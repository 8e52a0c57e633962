#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational; never fails anything.
    Note,
    /// Worth fixing; does not fail a build or lint run.
    Warning,
    /// Fails `archmanual lint` (exit 1) and, where configured, the build.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A byte range in a source file, with its 1-based line/column start and end.
///
/// Offsets index the file's text **after** a UTF-8 byte-order mark, the
/// text mdBook hands to preprocessors (`archmanual_model::SourceFile`); the
/// mark is not a column. Every tool means the same thing by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column (in characters) of `start`.
    pub column: usize,
    /// 1-based line of `end`.
    pub end_line: usize,
    /// 1-based column (in characters) of `end`.
    pub end_column: usize,
}

/// A span-exact edit: replace `start..end` of the file with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, e.g. "use https".
    pub message: String,
    /// Byte offset of the first byte to replace.
    pub start: usize,
    /// Byte offset one past the last byte to replace.
    pub end: usize,
    /// The new text.
    pub replacement: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// File relative to the book's source directory (`book/`), `/`-separated.
    pub file: PathBuf,
    /// Where in the file. `None` for findings about a whole file.
    pub location: Option<Location>,
    /// Stable code, e.g. `AM001`, `CAT001`, `GH003`, `PD010`.
    pub code: String,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it (shown as `help:`).
    pub help: Option<String>,
    /// An automatic fix, when one is exact.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with no location, help or fix yet.
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            location: None,
            code: code.into(),
            severity,
            message: message.into(),
            help: None,
            fix: None,
        }
    }

    /// Sets the location.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// `file:line:column` (or just `file`), for one-line messages.
    pub fn position(&self) -> String {
        match &self.location {
            Some(l) => format!("{}:{}:{}", self.file.display(), l.line, l.column),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: error[CODE]: message (help: …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.position(),
            self.severity,
            self.code,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// Where [`render_human`] finds the text of a file named in a diagnostic
/// (the text after any byte-order mark, which [`Location`] offsets index).
pub trait SourceProvider {
    /// The full text of `file` (relative to the book source root), if known.
    fn source(&self, file: &std::path::Path) -> Option<&str>;
}

impl SourceProvider for std::collections::HashMap<PathBuf, String> {
    fn source(&self, file: &std::path::Path) -> Option<&str> {
        self.get(file).map(String::as_str)
    }
}

/// Renders diagnostics rustc-style (source excerpt, caret, help) into `out`.
///
/// `color` turns ANSI colours on; pass `false` when the output is not a
/// terminal. Diagnostics whose file is unknown to `sources` are rendered
/// without an excerpt.
pub fn render_human(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceProvider,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    render_human_with(diagnostics, sources, color, &Labels::ENGLISH, out)
}

/// The words [`render_human_with`] puts before a finding's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// Before the position of a finding without a source excerpt (with
    /// its separator: `at `).
    pub at: &'static str,
    /// Before the help text.
    pub help: &'static str,
    /// Before the fix.
    pub fix: &'static str,
    /// Shown for an empty side of a fix (text deleted or inserted).
    pub nothing: &'static str,
    /// Between a label and its text (`: `, `：`).
    pub colon: &'static str,
}

impl Labels {
    /// `at`, `help`, `fix`.
    pub const ENGLISH: Labels = Labels {
        at: "at ",
        help: "help",
        fix: "fix",
        nothing: "(nothing)",
        colon: ": ",
    };
}

/// The fix line's text: what the fix replaces → the replacement, e.g.
/// `` `Kakfa` → `Kafka` ``; when one side is empty (a deletion or an
/// insertion), the fix's description first. Without the source: the
/// description (and the replacement unless the description names it).
pub fn fix_text(fix: &Fix, source: Option<&str>, labels: &Labels) -> String {
    let side = |s: &str| {
        if s.is_empty() {
            labels.nothing.to_string()
        } else {
            format!("`{}`", s.replace('\n', "⏎"))
        }
    };
    let after = side(&fix.replacement);
    match source.and_then(|s| s.get(fix.start..fix.end)) {
        Some(before) if !before.is_empty() && !fix.replacement.is_empty() => {
            format!("{} → {after}", side(before))
        }
        Some(before) => format!("{}{}{} → {after}", fix.message, labels.colon, side(before)),
        None if fix.message.contains(&format!("`{}`", fix.replacement)) => fix.message.clone(),
        None => format!("{} → {after}", fix.message),
    }
}

/// [`render_human`] with the notes' labels in another language (the
/// diagnostics' own text is shown as it is).
pub fn render_human_with(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceProvider,
    color: bool,
    labels: &Labels,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label, Severity as CsSev};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term::{self, Config};

    let mut files = SimpleFiles::new();
    let config = Config::default();
    for d in diagnostics {
        let sev = match d.severity {
            Severity::Note => CsSev::Note,
            Severity::Warning => CsSev::Warning,
            Severity::Error => CsSev::Error,
        };
        let mut cs = CsDiag::new(sev)
            .with_code(d.code.clone())
            .with_message(d.message.clone());
        let mut notes = Vec::new();
        match (&d.location, sources.source(&d.file)) {
            (Some(loc), Some(text)) if loc.end <= text.len() && loc.start <= loc.end => {
                let id = files.add(d.file.display().to_string(), text.to_string());
                cs = cs.with_labels(vec![Label::primary(id, loc.start..loc.end)]);
            }
            _ => notes.push(format!("{}{}", labels.at, d.position())),
        }
        if let Some(help) = &d.help {
            notes.push(format!("{}{}{help}", labels.help, labels.colon));
        }
        if let Some(fix) = &d.fix {
            let text = fix_text(fix, sources.source(&d.file), labels);
            notes.push(format!("{}{}{text}", labels.fix, labels.colon));
        }
        cs = cs.with_notes(notes);
        let result = if color {
            let mut ansi = term::termcolor::Ansi::new(&mut *out);
            term::emit_to_write_style(&mut ansi, &config, &files, &cs)
        } else {
            term::emit_to_io_write(&mut *out, &config, &files, &cs)
        };
        result.map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// Counts of each severity, for summaries and exit codes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notes.
    pub notes: usize,
}

impl Counts {
    /// Counts `diagnostics` by severity.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut c = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Note => c.notes += 1,
            }
        }
        c
    }
}

/// Where a library that has no terminal (a preprocessor running inside
/// mdBook) leaves its warnings; the binary that owns stderr drains and prints
/// them. Cloning shares the same list.
#[derive(Debug, Clone, Default)]
pub struct DiagnosticSink(std::sync::Arc<std::sync::Mutex<Vec<Diagnostic>>>);

impl DiagnosticSink {
    /// Adds a diagnostic.
    pub fn push(&self, d: Diagnostic) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(d);
    }

    /// Adds many.
    pub fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(ds);
    }

    /// Takes everything collected so far.
    pub fn drain(&self) -> Vec<Diagnostic> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

/// An error and its causes, outermost first, joined by `": "` — what anyhow's
/// `{:#}` prints. Our error types keep their cause as `source()` rather than
/// in their own text, so whatever prints one for a user goes through this
/// (or anyhow) to show the reason, file, line and column the cause carries.
#[derive(Clone, Copy)]
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

impl fmt::Debug for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod error_chain_tests {
    use super::ErrorChain;

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("cannot read a.json")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn prints_every_cause_once_outermost_first() {
        let e = Outer(std::io::Error::new(std::io::ErrorKind::NotFound, "gone"));
        assert_eq!(ErrorChain(&e).to_string(), "cannot read a.json: gone");
        let io = std::io::Error::other("alone");
        assert_eq!(ErrorChain(&io).to_string(), "alone");
    }
}

#[cfg(test)]
mod fix_line_tests {
    use super::{Fix, Labels, fix_text};

    fn fix(message: &str, start: usize, end: usize, replacement: &str) -> Fix {
        Fix {
            message: message.into(),
            start,
            end,
            replacement: replacement.into(),
        }
    }

    #[test]
    fn the_fix_line_shows_what_is_replaced() {
        let src = "见 Kakfa 与 http://a.example。";
        let kafka = fix("write `Kafka`", 4, 9, "Kafka");
        assert_eq!(
            fix_text(&kafka, Some(src), &Labels::ENGLISH),
            "`Kakfa` → `Kafka`"
        );
        let https = fix("use https://", 14, 21, "https://");
        assert_eq!(
            fix_text(&https, Some(src), &Labels::ENGLISH),
            "`http://` → `https://`"
        );
        let space = fix("remove the space", 3, 4, "");
        assert_eq!(
            fix_text(&space, Some(src), &Labels::ENGLISH),
            "remove the space: ` ` → (nothing)"
        );
        // Without the source there is no "before".
        assert_eq!(fix_text(&kafka, None, &Labels::ENGLISH), "write `Kafka`");
        assert_eq!(
            fix_text(&https, None, &Labels::ENGLISH),
            "use https:// → `https://`"
        );
    }
}
