//! SVG primitives: number formatting, text, arrowheads, activations, lifelines, participant
//! shapes and the diagram-scoped style sheet.

use std::fmt::Write as _;

use super::layout::{FIGURE_H, LINE_H, Layout};
use crate::ast::*;
use crate::safety::escape;

/// Number formatting: at most one decimal, no trailing `.0`.
pub(super) struct N(pub(super) f64);
impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = (self.0 * 10.0).round() / 10.0;
        let v = if v == 0.0 { 0.0 } else { v };
        if v.fract() == 0.0 {
            write!(f, "{}", v as i64)
        } else {
            write!(f, "{v:.1}")
        }
    }
}

pub(super) struct Svg {
    pub(super) back: String,
    pub(super) mid: String,
    pub(super) front: String,
    pub(super) minx: f64,
    pub(super) maxx: f64,
}

impl Svg {
    pub(super) fn ext(&mut self, a: f64, b: f64) {
        self.minx = self.minx.min(a.min(b));
        self.maxx = self.maxx.max(a.max(b));
    }
}

pub(super) fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, s: &str) {
    let _ = write!(out, "<text x=\"{}\" y=\"{}\"", N(x), N(y));
    if anchor != "start" {
        let _ = write!(out, " text-anchor=\"{anchor}\"");
    }
    if !class.is_empty() {
        let _ = write!(out, " class=\"{class}\"");
    }
    out.push('>');
    escape(s, out);
    out.push_str("</text>");
}

/// Draws lines of text whose block top is `top`.
pub(super) fn text_block(
    out: &mut String,
    x: f64,
    top: f64,
    anchor: &str,
    class: &str,
    lines: &[String],
) {
    for (i, l) in lines.iter().enumerate() {
        text(
            out,
            x,
            top + LINE_H * (i as f64 + 1.0) - 4.5,
            anchor,
            class,
            l,
        );
    }
}

pub(super) fn class_name(c: Option<Class>) -> &'static str {
    match c {
        Some(Class::Ok) => " ok",
        Some(Class::Fail) => " bad",
        Some(Class::Warn) => " warn",
        Some(Class::Dim) => " dim",
        None => "",
    }
}

pub(super) fn head(out: &mut String, h: Head, x: f64, y: f64, dir: f64, cls: &str) {
    // `dir` is +1 when the arrow points right.
    let b = x - dir * 10.0;
    match h {
        Head::None => {}
        Head::Filled => {
            let _ = write!(
                out,
                "<path class=\"hd{cls}\" d=\"M{} {}L{} {}L{} {}Z\"/>",
                N(x),
                N(y),
                N(b),
                N(y - 4.5),
                N(b),
                N(y + 4.5)
            );
        }
        Head::Open => {
            let _ = write!(
                out,
                "<path class=\"ln{cls}\" d=\"M{} {}L{} {}L{} {}\"/>",
                N(b),
                N(y - 5.0),
                N(x),
                N(y),
                N(b),
                N(y + 5.0)
            );
        }
        Head::Cross => {
            let c = x - dir * 5.0;
            let _ = write!(
                out,
                "<path class=\"ln{cls}\" stroke-width=\"2\" d=\"M{} {}L{} {}M{} {}L{} {}\"/>",
                N(c - 4.0),
                N(y - 4.0),
                N(c + 4.0),
                N(y + 4.0),
                N(c - 4.0),
                N(y + 4.0),
                N(c + 4.0),
                N(y - 4.0)
            );
        }
        Head::HalfTop | Head::HalfBottom => {
            let s = if h == Head::HalfTop { -1.0 } else { 1.0 };
            let _ = write!(
                out,
                "<path class=\"hd{cls}\" d=\"M{} {}L{} {}L{} {}Z\"/>",
                N(x),
                N(y),
                N(b),
                N(y + s * 5.0),
                N(b),
                N(y)
            );
        }
        Head::StickTop | Head::StickBottom => {
            let s = if h == Head::StickTop { -1.0 } else { 1.0 };
            let _ = write!(
                out,
                "<path class=\"ln{cls}\" d=\"M{} {}L{} {}\"/>",
                N(x),
                N(y),
                N(b),
                N(y + s * 6.0)
            );
        }
    }
}

pub(super) fn line(out: &mut String, x0: f64, y0: f64, x1: f64, y1: f64, class: &str) {
    let _ = write!(
        out,
        "<path class=\"{class}\" d=\"M{} {}L{} {}\"/>",
        N(x0),
        N(y0),
        N(x1),
        N(y1)
    );
}

pub(super) fn lines_h(lines: &[String]) -> f64 {
    lines.len() as f64 * LINE_H
}

pub(super) fn activation(out: &mut String, x: f64, level: usize, y0: f64, y1: f64) {
    let ax = x - 5.0 + 4.0 * level as f64;
    let _ = write!(
        out,
        "<rect class=\"act\" x=\"{}\" y=\"{}\" width=\"10\" height=\"{}\"/>",
        N(ax),
        N(y0),
        N((y1 - y0).max(4.0))
    );
}

pub(super) fn lifeline(
    out: &mut String,
    x: f64,
    y0: f64,
    y1: f64,
    dashed: &[(f64, f64)],
    gaps: &[(f64, f64)],
) {
    // Breakpoints where the style changes.
    let mut cuts: Vec<f64> = vec![y0, y1];
    for (a, b) in dashed.iter().chain(gaps) {
        cuts.push(a.clamp(y0, y1));
        cuts.push(b.clamp(y0, y1));
    }
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b - a < 0.5 {
            continue;
        }
        let mid = (a + b) / 2.0;
        let cls = if gaps.iter().any(|(g0, g1)| *g0 <= mid && mid <= *g1) {
            "ll gap"
        } else if dashed.iter().any(|(g0, g1)| *g0 <= mid && mid <= *g1) {
            "ll down"
        } else {
            "ll"
        };
        line(out, x, a, x, b, cls);
    }
}

pub(super) fn draw_actor(out: &mut String, lay: &Layout<'_>, p: usize, top: f64) {
    let part = &lay.d.participants[p];
    let (x, w, h) = (lay.x[p], lay.w[p], lay.actor_h[p]);
    let lines = &lay.plabels[p];
    let link = part.links.first();
    let label_top = match part.shape {
        Shape::Actor | Shape::Boundary | Shape::Control | Shape::Entity => {
            draw_figure(out, part.shape, x, top);
            top + FIGURE_H + 2.0
        }
        shape => draw_box(out, shape, (x, w, h), top, lines),
    };
    if let Some((_, url)) = link {
        out.push_str("<a href=\"");
        escape(url, out);
        out.push_str("\" rel=\"noopener\">");
    }
    text_block(out, x, label_top, "middle", "an", lines);
    if link.is_some() {
        out.push_str("</a>");
    }
}

/// An actor drawn as a box (participant, database, queue, collections) at
/// centre `x`, width `w`, height `h`; returns the top of its label.
fn draw_box(
    out: &mut String,
    shape: Shape,
    (x, w, h): (f64, f64, f64),
    top: f64,
    lines: &[String],
) -> f64 {
    match shape {
        Shape::Participant => {
            let _ = write!(
                out,
                "<rect class=\"ac\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>",
                N(x - w / 2.0),
                N(top),
                N(w),
                N(h)
            );
            top + (h - lines_h(lines)) / 2.0
        }
        Shape::Database => {
            let (l, r) = (x - w / 2.0, x + w / 2.0);
            let _ = write!(
                out,
                "<path class=\"ac\" d=\"M{l} {t}A{rx} 6 0 0 1 {r} {t}V{b}A{rx} 6 0 0 1 {l} {b}Z\"/><path class=\"ac\" d=\"M{l} {t}A{rx} 6 0 0 0 {r} {t}\"/>",
                l = N(l),
                r = N(r),
                t = N(top + 6.0),
                b = N(top + h - 6.0),
                rx = N(w / 2.0)
            );
            top + 6.0 + (h - 6.0 - lines_h(lines)) / 2.0
        }
        Shape::Queue => {
            let _ = write!(
                out,
                "<rect class=\"ac\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/><path class=\"ac\" d=\"M{} {}a8 {} 0 0 0 0 {}\"/>",
                N(x - w / 2.0),
                N(top),
                N(w),
                N(h),
                N(h / 2.0),
                N(x + w / 2.0 - 10.0),
                N(top),
                N(h / 2.0),
                N(h)
            );
            top + (h - lines_h(lines)) / 2.0
        }
        Shape::Collections => {
            let _ = write!(
                out,
                "<rect class=\"ac\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/><rect class=\"ac\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                N(x - w / 2.0 + 4.0),
                N(top - 4.0),
                N(w),
                N(h),
                N(x - w / 2.0),
                N(top),
                N(w),
                N(h)
            );
            top + (h - lines_h(lines)) / 2.0
        }
        Shape::Actor | Shape::Boundary | Shape::Control | Shape::Entity => {
            draw_figure(out, shape, x, top);
            top + FIGURE_H + 2.0
        }
    }
}

/// An actor drawn as a figure (actor, boundary, control, entity) at centre `x`.
fn draw_figure(out: &mut String, shape: Shape, x: f64, top: f64) {
    match shape {
        Shape::Actor => {
            let c = top + 7.0;
            let _ = write!(
                out,
                "<circle class=\"fig\" cx=\"{}\" cy=\"{}\" r=\"6\"/><path class=\"fig\" d=\"M{} {}V{}M{} {}H{}M{} {}L{} {}L{} {}\"/>",
                N(x),
                N(c),
                N(x),
                N(c + 6.0),
                N(c + 18.0),
                N(x - 9.0),
                N(c + 10.0),
                N(x + 9.0),
                N(x - 8.0),
                N(c + 27.0),
                N(x),
                N(c + 18.0),
                N(x + 8.0),
                N(c + 27.0)
            );
        }
        Shape::Boundary => {
            let c = top + 14.0;
            let _ = write!(
                out,
                "<circle class=\"fig\" cx=\"{}\" cy=\"{}\" r=\"12\"/><path class=\"fig\" d=\"M{} {}V{}M{} {}H{}\"/>",
                N(x + 4.0),
                N(c),
                N(x - 16.0),
                N(c - 10.0),
                N(c + 10.0),
                N(x - 16.0),
                N(c),
                N(x - 8.0)
            );
        }
        Shape::Control => {
            let c = top + 15.0;
            let _ = write!(
                out,
                "<circle class=\"fig\" cx=\"{}\" cy=\"{}\" r=\"12\"/><path class=\"fig\" d=\"M{} {}l6 -4M{} {}l6 4\"/>",
                N(x),
                N(c),
                N(x - 2.0),
                N(c - 12.0),
                N(x - 2.0),
                N(c - 12.0)
            );
        }
        Shape::Entity => {
            let c = top + 13.0;
            let _ = write!(
                out,
                "<circle class=\"fig\" cx=\"{}\" cy=\"{}\" r=\"12\"/><path class=\"fig\" d=\"M{} {}H{}\"/>",
                N(x),
                N(c),
                N(x - 12.0),
                N(c + 14.0),
                N(x + 12.0)
            );
        }
        Shape::Participant | Shape::Database | Shape::Queue | Shape::Collections => {}
    }
}

pub(super) fn style(out: &mut String, sc: &str) {
    // Only generated text goes in here: the scope is hex, everything else is constant.
    let _ = write!(
        out,
        ".{sc}{{color:var(--fg,#000)}}\
.{sc} text{{fill:currentColor;stroke:none;font-size:14px;font-family:inherit}}\
.{sc} .ln,.{sc} .fr,.{sc} .dv{{stroke:currentColor;fill:none;stroke-width:1.3}}\
.{sc} .dt{{stroke-dasharray:4 3}}\
.{sc} .hd{{fill:currentColor;stroke:currentColor}}\
.{sc} .ll{{stroke:var(--icons,#747474);stroke-width:1;fill:none}}\
.{sc} .ll.down{{stroke:var(--blockquote-caution-color,#b52731);stroke-dasharray:2 4;opacity:.8}}\
.{sc} .ll.gap{{stroke-dasharray:1 5}}\
.{sc} .ac{{fill:var(--quote-bg,#eef5f9);stroke:var(--quote-border,#9fb7c7)}}\
.{sc} .fig{{fill:var(--quote-bg,#eef5f9);stroke:currentColor;stroke-width:1.5}}\
.{sc} .nt{{fill:var(--table-alternate-bg,#f6f6f6);stroke:var(--icons,#747474)}}\
.{sc} .st{{fill:var(--quote-bg,#eef5f9);stroke:currentColor}}\
.{sc} .rf{{fill:var(--bg,#fff);stroke:currentColor}}\
.{sc} .fr{{stroke:var(--icons,#747474)}}\
.{sc} .sep{{stroke-dasharray:5 4}}\
.{sc} .tab{{fill:var(--table-header-bg,#e8e8e8);stroke:var(--icons,#747474)}}\
.{sc} .kw{{font-size:12px;font-weight:600}}\
.{sc} .cond{{font-size:13px;font-style:italic}}\
.{sc} .act{{fill:var(--table-header-bg,#e8e8e8);stroke:currentColor}}\
.{sc} .bx{{stroke:var(--icons,#747474);stroke-dasharray:2 2}}\
.{sc} .lb{{paint-order:stroke;stroke:var(--bg,#fff);stroke-width:4px;stroke-linejoin:round}}\
.{sc} .sq{{fill:currentColor;stroke:none}}\
.{sc} text.sqt{{fill:var(--bg,#fff);font-size:10px;font-weight:700}}\
.{sc} .cc{{fill:var(--bg,#fff);stroke:currentColor}}\
.{sc} .bad{{stroke:var(--blockquote-caution-color,#b52731)}}\
.{sc} text.bad{{fill:var(--blockquote-caution-color,#b52731)}}\
.{sc} .hd.bad{{fill:var(--blockquote-caution-color,#b52731)}}\
.{sc} .warn,.{sc} .clk{{stroke:var(--blockquote-warning-color,#9a6700)}}\
.{sc} text.warn{{fill:var(--blockquote-warning-color,#9a6700)}}\
.{sc} .hd.warn,.{sc} .hg{{fill:var(--blockquote-warning-color,#9a6700);stroke:var(--blockquote-warning-color,#9a6700)}}\
.{sc} .clk{{fill:var(--bg,#fff);stroke-width:1.5}}\
.{sc} .ok,.{sc} .okbox{{stroke:var(--blockquote-tip-color,#1a7f37)}}\
.{sc} .okbox{{fill:var(--blockquote-tip-color,#1a7f37)}}\
.{sc} text.ok{{fill:var(--blockquote-tip-color,#1a7f37)}}\
.{sc} .hd.ok{{fill:var(--blockquote-tip-color,#1a7f37)}}\
.{sc} .dim{{opacity:.5}}\
.{sc} .lostrest{{stroke:currentColor;stroke-dasharray:2 4;opacity:.45}}\
.{sc} .pt{{stroke:var(--blockquote-caution-color,#b52731);fill:none}}\
.{sc} .dvb{{fill:var(--bg,#fff);stroke:currentColor}}\
.{sc} .gapt{{font-style:italic}}\
.{sc} .ttl{{font-size:17px;font-weight:600}}\
.{sc} text.bad,.{sc} text.warn,.{sc} text.ok{{stroke:none}}\
.{sc} text.lb{{stroke:var(--bg,#fff)}}\
.{sc} a text{{fill:var(--links,#20609f);text-decoration:underline}}\
.coal .{sc} .ur,.navy .{sc} .ur,.ayu .{sc} .ur{{fill-opacity:.22}}\
@media print{{.{sc}{{color:#000!important}}.{sc} .ac,.{sc} .nt,.{sc} .st,.{sc} .fig,.{sc} .tab,.{sc} .act{{fill:#fff!important}}.{sc} .lb{{stroke:#fff!important}}.{sc} .ll{{stroke:#555!important}}.{sc} .ur{{fill-opacity:.3}}}}"
    );
}
