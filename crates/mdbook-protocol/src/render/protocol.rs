//! Rendering of the protocol extensions (not Mermaid syntax): crash and recovery, timers,
//! state and `ref` boxes, network partitions, time gaps, dividers, spacing, and messages that
//! arrive later (`@{id}` … `deliver`, `@{delay: k}`) or are lost (`@{lost}`).

use std::fmt::Write as _;

use super::layout::{LINE_H, Layout, block_width, endpoint_x};
use super::mermaid::Frame;
use super::mermaid::dotted;
use super::svg::{N, Svg, activation, class_name, line, lines_h, text, text_block};
use super::{Extent, Renderer};
use crate::ast::*;

/// A message sent now and drawn as a slanted arrow when it is delivered.
#[derive(Clone)]
pub(super) struct Sent {
    from_x: f64,
    y: f64,
    to: Vec<usize>,
    arrow: Arrow,
    lines: Vec<String>,
    class: Option<Class>,
}

impl<'a> Renderer<'a> {
    /// A message with `@{id}` or `@{delay: k}`: a dot at the sender now, the slanted arrow
    /// later. Returns the y of the dot row's end.
    pub(super) fn send_later(&mut self, m: &'a Message, to_ps: &[usize], lines: &[String]) -> f64 {
        let cls = class_name(m.class);
        let fx = m.from.first().map_or(0.0, |e| endpoint_x(self.lay, *e));
        let _ = write!(
            self.s.front,
            "<circle class=\"hd{cls}\" cx=\"{}\" cy=\"{}\" r=\"2.5\"/>",
            N(fx),
            N(self.cur + 6.0)
        );
        let snd = Sent {
            from_x: fx,
            y: self.cur + 6.0,
            to: to_ps.to_vec(),
            arrow: m.arrow,
            lines: lines.to_vec(),
            class: m.class,
        };
        if let Some(id) = &m.id {
            self.sent.insert(id.as_str(), snd);
        } else if let Some(k) = m.delay {
            self.delayed.push((k, snd));
        }
        self.cur += 14.0;
        self.cur
    }

    /// A message marked `@{lost}`: it stops at the partition barrier it crosses, or at `frac`
    /// of the way, with a cross; the rest is faint.
    pub(super) fn lost_arrow(&mut self, fx: f64, tx: f64, yy: f64, frac: f64, class: &str) {
        let lx = match &self.partition {
            Some((bx, _, _)) if (fx - bx) * (tx - bx) < 0.0 => *bx,
            _ => fx + (tx - fx) * frac,
        };
        let front = &mut self.s.front;
        line(front, fx, yy, lx, yy, class);
        line(front, lx, yy, tx, yy, "ln lostrest");
        let _ = write!(
            front,
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

    /// After each message, note or delivery row: delayed messages whose count reaches zero
    /// arrive on this row.
    pub(super) fn count_down_delayed(&mut self) {
        let lay = self.lay;
        let row_y = self.cur - 12.0;
        for (k, snd) in self.delayed.iter_mut() {
            if *k > 0 {
                *k -= 1;
                if *k == 0 {
                    slanted(&mut self.s, lay, snd, row_y.max(snd.y + 14.0));
                }
            }
        }
    }

    /// `deliver ID`: the message sent with `@{id: ID}` arrives on this row.
    pub(super) fn deliver(&mut self, id: &str) -> Extent {
        if let Some(snd) = self.sent.get(id).cloned() {
            let yy = self.cur + lines_h(&snd.lines).max(10.0) + 4.0;
            slanted(&mut self.s, self.lay, &snd, yy);
            self.cur = yy + 12.0;
        }
        None
    }

    /// `crash A[: label]`: a red cross; activations end and the lifeline turns dashed.
    pub(super) fn crash(&mut self, p: usize, lines: &[String]) -> Extent {
        let yy = self.cur + 10.0;
        let px = self.lay.x[p];
        let _ = write!(
            self.s.front,
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
        text_block(
            &mut self.s.front,
            px + 14.0,
            yy - 12.0,
            "start",
            "lb bad",
            &l,
        );
        let extent = Some((px - 10.0, px + 16.0 + block_width(&l)));
        while let Some(y0) = self.active[p].pop() {
            activation(&mut self.s.back, px, self.active[p].len(), y0, yy);
        }
        self.crash_at[p] = Some(yy);
        self.cur = yy + (l.len() as f64 * LINE_H).max(16.0);
        extent
    }

    /// `recover A[: label]`: a green mark; the dashed stretch of the lifeline ends.
    pub(super) fn recover(&mut self, p: usize, lines: &[String]) -> Extent {
        let yy = self.cur + 10.0;
        let px = self.lay.x[p];
        if let Some(y0) = self.crash_at[p].take() {
            self.dashed[p].push((y0, yy));
        }
        let _ = write!(
            self.s.front,
            "<rect class=\"okbox\" x=\"{}\" y=\"{}\" width=\"16\" height=\"8\" rx=\"2\"/>",
            N(px - 8.0),
            N(yy - 4.0)
        );
        let l = prefixed("恢复", lines);
        text_block(
            &mut self.s.front,
            px + 14.0,
            yy - 12.0,
            "start",
            "lb ok",
            &l,
        );
        let extent = Some((px - 10.0, px + 16.0 + block_width(&l)));
        self.cur = yy + (l.len() as f64 * LINE_H).max(16.0);
        extent
    }

    /// `timer A T[: label]`: an hourglass; the timer runs until `timeout` or `cancel`.
    pub(super) fn timer_set(&mut self, p: usize, name: &'a str, lines: &[String]) -> Extent {
        let yy = self.cur + 8.0;
        let tx = self.lay.x[p] + 10.0;
        let _ = write!(
            self.s.front,
            "<path class=\"hg\" d=\"M{} {}h10l-10 12h10Z\"/>",
            N(tx),
            N(yy - 6.0)
        );
        let l = timer_label("计时", name, lines);
        text_block(
            &mut self.s.front,
            tx + 14.0,
            yy - 12.0,
            "start",
            "lb warn",
            &l,
        );
        let extent = Some((tx, tx + 16.0 + block_width(&l)));
        self.timers.insert((p, name), yy + 6.0);
        self.cur = yy + (l.len() as f64 * LINE_H).max(14.0);
        extent
    }

    /// `timeout A T` (a clock) or `cancel A T` (a cross), joined to where the timer was set.
    pub(super) fn timer_end(
        &mut self,
        p: usize,
        name: &'a str,
        timeout: bool,
        lines: &[String],
    ) -> Extent {
        let yy = self.cur + 8.0;
        let tx = self.lay.x[p] + 15.0;
        if let Some(y0) = self.timers.remove(&(p, name)) {
            line(&mut self.s.mid, tx, y0, tx, yy, "ln warn dt");
        }
        if timeout {
            let _ = write!(
                self.s.front,
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
                self.s.front,
                "<path class=\"ln warn\" stroke-width=\"2\" d=\"M{} {}l8 8m0-8l-8 8\"/>",
                N(tx - 4.0),
                N(yy - 4.0)
            );
        }
        let prefix = if timeout { "超时" } else { "取消" };
        let l = timer_label(prefix, name, lines);
        text_block(
            &mut self.s.front,
            tx + 10.0,
            yy - 12.0,
            "start",
            "lb warn",
            &l,
        );
        let extent = Some((tx - 6.0, tx + 12.0 + block_width(&l)));
        self.cur = yy + (l.len() as f64 * LINE_H).max(14.0);
        extent
    }

    /// `state over A[,B]: label`: a hexagon over the participants.
    pub(super) fn state(&mut self, ps: &[usize], lines: &[String]) -> Extent {
        if ps.is_empty() {
            return None;
        }
        let x = &self.lay.x;
        let cur = self.cur;
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
            self.s.front,
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
            &mut self.s.front,
            (x0 + x1) / 2.0,
            cur + 4.0,
            "middle",
            "",
            lines,
        );
        self.cur += h + 10.0;
        Some((x0, x1))
    }

    /// `ref over A[,B]: label`: a frame with a `ref` tab.
    pub(super) fn reference(&mut self, a: usize, b: usize, lines: &[String]) -> Extent {
        let x = &self.lay.x;
        let cur = self.cur;
        let (lo, hi) = (x[a].min(x[b]) - 30.0, x[a].max(x[b]) + 30.0);
        let lw = block_width(lines) + 60.0;
        let (x0, x1) = (
            lo.min((lo + hi) / 2.0 - lw / 2.0),
            hi.max((lo + hi) / 2.0 + lw / 2.0),
        );
        let h = lines.len().max(1) as f64 * LINE_H + 14.0;
        let front = &mut self.s.front;
        let _ = write!(
            front,
            "<rect class=\"rf\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            N(x0),
            N(cur),
            N(x1 - x0),
            N(h)
        );
        let _ = write!(
            front,
            "<path class=\"tab\" d=\"M{} {}h28v8l-5 6H{}Z\"/>",
            N(x0),
            N(cur),
            N(x0)
        );
        text(front, x0 + 4.0, cur + 11.0, "start", "kw", "ref");
        text_block(front, (x0 + x1) / 2.0, cur + 7.0, "middle", "", lines);
        self.cur += h + 10.0;
        Some((x0, x1))
    }

    /// `partition A,B | C,D[: label]`: a barrier between the two sides, drawn at `heal`.
    pub(super) fn partition(&mut self, l: &[usize], r: &[usize], lines: &[String]) -> Extent {
        let x = &self.lay.x;
        let n = self.n;
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
        self.partition = Some((bx, self.cur, lines.to_vec()));
        self.cur += 4.0;
        None
    }

    /// `heal`: the partition barrier is drawn from where it started down to here.
    pub(super) fn heal(&mut self) -> Extent {
        if let Some(p) = self.partition.take() {
            draw_partition(&mut self.s.mid, &mut self.s.front, p, self.cur);
            self.cur += 8.0;
        }
        None
    }

    /// `... label ...`: a time gap; every lifeline is dotted across it.
    pub(super) fn gap(&mut self, lines: &[String]) -> Extent {
        let cur = self.cur;
        let x = &self.lay.x;
        let n = self.n;
        self.gaps.push((cur, cur + 30.0));
        if !lines.is_empty() {
            let cx = if n > 0 { (x[0] + x[n - 1]) / 2.0 } else { 50.0 };
            text_block(
                &mut self.s.front,
                cx,
                cur + 15.0 - lines_h(lines) / 2.0,
                "middle",
                "lb gapt",
                lines,
            );
        }
        self.cur += 30.0;
        None
    }

    /// `== label ==`: a double line across the diagram with the label in a box.
    pub(super) fn divider(&mut self, lines: &[String]) -> Extent {
        let lay = self.lay;
        let (x, n) = (&lay.x, self.n);
        let (x0, x1) = if n > 0 {
            (x[0] - lay.w[0] / 2.0, x[n - 1] + lay.w[n - 1] / 2.0)
        } else {
            (0.0, 100.0)
        };
        let yy = self.cur + 12.0;
        let _ = write!(
            self.s.mid,
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
            self.s.front,
            "<rect class=\"dvb\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            N(cx - lw / 2.0),
            N(yy - h / 2.0),
            N(lw),
            N(h)
        );
        text_block(
            &mut self.s.front,
            cx,
            yy - h / 2.0 + 2.0,
            "middle",
            "kw",
            lines,
        );
        self.cur = yy + h / 2.0 + 10.0;
        None
    }

    /// `|||`: extra vertical space.
    pub(super) fn space(&mut self) -> Extent {
        self.cur += 20.0;
        None
    }

    /// The end of `brace left|right of A: label`: a curly brace beside the lifeline over the
    /// enclosed rows, with its label.
    pub(super) fn brace_end(&mut self, f: &Frame, p: usize, right: bool, bottom: f64) -> Extent {
        let x = &self.lay.x;
        let bx = if right { x[p] + 12.0 } else { x[p] - 12.0 };
        let dir = if right { 1.0 } else { -1.0 };
        brace(&mut self.s.mid, bx, f.top, bottom, dir);
        let ly = (f.top + bottom) / 2.0 - lines_h(&f.label) / 2.0;
        let anchor = if right { "start" } else { "end" };
        text_block(
            &mut self.s.front,
            bx + dir * 14.0,
            ly,
            anchor,
            "lb warn",
            &f.label,
        );
        let lw = block_width(&f.label);
        self.cur += 6.0;
        Some(if right {
            (bx, bx + 16.0 + lw)
        } else {
            (bx - 16.0 - lw, bx)
        })
    }
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

pub(super) fn slanted(s: &mut Svg, lay: &Layout<'_>, snd: &Sent, yy: f64) {
    let cls = class_name(snd.class);
    let dotted = dotted(snd.arrow);
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

pub(super) fn draw_partition(
    mid: &mut String,
    front: &mut String,
    p: (f64, f64, Vec<String>),
    y1: f64,
) {
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
