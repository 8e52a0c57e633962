//! Book-copying helpers shared by the bench binaries (`mod common;`).

use std::path::Path;

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

pub(crate) fn copy_book(root: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    std::fs::copy(root.join("book.toml"), to.join("book.toml")).expect("book.toml");
    copy_tree(&root.join("book"), &to.join("book"));
    // book.toml's additional-css lives in theme/.
    copy_tree(&root.join("theme"), &to.join("theme"));
}

/// Copies a directory tree, leaving out build output folders named `out`.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let t = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            if e.file_name() == "out" {
                continue;
            }
            copy_tree(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).expect("copy");
        }
    }
}
