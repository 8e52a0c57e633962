//! One case per grammar feature (Mermaid and protocol extensions), each checking what the
//! parser understood and that the SVG passes the allowlist.
//!
//! `mermaid` covers the Mermaid grammar (valid in both fences), `protocol` our extensions
//! (valid only in ```` ```protocol ```` fences); errors, limits and output properties are here.

#[path = "../common/mod.rs"]
mod common;
mod mermaid;
mod protocol;

use mdbook_protocol::ast::*;
use mdbook_protocol::{DiagramError, Dialect, Limits, parse};

fn ok(src: &str, dialect: Dialect) -> Diagram {
    let (d, _) =
        parse(src, dialect, &Limits::default()).unwrap_or_else(|e| panic!("{src}\n{e:#?}"));
    let svg = mdbook_protocol::render(&d, &Default::default());
    let problems = common::check_svg(&svg);
    assert!(problems.is_empty(), "{problems:?}\n{svg}");
    d
}

fn m(src: &str) -> Diagram {
    ok(src, Dialect::Mermaid)
}

fn p(src: &str) -> Diagram {
    ok(src, Dialect::Protocol)
}

fn err(src: &str, dialect: Dialect) -> Vec<DiagramError> {
    parse(src, dialect, &Limits::default()).expect_err(src)
}

fn msgs(d: &Diagram) -> Vec<&Message> {
    d.events
        .iter()
        .filter_map(|e| {
            if let EventKind::Message(m) = &e.kind {
                Some(m)
            } else {
                None
            }
        })
        .collect()
}

fn ids(d: &Diagram) -> Vec<&str> {
    d.participants.iter().map(|p| p.id.as_str()).collect()
}

#[test]
fn error_positions_and_messages() {
    let src = "sequenceDiagram\n  A ->> B: ok\n  A => B: broken";
    let e = err(src, Dialect::Mermaid);
    assert_eq!(e[0].line_col(src), (3, 3));
    assert!(e[0].message.contains("cannot parse"));
    let e = err("graph TD\nA-->B", Dialect::Mermaid);
    assert!(e[0].message.contains("sequenceDiagram"));
    let e = err("sequenceDiagram\nA->>B no colon", Dialect::Mermaid);
    assert!(e[0].message.contains(": text"));
}

#[test]
fn limits_give_clear_errors() {
    let limits = Limits {
        max_participants: 3,
        max_events: 10,
        max_depth: 2,
        max_label_chars: 20,
        max_source_bytes: 2000,
    };
    let many = (0..5)
        .map(|i| format!("participant P{i}"))
        .collect::<Vec<_>>()
        .join("\n");
    let cases = [
        (format!("sequenceDiagram\n{many}"), "participants"),
        (
            format!("sequenceDiagram\n{}", "A->>B: x\n".repeat(20)),
            "statements",
        ),
        (
            "sequenceDiagram\nloop a\nloop b\nloop c\nend\nend\nend".to_string(),
            "nest",
        ),
        (
            format!("sequenceDiagram\nA->>B: {}", "x".repeat(30)),
            "characters",
        ),
        ("sequenceDiagram\n".repeat(200), "bytes"),
    ];
    for (src, want) in cases {
        let e = parse(&src, Dialect::Mermaid, &limits).expect_err(want);
        assert!(
            e.iter()
                .any(|e| e.code == "PD003" && e.message.contains(want)),
            "{want}: {e:?}"
        );
    }
}

#[test]
fn output_is_deterministic_and_scoped() {
    let src = "sequenceDiagram\nA->>B: x";
    let a = common::checked(src, Dialect::Mermaid, "ch1#0").unwrap().svg;
    let b = common::checked(src, Dialect::Mermaid, "ch1#0").unwrap().svg;
    let c = common::checked(src, Dialect::Mermaid, "ch2#0").unwrap().svg;
    assert_eq!(a, b);
    let scope = |s: &str| {
        s.split("class=\"pd-svg ")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(
        scope(&a),
        scope(&c),
        "same diagram in two chapters gets two scopes"
    );
    assert!(!a.contains(" id=") && !a.contains("url(#"));
}
