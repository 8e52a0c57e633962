//! Shared helpers for the testsuite.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `archmanual` binary under test.
pub(crate) fn archmanual() -> Command {
    Command::new(env!("CARGO_BIN_EXE_archmanual"))
}

/// A workspace binary built next to `archmanual` (by `cargo test --workspace`).
#[track_caller]
pub(crate) fn workspace_bin(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_BIN_EXE_archmanual"))
        .with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        p.exists(),
        "{} is missing: run the tests with `cargo test --workspace`, which builds every preprocessor binary",
        p.display()
    );
    p
}

/// Copies `tests/fixtures/<name>` into a fresh temporary directory.
pub(crate) fn fixture(name: &str) -> tempfile::TempDir {
    archmanual_test_support::copy_fixture(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
}

/// Runs git in `dir` with a fixed identity and no signing; panics when git fails.
#[track_caller]
pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Runs and returns the output, with stderr shown on failure to help debugging.
pub(crate) fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("command runs")
}

/// The inside of `<main …>…</main>` of an HTML page: the chapter's rendered
/// content (the tag's attributes differ between `archmanual build`, which
/// marks it for the search index, and plain mdBook).
pub(crate) fn main_of(html: &str) -> &str {
    let start = html
        .find("<main")
        .and_then(|s| html[s..].find('>').map(|e| s + e + 1))
        .unwrap_or(0);
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// Every `.html` file under `dir`, relative, sorted.
pub(crate) fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// `href` values of `<a>` tags in `html`.
pub(crate) fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// `html` without the attributes `archmanual build` adds for the search
/// index (`data-pagefind-*`, `data-am-*`), to compare with plain mdBook.
pub(crate) fn without_search_attributes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = [" data-pagefind-", " data-am-"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        // The attribute's name, then an optional `="…"` value.
        let name_end = rest.find(['=', ' ', '>']).unwrap_or(rest.len());
        rest = &rest[name_end..];
        if let Some(value) = rest.strip_prefix("=\"") {
            rest = value.find('"').map_or("", |e| &value[e + 1..]);
        }
    }
    out.push_str(rest);
    out
}

/// `archmanual build` of `book` into `dir` (emptied first); fails the test
/// unless the build succeeds with a Pagefind bundle.
pub(crate) fn build_book_into(book: &Path, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    let out = run(archmanual()
        .args(["build", "--book"])
        .arg(book)
        .arg("--dest-dir")
        .arg(dir));
    assert!(
        out.status.success(),
        "`archmanual build` failed for {}:\n{}",
        book.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.join("pagefind/pagefind.js").is_file()
            || dir.join("html/pagefind/pagefind.js").is_file(),
        "no Pagefind bundle in the build of {}",
        book.display()
    );
}

/// The built manual and a loopback server for it.
pub(crate) struct ManualSite {
    pub(crate) dir: PathBuf,
    pub(crate) server: archmanual_test_support::StaticServer,
}

/// The manual, built once per test process for every browser test
/// (`ARCHMANUAL_TEST_SITE=DIR` uses a site built beforehand).
pub(crate) fn manual_site() -> &'static ManualSite {
    static SITE: std::sync::OnceLock<ManualSite> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let dir = match std::env::var_os("ARCHMANUAL_TEST_SITE") {
            Some(site) => PathBuf::from(site),
            None => {
                // A fixed place under target/: a static is never dropped, so
                // a temporary directory would be left behind by every run.
                let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("manual-site");
                build_book_into(Path::new(env!("CARGO_MANIFEST_DIR")), &dir);
                // Two renderers (html, search): the pages are in html/.
                dir.join("html")
            }
        };
        let server = archmanual_test_support::StaticServer::start(&dir);
        ManualSite { dir, server }
    })
}
