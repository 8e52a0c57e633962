//! Book-copying helpers shared by the bench binaries (`mod common;`).

use std::path::Path;

use archmanual_test_support::copy_dir_except;

/// Removes every `[preprocessor.*]` table and the `[output.search]`
/// renderer: the baseline is mdBook alone, with its own search.
pub(crate) fn strip_preprocessors(book_toml: &Path) {
    let text = std::fs::read_to_string(book_toml).expect("book.toml");
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.trim_start().starts_with('[') {
            skipping = line.trim_start().starts_with("[preprocessor.")
                || line.trim_start().starts_with("[output.search]");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(book_toml, out).expect("write book.toml");
}

/// Copies the manual (`book.toml`, `book/`, `theme/`) from `root` to `to`.
pub(crate) fn copy_book(root: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    std::fs::copy(root.join("book.toml"), to.join("book.toml")).expect("book.toml");
    // Build output folders (`out`) are left behind.
    copy_dir_except(&root.join("book"), &to.join("book"), &["out"]);
    // book.toml's additional-css lives in theme/.
    copy_dir_except(&root.join("theme"), &to.join("theme"), &["out"]);
}
