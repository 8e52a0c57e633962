//! `mdbook-github`: the command mdBook runs (`[preprocessor.github]`).
#![allow(
    clippy::print_stderr,
    reason = "the binary owns stderr; stdout is mdBook's"
)]

use std::process::ExitCode;

use archmanual_preprocessor_kit::{Outcome, run};
use mdbook_github::Github;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let github = Github::default();
    let result = run(
        &github,
        &args,
        std::io::stdin().lock(),
        std::io::stdout().lock(),
    );
    for d in github.sink().drain() {
        eprintln!("{d}");
    }
    match result {
        Ok(Outcome::Supports(false)) => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdbook-github: {e}");
            ExitCode::from(2)
        }
    }
}
