//! 64-bit division and the conversions between nanoseconds or milliseconds and [`Duration`],
//! written so that neither the pacer nor the parsers link compiler-builtins' 64-bit division
//! (about 0.9 KiB on a Cortex-M4) on targets without a 64-bit divide instruction.
//!
//! On 64-bit targets and WebAssembly, [`div`] is the native `/`. Elsewhere (Arm
//! Cortex-M, RISC-V 32, ...) it is a short shift-subtract loop, with the hardware 32-bit
//! division when both operands fit in 32 bits. The pacer divides a few times per event (the
//! bucket of a time, a wait as a `Duration`), so the loop's speed does not matter there.

use core::time::Duration;

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// `n / d`; `n` when `d` is 0 (as if it were 1).
#[cfg(any(target_pointer_width = "64", target_family = "wasm"))]
#[inline]
pub(crate) const fn div(n: u64, d: u64) -> u64 {
    match n.checked_div(d) {
        Some(q) => q,
        None => n,
    }
}

/// `n / d`; `n` when `d` is 0 (as if it were 1).
#[cfg(not(any(target_pointer_width = "64", target_family = "wasm")))]
#[inline]
pub(crate) const fn div(n: u64, d: u64) -> u64 {
    soft_div(n, d)
}

/// `n - d · div(n, d)`: `n % d`, and `n` when `d` is 0.
#[inline]
pub(crate) const fn rem(n: u64, d: u64) -> u64 {
    n.wrapping_sub(div(n, d).wrapping_mul(d))
}

/// [`div`] without a 64-bit divide instruction.
///
/// Restoring binary long division over the bits where the quotient can be non-zero: at most
/// 64 steps of a compare and a subtract.
#[cfg_attr(
    all(not(test), any(target_pointer_width = "64", target_family = "wasm")),
    allow(dead_code)
)]
#[inline(never)]
pub(crate) const fn soft_div(n: u64, d: u64) -> u64 {
    if d == 0 {
        return n;
    }
    if n < d {
        return 0;
    }
    if n <= u32::MAX as u64 {
        // proven: 0 < d <= n <= u32::MAX, so neither cast truncates.
        return match (n as u32).checked_div(d as u32) {
            Some(q) => q as u64,
            None => n,
        };
    }
    // d <= n, so d has at least as many leading zeros as n: `shift` is in 0..=63 and
    // `d << shift` keeps every bit of d.
    let shift = d.leading_zeros().wrapping_sub(n.leading_zeros());
    let mut d = d.wrapping_shl(shift);
    let mut r = n;
    let mut q = 0u64;
    let mut i = 0;
    while i <= shift {
        q <<= 1;
        if r >= d {
            r -= d;
            q |= 1;
        }
        d >>= 1;
        i += 1;
    }
    q
}

/// `d` in nanoseconds, saturating at `u64::MAX` (64-bit arithmetic only).
// Outlined where the conversion is a dozen instructions (on a Cortex-M4 on_response alone
// inlined it eleven times).
#[cfg_attr(
    not(any(target_pointer_width = "64", target_family = "wasm")),
    inline(never)
)]
pub(crate) const fn nanos(d: Duration) -> u64 {
    match d.as_secs().checked_mul(NANOS_PER_SEC) {
        Some(s) => s.saturating_add(d.subsec_nanos() as u64),
        None => u64::MAX,
    }
}

/// `ms` milliseconds as a `Duration` (the same value as `Duration::from_millis`). Where a
/// 64-bit division is a library routine, a long division by the constant 1000 in 16-bit
/// steps, each of which fits a `u32` (smaller there than a call to [`div`]).
#[cfg(any(target_pointer_width = "64", target_family = "wasm"))]
#[inline]
pub(crate) const fn duration_from_millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

/// `ms` milliseconds as a `Duration` (the same value as `Duration::from_millis`). Where a
/// 64-bit division is a library routine, a long division by the constant 1000 in 16-bit
/// steps, each of which fits a `u32` (smaller there than a call to [`div`]).
#[cfg(not(any(target_pointer_width = "64", target_family = "wasm")))]
#[inline]
pub(crate) const fn duration_from_millis(ms: u64) -> Duration {
    millis_in_u32_steps(ms)
}

/// [`duration_from_millis`] without a 64-bit division.
#[cfg_attr(
    all(not(test), any(target_pointer_width = "64", target_family = "wasm")),
    allow(dead_code)
)]
const fn millis_in_u32_steps(ms: u64) -> Duration {
    let (mut rest, mut secs, mut rem) = (ms, 0u64, 0u32);
    let mut step = 0;
    while step < 4 {
        // proven: rem < 1000, so (rem << 16) | 0xFFFF < 2^26; the cast keeps the top 16 bits.
        let cur = (rem << 16) | (rest >> 48) as u32;
        rest <<= 16;
        secs = (secs << 16) | (cur / 1000) as u64;
        rem = cur % 1000;
        step += 1;
    }
    Duration::new(secs, rem * 1_000_000)
}

/// `n` nanoseconds as a `Duration` (the same value as `Duration::from_nanos`, through
/// [`div`]).
#[cfg_attr(
    not(any(target_pointer_width = "64", target_family = "wasm")),
    inline(never)
)]
pub(crate) const fn duration(n: u64) -> Duration {
    let s = div(n, NANOS_PER_SEC);
    let ns = n.wrapping_sub(s.wrapping_mul(NANOS_PER_SEC));
    if ns < NANOS_PER_SEC {
        // proven: ns < 10⁹ (the test keeps `Duration::new` from linking its overflow path).
        Duration::new(s, ns as u32)
    } else {
        Duration::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EDGES: [u64; 16] = [
        0,
        1,
        2,
        3,
        10,
        17,
        1_000,
        NANOS_PER_SEC,
        u32::MAX as u64 - 1,
        u32::MAX as u64,
        u32::MAX as u64 + 1,
        1 << 40,
        (1 << 63) - 1,
        1 << 63,
        u64::MAX - 1,
        u64::MAX,
    ];

    /// What `div` and `rem` promise, from the native operators.
    fn expected(n: u64, d: u64) -> (u64, u64) {
        match d {
            0 => (n, n),
            _ => (n / d, n % d),
        }
    }

    #[test]
    fn soft_div_edges() {
        for &n in &EDGES {
            for &d in &EDGES {
                let (q, r) = expected(n, d);
                assert_eq!(soft_div(n, d), q, "{n} / {d}");
                assert_eq!(div(n, d), q, "{n} / {d}");
                assert_eq!(rem(n, d), r, "{n} % {d}");
                assert_eq!(
                    n.wrapping_sub(soft_div(n, d).wrapping_mul(d)),
                    r,
                    "{n} % {d}"
                );
            }
        }
    }

    #[test]
    fn conversions_match_core() {
        for &n in &EDGES {
            assert_eq!(duration(n), Duration::from_nanos(n), "{n}");
            assert_eq!(duration_from_millis(n), Duration::from_millis(n), "{n} ms");
            assert_eq!(millis_in_u32_steps(n), Duration::from_millis(n), "{n} ms");
            let d = Duration::from_nanos(n);
            assert_eq!(nanos(d), n);
        }
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

    /// Dividends and divisors of every width, so that both paths and every shift are hit.
    fn wide() -> impl Strategy<Value = u64> {
        (any::<u64>(), 0u32..64).prop_map(|(x, s)| x >> s)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn soft_div_matches_native(n in wide(), d in wide()) {
            let (q, r) = expected(n, d);
            prop_assert_eq!(soft_div(n, d), q);
            prop_assert_eq!(div(n, d), q);
            prop_assert_eq!(rem(n, d), r);
            prop_assert_eq!(n.wrapping_sub(soft_div(n, d).wrapping_mul(d)), r);
        }

        #[test]
        fn conversions_round_trip(n in wide(), secs in any::<u64>(), sub in 0u32..1_000_000_000) {
            prop_assert_eq!(duration(n), Duration::from_nanos(n));
            prop_assert_eq!(duration_from_millis(n), Duration::from_millis(n));
            prop_assert_eq!(millis_in_u32_steps(n), Duration::from_millis(n));
            let d = Duration::new(secs, sub);
            prop_assert_eq!(u128::from(nanos(d)), d.as_nanos().min(u128::from(u64::MAX)));
        }
    }
}
