//! The manual's own protocol diagrams (`benches/protocol-compare/diagrams`, also inserted into
//! the theory chapters) render cleanly: no errors, no protocol warnings, allowlisted SVG.

mod common;

use std::path::PathBuf;

use mdbook_protocol::{Dialect, render_source};

#[test]
fn manual_diagrams_render_without_warnings() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../benches/protocol-compare/diagrams");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("benches/protocol-compare/diagrams") {
        let path = entry.unwrap().path();
        let dialect = match path.extension().and_then(|e| e.to_str()) {
            Some("protocol") => Dialect::Protocol,
            Some("mmd") => Dialect::Mermaid,
            _ => continue,
        };
        let src = std::fs::read_to_string(&path).unwrap();
        let r = render_source(&src, dialect, "manual")
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert!(
            r.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            r.warnings
        );
        let problems = common::check_svg(&r.svg);
        assert!(problems.is_empty(), "{}: {problems:?}", path.display());
        n += 1;
    }
    assert!(n >= 15, "only {n} diagrams found");
}
