//! A hand-written parser that mirrors Mermaid 11's `sequenceDiagram` lexer (statements end at a
//! newline or `;`, `#` starts a comment unless it is an entity code `#…;`, `%%` comments,
//! `%%{…}%%` directives and front matter are skipped) plus the protocol extensions.

use std::collections::{HashMap, HashSet};

use crate::ast::*;
use crate::error::{DiagramError, Limits};
use crate::safety::{parse_color, safe_url};
use crate::text::{decode_entities, split_br};

/// Parses and checks a diagram. On success returns the diagram and its warnings.
pub fn parse(
    src: &str,
    dialect: Dialect,
    limits: &Limits,
) -> Result<(Diagram, Vec<DiagramError>), Vec<DiagramError>> {
    if src.len() > limits.max_source_bytes {
        return Err(vec![
            DiagramError::new(
                "PD003",
                Span::new(0, 0),
                format!(
                    "diagram source is {} bytes; the limit is {}",
                    src.len(),
                    limits.max_source_bytes
                ),
            )
            .help("split the diagram into several smaller ones"),
        ]);
    }
    let mut p = Parser::new(src, dialect, *limits);
    p.run();
    if p.errors.is_empty() {
        Ok((p.d, p.warnings))
    } else {
        Err(p.errors)
    }
}

#[derive(Debug, Clone)]
enum Open {
    Block(BlockKind, Span),
    Box(usize, Span),
}

struct Parser<'a> {
    src: &'a str,
    clean: String,
    dialect: Dialect,
    limits: Limits,
    d: Diagram,
    errors: Vec<DiagramError>,
    warnings: Vec<DiagramError>,
    ids: HashMap<String, usize>,
    stack: Vec<Open>,
    seen_header: bool,
    pending_create: Option<(usize, Span)>,
    pending_destroy: Option<(usize, Span)>,
    destroyed: HashSet<usize>,
    ever_created: HashSet<usize>,
    active: Vec<u32>,
    crashed: Vec<bool>,
    timers: HashMap<(usize, String), Span>,
    pending_ids: HashMap<String, Span>,
    all_ids: HashSet<String>,
    partition: Option<(Vec<usize>, Vec<usize>, Span)>,
    statements: usize,
}

/// Arrow tokens, longest first at each starting character.
const ARROWS: &[(&str, LineStyle, Head, Head)] = {
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

fn arrow_at(s: &str, i: usize) -> Option<(usize, Arrow)> {
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
fn find_arrow(s: &str) -> Option<(usize, usize, Arrow)> {
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

fn entity_len(b: &[u8], i: usize) -> Option<usize> {
    // `#\w+;` starting at i
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    (j > i + 1 && j < b.len() && b[j] == b';').then_some(j + 1 - i)
}

fn leading_word(s: &str) -> &str {
    let n = s
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'_')
        .count();
    &s[..n]
}

/// Characters a participant id cannot contain (Mermaid's ACTOR rule).
fn bad_id_char(c: char) -> bool {
    matches!(
        c,
        '+' | '<' | '>' | ':' | ',' | ';' | '(' | ')' | '\\' | '/' | '\n'
    )
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, dialect: Dialect, limits: Limits) -> Self {
        Parser {
            src,
            clean: String::new(),
            dialect,
            limits,
            d: Diagram::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
            ids: HashMap::new(),
            stack: Vec::new(),
            seen_header: false,
            pending_create: None,
            pending_destroy: None,
            destroyed: HashSet::new(),
            ever_created: HashSet::new(),
            active: Vec::new(),
            crashed: Vec::new(),
            timers: HashMap::new(),
            pending_ids: HashMap::new(),
            all_ids: HashSet::new(),
            partition: None,
            statements: 0,
        }
    }

    fn err(&mut self, code: &'static str, span: Span, msg: impl Into<String>, help: &str) {
        let mut e = DiagramError::new(code, span, msg);
        if !help.is_empty() {
            e = e.help(help);
        }
        self.errors.push(e);
    }

    fn run(&mut self) {
        let mut bytes = self.src.as_bytes().to_vec();
        self.strip_front_matter(&mut bytes);
        self.strip_directives(&mut bytes);
        // Only whole characters were blanked, so this cannot fail; fall back to the source.
        self.clean = String::from_utf8(bytes).unwrap_or_else(|_| self.src.to_string());
        let clean = std::mem::take(&mut self.clean);
        let b = clean.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_whitespace() || c == b';' {
                i += 1;
                continue;
            }
            if clean[i..].starts_with("%%") || (c == b'#' && entity_len(b, i).is_none()) {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            // accDescr { … } spans lines.
            let lw = leading_word(&clean[i..]);
            if lw.eq_ignore_ascii_case("accdescr")
                && clean[i + lw.len()..].trim_start().starts_with('{')
            {
                let close = clean[i..].find('}').map(|k| i + k);
                let end = close.unwrap_or(b.len());
                let open = clean[i..].find('{').map_or(i, |k| i + k + 1);
                if close.is_none() {
                    self.err(
                        "PD001",
                        Span::new(start, end),
                        "`accDescr {` is not closed",
                        "add a line with `}`",
                    );
                }
                let text = clean[open..end].trim();
                self.d.acc_descr = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
                i = (end + 1).min(b.len());
                continue;
            }
            let mut comment = false;
            while i < b.len() {
                match b[i] {
                    b'\n' | b';' => break,
                    b'#' => match entity_len(b, i) {
                        Some(n) => i += n,
                        None => {
                            comment = true;
                            break;
                        }
                    },
                    _ => i += 1,
                }
            }
            let end = start + clean[start..i].trim_end().len();
            if comment {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            self.statements += 1;
            if self.statements > self.limits.max_events {
                self.err(
                    "PD003",
                    Span::new(start, end),
                    format!("more than {} statements", self.limits.max_events),
                    "split the diagram",
                );
                break;
            }
            self.statement(&clean, start, end);
            if self.errors.len() > 20 {
                break;
            }
        }
        self.clean = clean;
        self.finish();
    }

    fn strip_front_matter(&mut self, b: &mut [u8]) {
        let s = self.src;
        let lead = s.len() - s.trim_start().len();
        let first_end = s[lead..].find('\n').map_or(s.len(), |k| lead + k);
        if s[lead..first_end].trim() != "---" {
            return;
        }
        let mut pos = (first_end + 1).min(s.len());
        let mut close = None;
        while pos < s.len() {
            let le = s[pos..].find('\n').map_or(s.len(), |k| pos + k);
            if s[pos..le].trim() == "---" {
                close = Some(le);
                break;
            }
            let line = s[pos..le].trim();
            if let Some(t) = line.strip_prefix("title:") {
                let t = t.trim().trim_matches(['"', '\'']);
                if !t.is_empty() && self.d.title.is_none() {
                    self.d.title = Some(label(t));
                }
            }
            if line.replace(' ', "") == "wrap:true" {
                self.d.wrap = true;
            }
            pos = le + 1;
        }
        match close {
            Some(end) => blank(b, 0, end),
            None => self.err(
                "PD001",
                Span::new(lead, first_end),
                "front matter `---` is not closed",
                "add a closing `---` line",
            ),
        }
    }

    fn strip_directives(&mut self, b: &mut [u8]) {
        let s = self.src;
        let mut from = 0;
        while let Some(k) = s[from..].find("%%{") {
            let start = from + k;
            match s[start..].find("}%%") {
                Some(e) => {
                    let end = start + e + 3;
                    let inner: String = s[start + 3..end - 3]
                        .chars()
                        .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
                        .collect();
                    if inner == "wrap" || inner.contains("wrap:true") {
                        self.d.wrap = true;
                    }
                    blank(b, start, end);
                    from = end;
                }
                None => {
                    self.err(
                        "PD001",
                        Span::new(start, start + 3),
                        "directive `%%{` is not closed with `}%%`",
                        "",
                    );
                    blank(b, start, s.len());
                    return;
                }
            }
        }
    }

    fn finish(&mut self) {
        let end = self.src.len();
        for open in std::mem::take(&mut self.stack) {
            let (what, span) = match &open {
                Open::Block(k, s) => (k.keyword(), *s),
                Open::Box(_, s) => ("box", *s),
            };
            self.err(
                "PD001",
                span,
                format!("`{what}` is not closed"),
                "add a matching `end` line",
            );
        }
        if let Some((p, span)) = self.pending_create.take() {
            let id = self.d.participants[p].id.clone();
            self.err(
                "PD002",
                span,
                format!("participant `{id}` is created but no message creates it"),
                "the next message after `create` must be sent to the created participant",
            );
        }
        if let Some((p, span)) = self.pending_destroy.take() {
            let id = self.d.participants[p].id.clone();
            self.err("PD002", span, format!("participant `{id}` is destroyed but no message follows"), "the next message after `destroy` must be sent or received by the destroyed participant");
        }
        if !self.seen_header && self.errors.is_empty() {
            self.err(
                "PD001",
                Span::new(0, end.min(1)),
                "not a sequence diagram: the first statement must be `sequenceDiagram`",
                "start the fence with a `sequenceDiagram` line",
            );
        }
        for (id, span) in std::mem::take(&mut self.pending_ids) {
            self.warnings.push(DiagramError::warning(
                span,
                format!("message `{id}` is never delivered; it is drawn as sent but not received"),
            ));
        }
    }

    fn label_checked(&mut self, raw: &str, span: Span) -> Label {
        let l = label(raw);
        let n: usize = l.lines.iter().map(|x| x.chars().count()).sum();
        if n > self.limits.max_label_chars {
            self.err(
                "PD003",
                span,
                format!(
                    "label has {n} characters; the limit is {}",
                    self.limits.max_label_chars
                ),
                "shorten the label",
            );
        }
        l
    }

    fn extension(&mut self, span: Span, what: &str) -> bool {
        if self.dialect == Dialect::Protocol {
            return true;
        }
        self.err(
            "PD005",
            span,
            format!("{what} is a protocol extension, not Mermaid syntax"),
            "use a ```protocol fence for protocol extensions",
        );
        false
    }

    /// Looks up or implicitly adds a participant.
    fn actor(&mut self, raw: &str, span: Span) -> Option<usize> {
        let id = raw.trim();
        if id.is_empty() {
            self.err("PD001", span, "missing participant name", "");
            return None;
        }
        if let Some(c) = id.chars().find(|c| bad_id_char(*c)) {
            self.err(
                "PD001",
                span,
                format!("participant name `{id}` contains `{c}`"),
                "participant names cannot contain + < > : , ; ( ) / \\ — declare `participant X as any text` and use X",
            );
            return None;
        }
        if let Some(&i) = self.ids.get(id) {
            return Some(i);
        }
        self.add_participant(id, label(id), Shape::Participant, span)
    }

    fn add_participant(
        &mut self,
        id: &str,
        label: Label,
        shape: Shape,
        span: Span,
    ) -> Option<usize> {
        if self.d.participants.len() >= self.limits.max_participants {
            self.err(
                "PD003",
                span,
                format!("more than {} participants", self.limits.max_participants),
                "split the diagram",
            );
            return None;
        }
        let i = self.d.participants.len();
        self.d.participants.push(Participant {
            id: id.to_string(),
            label,
            shape,
            links: Vec::new(),
            created: false,
            span,
        });
        self.ids.insert(id.to_string(), i);
        self.active.push(0);
        self.crashed.push(false);
        Some(i)
    }

    fn push(&mut self, kind: EventKind, span: Span, same_row: bool) {
        self.d.events.push(Event {
            kind,
            span,
            same_row,
        });
    }

    fn statement(&mut self, clean: &str, start: usize, end: usize) {
        let text = &clean[start..end];
        let span = Span::new(start, end);
        if !self.seen_header {
            if text.eq_ignore_ascii_case("sequencediagram") {
                self.seen_header = true;
            } else {
                self.err(
                    "PD001",
                    span,
                    "the first statement must be `sequenceDiagram`",
                    "start the fence with a `sequenceDiagram` line",
                );
                self.seen_header = true;
            }
            return;
        }
        if let Some(rest) = text.strip_prefix('&') {
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
            return;
        }
        self.statement_body(clean, start, end);
    }

    fn statement_body(&mut self, clean: &str, start: usize, end: usize) {
        let text = &clean[start..end];
        let span = Span::new(start, end);
        let word = leading_word(text);
        let kw = word.to_ascii_lowercase();
        let after = &text[word.len()..];
        let boundary = after.is_empty() || after.starts_with(char::is_whitespace);
        let rest = after.trim();
        let rest_start = start + word.len() + (after.len() - after.trim_start().len());

        if text.starts_with("...") {
            if self.extension(span, "`...` (time gap)") {
                let inner = text.trim_matches('.').trim();
                let l = self.label_checked(inner, span);
                self.push(EventKind::Gap(l), span, false);
            }
            return;
        }
        if text.starts_with("==") {
            if self.extension(span, "`== … ==` (divider)") {
                let inner = text.trim_matches('=').trim();
                let l = self.label_checked(inner, span);
                self.push(EventKind::Divider(l), span, false);
            }
            return;
        }
        if text == "|||" {
            if self.extension(span, "`|||` (spacing)") {
                self.push(EventKind::Space, span, false);
            }
            return;
        }

        // Keywords that take the rest of the line after `:`.
        if matches!(kw.as_str(), "title" | "acctitle" | "accdescr")
            && (boundary || after.starts_with(':'))
        {
            let body = rest.strip_prefix(':').unwrap_or(rest).trim();
            match kw.as_str() {
                "title" => self.d.title = Some(self.label_checked(body, span)),
                "acctitle" => self.d.acc_title = Some(decode_entities(body)),
                _ => self.d.acc_descr = Some(decode_entities(body)),
            }
            return;
        }
        if !(boundary || (kw == "note" && after.is_empty())) {
            self.message(clean, start, end);
            return;
        }
        match kw.as_str() {
            "participant" | "actor" => {
                let shape = if kw == "actor" {
                    Shape::Actor
                } else {
                    Shape::Participant
                };
                self.declare(rest, rest_start, shape, false, span);
            }
            "create" => {
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
            "destroy" => {
                let Some(p) = self.actor(rest, span) else {
                    return;
                };
                self.push(EventKind::Destroy(p), span, false);
                self.pending_destroy = Some((p, span));
            }
            "box" => {
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
            "end" => self.end(span),
            "loop" | "alt" | "opt" | "par" | "par_over" | "critical" | "break" | "rect" => {
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
                let kind = match kw.as_str() {
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
            "else" | "and" | "option" => {
                let ok = match self.stack.last() {
                    Some(Open::Block(k, _)) => matches!(
                        (kw.as_str(), k),
                        ("else", BlockKind::Alt)
                            | ("and", BlockKind::Par | BlockKind::ParOver)
                            | ("option", BlockKind::Critical)
                    ),
                    _ => false,
                };
                if !ok {
                    let parent = match kw.as_str() {
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
                let keyword = match kw.as_str() {
                    "else" => "else",
                    "and" => "and",
                    _ => "option",
                };
                let label = self.label_checked(rest, span);
                self.push(EventKind::Section { keyword, label }, span, false);
            }
            "autonumber" => self.autonumber(rest, span),
            "activate" | "deactivate" => {
                let Some(p) = self.actor(rest, span) else {
                    return;
                };
                if kw == "activate" {
                    self.active[p] += 1;
                    self.push(EventKind::Activate(p), span, false);
                } else {
                    self.deactivate(p, span);
                    self.push(EventKind::Deactivate(p), span, false);
                }
            }
            "note" => self.note(rest, span),
            "link" | "links" => self.link(&kw, rest, span),
            "properties" | "details" => {
                // Parsed for compatibility; they drive JavaScript menus, which we do not emit.
                if !rest.contains(':') {
                    self.err("PD001", span, format!("`{kw}` needs `PARTICIPANT: …`"), "");
                }
            }
            "crash" | "recover"
                if self.dialect == Dialect::Protocol
                    || !text.contains(':')
                    || find_arrow(text).is_none() =>
            {
                if !self.extension(span, &format!("`{kw}`")) {
                    return;
                }
                let (who, lab) = split_colon(rest);
                let Some(p) = self.actor(who, span) else {
                    return;
                };
                let l = self.label_checked(lab.unwrap_or(""), span);
                if kw == "crash" {
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
                } else {
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
            }
            "timer" | "timeout" | "cancel" => {
                if !self.extension(span, &format!("`{kw}`")) {
                    return;
                }
                let (head, lab) = split_colon(rest);
                let mut words = head.split_whitespace();
                let (Some(who), Some(name), None) = (words.next(), words.next(), words.next())
                else {
                    self.err(
                        "PD001",
                        span,
                        format!(
                            "`{kw}` needs a participant and a timer name: `{kw} A T1[: label]`"
                        ),
                        "",
                    );
                    return;
                };
                let Some(p) = self.actor(who, span) else {
                    return;
                };
                let l = self.label_checked(lab.unwrap_or(""), span);
                let key = (p, name.to_string());
                if kw == "timer" {
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
                } else {
                    if self.timers.remove(&key).is_none() {
                        self.err(
                            "PD002",
                            span,
                            format!(
                                "`{kw}` of timer `{name}` on `{who}`, but no such timer is running"
                            ),
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
            }
            "state" | "ref" => {
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
            "brace" => {
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
            "partition" => {
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
            "heal" => {
                if !self.extension(span, "`heal`") {
                    return;
                }
                if self.partition.take().is_none() {
                    self.err("PD002", span, "`heal` without a `partition`", "");
                    return;
                }
                self.push(EventKind::Heal, span, false);
            }
            "deliver" => {
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
            _ => self.message(clean, start, end),
        }
    }

    fn in_box(&mut self, span: Span) -> bool {
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

    fn end(&mut self, span: Span) {
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

    fn deactivate(&mut self, p: usize, span: Span) {
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

    fn declare(&mut self, rest: &str, rest_start: usize, shape: Shape, create: bool, span: Span) {
        let (id_part, json, alias) = match rest.find("@{") {
            Some(k) => {
                let Some(close) = rest[k..].find('}') else {
                    self.err(
                        "PD001",
                        span,
                        "participant configuration `@{` is not closed",
                        "add `}`",
                    );
                    return;
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
                    return;
                };
                (&rest[..k], Some(json), alias)
            }
            None => match split_as(rest) {
                Some((id, alias)) => (id, None, Some(alias)),
                None => (rest, None, None),
            },
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
        let mut shape = shape;
        let mut json_alias = None;
        if let Some(j) = json {
            match parse_config(j) {
                Ok(pairs) => {
                    for (k, v) in pairs {
                        match k.as_str() {
                            "type" => match Shape::from_name(&v) {
                                Some(s) => shape = s,
                                None => {
                                    self.err("PD001", span, format!("unknown participant type `{v}`"), "use participant, actor, boundary, control, entity, database, collections or queue");
                                    return;
                                }
                            },
                            "alias" => json_alias = Some(v),
                            _ => {}
                        }
                    }
                }
                Err(msg) => {
                    self.err(
                        "PD001",
                        span,
                        format!("participant configuration: {msg}"),
                        "write it as JSON, e.g. `@{ \"type\": \"database\" }`",
                    );
                    return;
                }
            }
        }
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

    fn add_to_box(&mut self, p: usize) {
        if let Some(Open::Box(b, _)) = self.stack.last() {
            let b = *b;
            if !self.d.boxes[b].members.contains(&p) {
                self.d.boxes[b].members.push(p);
            }
        }
    }

    fn autonumber(&mut self, rest: &str, span: Span) {
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

    fn note(&mut self, rest: &str, span: Span) {
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

    fn class(&mut self, v: &str, span: Span) -> Option<Class> {
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

    fn link(&mut self, kw: &str, rest: &str, span: Span) {
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
                Some(u) => self.d.participants[p].links.push((decode_entities(&l), u)),
                None => self.warnings.push(
                    DiagramError::warning(span, format!("link `{u}` dropped: only http, https, mailto and relative links are allowed"))
                        .help("use an http(s) link"),
                ),
            }
        }
    }

    /// Splits a trailing `@{ … }` attribute block off a label (protocol fences only).
    fn split_attrs<'t>(&mut self, text: &'t str, span: Span) -> (&'t str, Vec<(String, String)>) {
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

    fn endpoint_list(&mut self, raw: &str, span: Span, is_target: bool) -> Option<Vec<Endpoint>> {
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

    fn message(&mut self, clean: &str, start: usize, end: usize) {
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
        self.check_message(&msg, span);
        self.push(EventKind::Message(msg), span, false);
    }

    fn check_message(&mut self, msg: &Message, span: Span) {
        let ps = |v: &Vec<Endpoint>| -> Vec<usize> {
            v.iter().filter_map(Endpoint::participant).collect()
        };
        let from = ps(&msg.from);
        let to = ps(&msg.to);
        if msg.from.len() > 1 && msg.to.len() > 1 {
            self.err(
                "PD002",
                span,
                "a message cannot be both fan-in and broadcast",
                "split it into several messages",
            );
        }
        for &p in &from {
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
        for &p in &to {
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

fn blank(b: &mut [u8], start: usize, end: usize) {
    for x in &mut b[start..end] {
        if *x != b'\n' {
            *x = b' ';
        }
    }
}

/// Splits `who: text` at the first ASCII colon.
fn split_colon(s: &str) -> (&str, Option<&str>) {
    match s.find(':') {
        Some(k) => (&s[..k], Some(&s[k + 1..])),
        None => (s, None),
    }
}

/// `ID as Alias`, the `as` surrounded by whitespace and case-insensitive.
fn split_as(s: &str) -> Option<(&str, &str)> {
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = lower[from..].find("as") {
        let i = from + k;
        let before_ws = i > 0 && lower.as_bytes()[i - 1].is_ascii_whitespace();
        let after_ws = lower
            .as_bytes()
            .get(i + 2)
            .is_some_and(|b| b.is_ascii_whitespace());
        if before_ws && after_ws {
            return Some((&s[..i], s[i + 2..].trim()));
        }
        from = i + 2;
    }
    None
}

/// A label from raw text: `wrap:`/`nowrap:` prefix, entities, `<br>` lines.
pub(crate) fn label(raw: &str) -> Label {
    let mut t = raw.trim();
    let mut wrap = None;
    for (p, w) in [
        (":wrap:", true),
        ("wrap:", true),
        (":nowrap:", false),
        ("nowrap:", false),
    ] {
        if let Some(r) = t.strip_prefix(p) {
            wrap = Some(w);
            t = r.trim_start();
            break;
        }
    }
    let lines = split_br(t)
        .into_iter()
        .map(|l| decode_entities(l.trim()))
        .collect();
    Label { lines, wrap }
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

/// Lenient JSON-ish object: `"key": "value"` pairs; keys may be bare, strings may use `'`.
fn parse_config(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    let read_token = |i: &mut usize| -> Result<String, String> {
        if *i >= chars.len() {
            return Err("unexpected end".into());
        }
        let q = chars[*i];
        if q == '"' || q == '\'' {
            *i += 1;
            let st = *i;
            while *i < chars.len() && chars[*i] != q {
                if chars[*i] == '\n' {
                    return Err("unterminated string".into());
                }
                *i += 1;
            }
            if *i >= chars.len() {
                return Err("unterminated string".into());
            }
            let v: String = chars[st..*i].iter().collect();
            *i += 1;
            Ok(v)
        } else {
            let st = *i;
            while *i < chars.len()
                && (chars[*i].is_alphanumeric()
                    || chars[*i] == '_'
                    || chars[*i] == '-'
                    || chars[*i] == '.')
            {
                *i += 1;
            }
            if st == *i {
                return Err(format!("unexpected `{}`", chars[*i]));
            }
            Ok(chars[st..*i].iter().collect())
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        let k = read_token(&mut i)?;
        skip_ws(&mut i);
        if i >= chars.len() || chars[i] != ':' {
            return Err(format!("expected `:` after `{k}`"));
        }
        i += 1;
        skip_ws(&mut i);
        let v = read_token(&mut i)?;
        out.push((k, v));
        skip_ws(&mut i);
        if i < chars.len() {
            if chars[i] == ',' {
                i += 1;
            } else {
                return Err(format!("expected `,` or `}}`, found `{}`", chars[i]));
            }
        }
    }
    Ok(out)
}
