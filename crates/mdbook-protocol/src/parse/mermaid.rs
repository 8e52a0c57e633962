//! Mermaid's own keywords: participants and actors (with `create`, `destroy`, `box`), fragments
//! (`loop`, `alt`, `opt`, `par`, `critical`, `break`, `rect`) and their sections, `end`,
//! `autonumber`, activations, notes, links, and the title and accessibility statements.

use super::lexer::{label, leading_word, parse_config, split_as, split_colon};
use super::{Open, Parser};
use crate::ast::*;
use crate::error::DiagramError;
use crate::safety::{parse_color, safe_url};
use archmanual_model::{EntitySyntax, decode_entities_in};

impl Parser<'_> {
    /// `title: …`, `accTitle: …`, `accDescr: …` (the `{ … }` form of `accDescr` spans lines and
    /// is handled by the lexer).
    pub(super) fn title(&mut self, kw: &str, rest: &str, span: Span) {
        let body = rest.strip_prefix(':').unwrap_or(rest).trim();
        match kw {
            "title" => self.d.title = Some(self.label_checked(body, span)),
            "acctitle" => self.d.acc_title = Some(decode_entities_in(body, EntitySyntax::Mermaid)),
            _ => self.d.acc_descr = Some(decode_entities_in(body, EntitySyntax::Mermaid)),
        }
    }

    /// `create participant|actor …`: declared now, drawn at the message that creates it.
    pub(super) fn create(&mut self, rest: &str, rest_start: usize, span: Span) {
        let w = leading_word(rest).to_ascii_lowercase();
        if w != "participant" && w != "actor" {
            self.err(
                "PD001",
                span,
                "`create` must be followed by `participant` or `actor`",
                "",
            );
            return;
        }
        let r2 = rest[w.len()..].trim_start();
        let off = rest_start + (rest.len() - r2.len());
        let shape = if w == "actor" {
            Shape::Actor
        } else {
            Shape::Participant
        };
        self.declare(r2, off, shape, true, span);
    }

    /// `destroy A`: the next message must involve A.
    pub(super) fn destroy(&mut self, rest: &str, span: Span) {
        let Some(p) = self.actor(rest, span) else {
            return;
        };
        self.push(EventKind::Destroy(p), span, false);
        self.pending_destroy = Some((p, span));
    }

    /// `box [colour] [title]`: groups the participants declared until `end`.
    pub(super) fn open_box(&mut self, rest: &str, span: Span) {
        if self.stack.iter().any(|o| matches!(o, Open::Box(..))) {
            self.err(
                "PD002",
                span,
                "a `box` cannot contain another `box`",
                "close the first box with `end`",
            );
            return;
        }
        let (color, title) = box_data(rest);
        let label = title.map(|t| self.label_checked(t, span));
        self.d.boxes.push(BoxGroup {
            label,
            color,
            members: Vec::new(),
        });
        self.stack.push(Open::Box(self.d.boxes.len() - 1, span));
    }

    /// `loop|alt|opt|par|par_over|critical|break [label]` and `rect COLOUR`.
    pub(super) fn block(&mut self, kw: &str, rest: &str, span: Span) {
        if self.in_box(span) {
            return;
        }
        let depth = self.stack.len();
        if depth >= self.limits.max_depth {
            self.err(
                "PD003",
                span,
                format!("fragments nest deeper than {}", self.limits.max_depth),
                "flatten the diagram",
            );
            return;
        }
        let kind = match kw {
            "loop" => BlockKind::Loop,
            "alt" => BlockKind::Alt,
            "opt" => BlockKind::Opt,
            "par" => BlockKind::Par,
            "par_over" => BlockKind::ParOver,
            "critical" => BlockKind::Critical,
            "break" => BlockKind::Break,
            _ => match parse_color(rest) {
                Some(c) => BlockKind::Rect(c),
                None => {
                    self.err(
                        "PD004",
                        span,
                        format!("`{rest}` is not an allowed colour"),
                        "use a CSS colour name, rgb(r, g, b), rgba(r, g, b, a), hsl(…) or hsla(…)",
                    );
                    return;
                }
            },
        };
        let label = if matches!(kind, BlockKind::Rect(_)) {
            Label::default()
        } else {
            self.label_checked(rest, span)
        };
        self.stack.push(Open::Block(kind.clone(), span));
        self.push(EventKind::BlockStart { kind, label }, span, false);
    }

    /// `else` (in `alt`), `and` (in `par`), `option` (in `critical`).
    pub(super) fn section(&mut self, kw: &str, rest: &str, span: Span) {
        let ok = match self.stack.last() {
            Some(Open::Block(k, _)) => matches!(
                (kw, k),
                ("else", BlockKind::Alt)
                    | ("and", BlockKind::Par | BlockKind::ParOver)
                    | ("option", BlockKind::Critical)
            ),
            _ => false,
        };
        if !ok {
            let parent = match kw {
                "else" => "alt",
                "and" => "par",
                _ => "critical",
            };
            self.err(
                "PD001",
                span,
                format!("`{kw}` outside an `{parent}` block"),
                "",
            );
            return;
        }
        let keyword = match kw {
            "else" => "else",
            "and" => "and",
            _ => "option",
        };
        let label = self.label_checked(rest, span);
        self.push(EventKind::Section { keyword, label }, span, false);
    }

    /// `activate A`.
    pub(super) fn activate(&mut self, rest: &str, span: Span) {
        let Some(p) = self.actor(rest, span) else {
            return;
        };
        self.active[p] += 1;
        self.push(EventKind::Activate(p), span, false);
    }

    /// `deactivate A`.
    pub(super) fn deactivate_statement(&mut self, rest: &str, span: Span) {
        let Some(p) = self.actor(rest, span) else {
            return;
        };
        self.deactivate(p, span);
        self.push(EventKind::Deactivate(p), span, false);
    }

    /// `properties A: …` / `details A: …`: parsed for compatibility; they drive JavaScript
    /// menus, which we do not emit.
    pub(super) fn properties(&mut self, kw: &str, rest: &str, span: Span) {
        if !rest.contains(':') {
            self.err("PD001", span, format!("`{kw}` needs `PARTICIPANT: …`"), "");
        }
    }

    pub(super) fn in_box(&mut self, span: Span) -> bool {
        if matches!(self.stack.last(), Some(Open::Box(..))) {
            self.err(
                "PD002",
                span,
                "only participant declarations can be inside a `box`",
                "close the box with `end` first",
            );
            return true;
        }
        false
    }

    pub(super) fn end(&mut self, span: Span) {
        match self.stack.pop() {
            None => self.err(
                "PD001",
                span,
                "`end` without an open block",
                "remove it, or open a block (loop, alt, opt, par, critical, break, rect, box)",
            ),
            Some(Open::Box(..)) => {}
            Some(Open::Block(..)) => self.push(EventKind::BlockEnd, span, false),
        }
    }

    pub(super) fn deactivate(&mut self, p: usize, span: Span) {
        if self.active[p] == 0 {
            let id = self.d.participants[p].id.clone();
            self.err(
                "PD002",
                span,
                format!("trying to deactivate an inactive participant ({id})"),
                "activate it first (`activate X` or `->>+X`)",
            );
        } else {
            self.active[p] -= 1;
        }
    }

    pub(super) fn declare(
        &mut self,
        rest: &str,
        rest_start: usize,
        shape: Shape,
        create: bool,
        span: Span,
    ) {
        let Some((id_part, json, alias)) = self.split_declaration(rest, span) else {
            return;
        };
        let id = id_part.trim();
        let id_span = Span::new(rest_start, rest_start + id_part.len());
        if id.is_empty() {
            self.err("PD001", span, "missing participant name", "");
            return;
        }
        if let Some(c) = id.chars().find(|c| bad_id_char(*c)) {
            self.err(
                "PD001",
                id_span,
                format!("participant name `{id}` contains `{c}`"),
                "use a short id and put the text in an alias: `participant A as any text`",
            );
            return;
        }
        let (shape, json_alias) = match json {
            Some(j) => match self.participant_config(j, shape, span) {
                Some(found) => found,
                None => return,
            },
            None => (shape, None),
        };
        let label_text = alias.map(str::to_string).or(json_alias);
        if let Some(&p) = self.ids.get(id) {
            if create {
                self.err(
                    "PD002",
                    span,
                    format!("participant `{id}` already exists and cannot be created again"),
                    "use 'AS' aliases to create a new participant with the same name",
                );
                return;
            }
            if let Some(t) = label_text {
                self.d.participants[p].label = self.label_checked(&t, span);
            }
            self.d.participants[p].shape = shape;
            self.add_to_box(p);
            return;
        }
        let l = match label_text {
            Some(t) => self.label_checked(&t, span),
            None => label(id),
        };
        let Some(p) = self.add_participant(id, l, shape, id_span) else {
            return;
        };
        self.add_to_box(p);
        if create {
            self.d.participants[p].created = true;
            self.ever_created.insert(p);
            self.push(EventKind::Create(p), span, false);
            self.pending_create = Some((p, span));
        }
    }

    /// `ID`, `ID as Alias`, `ID@{…}` or `ID@{…} as Alias`: the id part, the configuration and
    /// the alias.
    fn split_declaration<'t>(
        &mut self,
        rest: &'t str,
        span: Span,
    ) -> Option<(&'t str, Option<&'t str>, Option<&'t str>)> {
        let (id_part, json, alias) = match rest.find("@{") {
            Some(k) => {
                let Some(close) = rest[k..].find('}') else {
                    self.err(
                        "PD001",
                        span,
                        "participant configuration `@{` is not closed",
                        "add `}`",
                    );
                    return None;
                };
                let json = &rest[k + 2..k + close];
                let after = rest[k + close + 1..].trim();
                let alias = if after.is_empty() {
                    None
                } else if after.get(..2).is_some_and(|a| a.eq_ignore_ascii_case("as"))
                    && after[2..].starts_with(char::is_whitespace)
                {
                    Some(after[2..].trim())
                } else {
                    self.err(
                        "PD001",
                        span,
                        format!("unexpected `{after}` after the participant configuration"),
                        "write `participant ID@{…} as Alias`",
                    );
                    return None;
                };
                (&rest[..k], Some(json), alias)
            }
            None => match split_as(rest) {
                Some((id, alias)) => (id, None, Some(alias)),
                None => (rest, None, None),
            },
        };
        Some((id_part, json, alias))
    }

    /// A participant's `@{ "type": …, "alias": … }`: the shape and the alias it sets.
    fn participant_config(
        &mut self,
        json: &str,
        shape: Shape,
        span: Span,
    ) -> Option<(Shape, Option<String>)> {
        let pairs = match parse_config(json) {
            Ok(pairs) => pairs,
            Err(msg) => {
                self.err(
                    "PD001",
                    span,
                    format!("participant configuration: {msg}"),
                    "write it as JSON, e.g. `@{ \"type\": \"database\" }`",
                );
                return None;
            }
        };
        let (mut shape, mut alias) = (shape, None);
        for (k, v) in pairs {
            match k.as_str() {
                "type" => match Shape::from_name(&v) {
                    Some(s) => shape = s,
                    None => {
                        self.err(
                            "PD001",
                            span,
                            format!("unknown participant type `{v}`"),
                            "use participant, actor, boundary, control, entity, database, collections or queue",
                        );
                        return None;
                    }
                },
                "alias" => alias = Some(v),
                _ => {}
            }
        }
        Some((shape, alias))
    }

    pub(super) fn add_to_box(&mut self, p: usize) {
        if let Some(Open::Box(b, _)) = self.stack.last() {
            let b = *b;
            if !self.d.boxes[b].members.contains(&p) {
                self.d.boxes[b].members.push(p);
            }
        }
    }

    pub(super) fn autonumber(&mut self, rest: &str, span: Span) {
        if rest.eq_ignore_ascii_case("off") {
            self.push(EventKind::Autonumber(Autonumber::Off), span, false);
            return;
        }
        let mut nums = Vec::new();
        for w in rest.split_whitespace() {
            let decimals = w.split_once('.').map_or(0, |(_, f)| f.len());
            match w.parse::<f64>() {
                Ok(v) if decimals <= 2 && v.is_finite() && (0.0..1e9).contains(&v) => nums.push(v),
                _ => {
                    self.err(
                        "PD001",
                        span,
                        format!("`{w}` is not a valid autonumber value"),
                        "use a number with at most two decimals, e.g. `autonumber 10 5`",
                    );
                    return;
                }
            }
        }
        if nums.len() > 2 {
            self.err(
                "PD001",
                span,
                "`autonumber` takes at most a start and a step",
                "",
            );
            return;
        }
        self.push(
            EventKind::Autonumber(Autonumber::On {
                start: nums.first().copied(),
                step: nums.get(1).copied(),
            }),
            span,
            false,
        );
    }

    pub(super) fn note(&mut self, rest: &str, span: Span) {
        let (head, text) = split_colon(rest);
        let Some(text) = text else {
            self.err(
                "PD001",
                span,
                "a note needs `: text`",
                "write `Note right of A: text`",
            );
            return;
        };
        let h = head.trim();
        let lower = h.to_ascii_lowercase();
        let (placement, who) = if lower.starts_with("left of") {
            (Placement::LeftOf, &h[7..])
        } else if lower.starts_with("right of") {
            (Placement::RightOf, &h[8..])
        } else if lower.starts_with("over") {
            (Placement::Over, &h[4..])
        } else {
            self.err(
                "PD001",
                span,
                "expected `left of`, `right of` or `over` after `Note`",
                "",
            );
            return;
        };
        let mut parts = who.split(',');
        let a = parts.next().unwrap_or("");
        let b = parts.next();
        if parts.next().is_some() || (b.is_some() && placement != Placement::Over) {
            self.err(
                "PD001",
                span,
                "a note spans at most two participants, and only with `over`",
                "",
            );
            return;
        }
        let Some(a) = self.actor(a, span) else { return };
        let b = match b {
            Some(b) => match self.actor(b, span) {
                Some(b) => Some(b),
                None => return,
            },
            None => None,
        };
        let (text, attrs) = self.split_attrs(text, span);
        let mut class = None;
        for (k, v) in attrs {
            if k == "class" {
                class = self.class(&v, span);
            } else {
                self.err(
                    "PD002",
                    span,
                    format!("unknown note attribute `{k}`"),
                    "notes take only `class`",
                );
            }
        }
        let text = self.label_checked(text, span);
        self.push(
            EventKind::Note {
                placement,
                a,
                b,
                text,
                class,
            },
            span,
            false,
        );
    }

    pub(super) fn link(&mut self, kw: &str, rest: &str, span: Span) {
        let (who, body) = split_colon(rest);
        let Some(body) = body else {
            self.err("PD001", span, format!("`{kw}` needs `PARTICIPANT: …`"), "");
            return;
        };
        let Some(p) = self.actor(who, span) else {
            return;
        };
        let mut found = Vec::new();
        if kw == "link" {
            let Some((l, u)) = body.split_once('@') else {
                self.err("PD001", span, "expected `link A: Label @ https://…`", "");
                return;
            };
            found.push((l.trim().to_string(), u.trim().to_string()));
        } else {
            match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(body.trim()) {
                Ok(m) => {
                    for (k, v) in m {
                        if let Some(u) = v.as_str() {
                            found.push((k, u.to_string()));
                        }
                    }
                }
                Err(e) => {
                    self.err(
                        "PD001",
                        span,
                        format!("`links` needs a JSON object: {e}"),
                        "",
                    );
                    return;
                }
            }
        }
        for (l, u) in found {
            match safe_url(&u) {
                Some(u) => self.d.participants[p].links.push((decode_entities_in(&l, EntitySyntax::Mermaid), u)),
                None => self.warnings.push(
                    DiagramError::warning(span, format!("link `{u}` dropped: only http, https, mailto and relative links are allowed"))
                        .help("use an http(s) link"),
                ),
            }
        }
    }
}

/// Characters a participant id cannot contain (Mermaid's ACTOR rule).
pub(super) fn bad_id_char(c: char) -> bool {
    matches!(
        c,
        '+' | '<' | '>' | ':' | ',' | ';' | '(' | ')' | '\\' | '/' | '\n'
    )
}

/// Mermaid's box syntax: an optional leading colour, then the title.
fn box_data(rest: &str) -> (Option<String>, Option<&str>) {
    let r = rest.trim();
    if r.is_empty() {
        return (None, None);
    }
    let lower = r.to_ascii_lowercase();
    let color_end = if ["rgb", "rgba", "hsl", "hsla"]
        .iter()
        .any(|f| lower.starts_with(&format!("{f}(")) || lower.starts_with(&format!("{f} (")))
    {
        r.find(')').map(|k| k + 1)
    } else {
        Some(r.find(char::is_whitespace).unwrap_or(r.len()))
    };
    if let Some(e) = color_end
        && let Some(c) = parse_color(&r[..e])
    {
        let title = r[e..].trim();
        return (Some(c), (!title.is_empty()).then_some(title));
    }
    (None, Some(r))
}
