//! Rewrites rendered pages: the search UI's stylesheet and script on every
//! page that has mdBook's search markup, and Pagefind's attributes on the
//! `<main>` of chapter pages.

use crate::site::Page;
use crate::{UI_CSS_FILE, UI_JS_FILE};

/// The `<main>` mdBook's template writes around a chapter's content.
const MAIN: &str = "<main>";
/// Present on every page that has mdBook's search bar (not on `toc.html`).
const SEARCH_MARKUP: &str = r#"id="mdbook-search-wrapper""#;

/// The page with the UI assets and, for a chapter page, the Pagefind
/// attributes; `None` when the page has no search markup (nothing to add).
pub(crate) fn prepare(html: &str, depth: usize, page: Option<&Page>) -> Option<String> {
    if !html.contains(SEARCH_MARKUP) || html.contains(UI_JS_FILE) {
        return None;
    }
    let root = path_to_root(html).map_or_else(|| "../".repeat(depth), str::to_string);
    let assets = format!(
        "<link rel=\"stylesheet\" href=\"{root}{UI_CSS_FILE}\">\n        <script src=\"{root}{UI_JS_FILE}\" defer></script>\n    </head>"
    );
    let mut out = html.replacen("</head>", &assets, 1);
    if let Some(page) = page
        && let Some(main) = out.find(MAIN)
    {
        if !page.generated {
            out.replace_range(main..main + MAIN.len(), &body_tag("main", page));
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
    fn root_falls_back_to_the_depth() {
        let html = PAGE.replace("const path_to_root = \"../../\";", "");
        let out = prepare(&html, 1, None).unwrap();
        assert!(out.contains(r#"href="../archmanual-search.css""#));
    }
}
