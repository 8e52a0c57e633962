//! The JSON report (for tools and the artifact) and the Markdown report (for
//! the rolling issue and `$GITHUB_STEP_SUMMARY`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::{LinkKind, Occurrence, RotRule, Status};

/// GitHub's limit for a step summary is 1 MiB; stay a little under it.
pub const MAX_MARKDOWN_BYTES: usize = 1024 * 1024 - 1024;

/// The whole report (`--report-json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Format version (1).
    pub version: u32,
    /// When the run happened (RFC 3339, UTC).
    pub generated_at: String,
    /// When a link counts as rotted in this run.
    #[serde(default)]
    pub rule: RotRule,
    /// Counts per status.
    pub summary: Summary,
    /// Every distinct link, sorted by URL.
    pub links: Vec<LinkReport>,
}

/// Counts per status; `rotted` counts links that rotted under the run's [`RotRule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Distinct links.
    pub total: usize,
    /// `ok`.
    pub ok: usize,
    /// `broken` (this run).
    pub broken: usize,
    /// `moved`.
    pub moved: usize,
    /// `archived`.
    pub archived: usize,
    /// `unreachable`.
    pub unreachable: usize,
    /// `skipped`.
    pub skipped: usize,
    /// Rotted (see [`crate::State`]).
    pub rotted: usize,
}

impl Summary {
    /// Counts `links`.
    pub fn of(links: &[LinkReport]) -> Summary {
        let mut s = Summary {
            total: links.len(),
            ..Summary::default()
        };
        for link in links {
            *match link.status {
                Status::Ok => &mut s.ok,
                Status::Broken => &mut s.broken,
                Status::Moved => &mut s.moved,
                Status::Archived => &mut s.archived,
                Status::Unreachable => &mut s.unreachable,
                Status::Skipped => &mut s.skipped,
            } += 1;
            s.rotted += usize::from(link.rotted);
        }
        s
    }
}

/// One distinct link. Every key is always present (`null` when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkReport {
    /// The URL as written.
    pub url: String,
    /// How it was checked.
    pub kind: LinkKind,
    /// This run's status.
    pub status: Status,
    /// Rotted under the run's [`RotRule`].
    pub rotted: bool,
    /// Start of the current streak of broken runs (RFC 3339).
    pub failing_since: Option<String>,
    /// Every place it is written.
    pub occurrences: Vec<Occurrence>,
    /// GitHub: the repository's current `owner/name` (as asked for when it
    /// could not be resolved), or the owner's login.
    pub repo: Option<String>,
    /// GitHub: stars.
    pub stars: Option<u64>,
    /// Where the link should point now (moved links).
    pub canonical: Option<String>,
    /// Why, for humans.
    pub detail: Option<String>,
}

impl Report {
    /// The JSON text (pretty, with a final newline).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned());
        text.push('\n');
        text
    }
}

/// Appends lines while they fit in `limit` bytes, keeping room for a footer.
struct Budget {
    out: String,
    limit: usize,
    full: bool,
    omitted: usize,
}

impl Budget {
    const FOOTER_ROOM: usize = 400;

    fn line(&mut self, text: &str) {
        if self.full || self.out.len() + text.len() + 1 + Self::FOOTER_ROOM > self.limit {
            self.full = true;
            if text.starts_with("- ") {
                self.omitted += 1;
            }
            return;
        }
        self.out.push_str(text);
        self.out.push('\n');
    }
}

/// The Markdown report, at most `max_bytes` long (use
/// [`MAX_MARKDOWN_BYTES`] for a step summary, 65 000 for an issue body):
/// rotted links first, grouped by file with line numbers and a suggested
/// replacement, then moved and archived links, then a short summary of
/// transient failures. What does not fit is counted, not shown.
pub fn render_markdown(report: &Report, max_bytes: usize) -> String {
    let s = &report.summary;
    let mut b = Budget {
        out: String::new(),
        limit: max_bytes.max(Budget::FOOTER_ROOM * 2),
        full: false,
        omitted: 0,
    };
    b.line("## Link rot report");
    b.line("");
    b.line(&format!(
        "Run of {}: {} links — {} ok, {} broken, {} moved, {} archived, {} unreachable, {} skipped. **{} rotted** ({}).",
        report.generated_at, s.total, s.ok, s.broken, s.moved, s.archived, s.unreachable, s.skipped, s.rotted,
        report.rule.describe()
    ));

    rotted_section(&mut b, report);
    moved_sections(&mut b, report);
    transient_section(&mut b, report);
    let mut out = b.out;
    if b.full {
        let _ = write!(
            out,
            "\n_Report truncated to fit: {} more items not shown; see the JSON report._\n",
            b.omitted
        );
    }
    out
}

/// Rotted links by file, each with a suggested replacement.
fn rotted_section(b: &mut Budget, report: &Report) {
    let rotted: Vec<&LinkReport> = report.links.iter().filter(|l| l.rotted).collect();
    b.line("");
    b.line(&format!("### Rotted links ({})", rotted.len()));
    b.line("");
    if rotted.is_empty() {
        b.line("None.");
    } else {
        b.line("Fix or remove these links; each was broken in every run for a while.");
        for (file, items) in by_file(&rotted) {
            b.line("");
            b.line(&format!("#### {}", code(file)));
            b.line("");
            for (lines, link) in items {
                b.line(&rotted_line(&lines, link));
            }
        }
    }
}

/// One rotted link: its lines, since when it fails, what to put instead.
fn rotted_line(lines: &[usize], link: &LinkReport) -> String {
    let since = link
        .failing_since
        .as_deref()
        .map(|d| format!("broken since {}", date_of(d)))
        .unwrap_or_else(|| "broken".to_owned());
    let replacement = match (&link.canonical, github_search(link)) {
        (Some(c), _) => format!("suggested replacement: {}", md_url(c)),
        (None, Some(search)) => format!(
            "suggested replacement: the project's new home (search: {}), or remove the entry",
            md_url(&search)
        ),
        (None, None) => format!(
            "suggested replacement: an archived copy, e.g. {}, or remove the link",
            md_url(&wayback(link))
        ),
    };
    let this_run = if link.status == Status::Broken {
        ""
    } else {
        " (not reachable this run)"
    };
    format!(
        "- {}: {} — {since}{this_run}{}; {replacement}",
        line_list(lines),
        md_url(&link.url),
        detail_suffix(link),
    )
}

/// Moved, then archived links by file (rotted ones are listed above).
fn moved_sections(b: &mut Budget, report: &Report) {
    for (status, title, explain) in [
        (
            Status::Moved,
            "Moved",
            "The target moved (renamed repository or permanent redirect); point the link at the new URL.",
        ),
        (
            Status::Archived,
            "Archived",
            "The repository is archived: read-only and unmaintained. Consider a maintained alternative or say so in the entry.",
        ),
    ] {
        let links: Vec<&LinkReport> = report
            .links
            .iter()
            .filter(|l| l.status == status && !l.rotted)
            .collect();
        if links.is_empty() {
            continue;
        }
        b.line("");
        b.line(&format!("### {title} ({})", links.len()));
        b.line("");
        b.line(explain);
        for (file, items) in by_file(&links) {
            b.line("");
            b.line(&format!("#### {}", code(file)));
            b.line("");
            for (lines, link) in items {
                let target = match &link.canonical {
                    Some(c) => format!("{} → {}", md_url(&link.url), md_url(c)),
                    None => md_url(&link.url),
                };
                let stars = link
                    .stars
                    .map(|n| format!(" ({})", archmanual_github::snapshot::format_stars(n)))
                    .unwrap_or_default();
                b.line(&format!(
                    "- {}: {target}{stars}{}",
                    line_list(&lines),
                    detail_suffix(link)
                ));
            }
        }
    }
}

/// Unreachable and not-yet-rotted links, summed up.
fn transient_section(b: &mut Budget, report: &Report) {
    let unreachable: Vec<&LinkReport> = report
        .links
        .iter()
        .filter(|l| l.status == Status::Unreachable && !l.rotted)
        .collect();
    let watching: Vec<&LinkReport> = report
        .links
        .iter()
        .filter(|l| l.status == Status::Broken && !l.rotted)
        .collect();
    if !unreachable.is_empty() || !watching.is_empty() {
        b.line("");
        b.line("### Transient failures");
        b.line("");
        b.line("Not counted as rot; checked again next run.");
        b.line("");
        if !unreachable.is_empty() {
            let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
            let mut hosts: BTreeMap<String, usize> = BTreeMap::new();
            for link in &unreachable {
                *reasons.entry(reason_class(link)).or_default() += 1;
                *hosts.entry(host_of(&link.url)).or_default() += 1;
            }
            b.line(&format!(
                "- {} unreachable: {}",
                unreachable.len(),
                top(&reasons, 6)
            ));
            b.line(&format!("- Hosts: {}", top(&hosts, 10)));
        }
        if !watching.is_empty() {
            let shown: Vec<String> = watching
                .iter()
                .take(20)
                .map(|l| match l.failing_since.as_deref() {
                    Some(since) => format!("{} (since {})", md_url(&l.url), date_of(since)),
                    None => md_url(&l.url),
                })
                .collect();
            let more = watching.len().saturating_sub(shown.len());
            b.line(&format!(
                "- {} broken, not rotted yet (rotted when {}): {}{}",
                watching.len(),
                report.rule.describe(),
                shown.join(", "),
                if more > 0 {
                    format!(", and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    }
}

/// Per file (sorted), the links with the lines they appear on.
fn by_file<'a>(links: &[&'a LinkReport]) -> BTreeMap<&'a str, Vec<(Vec<usize>, &'a LinkReport)>> {
    let mut files: BTreeMap<&str, Vec<(Vec<usize>, &LinkReport)>> = BTreeMap::new();
    for link in links {
        let mut per_file: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for o in &link.occurrences {
            per_file.entry(o.file.as_str()).or_default().push(o.line);
        }
        for (file, mut lines) in per_file {
            lines.sort_unstable();
            lines.dedup();
            files.entry(file).or_default().push((lines, *link));
        }
    }
    for items in files.values_mut() {
        items.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.url.cmp(&b.1.url)));
    }
    files
}

fn line_list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(10).map(ToString::to_string).collect();
    let label = if lines.len() == 1 { "line" } else { "lines" };
    let more = if lines.len() > 10 { ", …" } else { "" };
    format!("{label} {}{more}", shown.join(", "))
}

fn detail_suffix(link: &LinkReport) -> String {
    match link.detail.as_deref() {
        Some(d) if !d.is_empty() => format!(": {}", escape(d)),
        _ => String::new(),
    }
}

/// For a vanished GitHub repository: a search for its name.
fn github_search(link: &LinkReport) -> Option<String> {
    if !matches!(link.kind, LinkKind::GithubRepo | LinkKind::GithubOther) {
        return None;
    }
    let path = link.url.split_once("://")?.1.split(['?', '#']).next()?;
    let name = path.split('/').nth(2)?.trim_end_matches(".git");
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    valid.then(|| format!("https://github.com/search?q={name}&type=repositories"))
}

/// The Wayback Machine's capture closest to when the link started failing.
fn wayback(link: &LinkReport) -> String {
    let stamp: String = link
        .failing_since
        .as_deref()
        .map(|d| d.chars().take(10).filter(char::is_ascii_digit).collect())
        .unwrap_or_default();
    let stamp = if stamp.len() == 8 {
        stamp
    } else {
        "*".to_owned()
    };
    format!("https://web.archive.org/web/{stamp}/{}", link.url)
}

fn date_of(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

fn reason_class(link: &LinkReport) -> String {
    let d = link.detail.as_deref().unwrap_or("");
    if d.contains("GitHub API unreachable") {
        "GitHub API unreachable".into()
    } else if d.contains("timed out") {
        "timed out".into()
    } else if let Some(rest) = d.strip_prefix("HTTP ") {
        format!("HTTP {}", rest.get(..3).unwrap_or(rest))
    } else if d.contains("GitHub") {
        "GitHub lookup (rate limit or API error)".into()
    } else if d.contains("connection") {
        "connection failed".into()
    } else if d.contains("DNS") {
        "DNS lookup failed".into()
    } else {
        "other".into()
    }
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn top(counts: &BTreeMap<String, usize>, n: usize) -> String {
    let mut v: Vec<(&String, &usize)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(n)
        .map(|(k, c)| format!("{} ({c})", escape(k)))
        .collect();
    if v.len() > n {
        parts.push(format!("{} more", v.len() - n));
    }
    parts.join(", ")
}

/// A URL as a Markdown autolink when it can be one, else as code.
fn md_url(url: &str) -> String {
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
    {
        code(url)
    } else {
        format!("<{url}>")
    }
}

/// Inline code that survives backticks in the text.
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Text from outside (servers, the book) made inert: Markdown punctuation
/// escaped, no line breaks, `@` kept from becoming a mention.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '@' => out.push_str("@\u{200b}"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_codes_untrusted_text() {
        assert_eq!(
            escape("a *b* <script> @team\nx"),
            "a \\*b\\* \\<script\\> @\u{200b}team x"
        );
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(md_url("https://x.test/a b"), "`https://x.test/a b`");
        assert_eq!(md_url("https://x.test/a"), "<https://x.test/a>");
    }

    #[test]
    fn a_rotted_link_that_timed_out_this_run_says_so() {
        let link = LinkReport {
            url: "https://gone.example/x".into(),
            kind: LinkKind::Web,
            status: Status::Unreachable,
            rotted: true,
            failing_since: Some("2026-11-06T03:00:00Z".into()),
            occurrences: vec![Occurrence {
                file: "book/a.md".into(),
                line: 4,
                column: 1,
            }],
            repo: None,
            stars: None,
            canonical: None,
            detail: Some("timed out after 20 s".into()),
        };
        let report = Report {
            version: 1,
            generated_at: "2026-11-27T03:00:00Z".into(),
            rule: RotRule::default(),
            summary: Summary::of(std::slice::from_ref(&link)),
            links: vec![link],
        };
        let md = render_markdown(&report, MAX_MARKDOWN_BYTES);
        assert!(
            md.contains("- line 4: <https://gone.example/x> — broken since 2026-11-06 (not reachable this run): timed out after 20 s; suggested replacement: an archived copy, e.g. <https://web.archive.org/web/20261106/https://gone.example/x>"),
            "{md}"
        );
        assert!(
            !md.contains("### Transient failures"),
            "rotted links are not transient"
        );
    }
}
