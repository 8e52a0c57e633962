//! The model never panics, whatever the input, and its spans stay in bounds.

use archmanual_model::{Document, ParseOptions};
use proptest::prelude::*;

fn check(src: String) {
    let doc = Document::parse(src, &ParseOptions::default());
    let len = doc.source.len();
    for l in &doc.links {
        assert!(l.span.start <= l.span.end && l.span.end <= len);
        if let Some(d) = l.dest_span {
            assert!(d.start <= d.end && d.end <= len);
        }
        let (line, col) = doc.line_col(l.span.start);
        assert!(line >= 1 && col >= 1);
    }
    for e in &doc.entries {
        assert!(e.span.end <= len && e.name_span.end <= len);
    }
    for p in &doc.entry_problems {
        assert!(p.span.end <= len);
    }
    let _ = doc.intro_sentence();
    let _ = doc.fragment_ids().count();
}

/// Markdown-ish fragments that exercise the tricky paths.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[".to_string()),
        Just("]".to_string()),
        Just("](".to_string()),
        Just(")".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("# ".to_string()),
        Just("```".to_string()),
        Just("`".to_string()),
        Just("<a href=\"".to_string()),
        Just("<div id=x>".to_string()),
        Just("{{#include ".to_string()),
        Just("}}".to_string()),
        Just("{#id}".to_string()),
        Just("> ".to_string()),
        Just("|".to_string()),
        Just("![".to_string()),
        Just("[^1]".to_string()),
        Just("中文（全角）".to_string()),
        Just("https://github.com/a/b".to_string()),
        Just(" - 说明。".to_string()),
        Just("&amp;".to_string()),
        "[a-z ]{0,8}",
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_markdown_never_panics(parts in prop::collection::vec(fragment(), 0..80)) {
        check(parts.concat());
    }

    #[test]
    fn arbitrary_bytes_read_lossily_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(String::from_utf8_lossy(&bytes).into_owned());
    }
}

#[test]
fn adversarial_inputs() {
    // Deep nesting of lists, quotes and brackets.
    check("- ".repeat(2000));
    check("> ".repeat(5000) + "x");
    check("[".repeat(20_000) + &"]".repeat(20_000));
    check("*".repeat(50_000));
    // A single huge line.
    check(format!(
        "- [x](https://e.example/{}) - {}",
        "a".repeat(200_000),
        "说明".repeat(50_000)
    ));
    // Unbalanced HTML.
    check("<div><a href=\"x<span id='".repeat(3000));
    check("<!--".repeat(1000));
    // Invalid UTF-8 read lossily.
    check(String::from_utf8_lossy(&[0xff, 0xfe, b'[', 0xc3, b']', b'(', 0xe4, 0xb8]).into_owned());
}
