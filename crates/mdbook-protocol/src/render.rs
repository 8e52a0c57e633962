//! Layout and SVG output. Everything is drawn with plain shapes (arrowheads are polygons), so
//! there are no ids and no `url(#…)` references; colours come from a diagram-scoped `<style>`
//! that reads mdBook's theme variables, with presentation-attribute fallbacks.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::ast::*;
use crate::safety::escape;
use crate::text::{text_width, wrap_line};

const FONT: f64 = 14.0;
const LINE_H: f64 = 18.0;
const MARGIN: f64 = 16.0;
const ACTOR_MIN_W: f64 = 80.0;
const ACTOR_PAD: f64 = 12.0;
const BOX_H: f64 = 36.0;
const FIGURE_H: f64 = 34.0;
const MSG_WRAP: f64 = 200.0;
const MSG_AUTO_WRAP: f64 = 320.0;
const NOTE_WRAP: f64 = 200.0;
const NOTE_AUTO_WRAP: f64 = 260.0;
const ACTOR_AUTO_WRAP: f64 = 160.0;

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

/// Number formatting: at most one decimal, no trailing `.0`.
struct N(f64);
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

fn lines_for(label: &Label, global_wrap: bool, wrap_w: f64, auto_w: f64) -> Vec<String> {
    let width = match label.wrap {
        Some(true) => Some(wrap_w),
        Some(false) => None,
        None if global_wrap => Some(wrap_w),
        None => Some(auto_w),
    };
    let mut out = Vec::new();
    for l in &label.lines {
        match width {
            Some(w) => out.extend(wrap_line(l, FONT, w)),
            None => out.push(l.clone()),
        }
    }
    if out.len() == 1 && out[0].is_empty() {
        out.clear();
    }
    out
}

fn block_width(lines: &[String]) -> f64 {
    lines
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
}

struct Frame {
    kind: BlockKind,
    label: Vec<String>,
    top: f64,
    x0: f64,
    x1: f64,
    sections: Vec<(f64, &'static str, Vec<String>)>,
}

#[derive(Clone)]
struct Sent {
    from_x: f64,
    y: f64,
    to: Vec<usize>,
    arrow: Arrow,
    lines: Vec<String>,
    class: Option<Class>,
}

struct Svg {
    back: String,
    mid: String,
    front: String,
    minx: f64,
    maxx: f64,
}

impl Svg {
    fn ext(&mut self, a: f64, b: f64) {
        self.minx = self.minx.min(a.min(b));
        self.maxx = self.maxx.max(a.max(b));
    }
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, s: &str) {
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
fn text_block(out: &mut String, x: f64, top: f64, anchor: &str, class: &str, lines: &[String]) {
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

fn class_name(c: Option<Class>) -> &'static str {
    match c {
        Some(Class::Ok) => " ok",
        Some(Class::Fail) => " bad",
        Some(Class::Warn) => " warn",
        Some(Class::Dim) => " dim",
        None => "",
    }
}

fn head(out: &mut String, h: Head, x: f64, y: f64, dir: f64, cls: &str) {
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

fn line(out: &mut String, x0: f64, y0: f64, x1: f64, y1: f64, class: &str) {
    let _ = write!(
        out,
        "<path class=\"{class}\" d=\"M{} {}L{} {}\"/>",
        N(x0),
        N(y0),
        N(x1),
        N(y1)
    );
}

struct Layout<'d> {
    d: &'d Diagram,
    x: Vec<f64>,
    w: Vec<f64>,
    plabels: Vec<Vec<String>>,
    actor_h: Vec<f64>,
    ev_lines: Vec<Vec<String>>,
}

fn is_figure(s: Shape) -> bool {
    matches!(
        s,
        Shape::Actor | Shape::Boundary | Shape::Control | Shape::Entity
    )
}

fn layout_x(d: &Diagram) -> Layout<'_> {
    let n = d.participants.len();
    let plabels: Vec<Vec<String>> = d
        .participants
        .iter()
        .map(|p| {
            let l = lines_for(&p.label, false, ACTOR_AUTO_WRAP, ACTOR_AUTO_WRAP);
            if l.is_empty() { vec![String::new()] } else { l }
        })
        .collect();
    let w: Vec<f64> = plabels
        .iter()
        .map(|l| (block_width(l) + 2.0 * ACTOR_PAD).max(ACTOR_MIN_W))
        .collect();
    let actor_h: Vec<f64> = d
        .participants
        .iter()
        .zip(&plabels)
        .map(|(p, l)| {
            let t = l.len() as f64 * LINE_H;
            if is_figure(p.shape) {
                FIGURE_H + t + 4.0
            } else {
                (t + 18.0).max(BOX_H)
            }
        })
        .collect();
    let ev_lines: Vec<Vec<String>> = d
        .events
        .iter()
        .map(|e| match &e.kind {
            EventKind::Message(m) => lines_for(&m.text, d.wrap, MSG_WRAP, MSG_AUTO_WRAP),
            EventKind::Note { text, .. } => lines_for(text, d.wrap, NOTE_WRAP, NOTE_AUTO_WRAP),
            EventKind::BlockStart { label, .. } | EventKind::Section { label, .. } => {
                lines_for(label, d.wrap, MSG_AUTO_WRAP, MSG_AUTO_WRAP)
            }
            EventKind::Crash(_, l)
            | EventKind::Recover(_, l)
            | EventKind::TimerSet(_, _, l)
            | EventKind::Timeout(_, _, l)
            | EventKind::TimerCancel(_, _, l)
            | EventKind::Gap(l)
            | EventKind::Divider(l)
            | EventKind::Partition(_, _, l) => lines_for(l, d.wrap, NOTE_WRAP, NOTE_AUTO_WRAP),
            EventKind::State(_, l) | EventKind::Ref(_, _, l) => {
                lines_for(l, d.wrap, NOTE_WRAP, NOTE_AUTO_WRAP)
            }
            _ => Vec::new(),
        })
        .collect();
    // gap[i]: distance from lifeline i to i+1; gap[n-1] is room right of the last lifeline,
    // left_room is room left of the first.
    let mut gap: Vec<f64> = (0..n)
        .map(|i| {
            if i + 1 < n {
                w[i] / 2.0 + w[i + 1] / 2.0 + 20.0
            } else {
                w[i] / 2.0
            }
        })
        .collect();
    let mut left_room = w.first().map_or(0.0, |v| v / 2.0);
    // Spanning constraints (a < b, distance needed), applied shortest first.
    let mut spans: Vec<(usize, usize, f64)> = Vec::new();
    let right_of =
        |p: usize, need: f64, spans: &mut Vec<(usize, usize, f64)>, gap: &mut Vec<f64>| {
            if p + 1 < n {
                spans.push((p, p + 1, need));
            } else if let Some(g) = gap.get_mut(p) {
                *g = g.max(need);
            }
        };
    for (e, lines) in d.events.iter().zip(&ev_lines) {
        let lw = block_width(lines);
        match &e.kind {
            EventKind::Message(m) => {
                let ps = |v: &Vec<Endpoint>| {
                    v.iter()
                        .filter_map(Endpoint::participant)
                        .collect::<Vec<_>>()
                };
                let (f, t) = (ps(&m.from), ps(&m.to));
                if f.len() == 1 && t.len() == 1 && f[0] == t[0] {
                    right_of(f[0], lw + 46.0, &mut spans, &mut gap);
                    continue;
                }
                // The label sits over the shortest arrow.
                let mut best: Option<(usize, usize)> = None;
                for &a in &f {
                    for &b in &t {
                        if a != b {
                            let (lo, hi) = (a.min(b), a.max(b));
                            if best.is_none_or(|(l, h)| hi - lo < h - l) {
                                best = Some((lo, hi));
                            }
                        }
                    }
                }
                if let Some((lo, hi)) = best {
                    spans.push((lo, hi, lw + 28.0));
                } else if m.from.contains(&Endpoint::Left) {
                    if let Some(&p) = t.first() {
                        left_room = left_room.max(lw + 30.0);
                        let _ = p;
                    }
                } else if m.to.contains(&Endpoint::Right)
                    && let Some(&p) = f.first()
                {
                    right_of(p, lw + 30.0, &mut spans, &mut gap);
                }
            }
            EventKind::Note {
                placement, a, b, ..
            } => {
                let nw = lw + 16.0;
                match (placement, b) {
                    (Placement::LeftOf, _) => {
                        if *a == 0 {
                            left_room = left_room.max(nw + 12.0);
                        } else {
                            spans.push((a - 1, *a, nw + 24.0));
                        }
                    }
                    (Placement::RightOf, _) => right_of(*a, nw + 12.0, &mut spans, &mut gap),
                    (Placement::Over, None) => {
                        if *a == 0 {
                            left_room = left_room.max(nw / 2.0 + 4.0);
                        } else {
                            spans.push((a - 1, *a, nw / 2.0 + 20.0));
                        }
                        right_of(*a, nw / 2.0 + 4.0, &mut spans, &mut gap);
                    }
                    (Placement::Over, Some(b)) => {
                        let (lo, hi) = ((*a).min(*b), (*a).max(*b));
                        if lo != hi {
                            spans.push((lo, hi, nw - 40.0));
                        }
                    }
                }
            }
            EventKind::Crash(p, _) | EventKind::Recover(p, _) => {
                right_of(*p, lw + 70.0, &mut spans, &mut gap)
            }
            EventKind::TimerSet(p, name, _)
            | EventKind::Timeout(p, name, _)
            | EventKind::TimerCancel(p, name, _) => {
                right_of(*p, lw + text_width(name, FONT) + 70.0, &mut spans, &mut gap);
            }
            EventKind::BlockStart {
                kind: BlockKind::Brace { p, right },
                ..
            } => {
                if *right {
                    right_of(*p, lw + 40.0, &mut spans, &mut gap);
                } else if *p == 0 {
                    left_room = left_room.max(lw + 40.0);
                } else {
                    spans.push((p - 1, *p, lw + 50.0));
                }
            }
            EventKind::State(ps, _) => {
                let lo = *ps.iter().min().unwrap_or(&0);
                let hi = *ps.iter().max().unwrap_or(&0);
                if lo == hi {
                    if lo == 0 {
                        left_room = left_room.max(lw / 2.0 + 14.0);
                    } else {
                        // Room for a same-row state box on the neighbour too.
                        spans.push((lo - 1, lo, lw / 2.0 + 60.0));
                    }
                    if lo + 1 < n {
                        spans.push((lo, lo + 1, lw / 2.0 + 60.0));
                    } else {
                        right_of(lo, lw / 2.0 + 14.0, &mut spans, &mut gap);
                    }
                } else {
                    spans.push((lo, hi, lw - 20.0));
                }
            }
            _ => {}
        }
    }
    spans.sort_by_key(|(a, b, _)| b - a);
    for (a, b, need) in spans {
        let have: f64 = gap[a..b].iter().sum();
        if have < need {
            let add = (need - have) / (b - a) as f64;
            for g in &mut gap[a..b] {
                *g += add;
            }
        }
    }
    let mut x = Vec::with_capacity(n);
    let mut cur = MARGIN + left_room;
    for g in gap.iter().take(n) {
        x.push(cur);
        cur += g;
    }
    Layout {
        d,
        x,
        w,
        plabels,
        actor_h,
        ev_lines,
    }
}

/// Renders a checked diagram to a self-contained SVG string (one line, no blank lines).
pub fn render(d: &Diagram, opts: &RenderOptions) -> String {
    let lay = layout_x(d);
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
    // Title.
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
    let mut life_start: Vec<f64> = (0..n).map(|p| actors_top + lay.actor_h[p]).collect();
    let mut life_end: Vec<Option<f64>> = vec![None; n];
    for p in 0..n {
        if !d.participants[p].created {
            draw_actor(&mut s.front, &lay, p, actors_top);
        }
    }
    let mut cur = actors_top + top_h + 14.0;

    let mut active: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut crash_at: Vec<Option<f64>> = vec![None; n];
    let mut dashed: Vec<Vec<(f64, f64)>> = vec![Vec::new(); n];
    let mut gaps: Vec<(f64, f64)> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut timers: HashMap<(usize, &str), f64> = HashMap::new();
    let mut partition: Option<(f64, f64, Vec<String>)> = None;
    let mut autonum: Option<(f64, f64)> = None;
    let mut pending_create: Option<usize> = None;
    let mut pending_destroy: Option<usize> = None;
    let mut sent: HashMap<&str, Sent> = HashMap::new();
    let mut delayed: Vec<(u32, Sent)> = Vec::new();
    let mut last_y = cur;
    let mut prev_row = (cur, cur);

    let act_off = |active: &Vec<Vec<f64>>, p: usize, dir: f64| -> f64 {
        let k = active[p].len();
        if k == 0 {
            0.0
        } else {
            dir * (5.0 + 4.0 * (k as f64 - 1.0))
        }
    };

    for (ei, ev) in d.events.iter().enumerate() {
        let lines = &lay.ev_lines[ei];
        let row_start = if ev.same_row { prev_row.0 } else { cur };
        let saved_end = cur;
        cur = row_start;
        let mut extent: Option<(f64, f64)> = None;
        match &ev.kind {
            EventKind::Message(m) => {
                let th = lines.len() as f64 * LINE_H;
                let mut ay = cur + th + 7.0;
                let cls = class_name(m.class);
                let dotted = if m.arrow.line == LineStyle::Dotted {
                    " dt"
                } else {
                    ""
                };
                let from_ps: Vec<usize> = m.from.iter().filter_map(Endpoint::participant).collect();
                let to_ps: Vec<usize> = m.to.iter().filter_map(Endpoint::participant).collect();
                // A created participant appears on this row.
                if let Some(c) = pending_create.take()
                    && to_ps.contains(&c)
                {
                    let h = lay.actor_h[c];
                    ay = ay.max(cur + h / 2.0 + 2.0);
                    draw_actor(&mut s.front, &lay, c, ay - h / 2.0);
                    life_start[c] = ay + h / 2.0;
                }
                if let Some(num) = autonum.as_mut() {
                    let fx = m
                        .from
                        .first()
                        .map_or(x.first().copied().unwrap_or(0.0), |e| endpoint_x(&lay, *e));
                    let label = fmt_num(num.0);
                    let _ = write!(
                        s.front,
                        "<circle class=\"sq\" cx=\"{}\" cy=\"{}\" r=\"9\"/>",
                        N(fx),
                        N(ay)
                    );
                    let _ = write!(
                        s.front,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"sqt\">",
                        N(fx),
                        N(ay + 3.5)
                    );
                    escape(&label, &mut s.front);
                    s.front.push_str("</text>");
                    num.0 += num.1;
                }
                let is_self = from_ps.len() == 1
                    && to_ps.len() == 1
                    && from_ps[0] == to_ps[0]
                    && m.from.len() == 1
                    && m.to.len() == 1;
                if is_self {
                    let p = from_ps[0];
                    let px = x[p] + act_off(&active, p, 1.0);
                    let y0 = cur + th + 4.0;
                    let _ = write!(
                        s.front,
                        "<path class=\"ln{dotted}{cls}\" d=\"M{} {}H{}V{}H{}\"/>",
                        N(px),
                        N(y0),
                        N(px + 32.0),
                        N(y0 + 18.0),
                        N(px + 2.0)
                    );
                    head(&mut s.front, m.arrow.head, px, y0 + 18.0, -1.0, cls);
                    head(&mut s.front, m.arrow.tail, px, y0, -1.0, cls);
                    text_block(
                        &mut s.front,
                        px + 8.0,
                        cur,
                        "start",
                        &format!("lb{cls}"),
                        lines,
                    );
                    extent = Some((px, px + 40.0 + block_width(lines)));
                    ay = y0 + 18.0;
                    cur = ay + 12.0;
                } else if m.id.is_some() || m.delay.is_some() {
                    let fx = m.from.first().map_or(0.0, |e| endpoint_x(&lay, *e));
                    let _ = write!(
                        s.front,
                        "<circle class=\"hd{cls}\" cx=\"{}\" cy=\"{}\" r=\"2.5\"/>",
                        N(fx),
                        N(cur + 6.0)
                    );
                    let snd = Sent {
                        from_x: fx,
                        y: cur + 6.0,
                        to: to_ps.clone(),
                        arrow: m.arrow,
                        lines: lines.clone(),
                        class: m.class,
                    };
                    if let Some(id) = &m.id {
                        sent.insert(id.as_str(), snd);
                    } else if let Some(k) = m.delay {
                        delayed.push((k, snd));
                    }
                    cur += 14.0;
                    ay = cur;
                } else {
                    // Fan: pair every sender with every receiver, staggered.
                    let mut pairs: Vec<(Endpoint, Endpoint)> = Vec::new();
                    for f in &m.from {
                        for t in &m.to {
                            if f != t {
                                pairs.push((*f, *t));
                            }
                        }
                    }
                    pairs.sort_by(|a, b| {
                        let da = (endpoint_x(&lay, a.0) - endpoint_x(&lay, a.1)).abs();
                        let db = (endpoint_x(&lay, b.0) - endpoint_x(&lay, b.1)).abs();
                        da.total_cmp(&db)
                    });
                    let mut label_done = false;
                    for (k, (f, t)) in pairs.iter().enumerate() {
                        let yy = ay + 6.0 * k as f64;
                        let mut fx = endpoint_x(&lay, *f);
                        let mut tx = endpoint_x(&lay, *t);
                        let dir = if tx >= fx { 1.0 } else { -1.0 };
                        if let Endpoint::P(p) = f {
                            fx += act_off(&active, *p, dir);
                        }
                        if let Endpoint::P(p) = t {
                            tx -= act_off(&active, *p, dir);
                            if d.participants[*p].created
                                && (life_start[*p] - yy).abs() < lay.actor_h[*p]
                            {
                                tx -= dir * lay.w[*p] / 2.0;
                            }
                        }
                        if !label_done {
                            text_block(
                                &mut s.front,
                                (fx + tx) / 2.0,
                                cur,
                                "middle",
                                &format!("lb{cls}"),
                                lines,
                            );
                            label_done = true;
                        }
                        if *f == Endpoint::Left {
                            let _ = write!(
                                s.front,
                                "<circle class=\"hd{cls}\" cx=\"{}\" cy=\"{}\" r=\"4\"/>",
                                N(fx),
                                N(yy)
                            );
                        }
                        match m.lost {
                            Some(frac) => {
                                // A message lost in a network partition stops at the barrier.
                                let lx = match &partition {
                                    Some((bx, _, _)) if (fx - bx) * (tx - bx) < 0.0 => *bx,
                                    _ => fx + (tx - fx) * frac,
                                };
                                line(&mut s.front, fx, yy, lx, yy, &format!("ln{dotted}{cls}"));
                                line(&mut s.front, lx, yy, tx, yy, "ln lostrest");
                                let _ = write!(
                                    s.front,
                                    "<path class=\"ln bad\" stroke-width=\"2.5\" d=\"M{} {}L{} {}M{} {}L{} {}\"/>",
                                    N(lx - 6.0),
                                    N(yy - 6.0),
                                    N(lx + 6.0),
                                    N(yy + 6.0),
                                    N(lx - 6.0),
                                    N(yy + 6.0),
                                    N(lx + 6.0),
                                    N(yy - 6.0)
                                );
                            }
                            None => {
                                line(&mut s.front, fx, yy, tx, yy, &format!("ln{dotted}{cls}"));
                                head(&mut s.front, m.arrow.head, tx, yy, dir, cls);
                                head(&mut s.front, m.arrow.tail, fx, yy, -dir, cls);
                            }
                        }
                        if m.central_from {
                            let _ = write!(
                                s.front,
                                "<circle class=\"cc\" cx=\"{}\" cy=\"{}\" r=\"4\"/>",
                                N(fx),
                                N(yy)
                            );
                        }
                        if m.central_to {
                            let _ = write!(
                                s.front,
                                "<circle class=\"cc\" cx=\"{}\" cy=\"{}\" r=\"4\"/>",
                                N(tx),
                                N(yy)
                            );
                        }
                        let lw = block_width(lines);
                        let mid = (fx + tx) / 2.0;
                        let (a, b) = (
                            fx.min(tx).min(mid - lw / 2.0),
                            fx.max(tx).max(mid + lw / 2.0),
                        );
                        extent = Some(extent.map_or((a, b), |(p, q)| (p.min(a), q.max(b))));
                    }
                    let extra = 6.0 * (pairs.len().saturating_sub(1)) as f64;
                    cur = ay + extra + 12.0;
                }
                // Destruction.
                if let Some(p) = pending_destroy.take()
                    && (from_ps.contains(&p) || to_ps.contains(&p))
                {
                    let _ = write!(
                        s.front,
                        "<path class=\"ln\" stroke-width=\"2\" d=\"M{} {}L{} {}M{} {}L{} {}\"/>",
                        N(x[p] - 8.0),
                        N(ay - 8.0),
                        N(x[p] + 8.0),
                        N(ay + 8.0),
                        N(x[p] - 8.0),
                        N(ay + 8.0),
                        N(x[p] + 8.0),
                        N(ay - 8.0)
                    );
                    life_end[p] = Some(ay);
                    cur = cur.max(ay + 14.0);
                }
                if m.activate {
                    for &p in &to_ps {
                        active[p].push(ay);
                    }
                }
                if m.deactivate {
                    for &p in &from_ps {
                        if let Some(y0) = active[p].pop() {
                            activation(&mut s.back, x[p], active[p].len(), y0, ay);
                        }
                    }
                }
                last_y = ay;
            }
            EventKind::Note {
                placement,
                a,
                b,
                class,
                ..
            } => {
                let nw = block_width(lines) + 16.0;
                let h = lines.len().max(1) as f64 * LINE_H + 10.0;
                let (x0, w) = match (placement, b) {
                    (Placement::LeftOf, _) => (x[*a] - 8.0 - nw, nw),
                    (Placement::RightOf, _) => (x[*a] + 8.0, nw),
                    (Placement::Over, None) => {
                        let w = nw.max(60.0);
                        (x[*a] - w / 2.0, w)
                    }
                    (Placement::Over, Some(b)) => {
                        let (lo, hi) = (x[*a].min(x[*b]) - 24.0, x[*a].max(x[*b]) + 24.0);
                        let w = nw.max(hi - lo);
                        ((lo + hi) / 2.0 - w / 2.0, w)
                    }
                };
                let cls = class_name(*class);
                let _ = write!(
                    s.front,
                    "<rect class=\"nt{cls}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    N(x0),
                    N(cur),
                    N(w),
                    N(h)
                );
                text_block(&mut s.front, x0 + w / 2.0, cur + 5.0, "middle", "", lines);
                extent = Some((x0, x0 + w));
                cur += h + 10.0;
            }
            EventKind::Activate(p) => active[*p].push(last_y),
            EventKind::Deactivate(p) => {
                if let Some(y0) = active[*p].pop() {
                    activation(
                        &mut s.back,
                        x[*p],
                        active[*p].len(),
                        y0,
                        last_y.max(y0 + 10.0),
                    );
                }
            }
            EventKind::BlockStart { kind, .. } => {
                let top = cur;
                frames.push(Frame {
                    kind: kind.clone(),
                    label: lines.clone(),
                    top,
                    x0: f64::MAX,
                    x1: f64::MIN,
                    sections: Vec::new(),
                });
                cur += match kind {
                    BlockKind::Rect(_) => 10.0,
                    BlockKind::Brace { .. } => 4.0,
                    _ => lines.len().max(1) as f64 * LINE_H + 10.0,
                };
            }
            EventKind::Section { keyword, .. } => {
                if let Some(f) = frames.last_mut() {
                    f.sections.push((cur + 2.0, keyword, lines.clone()));
                }
                cur += lines.len().max(1) as f64 * LINE_H + 10.0;
            }
            EventKind::BlockEnd => {
                if let Some(f) = frames.pop() {
                    let bottom = cur;
                    let (mut x0, mut x1) = if f.x0 <= f.x1 {
                        (f.x0 - 12.0, f.x1 + 12.0)
                    } else if n > 0 {
                        (x[0] - 30.0, x[n - 1] + 30.0)
                    } else {
                        (0.0, 100.0)
                    };
                    match &f.kind {
                        BlockKind::Brace { p, right } => {
                            let bx = if *right { x[*p] + 12.0 } else { x[*p] - 12.0 };
                            let dir = if *right { 1.0 } else { -1.0 };
                            brace(&mut s.mid, bx, f.top, bottom, dir);
                            let ly = (f.top + bottom) / 2.0 - lines_h(&f.label) / 2.0;
                            let anchor = if *right { "start" } else { "end" };
                            text_block(
                                &mut s.front,
                                bx + dir * 14.0,
                                ly,
                                anchor,
                                "lb warn",
                                &f.label,
                            );
                            let lw = block_width(&f.label);
                            extent = Some(if *right {
                                (bx, bx + 16.0 + lw)
                            } else {
                                (bx - 16.0 - lw, bx)
                            });
                            cur += 6.0;
                        }
                        BlockKind::Rect(c) => {
                            let mut col = String::new();
                            escape(c, &mut col);
                            // Outer rects close later: put them under inner rects and activations.
                            let mut r = String::new();
                            let _ = write!(
                                r,
                                "<rect class=\"ur\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{col}\" style=\"fill:{col}\"/>",
                                N(x0),
                                N(f.top),
                                N(x1 - x0),
                                N(bottom - f.top)
                            );
                            s.back.insert_str(0, &r);
                            extent = Some((x0, x1));
                            cur += 6.0;
                        }
                        kind => {
                            let kw = kind.keyword();
                            let tab_w = text_width(kw, 12.0) + 14.0;
                            let label_w = block_width(&f.label);
                            x1 = x1.max(x0 + tab_w + label_w + 30.0);
                            for (_, _, l) in &f.sections {
                                x1 = x1.max(x0 + block_width(l) + 40.0);
                            }
                            let _ = write!(
                                s.mid,
                                "<rect class=\"fr\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                                N(x0),
                                N(f.top),
                                N(x1 - x0),
                                N(bottom - f.top)
                            );
                            let _ = write!(
                                s.mid,
                                "<path class=\"tab\" d=\"M{} {}h{}v10l-6 8H{}Z\"/>",
                                N(x0),
                                N(f.top),
                                N(tab_w),
                                N(x0)
                            );
                            text(&mut s.mid, x0 + 5.0, f.top + 13.0, "start", "kw", kw);
                            let bracketed: Vec<String> =
                                f.label.iter().map(|l| format!("[{l}]")).collect();
                            if !f.label.is_empty() {
                                text_block(
                                    &mut s.mid,
                                    x0 + tab_w + 8.0,
                                    f.top,
                                    "start",
                                    "cond",
                                    &bracketed,
                                );
                            }
                            for (sy, _, l) in &f.sections {
                                let _ = write!(
                                    s.mid,
                                    "<path class=\"fr sep\" d=\"M{} {}H{}\"/>",
                                    N(x0),
                                    N(*sy),
                                    N(x1)
                                );
                                if !l.is_empty() {
                                    let b: Vec<String> =
                                        l.iter().map(|t| format!("[{t}]")).collect();
                                    text_block(
                                        &mut s.mid,
                                        (x0 + x1) / 2.0,
                                        *sy,
                                        "middle",
                                        "cond",
                                        &b,
                                    );
                                }
                            }
                            extent = Some((x0, x1));
                            cur += 8.0;
                        }
                    }
                    if let Some((a, b)) = extent {
                        x0 = a;
                        x1 = b;
                    }
                    s.ext(x0, x1);
                    if let Some(parent) = frames.last_mut() {
                        parent.x0 = parent.x0.min(x0);
                        parent.x1 = parent.x1.max(x1);
                    }
                    extent = None;
                }
            }
            EventKind::Autonumber(a) => match a {
                Autonumber::Off => autonum = None,
                Autonumber::On { start, step } => {
                    let cur_next = autonum.map_or(1.0, |v| v.0);
                    autonum = Some((start.unwrap_or(cur_next), step.unwrap_or(1.0)));
                }
            },
            EventKind::Create(p) => pending_create = Some(*p),
            EventKind::Destroy(p) => pending_destroy = Some(*p),
            EventKind::Crash(p, _) => {
                let yy = cur + 10.0;
                let px = x[*p];
                let _ = write!(
                    s.front,
                    "<path class=\"ln bad\" stroke-width=\"3\" d=\"M{} {}L{} {}M{} {}L{} {}\"/>",
                    N(px - 8.0),
                    N(yy - 8.0),
                    N(px + 8.0),
                    N(yy + 8.0),
                    N(px - 8.0),
                    N(yy + 8.0),
                    N(px + 8.0),
                    N(yy - 8.0)
                );
                let l = prefixed("崩溃", lines);
                text_block(&mut s.front, px + 14.0, yy - 12.0, "start", "lb bad", &l);
                extent = Some((px - 10.0, px + 16.0 + block_width(&l)));
                while let Some(y0) = active[*p].pop() {
                    activation(&mut s.back, px, active[*p].len(), y0, yy);
                }
                crash_at[*p] = Some(yy);
                cur = yy + (l.len() as f64 * LINE_H).max(16.0);
            }
            EventKind::Recover(p, _) => {
                let yy = cur + 10.0;
                let px = x[*p];
                if let Some(y0) = crash_at[*p].take() {
                    dashed[*p].push((y0, yy));
                }
                let _ = write!(
                    s.front,
                    "<rect class=\"okbox\" x=\"{}\" y=\"{}\" width=\"16\" height=\"8\" rx=\"2\"/>",
                    N(px - 8.0),
                    N(yy - 4.0)
                );
                let l = prefixed("恢复", lines);
                text_block(&mut s.front, px + 14.0, yy - 12.0, "start", "lb ok", &l);
                extent = Some((px - 10.0, px + 16.0 + block_width(&l)));
                cur = yy + (l.len() as f64 * LINE_H).max(16.0);
            }
            EventKind::TimerSet(p, name, _) => {
                let yy = cur + 8.0;
                let tx = x[*p] + 10.0;
                let _ = write!(
                    s.front,
                    "<path class=\"hg\" d=\"M{} {}h10l-10 12h10Z\"/>",
                    N(tx),
                    N(yy - 6.0)
                );
                let l = timer_label("计时", name, lines);
                text_block(&mut s.front, tx + 14.0, yy - 12.0, "start", "lb warn", &l);
                extent = Some((tx, tx + 16.0 + block_width(&l)));
                timers.insert((*p, name.as_str()), yy + 6.0);
                cur = yy + (l.len() as f64 * LINE_H).max(14.0);
            }
            EventKind::Timeout(p, name, _) | EventKind::TimerCancel(p, name, _) => {
                let timeout = matches!(ev.kind, EventKind::Timeout(..));
                let yy = cur + 8.0;
                let tx = x[*p] + 15.0;
                if let Some(y0) = timers.remove(&(*p, name.as_str())) {
                    line(&mut s.mid, tx, y0, tx, yy, "ln warn dt");
                }
                if timeout {
                    let _ = write!(
                        s.front,
                        "<circle class=\"clk\" cx=\"{}\" cy=\"{}\" r=\"6\"/><path class=\"ln warn\" d=\"M{} {}v-4M{} {}h3\"/>",
                        N(tx),
                        N(yy),
                        N(tx),
                        N(yy),
                        N(tx),
                        N(yy)
                    );
                } else {
                    let _ = write!(
                        s.front,
                        "<path class=\"ln warn\" stroke-width=\"2\" d=\"M{} {}l8 8m0-8l-8 8\"/>",
                        N(tx - 4.0),
                        N(yy - 4.0)
                    );
                }
                let prefix = if timeout { "超时" } else { "取消" };
                let l = timer_label(prefix, name, lines);
                text_block(&mut s.front, tx + 10.0, yy - 12.0, "start", "lb warn", &l);
                extent = Some((tx - 6.0, tx + 12.0 + block_width(&l)));
                cur = yy + (l.len() as f64 * LINE_H).max(14.0);
            }
            EventKind::State(ps, _) if !ps.is_empty() => {
                let lo = ps.iter().map(|p| x[*p]).fold(f64::MAX, f64::min);
                let hi = ps.iter().map(|p| x[*p]).fold(f64::MIN, f64::max);
                let lw = block_width(lines) + 24.0;
                let (x0, x1) = if ps.len() == 1 {
                    (lo - lw / 2.0, lo + lw / 2.0)
                } else {
                    (
                        (lo - 20.0).min((lo + hi) / 2.0 - lw / 2.0),
                        (hi + 20.0).max((lo + hi) / 2.0 + lw / 2.0),
                    )
                };
                let h = lines.len().max(1) as f64 * LINE_H + 8.0;
                let _ = write!(
                    s.front,
                    "<path class=\"st\" d=\"M{} {}H{}L{} {}L{} {}H{}L{} {}Z\"/>",
                    N(x0 + 8.0),
                    N(cur),
                    N(x1 - 8.0),
                    N(x1),
                    N(cur + h / 2.0),
                    N(x1 - 8.0),
                    N(cur + h),
                    N(x0 + 8.0),
                    N(x0),
                    N(cur + h / 2.0)
                );
                text_block(
                    &mut s.front,
                    (x0 + x1) / 2.0,
                    cur + 4.0,
                    "middle",
                    "",
                    lines,
                );
                extent = Some((x0, x1));
                cur += h + 10.0;
            }
            EventKind::Ref(a, b, _) => {
                let (lo, hi) = (x[*a].min(x[*b]) - 30.0, x[*a].max(x[*b]) + 30.0);
                let lw = block_width(lines) + 60.0;
                let (x0, x1) = (
                    lo.min((lo + hi) / 2.0 - lw / 2.0),
                    hi.max((lo + hi) / 2.0 + lw / 2.0),
                );
                let h = lines.len().max(1) as f64 * LINE_H + 14.0;
                let _ = write!(
                    s.front,
                    "<rect class=\"rf\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    N(x0),
                    N(cur),
                    N(x1 - x0),
                    N(h)
                );
                let _ = write!(
                    s.front,
                    "<path class=\"tab\" d=\"M{} {}h28v8l-5 6H{}Z\"/>",
                    N(x0),
                    N(cur),
                    N(x0)
                );
                text(&mut s.front, x0 + 4.0, cur + 11.0, "start", "kw", "ref");
                text_block(
                    &mut s.front,
                    (x0 + x1) / 2.0,
                    cur + 7.0,
                    "middle",
                    "",
                    lines,
                );
                extent = Some((x0, x1));
                cur += h + 10.0;
            }
            EventKind::State(..) => {}
            EventKind::Partition(l, r, _) => {
                let lmax = l.iter().copied().max().unwrap_or(0);
                let rmin = r.iter().copied().min().unwrap_or(0);
                let (a, b) = if lmax < rmin {
                    (lmax, rmin)
                } else {
                    (
                        r.iter().copied().max().unwrap_or(0),
                        l.iter().copied().min().unwrap_or(0),
                    )
                };
                let bx = (x[a.min(n - 1)] + x[b.min(n - 1)]) / 2.0;
                partition = Some((bx, cur, lines.clone()));
                cur += 4.0;
            }
            EventKind::Heal => {
                if let Some(p) = partition.take() {
                    draw_partition(&mut s.mid, &mut s.front, p, cur);
                    cur += 8.0;
                }
            }
            EventKind::Gap(_) => {
                gaps.push((cur, cur + 30.0));
                if !lines.is_empty() {
                    let cx = if n > 0 { (x[0] + x[n - 1]) / 2.0 } else { 50.0 };
                    text_block(
                        &mut s.front,
                        cx,
                        cur + 15.0 - lines_h(lines) / 2.0,
                        "middle",
                        "lb gapt",
                        lines,
                    );
                }
                cur += 30.0;
            }
            EventKind::Divider(_) => {
                let (x0, x1) = if n > 0 {
                    (x[0] - lay.w[0] / 2.0, x[n - 1] + lay.w[n - 1] / 2.0)
                } else {
                    (0.0, 100.0)
                };
                let yy = cur + 12.0;
                let _ = write!(
                    s.mid,
                    "<path class=\"dv\" d=\"M{} {}H{}M{} {}H{}\"/>",
                    N(x0),
                    N(yy - 1.5),
                    N(x1),
                    N(x0),
                    N(yy + 1.5),
                    N(x1)
                );
                let lw = block_width(lines) + 16.0;
                let h = lines_h(lines).max(LINE_H) + 4.0;
                let cx = (x0 + x1) / 2.0;
                let _ = write!(
                    s.front,
                    "<rect class=\"dvb\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    N(cx - lw / 2.0),
                    N(yy - h / 2.0),
                    N(lw),
                    N(h)
                );
                text_block(&mut s.front, cx, yy - h / 2.0 + 2.0, "middle", "kw", lines);
                cur = yy + h / 2.0 + 10.0;
            }
            EventKind::Space => cur += 20.0,
            EventKind::Deliver(id) => {
                if let Some(snd) = sent.get(id.as_str()).cloned() {
                    let yy = cur + lines_h(&snd.lines).max(10.0) + 4.0;
                    slanted(&mut s, &lay, &snd, yy);
                    cur = yy + 12.0;
                }
            }
        }
        if let Some((a, b)) = extent {
            s.ext(a, b);
            for f in frames.iter_mut() {
                f.x0 = f.x0.min(a);
                f.x1 = f.x1.max(b);
            }
        }
        if ev.same_row {
            cur = cur.max(saved_end);
        }
        prev_row = (row_start, cur);
        if matches!(
            ev.kind,
            EventKind::Message(_) | EventKind::Note { .. } | EventKind::Deliver(_)
        ) {
            let row_y = cur - 12.0;
            for (k, snd) in delayed.iter_mut() {
                if *k > 0 {
                    *k -= 1;
                    if *k == 0 {
                        slanted(&mut s, &lay, snd, row_y.max(snd.y + 14.0));
                    }
                }
            }
        }
    }
    // Anything still open at the end.
    let bottom_y = cur + 4.0;
    for (_, snd) in delayed.iter().filter(|(k, _)| *k > 0) {
        slanted(&mut s, &lay, snd, bottom_y);
    }
    if let Some(p) = partition.take() {
        draw_partition(&mut s.mid, &mut s.front, p, bottom_y);
    }
    for p in 0..n {
        while let Some(y0) = active[p].pop() {
            activation(&mut s.back, x[p], active[p].len(), y0, bottom_y);
        }
        if let Some(y0) = crash_at[p] {
            dashed[p].push((y0, life_end[p].unwrap_or(bottom_y + 10.0)));
        }
    }
    // Bottom actors and lifelines.
    let bottom_top = bottom_y + 10.0;
    let bot_h = (0..n)
        .filter(|&p| life_end[p].is_none())
        .map(|p| lay.actor_h[p])
        .fold(0.0, f64::max);
    let mut lifelines = String::new();
    for p in 0..n {
        let end = life_end[p].unwrap_or(bottom_top);
        lifeline(&mut lifelines, x[p], life_start[p], end, &dashed[p], &gaps);
        if life_end[p].is_none() {
            draw_actor(&mut s.front, &lay, p, bottom_top);
        }
    }
    let mut height = bottom_top + bot_h + 10.0;
    // Boxes (participant groups) behind everything.
    let mut boxes = String::new();
    for b in &d.boxes {
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
            N(height - boxes_top - 4.0)
        );
        if let Some(l) = &b.label {
            text_block(
                &mut s.front,
                (lo + hi) / 2.0,
                boxes_top + 1.0,
                "middle",
                "kw",
                &l.lines,
            );
        }
        s.ext(lo, hi);
        height = height.max(bottom_top + bot_h + 14.0);
    }
    // Title.
    let mut title_svg = String::new();
    if !title_lines.is_empty() {
        let cx = (s.minx + s.maxx) / 2.0;
        text_block(&mut title_svg, cx, title_at, "middle", "ttl", &title_lines);
        let tw = block_width(&title_lines);
        s.ext(cx - tw / 2.0, cx + tw / 2.0);
    }
    if s.minx > s.maxx {
        s.minx = 0.0;
        s.maxx = 100.0;
    }
    let vx = s.minx - MARGIN;
    let width = s.maxx - s.minx + 2.0 * MARGIN;

    // Accessible name.
    let aria = d
        .acc_title
        .clone()
        .or_else(|| d.title.as_ref().map(Label::plain))
        .unwrap_or_else(|| {
            let names: Vec<String> = d.participants.iter().map(|p| p.label.plain()).collect();
            format!("时序图：{}", names.join("、"))
        });
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
    style(&mut out, &scope);
    out.push_str("</style>");
    out.push_str("<g fill=\"none\" stroke=\"#000\">");
    out.push_str(&boxes);
    out.push_str(&s.back);
    out.push_str(&lifelines);
    out.push_str(&s.mid);
    out.push_str(&s.front);
    out.push_str("</g>");
    out.push_str(&title_svg);
    out.push_str("</svg>");
    out
}

fn lines_h(lines: &[String]) -> f64 {
    lines.len() as f64 * LINE_H
}

fn timer_label(prefix: &str, name: &str, lines: &[String]) -> Vec<String> {
    let mut l: Vec<String> = Vec::new();
    match lines.first() {
        Some(first) => {
            l.push(format!("{prefix} {name}：{first}"));
            l.extend(lines.iter().skip(1).cloned());
        }
        None => l.push(format!("{prefix} {name}")),
    }
    l
}

fn fmt_num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn endpoint_x(lay: &Layout<'_>, e: Endpoint) -> f64 {
    match e {
        Endpoint::P(p) => lay.x[p],
        Endpoint::Left => {
            lay.x.first().copied().unwrap_or(0.0)
                - lay.w.first().copied().unwrap_or(0.0) / 2.0
                - 10.0
        }
        Endpoint::Right => {
            lay.x.last().copied().unwrap_or(0.0) + lay.w.last().copied().unwrap_or(0.0) / 2.0 + 10.0
        }
    }
}

fn slanted(s: &mut Svg, lay: &Layout<'_>, snd: &Sent, yy: f64) {
    let cls = class_name(snd.class);
    let dotted = if snd.arrow.line == LineStyle::Dotted {
        " dt"
    } else {
        ""
    };
    let mut label_done = false;
    for &t in &snd.to {
        let tx = lay.x[t];
        let dx = tx - snd.from_x;
        let dy = yy - snd.y;
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        line(
            &mut s.front,
            snd.from_x,
            snd.y,
            tx,
            yy,
            &format!("ln{dotted}{cls}"),
        );
        // Head along the slanted direction.
        let (ux, uy) = (dx / len, dy / len);
        let (bx, by) = (tx - ux * 10.0, yy - uy * 10.0);
        let (px, py) = (-uy * 4.5, ux * 4.5);
        if snd.arrow.head != Head::None {
            let _ = write!(
                s.front,
                "<path class=\"hd{cls}\" d=\"M{} {}L{} {}L{} {}Z\"/>",
                N(tx),
                N(yy),
                N(bx + px),
                N(by + py),
                N(bx - px),
                N(by - py)
            );
        }
        if !label_done {
            // Near the start, where crossing messages are still apart.
            let mx = snd.from_x + dx * 0.3;
            let my = snd.y + dy * 0.3;
            // On the free side of the slanted line: above-right when it runs down-left.
            let (lx, anchor) = if dx < 0.0 {
                (mx + 8.0, "start")
            } else {
                (mx - 8.0, "end")
            };
            text_block(
                &mut s.front,
                lx,
                my - lines_h(&snd.lines) - 2.0,
                anchor,
                &format!("lb{cls}"),
                &snd.lines,
            );
            let lw = block_width(&snd.lines);
            s.ext(lx - lw, lx + lw);
            label_done = true;
        }
        s.ext(snd.from_x.min(tx), snd.from_x.max(tx));
    }
}

fn draw_partition(mid: &mut String, front: &mut String, p: (f64, f64, Vec<String>), y1: f64) {
    let (bx, y0, lines) = p;
    let mut d = format!("M{} {}", N(bx), N(y0));
    let mut y = y0;
    let mut k = 0;
    while y + 8.0 < y1 {
        y += 8.0;
        let off = if k % 2 == 0 { 5.0 } else { -5.0 };
        let _ = write!(d, "L{} {}", N(bx + off), N(y));
        k += 1;
    }
    let _ = write!(d, "L{} {}", N(bx), N(y1));
    let _ = write!(mid, "<path class=\"pt\" stroke-width=\"3\" d=\"{d}\"/>");
    if !lines.is_empty() {
        text_block(front, bx + 8.0, y0 - 2.0, "start", "lb bad", &lines);
    }
}

fn brace(out: &mut String, x: f64, y0: f64, y1: f64, dir: f64) {
    let m = (y0 + y1) / 2.0;
    let k = dir * 6.0;
    let _ = write!(
        out,
        "<path class=\"ln warn\" d=\"M{} {}q{} 0 {} 6V{}q0 6 {} 6q{} 0 {} 6V{}q0 6 {} 6\"/>",
        N(x),
        N(y0),
        N(k),
        N(k),
        N(m - 6.0),
        N(k),
        N(-k),
        N(-k),
        N(y1 - 6.0),
        N(-k)
    );
}

fn activation(out: &mut String, x: f64, level: usize, y0: f64, y1: f64) {
    let ax = x - 5.0 + 4.0 * level as f64;
    let _ = write!(
        out,
        "<rect class=\"act\" x=\"{}\" y=\"{}\" width=\"10\" height=\"{}\"/>",
        N(ax),
        N(y0),
        N((y1 - y0).max(4.0))
    );
}

fn lifeline(
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

fn draw_actor(out: &mut String, lay: &Layout<'_>, p: usize, top: f64) {
    let part = &lay.d.participants[p];
    let (x, w, h) = (lay.x[p], lay.w[p], lay.actor_h[p]);
    let lines = &lay.plabels[p];
    let link = part.links.first();
    let label_top = match part.shape {
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
            top + FIGURE_H + 2.0
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
            top + FIGURE_H + 2.0
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
            top + FIGURE_H + 2.0
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
            top + FIGURE_H + 2.0
        }
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

fn style(out: &mut String, sc: &str) {
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

/// `prefix：first line` followed by the other lines, or just `prefix`.
fn prefixed(prefix: &str, lines: &[String]) -> Vec<String> {
    if lines.is_empty() {
        return vec![prefix.to_string()];
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == 0 {
                format!("{prefix}：{t}")
            } else {
                t.clone()
            }
        })
        .collect()
}
