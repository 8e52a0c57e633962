//! Indexes a rendered book with Pagefind and writes the bundle.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::page::{escape_attr, prepare};
use crate::site::{EntryRecord, SearchSite};
use crate::{
    BUNDLE_DIR, SearchError, TAG_FILTER, THEME_FILTER, UI_CSS, UI_CSS_FILE, UI_JS, UI_JS_FILE,
};

/// What [`index_book`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexReport {
    /// Chapter pages in the index.
    pub pages: usize,
    /// Entry records in the index.
    pub entries: usize,
    /// Entries whose page has no anchor for them (the catalog preprocessor
    /// did not run): their records link to the page itself.
    pub entries_without_anchor: usize,
    /// Files in the bundle directory.
    pub bundle_files: usize,
    /// Bytes in the bundle directory.
    pub bundle_bytes: u64,
    /// Time spent preparing the pages and handing pages and entries to
    /// Pagefind (which parses and segments each one as it arrives).
    pub add_time: Duration,
    /// Time Pagefind spent building the index and gzipping the bundle.
    pub build_time: Duration,
    /// Time spent writing the bundle's files.
    pub write_time: Duration,
}

/// Settings of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexOptions {
    /// The book's language (`[book] language`), e.g. `zh-CN`: Pagefind
    /// segments Chinese and Japanese into words at build time.
    pub language: String,
}

impl IndexOptions {
    /// Options for a book in `language`.
    pub fn new(language: impl Into<String>) -> IndexOptions {
        IndexOptions {
            language: language.into(),
        }
    }
}

/// Page elements that are not content: star badges (they change with every
/// snapshot) and the `→` links of generated pages.
const EXCLUDED: &[&str] = &[".am-gh-stars", ".am-gh-badge", "a[href*=\"#entry-\"]"];

/// Indexes the book rendered into `dest`: every chapter page of `site`
/// (its `<main>` only) and every entry of `site` as a record of its own,
/// then writes the Pagefind bundle to `dest/pagefind/` and the search UI's
/// assets next to the pages. Pages that have mdBook's search markup get the
/// UI's `<link>` and `<script>`. Leftovers of mdBook's own search
/// (`searchindex*.js`, `searcher*.js`, …) are removed.
pub fn index_book(
    dest: &Path,
    site: &SearchSite,
    options: &IndexOptions,
) -> Result<IndexReport, SearchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SearchError::Runtime)?;
    runtime.block_on(index_async(dest, site, options))
}

async fn index_async(
    dest: &Path,
    site: &SearchSite,
    options: &IndexOptions,
) -> Result<IndexReport, SearchError> {
    remove_mdbook_search_files(dest)?;
    write(&dest.join(UI_JS_FILE), UI_JS.as_bytes())?;
    write(&dest.join(UI_CSS_FILE), UI_CSS.as_bytes())?;

    let language = options.language.to_lowercase();
    let config = PagefindServiceConfig::builder()
        .keep_index_url(true)
        .force_language(language.clone())
        .exclude_selectors(EXCLUDED.iter().map(|s| s.to_string()).collect())
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(pagefind_error("the setup"))?;

    let pages: HashMap<&Path, &crate::site::Page> =
        site.pages.iter().map(|p| (p.html.as_path(), p)).collect();
    let mut entries_of: HashMap<&Path, Vec<&EntryRecord>> = HashMap::new();
    for e in &site.entries {
        entries_of.entry(e.page.as_path()).or_default().push(e);
    }

    let started = Instant::now();
    let mut report = IndexReport::default();
    let mut anchored: HashMap<(&Path, &str), bool> = HashMap::new();
    for rel in html_files(dest)? {
        let path = dest.join(&rel);
        let html = std::fs::read_to_string(&path).map_err(|source| SearchError::Read {
            path: path.clone(),
            source,
        })?;
        let page = pages.get(rel.as_path()).copied();
        let depth = rel.components().count().saturating_sub(1);
        let html = match prepare(&html, depth, page) {
            Some(new) => {
                write(&path, new.as_bytes())?;
                new
            }
            None => html,
        };
        let Some(page) = page else { continue };
        for e in entries_of.get(page.html.as_path()).into_iter().flatten() {
            let present = html.contains(&format!("id=\"{}\"", e.anchor));
            anchored.insert((e.page.as_path(), e.anchor.as_str()), present);
        }
        index
            .add_html_file(None, Some(page_url(&rel)), html)
            .await
            .map_err(pagefind_error(&rel.display().to_string()))?;
        report.pages += 1;
    }

    for e in &site.entries {
        let Some(&present) = anchored.get(&(e.page.as_path(), e.anchor.as_str())) else {
            continue; // its page was not rendered
        };
        let mut url = page_url(&e.page);
        if present {
            url.push('#');
            url.push_str(&e.anchor);
        } else {
            report.entries_without_anchor += 1;
        }
        index
            .add_html_file(None, Some(url), entry_html(e, &language))
            .await
            .map_err(pagefind_error(&format!("the entry `{}`", e.name)))?;
        report.entries += 1;
    }

    report.add_time = started.elapsed();
    let started = Instant::now();
    let files = index
        .get_files()
        .await
        .map_err(pagefind_error("the bundle"))?;
    report.build_time = started.elapsed();
    let started = Instant::now();
    let bundle = dest.join(BUNDLE_DIR);
    if bundle.exists() {
        std::fs::remove_dir_all(&bundle).map_err(|source| SearchError::Write {
            path: bundle.clone(),
            source,
        })?;
    }
    for file in &files {
        write(&bundle.join(&file.filename), &file.contents)?;
        report.bundle_bytes += file.contents.len() as u64;
    }
    report.bundle_files = files.len();
    report.write_time = started.elapsed();
    Ok(report)
}

/// Weight of an entry's name: that of running text, far below a chapter's
/// `<h1>` (7), so `Paxos` finds the Paxos chapter among the projects named
/// after it (an entry's record is short, which ranks it high already).
const NAME_WEIGHT: &str = "1";
/// Weight of an entry's description and tags: below running text, so the
/// category words in them lead to the category's own page first.
const TEXT_WEIGHT: &str = "0.5";

/// The record of one entry, as a small HTML document with the name, the
/// description, tags and the repository description. Meta and
/// filters are read from attributes; every value is escaped here and arrives
/// in the browser as plain text.
fn entry_html(e: &EntryRecord, language: &str) -> String {
    let mut meta_keys = vec!["title", "description", "category"];
    let mut attrs = vec![
        ("title", e.name.clone()),
        ("description", e.description.clone()),
        ("category", e.category.clone()),
    ];
    let mut optional = |key: &'static str, value: Option<String>| {
        if let Some(v) = value {
            meta_keys.push(key);
            attrs.push((key, v));
        }
    };
    optional("group", e.group.clone());
    optional(
        "stars",
        e.stars.map(archmanual_github_snapshot::format_count),
    );
    optional("github", e.github_description.clone());
    optional("tags", (!e.tags.is_empty()).then(|| e.tags.join(", ")));
    let meta: Vec<String> = meta_keys
        .iter()
        .map(|k| format!("{k}[data-am-{k}]"))
        .chain(std::iter::once("kind:entry".to_string()))
        .collect();
    let mut html = format!(
        "<html lang=\"{}\"><body data-pagefind-body data-pagefind-meta=\"{}\"",
        escape_attr(language),
        meta.join(", ")
    );
    for (k, v) in &attrs {
        html.push_str(&format!(" data-am-{k}=\"{}\"", escape_attr(v)));
    }
    html.push_str(&format!(
        "><p data-pagefind-weight=\"{NAME_WEIGHT}\">{}</p>",
        escape_text(&e.name)
    ));
    let mut text = e.description.clone();
    if !e.tags.is_empty() {
        text.push(' ');
        text.push_str(&e.tags.join("，"));
        text.push('。');
    }
    html.push_str(&format!(
        "<p data-pagefind-weight=\"{TEXT_WEIGHT}\">{}</p>",
        escape_text(&text)
    ));
    if let Some(d) = &e.github_description {
        html.push_str(&format!(
            "<p data-pagefind-weight=\"{TEXT_WEIGHT}\">{}</p>",
            escape_text(d)
        ));
    }
    if let Some(t) = &e.theme {
        html.push_str(&format!(
            "<span data-pagefind-ignore data-pagefind-filter=\"{THEME_FILTER}\">{}</span>",
            escape_text(t)
        ));
    }
    for t in &e.tags {
        html.push_str(&format!(
            "<span data-pagefind-ignore data-pagefind-filter=\"{TAG_FILTER}\">{}</span>",
            escape_text(t)
        ));
    }
    html.push_str("</body></html>");
    html
}

fn escape_text(s: &str) -> String {
    escape_attr(s)
}

/// The characters of a URL path that must be encoded (`/` is kept), like Pagefind's own.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// `/backend/mq/index.html`: the page's URL from the book's root.
fn page_url(rel: &Path) -> String {
    let slash: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("/{}", utf8_percent_encode(&slash.join("/"), PATH))
}

/// Every `.html` file under `dest` (relative, sorted), outside the bundle.
fn html_files(dest: &Path) -> Result<Vec<PathBuf>, SearchError> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SearchError> {
        let read = |source| SearchError::Read {
            path: dir.to_path_buf(),
            source,
        };
        for entry in std::fs::read_dir(dir).map_err(read)? {
            let entry = entry.map_err(read)?;
            let path = entry.path();
            let kind = entry.file_type().map_err(read)?;
            if kind.is_dir() {
                if dir == root && entry.file_name() == BUNDLE_DIR {
                    continue;
                }
                walk(root, &path, out)?;
            } else if path.extension().is_some_and(|e| e == "html")
                && let Ok(rel) = path.strip_prefix(root)
            {
                out.push(rel.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dest, dest, &mut out)?;
    out.sort();
    Ok(out)
}

/// True for the files mdBook's built-in search writes into the output root.
pub(crate) fn is_mdbook_search_file(name: &str) -> bool {
    let js = name.ends_with(".js");
    (name.starts_with("searchindex") && (js || name.ends_with(".json")))
        || (js
            && ["searcher", "elasticlunr", "mark"].iter().any(|p| {
                name == format!("{p}.js")
                    || name.starts_with(&format!("{p}-"))
                    || name.starts_with(&format!("{p}.min"))
            }))
}

fn remove_mdbook_search_files(dest: &Path) -> Result<(), SearchError> {
    let read = |source| SearchError::Read {
        path: dest.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dest).map_err(read)? {
        let entry = entry.map_err(read)?;
        let name = entry.file_name();
        if is_mdbook_search_file(&name.to_string_lossy()) {
            std::fs::remove_file(entry.path()).map_err(|source| SearchError::Write {
                path: entry.path(),
                source,
            })?;
        }
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), SearchError> {
    let err = |source| SearchError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    std::fs::write(path, bytes).map_err(err)
}

fn pagefind_error(what: &str) -> impl Fn(anyhow::Error) -> SearchError + '_ {
    move |e| SearchError::Pagefind {
        what: what.to_string(),
        message: format!("{e:#}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_search_files_are_recognised() {
        for name in [
            "searchindex.js",
            "searchindex.json",
            "searchindex-3f2a.js",
            "searcher.js",
            "searcher-ab12.js",
            "elasticlunr.min.js",
            "elasticlunr-ab12.min.js",
            "mark.min.js",
            "mark-ab12.min.js",
        ] {
            assert!(is_mdbook_search_file(name), "{name}");
        }
        for name in [
            "book.js",
            "archmanual-search.js",
            "marketing.js",
            "searchindex.html",
            "index.html",
        ] {
            assert!(!is_mdbook_search_file(name), "{name}");
        }
    }

    #[test]
    fn page_urls_are_rooted_and_encoded() {
        assert_eq!(
            page_url(Path::new("backend/mq/index.html")),
            "/backend/mq/index.html"
        );
        assert_eq!(
            page_url(Path::new("中文 页.html")),
            "/%E4%B8%AD%E6%96%87%20%E9%A1%B5.html"
        );
    }
}
