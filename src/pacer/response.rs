//! Applying a response to the pacer: declarations, observations and throttles.

use super::policy::{Slot, Snap};
use super::window::Buckets;
use super::{Instant, Outcome, Pacer, Ticket};
use crate::arith::{duration, nanos, rem};
use crate::feedback::{Feedback, PolicyFeedback, PolicyId, QuotaUnit};

/// What [`Pacer::on_response`] reads, once per response, to apply each observation.
struct Obs {
    /// The response's time (ns).
    t: u64,
    throttled: bool,
    /// The response has a Retry-After.
    retry_after: bool,
    /// The ticket's sequence number.
    seq: u64,
    /// Requests the server may not have counted when it answered.
    unaccounted: u64,
    max_wait: u64,
    slack: u64,
}

impl<const P: usize, const N: usize, const K: usize> Pacer<P, N, K> {
    /// Applies a response: its declarations, its observations (reconciled with the requests
    /// the server may not have counted yet), and its throttle, if it is one.
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::pacer::{Config, Instant, Jitter, Pacer};
    /// use ratelimit_headers::Feedback;
    ///
    /// let mut pacer: Pacer = Pacer::new(Config::DEFAULT.with_jitter(Jitter::None));
    /// let ticket = pacer.on_sent(Instant::ZERO);
    /// let mut fb: Feedback = Feedback::new(Some(429));
    /// fb.set_retry_after(Some(Duration::from_secs(1_000_000)));
    /// let outcome = pacer.on_response(Instant::from_millis(1000), ticket, &fb);
    /// assert!(outcome.throttled && outcome.capped);
    /// // Capped at ten minutes: one probe may go then.
    /// assert_eq!(pacer.next_allowed(Instant::ZERO), Instant::from_millis(601_000));
    /// ```
    pub fn on_response<const FP: usize, const FI: usize>(
        &mut self,
        now: Instant,
        ticket: Ticket,
        fb: &Feedback<'_, FP, FI>,
    ) -> Outcome {
        let t = self.advance(now);
        self.in_flight = self.in_flight.saturating_sub(1);
        let mut out = Outcome::default();
        if fb.from_cache() {
            return out;
        }
        let policies = fb.policies();

        // Declarations.
        for pf in policies {
            if let (Some(q), Some(w)) = (pf.quota, pf.window) {
                let w = nanos(w);
                if pf.unit == QuotaUnit::Requests && q >= 1 && w > 0 {
                    match self.slot_for(pf.id, t) {
                        Some(i) => self.set_window(i, q, w, t),
                        None => out.dropped_policies = out.dropped_policies.saturating_add(1),
                    }
                }
            }
        }

        let throttled = fb.is_throttle()
            || (self.config.throttle_403_zero_remaining
                && fb.status() == Some(403)
                && policies
                    .iter()
                    .any(|p| matches!(p.remaining, Some(r) if r <= 0)));
        out.throttled = throttled;
        let retry_after = fb.retry_after();
        // Requests the server may not have counted when it answered this one.
        let unaccounted = ticket
            .in_flight_before
            .saturating_add(self.next_seq.saturating_sub(1).saturating_sub(ticket.seq));
        let max_wait = nanos(self.config.max_server_wait);
        let slack = nanos(self.config.reset_slack);

        // Observations.
        let o = Obs {
            t,
            throttled,
            retry_after: retry_after.is_some(),
            seq: ticket.seq,
            unaccounted,
            max_wait,
            slack,
        };
        let mut blocked = false;
        for pf in policies {
            blocked |= self.observe(pf, &o, &mut out);
        }

        // A Retry-After is a server-directed wait: capped.
        let retry_after = retry_after.map(|d| {
            let d = nanos(d);
            if d > max_wait {
                out.capped = true;
            }
            d.min(max_wait)
        });
        if throttled {
            self.streak = self.streak.saturating_add(1);
            self.last_throttle_at = Some(t);
            // Block for the Retry-After or, when nothing blocks already, the backoff.
            let wait = match retry_after {
                Some(d) => Some((d, self.config.jitter_retry_after)),
                None if !blocked => Some((self.backoff_nanos(), true)),
                None => None,
            };
            if let Some((d, jitter)) = wait {
                let extra = if jitter { self.jitter(d) } else { 0 };
                let d = d.saturating_add(extra);
                if retry_after.is_none() {
                    out.backoff = Some(duration(d));
                }
                self.global_block = self.global_block.max(t.saturating_add(d));
            }
        } else {
            if self
                .last_throttle_at
                .is_none_or(|lt| ticket.sent_at.as_nanos() >= lt)
            {
                self.streak = 0;
            }
            out.retry_after = retry_after.map(duration);
        }
        self.refresh();
        out
    }

    // ---- internals -----------------------------------------------------------------------

    /// Applies one observation of a response (see [`on_response`](Self::on_response));
    /// returns whether it blocks the policy until a later instant (a reset that exhausts it).
    fn observe(&mut self, pf: &PolicyFeedback<'_>, o: &Obs, out: &mut Outcome) -> bool {
        let Obs {
            t,
            throttled,
            unaccounted,
            max_wait,
            slack,
            ..
        } = *o;
        let mut r = pf.remaining;
        if r.is_some_and(|x| x < 0) {
            if throttled {
                r = Some(0);
            } else {
                out.malformed_ignored = out.malformed_ignored.saturating_add(1);
                return false;
            }
        }
        if throttled && !o.retry_after && pf.reset.is_some() {
            r = Some(0);
        }
        let Some(r) = r else { return false };
        let r = u64::try_from(r).unwrap_or(0);
        let counted = pf.unit == QuotaUnit::Requests;

        let existing = self.policies.iter().position(|s| s.id == pf.id);
        // A reset, or else a window (or the default TTL): the observation lasts that
        // long. Without a reset it only counts as a server-directed wait (capped, and
        // reported as such) when it blocks.
        let (d, after, may_cap) = match pf.reset {
            Some(d) => (nanos(d), slack, true),
            None => {
                let w = existing
                    .and_then(|i| self.policies.get(i))
                    .filter(|s| s.has_window())
                    .map_or(nanos(self.config.default_ttl), |s| s.window);
                (w, 0, r == 0)
            }
        };
        if may_cap && d > max_wait {
            out.capped = true;
        }
        let reset_at = t.saturating_add(d.min(max_wait)).saturating_add(after);
        let exhausted_now = r == 0;
        // What this response proves on its own: `r` less every request the server may
        // not have counted when it answered.
        let (floor, unknown) = match (counted, r) {
            (true, r) => (r, unaccounted),
            (false, 0) => (0, 0),
            (false, _) => (u64::MAX, 0),
        };
        let fresh = Snap {
            floor,
            unknown,
            reset_at,
            applied_seq: o.seq,
            counted,
        };
        let in_flight = self.in_flight;

        // The policy's snapshot after this observation, as (remaining, reset_at); `None`
        // when the observation is ignored as stale.
        let applied = 'apply: {
            if let Some(slot) = existing.and_then(|i| self.policies.get_mut(i))
                && let Some(snap) = slot.snap.as_mut()
                && snap.live(t)
            {
                let stale = o.seq < snap.applied_seq;
                if stale && throttled && exhausted_now {
                    // A throttle's exhaustion is never stale (rule 1 of the module docs): merge it.
                    snap.floor = 0;
                    snap.unknown = 0;
                    snap.reset_at = snap.reset_at.max(reset_at);
                    break 'apply Some((0, snap.reset_at));
                }
                if counted && snap.counted {
                    // Reconcile with the lowest count so far (rule 6 of the module docs). This request
                    // was among the `unknown` ones (it was in flight or sent after the
                    // request behind `floor`). A count at or below `floor` means the
                    // server counted it after that request: it is the new floor, and
                    // whatever was already in the old one is in it too. A higher count
                    // means the server counted it before: it is in `floor` already.
                    // Either way one fewer unknown; the requests still in flight stay
                    // unknown.
                    if r <= snap.floor {
                        snap.unknown = snap.unknown.saturating_sub(1).min(unaccounted);
                        snap.floor = r;
                        snap.reset_at = reset_at;
                    } else {
                        snap.unknown = snap.unknown.saturating_sub(1);
                    }
                    snap.unknown = snap.unknown.max(in_flight);
                    if !stale && fresh.remaining() > snap.remaining() {
                        // A newer report that proves more on its own (the quota grew, a
                        // bucket refilled, a window rolled over): it replaces the
                        // snapshot.
                        *snap = fresh;
                    }
                    snap.applied_seq = snap.applied_seq.max(o.seq);
                    slot.touched = self.next_seq;
                    break 'apply Some((snap.remaining(), snap.reset_at));
                }
                if stale {
                    out.stale_ignored = out.stale_ignored.saturating_add(1);
                    break 'apply None;
                }
            }
            let index = self.slot_for(pf.id, t);
            match index.and_then(|i| self.policies.get_mut(i)) {
                Some(slot) => {
                    slot.snap = Some(fresh);
                    slot.touched = self.next_seq;
                }
                None => {
                    out.dropped_policies = out.dropped_policies.saturating_add(1);
                    if fresh.remaining() == 0 {
                        self.global_block = self.global_block.max(reset_at);
                    }
                }
            }
            Some((fresh.remaining(), reset_at))
        };
        applied.is_some_and(|(remaining, until)| remaining == 0 && pf.reset.is_some() && until > t)
    }

    /// `min(backoff_cap, backoff_base · 2^(streak - 1))`, saturating.
    fn backoff_nanos(&self) -> u64 {
        let exp = self.streak.saturating_sub(1).min(63);
        let base = nanos(self.config.backoff_base);
        // `base · 2^exp` overflows exactly when `exp` exceeds `base`'s leading zeros.
        let d = if exp <= base.leading_zeros() {
            base << exp
        } else {
            u64::MAX
        };
        d.min(nanos(self.config.backoff_cap))
    }

    /// A uniform draw in `[0, jitter.max_extra(d)]` (SplitMix64).
    fn jitter(&mut self, d: u64) -> u64 {
        let bound = self.config.jitter.max_extra_nanos(d);
        if bound == 0 {
            return 0;
        }
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        match bound.checked_add(1) {
            Some(m) => rem(z, m),
            None => z,
        }
    }

    /// Whether the slot may be evicted at `t`: not declared, no live snapshot, and no send
    /// still inside its window (rule 3 of the module docs).
    fn evictable(&self, slot: &Slot<K>, t: u64) -> bool {
        if slot.pinned || slot.live_snap(t).is_some() {
            return false;
        }
        if !slot.has_window() {
            return true;
        }
        if slot.bucketed {
            slot.buckets.total(t, slot.quota) == 0
        } else {
            self.ring
                .recent(1)
                .is_none_or(|s| s.saturating_add(slot.w_eff) <= t)
        }
    }

    /// The index of the slot for `id`: the existing one, a free one, or an evicted one.
    pub(super) fn slot_for(&mut self, id: PolicyId, t: u64) -> Option<usize> {
        if let Some(i) = self.policies.iter().position(|s| s.id == id) {
            return Some(i);
        }
        // A free slot, or else the evictable one touched longest ago (the first on a tie).
        let i = if self.policies.is_full() {
            let mut victim: Option<(usize, u64)> = None;
            for (i, s) in self.policies.iter().enumerate() {
                if self.evictable(s, t) && victim.is_none_or(|(_, touched)| s.touched < touched) {
                    victim = Some((i, s.touched));
                }
            }
            victim?.0
        } else {
            self.policies.len()
        };
        let fresh = Slot::new(id);
        match self.policies.get_mut(i) {
            Some(slot) => *slot = fresh,
            None => self.policies.push(fresh).ok()?,
        }
        Some(i)
    }

    /// Sets the local window of slot `i`, switching to (or reseeding) buckets when needed.
    pub(super) fn set_window(&mut self, i: usize, quota: u64, window: u64, t: u64) {
        let margin = nanos(self.config.window_margin);
        let touched = self.next_seq;
        let ring = &self.ring;
        let Some(slot) = self.policies.get_mut(i) else {
            return;
        };
        slot.touched = touched;
        if slot.quota == quota && slot.window == window {
            // Unchanged (the usual case: every response repeats the declarations).
            return;
        }
        let w_eff = window.saturating_add(margin);
        let q_ring = usize::try_from(quota).ok().filter(|&q| q <= N);
        match q_ring {
            Some(q) => {
                slot.bucketed = false;
                slot.q_ring = q;
            }
            None => {
                let g = Buckets::<K>::width_for(w_eff);
                if !slot.bucketed || slot.buckets.width() != g || !slot.has_window() {
                    slot.buckets.seed(g, t, ring);
                }
                slot.bucketed = true;
                slot.q_ring = 0;
            }
        }
        slot.quota = quota;
        slot.window = window;
        slot.w_eff = w_eff;
        slot.touched = touched;
    }
}
