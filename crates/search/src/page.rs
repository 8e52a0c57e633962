//! Rewrites rendered pages: the search UI's stylesheet and script on every
//! page that has mdBook's search markup (mdBook 0.4's ids renamed to 0.5's,
//! mdBook's own search scripts taken out), and Pagefind's attributes on the
//! `<main>` of chapter pages.

use std::borrow::Cow;

use crate::index::is_mdbook_search_file;
use crate::site::Page;
use crate::{UI_CSS_FILE, UI_JS_FILE};

/// The `<main>` mdBook's template writes around a chapter's content.
const MAIN: &str = "<main>";
/// Present on every page that has mdBook's search bar (not on `toc.html`).
const SEARCH_MARKUP: &str = r#"id="mdbook-search-wrapper""#;

/// The page with the UI assets and, for a chapter page, the Pagefind
/// attributes; `None` when the page has no search markup (nothing to add).
pub(crate) fn prepare(html: &str, depth: usize, page: Option<&Page>) -> Option<String> {
    if html.contains(UI_JS_FILE) {
        return None;
    }
    let html = with_current_ids(html);
    if !html.contains(SEARCH_MARKUP) {
        return None;
    }
    let root = path_to_root(&html).map_or_else(|| "../".repeat(depth), str::to_string);
    let assets = format!(
        "<link rel=\"stylesheet\" href=\"{root}{UI_CSS_FILE}\">\n        <script src=\"{root}{UI_JS_FILE}\" defer></script>\n    </head>"
    );
    let mut out = without_mdbook_search(&html).replacen("</head>", &assets, 1);
    if let Some(page) = page
        && let Some(main) = out.find(MAIN)
    {
        if !page.generated {
            let mut tag = body_tag("main", page);
            if !heading_is_title(&out[main..], &page.title) {
                tag.push_str(&hidden_title(&page.title));
            }
            out.replace_range(main..main + MAIN.len(), &tag);
        } else if let Some(h1) = out[main..].find("<h1").map(|i| main + i) {
            // Only the title of a generated page: its lists repeat the
            // entries of the category pages, which have records of their own.
            out.replace_range(
                h1..h1 + "<h1".len(),
                body_tag("h1", page).trim_end_matches('>'),
            );
        }
    }
    Some(out)
}

/// The search-bar ids of mdBook 0.4 (a `theme/index.hbs` copied from it)
/// and the names mdBook 0.5 gives them: its stylesheet and our UI know only these.
const LEGACY_IDS: &[&str] = &[
    "search-toggle",
    "search-wrapper",
    "searchbar-outer",
    "searchbar",
    "searchresults-outer",
    "searchresults-header",
    "searchresults",
];

/// The page with mdBook 0.4's search-bar ids (and the `aria-*` references
/// to them) renamed to 0.5's; unchanged when it has 0.5's already or no
/// search bar.
fn with_current_ids(html: &str) -> Cow<'_, str> {
    if html.contains(SEARCH_MARKUP) || !html.contains(r#"id="search-wrapper""#) {
        return Cow::Borrowed(html);
    }
    let mut out = html.to_string();
    for id in LEGACY_IDS {
        for attr in ["id", "aria-controls", "aria-describedby"] {
            out = out.replace(
                &format!("{attr}=\"{id}\""),
                &format!("{attr}=\"mdbook-{id}\""),
            );
        }
    }
    Cow::Owned(out)
}

/// The page without mdBook's own search: the `<script src>` tags of its
/// search files and the line that names its index
/// (`window.path_to_searchindex_js = "…";`). What is left is what mdBook
/// writes with `[output.html.search] copy-js = false`, less those lines.
fn without_mdbook_search(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for line in html.split_inclusive('\n') {
        let t = line.trim();
        let search_script = t
            .strip_prefix("<script src=\"")
            .and_then(|rest| rest.strip_suffix("\"></script>"))
            .map(|src| src.rsplit('/').next().unwrap_or(src))
            .is_some_and(is_mdbook_search_file);
        if search_script || t.starts_with("window.path_to_searchindex_js") {
            continue;
        }
        out.push_str(line);
    }
    out
}

/// Pagefind's weight of an `<h1>`.
const H1_WEIGHT: &str = "7";

/// True when the first `<h1>` in `html` reads `title` (tags and
/// surrounding space aside).
fn heading_is_title(html: &str, title: &str) -> bool {
    let Some(start) = html.find("<h1") else {
        return false;
    };
    let Some(end) = html[start..].find("</h1>").map(|e| start + e) else {
        return false;
    };
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim() == escape_attr(title.trim())
}

/// The chapter's SUMMARY title as indexed (not shown) text with a heading's
/// weight, for a page whose `<h1>` says something else: readers search for
/// what the sidebar calls the chapter (a translated book's sidebar says
/// 生命周期推导 over a page headed 生命周期省略).
fn hidden_title(title: &str) -> String {
    format!(
        "\n<p hidden data-pagefind-weight=\"{H1_WEIGHT}\">{}</p>",
        escape_attr(title)
    )
}

/// `<main>` (or `<h1>`) with `data-pagefind-body`, the chapter title as the `title`
/// meta and the theme as the `主题` filter. The values sit in attributes of
/// their own (Pagefind reads them by name), so commas and colons in titles
/// cannot break Pagefind's `key:value, …` syntax.
fn body_tag(name: &str, page: &Page) -> String {
    let mut tag = format!(
        "<{name} data-pagefind-body data-pagefind-meta=\"title[data-am-title], kind:chapter\" data-am-title=\"{}\"",
        escape_attr(&page.title)
    );
    if let Some(theme) = &page.theme {
        tag.push_str(&format!(
            " data-pagefind-filter=\"主题[data-am-theme]\" data-am-theme=\"{}\"",
            escape_attr(theme)
        ));
    }
    tag.push('>');
    tag
}

/// The relative root mdBook computed for this page (`const path_to_root = "../";`).
/// `404.html` has `""` there and a `<base href>` (the site URL), which is why
/// it is read, not derived from the file's depth.
fn path_to_root(html: &str) -> Option<&str> {
    const KEY: &str = "const path_to_root = \"";
    let start = html.find(KEY)? + KEY.len();
    let len = html[start..].find('"')?;
    let root = &html[start..start + len];
    // Only what mdBook writes there: a relative or absolute path.
    root.chars()
        .all(|c| !matches!(c, '<' | '>' | '\'' | '\\'))
        .then_some(root)
}

// Text for a double-quoted HTML attribute: the workspace's one escaper.
pub(crate) use archmanual_model::escape_html as escape_attr;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const PAGE: &str = "<html><head>\n<script>\n    const path_to_root = \"../../\";\n</script>\n</head><body><div id=\"mdbook-search-wrapper\" class=\"hidden\"></div><main>\n<h1>消息队列</h1></main></body></html>";

    fn page(title: &str, theme: Option<&str>) -> Page {
        Page {
            html: PathBuf::from("backend/mq/index.html"),
            title: title.into(),
            theme: theme.map(str::to_string),
            generated: false,
        }
    }

    #[test]
    fn generated_pages_index_their_title_only() {
        let mut p = page("后端主题", Some("后端主题"));
        p.generated = true;
        let html = PAGE.replace("<h1>", r#"<h1 id="后端主题">"#);
        let out = prepare(&html, 2, Some(&p)).unwrap();
        assert!(out.contains("<main>\n"), "{out}");
        assert!(
            out.contains(r#"<h1 data-pagefind-body data-pagefind-meta="title[data-am-title], kind:chapter" data-am-title="后端主题" data-pagefind-filter="主题[data-am-theme]" data-am-theme="后端主题" id="后端主题">"#),
            "{out}"
        );
    }

    #[test]
    fn assets_use_the_pages_own_root() {
        let out = prepare(PAGE, 2, None).unwrap();
        assert!(out.contains(r#"<link rel="stylesheet" href="../../archmanual-search.css">"#));
        assert!(out.contains(r#"<script src="../../archmanual-search.js" defer></script>"#));
        assert!(out.contains("<main>"), "not a chapter: main untouched");
        // Already prepared (a second run over the same output): unchanged.
        assert_eq!(prepare(&out, 2, None), None);
    }

    #[test]
    fn main_gets_title_and_theme_escaped() {
        let out = prepare(PAGE, 2, Some(&page("A \"B\" <C>, D: E", Some("后端主题")))).unwrap();
        assert!(
            out.contains(r#"<main data-pagefind-body data-pagefind-meta="title[data-am-title], kind:chapter" data-am-title="A &quot;B&quot; &lt;C&gt;, D: E" data-pagefind-filter="主题[data-am-theme]" data-am-theme="后端主题">"#),
            "{out}"
        );
    }

    #[test]
    fn pages_without_search_markup_are_left_alone() {
        assert_eq!(
            prepare("<html><head></head><body>toc</body></html>", 0, None),
            None
        );
    }

    #[test]
    fn a_summary_title_unlike_the_heading_is_indexed_hidden() {
        let out = prepare(PAGE, 2, Some(&page("消息队列", None))).unwrap();
        assert!(!out.contains("hidden data-pagefind-weight"), "{out}");
        let out = prepare(PAGE, 2, Some(&page("MQ <选型>", None))).unwrap();
        assert!(
            out.contains("<main data-pagefind-body data-pagefind-meta=\"title[data-am-title], kind:chapter\" data-am-title=\"MQ &lt;选型&gt;\">\n<p hidden data-pagefind-weight=\"7\">MQ &lt;选型&gt;</p>\n<h1>"),
            "{out}"
        );
    }

    #[test]
    fn mdbook_search_scripts_are_taken_out() {
        let html = PAGE.replace(
            "</script>\n</head>",
            "    window.path_to_searchindex_js = \"../../searchindex-1a2b.js\";\n</script>\n</head>",
        ) + "\n        <script src=\"../../elasticlunr-ef4e11c1.min.js\"></script>\n        <script src=\"../../mark-09e88c2c.min.js\"></script>\n        <script src=\"../../searcher-c2a407aa.js\"></script>\n        <script src=\"../../book-a0b12cfe.js\"></script>\n";
        let out = prepare(&html, 2, None).unwrap();
        for gone in ["searchindex", "elasticlunr", "mark-", "searcher"] {
            assert!(!out.contains(gone), "{gone} left in {out}");
        }
        assert!(out.contains(r#"<script src="../../book-a0b12cfe.js"></script>"#));
        assert!(out.contains("const path_to_root"));
    }

    #[test]
    fn mdbook_0_4_search_ids_are_renamed() {
        let html = PAGE.replace(
            r#"<div id="mdbook-search-wrapper" class="hidden"></div>"#,
            r#"<button id="search-toggle" aria-controls="searchbar"></button><div id="search-wrapper" class="hidden"><form id="searchbar-outer"><input id="searchbar" aria-controls="searchresults-outer" aria-describedby="searchresults-header"></form><div id="searchresults-outer"><div id="searchresults-header"></div><ul id="searchresults"></ul></div></div><p id="searchbar-note">kept</p>"#,
        );
        let out = prepare(&html, 2, None).unwrap();
        for id in LEGACY_IDS {
            assert!(out.contains(&format!(r#"id="mdbook-{id}""#)), "{id}: {out}");
            assert!(!out.contains(&format!(r#"id="{id}""#)), "{id}: {out}");
        }
        assert!(out.contains(r#"aria-controls="mdbook-searchbar""#));
        assert!(out.contains(r#"aria-describedby="mdbook-searchresults-header""#));
        assert!(
            out.contains(r#"id="searchbar-note""#),
            "other ids untouched"
        );
        assert!(out.contains("archmanual-search.js"));
    }

    #[test]
    fn root_falls_back_to_the_depth() {
        let html = PAGE.replace("const path_to_root = \"../../\";", "");
        let out = prepare(&html, 1, None).unwrap();
        assert!(out.contains(r#"href="../archmanual-search.css""#));
    }
}
