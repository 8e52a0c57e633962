//! Shared test helpers: the SVG allowlist check.
#![allow(dead_code, unreachable_pub)]

/// Elements a diagram may contain.
const ELEMENTS: &[&str] = &[
    "svg", "g", "path", "line", "polyline", "polygon", "rect", "circle", "ellipse", "text",
    "tspan", "title", "desc", "style", "a",
];

/// Attributes a diagram may carry.
const ATTRIBUTES: &[&str] = &[
    "class",
    "viewBox",
    "width",
    "height",
    "style",
    "role",
    "aria-label",
    "x",
    "y",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "fill",
    "stroke",
    "stroke-width",
    "text-anchor",
    "href",
    "rel",
    "points",
    "x1",
    "x2",
    "y1",
    "y2",
];

/// Parses `svg` as XML and checks elements, attributes, links, styles and colours; returns the
/// problems found (empty = pass).
pub fn check_svg(svg: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let doc = match roxmltree::Document::parse(svg) {
        Ok(d) => d,
        Err(e) => return vec![format!("not XML: {e}")],
    };
    if svg.contains('\n') {
        problems.push("contains a newline (a blank line would end the HTML block)".into());
    }
    let root = doc.root_element();
    if root.tag_name().name() != "svg"
        || root.attribute("role") != Some("img")
        || root.attribute("aria-label").is_none_or(str::is_empty)
    {
        problems.push("root must be <svg role=img aria-label=…>".into());
    }
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        if !ELEMENTS.contains(&name) {
            problems.push(format!("element <{name}> not allowed"));
        }
        for a in n.attributes() {
            let an = a.name();
            if a.namespace().is_some() || !ATTRIBUTES.contains(&an) {
                problems.push(format!("attribute {an} on <{name}> not allowed"));
            }
            if an.starts_with("on") {
                problems.push(format!("event handler {an}"));
            }
            if an == "href" {
                if name != "a" {
                    problems.push("href outside <a>".into());
                }
                let v = a.value().trim().to_ascii_lowercase();
                if !(v.starts_with("http://")
                    || v.starts_with("https://")
                    || v.starts_with("mailto:")
                    || !v.contains(':'))
                {
                    problems.push(format!("unsafe href {v}"));
                }
            }
            if an != "aria-label" && a.value().to_ascii_lowercase().contains("url(") {
                problems.push(format!("url( in attribute {an}"));
            }
            if an == "id" {
                problems.push("ids are not allowed".into());
            }
            if an == "style"
                && (a.value().contains(';') && a.value().to_ascii_lowercase().contains("url"))
            {
                problems.push("style with url".into());
            }
        }
        if name == "style" {
            let css = n.text().unwrap_or("");
            let scope = root
                .attribute("class")
                .and_then(|c| {
                    c.split_whitespace()
                        .find(|c| c.starts_with("pd-") && *c != "pd-svg")
                })
                .unwrap_or("?");
            // Every rule must be scoped to this diagram (or be the @media wrapper).
            for rule in css.split('}') {
                let sel = rule.split('{').next().unwrap_or("").trim();
                if sel.is_empty() || sel.starts_with("@media") {
                    continue;
                }
                for s in sel.split(',') {
                    if !s.contains(&format!(".{scope}")) {
                        problems.push(format!("unscoped CSS selector `{s}`"));
                    }
                }
            }
            if css.contains("url") || css.contains("@import") || css.contains("expression") {
                problems.push("CSS references something external".into());
            }
        }
    }
    problems
}

/// `render_source` that also asserts the SVG passes [`check_svg`], so every SVG a test sees
/// has been through the allowlist.
pub fn checked(
    src: &str,
    dialect: mdbook_protocol::Dialect,
    seed: &str,
) -> Result<mdbook_protocol::Rendered, Vec<mdbook_protocol::DiagramError>> {
    let r = mdbook_protocol::render_source(src, dialect, seed)?;
    let problems = check_svg(&r.svg);
    assert!(problems.is_empty(), "{problems:?}\n{}", r.svg);
    Ok(r)
}
