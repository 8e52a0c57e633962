use std::io::{self, Write};

use archmanual_diagnostics::Severity;

use super::{Format, Report};

/// GitHub Actions workflow commands: `::error file=…,line=…::message`.
pub(super) struct Github;

/// Annotations GitHub displays per kind and step.
const SHOWN: usize = 10;

/// Escapes the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Format for Github {
    fn name(&self) -> &'static str {
        "github"
    }

    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        for d in report.diagnostics {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let mut props = vec![format!(
                "file={}",
                escape_property(&report.repo_path(&d.file))
            )];
            if let Some(l) = d.location {
                props.push(format!("line={}", l.line));
                props.push(format!("endLine={}", l.end_line));
                if l.line == l.end_line {
                    props.push(format!("col={}", l.column));
                    props.push(format!("endColumn={}", l.end_column));
                }
            }
            props.push(format!(
                "title={}",
                escape_property(&format!("{} ({})", d.code, rule_name(&d.code)))
            ));
            let text = crate::i18n::localise(report.lang, d);
            let mut message = text.message;
            if let Some(h) = &text.help {
                message.push('\n');
                message.push_str(report.lang.words().labels.help);
                message.push_str(report.lang.words().labels.colon);
                message.push_str(h);
            }
            writeln!(
                out,
                "::{kind} {}::{}",
                props.join(","),
                escape_data(&message)
            )?;
        }
        // GitHub shows at most 10 annotations of each kind per step; say
        // where the rest are instead of letting them vanish.
        let c = archmanual_diagnostics::Counts::of(report.diagnostics);
        if c.errors > SHOWN || c.warnings > SHOWN || c.notes > SHOWN {
            let text = format!(
                "{} error(s), {} warning(s), {} note(s) in total; GitHub shows only {SHOWN} annotations of each kind, run `archmanual lint` or see the job summary for all",
                c.errors, c.warnings, c.notes
            );
            writeln!(
                out,
                "::notice title=archmanual lint::{}",
                escape_data(&text)
            )?;
        }
        Ok(())
    }
}

fn rule_name(code: &str) -> &'static str {
    match crate::codes::delegated(code) {
        Some(d) => d.name,
        None => crate::parent_rule(code).map_or("archmanual", |r| r.meta().name),
    }
}
