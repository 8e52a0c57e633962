use archmanual_model::{ChapterModel, Entry, Heading};

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 标为商业、托管服务或源码可见的条目放在了写着“开源”的标题下（或者反过来：开源标题下的条目说明自己是闭源、托管服务，却没有标出来）。
    ///
    /// ## 检查什么
    ///
    /// 不是开源软件的条目用 `标签:` 字段标出：`商业`（闭源或只以商业许可发行的软件和模型）、
    /// `托管服务`（只能作为云服务使用）、`源码可见`（SSPL、BSL、FSL、Elastic License 这类
    /// 公开源码但不是 OSI 认可的开源许可）。规则对每个条目找出它所在的各级标题
    /// （`##`、`###` 等，只看包含它的那一串），有任何一级标题的文字含有“开源”（不含“非开源”“闭源”）时：
    ///
    /// - 条目带有上面三个标签之一，就报告，因为标题对读者说了假话；
    /// - 条目没有这三个标签，但说明里写着“闭源”“托管服务”“全托管”“源码可见”“商业化”或
    ///   “商业”（“商业双许可”“商业许可”“商业支持”“商业友好”这类开源项目常见的说法除外），
    ///   也报告，提醒补上标签。
    ///
    /// ## 如何修复
    ///
    /// 把这类条目移到不写“开源”的标题下：整页混有开源和非开源方案时，把 `## 开源项目` 改为
    /// `## 常见方案`；也可以单独建一个 `### 商业与托管服务` 分组放在 `## 常见方案` 下。
    /// 说明里写了“商业”“托管服务”的条目补上对应的 `标签:`。项目其实是开源的，就删掉标签、改写说明。
    pub(crate) struct LicenceHeading {
        code: "AM022",
        name: "licence-heading",
        severity: Error,
    }
}

/// The tags that mark an entry as not open source.
const NOT_OPEN_SOURCE_TAGS: [&str; 3] = ["商业", "托管服务", "源码可见"];

/// Words in a description that say the project is not open source.
const NOT_OPEN_SOURCE_WORDS: [&str; 6] =
    ["闭源", "托管服务", "全托管", "源码可见", "商业化", "商业"];

/// Phrases with 商业 that open-source projects use about themselves
/// (dual licensing, paid support); removed before looking for 商业.
const OPEN_SOURCE_PHRASES: [&str; 4] = ["商业双许可", "商业许可", "商业支持", "商业友好"];

impl Rule for LicenceHeading {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            for e in &ch.doc.entries {
                let Some(heading) = open_heading(&ch.doc.headings, e.span.start) else {
                    continue;
                };
                let line = ch.doc.line_col(heading.span.start).0;
                if let Some(tag) = marking(e) {
                    out.at(
                        file,
                        ch,
                        e.name_span,
                        format!(
                            "`{}` is tagged `{tag}` but sits under the heading `{}` (line {line}), which says it is open source",
                            e.name, heading.text
                        ),
                    )
                    .help = Some(
                        "move the entry under a heading that does not say 开源 (for a page that mixes both, rename `## 开源项目` to `## 常见方案`), or drop the tag if the project is open source"
                            .into(),
                    );
                } else if let Some(word) = says_not_open_source(&e.description) {
                    report_unmarked(out, file, ch, e, word, heading, line);
                }
            }
        }
    }
}

fn report_unmarked(
    out: &mut Reporter<'_>,
    file: &std::path::Path,
    ch: &ChapterModel,
    e: &Entry,
    word: &str,
    heading: &Heading,
    line: usize,
) {
    out.at(
        file,
        ch,
        e.name_span,
        format!(
            "the description of `{}` says `{word}` but the entry sits under the heading `{}` (line {line}) and has no licence tag",
            e.name, heading.text
        ),
    )
    .help = Some(
        "add `  - 标签: 商业` (or `托管服务`, `源码可见`) under the entry and move it out of the 开源 heading; if the project is open source, reword the description"
            .into(),
    );
}

/// The entry's not-open-source tag, if it has one.
fn marking(e: &Entry) -> Option<&'static str> {
    NOT_OPEN_SOURCE_TAGS
        .into_iter()
        .find(|t| e.tags.iter().any(|tag| tag.trim() == *t))
}

/// The first word of the description that says the project is not open source.
fn says_not_open_source(description: &str) -> Option<&'static str> {
    let mut text = description.to_owned();
    for phrase in OPEN_SOURCE_PHRASES {
        text = text.replace(phrase, "");
    }
    NOT_OPEN_SOURCE_WORDS.into_iter().find(|w| text.contains(w))
}

/// The nearest heading that encloses `offset` and says 开源: the headings
/// above it, each replacing those of its level and deeper.
fn open_heading(headings: &[Heading], offset: usize) -> Option<&Heading> {
    let mut chain: Vec<&Heading> = Vec::new();
    for h in headings
        .iter()
        .filter(|h| h.level >= 1 && h.span.start < offset)
    {
        while chain.last().is_some_and(|top| top.level >= h.level) {
            chain.pop();
        }
        chain.push(h);
    }
    chain.into_iter().rev().find(|h| says_open_source(&h.text))
}

fn says_open_source(heading: &str) -> bool {
    heading.contains("开源") && !heading.contains("非开源") && !heading.contains("闭源")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::LicenceHeading);
    }

    #[test]
    fn dual_licensing_is_not_a_marking() {
        assert_eq!(says_not_open_source("采用 GPL 与商业双许可。"), None);
        assert_eq!(says_not_open_source("提供商业支持的开源数据库。"), None);
        assert_eq!(
            says_not_open_source("源码可见但商用需购买许可。"),
            Some("源码可见")
        );
        assert_eq!(says_not_open_source("甲骨文的商业数据库。"), Some("商业"));
    }

    #[test]
    fn heading_words() {
        assert!(says_open_source("开源项目"));
        assert!(!says_open_source("非开源方案"));
        assert!(!says_open_source("闭源模型与开源模型"));
        assert!(!says_open_source("常见方案"));
    }
}
