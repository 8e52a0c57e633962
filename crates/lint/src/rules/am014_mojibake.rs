use archmanual_model::Span;

use crate::text::{find_mojibake, find_percent_gbk, has_lossy_leftover};
use crate::{Context, Fix, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 乱码：文件不是 UTF-8，UTF-8 被当成 Latin-1/cp1252 读取，或网址里用了 GBK 百分号编码。
    ///
    /// ## 检查什么
    ///
    /// - 页面文件本身不是 UTF-8（例如用 GBK 保存）：报告第一个非法字节的行列，并说明文件看起来是哪种编码；
    ///   这样的页面按空页面继续检查，构建会以同样的位置失败；
    /// - 像 `åˆ†å¸ƒå¼` 这样的字符串：按 cp1252 还原成字节后恰好是合法的 UTF-8（这里是“分布式”），
    ///   说明文字被错误地转过一次编码；单独的 `é`、`—` 不会被误报；
    /// - 替换字符 `�`（U+FFFD），说明某次解码已经丢了数据；
    /// - 百分号编码的 GBK，例如 `%D6%D0%CE%C4`（“中文”的 GBK 编码）：浏览器按 UTF-8 解读，链接会失效。
    ///
    /// 代码块和行内代码不检查。
    ///
    /// ## 如何修复
    ///
    /// 不是 UTF-8 的文件按提示用 `iconv` 转成 UTF-8 保存。
    /// 乱码字符串 `--fix` 会还原成正确的文字（如果转码时丢了字节——cp1252 无法表示 0x81、0x8D、0x8F、0x90、0x9D——
    /// 就只能对照原文手工恢复）；`�` 需要对照原始资料手工恢复；GBK 编码的网址改用
    /// UTF-8 编码（或直接写中文）。
    pub(crate) struct Mojibake {
        code: "AM014",
        name: "mojibake",
        severity: Error,
    }
}

impl Rule for Mojibake {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for e in &cx.book.encoding_errors {
            let d = out.file(&e.path, e.message());
            d.location = Some(e.location());
            d.help = Some(e.help());
        }
        for (file, ch) in cx.sources() {
            let src = ch.doc.source.as_str();
            // Mojibake starts with a Latin-1 lead character (Â..ô, UTF-8
            // `C3 xx`); most pages have none, nor `�` or `%`: skip them whole.
            let latin1 = memchr::memchr(0xC3, src.as_bytes()).is_some();
            let replacement = memchr::memmem::find(src.as_bytes(), "\u{FFFD}".as_bytes()).is_some();
            if !latin1 && !replacement && memchr::memchr(b'%', src.as_bytes()).is_none() {
                continue;
            }
            let mut line_start = 0;
            for line in src.split_inclusive('\n') {
                let suspicious = latin1 && line.chars().any(|c| ('\u{c2}'..='\u{f4}').contains(&c));
                let found: Vec<_> = if suspicious {
                    find_mojibake(line)
                } else {
                    Vec::new()
                }
                .into_iter()
                .filter(|m| !ch.doc.in_code(line_start + m.start))
                .collect();
                if let (Some(first), Some(last)) = (found.first(), found.last()) {
                    // One finding per line; the fix repairs every run on it
                    // and keeps the text in between.
                    let mut repaired = String::new();
                    let mut at = first.start;
                    for m in &found {
                        repaired.push_str(&line[at..m.start]);
                        repaired.push_str(&m.repaired);
                        at = m.end;
                    }
                    let span = Span::new(line_start + first.start, line_start + last.end);
                    let shown: String = repaired.chars().take(40).collect();
                    // Bytes cp1252 cannot show (0x81, 0x8D, 0x8F, 0x90, 0x9D) are often
                    // dropped on the way: then some characters cannot be recovered.
                    let lossy = has_lossy_leftover(line, &found);
                    let d = out.at(
                        file,
                        ch,
                        span,
                        format!("mojibake: UTF-8 text decoded as cp1252 (it reads `{shown}`)"),
                    );
                    if lossy {
                        d.help = Some(
                            "some bytes were lost, so this cannot be repaired automatically; retype the text from the original source".into(),
                        );
                    } else {
                        d.help = Some("re-decode the text as UTF-8".into());
                        d.fix = Some(Fix {
                            message: "decode as UTF-8".into(),
                            start: span.start,
                            end: span.end,
                            replacement: repaired,
                        });
                    }
                }
                let searched = if replacement { line } else { "" };
                for (i, m) in searched.match_indices('\u{FFFD}') {
                    if !ch.doc.in_code(line_start + i) {
                        out.at(
                            file,
                            ch,
                            Span::new(line_start + i, line_start + i + m.len()),
                            "replacement character `\u{FFFD}`: text was lost in a bad decoding",
                        )
                        .help =
                            Some("restore the original characters from the source material".into());
                    }
                }
                let gbk = if line.contains('%') {
                    find_percent_gbk(line)
                } else {
                    Vec::new()
                };
                for (s, e) in gbk {
                    if ch.doc.in_code(line_start + s) {
                        continue;
                    }
                    out.at(
                        file,
                        ch,
                        Span::new(line_start + s, line_start + e),
                        format!("`{}` is percent-encoded GBK, not UTF-8", &line[s..e]),
                    )
                    .help = Some(
                        "percent-encode the UTF-8 bytes instead (or write the characters directly)"
                            .into(),
                    );
                }
                line_start += line.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::Mojibake);
    }
}
