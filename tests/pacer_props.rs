//! Property tests of the pacer: invariants 1–18 of `reference/pacer.md` §4.7, and invariant 19
//! (end to end against three simulated servers) as a plain test.
//!
//! Failures are persisted by proptest in `tests/pacer_props.proptest-regressions` (the
//! default `failure_persistence`, which the configs below keep); commit that file when it
//! appears. Case counts are kept moderate so `cargo test --all-features` stays fast.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use core::time::Duration;

use proptest::prelude::*;
use ratelimit_headers::pacer::{Capacity, Config, Instant, Jitter, Outcome, Pacer, Ticket};
use ratelimit_headers::{Feedback, PolicyFeedback, PolicyId, QuotaUnit};

const MS: u64 = 1_000_000;
const SEC: u64 = 1_000_000_000;

#[path = "common/cases.rs"]
mod cases;
use cases::cases;

// ---- generators ------------------------------------------------------------------------------

/// When an event happens, relative to the test's running clock.
#[derive(Debug, Clone)]
enum When {
    /// Later by this many ns.
    Forward(u64),
    /// Earlier than the clock by this many ns (time going backwards).
    Back(u64),
    /// An arbitrary u64.
    Abs(u64),
    /// `u64::MAX` minus this many ns.
    NearMax(u64),
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        8 => prop_oneof![0u64..2_000 * MS, Just(0u64), 0u64..120 * SEC].prop_map(When::Forward),
        2 => (0u64..10 * SEC).prop_map(When::Back),
        1 => any::<u64>().prop_map(When::Abs),
        1 => (0u64..2 * SEC).prop_map(When::NearMax),
    ]
}

/// Only forward steps and regressions (no saturation), for shift invariance.
fn tame_when() -> impl Strategy<Value = When> {
    prop_oneof![
        8 => prop_oneof![0u64..2_000 * MS, Just(0u64), 0u64..120 * SEC].prop_map(When::Forward),
        2 => (0u64..10 * SEC).prop_map(When::Back),
    ]
}

#[derive(Debug, Clone)]
enum TicketSel {
    Issued(usize),
    Forged(u64, u64, u64),
}

fn ticket_sel() -> impl Strategy<Value = TicketSel> {
    prop_oneof![
        9 => any::<usize>().prop_map(TicketSel::Issued),
        1 => (any::<u64>(), any::<u64>(), any::<u64>())
            .prop_map(|(a, b, c)| TicketSel::Forged(a, b, c)),
    ]
}

#[derive(Debug, Clone)]
struct ObsGen {
    id: u8,
    quota: Option<(u64, Duration)>,
    tokens: bool,
    remaining: Option<i64>,
    reset: Option<Duration>,
}

fn policy_id(i: u8) -> PolicyId {
    match i % 6 {
        0 => PolicyId::ANONYMOUS,
        1 => PolicyId::window(1),
        2 => PolicyId::window(60),
        3 => PolicyId::named(b"a"),
        4 => PolicyId::named(b"b"),
        _ => PolicyId::named(b"c"),
    }
}

fn quota(n: u64) -> impl Strategy<Value = u64> {
    prop::sample::select(vec![1, 2, 4, n - 1, n, n + 1, 100, 1000])
}

fn window() -> impl Strategy<Value = Duration> {
    prop_oneof![
        prop::sample::select(vec![
            Duration::from_millis(1),
            Duration::from_millis(250),
            Duration::from_secs(1),
            Duration::from_secs(10),
            Duration::from_secs(60),
            Duration::from_secs(3600),
            Duration::from_secs(86_400),
        ]),
        (MS..86_400 * SEC).prop_map(Duration::from_nanos),
    ]
}

fn remaining() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(-1)),
        2 => Just(Some(0)),
        4 => (1i64..10).prop_map(Some),
        1 => Just(Some(i64::MAX)),
    ]
}

fn reset() -> impl Strategy<Value = Option<Duration>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(Duration::ZERO)),
        4 => (1u64..120).prop_map(|s| Some(Duration::from_secs(s))),
        1 => Just(Some(Duration::from_secs(999_999_999_999_999))),
    ]
}

fn obs(n: u64) -> impl Strategy<Value = ObsGen> {
    (
        0u8..6,
        prop::option::weighted(0.3, (quota(n), window())),
        prop::bool::weighted(0.1),
        remaining(),
        reset(),
    )
        .prop_map(|(id, quota, tokens, remaining, reset)| ObsGen {
            id,
            quota,
            tokens,
            remaining,
            reset,
        })
}

fn retry_after() -> impl Strategy<Value = Option<Duration>> {
    prop_oneof![
        4 => Just(None),
        2 => prop::sample::select(vec![0u64, 1, 2, 5, 20, 999_999_999_999_999])
            .prop_map(|s| Some(Duration::from_secs(s))),
        1 => any::<u64>().prop_map(|n| Some(Duration::from_nanos(n))),
    ]
}

fn status() -> impl Strategy<Value = Option<u16>> {
    prop_oneof![
        4 => Just(Some(200)),
        1 => Just(Some(301)),
        1 => Just(Some(403)),
        1 => Just(Some(413)),
        3 => Just(Some(429)),
        2 => Just(Some(503)),
        1 => Just(None),
    ]
}

#[derive(Debug, Clone)]
struct Resp {
    when: When,
    ticket: TicketSel,
    status: Option<u16>,
    retry_after: Option<Duration>,
    obs: Vec<ObsGen>,
    cache: bool,
}

#[derive(Debug, Clone)]
enum Ev {
    Send(When),
    Acquire(When),
    Drop(When, TicketSel),
    Resp(Resp),
    Declare(u8, u64, Duration),
}

fn resp(n: u64, w: BoxedStrategy<When>) -> impl Strategy<Value = Resp> {
    (
        w,
        ticket_sel(),
        status(),
        retry_after(),
        prop::collection::vec(obs(n), 0..4),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(when, ticket, status, retry_after, obs, cache)| Resp {
            when,
            ticket,
            status,
            retry_after,
            obs,
            cache,
        })
}

fn event_with(n: u64, w: fn() -> BoxedStrategy<When>) -> impl Strategy<Value = Ev> {
    prop_oneof![
        3 => w().prop_map(Ev::Send),
        4 => w().prop_map(Ev::Acquire),
        1 => (w(), ticket_sel()).prop_map(|(w, t)| Ev::Drop(w, t)),
        4 => resp(n, w()).prop_map(Ev::Resp),
        1 => (0u8..6, quota(n), window()).prop_map(|(i, q, w)| Ev::Declare(i, q, w)),
    ]
}

fn any_when() -> BoxedStrategy<When> {
    when().boxed()
}

fn tame() -> BoxedStrategy<When> {
    tame_when().boxed()
}

fn events(n: u64, len: usize) -> impl Strategy<Value = Vec<Ev>> {
    prop::collection::vec(event_with(n, any_when), 0..len)
}

fn config() -> impl Strategy<Value = Config> {
    (
        prop_oneof![
            Just(Jitter::None),
            (0u16..1000, 0u64..5_000, any::<u64>()).prop_map(|(permille, max, seed)| {
                Jitter::Up {
                    permille,
                    max: Duration::from_millis(max),
                    seed,
                }
            }),
        ],
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![0u64, 50]),
        prop::sample::select(vec![0u64, 1000]),
        prop::sample::select(vec![600u64, 1, 86_400]),
        prop::sample::select(vec![(1000u64, 60_000u64), (100, 2_000), (5, 5)]),
        prop::sample::select(vec![60u64, 5]),
    )
        .prop_map(
            |(jitter, jra, t403, margin, slack, cap, (base, bcap), ttl)| {
                Config::DEFAULT
                    .with_jitter(jitter)
                    .with_jitter_retry_after(jra)
                    .with_throttle_403_zero_remaining(t403)
                    .with_window_margin(Duration::from_millis(margin))
                    .with_reset_slack(Duration::from_millis(slack))
                    .with_max_server_wait(Duration::from_secs(cap))
                    .with_backoff(Duration::from_millis(base), Duration::from_millis(bcap))
                    .with_default_ttl(Duration::from_secs(ttl))
            },
        )
}

// ---- the driver ------------------------------------------------------------------------------

fn bare(status: u16) -> Feedback<'static> {
    Feedback::new(Some(status))
}

fn feedback(r: &Resp) -> Feedback<'static> {
    let mut fb = Feedback::new(r.status);
    fb.set_retry_after(r.retry_after);
    fb.set_from_cache(r.cache);
    for o in &r.obs {
        let mut p = PolicyFeedback::new(policy_id(o.id));
        if let Some((q, w)) = o.quota {
            p = p.with_quota(q, w);
        }
        if o.tokens {
            p = p.with_unit(QuotaUnit::Tokens);
        }
        p.remaining = o.remaining;
        p.reset = o.reset;
        let _ = fb.push_policy(p);
    }
    fb
}

/// What an event returned, for determinism and shift invariance.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Out {
    Ticket(Ticket),
    Acquire(Result<Ticket, Instant>),
    Outcome(Outcome),
    Declare(bool),
    None,
}

struct Run<const P: usize, const N: usize, const K: usize> {
    p: Pacer<P, N, K>,
    clock: u64,
    tickets: Vec<Ticket>,
}

impl<const P: usize, const N: usize, const K: usize> Run<P, N, K> {
    fn new(config: Config) -> Self {
        Run {
            p: Pacer::new(config),
            clock: 0,
            tickets: Vec::new(),
        }
    }

    fn resolve(&mut self, w: &When) -> Instant {
        let t = match *w {
            When::Forward(d) => {
                self.clock = self.clock.saturating_add(d);
                self.clock
            }
            When::Back(d) => self.clock.saturating_sub(d),
            When::Abs(x) => {
                self.clock = self.clock.max(x);
                x
            }
            When::NearMax(d) => {
                let x = u64::MAX - d;
                self.clock = self.clock.max(x);
                x
            }
        };
        Instant::from_nanos(t)
    }

    fn ticket(&self, sel: &TicketSel) -> Ticket {
        match *sel {
            TicketSel::Issued(i) if !self.tickets.is_empty() => {
                self.tickets[i % self.tickets.len()]
            }
            TicketSel::Issued(_) => Ticket::from_parts(0, Instant::ZERO, 0),
            TicketSel::Forged(a, b, c) => Ticket::from_parts(a, Instant::from_nanos(b), c),
        }
    }

    /// The time the event would use, and the event applied at `now` (or `at` if given).
    fn when_of(ev: &Ev) -> Option<&When> {
        match ev {
            Ev::Send(w) | Ev::Acquire(w) | Ev::Drop(w, _) => Some(w),
            Ev::Resp(r) => Some(&r.when),
            Ev::Declare(..) => None,
        }
    }

    fn apply_at(&mut self, ev: &Ev, now: Instant) -> Out {
        match ev {
            Ev::Send(_) => {
                let t = self.p.on_sent(now);
                self.tickets.push(t);
                Out::Ticket(t)
            }
            Ev::Acquire(_) => {
                let r = self.p.try_acquire(now);
                if let Ok(t) = r {
                    self.tickets.push(t);
                }
                Out::Acquire(r)
            }
            Ev::Drop(_, sel) => {
                let t = self.ticket(sel);
                self.p.on_dropped(now, t);
                Out::None
            }
            Ev::Resp(r) => {
                let t = self.ticket(&r.ticket);
                Out::Outcome(self.p.on_response(now, t, &feedback(r)))
            }
            Ev::Declare(i, q, w) => Out::Declare(self.p.declare(policy_id(*i), *q, *w).is_ok()),
        }
    }

    fn apply(&mut self, ev: &Ev) -> (Instant, Out) {
        let now = match Self::when_of(ev) {
            Some(w) => {
                let w = w.clone();
                self.resolve(&w)
            }
            None => self.p.latest(),
        };
        (now, self.apply_at(ev, now))
    }
}

/// Probe times around the pacer's latest time.
fn probes(p_latest: Instant, extra: Instant) -> Vec<Instant> {
    let h = p_latest.as_nanos();
    let mut v = vec![
        0,
        h.saturating_sub(1),
        h,
        h.saturating_add(1),
        h.saturating_add(MS),
        h.saturating_add(SEC),
        h.saturating_add(61 * SEC),
        h.saturating_add(700 * SEC),
        u64::MAX - 1,
        u64::MAX,
        extra.as_nanos(),
    ];
    v.sort_unstable();
    v.into_iter().map(Instant::from_nanos).collect()
}

fn at<const P: usize, const N: usize, const K: usize>(p: &Pacer<P, N, K>, x: Instant) -> Instant {
    x.max(p.latest())
}

fn cap_nanos(d: Duration, cap: Duration) -> u64 {
    u64::try_from(d.min(cap).as_nanos()).unwrap_or(u64::MAX)
}

/// Invariants 2, 3, 4, 7 and 16 on the current state.
fn check_queries<const P: usize, const N: usize, const K: usize>(
    p: &Pacer<P, N, K>,
    extra: Instant,
) -> Result<(), TestCaseError> {
    let before = p.clone();
    let xs = probes(p.latest(), extra);
    let mut prev: Option<Instant> = None;
    for &x in &xs {
        let n = p.next_allowed(x);
        // 3: purity (same answer twice).
        prop_assert_eq!(n, p.next_allowed(x));
        prop_assert_eq!(p.available(x), p.available(x));
        prop_assert_eq!(p.wait(x), p.wait(x));
        // 2: lower bound.
        prop_assert!(n >= at(p, x), "next {:?} < max(now, hwm) at {:?}", n, x);
        prop_assert_eq!(p.wait(x), n.saturating_duration_since(at(p, x)));
        // 4: monotone in time.
        if let Some(pn) = prev {
            prop_assert!(pn <= n, "not monotone: {:?} then {:?} at {:?}", pn, n, x);
        }
        prev = Some(n);
        // 7: query consistency. At `Instant::NEVER` itself time cannot advance, so
        // `next == now` carries no information there (see the `Pacer` docs); skip it.
        if at(p, x).is_never() {
            continue;
        }
        let avail = p.available(x);
        prop_assert_eq!(
            n == at(p, x),
            avail.any(),
            "next {:?} avail {:?} at {:?}",
            n,
            avail,
            x
        );
        prop_assert_eq!(p.binding(x).is_none(), n == at(p, x));
        if let Capacity::Limited(k) = avail
            && (1..=300).contains(&k)
        {
            let mut q = p.clone();
            for _ in 0..k {
                prop_assert!(q.try_acquire(x).is_ok());
            }
            prop_assert_eq!(q.available(x), Capacity::Limited(0));
        }
    }
    // 3: purity (state unchanged).
    prop_assert_eq!(&before, p);
    // 16: bounded memory.
    prop_assert!(p.policies().count() <= P);
    Ok(())
}

/// Runs `evs`, checking invariants 1–5, 7–9, 12 (cache), 14 and 16 after every event.
fn general<const P: usize, const N: usize, const K: usize>(
    config: Config,
    evs: &[Ev],
) -> Result<Run<P, N, K>, TestCaseError> {
    let mut run = Run::<P, N, K>::new(config);
    for ev in evs {
        let latest = run.p.latest();
        let xs = probes(latest, latest);
        let before: Vec<Instant> = xs.iter().map(|&x| run.p.next_allowed(x)).collect();
        let state_before = run.p.clone();
        let views_before: Vec<_> = run.p.policies().collect();
        let clock_before = run.clock;
        let tickets_before = run.tickets.len();

        let (now, out) = run.apply(ev);
        let t = run.p.latest();
        // R0: events move the high-water mark (a refused try_acquire changes nothing).
        if !matches!(out, Out::Acquire(Err(_)) | Out::Declare(_)) {
            prop_assert_eq!(t, now.max(latest), "R0: the event used max(now, hwm)");
        } else {
            prop_assert_eq!(t, latest);
        }

        // 14: time regression: the same event at the high-water mark gives the same result
        // and the same next state.
        if now < latest {
            let mut again = Run::<P, N, K> {
                p: state_before.clone(),
                clock: clock_before,
                tickets: run.tickets[..tickets_before].to_vec(),
            };
            let out2 = again.apply_at(ev, latest);
            prop_assert_eq!(&out2, &out);
            prop_assert_eq!(&again.p, &run.p);
        }

        match ev {
            // 5: sends and drops never loosen.
            Ev::Send(_) | Ev::Drop(..) | Ev::Acquire(_) => {
                for (x, b) in xs.iter().zip(&before) {
                    prop_assert!(run.p.next_allowed(*x) >= *b, "loosened at {:?}", x);
                }
            }
            Ev::Resp(r) => {
                let Out::Outcome(o) = out else { unreachable!() };
                let cfg = *run.p.config();
                if r.cache {
                    // 12 (second half): a cached response leaves every policy unchanged.
                    let views: Vec<_> = run.p.policies().collect();
                    prop_assert_eq!(views, views_before);
                    prop_assert_eq!(o, Outcome::default());
                }
                if o.throttled {
                    let xs = probes(t, now);
                    // 8: Retry-After honoured.
                    if let Some(ra) = r.retry_after {
                        let until = t.saturating_add(Duration::from_nanos(cap_nanos(
                            ra,
                            cfg.max_server_wait,
                        )));
                        for &x in &xs {
                            prop_assert!(run.p.next_allowed(x) >= until, "RA not honoured");
                        }
                    }
                    // 9: reset honoured on a throttle (without RA; with RA when r <= 0).
                    let fb = feedback(r);
                    for pf in fb.policies() {
                        let Some(reset) = pf.reset else { continue };
                        let exhausted = matches!(pf.remaining, Some(x) if x <= 0);
                        if r.retry_after.is_none() || exhausted {
                            let until = t.saturating_add(Duration::from_nanos(cap_nanos(
                                reset,
                                cfg.max_server_wait,
                            )));
                            for &x in &xs {
                                prop_assert!(
                                    run.p.next_allowed(x) >= until,
                                    "reset not honoured: next {:?} < {:?}",
                                    run.p.next_allowed(x),
                                    until
                                );
                            }
                        }
                    }
                }
            }
            Ev::Declare(..) => {}
        }
        check_queries(&run.p, now)?;
    }
    Ok(run)
}

proptest! {
    #![proptest_config(cases(192))]

    /// Invariants 1 (no panic, with overflow checks in test builds), 2, 3, 4, 5, 7, 8, 9,
    /// 12 (cache), 14 and 16 on a pacer with the default capacities.
    #[test]
    fn invariants_default_capacity(config in config(), evs in events(64, 40)) {
        general::<8, 64, 16>(config, &evs)?;
    }

    /// The same on a tiny pacer, where the table fills (eviction, R6) and quotas above
    /// N = 8 use the bucketed path.
    #[test]
    fn invariants_small_capacity(config in config(), evs in events(8, 40)) {
        general::<2, 8, 4>(config, &evs)?;
    }

    /// 13: cap and liveness. With no events after T0, every constraint has lapsed by
    /// T0 + max(max_server_wait + reset_slack, backoff_cap + jitter, max w_eff, default_ttl).
    /// A bucketed window can add one bucket g (its documented conservatism), so its term is
    /// (K + 1) · g >= w_eff.
    #[test]
    fn inv13_liveness(config in config(), evs in events(8, 30)) {
        let run = general::<3, 8, 4>(config, &evs)?;
        let p = &run.p;
        let t0 = p.latest().as_nanos();
        let n = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        let cfg = *p.config();
        let mut bound = n(cfg.max_server_wait).saturating_add(n(cfg.reset_slack));
        if cfg.jitter_retry_after {
            bound = bound.max(
                n(cfg.max_server_wait).saturating_add(n(cfg.jitter.max_extra(cfg.max_server_wait))),
            );
        }
        bound = bound.max(n(cfg.backoff_cap).saturating_add(n(cfg.jitter.max_extra(cfg.backoff_cap))));
        bound = bound.max(n(cfg.default_ttl));
        // Every window declared during the run (a snapshot without a reset lives for the
        // window its policy had then, which a later declaration may have shortened).
        let windows = evs.iter().flat_map(|ev| match ev {
            Ev::Declare(_, _, w) => vec![*w],
            Ev::Resp(r) => r.obs.iter().filter(|o| !o.tokens).filter_map(|o| o.quota.map(|q| q.1)).collect(),
            _ => vec![],
        });
        for w in windows {
            let w_eff = n(w).saturating_add(n(cfg.window_margin));
            // A bucketed window ((K + 1) buckets of ceil(w_eff / K)) may hold one bucket more.
            bound = bound.max(w_eff.div_ceil(4).max(1).saturating_mul(5));
        }
        let Some(from) = t0.checked_add(bound) else { return Ok(()) };
        for d in [0, 1, MS, SEC, 3600 * SEC] {
            let t = Instant::from_nanos(from.saturating_add(d));
            if t.is_never() {
                continue;
            }
            prop_assert_eq!(p.next_allowed(t), t, "still blocked at T0 + {} ns", bound + d);
        }
    }

    /// 17: determinism. The same configuration, seed and events give the same outputs and
    /// the same state.
    #[test]
    fn inv17_determinism(config in config(), evs in events(8, 40)) {
        let mut a = Run::<3, 8, 4>::new(config);
        let mut b = Run::<3, 8, 4>::new(config);
        for ev in &evs {
            let oa = a.apply(ev);
            let ob = b.apply(ev);
            prop_assert_eq!(oa, ob);
            let x = a.p.latest().saturating_add(Duration::from_millis(7));
            prop_assert_eq!(a.p.next_allowed(x), b.p.next_allowed(x));
            prop_assert_eq!(a.p.available(x), b.p.available(x));
        }
        prop_assert_eq!(&a.p, &b.p);
    }

    /// 18: shift invariance. Adding Δ to every time adds Δ to every output. Windows are
    /// drawn from {250 ms, 1 s, 10 s, 60 s, 1 h} and Δ is a multiple of 225 s, which every
    /// bucket width ceil(w / 16) divides, so the bucketed path is exact too.
    #[test]
    fn inv18_shift_invariance(
        config in config(),
        evs in prop::collection::vec(event_with(64, tame), 0..40),
        k in 0u64..1_000_000,
    ) {
        let config = config.with_window_margin(Duration::ZERO);
        let windows = [250 * MS, SEC, 10 * SEC, 60 * SEC, 3600 * SEC];
        let fix = |w: Duration| Duration::from_nanos(windows[(w.as_nanos() % 5) as usize]);
        let evs: Vec<Ev> = evs
            .into_iter()
            .map(|ev| match ev {
                Ev::Declare(i, q, w) => Ev::Declare(i, q, fix(w)),
                Ev::Resp(mut r) => {
                    for o in &mut r.obs {
                        o.quota = o.quota.map(|(q, w)| (q, fix(w)));
                    }
                    // Forged tickets carry absolute times: shift them too.
                    r.ticket = match r.ticket {
                        TicketSel::Forged(..) => TicketSel::Issued(0),
                        s => s,
                    };
                    Ev::Resp(r)
                }
                Ev::Drop(w, TicketSel::Forged(..)) => Ev::Drop(w, TicketSel::Issued(0)),
                ev => ev,
            })
            .collect();
        let delta = k * 225 * SEC;
        let d = Duration::from_nanos(delta);
        let mut a = Run::<8, 64, 16>::new(config);
        let mut b = Run::<8, 64, 16>::new(config);
        // Start an hour in, so that regressions (at most 10 s each) never clamp at 0.
        a.clock = 3600 * SEC;
        b.clock = 3600 * SEC + delta;
        for ev in &evs {
            let (ta, oa) = a.apply(ev);
            let (tb, ob) = b.apply(ev);
            if matches!(ev, Ev::Declare(..)) {
                // Declarations take no time (they use the latest event's).
                continue;
            }
            prop_assert_eq!(tb, ta.saturating_add(d));
            let shift = |o: Out| match o {
                Out::Ticket(t) => Out::Ticket(Ticket::from_parts(
                    t.seq(), t.sent_at().saturating_add(d), t.in_flight_before())),
                Out::Acquire(Ok(t)) => Out::Acquire(Ok(Ticket::from_parts(
                    t.seq(), t.sent_at().saturating_add(d), t.in_flight_before()))),
                Out::Acquire(Err(i)) => Out::Acquire(Err(i.saturating_add(d))),
                o => o,
            };
            prop_assert_eq!(shift(oa), ob);
            for x in [ta, ta.saturating_add(Duration::from_millis(500)), ta.saturating_add(Duration::from_secs(90))] {
                let y = x.saturating_add(d);
                prop_assert_eq!(a.p.next_allowed(x).saturating_add(d), b.p.next_allowed(y));
                prop_assert_eq!(a.p.available(x), b.p.available(y));
            }
        }
    }

    /// 8 (equality): with nothing else binding and no jitter, a Retry-After blocks exactly
    /// until t + min(RA, max_server_wait).
    #[test]
    fn inv8_retry_after_exact(
        t in 0u64..(1u64 << 62),
        ra in prop_oneof![any::<u64>().prop_map(Duration::from_nanos), (0u64..2000).prop_map(Duration::from_secs)],
        status in prop::sample::select(vec![429u16, 503]),
    ) {
        let mut p: Pacer = Pacer::new(Config::DEFAULT.with_jitter(Jitter::None));
        let t = Instant::from_nanos(t);
        let tk = p.on_sent(t);
        let mut fb: Feedback = Feedback::new(Some(status));
        fb.set_retry_after(Some(ra));
        let out = p.on_response(t, tk, &fb);
        let d = ra.min(Duration::from_secs(600));
        prop_assert_eq!(p.next_allowed(t), t.saturating_add(d));
        prop_assert_eq!(out.capped, ra > Duration::from_secs(600));
    }

    /// 10, 11 and 12: after an observation (r, reset) at t, the pacer's estimate is at most r
    /// (exactly r for a sequential client) and, for a newer one, at least r - U; a schedule
    /// that sends only when allowed sends at most the estimate before the reset. An older
    /// observation is reconciled with a live snapshot that counts requests (change 6) and
    /// leaves any other unchanged.
    #[test]
    fn inv10_11_12_snapshots(
        config in config(),
        evs in events(64, 25),
        pick in any::<usize>(),
        id in 0u8..6,
        r in 0i64..20,
        reset_s in 1u64..60,
        declare in prop::option::of((quota(64), window())),
        dt in 0u64..2 * SEC,
    ) {
        let mut run = general::<8, 64, 16>(config, &evs)?;
        let tk = run.p.on_sent(run.p.latest());
        run.tickets.push(tk);
        let tk = run.tickets[pick % run.tickets.len()];
        let id = policy_id(id);
        let before = run.p.policy(id);
        let t = run.p.latest().saturating_add(Duration::from_nanos(dt));
        let mut fb: Feedback = Feedback::new(Some(200));
        let mut pf = PolicyFeedback::new(id).with_remaining(r).with_reset(Duration::from_secs(reset_s));
        if let Some((q, w)) = declare {
            pf = pf.with_quota(q, w);
        }
        fb.push_policy(pf).unwrap();
        let unaccounted = tk.in_flight_before() + (run.p.sent() - 1).saturating_sub(tk.seq());
        let out = run.p.on_response(t, tk, &fb);
        let live = before
            .and_then(|v| v.snapshot)
            .filter(|s| s.is_live(t));
        let stale = live.is_some_and(|s| tk.seq() < s.seq);
        let Some(view) = run.p.policy(id) else {
            // The table was full of policies that still constrain: nothing to check.
            prop_assert_eq!(out.dropped_policies, 1);
            return Ok(());
        };
        let snap = view.snapshot.unwrap();
        let r = r as u64;
        let spec = r.saturating_sub(unaccounted);
        // 11: never above the server; exact for a sequential client.
        if stale {
            // 12 (changed, see change 6): an older answer is reconciled with the live
            // snapshot, never replaces it, and raises it by at most the one request it
            // accounts for, or to what it proves on its own (r - U) when its count is the
            // lowest so far.
            let old = live.unwrap();
            if old.counts_requests {
                prop_assert!(snap.remaining <= r);
                prop_assert_eq!(out.stale_ignored, 0);
                prop_assert!(snap.remaining <= (old.remaining + 1).max(spec));
                prop_assert_eq!(snap.seq, old.seq);
            } else {
                // A snapshot in other units is left as it was.
                prop_assert_eq!(out.stale_ignored, 1);
                prop_assert_eq!(snap, old);
                return Ok(());
            }
        } else {
            prop_assert!(snap.remaining <= r);
            // What the response proves on its own (the specification's value) is a floor.
            prop_assert!(snap.remaining >= spec, "{} < {}", snap.remaining, spec);
            if unaccounted == 0 {
                prop_assert_eq!(snap.remaining, r);
            }
            prop_assert_eq!(out.stale_ignored, 0);
        }
        // 10: the schedule agrees with the snapshot: exactly what it allows goes before the
        // reset (when no window or block binds first).
        let mut x = t;
        let mut sent = 0u64;
        for _ in 0..(r + 5) {
            x = run.p.next_allowed(x);
            if x >= snap.reset_at {
                break;
            }
            run.p.try_acquire(x).unwrap();
            sent += 1;
        }
        prop_assert!(sent <= snap.remaining, "sent {} > {} (r {}, U {})", sent, snap.remaining, r, unaccounted);
    }

    /// 15: backoff doubles from the base to the cap across consecutive bare throttles, and
    /// starts over after a success to a request sent at or after the last throttle (but not
    /// after a success to an older one).
    #[test]
    fn inv15_backoff(base_ms in 1u64..10_000, cap_factor in 1u64..100, k in 1usize..20, start in 0u64..(1u64 << 40)) {
        let base = Duration::from_millis(base_ms);
        let cap = Duration::from_millis(base_ms * cap_factor);
        let mut p: Pacer = Pacer::new(Config::DEFAULT.with_jitter(Jitter::None).with_backoff(base, cap));
        let mut x = Instant::from_nanos(start);
        let old = p.on_sent(x);
        for i in 0..k {
            let tk = p.try_acquire(x).unwrap();
            let t = x.saturating_add(Duration::from_millis(3));
            let out = p.on_response(t, tk, &bare(429));
            let expected = base.saturating_mul(1u32 << i.min(30)).min(cap);
            prop_assert_eq!(out.backoff, Some(expected));
            x = p.next_allowed(t);
            prop_assert_eq!(x, t.saturating_add(expected));
        }
        // A success to a request sent before the last throttle proves nothing.
        p.on_response(x, old, &bare(200));
        prop_assert_eq!(p.streak() as usize, k);
        let tk = p.try_acquire(x).unwrap();
        p.on_response(x, tk, &bare(200));
        prop_assert_eq!(p.streak(), 0);
        let tk = p.try_acquire(x).unwrap();
        let out = p.on_response(x, tk, &bare(503));
        prop_assert_eq!(out.backoff, Some(base.min(cap)));
    }
}

// ---- invariant 6: window safety --------------------------------------------------------------

#[derive(Debug, Clone)]
enum Step {
    /// Try at the clock plus this many ns.
    Try(u64),
    /// Try at `next_allowed`.
    AtNext,
    /// A response to the last ticket, which must not redeclare the declared policies.
    Respond(Resp),
}

fn steps(n: u64) -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            6 => prop_oneof![Just(0u64), 0..300 * MS, 0..5 * SEC].prop_map(Step::Try),
            4 => Just(Step::AtNext),
            1 => resp(n, Just(When::Forward(0)).boxed()).prop_map(Step::Respond),
        ],
        0..300,
    )
}

/// At most q sends in every half-open window [a, a + w).
fn max_in_window(sends: &[u64], w: u64) -> usize {
    let mut best = 0;
    let mut j = 0;
    for i in 0..sends.len() {
        while j < sends.len() && sends[j] < sends[i].saturating_add(w) {
            j += 1;
        }
        best = best.max(j - i);
    }
    best
}

fn window_safety<const P: usize, const N: usize, const K: usize>(
    config: Config,
    declared: &[(u64, Duration)],
    steps: &[Step],
) -> Result<(), TestCaseError> {
    let mut p: Pacer<P, N, K> = Pacer::new(config);
    // Declared ids 10.. never collide with the response ids 0..6.
    for (i, &(q, w)) in declared.iter().enumerate() {
        p.declare(PolicyId::window(1000 + i as u64), q, w).unwrap();
    }
    let mut clock = 0u64;
    let mut sends = Vec::new();
    let mut last = None;
    for s in steps {
        match s {
            Step::Try(d) => {
                clock += d;
                if let Ok(t) = p.try_acquire(Instant::from_nanos(clock)) {
                    sends.push(t.sent_at().as_nanos());
                    last = Some(t);
                }
            }
            Step::AtNext => {
                let n = p.next_allowed(Instant::from_nanos(clock));
                if n.as_nanos() > clock + 10 * 3600 * SEC {
                    continue;
                }
                clock = n.as_nanos();
                let t = p.try_acquire(n).unwrap();
                prop_assert_eq!(t.sent_at(), n);
                sends.push(clock);
                last = Some(t);
            }
            Step::Respond(r) => {
                if let Some(t) = last {
                    p.on_response(Instant::from_nanos(clock), t, &feedback(r));
                }
            }
        }
    }
    for &(q, w) in declared {
        let w = u64::try_from(w.as_nanos()).unwrap();
        let most = max_in_window(&sends, w);
        prop_assert!(
            most as u64 <= q,
            "{} sends in a window of {} ns, quota {}",
            most,
            w,
            q
        );
    }
    Ok(())
}

fn declared(n: u64) -> impl Strategy<Value = Vec<(u64, Duration)>> {
    let w = prop_oneof![
        prop::sample::select(vec![
            Duration::from_millis(1),
            Duration::from_millis(250),
            Duration::from_secs(1),
            Duration::from_secs(10),
            Duration::from_secs(60),
        ]),
        (MS..120 * SEC).prop_map(Duration::from_nanos),
    ];
    prop::collection::vec((quota(n), w), 1..3)
}

proptest! {
    #![proptest_config(cases(128))]

    /// 6: window safety, exact path (default capacities; quotas up to 1000 also exercise
    /// the bucketed path when large).
    #[test]
    fn inv6_window_safety_default(config in config(), d in declared(64), s in steps(64)) {
        window_safety::<8, 64, 16>(config, &d, &s)?;
    }

    /// 6: window safety on a tiny pacer (N = 8, K = 4): most quotas are bucketed.
    #[test]
    fn inv6_window_safety_bucketed(config in config(), d in declared(8), s in steps(8)) {
        window_safety::<4, 8, 4>(config, &d, &s)?;
    }
}

// ---- invariant 19: end to end against simulated servers ---------------------------------------

#[derive(Clone, Copy, Debug)]
enum Algo {
    FixedWindow,
    SlidingLog,
    TokenBucket,
}

/// One `(q, w)` limit as a server implements it.
struct Limit {
    q: u64,
    w: u64,
    algo: Algo,
    /// Fixed window: the current window's index and count.
    fixed: (u64, u64),
    /// Sliding log: the accepted times.
    log: Vec<u64>,
    /// Token bucket: tokens scaled by w (so refill is exact in integers) and last update.
    tokens: u128,
    last: u64,
}

impl Limit {
    fn new(q: u64, w: u64, algo: Algo) -> Self {
        Limit {
            q,
            w,
            algo,
            fixed: (0, 0),
            log: Vec::new(),
            tokens: u128::from(q) * u128::from(w),
            last: 0,
        }
    }

    fn refill(&mut self, t: u64) {
        let full = u128::from(self.q) * u128::from(self.w);
        let add = u128::from(t - self.last) * u128::from(self.q);
        self.tokens = (self.tokens + add).min(full);
        self.last = t;
    }

    /// (allowed, remaining after, ns until more quota).
    fn check(&mut self, t: u64) -> (bool, u64, u64) {
        match self.algo {
            Algo::FixedWindow => {
                let idx = t / self.w;
                if self.fixed.0 != idx {
                    self.fixed = (idx, 0);
                }
                let ok = self.fixed.1 < self.q;
                if ok {
                    self.fixed.1 += 1;
                }
                (ok, self.q - self.fixed.1, (idx + 1) * self.w - t)
            }
            Algo::SlidingLog => {
                self.log.retain(|&s| s + self.w > t);
                let ok = (self.log.len() as u64) < self.q;
                if ok {
                    self.log.push(t);
                }
                let left = self.q - self.log.len() as u64;
                (ok, left, self.log.first().map_or(0, |&s| s + self.w - t))
            }
            Algo::TokenBucket => {
                self.refill(t);
                let one = u128::from(self.w);
                let ok = self.tokens >= one;
                if ok {
                    self.tokens -= one;
                }
                let left = (self.tokens / one) as u64;
                // Time until the next whole token.
                let missing = one - self.tokens % one;
                let per_ns = u128::from(self.q);
                (ok, left, missing.div_ceil(per_ns) as u64)
            }
        }
    }
}

/// A Claid-like server: 4/s and 120/min, emitting `RateLimit-Limit: L, 120;w=60, 4;w=1`,
/// `RateLimit-Remaining` and `RateLimit-Reset` (whole seconds, rounded up) for the policy with
/// the lowest remaining, and 429 with Remaining -1 when over.
struct Server {
    limits: Vec<Limit>,
    rejected: u64,
}

impl Server {
    fn new(algo: Algo) -> Self {
        Server {
            limits: vec![Limit::new(120, 60 * SEC, algo), Limit::new(4, SEC, algo)],
            rejected: 0,
        }
    }

    fn handle(&mut self, t: u64) -> Feedback<'static> {
        // A request must pass every limit; only then is it counted (check then commit).
        let results: Vec<(bool, u64, u64)> = {
            let mut probe: Vec<Limit> = self
                .limits
                .iter()
                .map(|l| Limit {
                    q: l.q,
                    w: l.w,
                    algo: l.algo,
                    fixed: l.fixed,
                    log: l.log.clone(),
                    tokens: l.tokens,
                    last: l.last,
                })
                .collect();
            probe.iter_mut().map(|l| l.check(t)).collect()
        };
        let ok = results.iter().all(|r| r.0);
        let results: Vec<(bool, u64, u64)> = if ok {
            self.limits.iter_mut().map(|l| l.check(t)).collect()
        } else {
            self.rejected += 1;
            results
        };
        let mut fb = Feedback::new(Some(if ok { 200 } else { 429 }));
        let ids = [PolicyId::window(60), PolicyId::window(1)];
        for (l, id) in self.limits.iter().zip(ids) {
            fb.push_policy(PolicyFeedback::new(id).with_quota(l.q, Duration::from_nanos(l.w)))
                .unwrap();
        }
        let (i, &(_, left, until)) = results.iter().enumerate().min_by_key(|(_, r)| r.1).unwrap();
        let reset = Duration::from_secs(until.div_ceil(SEC));
        let remaining = if ok { left as i64 } else { -1 };
        fb.push_policy(
            PolicyFeedback::new(ids[i])
                .with_remaining(remaining)
                .with_reset(reset),
        )
        .unwrap();
        fb
    }
}

#[test]
fn inv19_end_to_end_against_simulated_servers() {
    for algo in [Algo::FixedWindow, Algo::SlidingLog, Algo::TokenBucket] {
        let mut server = Server::new(algo);
        let mut p: Pacer = Pacer::new(Config::DEFAULT.with_jitter(Jitter::None));
        p.declare(PolicyId::window(60), 120, Duration::from_secs(60))
            .unwrap();
        p.declare(PolicyId::window(1), 4, Duration::from_secs(1))
            .unwrap();
        let end = 600 * SEC;
        let mut sent = 0u64;
        let mut t = Instant::ZERO;
        loop {
            t = p.next_allowed(t);
            if t.as_nanos() >= end {
                break;
            }
            let tk = p.try_acquire(t).unwrap();
            sent += 1;
            let fb = server.handle(t.as_nanos());
            let out = p.on_response(t, tk, &fb);
            assert!(!out.throttled, "{algo:?}: 429 at {t}");
        }
        assert_eq!(server.rejected, 0, "{algo:?}");
        println!("{algo:?}: {sent} sends in 10 simulated minutes, no 429");
        // The sustained rate every one of these servers allows is 120 per minute.
        let allowed = 120 * 10;
        assert!(
            sent * 100 >= allowed * 95,
            "{algo:?}: {sent} sends in 10 min, allowed {allowed}"
        );
    }
}
