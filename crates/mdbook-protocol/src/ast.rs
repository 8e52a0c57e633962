//! The parsed diagram: participants and a flat list of events in source order.

/// A byte range in the diagram source (the model's span type, so diagram and
/// chapter positions are one kind of thing).
pub use archmanual_model::Span;

/// Which fence the diagram came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// ```` ```mermaid ````: the Mermaid 11 `sequenceDiagram` grammar only.
    Mermaid,
    /// ```` ```protocol ````: Mermaid plus the protocol extensions.
    Protocol,
}

/// A label: decoded text split at `<br>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Label {
    /// Lines, entities decoded, not escaped.
    pub lines: Vec<String>,
    /// `wrap:` (true) / `nowrap:` (false) prefix.
    pub wrap: Option<bool>,
}

impl Label {
    /// The label as one line of plain text (lines joined with spaces).
    pub fn plain(&self) -> String {
        self.lines.join(" ")
    }
    /// True when there is no visible text.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }
}

/// How a participant is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A box.
    Participant,
    /// A stick figure.
    Actor,
    /// UML boundary.
    Boundary,
    /// UML control.
    Control,
    /// UML entity.
    Entity,
    /// A cylinder.
    Database,
    /// Stacked boxes.
    Collections,
    /// A horizontal cylinder.
    Queue,
}

impl Shape {
    pub(crate) fn from_name(s: &str) -> Option<Shape> {
        Some(match s {
            "participant" => Shape::Participant,
            "actor" => Shape::Actor,
            "boundary" => Shape::Boundary,
            "control" => Shape::Control,
            "entity" => Shape::Entity,
            "database" => Shape::Database,
            "collections" => Shape::Collections,
            "queue" => Shape::Queue,
            _ => return None,
        })
    }
}

/// One lifeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    /// The id used in statements.
    pub id: String,
    /// What is shown.
    pub label: Label,
    /// How it is drawn.
    pub shape: Shape,
    /// `link`/`links` entries that passed the scheme allowlist: (label, url).
    pub links: Vec<(String, String)>,
    /// Introduced with `create`.
    pub created: bool,
    /// Where it was first named.
    pub span: Span,
}

/// A `box … end` group of participants.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxGroup {
    /// Optional title.
    pub label: Option<Label>,
    /// A colour that passed the colour grammar.
    pub color: Option<String>,
    /// Participant indices.
    pub members: Vec<usize>,
}

/// Line style of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// Solid.
    Solid,
    /// Dotted.
    Dotted,
}

/// An arrow end decoration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    /// No head.
    None,
    /// Filled triangle.
    Filled,
    /// A cross (`-x`).
    Cross,
    /// Open "async" head (`-)`).
    Open,
    /// Half head, upper side.
    HalfTop,
    /// Half head, lower side.
    HalfBottom,
    /// Half stick, upper side.
    StickTop,
    /// Half stick, lower side.
    StickBottom,
}

/// An arrow token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrow {
    /// Solid or dotted.
    pub line: LineStyle,
    /// Head at the receiver.
    pub head: Head,
    /// Head at the sender (bidirectional and reverse arrows).
    pub tail: Head,
}

/// One end of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// A participant index.
    P(usize),
    /// The diagram's left edge (`[`): a found message.
    Left,
    /// The diagram's right edge (`]`).
    Right,
}

impl Endpoint {
    /// The participant index, unless this is a diagram edge.
    pub fn participant(&self) -> Option<usize> {
        match self {
            Endpoint::P(p) => Some(*p),
            Endpoint::Left | Endpoint::Right => None,
        }
    }
}

/// Semantic styling of a message or note (`@{class: …}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Success.
    Ok,
    /// Failure.
    Fail,
    /// Warning.
    Warn,
    /// De-emphasised.
    Dim,
}

/// A message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Senders (several for fan-in).
    pub from: Vec<Endpoint>,
    /// Receivers (several for broadcast).
    pub to: Vec<Endpoint>,
    /// The arrow.
    pub arrow: Arrow,
    /// The text.
    pub text: Label,
    /// `+` after the arrow: activate the receiver.
    pub activate: bool,
    /// `-` after the arrow: deactivate the sender.
    pub deactivate: bool,
    /// `()` central connection markers (drawn as small circles).
    pub central_from: bool,
    /// See `central_from`.
    pub central_to: bool,
    /// `@{lost}`: the fraction of the way the message gets.
    pub lost: Option<f64>,
    /// `@{id: x}`: delivered later by `deliver x`.
    pub id: Option<String>,
    /// `@{delay: n}`: delivered `n` rows later.
    pub delay: Option<u32>,
    /// `@{class: …}`.
    pub class: Option<Class>,
}

/// Where a note sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `left of`.
    LeftOf,
    /// `right of`.
    RightOf,
    /// `over`.
    Over,
}

/// Kinds of fragments closed by `end`.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// `loop`.
    Loop,
    /// `alt`.
    Alt,
    /// `opt`.
    Opt,
    /// `par`.
    Par,
    /// `par_over`.
    ParOver,
    /// `critical`.
    Critical,
    /// `break`.
    Break,
    /// `rect COLOR`.
    Rect(String),
    /// `brace left|right of P: label` (protocol).
    Brace {
        /// The participant.
        p: usize,
        /// True for `right of`.
        right: bool,
    },
}

impl BlockKind {
    pub(crate) fn keyword(&self) -> &'static str {
        match self {
            BlockKind::Loop => "loop",
            BlockKind::Alt => "alt",
            BlockKind::Opt => "opt",
            BlockKind::Par | BlockKind::ParOver => "par",
            BlockKind::Critical => "critical",
            BlockKind::Break => "break",
            BlockKind::Rect(_) => "rect",
            BlockKind::Brace { .. } => "brace",
        }
    }
}

/// Autonumber settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Autonumber {
    /// Numbering on, optionally restarting at `start` with `step`.
    On {
        /// Restart value.
        start: Option<f64>,
        /// Increment.
        step: Option<f64>,
    },
    /// `autonumber off`.
    Off,
}

/// What happens at one point of the diagram.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// A message.
    Message(Message),
    /// A note.
    Note {
        /// Placement.
        placement: Placement,
        /// First participant.
        a: usize,
        /// Second participant (`over A,B`).
        b: Option<usize>,
        /// Text.
        text: Label,
        /// Styling.
        class: Option<Class>,
    },
    /// `activate P`.
    Activate(usize),
    /// `deactivate P`.
    Deactivate(usize),
    /// `loop`, `alt`, … `rect`, `brace`.
    BlockStart {
        /// Which.
        kind: BlockKind,
        /// Condition text.
        label: Label,
    },
    /// `else`, `and`, `option`.
    Section {
        /// The keyword.
        keyword: &'static str,
        /// Condition text.
        label: Label,
    },
    /// `end`.
    BlockEnd,
    /// `autonumber …`.
    Autonumber(Autonumber),
    /// `create participant P`: P appears at the next message.
    Create(usize),
    /// `destroy P`: P's lifeline ends at the next message.
    Destroy(usize),
    /// `crash P [: reason]`.
    Crash(usize, Label),
    /// `recover P [: label]`.
    Recover(usize, Label),
    /// `timer P NAME [: label]`.
    TimerSet(usize, String, Label),
    /// `timeout P NAME [: label]`.
    Timeout(usize, String, Label),
    /// `cancel P NAME [: label]`.
    TimerCancel(usize, String, Label),
    /// `state over A[,B…]: label`.
    State(Vec<usize>, Label),
    /// `partition A,B | C,D [: label]`.
    Partition(Vec<usize>, Vec<usize>, Label),
    /// `heal`.
    Heal,
    /// `...` or `... label ...`.
    Gap(Label),
    /// `== label ==`.
    Divider(Label),
    /// `|||`.
    Space,
    /// `ref over A[,B]: label`.
    Ref(usize, usize, Label),
    /// `deliver ID`.
    Deliver(String),
}

/// An event with its source span.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// What happens.
    pub kind: EventKind,
    /// The statement.
    pub span: Span,
    /// `&` prefix: on the same row as the previous event.
    pub same_row: bool,
}

/// A parsed, checked diagram.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagram {
    /// `title …`.
    pub title: Option<Label>,
    /// `accTitle: …`.
    pub acc_title: Option<String>,
    /// `accDescr: …`.
    pub acc_descr: Option<String>,
    /// Lifelines in column order.
    pub participants: Vec<Participant>,
    /// `box` groups.
    pub boxes: Vec<BoxGroup>,
    /// Events in source order.
    pub events: Vec<Event>,
    /// Global auto-wrap (`%%{wrap}%%` or config `wrap: true`).
    pub wrap: bool,
}
