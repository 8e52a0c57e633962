use std::io::{self, Write};

use archmanual_diagnostics::{Counts, Severity};

use super::{Format, Report};

/// At most this many rows, so the summary stays far below GitHub's 1 MiB.
const MAX_ROWS: usize = 1000;

/// A Markdown table for `$GITHUB_STEP_SUMMARY`.
pub(super) struct Markdown;

/// Escapes text for a Markdown table cell.
pub(crate) fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

impl Format for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let c = Counts::of(report.diagnostics);
        let words = report.lang.words();
        writeln!(out, "## archmanual lint\n")?;
        if report.diagnostics.is_empty() {
            return writeln!(out, "{}", words.no_findings_md);
        }
        writeln!(out, "{}{}\n", words.counts(c), words.full_stop)?;
        writeln!(out, "{}", words.table_header)?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for d in report.diagnostics.iter().take(MAX_ROWS) {
            let icon = match d.severity {
                Severity::Error => "❌",
                Severity::Warning => "⚠️",
                Severity::Note => "ℹ️",
            };
            let loc = match d.location {
                Some(l) => format!("{}:{}:{}", report.repo_path(&d.file), l.line, l.column),
                None => report.repo_path(&d.file),
            };
            let text = crate::i18n::localise(report.lang, d);
            let mut msg = cell(&text.message);
            if let Some(h) = &text.help {
                msg.push_str("<br>");
                msg.push_str(report.lang.words().labels.help);
                msg.push_str(report.lang.words().labels.colon);
                msg.push_str(&cell(h));
            }
            writeln!(
                out,
                "| {icon} | `{}` | {} | {msg} |",
                loc.replace('`', "'"),
                cell(&d.code)
            )?;
        }
        if report.diagnostics.len() > MAX_ROWS {
            writeln!(out, "\n…and {} more.", report.diagnostics.len() - MAX_ROWS)?;
        }
        Ok(())
    }
}
