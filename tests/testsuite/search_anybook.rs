//! Search on any mdBook (`tests/fixtures/anybook`: Chinese, no catalog, no
//! `language`): where the HTML is with one and with two backends, themes
//! with mdBook 0.4's or no search bar, the book's language, search switched
//! off, `site-url`, a book mdBook 0.5 rejects; and the `mdbook-search`
//! renderer under plain mdBook (the real driver, and an `mdbook` binary
//! when one is on PATH), which must give what `archmanual build` gives.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{archmanual, fixture, html_files, run, workspace_bin};

/// Appends `toml` to the fixture's book.toml.
fn add_toml(dir: &Path, toml: &str) {
    let path = dir.join("book.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push('\n');
    text.push_str(toml);
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

/// `archmanual build` of the book at `dir` into `<dir>/<name>`.
fn build(dir: &Path, name: &str) -> (Output, PathBuf) {
    let out_dir = dir.join(name);
    let out = run(archmanual()
        .args(["build", "--book"])
        .arg(dir)
        .arg("--dest-dir")
        .arg(&out_dir));
    (out, out_dir)
}

fn ok(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "build failed: {stderr}");
    stderr
}

/// The languages of the Pagefind bundle in `html`.
fn bundle_languages(html: &Path) -> Vec<String> {
    let entry: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(html.join("pagefind/pagefind-entry.json")).expect("bundle"),
    )
    .unwrap();
    entry["languages"]
        .as_object()
        .expect("languages")
        .keys()
        .cloned()
        .collect()
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn has_mdbook_index(html: &Path) -> bool {
    std::fs::read_dir(html).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("searchindex")
    })
}

#[test]
fn one_backend_indexes_the_build_dir_in_the_books_script_without_entry_warnings() {
    let dir = fixture("anybook");
    let (out, html) = build(dir.path(), "out");
    let stderr = ok(&out);
    assert!(html.join("pagefind/pagefind.js").is_file(), "{stderr}");
    assert!(!has_mdbook_index(&html));
    // Five chapter pages; the list item `- [镜像站](…) - …` is not an entry
    // (no catalog), so there are no entry records and no entry warning.
    assert!(stderr.contains("indexed 5 pages for search"), "{stderr}");
    assert!(!stderr.contains("entries"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    // No `language`: mdBook says `en`, the text is Chinese.
    assert!(
        stderr.contains("language zh-cn (read from the text"),
        "{stderr}"
    );
    assert_eq!(bundle_languages(&html), ["zh-cn"]);
    let page = std::fs::read_to_string(html.join("guide/install.html")).unwrap();
    assert!(page.contains("archmanual-search.js"));
    assert!(page.contains("<main data-pagefind-body"));
    assert!(!page.contains("searcher") && !page.contains("elasticlunr"));
}

#[test]
fn a_second_backend_moves_the_html_and_gets_the_same_search() {
    let one = fixture("anybook");
    let (out, one_html) = build(one.path(), "out");
    ok(&out);

    let two = fixture("anybook");
    add_toml(two.path(), "[output.markdown]");
    let (out, root) = build(two.path(), "out");
    let stderr = ok(&out);
    let html = root.join("html");
    assert!(html.join("index.html").is_file(), "{stderr}");
    assert!(root.join("markdown/guide/install.md").is_file());
    assert!(
        !root.join("pagefind").exists(),
        "the bundle is beside the pages"
    );
    // The same index, byte for byte, and the same pages.
    let bundle = |h: &Path| tree(&h.join("pagefind"));
    assert_eq!(bundle(&html), bundle(&one_html));
    assert_eq!(html_files(&html), html_files(&one_html));
}

/// Builds `dir` as plain `mdbook build` does, through the real driver:
/// `[output.search]` runs the `mdbook-search` binary.
fn build_with_driver(dir: &Path, dest: &Path) {
    let mut config =
        mdbook_driver::config::Config::from_disk(dir.join("book.toml")).expect("config");
    config.build.build_dir = dest.to_path_buf();
    let md = mdbook_driver::MDBook::load_with_config(dir, config).expect("book loads");
    md.build().expect("build with the renderer succeeds");
}

#[test]
fn plain_mdbook_with_the_renderer_gives_what_archmanual_build_gives() {
    let dir = fixture("anybook");
    add_toml(
        dir.path(),
        &format!(
            "[output.search]\ncommand = {:?}",
            workspace_bin("mdbook-search").display().to_string()
        ),
    );
    let (out, ours) = build(dir.path(), "ours");
    let stderr = ok(&out);
    assert!(stderr.contains("indexed 5 pages"), "{stderr}");

    let plain = dir.path().join("plain");
    build_with_driver(dir.path(), &plain);
    for root in [&ours, &plain] {
        assert!(root.join("html/pagefind/pagefind.js").is_file());
        assert!(
            !root.join("search").exists(),
            "the renderer's empty dir is removed"
        );
        assert!(!has_mdbook_index(&root.join("html")));
    }
    let (a, b) = (tree(&ours), tree(&plain));
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the same files");
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs", path.display());
    }

    // The `mdbook` binary itself, when there is one (0.5.x).
    let mdbook = std::env::var_os("MDBOOK").map_or_else(|| PathBuf::from("mdbook"), PathBuf::from);
    match std::process::Command::new(&mdbook)
        .arg("--version")
        .output()
    {
        Ok(v) if String::from_utf8_lossy(&v.stdout).contains(" v0.5.") => {
            let dest = dir.path().join("binary");
            let out = run(std::process::Command::new(&mdbook)
                .arg("build")
                .arg(dir.path())
                .arg("--dest-dir")
                .arg(&dest));
            let stderr = ok(&out);
            assert!(
                stderr.contains("mdbook-search: indexed 5 pages"),
                "{stderr}"
            );
            assert_eq!(names(&tree(&dest)), names(&a));
        }
        _ => eprintln!("no mdbook 0.5 on PATH (or MDBOOK): the binary check is skipped"),
    }
}

#[test]
fn search_switched_off_is_left_off() {
    let dir = fixture("anybook");
    add_toml(dir.path(), "[output.html.search]\nenable = false");
    let (out, html) = build(dir.path(), "out");
    let stderr = ok(&out);
    assert!(stderr.contains("search is off"), "{stderr}");
    assert!(!html.join("pagefind").exists());
    assert!(!html.join("archmanual-search.js").exists());
    let page = std::fs::read_to_string(html.join("faq.html")).unwrap();
    assert!(!page.contains("archmanual-search") && !page.contains("data-pagefind"));
}

fn with_theme(dir: &Path, theme: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anybook-themes")
        .join(theme)
        .join("index.hbs");
    std::fs::create_dir_all(dir.join("theme")).unwrap();
    std::fs::copy(src, dir.join("theme/index.hbs")).unwrap();
}

#[test]
fn a_theme_without_a_search_bar_keeps_mdbooks_search_and_says_so_once() {
    let dir = fixture("anybook");
    with_theme(dir.path(), "no-search");
    let (out, html) = build(dir.path(), "out");
    let stderr = ok(&out);
    assert_eq!(stderr.matches("no search bar").count(), 1, "{stderr}");
    assert!(!html.join("pagefind").exists());
    // mdBook's own index is built and left in place.
    assert!(has_mdbook_index(&html), "{stderr}");
    let page = std::fs::read_to_string(html.join("faq.html")).unwrap();
    assert!(!page.contains("archmanual-search"));
}

#[test]
fn a_theme_with_mdbook_0_4_search_ids_gets_search() {
    let dir = fixture("anybook");
    with_theme(dir.path(), "legacy");
    let (out, html) = build(dir.path(), "out");
    let stderr = ok(&out);
    assert!(html.join("pagefind/pagefind.js").is_file(), "{stderr}");
    let page = std::fs::read_to_string(html.join("faq.html")).unwrap();
    for id in [
        "mdbook-search-wrapper",
        "mdbook-searchbar",
        "mdbook-searchresults",
    ] {
        assert!(page.contains(&format!(r#"id="{id}""#)), "{id}: {page}");
    }
    assert!(page.contains(r#"aria-controls="mdbook-searchbar""#));
    assert!(page.contains("archmanual-search.js"));
}

#[test]
fn the_books_language_is_used() {
    for (language, tag) in [
        ("ja", "ja"),
        ("ko", "ko"),
        ("zh-Hans", "zh-hans"),
        ("zh-TW", "zh-tw"),
    ] {
        let dir = fixture("anybook");
        let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
        std::fs::write(
            dir.path().join("book.toml"),
            toml.replace(
                "src = \"src\"",
                &format!("src = \"src\"\nlanguage = \"{language}\""),
            ),
        )
        .unwrap();
        let (out, html) = build(dir.path(), "out");
        let stderr = ok(&out);
        assert!(stderr.contains(&format!("language {tag}\n")), "{stderr}");
        assert_eq!(bundle_languages(&html), [tag]);
    }
}

#[test]
fn site_url_is_kept_for_the_404_page() {
    let dir = fixture("anybook");
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        toml.replace("[output.html]", "[output.html]\nsite-url = \"/sub/\""),
    )
    .unwrap();
    let (out, html) = build(dir.path(), "out");
    ok(&out);
    let page = std::fs::read_to_string(html.join("404.html")).unwrap();
    assert!(page.contains(r#"<base href="/sub/">"#), "{page}");
    // Relative to the `<base>`, like mdBook's own links on that page.
    assert!(page.contains(r#"<script src="archmanual-search.js" defer></script>"#));
    let page = std::fs::read_to_string(html.join("guide/install.html")).unwrap();
    assert!(page.contains(r#"<script src="../archmanual-search.js" defer></script>"#));
}

#[test]
fn a_book_mdbook_rejects_gets_mdbooks_message() {
    let dir = fixture("anybook");
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    // mdBook 0.4's `author`; 0.5 knows only `authors`.
    std::fs::write(
        dir.path().join("book.toml"),
        toml.replace("authors = [\"someone\"]", "author = \"someone\""),
    )
    .unwrap();
    let (out, _) = build(dir.path(), "out");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let mdbook = mdbook_driver::MDBook::load(dir.path())
        .err()
        .expect("mdBook rejects it too");
    let mdbook = format!("{mdbook:#}");
    assert!(mdbook.contains("unknown field `author`"), "{mdbook}");
    assert!(stderr.contains("unknown field `author`"), "{stderr}");
    assert!(stderr.contains("book.toml"), "{stderr}");
}

/// Kills the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Status of a GET on loopback.
fn status(addr: &str, path: &str) -> u16 {
    archmanual_test_support::get(&format!("http://{addr}{path}")).status
}

#[test]
fn serve_serves_the_html_directory_of_a_book_with_the_renderer() {
    use std::io::BufRead;
    let dir = fixture("anybook");
    add_toml(dir.path(), "[output.search]");
    let child = archmanual()
        .args(["serve", "--port", "0", "--book"])
        .arg(dir.path())
        .arg("--dest-dir")
        .arg(dir.path().join("served"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("archmanual serve starts");
    let mut server = Server(child);
    let stderr = server.0.stderr.take().expect("stderr");
    let line = std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("serving "))
        .expect("`archmanual serve` says where it serves");
    assert!(line.contains("served/html"), "{line}");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("address")
        .to_string();
    assert_eq!(status(&addr, "/guide/install.html"), 200);
    assert_eq!(status(&addr, "/pagefind/pagefind.js"), 200);
    assert_eq!(status(&addr, "/archmanual-search.js"), 200);
}

/// The plain-mdBook path in a browser: a book that knows nothing of
/// ArchManual, built by mdBook's own driver with `[output.search]` (the
/// `mdbook-search` binary), answers Chinese queries typed into mdBook's own
/// search bar, with the page that has the words first.
#[test]
#[ignore = "needs Chromium"]
fn plain_mdbook_with_the_renderer_answers_chinese_queries_in_a_browser() {
    use archmanual_test_support::{Browser, StaticServer};
    use serde_json::json;

    let dir = fixture("anybook");
    add_toml(
        dir.path(),
        &format!(
            "[output.search]\ncommand = {:?}",
            workspace_bin("mdbook-search").display().to_string()
        ),
    );
    let dest = dir.path().join("plain");
    build_with_driver(dir.path(), &dest);
    let server = StaticServer::start(&dest.join("html"));
    let browser = Browser::start();
    browser.goto(&format!("{}index.html", server.base()));
    browser.wait_for(
        "document.getElementById('mdbook-searchbar') && window.archmanualSearch",
        "the search UI on a page built by plain mdBook",
    );
    for (query, page) in [("所有权", "guide/ownership.html"), ("分词器", "faq.html")] {
        // Typed into mdBook's own search bar, as a reader does.
        browser.js(
            "const wrap = document.getElementById('mdbook-search-wrapper');
             wrap.classList.remove('hidden');
             const bar = document.getElementById('mdbook-searchbar');
             bar.value = arguments[0];
             bar.dispatchEvent(new Event('input', {bubbles: true}));",
            json!([query]),
        );
        // The header names the query once its results are shown.
        let first = browser.wait_for(
            &format!(
                "(() => {{ const h = document.getElementById('mdbook-searchresults-header').textContent;
                          const li = document.querySelector('#mdbook-searchresults > li');
                          return h.includes({q}) && li ? new URL(li.dataset.url, location.href).pathname : null; }})()",
                q = serde_json::to_string(&format!("“{query}”")).expect("json")
            ),
            "the first result",
        );
        assert_eq!(first, json!(format!("/{page}")), "{query}");
    }
}
