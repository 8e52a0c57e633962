//! `archmanual`: the front door of the ArchManual toolchain.
//!
//! Each subcommand lives in `src/cmd/<name>.rs` with a clap `Args` struct and
//! a `run` function returning the process exit code (0 clean, 1 findings,
//! 2 usage or internal error).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary owns the terminal"
)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

// Parsing a book allocates hundreds of thousands of small nodes on several
// threads; mimalloc's thread-local heaps cost less than glibc's arenas there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build, lint and maintain the ArchManual book.
#[derive(Debug, Parser)]
#[command(name = "archmanual", version, about)]
struct Cli {
    /// More detail on stderr (retries and their reasons, mdBook's steps): -v debug, -vv trace.
    /// Without it `RUST_LOG` (e.g. `debug`, `archmanual_github=debug`) or `ARCHMANUAL_LOG` decides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// Colour on stderr and in `lint`'s human output: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t, global = true)]
    color: cmd::color::ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the book with the in-process preprocessors (like `mdbook build`).
    Build(cmd::build::Args),
    /// Build, serve on 127.0.0.1, rebuild on change and reload the pages (with search).
    Serve(cmd::serve::Args),
    /// Check the book's sources and report findings.
    Lint(cmd::lint::Args),
    /// Report only the findings on lines changed between two git revisions, as a PR review.
    Review(cmd::review::Args),
    /// Check every external link and report link rot across runs.
    Linkrot(cmd::linkrot::Args),
    /// Refresh the committed GitHub repository snapshot (needs a token).
    Refresh(cmd::refresh::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version on stdout with exit 0, usage errors on stderr.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    cmd::color::init(cli.color);
    init_logging(cli.verbose);
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Lint(args) => cmd::lint::run(args),
        Command::Review(args) => cmd::review::run(args),
        Command::Linkrot(args) => cmd::linkrot::run(args),
        Command::Refresh(args) => cmd::refresh::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// mdBook and our libraries report through `tracing`; show warnings and
/// progress on stderr like `mdbook build` does. `-v`/`-vv` raise the level
/// to debug/trace; else `RUST_LOG` (levels and `target=level` directives),
/// else `ARCHMANUAL_LOG` (a level) decides; the default is info.
fn init_logging(verbose: u8) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let level = |name: &str| match name {
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        "warn" => LevelFilter::WARN,
        "error" => LevelFilter::ERROR,
        _ => LevelFilter::INFO,
    };
    let filter = match verbose {
        1 => Targets::new().with_default(LevelFilter::DEBUG),
        2.. => Targets::new().with_default(LevelFilter::TRACE),
        0 => std::env::var("RUST_LOG")
            .ok()
            .and_then(|directives| directives.parse::<Targets>().ok())
            .unwrap_or_else(|| {
                let name = std::env::var("ARCHMANUAL_LOG").unwrap_or_default();
                Targets::new().with_default(level(&name))
            }),
    };
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .with_ansi(cmd::color::enabled(&std::io::stderr()));
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
