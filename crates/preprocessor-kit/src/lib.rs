#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use archmanual_diagnostics::{Diagnostic, DiagnosticSink, ErrorChain};
use archmanual_model::Document;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use serde::de::DeserializeOwned;

/// The mdBook versions whose JSON protocol we speak.
pub const SUPPORTED_MDBOOK: &str = ">=0.5.0, <0.6.0";

/// Keys mdBook itself reads from a `[preprocessor.NAME]` table.
pub use archmanual_model::MDBOOK_KEYS;

/// The error a preprocessor's book run returns (mdBook's `anyhow::Error`).
pub type RunError = mdbook_preprocessor::errors::Error;

/// The one shape of our preprocessors: a name, typed settings, a
/// diagnostics sink, a per-chapter check that `archmanual lint` calls, and
/// the book run that `archmanual build` and the `mdbook-NAME` binary call
/// (through [`Adapter`]).
///
/// Findings that do not fail the run go to the sink given to [`new`](Self::new);
/// findings that fail it go into the returned error, and only there, so
/// nothing is reported twice.
pub trait ArchPreprocessor: Send + Sync + Sized + 'static {
    /// The name under `[preprocessor.NAME]` in book.toml; the binary is
    /// `mdbook-NAME`. The one place the name is spelled.
    const NAME: &'static str;

    /// The typed `[preprocessor.NAME]` settings, read with
    /// [`archmanual_model::preprocessor_config`] (mdBook's own keys ignored).
    /// Mark it `#[serde(deny_unknown_fields)]`, so a misspelled key is an
    /// error that names the table, in the build and in lint alike.
    type Config: DeserializeOwned + Default;

    /// What [`check`](Self::check) needs besides one chapter and the
    /// settings, loaded once per book (the GitHub snapshot for `github`;
    /// `()` for a check that needs nothing more).
    type Facts;

    /// A preprocessor that leaves its non-fatal findings in `sink`.
    fn new(sink: DiagnosticSink) -> Self;

    /// The findings for one chapter (`file` relative to the book's `src`,
    /// `doc` its parsed text), the same the book run reports for it.
    /// `archmanual lint` calls this on the chapters it loaded once.
    fn check(
        file: &Path,
        doc: &Document,
        cfg: &Self::Config,
        facts: &Self::Facts,
    ) -> Vec<Diagnostic>;

    /// Processes the book with settings read already (see [`Adapter`]).
    fn process(
        &self,
        ctx: &PreprocessorContext,
        cfg: &Self::Config,
        book: Book,
    ) -> Result<Book, RunError>;

    /// Whether the output of `renderer` is supported (default: every renderer).
    fn supports_renderer(renderer: &str) -> bool {
        let _ = renderer;
        true
    }
}

/// Any [`ArchPreprocessor`] as an mdBook [`Preprocessor`]: reads the typed
/// `[preprocessor.NAME]` settings, then runs [`ArchPreprocessor::process`].
/// (A blanket `impl Preprocessor for P` is not allowed for a foreign trait.)
#[derive(Debug, Clone)]
pub struct Adapter<P>(pub P);

impl<P: ArchPreprocessor> Adapter<P> {
    /// `P` with its non-fatal findings going to `sink`.
    pub fn new(sink: DiagnosticSink) -> Self {
        Adapter(P::new(sink))
    }
}

impl<P: ArchPreprocessor> Preprocessor for Adapter<P> {
    fn name(&self) -> &str {
        P::NAME
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book, RunError> {
        let cfg: P::Config = config(ctx, P::NAME)?;
        self.0.process(ctx, &cfg, book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool, RunError> {
        Ok(P::supports_renderer(renderer))
    }
}

/// What can go wrong while speaking the protocol.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    /// Reading stdin or writing stdout failed.
    #[error("{what} failed")]
    Io {
        /// What we were doing.
        what: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not JSON.
    #[error(
        "the input is not mdBook preprocessor JSON; this command is run by `mdbook build` (or asked `supports <renderer>`)"
    )]
    NotJson(#[source] serde_json::Error),
    /// The input is JSON, but not the `[context, book]` array mdBook sends.
    #[error(
        "the input is not mdBook preprocessor JSON (expected `[context, book]` with `context.mdbook_version`); this command is run by `mdbook build` (or asked `supports <renderer>`)"
    )]
    NotProtocol,
    /// The calling mdBook is outside [`SUPPORTED_MDBOOK`].
    #[error(
        "{name} speaks the mdBook 0.5 protocol ({SUPPORTED_MDBOOK}), but was called by mdBook {found}; install mdBook 0.5 (`cargo install mdbook --version ^0.5 --locked`) or build with `cargo run --release -- build`"
    )]
    UnsupportedVersion {
        /// The preprocessor's name.
        name: String,
        /// The version mdBook reported.
        found: String,
    },
    /// Deserializing the (version-checked) input failed.
    #[error("cannot read mdBook's input")]
    Input(#[source] archmanual_model::BoxedError),
    /// The preprocessor failed (its error and causes are the chain).
    #[error(transparent)]
    Preprocessor(RunError),
    /// A `[preprocessor.NAME]` setting is wrong.
    #[error(transparent)]
    Config(archmanual_model::PreprocessorConfigError),
    /// Unknown command line.
    #[error(
        "usage: {0} [supports <renderer>]  (normally run by mdBook, which sends JSON on stdin)"
    )]
    Usage(String),
}

/// Checks the `mdbook_version` of raw input JSON before deserializing it, so
/// an mdBook 0.4 caller gets a clear message instead of "missing field `items`".
pub fn check_input_version(name: &str, input: &serde_json::Value) -> Result<(), KitError> {
    let found = input
        .get(0)
        .and_then(|ctx| ctx.get("mdbook_version"))
        .and_then(|v| v.as_str())
        .ok_or(KitError::NotProtocol)?;
    // A constant that parses; if it ever did not, only the 0.5 rule below applies.
    let req = semver::VersionReq::parse(SUPPORTED_MDBOOK).ok();
    let ok = semver::Version::parse(found).is_ok_and(|v| {
        // Pre-releases of 0.5 (0.5.0-alpha.x) speak the 0.5 protocol too.
        req.as_ref().is_some_and(|r| r.matches(&v)) || (v.major == 0 && v.minor == 5)
    });
    if ok {
        Ok(())
    } else {
        Err(KitError::UnsupportedVersion {
            name: name.to_string(),
            found: found.to_string(),
        })
    }
}

/// Reads mdBook's input from `reader`: version check first, then deserialize.
pub fn parse_input(
    name: &str,
    mut reader: impl Read,
) -> Result<(PreprocessorContext, Book), KitError> {
    let mut raw = String::new();
    reader
        .read_to_string(&mut raw)
        .map_err(|source| KitError::Io {
            what: "reading mdBook's JSON from stdin",
            source,
        })?;
    let value: serde_json::Value = serde_json::from_str(&raw).map_err(KitError::NotJson)?;
    check_input_version(name, &value)?;
    mdbook_preprocessor::parse_input(raw.as_bytes()).map_err(|e| KitError::Input(e.into()))
}

/// What [`run`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `supports <renderer>`: whether the renderer is supported (exit 0 / 1).
    Supports(bool),
    /// The book was processed and written out.
    Processed,
}

/// Runs one invocation of the mdBook protocol: `args` are the command-line
/// arguments after the program name. `supports R` answers the renderer
/// question; no arguments reads `[context, book]` from `input`, runs `pre`
/// and writes the book JSON to `output`.
pub fn run<P: Preprocessor>(
    pre: &P,
    args: &[String],
    input: impl Read,
    mut output: impl Write,
) -> Result<Outcome, KitError> {
    match args {
        [cmd, renderer] if cmd == "supports" => Ok(Outcome::Supports(
            pre.supports_renderer(renderer)
                .map_err(KitError::Preprocessor)?,
        )),
        [] => {
            let (ctx, book) = parse_input(pre.name(), input)?;
            let book = pre.run(&ctx, book).map_err(KitError::Preprocessor)?;
            serde_json::to_writer(&mut output, &book).map_err(|e| KitError::Io {
                what: "writing the book JSON to stdout",
                source: e.into(),
            })?;
            output.flush().map_err(|source| KitError::Io {
                what: "writing the book JSON to stdout",
                source,
            })?;
            Ok(Outcome::Processed)
        }
        _ => Err(KitError::Usage(format!("mdbook-{}", pre.name()))),
    }
}

/// Reads the typed settings of `[preprocessor.NAME]`, ignoring the keys
/// mdBook itself uses. `T` should be `#[serde(deny_unknown_fields)]`, so a
/// misspelled key is an error naming the table. This is
/// [`archmanual_model::preprocessor_config`], so `archmanual lint` reports a
/// bad table with the same words.
pub fn config<T: DeserializeOwned + Default>(
    ctx: &PreprocessorContext,
    name: &str,
) -> Result<T, KitError> {
    archmanual_model::preprocessor_config(&ctx.config, name).map_err(KitError::Config)
}

/// A command a preprocessor binary has besides mdBook's protocol, such as
/// `mdbook-protocol render`.
#[derive(Debug, Clone, Copy)]
pub struct Subcommand {
    /// The first argument that selects it.
    pub name: &'static str,
    /// Its arguments, for the usage text (`FILE... [--out-dir DIR]`).
    pub usage: &'static str,
    /// Runs it with the arguments after its name, writing to the given
    /// stdout and stderr; returns the exit code.
    pub run: fn(&[String], &mut dyn Write, &mut dyn Write) -> u8,
}

/// The `main` of a preprocessor binary: `fn main() -> ExitCode { main::<P>() }`.
/// See [`cli`] for what it does.
pub fn main<P: ArchPreprocessor>() -> ExitCode {
    main_with::<P>(&[])
}

/// [`main`] for a binary with `extra` commands besides the protocol.
pub fn main_with<P: ArchPreprocessor>(extra: &[Subcommand]) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    ExitCode::from(cli::<P>(
        &args,
        extra,
        std::io::stdin().lock(),
        &mut out,
        &mut err,
    ))
}

/// One run of the `mdbook-NAME` command line (`args` after the program
/// name), writing only to the streams it is given; returns the exit code.
///
/// - no arguments: the mdBook preprocessor (book JSON on stdin and stdout);
///   findings from the sink go to `stderr` after the run, one per line;
/// - `supports RENDERER`: 0 when supported, else 1;
/// - an `extra` command's name: that command;
/// - `-h` / `--help`: the usage on `stdout`, 0;
/// - anything else, or a failed run: the reason on `stderr`, 2.
///
/// Writing to `stdout`/`stderr` is best effort (a closed pipe is not an error here).
pub fn cli<P: ArchPreprocessor>(
    args: &[String],
    extra: &[Subcommand],
    stdin: impl Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    if let Some(first) = args.first() {
        if let Some(sub) = extra.iter().find(|s| s.name == first) {
            return (sub.run)(&args[1..], stdout, stderr);
        }
        if first == "-h" || first == "--help" {
            let _ = writeln!(stdout, "{}", usage::<P>(extra));
            return 0;
        }
    }
    let sink = DiagnosticSink::default();
    let result = run(&Adapter::<P>::new(sink.clone()), args, stdin, &mut *stdout);
    for d in sink.drain() {
        let _ = writeln!(stderr, "{d}");
    }
    match result {
        Ok(Outcome::Supports(false)) => 1,
        Ok(_) => 0,
        Err(KitError::Usage(_)) => {
            let _ = writeln!(stderr, "{}", usage::<P>(extra));
            2
        }
        Err(e) => {
            let _ = writeln!(stderr, "mdbook-{}: {}", P::NAME, ErrorChain(&e));
            2
        }
    }
}

/// The usage text of `mdbook-NAME` with its `extra` commands.
pub fn usage<P: ArchPreprocessor>(extra: &[Subcommand]) -> String {
    let mut s = format!(
        "usage: mdbook-{} [supports <renderer>]   (mdBook preprocessor: JSON on stdin)",
        P::NAME
    );
    for sub in extra {
        s.push_str(&format!(
            "\n       mdbook-{} {} {}",
            P::NAME,
            sub.name,
            sub.usage
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    use archmanual_diagnostics::Severity;

    /// Counts chapters; a chapter titled "fail" fails the run; warns on "warn".
    struct Count {
        sink: DiagnosticSink,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CountConfig {
        #[serde(default)]
        strict: bool,
    }

    impl ArchPreprocessor for Count {
        const NAME: &'static str = "count";
        type Config = CountConfig;
        type Facts = ();

        fn new(sink: DiagnosticSink) -> Self {
            Count { sink }
        }

        fn check(file: &Path, doc: &Document, _: &CountConfig, _: &()) -> Vec<Diagnostic> {
            doc.source
                .contains("TODO")
                .then(|| Diagnostic::new("CNT001", Severity::Warning, file, "a TODO is left"))
                .into_iter()
                .collect()
        }

        fn process(
            &self,
            _: &PreprocessorContext,
            cfg: &CountConfig,
            book: Book,
        ) -> Result<Book, RunError> {
            for item in book.iter() {
                if let mdbook_preprocessor::book::BookItem::Chapter(ch) = item {
                    let doc = Document::parse(ch.content.as_str(), &Default::default());
                    let found = Self::check(Path::new(&ch.name), &doc, cfg, &());
                    if cfg.strict && !found.is_empty() {
                        return Err(RunError::msg(format!("{} TODOs", found.len())));
                    }
                    self.sink.extend(found);
                }
            }
            Ok(book)
        }

        fn supports_renderer(renderer: &str) -> bool {
            renderer == "html"
        }
    }

    fn echo(args: &[String], out: &mut dyn Write, _: &mut dyn Write) -> u8 {
        let _ = write!(out, "{}", args.join(","));
        7
    }

    const ECHO: Subcommand = Subcommand {
        name: "echo",
        usage: "WORD...",
        run: echo,
    };

    const INPUT_05: &str = r##"[{"root":"/b","config":{"book":{"title":"T","authors":[],"language":"zh-CN"}},"renderer":"html","mdbook_version":"0.5.4"},{"items":[{"Chapter":{"name":"简介","content":"# 简介\n\nTODO","number":null,"sub_items":[],"path":"index.md","source_path":"README.md","parent_names":[]}}]}]"##;
    const INPUT_04: &str = r#"[{"root":"/b","config":{"book":{"title":"T"}},"renderer":"html","mdbook_version":"0.4.52"},{"sections":[],"__non_exhaustive":null}]"#;

    /// `cli::<Count>` on `args` and `input`: (exit code, stdout, stderr).
    fn cli_run(args: &[&str], input: &str) -> (u8, String, String) {
        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = cli::<Count>(&args, &[ECHO], input.as_bytes(), &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn round_trips_a_05_book_and_prints_the_sink_after() {
        let (code, out, err) = cli_run(&[], INPUT_05);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["items"][0]["Chapter"]["name"], "简介");
        assert_eq!(err, "简介: warning[CNT001]: a TODO is left\n");
    }

    #[test]
    fn a_failing_run_exits_2_with_the_error_only() {
        let input = INPUT_05.replace(
            r#""language":"zh-CN"}"#,
            r#""language":"zh-CN"},"preprocessor":{"count":{"strict":true}}"#,
        );
        let (code, out, err) = cli_run(&[], &input);
        assert_eq!(code, 2);
        assert!(out.is_empty(), "{out}");
        assert_eq!(err, "mdbook-count: 1 TODOs\n");
    }

    #[test]
    fn config_errors_name_the_table() {
        let input = INPUT_05.replace(
            r#""language":"zh-CN"}"#,
            r#""language":"zh-CN"},"preprocessor":{"count":{"strikt":true,"command":"x"}}"#,
        );
        let (code, _, err) = cli_run(&[], &input);
        assert_eq!(code, 2);
        assert!(
            err.contains("[preprocessor.count]") && err.contains("strikt"),
            "{err}"
        );
        assert!(!err.contains("command"), "{err}");
    }

    #[test]
    fn mdbook_04_input_gets_a_clear_error() {
        let (code, _, err) = cli_run(&[], INPUT_04);
        assert_eq!(code, 2);
        assert!(err.contains("mdBook 0.4.52"), "{err}");
        assert!(err.contains(">=0.5.0, <0.6.0"), "{err}");
        assert!(!err.contains("missing field"), "{err}");
    }

    #[test]
    fn supports_help_usage_and_extra_commands() {
        assert_eq!(cli_run(&["supports", "html"], "").0, 0);
        assert_eq!(cli_run(&["supports", "epub"], "").0, 1);
        let (code, out, err) = cli_run(&["--help"], "");
        assert_eq!((code, err.as_str()), (0, ""));
        assert!(
            out.contains("usage: mdbook-count [supports <renderer>]"),
            "{out}"
        );
        assert!(out.contains("mdbook-count echo WORD..."), "{out}");
        let (code, out, err) = cli_run(&["bogus"], "");
        assert_eq!((code, out.as_str()), (2, ""));
        assert!(err.starts_with("usage: mdbook-count"), "{err}");
        assert_eq!(
            cli_run(&["echo", "a", "b"], ""),
            (7, "a,b".into(), String::new())
        );
    }

    #[test]
    fn garbage_input_is_not_protocol() {
        let e = run(
            &Adapter::<Count>::new(DiagnosticSink::default()),
            &[],
            &b"hello"[..],
            Vec::new(),
        )
        .unwrap_err();
        assert!(matches!(e, KitError::NotJson(_)), "{e:?}");
        // What `mdbook build` shows of it: the advice, then serde's reason and position.
        let (code, out, err) = cli_run(&[], "[{\"root\": }]");
        assert_eq!((code, out.as_str()), (2, ""));
        assert_eq!(
            err,
            "mdbook-count: the input is not mdBook preprocessor JSON; this command is run by `mdbook build` (or asked `supports <renderer>`): expected value at line 1 column 11\n"
        );
        let (code, _, err) = cli_run(&[], "[{\"root\": \"/\"}]");
        assert_eq!(code, 2);
        assert!(err.contains("(expected `[context, book]`"), "{err}");
    }

    #[test]
    fn unreadable_input_shows_mdbook_s_reason() {
        // Version-checked, but the book is not a book: serde's words reach stderr.
        let input = INPUT_05.replace(r#""items":"#, r#""itemz":"#);
        let (code, _, err) = cli_run(&[], &input);
        assert_eq!(code, 2);
        assert!(
            err.starts_with("mdbook-count: cannot read mdBook's input: "),
            "{err}"
        );
        assert!(err.contains("missing field `items`"), "{err}");
    }
}
