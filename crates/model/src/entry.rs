//! Catalog entries: one technology per list item,
//! `- [Name](https://github.com/owner/repo) - 一句话说明。`.
//!
//! A top-level bullet list is an *entry list* when at least one of its items
//! has that form (a link to another site: a bullet that starts with a link to
//! a page of the book is a cross-reference, not an entry). Items that start
//! with a link but are not well-formed entries are reported one by one as
//! [`EntryProblem`]s; ordinary bullets mixed into an entry list are reported
//! once for the whole list ([`EntryProblemKind::MixedList`]). Optional fields go in a nested list
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
    /// Which top-level list of the page the entry is in: entries with the
    /// same value share one list.
    pub list: usize,
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
    /// An entry list that also has ordinary bullets (items that do not start
    /// with a link to another site; in a list where links without a
    /// description outnumber entries, those links too): one problem per list,
    /// at its first ordinary bullet.
    MixedList {
        /// How many well-formed entries the list has.
        entries: usize,
        /// 1-based lines of the ordinary bullets.
        bullet_lines: Vec<usize>,
    },
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
            EntryProblemKind::MixedList {
                entries,
                bullet_lines,
            } => {
                let lines: Vec<String> = bullet_lines.iter().map(usize::to_string).collect();
                let (bullets, verb) = match bullet_lines.len() {
                    1 => ("1 ordinary bullet".to_string(), "is"),
                    n => (format!("{n} ordinary bullets"), "are"),
                };
                (
                    format!(
                        "list mixes {entries} {} with {bullets} ({} {}), which {verb} not {}",
                        if *entries == 1 { "entry" } else { "entries" },
                        if bullet_lines.len() == 1 {
                            "line"
                        } else {
                            "lines"
                        },
                        lines.join(", "),
                        if bullet_lines.len() == 1 {
                            "an entry"
                        } else {
                            "entries"
                        },
                    ),
                    format!(
                        "a list with an item `{example}` is an entry list; either move the entries into a list of their own under a `###` heading, or, if this is an ordinary list, start each entry with a word (`- 见 [Name](https://…)：…`) so it reads as a bullet"
                    ),
                )
            }
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

/// Whether a link destination points to another site (`scheme:` or `//`),
/// not to a page or anchor of the book.
pub(crate) fn is_external(dest: &str) -> bool {
    let dest = dest.trim();
    if dest.starts_with("//") {
        return true;
    }
    dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
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
