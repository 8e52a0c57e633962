//! Output formats, each behind the [`Format`] trait.
//!
//! `json` names files relative to the book's source directory (as the
//! diagnostics do); `sarif`, `github`, `rdjson` and `markdown` name them
//! relative to the repository root ([`Report::src_prefix`] + file), because
//! that is what GitHub and reviewdog resolve.

mod github;
mod human;
mod json;
mod markdown;
mod rdjson;
mod sarif;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use archmanual_diagnostics::SourceProvider;

use crate::Diagnostic;

pub use github::escape_data as github_escape_data;
pub use github::escape_property as github_escape_property;

/// What a format writes out.
pub struct Report<'a> {
    /// The findings, sorted.
    pub diagnostics: &'a [Diagnostic],
    /// Chapter sources, for excerpts, byte columns and fingerprints.
    pub sources: &'a dyn SourceProvider,
    /// The book's source directory relative to the repository root (e.g. `book`).
    pub src_prefix: &'a Path,
    /// Colour for the human format.
    pub color: bool,
    /// The language of the text (see [`crate::i18n`]); machine formats keep
    /// English and add this language's text beside it.
    pub lang: crate::i18n::Lang,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("diagnostics", &self.diagnostics.len())
            .field("src_prefix", &self.src_prefix)
            .finish()
    }
}

impl Report<'_> {
    /// `file` relative to the repository root, `/`-separated.
    pub fn repo_path(&self, file: &Path) -> String {
        let p: PathBuf = self.src_prefix.join(file);
        p.to_string_lossy().replace('\\', "/")
    }

    /// The source line (without newline) of 1-based `line` in `file`.
    pub fn line_text(&self, file: &Path, line: usize) -> Option<&str> {
        self.sources.source(file)?.lines().nth(line.checked_sub(1)?)
    }
}

/// An output format.
pub trait Format: Sync {
    /// The name given to `--format`.
    fn name(&self) -> &'static str;
    /// Writes `report` to `out`.
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()>;
}

static FORMATS: &[&dyn Format] = &[
    &human::Human,
    &json::Json,
    &sarif::Sarif,
    &github::Github,
    &rdjson::Rdjson,
    &markdown::Markdown,
];

/// Every format, human first.
pub fn formats() -> &'static [&'static dyn Format] {
    FORMATS
}

/// The format called `name`.
pub fn by_name(name: &str) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|f| f.name() == name)
}

/// 1-based line and 1-based UTF-8 byte column of byte `offset` in `source`.
pub(crate) fn byte_position(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// Where the manual is published (.github/workflows/pages.yml).
const SITE_URL: &str = "https://archmanual.github.io/archmanual/";

/// The rule reference page, relative to the book's `src` (and to [`SITE_URL`]
/// once rendered, with `.md` → `.html`).
const RULES_PAGE: &str = "contributing/lint.md";

/// The rule documentation URL for `code`: its heading (`{#amnnn}`, see
/// [`crate::docs::rules_page`]) on the published rule reference.
pub(crate) fn rule_url(code: &str) -> String {
    format!(
        "{SITE_URL}{}#{}",
        RULES_PAGE.replace(".md", ".html"),
        code.to_ascii_lowercase()
    )
}

#[cfg(test)]
mod tests {
    use super::{RULES_PAGE, SITE_URL, rule_url};

    #[test]
    fn rule_urls_land_on_the_rules_heading_of_the_published_page() {
        // The page the URLs name is the generated rule reference in the book.
        let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book");
        let on_disk = std::fs::read_to_string(book.join(RULES_PAGE)).unwrap();
        for rule in crate::rules() {
            let m = rule.meta();
            let url = rule_url(m.code);
            let (page, id) = url.split_once('#').unwrap();
            assert_eq!(
                page.strip_prefix(SITE_URL),
                Some("contributing/lint.html"),
                "{url}"
            );
            // mdBook renders `## … {#id}` as a heading with exactly that id.
            let heading = format!("\n## {} {} {{#{id}}}\n", m.code, m.name);
            assert!(on_disk.contains(&heading), "{url}: no heading {heading:?}");
        }
    }
}
