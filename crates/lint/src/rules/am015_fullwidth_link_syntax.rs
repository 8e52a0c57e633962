use archmanual_model::{LinkKind, Span};

use crate::{Context, Fix, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 链接语法里用了全角标点。
    ///
    /// ## 检查什么
    ///
    /// 中文输入法下容易把 `[名字](网址)` 打成 `[名字]（网址）` 或 `[名字](网址）`：
    /// 前者整个不是链接，后者把 `）` 和后面的文字都算进了网址。代码除外。
    ///
    /// ## 如何修复
    ///
    /// 链接语法里的括号一律用半角 `(` `)`；`--fix` 会替换。
    pub(crate) struct FullwidthLinkSyntax {
        code: "AM015",
        name: "fullwidth-link-syntax",
        severity: Error,
    }
}

impl Rule for FullwidthLinkSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            let src = ch.doc.source.as_str();
            // `]（target）`
            for i in ch.doc.prose_matches("]（") {
                let open = i + "]".len();
                let line_end = src[open..].find('\n').map_or(src.len(), |e| open + e);
                let line = &src[open..line_end];
                let close = line
                    .find(['）', ')'])
                    .map(|c| (c, line[c..].chars().next().unwrap_or(')')));
                let (span, fix) = match close {
                    Some((c, closer)) => {
                        let inner = &line["（".len()..c];
                        let end = open + c + closer.len_utf8();
                        (
                            Span::new(i, end),
                            Some(Fix {
                                message: "use ASCII parentheses".into(),
                                start: open,
                                end,
                                replacement: format!("({inner})"),
                            }),
                        )
                    }
                    None => (Span::new(i, open + "（".len()), None),
                };
                let d = out.at(
                    file,
                    ch,
                    span,
                    "full-width `（` after `]`: this is not a link",
                );
                d.help = Some("write `[text](target)` with ASCII parentheses".into());
                d.fix = fix.filter(|f| !f.replacement.contains(char::is_whitespace));
            }
            // `](target）`: a link whose target runs into a full-width `）`
            // (the `](` of a link, or left in the prose when none formed).
            let mut opens: Vec<usize> = ch
                .doc
                .links
                .iter()
                .filter(|l| l.kind == LinkKind::Inline)
                .filter_map(|l| {
                    let d = l.dest_span?;
                    src.get(l.span.start..d.start)?
                        .rfind("](")
                        .map(|p| l.span.start + p)
                })
                .chain(ch.doc.prose_matches("]("))
                .collect();
            opens.sort_unstable();
            opens.dedup();
            for i in opens {
                let start = i + 2;
                let rest = &src[start..];
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == ')')
                    .unwrap_or(rest.len());
                let target = &rest[..end];
                let Some(fw) = target.find('）') else {
                    continue;
                };
                // `（…）` inside a URL is legitimate when the link closes with `)`.
                if target[..fw].contains('（') {
                    continue;
                }
                let at = start + fw;
                let d = out.at(
                    file,
                    ch,
                    Span::new(at, at + '）'.len_utf8()),
                    "full-width `）` closes a link target",
                );
                d.help = Some("close the link with an ASCII `)`".into());
                d.fix = Some(Fix {
                    message: "use `)`".into(),
                    start: at,
                    end: at + '）'.len_utf8(),
                    replacement: ")".into(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::FullwidthLinkSyntax);
    }
}
