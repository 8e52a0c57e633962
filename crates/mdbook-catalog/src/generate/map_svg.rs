//! The technology map as a picture: one SVG of themes → category tiles →
//! entry chips, drawn at build time (no JavaScript).
//!
//! Every tile is 312 px wide, so its inside is the same in both layouts:
//! two columns (644 px, within the desktop column) by default, one column
//! (320 px, the column of a 360 px phone) when the map's box is narrower —
//! the page's CSS moves the tiles with a container query, because an SVG scaled down to a phone would draw its
//! text at 6 px. Text is measured with the protocol renderer's widths
//! (Open Sans advances, CJK 1 em) and cut with `…` where it would overflow;
//! every label is escaped.

use std::fmt::Write as _;

use archmanual_github_snapshot::format_count;
use mdbook_protocol::safety::escape;
use mdbook_protocol::text::{text_width, wrap_line};

/// A theme (top-level chapter) and its category tiles.
pub(crate) struct MapTheme {
    pub(crate) name: String,
    pub(crate) href: Option<String>,
    pub(crate) categories: Vec<MapCategory>,
}

/// A category page with entries.
pub(crate) struct MapCategory {
    pub(crate) name: String,
    pub(crate) href: Option<String>,
    /// Entries in groups (`### 分组`), in page order; `None` for ungrouped ones.
    pub(crate) groups: Vec<(Option<String>, Vec<MapEntry>)>,
}

impl MapCategory {
    fn count(&self) -> usize {
        self.groups.iter().map(|(_, e)| e.len()).sum()
    }
}

/// One entry: its name, its anchor on the category page, its stars.
pub(crate) struct MapEntry {
    pub(crate) name: String,
    pub(crate) href: Option<String>,
    pub(crate) stars: Option<u64>,
}

/// Where the SVG goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    /// Inline in map.html: theme colours, page font, and the one-column layout
    /// on narrow screens and in print.
    Inline,
    /// A file of its own (for a README): fixed size, its own background.
    Standalone,
}

/// Tile width: the same in both layouts.
const TILE_W: f64 = 312.0;
const GAP: f64 = 12.0;
const MARGIN: f64 = 4.0;
/// Width of the two-column layout; the one-column layout is `NARROW_W`.
pub(crate) const WIDE_W: f64 = 2.0 * MARGIN + 2.0 * TILE_W + GAP;
pub(crate) const NARROW_W: f64 = 2.0 * MARGIN + TILE_W;
const PAD: f64 = 10.0;
const INNER_W: f64 = TILE_W - 2.0 * PAD;

const THEME_FONT: f64 = 18.0;
const CAT_FONT: f64 = 15.0;
const ENTRY_FONT: f64 = 13.0;
const SMALL_FONT: f64 = 12.0;
const STAR_FONT: f64 = 11.0;
const CHIP_H: f64 = 22.0;
const CHIP_PAD: f64 = 6.0;
const CHIP_GAP: f64 = 4.0;
const CAT_LINE: f64 = 20.0;
/// Bold glyphs are wider than the regular advances `text_width` knows.
const BOLD: f64 = 1.08;

fn bold_width(s: &str, px: f64) -> f64 {
    text_width(s, px) * BOLD
}

/// `s` cut with `…` so that it fits `max` px (measured by `width`).
fn fit(s: &str, max: f64, width: impl Fn(&str) -> f64) -> (String, bool) {
    if width(s) <= max {
        return (s.to_string(), false);
    }
    let mut chars: Vec<char> = s.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if width(&cut) <= max {
            return (cut, true);
        }
    }
    ("…".to_string(), true)
}

/// Number formatting for coordinates: at most one decimal.
struct N(f64);
impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = (self.0 * 10.0).round() / 10.0;
        if v.fract() == 0.0 {
            write!(f, "{}", v as i64)
        } else {
            write!(f, "{v:.1}")
        }
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(s, &mut out);
    out
}

/// A block placed by the layouts: a theme heading or a category tile.
struct Block {
    height: f64,
    /// Starts a theme (placed across both columns in the wide layout).
    heading: bool,
    body: String,
}

fn text(out: &mut String, x: f64, y: f64, class: &str, s: &str) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" class=\"{class}\">",
        N(x),
        N(y)
    );
    escape(s, out);
    out.push_str("</text>");
}

/// Opens `<a>` if there is a link; returns whether it did.
fn open_link(out: &mut String, href: Option<&str>, class: &str, label: &str) -> bool {
    let Some(href) = href else { return false };
    let _ = write!(
        out,
        "<a href=\"{}\" class=\"{class}\" aria-label=\"",
        esc(href)
    );
    escape(label, out);
    out.push_str("\">");
    true
}

fn heading_block(theme: &MapTheme) -> Block {
    let cats = theme.categories.len();
    let entries: usize = theme.categories.iter().map(MapCategory::count).sum();
    let summary = format!("{cats} 个分类 · {entries} 个条目");
    let (name, cut) = fit(&theme.name, INNER_W, |s| bold_width(s, THEME_FONT));
    let mut body = String::new();
    let label = format!("{}：{summary}", theme.name);
    let linked = open_link(&mut body, theme.href.as_deref(), "th", &label);
    let _ = write!(
        body,
        "<rect class=\"hit\" x=\"0\" y=\"2\" width=\"{}\" height=\"28\" rx=\"4\"/>",
        N(bold_width(&name, THEME_FONT) + 8.0)
    );
    if cut {
        body.push_str("<title>");
        escape(&theme.name, &mut body);
        body.push_str("</title>");
    }
    text(&mut body, 4.0, 23.0, "tn", &name);
    if linked {
        body.push_str("</a>");
    }
    // The summary beside the name when both fit, else under it.
    let name_w = bold_width(&name, THEME_FONT) + 8.0 + 10.0;
    let sum_w = text_width(&summary, SMALL_FONT);
    let (sx, sy, h) = if name_w + sum_w <= TILE_W {
        (name_w, 23.0, 36.0)
    } else {
        (4.0, 44.0, 54.0)
    };
    text(&mut body, sx, sy, "ts", &summary);
    let _ = write!(
        body,
        "<rect class=\"hr\" x=\"0\" y=\"{}\" width=\"{}\" height=\"2\"/>",
        N(h - 6.0),
        N(WIDE_W - 2.0 * MARGIN)
    );
    Block {
        height: h,
        heading: true,
        body,
    }
}

fn tile_block(cat: &MapCategory) -> Block {
    let mut body = String::new();
    let count = cat.count();
    let count_label = format!("{count} 项");
    let count_w = text_width(&count_label, SMALL_FONT);
    // The name wraps (CJK between characters, Latin at spaces) beside the count.
    let name_max = INNER_W - count_w - 8.0;
    let mut lines: Vec<String> = Vec::new();
    for l in wrap_line(&cat.name, CAT_FONT * BOLD, name_max) {
        lines.push(fit(&l, name_max, |s| bold_width(s, CAT_FONT)).0);
    }
    let mut y = PAD;
    let header_h = lines.len() as f64 * CAT_LINE + 6.0;
    let label = format!("{}，{count} 个条目", cat.name);
    let linked = open_link(&mut body, cat.href.as_deref(), "ca", &label);
    let widest = lines
        .iter()
        .map(|l| bold_width(l, CAT_FONT))
        .fold(0.0, f64::max);
    let _ = write!(
        body,
        "<rect class=\"hit\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>",
        N(PAD - 4.0),
        N(y - 3.0),
        N(widest + 8.0),
        N(header_h)
    );
    for (k, l) in lines.iter().enumerate() {
        text(
            &mut body,
            PAD,
            y + CAT_LINE * (k as f64 + 1.0) - 5.0,
            "cn",
            l,
        );
    }
    if linked {
        body.push_str("</a>");
    }
    let _ = write!(
        body,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"cc\">",
        N(TILE_W - PAD),
        N(y + CAT_LINE - 5.0)
    );
    escape(&count_label, &mut body);
    body.push_str("</text>");
    y += header_h + 4.0;
    for (group, entries) in &cat.groups {
        if let Some(g) = group {
            let (g, _) = fit(g, INNER_W, |s| text_width(s, SMALL_FONT));
            text(&mut body, PAD, y + 12.0, "gl", &g);
            y += 18.0;
        }
        let mut x = PAD;
        let mut row_used = false;
        for e in entries {
            let stars = e.stars.map(|s| format!("★{}", format_count(s)));
            let star_w = stars
                .as_ref()
                .map_or(0.0, |s| text_width(s, STAR_FONT) + 4.0);
            let (name, cut) = fit(&e.name, INNER_W - 2.0 * CHIP_PAD - star_w, |s| {
                text_width(s, ENTRY_FONT)
            });
            let w = text_width(&name, ENTRY_FONT) + star_w + 2.0 * CHIP_PAD;
            if row_used && x + w > TILE_W - PAD {
                x = PAD;
                y += CHIP_H + CHIP_GAP;
            }
            let mut label = e.name.clone();
            if let Some(s) = e.stars {
                let _ = write!(label, "，{s} 个 Star");
            }
            let linked = open_link(&mut body, e.href.as_deref(), "en", &label);
            if cut {
                body.push_str("<title>");
                escape(&e.name, &mut body);
                body.push_str("</title>");
            }
            let _ = write!(
                body,
                "<rect class=\"c\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>",
                N(x),
                N(y),
                N(w),
                N(CHIP_H)
            );
            text(&mut body, x + CHIP_PAD, y + 15.5, "el", &name);
            if let Some(s) = &stars {
                text(
                    &mut body,
                    x + w - CHIP_PAD - star_w + 4.0,
                    y + 15.0,
                    "sr",
                    s,
                );
            }
            if linked {
                body.push_str("</a>");
            }
            x += w + CHIP_GAP;
            row_used = true;
        }
        if row_used {
            y += CHIP_H + CHIP_GAP + 2.0;
        }
    }
    let height = y + PAD - CHIP_GAP;
    let mut out = format!(
        "<rect class=\"tb\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
        N(TILE_W),
        N(height)
    );
    out.push_str(&body);
    Block {
        height,
        heading: false,
        body: out,
    }
}

/// Positions `(x, y)` of every block, and the total height.
fn place(blocks: &[Block], columns: usize) -> (Vec<(f64, f64)>, f64) {
    let mut pos = Vec::with_capacity(blocks.len());
    let mut cols = vec![MARGIN; columns];
    let mut first = true;
    for b in blocks {
        if b.heading {
            let top = cols.iter().copied().fold(MARGIN, f64::max) + if first { 0.0 } else { 18.0 };
            first = false;
            pos.push((MARGIN, top));
            cols.iter_mut().for_each(|c| *c = top + b.height);
        } else {
            // The shortest column; the leftmost on a tie.
            let (k, top) =
                cols.iter()
                    .copied()
                    .enumerate()
                    .fold(
                        (0, f64::INFINITY),
                        |a, (k, c)| if c < a.1 { (k, c) } else { a },
                    );
            pos.push((MARGIN + k as f64 * (TILE_W + GAP), top));
            cols[k] = top + b.height + GAP;
        }
    }
    let height = cols.iter().copied().fold(0.0, f64::max) + MARGIN;
    (pos, height)
}

/// Style sheet: generated text only (no labels), colours from mdBook's theme
/// variables with light fallbacks for viewers without them.
fn style(flavour: Flavour, out: &mut String) {
    out.push_str(
        ".tm-svg{color:var(--fg,#333)}\
.tm-svg text{fill:currentColor;font-size:13px}\
.tm-svg .bgr{fill:var(--bg,#fff)}\
.tm-svg .tb{fill:var(--quote-bg,#f3f6f9);stroke:var(--quote-border,#c9d6e0)}\
.tm-svg .hr{fill:var(--links,#20609f);opacity:.5}\
.tm-svg .hit{fill:transparent;stroke:none}\
.tm-svg .tn{font-size:18px;font-weight:700}\
.tm-svg .ts,.tm-svg .cc,.tm-svg .gl{font-size:12px;fill:var(--icons,#666)}\
.tm-svg .cn{font-size:15px;font-weight:700;fill:var(--links,#20609f)}\
.tm-svg .c{fill:var(--bg,#fff);stroke:var(--table-border-color,#c8c8c8)}\
.tm-svg .sr{font-size:11px;fill:var(--icons,#666)}\
.tm-svg a{cursor:pointer;outline:none}\
.tm-svg a:hover .el,.tm-svg a:hover .cn,.tm-svg a:hover .tn{text-decoration:underline}\
.tm-svg a:hover .c{stroke:var(--links,#20609f)}\
.tm-svg a:focus-visible .c,.tm-svg a:focus-visible .hit{stroke:var(--links,#20609f);stroke-width:2.5px}\
.tm-svg a:focus-visible .c{fill:var(--theme-hover,#e6e6e6)}",
    );
    if flavour == Flavour::Inline {
        let narrow = format!(
            ".tm-svg{{width:{w}px;height:var(--tm-nh)}}.tm-svg .b{{transform:translate(var(--nx),var(--ny))}}.tm-svg .hr{{width:{hr}px}}",
            w = N(NARROW_W),
            hr = N(TILE_W)
        );
        // One column when the box is narrower than two tiles, and in print.
        let _ = write!(
            out,
            ".tm-svg text{{font-family:inherit}}@container tmap (max-width:{}px){{{narrow}}}@media print{{{narrow}.tm-svg{{color:#000}}.tm-svg .tb{{fill:#fff}}}}",
            N(WIDE_W - 0.5)
        );
    } else {
        out.push_str(
            ".tm-svg text{font-family:\"Open Sans\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif}",
        );
    }
}

/// The map as one SVG element (no blank lines, one line: safe in Markdown).
pub(crate) fn render(themes: &[MapTheme], flavour: Flavour, stars_shown: bool) -> String {
    let mut blocks: Vec<Block> = Vec::new();
    for t in themes {
        blocks.push(heading_block(t));
        blocks.extend(t.categories.iter().map(tile_block));
    }
    let (wide, wide_h) = place(&blocks, 2);
    let (narrow, narrow_h) = place(&blocks, 1);
    let categories: usize = themes.iter().map(|t| t.categories.len()).sum();
    let entries: usize = themes
        .iter()
        .flat_map(|t| &t.categories)
        .map(MapCategory::count)
        .sum();
    let title = format!(
        "技术地图：{} 个主题、{categories} 个分类、{entries} 个条目",
        themes.len()
    );
    let mut desc = String::from(
        "每个主题下，一个方块是一个技术分类，方块里是它的条目，条目越多方块越大，右上角是条目数",
    );
    if stars_shown {
        desc.push_str("；★ 后是 GitHub Star 数");
    }
    desc.push_str("。点击分类名进入分类页，点击条目跳到它在分类页上的说明。");
    if flavour == Flavour::Inline {
        desc.push_str("图下方是同样内容的文字列表。");
    }
    let mut out =
        String::with_capacity(blocks.iter().map(|b| b.body.len() + 64).sum::<usize>() + 4096);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tm-svg\" width=\"{w}\" height=\"{h}\"",
        w = N(WIDE_W),
        h = N(wide_h)
    );
    match flavour {
        Flavour::Inline => {
            // No viewBox: the picture is never scaled, so text keeps its size;
            // the narrow layout sets its own width and height.
            let _ = write!(out, " style=\"--tm-nh:{}px\"", N(narrow_h));
        }
        Flavour::Standalone => {
            let _ = write!(out, " viewBox=\"0 0 {} {}\"", N(WIDE_W), N(wide_h));
        }
    }
    out.push_str(" role=\"group\" aria-label=\"");
    escape(&title, &mut out);
    out.push_str("\"><title>");
    escape(&title, &mut out);
    out.push_str("</title><desc>");
    escape(&desc, &mut out);
    out.push_str("</desc><style>");
    style(flavour, &mut out);
    out.push_str("</style>");
    if flavour == Flavour::Standalone {
        let _ = write!(
            out,
            "<rect class=\"bgr\" width=\"{}\" height=\"{}\"/>",
            N(WIDE_W),
            N(wide_h)
        );
    }
    for ((b, (wx, wy)), (nx, ny)) in blocks.iter().zip(&wide).zip(&narrow) {
        let _ = write!(
            out,
            "<g class=\"b\" transform=\"translate({} {})\"",
            N(*wx),
            N(*wy)
        );
        if flavour == Flavour::Inline {
            let _ = write!(out, " style=\"--nx:{}px;--ny:{}px\"", N(*nx), N(*ny));
        }
        out.push('>');
        out.push_str(&b.body);
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// The inline map in its scrolling, size-querying box, as an HTML block.
pub(crate) fn inline_block(themes: &[MapTheme], stars_shown: bool) -> String {
    format!(
        "<div class=\"tm\" style=\"container:tmap/inline-size;overflow-x:auto;margin:1em 0\">{}</div>",
        render(themes, Flavour::Inline, stars_shown)
    )
}
