#![allow(clippy::print_stderr, reason = "a benchmark reports to the terminal")]
//! Lint throughput on ≥ 2 MB of awesome-list Markdown: the book's own pages,
//! copied five times into one generated book (relative links keep working
//! inside each copy). The corpus is left in `target/lint-bench-corpus` so the
//! same files can be fed to other tools (see docs/PERFORMANCE.md).
//!
//! Run: `cargo bench -p archmanual-lint --bench throughput`

use std::path::{Path, PathBuf};

use archmanual_lint::{Book, lint};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const COPIES: usize = 5;

fn copy_md(from: &Path, to: &Path, bytes: &mut u64) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_md(&src, &dst, bytes);
        } else if e.file_name() != "SUMMARY.md" {
            let data = std::fs::read(&src).unwrap();
            if src.extension().is_some_and(|x| x == "md") {
                *bytes += data.len() as u64;
            }
            std::fs::write(&dst, data).unwrap();
        }
    }
}

/// Writes the corpus book; returns its root and the Markdown byte count.
fn corpus() -> (PathBuf, u64) {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let book = ws.join("book");
    let root = ws.join("target/lint-bench-corpus");
    let _ = std::fs::remove_dir_all(&root);
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\nsrc = \"src\"\n[build]\ncreate-missing = false\n",
    )
    .unwrap();
    let summary = std::fs::read_to_string(book.join("SUMMARY.md")).unwrap();
    let mut out = String::from("# Summary\n\n");
    let mut bytes = 0;
    for i in 0..COPIES {
        copy_md(&book, &src.join(format!("copy{i}")), &mut bytes);
        out.push_str(&format!("# 副本 {i}\n\n"));
        for line in summary
            .lines()
            .filter(|l| l.trim_start().starts_with("- ["))
        {
            out.push_str(
                &line
                    .replace("](", &format!("](copy{i}/"))
                    .replace(&format!("](copy{i}/)"), "]()"),
            );
            out.push('\n');
        }
        out.push('\n');
    }
    std::fs::write(src.join("SUMMARY.md"), out).unwrap();
    (root, bytes)
}

fn bench(c: &mut Criterion) {
    let (root, bytes) = corpus();
    assert!(bytes >= 2_000_000, "corpus is only {bytes} bytes");
    let book = Book::load(&root).unwrap();
    eprintln!(
        "corpus: {} chapters, {:.2} MB of Markdown, {} findings",
        book.model.chapters.len(),
        bytes as f64 / 1e6,
        lint(&book).len()
    );
    // One-shot per-rule breakdown, to see where the time goes.
    for rule in archmanual_lint::rules() {
        let t = std::time::Instant::now();
        let n = archmanual_lint::lint_with(&book, &[*rule]).len();
        eprintln!(
            "  {} {:<24} {:>8.2} ms  {n} finding(s)",
            rule.meta().code,
            rule.meta().name,
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    let mut g = c.benchmark_group("lint");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("load+parse+lint", |b| {
        b.iter(|| lint(&Book::load(&root).unwrap()).len())
    });
    g.bench_function("lint (parsed)", |b| b.iter(|| lint(&book).len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
