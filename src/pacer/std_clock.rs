//! [`StdClock`]: reads `std::time::Instant` as pacer [`Instant`]s (feature `std`).

extern crate std;

use core::time::Duration;

use super::Instant;

/// A monotonic clock for the pacer: nanoseconds since an origin `std::time::Instant`.
///
/// ```
/// use ratelimit_headers::pacer::{Config, Pacer, StdClock};
///
/// let clock = StdClock::new();
/// let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
/// let ticket = pacer.on_sent(clock.now());
/// assert!(clock.now() >= ticket.sent_at());
/// // How long to sleep before the next request, if at all.
/// let wait = pacer.wait(clock.now());
/// assert_eq!(wait, core::time::Duration::ZERO);
/// // Back to std time, for a timer API that wants one.
/// let deadline = clock.to_std(pacer.next_allowed(clock.now()));
/// assert!(deadline.is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StdClock {
    origin: std::time::Instant,
}

impl StdClock {
    /// A clock whose origin is now.
    pub fn new() -> Self {
        StdClock {
            origin: std::time::Instant::now(),
        }
    }

    /// A clock with this origin.
    pub const fn with_origin(origin: std::time::Instant) -> Self {
        StdClock { origin }
    }

    /// The origin.
    pub const fn origin(&self) -> std::time::Instant {
        self.origin
    }

    /// The current time.
    pub fn now(&self) -> Instant {
        self.instant(std::time::Instant::now())
    }

    /// `at` as a pacer instant (the origin, if `at` is earlier).
    pub fn instant(&self, at: std::time::Instant) -> Instant {
        Instant::from_duration(at.saturating_duration_since(self.origin))
    }

    /// A pacer instant as a `std::time::Instant`, or `None` for [`Instant::NEVER`] and
    /// instants `std` cannot represent.
    pub fn to_std(&self, at: Instant) -> Option<std::time::Instant> {
        if at.is_never() {
            return None;
        }
        self.origin.checked_add(Duration::from_nanos(at.as_nanos()))
    }
}

impl Default for StdClock {
    fn default() -> Self {
        Self::new()
    }
}
