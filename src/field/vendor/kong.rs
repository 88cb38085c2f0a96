//! Kong's `X-RateLimit-{Limit,Remaining}-<Period>` header names.

use core::fmt;
use core::time::Duration;

/// Which of Kong's per-period headers a name is: `X-RateLimit-Limit-<Period>` or
/// `X-RateLimit-Remaining-<Period>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KongField {
    /// `X-RateLimit-Limit-<Period>`: the quota for the period.
    Limit,
    /// `X-RateLimit-Remaining-<Period>`: what is left of it.
    Remaining,
}

/// A period of Kong's `rate-limiting` plugin, named at the end of its per-period headers
/// (`X-RateLimit-Remaining-Minute: 9`).
///
/// [`window_seconds`](Self::window_seconds) gives the lengths Kong itself uses
/// (`kong/plugins/rate-limiting/expiration.lua`): a month is a fixed 30 days and a year a fixed
/// 365 days, whatever the calendar says. Kong aligns its counters to calendar periods, so the
/// time left in the window is `RateLimit-Reset`, not this length.
///
/// ```
/// use ratelimit_headers::field::vendor::{KongField, KongPeriod};
///
/// assert_eq!(KongPeriod::from_header_suffix(b"Minute"), Some(KongPeriod::Minute));
/// assert_eq!(KongPeriod::Month.window_seconds(), 30 * 86_400);
/// assert_eq!(
///     KongPeriod::parse_header_name(b"x-ratelimit-remaining-hour"),
///     Some((KongField::Remaining, KongPeriod::Hour))
/// );
/// assert_eq!(KongPeriod::Day.limit_header(), "X-RateLimit-Limit-Day");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KongPeriod {
    /// One second.
    Second,
    /// 60 seconds.
    Minute,
    /// 3600 seconds.
    Hour,
    /// 86,400 seconds.
    Day,
    /// 30 days (2,592,000 seconds), as Kong counts it.
    Month,
    /// 365 days (31,536,000 seconds), as Kong counts it.
    Year,
}

impl KongPeriod {
    /// Every period, shortest first.
    pub const ALL: [KongPeriod; 6] = [
        KongPeriod::Second,
        KongPeriod::Minute,
        KongPeriod::Hour,
        KongPeriod::Day,
        KongPeriod::Month,
        KongPeriod::Year,
    ];

    /// The period named by a header-name suffix (`second`, `Minute`, `HOUR`…; ASCII
    /// case-insensitive, as header names are).
    pub fn from_header_suffix(suffix: &[u8]) -> Option<Self> {
        KongPeriod::ALL
            .into_iter()
            .find(|p| p.as_str().as_bytes().eq_ignore_ascii_case(suffix))
    }

    /// Splits a whole header name, `X-RateLimit-Limit-<Period>` or
    /// `X-RateLimit-Remaining-<Period>` (ASCII case-insensitive).
    pub fn parse_header_name(name: &[u8]) -> Option<(KongField, KongPeriod)> {
        const LIMIT: &[u8] = b"x-ratelimit-limit-";
        const REMAINING: &[u8] = b"x-ratelimit-remaining-";
        let starts = |prefix: &[u8]| {
            name.get(..prefix.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
        };
        let (field, suffix) = if starts(LIMIT) {
            (KongField::Limit, name.get(LIMIT.len()..))
        } else if starts(REMAINING) {
            (KongField::Remaining, name.get(REMAINING.len()..))
        } else {
            return None;
        };
        Some((field, KongPeriod::from_header_suffix(suffix?)?))
    }

    /// Kong's configuration key for the period: `second`, `minute`, `hour`, `day`, `month`,
    /// `year`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KongPeriod::Second => "second",
            KongPeriod::Minute => "minute",
            KongPeriod::Hour => "hour",
            KongPeriod::Day => "day",
            KongPeriod::Month => "month",
            KongPeriod::Year => "year",
        }
    }

    /// The length of the period in seconds, as Kong counts it (month 30 days, year 365
    /// days).
    pub const fn window_seconds(self) -> u64 {
        match self {
            KongPeriod::Second => 1,
            KongPeriod::Minute => 60,
            KongPeriod::Hour => 3_600,
            KongPeriod::Day => 86_400,
            KongPeriod::Month => 2_592_000,
            KongPeriod::Year => 31_536_000,
        }
    }

    /// The length of the period (see [`window_seconds`](Self::window_seconds)).
    pub const fn window(self) -> Duration {
        Duration::from_secs(self.window_seconds())
    }

    /// The name of the limit header for the period, as Kong writes it:
    /// `X-RateLimit-Limit-Minute`.
    pub const fn limit_header(self) -> &'static str {
        match self {
            KongPeriod::Second => "X-RateLimit-Limit-Second",
            KongPeriod::Minute => "X-RateLimit-Limit-Minute",
            KongPeriod::Hour => "X-RateLimit-Limit-Hour",
            KongPeriod::Day => "X-RateLimit-Limit-Day",
            KongPeriod::Month => "X-RateLimit-Limit-Month",
            KongPeriod::Year => "X-RateLimit-Limit-Year",
        }
    }

    /// The name of the remaining header for the period, as Kong writes it:
    /// `X-RateLimit-Remaining-Minute`.
    pub const fn remaining_header(self) -> &'static str {
        match self {
            KongPeriod::Second => "X-RateLimit-Remaining-Second",
            KongPeriod::Minute => "X-RateLimit-Remaining-Minute",
            KongPeriod::Hour => "X-RateLimit-Remaining-Hour",
            KongPeriod::Day => "X-RateLimit-Remaining-Day",
            KongPeriod::Month => "X-RateLimit-Remaining-Month",
            KongPeriod::Year => "X-RateLimit-Remaining-Year",
        }
    }
}

impl fmt::Display for KongPeriod {
    /// The configuration key (`minute`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
