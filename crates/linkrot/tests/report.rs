//! The report formats: the JSON shape and the Markdown order and size cap.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use archmanual_github::Client;
use archmanual_linkrot::{
    CollectedLink, LinkKind, LinkReport, LinkrotConfig, MAX_MARKDOWN_BYTES, Occurrence, Report,
    RotRule, State, Status, Summary, WebChecker, render_markdown,
};
use common::{WebServer, github_config, run, web_options};
use github_standin::{Standin, StandinConfig, World};
use serde_json::Value;

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// A real run with every kind of result, rotted links included.
fn mixed_report() -> (Report, String) {
    let server = WebServer::start(Duration::from_secs(10));
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let client = Client::new(github_config(&standin, Some("t0ken"), None)).unwrap();
    let mut options = web_options(Duration::from_secs(3));
    options.max_retries = 0;
    let web = Arc::new(WebChecker::new(options).unwrap());
    let at = |file: &str, line: usize| Occurrence {
        file: file.into(),
        line,
        column: 3,
    };
    let links = vec![
        CollectedLink {
            url: server.url("web.test", "/missing"),
            occurrences: vec![at("book/z.md", 9), at("book/a.md", 4), at("book/a.md", 2)],
        },
        CollectedLink {
            url: server.url("web.test", "/old"),
            occurrences: vec![at("book/a.md", 7)],
        },
        CollectedLink {
            url: "https://github.com/archived/old".into(),
            occurrences: vec![at("book/b.md", 1)],
        },
        CollectedLink {
            url: "https://github.com/coreos/etcd".into(),
            occurrences: vec![at("book/b.md", 3)],
        },
        CollectedLink {
            url: server.url("web.test", "/down"),
            occurrences: vec![at("book/c.md", 5)],
        },
        CollectedLink {
            url: server.url("web.test", "/ok"),
            occurrences: vec![at("book/c.md", 6)],
        },
        CollectedLink {
            url: "https://github.com/nobody/vanished".into(),
            occurrences: vec![at("book/b.md", 8)],
        },
    ];
    let mut state = State::new();
    let (report, _) = run(
        &links,
        &LinkrotConfig::default(),
        &web,
        &client,
        &mut state,
        1,
    );
    let missing = server.url("web.test", "/missing");
    (report, missing)
}

#[test]
fn json_report_has_the_documented_shape() {
    let (report, missing) = mixed_report();
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(
        keys(&json),
        BTreeSet::from(["version", "generated_at", "rule", "summary", "links"])
    );
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["rule"],
        serde_json::json!({ "runs": 1, "min-days": 0 })
    );
    assert!(json["generated_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        keys(&json["summary"]),
        BTreeSet::from([
            "total",
            "ok",
            "broken",
            "moved",
            "archived",
            "unreachable",
            "skipped",
            "rotted"
        ])
    );
    assert_eq!(json["summary"]["total"], 7);
    assert_eq!(json["summary"]["rotted"], 2);
    let link_keys = BTreeSet::from([
        "url",
        "kind",
        "status",
        "rotted",
        "failing_since",
        "occurrences",
        "repo",
        "stars",
        "canonical",
        "detail",
    ]);
    for link in json["links"].as_array().unwrap() {
        assert_eq!(keys(link), link_keys, "{link}");
        let kind = link["kind"].as_str().unwrap();
        assert!(["github-repo", "github-owner", "github-other", "web"].contains(&kind));
        let status = link["status"].as_str().unwrap();
        assert!(
            [
                "ok",
                "broken",
                "moved",
                "archived",
                "unreachable",
                "skipped"
            ]
            .contains(&status)
        );
        for o in link["occurrences"].as_array().unwrap() {
            assert_eq!(keys(o), BTreeSet::from(["file", "line", "column"]));
        }
    }
    let m = json["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["url"] == missing.as_str())
        .unwrap();
    assert_eq!(m["status"], "broken");
    assert_eq!(m["rotted"], true);
    assert_eq!(m["kind"], "web");
    assert!(m["failing_since"].is_string());
    assert!(m["stars"].is_null() && m["repo"].is_null() && m["canonical"].is_null());
    let archived = json["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["status"] == "archived")
        .unwrap();
    assert_eq!(archived["stars"], 1200);
    assert_eq!(archived["repo"], "archived/old");
    // It reads back into the same report.
    let back: Report = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(back, report);
}

#[test]
fn markdown_lists_rotted_first_by_file_then_moved_archived_and_transient() {
    let (report, missing) = mixed_report();
    let md = render_markdown(&report, MAX_MARKDOWN_BYTES);
    let pos = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing in\n{md}"))
    };
    let rotted = pos("### Rotted links (2)");
    let moved = pos("### Moved (2)");
    let archived = pos("### Archived (1)");
    let transient = pos("### Transient failures");
    assert!(
        rotted < moved && moved < archived && archived < transient,
        "{md}"
    );
    // Grouped by file, files in order, lines per file, a suggested replacement.
    let a = pos("#### `book/a.md`");
    let z = pos("#### `book/z.md`");
    assert!(rotted < a && a < z && z < moved, "{md}");
    assert!(
        md.contains(&format!("- lines 2, 4: <{missing}> — broken since ")),
        "{md}"
    );
    assert!(
        md.contains("suggested replacement: an archived copy, e.g. <https://web.archive.org/web/")
    );
    assert!(
        md.contains("<https://github.com/coreos/etcd> → <https://github.com/etcd-io/etcd>"),
        "{md}"
    );
    assert!(md.contains("- 1 unreachable: HTTP 503 (1)"), "{md}");
    assert!(!md.contains("t0ken"));
}

#[test]
fn markdown_stays_under_its_size_cap() {
    let links: Vec<LinkReport> = (0..40_000)
        .map(|i| LinkReport {
            url: format!("https://example.com/a/rather/long/path/to/page/{i:06}"),
            kind: LinkKind::Web,
            status: if i % 2 == 0 {
                Status::Broken
            } else {
                Status::Moved
            },
            rotted: i % 2 == 0,
            failing_since: Some("2026-11-06T03:00:00Z".into()),
            occurrences: vec![Occurrence {
                file: format!("book/section{}/index.md", i % 50),
                line: i,
                column: 1,
            }],
            repo: None,
            stars: None,
            canonical: (i % 2 == 1).then(|| format!("https://example.org/new/{i}")),
            detail: Some("HTTP 404 Not Found".into()),
        })
        .collect();
    let report = Report {
        version: 1,
        generated_at: "2026-11-27T03:00:00Z".into(),
        rule: RotRule::default(),
        summary: Summary::of(&links),
        links,
    };
    for cap in [MAX_MARKDOWN_BYTES, 65_000] {
        let md = render_markdown(&report, cap);
        assert!(md.len() <= cap, "{} > {cap}", md.len());
        assert!(
            md.contains("_Report truncated to fit: "),
            "truncation is said"
        );
        assert!(md.starts_with("## Link rot report"));
        assert!(md.contains("**20000 rotted**"));
    }
}
