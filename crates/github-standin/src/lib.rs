//! A loopback GitHub API stand-in for tests and benchmarks (REST + GraphQL with faults).
