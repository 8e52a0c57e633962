//! Our protocol extensions to Mermaid's grammar (allowed in ```` ```protocol ```` fences, or
//! in Mermaid fences with `mermaid-extensions = true`): `&` same-row events, `...` time gaps,
//! `== … ==` dividers, `|||` spacing, `crash`/`recover`, timers, `state`/`ref` boxes,
//! `brace`, network `partition`/`heal`, delayed delivery (`@{id}` … `deliver`, `@{delay}`),
//! `@{lost}` messages and `@{class}` styles, and the checks that go with them.

use super::lexer::split_colon;
use super::{Open, Parser};
use crate::ast::*;
use crate::error::DiagramError;

impl Parser<'_> {
    /// `& statement`: the event shares the previous row.
    pub(super) fn same_row(&mut self, clean: &str, rest: &str, start: usize, end: usize) {
        let span = Span::new(start, end);
        if !self.extension(span, "`&` (same-row event)") {
            return;
        }
        let off = start + 1 + (rest.len() - rest.trim_start().len());
        let before = self.d.events.len();
        self.statement_body(clean, off, end);
        if let Some(e) = self.d.events.get_mut(before) {
            e.same_row = true;
        }
        if before == 0 {
            self.err(
                "PD002",
                span,
                "`&` puts an event on the previous row, but there is none",
                "remove the `&`",
            );
        }
    }

    /// `... [label] ...`: a time gap.
    pub(super) fn gap(&mut self, text: &str, span: Span) {
        if self.extension(span, "`...` (time gap)") {
            let inner = text.trim_matches('.').trim();
            let l = self.label_checked(inner, span);
            self.push(EventKind::Gap(l), span, false);
        }
    }

    /// `== label ==`: a divider.
    pub(super) fn divider(&mut self, text: &str, span: Span) {
        if self.extension(span, "`== … ==` (divider)") {
            let inner = text.trim_matches('=').trim();
            let l = self.label_checked(inner, span);
            self.push(EventKind::Divider(l), span, false);
        }
    }

    /// `|||`: extra space.
    pub(super) fn space(&mut self, span: Span) {
        if self.extension(span, "`|||` (spacing)") {
            self.push(EventKind::Space, span, false);
        }
    }

    /// `crash A[: label]` / `recover A[: label]`.
    pub(super) fn crash_or_recover(&mut self, kw: &str, rest: &str, span: Span) {
        if !self.extension(span, &format!("`{kw}`")) {
            return;
        }
        let (who, lab) = split_colon(rest);
        let Some(p) = self.actor(who, span) else {
            return;
        };
        let l = self.label_checked(lab.unwrap_or(""), span);
        if kw == "crash" {
            self.crash(p, l, span);
        } else {
            self.recover(p, l, span);
        }
    }

    fn crash(&mut self, p: usize, l: Label, span: Span) {
        if self.crashed[p] {
            self.err(
                "PD002",
                span,
                format!("`{}` has already crashed", self.d.participants[p].id),
                "add `recover` before crashing it again",
            );
            return;
        }
        self.crashed[p] = true;
        self.active[p] = 0;
        self.timers.retain(|(q, _), _| *q != p);
        self.push(EventKind::Crash(p, l), span, false);
    }

    fn recover(&mut self, p: usize, l: Label, span: Span) {
        if !self.crashed[p] {
            self.err(
                "PD002",
                span,
                format!(
                    "`{}` has not crashed, so it cannot recover",
                    self.d.participants[p].id
                ),
                "add `crash` first",
            );
            return;
        }
        self.crashed[p] = false;
        self.push(EventKind::Recover(p, l), span, false);
    }

    /// `timer A T[: label]`, `timeout A T[: label]`, `cancel A T[: label]`.
    pub(super) fn timer(&mut self, kw: &str, rest: &str, span: Span) {
        if !self.extension(span, &format!("`{kw}`")) {
            return;
        }
        let (head, lab) = split_colon(rest);
        let mut words = head.split_whitespace();
        let (Some(who), Some(name), None) = (words.next(), words.next(), words.next()) else {
            self.err(
                "PD001",
                span,
                format!("`{kw}` needs a participant and a timer name: `{kw} A T1[: label]`"),
                "",
            );
            return;
        };
        let Some(p) = self.actor(who, span) else {
            return;
        };
        let l = self.label_checked(lab.unwrap_or(""), span);
        if kw == "timer" {
            self.timer_set(p, who, name, l, span);
        } else {
            self.timer_end(kw, p, who, name, l, span);
        }
    }

    fn timer_set(&mut self, p: usize, who: &str, name: &str, l: Label, span: Span) {
        let key = (p, name.to_string());
        if self.crashed[p] {
            self.err(
                "PD002",
                span,
                format!("`{who}` has crashed and cannot set a timer"),
                "add `recover` first",
            );
            return;
        }
        if self.timers.contains_key(&key) {
            self.err(
                "PD002",
                span,
                format!("timer `{name}` of `{who}` is already running"),
                "end it with `timeout` or `cancel` first",
            );
            return;
        }
        self.timers.insert(key, span);
        self.push(EventKind::TimerSet(p, name.to_string(), l), span, false);
    }

    fn timer_end(&mut self, kw: &str, p: usize, who: &str, name: &str, l: Label, span: Span) {
        let key = (p, name.to_string());
        if self.timers.remove(&key).is_none() {
            self.err(
                "PD002",
                span,
                format!("`{kw}` of timer `{name}` on `{who}`, but no such timer is running"),
                "set it first with `timer`",
            );
            return;
        }
        let name = name.to_string();
        let ev = if kw == "timeout" {
            EventKind::Timeout(p, name, l)
        } else {
            EventKind::TimerCancel(p, name, l)
        };
        self.push(ev, span, false);
    }

    /// `state over A[,B]: label` / `ref over A[,B]: label`.
    pub(super) fn state_or_ref(&mut self, kw: &str, rest: &str, span: Span) {
        if !self.extension(span, &format!("`{kw}`")) {
            return;
        }
        let Some(r) = rest
            .strip_prefix("over")
            .or_else(|| rest.strip_prefix("OVER"))
        else {
            self.err(
                "PD001",
                span,
                format!("expected `{kw} over A[,B]: label`"),
                "",
            );
            return;
        };
        let (who, lab) = split_colon(r);
        let mut ps = Vec::new();
        for w in who.split(',') {
            match self.actor(w, span) {
                Some(p) => ps.push(p),
                None => return,
            }
        }
        let l = self.label_checked(lab.unwrap_or(""), span);
        if kw == "state" {
            self.push(EventKind::State(ps, l), span, false);
        } else {
            let a = *ps.iter().min().unwrap_or(&0);
            let b = *ps.iter().max().unwrap_or(&0);
            self.push(EventKind::Ref(a, b, l), span, false);
        }
    }

    /// `brace right of|left of A: label`, closed by `end`.
    pub(super) fn brace(&mut self, rest: &str, span: Span) {
        if !self.extension(span, "`brace`") {
            return;
        }
        let (head, lab) = split_colon(rest);
        let h = head.trim();
        let (right, who) = if let Some(w) = h.strip_prefix("right of") {
            (true, w)
        } else if let Some(w) = h.strip_prefix("left of") {
            (false, w)
        } else {
            self.err(
                "PD001",
                span,
                "expected `brace right of A: label` or `brace left of A: label`",
                "",
            );
            return;
        };
        let Some(p) = self.actor(who, span) else {
            return;
        };
        let l = self.label_checked(lab.unwrap_or(""), span);
        let kind = BlockKind::Brace { p, right };
        self.stack.push(Open::Block(kind.clone(), span));
        self.push(EventKind::BlockStart { kind, label: l }, span, false);
    }

    /// `partition A,B | C,D[: label]`: each side contiguous, the sides disjoint.
    pub(super) fn partition(&mut self, rest: &str, span: Span) {
        if !self.extension(span, "`partition`") {
            return;
        }
        if self.partition.is_some() {
            self.err(
                "PD002",
                span,
                "a partition is already in effect",
                "end it with `heal` first",
            );
            return;
        }
        let (head, lab) = split_colon(rest);
        let Some((l, r)) = head.split_once('|') else {
            self.err("PD001", span, "expected `partition A,B | C,D[: label]`", "");
            return;
        };
        let mut left = Vec::new();
        let mut right = Vec::new();
        for (side, out) in [(l, &mut left), (r, &mut right)] {
            for w in side.split(',') {
                match self.actor(w, span) {
                    Some(p) => out.push(p),
                    None => return,
                }
            }
        }
        if left.iter().any(|p| right.contains(p)) {
            self.err(
                "PD002",
                span,
                "the two sides of a partition must be disjoint",
                "name each participant on one side only",
            );
            return;
        }
        let lmax = left.iter().max().copied().unwrap_or(0);
        let rmin = right.iter().min().copied().unwrap_or(0);
        let lmin = left.iter().min().copied().unwrap_or(0);
        let rmax = right.iter().max().copied().unwrap_or(0);
        if !(lmax < rmin || rmax < lmin) {
            self.err(
                "PD002",
                span,
                "partition sides must each be contiguous in column order",
                "declare the participants so that each side sits next to each other",
            );
            return;
        }
        let lab = self.label_checked(lab.unwrap_or(""), span);
        self.partition = Some((left.clone(), right.clone(), span));
        self.push(EventKind::Partition(left, right, lab), span, false);
    }

    /// `heal`: ends the partition.
    pub(super) fn heal(&mut self, span: Span) {
        if !self.extension(span, "`heal`") {
            return;
        }
        if self.partition.take().is_none() {
            self.err("PD002", span, "`heal` without a `partition`", "");
            return;
        }
        self.push(EventKind::Heal, span, false);
    }

    /// `deliver ID`: the message sent with `@{id: ID}` arrives now.
    pub(super) fn deliver(&mut self, rest: &str, span: Span) {
        if !self.extension(span, "`deliver`") {
            return;
        }
        let id = rest.trim();
        if !self.all_ids.contains(id) {
            self.err(
                "PD002",
                span,
                format!("`deliver {id}`: no message has `@{{id: {id}}}`"),
                "give the sent message an id, e.g. `A ->> B: Accept @{id: a1}`",
            );
            return;
        }
        self.pending_ids.remove(id);
        self.push(EventKind::Deliver(id.to_string()), span, false);
    }

    /// A message's `@{lost, id, delay, class}` attributes.
    pub(super) fn message_attrs(
        &mut self,
        msg: &mut Message,
        attrs: Vec<(String, String)>,
        span: Span,
    ) {
        for (k, v) in attrs {
            match k.as_str() {
                "lost" => {
                    let f = if v.is_empty() {
                        Ok(0.6)
                    } else {
                        v.parse::<f64>()
                    };
                    match f {
                        Ok(f) if (0.05..=0.95).contains(&f) => msg.lost = Some(f),
                        _ => self.err(
                            "PD002",
                            span,
                            format!("`lost: {v}` must be a fraction between 0.05 and 0.95"),
                            "write `@{lost}` or `@{lost: 0.5}`",
                        ),
                    }
                }
                "id" => {
                    if v.is_empty() || v.contains(char::is_whitespace) {
                        self.err("PD002", span, "`id` needs a name without spaces", "");
                    } else if !self.all_ids.insert(v.clone()) {
                        self.err(
                            "PD002",
                            span,
                            format!("message id `{v}` is used twice"),
                            "give each delayed message its own id",
                        );
                    } else {
                        self.pending_ids.insert(v.clone(), span);
                        msg.id = Some(v);
                    }
                }
                "delay" => match v.parse::<u32>() {
                    Ok(n) if (1..=50).contains(&n) => msg.delay = Some(n),
                    _ => self.err(
                        "PD002",
                        span,
                        format!("`delay: {v}` must be a whole number of rows from 1 to 50"),
                        "",
                    ),
                },
                "class" => msg.class = self.class(&v, span),
                _ => self.err(
                    "PD002",
                    span,
                    format!("unknown message attribute `{k}`"),
                    "message attributes are lost, id, delay and class",
                ),
            }
        }
        if msg.id.is_some() && msg.delay.is_some() {
            self.err(
                "PD002",
                span,
                "a message has either `id` (with a later `deliver`) or `delay`, not both",
                "",
            );
        }
    }

    /// The protocol's rules for a message: not both fan-in and broadcast, crashed participants
    /// do not send (and what they receive should be lost), and what crosses a partition is
    /// lost.
    pub(super) fn check_protocol_message(
        &mut self,
        msg: &Message,
        from: &[usize],
        to: &[usize],
        span: Span,
    ) {
        if msg.from.len() > 1 && msg.to.len() > 1 {
            self.err(
                "PD002",
                span,
                "a message cannot be both fan-in and broadcast",
                "split it into several messages",
            );
        }
        for &p in from {
            if self.crashed[p] {
                let id = self.d.participants[p].id.clone();
                self.err(
                    "PD002",
                    span,
                    format!("`{id}` has crashed and cannot send"),
                    "add `recover` before this message, or send it from another participant",
                );
            }
        }
        for &p in to {
            if self.crashed[p] && msg.lost.is_none() && msg.id.is_none() && msg.delay.is_none() {
                let id = self.d.participants[p].id.clone();
                self.warnings.push(
                    DiagramError::warning(span, format!("message to `{id}`, which has crashed"))
                        .help("mark it `@{lost}` to show that it is not received"),
                );
            }
        }
        if let Some((l, r, _)) = &self.partition {
            let crosses = from.iter().any(|f| {
                to.iter()
                    .any(|t| (l.contains(f) && r.contains(t)) || (r.contains(f) && l.contains(t)))
            });
            if crosses && msg.lost.is_none() {
                self.warnings.push(
                    DiagramError::warning(
                        span,
                        "message crosses the network partition but is not marked lost",
                    )
                    .help("add `@{lost}`, or `heal` the partition first"),
                );
            }
        }
    }

    /// Splits a trailing `@{ … }` attribute block off a label (protocol fences only).
    pub(super) fn split_attrs<'t>(
        &mut self,
        text: &'t str,
        span: Span,
    ) -> (&'t str, Vec<(String, String)>) {
        if self.dialect != Dialect::Protocol {
            return (text, Vec::new());
        }
        let t = text.trim_end();
        if !t.ends_with('}') {
            return (text, Vec::new());
        }
        let Some(k) = t.rfind("@{") else {
            return (text, Vec::new());
        };
        let inner = &t[k + 2..t.len() - 1];
        let mut out = Vec::new();
        for part in inner.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (key, val) = match part.split_once(':') {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (part, ""),
            };
            let key = key.trim_matches(['"', '\'']);
            let val = val.trim_matches(['"', '\'']);
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                self.err(
                    "PD001",
                    span,
                    format!("bad attribute `{part}`"),
                    "write attributes as `@{key: value, …}`",
                );
                continue;
            }
            out.push((key.to_string(), val.to_string()));
        }
        (&t[..k], out)
    }

    pub(super) fn class(&mut self, v: &str, span: Span) -> Option<Class> {
        match v {
            "ok" => Some(Class::Ok),
            "fail" => Some(Class::Fail),
            "warn" => Some(Class::Warn),
            "dim" => Some(Class::Dim),
            _ => {
                self.err(
                    "PD002",
                    span,
                    format!("unknown class `{v}`"),
                    "use ok, fail, warn or dim",
                );
                None
            }
        }
    }
}
