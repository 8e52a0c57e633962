//! How long a server asks us to wait: `Retry-After` (RFC 9110 §10.2.3:
//! delay seconds or an HTTP date) and GitHub's primary rate limit
//! (`x-ratelimit-remaining: 0` with `x-ratelimit-reset`, epoch seconds).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// A `Retry-After` value as a wait from `now`: delay seconds, or an HTTP
/// date (a date in the past is no wait). `None` if it is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let delta = date - time::OffsetDateTime::from(now);
    Some(Duration::try_from(delta).unwrap_or(Duration::ZERO))
}

/// The `retry-after` header of an answer as a wait from `now`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, now)
}

/// The wait until GitHub's rate-limit window resets, when the answer says
/// the budget is used up (`x-ratelimit-remaining: 0`); a reset in the past
/// (or a missing one) is no wait.
pub fn rate_limit_reset(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if header_u64(headers, "x-ratelimit-remaining")? != 0 {
        return None;
    }
    let reset = header_u64(headers, "x-ratelimit-reset").unwrap_or(0);
    let now = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Some(Duration::from_secs(reset.saturating_sub(now)))
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480.
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(
            parse_retry_after(" 7 ", at(0)),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(date, at(1_445_412_480 - 90)),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after(date, at(1_445_412_480 + 5)),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", at(0)), None);
    }

    #[test]
    fn reads_the_headers() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, at(0)), None);
        assert_eq!(rate_limit_reset(&headers, at(0)), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("1"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("1000"));
        assert_eq!(retry_after(&headers, at(0)), Some(Duration::from_secs(30)));
        assert_eq!(rate_limit_reset(&headers, at(400)), None);
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        assert_eq!(
            rate_limit_reset(&headers, at(400)),
            Some(Duration::from_secs(600))
        );
        assert_eq!(rate_limit_reset(&headers, at(2000)), Some(Duration::ZERO));
    }
}
