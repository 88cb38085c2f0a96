//! The local models of "at most q sends in any window of length w": a ring of the last `N`
//! send times (exact) and `K + 1` bucket counters (conservative, for `q > N`).

use crate::arith::{div, rem};

/// The last `N` send times, oldest overwritten first. Times are non-decreasing because the
/// pacer clamps time that goes backwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ring<const N: usize> {
    times: [u64; N],
    len: usize,
    /// Where the next push goes.
    head: usize,
}

impl<const N: usize> Ring<N> {
    pub(crate) const fn new() -> Self {
        Ring {
            times: [0; N],
            len: 0,
            head: 0,
        }
    }

    pub(crate) fn push(&mut self, t: u64) {
        if let Some(slot) = self.times.get_mut(self.head) {
            *slot = t;
            let next = self.head.saturating_add(1);
            self.head = if next >= N { 0 } else { next };
            if self.len < N {
                self.len = self.len.saturating_add(1);
            }
        }
    }

    /// The `k`-th most recent send (`k = 1` is the newest), if the ring holds that many.
    #[inline]
    pub(crate) fn recent(&self, k: usize) -> Option<u64> {
        if k == 0 || k > self.len {
            return None;
        }
        // k <= len <= N, so N - k does not underflow and N >= 1.
        let idx = self.head.wrapping_add(N.wrapping_sub(k)).checked_rem(N)?;
        self.times.get(idx).copied()
    }

    /// How many of the newest `limit` sends `s` satisfy `s + w > t` (are still inside the
    /// window `(t - w, t]`). Written as an addition: `t - w` would saturate to 0 and let a
    /// send at instant 0 fall out early; an `s + w` that overflows never leaves the window.
    pub(crate) fn count_within(&self, t: u64, w: u64, limit: usize) -> usize {
        let mut n = 0;
        while n < limit {
            match self.recent(n.saturating_add(1)) {
                Some(s) if s.checked_add(w).is_none_or(|end| end > t) => {
                    n = n.saturating_add(1);
                }
                _ => break,
            }
        }
        n
    }

    /// The sends, newest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        (1..=self.len).filter_map(|k| self.recent(k))
    }
}

/// `K + 1` counters of sends per bucket of width `g = ceil(w / K)`, kept as a ring indexed
/// by `bucket % (K + 1)`. Counting the `K + 1` newest buckets covers `(t - w, t]` because
/// `K · g >= w`; it over-counts by at most one bucket, so it is conservative by at most `g`.
///
/// Stable Rust cannot write `[u32; K + 1]`, so the last counter lives in `extra`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Buckets<const K: usize> {
    /// Bucket width in ns, never 0 (set with `max(1)`; the divisions below go through
    /// `arith::div`, which has no panic path).
    g: u64,
    /// Index (`t / g`) of the newest bucket written.
    newest: u64,
    counts: [u32; K],
    extra: u32,
    /// The sum of all `K + 1` counters (at most `(K + 1) · u32::MAX`, so it cannot wrap for
    /// any K that fits in memory; added saturating all the same).
    total: u64,
}

/// `K + 1` as a u64 (usize is at most 64 bits on every target Rust supports).
const fn slots<const K: usize>() -> u64 {
    // proven: usize fits in u64 on every supported target; saturate otherwise.
    let k = if (K as u128) < (u64::MAX as u128) {
        K as u64
    } else {
        u64::MAX - 1
    };
    k + 1
}

impl<const K: usize> Buckets<K> {
    pub(crate) const fn new() -> Self {
        Buckets {
            g: 1,
            newest: 0,
            counts: [0; K],
            extra: 0,
            total: 0,
        }
    }

    pub(crate) fn width(&self) -> u64 {
        self.g
    }

    /// The bucket width for a window of `w` nanoseconds: `ceil(w / K)`, at least 1.
    pub(crate) fn width_for(w: u64) -> u64 {
        let k = slots::<K>().saturating_sub(1).max(1);
        // A shift when `K` is a power of two (as the default 16 is).
        let q = if k.is_power_of_two() {
            w >> k.trailing_zeros()
        } else {
            div(w, k)
        };
        let r = w.wrapping_sub(q.wrapping_mul(k));
        q.saturating_add(u64::from(r != 0)).max(1)
    }

    /// The slot of absolute bucket `b`: `b % (K + 1)`.
    fn slot_index(b: u64) -> usize {
        // proven: the remainder is below K + 1, which came from a usize.
        usize::try_from(rem(b, slots::<K>())).unwrap_or(usize::MAX)
    }

    /// The slot before `i` in the ring (`K` before 0).
    fn prev(i: usize) -> usize {
        i.checked_sub(1).unwrap_or(K)
    }

    /// The counter in slot `i <= K`.
    fn at(&self, i: usize) -> u32 {
        self.counts.get(i).copied().unwrap_or(self.extra)
    }

    fn at_mut(&mut self, i: usize) -> &mut u32 {
        match self.counts.get_mut(i) {
            Some(c) => c,
            None => &mut self.extra,
        }
    }

    /// Starts over with width `g` at time `now`, counting the sends still in the ring.
    pub(crate) fn seed<const N: usize>(&mut self, g: u64, now: u64, ring: &Ring<N>) {
        self.g = g.max(1);
        self.newest = div(now, self.g);
        self.counts = [0; K];
        self.extra = 0;
        self.total = 0;
        for s in ring.iter() {
            self.record(s);
        }
    }

    /// Counts one send at `t`.
    pub(crate) fn record(&mut self, t: u64) {
        let b = div(t, self.g);
        let slot = Self::slot_index(b);
        if b > self.newest {
            // Empty the buckets `newest + 1 ..= b`, from `b` back: all `K + 1` of them when
            // the gap is that long (`total`, their exact sum, then drops to 0).
            let gap = (b - self.newest).min(slots::<K>());
            let mut i = slot;
            for _ in 0..gap {
                let c = self.at_mut(i);
                let old = u64::from(*c);
                *c = 0;
                self.total = self.total.saturating_sub(old);
                i = Self::prev(i);
            }
            self.newest = b;
        } else if b.saturating_add(slots::<K>()) <= self.newest {
            // Older than every bucket kept: outside any window that can still be queried.
            return;
        }
        let c = self.at_mut(slot);
        if *c < u32::MAX {
            *c += 1;
            self.total = self.total.saturating_add(1);
        }
    }

    /// Adds up the counts of the window ending at `t` (the buckets `s - K ..= s`, `s = t / g`,
    /// that are still kept), newest first, until the sum reaches `stop`. Returns the sum
    /// (saturating) and the bucket whose count made it reach `stop`, if one did.
    ///
    /// A saturated counter (4 294 967 295 sends in one bucket) counts as at least `q`, so
    /// saturation can only make an answer stricter.
    fn scan(&self, t: u64, q: u64, stop: u64) -> (u64, Option<u64>) {
        let s = div(t, self.g);
        // Buckets above `newest` or at most `newest - (K + 1)` hold no count.
        let hi = s.min(self.newest);
        let lo = s.max(self.newest).saturating_sub(slots::<K>() - 1);
        let mut sum = 0u64;
        if hi < lo {
            return (sum, None);
        }
        let mut b = hi;
        let mut i = Self::slot_index(hi);
        loop {
            let c = self.at(i);
            let c = if c == u32::MAX {
                u64::from(c).max(q)
            } else {
                u64::from(c)
            };
            sum = sum.saturating_add(c);
            if sum >= stop {
                return (sum, Some(b));
            }
            if b <= lo {
                return (sum, None);
            }
            b -= 1;
            i = Self::prev(i);
        }
    }

    /// Sends counted in the window ending at `t` (saturating).
    pub(crate) fn total(&self, t: u64, q: u64) -> u64 {
        self.scan(t, q, u64::MAX).0
    }

    /// The earliest time `>= t` at which one more send keeps the count at most `q`.
    pub(crate) fn earliest(&self, t: u64, q: u64) -> u64 {
        // Fast path: the window at `t` is part of the K + 1 buckets kept, so it holds at most
        // `total` sends. (A saturated counter makes `total >= u32::MAX`, which takes the
        // exact path below whenever it could matter.)
        if self.total < q && self.total < u64::from(u32::MAX) {
            return t;
        }
        if q == 0 {
            // Never allowed (the pacer never stores a window with q == 0).
            return u64::MAX;
        }
        // Walking back from the newest bucket, the first bucket `b` that brings the count to
        // `q` must leave the window before one more send fits: that happens at the start of
        // bucket `b + K + 1`. When the whole window holds fewer than `q`, a send fits now.
        match self.scan(t, q, q) {
            // `(b + K + 1) · g`, saturating: `b <= t / g` (scan starts at most there), so
            // `b · g <= t` does not overflow and the product by a constant is cheap.
            (_, Some(b)) => b
                .wrapping_mul(self.g)
                .saturating_add(self.g.saturating_mul(slots::<K>())),
            (_, None) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::vec::Vec;

    /// The buckets as first written (u128 sums, one division per bucket visited), to check
    /// that the single-pass `scan` gives the same answers.
    struct Reference<const K: usize> {
        g: u64,
        newest: u64,
        counts: [u32; K],
        extra: u32,
    }

    impl<const K: usize> Reference<K> {
        fn count(&self, b: u64) -> u64 {
            if b > self.newest || b.saturating_add(slots::<K>()) <= self.newest {
                return 0;
            }
            let i = usize::try_from(b % slots::<K>()).unwrap();
            u64::from(if i < K { self.counts[i] } else { self.extra })
        }

        fn effective(&self, b: u64, q: u64) -> u128 {
            let c = self.count(b);
            if c == u64::from(u32::MAX) {
                u128::from(c.max(q))
            } else {
                u128::from(c)
            }
        }

        fn window_counts(&self, t: u64, q: u64) -> impl Iterator<Item = u128> + '_ {
            let s = t / self.g;
            let k = slots::<K>() - 1;
            (0..=k).map(move |i| {
                let plus = s.saturating_add(i);
                if plus < k {
                    0
                } else {
                    self.effective(plus - k, q)
                }
            })
        }

        fn total(&self, t: u64, q: u64) -> u128 {
            self.window_counts(t, q).sum()
        }

        fn earliest(&self, t: u64, q: u64) -> u64 {
            let tot = self.total(t, q);
            let q128 = u128::from(q);
            if tot < q128 {
                return t;
            }
            let s = u128::from(t / self.g);
            let mut dropped = 0u128;
            let mut j = 0u128;
            for c in self.window_counts(t, q) {
                dropped += c;
                j += 1;
                if tot - dropped < q128 {
                    let at = (s + j) * u128::from(self.g);
                    return u64::try_from(at).unwrap_or(u64::MAX);
                }
            }
            u64::MAX
        }
    }

    /// Records `times` (after optionally saturating some counters) and compares every query.
    fn check<const K: usize>(g: u64, times: &[u64], saturate: &[usize], queries: &[(u64, u64)]) {
        let mut b: Buckets<K> = Buckets::new();
        b.g = g;
        for &t in times {
            b.record(t);
        }
        for &i in saturate {
            let i = i % (K + 1);
            let old = u64::from(b.at(i));
            *b.at_mut(i) = u32::MAX;
            b.total = b.total - old + u64::from(u32::MAX);
        }
        let r: Reference<K> = Reference {
            g: b.g,
            newest: b.newest,
            counts: b.counts,
            extra: b.extra,
        };
        let last = times.iter().copied().max().unwrap_or(0);
        for &(dt, q) in queries {
            let t = last.saturating_add(dt);
            if (t / g).checked_add(slots::<K>()).is_none() {
                // The reference saturates `s + i` there and counts one bucket K + 1 times
                // (see `window_at_the_end_of_time`).
                continue;
            }
            let total = u64::try_from(r.total(t, q)).unwrap_or(u64::MAX);
            assert_eq!(b.total(t, q), total, "total at {t}, q {q}");
            if b.total >= q || b.total >= u64::from(u32::MAX) {
                assert_eq!(b.earliest(t, q), r.earliest(t, q), "earliest at {t}, q {q}");
            } else {
                assert_eq!(b.earliest(t, q), t);
                assert!(r.earliest(t, q) == t);
            }
        }
    }

    fn quota() -> impl Strategy<Value = u64> {
        prop_oneof![
            0u64..40,
            Just(u64::from(u32::MAX)),
            Just(u64::MAX),
            any::<u64>()
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3_000))]

        #[test]
        fn buckets_match_reference(
            g in prop_oneof![1u64..5, 1u64..2_000, Just(u64::MAX / 4)],
            start in prop_oneof![Just(0u64), any::<u64>(), Just(u64::MAX - 10_000)],
            steps in proptest::collection::vec(0u64..3_000, 0..60),
            saturate in proptest::collection::vec(any::<usize>(), 0..3),
            queries in proptest::collection::vec((prop_oneof![0u64..5_000, any::<u64>()], quota()), 1..8),
        ) {
            let mut t = start;
            let times: Vec<u64> = steps
                .iter()
                .map(|&d| {
                    t = t.saturating_add(d);
                    t
                })
                .collect();
            check::<16>(g, &times, &saturate, &queries);
            check::<3>(g, &times, &saturate, &queries);
            check::<1>(g, &times, &saturate, &queries);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        /// `ceil(w / K)`, at least 1, by a shift or a division.
        #[test]
        fn width_is_the_ceiling(w in prop_oneof![0u64..100, any::<u64>(), Just(u64::MAX)]) {
            prop_assert_eq!(Buckets::<16>::width_for(w), w.div_ceil(16).max(1));
            prop_assert_eq!(Buckets::<8>::width_for(w), w.div_ceil(8).max(1));
            prop_assert_eq!(Buckets::<3>::width_for(w), w.div_ceil(3).max(1));
            prop_assert_eq!(Buckets::<1>::width_for(w), w.max(1));
        }
    }

    /// The window ending at `u64::MAX` (`Instant::NEVER`) counts its own buckets. (The first
    /// version saturated `s + i` there and counted bucket `s - K` K + 1 times instead.)
    #[test]
    fn window_at_the_end_of_time() {
        let mut b: Buckets<16> = Buckets::new();
        b.newest = u64::MAX;
        *b.at_mut(Buckets::<16>::slot_index(u64::MAX)) = 3;
        *b.at_mut(Buckets::<16>::slot_index(u64::MAX - 16)) = 1;
        b.total = 4;
        assert_eq!(b.total(u64::MAX, 5), 4);
        assert_eq!(b.earliest(u64::MAX, 5), u64::MAX);
        assert_eq!(b.earliest(u64::MAX - 20, 5), u64::MAX - 20);
        // Full: the send at MAX - 16 leaves the window at MAX + 1 (saturated).
        assert_eq!(b.earliest(u64::MAX, 4), u64::MAX);
        // One instant earlier, bucket MAX is not in the window yet.
        assert_eq!(b.total(u64::MAX - 1, 4), 1);
    }
}
