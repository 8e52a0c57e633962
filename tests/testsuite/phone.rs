//! The manual on a phone and the technology map's picture (issue 23's
//! acceptance), in headless Chromium: the map's inline SVG links every
//! category and entry and takes keyboard focus; at 375 px every chapter with
//! a diagram or a table keeps diagram text at 11 px or more, table cells at
//! three characters or more, and the page no wider than the screen.
//!
//! Run: `cargo test --test testsuite phone -- --ignored --nocapture`
//! (needs `chromium` and `chromium-driver`). `ARCHMANUAL_TEST_SITE=DIR` uses
//! a manual built beforehand; `ARCHMANUAL_SCREENSHOTS=DIR` saves the map and
//! a diagram page in light, coal and navy at 375 and 1280 px there.

use std::path::{Path, PathBuf};

use archmanual_test_support::Browser;
use serde_json::{Value, json};

use crate::support::{ManualSite, html_files, manual_site};

fn manual() -> &'static ManualSite {
    manual_site()
}

/// Opens `page` (relative to the site) with the window `width` px wide.
fn open(browser: &Browser, page: &str, width: u32) {
    browser.set_window(width, 900);
    browser.goto(&format!("{}{page}", manual().server.base()));
    browser.wait_for("document.readyState === 'complete'", page);
}

/// The map's links: categories (pages) and entries (`#entry-…`) in the SVG,
/// and the entry links of the text list under it, all as absolute URLs.
const MAP_LINKS: &str = "
    const svg = document.querySelector('main .tm svg');
    if (!svg) return null;
    const inSvg = Array.from(svg.querySelectorAll('a'))
        .map(a => new URL(a.getAttribute('href'), location.href).href);
    const list = Array.from(document.querySelectorAll('main li a'))
        .filter(a => !svg.contains(a))
        .map(a => a.href);
    return {
        svg: inSvg,
        listEntries: list.filter(h => h.includes('#entry-')),
        // A category is a page with entries: the pages the entries link to.
        listCategories: Array.from(new Set(list.filter(h => h.includes('#entry-')).map(h => h.split('#')[0]))),
        focusable: Array.from(svg.querySelectorAll('a')).filter(a => a.tabIndex >= 0).length,
    };";

#[test]
#[ignore = "needs Chromium"]
fn the_map_links_every_category_and_entry_and_takes_keyboard_focus() {
    let browser = Browser::start();
    for width in [1280, 375] {
        open(&browser, "map.html", width);
        let links = browser.js(MAP_LINKS, json!([]));
        assert!(!links.is_null(), "map.html has no inline SVG map");
        let strings = |k: &str| -> Vec<String> {
            serde_json::from_value(links[k].clone()).expect("link list")
        };
        let (svg, entries, categories) = (
            strings("svg"),
            strings("listEntries"),
            strings("listCategories"),
        );
        assert!(
            categories.len() > 60,
            "only {} categories in the text list",
            categories.len()
        );
        for c in &categories {
            assert!(
                svg.contains(c),
                "category {c} is not linked in the map's SVG"
            );
        }
        let svg_entries: Vec<&String> = svg.iter().filter(|h| h.contains("#entry-")).collect();
        assert_eq!(
            svg_entries.len(),
            entries.len(),
            "the SVG and the text list link different numbers of entries"
        );
        for e in &entries {
            assert!(svg.contains(e), "entry {e} is not linked in the map's SVG");
        }
        assert_eq!(
            links["focusable"].as_u64(),
            Some(svg.len() as u64),
            "every link in the SVG is focusable"
        );

        // Keyboard: Tab from just before the picture walks its links in order.
        browser.js(
            "const before = document.querySelector('main .tm').previousElementSibling;
             before.tabIndex = -1; before.focus();",
            json!([]),
        );
        for k in 0..4 {
            browser.press("\u{E004}");
            let at = browser.js(
                "const a = document.activeElement, svg = document.querySelector('main .tm svg');
                 const links = Array.from(svg.querySelectorAll('a'));
                 const r = a.getBoundingClientRect();
                 return {index: links.indexOf(a), visible: r.width > 0 && r.bottom > 0 && r.top < innerHeight};",
                json!([]),
            );
            assert_eq!(at["index"], json!(k), "Tab {k} at {width} px: {at}");
            assert_eq!(at["visible"], json!(true), "focused link off screen: {at}");
        }

        // Text is drawn at 11 px or more and stays inside its tile, in the
        // browser's own font.
        let text = browser.js(
            "const svg = document.querySelector('main .tm svg');
             const scale = svg.getScreenCTM().a;
             let small = [], out = [];
             for (const g of svg.querySelectorAll('g.b')) {
                 const box = (g.querySelector('rect.tb') || g.querySelector('rect.hr')).getBoundingClientRect();
                 for (const t of g.querySelectorAll('text')) {
                     const px = parseFloat(getComputedStyle(t).fontSize) * scale;
                     if (px < 11) small.push(t.textContent + ' ' + px);
                     const r = t.getBoundingClientRect();
                     if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(t.textContent);
                 }
             }
             const page = document.documentElement.scrollWidth;
             return {small, out, svgWidth: svg.getBoundingClientRect().width, page, viewport: innerWidth};",
            json!([]),
        );
        assert_eq!(text["small"], json!([]), "text under 11 px at {width} px");
        assert_eq!(
            text["out"],
            json!([]),
            "text outside its tile at {width} px"
        );
        let viewport = text["viewport"].as_f64().unwrap_or(0.0);
        assert!(
            text["page"].as_f64().unwrap_or(f64::MAX) <= viewport,
            "map.html scrolls sideways at {width} px: {text}"
        );
        if width == 375 {
            assert!(
                text["svgWidth"].as_f64().unwrap_or(f64::MAX) <= viewport,
                "the one-column map is wider than the phone: {text}"
            );
        }
    }
}

/// Chapters (by path under the site) whose HTML has a diagram or a table.
fn pages_with_diagrams_or_tables(dir: &Path) -> Vec<String> {
    html_files(dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !matches!(name, "print.html" | "toc.html" | "404.html")
        })
        .filter(|p| {
            let html = std::fs::read_to_string(dir.join(p)).unwrap_or_default();
            html.contains("class=\"pd\"") || html.contains("<table")
        })
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// At the current page: the smallest diagram text as drawn (font size times
/// the SVG's scale), the narrowest table cell in characters of its font, and
/// the page's width against the viewport.
const PHONE_CHECK: &str = "
    let minText = Infinity, minTextLabel = '', texts = 0;
    for (const svg of document.querySelectorAll('main .pd svg')) {
        const m = svg.getScreenCTM();
        if (!m) continue;
        for (const t of svg.querySelectorAll('text')) {
            if (!t.textContent.trim() || t.getBBox().width === 0) continue;
            texts++;
            const px = parseFloat(getComputedStyle(t).fontSize) * m.a;
            if (px < minText) { minText = px; minTextLabel = t.textContent; }
        }
    }
    let minCell = Infinity, minCellLabel = '', cells = 0;
    for (const c of document.querySelectorAll('main table td, main table th')) {
        const s = getComputedStyle(c);
        const w = c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        const chars = w / parseFloat(s.fontSize);
        cells++;
        if (chars < minCell) { minCell = chars; minCellLabel = c.textContent.trim().slice(0, 30); }
    }
    const hint = Array.from(document.querySelectorAll('main .pd')).filter(d => d.scrollWidth > d.clientWidth + 1)
        .map(d => parseFloat(getComputedStyle(d, '::after').height)).filter(h => !(h > 8)).length;
    return {texts, minText: texts ? minText : null, minTextLabel, cells, minCell: cells ? minCell : null, minCellLabel,
            page: document.documentElement.scrollWidth, viewport: innerWidth, hiddenHints: hint};";

#[test]
#[ignore = "needs Chromium"]
fn every_chapter_with_a_diagram_or_a_table_reads_on_a_phone() {
    let site = manual();
    let pages = pages_with_diagrams_or_tables(&site.dir);
    assert!(
        pages.len() > 20,
        "only {} pages with diagrams or tables",
        pages.len()
    );
    let browser = Browser::start();
    let mut problems = Vec::new();
    let (mut diagrams, mut tables) = (0, 0);
    for page in &pages {
        open(&browser, page, 375);
        let r: Value = browser.js(PHONE_CHECK, json!([]));
        let viewport = r["viewport"].as_f64().unwrap_or(0.0);
        assert!(viewport > 300.0 && viewport <= 400.0, "not a phone: {r}");
        if let Some(px) = r["minText"].as_f64() {
            diagrams += 1;
            if px < 11.0 - 0.01 {
                problems.push(format!(
                    "{page}: diagram text `{}` drawn at {px:.1} px",
                    r["minTextLabel"]
                ));
            }
        }
        if let Some(chars) = r["minCell"].as_f64() {
            tables += 1;
            if chars < 3.0 - 0.01 {
                problems.push(format!(
                    "{page}: table cell `{}` is {chars:.2} characters wide",
                    r["minCellLabel"]
                ));
            }
        }
        if r["page"].as_f64().unwrap_or(f64::MAX) > viewport {
            problems.push(format!(
                "{page}: the page is {} px wide on a {viewport} px screen",
                r["page"]
            ));
        }
        if r["hiddenHints"].as_u64() != Some(0) {
            problems.push(format!("{page}: a diagram scrolls without its hint"));
        }
    }
    eprintln!(
        "checked {} pages at 375 px: {diagrams} with diagrams, {tables} with tables",
        pages.len()
    );
    assert!(
        diagrams > 5 && tables > 20,
        "{diagrams} diagram pages, {tables} table pages"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
#[ignore = "needs Chromium"]
fn the_map_and_diagrams_follow_the_theme() {
    let browser = Browser::start();
    let shots = std::env::var_os("ARCHMANUAL_SCREENSHOTS").map(PathBuf::from);
    let mut fills = Vec::new();
    for theme in ["light", "coal", "navy", "rust", "ayu"] {
        for width in [375, 1280] {
            open(&browser, "map.html", width);
            browser.js(
                "localStorage.setItem('mdbook-theme', arguments[0]); location.reload();",
                json!([theme]),
            );
            browser.wait_for(
                &format!(
                    "document.readyState === 'complete' && document.documentElement.classList.contains('{theme}')"
                ),
                theme,
            );
            // The tile background is the theme's quote background, and the
            // category names its link colour.
            let colours = browser.js(
                "const probe = document.createElement('div');
                 probe.style.background = 'var(--quote-bg)'; probe.style.color = 'var(--links)';
                 document.body.appendChild(probe);
                 const want = getComputedStyle(probe);
                 const svg = document.querySelector('main .tm svg');
                 return {tile: getComputedStyle(svg.querySelector('rect.tb')).fill, bg: want.backgroundColor,
                         name: getComputedStyle(svg.querySelector('text.cn')).fill, links: want.color};",
                json!([]),
            );
            assert_eq!(colours["tile"], colours["bg"], "{theme}: {colours}");
            assert_eq!(colours["name"], colours["links"], "{theme}: {colours}");
            fills.push(colours["tile"].clone());
            if let Some(dir) = &shots
                && theme != "rust"
                && theme != "ayu"
            {
                std::fs::create_dir_all(dir).expect("screenshot dir");
                std::fs::write(
                    dir.join(format!("map-{theme}-{width}.png")),
                    browser.screenshot(),
                )
                .expect("write screenshot");
                open(&browser, "theory/raft.html", width);
                browser.js(
                    "document.querySelector('main .pd').scrollIntoView();",
                    json!([]),
                );
                std::fs::write(
                    dir.join(format!("raft-{theme}-{width}.png")),
                    browser.screenshot(),
                )
                .expect("write screenshot");
            }
        }
    }
    fills.dedup();
    assert!(
        fills.len() >= 3,
        "the tiles do not change with the theme: {fills:?}"
    );
}
