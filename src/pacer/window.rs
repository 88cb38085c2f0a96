//! The local models of "at most q sends in any window of length w": a ring of the last `N`
//! send times (exact) and `K + 1` bucket counters (conservative, for `q > N`).

use super::arith::{div, rem};

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
        let q = div(w, k);
        q.saturating_add(u64::from(rem(w, k) != 0)).max(1)
    }

    fn slot_index(b: u64) -> usize {
        // proven: the remainder is below K + 1, which came from a usize.
        usize::try_from(rem(b, slots::<K>())).unwrap_or(usize::MAX)
    }

    fn slot(&self, b: u64) -> u32 {
        let i = Self::slot_index(b);
        if i < K {
            self.counts.get(i).copied().unwrap_or(0)
        } else {
            self.extra
        }
    }

    fn slot_mut(&mut self, b: u64) -> &mut u32 {
        let i = Self::slot_index(b);
        match self.counts.get_mut(i) {
            Some(c) => c,
            None => &mut self.extra,
        }
    }

    /// The count of absolute bucket `b`, as seen with `newest` as the latest write.
    fn count(&self, b: u64) -> u64 {
        if b > self.newest || b.saturating_add(slots::<K>()) <= self.newest {
            0
        } else {
            u64::from(self.slot(b))
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
        if b > self.newest {
            let gap = b - self.newest;
            if gap >= slots::<K>() {
                self.counts = [0; K];
                self.extra = 0;
                self.total = 0;
            } else {
                let mut i = 1;
                while i <= gap {
                    let c = self.slot_mut(self.newest.saturating_add(i));
                    let old = u64::from(*c);
                    *c = 0;
                    self.total = self.total.saturating_sub(old);
                    i += 1;
                }
            }
            self.newest = b;
        } else if b.saturating_add(slots::<K>()) <= self.newest {
            // Older than every bucket kept: outside any window that can still be queried.
            return;
        }
        let c = self.slot_mut(b);
        if *c < u32::MAX {
            *c += 1;
            self.total = self.total.saturating_add(1);
        }
    }

    /// Count of bucket `b` for a quota of `q`. A saturated counter (4 294 967 295 sends in
    /// one bucket) counts as at least `q`, so saturation can only make the answer stricter.
    fn effective(&self, b: u64, q: u64) -> u128 {
        let c = self.count(b);
        if c == u64::from(u32::MAX) {
            u128::from(c.max(q))
        } else {
            u128::from(c)
        }
    }

    /// The counts `c_0 ..= c_K` of the buckets `s - K ..= s` at time `t` (`s = t / g`).
    fn window_counts(&self, t: u64, q: u64) -> impl Iterator<Item = u128> + '_ {
        let s = div(t, self.g);
        let k = slots::<K>().saturating_sub(1);
        (0..=k).map(move |i| {
            let plus = s.saturating_add(i);
            if plus < k {
                0
            } else {
                self.effective(plus - k, q)
            }
        })
    }

    /// Sends counted in the window ending at `t`.
    pub(crate) fn total(&self, t: u64, q: u64) -> u128 {
        self.window_counts(t, q).sum()
    }

    /// The earliest time `>= t` at which one more send keeps the count at most `q`.
    pub(crate) fn earliest(&self, t: u64, q: u64) -> u64 {
        // Fast path: the window at `t` is part of the K + 1 buckets kept, so it holds at most
        // `total` sends. (A saturated counter makes `total >= u32::MAX`, which takes the
        // exact path below whenever it could matter.)
        if self.total < q && self.total < u64::from(u32::MAX) {
            return t;
        }
        let q = u128::from(q);
        let tot = self.total(t, q.try_into().unwrap_or(u64::MAX));
        if tot < q {
            return t;
        }
        let s = u128::from(div(t, self.g));
        let mut dropped: u128 = 0;
        let mut j: u128 = 0;
        for c in self.window_counts(t, q.try_into().unwrap_or(u64::MAX)) {
            dropped = dropped.saturating_add(c);
            j = j.saturating_add(1);
            if tot.saturating_sub(dropped) < q {
                let at = s.saturating_add(j).saturating_mul(u128::from(self.g));
                return u64::try_from(at).unwrap_or(u64::MAX);
            }
        }
        // Only when q == 0, which the pacer never stores as a window.
        u64::MAX
    }
}
