//! The rate limiter behind `examples/server` (also used by the end-to-end tests in `e2e/`):
//! a set of policies, each counted as a fixed window or a sliding log, and the response
//! headers that describe the result in a chosen dialect, written with the crate's encoders.

use std::collections::VecDeque;
use std::time::Duration;

use ratelimit_headers::field::vendor::{Count, UnixTime};
use ratelimit_headers::{
    HttpDate, Limit, LimitDictionary, Policy, QuotaPolicy, RateLimit, RateLimitPolicy, Remaining,
    Reset, RetryAfter, ServiceLimit,
};

/// How the server counts a policy's requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    /// Fixed windows aligned to multiples of the window on the server's Unix clock.
    FixedWindow,
    /// Fixed windows that start with the first request after the previous one ended (as
    /// express-rate-limit's memory store and GitHub's hourly limit count).
    FixedFromFirst,
    /// A sliding log: at most `quota` accepted requests in any window ending now.
    SlidingLog,
}

/// Which headers the server writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderDialect {
    /// Claid's (draft-polli): `RateLimit-Limit: <expiring>, 120;w=60, 4;w=1`,
    /// `RateLimit-Remaining`, `RateLimit-Reset` (delay seconds) for the policy closest to
    /// running out; on a 429 `RateLimit-Remaining: -1`, as Claid sends.
    Claid,
    /// draft-ietf-httpapi-ratelimit-headers-07: `RateLimit: limit=4, remaining=3, reset=1`
    /// for the policy closest to running out and `RateLimit-Policy: 120;w=60, 4;w=1`.
    IetfDictionary,
    /// draft-ietf-httpapi-ratelimit-headers-08 and later: `RateLimit: "second";r=3;t=1, ...`
    /// and `RateLimit-Policy: "second";q=4;w=1, ...`, one item per policy.
    IetfList,
    /// GitHub's: `X-RateLimit-Limit`, `-Remaining`, `-Used`, `-Reset` (Unix seconds) for the
    /// policy closest to running out, with `Date`.
    XRateLimitEpoch,
}

impl HeaderDialect {
    /// Every dialect, with the name the example server takes on its command line.
    pub const ALL: [(&'static str, HeaderDialect); 4] = [
        ("claid", HeaderDialect::Claid),
        ("ietf-dict", HeaderDialect::IetfDictionary),
        ("ietf-list", HeaderDialect::IetfList),
        ("github", HeaderDialect::XRateLimitEpoch),
    ];
}

/// What a server enforces and how it says so.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The policies, as (quota, window). Every request counts against all of them.
    pub policies: Vec<(u64, Duration)>,
    /// How each policy counts.
    pub counting: Counting,
    /// The headers written.
    pub dialect: HeaderDialect,
    /// Added to the server's clock (its `Date` header, epoch resets and windows), in ms.
    pub skew_ms: i64,
}

impl ServerConfig {
    /// Claid's two policies, 120 per minute and 4 per second, with Claid's headers.
    pub fn claid(counting: Counting) -> Self {
        ServerConfig {
            policies: vec![(120, Duration::from_secs(60)), (4, Duration::from_secs(1))],
            counting,
            dialect: HeaderDialect::Claid,
            skew_ms: 0,
        }
    }
}

/// What the server answered, counted on the server side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerCounts {
    /// Requests answered 200.
    pub accepted: u32,
    /// Requests answered 429.
    pub throttled: u32,
}

/// One policy's count.
struct PolicyState {
    quota: u64,
    window_ms: u64,
    /// Fixed windows: the current window's index (aligned) or start (from the first request).
    window: u64,
    count: u64,
    /// Sliding log: accept times (ms), oldest first.
    log: VecDeque<u64>,
}

impl PolicyState {
    fn new(quota: u64, window: Duration) -> Self {
        PolicyState {
            quota,
            window_ms: (window.as_millis() as u64).max(1),
            window: 0,
            count: 0,
            log: VecDeque::new(),
        }
    }

    /// Brings the count to `now` (ms on the server clock).
    fn advance(&mut self, counting: Counting, now: u64) {
        match counting {
            Counting::FixedWindow => {
                let index = now / self.window_ms;
                if index != self.window {
                    self.window = index;
                    self.count = 0;
                }
            }
            Counting::FixedFromFirst => {
                if self.count > 0 && self.window + self.window_ms <= now {
                    self.count = 0;
                }
            }
            Counting::SlidingLog => {
                while self.log.front().is_some_and(|&t| t + self.window_ms <= now) {
                    self.log.pop_front();
                }
                self.count = self.log.len() as u64;
            }
        }
    }

    fn remaining(&self) -> u64 {
        self.quota.saturating_sub(self.count)
    }

    fn record(&mut self, counting: Counting, now: u64) {
        match counting {
            Counting::FixedFromFirst if self.count == 0 => self.window = now,
            Counting::SlidingLog => self.log.push_back(now),
            _ => {}
        }
        self.count += 1;
    }

    /// When (ms on the server clock) this policy next frees a request.
    fn reset_at(&self, counting: Counting, now: u64) -> u64 {
        match counting {
            Counting::FixedWindow => (self.window + 1) * self.window_ms,
            Counting::FixedFromFirst if self.count == 0 => now + self.window_ms,
            Counting::FixedFromFirst => self.window + self.window_ms,
            Counting::SlidingLog => self.log.front().map_or(now, |&t| t + self.window_ms),
        }
    }
}

/// One policy as a response reports it.
#[derive(Clone, Copy, Debug)]
pub struct PolicyReport {
    /// Its quota.
    pub quota: u64,
    /// Its window, whole seconds.
    pub window_secs: u64,
    /// Requests left after this one.
    pub remaining: u64,
    /// Seconds until it frees a request, rounded up (a client must never come back early).
    pub reset_secs: u64,
    /// When it frees a request, Unix seconds on the server clock, rounded up.
    pub reset_unix: u64,
}

/// The server's decision for one request.
#[derive(Clone, Debug)]
pub struct Decision {
    /// Whether the request is served (200) or refused (429).
    pub accepted: bool,
    /// Each policy after this request, in configuration order.
    pub policies: Vec<PolicyReport>,
    /// The policy closest to running out (the smallest share of its quota left; on a tie,
    /// the later reset), which single-policy dialects report.
    pub reported: usize,
    /// The server clock when it decided, Unix milliseconds.
    pub now_ms: u64,
}

/// The limiter: policies and their counts.
pub struct Limiter {
    /// What it enforces.
    pub config: ServerConfig,
    policies: Vec<PolicyState>,
    /// What it has answered.
    pub counts: ServerCounts,
}

impl Limiter {
    /// A limiter with nothing counted yet.
    pub fn new(config: ServerConfig) -> Self {
        let policies = config
            .policies
            .iter()
            .map(|&(q, w)| PolicyState::new(q, w))
            .collect();
        Limiter {
            config,
            policies,
            counts: ServerCounts::default(),
        }
    }

    /// The server clock: Unix milliseconds, shifted by the configured skew.
    pub fn now_ms(&self) -> u64 {
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis() as i64;
        (unix + self.config.skew_ms).max(0) as u64
    }

    /// Counts a request arriving now: served only if every policy has a request left.
    pub fn decide(&mut self) -> Decision {
        let now_ms = self.now_ms();
        let counting = self.config.counting;
        for p in &mut self.policies {
            p.advance(counting, now_ms);
        }
        let accepted = self.policies.iter().all(|p| p.remaining() > 0);
        if accepted {
            for p in &mut self.policies {
                p.record(counting, now_ms);
            }
            self.counts.accepted += 1;
        } else {
            self.counts.throttled += 1;
        }
        let policies: Vec<PolicyReport> = self
            .policies
            .iter()
            .map(|p| {
                let reset_at = p.reset_at(counting, now_ms);
                PolicyReport {
                    quota: p.quota,
                    window_secs: p.window_ms.div_ceil(1000),
                    remaining: p.remaining(),
                    reset_secs: reset_at.saturating_sub(now_ms).div_ceil(1000),
                    reset_unix: reset_at.div_ceil(1000),
                }
            })
            .collect();
        let mut reported = 0;
        for (i, p) in policies.iter().enumerate() {
            let best = &policies[reported];
            let share = u128::from(p.remaining) * u128::from(best.quota);
            let best_share = u128::from(best.remaining) * u128::from(p.quota);
            if share < best_share || (share == best_share && p.reset_secs > best.reset_secs) {
                reported = i;
            }
        }
        Decision {
            accepted,
            policies,
            reported,
            now_ms,
        }
    }
}

/// A policy's name in the named (draft-ietf-08+) dialect: its window.
fn policy_name(window_secs: u64) -> String {
    match window_secs {
        1 => "second".into(),
        60 => "minute".into(),
        3600 => "hour".into(),
        86400 => "day".into(),
        s => format!("{s}s"),
    }
}

/// The rate-limit headers for `d` in `dialect`, as (name, value) pairs, each value written
/// by the crate's encoder for that field.
pub fn headers(
    dialect: HeaderDialect,
    d: &Decision,
) -> Result<Vec<(&'static str, String)>, ratelimit_headers::Error> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let p = d.policies[d.reported];
    match dialect {
        HeaderDialect::Claid => {
            let mut limit: Limit = Limit::new(p.quota);
            for q in &d.policies {
                limit.push(QuotaPolicy::new(q.quota, q.window_secs))?;
            }
            out.push(("RateLimit-Limit", limit.to_string()));
            let remaining = if d.accepted {
                Remaining::new(p.remaining).to_string()
            } else {
                // Claid's over-quota marker. The grammar has no negative numbers, so the
                // crate's encoder cannot write it: it is written by hand, as Claid does.
                "-1".to_string()
            };
            out.push(("RateLimit-Remaining", remaining));
            out.push((
                "RateLimit-Reset",
                Reset::after_seconds(p.reset_secs).to_string(),
            ));
        }
        HeaderDialect::IetfDictionary => {
            let value: RateLimit = RateLimit::Dictionary(
                LimitDictionary::new(p.quota, p.reset_secs).with_remaining(p.remaining),
            );
            out.push(("RateLimit", value.to_string()));
            let mut policy: RateLimitPolicy = RateLimitPolicy::new();
            for q in &d.policies {
                policy.push(Policy::unnamed(q.quota, q.window_secs))?;
            }
            out.push(("RateLimit-Policy", policy.to_string()));
        }
        HeaderDialect::IetfList => {
            let names: Vec<String> = d
                .policies
                .iter()
                .map(|q| policy_name(q.window_secs))
                .collect();
            let mut value: RateLimit = RateLimit::list();
            let mut policy: RateLimitPolicy = RateLimitPolicy::new();
            for (q, name) in d.policies.iter().zip(&names) {
                value.push(
                    ServiceLimit::named(name)?
                        .with_remaining(q.remaining)
                        .with_reset(q.reset_secs),
                )?;
                policy.push(Policy::named(name, q.quota)?.with_window(q.window_secs))?;
            }
            out.push(("RateLimit", value.to_string()));
            out.push(("RateLimit-Policy", policy.to_string()));
        }
        HeaderDialect::XRateLimitEpoch => {
            out.push(("X-RateLimit-Limit", Count::new(p.quota).to_string()));
            out.push(("X-RateLimit-Remaining", Count::new(p.remaining).to_string()));
            out.push((
                "X-RateLimit-Used",
                Count::new(p.quota - p.remaining).to_string(),
            ));
            out.push((
                "X-RateLimit-Reset",
                UnixTime::from_secs(p.reset_unix).to_string(),
            ));
        }
    }
    // The server's own `Date`, from its (possibly skewed) clock.
    if let Some(date) = HttpDate::from_unix_seconds((d.now_ms / 1000) as i64) {
        out.push(("Date", date.to_string()));
    }
    if !d.accepted {
        out.push((
            "Retry-After",
            RetryAfter::after_seconds(p.reset_secs.max(1)).to_string(),
        ));
    }
    Ok(out)
}
