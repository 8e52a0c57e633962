//! Indexes a rendered book with Pagefind and writes the bundle.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use archmanual_github_url::{GithubLink, classify};
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
    /// Entries in the index. The entries of one repository listed on
    /// several pages share one record (see `INTERFACE.md`).
    pub entries: usize,
    /// Entry records in the index: one per entry, or per repository listed
    /// on several pages.
    pub records: usize,
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

    // Entries whose page was rendered, with the URL of their record.
    let mut rendered: Vec<(&EntryRecord, String)> = Vec::new();
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
        rendered.push((e, url));
    }
    let entries: Vec<&EntryRecord> = rendered.iter().map(|(e, _)| *e).collect();
    for group in repository_groups(&entries) {
        let members: Vec<(&EntryRecord, &str)> = group
            .iter()
            .map(|&i| (rendered[i].0, rendered[i].1.as_str()))
            .collect();
        let (main, url) = members[0];
        index
            .add_html_file(None, Some(url.to_string()), entry_html(&members, &language))
            .await
            .map_err(pagefind_error(&format!("the entry `{}`", main.name)))?;
        report.entries += members.len();
        report.records += 1;
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

/// The record of one entry, or of one repository listed on several pages
/// (`members`: the main entry first, then the others in SUMMARY order, each
/// with its URL), as a small HTML document with the names, descriptions,
/// tags and the repository description. Meta and filters are read from
/// attributes; every value is escaped here and arrives in the browser as
/// plain text.
fn entry_html(members: &[(&EntryRecord, &str)], language: &str) -> String {
    let (e, _) = members[0];
    let others = &members[1..];
    let mut tags: Vec<&str> = Vec::new();
    let mut themes: Vec<&str> = Vec::new();
    for (m, _) in members {
        for t in &m.tags {
            if !tags.contains(&t.as_str()) {
                tags.push(t);
            }
        }
        if let Some(t) = &m.theme
            && !themes.contains(&t.as_str())
        {
            themes.push(t);
        }
    }
    let mut attrs: Vec<(String, String)> = vec![
        ("title".into(), e.name.clone()),
        ("description".into(), e.description.clone()),
        ("category".into(), e.category.clone()),
    ];
    let mut optional = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            attrs.push((key.to_string(), v));
        }
    };
    optional("group", e.group.clone());
    optional(
        "stars",
        e.stars.map(archmanual_github_snapshot::format_count),
    );
    optional("github", e.github_description.clone());
    optional("tags", (!tags.is_empty()).then(|| tags.join(", ")));
    if !others.is_empty() {
        optional("also", Some(others.len().to_string()));
    }
    for (i, (m, url)) in others.iter().enumerate() {
        let n = i + 1;
        optional(&format!("also{n}_url"), Some(url.to_string()));
        optional(&format!("also{n}_name"), Some(m.name.clone()));
        optional(&format!("also{n}_category"), Some(m.category.clone()));
        optional(&format!("also{n}_group"), m.group.clone());
        optional(&format!("also{n}_description"), Some(m.description.clone()));
    }
    let meta: Vec<String> = attrs
        .iter()
        .map(|(k, _)| format!("{k}[data-am-{k}]"))
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
    html.push('>');
    let mut names: Vec<&str> = Vec::new();
    for (m, _) in members {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&m.name)) {
            names.push(&m.name);
        }
    }
    for name in names {
        html.push_str(&format!(
            "<p data-pagefind-weight=\"{NAME_WEIGHT}\">{}</p>",
            escape_text(name)
        ));
    }
    for (m, _) in members {
        html.push_str(&format!(
            "<p data-pagefind-weight=\"{TEXT_WEIGHT}\">{}</p>",
            escape_text(&m.description)
        ));
    }
    if !tags.is_empty() {
        html.push_str(&format!(
            "<p data-pagefind-weight=\"{TEXT_WEIGHT}\">{}。</p>",
            escape_text(&tags.join("，"))
        ));
    }
    if let Some(d) = &e.github_description {
        html.push_str(&format!(
            "<p data-pagefind-weight=\"{TEXT_WEIGHT}\">{}</p>",
            escape_text(d)
        ));
    }
    for t in themes {
        html.push_str(&format!(
            "<span data-pagefind-ignore data-pagefind-filter=\"{THEME_FILTER}\">{}</span>",
            escape_text(t)
        ));
    }
    for t in &tags {
        html.push_str(&format!(
            "<span data-pagefind-ignore data-pagefind-filter=\"{TAG_FILTER}\">{}</span>",
            escape_text(t)
        ));
    }
    html.push_str("</body></html>");
    html
}

/// The entries' records: each a list of indices into `entries`, main entry
/// first. The entries of one GitHub repository on two or more pages form
/// one record (the rule and its reasons are in `INTERFACE.md`, "Repository
/// records"); every other entry is a record of its own.
fn repository_groups(entries: &[&EntryRecord]) -> Vec<Vec<usize>> {
    // The repository of each entry, and whether its link is the repository
    // itself (only those can be the main entry).
    let repo: Vec<Option<(String, bool)>> = entries
        .iter()
        .map(|e| match classify(&e.url)? {
            GithubLink::Repo(key) => Some((key.key().to_string(), true)),
            GithubLink::Other {
                repo: Some(key), ..
            } => Some((key.key().to_string(), false)),
            _ => None,
        })
        .collect();
    let mut by_repo: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in repo.iter().enumerate() {
        if let Some((key, _)) = r {
            by_repo.entry(key).or_default().push(i);
        }
    }
    // An entry linking elsewhere (the official site, a page of the docs)
    // joins the repository whose entries have its name and whose name its
    // link's host contains (`Kafka` → kafka.apache.org joins apache/kafka).
    let mut joined: Vec<(usize, &str)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if repo[i].is_some() {
            continue;
        }
        let host = host_of(&e.url);
        let mut found = by_repo.iter().filter(|(key, members)| {
            let repo_name = key.rsplit('/').next().unwrap_or_default();
            !repo_name.is_empty()
                && host.contains(repo_name)
                && members
                    .iter()
                    .any(|&m| same_name(&entries[m].name, &e.name))
        });
        if let (Some((key, _)), None) = (found.next(), found.next()) {
            joined.push((i, key));
        }
    }
    let joined: Vec<(usize, String)> = joined
        .into_iter()
        .map(|(i, k)| (i, k.to_string()))
        .collect();
    for (i, key) in joined {
        if let Some(members) = by_repo.get_mut(key.as_str()) {
            members.push(i);
        }
    }

    let mut group_of: Vec<Option<usize>> = vec![None; entries.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut keys: Vec<&&str> = by_repo.keys().collect();
    keys.sort();
    for key in keys {
        let mut members = by_repo[*key].clone();
        members.sort_unstable();
        let pages: HashSet<&Path> = members.iter().map(|&m| entries[m].page.as_path()).collect();
        if pages.len() < 2 {
            continue;
        }
        let candidates: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&m| repo[m].as_ref().is_some_and(|(_, own)| *own))
            .collect();
        // Links to pages of the repository only (no link to the repository itself).
        let candidates = if candidates.is_empty() {
            members.clone()
        } else {
            candidates
        };
        let texts: Vec<HashSet<String>> = members
            .iter()
            .map(|&m| features(&format!("{} {}", entries[m].name, entries[m].description)))
            .collect();
        // Largest score, then first in SUMMARY order (`candidates` is sorted).
        let mut main = candidates[0];
        let mut best = main_score(&entries[main].category, &texts);
        for &c in &candidates[1..] {
            let score = main_score(&entries[c].category, &texts);
            if score > best {
                best = score;
                main = c;
            }
        }
        let mut group = vec![main];
        group.extend(members.iter().copied().filter(|&m| m != main));
        for &m in &group {
            group_of[m] = Some(groups.len());
        }
        groups.push(group);
    }
    // Records in the order of their first entry (SUMMARY order).
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut emitted = vec![false; groups.len()];
    for (i, g) in group_of.iter().enumerate() {
        match g {
            None => out.push(vec![i]),
            Some(g) if !emitted[*g] => {
                emitted[*g] = true;
                out.push(groups[*g].clone());
            }
            Some(_) => {}
        }
    }
    out
}

/// How well a category title names what the entries of one repository say,
/// in millionths: for each entry's text, the share of the title's features
/// found in it, summed over the entries.
fn main_score(category: &str, texts: &[HashSet<String>]) -> u64 {
    let title = features(category);
    if title.is_empty() {
        return 0;
    }
    texts
        .iter()
        .map(|t| (title.intersection(t).count() * 1_000_000 / title.len()) as u64)
        .sum()
}

/// Words of `text` to compare titles with descriptions: Latin words
/// (lower-cased) and, in a run of Chinese characters, each pair of
/// neighbours (the run itself when it is one character).
fn features(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut latin = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_run = |run: &mut Vec<char>, out: &mut HashSet<String>| {
        match run.len() {
            0 => {}
            1 => {
                out.insert(run[0].to_string());
            }
            _ => {
                for pair in run.windows(2) {
                    out.insert(pair.iter().collect());
                }
            }
        }
        run.clear();
    };
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            latin.push(c);
        } else if !latin.is_empty() {
            out.insert(std::mem::take(&mut latin));
        }
        if is_cjk(c) {
            run.push(c);
        } else {
            flush_run(&mut run, &mut out);
        }
    }
    if !latin.is_empty() {
        out.insert(latin);
    }
    flush_run(&mut run, &mut out);
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// Names compared as a reader types them: case and spaces ignored.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    norm(a) == norm(b)
}

/// The lower-cased host of an absolute URL (empty for anything else).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    rest.split(['/', '?', '#', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
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
        source: e.into(),
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

    fn entry(page: &str, category: &str, name: &str, url: &str, description: &str) -> EntryRecord {
        EntryRecord {
            page: PathBuf::from(page),
            anchor: format!("entry-{}", name.to_lowercase()),
            name: name.into(),
            url: url.into(),
            description: description.into(),
            tags: vec![],
            group: None,
            category: category.into(),
            theme: None,
            stars: None,
            github_description: None,
        }
    }

    /// The groups as (category of each member), main first.
    fn groups_of(entries: &[EntryRecord]) -> Vec<Vec<&str>> {
        let refs: Vec<&EntryRecord> = entries.iter().collect();
        repository_groups(&refs)
            .into_iter()
            .map(|g| g.iter().map(|&i| entries[i].category.as_str()).collect())
            .collect()
    }

    const ZK: &str = "https://github.com/apache/zookeeper";

    #[test]
    fn a_repository_on_several_pages_is_one_record_led_by_its_best_named_page() {
        // In SUMMARY order, as in the manual.
        let entries = [
            entry(
                "backend/lock/index.html",
                "分布式锁",
                "Zookeeper",
                "https://zookeeper.apache.org/doc/current/recipes.html",
                "官方 Recipes 描述了基于临时顺序节点的排他锁与读写锁。",
            ),
            entry(
                "backend/registry/index.html",
                "注册发现",
                "Zookeeper",
                ZK,
                "Apache 的分布式协调服务，服务实例以临时节点注册，是 Dubbo 的经典注册中心。",
            ),
            entry(
                "backend/registry/index.html",
                "注册发现",
                "Nacos",
                "https://github.com/alibaba/nacos",
                "服务注册与配置中心。",
            ),
            entry(
                "backend/cluster/index.html",
                "集群管理",
                "Zookeeper",
                ZK,
                "Apache 的分布式协调服务，以树形 znode 保存元数据。",
            ),
            entry(
                "backend/coordination/index.html",
                "分布式协调服务",
                "ZooKeeper",
                ZK,
                "Apache 的分布式协调服务，提供层次命名空间、临时节点和 Watch 通知。",
            ),
            entry(
                "backend/consistent/index.html",
                "一致性算法",
                "Zookeeper",
                ZK,
                "ZAB 协议的唯一主流实现。",
            ),
        ];
        assert_eq!(
            groups_of(&entries),
            [
                // The first record is where the repository's first entry is.
                vec![
                    "分布式协调服务",
                    "分布式锁",
                    "注册发现",
                    "集群管理",
                    "一致性算法"
                ],
                vec!["注册发现"],
            ]
        );
    }

    #[test]
    fn the_main_entry_is_the_page_its_descriptions_name_then_the_first() {
        let s = "https://github.com/alibaba/Sentinel";
        let entries = [
            entry(
                "backend/fallback/index.html",
                "限流与降级",
                "Sentinel",
                s,
                "面向分布式服务的流量治理组件，提供流量控制、熔断降级、热点参数限流和系统自适应保护。",
            ),
            entry(
                "backend/gateway/index.html",
                "网关",
                "Ali Sentinel",
                s,
                "流量治理组件，提供网关适配模块，可按路由或 API 分组限流。",
            ),
            entry(
                "security/fault/index.html",
                "软件容错",
                "Sentinel",
                s,
                "流量治理组件，支持流控、熔断降级和系统自适应保护。",
            ),
            entry(
                "security/resource/index.html",
                "资源控制",
                "Sentinel",
                s,
                "可按 QPS、并发线程数和系统负载限流。",
            ),
        ];
        // 限流与降级: 限流 and 降级 in three descriptions; 网关 in one.
        assert_eq!(groups_of(&entries)[0][0], "限流与降级");
        // A tie goes to the first in SUMMARY order.
        let tie = [
            entry("a.html", "甲", "X", "https://github.com/o/x", "一个项目。"),
            entry("b.html", "乙", "X", "https://github.com/o/x", "一个项目。"),
        ];
        assert_eq!(groups_of(&tie), [vec!["甲", "乙"]]);
    }

    #[test]
    fn an_entry_linking_elsewhere_joins_only_its_own_repository_and_never_leads() {
        let entries = [
            entry(
                "backend/mq/index.html",
                "消息队列",
                "Kafka",
                "https://github.com/apache/kafka",
                "分布式提交日志。",
            ),
            // 日志 is in both descriptions, but this entry links the official site.
            entry(
                "ops/log/index.html",
                "日志",
                "Kafka",
                "https://kafka.apache.org",
                "在日志链路中充当缓冲队列。",
            ),
            // Same name, a site that is not the repository's: its own record.
            entry(
                "ops/log/index.html",
                "日志",
                "kafka",
                "https://example.com/logs",
                "另一个同名项目的日志。",
            ),
            // The repository on one page only: a record of its own.
            entry(
                "backend/mq/index.html",
                "消息队列",
                "RocketMQ",
                "https://github.com/apache/rocketmq",
                "消息中间件。",
            ),
        ];
        assert_eq!(
            groups_of(&entries),
            [vec!["消息队列", "日志"], vec!["日志"], vec!["消息队列"]]
        );
    }

    #[test]
    fn a_repository_record_lists_the_other_pages_as_escaped_meta() {
        let mut main = entry(
            "backend/coordination/index.html",
            "分布式协调服务",
            "ZooKeeper",
            ZK,
            "协调服务。",
        );
        main.tags = vec!["协调".into()];
        main.theme = Some("后端主题".into());
        let mut other = entry(
            "security/x/index.html",
            "<b>注册</b>",
            "Zookeeper",
            ZK,
            "a \"quoted\" <img src=x onerror=alert(1)>",
        );
        other.tags = vec!["协调".into(), "注册".into()];
        other.theme = Some("系统安全".into());
        let html = entry_html(
            &[
                (&main, "/backend/coordination/index.html#entry-zookeeper"),
                (&other, "/security/x/index.html#entry-zookeeper"),
            ],
            "zh-cn",
        );
        for want in [
            r#"data-am-also="1""#,
            r#"data-am-also1_url="/security/x/index.html#entry-zookeeper""#,
            r#"data-am-also1_category="&lt;b&gt;注册&lt;/b&gt;""#,
            r#"data-am-also1_description="a &quot;quoted&quot; &lt;img src=x onerror=alert(1)&gt;""#,
            r#"data-am-tags="协调, 注册""#,
            // Both themes, so that either filter finds the repository.
            ">后端主题</span>",
            ">系统安全</span>",
        ] {
            assert!(html.contains(want), "{want} missing: {html}");
        }
        assert!(!html.contains("<img"), "{html}");
        // One name paragraph for names that differ only in case.
        assert!(
            html.contains(">ZooKeeper</p>") && !html.contains(">Zookeeper</p>"),
            "{html}"
        );
    }

    #[test]
    fn features_are_latin_words_and_chinese_pairs() {
        let mut got: Vec<String> = features("限流与降级 Redis-Cluster 锁")
            .into_iter()
            .collect();
        got.sort();
        assert_eq!(
            got,
            ["cluster", "redis", "与降", "流与", "锁", "降级", "限流"]
        );
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
