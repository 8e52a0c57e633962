//! Inline suppression in Markdown, read from the HTML comments of the model
//! (never from raw text, so a comment inside a code block is not one):
//!
//! - `<!-- archmanual-lint-disable AM013 -->` … `<!-- archmanual-lint-enable AM013 -->`:
//!   findings between the two (from the line of `disable` on; to the end of
//!   the file without `enable`); no codes means every code. `enable` closes
//!   the `disable` of the same code or prefix, `enable` without codes closes
//!   them all.
//! - `<!-- archmanual-lint-disable-next-line AM013 -->`: findings on the
//!   next non-blank line.
//!
//! Codes may be prefixes (`GH`, `AM01`) and are separated by spaces or
//! commas. A `disable` on the first line also covers findings about the whole
//! file (those without a line). Suppressions that suppress nothing, unknown
//! codes and unknown `archmanual-lint-*` directives are AM021 findings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use archmanual_model::{Document, Span};

use crate::config::Config;
use crate::select::Selector;
use crate::{Book, Diagnostic};

const PREFIX: &str = "archmanual-lint-";
const KINDS: &str =
    "`archmanual-lint-disable`, `archmanual-lint-enable` or `archmanual-lint-disable-next-line`";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Disable,
    Enable,
    DisableNextLine,
}

/// One `archmanual-lint-*` comment.
#[derive(Debug)]
struct Directive {
    kind: Kind,
    /// The directive's name as written, e.g. `archmanual-lint-disable`.
    name: String,
    span: Span,
    /// Empty: every code.
    selectors: Vec<Selector>,
}

/// A problem with a comment itself (reported as AM021).
#[derive(Debug)]
struct Problem {
    span: Span,
    message: String,
    help: String,
}

#[derive(Debug, Clone, Copy)]
enum Scope {
    /// Byte offsets `start..end`.
    Range(usize, usize),
    /// A 1-based line.
    Line(usize),
}

/// What one code (or every code) of one directive suppresses.
#[derive(Debug)]
struct Item {
    directive: usize,
    selector: Option<Selector>,
    scope: Scope,
    used: bool,
}

/// The suppressions of one file.
#[derive(Debug)]
struct FileSuppressions<'a> {
    doc: &'a Document,
    directives: Vec<Directive>,
    items: Vec<Item>,
    problems: Vec<Problem>,
}

impl<'a> FileSuppressions<'a> {
    /// Reads the directives of `doc`; `None` when it has none.
    fn read(doc: &'a Document) -> Option<Self> {
        let mut directives = Vec::new();
        let mut problems = Vec::new();
        for &span in &doc.comments {
            let text = span.text(&doc.source);
            let body = text.strip_prefix("<!--").unwrap_or(text);
            let body = body.strip_suffix("-->").unwrap_or(body).trim();
            let mut words = body
                .split([' ', '\t', '\n', '\r', ','])
                .filter(|w| !w.is_empty());
            let Some(name) = words.next().filter(|w| w.starts_with(PREFIX)) else {
                continue;
            };
            let kind = match &name[PREFIX.len()..] {
                "disable" => Kind::Disable,
                "enable" => Kind::Enable,
                "disable-next-line" => Kind::DisableNextLine,
                _ => {
                    problems.push(Problem {
                        span,
                        message: format!("unknown suppression directive `{name}`"),
                        help: format!("write {KINDS}"),
                    });
                    continue;
                }
            };
            let mut selectors = Vec::new();
            let mut written = 0;
            for w in words {
                written += 1;
                match Selector::parse(w) {
                    Ok(s) => selectors.push(s),
                    Err(e) => problems.push(Problem {
                        span,
                        message: format!("unknown rule code or prefix `{}` in `{name}`", e.given),
                        help: crate::select::valid_help(),
                    }),
                }
            }
            if written > 0 && selectors.is_empty() {
                // Only unknown codes: it suppresses nothing (not everything).
                continue;
            }
            directives.push(Directive {
                kind,
                name: name.to_string(),
                span,
                selectors,
            });
        }
        if directives.is_empty() && problems.is_empty() {
            return None;
        }
        let mut this = FileSuppressions {
            doc,
            directives,
            items: Vec::new(),
            problems,
        };
        this.build_items();
        Some(this)
    }

    fn build_items(&mut self) {
        let src = &self.doc.source;
        let mut open: Vec<usize> = Vec::new(); // indices into `items`
        for (i, d) in self.directives.iter().enumerate() {
            let one_each = |scope| -> Vec<Item> {
                if d.selectors.is_empty() {
                    vec![Item {
                        directive: i,
                        selector: None,
                        scope,
                        used: false,
                    }]
                } else {
                    d.selectors
                        .iter()
                        .map(|s| Item {
                            directive: i,
                            selector: Some(s.clone()),
                            scope,
                            used: false,
                        })
                        .collect()
                }
            };
            match d.kind {
                Kind::Disable => {
                    let line_start = src[..d.span.start].rfind('\n').map_or(0, |n| n + 1);
                    for item in one_each(Scope::Range(line_start, usize::MAX)) {
                        open.push(self.items.len());
                        self.items.push(item);
                    }
                }
                Kind::DisableNextLine => {
                    if let Some(line) = next_non_blank_line(self.doc, d.span.end) {
                        self.items.extend(one_each(Scope::Line(line)));
                    } else {
                        self.problems.push(Problem {
                            span: d.span,
                            message: format!("`{}` has no line after it", d.name),
                            help: "remove the comment".into(),
                        });
                    }
                }
                Kind::Enable => {
                    let mut close = |wanted: Option<&Selector>| {
                        let before = open.len();
                        open.retain(|&k| {
                            let item = &mut self.items[k];
                            let closes = wanted.is_none() || item.selector.as_ref() == wanted;
                            if let (true, Scope::Range(start, _)) = (closes, item.scope) {
                                item.scope = Scope::Range(start, d.span.start);
                            }
                            !closes
                        });
                        open.len() < before
                    };
                    let unmatched: Vec<String> = if d.selectors.is_empty() {
                        if close(None) {
                            vec![]
                        } else {
                            vec!["any code".into()]
                        }
                    } else {
                        d.selectors
                            .iter()
                            .filter(|s| !close(Some(s)))
                            .map(|s| format!("`{s}`"))
                            .collect()
                    };
                    if !unmatched.is_empty() {
                        self.problems.push(Problem {
                            span: d.span,
                            message: format!(
                                "`{}` ends no earlier `archmanual-lint-disable` of {}",
                                d.name,
                                unmatched.join(", ")
                            ),
                            help: "remove it, or give it the codes of the `archmanual-lint-disable` it ends".into(),
                        });
                    }
                }
            }
        }
    }

    /// True if `d` is suppressed; marks every suppression that covers it.
    fn suppress(&mut self, d: &Diagnostic) -> bool {
        let offset = d.location.map_or(0, |l| l.start);
        let line = d.location.map(|l| l.line);
        let mut hit = false;
        for item in &mut self.items {
            if item.selector.as_ref().is_some_and(|s| !s.matches(&d.code)) {
                continue;
            }
            let covers = match item.scope {
                Scope::Range(start, end) => start <= offset && offset < end,
                Scope::Line(l) => line == Some(l),
            };
            if covers {
                item.used = true;
                hit = true;
            }
        }
        hit
    }

    /// AM021 findings: problems, then unused suppressions whose codes were on.
    fn report(self, file: &Path, config: &Config, out: &mut Vec<Diagnostic>) {
        let Some(meta) = crate::rule("AM021").map(|r| r.meta()) else {
            return;
        };
        let mut push = |span: Span, message: String, help: String| {
            out.push(
                Diagnostic::new(meta.code, meta.severity, file, message)
                    .at(self.doc.location(span))
                    .with_help(help),
            );
        };
        for p in self.problems {
            push(p.span, p.message, p.help);
        }
        for item in self.items.iter().filter(|i| !i.used) {
            let d = &self.directives[item.directive];
            match &item.selector {
                // Only judged when the code could have been reported here.
                Some(s) if crate::codes::all().any(|c| s.matches(c) && config.enabled(c, file)) => {
                    push(
                        d.span,
                        format!("`{} {s}` suppresses nothing: no {s} finding here", d.name),
                        format!("remove `{s}` from the comment, or the comment"),
                    )
                }
                None if config.everything_enabled(file) => push(
                    d.span,
                    format!("`{}` suppresses nothing: no finding here", d.name),
                    "remove the comment".into(),
                ),
                _ => {}
            }
        }
    }
}

/// The 1-based number of the first non-blank line after the line holding `end`.
fn next_non_blank_line(doc: &Document, end: usize) -> Option<usize> {
    let src = &doc.source;
    let mut at = src[end..].find('\n').map(|n| end + n + 1)?;
    while at < src.len() {
        let line_end = src[at..].find('\n').map_or(src.len(), |n| at + n);
        if !src[at..line_end].trim().is_empty() {
            return Some(doc.line_col(at).0);
        }
        at = line_end + 1;
    }
    None
}

/// Applies `config` and the inline suppressions to the rules' findings, and
/// adds the AM021 findings about suppression comments.
pub(crate) fn apply(book: &Book, config: &Config, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let summary_doc;
    let mut docs: HashMap<&Path, &Document> = book
        .model
        .chapters
        .iter()
        .filter_map(|c| Some((c.source_path.as_deref()?, &c.doc)))
        .collect();
    let summary = Path::new("SUMMARY.md");
    if !docs.contains_key(summary) && book.summary.contains(PREFIX) {
        summary_doc = Document::parse(book.summary.as_str(), &book.options);
        docs.insert(summary, &summary_doc);
    }
    let mut files: HashMap<PathBuf, FileSuppressions<'_>> = docs
        .into_iter()
        .filter(|(_, doc)| {
            doc.comments
                .iter()
                .any(|c| c.text(&doc.source).contains(PREFIX))
        })
        .filter_map(|(p, doc)| Some((p.to_path_buf(), FileSuppressions::read(doc)?)))
        .collect();
    let mut out: Vec<Diagnostic> = found
        .into_iter()
        .filter(|d| config.enabled(&d.code, &d.file))
        .filter(|d| !files.get_mut(&d.file).is_some_and(|f| f.suppress(d)))
        .collect();
    let mut paths: Vec<PathBuf> = files.keys().cloned().collect();
    paths.sort();
    for p in paths {
        if config.enabled("AM021", &p)
            && let Some(f) = files.remove(&p)
        {
            f.report(&p, config, &mut out);
        }
    }
    crate::sort(&mut out);
    out
}
