//! `linkrot.toml`: what not to check and how hard to push each host.
//!
//! mdBook rejects unknown top-level tables in `book.toml`, so the link-rot
//! settings live in their own optional file next to it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::LinkrotError;

/// The configuration file's name, looked up in the book root.
pub const CONFIG_FILE: &str = "linkrot.toml";

/// Settings from `linkrot.toml` (every key optional).
///
/// ```toml
/// # URLs that are never checked (status `skipped`); `*` matches any text.
/// exclude = ["https://example.com/*", "https://*.internal.example/*"]
/// # Hosts never checked, subdomains included (bot walls, login pages).
/// exclude-hosts = ["linkedin.com"]
/// concurrency = 32        # requests in flight overall
/// host-concurrency = 4    # requests in flight per host
/// max-retries = 2         # retries after the first attempt
/// [hosts."medium.com"]
/// concurrency = 1
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LinkrotConfig {
    /// URL patterns never checked; `*` matches any text, anything else is literal.
    pub exclude: Vec<String>,
    /// Hosts never checked (a host matches itself and its subdomains).
    pub exclude_hosts: Vec<String>,
    /// Requests in flight overall.
    pub concurrency: usize,
    /// Requests in flight per host.
    pub host_concurrency: usize,
    /// Retries after the first attempt (timeouts, connection errors, 5xx, 429).
    pub max_retries: u32,
    /// Per-host overrides.
    pub hosts: BTreeMap<String, HostConfig>,
}

/// Per-host settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HostConfig {
    /// Requests in flight to this host (overrides `host-concurrency`).
    pub concurrency: Option<usize>,
}

impl Default for LinkrotConfig {
    fn default() -> Self {
        LinkrotConfig {
            exclude: Vec::new(),
            exclude_hosts: Vec::new(),
            concurrency: 32,
            host_concurrency: 4,
            max_retries: 2,
            hosts: BTreeMap::new(),
        }
    }
}

impl LinkrotConfig {
    /// Reads `linkrot.toml` from the book root; the defaults when it does not exist.
    pub fn load(book_root: &Path) -> Result<LinkrotConfig, LinkrotError> {
        let path = book_root.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => LinkrotConfig::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(LinkrotConfig::default()),
            Err(source) => Err(LinkrotError::Read { path, source }),
        }
    }

    /// Parses the TOML text of `path`.
    pub fn parse(text: &str, path: &Path) -> Result<LinkrotConfig, LinkrotError> {
        let config: LinkrotConfig =
            toml::from_str(text).map_err(|source| LinkrotError::ConfigSyntax {
                path: path.to_path_buf(),
                source,
            })?;
        if config.concurrency == 0 || config.host_concurrency == 0 {
            return Err(LinkrotError::Config {
                path: path.to_path_buf(),
                message: "`concurrency` and `host-concurrency` must be at least 1".into(),
            });
        }
        if let Some((host, _)) = config.hosts.iter().find(|(_, h)| h.concurrency == Some(0)) {
            return Err(LinkrotError::Config {
                path: path.to_path_buf(),
                message: format!("hosts.\"{host}\".concurrency must be at least 1"),
            });
        }
        Ok(config)
    }

    /// Why `url` (on `host`, lower-case) is excluded, if it is.
    pub fn excluded(&self, url: &str, host: Option<&str>) -> Option<String> {
        if let Some(pattern) = self.exclude.iter().find(|p| glob_match(p, url)) {
            return Some(format!("excluded by {pattern:?} in {CONFIG_FILE}"));
        }
        let host = host?;
        self.exclude_hosts
            .iter()
            .find(|h| host_matches(host, h))
            .map(|h| format!("host {h} is excluded in {CONFIG_FILE}"))
    }

    /// Requests in flight allowed to `host`.
    pub fn host_limit(&self, host: &str) -> usize {
        self.hosts
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(host))
            .and_then(|(_, c)| c.concurrency)
            .unwrap_or(self.host_concurrency)
            .max(1)
    }
}

fn host_matches(host: &str, pattern: &str) -> bool {
    let pattern = pattern.trim_start_matches("*.").to_ascii_lowercase();
    host == pattern
        || host
            .strip_suffix(pattern.as_str())
            .is_some_and(|rest| rest.ends_with('.'))
}

/// `*` matches any (possibly empty) text; everything else is literal.
fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_literally_except_star() {
        assert!(glob_match(
            "https://example.com/*",
            "https://example.com/a/b"
        ));
        assert!(glob_match(
            "https://*.example.com/*",
            "https://docs.example.com/x"
        ));
        assert!(!glob_match(
            "https://*.example.com/*",
            "https://example.org/x"
        ));
        assert!(glob_match("https://a.b/x", "https://a.b/x"));
        assert!(!glob_match("https://a.b/x", "https://a.b/xy"));
        assert!(!glob_match("https://a.b/?x*", "https://a.b/x"));
        assert!(!glob_match("ab*ba", "aba"));
    }

    #[test]
    fn excludes_by_pattern_and_host_with_subdomains() {
        let config = LinkrotConfig::parse(
            "exclude = [\"https://example.com/private/*\"]\nexclude-hosts = [\"linkedin.com\"]\n[hosts.\"Medium.com\"]\nconcurrency = 1\n",
            Path::new("linkrot.toml"),
        )
        .unwrap();
        assert!(
            config
                .excluded("https://example.com/private/a", Some("example.com"))
                .is_some()
        );
        assert!(
            config
                .excluded("https://example.com/public", Some("example.com"))
                .is_none()
        );
        assert!(
            config
                .excluded("https://www.linkedin.com/in/x", Some("www.linkedin.com"))
                .is_some()
        );
        assert!(
            config
                .excluded("https://notlinkedin.com/", Some("notlinkedin.com"))
                .is_none()
        );
        assert_eq!(config.host_limit("medium.com"), 1);
        assert_eq!(config.host_limit("example.com"), 4);
    }

    #[test]
    fn rejects_unknown_keys_and_zero_limits() {
        let err = LinkrotConfig::parse("exclud = []", Path::new("b/linkrot.toml")).unwrap_err();
        assert!(
            err.to_string().starts_with("b/linkrot.toml: invalid"),
            "{err}"
        );
        assert!(LinkrotConfig::parse("host-concurrency = 0", Path::new("x")).is_err());
    }
}
