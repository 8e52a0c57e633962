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
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
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
        // The manual has two renderers (html, search): the pages are in html/.
        let html = dir.path().join("html");
        (dir, html)
    })
    .1
    .as_path()
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
    assert!(
        built().join("pagefind/pagefind.js").is_file(),
        "no search index in the build"
    );
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

/// The core theory chapters and the category pages each must be linked with,
/// in both directions (source paths under `book/`).
const CORE_CHAPTERS: &[(&str, &[&str])] = &[
    (
        "theory/replication.md",
        &[
            "backend/storage/index.md",
            "backend/rdms/index.md",
            "backend/kv/index.md",
        ],
    ),
    ("theory/patterns/mq-semantics.md", &["backend/mq/index.md"]),
    (
        "theory/patterns/rpc.md",
        &["backend/rpc/index.md", "backend/registry/index.md"],
    ),
    (
        "theory/patterns/fault-tolerance.md",
        &["backend/fallback/index.md"],
    ),
];

/// Pages (built, relative `.html` paths) that the `<main>` of `page` links to.
fn linked_pages(page: &Path, main: &str) -> HashSet<PathBuf> {
    attr_values(main, "href")
        .into_iter()
        .filter(|t| !t.contains("://") && !t.starts_with('#') && !t.starts_with("mailto:"))
        .map(|t| {
            let path = t.split('#').next().unwrap_or_default();
            archmanual_model::resolve_relative(page, &percent_decode(path)).0
        })
        .collect()
}

fn html_path(md: &str) -> PathBuf {
    PathBuf::from(md).with_extension("html")
}

#[test]
fn core_chapters_are_complete_illustrated_and_linked_both_ways() {
    let summary = std::fs::read_to_string(book_root().join("book/SUMMARY.md")).expect("SUMMARY.md");
    let model =
        archmanual_model::Document::parse(summary, &archmanual_model::ParseOptions::default());
    let listed: HashSet<&str> = model.links.iter().map(|l| l.dest.as_str()).collect();
    let root = built();
    let main_html = |p: &Path| {
        let html = std::fs::read_to_string(root.join(p))
            .unwrap_or_else(|e| panic!("{} was not built: {e}", p.display()));
        main_of(&html).to_string()
    };
    let mut problems = Vec::new();
    for (chapter, categories) in CORE_CHAPTERS {
        if !listed.contains(chapter) {
            problems.push(format!("{chapter}: not in SUMMARY.md"));
            continue;
        }
        let page = html_path(chapter);
        let main = main_html(&page);
        // A real chapter, not a stub: several sections and a few thousand characters of text.
        let text: String = strip_tags(&main).split_whitespace().collect();
        let text_chars = text.chars().count();
        if text_chars < 3000 {
            problems.push(format!("{chapter}: only {text_chars} characters of text"));
        }
        let sections = main.matches("<h2").count();
        if sections < 4 {
            problems.push(format!("{chapter}: only {sections} sections"));
        }
        // Protocols are drawn: at least two diagrams rendered to inline SVG, none failed.
        let diagrams = main.matches("class=\"pd-svg").count();
        if diagrams < 2 {
            problems.push(format!(
                "{chapter}: {diagrams} rendered diagrams, want at least 2"
            ));
        }
        if main.contains("class=\"pd-error\"") {
            problems.push(format!("{chapter}: a diagram failed to render"));
        }
        let out = linked_pages(&page, &main);
        for category in *categories {
            let cat_page = html_path(category);
            if !out.contains(&cat_page) {
                problems.push(format!("{chapter} does not link to {category}"));
            }
            let back = linked_pages(&cat_page, &main_html(&cat_page));
            if !back.contains(&page) {
                problems.push(format!("{category} does not link to {chapter}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Pages listed in SUMMARY.md that have a source file, with their text.
fn summary_pages() -> Vec<(String, String)> {
    let book = book_root().join("book");
    let summary = std::fs::read_to_string(book.join("SUMMARY.md")).expect("SUMMARY.md");
    let model =
        archmanual_model::Document::parse(summary, &archmanual_model::ParseOptions::default());
    model
        .links
        .iter()
        .filter(|l| !l.dest.is_empty())
        .filter_map(|l| {
            let text = std::fs::read_to_string(book.join(&l.dest)).ok()?;
            Some((l.dest.clone(), text))
        })
        .collect()
}

#[test]
fn pages_open_in_their_own_words() {
    // One template for every category reads as filler: "X解决的是……的问题", "X防范的是……".
    let mut problems = Vec::new();
    for (dest, text) in summary_pages() {
        let doc =
            archmanual_model::Document::parse(text, &archmanual_model::ParseOptions::default());
        let Some(first) = doc.intro_sentence() else {
            continue;
        };
        let template = first
            .find("解决的是")
            .is_some_and(|i| first[i..].contains("问题"))
            || first.contains("防范的是");
        if template {
            problems.push(format!("{dest}: {first}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn generated_pages_speak_to_readers() {
    // The theme indexes and the map are generated; nothing on them may talk
    // about how they were made.
    let mut pages = vec![built().join("map.html")];
    for theme in ["backend", "frontend", "ops", "bigdata", "security", "ai"] {
        pages.push(built().join(theme).join("index.html"));
    }
    for p in pages {
        let html = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let text = strip_tags(main_of(&html));
        assert!(!text.contains("自动生成"), "{}", p.display());
        assert!(!text.contains("种子"), "{}", p.display());
    }
    let map = strip_tags(main_of(
        &std::fs::read_to_string(built().join("map.html")).expect("map.html"),
    ));
    // The map lists technologies: papers and books are not on it.
    assert!(!map.contains("Paxos Made Simple"), "papers are on the map");
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
