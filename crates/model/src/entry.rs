//! Catalog entries: one technology per list item,
//! `- [Name](https://github.com/owner/repo) - 一句话说明。`.
//!
//! A top-level bullet list is an *entry list* when at least one of its items
//! has that form; then every item of the list must have it, and anything else
//! is reported as an [`EntryProblem`]. Optional fields go in a nested list
//! right under the entry: `官网: https://…` (homepage) and `标签: a, b` (tags).
//! Entries are grouped by the nearest `###` (or deeper) heading above them.

use serde::Serialize;

use crate::span::Span;

/// One catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The project's name (the link text).
    pub name: String,
    /// The project's link, as written.
    pub url: String,
    /// The one-line description (plain text, separator removed).
    pub description: String,
    /// The description as written in Markdown (inline code, emphasis kept).
    pub description_markdown: String,
    /// Text of the `###`-or-deeper heading the entry sits under, if any.
    pub group: Option<String>,
    /// Homepage from a `官网:` / `homepage:` field.
    pub homepage: Option<String>,
    /// Tags from a `标签:` / `tags:` field.
    pub tags: Vec<String>,
    /// Index of the entry's link in [`crate::Document::links`].
    pub link: usize,
    /// The entry's first line (from the list marker's content to the end of the description).
    pub span: Span,
    /// The name as written (inside the brackets).
    pub name_span: Span,
    /// The whole list item, fields included.
    pub item_span: Span,
}

/// What is wrong with an item of an entry list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryProblemKind {
    /// `[Name]` with no link at all.
    BracketedNameWithoutLink,
    /// `[Name]()`: the link target is empty.
    EmptyLink,
    /// A link but no ` - 说明` after it.
    MissingDescription,
    /// The item does not start with a link.
    NotAnEntry,
    /// A nested item is another entry (nesting is not grouping).
    NestedEntry,
    /// A nested field with an unknown key.
    UnknownField(String),
    /// A nested item that is not `key: value`.
    MalformedField,
}

/// An item of an entry list that is not a well-formed entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryProblem {
    /// What is wrong.
    pub kind: EntryProblemKind,
    /// Where (the item's first line, or the offending field).
    pub span: Span,
    /// The item's text as written (first line).
    pub text: String,
}

impl EntryProblem {
    /// A message saying what is wrong and what to write instead.
    pub fn message(&self) -> (String, String) {
        let example = "- [Name](https://github.com/owner/repo) - 一句话说明。";
        match &self.kind {
            EntryProblemKind::BracketedNameWithoutLink => (
                format!("entry `{}` has no link", self.text.trim()),
                format!("write it as `{example}` with the project's repository or official site"),
            ),
            EntryProblemKind::EmptyLink => (
                format!("entry `{}` has an empty link target", self.text.trim()),
                "put the project's repository URL (or official site) between the parentheses"
                    .into(),
            ),
            EntryProblemKind::MissingDescription => (
                format!("entry `{}` has no description", self.text.trim()),
                format!("add ` - ` and a one-sentence description after the link: `{example}`"),
            ),
            EntryProblemKind::NotAnEntry => (
                format!(
                    "item `{}` in an entry list is not an entry",
                    self.text.trim()
                ),
                format!(
                    "every item of an entry list must be `{example}`; move other bullets under a different heading"
                ),
            ),
            EntryProblemKind::NestedEntry => (
                format!("nested entry `{}`", self.text.trim()),
                "entries cannot nest; group entries under a `### 分组` heading instead".into(),
            ),
            EntryProblemKind::UnknownField(key) => (
                format!("unknown entry field `{key}`"),
                "the fields are `官网: <url>` (homepage) and `标签: a, b` (tags)".into(),
            ),
            EntryProblemKind::MalformedField => (
                format!(
                    "nested item `{}` under an entry is not a field",
                    self.text.trim()
                ),
                "write fields as `  - 官网: https://…` or `  - 标签: a, b`".into(),
            ),
        }
    }
}

/// Recognised field keys (lower-cased) and what they mean.
pub(crate) enum FieldKey {
    Homepage,
    Tags,
}

pub(crate) fn field_key(key: &str) -> Option<FieldKey> {
    match key.trim().to_lowercase().as_str() {
        "官网" | "homepage" | "website" => Some(FieldKey::Homepage),
        "标签" | "tags" => Some(FieldKey::Tags),
        _ => None,
    }
}

/// Splits `key: value` / `key：value`.
pub(crate) fn split_field(text: &str) -> Option<(&str, &str)> {
    let (i, sep_len) = text
        .char_indices()
        .find(|(_, c)| *c == ':' || *c == '：')
        .map(|(i, c)| (i, c.len_utf8()))?;
    let key = text[..i].trim();
    if key.is_empty() || key.contains(char::is_whitespace) || key.chars().count() > 12 {
        return None;
    }
    Some((key, text[i + sep_len..].trim()))
}

/// Strips the separator between link and description: ` - `, ` – `, ` — `, `:`, `：`.
/// Returns `None` when there is no separator.
pub(crate) fn strip_separator(rest: &str) -> Option<&str> {
    let t = rest.trim_start();
    for sep in ["-", "–", "—", "：", ":"] {
        if let Some(r) = t.strip_prefix(sep) {
            // `-` must be followed by whitespace, so `[x](y)-foo` is not a separator.
            if sep == "-" && !r.starts_with(char::is_whitespace) {
                return None;
            }
            return Some(r.trim());
        }
    }
    None
}
