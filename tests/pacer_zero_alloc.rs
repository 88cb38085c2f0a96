//! Every pacer event and query allocates nothing: a counting global allocator watches each
//! call (with a check that the counter is live, so the assertions cannot pass vacuously).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::time::Duration;

use ratelimit_headers::pacer::{Config, Instant, Jitter, Pacer};
use ratelimit_headers::{Feedback, PolicyFeedback, PolicyId, QuotaUnit};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations;

#[test]
fn the_counter_is_live() {
    let (n, v) = allocations(|| black_box(vec![1u8; 32]));
    assert!(n >= 1, "the counting allocator saw no allocation");
    drop(v);
}

fn ms(x: u64) -> Instant {
    Instant::from_millis(x)
}

/// Every query, checked for allocations.
fn queries<const P: usize, const N: usize, const K: usize>(p: &Pacer<P, N, K>, at: Instant) {
    let (n, _) = allocations(|| black_box(p.next_allowed(black_box(at))));
    assert_eq!(n, 0, "next_allowed");
    let (n, _) = allocations(|| black_box(p.wait(black_box(at))));
    assert_eq!(n, 0, "wait");
    let (n, _) = allocations(|| black_box(p.available(black_box(at))));
    assert_eq!(n, 0, "available");
    let (n, _) = allocations(|| black_box(p.binding(black_box(at))));
    assert_eq!(n, 0, "binding");
    let (n, _) = allocations(|| black_box(p.policy(PolicyId::window(60))));
    assert_eq!(n, 0, "policy");
    let (n, count) = allocations(|| p.policies().filter(|v| v.snapshot.is_some()).count());
    assert_eq!(n, 0, "policies");
    black_box(count);
    let (n, _) = allocations(|| {
        black_box((
            p.in_flight(),
            p.sent(),
            p.streak(),
            p.global_block(),
            p.latest(),
        ))
    });
    assert_eq!(n, 0, "counters");
}

fn vendor(status: u16, remaining: i64, reset: u64, on: PolicyId) -> Feedback<'static> {
    let mut fb = Feedback::new(Some(status));
    fb.push_policy(
        PolicyFeedback::new(PolicyId::window(60)).with_quota(120, Duration::from_secs(60)),
    )
    .unwrap();
    fb.push_policy(PolicyFeedback::new(PolicyId::window(1)).with_quota(4, Duration::from_secs(1)))
        .unwrap();
    fb.push_policy(
        PolicyFeedback::new(on)
            .with_remaining(remaining)
            .with_reset(Duration::from_secs(reset)),
    )
    .unwrap();
    fb
}

fn events_and_queries<const P: usize, const N: usize, const K: usize>(config: Config) {
    let (n, mut p) = allocations(|| Pacer::<P, N, K>::new(config));
    assert_eq!(n, 0, "new");
    let (n, r) = allocations(|| p.declare(PolicyId::window(60), 120, Duration::from_secs(60)));
    assert_eq!((n, r.is_ok()), (0, true), "declare");
    let (n, r) = allocations(|| p.declare(PolicyId::window(1), 4, Duration::from_secs(1)));
    assert_eq!(n, 0, "declare");
    assert!(black_box(r).is_ok());
    // A large quota, counted in buckets.
    let (n, _) =
        allocations(|| p.declare(PolicyId::named(b"day"), 5_000, Duration::from_secs(86_400)));
    assert_eq!(n, 0, "declare bucketed");
    queries(&p, ms(0));

    let ok = vendor(200, 118, 32, PolicyId::window(60));
    let throttle = vendor(429, -1, 1, PolicyId::window(1));
    let mut bare: Feedback = Feedback::new(Some(503));
    bare.set_retry_after(Some(Duration::from_secs(1_000_000)));
    let mut cached: Feedback = Feedback::new(Some(200));
    cached.set_from_cache(true);
    let mut tokens: Feedback = Feedback::new(Some(200));
    tokens
        .push_policy(
            PolicyFeedback::new(PolicyId::named(b"tokens"))
                .with_unit(QuotaUnit::Tokens)
                .with_remaining(0)
                .with_reset(Duration::from_secs(5)),
        )
        .unwrap();
    let nothing: Feedback = Feedback::new(Some(429));

    let mut t = ms(0);
    for round in 0..200u64 {
        let (n, r) = allocations(|| p.try_acquire(black_box(t)));
        assert_eq!(n, 0, "try_acquire");
        let ticket = match r {
            Ok(tk) => tk,
            Err(next) => {
                t = next.min(t.saturating_add(Duration::from_secs(5)));
                let (n, tk) = allocations(|| p.on_sent(black_box(t)));
                assert_eq!(n, 0, "on_sent");
                tk
            }
        };
        queries(&p, t);
        let fb = match round % 6 {
            0 | 1 => &ok,
            2 => &throttle,
            3 => &cached,
            4 => &tokens,
            _ => {
                if round % 12 == 5 {
                    &bare
                } else {
                    &nothing
                }
            }
        };
        if round % 7 == 3 {
            let (n, ()) = allocations(|| p.on_dropped(black_box(t), ticket));
            assert_eq!(n, 0, "on_dropped");
        } else {
            let at = t.saturating_add(Duration::from_millis(80));
            let (n, out) = allocations(|| p.on_response(black_box(at), ticket, black_box(fb)));
            assert_eq!(n, 0, "on_response");
            black_box(out);
        }
        queries(&p, t.saturating_add(Duration::from_millis(100)));
        t = t.saturating_add(Duration::from_millis(250));
    }
    // Extremes.
    let (n, tk) = allocations(|| p.on_sent(Instant::NEVER));
    assert_eq!(n, 0);
    let (n, _) = allocations(|| p.on_response(Instant::NEVER, tk, &throttle));
    assert_eq!(n, 0);
    queries(&p, Instant::NEVER);
}

#[test]
fn events_and_queries_allocate_nothing() {
    events_and_queries::<8, 64, 16>(Config::DEFAULT);
    events_and_queries::<8, 64, 16>(Config::DEFAULT.with_jitter(Jitter::None));
    // A tiny table: evictions and folding into the global block.
    events_and_queries::<2, 4, 2>(Config::DEFAULT.with_jitter_retry_after(true));
}

#[test]
fn instant_display_into_a_fixed_buffer_allocates_nothing() {
    use core::fmt::Write;
    let (n, ok) = allocations(|| {
        let mut s = heapless::String::<32>::new();
        write!(
            s,
            "{} {}",
            Instant::from_nanos(1_500_250_000),
            Instant::NEVER
        )
        .is_ok()
            && s.as_str() == "1500.25ms never"
    });
    assert_eq!((n, ok), (0, true));
}

#[cfg(feature = "std")]
#[test]
fn std_clock_allocates_nothing() {
    use ratelimit_headers::pacer::StdClock;
    let (n, clock) = allocations(StdClock::new);
    assert_eq!(n, 0);
    let (n, now) = allocations(|| clock.now());
    assert_eq!(n, 0);
    let (n, back) = allocations(|| clock.to_std(now));
    assert_eq!((n, back.is_some()), (0, true));
}
