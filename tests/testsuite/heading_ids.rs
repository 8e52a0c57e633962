//! The model's heading ids and fragment targets equal the ids real mdBook 0.5.4 writes into
//! HTML: the fixture book is built in-process with `mdbook-driver` 0.5.4 and, when an
//! `mdbook` 0.5.4 binary is on PATH, with that binary too. Both must match the golden
//! `tests/fixtures/heading-ids.expected.json`, which was written from the binary's output
//! (`ARCHMANUAL_BLESS=1` with mdbook 0.5.4 on PATH rewrites it), and so must the model.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use archmanual_model::{BookModel, ParseOptions};
use serde_json::{Value, json};

use crate::support::fixture;

/// The mdBook release the golden file and the model follow.
const MDBOOK_VERSION: &str = "0.5.4";

/// What one page offers: heading/`dt` ids in order, and every fragment target (sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PageIds {
    headings: Vec<String>,
    fragments: Vec<String>,
}

impl PageIds {
    fn to_json(&self) -> Value {
        json!({ "headings": self.headings, "fragments": self.fragments })
    }

    fn from_json(v: &Value) -> PageIds {
        let list = |k: &str| -> Vec<String> {
            v[k].as_array()
                .unwrap_or_else(|| panic!("golden: `{k}` missing"))
                .iter()
                .map(|s| s.as_str().expect("golden: strings").to_string())
                .collect()
        };
        PageIds {
            headings: list("headings"),
            fragments: list("fragments"),
        }
    }
}

/// `id="…"` (entities decoded) of every `h1`–`h6` and `dt` in a page's `<main>`, in order,
/// and of every element there, sorted.
fn rendered_ids(html: &str) -> PageIds {
    let main = crate::support::main_of(html);
    let mut headings = Vec::new();
    let mut fragments = Vec::new();
    for tag in main.split('<').skip(1) {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let head = tag.split('>').next().unwrap_or("");
        let Some(rest) = head.split(" id=\"").nth(1) else {
            continue;
        };
        let id = archmanual_model::html::decode_entities(rest.split('"').next().unwrap_or(""));
        if matches!(
            name.as_str(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt"
        ) {
            headings.push(id.clone());
        }
        fragments.push(id);
    }
    fragments.sort();
    PageIds {
        headings,
        fragments,
    }
}

/// Page (`x.html`) → ids, for every `.html` page the fixture's SUMMARY names.
fn pages_of(out: &Path, chapters: &[PathBuf]) -> BTreeMap<String, PageIds> {
    chapters
        .iter()
        .map(|p| {
            let page = p.with_extension("html");
            let html = std::fs::read_to_string(out.join(&page))
                .unwrap_or_else(|e| panic!("{}: {e}", out.join(&page).display()));
            (page.to_string_lossy().into_owned(), rendered_ids(&html))
        })
        .collect()
}

fn golden_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/heading-ids.expected.json")
}

fn read_golden() -> BTreeMap<String, PageIds> {
    let text = std::fs::read_to_string(golden_path()).expect("golden file");
    let v: Value = serde_json::from_str(&text).expect("golden JSON");
    assert_eq!(
        v["mdbook"], MDBOOK_VERSION,
        "golden written by another mdBook"
    );
    v["pages"]
        .as_object()
        .expect("golden: pages")
        .iter()
        .map(|(k, p)| (k.clone(), PageIds::from_json(p)))
        .collect()
}

/// The `mdbook` binary on PATH if it is the release we follow.
fn mdbook_binary() -> Option<PathBuf> {
    let out = Command::new("mdbook").arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&out.stdout);
    (out.status.success() && version.trim() == format!("mdbook v{MDBOOK_VERSION}"))
        .then(|| PathBuf::from("mdbook"))
}

#[test]
fn model_ids_match_mdbook_html() {
    let dir = fixture("heading-ids");
    let mut md = mdbook_driver::MDBook::load(dir.path()).expect("loads");
    md.config.build.build_dir = dir.path().join("out");
    md.build().expect("builds");
    let model = BookModel::from_book(&md.book, &ParseOptions::from_config(&md.config));
    let chapters: Vec<PathBuf> = model
        .chapters
        .iter()
        .map(|ch| ch.path.clone().expect("no drafts here"))
        .collect();
    let in_process = pages_of(&dir.path().join("out"), &chapters);

    let binary = mdbook_binary().map(|mdbook| {
        let out = dir.path().join("out-binary");
        let status = Command::new(mdbook)
            .arg("build")
            .arg("--dest-dir")
            .arg(&out)
            .arg(dir.path())
            .output()
            .expect("runs mdbook");
        assert!(
            status.status.success(),
            "mdbook build: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        pages_of(&out, &chapters)
    });

    if std::env::var_os("ARCHMANUAL_BLESS").is_some() {
        let real = binary
            .as_ref()
            .expect("ARCHMANUAL_BLESS needs mdbook 0.5.4 on PATH (cargo install mdbook --version 0.5.4 --locked)");
        let pages: serde_json::Map<String, Value> =
            real.iter().map(|(k, p)| (k.clone(), p.to_json())).collect();
        let text =
            serde_json::to_string_pretty(&json!({ "mdbook": MDBOOK_VERSION, "pages": pages }))
                .unwrap();
        std::fs::write(golden_path(), text + "\n").unwrap();
    }
    let golden = read_golden();

    match &binary {
        Some(real) => assert_eq!(real, &golden, "mdbook {MDBOOK_VERSION} on PATH vs golden"),
        None => {
            // Straight to stderr: libtest captures print!/eprint! of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: heading-id comparison with the mdbook binary (no mdbook {MDBOOK_VERSION} on PATH; \
                 `cargo install mdbook --version {MDBOOK_VERSION} --locked`); compared with the golden file"
            );
        }
    }
    assert_eq!(in_process, golden, "mdbook-driver in-process vs golden");

    let mut compared = 0;
    for ch in &model.chapters {
        let page = ch
            .path
            .as_ref()
            .unwrap()
            .with_extension("html")
            .to_string_lossy()
            .into_owned();
        let want = &golden[&page];
        let mut fragments: Vec<String> = ch.doc.fragment_ids().map(str::to_string).collect();
        fragments.sort();
        let got = PageIds {
            headings: ch.doc.headings.iter().map(|h| h.id.clone()).collect(),
            fragments,
        };
        assert_eq!(&got, want, "ids of {page}");
        compared += got.fragments.len();
    }
    assert!(
        compared > 40,
        "the fixture should exercise many headings and anchors, got {compared}"
    );
}
