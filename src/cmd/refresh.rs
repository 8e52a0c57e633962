//! `archmanual refresh` (being implemented; see the issue tracker).

use std::path::PathBuf;

/// Arguments of `archmanual refresh`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The book's root directory (where book.toml is).
    #[arg(long, default_value = ".")]
    book: PathBuf,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("`archmanual refresh` is not available yet (book: {})", args.book.display())
}
