use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Format, Report};

/// `{"diagnostics":[{"file","line","column","end_line","end_column","code","severity","message","help"?,"fix"?}]}`,
/// plus `lang`, `message_localized` and `help_localized`? when the report's
/// language is not English.
pub(super) struct Json;

impl Format for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let items: Vec<Value> = report
            .diagnostics
            .iter()
            .map(|d| {
                let l = d.location;
                let mut v = json!({
                    "file": d.file.to_string_lossy().replace('\\', "/"),
                    "line": l.map(|l| l.line),
                    "column": l.map(|l| l.column),
                    "end_line": l.map(|l| l.end_line),
                    "end_column": l.map(|l| l.end_column),
                    "code": d.code,
                    "severity": d.severity,
                    "message": d.message,
                });
                if let Some(h) = &d.help {
                    v["help"] = json!(h);
                }
                if let Some(f) = &d.fix {
                    v["fix"] = json!(f);
                }
                // `message`/`help` stay English (stable for tools); the
                // book's language beside them.
                if report.lang != crate::i18n::Lang::En {
                    let text = crate::i18n::localise(report.lang, d);
                    v["lang"] = json!(report.lang.code());
                    v["message_localized"] = json!(text.message);
                    if let Some(h) = text.help {
                        v["help_localized"] = json!(h);
                    }
                }
                v
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &json!({ "diagnostics": items }))?;
        writeln!(out)
    }
}
