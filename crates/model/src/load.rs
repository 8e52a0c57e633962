//! One book loader for every tool: `book.toml` (with `MDBOOK_*` environment
//! overrides) and SUMMARY.md read exactly as mdBook 0.5 reads them, chapter
//! files read as [`SourceFile`]s. Unlike `MDBook::load` it never writes into
//! the book (mdBook creates missing chapter files unless
//! `create-missing = false`): a missing or unreadable chapter becomes an
//! empty chapter and a [`ChapterProblem`], for the caller to report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::config::Config;
use mdbook_summary::{Link, SummaryItem};
use serde::de::DeserializeOwned;

use crate::source::{EncodingError, SourceError, SourceFile};
use crate::{BookModel, Document, LinkKind, ParseOptions, Span};

/// Keys mdBook itself reads from a `[preprocessor.NAME]` table.
pub const MDBOOK_KEYS: &[&str] = &["command", "optional", "renderers", "before", "after"];

/// Why a book could not be loaded at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// `book.toml` (or an `MDBOOK_*` variable) is invalid.
    #[error("{path}: not a valid mdBook configuration", path = path.display())]
    Config {
        /// book.toml.
        path: PathBuf,
        /// mdBook's error and its causes (TOML line and column).
        source: BoxedError,
    },
    /// SUMMARY.md is missing or unreadable.
    #[error(
        "{path}: cannot read it; pass the directory that holds book.toml",
        path = path.display()
    )]
    SummaryRead {
        /// SUMMARY.md.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// SUMMARY.md does not parse.
    #[error("{path}: not a valid SUMMARY.md", path = path.display())]
    Summary {
        /// SUMMARY.md.
        path: PathBuf,
        /// mdBook's parser error (it names line and column).
        source: BoxedError,
    },
    /// A chapter file exists but cannot be read.
    #[error(transparent)]
    Source(#[from] SourceError),
}

/// mdBook's errors (`anyhow`), kept with their chain of causes.
pub type BoxedError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A `[preprocessor.NAME]` table that does not deserialize. The same error,
/// word for word, in `archmanual lint`, `archmanual build` and the
/// preprocessor binaries.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PreprocessorConfigError {
    /// mdBook could not give the table (e.g. it is not a table).
    #[error("book.toml [preprocessor.{table}] cannot be read")]
    Table {
        /// The preprocessor's name.
        table: String,
        /// mdBook's error.
        source: BoxedError,
    },
    /// A setting is unknown or has the wrong type.
    #[error(
        "book.toml [preprocessor.{table}] has a wrong setting (remove or correct it; the settings are listed in the preprocessor's README)"
    )]
    Setting {
        /// The preprocessor's name.
        table: String,
        /// serde's error: it names the key and the keys that are allowed.
        source: serde_json::Error,
    },
}

/// Reads the typed settings of `[preprocessor.NAME]` from a book config,
/// without the keys mdBook itself uses. `T` should be
/// `#[serde(deny_unknown_fields)]`, so a misspelled key is an error.
pub fn preprocessor_config<T: DeserializeOwned + Default>(
    config: &Config,
    name: &str,
) -> Result<T, PreprocessorConfigError> {
    let table: Option<serde_json::Value> =
        config.get(&format!("preprocessor.{name}")).map_err(|e| {
            PreprocessorConfigError::Table {
                table: name.to_string(),
                source: e.into(),
            }
        })?;
    let Some(mut table) = table else {
        return Ok(T::default());
    };
    if let Some(map) = table.as_object_mut() {
        for key in MDBOOK_KEYS {
            map.remove(*key);
        }
    }
    serde_json::from_value(table).map_err(|source| PreprocessorConfigError::Setting {
        table: name.to_string(),
        source,
    })
}

/// A chapter SUMMARY.md lists that could not be loaded as text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChapterProblem {
    /// The file does not exist.
    Missing {
        /// Relative to the source directory, as written in SUMMARY.md.
        path: PathBuf,
    },
    /// The file is not UTF-8.
    Encoding {
        /// Relative to the source directory.
        path: PathBuf,
        /// Where the first bad byte is and what the file looks like.
        error: EncodingError,
    },
}

impl ChapterProblem {
    /// The chapter's path relative to the source directory.
    pub fn path(&self) -> &Path {
        match self {
            ChapterProblem::Missing { path } | ChapterProblem::Encoding { path, .. } => path,
        }
    }
}

/// The book as mdBook sees it before any preprocessor runs, read once.
#[derive(Debug, Clone)]
pub struct LoadedBook {
    /// The book's root (where book.toml is).
    pub root: PathBuf,
    /// book.toml with environment overrides applied.
    pub config: Config,
    /// The source directory (`root` joined with `book.src`).
    pub src_dir: PathBuf,
    /// How chapters parse (from `[output.html]`).
    pub options: ParseOptions,
    /// SUMMARY.md.
    pub summary: SourceFile,
    /// SUMMARY.md parsed like a chapter, for the positions of its links
    /// (see [`summary_link_span`]).
    pub summary_doc: Document,
    /// The chapters as mdBook would load them (contents are the
    /// [`SourceFile::text`]s); missing or unreadable chapters are empty.
    pub book: Book,
    /// Every chapter file read, by path relative to the source directory,
    /// plus `SUMMARY.md`.
    pub sources: Sources,
    /// Chapters that could not be loaded, in SUMMARY order.
    pub problems: Vec<ChapterProblem>,
}

impl LoadedBook {
    /// Loads the book at `root` without writing anything.
    pub fn load(root: &Path) -> Result<LoadedBook, LoadError> {
        let config_file = root.join("book.toml");
        let config_err = |e: mdbook_preprocessor::errors::Error| LoadError::Config {
            path: config_file.clone(),
            source: e.into(),
        };
        let mut config = if config_file.exists() {
            Config::from_disk(&config_file).map_err(config_err)?
        } else {
            Config::default()
        };
        config.update_from_env().map_err(config_err)?;
        let src_dir = root.join(&config.book.src);
        let summary_path = src_dir.join("SUMMARY.md");
        let summary = SourceFile::read(&summary_path).map_err(|e| match e {
            SourceError::Read { source, .. } => LoadError::SummaryRead {
                path: summary_path.clone(),
                source,
            },
            other => LoadError::Source(other),
        })?;
        let parsed =
            mdbook_summary::parse_summary(summary.text()).map_err(|e| LoadError::Summary {
                path: summary_path.clone(),
                source: e.into(),
            })?;
        // Every chapter file is read first, on all cores, then the book is
        // built from the results in SUMMARY order.
        let mut locations = Vec::new();
        let items = || {
            parsed
                .prefix_chapters
                .iter()
                .chain(&parsed.numbered_chapters)
                .chain(&parsed.suffix_chapters)
        };
        for item in items() {
            collect_locations(&src_dir, item, &mut locations);
        }
        let options = ParseOptions::from_config(&config);
        // SUMMARY.md is parsed for link positions while the chapters are read.
        let (reads, summary_doc) = std::thread::scope(|s| {
            let doc = s.spawn(|| {
                crate::parse::parse_with_lines(
                    summary.text().to_owned(),
                    summary.lines().clone(),
                    &options,
                )
            });
            let reads = read_all(&locations);
            (reads, doc.join().expect("parsing SUMMARY.md panicked"))
        });
        let mut loader = Loader {
            src_dir: &src_dir,
            reads: reads.into_iter(),
            sources: BTreeMap::new(),
            problems: Vec::new(),
        };
        let items = items()
            .map(|i| loader.item(i, Vec::new()))
            .collect::<Result<Vec<_>, _>>()?;
        let Loader {
            mut sources,
            problems,
            ..
        } = loader;
        sources.insert(PathBuf::from("SUMMARY.md"), summary.clone());
        Ok(LoadedBook {
            root: root.to_path_buf(),
            summary_doc,
            options,
            config,
            src_dir,
            summary,
            book: Book::new_with_items(items),
            sources: Sources(sources),
            problems,
        })
    }

    /// Parses every chapter into the shared model.
    pub fn model(&self) -> BookModel {
        // A chapter's file was indexed when it was read: reuse that index
        // while the chapter still has the file's text.
        let lines_of = |ch: &Chapter| {
            let file = self.sources.get(ch.source_path.as_deref()?)?;
            (file.text() == ch.content).then(|| file.lines().clone())
        };
        BookModel::from_book_with_lines(&self.book, &self.options, &lines_of)
    }

    /// The typed `[preprocessor.NAME]` settings (see [`preprocessor_config`]).
    pub fn preprocessor_config<T: DeserializeOwned + Default>(
        &self,
        name: &str,
    ) -> Result<T, PreprocessorConfigError> {
        preprocessor_config(&self.config, name)
    }

    /// True if book.toml has a `[preprocessor.NAME]` table.
    pub fn declares_preprocessor(&self, name: &str) -> bool {
        self.config
            .get::<serde_json::Value>(&format!("preprocessor.{name}"))
            .ok()
            .flatten()
            .is_some()
    }

    /// Where SUMMARY.md names `path` (the link's destination), for findings.
    pub fn summary_span(&self, path: &Path) -> Option<Span> {
        summary_link_span(&self.summary_doc, &self.src_dir, path)
    }
}

/// The destination of the first link in SUMMARY.md (`summary`, parsed) that
/// names the chapter file `path` (relative to `src_dir`), read as mdBook reads
/// it: `%20` is a space, `./` and absolute paths inside `src_dir` are the same
/// file. Links in code spans or comments are not links, so they never match.
pub fn summary_link_span(summary: &Document, src_dir: &Path, path: &Path) -> Option<Span> {
    summary.links.iter().find_map(|link| {
        if link.kind != LinkKind::Inline || link.image || link.dest.is_empty() {
            return None;
        }
        let loc = PathBuf::from(link.dest.replace("%20", " "));
        (chapter_path(src_dir, &loc) == path)
            .then_some(link.dest_span)
            .flatten()
    })
}

/// Where mdBook reads a chapter whose SUMMARY link is `loc`: absolute
/// locations are used as they are.
fn chapter_location(src_dir: &Path, loc: &Path) -> PathBuf {
    if loc.is_absolute() {
        loc.to_path_buf()
    } else {
        src_dir.join(loc)
    }
}

/// A chapter's path relative to the source directory, as mdBook gives it.
fn chapter_path(src_dir: &Path, loc: &Path) -> PathBuf {
    chapter_location(src_dir, loc)
        .strip_prefix(src_dir)
        .map_or_else(|_| loc.to_path_buf(), Path::to_path_buf)
}

/// The chapter files of `item` and its nested items, in the order
/// [`Loader::item`] takes them.
fn collect_locations(src_dir: &Path, item: &SummaryItem, out: &mut Vec<PathBuf>) {
    if let SummaryItem::Link(link) = item {
        if let Some(loc) = &link.location {
            out.push(chapter_location(src_dir, loc));
        }
        for nested in &link.nested_items {
            collect_locations(src_dir, nested, out);
        }
    }
}

/// Reads `paths` on every core; the results are in the order of `paths`.
fn read_all(paths: &[PathBuf]) -> Vec<Result<SourceFile, SourceError>> {
    // Fewer files are read faster than threads start.
    crate::par_map(paths, paths.len() >= 32, |p| SourceFile::read(p))
}

struct Loader<'a> {
    src_dir: &'a Path,
    /// The results of [`read_all`], taken in SUMMARY order.
    reads: std::vec::IntoIter<Result<SourceFile, SourceError>>,
    sources: BTreeMap<PathBuf, SourceFile>,
    problems: Vec<ChapterProblem>,
}

impl Loader<'_> {
    fn item(&mut self, item: &SummaryItem, parents: Vec<String>) -> Result<BookItem, LoadError> {
        Ok(match item {
            SummaryItem::Link(link) => BookItem::Chapter(self.chapter(link, parents)?),
            SummaryItem::PartTitle(t) => BookItem::PartTitle(t.clone()),
            _ => BookItem::Separator,
        })
    }

    fn chapter(&mut self, link: &Link, parents: Vec<String>) -> Result<Chapter, LoadError> {
        let mut ch = match &link.location {
            Some(loc) => {
                let rel = chapter_path(self.src_dir, loc);
                let read = self
                    .reads
                    .next()
                    .expect("one read per chapter location, in the same order");
                let content = match read {
                    Ok(file) => {
                        let text = file.text().to_owned();
                        self.sources.insert(rel.clone(), file);
                        text
                    }
                    Err(SourceError::Read { source, .. })
                        if source.kind() == std::io::ErrorKind::NotFound =>
                    {
                        self.problems
                            .push(ChapterProblem::Missing { path: rel.clone() });
                        String::new()
                    }
                    Err(SourceError::Encoding(mut error)) => {
                        error.path = rel.clone();
                        self.problems.push(ChapterProblem::Encoding {
                            path: rel.clone(),
                            error,
                        });
                        String::new()
                    }
                    Err(other) => return Err(other.into()),
                };
                Chapter::new(&link.name, content, rel, parents.clone())
            }
            None => Chapter::new_draft(&link.name, parents.clone()),
        };
        ch.number = link.number.clone();
        let mut sub_parents = parents;
        sub_parents.push(link.name.clone());
        ch.sub_items = link
            .nested_items
            .iter()
            .map(|i| self.item(i, sub_parents.clone()))
            .collect::<Result<_, _>>()?;
        Ok(ch)
    }
}

/// The text of every file a book's findings can point into, keyed by path
/// relative to the source directory; it gives diagnostics their excerpts.
#[derive(Debug, Clone, Default)]
pub struct Sources(pub BTreeMap<PathBuf, SourceFile>);

impl Sources {
    /// The file at `path` (relative to the source directory).
    pub fn get(&self, path: &Path) -> Option<&SourceFile> {
        self.0.get(path)
    }

    /// Reads the files diagnostics name from `src_dir` (BOM stripped, as the
    /// diagnostics' offsets expect). Files that cannot be read are left out.
    pub fn read_for(src_dir: &Path, files: impl IntoIterator<Item = PathBuf>) -> Sources {
        let mut out = BTreeMap::new();
        for file in files {
            if let Ok(s) = SourceFile::read(&src_dir.join(&file)) {
                out.insert(file, s);
            }
        }
        Sources(out)
    }
}

impl archmanual_diagnostics::SourceProvider for Sources {
    fn source(&self, file: &Path) -> Option<&str> {
        self.0.get(file).map(SourceFile::text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(dir: &Path, summary: &str, files: &[(&str, &[u8])]) {
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"t\"\n").unwrap();
        std::fs::write(dir.join("src/SUMMARY.md"), summary).unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.join("src").join(name), bytes).unwrap();
        }
    }

    fn listing(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p.clone());
                }
                out.push(p);
            }
        }
        out.sort();
        out
    }

    #[test]
    fn missing_and_non_utf8_chapters_are_problems_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        book(
            dir.path(),
            "# S\n\n- [A](a.md)\n- [Gone](sub/gone.md)\n- [Bad](bad.md)\n",
            &[("a.md", b"\xEF\xBB\xBF# A\n"), ("bad.md", b"# \xB1\xEA\n")],
        );
        let before = listing(dir.path());
        let loaded = LoadedBook::load(dir.path()).unwrap();
        assert_eq!(listing(dir.path()), before);
        assert_eq!(loaded.problems.len(), 2);
        assert_eq!(loaded.problems[0].path(), Path::new("sub/gone.md"));
        let ChapterProblem::Encoding { error, .. } = &loaded.problems[1] else {
            panic!("{:?}", loaded.problems[1]);
        };
        assert_eq!((error.line, error.column), (1, 3));
        let model = loaded.model();
        assert_eq!(model.chapters[0].doc.source, "# A\n");
        assert!(loaded.sources.get(Path::new("a.md")).unwrap().has_bom());
        assert_eq!(
            loaded
                .summary_span(Path::new("sub/gone.md"))
                .map(|s| s.text(loaded.summary.text())),
            Some("sub/gone.md")
        );
    }

    #[derive(Debug, Default, serde::Deserialize, PartialEq)]
    #[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
    struct Cfg {
        level: u8,
    }

    #[test]
    fn preprocessor_tables_are_typed_without_mdbook_keys() {
        let config: Config =
            "[preprocessor.x]\ncommand = \"x\"\nafter = [\"links\"]\nlevel = 3\n[preprocessor.y]\nlevle = 1\n"
                .parse()
                .unwrap();
        assert_eq!(
            preprocessor_config::<Cfg>(&config, "x").unwrap(),
            Cfg { level: 3 }
        );
        assert_eq!(
            preprocessor_config::<Cfg>(&config, "z").unwrap(),
            Cfg::default()
        );
        let e = preprocessor_config::<Cfg>(&config, "y").unwrap_err();
        // As every tool prints it: the table and what to do, then serde's words.
        assert_eq!(
            archmanual_diagnostics::ErrorChain(&e).to_string(),
            "book.toml [preprocessor.y] has a wrong setting (remove or correct it; the settings are listed in the preprocessor's README): unknown field `levle`, expected `level`"
        );
    }

    #[test]
    fn load_errors_keep_file_position_and_cause() {
        let dir = tempfile::tempdir().unwrap();
        let shown = |root: &Path| match LoadedBook::load(root) {
            Ok(_) => panic!("loaded"),
            Err(e) => archmanual_diagnostics::ErrorChain(&e).to_string(),
        };
        let summary = dir.path().join("src/SUMMARY.md");
        let e = shown(dir.path());
        assert!(
            e.starts_with(&format!(
                "{}: cannot read it; pass the directory that holds book.toml: ",
                summary.display()
            )),
            "{e}"
        );
        assert!(e.contains("No such file or directory"), "{e}");

        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \n").unwrap();
        let e = shown(dir.path());
        let book_toml = dir.path().join("book.toml");
        assert!(
            e.starts_with(&format!(
                "{}: not a valid mdBook configuration: ",
                book_toml.display()
            )),
            "{e}"
        );
        assert!(e.contains("line 2"), "{e}");
    }
}
