use archmanual_model::{ChapterModel, LinkKind, Span};

use crate::{Context, Fix, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 链接语法写坏了，或链接文字多套了一层方括号。
    ///
    /// ## 检查什么
    ///
    /// - 正文里残留的 `](`：链接没能成立，常见原因是目标里有空格、换行或方括号不成对，
    ///   也包括链接里再嵌套链接（`[a [b](c)](d)`，CommonMark 不允许）；
    /// - `[名字] (https://…)`：`]` 和 `(` 之间有空格，不构成链接；
    /// - `[[名字]](https://…)`：链接文字外多了一层方括号，页面上会显示成 `[名字]`。
    ///
    /// ## 如何修复
    ///
    /// 写成 `[名字](https://…)`：目标里不要有空格（需要时用 `%20`），`]` 与 `(` 紧挨着，不要嵌套链接。
    /// 后两种情况 `--fix` 可以自动修复。
    pub(crate) struct MalformedLink {
        code: "AM007",
        name: "malformed-link",
        severity: Error,
    }
}

impl Rule for MalformedLink {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            let src = ch.doc.source.as_str();
            double_brackets(file, ch, out);
            // Stray `](`: link syntax left in the prose (a link that did
            // not form; code, HTML and comments are not prose).
            let mut reported_to = 0;
            // A link broken by full-width brackets is AM015's.
            let slips = ch.doc.ime_slips();
            for i in ch.doc.prose_matches("](") {
                // One finding per broken link, even with several `](` in it.
                if i < reported_to
                    || in_link(ch, i)
                    || slips.iter().any(|s| s.span.start <= i && i < s.span.end)
                {
                    continue;
                }
                let line_end = src[i..].find('\n').map_or(src.len(), |e| i + e);
                let end = src[i..line_end].find(')').map_or(line_end, |e| i + e + 1);
                let target_end = src[i..line_end]
                    .find(char::is_whitespace)
                    .map_or(line_end, |e| i + e);
                if src[i..target_end].contains('）') {
                    // A full-width `）` closing the target: AM015 reports it.
                    continue;
                }
                reported_to = end;
                out.at(
                    file,
                    ch,
                    Span::new(i, end),
                    format!("`{}` is not a link: the link syntax is broken", &src[i..end]),
                )
                .help = Some(
                    "write `[text](target)` with no spaces in the target (use %20) and balanced brackets; links cannot contain links"
                        .into(),
                );
            }
            // `[name] (target)`.
            for b in &ch.doc.unlinked_brackets {
                let rest = &src[b.span.end..];
                let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                if gap == 0 || !rest[gap..].starts_with('(') {
                    continue;
                }
                let line = rest[gap..].lines().next().unwrap_or("");
                let Some(close) = line.find(')') else {
                    continue;
                };
                let target = &line[1..close];
                let looks_like_target = !target.contains(char::is_whitespace)
                    && (target.starts_with("http")
                        || target.starts_with("./")
                        || target.starts_with("../")
                        || target.starts_with('#')
                        || target.ends_with(".md")
                        || target.ends_with(".html"));
                if !looks_like_target || ch.doc.in_code(b.span.start) {
                    continue;
                }
                let d = out.at(
                    file,
                    ch,
                    Span::new(b.span.start, b.span.end + gap + close + 1),
                    format!(
                        "space between `{}` and `({target})`: this is not a link",
                        &src[b.span.start..b.span.end]
                    ),
                );
                d.help = Some("remove the space between `]` and `(`".into());
                d.fix = Some(Fix {
                    message: "remove the space".into(),
                    start: b.span.end,
                    end: b.span.end + gap,
                    replacement: String::new(),
                });
            }
        }
    }
}

/// `[[Name]](url)`: the text is wrapped in a second pair of brackets.
fn double_brackets(file: &std::path::Path, ch: &ChapterModel, out: &mut Reporter<'_>) {
    let src = ch.doc.source.as_str();
    for link in &ch.doc.links {
        if link.image || !matches!(link.kind, LinkKind::Inline) {
            continue;
        }
        let text = link.span.text(src);
        let Some(close) = text.find("]](") else {
            continue;
        };
        if !text.starts_with("[[") || text[2..close].contains(['[', ']']) {
            continue;
        }
        let inner = &text[2..close];
        let d = out.at(
            file,
            ch,
            link.span,
            format!("link text `[{inner}]` is wrapped in extra brackets"),
        );
        d.help = Some(format!("write `[{inner}](…)`"));
        d.fix = Some(Fix {
            message: "remove the extra brackets".into(),
            start: link.span.start + 1,
            end: link.span.start + close + 1,
            replacement: inner.to_string(),
        });
    }
}

fn in_link(ch: &ChapterModel, offset: usize) -> bool {
    ch.doc
        .links
        .iter()
        .any(|l| l.span.start <= offset && offset < l.span.end)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::MalformedLink);
    }
}
