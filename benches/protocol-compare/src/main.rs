#![allow(clippy::print_stdout, reason = "benchmark report")]
//! Side-by-side timing: mdbook-protocol vs mermaid-rs-renderer (mmdr) on the same Mermaid
//! sequence diagrams (`diagrams/*.mmd`), plus mdbook-protocol alone on the manual's protocol
//! diagrams (`diagrams/*.protocol`, which use extensions mmdr cannot parse).
//!
//! `cargo run --release` (from this directory) prints Markdown tables for docs/PERFORMANCE.md.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use mdbook_protocol::{Dialect, render_source};

/// Median time of one call, in milliseconds: batches sized to ~2 ms, 31 batches.
fn median_ms(f: &mut dyn FnMut()) -> f64 {
    for _ in 0..20 {
        f();
    }
    let t = Instant::now();
    f();
    let one = t.elapsed().as_secs_f64().max(1e-7);
    let batch = ((0.002 / one) as usize).clamp(1, 100_000);
    let mut samples: Vec<f64> = (0..31)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_secs_f64() * 1000.0 / batch as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("diagrams");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("diagrams/").map(|e| e.expect("entry").path()).collect();
    files.sort();

    println!("| Diagram (Mermaid syntax) | lines | mdbook-protocol | mmdr 0.3 | mmdr / ours |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut ratios = Vec::new();
    let mut ours_all = Vec::new();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "mmd")) {
        let src = std::fs::read_to_string(f).expect("read");
        let name = f.file_stem().unwrap_or_default().to_string_lossy();
        render_source(&src, Dialect::Mermaid, "b").expect("ours renders");
        let ours = median_ms(&mut || {
            black_box(render_source(black_box(&src), Dialect::Mermaid, "b").ok());
        });
        let theirs = match mermaid_rs_renderer::render(&src) {
            Ok(_) => Ok(median_ms(&mut || {
                black_box(mermaid_rs_renderer::render(black_box(&src)).ok());
            })),
            Err(e) => Err(e.to_string().replace('|', "/")),
        };
        ours_all.push(ours);
        match theirs {
            Ok(t) => {
                ratios.push(t / ours);
                println!("| {name} | {} | {ours:.3} ms | {t:.3} ms | {:.1}× |", src.lines().count(), t / ours);
            }
            Err(e) => println!("| {name} | {} | {ours:.3} ms | error: {e} | — |", src.lines().count()),
        }
    }
    println!(
        "\nMedian ratio mmdr / mdbook-protocol: {:.1}×; median mdbook-protocol time: {:.3} ms\n",
        median(&mut ratios),
        median(&mut ours_all)
    );

    println!("| Diagram (protocol extensions, ours only) | lines | mdbook-protocol |");
    println!("| --- | ---: | ---: |");
    let mut proto = Vec::new();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "protocol")) {
        let src = std::fs::read_to_string(f).expect("read");
        let name = f.file_stem().unwrap_or_default().to_string_lossy();
        render_source(&src, Dialect::Protocol, "b").unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let ours = median_ms(&mut || {
            black_box(render_source(black_box(&src), Dialect::Protocol, "b").ok());
        });
        proto.push(ours);
        println!("| {name} | {} | {ours:.3} ms |", src.lines().count());
    }
    println!("\nMedian per protocol diagram: {:.3} ms (goal ≤ 0.2 ms)", median(&mut proto));
}
