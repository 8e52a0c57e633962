//! One module per subcommand.

pub(crate) mod build;
pub(crate) mod color;
pub(crate) mod linkrot;
pub(crate) mod lint;
pub(crate) mod refresh;
pub(crate) mod review;
pub(crate) mod serve;
