//! Copies of fixture books and directory trees. Test tooling: every failure
//! panics with the path, since a test cannot go on without its files.

use std::path::Path;

/// Copies the directory tree `from` into `to` (created if missing; files
/// already there are overwritten).
#[track_caller]
pub fn copy_dir(from: &Path, to: &Path) {
    copy_dir_except(from, to, &[]);
}

/// Like [`copy_dir`], leaving out every directory, at any depth, whose name
/// is in `skip` (e.g. a build's `out`).
#[track_caller]
pub fn copy_dir_except(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
        let source = entry.path();
        let target = to.join(entry.file_name());
        // `metadata` follows symbolic links: a linked directory is copied.
        let is_dir = std::fs::metadata(&source)
            .unwrap_or_else(|e| panic!("stat {}: {e}", source.display()))
            .is_dir();
        if is_dir {
            if !skip.iter().any(|s| entry.file_name() == *s) {
                copy_dir_except(&source, &target, skip);
            }
        } else {
            std::fs::copy(&source, &target).unwrap_or_else(|e| {
                panic!("copy {} to {}: {e}", source.display(), target.display())
            });
        }
    }
}

/// Copies the fixture book (or any directory) at `dir` into a fresh
/// temporary directory, so a test can build or change it; the copy is
/// removed when the returned guard drops.
#[track_caller]
pub fn copy_fixture(dir: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("temporary directory");
    copy_dir(dir, copy.path());
    copy
}
