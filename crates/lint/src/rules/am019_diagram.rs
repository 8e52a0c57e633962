use archmanual_preprocessor_kit::ArchPreprocessor;
use mdbook_protocol::Protocol;

use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 时序图/协议图有错误（由 `mdbook-protocol` 检查，代码为 `PDnnn`）。
    ///
    /// ## 检查什么
    ///
    /// ```` ```protocol ```` 代码块和内容是 `sequenceDiagram` 的 ```` ```mermaid ```` 代码块，
    /// 用构建时同一个解析器检查：语法错误、语义错误（例如 mermaid 代码块里用了协议扩展）、
    /// 超出规模限制、不安全的值。报告沿用构建时的代码 `PD001`–`PD010`，位置是书中源文件的行列，
    /// 而不是图内的行列。
    ///
    /// ## 如何修复
    ///
    /// 按提示修改图的源码，语法见[协议图语法](diagrams.md)；用到协议扩展（丢失的消息、崩溃、
    /// 定时器等）时，把代码块语言从 `mermaid` 改成 `protocol`。
    pub(crate) struct Diagram {
        code: "AM019",
        name: "diagram",
        severity: Error,
    }
}

impl Rule for Diagram {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            for d in Protocol::check(file, &ch.doc, &cx.book.protocol, &()) {
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::Diagram);
    }
}
