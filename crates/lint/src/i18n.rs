//! Findings in the book's language.
//!
//! Rules write their messages in English: that text is stable, machine
//! formats keep it and tests compare it. Translation happens at output, from
//! one catalog per language (`src/i18n/zh.txt`): pairs of an English template
//! and its translation, where `{name}` stands for a variable part (a path, a
//! code, a number) that is captured from the English text and put back into
//! the translation. No rule knows about languages.

use std::path::Path;
use std::sync::OnceLock;

use crate::Diagnostic;

/// The language findings are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English, the rules' own text.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// `en` or `zh` (what `--lang` takes).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language of a BCP 47 tag as book.toml's `[book] language` holds
    /// it: `zh`, `zh-CN`, `zh-Hans`, `zh-TW` … are Chinese, anything else
    /// English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language of the book at `root` (`[book] language` of its
    /// book.toml); English when the file or the key is missing.
    pub fn of_book(root: &Path) -> Lang {
        let Ok(text) = std::fs::read_to_string(root.join("book.toml")) else {
            return Lang::En;
        };
        let Ok(value) = text.parse::<toml::Table>() else {
            return Lang::En;
        };
        value
            .get("book")
            .and_then(|b| b.get("language"))
            .and_then(|l| l.as_str())
            .map_or(Lang::En, Lang::from_tag)
    }

    /// `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The words the formats put around findings.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN_WORDS,
            Lang::Zh => &ZH_WORDS,
        }
    }
}

/// Fixed words of the human and Markdown formats.
#[derive(Debug)]
pub struct Words {
    /// Labels of the human format's notes (position, help, fix).
    pub labels: archmanual_diagnostics::Labels,
    /// The human format's line when nothing was found.
    pub no_findings: &'static str,
    /// The Markdown format's line when nothing was found.
    pub no_findings_md: &'static str,
    /// The Markdown table's header row.
    pub table_header: &'static str,
    /// The end of a sentence (`.`, `。`).
    pub full_stop: &'static str,
    chinese: bool,
}

impl Words {
    /// `3 error(s), 1 warning(s), 0 note(s)` in this language.
    pub fn counts(&self, c: archmanual_diagnostics::Counts) -> String {
        if self.chinese {
            format!(
                "{} 个错误，{} 个警告，{} 个提示",
                c.errors, c.warnings, c.notes
            )
        } else {
            format!(
                "{} error(s), {} warning(s), {} note(s)",
                c.errors, c.warnings, c.notes
            )
        }
    }

    /// `; N fixable with archmanual lint --fix` in this language.
    pub fn fixable(&self, n: usize) -> String {
        if self.chinese {
            format!("；其中 {n} 个可用 `archmanual lint --fix` 自动修复")
        } else {
            format!("; {n} fixable with `archmanual lint --fix`")
        }
    }
}

static EN_WORDS: Words = Words {
    labels: archmanual_diagnostics::Labels::ENGLISH,
    no_findings: "no findings",
    no_findings_md: "No findings.",
    table_header: "| | Location | Rule | Message |",
    full_stop: ".",
    chinese: false,
};

static ZH_WORDS: Words = Words {
    labels: archmanual_diagnostics::Labels {
        at: "位置：",
        help: "建议",
        fix: "修复",
        nothing: "（删除）",
        colon: "：",
    },
    no_findings: "没有发现问题",
    no_findings_md: "没有发现问题。",
    table_header: "| | 位置 | 规则 | 说明 |",
    full_stop: "。",
    chinese: true,
};

/// A finding's text in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localised {
    /// The message.
    pub message: String,
    /// The help, if the finding has one.
    pub help: Option<String>,
    /// What the fix does, if the finding has a fix.
    pub fix: Option<String>,
}

/// `d`'s message, help and fix description in `lang`; a text the catalog
/// has no entry for stays English.
pub fn localise(lang: Lang, d: &Diagnostic) -> Localised {
    let tr = |s: &str| translate(lang, s).unwrap_or_else(|| s.to_string());
    Localised {
        message: tr(&d.message),
        help: d.help.as_deref().map(tr),
        fix: d.fix.as_ref().map(|f| tr(&f.message)),
    }
}

/// Copies of `diagnostics` with their text in `lang` (for the formats that
/// show only one language).
pub fn localise_all(lang: Lang, diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let l = localise(lang, d);
            let mut d = d.clone();
            d.message = l.message;
            d.help = l.help;
            if let (Some(f), Some(m)) = (&mut d.fix, l.fix) {
                f.message = m;
            }
            d
        })
        .collect()
}

/// `text` (an English message, help or fix description) in `lang`, or
/// `None` when `lang` is Chinese and the catalog has no entry for it.
pub fn translate(lang: Lang, text: &str) -> Option<String> {
    match lang {
        Lang::En => Some(text.to_string()),
        Lang::Zh => {
            let (entry, values) = best_match(zh(), text)?;
            Some(fill(&entry.to, &values))
        }
    }
}

/// The English template of the catalog entry `text` matches, if any (for
/// tests that every text has an entry).
pub fn template_of(lang: Lang, text: &str) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::Zh => best_match(zh(), text).map(|(e, _)| e.from_text.as_str()),
    }
}

/// The English templates and translations of `lang`'s catalog.
pub fn catalog(lang: Lang) -> Vec<(&'static str, &'static str)> {
    match lang {
        Lang::En => Vec::new(),
        Lang::Zh => zh()
            .iter()
            .map(|e| (e.from_text.as_str(), e.to.as_str()))
            .collect(),
    }
}

/// One piece of a template.
#[derive(Debug)]
enum Piece {
    Lit(String),
    Var(String),
}

/// A catalog entry.
#[derive(Debug)]
struct Entry {
    from_text: String,
    from: Vec<Piece>,
    to: String,
}

fn zh() -> &'static [Entry] {
    static ZH: OnceLock<Vec<Entry>> = OnceLock::new();
    ZH.get_or_init(|| parse_catalog(include_str!("i18n/zh.txt")))
}

/// Parses `en: …` / `zh: …` line pairs; `#` lines are comments.
fn parse_catalog(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut from: Option<&str> = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(en) = line.strip_prefix("en: ") {
            assert!(from.is_none(), "i18n catalog line {}: `en:` twice", n + 1);
            from = Some(en);
        } else if let Some(to) = line.strip_prefix("zh: ") {
            let en = from
                .take()
                .unwrap_or_else(|| panic!("i18n catalog line {}: `zh:` without `en:`", n + 1));
            out.push(Entry {
                from_text: en.to_string(),
                from: pieces(en),
                to: to.to_string(),
            });
        } else {
            panic!("i18n catalog line {}: expected `en: ` or `zh: `", n + 1);
        }
    }
    assert!(from.is_none(), "i18n catalog ends with an `en:` line");
    out
}

/// Splits a template into literals and `{name}` variables (`{{` and `}}`
/// are literal braces).
fn pieces(template: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("{{") {
            lit.push('{');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("}}") {
            lit.push('}');
            rest = r;
        } else if c == '{'
            && let Some(close) = rest.find('}')
            && rest[1..close]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && close > 1
        {
            if !lit.is_empty() {
                out.push(Piece::Lit(std::mem::take(&mut lit)));
            }
            out.push(Piece::Var(rest[1..close].to_string()));
            rest = &rest[close + 1..];
        } else {
            lit.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    out
}

/// A matched entry and the values of its variables.
type Match<'a> = (&'a Entry, Vec<(&'a str, String)>);

/// The entry whose template matches all of `text`; of several, the one with
/// the most literal text (the most specific).
fn best_match<'a>(entries: &'a [Entry], text: &str) -> Option<Match<'a>> {
    let mut best: Option<(usize, Match<'a>)> = None;
    for e in entries {
        let mut values = Vec::new();
        if matches(&e.from, text, &mut values) {
            let literal: usize = e
                .from
                .iter()
                .map(|p| match p {
                    Piece::Lit(l) => l.len(),
                    Piece::Var(_) => 0,
                })
                .sum();
            if best.as_ref().is_none_or(|(l, _)| literal > *l) {
                let values = values
                    .into_iter()
                    .map(|(k, v): (&str, &str)| (k, v.to_string()))
                    .collect();
                best = Some((literal, (e, values)));
            }
        }
    }
    best.map(|(_, m)| m)
}

/// True if `pieces` match all of `text`; `values` gets the variables.
fn matches<'p, 't>(
    pieces: &'p [Piece],
    text: &'t str,
    values: &mut Vec<(&'p str, &'t str)>,
) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Lit(l), rest)) => text
            .strip_prefix(l.as_str())
            .is_some_and(|t| matches(rest, t, values)),
        Some((Piece::Var(name), rest)) => {
            let next = rest.first();
            // A variable runs to an occurrence of the next literal (or to
            // the end); try each, shortest first.
            let ends: Vec<usize> = match next {
                None => vec![text.len()],
                Some(Piece::Lit(l)) => text.match_indices(l.as_str()).map(|(i, _)| i).collect(),
                Some(Piece::Var(_)) => text.char_indices().map(|(i, _)| i).collect(),
            };
            for end in ends {
                let mark = values.len();
                values.push((name.as_str(), &text[..end]));
                if matches(rest, &text[end..], values) {
                    return true;
                }
                values.truncate(mark);
            }
            false
        }
    }
}

/// `template` with each `{name}` replaced by its value.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::new();
    for p in pieces(template) {
        match p {
            Piece::Lit(l) => out.push_str(&l),
            Piece::Var(name) => match values.iter().find(|(k, _)| *k == name) {
                // `{lines}`-style lists: `5, 7, 8` → `5、7、8`.
                Some((_, v)) if name.starts_with("list") => out.push_str(&v.replace(", ", "、")),
                Some((_, v)) => out.push_str(v),
                None => {
                    out.push('{');
                    out.push_str(&name);
                    out.push('}');
                }
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_of_book_toml_tags() {
        for tag in ["zh", "zh-CN", "zh-Hans", "zh-TW", "ZH_hk"] {
            assert_eq!(Lang::from_tag(tag), Lang::Zh, "{tag}");
        }
        for tag in ["en", "en-US", "", "ja", "zhx"] {
            assert_eq!(Lang::from_tag(tag), Lang::En, "{tag}");
        }
    }

    #[test]
    fn variables_are_captured_and_reordered() {
        let entries = parse_catalog(
            "en: `{a}` links the same repository as `{b}` on line {n}\nzh: a={a} b={b} n={n}\n\
             en: `{a}` links the same repository as `{b}` on line {n} in the same list\nzh: list {n} {b} {a}\n",
        );
        let (e, v) =
            best_match(&entries, "`X` links the same repository as `Y` on line 5").unwrap();
        assert_eq!(fill(&e.to, &v), "a=X b=Y n=5");
        // The more specific entry wins over a variable that swallows the tail.
        let (e, v) = best_match(
            &entries,
            "`X` links the same repository as `Y` on line 5 in the same list",
        )
        .unwrap();
        assert_eq!(fill(&e.to, &v), "list 5 Y X");
        assert!(best_match(&entries, "something else").is_none());
    }

    #[test]
    fn braces_in_templates() {
        let entries = parse_catalog("en: add `{{#id}}` to {what}\nzh: 给{what}加上 `{{#id}}`\n");
        let (e, v) = best_match(&entries, "add `{#id}` to the heading").unwrap();
        assert_eq!(fill(&e.to, &v), "给the heading加上 `{#id}`");
    }
}
