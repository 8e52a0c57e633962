//! Search for any mdBook: everything between "mdBook has written the HTML"
//! and "the book has Chinese search", shared by the `mdbook-search` renderer
//! (plain `mdbook build`/`serve`) and `archmanual build`/`serve` (in-process),
//! so both give the same output.

use std::path::{Path, PathBuf};

use archmanual_model::{LoadedBook, ParseOptions};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::config::Config;

use crate::SearchError;
use crate::index::{IndexOptions, IndexReport, index_book};
use crate::site::SearchSite;

/// The name of the catalog preprocessor: only a book that declares it has
/// catalog entries (elsewhere a `- [name](url) - text` line is just a list item).
const CATALOG: &str = "catalog";

/// What [`index_rendered_book`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The book is indexed; mdBook's own search files are gone.
    Indexed {
        /// What the index holds.
        report: IndexReport,
        /// The language the index was built for.
        language: SearchLanguage,
    },
    /// `[output.html.search] enable = false`: nothing was done.
    Disabled,
    /// The pages have no search markup (a custom `theme/index.hbs` without
    /// a search bar): nothing was done, mdBook's own search (if any) stays.
    NoSearchMarkup,
}

/// The language the index is built for, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchLanguage {
    /// A lowercase language tag Pagefind understands (`zh-cn`, `ja`, `en`).
    pub tag: String,
    /// True when `[book] language` was missing, `en` (mdBook's default) or
    /// not a language code (`cn`), and the tag was read from the text.
    pub detected: bool,
}

/// Which search bar the book's pages carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMarkup {
    /// mdBook 0.5's (`id="mdbook-search-wrapper"`, …).
    Current,
    /// mdBook 0.4's ids (`id="search-wrapper"`, `id="searchbar"`, …), as in a
    /// `theme/index.hbs` copied from 0.4: mdBook 0.5's own search script finds
    /// nothing to bind to. The ids are renamed to 0.5's on every page.
    Legacy,
    /// No search bar at all.
    Missing,
}

impl SearchMarkup {
    /// The markup in a page or in an `index.hbs` template.
    pub fn of(html: &str) -> SearchMarkup {
        if html.contains(r#"id="mdbook-search-wrapper""#) {
            SearchMarkup::Current
        } else if html.contains(r#"id="search-wrapper""#) && html.contains(r#"id="searchbar""#) {
            SearchMarkup::Legacy
        } else {
            SearchMarkup::Missing
        }
    }
}

/// The markup the book's theme will give its pages: that of
/// `theme/index.hbs` (`[output.html] theme`) when the book has one, else
/// mdBook's default template's ([`SearchMarkup::Current`]). Read before the
/// build, so a book whose template has no search bar keeps mdBook's own search.
pub fn theme_search_markup(root: &Path, config: &Config) -> SearchMarkup {
    let theme = config
        .get::<PathBuf>("output.html.theme")
        .ok()
        .flatten()
        .unwrap_or_else(|| PathBuf::from("theme"));
    match std::fs::read_to_string(root.join(theme).join("index.hbs")) {
        Ok(template) => SearchMarkup::of(&template),
        Err(_) => SearchMarkup::Current,
    }
}

/// True unless `[output.html.search] enable = false`.
pub fn search_enabled(config: &Config) -> bool {
    config
        .get::<bool>("output.html.search.enable")
        .ok()
        .flatten()
        .unwrap_or(true)
}

/// Where mdBook writes the HTML, by its own rule: the build directory when
/// the book has one renderer, `build-dir/html` when it has two or more
/// (`[output.html]` plus `[output.search]`, a PDF backend, …).
pub fn html_dir(root: &Path, config: &Config) -> PathBuf {
    let build_dir = root.join(&config.build.build_dir);
    let renderers = config
        .outputs::<serde_json::Value>()
        .map_or(0, |outputs| outputs.len());
    if renderers <= 1 {
        build_dir
    } else {
        build_dir.join("html")
    }
}

/// Lets mdBook skip building its own search index for a book that will get
/// ours: every chapter is left out of mdBook's index (`[output.html.search]
/// chapter."" = { enable = false }`). Its search scripts stay in the template
/// and are removed from the pages afterwards, so the pages are the same as
/// under plain `mdbook build` with the `mdbook-search` renderer. Does nothing
/// when search is off or the theme has no search bar.
pub fn skip_mdbook_index(
    root: &Path,
    config: &mut Config,
    has_chapters: bool,
) -> Result<(), SearchError> {
    // mdBook rejects a chapter key that matches no chapter, so only with chapters.
    if !has_chapters
        || !search_enabled(config)
        || theme_search_markup(root, config) == SearchMarkup::Missing
    {
        return Ok(());
    }
    config
        .set(
            "output.html.search.chapter",
            serde_json::json!({ "": { "enable": false } }),
        )
        .map_err(|e| SearchError::Config(e.into()))
}

/// Indexes the book whose HTML mdBook wrote into `html_dir`.
///
/// - `rendered`: the book as a renderer receives it (after the preprocessors:
///   generated pages have their paths);
/// - `source`: the book as loaded, before any preprocessor, for catalog
///   entries; `None` reads it from `root` when the book declares
///   `[preprocessor.catalog]` (no other book has entries).
///
/// Pages get the search UI and mdBook's own search scripts and index files
/// are removed, unless search is off or the pages have no search bar.
pub fn index_rendered_book(
    root: &Path,
    config: &Config,
    rendered: &Book,
    source: Option<&Book>,
    html_dir: &Path,
) -> Result<Outcome, SearchError> {
    if !search_enabled(config) {
        return Ok(Outcome::Disabled);
    }
    let index = html_dir.join("index.html");
    let first = std::fs::read_to_string(&index).map_err(|source| SearchError::NoHtml {
        dir: html_dir.to_path_buf(),
        source,
    })?;
    if SearchMarkup::of(&first) == SearchMarkup::Missing {
        return Ok(Outcome::NoSearchMarkup);
    }

    let options = ParseOptions::from_config(config);
    let with_entries = config
        .get::<serde_json::Value>(&format!("preprocessor.{CATALOG}"))
        .ok()
        .flatten()
        .is_some();
    let loaded;
    let source = match (with_entries, source) {
        (false, _) => None,
        (true, Some(book)) => Some(book),
        (true, None) => {
            loaded = LoadedBook::load(root).map_err(SearchError::Source)?;
            Some(&loaded.book)
        }
    };
    let site = match source {
        Some(source) => {
            let snapshot = snapshot(root, config)?;
            SearchSite::new(rendered, source, &options, snapshot.as_ref())
        }
        None => {
            let mut site = SearchSite::new(rendered, &Book::new(), &options, None);
            site.entries.clear();
            site
        }
    };
    let language = search_language(config.book.language.as_deref(), rendered);
    let report = index_book(html_dir, &site, &IndexOptions::new(language.tag.clone()))?;
    Ok(Outcome::Indexed { report, language })
}

/// The GitHub snapshot the catalog reads (`[preprocessor.catalog] snapshot`,
/// default `github-repos.json` in the source directory), if there is one.
fn snapshot(
    root: &Path,
    config: &Config,
) -> Result<Option<archmanual_github_snapshot::Snapshot>, SearchError> {
    let name = config
        .get::<String>(&format!("preprocessor.{CATALOG}.snapshot"))
        .ok()
        .flatten()
        .unwrap_or_else(|| archmanual_github_snapshot::SNAPSHOT_FILE.to_string());
    let path = root.join(&config.book.src).join(name);
    archmanual_github_snapshot::Snapshot::load_optional(&path).map_err(SearchError::Snapshot)
}

/// The index's language: `[book] language` when it names a language, else
/// (missing, `en` — mdBook's default, which many Chinese books never change —
/// or a country code such as `cn`) the script the chapters are written in.
pub fn search_language(configured: Option<&str>, book: &Book) -> SearchLanguage {
    let tag = configured
        .map(|l| l.trim().replace('_', "-").to_lowercase())
        .filter(|l| !l.is_empty());
    let primary = tag
        .as_deref()
        .map(|t| t.split('-').next().unwrap_or(t).to_string());
    if let (Some(tag), Some(primary)) = (&tag, &primary)
        && !matches!(primary.as_str(), "en" | "cn")
    {
        return SearchLanguage {
            tag: tag.clone(),
            detected: false,
        };
    }
    let mut counts = ScriptCounts::default();
    for item in book.iter() {
        if let BookItem::Chapter(ch) = item {
            counts.add(&ch.content);
        }
    }
    match counts.language() {
        Some(tag) => SearchLanguage {
            tag: tag.to_string(),
            detected: true,
        },
        None => match tag.filter(|_| primary.as_deref() == Some("en")) {
            Some(tag) => SearchLanguage {
                tag,
                detected: false,
            },
            None => SearchLanguage {
                tag: "en".into(),
                detected: true,
            },
        },
    }
}

/// Characters of each script in a text.
#[derive(Debug, Default)]
struct ScriptCounts {
    han: usize,
    kana: usize,
    hangul: usize,
    latin: usize,
}

impl ScriptCounts {
    /// Counts the prose of a chapter: code blocks are Latin whatever the
    /// book's language (exercise books are mostly code with Chinese prose).
    fn add(&mut self, text: &str) {
        let mut fenced = false;
        for line in text.lines() {
            let t = line.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                fenced = !fenced;
            } else if !fenced {
                self.add_prose(line);
            }
        }
    }

    fn add_prose(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\u{3040}'..='\u{30ff}' => self.kana += 1,
                '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' => self.hangul += 1,
                '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' => {
                    self.han += 1
                }
                c if c.is_ascii_alphabetic() => self.latin += 1,
                _ => {}
            }
        }
    }

    /// A CJK language when its characters carry the text: one CJK character
    /// is about a word, a Latin word about five letters, and code samples
    /// are mostly Latin, so a third of the Latin letters is the bar.
    fn language(&self) -> Option<&'static str> {
        let cjk = self.han + self.kana + self.hangul;
        if cjk == 0 || cjk * 3 < self.latin {
            return None;
        }
        Some(if self.hangul > self.han + self.kana {
            "ko"
        } else if self.kana * 10 >= cjk {
            "ja"
        } else {
            "zh-cn"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_preprocessor::book::Chapter;

    fn book(text: &str) -> Book {
        Book::new_with_items(vec![BookItem::Chapter(Chapter::new(
            "c",
            text.into(),
            "c.md",
            vec![],
        ))])
    }

    const ZH: &str = "# 所有权\n\n所有权是 Rust 最独特的功能。\n\n```rust\nfn main() { let s = String::from(\"hello\"); }\n```\n";

    #[test]
    fn a_named_language_is_kept() {
        let got = search_language(Some("zh-Hans"), &book("English text only"));
        assert_eq!((got.tag.as_str(), got.detected), ("zh-hans", false));
        let got = search_language(Some("ja"), &book(ZH));
        assert_eq!(got.tag, "ja");
        let got = search_language(Some("ko_KR"), &book(ZH));
        assert_eq!(got.tag, "ko-kr");
    }

    #[test]
    fn en_missing_or_a_country_code_is_read_from_the_text() {
        for configured in [Some("en"), None, Some("cn"), Some("")] {
            let got = search_language(configured, &book(ZH));
            assert_eq!(
                (got.tag.as_str(), got.detected),
                ("zh-cn", true),
                "{configured:?}"
            );
        }
        // An exercise book: far more code than prose, the prose Chinese.
        let code =
            "```rust\nfn main() { let numbers = vec![1, 2, 3]; println!(\"{numbers:?}\"); }\n```\n";
        let got = search_language(
            Some("en"),
            &book(&format!("# 向量\n\n修复错误。\n\n{}", code.repeat(20))),
        );
        assert_eq!((got.tag.as_str(), got.detected), ("zh-cn", true));
        let got = search_language(
            Some("en"),
            &book("# Ownership\n\nOwnership is 所有权 in Chinese."),
        );
        assert_eq!((got.tag.as_str(), got.detected), ("en", false));
        let got = search_language(None, &book("# Ownership\n\nPlain English."));
        assert_eq!((got.tag.as_str(), got.detected), ("en", true));
        assert_eq!(
            search_language(
                Some("en"),
                &book("# 所有権\n\n所有権はRustの最もユニークな機能です。")
            )
            .tag,
            "ja"
        );
        assert_eq!(
            search_language(
                None,
                &book("# 소유권\n\n소유권은 러스트의 가장 독특한 기능입니다.")
            )
            .tag,
            "ko"
        );
    }

    #[test]
    fn markup_schemes_are_told_apart() {
        assert_eq!(
            SearchMarkup::of(r#"<div id="mdbook-search-wrapper" class="hidden">"#),
            SearchMarkup::Current
        );
        assert_eq!(
            SearchMarkup::of(r#"<div id="search-wrapper" class="hidden"><input id="searchbar">"#),
            SearchMarkup::Legacy
        );
        assert_eq!(
            SearchMarkup::of("<main>no search here</main>"),
            SearchMarkup::Missing
        );
    }

    #[test]
    fn html_moves_under_html_with_a_second_renderer() {
        let root = Path::new("/b");
        let mut config = Config::default();
        assert_eq!(html_dir(root, &config), Path::new("/b/book"));
        config.set("output.html.fold.enable", true).unwrap();
        assert_eq!(html_dir(root, &config), Path::new("/b/book"));
        config
            .set("output.search.command", "mdbook-search")
            .unwrap();
        assert_eq!(html_dir(root, &config), Path::new("/b/book/html"));
    }
}
