//! Prints the external links `archmanual linkrot` would check, with every
//! place each is written, without touching the network: the input of a
//! byte-for-byte comparison of link collection between two versions.
//!
//! ```console
//! $ cargo run --release -p archmanual-linkrot --example collect_links -- .
//! ```
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an example program owns its stdout"
)]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    let book = match archmanual_linkrot::load_book(&root) {
        Ok(book) => book,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for link in archmanual_linkrot::collect_links(&book.model, &book.src) {
        println!("{}", link.url);
        for at in &link.occurrences {
            println!("\t{}:{}:{}", at.file, at.line, at.column);
        }
    }
    ExitCode::SUCCESS
}
