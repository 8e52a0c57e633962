//! The manual itself (book/): complete, linked, no stubs. Built once per test
//! run into a temporary directory with `archmanual build`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::{archmanual, html_files, main_of, run};

/// The book under test: this repository, or `ARCHMANUAL_TEST_BOOK` (a book
/// root) when set, to try the checks on a work-in-progress copy.
fn book_root() -> PathBuf {
    std::env::var_os("ARCHMANUAL_TEST_BOOK")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

fn built() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = run(archmanual()
            .args(["build", "--book"])
            .arg(book_root())
            .arg("--dest-dir")
            .arg(dir.path()));
        assert!(
            out.status.success(),
            "the manual does not build:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

/// Visible text of an HTML fragment, normalised for name look-ups:
/// lower case, without whitespace and bracket/separator punctuation.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !"（）()[]·-_.、，,：:*/+".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    archmanual_model::html::decode_entities(&out)
}

#[test]
fn every_seed_item_is_findable() {
    let print = std::fs::read_to_string(built().join("print.html")).expect("print.html");
    let text = normalise(&strip_tags(&print));
    let data = include_str!("../data/seed000-items.txt");
    let items: Vec<&str> = data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert!(items.len() > 400, "the seed list has {} items", items.len());
    let missing: Vec<&str> = items
        .iter()
        .copied()
        .filter(|i| !text.contains(&normalise(i)))
        .collect();
    assert!(
        missing.is_empty(),
        "seed items not in the book: {missing:?}"
    );
}

#[test]
fn every_relative_link_image_and_anchor_resolves() {
    let root = built();
    let pages: Vec<PathBuf> = html_files(root)
        .into_iter()
        .filter(|p| !matches!(p.to_str(), Some("print.html" | "404.html" | "toc.html")))
        .collect();
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut mains: HashMap<PathBuf, String> = HashMap::new();
    for p in &pages {
        let html = std::fs::read_to_string(root.join(p)).expect("page");
        ids.insert(p.clone(), attr_values(&html, "id").into_iter().collect());
        mains.insert(p.clone(), main_of(&html).to_string());
    }
    let mut broken = Vec::new();
    for p in &pages {
        let main = &mains[p];
        for target in attr_values(main, "href")
            .into_iter()
            .chain(attr_values(main, "src"))
        {
            if target.contains("://")
                || target.starts_with("mailto:")
                || target.starts_with("data:")
            {
                continue;
            }
            let (path_part, fragment) = match target.split_once('#') {
                Some((a, b)) => (a, Some(b)),
                None => (target.as_str(), None),
            };
            let file = if path_part.is_empty() {
                p.clone()
            } else {
                let (resolved, escapes) =
                    archmanual_model::resolve_relative(p, &percent_decode(path_part));
                if escapes || !root.join(&resolved).exists() {
                    broken.push(format!("{}: {target} (no such file)", p.display()));
                    continue;
                }
                resolved
            };
            if let Some(frag) = fragment {
                let frag = percent_decode(frag);
                let known = ids.get(&file).is_some_and(|set| set.contains(&frag));
                if !known && file.extension().is_some_and(|e| e == "html") {
                    broken.push(format!("{}: {target} (no such anchor)", p.display()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn no_stub_pages() {
    let book = book_root().join("book");
    let summary = std::fs::read_to_string(book.join("SUMMARY.md")).expect("SUMMARY.md");
    let model =
        archmanual_model::Document::parse(summary, &archmanual_model::ParseOptions::default());
    let mut problems = Vec::new();
    for link in &model.links {
        if link.dest.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(book.join(&link.dest))
            .unwrap_or_else(|e| panic!("{} listed in SUMMARY.md: {e}", link.dest));
        for marker in ["待补充", "TODO", "TBD", "敬请期待"] {
            if text.contains(marker) {
                problems.push(format!("{}: contains {marker}", link.dest));
            }
        }
        let body: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let generated = body.iter().all(|l| l.starts_with("{{#catalog"));
        if body.is_empty() || (!generated && body.join("").chars().count() < 80) {
            problems.push(format!("{}: only a heading or almost empty", link.dest));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_new_reader_finds_the_way() {
    let index = std::fs::read_to_string(built().join("index.html")).expect("index.html");
    let front = strip_tags(main_of(&index));
    assert!(
        front.contains("分布式系统") && front.contains("速查"),
        "the front page says what the manual is"
    );
    assert!(
        front.contains("如何找到一项技术"),
        "the front page says how to find a technology"
    );
    // The front page promises search: the index must be there.
    let has_index = std::fs::read_dir(built()).expect("out dir").any(|e| {
        e.expect("entry")
            .file_name()
            .to_string_lossy()
            .starts_with("searchindex")
    });
    assert!(has_index, "no search index in the build");
    // The sidebar (mdBook 0.5 writes it to toc.html) shows the seven themes and the other parts.
    let toc = strip_tags(&std::fs::read_to_string(built().join("toc.html")).expect("toc.html"));
    for part in [
        "后端主题",
        "前端主题",
        "系统运维",
        "监控",
        "大数据",
        "系统安全",
        "人工智能",
        "分布式理论",
        "服务器架构",
        "技术地图",
    ] {
        assert!(toc.contains(part), "sidebar lacks {part}");
    }
}

/// Values of `name="…"` attributes of real tags (entities decoded); text
/// that merely looks like an attribute inside `<code>` is escaped and skipped.
fn attr_values(html: &str, name: &str) -> Vec<String> {
    archmanual_model::html::scan_attributes(html)
        .into_iter()
        .filter(|a| a.name == name)
        .map(|a| a.value)
        .collect()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}
