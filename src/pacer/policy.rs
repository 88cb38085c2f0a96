//! One policy's state: its local window (if `q` and `w` are known) and its server snapshot.

use crate::feedback::PolicyId;

use super::window::Buckets;

/// What the server last said about a policy, reconciled with the sends since.
///
/// For a policy that counts requests, the estimate is `floor - unknown`: `floor` is the
/// lowest `remaining` the server reported while the snapshot has been live (the state after
/// the last request it processed among those answered), and `unknown` bounds how many
/// requests it may have processed since (every send not yet known to be in `floor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Snap {
    /// The lowest reported count. For a policy that counts something else (tokens, bytes)
    /// only 0 (exhausted) and `u64::MAX` (not exhausted) are stored.
    pub(crate) floor: u64,
    /// Requests the server may have counted after `floor` (0 when not `counted`).
    pub(crate) unknown: u64,
    pub(crate) reset_at: u64,
    /// The highest ticket sequence number of the responses applied.
    pub(crate) applied_seq: u64,
    /// Whether it counts requests (each send adds to `unknown`).
    pub(crate) counted: bool,
}

impl Snap {
    #[inline]
    pub(crate) fn live(&self, t: u64) -> bool {
        t < self.reset_at
    }

    /// Units left until `reset_at`.
    #[inline]
    pub(crate) fn remaining(&self) -> u64 {
        self.floor.saturating_sub(self.unknown)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot<const K: usize> {
    pub(crate) id: PolicyId,
    /// Quota of the local window; 0 when there is none.
    pub(crate) quota: u64,
    /// `quota` as a ring position when the window is exact (`quota <= N`), else 0.
    pub(crate) q_ring: usize,
    /// Window in nanoseconds, before the margin; 0 when there is none.
    pub(crate) window: u64,
    /// Window plus `Config::window_margin`.
    pub(crate) w_eff: u64,
    /// Whether the window is counted in buckets (`quota > N`).
    pub(crate) bucketed: bool,
    pub(crate) buckets: Buckets<K>,
    pub(crate) snap: Option<Snap>,
    /// Declared with `Pacer::declare`: never evicted.
    pub(crate) pinned: bool,
    /// `next_seq` when last declared or observed (eviction picks the least recent).
    pub(crate) touched: u64,
}

impl<const K: usize> Slot<K> {
    pub(crate) const fn new(id: PolicyId) -> Self {
        Slot {
            id,
            quota: 0,
            q_ring: 0,
            window: 0,
            w_eff: 0,
            bucketed: false,
            buckets: Buckets::new(),
            snap: None,
            pinned: false,
            touched: 0,
        }
    }

    #[inline]
    pub(crate) fn has_window(&self) -> bool {
        self.quota > 0 && self.window > 0
    }

    /// The live snapshot at `t`, if any.
    #[inline]
    pub(crate) fn live_snap(&self, t: u64) -> Option<&Snap> {
        self.snap.as_ref().filter(|s| s.live(t))
    }
}
