//! What each footprint binary links: one `#[inline(never)]` function per operation, so that
//! `measure.sh` can find each one's stack use by name, and a bare entry point.
//!
//! Inputs go through `core::hint::black_box`, so the compiler must keep the code for any
//! input; results go through it too, so nothing is dropped as unused.
#![no_std]

use core::hint::black_box;
use core::time::Duration;

use ratelimit_headers::field::vendor::{DiscordScope, Flag, Label};
use ratelimit_headers::pacer::{Config, Instant, Pacer};
use ratelimit_headers::sf::{self, Dictionary, List};
use ratelimit_headers::{
    CallLimit, Count, DecimalCount, DecimalSeconds, Feedback, GoDuration, HttpDate, Limit, Policy,
    PolicyFeedback, PolicyId, QuotaPolicy, RateLimit, RateLimitPolicy, Remaining, Reset,
    RetryAfter, RetryAfterMs, Rfc3339, ServiceLimit, UnixTime,
};

/// Halts on panic. The library never panics on any input; a panic path that survives
/// optimisation still costs flash, and `measure.sh` lists any panic symbol it finds.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

/// Defines the entry point `_start` (the linker's default entry, a root for
/// `--gc-sections`), running `$body` then halting. Never run: only linked and measured.
#[macro_export]
macro_rules! entry {
    ($body:expr) => {
        #[unsafe(no_mangle)]
        pub extern "C" fn _start() -> ! {
            $body;
            loop {
                core::hint::spin_loop();
            }
        }
    };
}

/// A field value the optimiser cannot see through.
#[inline(always)]
pub fn input(v: &'static [u8]) -> &'static [u8] {
    black_box(v)
}

/// A number the optimiser cannot see through.
#[inline(always)]
pub fn num(v: u64) -> u64 {
    black_box(v)
}

// ----------------------------------------------------------------------------------------
// Parsers: the IETF fields, strict and lenient.
// ----------------------------------------------------------------------------------------

#[inline(never)]
pub fn parse_limit(v: &[u8]) -> usize {
    let a = Limit::<8>::parse(v).map_or(0, |l| l.policies().len());
    let b = Limit::<8>::parse_lenient(v).map_or(0, |l| l.value.policies().len());
    a + b
}

#[inline(never)]
pub fn parse_remaining(v: &[u8]) -> u64 {
    Remaining::parse(v).map_or(0, Remaining::get)
        + Remaining::parse_lenient(v).map_or(0, |l| l.value.get())
}

#[inline(never)]
pub fn parse_reset(v: &[u8]) -> u64 {
    Reset::parse(v).map_or(0, |r| r.seconds().unwrap_or(1))
        + Reset::parse_lenient(v).map_or(0, |l| l.value.seconds().unwrap_or(1))
}

#[inline(never)]
pub fn parse_policy(v: &[u8]) -> usize {
    let a = RateLimitPolicy::<8>::parse(v).map_or(0, |p| p.policies().len());
    let b = RateLimitPolicy::<8>::parse_lenient(v).map_or(0, |p| p.value.policies().len());
    a + b
}

#[inline(never)]
pub fn parse_ratelimit(v: &[u8]) -> usize {
    let a = RateLimit::<8>::parse(v).map_or(0, |r| r.items().len());
    let b = RateLimit::<8>::parse_lenient(v).map_or(0, |r| r.value.items().len());
    a + b
}

#[inline(never)]
pub fn parse_retry_after(v: &[u8]) -> u64 {
    let d = |r: RetryAfter| r.delay(None, Some(0)).map_or(0, |d| d.as_secs());
    RetryAfter::parse(v).map_or(0, d)
        + RetryAfter::parse_lenient(v).map_or(0, |l| d(l.value))
        + RetryAfterMs::parse(v).map_or(0, |r| r.get().as_secs())
}

#[inline(never)]
pub fn parse_date(v: &[u8]) -> i64 {
    HttpDate::parse(v).map_or(0, |d| d.unix_seconds())
        + HttpDate::parse_lenient(v).map_or(0, |d| d.value.unix_seconds())
}

/// Every IETF field parser.
pub fn parsers() {
    black_box(parse_limit(input(b"120, 120;w=60, 4;w=1")));
    black_box(parse_remaining(input(b"118")));
    black_box(parse_reset(input(b"32")));
    black_box(parse_policy(input(b"\"default\";q=100;w=60")));
    black_box(parse_ratelimit(input(b"\"default\";r=50;t=30")));
    black_box(parse_retry_after(input(b"120")));
    black_box(parse_date(input(b"Sun, 06 Nov 1994 08:49:37 GMT")));
}

// ----------------------------------------------------------------------------------------
// Vendor parsers and the Structured Field readers.
// ----------------------------------------------------------------------------------------

#[inline(never)]
pub fn parse_vendor(v: &[u8]) -> u64 {
    let mut n = 0u64;
    n += Count::parse_lenient(v).map_or(0, |c| c.value.get());
    n += DecimalCount::parse_lenient(v).map_or(0, |c| c.value.milli());
    n += UnixTime::parse_lenient(v).map_or(0, |t| t.value.since_epoch().as_secs());
    n += DecimalSeconds::parse_lenient(v).map_or(0, |d| d.value.duration().as_secs());
    n += GoDuration::parse_lenient(v).map_or(0, |d| d.value.duration().as_secs());
    n += Rfc3339::parse_lenient(v).map_or(0, |t| t.value.delay_from(0).as_secs());
    n += CallLimit::parse_lenient(v).map_or(0, |c| c.value.size());
    n += Label::<64>::parse_lenient(v).map_or(0, |l| l.value.as_str().len() as u64);
    n += DiscordScope::parse_lenient(v).map_or(0, |s| s.value.as_str().len() as u64);
    n += Flag::parse_lenient(v).map_or(0, |f| u64::from(bool::from(f.value)));
    n
}

#[inline(never)]
pub fn parse_sf(v: &[u8]) -> usize {
    List::new(v).filter(Result::is_ok).count()
        + Dictionary::new(v).filter(Result::is_ok).count()
        + usize::from(sf::parse_item(v).is_ok())
}

/// Every vendor parser and the SF readers.
pub fn vendor_parsers() {
    black_box(parse_vendor(input(b"1h2m3.5s")));
    black_box(parse_sf(input(b"a=1, b=?0;x")));
}

// ----------------------------------------------------------------------------------------
// Encoders.
// ----------------------------------------------------------------------------------------

#[inline(never)]
pub fn encode_all(buf: &mut [u8]) -> usize {
    let q = num(120);
    let w = num(60);
    let mut n = 0;
    if let Ok(l) = Limit::<8>::new(q).with_policy(QuotaPolicy::new(q, w)) {
        n += l.encode(buf).unwrap_or(0);
    }
    n += Remaining::new(q).encode(buf).unwrap_or(0);
    n += Reset::after_seconds(w).encode(buf).unwrap_or(0);
    if let Some(d) = HttpDate::from_unix_seconds(num(784_111_777) as i64) {
        n += d.encode(buf).unwrap_or(0);
        n += Reset::At(d).encode(buf).unwrap_or(0);
        n += RetryAfter::At(d).encode(buf).unwrap_or(0);
    }
    n += RetryAfter::after_seconds(w).encode(buf).unwrap_or(0);
    n += RetryAfterMs::from_millis(w).encode(buf).unwrap_or(0);
    if let Ok(p) = Policy::named("default", q).map(|p| p.with_window(w))
        && let Ok(v) = RateLimitPolicy::<8>::new().with_policy(p)
    {
        n += v.encode(buf).unwrap_or(0);
    }
    if let Ok(s) = ServiceLimit::named("default")
        && let Ok(v) = RateLimit::<8>::list().with_item(s.with_remaining(q).with_reset(w))
    {
        n += v.encode(buf).unwrap_or(0);
    }
    n
}

/// Every IETF field encoder.
pub fn encoders() {
    let mut buf = [0u8; 128];
    black_box(encode_all(black_box(&mut buf)));
}

// ----------------------------------------------------------------------------------------
// Feedback and the pacer.
// ----------------------------------------------------------------------------------------

/// The headers of one response, as a client receives them.
pub type Headers = [(&'static [u8], &'static [u8]); 6];

#[inline(never)]
pub fn feedback(status: u16, headers: &Headers) -> Feedback<'static> {
    Feedback::from_headers(Some(status), headers.iter().map(|(n, v)| (*n, *v)))
}

/// A response with the fields of one dialect, opaque to the optimiser.
pub fn headers() -> Headers {
    black_box([
        (input(b"date"), input(b"Sun, 06 Nov 1994 08:49:37 GMT")),
        (input(b"ratelimit-limit"), input(b"120, 120;w=60, 4;w=1")),
        (input(b"ratelimit-remaining"), input(b"118")),
        (input(b"ratelimit-reset"), input(b"32")),
        (input(b"retry-after"), input(b"2")),
        (input(b"x-ratelimit-remaining"), input(b"7")),
    ])
}

/// `Feedback::from_headers` on one response.
pub fn read_feedback() -> usize {
    let fb = feedback(black_box(429), &headers());
    black_box(&fb).policies().len()
}

/// The pacer a client keeps.
pub type ClientPacer = Pacer;

#[inline(never)]
pub fn pacer_new() -> ClientPacer {
    let mut p: ClientPacer = Pacer::new(Config::DEFAULT);
    let _ = p.declare(
        PolicyId::window(num(1)),
        num(4),
        Duration::from_secs(num(1)),
    );
    p
}

#[inline(never)]
pub fn on_sent(p: &mut ClientPacer, now: Instant) -> ratelimit_headers::pacer::Ticket {
    p.on_sent(now)
}

#[inline(never)]
pub fn on_response(
    p: &mut ClientPacer,
    now: Instant,
    t: ratelimit_headers::pacer::Ticket,
    fb: &Feedback<'_>,
) -> bool {
    p.on_response(now, t, fb).throttled
}

#[inline(never)]
pub fn next_allowed(p: &ClientPacer, now: Instant) -> Instant {
    p.next_allowed(now)
}

/// A feedback built by hand (no header parsing), for the pacer alone.
pub fn manual_feedback() -> Feedback<'static> {
    let mut fb: Feedback = Feedback::new(Some(black_box(200)));
    let _ = fb.push_policy(
        PolicyFeedback::new(PolicyId::window(num(60)))
            .with_quota(num(120), Duration::from_secs(num(60)))
            .with_remaining(num(116) as i64)
            .with_reset(Duration::from_secs(num(59))),
    );
    fb.set_retry_after(Some(Duration::from_millis(num(0))).filter(|d| !d.is_zero()));
    black_box(fb)
}

/// The pacer's event loop on `fb`.
pub fn pace(fb: &Feedback<'_>) {
    let mut p = pacer_new();
    let now = Instant::from_nanos(num(1_000_000));
    let t = on_sent(&mut p, now);
    black_box(on_response(&mut p, now, t, fb));
    black_box(next_allowed(&p, now));
    black_box(p.wait(now));
    black_box(p.available(now));
    black_box(&p);
}
