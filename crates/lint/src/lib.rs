#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod codes;
pub mod config;
pub mod diff;
pub mod docs;
pub mod fix;
pub mod format;
pub mod i18n;
pub mod review;
mod rules;
pub mod select;
mod suppress;
mod text;

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

pub use archmanual_diagnostics::{Diagnostic, Fix, Location, Severity};
use archmanual_github_snapshot::Snapshot;
use archmanual_model::{
    BookModel, ChapterModel, ChapterProblem, EncodingError, LoadedBook, ParseOptions, Sources, Span,
};
use archmanual_preprocessor_kit::ArchPreprocessor;
use mdbook_github::Github;
use mdbook_protocol::Protocol;

/// Errors of the lint library (the findings themselves are [`Diagnostic`]s).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    /// mdBook could not load the book (book.toml, SUMMARY.md or a chapter file).
    #[error(
        "cannot load the book at {root} (run `archmanual lint --book DIR` with the directory that holds book.toml)"
    )]
    Load {
        /// The book root that was tried.
        root: PathBuf,
        /// Why: book.toml, SUMMARY.md or a chapter, with file and position.
        source: archmanual_model::LoadError,
    },
    /// A `[preprocessor.*]` table of book.toml is invalid (the build fails
    /// with the same message).
    #[error(transparent)]
    Config(#[from] archmanual_model::PreprocessorConfigError),
    /// A file changed on disk between reading and `--fix` writing it.
    #[error(transparent)]
    Source(#[from] archmanual_model::SourceError),
    /// `lint.toml` is invalid (the error names its line and column).
    #[error(transparent)]
    LintConfig(#[from] config::LintConfigError),
    /// The GitHub snapshot exists but cannot be read.
    #[error(transparent)]
    Snapshot(#[from] archmanual_github_snapshot::SnapshotError),
    /// Reading a file failed.
    #[error("{path}: cannot read")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// What a rule is: its stable code, kebab-case name, default severity and
/// documentation (the rule's doc comment, which is also the user's manual).
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `AM001`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `missing-file`.
    pub name: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// The rule's doc comment (Markdown, Chinese; its first line is the summary).
    pub doc: &'static str,
}

impl RuleMeta {
    /// The doc comment with the one leading space of each `///` line removed.
    pub fn doc_text(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }

    /// The first line of the documentation.
    pub fn summary(&self) -> String {
        self.doc_text().lines().next().unwrap_or("").to_string()
    }
}

/// A lint rule. Implementations live in `src/rules/`, one file each, and are
/// registered with one line in `rules::RULES`.
pub trait Rule: Sync {
    /// The rule's code, name, severity and docs.
    fn meta(&self) -> &'static RuleMeta;
    /// Reports the rule's findings about `cx.book` into `out`.
    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>);
}

/// Every registered rule, in code order.
pub fn rules() -> &'static [&'static dyn Rule] {
    rules::RULES
}

/// The rule with `code` (e.g. `AM005`), if any.
pub fn rule(code: &str) -> Option<&'static dyn Rule> {
    rules::RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code))
}

/// The rule that reports `code`: the rule itself, or for codes of the
/// checks rules delegate to, AM017 (`GHnnn`, mdbook-github) and AM019
/// (`PDnnn`, mdbook-protocol).
pub fn parent_rule(code: &str) -> Option<&'static dyn Rule> {
    rule(code).or_else(|| {
        if code.starts_with("GH") {
            rule("AM017")
        } else if code.starts_with("PD") {
            rule("AM019")
        } else {
            None
        }
    })
}

/// A loaded book: the model of every chapter plus what rules need from disk.
#[derive(Debug)]
pub struct Book {
    /// The book's root (where book.toml is).
    pub root: PathBuf,
    /// The source directory (`book.src`), absolute or relative to the cwd.
    pub src_dir: PathBuf,
    /// Every chapter, parsed once.
    pub model: BookModel,
    /// The GitHub snapshot (`<src>/github-repos.json` unless book.toml says otherwise), when present.
    pub snapshot: Option<Snapshot>,
    /// Every file under the source directory, relative to it, `/`-separated.
    pub files: FxHashSet<PathBuf>,
    /// The text of SUMMARY.md (empty when the book was built from a model).
    pub summary: String,
    /// SUMMARY.md parsed (for the positions of its links), when loaded from disk.
    pub summary_doc: Option<archmanual_model::Document>,
    /// Chapter files SUMMARY.md lists that do not exist (they load as empty chapters).
    pub missing_chapters: Vec<PathBuf>,
    /// How the chapters were parsed (from `[output.html]`).
    pub options: ParseOptions,
    /// `[preprocessor.github]` of book.toml, as the build reads it.
    pub github: mdbook_github::GithubConfig,
    /// `[preprocessor.protocol]` of book.toml, as the build reads it.
    pub protocol: mdbook_protocol::Config,
    /// Chapter files that are not UTF-8 (they load as empty chapters).
    pub encoding_errors: Vec<EncodingError>,
    /// Every file read (chapters and SUMMARY.md), for excerpts and `--fix`.
    pub files_read: Sources,
}

impl Book {
    /// Loads the book at `root` from disk with the one loader every tool
    /// uses ([`LoadedBook`]), as mdBook sees it before any preprocessor runs
    /// (so positions are positions in the source files). Nothing is written.
    pub fn load(root: &Path) -> Result<Book, LintError> {
        let loaded = LoadedBook::load(root).map_err(|source| LintError::Load {
            root: root.to_path_buf(),
            source,
        })?;
        let github: mdbook_github::GithubConfig = loaded.preprocessor_config(Github::NAME)?;
        let protocol: mdbook_protocol::Config = loaded.preprocessor_config(Protocol::NAME)?;
        // The directory walk (hundreds of `readdir`s) runs while the chapters parse.
        let (model, files) = std::thread::scope(|s| {
            let files = s.spawn(|| book_files(&loaded.src_dir));
            let model = loaded.model();
            (
                model,
                files.join().expect("walking the source directory panicked"),
            )
        });
        let snapshot = Snapshot::load_optional(&loaded.src_dir.join(&github.snapshot))?;
        let mut book = Book::with_files(
            root.to_path_buf(),
            loaded.src_dir.clone(),
            model,
            snapshot,
            files,
        );
        book.summary = loaded.summary.text().to_owned();
        book.summary_doc = Some(loaded.summary_doc);
        for problem in &loaded.problems {
            match problem {
                ChapterProblem::Missing { path } => book.missing_chapters.push(path.clone()),
                ChapterProblem::Encoding { error, .. } => book.encoding_errors.push(error.clone()),
                _ => {}
            }
        }
        book.options = loaded.options;
        book.github = github;
        book.protocol = protocol;
        book.files_read = loaded.sources;
        Ok(book)
    }

    /// A book from an already-built model; `files` is read from `src_dir`.
    pub fn from_parts(
        root: PathBuf,
        src_dir: PathBuf,
        model: BookModel,
        snapshot: Option<Snapshot>,
    ) -> Book {
        let files = book_files(&src_dir);
        Book::with_files(root, src_dir, model, snapshot, files)
    }

    fn with_files(
        root: PathBuf,
        src_dir: PathBuf,
        model: BookModel,
        snapshot: Option<Snapshot>,
        files: FxHashSet<PathBuf>,
    ) -> Book {
        Book {
            root,
            src_dir,
            model,
            snapshot,
            files,
            summary: String::new(),
            summary_doc: None,
            missing_chapters: Vec::new(),
            options: ParseOptions::default(),
            github: mdbook_github::GithubConfig::default(),
            protocol: mdbook_protocol::Config::default(),
            encoding_errors: Vec::new(),
            files_read: Sources::default(),
        }
    }

    /// The text of every chapter source, keyed by its path relative to the
    /// source directory (for excerpts and fixes).
    pub fn sources(&self) -> HashMap<PathBuf, String> {
        let mut out: HashMap<PathBuf, String> = self
            .model
            .chapters
            .iter()
            .filter_map(|c| Some((c.source_path.clone()?, c.doc.source.clone())))
            .collect();
        out.insert(PathBuf::from("SUMMARY.md"), self.summary.clone());
        out
    }

    /// True if `path` (relative to the source directory) is a file in the book.
    pub fn has_file(&self, path: &Path) -> bool {
        self.files.contains(path)
    }
}

/// Every file under `src_dir`, relative to it.
fn book_files(src_dir: &Path) -> FxHashSet<PathBuf> {
    let mut files = FxHashSet::default();
    walk(src_dir, Path::new(""), &mut files);
    files
}

fn walk(dir: &Path, rel: &Path, out: &mut FxHashSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.as_encoded_bytes().first() == Some(&b'.') {
            continue;
        }
        let rel_path = rel.join(&name);
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&entry.path(), &rel_path, out),
            Ok(_) => {
                out.insert(rel_path);
            }
            Err(_) => {}
        }
    }
}

/// What rules see: the book and indexes shared between rules.
#[derive(Debug)]
pub struct Context<'a> {
    /// The book being linted.
    pub book: &'a Book,
    by_path: FxHashMap<&'a Path, usize>,
}

impl<'a> Context<'a> {
    /// Indexes `book` for the rules.
    pub fn new(book: &'a Book) -> Self {
        let mut by_path = FxHashMap::default();
        for (i, c) in book.model.chapters.iter().enumerate() {
            if let Some(p) = &c.source_path {
                by_path.insert(p.as_path(), i);
            }
            if let Some(p) = &c.path {
                by_path.entry(p.as_path()).or_insert(i);
            }
        }
        Context { book, by_path }
    }

    /// Chapters that have a source file, with that file's path.
    pub fn sources(&self) -> impl Iterator<Item = (&'a Path, &'a ChapterModel)> + '_ {
        self.book
            .model
            .chapters
            .iter()
            .filter_map(|c| Some((c.source_path.as_deref()?, c)))
    }

    /// The chapter whose source (or rendered path) is `path`.
    pub fn chapter(&self, path: &Path) -> Option<&'a ChapterModel> {
        self.by_path
            .get(path)
            .map(|&i| &self.book.model.chapters[i])
    }
}

/// Collects one rule's findings, stamping its code and severity on each.
#[derive(Debug)]
pub struct Reporter<'a> {
    meta: &'static RuleMeta,
    out: &'a mut Vec<Diagnostic>,
}

impl Reporter<'_> {
    /// Reports `message` at `span` of the chapter whose source is `file`;
    /// returns the diagnostic so help and fix can be added.
    pub fn at(
        &mut self,
        file: &Path,
        chapter: &ChapterModel,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::new(self.meta.code, self.meta.severity, file, message)
            .at(chapter.doc.location(span));
        self.out.push(d);
        self.out.last_mut().expect("just pushed")
    }

    /// Reports `message` at `span` of `text`, the contents of `file` (for
    /// files that are not chapters, such as SUMMARY.md).
    pub fn at_text(
        &mut self,
        file: &Path,
        text: &str,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let location = archmanual_model::LineIndex::new(text).location(text, span);
        let d = Diagnostic::new(self.meta.code, self.meta.severity, file, message).at(location);
        self.out.push(d);
        self.out.last_mut().expect("just pushed")
    }

    /// Reports `message` about the whole `file`.
    pub fn file(&mut self, file: &Path, message: impl Into<String>) -> &mut Diagnostic {
        self.out.push(Diagnostic::new(
            self.meta.code,
            self.meta.severity,
            file,
            message,
        ));
        self.out.last_mut().expect("just pushed")
    }

    /// Adds a diagnostic produced elsewhere (diagram checks, the GitHub
    /// snapshot), with the severity [`codes`] declares for its code.
    pub fn push(&mut self, mut diagnostic: Diagnostic) {
        diagnostic.severity = codes::severity(&diagnostic.code).unwrap_or(diagnostic.severity);
        self.out.push(diagnostic);
    }
}

/// Runs every registered rule over `book` and applies the inline
/// suppression comments; findings are sorted by file, line, column and code.
/// `lint.toml` is not read: see [`lint_configured`].
pub fn lint(book: &Book) -> Vec<Diagnostic> {
    lint_configured(book, &config::Config::default())
}

/// Runs the rules `config` selects over `book`, then drops the findings that
/// `config` (selection, per-file ignores) and the inline suppression comments
/// turn off, and adds AM021 findings about those comments.
pub fn lint_configured(book: &Book, config: &config::Config) -> Vec<Diagnostic> {
    let rules: Vec<&dyn Rule> = rules::RULES
        .iter()
        .copied()
        .filter(|r| config.selection.runs(r.meta().code))
        .collect();
    suppress::apply(book, config, lint_with(book, &rules))
}

/// Runs `rules` over `book` as they are: no selection, no suppression
/// comments (for rule tests and benchmarks). Rules only read the book, so they run on every
/// available core; each rule's findings are kept in rule order, so the
/// result is the same as one rule after another.
pub fn lint_with(book: &Book, rules: &[&dyn Rule]) -> Vec<Diagnostic> {
    let cx = Context::new(book);
    let run = |rule: &&dyn Rule| {
        let mut out = Vec::new();
        rule.check(
            &cx,
            &mut Reporter {
                meta: rule.meta(),
                out: &mut out,
            },
        );
        out
    };
    // Rules are handed out one at a time, so a slow rule (AM013) does not
    // hold up the others.
    let per_rule = archmanual_model::par_map(rules, true, run);
    let mut out: Vec<Diagnostic> = per_rule.into_iter().flatten().collect();
    sort(&mut out);
    out.dedup();
    out
}

/// Sorts diagnostics by file, position and code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then_with(|| {
                let pos = |d: &Diagnostic| d.location.map(|l| (l.line, l.column));
                pos(a).cmp(&pos(b))
            })
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Exit code for a lint run: 1 if any error, else 0.
pub fn exit_code(diagnostics: &[Diagnostic]) -> u8 {
    u8::from(diagnostics.iter().any(|d| d.severity == Severity::Error))
}

#[cfg(test)]
pub(crate) mod testing;
