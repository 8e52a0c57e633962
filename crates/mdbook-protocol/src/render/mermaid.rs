//! Rendering of Mermaid's own statements: messages (with autonumbering, activation, creation
//! and destruction), notes, activations and fragments (`loop`, `alt`, `rect`, …).

use std::fmt::Write as _;

use super::layout::{LINE_H, block_width, endpoint_x};
use super::svg::{N, activation, class_name, draw_actor, head, line, text, text_block};
use super::{Extent, Renderer};
use crate::ast::*;
use crate::safety::escape;
use crate::text::text_width;

/// An open fragment: its label, top, the horizontal extent of what it encloses so far and the
/// sections (`else`, `and`, `option`) started in it.
pub(super) struct Frame {
    pub(super) kind: BlockKind,
    pub(super) label: Vec<String>,
    pub(super) top: f64,
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) sections: Vec<(f64, &'static str, Vec<String>)>,
}

impl<'a> Renderer<'a> {
    /// A message row: the autonumber, then a self-message, a message delivered later, or the
    /// arrows of a (possibly fanned-out) message; then destruction and activation changes.
    pub(super) fn message(&mut self, m: &'a Message, lines: &'a [String]) -> Extent {
        let lay = self.lay;
        let th = lines.len() as f64 * LINE_H;
        let mut ay = self.cur + th + 7.0;
        let from_ps: Vec<usize> = m.from.iter().filter_map(Endpoint::participant).collect();
        let to_ps: Vec<usize> = m.to.iter().filter_map(Endpoint::participant).collect();
        // A created participant appears on this row.
        if let Some(c) = self.pending_create.take()
            && to_ps.contains(&c)
        {
            let h = lay.actor_h[c];
            ay = ay.max(self.cur + h / 2.0 + 2.0);
            draw_actor(&mut self.s.front, lay, c, ay - h / 2.0);
            self.life_start[c] = ay + h / 2.0;
        }
        self.autonumber_badge(m, ay);
        let is_self = from_ps.len() == 1
            && to_ps.len() == 1
            && from_ps[0] == to_ps[0]
            && m.from.len() == 1
            && m.to.len() == 1;
        let extent;
        if is_self {
            (extent, ay) = self.self_message(m, from_ps[0], th, lines);
        } else if m.id.is_some() || m.delay.is_some() {
            ay = self.send_later(m, &to_ps, lines);
            extent = None;
        } else {
            extent = self.arrows(m, ay, lines);
        }
        // Destruction.
        if let Some(p) = self.pending_destroy.take()
            && (from_ps.contains(&p) || to_ps.contains(&p))
        {
            let x = &lay.x;
            let _ = write!(
                self.s.front,
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
            self.life_end[p] = Some(ay);
            self.cur = self.cur.max(ay + 14.0);
        }
        if m.activate {
            for &p in &to_ps {
                self.active[p].push(ay);
            }
        }
        if m.deactivate {
            for &p in &from_ps {
                if let Some(y0) = self.active[p].pop() {
                    activation(&mut self.s.back, lay.x[p], self.active[p].len(), y0, ay);
                }
            }
        }
        self.last_y = ay;
        extent
    }

    /// The numbered circle at the sender when autonumbering is on.
    fn autonumber_badge(&mut self, m: &Message, ay: f64) {
        let lay = self.lay;
        if let Some(num) = self.autonum.as_mut() {
            let fx = m
                .from
                .first()
                .map_or(lay.x.first().copied().unwrap_or(0.0), |e| {
                    endpoint_x(lay, *e)
                });
            let label = fmt_num(num.0);
            let _ = write!(
                self.s.front,
                "<circle class=\"sq\" cx=\"{}\" cy=\"{}\" r=\"9\"/>",
                N(fx),
                N(ay)
            );
            let _ = write!(
                self.s.front,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"sqt\">",
                N(fx),
                N(ay + 3.5)
            );
            escape(&label, &mut self.s.front);
            self.s.front.push_str("</text>");
            num.0 += num.1;
        }
    }

    /// A message from a participant to itself: a loop to the right. Returns the extent and
    /// the arrow's y.
    fn self_message(&mut self, m: &Message, p: usize, th: f64, lines: &[String]) -> (Extent, f64) {
        let cls = class_name(m.class);
        let dotted = dotted(m.arrow);
        let px = self.lay.x[p] + self.act_off(p, 1.0);
        let y0 = self.cur + th + 4.0;
        let _ = write!(
            self.s.front,
            "<path class=\"ln{dotted}{cls}\" d=\"M{} {}H{}V{}H{}\"/>",
            N(px),
            N(y0),
            N(px + 32.0),
            N(y0 + 18.0),
            N(px + 2.0)
        );
        head(&mut self.s.front, m.arrow.head, px, y0 + 18.0, -1.0, cls);
        head(&mut self.s.front, m.arrow.tail, px, y0, -1.0, cls);
        text_block(
            &mut self.s.front,
            px + 8.0,
            self.cur,
            "start",
            &format!("lb{cls}"),
            lines,
        );
        let extent = Some((px, px + 40.0 + block_width(lines)));
        let ay = y0 + 18.0;
        self.cur = ay + 12.0;
        (extent, ay)
    }

    /// The arrows of a message: every sender paired with every receiver, shortest first and
    /// staggered by 6px (one pair for a plain Mermaid message), with the label over the first.
    fn arrows(&mut self, m: &Message, ay: f64, lines: &[String]) -> Extent {
        let lay = self.lay;
        let cls = class_name(m.class);
        let dotted = dotted(m.arrow);
        let mut extent: Extent = None;
        let mut pairs: Vec<(Endpoint, Endpoint)> = Vec::new();
        for f in &m.from {
            for t in &m.to {
                if f != t {
                    pairs.push((*f, *t));
                }
            }
        }
        pairs.sort_by(|a, b| {
            let da = (endpoint_x(lay, a.0) - endpoint_x(lay, a.1)).abs();
            let db = (endpoint_x(lay, b.0) - endpoint_x(lay, b.1)).abs();
            da.total_cmp(&db)
        });
        let mut label_done = false;
        for (k, (f, t)) in pairs.iter().enumerate() {
            let yy = ay + 6.0 * k as f64;
            let mut fx = endpoint_x(lay, *f);
            let mut tx = endpoint_x(lay, *t);
            let dir = if tx >= fx { 1.0 } else { -1.0 };
            if let Endpoint::P(p) = f {
                fx += self.act_off(*p, dir);
            }
            if let Endpoint::P(p) = t {
                tx -= self.act_off(*p, dir);
                if self.d.participants[*p].created
                    && (self.life_start[*p] - yy).abs() < lay.actor_h[*p]
                {
                    tx -= dir * lay.w[*p] / 2.0;
                }
            }
            if !label_done {
                text_block(
                    &mut self.s.front,
                    (fx + tx) / 2.0,
                    self.cur,
                    "middle",
                    &format!("lb{cls}"),
                    lines,
                );
                label_done = true;
            }
            if *f == Endpoint::Left {
                let _ = write!(
                    self.s.front,
                    "<circle class=\"hd{cls}\" cx=\"{}\" cy=\"{}\" r=\"4\"/>",
                    N(fx),
                    N(yy)
                );
            }
            match m.lost {
                Some(frac) => self.lost_arrow(fx, tx, yy, frac, &format!("ln{dotted}{cls}")),
                None => {
                    let s = &mut self.s.front;
                    line(s, fx, yy, tx, yy, &format!("ln{dotted}{cls}"));
                    head(s, m.arrow.head, tx, yy, dir, cls);
                    head(s, m.arrow.tail, fx, yy, -dir, cls);
                }
            }
            if m.central_from {
                let _ = write!(
                    self.s.front,
                    "<circle class=\"cc\" cx=\"{}\" cy=\"{}\" r=\"4\"/>",
                    N(fx),
                    N(yy)
                );
            }
            if m.central_to {
                let _ = write!(
                    self.s.front,
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
        self.cur = ay + extra + 12.0;
        extent
    }

    /// `Note left of|right of|over A[,B]: text`.
    pub(super) fn note(
        &mut self,
        placement: Placement,
        a: usize,
        b: Option<usize>,
        class: Option<Class>,
        lines: &[String],
    ) -> Extent {
        let x = &self.lay.x;
        let nw = block_width(lines) + 16.0;
        let h = lines.len().max(1) as f64 * LINE_H + 10.0;
        let (x0, w) = match (placement, b) {
            (Placement::LeftOf, _) => (x[a] - 8.0 - nw, nw),
            (Placement::RightOf, _) => (x[a] + 8.0, nw),
            (Placement::Over, None) => {
                let w = nw.max(60.0);
                (x[a] - w / 2.0, w)
            }
            (Placement::Over, Some(b)) => {
                let (lo, hi) = (x[a].min(x[b]) - 24.0, x[a].max(x[b]) + 24.0);
                let w = nw.max(hi - lo);
                ((lo + hi) / 2.0 - w / 2.0, w)
            }
        };
        let cls = class_name(class);
        let _ = write!(
            self.s.front,
            "<rect class=\"nt{cls}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            N(x0),
            N(self.cur),
            N(w),
            N(h)
        );
        text_block(
            &mut self.s.front,
            x0 + w / 2.0,
            self.cur + 5.0,
            "middle",
            "",
            lines,
        );
        self.cur += h + 10.0;
        Some((x0, x0 + w))
    }

    /// `activate A`: an activation starts at the last message.
    pub(super) fn activate(&mut self, p: usize) -> Extent {
        self.active[p].push(self.last_y);
        None
    }

    /// `deactivate A`: the innermost activation ends at the last message.
    pub(super) fn deactivate(&mut self, p: usize) -> Extent {
        if let Some(y0) = self.active[p].pop() {
            activation(
                &mut self.s.back,
                self.lay.x[p],
                self.active[p].len(),
                y0,
                self.last_y.max(y0 + 10.0),
            );
        }
        None
    }

    /// `loop`, `alt`, `opt`, `par`, `critical`, `break`, `rect` (and the protocol's `brace`):
    /// opens a frame; it is drawn when it ends, once its width is known.
    pub(super) fn block_start(&mut self, kind: &BlockKind, lines: &[String]) -> Extent {
        let top = self.cur;
        self.frames.push(Frame {
            kind: kind.clone(),
            label: lines.to_vec(),
            top,
            x0: f64::MAX,
            x1: f64::MIN,
            sections: Vec::new(),
        });
        self.cur += match kind {
            BlockKind::Rect(_) => 10.0,
            BlockKind::Brace { .. } => 4.0,
            _ => lines.len().max(1) as f64 * LINE_H + 10.0,
        };
        None
    }

    /// `else`, `and`, `option`: a dashed separator in the open frame.
    pub(super) fn section(&mut self, keyword: &'static str, lines: &[String]) -> Extent {
        if let Some(f) = self.frames.last_mut() {
            f.sections.push((self.cur + 2.0, keyword, lines.to_vec()));
        }
        self.cur += lines.len().max(1) as f64 * LINE_H + 10.0;
        None
    }

    /// `end`: draws the innermost frame around what it enclosed and widens its parent.
    pub(super) fn block_end(&mut self) -> Extent {
        let f = self.frames.pop()?;
        let x = &self.lay.x;
        let n = self.n;
        let bottom = self.cur;
        let (mut x0, mut x1) = if f.x0 <= f.x1 {
            (f.x0 - 12.0, f.x1 + 12.0)
        } else if n > 0 {
            (x[0] - 30.0, x[n - 1] + 30.0)
        } else {
            (0.0, 100.0)
        };
        let extent = match &f.kind {
            BlockKind::Brace { p, right } => self.brace_end(&f, *p, *right, bottom),
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
                self.s.back.insert_str(0, &r);
                self.cur += 6.0;
                Some((x0, x1))
            }
            kind => {
                x1 = self.fragment(&f, kind.keyword(), x0, x1, bottom);
                self.cur += 8.0;
                Some((x0, x1))
            }
        };
        if let Some((a, b)) = extent {
            x0 = a;
            x1 = b;
        }
        self.s.ext(x0, x1);
        if let Some(parent) = self.frames.last_mut() {
            parent.x0 = parent.x0.min(x0);
            parent.x1 = parent.x1.max(x1);
        }
        None
    }

    /// A fragment frame with its keyword tab, condition and section separators; returns its
    /// right edge (widened to fit the labels).
    fn fragment(&mut self, f: &Frame, kw: &str, x0: f64, mut x1: f64, bottom: f64) -> f64 {
        let mid = &mut self.s.mid;
        let tab_w = text_width(kw, 12.0) + 14.0;
        let label_w = block_width(&f.label);
        x1 = x1.max(x0 + tab_w + label_w + 30.0);
        for (_, _, l) in &f.sections {
            x1 = x1.max(x0 + block_width(l) + 40.0);
        }
        let _ = write!(
            mid,
            "<rect class=\"fr\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            N(x0),
            N(f.top),
            N(x1 - x0),
            N(bottom - f.top)
        );
        let _ = write!(
            mid,
            "<path class=\"tab\" d=\"M{} {}h{}v10l-6 8H{}Z\"/>",
            N(x0),
            N(f.top),
            N(tab_w),
            N(x0)
        );
        text(mid, x0 + 5.0, f.top + 13.0, "start", "kw", kw);
        let bracketed: Vec<String> = f.label.iter().map(|l| format!("[{l}]")).collect();
        if !f.label.is_empty() {
            text_block(mid, x0 + tab_w + 8.0, f.top, "start", "cond", &bracketed);
        }
        for (sy, _, l) in &f.sections {
            let _ = write!(
                mid,
                "<path class=\"fr sep\" d=\"M{} {}H{}\"/>",
                N(x0),
                N(*sy),
                N(x1)
            );
            if !l.is_empty() {
                let b: Vec<String> = l.iter().map(|t| format!("[{t}]")).collect();
                text_block(mid, (x0 + x1) / 2.0, *sy, "middle", "cond", &b);
            }
        }
        x1
    }

    /// `autonumber [start [step]]` / `autonumber off`.
    pub(super) fn autonumber(&mut self, a: &Autonumber) -> Extent {
        match a {
            Autonumber::Off => self.autonum = None,
            Autonumber::On { start, step } => {
                let cur_next = self.autonum.map_or(1.0, |v| v.0);
                self.autonum = Some((start.unwrap_or(cur_next), step.unwrap_or(1.0)));
            }
        }
        None
    }

    /// `create participant A`: the actor is drawn at the next message that reaches it.
    pub(super) fn create(&mut self, p: usize) -> Extent {
        self.pending_create = Some(p);
        None
    }

    /// `destroy A`: the lifeline ends at the next message that involves it.
    pub(super) fn destroy(&mut self, p: usize) -> Extent {
        self.pending_destroy = Some(p);
        None
    }
}

/// The class suffix of a dotted arrow.
pub(super) fn dotted(a: Arrow) -> &'static str {
    if a.line == LineStyle::Dotted {
        " dt"
    } else {
        ""
    }
}

/// An autonumber: at most two decimals, without trailing zeros.
fn fmt_num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
