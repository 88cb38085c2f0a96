//! The pacer's cost per decision, against `governor`'s `check()` on a direct limiter.
//!
//! ```text
//! cargo bench --bench pacer
//! ```
//!
//! Groups and ids:
//!
//! | group      | id                             | what one iteration does                                        |
//! |------------|--------------------------------|----------------------------------------------------------------|
//! | `decision` | `pacer_exact_next_then_acquire`| `next_allowed(now)`, then `try_acquire` at that instant        |
//! | `decision` | `pacer_exact_try_acquire_ok`   | `try_acquire` at a time it is allowed                          |
//! | `decision` | `pacer_exact_try_acquire_denied` | `try_acquire` while the 4/s window is full                   |
//! | `decision` | `pacer_exact_next_allowed`     | `next_allowed` alone                                           |
//! | `decision` | `pacer_default_*`              | the same with the default `N = 64` (120/min in buckets)        |
//! | `decision` | `governor_check_ok`            | `check()`, 4/s, fake clock advanced 250 ms (always allowed)    |
//! | `decision` | `governor_check_denied`        | `check()`, 4/s, fake clock standing still after the burst      |
//! | `decision` | `governor_check_default_clock` | `check()` with governor's default (quanta) clock               |
//! | `decision` | `governor_two_limiters_ok`     | `check()` on a 4/s and a 120/min limiter (fake clock, allowed) |
//! | `response` | `pacer_on_response`            | `on_response` with the vendor's 200 (two declarations + one observation) |
//! | `response` | `pacer_send_and_response`      | `on_sent` then `on_response` for it                            |
//!
//! `pacer_exact_*` is `Pacer<8, 128, 16>` with Claid's 4/s and 120/min declared: both windows
//! counted exactly (at most q sends in any window of length w).
//! The pacer enforces both windows exactly (at most q sends in any window); governor's GCRA
//! enforces one rate per limiter and lets `2q - 1` through in a window.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use governor::clock::FakeRelativeClock;
use governor::{Quota, RateLimiter};
use ratelimit_headers::pacer::{Config, Instant, Jitter, Pacer};
use ratelimit_headers::{Feedback, PolicyFeedback, PolicyId};

/// A pacer with Claid's two documented windows. With `N = 128` both are counted exactly;
/// with the default `N = 64` the 120/min window (q > N) is counted in 16 buckets.
fn claid<const N: usize>() -> Pacer<8, N, 16> {
    let mut p: Pacer<8, N, 16> = Pacer::new(Config::DEFAULT.with_jitter(Jitter::None));
    p.declare(PolicyId::window(60), 120, Duration::from_secs(60))
        .unwrap();
    p.declare(PolicyId::window(1), 4, Duration::from_secs(1))
        .unwrap();
    p
}

fn pacer_decisions<const N: usize>(g: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    // The client loop: ask when, then take it. Simulated time follows the schedule (4 a
    // second, then the 120/min window), so every take succeeds.
    g.bench_function(format!("{name}_next_then_acquire"), |b| {
        let mut p = claid::<N>();
        let mut now = Instant::ZERO;
        b.iter(|| {
            now = p.next_allowed(black_box(now));
            black_box(p.try_acquire(now).is_ok())
        });
    });

    // Allowed every time: 500 ms apart keeps under 4/s and 120/min.
    g.bench_function(format!("{name}_try_acquire_ok"), |b| {
        let mut p = claid::<N>();
        let mut now = Instant::ZERO;
        b.iter(|| {
            now = now.saturating_add(Duration::from_millis(500));
            black_box(p.try_acquire(black_box(now)).is_ok())
        });
    });

    g.bench_function(format!("{name}_try_acquire_denied"), |b| {
        let mut p = claid::<N>();
        for _ in 0..4 {
            p.try_acquire(Instant::ZERO).unwrap();
        }
        b.iter(|| black_box(p.try_acquire(black_box(Instant::from_millis(10))).is_err()));
    });

    g.bench_function(format!("{name}_next_allowed"), |b| {
        let mut p = claid::<N>();
        for i in 0..40 {
            p.try_acquire(Instant::from_millis(i * 250)).unwrap();
        }
        b.iter(|| black_box(p.next_allowed(black_box(Instant::from_millis(10_000)))));
    });
}

fn decision(c: &mut Criterion) {
    let mut g = c.benchmark_group("decision");
    pacer_decisions::<128>(&mut g, "pacer_exact");
    pacer_decisions::<64>(&mut g, "pacer_default");

    let four = Quota::per_second(NonZeroU32::new(4).unwrap());
    let per_min = Quota::per_minute(NonZeroU32::new(120).unwrap());

    g.bench_function("governor_check_ok", |b| {
        let clock = FakeRelativeClock::default();
        let lim = RateLimiter::direct_with_clock(four, clock.clone());
        b.iter(|| {
            clock.advance(Duration::from_millis(250));
            black_box(lim.check().is_ok())
        });
    });

    g.bench_function("governor_check_denied", |b| {
        let clock = FakeRelativeClock::default();
        let lim = RateLimiter::direct_with_clock(four, clock.clone());
        for _ in 0..4 {
            lim.check().unwrap();
        }
        b.iter(|| black_box(lim.check().is_err()));
    });

    g.bench_function("governor_check_default_clock", |b| {
        let lim = RateLimiter::direct(four);
        b.iter(|| black_box(lim.check().is_ok()));
    });

    g.bench_function("governor_two_limiters_ok", |b| {
        let clock = FakeRelativeClock::default();
        let a = RateLimiter::direct_with_clock(four, clock.clone());
        let m = RateLimiter::direct_with_clock(per_min, clock.clone());
        b.iter(|| {
            clock.advance(Duration::from_millis(500));
            black_box(a.check().is_ok() && m.check().is_ok())
        });
    });
    g.finish();
}

fn vendor_200() -> Feedback<'static> {
    let mut fb = Feedback::new(Some(200));
    fb.push_policy(
        PolicyFeedback::new(PolicyId::window(60)).with_quota(120, Duration::from_secs(60)),
    )
    .unwrap();
    fb.push_policy(PolicyFeedback::new(PolicyId::window(1)).with_quota(4, Duration::from_secs(1)))
        .unwrap();
    fb.push_policy(
        PolicyFeedback::new(PolicyId::window(60))
            .with_remaining(118)
            .with_reset(Duration::from_secs(32)),
    )
    .unwrap();
    fb
}

fn response(c: &mut Criterion) {
    let mut g = c.benchmark_group("response");
    let fb = vendor_200();

    g.bench_function("pacer_on_response", |b| {
        let mut p = claid::<128>();
        let tk = p.on_sent(Instant::ZERO);
        b.iter(|| {
            black_box(p.on_response(black_box(Instant::from_millis(100)), tk, black_box(&fb)))
        });
    });

    g.bench_function("pacer_send_and_response", |b| {
        let mut p = claid::<128>();
        let mut now = Instant::ZERO;
        b.iter(|| {
            now = now.saturating_add(Duration::from_millis(500));
            let tk = p.on_sent(now);
            black_box(p.on_response(
                now.saturating_add(Duration::from_millis(80)),
                tk,
                black_box(&fb),
            ))
        });
    });
    g.finish();
}

criterion_group!(benches, decision, response);
criterion_main!(benches);
