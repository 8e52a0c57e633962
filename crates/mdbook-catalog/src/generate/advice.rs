//! The advice a category page gives: the first sentence under `## 选型建议`.

use archmanual_model::Document;
use mdbook_markdown::pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

/// The first sentence of the first paragraph or list item under the page's
/// `## 选型建议` heading (tables are skipped): the advice the index shows.
/// The page is read with the book's Markdown options, as mdBook renders it.
pub(super) fn selection_sentence(doc: &Document) -> Option<String> {
    let mut in_section = false;
    let mut in_heading = false;
    let mut heading_text = String::new();
    let mut depth = 0usize; // nesting of tables, code blocks and headings to skip
    let mut block: Option<String> = None;
    for ev in doc.markdown_events() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some(b) = block.take().filter(|b| !b.trim().is_empty()) {
                    return first_sentence(&b);
                }
                if in_section && level <= HeadingLevel::H2 {
                    return None;
                }
                in_heading = level == HeadingLevel::H2;
                heading_text.clear();
            }
            Event::End(TagEnd::Heading(_)) if in_heading => {
                in_heading = false;
                in_section = heading_text.trim() == "选型建议";
            }
            Event::Text(t) | Event::Code(t) if in_heading => heading_text.push_str(&t),
            _ if !in_section => {}
            Event::Start(Tag::Table(_) | Tag::CodeBlock(_) | Tag::HtmlBlock) => depth += 1,
            Event::End(TagEnd::Table | TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                depth = depth.saturating_sub(1)
            }
            _ if depth > 0 => {}
            Event::Start(Tag::Paragraph | Tag::Item) if block.is_none() => {
                block = Some(String::new())
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(b) = block.as_mut() {
                    b.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = block.as_mut() {
                    b.push(' ');
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                if let Some(b) = block.take().filter(|b| !b.trim().is_empty()) {
                    return first_sentence(&b);
                }
            }
            _ => {}
        }
    }
    None
}

/// Up to and including the first `。！？` (or `. `), else the whole text.
fn first_sentence(text: &str) -> Option<String> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '。' | '！' | '？') || (*c == '.' && t[i + 1..].starts_with(' '))
        })
        .map_or(t.len(), |(i, c)| i + c.len_utf8());
    let s = t[..end].trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use archmanual_model::ParseOptions;

    #[test]
    fn reads_the_page_with_the_books_options() {
        let src = "# 消息队列\n\n## 选型建议\n\n- 日志选 \"Kafka\"。其余随意。\n";
        let smart = Document::parse(src, &ParseOptions::default());
        assert_eq!(
            selection_sentence(&smart).as_deref(),
            Some("日志选 “Kafka”。")
        );
        let plain = ParseOptions {
            smart_punctuation: false,
            ..ParseOptions::default()
        };
        assert_eq!(
            selection_sentence(&Document::parse(src, &plain)).as_deref(),
            Some("日志选 \"Kafka\"。")
        );
    }
}
