//! `mdbook-catalog`: the command mdBook runs (`[preprocessor.catalog]`), and
//! `map-svg`, which writes the technology map as an SVG file for a README.

use std::io::Write;
use std::path::PathBuf;

use archmanual_diagnostics::ErrorChain;
use archmanual_model::LoadedBook;
use archmanual_preprocessor_kit::Subcommand;
use mdbook_catalog::{CatalogConfig, StarLookup, map_svg};

fn main() -> std::process::ExitCode {
    archmanual_preprocessor_kit::main_with::<mdbook_catalog::Catalog>(&[Subcommand {
        name: "map-svg",
        usage: "[--book DIR] [--out FILE] [--base-url URL]   (the technology map as an SVG file; stdout without --out)",
        run: map_svg_command,
    }])
}

/// `map-svg`: 0 written, 1 no `{{#catalog map}}` page, 2 usage or I/O error.
fn map_svg_command(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let (mut book, mut out, mut base) = (PathBuf::from("."), None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let slot = match a.as_str() {
            "--book" => &mut book,
            "--out" => out.get_or_insert_with(PathBuf::new),
            "--base-url" => {
                base = it.next().cloned();
                if base.is_none() {
                    let _ = writeln!(stderr, "mdbook-catalog map-svg: --base-url needs a URL");
                    return 2;
                }
                continue;
            }
            other => {
                let _ = writeln!(
                    stderr,
                    "mdbook-catalog map-svg: unknown argument `{other}` (use --book DIR, --out FILE, --base-url URL)"
                );
                return 2;
            }
        };
        match it.next() {
            Some(v) => *slot = PathBuf::from(v),
            None => {
                let _ = writeln!(stderr, "mdbook-catalog map-svg: `{a}` needs a value");
                return 2;
            }
        }
    }
    let loaded = match LoadedBook::load(&book) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(stderr, "mdbook-catalog map-svg: {}", ErrorChain(&e));
            return 2;
        }
    };
    let config: CatalogConfig = match loaded.preprocessor_config("catalog") {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(stderr, "mdbook-catalog map-svg: {}", ErrorChain(&e));
            return 2;
        }
    };
    let snapshot = loaded.src_dir.join(&config.snapshot);
    let stars = snapshot
        .exists()
        .then(|| StarLookup::from_snapshot_file(&snapshot));
    let stars = match stars.transpose() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(stderr, "mdbook-catalog map-svg: {}", ErrorChain(&e));
            return 2;
        }
    };
    let Some(svg) = map_svg(
        &loaded.book,
        &loaded.options,
        &config,
        stars.as_ref(),
        &loaded.src_dir,
        base.as_deref(),
    ) else {
        let _ = writeln!(
            stderr,
            "mdbook-catalog map-svg: no page of {} has `{{{{#catalog map}}}}`",
            book.display()
        );
        return 1;
    };
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, format!("{svg}\n")) {
                let _ = writeln!(
                    stderr,
                    "mdbook-catalog map-svg: cannot write {}: {e}",
                    path.display()
                );
                return 2;
            }
            0
        }
        None => {
            let _ = writeln!(stdout, "{svg}");
            0
        }
    }
}
