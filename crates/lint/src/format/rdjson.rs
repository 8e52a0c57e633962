use std::io::{self, Write};

use archmanual_diagnostics::Severity;
use serde_json::{Value, json};

use super::{Format, Report, byte_position, rule_url};

/// reviewdog's rdjson (`DiagnosticResult`); columns are 1-based UTF-8 bytes.
pub(super) struct Rdjson;

impl Format for Rdjson {
    fn name(&self) -> &'static str {
        "rdjson"
    }

    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let diagnostics: Vec<Value> = report
            .diagnostics
            .iter()
            .map(|d| {
                let source = report.sources.source(&d.file);
                let pos = |offset: usize, line: usize, column: usize| match source {
                    Some(s) => {
                        let (l, c) = byte_position(s, offset);
                        json!({"line": l, "column": c})
                    }
                    None => json!({"line": line, "column": column}),
                };
                let mut location = json!({ "path": report.repo_path(&d.file) });
                if let Some(l) = d.location {
                    location["range"] = json!({
                        "start": pos(l.start, l.line, l.column),
                        "end": pos(l.end, l.end_line, l.end_column),
                    });
                }
                let mut message = d.message.clone();
                if let Some(h) = &d.help {
                    message.push_str(" (help: ");
                    message.push_str(h);
                    message.push(')');
                }
                let mut v = json!({
                    "message": message,
                    "location": location,
                    "severity": match d.severity {
                        Severity::Error => "ERROR",
                        Severity::Warning => "WARNING",
                        Severity::Note => "INFO",
                    },
                    "code": {
                        "value": d.code,
                        "url": rule_url(crate::parent_rule(&d.code).map_or(d.code.as_str(), |r| r.meta().code)),
                    },
                });
                if let (Some(f), Some(s)) = (&d.fix, source) {
                    let (sl, sc) = byte_position(s, f.start);
                    let (el, ec) = byte_position(s, f.end);
                    v["suggestions"] = json!([{
                        "range": {
                            "start": {"line": sl, "column": sc},
                            "end": {"line": el, "column": ec},
                        },
                        "text": f.replacement,
                    }]);
                }
                v
            })
            .collect();
        let result = json!({
            "source": { "name": "archmanual-lint", "url": "https://github.com/archmanual/archmanual" },
            "diagnostics": diagnostics,
        });
        serde_json::to_writer(&mut *out, &result)?;
        writeln!(out)
    }
}
