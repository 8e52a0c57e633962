//! Mermaid sequence-diagram syntax, parsed in a ```` ```mermaid ```` fence.

use super::*;

#[test]
fn every_arrow_token() {
    use Head::*;
    use LineStyle::*;
    let cases = [
        ("->", Solid, None, None),
        ("-->", Dotted, None, None),
        ("->>", Solid, Filled, None),
        ("-->>", Dotted, Filled, None),
        ("<<->>", Solid, Filled, Filled),
        ("<<-->>", Dotted, Filled, Filled),
        ("-x", Solid, Cross, None),
        ("--x", Dotted, Cross, None),
        ("-)", Solid, Open, None),
        ("--)", Dotted, Open, None),
        ("-|\\", Solid, HalfTop, None),
        ("-|/", Solid, HalfBottom, None),
        ("-\\\\", Solid, StickTop, None),
        ("-//", Solid, StickBottom, None),
        ("--|\\", Dotted, HalfTop, None),
        ("--|/", Dotted, HalfBottom, None),
        ("--\\\\", Dotted, StickTop, None),
        ("--//", Dotted, StickBottom, None),
        ("/|-", Solid, None, HalfTop),
        ("\\|-", Solid, None, HalfBottom),
        ("//-", Solid, None, StickTop),
        ("\\\\-", Solid, None, StickBottom),
        ("/|--", Dotted, None, HalfTop),
        ("\\|--", Dotted, None, HalfBottom),
        ("//--", Dotted, None, StickTop),
        ("\\\\--", Dotted, None, StickBottom),
    ];
    for (tok, line, head, tail) in cases {
        let d = m(&format!("sequenceDiagram\nAlice{tok}Bob: hi"));
        let msg = msgs(&d)[0];
        assert_eq!(msg.arrow, Arrow { line, head, tail }, "{tok}");
        assert_eq!(ids(&d), ["Alice", "Bob"], "{tok}");
    }
}

#[test]
fn lexer_quirks() {
    // Hyphenated ids, `-x` inside `Alice-xBob`, `;` separators, `#` comments, `%%` comments.
    let d = m("sequenceDiagram\nAlice-in-Wonderland->Bob: a - b\nAlice-in-Wonderland-xBob:x");
    assert_eq!(ids(&d), ["Alice-in-Wonderland", "Bob"]);
    assert_eq!(msgs(&d)[0].text.lines, ["a - b"]);
    let d = m(
        "sequenceDiagram;A->>B: one;B->>A: two # not text\n%% comment ; still comment\nA->>B: #35; three #9829;",
    );
    let texts: Vec<String> = msgs(&d).iter().map(|m| m.text.plain()).collect();
    assert_eq!(texts, ["one", "two", "# three ♥"]);
    // Keywords are case-insensitive.
    let d = m("SEQUENCEDIAGRAM\nPARTICIPANT A\nNOTE OVER A: n\nLOOP x\nA->>A: y\nEND");
    assert_eq!(ids(&d), ["A"]);
    // Directives and front matter are skipped; `wrap` is honoured.
    let d = m(
        "---\ntitle: Front\nconfig:\n  sequence:\n    wrap: true\n---\n%%{init: {\"theme\": \"dark\"}}%%\nsequenceDiagram\nA->>B: x",
    );
    assert!(d.wrap);
    assert_eq!(d.title.unwrap().plain(), "Front");
}

#[test]
fn participants_aliases_shapes() {
    let d = m(
        "sequenceDiagram\nparticipant A as Alice<br/>Smith\nactor B as Bob\nparticipant C@{ \"type\": \"database\" } as 数据库\nparticipant Q@{ type: 'queue', \"alias\": \"队列\" }\nparticipant 中文 ID\nA->>中文 ID: 你好",
    );
    assert_eq!(ids(&d), ["A", "B", "C", "Q", "中文 ID"]);
    assert_eq!(d.participants[0].label.lines, ["Alice", "Smith"]);
    assert_eq!(d.participants[1].shape, Shape::Actor);
    assert_eq!(d.participants[2].shape, Shape::Database);
    assert_eq!(d.participants[2].label.plain(), "数据库");
    assert_eq!(
        (
            d.participants[3].shape,
            d.participants[3].label.plain().as_str()
        ),
        (Shape::Queue, "队列")
    );
    for t in [
        "boundary",
        "control",
        "entity",
        "collections",
        "actor",
        "participant",
    ] {
        m(&format!(
            "sequenceDiagram\nparticipant X@{{ \"type\": \"{t}\" }}\nX->>X: self"
        ));
    }
    let e = err(
        "sequenceDiagram\nparticipant X@{ \"type\": \"cloud\" }",
        Dialect::Mermaid,
    );
    assert!(e[0].message.contains("cloud"));
}

#[test]
fn create_and_destroy_rules() {
    let d =
        m("sequenceDiagram\nA->>B: hi\ncreate participant C\nB->>C: make\ndestroy C\nC-xB: bye");
    assert!(d.participants[2].created);
    let e = err(
        "sequenceDiagram\nA->>B: hi\ncreate participant C\nA->>B: not C",
        Dialect::Mermaid,
    );
    assert!(e[0].message.contains("creating message"), "{e:?}");
    let e = err(
        "sequenceDiagram\nA->>B: hi\ndestroy A\nB->>C: other",
        Dialect::Mermaid,
    );
    assert!(e[0].message.contains("destroying message"), "{e:?}");
    let e = err(
        "sequenceDiagram\nparticipant A\ncreate participant A\nB->>A: x",
        Dialect::Mermaid,
    );
    assert!(e[0].message.contains("already exists"), "{e:?}");
}

#[test]
fn activations() {
    let d = m(
        "sequenceDiagram\nA->>+B: a\nB->>+C: b\nC-->>-B: c\nB-->>-A: d\nactivate A\ndeactivate A",
    );
    let ms = msgs(&d);
    assert!(ms[0].activate && ms[2].deactivate);
    let e = err("sequenceDiagram\nA->>B: a\ndeactivate B", Dialect::Mermaid);
    assert!(e[0].message.contains("inactive"));
}

#[test]
fn notes() {
    let d = m(
        "sequenceDiagram\nA->>B: x\nNote left of A: l\nnote right of B: r\nNote over A: o\nNote over A,B: span<br>two lines",
    );
    let places: Vec<Placement> = d
        .events
        .iter()
        .filter_map(|e| {
            if let EventKind::Note { placement, .. } = e.kind {
                Some(placement)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        places,
        [
            Placement::LeftOf,
            Placement::RightOf,
            Placement::Over,
            Placement::Over
        ]
    );
    assert!(
        err("sequenceDiagram\nNote left of A,B: no", Dialect::Mermaid)[0]
            .message
            .contains("two participants")
    );
}

#[test]
fn fragments_nest() {
    let src = "sequenceDiagram\nloop every minute\nalt ok\nA->>B: x\nelse bad\nA->>B: y\nelse worse\nA->>B: z\nend\nopt maybe\npar one\nA->>B: p\nand two\nA->>C: q\nend\nend\ncritical c\nA->>B: c\noption o1\nA->>B: d\nend\nbreak stop\nA->>B: e\nend\nrect rgba(0, 0, 255, .1)\nA->>B: f\nend\npar_over po\nA->>B: g\nend\nend";
    let d = m(src);
    let starts = d
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::BlockStart { .. }))
        .count();
    let ends = d
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::BlockEnd))
        .count();
    assert_eq!((starts, ends), (8, 8));
    let sections: Vec<&str> = d
        .events
        .iter()
        .filter_map(|e| {
            if let EventKind::Section { keyword, .. } = e.kind {
                Some(keyword)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(sections, ["else", "else", "and", "option"]);
    assert!(
        err("sequenceDiagram\nloop x\nA->>B: y", Dialect::Mermaid)[0]
            .message
            .contains("not closed")
    );
    assert!(
        err("sequenceDiagram\nA->>B: y\nend", Dialect::Mermaid)[0]
            .message
            .contains("without an open")
    );
    assert!(
        err("sequenceDiagram\nloop x\nelse y\nend", Dialect::Mermaid)[0]
            .message
            .contains("outside")
    );
}

#[test]
fn autonumber_forms() {
    for s in [
        "autonumber",
        "autonumber 10",
        "autonumber 10 5",
        "autonumber 10.1 .01",
        "autonumber off",
    ] {
        m(&format!("sequenceDiagram\n{s}\nA->>B: x"));
    }
    let svg = common::checked(
        "sequenceDiagram\nautonumber 10 5\nA->>B: x\nB->>A: y",
        Dialect::Mermaid,
        "t",
    )
    .unwrap()
    .svg;
    assert!(svg.contains(">10</text>") && svg.contains(">15</text>"));
    assert!(
        !err(
            "sequenceDiagram\nautonumber 10.001\nA->>B: x",
            Dialect::Mermaid
        )
        .is_empty()
    );
}

#[test]
fn title_accessibility_and_boxes() {
    let d = m(
        "sequenceDiagram\ntitle: 标题\naccTitle: 无障碍标题\naccDescr {\n多行\n描述\n}\nbox Aqua 组一\nparticipant A\nparticipant B\nend\nbox rgb(34, 56, 0)\nparticipant C\nend\nbox 只有标题\nparticipant D\nend\nA->>D: x",
    );
    assert_eq!(d.title.as_ref().unwrap().plain(), "标题");
    assert_eq!(d.acc_descr.as_deref(), Some("多行 描述"));
    assert_eq!(d.boxes.len(), 3);
    assert_eq!(d.boxes[0].color.as_deref(), Some("aqua"));
    assert_eq!(d.boxes[1].color.as_deref(), Some("rgb(34,56,0)"));
    assert_eq!(
        (
            d.boxes[2].color.clone(),
            d.boxes[2].label.as_ref().unwrap().plain()
        ),
        (None, "只有标题".to_string())
    );
    let svg = common::checked(
        "sequenceDiagram\naccTitle: 无障碍标题\nA->>B: x",
        Dialect::Mermaid,
        "t",
    )
    .unwrap()
    .svg;
    assert!(svg.contains("aria-label=\"无障碍标题\""));
}

#[test]
fn links_are_allowlisted() {
    let (d, warnings) = parse(
        "sequenceDiagram\nparticipant A\nlink A: Docs @ https://example.com/a\nlink A: Bad @ javascript:alert(1)\nlinks A: {\"Wiki\": \"https://wiki.example.com\", \"X\": \"data:text/html,hi\"}\nproperties A: {\"class\": \"x\"}\ndetails A: y\nA->>A: x",
        Dialect::Mermaid,
        &Limits::default(),
    )
    .unwrap();
    let urls: Vec<&str> = d.participants[0]
        .links
        .iter()
        .map(|(_, u)| u.as_str())
        .collect();
    assert_eq!(urls, ["https://example.com/a", "https://wiki.example.com"]);
    assert_eq!(warnings.len(), 2);
    let svg = mdbook_protocol::render(&d, &Default::default());
    assert!(svg.contains("href=\"https://example.com/a\"") && !svg.contains("javascript"));
}

#[test]
fn wrap_prefixes_and_long_labels() {
    let long = "这是一段很长的中文消息文本，用来检验自动换行是否按照东亚宽度正确地计算宽度并在合适的位置断开";
    let svg = common::checked(
        &format!("sequenceDiagram\nA->>B: {long}"),
        Dialect::Mermaid,
        "t",
    )
    .unwrap()
    .svg;
    assert!(
        svg.matches("class=\"lb\"").count() >= 2,
        "long label wrapped onto several lines"
    );
    let svg = common::checked(
        &format!("sequenceDiagram\nA->>B:nowrap: {long}"),
        Dialect::Mermaid,
        "t",
    )
    .unwrap()
    .svg;
    assert!(svg.contains(long), "nowrap keeps one line");
    // The lifelines are pushed apart so the label fits: 20 ideographs at 1 em (14 px) each.
    let wide = common::checked(
        "sequenceDiagram\nA->>B:nowrap: 一二三四五六七八九十一二三四五六七八九十",
        Dialect::Mermaid,
        "t",
    )
    .unwrap()
    .svg;
    let xs: Vec<f64> = wide
        .split("<text x=\"")
        .skip(1)
        .filter(|t| t.contains("class=\"an\""))
        .map(|t| t.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(xs[1] - xs[0] >= 20.0 * 14.0, "{xs:?}");
}
