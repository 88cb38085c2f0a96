//! What each footprint binary links: one `#[inline(never)]` function per operation, so that
//! `measure.sh` can find each one's stack use by name, and a bare entry point.
//!
//! Inputs go through `core::hint::black_box`, so the compiler must keep the code for any
//! input; results go through it too, so nothing is dropped as unused.
#![no_std]

use core::hint::black_box;
use core::time::Duration;

use ratelimit_headers::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, GoDuration, Rfc3339, UnixTime,
};
use ratelimit_headers::field::vendor::{DiscordScope, Flag, Label};
use ratelimit_headers::pacer::{Config, Instant, Pacer};
use ratelimit_headers::sf::{self, Dictionary, List};
use ratelimit_headers::{
    Error, Feedback, HttpDate, Lenient, Limit, Policy, PolicyFeedback, PolicyId, QuotaPolicy,
    RateLimit, RateLimitPolicy, ReadOptions, Remaining, Reset, RetryAfter, RetryAfterMs,
    ServiceLimit, Tolerances,
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

/// Defines `#[inline(never)]` wrappers, one per parse entry point, each returning what the
/// parser returns: the value lives in the caller's frame, so a wrapper's stack is the call's
/// own (its frames and temporaries), as a program that stores the value where it likes sees it.
macro_rules! calls {
    ($($name:ident: $ty:ty = $call:expr;)*) => {
        $(
            #[inline(never)]
            #[allow(mismatched_lifetime_syntaxes)]
            pub fn $name(v: &[u8]) -> Result<$ty, Error> {
                $call(v)
            }
        )*
    };
}

calls! {
    parse_limit: Limit<8> = Limit::parse;
    parse_limit_lenient: Lenient<Limit<8>> = Limit::parse_lenient;
    parse_remaining: Remaining = Remaining::parse;
    parse_remaining_lenient: Lenient<Remaining> = Remaining::parse_lenient;
    parse_reset: Reset = Reset::parse;
    parse_reset_lenient: Lenient<Reset> = Reset::parse_lenient;
    parse_policy: RateLimitPolicy<8> = RateLimitPolicy::parse;
    parse_policy_lenient: Lenient<RateLimitPolicy<8>> = RateLimitPolicy::parse_lenient;
    parse_ratelimit: RateLimit<8> = RateLimit::parse;
    parse_ratelimit_lenient: Lenient<RateLimit<8>> = RateLimit::parse_lenient;
    parse_retry_after: RetryAfter = RetryAfter::parse;
    parse_retry_after_lenient: Lenient<RetryAfter> = RetryAfter::parse_lenient;
    parse_retry_after_ms: RetryAfterMs = RetryAfterMs::parse;
    parse_date: HttpDate = HttpDate::parse;
    parse_date_lenient: Lenient<HttpDate> = HttpDate::parse_lenient;
}

/// Defines `#[inline(never)]` wrappers of the in-place parsers, each filling a value the
/// caller holds.
macro_rules! in_place {
    ($($name:ident: $ty:ty, $mode:ident;)*) => {
        $(
            #[inline(never)]
            pub fn $name(out: &mut $ty, v: &'static [u8]) -> Result<Tolerances, Error> {
                out.parse_in_place(v, ratelimit_headers::ParseMode::$mode)
            }
        )*
    };
}

in_place! {
    parse_limit_in_place: Limit<'static, 8>, Strict;
    parse_limit_lenient_in_place: Limit<'static, 8>, Lenient;
    parse_policy_in_place: RateLimitPolicy<'static, 8>, Strict;
    parse_policy_lenient_in_place: RateLimitPolicy<'static, 8>, Lenient;
    parse_ratelimit_in_place: RateLimit<'static, 8>, Strict;
    parse_ratelimit_lenient_in_place: RateLimit<'static, 8>, Lenient;
}

/// Every IETF field parser, each result kept.
pub fn parsers() {
    let _ = black_box(parse_limit(input(b"120, 120;w=60, 4;w=1")));
    let _ = black_box(parse_limit_lenient(input(b"120, 120;w=60, 4;w=1")));
    let _ = black_box(parse_remaining(input(b"118")));
    let _ = black_box(parse_remaining_lenient(input(b"118")));
    let _ = black_box(parse_reset(input(b"32")));
    let _ = black_box(parse_reset_lenient(input(b"32")));
    let _ = black_box(parse_policy(input(b"\"default\";q=100;w=60")));
    let _ = black_box(parse_policy_lenient(input(b"\"default\";q=100;w=60")));
    let _ = black_box(parse_ratelimit(input(b"\"default\";r=50;t=30")));
    let _ = black_box(parse_ratelimit_lenient(input(b"\"default\";r=50;t=30")));
    let _ = black_box(parse_retry_after(input(b"120")));
    let _ = black_box(parse_retry_after_lenient(input(b"120")));
    let _ = black_box(parse_retry_after_ms(input(b"120")));
    let _ = black_box(parse_date(input(b"Sun, 06 Nov 1994 08:49:37 GMT")));
    let _ = black_box(parse_date_lenient(input(b"Sun, 06 Nov 1994 08:49:37 GMT")));
    let mut limit = Limit::new(0);
    let _ = black_box(parse_limit_in_place(
        &mut limit,
        input(b"120, 120;w=60, 4;w=1"),
    ));
    let _ = black_box(parse_limit_lenient_in_place(
        &mut limit,
        input(b"120, 120;w=60"),
    ));
    let mut policy = RateLimitPolicy::new();
    let _ = black_box(parse_policy_in_place(
        &mut policy,
        input(b"\"default\";q=100;w=60"),
    ));
    let _ = black_box(parse_policy_lenient_in_place(
        &mut policy,
        input(b"\"d\";q=1;w=6"),
    ));
    let mut ratelimit = RateLimit::list();
    let _ = black_box(parse_ratelimit_in_place(
        &mut ratelimit,
        input(b"\"default\";r=50;t=30"),
    ));
    let _ = black_box(parse_ratelimit_lenient_in_place(
        &mut ratelimit,
        input(b"\"d\";r=5;t=3"),
    ));
    black_box((&limit, &policy, &ratelimit));
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
    let _ = black_box(parse_vendor(input(b"1h2m3.5s")));
    let _ = black_box(parse_sf(input(b"a=1, b=?0;x")));
}

// ----------------------------------------------------------------------------------------
// Encoders.
// ----------------------------------------------------------------------------------------

/// Defines `#[inline(never)]` wrappers, one per encoder, each writing a value the caller
/// holds into `buf`: a wrapper's stack is the encoder's own.
macro_rules! encoders {
    ($($name:ident: $ty:ty;)*) => {
        $(
            #[inline(never)]
            pub fn $name(v: &$ty, buf: &mut [u8]) -> Result<usize, Error> {
                v.encode(buf)
            }
        )*
    };
}

encoders! {
    encode_limit: Limit<'_, 8>;
    encode_remaining: Remaining;
    encode_reset: Reset;
    encode_date: HttpDate;
    encode_retry_after: RetryAfter;
    encode_retry_after_ms: RetryAfterMs;
    encode_policy: RateLimitPolicy<'_, 8>;
    encode_ratelimit: RateLimit<'_, 8>;
}

/// Builds one value of each field from opaque numbers and encodes it, in one function (what
/// the encoders cost in flash when a program calls them from one place).
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

/// Builds one value of each field from opaque numbers and encodes it, each encoder called
/// by a wrapper of its own (for the stack per call).
pub fn encode_each(buf: &mut [u8]) -> usize {
    let q = num(120);
    let w = num(60);
    let mut n = 0;
    if let Ok(l) = Limit::<8>::new(q).with_policy(QuotaPolicy::new(q, w)) {
        n += encode_limit(&l, buf).unwrap_or(0);
    }
    n += encode_remaining(&Remaining::new(q), buf).unwrap_or(0);
    n += encode_reset(&Reset::after_seconds(w), buf).unwrap_or(0);
    if let Some(d) = HttpDate::from_unix_seconds(num(784_111_777) as i64) {
        n += encode_date(&d, buf).unwrap_or(0);
        n += encode_reset(&Reset::At(d), buf).unwrap_or(0);
        n += encode_retry_after(&RetryAfter::At(d), buf).unwrap_or(0);
    }
    n += encode_retry_after(&RetryAfter::after_seconds(w), buf).unwrap_or(0);
    n += encode_retry_after_ms(&RetryAfterMs::from_millis(w), buf).unwrap_or(0);
    if let Ok(p) = Policy::named("default", q).map(|p| p.with_window(w))
        && let Ok(v) = RateLimitPolicy::<8>::new().with_policy(p)
    {
        n += encode_policy(&v, buf).unwrap_or(0);
    }
    if let Ok(s) = ServiceLimit::named("default")
        && let Ok(v) = RateLimit::<8>::list().with_item(s.with_remaining(q).with_reset(w))
    {
        n += encode_ratelimit(&v, buf).unwrap_or(0);
    }
    n
}

/// Every IETF field encoder.
pub fn encoders() {
    let mut buf = [0u8; 128];
    black_box(encode_all(black_box(&mut buf)));
}

/// Every IETF field encoder, each through its wrapper.
pub fn encoder_calls() {
    let mut buf = [0u8; 128];
    black_box(encode_each(black_box(&mut buf)));
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

/// `Feedback::read`: the same, into a `Feedback` the caller keeps. It reads the dialects the
/// build selects: every one, or those of the package feature `ietf` or `ietf-fields`, with
/// which `measure.sh` builds `client-ietf` and `client-fields`.
#[inline(never)]
pub fn feedback_in_place(fb: &mut Feedback<'static>, status: u16, headers: &Headers) {
    fb.read(
        Some(status),
        headers.iter().map(|(n, v)| (*n, *v)),
        ReadOptions::new(),
    );
}

/// A response with the fields of one dialect.
static HEADERS: Headers = [
    (b"date", b"Sun, 06 Nov 1994 08:49:37 GMT"),
    (b"ratelimit-limit", b"120, 120;w=60, 4;w=1"),
    (b"ratelimit-remaining", b"118"),
    (b"ratelimit-reset", b"32"),
    (b"retry-after", b"2"),
    (b"x-ratelimit-remaining", b"7"),
];

/// The response [`HEADERS`], opaque to the optimiser: only its address goes through
/// `black_box`, so the code must read any headers, at no cost per header in the binary.
pub fn headers() -> &'static Headers {
    black_box(&HEADERS)
}

/// `Feedback::from_headers` on one response.
pub fn read_feedback() -> usize {
    let fb = feedback(black_box(429), headers());
    let mut kept = Feedback::new(None);
    feedback_in_place(&mut kept, black_box(429), headers());
    black_box(&fb).policies().len() + black_box(&kept).policies().len()
}

/// The pacer a client keeps.
pub type ClientPacer = Pacer;

/// Declares the client's documented limit. (The pacer itself is made by `Pacer::new` where
/// it is kept, as a program makes it: returned from a wrapper, its 2 KiB would be copied.)
#[inline(never)]
pub fn pacer_declare(p: &mut ClientPacer) {
    let _ = p.declare(
        PolicyId::window(num(1)),
        num(4),
        Duration::from_secs(num(1)),
    );
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

/// A feedback built by hand (no header parsing), for the pacer alone: filled in place, as
/// the pacer is, so that no copy of its 872 bytes is counted.
pub fn manual_feedback(fb: &mut Feedback<'static>) {
    let _ = fb.push_policy(
        PolicyFeedback::new(PolicyId::window(num(60)))
            .with_quota(num(120), Duration::from_secs(num(60)))
            .with_remaining(num(116) as i64)
            .with_reset(Duration::from_secs(num(59))),
    );
    fb.set_retry_after(Some(Duration::from_secs(num(0))).filter(|d| !d.is_zero()));
    black_box(fb);
}

/// The pacer's event loop on `fb`.
pub fn pace(fb: &Feedback<'_>) {
    let mut p: ClientPacer = Pacer::new(Config::DEFAULT);
    pacer_declare(&mut p);
    let now = Instant::from_nanos(num(1_000_000));
    let t = on_sent(&mut p, now);
    black_box(on_response(&mut p, now, t, fb));
    black_box(next_allowed(&p, now));
    black_box(p.wait(now));
    black_box(p.available(now));
    black_box(&p);
}
