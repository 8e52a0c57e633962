//! `mdbook-protocol`: the mdBook preprocessor and the `render` command ([`mdbook_protocol::cli`]).

fn main() -> std::process::ExitCode {
    archmanual_preprocessor_kit::main_with::<mdbook_protocol::Protocol>(&[
        mdbook_protocol::cli::RENDER,
    ])
}
