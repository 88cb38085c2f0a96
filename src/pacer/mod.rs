//! The pacer: a pure state machine that turns what servers say into "the next request may go
//! at instant T".
//!
//! The [`Pacer`] has no clock and does no I/O. The caller passes the current [`Instant`] to
//! every call, tells it about each send ([`Pacer::on_sent`] or [`Pacer::try_acquire`]), each
//! response ([`Pacer::on_response`] with the response's [`Feedback`]) and each request that
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
//! The rules are those of the specification (`reference/pacer.md` §4, rules R0–R6 and the
//! throttle table T1–T6), with the changes listed [below](#changes-from-the-specification).
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
//!     once, see change 6) are subtracted, so
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
//! # Mapping from [`Feedback`]
//!
//! Each [`PolicyFeedback`] is read twice. If it has a quota and a
//! window, its unit is [`QuotaUnit::Requests`](crate::QuotaUnit), the quota is at least 1
//! and the window is not zero, it **declares** the policy's local window. If it has
//! `remaining`, it is an **observation** (a negative `remaining` is exhausted on a throttle
//! and ignored as malformed otherwise). The list-form headers of the early drafts identify
//! a policy by its window ([`PolicyId::window`](crate::PolicyId::window)); a bare
//! `RateLimit-Remaining` belongs to [`PolicyId::ANONYMOUS`](crate::PolicyId::ANONYMOUS).
//!
//! # Changes from the specification
//!
//! Each makes the pacer stricter where the specification let a misbehaving or reordered
//! server stream loosen it, and none changes the result of a scenario S1–S27:
//!
//! 1. **A throttle's exhaustion is never stale.** The specification drops any observation
//!    older by send order than the live snapshot. A 429 proves the quota is exhausted *now*
//!    whatever order the responses come back in, so an exhausted observation on a throttle
//!    is merged instead: remaining 0 until the later of the two resets. Without this a
//!    reordered 429 with a reset could be ignored and only draw a 1 s backoff, breaking
//!    invariant 9 ("reset honoured on a throttle").
//! 2. **A throttle that blocks nothing backs off.** The specification skips the backoff
//!    when any observation ended exhausted with an explicit reset. A `Reset: 0` (or a reset
//!    already passed) blocks nothing, so a server answering `429` + `Reset: 0` would be
//!    retried in a tight loop; here the backoff is skipped only when some policy is
//!    actually blocked until a later instant.
//! 3. **Eviction keeps what still constrains.** When all `P` policy slots are taken, the
//!    specification evicts the least recently touched policy that does not bind *now*.
//!    That can forget a window that still holds sends (3 of 4 used, say), so the next sends
//!    could break it. Here only a policy with no live snapshot and no send inside its
//!    window can be evicted, and policies given to [`Pacer::declare`] never are (they are
//!    the caller's documented limits). When nothing can be evicted, an exhausted
//!    observation is folded into the global block and the rest is dropped (reported in
//!    [`Outcome::dropped_policies`]).
//! 4. **Quotas in other units** (tokens, bytes, concurrent requests) are informative, as the
//!    specification says, but an observation of one still tells whether it is exhausted:
//!    `remaining: 0` blocks until its reset (an LLM API out of tokens answers 429 to every
//!    request), while a positive value is not decremented per request and does not limit
//!    [`Pacer::available`].
//! 5. **`capped`** is reported when a reset, not only a Retry-After, was cut to
//!    `max_server_wait`; and a Retry-After on a response that is not a throttle (a 3xx,
//!    a 413) is returned in [`Outcome::retry_after`] for that request alone.
//! 6. **Answered requests are not subtracted twice.** The specification subtracts from a
//!    newer observation every request that was in flight when it was sent, answered or
//!    not. Those already answered are in the live snapshot (whose own bound subtracted what
//!    it could not see), so the new value is the larger of two safe bounds: the
//!    specification's, and `min(snapshot, r - requests in flight now)`. Both never exceed
//!    what the server has left, so neither does their maximum; with `k` concurrent
//!    senders, the specification's rule alone leaves up to `k - 1` requests of a window
//!    unused (S10 gives 7 instead of 6).
//!
//! # Size
//!
//! With the default capacities (`P = 8` policies, `N = 64` send times, `K = 16` buckets)
//! `size_of::<Pacer>()` is **2 280 bytes** on 64-bit targets (measured by a test); it is
//! fixed at compile time and the pacer never allocates.

mod config;
mod instant;
mod policy;
#[cfg(feature = "std")]
mod std_clock;
mod window;

use core::fmt;
use core::time::Duration;

use crate::feedback::{Feedback, PolicyFeedback, PolicyId, QuotaUnit};

pub use config::{Config, Jitter};
pub use instant::Instant;
#[cfg(feature = "std")]
pub use std_clock::StdClock;

use crate::arith::{duration, nanos, rem};
use policy::{Slot, Snap};
use window::{Buckets, Ring};

/// The default number of policies a [`Pacer`] tracks.
pub const DEFAULT_POLICIES: usize = 8;
/// The default number of send times the ring keeps (quotas up to this are counted exactly).
pub const DEFAULT_RING: usize = 64;
/// The default number of buckets for quotas larger than the ring.
pub const DEFAULT_BUCKETS: usize = 16;

/// The record of one send, returned by [`Pacer::on_sent`] and [`Pacer::try_acquire`]; give it
/// back with the response ([`Pacer::on_response`]) or when the request is abandoned
/// ([`Pacer::on_dropped`]).
///
/// ```
/// use ratelimit_headers::pacer::{Config, Instant, Pacer};
///
/// let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
/// let a = pacer.on_sent(Instant::from_millis(5));
/// let b = pacer.on_sent(Instant::from_millis(3)); // time never goes backwards
/// assert_eq!((a.seq(), a.sent_at(), a.in_flight_before()), (0, Instant::from_millis(5), 0));
/// assert_eq!((b.seq(), b.sent_at(), b.in_flight_before()), (1, Instant::from_millis(5), 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ticket {
    seq: u64,
    sent_at: Instant,
    in_flight_before: u64,
}

impl Ticket {
    /// A ticket from its parts, for callers that store tickets outside the process (the
    /// pacer only trusts them as far as saturating arithmetic goes: a forged ticket can make
    /// its own response look stale or fresh, never cause a panic).
    pub const fn from_parts(seq: u64, sent_at: Instant, in_flight_before: u64) -> Self {
        Ticket {
            seq,
            sent_at,
            in_flight_before,
        }
    }

    /// The send's position in send order, from 0.
    pub const fn seq(&self) -> u64 {
        self.seq
    }

    /// When it was sent (after clamping time that went backwards).
    pub const fn sent_at(&self) -> Instant {
        self.sent_at
    }

    /// How many requests were in flight when it was sent.
    pub const fn in_flight_before(&self) -> u64 {
        self.in_flight_before
    }
}

/// How many requests may go now.
///
/// ```
/// use ratelimit_headers::pacer::Capacity;
///
/// assert!(Capacity::Limited(1).any());
/// assert!(!Capacity::Limited(0).any());
/// assert_eq!(Capacity::Unbounded.get(), None);
/// assert!(Capacity::Limited(3) < Capacity::Unbounded);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capacity {
    /// This many, no more.
    Limited(u64),
    /// Nothing known limits the count.
    Unbounded,
}

impl Capacity {
    /// Whether at least one request may go.
    pub const fn any(self) -> bool {
        !matches!(self, Capacity::Limited(0))
    }

    /// The limit, or `None` when unbounded.
    pub const fn get(self) -> Option<u64> {
        match self {
            Capacity::Limited(n) => Some(n),
            Capacity::Unbounded => None,
        }
    }
}

/// What [`Pacer::on_response`] did with a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Outcome {
    /// The response was a throttle (429, 503, or 403 with remaining 0 when configured).
    pub throttled: bool,
    /// A Retry-After or a reset was longer than [`Config::max_server_wait`] and was cut to
    /// it. A retry layer that prefers to give up can read this.
    pub capped: bool,
    /// The backoff applied (jitter included), when a throttle gave no timing.
    pub backoff: Option<Duration>,
    /// A Retry-After on a response that is not a throttle (a 3xx, a 413): it applies to this
    /// request only, not to the pacer; capped like any server wait.
    pub retry_after: Option<Duration>,
    /// Observations ignored because a newer one (by send order) is live.
    pub stale_ignored: u8,
    /// Observations ignored as malformed (negative remaining on a non-throttle).
    pub malformed_ignored: u8,
    /// Policies not tracked because every slot holds one that still constrains.
    pub dropped_policies: u8,
}

/// Which constraint sets [`Pacer::next_allowed`] (see [`Pacer::binding`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Constraint {
    /// The global block: a Retry-After, a backoff, or an exhausted policy that did not fit.
    Global,
    /// A policy's server snapshot is exhausted until its reset.
    Snapshot(PolicyId),
    /// A policy's local window is full.
    Window(PolicyId),
}

/// Why [`Pacer::declare`] refused a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeclareError {
    /// The quota is 0 (a local window needs at least one request).
    ZeroQuota,
    /// The window is zero.
    ZeroWindow,
    /// All `P` policy slots hold declared policies or policies that still constrain.
    TableFull,
}

impl fmt::Display for DeclareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeclareError::ZeroQuota => "a declared quota must be at least 1",
            DeclareError::ZeroWindow => "a declared window must be longer than zero",
            DeclareError::TableFull => "every policy slot is in use (raise the pacer's P)",
        })
    }
}

impl core::error::Error for DeclareError {}

/// What the server last said about a policy (see [`PolicyView::snapshot`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Snapshot {
    /// Requests left until `reset_at`, after subtracting every send the server may not have
    /// counted. For quotas in other units: 0 when exhausted, `u64::MAX` otherwise.
    pub remaining: u64,
    /// When the snapshot expires.
    pub reset_at: Instant,
    /// The ticket sequence number of the response that set it.
    pub seq: u64,
    /// Whether `remaining` counts requests (decremented by every send).
    pub counts_requests: bool,
}

impl Snapshot {
    /// Whether it still applies at `t`.
    pub const fn is_live(&self, t: Instant) -> bool {
        t.as_nanos() < self.reset_at.as_nanos()
    }
}

/// A read-only view of one tracked policy (see [`Pacer::policy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PolicyView {
    /// Which policy.
    pub id: PolicyId,
    /// The local window's quota, when known.
    pub quota: Option<u64>,
    /// The local window's length (without the margin), when known.
    pub window: Option<Duration>,
    /// Whether the window is counted in buckets (`quota > N`) rather than exactly.
    pub bucketed: bool,
    /// Whether it was given to [`Pacer::declare`] (and is never evicted).
    pub declared: bool,
    /// The last server snapshot, possibly expired (check [`Snapshot::is_live`]).
    pub snapshot: Option<Snapshot>,
}

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
            config: config.rebuilt(),
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
    /// `hwm`, already in the ring) in every policy when `sent`: one pass for both. One copy
    /// for both where flash counts; specialised for each where speed does.
    #[cfg_attr(any(target_pointer_width = "64", target_family = "wasm"), inline)]
    #[cfg_attr(
        not(any(target_pointer_width = "64", target_family = "wasm")),
        inline(never)
    )]
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
                    // A throttle's exhaustion is never stale (change 1): merge it.
                    snap.floor = 0;
                    snap.unknown = 0;
                    snap.reset_at = snap.reset_at.max(reset_at);
                    break 'apply Some((0, snap.reset_at));
                }
                if counted && snap.counted {
                    // Reconcile with the lowest count so far (change 6). This request
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
    /// still inside its window (change 3).
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
    fn slot_for(&mut self, id: PolicyId, t: u64) -> Option<usize> {
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
    fn set_window(&mut self, i: usize, quota: u64, window: u64, t: u64) {
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
