//! The pacer driven by an arbitrary event sequence (sends, refused and granted acquires,
//! responses with arbitrary feedback and tickets — forged and replayed ones included —,
//! drops, declarations, time that jumps, stalls, goes backwards and reaches `u64::MAX`).
//!
//! Checked after every event, with the numbers of `reference/pacer.md` §4.7:
//!
//! 1. no panic or overflow (overflow checks are on in the fuzz build);
//! 2. `next_allowed(x) >= max(x, latest)`;
//! 4. `next_allowed` is monotone in `x`;
//! 5. sends and drops never loosen `next_allowed`;
//! 6. window safety: for a policy declared before the first send and never changed, a
//!    schedule that only sends when allowed (`try_acquire`) puts at most `q` sends in any
//!    window of length `w`;
//! 7. `next_allowed(x) == x` exactly when `available(x)` is at least 1, and `k = available`
//!    sends use it up;
//! 8. a throttle's Retry-After is honoured: `next_allowed >= t + min(RA, max_server_wait)`;
//! 9. a throttle's resets are honoured (no Retry-After, or remaining <= 0), until the next
//!    response;
//! 13. with no further events, everything is allowed again after the longest wait the
//!     configuration allows;
//! 14. an event at a time before the latest one has the same effect as at the latest one.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::pacer::{Capacity, Config, Instant, Jitter, Outcome, Pacer, Ticket};
use ratelimit_headers::{Feedback, PolicyFeedback, PolicyId, QuotaUnit};

/// Policy ids the events draw from: four to declare, and the ids the parser gives.
fn ids() -> [PolicyId; 8] {
    [
        PolicyId::named(b"d0"),
        PolicyId::named(b"d1"),
        PolicyId::named(b"d2"),
        PolicyId::named(b"d3"),
        PolicyId::ANONYMOUS,
        PolicyId::window(1),
        PolicyId::window(60),
        PolicyId::named(b"tokens"),
    ]
}

fn quota(u: &mut Unstructured<'_>, n: u64) -> Result<u64> {
    Ok(*u.choose(&[1, 2, 4, n - 1, n, n + 1, 100, 1000, 0, u64::MAX])?)
}

fn window(u: &mut Unstructured<'_>) -> Result<Duration> {
    Ok(match u.int_in_range(0u8..=5)? {
        0 => Duration::from_millis(1),
        1 => Duration::from_secs(1),
        2 => Duration::from_secs(60),
        3 => Duration::from_secs(86_400),
        4 => Duration::ZERO,
        _ => Duration::from_millis(u.int_in_range(1..=86_400_000)?),
    })
}

fn duration(u: &mut Unstructured<'_>) -> Result<Duration> {
    Ok(match u.int_in_range(0u8..=6)? {
        0 => Duration::ZERO,
        1 => Duration::from_millis(u.int_in_range(1..=5_000)?),
        2 => Duration::from_secs(u.int_in_range(1..=3_600)?),
        3 => Duration::from_secs(999_999_999_999_999),
        4 => Duration::from_nanos(u64::MAX),
        5 => Duration::MAX,
        _ => Duration::from_nanos(u.arbitrary()?),
    })
}

fn config(u: &mut Unstructured<'_>) -> Result<Config> {
    let mut c = Config::DEFAULT.with_jitter(Jitter::None);
    if u.ratio(1u8, 4)? {
        c = c.with_jitter(Jitter::Up {
            permille: u.int_in_range(0..=1000)?,
            max: Duration::from_millis(u.int_in_range(0..=2_000)?),
            seed: u.arbitrary()?,
        });
    }
    if u.ratio(1u8, 4)? {
        c = c.with_window_margin(Duration::from_millis(u.int_in_range(0..=100)?));
    }
    if u.ratio(1u8, 4)? {
        c = c.with_reset_slack(Duration::from_millis(u.int_in_range(0..=2_000)?));
    }
    if u.ratio(1u8, 4)? {
        c = c.with_max_server_wait(duration(u)?);
    }
    if u.ratio(1u8, 4)? {
        c = c.with_backoff(duration(u)?, duration(u)?);
    }
    if u.ratio(1u8, 4)? {
        c = c.with_default_ttl(duration(u)?);
    }
    c = c
        .with_jitter_retry_after(u.ratio(1u8, 8)?)
        .with_throttle_403_zero_remaining(u.arbitrary()?);
    Ok(c)
}

fn feedback(u: &mut Unstructured<'_>, n: u64) -> Result<Feedback<'static, 8, 1>> {
    let status = *u.choose(&[Some(200), Some(429), Some(503), Some(403), None, Some(304)])?;
    let mut fb = Feedback::new(status);
    if u.ratio(1u8, 3)? {
        fb.set_retry_after(Some(duration(u)?));
    }
    fb.set_from_cache(u.ratio(1u8, 16)?);
    let count = u.int_in_range(0..=4)?;
    for _ in 0..count {
        let mut p = PolicyFeedback::new(*u.choose(&ids())?);
        if u.ratio(1u8, 3)? {
            p = p.with_quota(quota(u, n)?, window(u)?);
        }
        if u.ratio(1u8, 8)? {
            p = p.with_unit(QuotaUnit::Tokens);
        }
        if u.ratio(2u8, 3)? {
            p.remaining = Some(match u.int_in_range(0u8..=4)? {
                0 => -1,
                1 => 0,
                2 => i64::from(u.int_in_range(1u8..=10)?),
                3 => i64::MAX,
                _ => u.arbitrary()?,
            });
        }
        if u.ratio(1u8, 2)? {
            p.reset = Some(duration(u)?);
        }
        // Merging into the same id is the parser's job; duplicates are dropped here.
        let _ = fb.push_policy(p);
    }
    Ok(fb)
}

#[derive(Debug, Clone)]
enum Event {
    Acquire,
    Sent,
    Response(Box<Feedback<'static, 8, 1>>, TicketPick),
    Dropped(TicketPick),
    Declare(usize, u64, Duration),
}

#[derive(Debug, Clone, Copy)]
enum TicketPick {
    Outstanding(usize),
    Replay(usize),
    Forged(u64, u64, u64),
}

/// What an event returned, to compare a time-regressed event with its clamped twin.
#[derive(Debug, PartialEq)]
enum Output {
    Acquired(core::result::Result<Ticket, Instant>),
    Sent(Ticket),
    Response(Outcome),
    Declared(core::result::Result<(), ratelimit_headers::pacer::DeclareError>),
    Nothing,
}

fn apply<const P: usize, const N: usize, const K: usize>(
    p: &mut Pacer<P, N, K>,
    ev: &Event,
    ticket: Option<Ticket>,
    now: Instant,
) -> Output {
    match ev {
        Event::Acquire => Output::Acquired(p.try_acquire(now)),
        Event::Sent => Output::Sent(p.on_sent(now)),
        Event::Response(fb, _) => match ticket {
            Some(t) => Output::Response(p.on_response(now, t, fb)),
            None => Output::Nothing,
        },
        Event::Dropped(_) => {
            if let Some(t) = ticket {
                p.on_dropped(now, t);
            }
            Output::Nothing
        }
        Event::Declare(i, q, w) => Output::Declared(p.declare(
            ids().get(*i).copied().unwrap_or(PolicyId::ANONYMOUS),
            *q,
            *w,
        )),
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Instants at which to query, around `t`.
fn probes(t: u64) -> [u64; 7] {
    [
        0,
        t.saturating_sub(1),
        t,
        t.saturating_add(1),
        t.saturating_add(1_000_000_000),
        t.saturating_add(600_000_000_000),
        u64::MAX,
    ]
}

fn next_allowed_all<const P: usize, const N: usize, const K: usize>(
    p: &Pacer<P, N, K>,
    t: u64,
) -> [u64; 7] {
    probes(t).map(|x| p.next_allowed(Instant::from_nanos(x)).as_nanos())
}

/// Whether to print every event (`PACER_TRACE=1`, to turn a crash into a readable
/// reproducer: `PACER_TRACE=1 cargo fuzz run pacer <artifact>`).
fn trace() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("PACER_TRACE").is_some())
}

fn run<const P: usize, const N: usize, const K: usize>(u: &mut Unstructured<'_>) -> Result<()> {
    let n = N as u64;
    let cfg = config(u)?;
    let mut pacer: Pacer<P, N, K> = Pacer::new(cfg);
    if trace() {
        eprintln!("Pacer<{P}, {N}, {K}> with {cfg:?}");
    }
    let max_wait = nanos(cfg.max_server_wait);

    // Declared policies: (id index, quota, window ns, still intact for invariant 6).
    let mut declared: Vec<(usize, u64, u64, bool)> = Vec::new();
    let mut obedient = true;
    let mut sends: Vec<u64> = Vec::new();
    let mut outstanding: Vec<Ticket> = Vec::new();
    let mut used: Vec<Ticket> = Vec::new();
    // Lower bounds on next_allowed: Retry-After (kept for ever), resets (until the next
    // response).
    let mut ra_floor = 0u64;
    let mut reset_floor = 0u64;
    let mut now = 0u64;
    // The longest window any declaration or feedback gave (see 13).
    let mut longest_window = 0u64;

    let steps = u.int_in_range(0..=64)?;
    for _ in 0..steps {
        // Time: mostly forward, sometimes backward, sometimes to the end of time.
        now = match u.int_in_range(0u8..=9)? {
            0 => now.saturating_sub(u.int_in_range(0..=2_000_000_000)?),
            1 => u64::MAX - u.int_in_range(0..=1_000_000_000)?,
            2 => u.arbitrary()?,
            3 => now,
            4..=6 => now.saturating_add(u.int_in_range(0..=1_000_000_000)?),
            _ => now.saturating_add(u.int_in_range(0..=100_000_000)?),
        };
        let ev = match u.int_in_range(0u8..=9)? {
            0..=3 => Event::Acquire,
            4 => Event::Sent,
            5..=7 => Event::Response(
                Box::new(feedback(u, n)?),
                match u.int_in_range(0u8..=7)? {
                    0 => TicketPick::Replay(u.arbitrary()?),
                    1 => TicketPick::Forged(u.arbitrary()?, u.arbitrary()?, u.arbitrary()?),
                    _ => TicketPick::Outstanding(u.arbitrary()?),
                },
            ),
            8 => Event::Dropped(TicketPick::Outstanding(u.arbitrary()?)),
            _ => Event::Declare(u.int_in_range(0..=3)?, quota(u, n)?, window(u)?),
        };
        let ticket = match &ev {
            Event::Response(_, pick) | Event::Dropped(pick) => match *pick {
                TicketPick::Outstanding(i) if !outstanding.is_empty() => {
                    Some(outstanding.remove(i % outstanding.len()))
                }
                TicketPick::Replay(i) if !used.is_empty() => used.get(i % used.len()).copied(),
                TicketPick::Forged(s, t, f) => {
                    Some(Ticket::from_parts(s, Instant::from_nanos(t), f))
                }
                _ => None,
            },
            _ => None,
        };

        let hwm = pacer.latest().as_nanos();
        let before = next_allowed_all(&pacer, hwm);
        let allowed_at_now = pacer.next_allowed(Instant::from_nanos(now)).as_nanos();

        // 14: the same event at the latest time, on a copy.
        let twin = (now < hwm).then(|| {
            let mut twin = pacer.clone();
            let out = apply(&mut twin, &ev, ticket, Instant::from_nanos(hwm));
            (twin, out)
        });
        let out = apply(&mut pacer, &ev, ticket, Instant::from_nanos(now));
        if trace() {
            eprintln!("at {now}: {ev:?} with ticket {ticket:?} -> {out:?}");
        }
        if let Some((twin, twin_out)) = twin {
            assert_eq!(
                out, twin_out,
                "event at {now} < latest {hwm} differs from at latest"
            );
            assert_eq!(
                pacer, twin,
                "state after an event at {now} < latest {hwm} differs"
            );
        }
        let t = pacer.latest().as_nanos();
        // Events that record something move the high-water mark; the others (a refused
        // acquire, a declaration, an event with no ticket) leave it.
        let records = match (&ev, &out) {
            (Event::Sent, _) | (Event::Acquire, Output::Acquired(Ok(_))) => true,
            (Event::Response(..) | Event::Dropped(_), _) => ticket.is_some(),
            _ => false,
        };
        assert_eq!(t, if records { now.max(hwm) } else { hwm }, "latest");

        match (&ev, &out) {
            (Event::Acquire, Output::Acquired(Ok(tk))) | (Event::Sent, Output::Sent(tk)) => {
                assert_eq!(tk.sent_at().as_nanos(), t);
                outstanding.push(*tk);
                if matches!(ev, Event::Sent) {
                    obedient = false;
                } else {
                    sends.push(t);
                }
                if matches!(ev, Event::Acquire) {
                    assert_eq!(allowed_at_now, t, "granted, so it was allowed");
                }
            }
            (Event::Acquire, Output::Acquired(Err(at))) => {
                // Refused, so allowed later; at NEVER itself, where time cannot move on,
                // a refusal (a full window there) says NEVER.
                assert!(
                    at.as_nanos() > now.max(t) || (now.max(t) == u64::MAX && *at == Instant::NEVER),
                    "refused, so allowed later"
                );
                assert_eq!(at.as_nanos(), allowed_at_now, "refused until next_allowed");
            }
            (Event::Response(fb, _), Output::Response(outcome)) => {
                for w in fb.policies().iter().filter_map(|p| p.window) {
                    longest_window = longest_window.max(nanos(w));
                }
                if let Some(tk) = ticket {
                    used.push(tk);
                }
                reset_floor = 0;
                let throttled = outcome.throttled;
                if throttled && !fb.from_cache() {
                    let ra = fb.retry_after();
                    if let Some(ra) = ra {
                        ra_floor = ra_floor.max(t.saturating_add(nanos(ra).min(max_wait)));
                    }
                    for pf in fb.policies() {
                        let exhausted = ra.is_none() || pf.remaining.is_some_and(|r| r <= 0);
                        if let (Some(reset), true) = (pf.reset, exhausted) {
                            reset_floor =
                                reset_floor.max(t.saturating_add(nanos(reset).min(max_wait)));
                        }
                    }
                }
                if !fb.from_cache() {
                    // A response that declares one of our policies anew ends invariant 6 for it.
                    for pf in fb.policies() {
                        if let (Some(q), Some(w)) = (pf.quota, pf.window) {
                            for d in declared.iter_mut() {
                                if ids().get(d.0) == Some(&pf.id) && (q, nanos(w)) != (d.1, d.2) {
                                    d.3 = false;
                                }
                            }
                        }
                    }
                }
            }
            (Event::Declare(i, q, w), Output::Declared(Ok(()))) => {
                longest_window = longest_window.max(nanos(*w));
                let fresh = sends.is_empty() && obedient;
                match declared.iter_mut().find(|d| d.0 == *i) {
                    Some(d) => {
                        d.3 &= fresh && (d.1, d.2) == (*q, nanos(*w));
                        (d.1, d.2) = (*q, nanos(*w));
                    }
                    None => declared.push((*i, *q, nanos(*w), fresh)),
                }
            }
            _ => {}
        }

        let after = next_allowed_all(&pacer, t);
        let xs = probes(t);
        for (k, (&x, &na)) in xs.iter().zip(after.iter()).enumerate() {
            // 2: lower bound.
            assert!(
                na >= x.max(t),
                "next_allowed({x}) = {na} < max(x, latest {t})"
            );
            // 4: monotone.
            if let Some(prev) = k.checked_sub(1).and_then(|j| after.get(j)) {
                assert!(
                    *prev <= na,
                    "next_allowed not monotone: {after:?} at {xs:?}"
                );
            }
            // 8, 9.
            assert!(
                na >= ra_floor,
                "Retry-After not honoured: next_allowed({x}) = {na} < {ra_floor}"
            );
            assert!(
                na >= reset_floor,
                "throttle reset not honoured: next_allowed({x}) = {na} < {reset_floor}"
            );
            // 7: allowed now exactly when something is available. Not at the end of time,
            // `u64::MAX` ns, where every later instant saturates to now (a window that is
            // full there reports "allowed at u64::MAX", which is now).
            let avail = pacer.available(Instant::from_nanos(x));
            if x.max(t) < u64::MAX {
                assert_eq!(
                    na == x.max(t),
                    avail.any(),
                    "next_allowed({x}) = {na} vs available {avail:?}"
                );
            }
        }
        // 5: sends and drops never loosen (comparing at the same instants; `before` was taken
        // at the old latest, and every probe at or after it is compared).
        if matches!(ev, Event::Sent | Event::Dropped(_) | Event::Acquire) {
            for x in probes(t) {
                let was = pacer_before_at(&before, hwm, x);
                if let Some(was) = was {
                    let na = pacer.next_allowed(Instant::from_nanos(x)).as_nanos();
                    assert!(
                        na >= was,
                        "a send or drop loosened next_allowed({x}): {was} -> {na}"
                    );
                }
            }
        }
        // 7 (second half): k = available sends at t use it up.
        if let Capacity::Limited(k @ 1..=32) = pacer.available(Instant::from_nanos(t)) {
            let mut copy = pacer.clone();
            for _ in 0..k {
                copy.on_sent(Instant::from_nanos(t));
            }
            assert_eq!(
                copy.available(Instant::from_nanos(t)),
                Capacity::Limited(0),
                "{k} sends did not use up available"
            );
        }
        // 6: window safety for declared, unchanged policies, while the schedule obeys.
        if obedient && let Some(&last) = sends.last() {
            for &(_, q, w, intact) in &declared {
                // Windows that end past `u64::MAX` ns saturate (see 7): not checked.
                if !intact || q == 0 || w == 0 || last.checked_add(w).is_none() {
                    continue;
                }
                let inside = sends.iter().filter(|&&s| last - s < w).count() as u64;
                assert!(
                    inside <= q,
                    "{inside} sends within {w} ns, quota {q}: {sends:?}"
                );
            }
        }
    }

    // 13: liveness once the events stop.
    let t0 = pacer.latest().as_nanos();
    let jitter = |d: u64| nanos(cfg.jitter.max_extra(Duration::from_nanos(d)));
    let ra_wait = if cfg.jitter_retry_after {
        max_wait.saturating_add(jitter(max_wait))
    } else {
        max_wait
    };
    let backoff = nanos(cfg.backoff_cap);
    // A bucketed window (quota above N) is conservative by one bucket, `ceil(w_eff / K)`
    // (documented in the pacer), so it may hold a send that long after `w_eff`.
    // An observation without a reset lasts the policy's window as it was then (a window
    // declared shorter later does not shorten it), so the longest window ever seen counts.
    let max_w = pacer
        .policies()
        .filter_map(|v| v.window.map(|w| (w, v.bucketed)))
        .map(|(w, bucketed)| {
            let w_eff = nanos(w).saturating_add(nanos(cfg.window_margin));
            let bucket = if bucketed {
                w_eff.div_ceil(K as u64)
            } else {
                0
            };
            w_eff.saturating_add(bucket)
        })
        .chain([longest_window])
        .max()
        .unwrap_or(0);
    let wait = [
        ra_wait.saturating_add(nanos(cfg.reset_slack)),
        backoff.saturating_add(jitter(backoff)),
        max_w,
        nanos(cfg.default_ttl),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    if let Some(end) = t0.checked_add(wait) {
        let na = pacer.next_allowed(Instant::from_nanos(end)).as_nanos();
        assert_eq!(
            na, end,
            "still blocked at {end} (latest {t0} + longest wait {wait}): {pacer:?}"
        );
    }
    Ok(())
}

/// `next_allowed(x)` before the event, if `x` was one of the probes taken then.
fn pacer_before_at(before: &[u64; 7], hwm: u64, x: u64) -> Option<u64> {
    probes(hwm)
        .iter()
        .position(|&p| p == x)
        .and_then(|i| before.get(i).copied())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    // A small pacer reaches the bucketed path (quota above N) and eviction (P full).
    let _ = match u.arbitrary::<bool>() {
        Ok(false) => run::<4, 8, 4>(&mut u),
        _ => run::<8, 64, 16>(&mut u),
    };
});
