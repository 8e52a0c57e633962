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

fn is_figure(s: Shape) -> bool {
    matches!(
        s,
        Shape::Actor | Shape::Boundary | Shape::Control | Shape::Entity
    )
}

/// Lays the participants out: label lines and sizes, then lifeline positions far enough apart
/// for every label, note and annotation that sits between or beside them.
pub(super) fn layout_x(d: &Diagram) -> Layout<'_> {
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
    let ev_lines: Vec<Vec<String>> = d.events.iter().map(|e| event_lines(d, e)).collect();
    let mut spacing = Spacing::new(&w);
    for (e, lines) in d.events.iter().zip(&ev_lines) {
        spacing.event(&e.kind, block_width(lines));
    }
    let x = spacing.solve();
    Layout {
        d,
        x,
        w,
        plabels,
        actor_h,
        ev_lines,
    }
}

/// An event's label, wrapped for its kind.
fn event_lines(d: &Diagram, e: &Event) -> Vec<String> {
    match &e.kind {
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
    }
}

/// The horizontal spacing problem: `gap[i]` is the distance from lifeline i to i+1
/// (`gap[n-1]` is the room right of the last lifeline), `left_room` the room left of the
/// first, and `spans` the constraints `(a, b, distance needed)` with a < b, applied shortest
/// first.
struct Spacing {
    n: usize,
    gap: Vec<f64>,
    left_room: f64,
    spans: Vec<(usize, usize, f64)>,
}

impl Spacing {
    /// Participants side by side, 20px apart.
    fn new(w: &[f64]) -> Self {
        let n = w.len();
        let gap = (0..n)
            .map(|i| {
                if i + 1 < n {
                    w[i] / 2.0 + w[i + 1] / 2.0 + 20.0
                } else {
                    w[i] / 2.0
                }
            })
            .collect();
        Spacing {
            n,
            gap,
            left_room: w.first().map_or(0.0, |v| v / 2.0),
            spans: Vec::new(),
        }
    }

    /// Room `need` right of lifeline `p`.
    fn right_of(&mut self, p: usize, need: f64) {
        if p + 1 < self.n {
            self.spans.push((p, p + 1, need));
        } else if let Some(g) = self.gap.get_mut(p) {
            *g = g.max(need);
        }
    }

    /// Room `need` left of lifeline `p`.
    fn left_of(&mut self, p: usize, need_first: f64, need: f64) {
        if p == 0 {
            self.left_room = self.left_room.max(need_first);
        } else {
            self.spans.push((p - 1, p, need));
        }
    }

    /// The room an event needs; `lw` is the width of its label.
    fn event(&mut self, kind: &EventKind, lw: f64) {
        match kind {
            EventKind::Message(m) => self.message(m, lw),
            EventKind::Note {
                placement, a, b, ..
            } => self.note(*placement, *a, *b, lw + 16.0),
            EventKind::Crash(p, _) | EventKind::Recover(p, _) => self.right_of(*p, lw + 70.0),
            EventKind::TimerSet(p, name, _)
            | EventKind::Timeout(p, name, _)
            | EventKind::TimerCancel(p, name, _) => {
                self.right_of(*p, lw + text_width(name, FONT) + 70.0);
            }
            EventKind::BlockStart {
                kind: BlockKind::Brace { p, right },
                ..
            } => {
                if *right {
                    self.right_of(*p, lw + 40.0);
                } else {
                    self.left_of(*p, lw + 40.0, lw + 50.0);
                }
            }
            EventKind::State(ps, _) => self.state(ps, lw),
            _ => {}
        }
    }

    /// A message label sits over its shortest arrow; a self-message's label right of it.
    fn message(&mut self, m: &Message, lw: f64) {
        let ps = |v: &Vec<Endpoint>| {
            v.iter()
                .filter_map(Endpoint::participant)
                .collect::<Vec<_>>()
        };
        let (f, t) = (ps(&m.from), ps(&m.to));
        if f.len() == 1 && t.len() == 1 && f[0] == t[0] {
            self.right_of(f[0], lw + 46.0);
            return;
        }
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
            self.spans.push((lo, hi, lw + 28.0));
        } else if m.from.contains(&Endpoint::Left) {
            if !t.is_empty() {
                self.left_room = self.left_room.max(lw + 30.0);
            }
        } else if m.to.contains(&Endpoint::Right)
            && let Some(&p) = f.first()
        {
            self.right_of(p, lw + 30.0);
        }
    }

    /// A note of width `nw` beside, over, or across lifelines.
    fn note(&mut self, placement: Placement, a: usize, b: Option<usize>, nw: f64) {
        match (placement, b) {
            (Placement::LeftOf, _) => self.left_of(a, nw + 12.0, nw + 24.0),
            (Placement::RightOf, _) => self.right_of(a, nw + 12.0),
            (Placement::Over, None) => {
                self.left_of(a, nw / 2.0 + 4.0, nw / 2.0 + 20.0);
                self.right_of(a, nw / 2.0 + 4.0);
            }
            (Placement::Over, Some(b)) => {
                let (lo, hi) = (a.min(b), a.max(b));
                if lo != hi {
                    self.spans.push((lo, hi, nw - 40.0));
                }
            }
        }
    }

    /// A state box over one lifeline (room on both sides, also for a same-row state box on a
    /// neighbour) or across several.
    fn state(&mut self, ps: &[usize], lw: f64) {
        let lo = *ps.iter().min().unwrap_or(&0);
        let hi = *ps.iter().max().unwrap_or(&0);
        if lo == hi {
            self.left_of(lo, lw / 2.0 + 14.0, lw / 2.0 + 60.0);
            if lo + 1 < self.n {
                self.spans.push((lo, lo + 1, lw / 2.0 + 60.0));
            } else {
                self.right_of(lo, lw / 2.0 + 14.0);
            }
        } else {
            self.spans.push((lo, hi, lw - 20.0));
        }
    }

    /// Widens the gaps to meet every constraint, shortest spans first; returns the lifeline
    /// positions.
    fn solve(mut self) -> Vec<f64> {
        self.spans.sort_by_key(|(a, b, _)| b - a);
        let gap = &mut self.gap;
        for (a, b, need) in self.spans {
            let have: f64 = gap[a..b].iter().sum();
            if have < need {
                let add = (need - have) / (b - a) as f64;
                for g in &mut gap[a..b] {
                    *g += add;
                }
            }
        }
        let mut x = Vec::with_capacity(self.n);
        let mut cur = MARGIN + self.left_room;
        for g in gap.iter().take(self.n) {
            x.push(cur);
            cur += g;
        }
        x
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
