use std::io::{self, Write};

use archmanual_diagnostics::{Counts, render_human_with};

use super::{Format, Report};

/// rustc-style excerpts with carets, then a one-line summary.
pub(super) struct Human;

impl Format for Human {
    fn name(&self) -> &'static str {
        "human"
    }

    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        // Message, help and fix in the report's language.
        let shown = crate::i18n::localise_all(report.lang, report.diagnostics);
        let words = report.lang.words();
        render_human_with(&shown, report.sources, report.color, &words.labels, out)?;
        let c = Counts::of(report.diagnostics);
        let fixable = report
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .count();
        if report.diagnostics.is_empty() {
            writeln!(out, "{}", words.no_findings)?;
        } else {
            write!(out, "{}", words.counts(c))?;
            if fixable > 0 {
                write!(out, "{}", words.fixable(fixable))?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}
