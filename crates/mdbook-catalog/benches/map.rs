#![allow(clippy::print_stderr, reason = "a benchmark reports to the terminal")]
//! The technology map's picture for the manual (`book/`), side by side with
//! the whole catalog run it is part of (every index page, the map page with
//! its inline SVG and the text list, entry anchors on every page). Goal: the
//! picture in ≤ 50 ms.
//!
//! Run: `cargo bench -p mdbook-catalog --bench map`

use std::path::Path;

use archmanual_model::LoadedBook;
use criterion::{Criterion, criterion_group, criterion_main};
use mdbook_catalog::{CatalogConfig, map_svg, process};

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let loaded = LoadedBook::load(&root).expect("the manual loads");
    let config: CatalogConfig = loaded
        .preprocessor_config("catalog")
        .expect("[preprocessor.catalog]");
    let svg = map_svg(
        &loaded.book,
        &loaded.options,
        &config,
        None,
        &loaded.src_dir,
        None,
    )
    .expect("the manual has a map page");
    eprintln!(
        "map picture: {} KB, {} links",
        svg.len() / 1024,
        svg.matches("<a ").count()
    );
    let mut g = c.benchmark_group("manual");
    g.bench_function("map picture (standalone SVG)", |b| {
        b.iter(|| {
            map_svg(
                &loaded.book,
                &loaded.options,
                &config,
                None,
                &loaded.src_dir,
                None,
            )
        });
    });
    g.bench_function("whole catalog run (all pages, map with picture)", |b| {
        b.iter_batched(
            || loaded.book.clone(),
            |book| process(book, &loaded.options, &config, None, &loaded.src_dir).unwrap(),
            criterion::BatchSize::LargeInput,
        );
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
