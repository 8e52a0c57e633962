//! The Mermaid compatibility corpus (`shared/corpus/mermaid-sequence`, cut from Mermaid's docs,
//! unit tests and demos). Every valid diagram must render; the ones Mermaid itself rejects are
//! listed below with the reason and must be rejected by us too.

mod common;

use std::path::PathBuf;

use mdbook_protocol::Dialect;

/// Inputs Mermaid rejects, with the test in Mermaid's `sequenceDiagram.spec.js` that says so.
const REJECTED_BY_MERMAID: &[(&str, &str)] = &[
    (
        "052",
        "autonumber 10.001: more than two decimals (spec line 502 expects an error)",
    ),
    (
        "075",
        "deactivates a participant that is not active (spec line 914)",
    ),
    ("140", "malformed JSON in participant @{…} (spec line 2511)"),
    (
        "141",
        "missing colon in participant @{…} JSON (spec line 2528)",
    ),
    (
        "142",
        "missing closing brace in participant @{…} (spec line 2544)",
    ),
    (
        "153",
        "participant id with spaces and <br> but no `as` (spec line 2687)",
    ),
    (
        "154",
        "`as` without a space: the id contains `:` (spec line 2700 expects an error)",
    ),
    (
        "309",
        "cut from demos/sequence.html across two <pre> blocks: contains `</pre >` and `<hr />` HTML",
    ),
    (
        "312",
        "cut from demos/sequence.html across two <pre> blocks: contains `</pre>` and `<hr />` HTML",
    ),
];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/mermaid-sequence")
}

#[test]
fn mermaid_corpus_renders_or_is_rejected_like_mermaid() {
    let dir = corpus_dir();
    assert!(
        dir.is_dir(),
        "the Mermaid compatibility corpus is missing: expected {} (it lives in shared/, next to the repository)",
        dir.display()
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mmd"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 170,
        "corpus has only {} diagrams",
        files.len()
    );
    let (mut valid, mut rendered) = (0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let src = std::fs::read_to_string(f).unwrap();
        let result = common::checked(&src, Dialect::Mermaid, &stem);
        let rejected = REJECTED_BY_MERMAID.iter().find(|(s, _)| *s == stem);
        match (rejected, result) {
            (Some((_, why)), Ok(_)) => {
                failures.push(format!("{stem}: rendered, but Mermaid rejects it ({why})"))
            }
            (Some(_), Err(errs)) => {
                // Every rejection is located and explained.
                for e in errs {
                    let (line, _) = e.line_col(&src);
                    assert!(
                        line >= 1 && line <= src.lines().count().max(1),
                        "{stem}: {e:?}"
                    );
                    assert!(!e.message.is_empty());
                }
            }
            (None, Ok(r)) => {
                valid += 1;
                rendered += 1;
                let problems = common::check_svg(&r.svg);
                assert!(problems.is_empty(), "{stem}: {problems:?}");
            }
            (None, Err(errs)) => {
                valid += 1;
                let first = &errs[0];
                failures.push(format!(
                    "{stem}: {:?} {} ({:?})",
                    first.line_col(&src),
                    first.message,
                    first.help
                ));
            }
        }
    }
    let ratio = rendered as f64 / valid as f64;
    assert!(
        ratio >= 0.97,
        "only {rendered}/{valid} valid diagrams render:\n{}",
        failures.join("\n")
    );
    // We aim for all of them; list what is left.
    assert!(
        failures.is_empty(),
        "{rendered}/{valid} render; failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn corpus_labels_survive_into_the_svg() {
    // Spot checks that the parser kept the meaning, not just "it rendered".
    let dir = corpus_dir();
    let read =
        |n: &str| std::fs::read_to_string(dir.join(format!("{n}.mmd"))).expect("corpus file");
    let svg = common::checked(&read("033"), Dialect::Mermaid, "t")
        .unwrap()
        .svg;
    assert!(
        svg.contains("I ♥ you ∞ times more!"),
        "entity codes decoded"
    );
    let svg = common::checked(&read("096"), Dialect::Mermaid, "t")
        .unwrap()
        .svg;
    assert!(
        svg.contains(">-:&lt;&gt;,</text>"),
        "`;` ends the message and `#` starts a comment: {svg}"
    );
    assert!(!svg.contains("comment"));
    let svg = common::checked(&read("023"), Dialect::Mermaid, "t")
        .unwrap()
        .svg;
    assert!(
        svg.contains(">Alice</text>") && svg.contains(">Johnson</text>"),
        "<br/> in an alias splits lines"
    );
    let svg = common::checked(&read("078"), Dialect::Mermaid, "t")
        .unwrap()
        .svg;
    assert!(
        svg.contains("Bob thinks") && svg.contains("I am good thanks!"),
        "`;` separated statements"
    );
}
