//! [`Config`] and [`Jitter`]: the pacer's tunables and their defaults.

use core::time::Duration;

use crate::arith::{div, duration, nanos};

/// Random extra delay added to server-independent waits, to spread out clients that were
/// throttled together. It only ever **adds** to a wait, never shortens one: a shorter wait
/// than the server asked for is exactly what a throttle forbids.
///
/// The draw uses SplitMix64 from `seed`, so a pacer is deterministic: the same
/// configuration and events always give the same instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Jitter {
    /// No jitter (the setting for tests and simulations).
    None,
    /// Add a uniform random delay in `[0, min(wait · permille / 1000, max)]`.
    Up {
        /// The largest extra delay as a fraction of the wait, in thousandths.
        permille: u16,
        /// The largest extra delay in absolute terms.
        max: Duration,
        /// The seed of the random sequence. Give each process its own seed (for example
        /// from a hardware RNG or the process id) so that clients do not jitter in step.
        seed: u64,
    },
}

impl Jitter {
    /// The default: up to 20 % of the wait, at most 1 s, seed 0.
    pub const DEFAULT: Jitter = Jitter::Up {
        permille: 200,
        max: Duration::from_secs(1),
        seed: 0,
    };

    /// The largest delay this jitter can add to a wait of `d`.
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::pacer::Jitter;
    ///
    /// let j = Jitter::DEFAULT;
    /// assert_eq!(j.max_extra(Duration::from_secs(2)), Duration::from_millis(400));
    /// assert_eq!(j.max_extra(Duration::from_secs(60)), Duration::from_secs(1));
    /// assert_eq!(Jitter::None.max_extra(Duration::from_secs(60)), Duration::ZERO);
    /// ```
    pub const fn max_extra(self, d: Duration) -> Duration {
        duration(self.max_extra_nanos(nanos(d)))
    }

    pub(crate) const fn max_extra_nanos(self, d: u64) -> u64 {
        match self {
            Jitter::None => 0,
            Jitter::Up { permille, max, .. } => {
                // `d · permille / 1000` in 64 bits: with d = 1000·a + b it is
                // `a · permille + b · permille / 1000` exactly, and `b · permille` is below
                // 1000 · 65 536. When `a · permille` saturates, the exact value exceeds
                // u64::MAX and so `max` too: the minimum is the same.
                let a = div(d, 1000);
                // proven: b < 1000.
                let b = d.wrapping_sub(a.wrapping_mul(1000));
                let small = (b as u32) * (permille as u32) / 1000;
                let frac = a
                    .saturating_mul(permille as u64)
                    .saturating_add(small as u64);
                let max = nanos(max);
                if frac < max { frac } else { max }
            }
        }
    }

    pub(crate) const fn seed(self) -> u64 {
        match self {
            Jitter::None => 0,
            Jitter::Up { seed, .. } => seed,
        }
    }
}

impl Default for Jitter {
    fn default() -> Self {
        Jitter::DEFAULT
    }
}

/// How the [`Pacer`](super::Pacer) reads what servers say. `Config::DEFAULT` holds the
/// defaults, each documented on its field.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::pacer::{Config, Jitter};
///
/// // GitHub: at least a minute after a secondary limit, 403 + remaining 0 is a throttle,
/// // and one extra second after the epoch reset (as Octokit does).
/// let github = Config::DEFAULT
///     .with_backoff(Duration::from_secs(60), Duration::from_secs(600))
///     .with_throttle_403_zero_remaining(true)
///     .with_reset_slack(Duration::from_secs(1));
/// assert_eq!(github.max_server_wait, Duration::from_secs(600));
///
/// // Exact, for tests: no jitter.
/// let exact = Config::DEFAULT.with_jitter(Jitter::None);
/// assert_eq!(exact.window_margin, Duration::ZERO);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Config {
    /// The longest a server can make the client wait: caps Retry-After and every reset.
    /// A larger value blocks only until the cap, then the client sends one probe; the
    /// [`Outcome`](super::Outcome) reports `capped`. Default 600 s (the draft's "ten
    /// minutes").
    pub max_server_wait: Duration,
    /// How long an observation without a reset lasts when its policy has no known window.
    /// Default 60 s.
    pub default_ttl: Duration,
    /// The first wait after a throttle that gives no timing at all (no Retry-After, no
    /// reset). Each further consecutive throttle doubles it. Default 1 s.
    pub backoff_base: Duration,
    /// The longest backoff wait. Default 60 s.
    pub backoff_cap: Duration,
    /// Added to every local window (`w + margin`), to absorb the spread of latency against
    /// strict sliding-log servers. Default 0.
    pub window_margin: Duration,
    /// Added to every server reset (Octokit adds 1 s to cover rounding). Default 0.
    pub reset_slack: Duration,
    /// Random extra delay on backoff waits (and on Retry-After when
    /// [`jitter_retry_after`](Config::jitter_retry_after) is set). Default
    /// [`Jitter::DEFAULT`].
    pub jitter: Jitter,
    /// Whether jitter also applies to Retry-After waits. Default `false`: the draft leaves
    /// herd control to the server, which can jitter its own Retry-After.
    pub jitter_retry_after: bool,
    /// Whether a 403 with `remaining` 0 counts as a throttle, as GitHub sends for its primary
    /// limit. Default `false`.
    pub throttle_403_zero_remaining: bool,
}

impl Config {
    /// The defaults, each documented on its field.
    pub const DEFAULT: Config = Config {
        max_server_wait: Duration::from_secs(600),
        default_ttl: Duration::from_secs(60),
        backoff_base: Duration::from_secs(1),
        backoff_cap: Duration::from_secs(60),
        window_margin: Duration::ZERO,
        reset_slack: Duration::ZERO,
        jitter: Jitter::DEFAULT,
        jitter_retry_after: false,
        throttle_403_zero_remaining: false,
    };

    /// The defaults (same as [`Config::DEFAULT`]).
    pub const fn new() -> Self {
        Self::DEFAULT
    }

    /// Sets [`max_server_wait`](Config::max_server_wait).
    pub const fn with_max_server_wait(mut self, cap: Duration) -> Self {
        self.max_server_wait = cap;
        self
    }

    /// Sets [`default_ttl`](Config::default_ttl).
    pub const fn with_default_ttl(mut self, ttl: Duration) -> Self {
        self.default_ttl = ttl;
        self
    }

    /// Sets [`backoff_base`](Config::backoff_base) and [`backoff_cap`](Config::backoff_cap).
    pub const fn with_backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_cap = cap;
        self
    }

    /// Sets [`window_margin`](Config::window_margin).
    pub const fn with_window_margin(mut self, margin: Duration) -> Self {
        self.window_margin = margin;
        self
    }

    /// Sets [`reset_slack`](Config::reset_slack).
    pub const fn with_reset_slack(mut self, slack: Duration) -> Self {
        self.reset_slack = slack;
        self
    }

    /// Sets [`jitter`](Config::jitter).
    pub const fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// Sets [`jitter_retry_after`](Config::jitter_retry_after).
    pub const fn with_jitter_retry_after(mut self, on: bool) -> Self {
        self.jitter_retry_after = on;
        self
    }

    /// Sets [`throttle_403_zero_remaining`](Config::throttle_403_zero_remaining).
    pub const fn with_throttle_403_zero_remaining(mut self, on: bool) -> Self {
        self.throttle_403_zero_remaining = on;
        self
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pacer_keeps_its_configuration() {
        let odd = Duration::new(u64::MAX, 999_999_999);
        let configs = [
            Config::DEFAULT,
            Config::DEFAULT.with_jitter(Jitter::None),
            Config::DEFAULT
                .with_max_server_wait(odd)
                .with_default_ttl(Duration::new(3, 1))
                .with_backoff(Duration::ZERO, odd)
                .with_window_margin(Duration::from_nanos(7))
                .with_reset_slack(Duration::new(1, 999_999_999))
                .with_jitter(Jitter::Up {
                    permille: u16::MAX,
                    max: odd,
                    seed: u64::MAX,
                })
                .with_jitter_retry_after(true)
                .with_throttle_403_zero_remaining(true),
        ];
        for c in configs {
            assert_eq!(crate::pacer::Pacer::<1, 1, 1>::new(c).config(), &c);
        }
    }
}
