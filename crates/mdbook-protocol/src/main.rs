//! `mdbook-protocol`: the mdBook preprocessor and the `render` command ([`mdbook_protocol::cli`]).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    ExitCode::from(mdbook_protocol::cli::run(
        &args,
        std::io::stdin().lock(),
        &mut out,
        &mut err,
    ))
}
