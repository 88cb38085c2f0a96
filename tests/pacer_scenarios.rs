//! Scenarios S1–S27 of `reference/pacer.md` §4.8, with exactly the results the specification
//! gives. Config `T` is the default with no jitter (margins are already 0), `P=8, N=64,
//! K=16`; times are milliseconds.
//!
//! S8, S9, S26 and S27 are parser scenarios: here they get the `Feedback` the parser produces
//! for their headers; the header-level part is tested with the parser (`Feedback::from_headers`).
//! `parser_and_pacer_end_to_end` at the end runs those (and S1, S4, S5) from header bytes
//! through the parser and the pacer together.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use core::time::Duration;

use ratelimit_headers::pacer::{
    Capacity, Config, Constraint, Instant, Jitter, Outcome, Pacer, Ticket,
};
use ratelimit_headers::{Feedback, PolicyFeedback, PolicyId, QuotaUnit};

fn ms(x: u64) -> Instant {
    Instant::from_millis(x)
}

fn secs(x: u64) -> Duration {
    Duration::from_secs(x)
}

/// Config `T`.
fn cfg() -> Config {
    Config::DEFAULT.with_jitter(Jitter::None)
}

fn pacer() -> Pacer {
    Pacer::new(cfg())
}

fn fb(status: u16) -> Feedback<'static> {
    Feedback::new(Some(status))
}

fn push(fb: &mut Feedback<'static>, p: PolicyFeedback<'static>) {
    fb.push_policy(p).unwrap();
}

fn w60() -> PolicyId {
    PolicyId::window(60)
}

fn w1() -> PolicyId {
    PolicyId::window(1)
}

fn named(name: &str) -> PolicyId {
    PolicyId::named(name.as_bytes())
}

/// The vendor's `RateLimit-Limit: 120, 120;w=60, 4;w=1` as declarations.
fn vendor(fb: &mut Feedback<'static>) {
    push(fb, PolicyFeedback::new(w60()).with_quota(120, secs(60)));
    push(fb, PolicyFeedback::new(w1()).with_quota(4, secs(1)));
}

fn declare_vendor(p: &mut Pacer) {
    p.declare(w60(), 120, secs(60)).unwrap();
    p.declare(w1(), 4, secs(1)).unwrap();
}

fn remaining(p: &Pacer, id: PolicyId) -> u64 {
    p.policy(id).unwrap().snapshot.unwrap().remaining
}

fn reset_at(p: &Pacer, id: PolicyId) -> Instant {
    p.policy(id).unwrap().snapshot.unwrap().reset_at
}

/// Sends one request wanted at `at`, retrying at the instant returned; the send time.
fn send_when_allowed(p: &mut Pacer, at: Instant) -> Instant {
    match p.try_acquire(at) {
        Ok(t) => t.sent_at(),
        Err(next) => {
            assert!(next > at);
            let t = p
                .try_acquire(next)
                .expect("allowed at the returned instant");
            assert_eq!(t.sent_at(), next);
            next
        }
    }
}

/// S1 as a fresh machine, returned for S2.
fn s1() -> Pacer {
    let mut p = pacer();
    let tk0 = p.try_acquire(ms(0)).unwrap();
    assert_eq!(tk0, Ticket::from_parts(0, ms(0), 0));
    let mut f = fb(200);
    vendor(&mut f);
    push(
        &mut f,
        PolicyFeedback::new(w60())
            .with_remaining(118)
            .with_reset(secs(32)),
    );
    let out = p.on_response(ms(100), tk0, &f);
    assert!(!out.throttled);
    p
}

#[test]
fn s1_vendor_200() {
    let p = s1();
    assert_eq!(remaining(&p, w60()), 118);
    assert_eq!(reset_at(&p, w60()), ms(32_100));
    assert_eq!(p.next_allowed(ms(100)), ms(100));
    assert_eq!(p.available(ms(100)), Capacity::Limited(3));
}

#[test]
fn s2_burst_of_five_after_s1() {
    let mut p = s1();
    let sends: Vec<u64> = (0..5)
        .map(|_| send_when_allowed(&mut p, ms(100)).as_millis())
        .collect();
    assert_eq!(sends, [100, 100, 100, 1_000, 1_100]);
    assert_eq!(remaining(&p, w60()), 113);
    assert_eq!(p.next_allowed(ms(1_100)), ms(1_100));
    assert_eq!(p.available(ms(1_100)), Capacity::Limited(2));
}

#[test]
fn s3_sliding_window_against_gcra() {
    let mut p = pacer();
    p.declare(w1(), 4, secs(1)).unwrap();
    let wanted = [0, 200, 400, 600, 800, 900];
    let mut sends = Vec::new();
    let mut at = 0;
    for &w in &wanted {
        at = w.max(at);
        let t = send_when_allowed(&mut p, ms(at)).as_millis();
        at = t;
        sends.push(t);
    }
    assert_eq!(sends, [0, 200, 400, 600, 1_000, 1_200]);

    // For contrast: GCRA 4/s with burst 4 (governor's model) lets all six through as asked.
    let t_emission: u64 = 250;
    let tau = t_emission * 3;
    let mut tat: Option<u64> = None;
    let mut admitted = Vec::new();
    for &t0 in &wanted {
        let tt = tat.unwrap_or(t0);
        if t0 >= tt.saturating_sub(tau) {
            tat = Some(tt.max(t0) + t_emission);
            admitted.push(t0);
        }
    }
    assert_eq!(admitted, wanted, "GCRA admits 6 in 900 ms");
}

#[test]
fn s3b_five_at_once() {
    let mut p = pacer();
    p.declare(w1(), 4, secs(1)).unwrap();
    for _ in 0..4 {
        assert!(p.try_acquire(ms(0)).is_ok());
    }
    assert_eq!(p.try_acquire(ms(0)), Err(ms(1_000)));
    assert_eq!(p.next_allowed(ms(999)), ms(1_000));
    assert_eq!(p.available(ms(999)), Capacity::Limited(0));
    assert_eq!(p.next_allowed(ms(1_000)), ms(1_000));
    assert_eq!(p.available(ms(1_000)), Capacity::Limited(4));
}

#[test]
fn s4_vendor_429_remaining_minus_one() {
    let mut p = pacer();
    declare_vendor(&mut p);
    let tk0 = p.on_sent(ms(9_950));
    // `RateLimit-Limit: 4, 120;w=60, 4;w=1` + Remaining -1 + Reset 1: the expiring limit 4
    // matches w1, so the observation is on w1.
    let mut f = fb(429);
    vendor(&mut f);
    push(
        &mut f,
        PolicyFeedback::new(w1())
            .with_remaining(-1)
            .with_reset(secs(1)),
    );
    let out = p.on_response(ms(10_000), tk0, &f);
    assert!(out.throttled);
    assert_eq!(out.backoff, None, "T2: no backoff");
    assert_eq!(remaining(&p, w1()), 0, "-1 becomes 0");
    assert_eq!(p.next_allowed(ms(10_000)), ms(11_000));
    assert_eq!(p.available(ms(10_000)), Capacity::Limited(0));
    assert_eq!(p.global_block(), Instant::ZERO, "global block unchanged");
    assert_eq!(p.streak(), 1);
    assert_eq!(p.next_allowed(ms(10_999)), ms(11_000));
    assert_eq!(p.next_allowed(ms(11_000)), ms(11_000));
    assert_eq!(p.available(ms(11_000)), Capacity::Limited(4));
    assert_eq!(p.binding(ms(10_000)), Some(Constraint::Snapshot(w1())));
}

#[test]
fn s4b_anonymous_429() {
    let mut p = pacer();
    declare_vendor(&mut p);
    let tk0 = p.on_sent(ms(9_950));
    let mut f = fb(429);
    push(
        &mut f,
        PolicyFeedback::new(PolicyId::ANONYMOUS)
            .with_remaining(-1)
            .with_reset(secs(1)),
    );
    p.on_response(ms(10_000), tk0, &f);
    assert_eq!(p.next_allowed(ms(10_000)), ms(11_000));
}

#[test]
fn s5_draft_retry_after_and_slow_down() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(429);
    f.set_retry_after(Some(secs(20)));
    push(
        &mut f,
        PolicyFeedback::new(named("dynamic"))
            .with_quota(100, secs(60))
            .with_remaining(15)
            .with_reset(secs(40)),
    );
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(20_000));
    assert_eq!(p.available(ms(20_000)), Capacity::Limited(15));
    for _ in 0..15 {
        p.try_acquire(ms(20_000)).unwrap();
    }
    assert_eq!(p.next_allowed(ms(20_000)), ms(40_000));
}

#[test]
fn s6_hostile_retry_after() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(429);
    f.set_retry_after(Some(secs(1_000_000)));
    let out = p.on_response(ms(1_000), tk0, &f);
    assert_eq!(p.next_allowed(ms(1_000)), ms(601_000));
    assert!(out.capped);
}

#[test]
fn s7_bare_429s() {
    let mut p = pacer();
    let mut nexts = Vec::new();
    for (sent, answered, status) in [
        (0, 100, 429),
        (1_100, 1_200, 429),
        (3_200, 3_300, 429),
        (7_300, 7_400, 200),
        (8_000, 8_100, 429),
    ] {
        let tk = p.try_acquire(ms(sent)).unwrap();
        p.on_response(ms(answered), tk, &fb(status));
        nexts.push(p.next_allowed(ms(answered)).as_millis());
    }
    assert_eq!(nexts, [1_100, 3_200, 7_300, 7_400, 9_100]);
    assert_eq!(p.streak(), 1);
}

#[test]
fn s7b_ten_bare_429s() {
    let mut p = pacer();
    let mut at = ms(0);
    let mut delays = Vec::new();
    for _ in 0..10 {
        let tk = p.try_acquire(at).unwrap();
        let answered = at.saturating_add(Duration::from_millis(100));
        let out: Outcome = p.on_response(answered, tk, &fb(429));
        let next = p.next_allowed(answered);
        let delay = next.saturating_duration_since(answered);
        assert_eq!(out.backoff, Some(delay));
        delays.push(delay.as_millis());
        at = next;
    }
    assert_eq!(
        delays,
        [
            1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000
        ]
    );
}

#[test]
fn s8_retry_after_ms() {
    // Parser part (`retry-after-ms: 1500` wins over `Retry-After: 2`) is tested with the
    // parser; this is the Feedback it gives.
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(429);
    f.set_retry_after(Some(Duration::from_millis(1_500)));
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(1_500));
}

#[test]
fn s9_retry_after_http_date() {
    // Parser part (HTTP-date minus the response's own Date = 5 s) is tested with the parser.
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(503);
    f.set_retry_after(Some(secs(5)));
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(5_000));
}

#[test]
fn s10_concurrency_and_staleness() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let tk1 = p.on_sent(ms(1));
    let tk2 = p.on_sent(ms(2));
    assert_eq!(
        [
            tk0.in_flight_before(),
            tk1.in_flight_before(),
            tk2.in_flight_before()
        ],
        [0, 1, 2]
    );
    let obs = |r: i64| {
        let mut f = fb(200);
        push(
            &mut f,
            PolicyFeedback::new(named("default"))
                .with_remaining(r)
                .with_reset(secs(60)),
        );
        f
    };
    p.on_response(ms(50), tk0, &obs(10));
    assert_eq!(remaining(&p, named("default")), 8);
    p.on_response(ms(60), tk2, &obs(8));
    // The specification subtracts U = 2 + 0 (tk0 and tk1 were in flight when tk2 was sent)
    // for 6; tk0 has been answered and is already in the snapshot of 8, so only tk1, still
    // in flight, can be missing from r = 8: 7 (change 6 in the module documentation).
    assert_eq!(remaining(&p, named("default")), 7);
    // The specification ignores tk1's answer as stale and stays at 6. Its count (9) is above
    // the lowest so far (8), so the server counted tk1 before tk2: it is in the 8 already,
    // nothing is in flight, and exactly 8 are left.
    let out = p.on_response(ms(70), tk1, &obs(9));
    assert_eq!(out.stale_ignored, 0);
    assert_eq!(remaining(&p, named("default")), 8);
    assert_eq!(reset_at(&p, named("default")), ms(60_060));
    assert_eq!(p.in_flight(), 0);
}

#[test]
fn s11_zero_remaining_then_reset() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(named("default"))
            .with_remaining(0)
            .with_reset(secs(50)),
    );
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(50_000));
    assert_eq!(p.next_allowed(ms(48_000)), ms(50_000));
    assert_eq!(p.next_allowed(ms(50_000)), ms(50_000));
    assert_eq!(p.available(ms(50_000)), Capacity::Unbounded);
}

fn s12(config: Config) -> (Pacer, Outcome) {
    let mut p = Pacer::new(config);
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(named("hour")).with_quota(1_000, secs(3_600)),
    );
    push(
        &mut f,
        PolicyFeedback::new(named("day"))
            .with_quota(5_000, secs(86_400))
            .with_remaining(100)
            .with_reset(secs(36_000)),
    );
    let out = p.on_response(ms(0), tk0, &f);
    (p, out)
}

#[test]
fn s12_hour_and_day() {
    let (mut p, out) = s12(cfg());
    assert!(out.capped, "the 36 000 s reset is capped");
    assert!(p.policy(named("hour")).unwrap().bucketed);
    assert_eq!(p.available(ms(0)), Capacity::Limited(100));
    for _ in 0..100 {
        p.try_acquire(ms(0)).unwrap();
    }
    assert_eq!(p.next_allowed(ms(0)), ms(600_000));

    let (mut p, _) = s12(cfg().with_max_server_wait(secs(86_400)));
    for _ in 0..100 {
        p.try_acquire(ms(0)).unwrap();
    }
    assert_eq!(p.next_allowed(ms(0)), ms(36_000_000));
}

#[test]
fn s13_bucketed_path() {
    let mut p = pacer();
    p.declare(named("p"), 100, secs(10)).unwrap();
    for _ in 0..100 {
        p.try_acquire(ms(500)).unwrap();
    }
    // g = 625 ms; the exact answer would be 10 500.
    assert_eq!(p.next_allowed(ms(500)), ms(10_625));
}

#[test]
fn s14_clock_going_backwards() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(10_000));
    let mut f = fb(429);
    f.set_retry_after(Some(secs(2)));
    p.on_response(ms(10_000), tk0, &f);
    assert_eq!(p.next_allowed(ms(5_000)), ms(12_000));
    let tk1 = p.on_sent(ms(3_000));
    assert_eq!(tk1.sent_at(), ms(10_000));
}

#[test]
fn s15_overflow() {
    let mut p = pacer();
    let at = Instant::from_nanos(u64::MAX - 1_000);
    let tk0 = p.on_sent(at);
    let mut f = fb(429);
    push(
        &mut f,
        PolicyFeedback::new(named("d"))
            .with_remaining(0)
            .with_reset(secs(999_999_999_999_999)),
    );
    p.on_response(at, tk0, &f);
    assert_eq!(p.next_allowed(at), Instant::NEVER);
    assert_eq!(p.available(at), Capacity::Limited(0));

    let mut p = pacer();
    let tk = p.on_sent(ms(0));
    let mut f = fb(429);
    f.set_retry_after(Some(secs(999_999_999_999_999)));
    let out = p.on_response(ms(0), tk, &f);
    assert!(out.capped);
    assert_eq!(p.next_allowed(ms(0)), ms(600_000));
}

#[test]
fn s16_cached_response() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    f.set_from_cache(true);
    push(
        &mut f,
        PolicyFeedback::new(named("default"))
            .with_remaining(0)
            .with_reset(Duration::from_millis(100)),
    );
    let before = p.clone();
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(0));
    assert_eq!(p.policies().count(), before.policies().count());
    assert_eq!(p.in_flight(), 0);
}

#[test]
fn s17_redirect_fields_apply() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(301);
    push(
        &mut f,
        PolicyFeedback::new(named("problemPolicy"))
            .with_remaining(0)
            .with_reset(secs(10)),
    );
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(10_000));
}

#[test]
fn s18_no_remaining() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(named("quota")).with_reset(secs(1)),
    );
    p.on_response(ms(0), tk0, &f);
    assert!(
        p.policy(named("quota"))
            .is_none_or(|v| v.snapshot.is_none())
    );
    assert_eq!(p.next_allowed(ms(0)), ms(0));
}

#[test]
fn s19_azure_minus_one_on_success() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(named("tokens"))
            .with_unit(QuotaUnit::Tokens)
            .with_remaining(-1)
            .with_reset(Duration::ZERO),
    );
    let out = p.on_response(ms(0), tk0, &f);
    assert_eq!(out.malformed_ignored, 1);
    assert_eq!(p.next_allowed(ms(0)), ms(0));
}

#[test]
fn s20_dynamic_quota() {
    let mut p = pacer();
    let basic = named("basic");
    let obs = |r: i64, t: u64| {
        let mut f = fb(200);
        push(
            &mut f,
            PolicyFeedback::new(basic)
                .with_quota(100, secs(60))
                .with_remaining(r)
                .with_reset(secs(t)),
        );
        f
    };
    let tk = p.on_sent(ms(0));
    p.on_response(ms(2_000), tk, &obs(60, 58));
    assert_eq!(
        (remaining(&p, basic), reset_at(&p, basic)),
        (60, ms(60_000))
    );
    let tk = p.on_sent(ms(3_000));
    p.on_response(ms(4_000), tk, &obs(20, 56));
    assert_eq!(
        (remaining(&p, basic), reset_at(&p, basic)),
        (20, ms(60_000))
    );
    let tk = p.on_sent(ms(5_000));
    p.on_response(ms(6_000), tk, &obs(35, 54));
    assert_eq!(
        (remaining(&p, basic), reset_at(&p, basic)),
        (35, ms(60_000))
    );
}

#[test]
fn s21_dropped_request_still_counts() {
    let mut p = pacer();
    p.declare(w1(), 4, secs(1)).unwrap();
    let tk0 = p.on_sent(ms(0));
    p.on_dropped(ms(10), tk0);
    for _ in 0..3 {
        p.on_sent(ms(20));
    }
    assert_eq!(p.in_flight(), 3);
    assert_eq!(p.next_allowed(ms(30)), ms(1_000));
    assert_eq!(p.available(ms(30)), Capacity::Limited(0));
}

#[test]
fn s22_retry_after_zero() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(429);
    f.set_retry_after(Some(Duration::ZERO));
    let out = p.on_response(ms(0), tk0, &f);
    assert_eq!(out.backoff, None);
    assert_eq!(p.next_allowed(ms(0)), ms(0));
}

#[test]
fn s23_429_without_retry_after_forces_exhausted() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(429);
    push(
        &mut f,
        PolicyFeedback::new(named("x"))
            .with_remaining(5)
            .with_reset(secs(10)),
    );
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(10_000));
}

#[test]
fn s24_retry_after_and_exhausted_reset() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(429);
    f.set_retry_after(Some(secs(5)));
    push(
        &mut f,
        PolicyFeedback::new(named("x"))
            .with_remaining(0)
            .with_reset(secs(30)),
    );
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(30_000));
}

#[test]
fn s25_zero_remaining_without_reset() {
    // With `RateLimit-Policy: "p";q=10;w=30` declared: the window is the snapshot's life.
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(named("p"))
            .with_quota(10, secs(30))
            .with_remaining(0),
    );
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(30_000));

    // Without a declaration: default_ttl.
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    push(&mut f, PolicyFeedback::new(named("p")).with_remaining(0));
    p.on_response(ms(0), tk0, &f);
    assert_eq!(p.next_allowed(ms(0)), ms(60_000));

    // A declared window longer than `max_server_wait` (a day): the wait is capped like any
    // other server-directed wait, and the outcome says so.
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(named("p"))
            .with_quota(1000, secs(86_400))
            .with_remaining(0),
    );
    let out = p.on_response(ms(0), tk0, &f);
    assert!(out.capped);
    assert_eq!(p.next_allowed(ms(0)), ms(600_000));
}

#[test]
fn at_never_try_acquire_agrees_with_available() {
    // At `Instant::NEVER` time cannot advance; a full window must still refuse.
    let mut p = pacer();
    p.declare(named("p"), 1, secs(1)).unwrap();
    assert!(p.try_acquire(Instant::NEVER).is_ok());
    assert_eq!(p.available(Instant::NEVER), Capacity::Limited(0));
    assert_eq!(p.try_acquire(Instant::NEVER), Err(Instant::NEVER));
    assert_eq!(p.sent(), 1);
}

#[test]
fn s26_github_403_epoch_reset() {
    // Parser part (`X-RateLimit-Reset: 1700000060` minus `Date` 1700000000 = 60 s) is tested
    // with the parser; this is the Feedback it gives.
    let github = || {
        let mut f = fb(403);
        push(
            &mut f,
            PolicyFeedback::new(named("core"))
                .with_quota(5_000, secs(3_600))
                .with_remaining(0)
                .with_reset(secs(60)),
        );
        f
    };
    let mut p = Pacer::<8, 64, 16>::new(cfg().with_throttle_403_zero_remaining(true));
    let tk0 = p.on_sent(ms(0));
    let out = p.on_response(ms(0), tk0, &github());
    assert!(out.throttled);
    assert_eq!(p.streak(), 1);
    assert_eq!(p.next_allowed(ms(0)), ms(60_000));

    // Without the opt-in the 403 is not a throttle, but remaining 0 still holds until reset.
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let out = p.on_response(ms(0), tk0, &github());
    assert!(!out.throttled);
    assert_eq!(p.next_allowed(ms(0)), ms(60_000));
}

#[test]
fn s27_duplicate_quota_attaches_to_w60() {
    // Parser part (`RateLimit-Limit: 10, 10;w=1, 10;w=60` with Reset 30: the observation
    // goes to the smallest w >= 30, i.e. w60) is tested with the parser.
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(200);
    push(&mut f, PolicyFeedback::new(w1()).with_quota(10, secs(1)));
    push(
        &mut f,
        PolicyFeedback::new(w60())
            .with_quota(10, secs(60))
            .with_remaining(3)
            .with_reset(secs(30)),
    );
    p.on_response(ms(0), tk0, &f);
    assert_eq!(remaining(&p, w60()), 3);
    assert!(p.policy(w1()).unwrap().snapshot.is_none());
    for _ in 0..3 {
        p.try_acquire(ms(0)).unwrap();
    }
    assert_eq!(p.try_acquire(ms(0)), Err(ms(30_000)));
    assert_eq!(p.binding(ms(0)), Some(Constraint::Snapshot(w60())));
}

// ---- the changes from the specification (documented in `pacer`'s module docs) ----------

#[test]
fn change1_throttle_exhaustion_is_never_stale() {
    let mut p = pacer();
    let id = named("d");
    let tk0 = p.on_sent(ms(0));
    let tk1 = p.on_sent(ms(0));
    let mut ok = fb(200);
    push(
        &mut ok,
        PolicyFeedback::new(id)
            .with_remaining(50)
            .with_reset(secs(10)),
    );
    p.on_response(ms(10), tk1, &ok);
    // The older request's 429 arrives later: it is older by send order, yet it proves the
    // quota is exhausted now.
    let mut throttle = fb(429);
    push(
        &mut throttle,
        PolicyFeedback::new(id)
            .with_remaining(0)
            .with_reset(secs(30)),
    );
    let out = p.on_response(ms(20), tk0, &throttle);
    assert_eq!(out.stale_ignored, 0);
    assert_eq!(out.backoff, None);
    assert_eq!(p.next_allowed(ms(20)), ms(30_020));
}

#[test]
fn change2_a_throttle_that_blocks_nothing_backs_off() {
    let mut p = pacer();
    let tk0 = p.on_sent(ms(0));
    let mut f = fb(429);
    push(
        &mut f,
        PolicyFeedback::new(named("x"))
            .with_remaining(0)
            .with_reset(Duration::ZERO),
    );
    let out = p.on_response(ms(0), tk0, &f);
    assert_eq!(out.backoff, Some(secs(1)));
    assert_eq!(p.next_allowed(ms(0)), ms(1_000));
}

#[test]
fn change3_declared_and_constraining_policies_are_not_evicted() {
    let mut p: Pacer<2, 8, 4> = Pacer::new(cfg());
    p.declare(w1(), 2, secs(1)).unwrap();
    let tk = p.on_sent(ms(0));
    // A second policy fills the table; its window holds the send at 0.
    let mut f = fb(200);
    push(&mut f, PolicyFeedback::new(w60()).with_quota(5, secs(60)));
    p.on_response(ms(0), tk, &f);
    // A third cannot evict either: w1 is declared, w60 still holds a send.
    let tk = p.on_sent(ms(100));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(named("new"))
            .with_remaining(0)
            .with_reset(secs(5)),
    );
    let out = p.on_response(ms(100), tk, &f);
    assert_eq!(out.dropped_policies, 1);
    // Its exhaustion is folded into the global block.
    assert_eq!(p.next_allowed(ms(100)), ms(5_100));
    assert_eq!(p.binding(ms(100)), Some(Constraint::Global));
    // After the 60 s window has emptied, w60 can make way.
    let tk = p.on_sent(ms(5_100));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(named("newer")).with_remaining(7),
    );
    let out = p.on_response(ms(65_200), tk, &f);
    assert_eq!(out.dropped_policies, 0);
    assert!(p.policy(w60()).is_none());
    assert!(p.policy(w1()).is_some());
    // "newer" has a live snapshot (60 s default_ttl) and w1 is declared: no room.
    assert_eq!(
        p.declare(named("third"), 5, secs(60)),
        Err(ratelimit_headers::pacer::DeclareError::TableFull)
    );
    // Once that snapshot has expired, it makes way.
    let tk = p.on_sent(ms(130_000));
    p.on_dropped(ms(130_000), tk);
    assert_eq!(p.declare(named("third"), 5, secs(60)), Ok(()));
    assert!(p.policy(named("newer")).is_none());
}

#[test]
fn change4_token_quota_only_blocks_when_exhausted() {
    let mut p = pacer();
    let tokens = named("tokens");
    let tk = p.on_sent(ms(0));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(tokens)
            .with_unit(QuotaUnit::Tokens)
            .with_quota(10_000, secs(60))
            .with_remaining(3)
            .with_reset(secs(6)),
    );
    p.on_response(ms(0), tk, &f);
    // 3 tokens left says nothing about how many requests may go.
    assert_eq!(p.available(ms(0)), Capacity::Unbounded);
    for _ in 0..10 {
        p.try_acquire(ms(0)).unwrap();
    }
    let tk = p.on_sent(ms(0));
    let mut f = fb(200);
    push(
        &mut f,
        PolicyFeedback::new(tokens)
            .with_unit(QuotaUnit::Tokens)
            .with_remaining(0)
            .with_reset(secs(6)),
    );
    p.on_response(ms(100), tk, &f);
    assert_eq!(p.next_allowed(ms(100)), ms(6_100));
}

#[test]
fn change5_retry_after_on_redirect_is_per_request() {
    let mut p = pacer();
    let tk = p.on_sent(ms(0));
    let mut f = fb(301);
    f.set_retry_after(Some(secs(10)));
    let out = p.on_response(ms(0), tk, &f);
    assert_eq!(out.retry_after, Some(secs(10)));
    assert_eq!(p.next_allowed(ms(0)), ms(0));
}

#[test]
fn jitter_only_adds() {
    let config = Config::DEFAULT.with_jitter(Jitter::Up {
        permille: 500,
        max: secs(10),
        seed: 42,
    });
    for seed in 0..50u64 {
        let mut p: Pacer = Pacer::new(config.with_jitter(Jitter::Up {
            permille: 500,
            max: secs(10),
            seed,
        }));
        let tk = p.on_sent(ms(0));
        let out = p.on_response(ms(0), tk, &fb(429));
        let d = out.backoff.unwrap();
        assert!(d >= secs(1) && d <= Duration::from_millis(1_500), "{d:?}");
        assert_eq!(p.next_allowed(ms(0)), Instant::ZERO.saturating_add(d));
    }
}

#[test]
#[cfg(target_pointer_width = "64")]
fn size_of_default_pacer_is_documented() {
    // Documented in the `pacer` module docs ("Size").
    assert_eq!(core::mem::size_of::<Pacer>(), 2_280);
}

// ---- the same scenarios from header bytes, through `Feedback::from_headers` ---------------

/// Parses a response head the way a client would.
fn parsed(status: u16, headers: &[(&'static str, &'static str)]) -> Feedback<'static> {
    Feedback::from_headers(
        Some(status),
        headers.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())),
    )
}

#[test]
fn parser_and_pacer_end_to_end() {
    // S1
    let mut p = pacer();
    let tk = p.try_acquire(ms(0)).unwrap();
    let fb = parsed(
        200,
        &[
            ("RateLimit-Limit", "120, 120;w=60, 4;w=1"),
            ("RateLimit-Remaining", "118"),
            ("RateLimit-Reset", "32"),
        ],
    );
    p.on_response(ms(100), tk, &fb);
    assert_eq!(remaining(&p, w60()), 118);
    assert_eq!(reset_at(&p, w60()), ms(32_100));
    assert_eq!(p.available(ms(100)), Capacity::Limited(3));

    // S4
    let mut p = pacer();
    declare_vendor(&mut p);
    let tk = p.on_sent(ms(9_950));
    let fb = parsed(
        429,
        &[
            ("RateLimit-Limit", "4, 120;w=60, 4;w=1"),
            ("RateLimit-Remaining", "-1"),
            ("RateLimit-Reset", "1"),
        ],
    );
    let out = p.on_response(ms(10_000), tk, &fb);
    assert_eq!(out.backoff, None);
    assert_eq!(p.next_allowed(ms(10_000)), ms(11_000));
    assert_eq!(p.available(ms(11_000)), Capacity::Limited(4));

    // S4b
    let mut p = pacer();
    let tk = p.on_sent(ms(9_950));
    let fb = parsed(
        429,
        &[("RateLimit-Remaining", "-1"), ("RateLimit-Reset", "1")],
    );
    p.on_response(ms(10_000), tk, &fb);
    assert_eq!(p.next_allowed(ms(10_000)), ms(11_000));

    // S8
    let mut p = pacer();
    let tk = p.on_sent(ms(0));
    let fb = parsed(429, &[("retry-after-ms", "1500"), ("Retry-After", "2")]);
    p.on_response(ms(0), tk, &fb);
    assert_eq!(p.next_allowed(ms(0)), ms(1_500));

    // S9
    let mut p = pacer();
    let tk = p.on_sent(ms(0));
    let fb = parsed(
        503,
        &[
            ("Date", "Mon, 05 Aug 2019 09:27:00 GMT"),
            ("Retry-After", "Mon, 05 Aug 2019 09:27:05 GMT"),
        ],
    );
    p.on_response(ms(0), tk, &fb);
    assert_eq!(p.next_allowed(ms(0)), ms(5_000));

    // S26 (Date is Unix time 1 700 000 000)
    let mut p = Pacer::<8, 64, 16>::new(cfg().with_throttle_403_zero_remaining(true));
    let tk = p.on_sent(ms(0));
    let fb = parsed(
        403,
        &[
            ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
            ("X-RateLimit-Limit", "5000"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "1700000060"),
        ],
    );
    let out = p.on_response(ms(0), tk, &fb);
    assert!(out.throttled);
    assert_eq!(p.next_allowed(ms(0)), ms(60_000));

    // S27
    let mut p = pacer();
    let tk = p.on_sent(ms(0));
    let fb = parsed(
        200,
        &[
            ("RateLimit-Limit", "10, 10;w=1, 10;w=60"),
            ("RateLimit-Reset", "30"),
            ("RateLimit-Remaining", "3"),
        ],
    );
    p.on_response(ms(0), tk, &fb);
    assert_eq!(remaining(&p, w60()), 3);
    for _ in 0..3 {
        p.try_acquire(ms(0)).unwrap();
    }
    assert_eq!(p.try_acquire(ms(0)), Err(ms(30_000)));

    // S5 (draft-ietf-10 named policies)
    let mut p = pacer();
    let tk = p.on_sent(ms(0));
    let fb = parsed(
        429,
        &[
            ("Retry-After", "20"),
            ("RateLimit-Policy", "\"dynamic\";q=100;w=60"),
            ("RateLimit", "\"dynamic\";r=15;t=40"),
        ],
    );
    p.on_response(ms(0), tk, &fb);
    assert_eq!(p.next_allowed(ms(0)), ms(20_000));
    assert_eq!(p.available(ms(20_000)), Capacity::Limited(15));
}

/// A limit of `u64::MAX` is still a limit: only a pacer that knows of none is unbounded.
#[test]
fn the_largest_limit_is_not_unbounded() {
    let mut p = pacer();
    assert_eq!(p.available(ms(0)), Capacity::Unbounded);
    p.declare(w60(), u64::MAX, secs(60)).unwrap();
    assert_eq!(p.available(ms(0)), Capacity::Limited(u64::MAX));
    p.on_sent(ms(0));
    assert_eq!(p.available(ms(0)), Capacity::Limited(u64::MAX - 1));
}
