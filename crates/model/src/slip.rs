//! Chinese input-method slips in link and entry syntax: `［名字](网址)`,
//! `【名字】(网址)`, `[名字］(网址)`, `[名字]（网址）` and an entry written
//! `[名字](网址) ： 说明`. An IME in Chinese mode types full-width brackets,
//! parentheses and colons; Markdown then sees no link, and every check
//! downstream fails for a reason the writer cannot see. Found once here, so
//! lint (AM015) and the catalog's build error name the same slip in the same
//! words, and the rules that only fail because of it can stay quiet.

use crate::span::Span;
use crate::{Document, EntryProblem, EntryProblemKind, LinkKind};

const OPENERS: [char; 3] = ['[', '［', '【'];
const CLOSERS: [char; 3] = [']', '］', '】'];

/// One slip: where it is and what each full-width character should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImeSlip {
    /// From the first character to replace to the last.
    pub span: Span,
    /// What was typed.
    pub kind: SlipKind,
    /// Each replacement: the bytes to replace and the ASCII to write.
    pub replacements: Vec<(Span, &'static str)>,
}

/// The kinds of slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipKind {
    /// Full-width brackets or parentheses in `[text](target)`.
    LinkSyntax,
    /// A full-width `：` between an entry's link and its description.
    EntrySeparator,
}

impl ImeSlip {
    /// The characters as typed, e.g. "`［` `］`".
    pub fn typed(&self, source: &str) -> String {
        self.replacements
            .iter()
            .map(|(s, _)| format!("`{}`", s.text(source).trim()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// One sentence saying what is wrong, and what to do.
    pub fn message(&self, source: &str) -> (String, String) {
        let typed = self.typed(source);
        match self.kind {
            SlipKind::LinkSyntax => (
                format!(
                    "full-width {typed} in link syntax (typed by a Chinese input method): `{}` is not a link",
                    self.span.text(source)
                ),
                format!(
                    "write `{}` with ASCII brackets and parentheses",
                    self.fixed(source)
                ),
            ),
            SlipKind::EntrySeparator => (
                format!(
                    "full-width {typed} between the entry's link and its description (typed by a Chinese input method)"
                ),
                "separate the link and the description with ` - `".into(),
            ),
        }
    }

    /// The text of [`ImeSlip::span`] with every replacement made.
    pub fn fixed(&self, source: &str) -> String {
        let mut out = String::new();
        let mut at = self.span.start;
        for (s, ascii) in &self.replacements {
            out.push_str(&source[at..s.start]);
            out.push_str(ascii);
            at = s.end;
        }
        out.push_str(&source[at..self.span.end]);
        out
    }
}

impl Document {
    /// Every input-method slip in the page's prose (code is not prose),
    /// ordered by position.
    pub fn ime_slips(&self) -> Vec<ImeSlip> {
        let src = self.source.as_str();
        let mut slips: Vec<ImeSlip> = Vec::new();
        let mut closers_seen: Vec<usize> = Vec::new();
        // A full-width opener: the link runs to the first closer on its line.
        for open in ["［", "【"] {
            for i in self.prose_matches(open) {
                if let Some(slip) = link_slip(src, i, None) {
                    closers_seen.push(slip.1);
                    slips.push(slip.0);
                }
            }
        }
        // A full-width closer after an ASCII `[`.
        for close in ["］", "】"] {
            for j in self.prose_matches(close) {
                if closers_seen.contains(&j) {
                    continue;
                }
                let line_start = src[..j].rfind('\n').map_or(0, |p| p + 1);
                let Some(i) = src[line_start..j].rfind('[').map(|p| line_start + p) else {
                    continue;
                };
                if let Some(slip) = link_slip(src, i, Some(j)) {
                    slips.push(slip.0);
                }
            }
        }
        // `[text]（target）`: brackets right, parentheses full-width.
        for j in self.prose_matches("]（") {
            if closers_seen.contains(&j)
                || slips.iter().any(|s| s.span.start <= j && j < s.span.end)
            {
                continue;
            }
            let line_start = src[..j].rfind('\n').map_or(0, |p| p + 1);
            let Some(i) = src[line_start..j].rfind('[').map(|p| line_start + p) else {
                continue;
            };
            if let Some(slip) = link_slip(src, i, Some(j)) {
                slips.push(slip.0);
            }
        }
        // `- [Name](url) ： 说明`.
        for e in &self.entries {
            let link = &self.links[e.link];
            if link.kind != LinkKind::Inline {
                continue;
            }
            let rest = &src[link.span.end..e.span.end.max(link.span.end)];
            let lead = rest.len() - rest.trim_start().len();
            if !rest[lead..].starts_with('：') {
                continue;
            }
            let after = lead + '：'.len_utf8();
            let trail = rest[after..].len() - rest[after..].trim_start().len();
            let span = Span::new(link.span.end, link.span.end + after + trail);
            slips.push(ImeSlip {
                span,
                kind: SlipKind::EntrySeparator,
                replacements: vec![(span, " - ")],
            });
        }
        slips.sort_by_key(|s| s.span.start);
        slips
    }
}

impl Document {
    /// The page's entry problems with the lines of `slips` left out: a
    /// problem on such a line exists only because of the slip, and a mixed
    /// list whose only ordinary bullets are slips is no problem of its own.
    pub fn entry_problems_beside_slips(&self, slips: &[ImeSlip]) -> Vec<EntryProblem> {
        let skip: Vec<usize> = slips.iter().map(|s| self.location(s.span).line).collect();
        self.entry_problems
            .iter()
            .filter_map(|p| match &p.kind {
                EntryProblemKind::MixedList {
                    entries,
                    bullet_lines,
                } => {
                    let rest: Vec<usize> = bullet_lines
                        .iter()
                        .copied()
                        .filter(|l| !skip.contains(l))
                        .collect();
                    (!rest.is_empty()).then(|| EntryProblem {
                        kind: EntryProblemKind::MixedList {
                            entries: *entries,
                            bullet_lines: rest,
                        },
                        ..p.clone()
                    })
                }
                _ => (!skip.contains(&self.location(p.span).line)).then(|| p.clone()),
            })
            .collect()
    }
}

/// The slip of a link opened at `i` (`[`, `［` or `【`) whose closer is at
/// `close` (or the first closer after `i` on the line), followed by `(` or
/// `（`; `None` when that is not link syntax or nothing is full-width. Also
/// returns the closer's offset.
fn link_slip(src: &str, i: usize, close: Option<usize>) -> Option<(ImeSlip, usize)> {
    let line_end = src[i..].find('\n').map_or(src.len(), |e| i + e);
    let opener = src[i..].chars().next()?;
    let inner_start = i + opener.len_utf8();
    let j = match close {
        Some(j) => j,
        None => inner_start + src[inner_start..line_end].find(CLOSERS)?,
    };
    let name = &src[inner_start..j];
    if name.trim().is_empty() || name.contains(OPENERS) || name.contains(CLOSERS) {
        return None;
    }
    let closer = src[j..].chars().next()?;
    let k = j + closer.len_utf8();
    let paren = src[k..line_end].chars().next()?;
    if paren != '(' && paren != '（' {
        return None;
    }
    let target_start = k + paren.len_utf8();
    let rest = &src[target_start..line_end];
    let target_len = rest.find([')', '）'])?;
    let target = &rest[..target_len];
    if target.trim().is_empty() || target.contains(char::is_whitespace) {
        return None;
    }
    let end_paren_at = target_start + target_len;
    let end_paren = src[end_paren_at..].chars().next()?;
    let mut replacements = Vec::new();
    let mut swap = |at: usize, c: char, ascii: &'static str| {
        if !c.is_ascii() {
            replacements.push((Span::new(at, at + c.len_utf8()), ascii));
        }
    };
    swap(i, opener, "[");
    swap(j, closer, "]");
    swap(k, paren, "(");
    swap(end_paren_at, end_paren, ")");
    if replacements.is_empty() {
        return None;
    }
    Some((
        ImeSlip {
            span: Span::new(i, end_paren_at + end_paren.len_utf8()),
            kind: SlipKind::LinkSyntax,
            replacements,
        },
        j,
    ))
}

#[cfg(test)]
mod tests {
    use crate::Document;

    fn fixed(md: &str) -> Vec<(String, String)> {
        let doc = Document::parse(md, &Default::default());
        doc.ime_slips()
            .iter()
            .map(|s| (s.span.text(md).to_string(), s.fixed(md)))
            .collect()
    }

    #[test]
    fn finds_each_slip_once_and_fixes_it() {
        let url = "https://github.com/nats-io/nats-server";
        for (typed, want) in [
            (format!("［NATS]({url})"), format!("[NATS]({url})")),
            (format!("［NATS］({url})"), format!("[NATS]({url})")),
            (format!("【NATS】({url})"), format!("[NATS]({url})")),
            (format!("[NATS］({url})"), format!("[NATS]({url})")),
            (format!("[NATS]（{url}）"), format!("[NATS]({url})")),
            (format!("【NATS】（{url}）"), format!("[NATS]({url})")),
        ] {
            let md = format!("- {typed} - 云原生消息系统。\n");
            assert_eq!(fixed(&md), [(typed.clone(), want)], "{md}");
        }
    }

    #[test]
    fn entry_separator_and_not_prose_or_code() {
        let md = "- [NATS](https://github.com/nats-io/nats-server) ： 云原生消息系统。\n- [Kafka](https://github.com/apache/kafka)：日志。\n";
        assert_eq!(
            fixed(md),
            [
                (" ： ".to_string(), " - ".to_string()),
                ("：".to_string(), " - ".to_string())
            ]
        );
        // Full-width brackets in prose that are not link syntax, and in code.
        for md in [
            "【注意】这不是链接。\n",
            "用 `［x](y)` 举例。\n",
            "```\n［x](https://a.b)\n```\n",
            "一个 ［ 符号，后面 ](没有目标 )。\n",
        ] {
            assert_eq!(fixed(md), [], "{md}");
        }
    }
}
