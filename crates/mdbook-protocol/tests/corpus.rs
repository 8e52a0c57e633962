//! The Mermaid compatibility corpus: the sequence diagrams of mermaid-js/mermaid's docs, unit
//! tests and demos, cut out by `scripts/fetch-mermaid-corpus.sh`. Every valid diagram must
//! render; the ones Mermaid itself rejects are listed below with the reason and must be rejected
//! by us too.
//!
//! The corpus is not part of the repository. It is read from `ARCHMANUAL_MERMAID_CORPUS`, else
//! from `../shared/corpus/mermaid-sequence` beside the repository; without either these tests
//! pass after printing one line that says how to get it.

mod common;

use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Once;

use mdbook_protocol::Dialect;

const SPEC: &str = "packages/mermaid/src/diagrams/sequence/sequenceDiagram.spec.js";

/// Inputs Mermaid rejects, by where the corpus cut them from (`INDEX.tsv`'s
/// `first_source:first_line`), with the test in Mermaid's `sequenceDiagram.spec.js` that says so.
const REJECTED_BY_MERMAID: &[(&str, u32, &str)] = &[
    (
        SPEC,
        502,
        "autonumber 10.001: more than two decimals (spec line 502 expects an error)",
    ),
    (
        SPEC,
        914,
        "deactivates a participant that is not active (spec line 914)",
    ),
    (
        SPEC,
        2511,
        "malformed JSON in participant @{…} (spec line 2511)",
    ),
    (
        SPEC,
        2528,
        "missing colon in participant @{…} JSON (spec line 2528)",
    ),
    (
        SPEC,
        2544,
        "missing closing brace in participant @{…} (spec line 2544)",
    ),
    (
        SPEC,
        2687,
        "participant id with spaces and <br> but no `as` (spec line 2687)",
    ),
    (
        SPEC,
        2700,
        "`as` without a space: the id contains `:` (spec line 2700 expects an error)",
    ),
    (
        "demos/sequence.html",
        68,
        "cut from demos/sequence.html across two <pre> blocks: contains `</pre >` and `<hr />` HTML",
    ),
    (
        "demos/sequence.html",
        155,
        "cut from demos/sequence.html across two <pre> blocks: contains `</pre>` and `<hr />` HTML",
    ),
];

/// The corpus: diagram file stem by `source:line`, and the directory.
struct Corpus {
    dir: PathBuf,
    by_origin: HashMap<String, String>,
}

impl Corpus {
    /// The corpus, or `None` (after saying once what is skipped) when it is not there.
    fn find() -> Option<Corpus> {
        let dir = match std::env::var_os("ARCHMANUAL_MERMAID_CORPUS") {
            Some(dir) => {
                let dir = PathBuf::from(dir);
                // Asked for explicitly: a wrong path is an error, not a skip.
                assert!(
                    dir.join("INDEX.tsv").is_file(),
                    "ARCHMANUAL_MERMAID_CORPUS={} has no INDEX.tsv; run scripts/fetch-mermaid-corpus.sh DIR",
                    dir.display()
                );
                dir
            }
            None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus/mermaid-sequence"),
        };
        if !dir.join("INDEX.tsv").is_file() {
            static SKIP: Once = Once::new();
            // Straight to stderr: libtest captures print!/eprint! of passing tests.
            SKIP.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "skipped: mdbook-protocol Mermaid corpus tests (no corpus); get it with \
                     `scripts/fetch-mermaid-corpus.sh DIR` and set ARCHMANUAL_MERMAID_CORPUS=DIR"
                );
            });
            return None;
        }
        let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap();
        let by_origin = index
            .lines()
            .skip(1)
            .filter_map(|row| {
                let cols: Vec<&str> = row.split('\t').collect();
                let stem = cols.get(1)?.strip_suffix(".mmd")?;
                Some((
                    format!("{}:{}", cols.get(3)?, cols.get(4)?),
                    stem.to_string(),
                ))
            })
            .collect();
        Some(Corpus { dir, by_origin })
    }

    /// The diagram cut from `source` at `line`.
    fn read(&self, source: &str, line: u32) -> String {
        let stem = self
            .by_origin
            .get(&format!("{source}:{line}"))
            .unwrap_or_else(|| panic!("no diagram from {source}:{line} in the corpus"));
        std::fs::read_to_string(self.dir.join(format!("{stem}.mmd"))).unwrap()
    }
}

#[test]
fn mermaid_corpus_renders_or_is_rejected_like_mermaid() {
    let Some(corpus) = Corpus::find() else {
        return;
    };
    let origin_of: HashMap<&str, &str> = corpus
        .by_origin
        .iter()
        .map(|(origin, stem)| (stem.as_str(), origin.as_str()))
        .collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus.dir)
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
        let origin = origin_of.get(stem.as_str()).copied().unwrap_or_default();
        let rejected = REJECTED_BY_MERMAID
            .iter()
            .find(|(source, line, _)| origin == format!("{source}:{line}"));
        match (rejected, result) {
            (Some((_, _, why)), Ok(_)) => {
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
    let Some(corpus) = Corpus::find() else {
        return;
    };
    let docs = "docs/syntax/sequenceDiagram.md";
    let svg = common::checked(&corpus.read(docs, 920), Dialect::Mermaid, "t")
        .unwrap()
        .svg;
    assert!(
        svg.contains("I ♥ you ∞ times more!"),
        "entity codes decoded"
    );
    let svg = common::checked(&corpus.read(SPEC, 1452), Dialect::Mermaid, "t")
        .unwrap()
        .svg;
    assert!(
        svg.contains(">-:&lt;&gt;,</text>"),
        "`;` ends the message and `#` starts a comment: {svg}"
    );
    assert!(!svg.contains("comment"));
    let svg = common::checked(&corpus.read(docs, 582), Dialect::Mermaid, "t")
        .unwrap()
        .svg;
    assert!(
        svg.contains(">Alice</text>") && svg.contains(">Johnson</text>"),
        "<br/> in an alias splits lines"
    );
    let svg = common::checked(&corpus.read(SPEC, 978), Dialect::Mermaid, "t")
        .unwrap()
        .svg;
    assert!(
        svg.contains("Bob thinks") && svg.contains("I am good thanks!"),
        "`;` separated statements"
    );
}
