//! `mdbook-github`: the command mdBook runs (`[preprocessor.github]`).

fn main() -> std::process::ExitCode {
    archmanual_preprocessor_kit::main::<mdbook_github::Github>()
}
