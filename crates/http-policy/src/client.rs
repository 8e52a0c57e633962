//! The one reqwest client builder.

use std::time::Duration;

/// The timeouts of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Whole request (connect, send, read the answer); `None` when the
    /// caller sets it per request.
    pub request: Option<Duration>,
    /// Establishing the connection.
    pub connect: Duration,
}

/// A reqwest client builder with our User-Agent and timeouts and no
/// automatic redirects: both callers read each redirect themselves (the
/// GitHub client to see renames, linkrot to record every hop).
pub fn client_builder(user_agent: &str, timeouts: Timeouts) -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder()
        .user_agent(user_agent.to_owned())
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeouts.connect);
    match timeouts.request {
        Some(timeout) => builder.timeout(timeout),
        None => builder,
    }
}
