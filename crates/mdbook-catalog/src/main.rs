//! `mdbook-catalog`: the command mdBook runs (`[preprocessor.catalog]`).

fn main() -> std::process::ExitCode {
    archmanual_preprocessor_kit::main::<mdbook_catalog::Catalog>()
}
