//! Placeholder until the lint benchmark lands.
fn main() {}
