//! Per chapter: diagnostics for every GitHub link, badges for every entry.

use std::collections::HashMap;
use std::path::Path;

use archmanual_diagnostics::{Diagnostic, Fix, Severity};
use archmanual_github_snapshot::{
    OwnerEntry, RepoMeta, Snapshot, SnapshotEntry, format_count, format_stars, parse_star_count,
};
use archmanual_github_url::{GithubLink, RepoKey, classify};
use archmanual_model::{Document, ParseOptions, Span};

use crate::GithubConfig;
use crate::codes;

/// The result of annotating one chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotated {
    /// The chapter's Markdown with badges inserted after each entry's link.
    pub content: String,
    /// Findings about the chapter's GitHub links.
    pub diagnostics: Vec<Diagnostic>,
    /// Entries that got a star count.
    pub starred: usize,
}

/// Annotates one chapter's Markdown. `file` names the chapter in
/// diagnostics (relative to the book's `src`); with `diagnose = false` only
/// badges are inserted (generated pages repeat entries of real ones).
pub fn annotate_chapter(
    file: &Path,
    content: &str,
    options: &ParseOptions,
    snapshot: &Snapshot,
    config: &GithubConfig,
    diagnose: bool,
) -> Annotated {
    let doc = Document::parse(content, options);
    let mode = if diagnose {
        Mode::Full
    } else {
        Mode::BadgesOnly
    };
    annotate(file, &doc, snapshot, config, mode)
}

/// The findings [`annotate_chapter`] reports, from a chapter parsed
/// already (`archmanual lint` reuses its model instead of parsing again).
pub(crate) fn diagnose_document(
    file: &Path,
    doc: &Document,
    snapshot: &Snapshot,
    config: &GithubConfig,
) -> Vec<Diagnostic> {
    annotate(file, doc, snapshot, config, Mode::DiagnosticsOnly).diagnostics
}

/// What [`annotate`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Diagnostics and the content with badges.
    Full,
    /// Only the content with badges (generated pages repeat entries).
    BadgesOnly,
    /// Only the diagnostics (`archmanual lint`).
    DiagnosticsOnly,
}

fn annotate(
    file: &Path,
    doc: &Document,
    snapshot: &Snapshot,
    config: &GithubConfig,
    mode: Mode,
) -> Annotated {
    let diagnose = mode != Mode::BadgesOnly;
    let entry_of_link: HashMap<usize, usize> = doc
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.link, i))
        .collect();
    let mut diagnostics = Vec::new();
    let mut insertions: Vec<(usize, String)> = Vec::new();
    let mut starred = 0;
    for (li, link) in doc.links.iter().enumerate() {
        if link.image {
            continue;
        }
        let (key, is_repo_link) = match classify(&link.dest) {
            Some(GithubLink::Repo(key)) => (key, true),
            Some(GithubLink::Other {
                repo: Some(key), ..
            }) => (key, false),
            Some(GithubLink::Owner(login)) => {
                if diagnose {
                    let at = doc.location(link.dest_span.unwrap_or(link.span));
                    if let Some(d) = owner_diagnostic(file, &login, snapshot, config) {
                        diagnostics.push(d.at(at));
                    }
                }
                continue;
            }
            _ => continue,
        };
        let entry = entry_of_link.get(&li).map(|&i| &doc.entries[i]);
        let at = doc.location(link.dest_span.unwrap_or(link.span));
        let diag = |code: &str, severity: Severity, message: String| {
            Diagnostic::new(code, severity, file, message).at(at)
        };
        let snapshot_entry = snapshot.repo(key.key());
        if diagnose {
            snapshot_diagnostics(
                doc,
                link,
                &key,
                snapshot_entry,
                entry.is_some(),
                config,
                &diag,
                &mut diagnostics,
            );
        }
        let Some(SnapshotEntry::Found(meta)) = snapshot_entry else {
            continue;
        };
        if !is_repo_link {
            continue;
        }
        // Nested list items of the form `[Name](url) - …` (the generated map
        // nests entries under categories) get badges too.
        if entry.is_none() && !doc.entry_form_links.contains(&li) {
            continue;
        }
        if let Some(entry) = entry
            && diagnose
        {
            star_diagnostics(file, doc, link, entry, &key, meta, config, &mut diagnostics);
        }
        let badge = badge_html(&key, meta, config);
        if !badge.is_empty() {
            if config.stars {
                starred += 1;
            }
            insertions.push((link.span.end, badge));
        }
    }
    let mut out = String::new();
    if mode != Mode::DiagnosticsOnly {
        out = doc.source.clone();
        insertions.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        for (at, html) in insertions {
            out.insert_str(at, &html);
        }
    }
    Annotated {
        content: out,
        diagnostics,
        starred,
    }
}

/// What the snapshot says about a linked repository: not in it, missing,
/// blocked, or what [`meta_diagnostics`] finds in its metadata.
#[allow(clippy::too_many_arguments, reason = "the parts of one link's check")]
fn snapshot_diagnostics(
    doc: &Document,
    link: &archmanual_model::Link,
    key: &RepoKey,
    snapshot_entry: Option<&SnapshotEntry>,
    is_entry: bool,
    config: &GithubConfig,
    diag: &dyn Fn(&str, Severity, String) -> Diagnostic,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match snapshot_entry {
        None => diagnostics.push(
            diag(
                codes::NOT_IN_SNAPSHOT,
                Severity::Warning,
                format!("GitHub repository `{key}` is not in the snapshot"),
            )
            .with_help(format!(
                "run `archmanual refresh` (needs GITHUB_TOKEN) and commit book/{}",
                config.snapshot
            )),
        ),
        Some(SnapshotEntry::Missing { fetched_at }) => diagnostics.push(
            diag(
                codes::MISSING,
                Severity::Error,
                format!(
                    "GitHub repository `{key}` does not exist or is private (snapshot of {})",
                    date(fetched_at)
                ),
            )
            .with_help(
                "link the project's current repository or official site, or remove the link",
            ),
        ),
        Some(SnapshotEntry::Blocked { reason, .. }) => diagnostics.push(
            diag(
                codes::BLOCKED,
                Severity::Error,
                format!("GitHub blocks access to `{key}` ({reason})"),
            )
            .with_help("link the project's official site instead"),
        ),
        Some(SnapshotEntry::Found(meta)) => {
            meta_diagnostics(
                doc,
                link.dest_span,
                key,
                meta,
                is_entry,
                config,
                diag,
                diagnostics,
            );
        }
    }
}

/// Hand-written star counts in an entry's description that are off.
#[allow(clippy::too_many_arguments, reason = "the parts of one link's check")]
fn star_diagnostics(
    file: &Path,
    doc: &Document,
    link: &archmanual_model::Link,
    entry: &archmanual_model::Entry,
    key: &RepoKey,
    meta: &RepoMeta,
    config: &GithubConfig,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Hand-written counts in the entry's description.
    let from = link.span.end.min(entry.item_span.end);
    let text = &doc.source[from..entry.item_span.end];
    for (range, written) in star_mentions(text) {
        if off_by_more_than(written, meta.stars, config.star_tolerance_percent) {
            let span = Span::new(from + range.start, from + range.end);
            let replacement = format_count(meta.stars);
            diagnostics.push(
                Diagnostic::new(
                    codes::STARS_OFF,
                    Severity::Warning,
                    file,
                    format!(
                        "the text says {} stars for `{key}`, the snapshot has {} ({})",
                        &doc.source[span.start..span.end],
                        meta.stars,
                        date(&meta.fetched_at)
                    ),
                )
                .at(doc.location(span))
                .with_help("update the number, or drop it: the book shows the snapshot's count")
                .with_fix(Fix {
                    message: format!("write {replacement}"),
                    start: span.start,
                    end: span.end,
                    replacement,
                }),
            );
        }
    }
}

fn owner_diagnostic(
    file: &Path,
    login: &str,
    snapshot: &Snapshot,
    config: &GithubConfig,
) -> Option<Diagnostic> {
    match snapshot.owner(login) {
        None => Some(
            Diagnostic::new(
                codes::NOT_IN_SNAPSHOT,
                Severity::Warning,
                file,
                format!("GitHub account `{login}` is not in the snapshot"),
            )
            .with_help(format!(
                "run `archmanual refresh` (needs GITHUB_TOKEN) and commit book/{}",
                config.snapshot
            )),
        ),
        Some(OwnerEntry::Missing { fetched_at }) => Some(
            Diagnostic::new(
                codes::MISSING,
                Severity::Error,
                file,
                format!(
                    "GitHub account `{login}` does not exist (snapshot of {})",
                    date(fetched_at)
                ),
            )
            .with_help("link the project's current organisation or official site"),
        ),
        Some(OwnerEntry::Found { .. }) => None,
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "internal helper with one call site"
)]
fn meta_diagnostics(
    doc: &Document,
    dest_span: Option<Span>,
    key: &RepoKey,
    meta: &RepoMeta,
    is_entry: bool,
    config: &GithubConfig,
    diag: &dyn Fn(&str, Severity, String) -> Diagnostic,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(new) = meta.renamed_from(key.key()) {
        let mut d = diag(
            codes::RENAMED,
            Severity::Warning,
            format!("GitHub repository `{key}` was renamed or moved to `{new}`"),
        )
        .with_help(format!("link https://github.com/{new} instead"));
        // Exact fix: swap the owner/name part of the destination as written.
        if let Some(span) = dest_span {
            let written = &doc.source[span.start..span.end];
            let old = format!("{}/{}", key.owner(), key.name());
            if let Some(pos) = written.find(&old) {
                d = d.with_fix(Fix {
                    message: format!("link {new}"),
                    start: span.start + pos,
                    end: span.start + pos + old.len(),
                    replacement: new.to_owned(),
                });
            }
        }
        out.push(d);
    }
    if meta.archived {
        out.push(
            diag(
                codes::ARCHIVED,
                Severity::Warning,
                format!("GitHub repository `{key}` is archived (read-only, unmaintained)"),
            )
            .with_help(
                "say so in the description, link a maintained successor, or remove the entry",
            ),
        );
    }
    if meta.disabled {
        out.push(
            diag(
                codes::DISABLED,
                Severity::Warning,
                format!("GitHub repository `{key}` is disabled by GitHub"),
            )
            .with_help("link the project's official site or a mirror instead"),
        );
    }
    if is_entry
        && let Some(min) = config.min_stars
        && meta.stars < min
    {
        out.push(
            diag(
                codes::LOW_STARS,
                Severity::Warning,
                format!(
                    "`{key}` has {} stars, below the minimum of {min} ([preprocessor.{}] min-stars)",
                    meta.stars,
                    <crate::Github as archmanual_preprocessor_kit::ArchPreprocessor>::NAME,
                ),
            )
            .with_help("keep only established projects in the catalog, or lower min-stars"),
        );
    }
}

fn off_by_more_than(written: u64, actual: u64, percent: u32) -> bool {
    let diff = u128::from(written.abs_diff(actual)) * 100;
    diff > u128::from(actual) * u128::from(percent)
}

/// The date part of an RFC 3339 timestamp.
fn date(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// Inline styles, so badges look right without extra CSS (classes are
/// there for themes that want to restyle them).
const STARS_STYLE: &str = "font-size:0.85em;opacity:0.75;white-space:nowrap";
const BADGE_STYLE: &str = "font-size:0.8em;padding:0 0.35em;border:1px solid currentColor;border-radius:3px;white-space:nowrap";

/// The inline HTML after an entry's link: stars, archived/disabled badges,
/// a renamed notice. Everything from the API is escaped.
pub fn badge_html(key: &RepoKey, meta: &RepoMeta, config: &GithubConfig) -> String {
    let mut parts = Vec::new();
    if config.stars {
        let mut title = vec![format!("GitHub {} stars", meta.stars)];
        if let Some(d) = &meta.description {
            title.push(d.clone());
        }
        if let Some(l) = &meta.license {
            title.push(l.clone());
        }
        if let Some(l) = &meta.language {
            title.push(l.clone());
        }
        title.push(format!("快照 {}", date(&meta.fetched_at)));
        parts.push(format!(
            r#"<span class="am-gh-stars" style="{STARS_STYLE}" title="{}">{}</span>"#,
            escape(&title.join(" · ")),
            escape(&format_stars(meta.stars))
        ));
    }
    if config.badges {
        if meta.archived {
            parts.push(format!(
                r#"<span class="am-gh-badge am-gh-archived" style="{BADGE_STYLE}" title="仓库已归档（只读，不再维护）">已归档</span>"#
            ));
        }
        if meta.disabled {
            parts.push(format!(
                r#"<span class="am-gh-badge am-gh-disabled" style="{BADGE_STYLE}" title="仓库已被 GitHub 停用">已停用</span>"#
            ));
        }
        if let Some(new) = meta.renamed_from(key.key()) {
            let url = if matches!(classify(&meta.url), Some(GithubLink::Repo(_))) {
                meta.url.clone()
            } else {
                format!("https://github.com/{new}")
            };
            parts.push(format!(
                r#"<span class="am-gh-badge am-gh-renamed" style="{BADGE_STYLE}">已更名为 <a href="{}">{}</a></span>"#,
                escape(&url),
                escape(new)
            ));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(" "))
    }
}

/// Escapes text for HTML (text and attribute values) and for the Markdown
/// around inline HTML: Markdown specials become character references, which
/// both pulldown-cmark and browsers decode back to the same characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    archmanual_model::escape_html_with(text, &mut out, |c, out| {
        match c {
            '`' => out.push_str("&#96;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '\\' => out.push_str("&#92;"),
            '~' => out.push_str("&#126;"),
            '|' => out.push_str("&#124;"),
            '$' => out.push_str("&#36;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            // Line breaks would end the list item; control characters are noise.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    });
    out
}

/// Hand-written star counts in `text`: `★ 12k`, `⭐12,345`, `12.3k stars`,
/// `3万 星`, `1.2k star`. Returns the byte range of each number and its value.
pub fn star_mentions(text: &str) -> Vec<(std::ops::Range<usize>, u64)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && is_word_byte(bytes[i - 1])) {
            i += 1;
            continue;
        }
        // The number token: digits, separators, one optional unit.
        let start = i;
        let mut end = i;
        while end < text.len() && (bytes[end].is_ascii_digit() || matches!(bytes[end], b',' | b'.'))
        {
            end += 1;
        }
        while end > start && matches!(bytes[end - 1], b',' | b'.') {
            end -= 1;
        }
        let rest = &text[end..];
        let unit_len = ['k', 'K', 'm', 'M', '万', '千']
            .iter()
            .find(|u| rest.starts_with(**u))
            .map_or(0, |u| u.len_utf8());
        let num_end = end + unit_len;
        let before = text[..start].trim_end();
        let after = text[num_end..].trim_start();
        let marked_before = before.ends_with('★') || before.ends_with('⭐');
        let after_lower = after.to_ascii_lowercase();
        let marked_after = after_lower.starts_with("stars")
            || (after_lower.starts_with("star")
                && !after.as_bytes().get(4).copied().is_some_and(is_word_byte))
            || ["★", "⭐", "颗星", "星标", "星"]
                .iter()
                .any(|m| after.starts_with(m));
        if (marked_before || marked_after)
            && let Some(value) = parse_star_count(&text[start..num_end])
        {
            out.push((start..num_end, value));
        }
        i = num_end.max(start + 1);
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_mentions_are_found_with_positions() {
        let text =
            " - 流平台（★ 28k），另有 12,345 stars 与 3万 星；版本 2.0、v1.5k 不算，1.2k star。";
        let found: Vec<(&str, u64)> = star_mentions(text)
            .into_iter()
            .map(|(r, v)| (&text[r], v))
            .collect();
        assert_eq!(
            found,
            [
                ("28k", 28_000),
                ("12,345", 12_345),
                ("3万", 30_000),
                ("1.2k", 1_200)
            ]
        );
        assert!(star_mentions("2024 年发布，starship 项目").is_empty());
    }

    #[test]
    fn entry_form_links_at_any_depth_get_badges_other_links_do_not() {
        let src =
            "- a\n  - [K](https://github.com/a/b) - x\n- 见 [K](https://github.com/a/b) - y\n";
        let doc = Document::parse(src, &ParseOptions::default());
        let first = doc
            .links
            .iter()
            .position(|l| l.span.start == src.find("[K]").unwrap());
        let second = doc
            .links
            .iter()
            .position(|l| l.span.start == src.rfind("[K]").unwrap());
        assert!(doc.entry_form_links.contains(&first.unwrap()));
        assert!(!doc.entry_form_links.contains(&second.unwrap()));
    }

    #[test]
    fn tolerance() {
        assert!(!off_by_more_than(12_000, 10_000, 20));
        assert!(off_by_more_than(12_001, 10_000, 20));
        assert!(off_by_more_than(7_999, 10_000, 20));
        assert!(!off_by_more_than(0, 0, 20));
    }

    #[test]
    fn escaping_covers_html_and_markdown() {
        let e = escape("<script>\"a\" & 'b'</script> *x* _y_ [z](u) `c`\nnext");
        for bad in ["<", ">", "\"", "'", "*", "_", "[", "]", "`", "\n"] {
            assert!(!e.contains(bad), "{bad:?} in {e}");
        }
        assert!(e.contains("&lt;script&gt;"));
    }
}
