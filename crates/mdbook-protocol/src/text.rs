//! Label text: Mermaid entity codes, `<br>` line breaks, width measurement and wrapping.

use unicode_width::UnicodeWidthChar;

/// Advance widths of Open Sans Regular (mdBook's bundled font) for ASCII 32..=126,
/// in thousandths of an em; generated from the Debian `fonts-open-sans` TTF (hmtx).
const OPEN_SANS_ASCII: [u16; 95] = [
    260, 267, 401, 646, 572, 823, 730, 221, 296, 296, 552, 572, 245, 322, 266, 367, 572, 572, 572,
    572, 572, 572, 572, 572, 572, 572, 266, 266, 572, 572, 572, 429, 899, 633, 648, 631, 729, 556,
    516, 728, 738, 279, 267, 614, 519, 903, 754, 779, 602, 779, 618, 549, 553, 728, 595, 926, 577,
    560, 571, 329, 367, 329, 542, 448, 577, 556, 613, 476, 613, 561, 339, 548, 614, 253, 253, 525,
    253, 930, 614, 604, 613, 613, 408, 477, 353, 614, 501, 778, 524, 504, 468, 379, 551, 379, 572,
];

/// Same for Latin-1 160..=255.
const OPEN_SANS_LATIN1: [u16; 96] = [
    260, 267, 572, 572, 572, 572, 551, 516, 577, 832, 354, 497, 572, 322, 832, 500, 428, 572, 347,
    347, 577, 619, 655, 266, 227, 347, 375, 497, 780, 780, 780, 429, 633, 633, 633, 633, 633, 633,
    873, 631, 556, 556, 556, 556, 279, 279, 279, 279, 722, 754, 779, 779, 779, 779, 779, 572, 779,
    728, 728, 728, 728, 560, 611, 622, 556, 556, 556, 556, 556, 556, 858, 476, 561, 561, 561, 561,
    253, 253, 253, 253, 596, 614, 604, 604, 604, 604, 604, 572, 604, 614, 614, 614, 614, 504, 613,
    504,
];

/// Width of one character in ems: the Open Sans table where it has the glyph, else
/// East Asian Width (wide/fullwidth = 1 em, as CJK fallback fonts draw them; zero-width = 0;
/// everything else an average 0.6 em). Ambiguous characters count as narrow, because Open Sans
/// (first in the font stack) has them.
pub fn char_em(c: char) -> f64 {
    let u = c as u32;
    if (32..=126).contains(&u) {
        return f64::from(OPEN_SANS_ASCII[(u - 32) as usize]) / 1000.0;
    }
    if (160..=255).contains(&u) {
        return f64::from(OPEN_SANS_LATIN1[(u - 160) as usize]) / 1000.0;
    }
    if c == '\t' {
        return 1.04;
    }
    match c.width() {
        Some(0) | None => 0.0,
        Some(2) => 1.0,
        _ => 0.6,
    }
}

/// Width of `s` in pixels at `font_px`, with a 6% safety margin for font differences.
pub fn text_width(s: &str, font_px: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * font_px * 1.06
}

/// Splits at `<br>`, `<br/>`, `<br />` (any case, any inner whitespace).
pub fn split_br(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        if bytes[i] == b'<'
            && let Some(len) = br_len(&s[i..])
        {
            out.push(std::mem::take(&mut cur));
            i += len;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        cur.push(c);
        i += c.len_utf8();
    }
    out.push(cur);
    out
}

fn br_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 4 || !b[1].eq_ignore_ascii_case(&b'b') || !b[2].eq_ignore_ascii_case(&b'r') {
        return None;
    }
    let mut i = 3;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    if i < b.len() && b[i] == b'/' {
        i += 1;
    }
    (i < b.len() && b[i] == b'>').then_some(i + 1)
}

/// Characters a line must not start with (kinsoku shori, simplified).
fn no_line_start(c: char) -> bool {
    "，。：；！？）」』、》〉】,.;:!?)]}".contains(c)
}

/// Wraps one line to `max_px` at `font_px`: breaks at spaces, and between CJK characters.
/// A single word wider than `max_px` is kept whole.
pub fn wrap_line(line: &str, font_px: f64, max_px: f64) -> Vec<String> {
    if text_width(line, font_px) <= max_px {
        return vec![line.to_string()];
    }
    // Break opportunities: after a space, and before/after a wide character.
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in line.chars() {
        let wide = c.width() == Some(2);
        if wide {
            if !cur.is_empty() && !no_line_start(c) {
                tokens.push(std::mem::take(&mut cur));
            }
            cur.push(c);
            continue;
        }
        let prev_wide = cur.chars().last().is_some_and(|p| p.width() == Some(2));
        if prev_wide && !no_line_start(c) && c != ' ' {
            tokens.push(std::mem::take(&mut cur));
        }
        cur.push(c);
        if c == ' ' {
            tokens.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let mut lines = Vec::new();
    let mut line_buf = String::new();
    for t in tokens {
        let candidate = format!("{line_buf}{t}");
        if !line_buf.is_empty() && text_width(candidate.trim_end(), font_px) > max_px {
            lines.push(line_buf.trim_end().to_string());
            line_buf = t.trim_start().to_string();
        } else {
            line_buf = candidate;
        }
    }
    if !line_buf.trim().is_empty() || lines.is_empty() {
        lines.push(line_buf.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_one_em_per_ideograph() {
        let w = text_width("两阶段提交", 10.0);
        assert!((w - 5.0 * 10.0 * 1.06).abs() < 1e-9, "{w}");
        // Latin uses the Open Sans table: "i" is much narrower than "W".
        assert!(text_width("iiii", 10.0) < text_width("WW", 10.0));
    }

    #[test]
    fn br_variants_split() {
        assert_eq!(
            split_br("a<br>b<BR/>c<br />d<br \t/>e"),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(split_br("a<b>c"), ["a<b>c"]);
    }

    #[test]
    fn wrapping_breaks_cjk_and_respects_kinsoku() {
        let lines = wrap_line("领导者把日志条目复制到多数派节点，然后提交。", 14.0, 100.0);
        assert!(lines.len() > 1, "{lines:?}");
        for l in &lines {
            assert!(!l.starts_with('，') && !l.starts_with('。'), "{lines:?}");
            assert!(text_width(l, 14.0) <= 100.0 + 14.0 * 1.06 + 1e-9, "{l}");
        }
        assert_eq!(
            lines.concat(),
            "领导者把日志条目复制到多数派节点，然后提交。"
        );
    }
}
