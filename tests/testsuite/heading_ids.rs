//! The model's heading ids equal the ids real mdBook 0.5 writes into HTML.

use archmanual_model::{BookModel, ParseOptions};

use crate::support::fixture;

/// `id="…"` of every `h1`–`h6` and `dt` in a page's `<main>`, in order.
fn rendered_ids(html: &str) -> Vec<String> {
    let main = crate::support::main_of(html);
    let mut out = Vec::new();
    for tag in main.split('<').skip(1) {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !matches!(
            name.as_str(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt"
        ) {
            continue;
        }
        if let Some(rest) = tag.split("id=\"").nth(1) {
            out.push(rest.split('"').next().unwrap_or("").to_string());
        }
    }
    out
}

#[test]
fn model_ids_match_mdbook_html() {
    let dir = fixture("heading-ids");
    let mut md = mdbook_driver::MDBook::load(dir.path()).expect("loads");
    md.config.build.build_dir = dir.path().join("out");
    md.build().expect("builds");
    let model = BookModel::from_book(&md.book, &ParseOptions::from_config(&md.config));
    let mut compared = 0;
    for ch in &model.chapters {
        let path = ch.path.as_ref().expect("no drafts here");
        let html =
            std::fs::read_to_string(dir.path().join("out").join(path.with_extension("html")))
                .unwrap();
        let want = rendered_ids(&html);
        let got: Vec<String> = ch.doc.headings.iter().map(|h| h.id.clone()).collect();
        // html entities in ids: mdBook writes `&amp;` etc. for `&` in attributes.
        let want: Vec<String> = want
            .iter()
            .map(|w| archmanual_model::html::decode_entities(w))
            .collect();
        assert_eq!(got, want, "ids of {}", path.display());
        compared += got.len();
    }
    assert!(
        compared > 30,
        "the fixture should exercise many headings, got {compared}"
    );
}
