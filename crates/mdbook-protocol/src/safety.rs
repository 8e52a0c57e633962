//! What untrusted diagram text may turn into: escaped text, allowlisted colours and links.

/// Escapes text for an XML text node or a double- or single-quoted attribute.
/// Characters XML forbids (C0 controls other than tab/newline/CR, U+FFFE, U+FFFF) are dropped.
pub fn escape(s: &str, out: &mut String) {
    archmanual_model::escape_html_with(s, out, |c, out| match c {
        '\t' | '\n' | '\r' => out.push(' '),
        c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
        c => out.push(c),
    });
}

/// The CSS named colours (CSS Color 4), lower case.
const NAMED: &[&str] = &[
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
    "transparent",
];

/// Checks a user colour against a strict grammar and returns its canonical form:
/// a CSS named colour, `transparent`, or `rgb()/rgba()/hsl()/hsla()` with plain numbers
/// (percentages allowed). Anything else — `;`, `url(`, quotes, `</style>` — is rejected.
pub fn parse_color(s: &str) -> Option<String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    if NAMED.contains(&lower.as_str()) {
        return Some(lower);
    }
    let open = lower.find('(')?;
    let func = lower[..open].trim();
    if !matches!(func, "rgb" | "rgba" | "hsl" | "hsla") || !lower.ends_with(')') {
        return None;
    }
    let inner = &lower[open + 1..lower.len() - 1];
    let parts: Vec<&str> = inner
        .split([',', '/'])
        .flat_map(|p| p.split_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    if !(3..=4).contains(&parts.len()) {
        return None;
    }
    let mut canon = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let num = p
            .strip_suffix('%')
            .or_else(|| p.strip_suffix("deg"))
            .unwrap_or(p);
        if num.is_empty()
            || !num
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            || num.parse::<f64>().is_err()
        {
            return None;
        }
        let _ = i;
        canon.push(p.to_string());
    }
    Some(format!("{func}({})", canon.join(",")))
}

/// Allows `http:`, `https:`, `mailto:` and relative URLs; rejects every other scheme
/// (`javascript:`, `data:`, `vbscript:` …), control characters and whitespace tricks.
pub fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    if u.is_empty()
        || u.chars()
            .any(|c| c.is_control() || c == '"' || c == '<' || c == '>')
    {
        return None;
    }
    // A scheme is letters/digits/+-. before the first ':' that precedes any '/', '?' or '#'.
    let scheme_end = u.find(':');
    let path_start = u.find(['/', '?', '#']).unwrap_or(u.len());
    match scheme_end {
        Some(i) if i < path_start => {
            let scheme = u[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then(|| u.to_string())
        }
        _ => Some(u.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors() {
        assert_eq!(parse_color("Aqua").as_deref(), Some("aqua"));
        assert_eq!(
            parse_color("rgb(200, 255, 200)").as_deref(),
            Some("rgb(200,255,200)")
        );
        assert_eq!(
            parse_color("rgba(0,0,255,.1)").as_deref(),
            Some("rgba(0,0,255,.1)")
        );
        assert_eq!(
            parse_color("hsl(120deg 50% 50%)").as_deref(),
            Some("hsl(120deg,50%,50%)")
        );
        for bad in [
            "red; background:url(//evil)",
            "rgb(1,2,3);x",
            "url(#a)",
            "expression(alert(1))",
            "</style>",
            "rgb(1,2)",
            "rgb(a,b,c)",
            "",
        ] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert!(safe_url("https://example.com/a?b#c").is_some());
        assert!(safe_url("mailto:a@b.c").is_some());
        assert!(safe_url("../x.html#y").is_some());
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " data:text/html,x",
            "vbscript:x",
            "java\tscript:x",
            "x\"onload=\"y",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn escaping() {
        let mut s = String::new();
        escape("<script>&\"'\u{1}", &mut s);
        assert_eq!(s, "&lt;script&gt;&amp;&quot;&#39;");
    }
}
