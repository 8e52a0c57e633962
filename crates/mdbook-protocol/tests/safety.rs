//! Hostile input: Mermaid's XSS regression payloads (cypress/integration/other/xss.spec.js and
//! cypress/platform/xss*.html, adapted to sequence diagrams) and random input never panic and
//! always produce allowlisted SVG.

mod common;

use mdbook_protocol::{Dialect, Limits, parse, render, render_source};
use proptest::prelude::*;

const PAYLOADS: &[&str] = &[
    "<img src=\"x\" onerror=\"xssAttack()\">$$\\text{Alice}$$",
    "<img/src/onerror=xssAttack`1`>",
    "<img/src='1'/onerror=xssAttack()>",
    "<script>alert(1)</script>",
    "</text></svg><script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    "<a href='javascript#colon;xssAttack()'>AAA</a>",
    "#lt;script#gt;alert(1)#lt;/script#gt;",
    "<foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject>",
    "]]><!-- --><![CDATA[",
    "<style>*{background:url(//evil)}</style>",
    "<animate attributeName=href to=javascript:alert(1)/>",
    "\u{0}\u{1}\u{b}\u{fffe}control",
];

fn assert_inert(svg: &str, what: &str) {
    let problems = common::check_svg(svg);
    assert!(problems.is_empty(), "{what}: {problems:?}\n{svg}");
    let lower = svg.to_ascii_lowercase();
    assert!(
        !lower.contains("<script") && !lower.contains("<img") && !lower.contains("<iframe"),
        "{what}"
    );
    assert!(!lower.contains("href=\"javascript"), "{what}");
}

#[test]
fn xss_payloads_are_inert_everywhere_a_label_goes() {
    for p in PAYLOADS {
        let templates = [
            format!(
                "sequenceDiagram\nparticipant A as Alice{p}\nA->>John: Hello John, how are you?"
            ),
            format!("sequenceDiagram\nA->>B: {p}"),
            format!("sequenceDiagram\nA->>B: x\nNote over A,B: {p}"),
            format!("sequenceDiagram\nloop {p}\nA->>B: x\nend"),
            format!("sequenceDiagram\nalt ok\nA->>B: x\nelse {p}\nA->>B: y\nend"),
            format!("sequenceDiagram\nbox Aqua {p}\nparticipant A\nend\nA->>A: x"),
            format!("sequenceDiagram\ntitle {p}\naccTitle: {p}\naccDescr: {p}\nA->>B: x"),
            format!(
                "sequenceDiagram\nparticipant A\nlink A: {p} @ {p}\nlinks A: {{\"x\": \"{}\"}}\nA->>B: x",
                p.replace('"', "'")
            ),
            format!(
                "sequenceDiagram\nparticipant A\nstate over A: {p}\ncrash A: {p}\nrecover A: {p}\ntimer A T: {p}\ntimeout A T: {p}\n== {p} ==\n... {p} ...\nref over A: {p}"
            ),
            format!(
                "sequenceDiagram\nparticipant A\nbrace right of A: {p}\nA ->> B: x\nend\npartition A | B: {p}\nheal"
            ),
        ];
        for (i, src) in templates.iter().enumerate() {
            for dialect in [Dialect::Mermaid, Dialect::Protocol] {
                if let Ok(r) = render_source(src, dialect, "xss") {
                    assert_inert(&r.svg, &format!("template {i} payload {p:?}"));
                }
            }
        }
        // The label text is shown, escaped, not dropped: readers see what the author wrote.
        let r = render_source(
            &format!("sequenceDiagram\nA->>B: {p}"),
            Dialect::Protocol,
            "x",
        );
        if let Ok(r) = r
            && p.starts_with("<script")
        {
            assert!(
                r.svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{}",
                r.svg
            );
        }
    }
}

#[test]
fn hostile_colours_and_directives_are_rejected_or_ignored() {
    for c in [
        "red; background:url(//evil)",
        "rgb(1,2,3)</style><script>",
        "url(#x)",
        "expression(alert(1))",
        "var(--x)",
    ] {
        let src = format!("sequenceDiagram\nrect {c}\nA->>B: x\nend");
        let e = parse(&src, Dialect::Mermaid, &Limits::default()).expect_err(c);
        // `;` ends the statement (Mermaid's lexer), so the tail is a syntax error instead.
        let want = if c.contains(';') { "PD001" } else { "PD004" };
        assert_eq!(e[0].code, want, "{c}: {e:?}");
        // A box colour that fails the grammar becomes part of the title (as in Mermaid), never CSS.
        if c.contains(';') {
            continue;
        }
        let r = render_source(
            &format!("sequenceDiagram\nbox {c}\nparticipant A\nend\nA->>A: x"),
            Dialect::Mermaid,
            "c",
        )
        .unwrap();
        assert_inert(&r.svg, c);
        assert!(!r.svg.contains("fill=\"red;"));
    }
    let src = "%%{init: {\"themeCSS\": \"* {background: url(//evil)}\", \"securityLevel\": \"loose\", \"fontFamily\": \"</style><script>\"}}%%\nsequenceDiagram\nA->>B: x";
    let svg = render_source(src, Dialect::Mermaid, "d").unwrap().svg;
    assert_inert(&svg, "init directive");
    assert!(!svg.contains("evil") && !svg.contains("loose"));
}

fn line_strategy() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("A".to_string()),
        Just("B".to_string()),
        Just("中文".to_string()),
        Just(" ".to_string()),
        Just("->>".to_string()),
        Just("-->>".to_string()),
        Just("-x".to_string()),
        Just("<<->>".to_string()),
        Just("()".to_string()),
        Just("+".to_string()),
        Just("-".to_string()),
        Just(":".to_string()),
        Just(";".to_string()),
        Just(",".to_string()),
        Just("#".to_string()),
        Just("#9829;".to_string()),
        Just("%%".to_string()),
        Just("%%{".to_string()),
        Just("}%%".to_string()),
        Just("@{".to_string()),
        Just("}".to_string()),
        Just("<br/>".to_string()),
        Just("\"".to_string()),
        Just("participant ".to_string()),
        Just("actor ".to_string()),
        Just("create participant ".to_string()),
        Just("destroy ".to_string()),
        Just("Note over ".to_string()),
        Just("Note left of ".to_string()),
        Just("loop ".to_string()),
        Just("alt ".to_string()),
        Just("else ".to_string()),
        Just("par ".to_string()),
        Just("and ".to_string()),
        Just("rect rgb(1,2,3)".to_string()),
        Just("box ".to_string()),
        Just("end".to_string()),
        Just("activate ".to_string()),
        Just("deactivate ".to_string()),
        Just("autonumber ".to_string()),
        Just("crash ".to_string()),
        Just("recover ".to_string()),
        Just("timer A T".to_string()),
        Just("timeout A T".to_string()),
        Just("state over A,B: s".to_string()),
        Just("brace right of A: q".to_string()),
        Just("partition A | B".to_string()),
        Just("heal".to_string()),
        Just("deliver m".to_string()),
        Just("@{id: m}".to_string()),
        Just("@{lost}".to_string()),
        Just("@{delay: 2}".to_string()),
        Just("& ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("*".to_string()),
        Just("...".to_string()),
        Just("== x ==".to_string()),
        Just("|||".to_string()),
        "[a-zA-Z0-9 <>&'\"\\\\/|=.\u{4e00}-\u{4e10}]{0,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(atom, 0..8).prop_map(|v| v.concat())
}

fn source_strategy() -> impl Strategy<Value = String> {
    (
        prop::bool::ANY,
        prop::collection::vec(line_strategy(), 0..20),
    )
        .prop_map(|(header, lines)| {
            let mut s = if header {
                "sequenceDiagram\n".to_string()
            } else {
                String::new()
            };
            s.push_str(&lines.join("\n"));
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, .. ProptestConfig::default() })]

    #[test]
    fn never_panics_and_output_is_always_allowlisted(src in source_strategy()) {
        for dialect in [Dialect::Mermaid, Dialect::Protocol] {
            if let Ok((d, _)) = parse(&src, dialect, &Limits::default()) {
                let svg = render(&d, &Default::default());
                let problems = common::check_svg(&svg);
                prop_assert!(problems.is_empty(), "{:?}\n{}", problems, src);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(src in "\\PC{0,300}") {
        for r in [render_source(&format!("sequenceDiagram\n{src}"), Dialect::Protocol, "p"), render_source(&src, Dialect::Mermaid, "p")].into_iter().flatten() {
            prop_assert!(common::check_svg(&r.svg).is_empty());
        }
    }
}

#[test]
fn deep_nesting_and_huge_inputs_fail_cleanly() {
    let deep = format!(
        "sequenceDiagram\n{}A->>B: x\n{}",
        "loop x\n".repeat(100),
        "end\n".repeat(100)
    );
    let e = parse(&deep, Dialect::Mermaid, &Limits::default()).unwrap_err();
    assert!(e.iter().any(|e| e.code == "PD003"));
    let huge = format!("sequenceDiagram\n{}", "A->>B: x\n".repeat(40_000));
    let e = parse(&huge, Dialect::Mermaid, &Limits::default()).unwrap_err();
    assert!(e.iter().any(|e| e.code == "PD003"));
    let many: String = (0..100).map(|i| format!("participant P{i}\n")).collect();
    let e = parse(
        &format!("sequenceDiagram\n{many}"),
        Dialect::Mermaid,
        &Limits::default(),
    )
    .unwrap_err();
    assert!(
        e.iter()
            .any(|e| e.code == "PD003" && e.message.contains("participants"))
    );
}
