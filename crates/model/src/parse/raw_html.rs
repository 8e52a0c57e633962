//! Raw HTML: its spans, the comments in it, and the `id`/`name` anchors and
//! `href`/`src` links written in its tags.

use super::Walker;
use crate::html::{scan_attributes, text_content};
use crate::span::Span;
use crate::{Anchor, Link, LinkKind};

impl Walker<'_> {
    /// An HTML block line or inline tag at `span`, with text `h`.
    pub(super) fn raw_html(&mut self, h: &str, span: Span) {
        match self.html.last_mut() {
            Some(last) if last.end >= span.start => last.end = last.end.max(span.end),
            _ => self.html.push(span),
        }
        if let Some(head) = self.open_heading.as_mut()
            && self.open_links.iter().all(|l| !self.links[l.index].image)
        {
            head.text.push_str(&text_content(h));
        }
        // Event text may be a slice of the source or not (HTML blocks
        // arrive line by line); map by searching the source range, once per
        // event: an inline SVG is one line with thousands of attributes.
        let mut base = None;
        for attr in scan_attributes(h) {
            let base = *base.get_or_insert_with(|| {
                span.start + self.source[span.start..span.end].find(h).unwrap_or(0)
            });
            let value_span = Span::new(base + attr.value_span.start, base + attr.value_span.end);
            let tag_span = Span::new(base + attr.tag_span.start, base + attr.tag_span.end);
            match attr.name.as_str() {
                "id" | "name" if !attr.value.is_empty() => self.anchors.push(Anchor {
                    id: attr.value.clone(),
                    tag: attr.tag.clone(),
                    span: value_span,
                }),
                "href" | "src" => self.links.push(Link {
                    kind: if attr.name == "href" {
                        LinkKind::HtmlHref
                    } else {
                        LinkKind::HtmlSrc
                    },
                    image: attr.tag == "img",
                    dest: attr.value.clone(),
                    title: String::new(),
                    text: String::new(),
                    span: tag_span,
                    dest_span: Some(value_span),
                    in_heading: self.open_heading.is_some(),
                }),
                _ => {}
            }
        }
    }
}

/// `<!-- … -->` inside the raw-HTML spans (an unclosed comment runs to the
/// end of its HTML block, as in the browser).
pub(super) fn comments_in(source: &str, html: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for h in html {
        let text = h.text(source);
        let mut i = 0;
        while let Some(open) = text[i..].find("<!--") {
            let open = i + open;
            let end = text[open + 4..]
                .find("-->")
                .map_or(text.len(), |e| open + 4 + e + 3);
            out.push(Span::new(h.start + open, h.start + end));
            i = end;
        }
    }
    out
}
