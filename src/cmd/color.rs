//! `--color auto|always|never`, shared by every subcommand: whether what we
//! write to a terminal (diagnostics, the log) uses colour.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// When the output is a terminal and `NO_COLOR` is not set (no-color.org).
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Sets the choice for the whole process (once, from the command line).
pub(crate) fn init(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

/// Whether output to `stream` is coloured.
pub(crate) fn enabled(stream: &impl IsTerminal) -> bool {
    decide(
        CHOICE.get().copied().unwrap_or_default(),
        stream.is_terminal(),
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    )
}

fn decide(choice: ColorChoice, terminal: bool, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_and_auto_follows_the_terminal_and_no_color() {
        assert!(decide(ColorChoice::Always, false, true));
        assert!(!decide(ColorChoice::Never, true, false));
        assert!(decide(ColorChoice::Auto, true, false));
        assert!(!decide(ColorChoice::Auto, true, true));
        assert!(!decide(ColorChoice::Auto, false, false));
    }
}
