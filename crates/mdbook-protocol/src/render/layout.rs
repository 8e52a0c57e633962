//! Horizontal layout: label wrapping, participant widths and the spacing between lifelines
//! that every message, note and protocol annotation needs.

use crate::ast::*;
use crate::text::{text_width, wrap_line};

pub(super) const FONT: f64 = 14.0;
pub(super) const LINE_H: f64 = 18.0;
pub(super) const MARGIN: f64 = 16.0;
pub(super) const ACTOR_MIN_W: f64 = 80.0;
pub(super) const ACTOR_PAD: f64 = 12.0;
pub(super) const BOX_H: f64 = 36.0;
pub(super) const FIGURE_H: f64 = 34.0;
pub(super) const MSG_WRAP: f64 = 200.0;
pub(super) const MSG_AUTO_WRAP: f64 = 320.0;
pub(super) const NOTE_WRAP: f64 = 200.0;
pub(super) const NOTE_AUTO_WRAP: f64 = 260.0;
pub(super) const ACTOR_AUTO_WRAP: f64 = 160.0;

pub(super) fn lines_for(label: &Label, global_wrap: bool, wrap_w: f64, auto_w: f64) -> Vec<String> {
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

pub(super) fn block_width(lines: &[String]) -> f64 {
    lines
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
}

pub(super) struct Layout<'d> {
    pub(super) d: &'d Diagram,
    pub(super) x: Vec<f64>,
    pub(super) w: Vec<f64>,
    pub(super) plabels: Vec<Vec<String>>,
    pub(super) actor_h: Vec<f64>,
    pub(super) ev_lines: Vec<Vec<String>>,
}

pub(super) fn is_figure(s: Shape) -> bool {
    matches!(
        s,
        Shape::Actor | Shape::Boundary | Shape::Control | Shape::Entity
    )
}

pub(super) fn layout_x(d: &Diagram) -> Layout<'_> {
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

pub(super) fn endpoint_x(lay: &Layout<'_>, e: Endpoint) -> f64 {
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
