//! Markdown as events: small builders for the blocks generated pages use,
//! and the serialiser.

use mdbook_markdown::pulldown_cmark::{
    Alignment, CowStr, Event, HeadingLevel, LinkType, Options, Tag, TagEnd,
};

/// The events of a page being generated.
pub(super) type Events = Vec<Event<'static>>;

/// Escapes `text` for use inside generated Markdown (as pulldown-cmark-to-cmark does).
pub fn escape_text(text: &str) -> String {
    render(&[Event::Text(CowStr::from(text.to_string()))])
}

pub(super) fn text(ev: &mut Events, t: &str) {
    ev.push(Event::Text(CowStr::from(t.to_string())));
}

pub(super) fn heading(ev: &mut Events, level: HeadingLevel, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::Start(Tag::Heading {
        level,
        id: None,
        classes: Vec::new(),
        attrs: Vec::new(),
    }));
    inner(ev);
    ev.push(Event::End(TagEnd::Heading(level)));
}

/// Text that breaks only at spaces: CJK names stay whole (`配置中心` never
/// becomes `配置中` / `心`), yet a long name with spaces can still wrap, so
/// on a phone the column beside it keeps its room (`nowrap` did not).
pub(super) fn keep_words(ev: &mut Events, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::InlineHtml(CowStr::from(
        r#"<span style="word-break: keep-all">"#,
    )));
    inner(ev);
    ev.push(Event::InlineHtml(CowStr::from("</span>")));
}

pub(super) fn paragraph(ev: &mut Events, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::Start(Tag::Paragraph));
    inner(ev);
    ev.push(Event::End(TagEnd::Paragraph));
}

pub(super) fn link(ev: &mut Events, dest: &str, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::Start(Tag::Link {
        link_type: LinkType::Inline,
        dest_url: CowStr::from(dest.to_string()),
        title: CowStr::from(""),
        id: CowStr::from(""),
    }));
    inner(ev);
    ev.push(Event::End(TagEnd::Link));
}

pub(super) fn table(
    ev: &mut Events,
    header: &[&str],
    rows: usize,
    mut row: impl FnMut(&mut Events, usize),
) {
    ev.push(Event::Start(Tag::Table(vec![
        Alignment::None;
        header.len()
    ])));
    ev.push(Event::Start(Tag::TableHead));
    for h in header {
        cell(ev, |ev| keep_words(ev, |ev| text(ev, h)));
    }
    ev.push(Event::End(TagEnd::TableHead));
    for r in 0..rows {
        ev.push(Event::Start(Tag::TableRow));
        row(ev, r);
        ev.push(Event::End(TagEnd::TableRow));
    }
    ev.push(Event::End(TagEnd::Table));
}

pub(super) fn cell(ev: &mut Events, inner: impl FnOnce(&mut Events)) {
    ev.push(Event::Start(Tag::TableCell));
    inner(ev);
    ev.push(Event::End(TagEnd::TableCell));
}

/// The parser options the serialiser must assume: the ones mdBook parses with.
pub(super) fn parser_options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_FOOTNOTES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o.insert(Options::ENABLE_TASKLISTS);
    o.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    o.insert(Options::ENABLE_SMART_PUNCTUATION);
    o.insert(Options::ENABLE_DEFINITION_LIST);
    o.insert(Options::ENABLE_GFM);
    o
}

pub(super) fn render(ev: &[Event<'_>]) -> String {
    let mut out = String::new();
    // Serialising a well-formed event list into a String cannot fail.
    if pulldown_cmark_to_cmark::cmark(ev.iter(), &mut out, parser_options()).is_err() {
        out.clear();
    }
    out.push('\n');
    out
}
