use std::collections::HashMap;
use std::io::{self, Write};

use archmanual_diagnostics::Severity;
use serde_json::{Value, json};

use super::{Format, Report, rule_url};

/// SARIF 2.1.0 with the fields GitHub code scanning reads.
pub(super) struct Sarif;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// 64-bit FNV-1a, hex: stable across runs and platforms.
fn fnv(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

impl Format for Sarif {
    fn name(&self) -> &'static str {
        "sarif"
    }

    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let (rules, index) = rule_descriptors(report);
        let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
        let results: Vec<Value> = report
            .diagnostics
            .iter()
            .map(|d| result(report, d, &index, &mut seen))
            .collect();
        let sarif = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "archmanual-lint",
                        "version": env!("CARGO_PKG_VERSION"),
                        "informationUri": "https://github.com/archmanual/archmanual",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &sarif)?;
        writeln!(out)
    }
}

/// The rule descriptors: every registered rule, the delegated codes, and
/// any other code reported; with each code's index among them.
fn rule_descriptors(report: &Report<'_>) -> (Vec<Value>, HashMap<String, usize>) {
    let mut rules: Vec<Value> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in crate::rules() {
        let m = r.meta();
        index.insert(m.code.to_string(), rules.len());
        let doc = m.doc_text();
        rules.push(json!({
            "id": m.code,
            "name": m.name,
            "shortDescription": { "text": m.summary() },
            "fullDescription": { "text": doc },
            "help": { "text": doc, "markdown": doc },
            "helpUri": rule_url(m.code),
            "defaultConfiguration": { "level": level(m.severity) },
            "properties": {
                "tags": ["documentation", "markdown"],
                "precision": "high",
                "problem.severity": level(m.severity),
            },
        }));
    }
    // Codes of the checks AM017 (GHnnn) and AM019 (PDnnn) delegate to,
    // at the severity `codes::DELEGATED` declares, described by the rule
    // that reports them.
    for c in crate::codes::DELEGATED {
        let Some(parent) = crate::rule(c.parent).map(|r| r.meta()) else {
            continue;
        };
        let doc = format!("{}\n\n{}", c.summary, parent.doc_text());
        index.insert(c.code.to_string(), rules.len());
        rules.push(json!({
            "id": c.code,
            "name": c.name,
            "shortDescription": { "text": c.summary },
            "fullDescription": { "text": doc },
            "help": { "text": doc, "markdown": doc },
            "helpUri": rule_url(parent.code),
            "defaultConfiguration": { "level": level(c.severity) },
            "properties": {
                "tags": ["documentation", "markdown"],
                "precision": "high",
                "problem.severity": level(c.severity),
            },
        }));
    }
    // Anything else (no rule reports other codes today).
    for d in report.diagnostics {
        if !index.contains_key(&d.code) {
            let parent = crate::parent_rule(&d.code).map(|r| r.meta());
            let doc = parent.map_or_else(|| d.code.clone(), |m| m.doc_text());
            let summary = parent.map_or_else(|| d.code.clone(), |m| m.summary());
            index.insert(d.code.clone(), rules.len());
            rules.push(json!({
                "id": d.code,
                "shortDescription": { "text": summary },
                "fullDescription": { "text": doc },
                "help": { "text": doc, "markdown": doc },
                "helpUri": rule_url(parent.map_or(d.code.as_str(), |m| m.code)),
                "defaultConfiguration": { "level": level(d.severity) },
            }));
        }
    }
    (rules, index)
}

/// One diagnostic as a SARIF result; `seen` counts the occurrences of each
/// (code, file, line text) for the fingerprints.
fn result(
    report: &Report<'_>,
    d: &archmanual_diagnostics::Diagnostic,
    index: &HashMap<String, usize>,
    seen: &mut HashMap<(String, String, String), usize>,
) -> Value {
    let uri = report.repo_path(&d.file);
    let line = d.location.map_or(1, |l| l.line);
    let text = report
        .line_text(&d.file, line)
        .unwrap_or("")
        .trim()
        .to_string();
    // GitHub's scheme: a hash of the line's content plus an
    // occurrence counter, so alerts survive lines moving.
    let n = seen
        .entry((d.code.clone(), uri.clone(), text.clone()))
        .and_modify(|n| *n += 1)
        .or_insert(1);
    let fingerprint = format!("{}:{n}", fnv(&format!("{}\0{uri}\0{text}", d.code)));
    let region = match d.location {
        Some(l) => json!({
            "startLine": l.line,
            "startColumn": l.column,
            "endLine": l.end_line,
            "endColumn": l.end_column,
        }),
        None => json!({ "startLine": 1 }),
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(" Help: ");
        message.push_str(h);
    }
    let mut v = json!({
        "ruleId": d.code,
        "ruleIndex": index[&d.code],
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                "region": region,
            }
        }],
        "partialFingerprints": { "primaryLocationLineHash": fingerprint },
    });
    // `message.text` stays English; the book's language rides in the
    // result's property bag (SARIF 2.1.0 §3.8), which viewers ignore.
    if report.lang != crate::i18n::Lang::En {
        let text = crate::i18n::localise(report.lang, d);
        v["properties"] = json!({ "lang": report.lang.code(), "messageLocalized": text.message });
        if let Some(h) = text.help {
            v["properties"]["helpLocalized"] = json!(h);
        }
    }
    if let Some(f) = &d.fix {
        v["fixes"] = json!([{
            "description": { "text": f.message },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                "replacements": [{
                    "deletedRegion": { "byteOffset": f.start, "byteLength": f.end - f.start },
                    "insertedContent": { "text": f.replacement },
                }],
            }],
        }]);
    }
    v
}
