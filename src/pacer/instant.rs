//! [`Instant`]: the pacer's notion of time, and saturating conversions from [`Duration`].

use core::fmt;
use core::time::Duration;

use crate::arith::{div, duration, nanos, rem};

/// A point in time: nanoseconds since an origin the caller chooses.
///
/// The pacer has no clock; every event and query takes the current time as an `Instant`.
/// Feed it from a monotonic clock (`std::time::Instant` through `StdClock` with the `std`
/// feature, a hardware timer on an embedded target, simulated time in tests). All arithmetic
/// saturates: `u64` nanoseconds last 584 years, and [`Instant::NEVER`] (`u64::MAX`) stands
/// for "not within that range".
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::pacer::Instant;
///
/// let t = Instant::from_millis(1_500);
/// assert_eq!(t.as_nanos(), 1_500_000_000);
/// assert_eq!(t.saturating_add(Duration::from_millis(500)), Instant::from_secs(2));
/// assert_eq!(Instant::NEVER.saturating_add(Duration::from_secs(1)), Instant::NEVER);
/// assert_eq!(Instant::ZERO.saturating_duration_since(t), Duration::ZERO);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

impl Instant {
    /// The origin.
    pub const ZERO: Instant = Instant(0);
    /// The largest instant, meaning "never" (584 years after the origin).
    pub const NEVER: Instant = Instant(u64::MAX);

    /// The instant `ns` nanoseconds after the origin.
    pub const fn from_nanos(ns: u64) -> Self {
        Instant(ns)
    }

    /// The instant `us` microseconds after the origin (saturating at [`Instant::NEVER`]).
    pub const fn from_micros(us: u64) -> Self {
        Instant(us.saturating_mul(1_000))
    }

    /// The instant `ms` milliseconds after the origin (saturating at [`Instant::NEVER`]).
    pub const fn from_millis(ms: u64) -> Self {
        Instant(ms.saturating_mul(1_000_000))
    }

    /// The instant `s` seconds after the origin (saturating at [`Instant::NEVER`]).
    pub const fn from_secs(s: u64) -> Self {
        Instant(s.saturating_mul(1_000_000_000))
    }

    /// The instant `d` after the origin (saturating at [`Instant::NEVER`]).
    pub const fn from_duration(d: Duration) -> Self {
        Instant(nanos(d))
    }

    /// Nanoseconds since the origin.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Whole milliseconds since the origin (rounded down).
    pub const fn as_millis(self) -> u64 {
        div(self.0, 1_000_000)
    }

    /// The time since the origin.
    pub const fn since_origin(self) -> Duration {
        duration(self.0)
    }

    /// Whether this is [`Instant::NEVER`].
    pub const fn is_never(self) -> bool {
        self.0 == u64::MAX
    }

    /// `self + d`, saturating at [`Instant::NEVER`].
    pub const fn saturating_add(self, d: Duration) -> Self {
        Instant(self.0.saturating_add(nanos(d)))
    }

    /// `self - d`, saturating at [`Instant::ZERO`].
    pub const fn saturating_sub(self, d: Duration) -> Self {
        Instant(self.0.saturating_sub(nanos(d)))
    }

    /// The time from `earlier` to `self`, or zero when `earlier` is later.
    pub const fn saturating_duration_since(self, earlier: Instant) -> Duration {
        duration(self.0.saturating_sub(earlier.0))
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_never() {
            f.write_str("Instant::NEVER")
        } else {
            write!(f, "Instant({}ns)", self.0)
        }
    }
}

/// Prints milliseconds with up to six decimals (`1500ms`, `0.25ms`), or `never`.
///
/// ```
/// use ratelimit_headers::pacer::Instant;
///
/// assert_eq!(Instant::from_millis(1500).to_string(), "1500ms");
/// assert_eq!(Instant::from_nanos(250_000).to_string(), "0.25ms");
/// assert_eq!(Instant::NEVER.to_string(), "never");
/// ```
impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_never() {
            return f.write_str("never");
        }
        let ms = div(self.0, 1_000_000);
        // proven: the remainder is below 10⁶.
        let frac = rem(self.0, 1_000_000) as u32;
        if frac == 0 {
            write!(f, "{ms}ms")
        } else {
            let mut digits = 6;
            let mut frac = frac;
            while frac.is_multiple_of(10) {
                frac /= 10;
                digits -= 1;
            }
            write!(f, "{ms}.{frac:0digits$}ms")
        }
    }
}
