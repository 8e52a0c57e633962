//! Our protocol extensions (```` ```protocol ```` fences only) and how they lay out.

use super::*;

#[test]
fn protocol_extensions_parse() {
    let src = "sequenceDiagram
participant C
participant A
participant B
state over C,A,B: INIT
timer C T: 等待投票
C ->> A, B: Prepare
A -->> C: Yes @{lost: 0.5, class: fail}
& B -->> C: Yes
timeout C T: 超时
[ ->> C: 客户端请求
C ->> ]: 外部回复
C ->> *: Abort @{class: warn}
crash C: 掉电
...
... 5 秒后 ...
recover C
== 第二阶段 ==
|||
partition C | A,B: 网络分区
C ->> A: ping @{lost}
heal
brace right of A: 多数派
A ->> B: m1 @{id: m1}
B ->> A: m2 @{delay: 1}
deliver m1
end
ref over A,B: 子协议
timer A X
cancel A X
Note right of A: done @{class: ok}";
    let d = p(src);
    let kinds: Vec<&'static str> = d
        .events
        .iter()
        .map(|e| match &e.kind {
            EventKind::State(..) => "state",
            EventKind::TimerSet(..) => "timer",
            EventKind::Timeout(..) => "timeout",
            EventKind::TimerCancel(..) => "cancel",
            EventKind::Crash(..) => "crash",
            EventKind::Recover(..) => "recover",
            EventKind::Gap(..) => "gap",
            EventKind::Divider(..) => "divider",
            EventKind::Space => "space",
            EventKind::Partition(..) => "partition",
            EventKind::Heal => "heal",
            EventKind::Deliver(..) => "deliver",
            EventKind::Ref(..) => "ref",
            EventKind::BlockStart { .. } => "start",
            EventKind::BlockEnd => "end",
            EventKind::Message(_) => "msg",
            EventKind::Note { .. } => "note",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "state",
            "timer",
            "msg",
            "msg",
            "msg",
            "timeout",
            "msg",
            "msg",
            "msg",
            "crash",
            "gap",
            "gap",
            "recover",
            "divider",
            "space",
            "partition",
            "msg",
            "heal",
            "start",
            "msg",
            "msg",
            "deliver",
            "end",
            "ref",
            "timer",
            "cancel",
            "note"
        ]
    );
    let ms = msgs(&d);
    assert_eq!(ms[0].to, [Endpoint::P(1), Endpoint::P(2)], "broadcast");
    assert_eq!((ms[1].lost, ms[1].class), (Some(0.5), Some(Class::Fail)));
    assert!(d.events[4].same_row, "`&` joins the previous row");
    assert_eq!(ms[3].from, [Endpoint::Left]);
    assert_eq!(ms[4].to, [Endpoint::Right]);
    assert_eq!(
        ms[5].to,
        [Endpoint::P(1), Endpoint::P(2)],
        "`*` means everyone but the sender"
    );
    assert_eq!(ms[6].lost, Some(0.6), "bare `lost` is 60% of the way");
    assert_eq!(ms[7].id.as_deref(), Some("m1"));
    assert_eq!(ms[8].delay, Some(1));
}

#[test]
fn protocol_semantic_checks() {
    let cases = [
        ("crash A\nA ->> B: x", "crashed and cannot send"),
        ("deliver nope", "no message has"),
        ("timeout A T", "no such timer"),
        ("timer A T\ntimer A T", "already running"),
        ("recover A", "has not crashed"),
        ("crash A\ncrash A", "already crashed"),
        ("partition A,B | B: x", "disjoint"),
        ("heal", "without a `partition`"),
        ("A ->> B: x @{colour: red}", "unknown message attribute"),
        ("A ->> B: x @{lost: 2}", "fraction"),
        ("A ->> B: x @{id: a}\nA ->> B: y @{id: a}", "used twice"),
        (
            "participant A\nparticipant B\nparticipant C\npartition A,C | B",
            "contiguous",
        ),
    ];
    for (body, want) in cases {
        let src = format!("sequenceDiagram\nparticipant A\nparticipant B\n{body}");
        let e = err(&src, Dialect::Protocol);
        assert!(e.iter().any(|e| e.message.contains(want)), "{body}: {e:?}");
        // Errors point at the offending line.
        let (line, col) = e[0].line_col(&src);
        assert!(line >= 4 && col >= 1, "{body}: {line}:{col}");
    }
    // Warnings: a message to a crashed node, a message across a partition, never delivered.
    let (_, w) = parse("sequenceDiagram\ncrash B\nA ->> B: x\npartition A | B\nA ->> B: y\nheal\nA ->> B: z @{id: q}", Dialect::Protocol, &Limits::default()).unwrap();
    let msgs: Vec<&str> = w.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(w.len(), 4, "{msgs:?}");
}

#[test]
fn extensions_are_errors_in_mermaid_fences() {
    for body in [
        "crash A",
        "timer A T",
        "state over A: s",
        "A ->> B, C: x",
        "== x ==",
        "...",
        "& A ->> B: x",
        "[ ->> A: x",
        "partition A | B",
    ] {
        let src = format!("sequenceDiagram\n{body}");
        let e = err(&src, Dialect::Mermaid);
        assert!(
            e.iter()
                .any(|e| e.help.as_deref().is_some_and(|h| h.contains("```protocol"))),
            "{body}: {e:?}"
        );
        // The same line is valid in a protocol fence (`&` needs a previous row).
        p(
            &format!("sequenceDiagram\nparticipant A\nparticipant B\nparticipant C\n{body}")
                .replace("& A", "A ->> C: y\n& A"),
        );
    }
    // In a mermaid fence an `@{…}` suffix is just label text, as in Mermaid.
    let d = m("sequenceDiagram\nA ->> B: x @{lost}");
    assert_eq!(msgs(&d)[0].text.plain(), "x @{lost}");
}

#[test]
fn same_row_events_share_a_row_and_rows_advance_otherwise() {
    let ys = |svg: &str| -> Vec<String> {
        svg.split("<path class=\"ln\" d=\"M")
            .skip(1)
            .map(|t| {
                t.split('L')
                    .next()
                    .unwrap()
                    .split(' ')
                    .nth(1)
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let same = common::checked(
        "sequenceDiagram\nA ->> B: x\n& C ->> D: y",
        Dialect::Protocol,
        "t",
    )
    .unwrap()
    .svg;
    let y = ys(&same);
    assert_eq!(y.len(), 2);
    assert_eq!(y[0], y[1], "`&` puts both arrows on one row");
    let seq = common::checked(
        "sequenceDiagram\nA ->> B: x\nC ->> D: y",
        Dialect::Protocol,
        "t",
    )
    .unwrap()
    .svg;
    let y = ys(&seq);
    assert!(
        y[1].parse::<f64>().unwrap() > y[0].parse::<f64>().unwrap() + 20.0,
        "{y:?}"
    );
}
