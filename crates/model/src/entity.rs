//! The one HTML escaper and the one character-reference decoder of the
//! workspace (pages, SVG, inline HTML in Markdown, Mermaid labels).

/// Escapes `s` for HTML or XML text and for double- or single-quoted
/// attribute values, appending to `out`: `& < > " '` become references,
/// every other character goes through `other`, which pushes it as it is or
/// as something else (a Markdown special as a reference, a control dropped).
pub fn escape_html_with(s: &str, out: &mut String, other: impl Fn(char, &mut String)) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => other(c, out),
        }
    }
}

/// [`escape_html_with`] keeping every other character.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_html_with(s, &mut out, |c, out| out.push(c));
    out
}

/// How character references are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntitySyntax {
    /// HTML: `&amp;`, `&#35;`, `&#x23;` (at most 9 bytes between `&` and `;`).
    Html,
    /// Mermaid labels: `#amp;`, `#35;` (decimal only; names of letters,
    /// digits and `_`).
    Mermaid,
}

/// Decodes the character references of `s` written in `syntax`; a
/// reference that names no character stays as written.
pub fn decode_entities_in(s: &str, syntax: EntitySyntax) -> String {
    let sigil = match syntax {
        EntitySyntax::Html => '&',
        EntitySyntax::Mermaid => '#',
    };
    if !s.contains(sigil) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find(sigil) {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let reference = match syntax {
            EntitySyntax::Html => after.find(';').filter(|&e| e < 10),
            EntitySyntax::Mermaid => {
                let len = after
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                (len > 0 && after.as_bytes().get(len) == Some(&b';')).then_some(len)
            }
        };
        match reference.and_then(|e| Some((reference_char(&after[..e], syntax)?, e))) {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push(sigil);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// [`decode_entities_in`] for HTML.
pub fn decode_entities(s: &str) -> String {
    decode_entities_in(s, EntitySyntax::Html)
}

/// The character a reference's name (between the sigil and `;`) stands for.
fn reference_char(name: &str, syntax: EntitySyntax) -> Option<char> {
    let number = match syntax {
        EntitySyntax::Html => name.strip_prefix('#'),
        EntitySyntax::Mermaid => Some(name).filter(|n| n.bytes().all(|b| b.is_ascii_digit())),
    };
    match number {
        Some(hex)
            if syntax == EntitySyntax::Html && (hex.starts_with('x') || hex.starts_with('X')) =>
        {
            u32::from_str_radix(&hex[1..], 16)
                .ok()
                .and_then(char::from_u32)
        }
        Some(decimal) => decimal.parse().ok().and_then(char::from_u32),
        None => named_entity(name),
    }
}

/// The named references we know (HTML names; Mermaid uses the same).
fn named_entity(name: &str) -> Option<char> {
    const TABLE: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", '\u{a0}'),
        ("semi", ';'),
        ("num", '#'),
        ("colon", ':'),
        ("comma", ','),
        ("percnt", '%'),
        ("infin", '∞'),
        ("hearts", '♥'),
        ("spades", '♠'),
        ("clubs", '♣'),
        ("diams", '♦'),
        ("larr", '←'),
        ("rarr", '→'),
        ("uarr", '↑'),
        ("darr", '↓'),
        ("harr", '↔'),
        ("lArr", '⇐'),
        ("rArr", '⇒'),
        ("hArr", '⇔'),
        ("ne", '≠'),
        ("le", '≤'),
        ("ge", '≥'),
        ("asymp", '≈'),
        ("equiv", '≡'),
        ("times", '×'),
        ("divide", '÷'),
        ("plusmn", '±'),
        ("minus", '−'),
        ("middot", '·'),
        ("bull", '•'),
        ("hellip", '…'),
        ("mdash", '—'),
        ("ndash", '–'),
        ("copy", '©'),
        ("reg", '®'),
        ("trade", '™'),
        ("deg", '°'),
        ("micro", 'µ'),
        ("para", '¶'),
        ("sect", '§'),
        ("euro", '€'),
        ("pound", '£'),
        ("yen", '¥'),
        ("cent", '¢'),
        ("laquo", '«'),
        ("raquo", '»'),
        ("ldquo", '“'),
        ("rdquo", '”'),
        ("lsquo", '‘'),
        ("rsquo", '’'),
        ("sum", '∑'),
        ("prod", '∏'),
        ("radic", '√'),
        ("part", '∂'),
        ("nabla", '∇'),
        ("forall", '∀'),
        ("exist", '∃'),
        ("empty", '∅'),
        ("isin", '∈'),
        ("notin", '∉'),
        ("cap", '∩'),
        ("cup", '∪'),
        ("and", '∧'),
        ("or", '∨'),
        ("not", '¬'),
        ("check", '✓'),
        ("cross", '✗'),
        ("alpha", 'α'),
        ("beta", 'β'),
        ("gamma", 'γ'),
        ("delta", 'δ'),
        ("epsilon", 'ε'),
        ("zeta", 'ζ'),
        ("eta", 'η'),
        ("theta", 'θ'),
        ("iota", 'ι'),
        ("kappa", 'κ'),
        ("lambda", 'λ'),
        ("mu", 'μ'),
        ("nu", 'ν'),
        ("xi", 'ξ'),
        ("omicron", 'ο'),
        ("pi", 'π'),
        ("rho", 'ρ'),
        ("sigma", 'σ'),
        ("tau", 'τ'),
        ("upsilon", 'υ'),
        ("phi", 'φ'),
        ("chi", 'χ'),
        ("psi", 'ψ'),
        ("omega", 'ω'),
        ("Delta", 'Δ'),
        ("Sigma", 'Σ'),
        ("Omega", 'Ω'),
        ("Pi", 'Π'),
        ("Phi", 'Φ'),
        ("Lambda", 'Λ'),
        ("Theta", 'Θ'),
        ("Gamma", 'Γ'),
    ];
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_and_lets_the_caller_choose_the_rest() {
        assert_eq!(
            escape_html(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        let mut out = String::new();
        escape_html_with("a*\tb<", &mut out, |c, out| match c {
            '*' => out.push_str("&#42;"),
            '\t' => out.push(' '),
            c => out.push(c),
        });
        assert_eq!(out, "a&#42; b&lt;");
    }

    #[test]
    fn decodes_html_references() {
        for (input, want) in [
            ("a &amp; b", "a & b"),
            ("&lt;&gt;&quot;&apos;&nbsp;", "<>\"'\u{a0}"),
            ("&#35;&#x23;&#X23;", "###"),
            ("&nosuch; & &amp", "&nosuch; & &amp"),
            // More than 9 bytes before the `;` is no reference.
            ("&#00000000035;", "&#00000000035;"),
            ("&hearts;", "♥"),
        ] {
            assert_eq!(decode_entities(input), want, "{input}");
        }
    }

    #[test]
    fn decodes_mermaid_references() {
        let mermaid = |s| decode_entities_in(s, EntitySyntax::Mermaid);
        assert_eq!(mermaid("I #9829; you #infin;"), "I ♥ you ∞");
        assert_eq!(mermaid("#nosuch; #35;"), "#nosuch; #");
        assert_eq!(mermaid("#x23; #amp"), "#x23; #amp");
    }
}
