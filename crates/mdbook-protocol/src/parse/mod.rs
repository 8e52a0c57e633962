//! A hand-written parser that mirrors Mermaid 11's `sequenceDiagram` grammar plus the protocol
//! extensions. [`lexer`] splits the source into statements; [`Parser::statement_body`]
//! dispatches each one on its keyword to one method: Mermaid's keywords in [`mermaid`], message
//! statements in [`message`], and our extensions in [`protocol`].

mod lexer;
mod mermaid;
mod message;
mod protocol;

use std::collections::{HashMap, HashSet};

use crate::ast::*;
use crate::error::{DiagramError, Limits};
use lexer::{label, leading_word};
use mermaid::bad_id_char;

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
            self.same_row(clean, rest, start, end);
            return;
        }
        self.statement_body(clean, start, end);
    }

    /// Parses one statement by its leading keyword; anything else is a message.
    fn statement_body(&mut self, clean: &str, start: usize, end: usize) {
        let text = &clean[start..end];
        let span = Span::new(start, end);
        let word = leading_word(text);
        let kw = word.to_ascii_lowercase();
        let after = &text[word.len()..];
        let boundary = after.is_empty() || after.starts_with(char::is_whitespace);
        let rest = after.trim();
        let rest_start = start + word.len() + (after.len() - after.trim_start().len());

        // Protocol extensions that are not words.
        if text.starts_with("...") {
            return self.gap(text, span);
        }
        if text.starts_with("==") {
            return self.divider(text, span);
        }
        if text == "|||" {
            return self.space(span);
        }
        // Keywords that take the rest of the line after `:`.
        if matches!(kw.as_str(), "title" | "acctitle" | "accdescr")
            && (boundary || after.starts_with(':'))
        {
            return self.title(&kw, rest, span);
        }
        if !(boundary || (kw == "note" && after.is_empty())) {
            return self.message(clean, start, end);
        }
        match kw.as_str() {
            // Mermaid.
            "participant" => self.declare(rest, rest_start, Shape::Participant, false, span),
            "actor" => self.declare(rest, rest_start, Shape::Actor, false, span),
            "create" => self.create(rest, rest_start, span),
            "destroy" => self.destroy(rest, span),
            "box" => self.open_box(rest, span),
            "end" => self.end(span),
            "loop" | "alt" | "opt" | "par" | "par_over" | "critical" | "break" | "rect" => {
                self.block(&kw, rest, span)
            }
            "else" | "and" | "option" => self.section(&kw, rest, span),
            "autonumber" => self.autonumber(rest, span),
            "activate" => self.activate(rest, span),
            "deactivate" => self.deactivate_statement(rest, span),
            "note" => self.note(rest, span),
            "link" | "links" => self.link(&kw, rest, span),
            "properties" | "details" => self.properties(&kw, rest, span),
            // Protocol extensions. In a Mermaid fence, `crash: …` or `crash->>B: …` is a message
            // from a participant named `crash`.
            "crash" | "recover"
                if self.dialect == Dialect::Protocol
                    || !text.contains(':')
                    || message::find_arrow(text).is_none() =>
            {
                self.crash_or_recover(&kw, rest, span)
            }
            "timer" | "timeout" | "cancel" => self.timer(&kw, rest, span),
            "state" | "ref" => self.state_or_ref(&kw, rest, span),
            "brace" => self.brace(rest, span),
            "partition" => self.partition(rest, span),
            "heal" => self.heal(span),
            "deliver" => self.deliver(rest, span),
            _ => self.message(clean, start, end),
        }
    }
}
