//! Errors and warnings about one diagram, located by byte span in its source.

use crate::ast::Span;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The diagram is not rendered.
    Error,
    /// Rendered, but probably not what the author meant.
    Warning,
}

/// A problem in a diagram source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DiagramError {
    /// Stable code: `PD001` syntax, `PD002` semantics, `PD003` limits, `PD004` unsafe value,
    /// `PD005` extension used in a `mermaid` fence, `PD010` protocol warning.
    pub code: &'static str,
    /// Error or warning.
    pub level: Level,
    /// Where, in bytes of the diagram source.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

impl DiagramError {
    pub(crate) fn new(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        DiagramError {
            code,
            level: Level::Error,
            span,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn warning(span: Span, message: impl Into<String>) -> Self {
        DiagramError {
            code: "PD010",
            level: Level::Warning,
            span,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column (in characters) of the error in `source`.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        let mut at = self.span.start.min(source.len());
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        let before = &source[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line, col)
    }
}

/// Resource limits; exceeding one is a `PD003` error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of diagram source.
    pub max_source_bytes: usize,
    /// Participants.
    pub max_participants: usize,
    /// Statements.
    pub max_events: usize,
    /// Nesting depth of fragments.
    pub max_depth: usize,
    /// Characters in one label.
    pub max_label_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_source_bytes: 256 * 1024,
            max_participants: 64,
            max_events: 5000,
            max_depth: 32,
            max_label_chars: 4096,
        }
    }
}
