//! The pacer: a pure state machine that turns what servers say into "the next request may go
//! at instant T".
//!
//! The [`Pacer`] has no clock and does no I/O. The caller passes the current [`Instant`] to
//! every call, tells it about each send ([`Pacer::on_sent`] or [`Pacer::try_acquire`]), each
//! response ([`Pacer::on_response`] with the response's [`Feedback`](crate::Feedback)) and each request that
//! got no response ([`Pacer::on_dropped`]), and asks [`Pacer::next_allowed`],
//! [`Pacer::wait`] or [`Pacer::available`]. Nothing allocates, nothing panics, every time
//! and count saturates, and the whole state has a fixed size.
//!
//! ```
//! use core::time::Duration;
//! use ratelimit_headers::pacer::{Capacity, Config, Instant, Jitter, Pacer};
//! use ratelimit_headers::{Feedback, PolicyFeedback, PolicyId};
//!
//! // Claid documents 120 requests a minute and 4 a second.
//! let mut pacer: Pacer = Pacer::new(Config::DEFAULT.with_jitter(Jitter::None));
//! pacer.declare(PolicyId::window(60), 120, Duration::from_secs(60))?;
//! pacer.declare(PolicyId::window(1), 4, Duration::from_secs(1))?;
//!
//! let t0 = Instant::ZERO;
//! let ticket = pacer.try_acquire(t0).expect("nothing sent yet");
//! // Three more fit in the first second, then the 4/s window is full.
//! for _ in 0..3 {
//!     pacer.try_acquire(t0).expect("within 4/s");
//! }
//! assert_eq!(pacer.try_acquire(t0), Err(Instant::from_millis(1000)));
//! assert_eq!(pacer.wait(t0), Duration::from_secs(1));
//!
//! // The first response: `RateLimit-Limit: 120, 120;w=60, 4;w=1`, Remaining 116, Reset 59
//! // (the parser attaches the observation to the 60 s policy).
//! let mut fb: Feedback = Feedback::new(Some(200));
//! fb.push_policy(PolicyFeedback::new(PolicyId::window(60))
//!     .with_quota(120, Duration::from_secs(60))
//!     .with_remaining(116)
//!     .with_reset(Duration::from_secs(59)))?;
//! fb.push_policy(PolicyFeedback::new(PolicyId::window(1)).with_quota(4, Duration::from_secs(1)))?;
//! let outcome = pacer.on_response(Instant::from_millis(80), ticket, &fb);
//! assert!(!outcome.throttled);
//! // The server counted at most 116 left after the first request; three more are in flight.
//! let w60 = pacer.policy(PolicyId::window(60)).unwrap();
//! assert_eq!(w60.snapshot.map(|s| s.remaining), Some(113));
//! assert_eq!(pacer.available(Instant::from_millis(1000)), Capacity::Limited(4));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The model
//!
//! These rules hold for any stream of events; the [next section](#reordered-concurrent-and-misbehaving-servers)
//! gives those that keep them when responses come back out of order or servers misbehave.
//!
//! * **Time** only moves forward: an event at an instant earlier than the latest one seen
//!   is treated as happening at the latest one. Queries read, but never change, that
//!   high-water mark, so they are pure. Every sum saturates at [`Instant::NEVER`]; a
//!   result of `NEVER` means "not within 584 years". At `NEVER` itself time cannot advance,
//!   so `next_allowed(NEVER)` is `NEVER` whatever the state (only there does
//!   `next_allowed(t) == t` not imply `available(t) >= 1`; `try_acquire(NEVER)` follows
//!   `available`).
//! * **Each policy** constrains every request, and the strictest wins:
//!   `next_allowed = max(now, global block, max over policies)`.
//!   * When its quota `q` and window `w` are known (declared with [`Pacer::declare`] or by
//!     a response), it has a **local sliding window**: at most `q` sends in any window of
//!     length `w` (plus [`Config::window_margin`]). This is exact — not GCRA, which lets
//!     `2q - 1` requests through in one window — while `q <= N`, counted from one shared
//!     ring of the last `N` send times. A quota above `N` is counted in `K + 1` buckets of
//!     width `ceil(w / K)`, which is conservative by at most one bucket. (Claid's 120 a
//!     minute is above the default `N = 64`, so it is counted in 3.75 s buckets; a
//!     `Pacer<8, 128>` counts it exactly, for 512 bytes more.)
//!   * When a response reports `remaining` for it, it has a **server snapshot**: that many
//!     requests until the reset (anchored at the response's receive time, so latency only
//!     makes it late, never early). Requests the server may not have counted yet (those in
//!     flight when the reported request was sent, and every later send; answered ones only
//!     once, see rule 6 below) are subtracted, so
//!     the estimate never exceeds what the server said; only observations newer by send
//!     order replace a live snapshot.
//! * **Throttles** (429 and 503; 403 with `remaining` 0 as an opt-in): a Retry-After blocks
//!   every request until it has passed; without one, each reported policy with a reset is
//!   exhausted until that reset; with no timing at all, exponential backoff
//!   `min(backoff_cap, backoff_base · 2^(k-1))` after `k` consecutive throttles. Every
//!   server-directed wait is capped at [`Config::max_server_wait`] (the outcome says
//!   `capped`), after which one probe may go. Jitter only ever adds to a wait.
//! * **Cached responses** change nothing but the count of requests in flight.
//!
//! # Mapping from [`Feedback`](crate::Feedback)
//!
//! Each [`PolicyFeedback`](crate::PolicyFeedback) is read twice. If it has a quota and a
//! window, its unit is [`QuotaUnit::Requests`](crate::QuotaUnit), the quota is at least 1
//! and the window is not zero, it **declares** the policy's local window. If it has
//! `remaining`, it is an **observation** (a negative `remaining` is exhausted on a throttle
//! and ignored as malformed otherwise). The list-form headers of the early drafts identify
//! a policy by its window ([`PolicyId::window`](crate::PolicyId::window)); a bare
//! `RateLimit-Remaining` belongs to [`PolicyId::ANONYMOUS`](crate::PolicyId::ANONYMOUS).
//!
//! # Reordered, concurrent and misbehaving servers
//!
//! Each rule keeps the pacer strict where a reordered or misbehaving response stream could
//! loosen it; the scenario tests (`tests/pacer_scenarios.rs`, S1–S27) and the invariant
//! property tests (`tests/pacer_props.rs`) hold them.
//!
//! 1. **A throttle's exhaustion is never stale.** An observation older by send order than
//!    the live snapshot is dropped, except an exhausted one on a throttle: a 429 proves the
//!    quota is exhausted *now*, whatever order the responses come back in, so it is merged
//!    (remaining 0 until the later of the two resets). Otherwise a reordered 429 with a
//!    reset could be ignored and draw only a 1 s backoff, and the reset would not be
//!    honoured.
//! 2. **A throttle that blocks nothing backs off.** The backoff is skipped only when some
//!    policy is actually blocked until a later instant. A `Reset: 0` (or a reset already
//!    passed) blocks nothing, and a server answering `429` + `Reset: 0` would otherwise be
//!    retried in a tight loop.
//! 3. **Eviction keeps what still constrains.** When all `P` policy slots are taken, only a
//!    policy with no live snapshot and no send inside its window can be evicted (the least
//!    recently touched one), and policies given to [`Pacer::declare`] never are (they are
//!    the caller's documented limits): forgetting a window that still holds sends (3 of 4
//!    used, say) would let the next sends break it. When nothing can be evicted, an
//!    exhausted observation is folded into the global block and the rest is dropped
//!    (reported in [`Outcome::dropped_policies`]).
//! 4. **Quotas in other units** (tokens, bytes, concurrent requests) are informative, but an
//!    observation of one still tells whether it is exhausted: `remaining: 0` blocks until
//!    its reset (an LLM API out of tokens answers 429 to every request), while a positive
//!    value is not decremented per request and does not limit [`Pacer::available`].
//! 5. **`capped`** is reported when a reset, not only a Retry-After, was cut to
//!    `max_server_wait`; and a Retry-After on a response that is not a throttle (a 3xx,
//!    a 413) is returned in [`Outcome::retry_after`] for that request alone.
//! 6. **Answered requests are not subtracted twice.** A newer observation `r` is reduced by
//!    the requests the server may not have counted: every one in flight when it was sent.
//!    Those already answered are in the live snapshot (whose own bound subtracted what it
//!    could not see), so the new value is the larger of two safe bounds: `r` less every
//!    request in flight at its send, and `min(snapshot, r - requests in flight now)`.
//!    Neither exceeds what the server has left, so neither does their maximum; the first
//!    alone would leave up to `k - 1` requests of a window unused with `k` concurrent
//!    senders (7 sent instead of 6 in scenario S10).
//!
//! # Size
//!
//! With the default capacities (`P = 8` policies, `N = 64` send times, `K = 16` buckets)
//! `size_of::<Pacer>()` is **2 280 bytes** on 64-bit targets (measured by a test); it is
//! fixed at compile time and the pacer never allocates.

mod config;
mod instant;
mod outcome;
mod policy;
mod response;
#[cfg(feature = "std")]
mod std_clock;
mod window;

use core::time::Duration;

use crate::feedback::PolicyId;

pub use config::{Config, Jitter};
pub use instant::Instant;
pub use outcome::{Capacity, Constraint, DeclareError, Outcome, PolicyView, Snapshot, Ticket};
#[cfg(feature = "std")]
pub use std_clock::StdClock;

use crate::arith::{duration, nanos};
use policy::Slot;
use window::Ring;

use crate::DEFAULT_POLICIES;
/// The default number of send times the ring keeps (quotas up to this are counted exactly).
pub const DEFAULT_RING: usize = 64;
/// The default number of buckets for quotas larger than the ring.
pub const DEFAULT_BUCKETS: usize = 16;

/// The pacer state machine: `P` policies, a ring of the last `N` send times, `K` buckets per
/// policy whose quota exceeds `N`. See the [module documentation](self) for the rules.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::pacer::{Config, Instant, Pacer};
///
/// // A smaller pacer for a microcontroller: 2 policies, 8 send times, 4 buckets.
/// let mut small: Pacer<2, 8, 4> = Pacer::new(Config::DEFAULT);
/// small.declare(ratelimit_headers::PolicyId::ANONYMOUS, 1, Duration::from_millis(1000))?;
/// assert!(small.try_acquire(Instant::ZERO).is_ok());
/// assert_eq!(small.next_allowed(Instant::ZERO), Instant::from_millis(1000));
/// # Ok::<(), ratelimit_headers::pacer::DeclareError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pacer<
    const P: usize = DEFAULT_POLICIES,
    const N: usize = DEFAULT_RING,
    const K: usize = DEFAULT_BUCKETS,
> {
    config: Config,
    /// Highest event time seen (ns).
    hwm: u64,
    next_seq: u64,
    in_flight: u64,
    global_block: u64,
    /// The maximum of `global_block` and every policy's bounds, as of the latest event:
    /// `next_allowed(now) = max(now, hwm, earliest)`.
    earliest: u64,
    streak: u32,
    last_throttle_at: Option<u64>,
    rng: u64,
    ring: Ring<N>,
    policies: heapless::Vec<Slot<K>, P>,
}

impl<const P: usize, const N: usize, const K: usize> Default for Pacer<P, N, K> {
    fn default() -> Self {
        Self::new(Config::DEFAULT)
    }
}

impl<const P: usize, const N: usize, const K: usize> Pacer<P, N, K> {
    /// A pacer that knows nothing yet: every request may go.
    ///
    /// `K` must be at least 1 (checked at compile time).
    pub const fn new(config: Config) -> Self {
        const { assert!(K >= 1, "a Pacer needs at least one bucket (K >= 1)") };
        Pacer {
            config,
            hwm: 0,
            next_seq: 0,
            in_flight: 0,
            global_block: 0,
            earliest: 0,
            streak: 0,
            last_throttle_at: None,
            rng: config.jitter.seed(),
            ring: Ring::new(),
            policies: heapless::Vec::new(),
        }
    }

    /// The configuration.
    pub const fn config(&self) -> &Config {
        &self.config
    }

    /// Declares a policy known in advance (a documented limit): at most `quota` requests in
    /// any window of length `window`. Declaring it again replaces its quota and window.
    /// Declared policies are never evicted. Responses may redeclare it (a server lowering its
    /// limits wins).
    ///
    /// Windows may be shorter than a second (for example Octokit's "one write per 1000 ms").
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::pacer::{Config, DeclareError, Instant, Pacer};
    /// use ratelimit_headers::PolicyId;
    ///
    /// let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
    /// pacer.declare(PolicyId::window(1), 4, Duration::from_secs(1))?;
    /// assert_eq!(
    ///     pacer.declare(PolicyId::window(0), 4, Duration::ZERO),
    ///     Err(DeclareError::ZeroWindow)
    /// );
    /// # Ok::<(), DeclareError>(())
    /// ```
    pub fn declare(
        &mut self,
        id: PolicyId,
        quota: u64,
        window: Duration,
    ) -> Result<(), DeclareError> {
        if quota == 0 {
            return Err(DeclareError::ZeroQuota);
        }
        let w = nanos(window);
        if w == 0 {
            return Err(DeclareError::ZeroWindow);
        }
        let t = self.hwm;
        let i = self.slot_for(id, t).ok_or(DeclareError::TableFull)?;
        self.set_window(i, quota, w, t);
        if let Some(slot) = self.policies.get_mut(i) {
            slot.pinned = true;
        }
        self.refresh();
        Ok(())
    }

    // ---- queries -------------------------------------------------------------------------

    /// `max(now, latest event time)`: the time every query and event actually uses.
    #[inline]
    fn at(&self, now: Instant) -> u64 {
        let n = now.as_nanos();
        if n > self.hwm { n } else { self.hwm }
    }

    /// The bounds policy `slot` puts on the next send, as seen at `t >= hwm`: its snapshot's
    /// (`S_p`) and its window's (`W_p`). The policy allows a send at any `x >= t` with
    /// `x >= max(S_p, W_p)`. Neither depends on `t` beyond that `max` (an exhausted snapshot
    /// blocks until its reset, which is in the past once it has expired; a window's bound is
    /// the instant its oldest counted send leaves it), which is what lets the pacer keep
    /// their maximum from one event to the next.
    #[inline]
    fn bounds(ring: &Ring<N>, slot: &Slot<K>, t: u64) -> (u64, u64) {
        let s = match &slot.snap {
            Some(snap) if snap.remaining() == 0 => snap.reset_at,
            _ => 0,
        };
        let w = if !slot.has_window() {
            0
        } else if slot.bucketed {
            slot.buckets.earliest(t, slot.quota)
        } else {
            ring.recent(slot.q_ring)
                .map_or(0, |oldest| oldest.saturating_add(slot.w_eff))
        };
        (s, w)
    }

    /// Recomputes the cached bound after an event (at `hwm`).
    fn refresh(&mut self) {
        self.update(false);
    }

    /// Recomputes the cached bound after an event (at `hwm`), first counting a send (at
    /// `hwm`, already in the ring) in every policy when `sent`: one pass for both.
    fn update(&mut self, sent: bool) {
        let t = self.hwm;
        let mut e = self.global_block;
        let ring = &self.ring;
        for slot in &mut self.policies {
            if sent {
                if let Some(snap) = &mut slot.snap
                    && snap.counted
                    && snap.live(t)
                {
                    snap.unknown = snap.unknown.saturating_add(1);
                }
                if slot.bucketed {
                    slot.buckets.record(t);
                }
            }
            let (s, w) = Self::bounds(ring, slot, t);
            e = e.max(s).max(w);
        }
        self.earliest = e;
    }

    /// The earliest instant, at or after `now`, at which a request may be sent.
    ///
    /// `now` earlier than the latest event is read as the latest event. Pure: calling it
    /// changes nothing.
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::pacer::{Config, Instant, Pacer};
    /// use ratelimit_headers::PolicyId;
    ///
    /// let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
    /// pacer.declare(PolicyId::window(1), 2, Duration::from_secs(1))?;
    /// pacer.on_sent(Instant::from_millis(0));
    /// pacer.on_sent(Instant::from_millis(300));
    /// assert_eq!(pacer.next_allowed(Instant::from_millis(500)), Instant::from_millis(1000));
    /// assert_eq!(pacer.next_allowed(Instant::from_millis(1200)), Instant::from_millis(1200));
    /// # Ok::<(), ratelimit_headers::pacer::DeclareError>(())
    /// ```
    #[inline]
    pub fn next_allowed(&self, now: Instant) -> Instant {
        Instant::from_nanos(self.at(now).max(self.earliest))
    }

    /// How long from `now` (clamped to the latest event) until [`next_allowed`](Self::next_allowed).
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::pacer::{Config, Instant, Pacer};
    ///
    /// let pacer: Pacer = Pacer::new(Config::DEFAULT);
    /// assert_eq!(pacer.wait(Instant::from_secs(5)), Duration::ZERO);
    /// ```
    pub fn wait(&self, now: Instant) -> Duration {
        let t = Instant::from_nanos(self.at(now));
        self.next_allowed(now).saturating_duration_since(t)
    }

    /// How many requests may be sent at `now`: 0 when [`next_allowed`](Self::next_allowed)
    /// is later; otherwise the least, over policies, of a live snapshot's remaining and a
    /// window's free places; [`Capacity::Unbounded`] when nothing limits.
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::pacer::{Capacity, Config, Instant, Pacer};
    /// use ratelimit_headers::PolicyId;
    ///
    /// let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
    /// assert_eq!(pacer.available(Instant::ZERO), Capacity::Unbounded);
    /// pacer.declare(PolicyId::window(1), 4, Duration::from_secs(1))?;
    /// pacer.on_sent(Instant::ZERO);
    /// assert_eq!(pacer.available(Instant::ZERO), Capacity::Limited(3));
    /// # Ok::<(), ratelimit_headers::pacer::DeclareError>(())
    /// ```
    pub fn available(&self, now: Instant) -> Capacity {
        let t = self.at(now);
        if self.next_allowed(now).as_nanos() > t {
            return Capacity::Limited(0);
        }
        // The least limit so far, and whether there is one (`Limited(u64::MAX)` is not
        // `Unbounded`).
        let (mut cap, mut limited) = (u64::MAX, false);
        for slot in &self.policies {
            if let Some(snap) = slot.live_snap(t)
                && snap.counted
            {
                cap = cap.min(snap.remaining());
                limited = true;
            }
            if slot.has_window() {
                let used = if slot.bucketed {
                    slot.buckets.total(t, slot.quota)
                } else {
                    let n = self.ring.count_within(t, slot.w_eff, slot.q_ring);
                    u64::try_from(n).unwrap_or(u64::MAX)
                };
                cap = cap.min(slot.quota.saturating_sub(used));
                limited = true;
            }
        }
        if limited {
            Capacity::Limited(cap)
        } else {
            Capacity::Unbounded
        }
    }

    /// Which constraint makes [`next_allowed`](Self::next_allowed) later than `now`, or
    /// `None` when a request may go now. On a tie the global block is named first, then
    /// snapshots, then windows.
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::pacer::{Config, Constraint, Instant, Pacer};
    /// use ratelimit_headers::PolicyId;
    ///
    /// let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
    /// pacer.declare(PolicyId::window(1), 1, Duration::from_secs(1))?;
    /// assert_eq!(pacer.binding(Instant::ZERO), None);
    /// pacer.on_sent(Instant::ZERO);
    /// assert_eq!(pacer.binding(Instant::ZERO), Some(Constraint::Window(PolicyId::window(1))));
    /// # Ok::<(), ratelimit_headers::pacer::DeclareError>(())
    /// ```
    pub fn binding(&self, now: Instant) -> Option<Constraint> {
        let t = self.at(now);
        let next = self.next_allowed(now).as_nanos();
        if next <= t {
            return None;
        }
        if self.global_block == next {
            return Some(Constraint::Global);
        }
        let mut window = None;
        for slot in &self.policies {
            let (s, w) = Self::bounds(&self.ring, slot, t);
            if s == next {
                return Some(Constraint::Snapshot(slot.id));
            }
            if w == next && window.is_none() {
                window = Some(Constraint::Window(slot.id));
            }
        }
        window
    }

    /// Requests sent and not yet answered or dropped.
    pub const fn in_flight(&self) -> u64 {
        self.in_flight
    }

    /// Requests recorded so far (the next ticket's sequence number).
    pub const fn sent(&self) -> u64 {
        self.next_seq
    }

    /// Consecutive throttles (the backoff exponent); reset by a successful response to a
    /// request sent at or after the last throttle.
    pub const fn streak(&self) -> u32 {
        self.streak
    }

    /// Until when every request is blocked by a Retry-After or a backoff (may be in the past).
    pub const fn global_block(&self) -> Instant {
        Instant::from_nanos(self.global_block)
    }

    /// The latest event time seen; earlier times given to any call are read as this.
    pub const fn latest(&self) -> Instant {
        Instant::from_nanos(self.hwm)
    }

    fn view(slot: &Slot<K>) -> PolicyView {
        PolicyView {
            id: slot.id,
            quota: slot.has_window().then_some(slot.quota),
            window: slot.has_window().then_some(duration(slot.window)),
            bucketed: slot.has_window() && slot.bucketed,
            declared: slot.pinned,
            snapshot: slot.snap.map(|s| Snapshot {
                remaining: s.remaining(),
                reset_at: Instant::from_nanos(s.reset_at),
                seq: s.applied_seq,
                counts_requests: s.counted,
            }),
        }
    }

    /// The tracked policy with this id.
    pub fn policy(&self, id: PolicyId) -> Option<PolicyView> {
        self.policies.iter().find(|s| s.id == id).map(Self::view)
    }

    /// Every tracked policy, in no particular order.
    pub fn policies(&self) -> impl Iterator<Item = PolicyView> + '_ {
        self.policies.iter().map(Self::view)
    }

    // ---- events --------------------------------------------------------------------------

    /// Moves the high-water mark and returns the time the event uses.
    #[inline]
    fn advance(&mut self, now: Instant) -> u64 {
        let t = self.at(now);
        self.hwm = t;
        t
    }

    /// Sends if allowed: `Ok(ticket)` when [`next_allowed(now)`](Self::next_allowed) is now
    /// (the send is recorded as by [`on_sent`](Self::on_sent)), otherwise
    /// `Err(next_allowed)` and nothing changes. Every policy is checked before anything is
    /// recorded, so a refusal never uses up quota.
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::pacer::{Config, Instant, Pacer};
    /// use ratelimit_headers::PolicyId;
    ///
    /// let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
    /// pacer.declare(PolicyId::window(1), 4, Duration::from_secs(1))?;
    /// for _ in 0..4 {
    ///     assert!(pacer.try_acquire(Instant::ZERO).is_ok());
    /// }
    /// assert_eq!(pacer.try_acquire(Instant::ZERO), Err(Instant::from_millis(1000)));
    /// # Ok::<(), ratelimit_headers::pacer::DeclareError>(())
    /// ```
    #[inline]
    pub fn try_acquire(&mut self, now: Instant) -> Result<Ticket, Instant> {
        let t = self.at(now);
        // At `Instant::NEVER` time cannot move on, so `earliest <= t` says nothing there:
        // the capacity decides (cold path).
        if self.earliest > t || (t == u64::MAX && !self.available(now).any()) {
            Err(Instant::from_nanos(self.earliest.max(t)))
        } else {
            Ok(self.on_sent(now))
        }
    }

    /// Records a send without checking (the caller may send against the advice; it still
    /// counts). Returns the ticket to give back with the response.
    pub fn on_sent(&mut self, now: Instant) -> Ticket {
        let t = self.advance(now);
        let ticket = Ticket {
            seq: self.next_seq,
            sent_at: Instant::from_nanos(t),
            in_flight_before: self.in_flight,
        };
        self.next_seq = self.next_seq.saturating_add(1);
        self.in_flight = self.in_flight.saturating_add(1);
        self.ring.push(t);
        self.update(true);
        ticket
    }

    /// Records that a request got no response (timeout, cancel). It still counts against
    /// every window and snapshot, since it may have reached the server; it is only no longer
    /// in flight.
    pub fn on_dropped(&mut self, now: Instant, ticket: Ticket) {
        let _ = ticket;
        self.advance(now);
        self.in_flight = self.in_flight.saturating_sub(1);
    }
}
