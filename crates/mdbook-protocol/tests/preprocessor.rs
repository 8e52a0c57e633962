//! The mdBook side: fences found through the shared Markdown model, spliced by byte span,
//! errors located in the chapter, config validation, the CLI.

mod common;

use std::path::Path;
use std::process::Command;

use archmanual_diagnostics::{DiagnosticSink, Severity};
use archmanual_model::{Document, ParseOptions};
use archmanual_preprocessor_kit::Adapter;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::config::Config as BookConfig;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use mdbook_protocol::{Config, OnError, Protocol, chapter_diagnostics, process_chapter};

const CHAPTER: &str = "# 两阶段提交\n\n正文。\n\n```mermaid\nsequenceDiagram\n  C->>P: Prepare\n```\n\n```mermaid\ngraph TD\n  A-->B\n```\n\n- 列表里的图：\n\n  ```protocol\n  sequenceDiagram\n    C ->> P1, P2: Prepare\n  ```\n\n> ```protocol\n> sequenceDiagram\n>   crash C\n> ```\n\n结尾。\n";

fn svg_blocks(s: &str) -> Vec<&str> {
    s.match_indices("<svg ")
        .map(|(i, _)| &s[i..i + s[i..].find("</svg>").unwrap() + 6])
        .collect()
}

#[test]
fn fences_are_replaced_in_place() {
    let out = process_chapter(
        Path::new("theory/2pc.md"),
        CHAPTER,
        &Config::default(),
        OnError::Fail,
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let svgs = svg_blocks(&out.content);
    assert_eq!(
        svgs.len(),
        3,
        "two protocol fences and one sequence mermaid fence"
    );
    for s in &svgs {
        assert!(common::check_svg(s).is_empty());
    }
    // Non-sequence mermaid stays, surrounding text is byte-identical.
    assert!(out.content.contains("```mermaid\ngraph TD\n  A-->B\n```"));
    assert!(
        out.content
            .starts_with("# 两阶段提交\n\n正文。\n\n<div class=\"pd\"")
    );
    assert!(
        out.content
            .contains("- 列表里的图：\n\n  <div class=\"pd\""),
        "list indentation kept"
    );
    assert!(
        out.content.contains("> <div class=\"pd\""),
        "block quote prefix kept"
    );
    assert!(out.content.ends_with("结尾。\n"));
    // Each diagram has its own CSS scope.
    let scopes: std::collections::HashSet<&str> = svgs
        .iter()
        .map(|s| {
            s.split("class=\"pd-svg ")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(scopes.len(), 3);
    // The result is still Markdown whose HTML blocks hold the whole SVG.
    let doc = Document::parse(out.content.as_str(), &ParseOptions::default());
    assert_eq!(doc.code_blocks.len(), 1, "only the graph fence is left");
}

const BROKEN: &str = "# 标题\n\n一段。\n\n```mermaid\nsequenceDiagram\n  A->>B: ok\n  crash A\n```\n\n- 列表\n\n  ```protocol\n  sequenceDiagram\n    timeout A T\n  ```\n";

#[test]
fn errors_have_chapter_line_and_column() {
    let doc = Document::parse(BROKEN, &ParseOptions::default());
    let ds = chapter_diagnostics(Path::new("theory/x.md"), &doc, &Config::default());
    let pos: Vec<String> = ds.iter().map(|d| d.position()).collect();
    assert_eq!(pos, ["theory/x.md:8:3", "theory/x.md:15:5"], "{ds:#?}");
    assert!(ds[0].to_string().contains("error[PD005]"), "{}", ds[0]);
    assert!(ds[0].help.as_deref().unwrap().contains("```protocol"));
    assert!(ds[1].message.contains("no such timer"));
}

#[test]
fn inline_mode_shows_an_error_block_and_fail_mode_keeps_the_fence() {
    let inline = process_chapter(
        Path::new("x.md"),
        BROKEN,
        &Config::default(),
        OnError::Inline,
    );
    assert_eq!(inline.content.matches("class=\"pd-error\"").count(), 2);
    assert!(inline.content.contains("x.md:8:3: error[PD005]"));
    let fail = process_chapter(Path::new("x.md"), BROKEN, &Config::default(), OnError::Fail);
    assert_eq!(fail.content, BROKEN);
    assert_eq!(fail.diagnostics.len(), 2);
}

fn book_with(content: &str) -> Book {
    let mut ch = Chapter::new("理论", content.to_string(), "theory/a.md", Vec::new());
    ch.source_path = Some("theory/a.md".into());
    let mut book = Book::new();
    book.items.push(BookItem::Chapter(ch));
    book
}

fn ctx(toml: &str) -> PreprocessorContext {
    let cfg: BookConfig = toml.parse().unwrap();
    PreprocessorContext::new(std::env::temp_dir(), cfg, "html".to_string())
}

#[test]
fn preprocessor_config_and_modes() {
    let sink = DiagnosticSink::default();
    let pre = Adapter::<Protocol>::new(sink.clone());
    assert!(pre.supports_renderer("html").unwrap());
    assert!(!pre.supports_renderer("epub").unwrap());
    // Unknown keys are errors that name the table.
    let e = pre
        .run(
            &ctx("[preprocessor.protocol]\ncommand = \"x\"\nonerror = \"fail\"\n"),
            book_with(CHAPTER),
        )
        .unwrap_err();
    assert!(format!("{e:#}").contains("onerror"), "{e:#}");
    // fail mode: the build fails with file:line:col.
    let e = pre
        .run(
            &ctx("[preprocessor.protocol]\non-error = \"fail\"\n"),
            book_with(BROKEN),
        )
        .unwrap_err();
    assert!(format!("{e:#}").contains("theory/a.md:8:3"), "{e:#}");
    // The errors are in the error only, not also in the sink.
    assert!(
        sink.drain().iter().all(|d| d.severity != Severity::Error),
        "errors went to the sink too"
    );
    // inline mode: the book goes through; diagnostics go to the sink for the binary to print.
    let book = pre
        .run(
            &ctx("[preprocessor.protocol]\non-error = \"inline\"\nafter = [\"links\"]\n"),
            book_with(BROKEN),
        )
        .unwrap();
    let BookItem::Chapter(ch) = &book.items[0] else {
        panic!()
    };
    assert!(ch.content.contains("pd-error"));
    assert_eq!(sink.drain().len(), 2);
}

#[test]
fn cli_render() {
    let exe = env!("CARGO_BIN_EXE_mdbook-protocol");
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.protocol");
    let bad = dir.path().join("bad.mmd");
    std::fs::write(&good, "sequenceDiagram\n  A ->> B, C: 广播\n").unwrap();
    std::fs::write(
        &bad,
        "sequenceDiagram\n  A->>B: ok\n  A ->> B: x @{lost}\n  state over A: s\n",
    )
    .unwrap();
    // One file, no --out-dir: SVG on stdout.
    let out = Command::new(exe).arg("render").arg(&good).output().unwrap();
    assert!(out.status.success());
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(common::check_svg(svg.trim_end()).is_empty() && svg.contains("广播"));
    // Several files with --out-dir: the good one is written, the bad one reported, exit 1.
    let od = dir.path().join("out");
    let out = Command::new(exe)
        .arg("render")
        .arg(&good)
        .arg(&bad)
        .arg("--out-dir")
        .arg(&od)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(od.join("good.svg").is_file() && !od.join("bad.svg").exists());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!("{}:4:3: error[PD005]", bad.display())),
        "{err}"
    );
    // supports
    assert!(
        Command::new(exe)
            .args(["supports", "html"])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(
        Command::new(exe)
            .args(["supports", "epub"])
            .status()
            .unwrap()
            .code(),
        Some(1)
    );
    // Usage errors exit 2.
    assert_eq!(
        Command::new(exe).arg("render").status().unwrap().code(),
        Some(2)
    );
}

#[test]
fn mermaid_extensions_setting_allows_extensions_in_mermaid_fences() {
    let md = "```mermaid\nsequenceDiagram\n  crash A\n```\n";
    let strict = process_chapter(Path::new("a.md"), md, &Config::default(), OnError::Fail);
    assert_eq!(strict.diagnostics.len(), 1);
    let cfg = Config {
        mermaid_extensions: true,
        ..Config::default()
    };
    let relaxed = process_chapter(Path::new("a.md"), md, &cfg, OnError::Fail);
    assert!(relaxed.diagnostics.is_empty(), "{:?}", relaxed.diagnostics);
    assert!(relaxed.content.contains("<svg "));
}
