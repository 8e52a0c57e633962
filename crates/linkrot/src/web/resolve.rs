//! DNS resolution that tells a name that does not exist from a resolver
//! that is unwell.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// A DNS failure, marked permanent (the name does not exist) or transient.
#[derive(Debug, thiserror::Error)]
#[error("{host}")]
pub(super) struct DnsError {
    pub(super) host: String,
    pub(super) source: DnsFailure,
    pub(super) permanent: bool,
}

/// Why a name did not resolve.
#[derive(Debug, thiserror::Error)]
pub(super) enum DnsFailure {
    #[error("the .invalid domain never resolves (RFC 6761)")]
    Invalid,
    #[error("no addresses")]
    NoAddresses,
    /// The system resolver's error.
    #[error(transparent)]
    Lookup(std::io::Error),
}

/// The system resolver, with fixed answers and `.invalid` answered at once
/// (RFC 6761: never resolves), so DNS failures can be told from other
/// connection errors.
#[derive(Debug)]
pub(super) struct Resolver {
    pub(super) overrides: HashMap<String, IpAddr>,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let fixed = self.overrides.get(&host).copied();
        Box::pin(async move {
            if let Some(ip) = fixed {
                let addrs: Addrs = Box::new(std::iter::once(SocketAddr::new(ip, 0)));
                return Ok(addrs);
            }
            if host == "invalid" || host.ends_with(".invalid") {
                return Err(Box::new(DnsError {
                    host,
                    source: DnsFailure::Invalid,
                    permanent: true,
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            let looked_up: std::io::Result<Vec<SocketAddr>> =
                match tokio::net::lookup_host((host.as_str(), 0)).await {
                    Ok(addrs) => Ok(addrs.collect()),
                    Err(e) => Err(e),
                };
            match looked_up {
                Ok(addrs) => {
                    if addrs.is_empty() {
                        return Err(Box::new(DnsError {
                            host,
                            source: DnsFailure::NoAddresses,
                            permanent: true,
                        })
                            as Box<dyn std::error::Error + Send + Sync>);
                    }
                    let addrs: Addrs = Box::new(addrs.into_iter());
                    Ok(addrs)
                }
                Err(e) => {
                    let lower = e.to_string().to_ascii_lowercase();
                    // EAI_AGAIN and friends: the resolver is unwell, not the name.
                    let permanent = !(lower.contains("temporary")
                        || lower.contains("try again")
                        || lower.contains("timed out")
                        || lower.contains("timeout"));
                    Err(Box::new(DnsError {
                        host,
                        source: DnsFailure::Lookup(e),
                        permanent,
                    })
                        as Box<dyn std::error::Error + Send + Sync>)
                }
            }
        })
    }
}
