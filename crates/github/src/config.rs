//! Client settings and the token: where requests go, how patient the
//! client is, and a token type that never prints.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// GitHub.com's REST API.
pub const DEFAULT_API_URL: &str = "https://api.github.com";
/// GitHub.com's GraphQL endpoint.
pub const DEFAULT_GRAPHQL_URL: &str = "https://api.github.com/graphql";
/// Most lookups per GraphQL request.
pub const MAX_BATCH: usize = 100;
/// The User-Agent GitHub requires.
pub const USER_AGENT: &str = concat!(
    "archmanual/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/archmanual/archmanual)"
);

/// The environment variables a token is read from, in order of precedence
/// (the GitHub CLI's order).
pub const TOKEN_VARS: [&str; 2] = ["GH_TOKEN", "GITHUB_TOKEN"];

/// A GitHub token. It prints as `<redacted>` and is only ever sent in the
/// `Authorization` header.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into())
    }

    /// The secret itself, for the `Authorization` header only.
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced by `<redacted>`:
    /// for answers from a server, which might echo what it was sent.
    pub(crate) fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.0, "<redacted>")
        }
    }
}

impl From<&str> for Token {
    fn from(s: &str) -> Token {
        Token(s.to_owned())
    }
}

impl From<String> for Token {
    fn from(s: String) -> Token {
        Token(s)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Client settings. [`Config::default`] targets GitHub.com without a token;
/// [`Config::from_env`] reads the environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// REST base URL (no trailing `/`).
    pub api_url: String,
    /// GraphQL endpoint.
    pub graphql_url: String,
    /// With a token: GraphQL batches; without: REST, 60 requests/hour.
    pub token: Option<Token>,
    /// Sent as `User-Agent`.
    pub user_agent: String,
    /// Lookups per GraphQL request (1..=100).
    pub batch_size: usize,
    /// GraphQL requests in flight at once. 1 by default: GitHub asks
    /// clients to send requests for one token serially, which keeps them
    /// clear of the secondary rate limits.
    pub concurrency: usize,
    /// Retries per request after the first attempt.
    pub max_retries: u32,
    /// First backoff; doubles per retry, with jitter (50–100%).
    pub backoff_base: Duration,
    /// Longest single backoff.
    pub backoff_max: Duration,
    /// Minimum wait after a secondary rate limit without `retry-after`
    /// (GitHub asks for at least a minute).
    pub secondary_min_wait: Duration,
    /// Longest the client will wait for a rate limit to pass; a longer wait
    /// gives up and reports the rest as unknown.
    pub max_wait: Duration,
    /// Per-request timeout. GitHub stops any request after 10 s of work,
    /// so waiting longer gains nothing; a GraphQL batch that times out is
    /// split in halves like one answered 502/504.
    pub timeout: Duration,
    /// Timeout for connecting (TCP and TLS).
    pub connect_timeout: Duration,
    /// Consecutive connection-level failures (DNS, refused, TLS, timeouts,
    /// broken connections) at one API host after which the client stops
    /// asking it: the remaining lookups are unknown at once, with one
    /// reason ("GitHub API unreachable: …"). Any answer resets the count.
    pub breaker_threshold: u32,
    /// How long an open breaker blocks its host; then one request may try
    /// again, and a success closes the breaker.
    pub breaker_cooldown: Duration,
    /// The lookup cache file, if any.
    pub cache_path: Option<PathBuf>,
    /// How long cached lookups (negative ones too) stay fresh.
    pub cache_ttl: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_url: DEFAULT_API_URL.to_owned(),
            graphql_url: DEFAULT_GRAPHQL_URL.to_owned(),
            token: None,
            user_agent: USER_AGENT.to_owned(),
            batch_size: MAX_BATCH,
            concurrency: 1,
            max_retries: 5,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            secondary_min_wait: Duration::from_secs(60),
            max_wait: Duration::from_secs(120),
            timeout: Duration::from_secs(8),
            connect_timeout: Duration::from_secs(5),
            breaker_threshold: 3,
            breaker_cooldown: Duration::from_secs(60),
            cache_path: None,
            cache_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

impl Config {
    /// Defaults, with `GITHUB_API_URL`, `GITHUB_GRAPHQL_URL` (else
    /// `$GITHUB_API_URL/graphql`) and the token from `GH_TOKEN`, else
    /// `GITHUB_TOKEN` (empty values are ignored). That is the GitHub CLI's
    /// documented order: `GH_TOKEN` is only ever set on purpose, while
    /// `GITHUB_TOKEN` may be an ambient CI token.
    pub fn from_env() -> Config {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Config::from_env`] with another source of variables (for tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Config {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut config = Config::default();
        if let Some(api) = var("GITHUB_API_URL") {
            config.api_url = api.trim_end_matches('/').to_owned();
            config.graphql_url = format!("{}/graphql", config.api_url);
        }
        if let Some(graphql) = var("GITHUB_GRAPHQL_URL") {
            config.graphql_url = graphql;
        }
        config.token = var(TOKEN_VARS[0])
            .or_else(|| var(TOKEN_VARS[1]))
            .map(|t| Token::new(t.trim()));
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;

    #[test]
    fn token_never_prints() {
        let t = Token::new("ghp_supersecret");
        let config = Config {
            token: Some(t.clone()),
            ..Config::default()
        };
        for text in [format!("{t:?}"), format!("{t}"), format!("{config:?}")] {
            assert!(!text.contains("supersecret"), "{text}");
        }
        let client = Client::new(config).unwrap();
        assert!(!format!("{client:?}").contains("supersecret"));
    }

    #[test]
    fn environment() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let c = Config::from_vars(vars(&[]));
        assert_eq!(c.api_url, DEFAULT_API_URL);
        assert_eq!(c.graphql_url, DEFAULT_GRAPHQL_URL);
        assert!(c.token.is_none());
        let c = Config::from_vars(vars(&[
            ("GITHUB_API_URL", "http://127.0.0.1:9/api/"),
            ("GITHUB_TOKEN", ""),
            ("GH_TOKEN", "gh-token"),
        ]));
        assert_eq!(c.api_url, "http://127.0.0.1:9/api");
        assert_eq!(c.graphql_url, "http://127.0.0.1:9/api/graphql");
        assert_eq!(c.token.unwrap().secret(), "gh-token");
        // GH_TOKEN wins over GITHUB_TOKEN, as in the GitHub CLI.
        let c = Config::from_vars(vars(&[
            ("GITHUB_GRAPHQL_URL", "http://127.0.0.1:9/gql"),
            ("GITHUB_TOKEN", "a"),
            ("GH_TOKEN", "b"),
        ]));
        assert_eq!(c.graphql_url, "http://127.0.0.1:9/gql");
        assert_eq!(c.token.unwrap().secret(), "b");
        let c = Config::from_vars(vars(&[("GITHUB_TOKEN", " a\n"), ("GH_TOKEN", " ")]));
        assert_eq!(c.token.unwrap().secret(), "a");
    }

    #[test]
    fn redaction_replaces_every_occurrence() {
        let t = Token::new("s3cret");
        assert_eq!(t.redact("a s3cret b s3cret"), "a <redacted> b <redacted>");
        assert_eq!(Token::new("").redact("abc"), "abc");
    }
}
