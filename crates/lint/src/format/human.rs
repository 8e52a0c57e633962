use std::io::{self, Write};

use archmanual_diagnostics::{Counts, render_human};

use super::{Format, Report};

/// rustc-style excerpts with carets, then a one-line summary.
pub(super) struct Human;

impl Format for Human {
    fn name(&self) -> &'static str {
        "human"
    }

    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        render_human(report.diagnostics, report.sources, report.color, out)?;
        let c = Counts::of(report.diagnostics);
        let fixable = report
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .count();
        if report.diagnostics.is_empty() {
            writeln!(out, "no findings")?;
        } else {
            write!(
                out,
                "{} error(s), {} warning(s), {} note(s)",
                c.errors, c.warnings, c.notes
            )?;
            if fixable > 0 {
                write!(out, "; {fixable} fixable with `archmanual lint --fix`")?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}
