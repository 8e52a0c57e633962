#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line example owns the terminal"
)]
//! Renders every diagram this crate can see into a directory, so that two builds of the
//! renderer can be compared byte for byte (`diff -r`) after a refactor:
//!
//! - each `*.mmd` of the Mermaid corpus (`shared/corpus/mermaid-sequence`, read in place),
//!   once as Mermaid and once with protocol extensions on;
//! - each ```` ```protocol ````/```` ```msc ````/sequence ```` ```mermaid ```` fence of the
//!   manual (`book/**.md`), with the seed the preprocessor uses;
//! - each diagram of `benches/protocol-compare/diagrams`.
//!
//! A diagram that does not render is written as `NAME.err` (its errors, debug-printed), so a
//! change in the errors shows up in the diff too. To reach the error paths as well, each
//! diagram is also checked once per line with that line left out (an `end`, `participant`,
//! `crash` or `timer` goes missing), and the outcomes are written to `mutants/NAME.txt`.
//!
//! ```text
//! cargo run -p mdbook-protocol --example render_all -- /tmp/svg-before
//! # … change the renderer …
//! cargo run -p mdbook-protocol --example render_all -- /tmp/svg-after
//! diff -r /tmp/svg-before /tmp/svg-after
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use archmanual_model::{Document, ParseOptions};
use mdbook_protocol::{Dialect, fence_dialect, render_source};

fn main() -> ExitCode {
    let Some(out) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: render_all OUT_DIR");
        return ExitCode::from(2);
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut count = Counts::default();

    // Where tests/corpus.rs looks: ARCHMANUAL_MERMAID_CORPUS, else shared/ beside the repository.
    let corpus = std::env::var_os("ARCHMANUAL_MERMAID_CORPUS").map_or_else(
        || root.join("../shared/corpus/mermaid-sequence"),
        PathBuf::from,
    );
    if corpus.is_dir() {
        for f in files_with(&corpus, &["mmd"]) {
            let src = read(&f);
            let stem = stem(&f);
            for (dialect, tag) in [
                (Dialect::Mermaid, "mermaid"),
                (Dialect::Protocol, "protocol"),
            ] {
                let name = format!("corpus/{stem}.{tag}");
                count.add(write(&out, &name, &src, dialect, &stem));
            }
        }
    } else {
        eprintln!(
            "skipping the Mermaid corpus: {} is absent",
            corpus.display()
        );
    }

    let bench = root.join("benches/protocol-compare/diagrams");
    for f in files_with(&bench, &["mmd", "protocol"]) {
        let dialect = if f.extension().is_some_and(|e| e == "mmd") {
            Dialect::Mermaid
        } else {
            Dialect::Protocol
        };
        let name = format!("bench/{}", stem(&f));
        count.add(write(&out, &name, &read(&f), dialect, "manual"));
    }

    let book = root.join("book");
    let mut pages = Vec::new();
    walk_md(&book, &mut pages);
    pages.sort();
    for page in pages {
        let content = read(&page);
        let rel = page.strip_prefix(&book).unwrap_or(&page);
        let key = rel.to_string_lossy().into_owned();
        let doc = Document::parse(&content, &ParseOptions::default());
        let fences = doc
            .code_blocks
            .iter()
            .filter(|b| b.fenced)
            .filter_map(|b| fence_dialect(&b.lang, &b.content).map(|d| (b, d)));
        for (index, (block, dialect)) in fences.enumerate() {
            let name = format!("book/{}#{index}", key.replace(['/', '\\'], "__"));
            let seed = format!("{key}#{index}");
            count.add(write(&out, &name, &block.content, dialect, &seed));
        }
    }
    println!(
        "{} SVG files and {} error files written to {}",
        count.svg,
        count.err,
        out.display()
    );
    ExitCode::SUCCESS
}

#[derive(Default)]
struct Counts {
    svg: usize,
    err: usize,
}

impl Counts {
    fn add(&mut self, rendered: bool) {
        if rendered {
            self.svg += 1;
        } else {
            self.err += 1;
        }
    }
}

/// Writes `NAME.svg` (or `NAME.err`); returns whether the diagram rendered.
fn write(out: &Path, name: &str, src: &str, dialect: Dialect, seed: &str) -> bool {
    write_mutants(out, name, src, dialect, seed);
    let (path, body, ok) = match render_source(src, dialect, seed) {
        Ok(r) => (
            out.join(format!("{name}.svg")),
            format!("{}\n<!-- warnings: {:?} -->\n", r.svg, r.warnings),
            true,
        ),
        Err(e) => (out.join(format!("{name}.err")), format!("{e:#?}\n"), false),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the output directory");
    }
    std::fs::write(&path, body).expect("write an output file");
    ok
}

/// `mutants/NAME.txt`: the outcome of the diagram with each of its lines left out in turn.
fn write_mutants(out: &Path, name: &str, src: &str, dialect: Dialect, seed: &str) {
    let lines: Vec<&str> = src.lines().collect();
    let mut body = String::new();
    for skip in 0..lines.len() {
        let mutant: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        let result = match render_source(&mutant.join("\n"), dialect, seed) {
            Ok(r) => format!("{}\n{:?}", r.svg, r.warnings),
            Err(e) => format!("{e:?}"),
        };
        body.push_str(&format!("--- without line {}\n{result}\n", skip + 1));
    }
    let path = out.join("mutants").join(format!("{name}.txt"));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the output directory");
    }
    std::fs::write(&path, body).expect("write an output file");
}

fn files_with(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| exts.contains(&e))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn walk_md(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk_md(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
