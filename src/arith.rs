//! The pacer's time arithmetic: division that tolerates a zero divisor, and conversions
//! between nanoseconds and [`Duration`] that saturate instead of overflowing.

use core::time::Duration;

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// `n / d`; `n` when `d` is 0 (as if it were 1).
#[inline]
pub(crate) const fn div(n: u64, d: u64) -> u64 {
    match n.checked_div(d) {
        Some(q) => q,
        None => n,
    }
}

/// `n % d`; `n` when `d` is 0.
#[inline]
pub(crate) const fn rem(n: u64, d: u64) -> u64 {
    match n.checked_rem(d) {
        Some(r) => r,
        None => n,
    }
}

/// `d` in nanoseconds, saturating at `u64::MAX`.
#[inline]
pub(crate) const fn nanos(d: Duration) -> u64 {
    match d.as_secs().checked_mul(NANOS_PER_SEC) {
        Some(s) => s.saturating_add(d.subsec_nanos() as u64),
        None => u64::MAX,
    }
}

/// `n` nanoseconds as a `Duration`.
#[inline]
pub(crate) const fn duration(n: u64) -> Duration {
    Duration::from_nanos(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_zero_divisor_divides_by_one() {
        assert_eq!(div(7, 0), 7);
        assert_eq!(rem(7, 0), 7);
        assert_eq!(div(7, 2), 3);
        assert_eq!(rem(7, 2), 1);
    }

    #[test]
    fn nanos_saturate() {
        assert_eq!(nanos(Duration::MAX), u64::MAX);
        assert_eq!(
            nanos(Duration::new(u64::MAX / NANOS_PER_SEC, 999_999_999)),
            u64::MAX
        );
        assert_eq!(
            nanos(Duration::new(u64::MAX / NANOS_PER_SEC, 0)),
            u64::MAX / NANOS_PER_SEC * NANOS_PER_SEC
        );
    }

    proptest! {
        #[test]
        fn conversions_round_trip(n: u64, secs: u64, sub in 0u32..1_000_000_000) {
            prop_assert_eq!(nanos(duration(n)), n);
            let d = Duration::new(secs, sub);
            prop_assert_eq!(u128::from(nanos(d)), d.as_nanos().min(u128::from(u64::MAX)));
        }
    }
}
