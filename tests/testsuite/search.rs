//! Search: `archmanual build` indexes the book with Pagefind instead of
//! mdBook's own index; plain mdBook keeps its own; `archmanual serve` serves
//! and rebuilds.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{archmanual, fixture, html_files, main_of, run, workspace_bin};

/// `archmanual build` of the `search` fixture into `<dir>/out`.
fn build(dir: &Path) -> PathBuf {
    let out_dir = dir.join("out");
    let out = run(archmanual()
        .args(["build", "--book"])
        .arg(dir)
        .arg("--dest-dir")
        .arg(&out_dir));
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out_dir
}

/// Every file name directly in `dir`.
fn names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// The records of the Pagefind bundle: every fragment file, un-gzipped,
/// without Pagefind's `pagefind_dcd` signature, parsed.
fn fragments(out: &Path) -> Vec<serde_json::Value> {
    let dir = out.join("pagefind/fragment");
    let mut records = Vec::new();
    for e in std::fs::read_dir(&dir).expect("fragment dir") {
        let bytes = std::fs::read(e.expect("entry").path()).expect("fragment");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("gzip");
        let json = text
            .strip_prefix("pagefind_dcd")
            .expect("Pagefind's signature");
        records.push(serde_json::from_str(json).expect("fragment JSON"));
    }
    records
}

fn by_url<'a>(records: &'a [serde_json::Value], url: &str) -> &'a serde_json::Value {
    records
        .iter()
        .find(|r| r["url"] == url)
        .unwrap_or_else(|| panic!("no record for {url}"))
}

#[test]
fn build_writes_a_pagefind_index_and_no_mdbook_search_index() {
    let dir = fixture("search");
    let out = build(dir.path());

    let root = names(&out);
    for name in &root {
        assert!(
            !name.starts_with("searchindex")
                && !name.starts_with("searcher")
                && !name.starts_with("elasticlunr"),
            "mdBook's search file {name} was left behind"
        );
    }
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "archmanual-search.js",
        "archmanual-search.css",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }

    for page in html_files(&out) {
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        let name = page.to_string_lossy();
        assert!(
            !html.contains("searchindex") && !html.contains("elasticlunr"),
            "{name} still loads mdBook's search"
        );
        if name == "toc.html" || name.starts_with("pagefind/") {
            continue;
        }
        // mdBook's search markup stays for our UI; our assets come with the page's root.
        assert!(
            html.contains(r#"id="mdbook-searchbar""#),
            "{name}: no search bar"
        );
        // 404.html is relative to its `<base href>` (the site URL), like mdBook's own links there.
        let root = if name == "404.html" {
            String::new()
        } else {
            "../".repeat(page.components().count() - 1)
        };
        assert!(
            html.contains(&format!(
                r#"<script src="{root}archmanual-search.js" defer></script>"#
            )),
            "{name}: UI script missing or with the wrong root"
        );
        let indexed = html.contains("<main data-pagefind-body");
        let title_only = html.contains("<h1 data-pagefind-body");
        let chapter = !matches!(name.as_ref(), "print.html" | "404.html");
        // Generated pages (category indexes, the map) index their title only.
        let generated = matches!(
            name.as_ref(),
            "map.html"
                | "backend/index.html"
                | "backend/storage/index.html"
                | "theory/index.html"
                | "frontend/index.html"
                | "ops/index.html"
        );
        assert_eq!(
            indexed,
            chapter && !generated,
            "{name}: data-pagefind-body on <main>"
        );
        assert_eq!(title_only, generated, "{name}: data-pagefind-body on <h1>");
    }
}

#[test]
fn index_holds_chapter_content_only_and_entries_with_anchors() {
    let dir = fixture("search");
    let out = build(dir.path());
    let records = fragments(&out);

    let urls: Vec<&str> = records.iter().filter_map(|r| r["url"].as_str()).collect();
    for excluded in ["/print.html", "/toc.html", "/404.html"] {
        assert!(!urls.contains(&excluded), "{excluded} is indexed");
    }

    // A chapter: its SUMMARY title, its theme, its text — and nothing of the
    // sidebar or menu (other chapters' titles, the book title, the help popup).
    let twopc = by_url(&records, "/theory/2pc.html");
    assert_eq!(twopc["meta"]["title"], "两阶段提交");
    assert_eq!(twopc["meta"]["kind"], "chapter");
    assert_eq!(twopc["filters"]["主题"], serde_json::json!(["分布式理论"]));
    // Pagefind marks the word boundaries it found in Chinese text with U+200B.
    let content = twopc["content"].as_str().unwrap().replace('\u{200b}', "");
    assert!(
        twopc["content"]
            .as_str()
            .unwrap()
            .contains("协调\u{200b}者"),
        "Chinese text is segmented into words"
    );
    assert!(
        content.contains("协调者宕机时参与者会一直阻塞"),
        "{content}"
    );
    for chrome in [
        "对象存储",
        "Search fixture",
        "Keyboard shortcuts",
        "Search this book",
    ] {
        assert!(
            !content.contains(chrome),
            "`{chrome}` from outside <main> indexed: {content}"
        );
    }
    // Headings with ids give sub-results.
    let anchors: Vec<&str> = twopc["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["element"].as_str().is_some_and(|e| e.starts_with('h')))
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert!(
        anchors.contains(&"准备阶段") && anchors.contains(&"提交阶段"),
        "{anchors:?}"
    );

    // A generated page: its title, not the entries it repeats.
    let backend = by_url(&records, "/backend/index.html");
    assert_eq!(backend["meta"]["title"], "后端主题");
    assert!(!backend["content"].as_str().unwrap().contains("Kafka"));

    // Themes of the grouped part come from its sections.
    assert_eq!(
        by_url(&records, "/frontend/framework/index.html")["filters"]["主题"],
        serde_json::json!(["前端主题"])
    );

    // Every entry is a record linking to its anchor, which its page has.
    let entries: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["meta"]["kind"] == "entry")
        .collect();
    assert_eq!(entries.len(), 11, "one record per entry");
    for e in &entries {
        let url = e["url"].as_str().unwrap();
        let (page, anchor) = url.split_once('#').expect("entry URL has an anchor");
        let html = std::fs::read_to_string(out.join(page.trim_start_matches('/'))).unwrap();
        assert!(
            main_of(&html).contains(&format!(r#"<a id="{anchor}"></a>"#)),
            "{url}: anchor missing on the page"
        );
    }
    let k8s = entries
        .iter()
        .find(|e| e["meta"]["title"] == "Kubernetes")
        .unwrap();
    assert_eq!(k8s["url"], "/ops/deploy/index.html#entry-kubernetes");
    assert_eq!(k8s["meta"]["category"], "部署容器");
    assert!(
        k8s["meta"]["description"]
            .as_str()
            .unwrap()
            .starts_with("容器编排的事实标准")
    );
    assert_eq!(k8s["filters"]["主题"], serde_json::json!(["系统运维"]));
    assert_eq!(
        k8s["filters"]["标签"],
        serde_json::json!(["容器编排", "CNCF"])
    );

    // Stars and the repository description come from the snapshot, as plain
    // text; nothing of it became markup anywhere in the output.
    let kafka = entries
        .iter()
        .find(|e| e["meta"]["title"] == "Kafka")
        .unwrap();
    assert_eq!(kafka["meta"]["stars"], "31.2k");
    assert_eq!(kafka["meta"]["github"], "<img src=x onerror=alert(1)>");
    for page in html_files(&out) {
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        assert!(
            !html.contains("<img src=x") && !html.contains("<script>alert"),
            "{}: untrusted text became markup",
            page.display()
        );
    }
}

#[test]
fn generated_pages_link_to_entry_anchors() {
    let dir = fixture("search");
    let out = build(dir.path());
    for (page, link) in [
        ("map.html", "ops/deploy/index.html#entry-kubernetes"),
        ("backend/index.html", "mq/index.html#entry-kafka"),
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            main_of(&html).contains(&format!(r#"href="{link}""#)),
            "{page} does not link to {link}"
        );
    }
}

/// Builds the fixture the way plain `mdbook build` does (command
/// preprocessors, mdBook's own search on).
fn build_with_commands(root: &Path, dest: &Path) {
    let mut config =
        mdbook_driver::config::Config::from_disk(root.join("book.toml")).expect("config");
    for name in ["catalog", "github"] {
        config
            .set(
                format!("preprocessor.{name}.command"),
                workspace_bin(&format!("mdbook-{name}"))
                    .display()
                    .to_string(),
            )
            .expect("config set");
    }
    config.build.build_dir = dest.to_path_buf();
    let md = mdbook_driver::MDBook::load_with_config(root, config).expect("book loads");
    md.build().expect("command build succeeds");
}

#[test]
fn plain_mdbook_keeps_its_own_search_and_the_entry_anchors() {
    let dir = fixture("search");
    let dest = dir.path().join("mdbook-out");
    build_with_commands(dir.path(), &dest);
    let root = names(&dest);
    assert!(
        root.iter().any(|n| n.starts_with("searchindex")),
        "mdBook's own index is missing: {root:?}"
    );
    assert!(!dest.join("pagefind").exists());
    let mq = std::fs::read_to_string(dest.join("backend/mq/index.html")).unwrap();
    assert!(mq.contains(r#"<a id="entry-kafka"></a>"#));
    assert!(!mq.contains("archmanual-search.js"));
}

/// A GET on loopback: (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let reply = archmanual_test_support::get(&format!("http://{addr}{path}"));
    (reply.status, reply.body)
}

/// Kills the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_serves_the_book_and_rebuilds_on_change() {
    let dir = fixture("search");
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
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // Bounded waits: builds of the fixture take well under these on any machine.
    let wait_for = |needle: &str, limit: Duration| -> String {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("`archmanual serve` did not say `{needle}` in time"),
            }
        }
    };
    let line = wait_for("serving ", Duration::from_secs(300));
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("address in the serving line")
        .to_string();

    let (status, page) = get(&addr, "/theory/2pc.html");
    assert_eq!(status, 200);
    assert!(page.contains("协调者宕机时参与者会一直阻塞"));
    assert!(
        page.contains("archmanual-search.js"),
        "served page has the search UI"
    );
    assert!(
        page.contains("/__archmanual/reload"),
        "served page reloads itself"
    );
    let (status, _) = get(&addr, "/pagefind/pagefind.js");
    assert_eq!(status, 200, "the search bundle is served");
    let (status, _) = get(&addr, "/../book.toml");
    assert_ne!(status, 200);
    let (status, missing) = get(&addr, "/no/such/page.html");
    assert_eq!(status, 404);
    assert!(
        missing.contains("mdbook-searchbar"),
        "mdBook's 404 page is served"
    );

    // The page's build id, then a change to a chapter.
    let build = page
        .split("var build = \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("build id")
        .to_string();
    let chapter = dir.path().join("src/theory/2pc.md");
    let mut text = std::fs::read_to_string(&chapter).unwrap();
    text.push_str("\n补充一句：三阶段提交加入了超时来缓解阻塞。\n");
    std::fs::write(&chapter, text).unwrap();
    wait_for("rebuilt", Duration::from_secs(300));

    // An open page waiting for a reload hears about the new build at once.
    let (status, now) = get(&addr, &format!("/__archmanual/reload?since={build}"));
    assert_eq!(status, 200);
    assert_ne!(now.trim(), build, "the build id changed");
    let (_, page) = get(&addr, "/theory/2pc.html");
    assert!(
        page.contains("三阶段提交加入了超时来缓解阻塞"),
        "the change is served"
    );
}
