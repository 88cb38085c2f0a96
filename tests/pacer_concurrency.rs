//! The pacer's server snapshots under concurrency: `k` requests in flight, random latency each
//! way (so the server sees them in another order than they were sent, and the client gets the
//! answers in a third order), against a fixed-window server that reports only `remaining` and
//! `reset` (no quota, no window: the snapshot is the only thing the client knows).
//!
//! Checks that the server never refuses a request (the snapshot never promises more than the
//! server has left, however answers are reordered) and that the quota is used: with answers
//! in order, the first window gets all `q` requests when the round trips fit in it (change 6 of the pacer's
//! documentation; the specification's rule alone loses up to `k - 1` of them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use core::time::Duration;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use proptest::prelude::*;
use ratelimit_headers::pacer::{Config, Instant, Jitter, Pacer, Ticket};
use ratelimit_headers::{Feedback, PolicyFeedback, PolicyId};

const MS: u64 = 1_000_000;
const SEC: u64 = 1_000_000_000;

/// A fixed-window server: `q` per window of `w` ns, windows aligned to multiples of `w`.
struct FixedWindow {
    q: u64,
    w: u64,
    index: u64,
    count: u64,
    rejected: u64,
    /// Accepted requests per window index.
    per_window: std::collections::BTreeMap<u64, u64>,
}

impl FixedWindow {
    /// (accepted, remaining, reset in whole seconds rounded up).
    fn handle(&mut self, t: u64) -> (bool, u64, u64) {
        let index = t / self.w;
        if index != self.index {
            self.index = index;
            self.count = 0;
        }
        let ok = self.count < self.q;
        if ok {
            self.count += 1;
            *self.per_window.entry(index).or_default() += 1;
        } else {
            self.rejected += 1;
        }
        let until = (index + 1) * self.w - t;
        (ok, self.q - self.count, until.div_ceil(SEC))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// Request `i` reaches the server.
    Arrive(usize),
    /// The answer to request `i` reaches the client.
    Answer(usize),
    /// The client may send again.
    Wake,
}

struct Run {
    rejected: u64,
    per_window: Vec<u64>,
}

/// Sends `n` requests with at most `k` in flight; latencies come from `lat` (ms, cycled).
fn simulate(q: u64, w_ms: u64, k: u64, n: usize, lat: &[(u64, u64)]) -> Run {
    let mut server = FixedWindow {
        q,
        w: w_ms * MS,
        index: 0,
        count: 0,
        rejected: 0,
        per_window: Default::default(),
    };
    let mut pacer: Pacer = Pacer::new(Config::DEFAULT.with_jitter(Jitter::None));
    let mut events: BinaryHeap<Reverse<(u64, Event)>> = BinaryHeap::new();
    let mut tickets: Vec<Ticket> = Vec::new();
    let mut answers: Vec<(u16, u64, u64)> = Vec::new();
    let mut in_flight = 0u64;
    events.push(Reverse((0, Event::Wake)));
    let id = PolicyId::named(b"q");
    while let Some(Reverse((t, ev))) = events.pop() {
        let now = Instant::from_nanos(t);
        match ev {
            Event::Arrive(i) => {
                let (ok, remaining, reset) = server.handle(t);
                answers[i] = (if ok { 200 } else { 429 }, remaining, reset);
                let back = lat[i % lat.len()].1 * MS;
                events.push(Reverse((t + back, Event::Answer(i))));
            }
            Event::Answer(i) => {
                let (status, remaining, reset) = answers[i];
                let mut fb: Feedback = Feedback::new(Some(status));
                fb.push_policy(
                    PolicyFeedback::new(id)
                        .with_remaining(remaining as i64)
                        .with_reset(Duration::from_secs(reset)),
                )
                .unwrap();
                pacer.on_response(now, tickets[i], &fb);
                in_flight -= 1;
                events.push(Reverse((t, Event::Wake)));
            }
            Event::Wake => {}
        }
        // Send what the pacer allows now.
        while in_flight < k && tickets.len() < n {
            match pacer.try_acquire(now) {
                Ok(ticket) => {
                    let i = tickets.len();
                    tickets.push(ticket);
                    answers.push((0, 0, 0));
                    in_flight += 1;
                    let go = lat[i % lat.len()].0 * MS;
                    events.push(Reverse((t + go, Event::Arrive(i))));
                }
                Err(at) => {
                    if at.as_nanos() > t && at != Instant::NEVER {
                        events.push(Reverse((at.as_nanos(), Event::Wake)));
                    }
                    break;
                }
            }
        }
    }
    Run {
        rejected: server.rejected,
        per_window: server.per_window.values().copied().collect(),
    }
}

#[path = "common/cases.rs"]
mod cases;
use cases::cases;

proptest! {
    #![proptest_config(cases(256))]

    /// Never refused, whatever the reordering.
    #[test]
    fn concurrent_senders_never_overrun_a_fixed_window(
        k in 1u64..6,
        extra in 0u64..20,
        w_s in 1u64..4,
        lat in prop::collection::vec((0u64..40, 0u64..40), 1..16),
    ) {
        let q = k + extra;
        let n = (q * 5) as usize;
        let w_ms = w_s * 1000;
        let run = simulate(q, w_ms, k, n, &lat);
        prop_assert_eq!(run.rejected, 0);
        prop_assert_eq!(run.per_window.iter().sum::<u64>(), n as u64);
    }

    /// With the same latency for every request (answers in send order), the first window
    /// (which starts with the first send) is used to the full quota whenever the round trips
    /// fit in it. (With reordering the client cannot tell which of the requests still in
    /// flight the server has counted, so it may leave some of the quota unused.)
    #[test]
    fn in_order_answers_use_the_whole_first_window(
        k in 1u64..6,
        extra in 0u64..20,
        w_s in 1u64..4,
        go in 0u64..40,
        back in 0u64..40,
    ) {
        let q = k + extra;
        let w_ms = w_s * 1000;
        let run = simulate(q, w_ms, k, (q * 3) as usize, &[(go, back)]);
        prop_assert_eq!(run.rejected, 0);
        if q.div_ceil(k) * (go + back) < w_ms {
            prop_assert_eq!(run.per_window[0], q, "windows: {:?}", run.per_window);
        }
    }
}

/// The case that the end-to-end test against express-rate-limit found: 4 senders, 15 per
/// window, answers in order. The specification's rule stops at 12 in the first window.
#[test]
fn four_senders_use_the_whole_first_window() {
    let run = simulate(15, 4000, 4, 30, &[(1, 1)]);
    assert_eq!(run.rejected, 0);
    assert_eq!(run.per_window.first(), Some(&15), "{:?}", run.per_window);
}
