//! `mdbook-search`: the command mdBook runs for `[output.search]`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    mdbook_search::main()
}
