//! `mdbook-catalog`: the command mdBook runs (`[preprocessor.catalog]`).
#![allow(
    clippy::print_stderr,
    reason = "the binary owns stderr; stdout is mdBook's"
)]

use std::process::ExitCode;

use archmanual_preprocessor_kit::{Outcome, run};
use mdbook_catalog::Catalog;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let catalog = Catalog::default();
    let result = run(
        &catalog,
        &args,
        std::io::stdin().lock(),
        std::io::stdout().lock(),
    );
    for warning in catalog.sink().drain() {
        eprintln!("warning: {warning}");
    }
    match result {
        Ok(Outcome::Supports(false)) => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdbook-catalog: {e}");
            ExitCode::from(2)
        }
    }
}
