#![allow(clippy::print_stderr, reason = "a benchmark reports to the terminal")]
//! The technology map for the manual (`book/`): the catalog run with the map
//! page (text list and inline SVG) side by side with the same run without
//! it (every index page and entry anchor, no map); the difference is what
//! the map costs. Also the standalone SVG (`map-svg`, which parses the whole
//! book first). Goal: the map in ≤ 50 ms.
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
    // The baseline: the same book without its map page.
    let mut without_map = loaded.book.clone();
    without_map.items.retain(|item| match item {
        mdbook_preprocessor::book::BookItem::Chapter(ch) => {
            !ch.content.contains("{{#catalog map}}")
        }
        _ => true,
    });
    assert!(
        without_map.items.len() < loaded.book.items.len(),
        "no map page to leave out"
    );
    g.bench_function("catalog run without the map (baseline)", |b| {
        b.iter_batched(
            || without_map.clone(),
            |book| process(book, &loaded.options, &config, None, &loaded.src_dir).unwrap(),
            criterion::BatchSize::LargeInput,
        );
    });
    g.bench_function("catalog run with the map (list and picture)", |b| {
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
