//! Layout and SVG output. Everything is drawn with plain shapes (arrowheads are polygons), so
//! there are no ids and no `url(#…)` references; colours come from a diagram-scoped `<style>`
//! that reads mdBook's theme variables, with presentation-attribute fallbacks.
//!
//! [`render`] lays the participants out horizontally ([`layout`]), then walks the events top
//! to bottom with a [`Renderer`], one method per event kind: Mermaid's own statements in
//! [`mermaid`], our protocol extensions in [`protocol`]. [`svg`] holds the drawing primitives.

mod layout;
mod mermaid;
mod protocol;
mod svg;

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::ast::*;
use crate::safety::escape;
use layout::{LINE_H, Layout, MARGIN, block_width, layout_x, lines_for};
use mermaid::Frame;
use protocol::{Sent, draw_partition, slanted};
use svg::{N, Svg, activation, draw_actor, lifeline, style, text_block};

/// Options for one rendered diagram.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Seed for the diagram's CSS scope class, e.g. `"theory/raft.md#2"`; the source is
    /// hashed in too, so output is deterministic and unique per diagram.
    pub seed: String,
}

/// FNV-1a, 64 bit: a stable hash for scope classes (std's hasher is not stable across releases).
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Renders a checked diagram to a self-contained SVG string (one line, no blank lines).
pub fn render(d: &Diagram, opts: &RenderOptions) -> String {
    let lay = layout_x(d);
    let mut r = Renderer::new(d, &lay, opts);
    for (ei, ev) in d.events.iter().enumerate() {
        r.event(ev, &lay.ev_lines[ei]);
    }
    r.finish()
}

/// A horizontal extent `(left, right)` that an event drew; frames around it grow to fit.
type Extent = Option<(f64, f64)>;

/// The state of one rendering pass, top to bottom. `cur` is the y where the next row starts.
struct Renderer<'a> {
    d: &'a Diagram,
    lay: &'a Layout<'a>,
    n: usize,
    scope: String,
    s: Svg,
    title_lines: Vec<String>,
    title_at: f64,
    boxes_top: f64,
    cur: f64,
    /// Where each lifeline starts (below its actor box) and, if destroyed, ends.
    life_start: Vec<f64>,
    life_end: Vec<Option<f64>>,
    /// Start y of each open activation, per participant (innermost last).
    active: Vec<Vec<f64>>,
    /// Where a crashed participant crashed; its lifeline is dashed from there.
    crash_at: Vec<Option<f64>>,
    dashed: Vec<Vec<(f64, f64)>>,
    /// Time gaps (`...`), drawn on every lifeline.
    gaps: Vec<(f64, f64)>,
    /// Open fragments (loop, alt, rect, brace, …), innermost last.
    frames: Vec<Frame>,
    /// Running timers: where the hourglass was drawn.
    timers: HashMap<(usize, &'a str), f64>,
    /// The partition in effect: barrier x, top y, label.
    partition: Option<(f64, f64, Vec<String>)>,
    /// Autonumbering: next number and step.
    autonum: Option<(f64, f64)>,
    pending_create: Option<usize>,
    pending_destroy: Option<usize>,
    /// Messages sent with `@{id}`, waiting for `deliver`.
    sent: HashMap<&'a str, Sent>,
    /// Messages sent with `@{delay: k}`: rows left, message.
    delayed: Vec<(u32, Sent)>,
    /// The y of the last message arrow (activations start and end there).
    last_y: f64,
    /// Top and bottom of the previous row (an `&` event shares it).
    prev_row: (f64, f64),
}

impl<'a> Renderer<'a> {
    /// Draws the title space, the box label space and the actors that exist from the start.
    fn new(d: &'a Diagram, lay: &'a Layout<'a>, opts: &RenderOptions) -> Self {
        let scope = format!(
            "pd-{:08x}",
            fnv1a(&[opts.seed.as_bytes(), format!("{d:?}").as_bytes()]) as u32
        );
        let mut s = Svg {
            back: String::new(),
            mid: String::new(),
            front: String::new(),
            minx: f64::MAX,
            maxx: f64::MIN,
        };
        let n = d.participants.len();
        let x = &lay.x;
        let mut y = 10.0;
        if n > 0 {
            s.ext(x[0] - lay.w[0] / 2.0, x[n - 1] + lay.w[n - 1] / 2.0);
        }
        let title_lines = d
            .title
            .as_ref()
            .map(|t| lines_for(t, false, 600.0, 600.0))
            .unwrap_or_default();
        let title_at = y;
        y += title_lines.len() as f64 * (LINE_H + 2.0);
        if !title_lines.is_empty() {
            y += 8.0;
        }
        let box_label_h = if d.boxes.iter().any(|b| b.label.is_some()) {
            LINE_H + 6.0
        } else if d.boxes.is_empty() {
            0.0
        } else {
            6.0
        };
        let boxes_top = y;
        y += box_label_h;
        let actors_top = y;
        let top_h = (0..n)
            .filter(|&p| !d.participants[p].created)
            .map(|p| lay.actor_h[p])
            .fold(0.0, f64::max);
        let life_start: Vec<f64> = (0..n).map(|p| actors_top + lay.actor_h[p]).collect();
        for p in 0..n {
            if !d.participants[p].created {
                draw_actor(&mut s.front, lay, p, actors_top);
            }
        }
        let cur = actors_top + top_h + 14.0;
        Renderer {
            d,
            lay,
            n,
            scope,
            s,
            title_lines,
            title_at,
            boxes_top,
            cur,
            life_start,
            life_end: vec![None; n],
            active: vec![Vec::new(); n],
            crash_at: vec![None; n],
            dashed: vec![Vec::new(); n],
            gaps: Vec::new(),
            frames: Vec::new(),
            timers: HashMap::new(),
            partition: None,
            autonum: None,
            pending_create: None,
            pending_destroy: None,
            sent: HashMap::new(),
            delayed: Vec::new(),
            last_y: cur,
            prev_row: (cur, cur),
        }
    }

    /// Draws one event (a row, or a share of the previous row for `&` events).
    fn event(&mut self, ev: &'a Event, lines: &'a [String]) {
        let row_start = if ev.same_row {
            self.prev_row.0
        } else {
            self.cur
        };
        let saved_end = self.cur;
        self.cur = row_start;
        let extent = match &ev.kind {
            // Mermaid.
            EventKind::Message(m) => self.message(m, lines),
            EventKind::Note {
                placement,
                a,
                b,
                class,
                ..
            } => self.note(*placement, *a, *b, *class, lines),
            EventKind::Activate(p) => self.activate(*p),
            EventKind::Deactivate(p) => self.deactivate(*p),
            EventKind::BlockStart { kind, .. } => self.block_start(kind, lines),
            EventKind::Section { keyword, .. } => self.section(keyword, lines),
            EventKind::BlockEnd => self.block_end(),
            EventKind::Autonumber(a) => self.autonumber(a),
            EventKind::Create(p) => self.create(*p),
            EventKind::Destroy(p) => self.destroy(*p),
            // Protocol extensions.
            EventKind::Crash(p, _) => self.crash(*p, lines),
            EventKind::Recover(p, _) => self.recover(*p, lines),
            EventKind::TimerSet(p, name, _) => self.timer_set(*p, name, lines),
            EventKind::Timeout(p, name, _) => self.timer_end(*p, name, true, lines),
            EventKind::TimerCancel(p, name, _) => self.timer_end(*p, name, false, lines),
            EventKind::State(ps, _) => self.state(ps, lines),
            EventKind::Ref(a, b, _) => self.reference(*a, *b, lines),
            EventKind::Partition(l, r, _) => self.partition(l, r, lines),
            EventKind::Heal => self.heal(),
            EventKind::Gap(_) => self.gap(lines),
            EventKind::Divider(_) => self.divider(lines),
            EventKind::Space => self.space(),
            EventKind::Deliver(id) => self.deliver(id),
        };
        if let Some((a, b)) = extent {
            self.s.ext(a, b);
            for f in self.frames.iter_mut() {
                f.x0 = f.x0.min(a);
                f.x1 = f.x1.max(b);
            }
        }
        if ev.same_row {
            self.cur = self.cur.max(saved_end);
        }
        self.prev_row = (row_start, self.cur);
        if matches!(
            ev.kind,
            EventKind::Message(_) | EventKind::Note { .. } | EventKind::Deliver(_)
        ) {
            self.count_down_delayed();
        }
    }

    /// Closes what is still open, draws the bottom actors, lifelines, boxes and title, and
    /// assembles the SVG document.
    fn finish(mut self) -> String {
        let bottom_y = self.close_open();
        let bottom_top = bottom_y + 10.0;
        let (lifelines, bot_h) = self.lifelines(bottom_top);
        let mut height = bottom_top + bot_h + 10.0;
        let boxes = self.boxes(bottom_top + bot_h, &mut height);
        let title_svg = self.title();
        self.assemble(&boxes, &lifelines, &title_svg, height)
    }

    /// Ends delayed messages, partitions, activations and crashes at the bottom; returns the
    /// bottom y.
    fn close_open(&mut self) -> f64 {
        let lay = self.lay;
        let bottom_y = self.cur + 4.0;
        for (_, snd) in self.delayed.iter().filter(|(k, _)| *k > 0) {
            slanted(&mut self.s, lay, snd, bottom_y);
        }
        if let Some(p) = self.partition.take() {
            draw_partition(&mut self.s.mid, &mut self.s.front, p, bottom_y);
        }
        for p in 0..self.n {
            while let Some(y0) = self.active[p].pop() {
                activation(
                    &mut self.s.back,
                    lay.x[p],
                    self.active[p].len(),
                    y0,
                    bottom_y,
                );
            }
            if let Some(y0) = self.crash_at[p] {
                self.dashed[p].push((y0, self.life_end[p].unwrap_or(bottom_y + 10.0)));
            }
        }
        bottom_y
    }

    /// Lifelines and the bottom actors of participants that were not destroyed; returns the
    /// lifelines and the height of the tallest bottom actor.
    fn lifelines(&mut self, bottom_top: f64) -> (String, f64) {
        let lay = self.lay;
        let n = self.n;
        let bot_h = (0..n)
            .filter(|&p| self.life_end[p].is_none())
            .map(|p| lay.actor_h[p])
            .fold(0.0, f64::max);
        let mut lifelines = String::new();
        for p in 0..n {
            let end = self.life_end[p].unwrap_or(bottom_top);
            lifeline(
                &mut lifelines,
                lay.x[p],
                self.life_start[p],
                end,
                &self.dashed[p],
                &self.gaps,
            );
            if self.life_end[p].is_none() {
                draw_actor(&mut self.s.front, lay, p, bottom_top);
            }
        }
        (lifelines, bot_h)
    }

    /// Participant groups (`box`), drawn behind everything; may make the diagram taller.
    fn boxes(&mut self, bottom: f64, height: &mut f64) -> String {
        let lay = self.lay;
        let x = &lay.x;
        let boxes_top = self.boxes_top;
        let mut boxes = String::new();
        for b in &self.d.boxes {
            if b.members.is_empty() {
                continue;
            }
            let lo = b
                .members
                .iter()
                .map(|&p| x[p] - lay.w[p] / 2.0)
                .fold(f64::MAX, f64::min)
                - 10.0;
            let hi = b
                .members
                .iter()
                .map(|&p| x[p] + lay.w[p] / 2.0)
                .fold(f64::MIN, f64::max)
                + 10.0;
            let lw = b.label.as_ref().map_or(0.0, |l| block_width(&l.lines));
            let hi = hi.max(lo + lw + 20.0);
            let (fill, cls) = match &b.color {
                Some(c) if c != "transparent" => {
                    let mut e = String::new();
                    escape(c, &mut e);
                    (format!(" fill=\"{e}\" style=\"fill:{e}\""), "bx ur")
                }
                _ => (" fill=\"none\"".to_string(), "bx"),
            };
            let _ = write!(
                boxes,
                "<rect class=\"{cls}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{fill}/>",
                N(lo),
                N(boxes_top),
                N(hi - lo),
                N(*height - boxes_top - 4.0)
            );
            if let Some(l) = &b.label {
                text_block(
                    &mut self.s.front,
                    (lo + hi) / 2.0,
                    boxes_top + 1.0,
                    "middle",
                    "kw",
                    &l.lines,
                );
            }
            self.s.ext(lo, hi);
            *height = height.max(bottom + 14.0);
        }
        boxes
    }

    /// The title, centred over everything drawn so far.
    fn title(&mut self) -> String {
        let mut title_svg = String::new();
        if !self.title_lines.is_empty() {
            let cx = (self.s.minx + self.s.maxx) / 2.0;
            text_block(
                &mut title_svg,
                cx,
                self.title_at,
                "middle",
                "ttl",
                &self.title_lines,
            );
            let tw = block_width(&self.title_lines);
            self.s.ext(cx - tw / 2.0, cx + tw / 2.0);
        }
        title_svg
    }

    /// The `<svg>` document: accessible name, style, then the layers back to front.
    fn assemble(mut self, boxes: &str, lifelines: &str, title_svg: &str, height: f64) -> String {
        let d = self.d;
        let s = &mut self.s;
        if s.minx > s.maxx {
            s.minx = 0.0;
            s.maxx = 100.0;
        }
        let vx = s.minx - MARGIN;
        let width = s.maxx - s.minx + 2.0 * MARGIN;
        let aria = d
            .acc_title
            .clone()
            .or_else(|| d.title.as_ref().map(Label::plain))
            .unwrap_or_else(|| {
                let names: Vec<String> = d.participants.iter().map(|p| p.label.plain()).collect();
                format!("时序图：{}", names.join("、"))
            });
        let scope = &self.scope;
        let mut out = String::with_capacity(s.back.len() + s.mid.len() + s.front.len() + 4096);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pd-svg {scope}\" viewBox=\"{} 0 {} {}\" width=\"{}\" height=\"{}\" style=\"max-width:100%;height:auto\" role=\"img\" aria-label=\"",
            N(vx),
            N(width),
            N(height),
            N(width),
            N(height)
        );
        escape(&aria, &mut out);
        out.push_str("\"><title>");
        escape(&aria, &mut out);
        out.push_str("</title>");
        if let Some(desc) = &d.acc_descr {
            out.push_str("<desc>");
            escape(desc, &mut out);
            out.push_str("</desc>");
        }
        out.push_str("<style>");
        style(&mut out, scope);
        out.push_str("</style>");
        out.push_str("<g fill=\"none\" stroke=\"#000\">");
        out.push_str(boxes);
        out.push_str(&s.back);
        out.push_str(lifelines);
        out.push_str(&s.mid);
        out.push_str(&s.front);
        out.push_str("</g>");
        out.push_str(title_svg);
        out.push_str("</svg>");
        out
    }

    /// Offset of a message end from a lifeline with `k` open activations, towards `dir`.
    fn act_off(&self, p: usize, dir: f64) -> f64 {
        let k = self.active[p].len();
        if k == 0 {
            0.0
        } else {
            dir * (5.0 + 4.0 * (k as f64 - 1.0))
        }
    }
}
