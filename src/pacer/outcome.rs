//! What the pacer answers: tickets, capacities, outcomes of a response, snapshots and
//! policy views.

use core::fmt;
use core::time::Duration;

use super::Instant;
#[cfg(doc)]
use super::{Config, Pacer};
use crate::feedback::PolicyId;

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
    pub(super) seq: u64,
    pub(super) sent_at: Instant,
    pub(super) in_flight_before: u64,
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
