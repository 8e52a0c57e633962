//! Message statements (`A->>B: text`): arrow tokens, endpoints and the checks of Mermaid's
//! rules (created and destroyed participants, activations). Protocol-only parts (broadcast,
//! fan-in, found/lost edges, `@{…}` attributes) are delegated to [`super::protocol`].

use super::Parser;
use super::lexer::leading_word;
use crate::ast::*;

/// Arrow tokens, longest first at each starting character.
pub(super) const ARROWS: &[(&str, LineStyle, Head, Head)] = {
    use Head::*;
    use LineStyle::*;
    &[
        ("<<-->>", Dotted, Filled, Filled),
        ("<<->>", Solid, Filled, Filled),
        ("-->>", Dotted, Filled, None),
        ("--|\\", Dotted, HalfTop, None),
        ("--|/", Dotted, HalfBottom, None),
        ("--\\\\", Dotted, StickTop, None),
        ("--//", Dotted, StickBottom, None),
        ("-->", Dotted, None, None),
        ("--x", Dotted, Cross, None),
        ("--)", Dotted, Open, None),
        ("->>", Solid, Filled, None),
        ("-|\\", Solid, HalfTop, None),
        ("-|/", Solid, HalfBottom, None),
        ("-\\\\", Solid, StickTop, None),
        ("-//", Solid, StickBottom, None),
        ("->", Solid, None, None),
        ("-x", Solid, Cross, None),
        ("-)", Solid, Open, None),
        ("/|--", Dotted, None, HalfTop),
        ("\\|--", Dotted, None, HalfBottom),
        ("//--", Dotted, None, StickTop),
        ("\\\\--", Dotted, None, StickBottom),
        ("/|-", Solid, None, HalfTop),
        ("\\|-", Solid, None, HalfBottom),
        ("//-", Solid, None, StickTop),
        ("\\\\-", Solid, None, StickBottom),
    ]
};

pub(super) fn arrow_at(s: &str, i: usize) -> Option<(usize, Arrow)> {
    let rest = &s[i..];
    ARROWS
        .iter()
        .find(|(t, ..)| rest.starts_with(t))
        .map(|(t, line, head, tail)| {
            (
                t.len(),
                Arrow {
                    line: *line,
                    head: *head,
                    tail: *tail,
                },
            )
        })
}

/// Finds the first arrow token in a message statement.
pub(super) fn find_arrow(s: &str) -> Option<(usize, usize, Arrow)> {
    for (i, c) in s.char_indices() {
        if matches!(c, '-' | '<' | '/' | '\\')
            && let Some((len, a)) = arrow_at(s, i)
        {
            return Some((i, len, a));
        }
        if c == ':' {
            return None;
        }
    }
    None
}

impl Parser<'_> {
    pub(super) fn endpoint_list(
        &mut self,
        raw: &str,
        span: Span,
        is_target: bool,
    ) -> Option<Vec<Endpoint>> {
        let t = raw.trim();
        if self.dialect == Dialect::Protocol {
            if t == "[" && !is_target {
                return Some(vec![Endpoint::Left]);
            }
            if t == "]" && is_target {
                return Some(vec![Endpoint::Right]);
            }
            if t == "*" && is_target {
                return Some(vec![]); // filled in by the caller: everyone but the sender
            }
            if t.contains(',') {
                let mut v = Vec::new();
                for w in t.split(',') {
                    v.push(Endpoint::P(self.actor(w, span)?));
                }
                return Some(v);
            }
        } else if t == "[" || t == "]" || t == "*" || t.contains(',') {
            self.extension(span, "a found/lost edge, broadcast or fan-in message");
            return None;
        }
        Some(vec![Endpoint::P(self.actor(t, span)?)])
    }

    pub(super) fn message(&mut self, clean: &str, start: usize, end: usize) {
        let text = &clean[start..end];
        let span = Span::new(start, end);
        let Some((ai, alen, arrow)) = find_arrow(text) else {
            let w = leading_word(text);
            let hint = if self.dialect == Dialect::Mermaid
                && matches!(
                    w.to_ascii_lowercase().as_str(),
                    "crash"
                        | "recover"
                        | "timer"
                        | "timeout"
                        | "cancel"
                        | "state"
                        | "brace"
                        | "partition"
                        | "heal"
                        | "deliver"
                ) {
                "this is a protocol extension: use a ```protocol fence"
            } else {
                "write a message as `A->>B: text`, or use a keyword (participant, Note, loop, alt, …)"
            };
            let shown: String = text.chars().take(40).collect();
            self.err("PD001", span, format!("cannot parse `{shown}`"), hint);
            return;
        };
        let mut from_raw = text[..ai].trim_end();
        let mut central_from = false;
        if let Some(f) = from_raw.strip_suffix("()") {
            from_raw = f;
            central_from = true;
        }
        let after = &text[ai + alen..];
        let Some(colon) = after.find(':') else {
            self.err(
                "PD001",
                span,
                "a message needs `: text` after the receiver",
                "write `A->>B: text` (the text may be empty: `A->>B:`)",
            );
            return;
        };
        let mut recv = after[..colon].trim();
        let mut activate = false;
        let mut deactivate = false;
        let mut central_to = false;
        loop {
            if let Some(r) = recv.strip_prefix("()") {
                central_to = true;
                recv = r.trim_start();
            } else if let Some(r) = recv.strip_prefix('+') {
                activate = true;
                recv = r.trim_start();
            } else if let Some(r) = recv.strip_prefix('-') {
                deactivate = true;
                recv = r.trim_start();
            } else {
                break;
            }
        }
        if let Some(r) = recv.strip_suffix("()") {
            recv = r.trim_end();
            central_to = true;
        }
        let Some(from) = self.endpoint_list(from_raw, span, false) else {
            return;
        };
        let Some(mut to) = self.endpoint_list(recv, span, true) else {
            return;
        };
        let text_raw = &after[colon + 1..];
        let (text_raw, attrs) = self.split_attrs(text_raw, span);
        let label = self.label_checked(text_raw, span);
        if to.is_empty() {
            let senders: Vec<usize> = from.iter().filter_map(Endpoint::participant).collect();
            to = (0..self.d.participants.len())
                .filter(|p| {
                    !senders.contains(p)
                        && !self.destroyed.contains(p)
                        && (!self.d.participants[*p].created || self.ever_created.contains(p))
                })
                .map(Endpoint::P)
                .collect();
            if to.is_empty() {
                self.err(
                    "PD002",
                    span,
                    "`*` broadcasts to every other participant, but there is none",
                    "declare the receivers first",
                );
                return;
            }
        }
        let mut msg = Message {
            from,
            to,
            arrow,
            text: label,
            activate,
            deactivate,
            central_from,
            central_to,
            lost: None,
            id: None,
            delay: None,
            class: None,
        };
        self.message_attrs(&mut msg, attrs, span);
        self.check_message(&msg, span);
        self.push(EventKind::Message(msg), span, false);
    }

    /// Mermaid's rules for a message: no destroyed participant takes part, the message after
    /// `create`/`destroy` involves that participant, and `+`/`-` change activations.
    fn check_message(&mut self, msg: &Message, span: Span) {
        let ps = |v: &Vec<Endpoint>| -> Vec<usize> {
            v.iter().filter_map(Endpoint::participant).collect()
        };
        let from = ps(&msg.from);
        let to = ps(&msg.to);
        self.check_protocol_message(msg, &from, &to, span);
        for &p in from.iter().chain(&to) {
            if self.destroyed.contains(&p) {
                let id = self.d.participants[p].id.clone();
                self.err(
                    "PD002",
                    span,
                    format!("`{id}` was destroyed and cannot take part in messages"),
                    "",
                );
                return;
            }
        }
        if let Some((p, cspan)) = self.pending_create.take()
            && !to.contains(&p)
        {
            let id = self.d.participants[p].id.clone();
            self.err("PD002", cspan, format!("the participant `{id}` does not have an associated creating message after its declaration"), "the message right after `create` must be sent to it");
        }
        if let Some((p, dspan)) = self.pending_destroy.take() {
            if !to.contains(&p) && !from.contains(&p) {
                let id = self.d.participants[p].id.clone();
                self.err("PD002", dspan, format!("the destroyed participant `{id}` does not have an associated destroying message after its destruction"), "the message right after `destroy` must be sent or received by it");
            } else {
                self.destroyed.insert(p);
            }
        }
        if msg.activate {
            for &p in &to {
                self.active[p] += 1;
            }
        }
        if msg.deactivate {
            for &p in &from {
                self.deactivate(p, span);
            }
        }
    }
}
