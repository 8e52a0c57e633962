#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line example owns the terminal"
)]
//! Times parse + check + render of every diagram of the Mermaid corpus
//! (`shared/corpus/mermaid-sequence`, read in place) and of `benches/protocol-compare/diagrams`:
//! the median of `BATCHES` batches, each batch rendering every diagram once. Used to compare
//! two builds of the renderer side by side (run them interleaved, under the same load):
//!
//! ```text
//! cargo build --release -p mdbook-protocol --example bench_render
//! target/release/examples/bench_render 31
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mdbook_protocol::{Dialect, render_source};

fn main() {
    let batches: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(31);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs: Vec<(String, Dialect)> = Vec::new();
    for (dir, default) in [
        (
            std::env::var_os("ARCHMANUAL_MERMAID_CORPUS").map_or_else(
                || root.join("../shared/corpus/mermaid-sequence"),
                PathBuf::from,
            ),
            Dialect::Mermaid,
        ),
        (
            root.join("benches/protocol-compare/diagrams"),
            Dialect::Protocol,
        ),
    ] {
        for f in files(&dir) {
            let dialect = if f.extension().is_some_and(|e| e == "mmd") {
                default
            } else {
                Dialect::Protocol
            };
            if let Ok(src) = std::fs::read_to_string(&f) {
                inputs.push((src, dialect));
            }
        }
    }
    if inputs.is_empty() {
        eprintln!("no diagrams found");
        return;
    }
    let mut times: Vec<Duration> = Vec::with_capacity(batches);
    let mut bytes = 0usize;
    for _ in 0..batches {
        let t = Instant::now();
        for (src, dialect) in &inputs {
            if let Ok(r) = render_source(src, *dialect, "bench") {
                bytes += r.svg.len();
            }
        }
        times.push(t.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{} diagrams, {batches} batches: median batch {:.3} ms ({:.1} µs per diagram); {} SVG bytes",
        inputs.len(),
        median.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e6 / inputs.len() as f64,
        bytes / batches
    );
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "mmd" || e == "protocol"));
    v.sort();
    v
}
