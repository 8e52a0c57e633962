#![doc = include_str!("../README.md")]

use std::io::{Read, Write};

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use serde::de::DeserializeOwned;

/// The mdBook versions whose JSON protocol we speak.
pub const SUPPORTED_MDBOOK: &str = ">=0.5.0, <0.6.0";

/// Keys mdBook itself reads from a `[preprocessor.NAME]` table.
pub use archmanual_model::MDBOOK_KEYS;

/// What can go wrong while speaking the protocol.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    /// Reading stdin or writing stdout failed.
    #[error("{what}: {source}")]
    Io {
        /// What we were doing.
        what: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not the `[context, book]` JSON array mdBook sends.
    #[error(
        "the input is not mdBook preprocessor JSON ({0}); run this through `mdbook build`, or as `{{name}} supports <renderer>`"
    )]
    NotProtocol(String),
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
    #[error("cannot read mdBook's input: {0}")]
    Input(#[source] serde_json::Error),
    /// The preprocessor failed.
    #[error("{0:#}")]
    Preprocessor(#[source] anyhow_like::Error),
    /// A `[preprocessor.NAME]` setting is wrong.
    #[error(transparent)]
    Config(archmanual_model::ConfigError),
    /// Unknown command line.
    #[error(
        "usage: {0} [supports <renderer>]  (normally run by mdBook, which sends JSON on stdin)"
    )]
    Usage(String),
}

/// mdBook's error type is `anyhow::Error`; we keep it opaque.
pub mod anyhow_like {
    /// The error a [`mdbook_preprocessor::Preprocessor`] returns.
    pub type Error = mdbook_preprocessor::errors::Error;
}

/// Checks the `mdbook_version` of raw input JSON before deserializing it, so
/// an mdBook 0.4 caller gets a clear message instead of "missing field `items`".
pub fn check_input_version(name: &str, input: &serde_json::Value) -> Result<(), KitError> {
    let found = input
        .get(0)
        .and_then(|ctx| ctx.get("mdbook_version"))
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            KitError::NotProtocol("expected `[context, book]` with `context.mdbook_version`".into())
        })?;
    let req = semver::VersionReq::parse(SUPPORTED_MDBOOK)
        .map_err(|e| KitError::NotProtocol(e.to_string()))?;
    let ok = semver::Version::parse(found).is_ok_and(|v| {
        // Pre-releases of 0.5 (0.5.0-alpha.x) speak the 0.5 protocol too.
        req.matches(&v) || (v.major == 0 && v.minor == 5)
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
    let value: serde_json::Value =
        serde_json::from_str(&raw).map_err(|e| KitError::NotProtocol(e.to_string()))?;
    check_input_version(name, &value)?;
    mdbook_preprocessor::parse_input(raw.as_bytes()).map_err(|e| {
        KitError::Input(serde_json::Error::io(std::io::Error::other(format!(
            "{e:#}"
        ))))
    })
}

/// What [`run`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `supports <renderer>`: whether the renderer is supported (exit 0 / 1).
    Supports(bool),
    /// The book was processed and written out.
    Processed,
}

/// Runs one invocation of a preprocessor binary: `args` are the command-line
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Nop;
    impl Preprocessor for Nop {
        fn name(&self) -> &str {
            "nop"
        }
        fn run(
            &self,
            _: &PreprocessorContext,
            book: Book,
        ) -> mdbook_preprocessor::errors::Result<Book> {
            Ok(book)
        }
        fn supports_renderer(&self, r: &str) -> mdbook_preprocessor::errors::Result<bool> {
            Ok(r == "html")
        }
    }

    const INPUT_05: &str = r##"[{"root":"/b","config":{"book":{"title":"T","authors":[],"language":"zh-CN"}},"renderer":"html","mdbook_version":"0.5.4"},{"items":[{"Chapter":{"name":"简介","content":"# 简介","number":null,"sub_items":[],"path":"index.md","source_path":"README.md","parent_names":[]}}]}]"##;
    const INPUT_04: &str = r#"[{"root":"/b","config":{"book":{"title":"T"}},"renderer":"html","mdbook_version":"0.4.52"},{"sections":[],"__non_exhaustive":null}]"#;

    #[test]
    fn round_trips_a_05_book() {
        let mut out = Vec::new();
        let r = run(&Nop, &[], INPUT_05.as_bytes(), &mut out).unwrap();
        assert_eq!(r, Outcome::Processed);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["items"][0]["Chapter"]["name"], "简介");
    }

    #[test]
    fn mdbook_04_input_gets_a_clear_error() {
        let e = run(&Nop, &[], INPUT_04.as_bytes(), Vec::new()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("mdBook 0.4.52"), "{msg}");
        assert!(msg.contains(">=0.5.0, <0.6.0"), "{msg}");
        assert!(!msg.contains("missing field"), "{msg}");
    }

    #[test]
    fn supports_answers_per_renderer() {
        let args = |r: &str| vec!["supports".to_string(), r.to_string()];
        assert_eq!(
            run(&Nop, &args("html"), &[][..], Vec::new()).unwrap(),
            Outcome::Supports(true)
        );
        assert_eq!(
            run(&Nop, &args("epub"), &[][..], Vec::new()).unwrap(),
            Outcome::Supports(false)
        );
        assert!(matches!(
            run(&Nop, &["bogus".into()], &[][..], Vec::new()),
            Err(KitError::Usage(_))
        ));
    }

    #[test]
    fn garbage_input_is_not_protocol() {
        let e = run(&Nop, &[], &b"hello"[..], Vec::new()).unwrap_err();
        assert!(matches!(e, KitError::NotProtocol(_)));
    }
}
