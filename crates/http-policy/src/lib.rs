//! The HTTP retry policy shared by the GitHub client (`archmanual-github`)
//! and the link checker (`archmanual-linkrot`), one file per concern:
//!
//! - [`Backoff`] (`backoff.rs`): exponential backoff with jitter;
//! - [`retry_after`] and [`rate_limit_reset`] (`wait.rs`): how long a
//!   server asks us to wait, `Retry-After` in both its forms (delay seconds
//!   or an HTTP date) and GitHub's `x-ratelimit-reset`;
//! - [`Breaker`] (`breaker.rs`): the circuit breaker of one origin;
//! - [`client_builder`] (`client.rs`): the reqwest client builder with the
//!   timeouts, the User-Agent and no automatic redirects.
//!
//! The callers keep what differs: which statuses they retry, how many
//! times, and what a blocked request reports.

mod backoff;
mod breaker;
mod client;
mod wait;

pub use backoff::Backoff;
pub use breaker::Breaker;
pub use client::{Timeouts, client_builder};
pub use wait::{parse_retry_after, rate_limit_reset, retry_after};
