//! GitHub repository lookups: batched GraphQL, REST fallback, retries, cache, snapshot.
