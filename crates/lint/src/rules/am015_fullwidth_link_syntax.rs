use archmanual_model::{LinkKind, Span};

use crate::{Context, Fix, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 链接语法里用了全角标点。
    ///
    /// ## 检查什么
    ///
    /// 中文输入法下容易把 `[名字](网址)` 打成 `［名字](网址)`、`【名字】(网址)`、`[名字］(网址)`、
    /// `[名字]（网址）` 或 `[名字](网址）`：前几种整个不是链接，最后一种把 `）` 和后面的文字都算进了网址。
    /// 条目的链接和说明之间写成全角冒号（`[名字](网址) ： 说明`）也算。代码除外。
    /// 这一行因此报出的 AM007（链接语法错误）、AM009（条目格式）不再重复报告，构建时的 CAT001
    /// 也用同样的话指出这个问题。
    ///
    /// ## 如何修复
    ///
    /// 链接语法里的方括号、圆括号一律用半角 `[` `]` `(` `)`，条目的分隔符写成 ` - `；`--fix` 会替换。
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
            let slips = ch.doc.ime_slips();
            for slip in &slips {
                let (message, help) = slip.message(src);
                let d = out.at(file, ch, slip.span, message);
                d.help = Some(help);
                d.fix = Some(Fix {
                    message: format!("write `{}`", slip.fixed(src)),
                    start: slip.span.start,
                    end: slip.span.end,
                    replacement: slip.fixed(src),
                });
            }
            let in_slip = |i: usize| slips.iter().any(|s| s.span.start <= i && i < s.span.end);
            // `]（target` that the slips above do not cover (no closing parenthesis …)
            for i in ch.doc.prose_matches("]（").filter(|&i| !in_slip(i)) {
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
            for i in opens.into_iter().filter(|&i| !in_slip(i)) {
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

    /// The slips a Chinese input method makes in an entry list: one AM015
    /// each, nothing from the rules that fail only because of it, and
    /// `--fix` writes exactly the entry the writer meant.
    #[test]
    fn input_method_slips_in_an_entry_list() {
        let good = "- [Kafka](https://github.com/apache/kafka) - 分布式日志。\n\
                    - [RocketMQ](https://github.com/apache/rocketmq) - 事务消息。\n";
        let meant = "- [NATS](https://github.com/nats-io/nats-server) - 云原生消息系统。\n";
        for typed in [
            "- ［NATS](https://github.com/nats-io/nats-server) - 云原生消息系统。\n",
            "- 【NATS】(https://github.com/nats-io/nats-server) - 云原生消息系统。\n",
            "- [NATS］(https://github.com/nats-io/nats-server) - 云原生消息系统。\n",
            "- [NATS](https://github.com/nats-io/nats-server) ： 云原生消息系统。\n",
        ] {
            let page = format!("# 消息队列\n\n{good}{typed}");
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            std::fs::write(root.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
            std::fs::create_dir(root.join("src")).unwrap();
            std::fs::write(
                root.join("src/SUMMARY.md"),
                "# Summary\n\n- [消息队列](mq.md)\n",
            )
            .unwrap();
            std::fs::write(root.join("src/mq.md"), &page).unwrap();
            let book = crate::Book::load(root).unwrap();
            let found: Vec<_> = crate::lint(&book)
                .into_iter()
                .filter(|d| d.code != "GH000")
                .collect();
            assert_eq!(
                found.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
                ["AM015"],
                "{typed}{found:#?}"
            );
            assert_eq!(found[0].location.unwrap().line, 5);
            let fix = found[0].fix.as_ref().expect("a fix");
            let (fixed, n) = crate::fix::apply(&page, &[fix]);
            assert_eq!(n, 1);
            assert_eq!(fixed, format!("# 消息队列\n\n{good}{meant}"), "{typed}");
        }
    }
}
