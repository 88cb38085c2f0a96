//! Each function below wraps one public entry point and carries `#[no_panic]`: if the
//! optimiser cannot remove every panic path from it, the release build fails to link with
//! `ERROR[no-panic]: detected panic in function `NAME``. `main` calls each one on opaque
//! input so that all of them are linked.
//!
//! A debug build proves nothing (panic paths are only removed by optimisation); build with
//! `cargo build --release`.

use core::hint::black_box;
use core::time::Duration;

use no_panic::no_panic;
use ratelimit_headers::ParseMode;
use ratelimit_headers::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, GoDuration, Rfc3339, UnixTime,
};
use ratelimit_headers::field::vendor::{DiscordScope, Flag, Label};
use ratelimit_headers::pacer::{Capacity, Config, DeclareError, Instant, Pacer, Ticket};
use ratelimit_headers::sf::{self, Dictionary, List, Params};
use ratelimit_headers::{
    Error, Feedback, HttpDate, Lenient, Limit, PolicyId, RateLimit, RateLimitPolicy, ReadOptions,
    Remaining, Reset, RetryAfter, RetryAfterMs, Tolerances,
};

type R<T> = Result<T, Error>;
type L<T> = Result<Lenient<T>, Error>;

/// One wrapper: `name = Type::method -> Output`, with its attributes.
macro_rules! wrap {
    ($(#[$a:meta])* $name:ident = $ty:ty, $method:ident -> $out:ty) => {
        $(#[$a])*
        #[inline(never)]
        pub fn $name(v: &[u8]) -> $out {
            <$ty>::$method(v)
        }
    };
}

// `parse` and `parse_lenient` of every type.
wrap!(#[no_panic] limit_parse = Limit<'_, 8>, parse -> R<Limit<'_, 8>>);
wrap!(#[no_panic] limit_parse_lenient = Limit<'_, 8>, parse_lenient -> L<Limit<'_, 8>>);
wrap!(#[no_panic] remaining_parse = Remaining, parse -> R<Remaining>);
wrap!(#[no_panic] remaining_parse_lenient = Remaining, parse_lenient -> L<Remaining>);
wrap!(#[no_panic] reset_parse = Reset, parse -> R<Reset>);
wrap!(#[no_panic] reset_parse_lenient = Reset, parse_lenient -> L<Reset>);
wrap!(#[no_panic] policy_parse = RateLimitPolicy<'_, 8>, parse -> R<RateLimitPolicy<'_, 8>>);
wrap!(#[no_panic] policy_parse_lenient = RateLimitPolicy<'_, 8>, parse_lenient -> L<RateLimitPolicy<'_, 8>>);
wrap!(#[no_panic] ratelimit_parse = RateLimit<'_, 8>, parse -> R<RateLimit<'_, 8>>);
wrap!(#[no_panic] ratelimit_parse_lenient = RateLimit<'_, 8>, parse_lenient -> L<RateLimit<'_, 8>>);
wrap!(#[no_panic] retry_after_parse = RetryAfter, parse -> R<RetryAfter>);
wrap!(#[no_panic] retry_after_parse_lenient = RetryAfter, parse_lenient -> L<RetryAfter>);
wrap!(#[no_panic] http_date_parse = HttpDate, parse -> R<HttpDate>);
wrap!(#[no_panic] http_date_parse_lenient = HttpDate, parse_lenient -> L<HttpDate>);
wrap!(#[no_panic] count_parse = Count, parse -> R<Count>);
wrap!(#[no_panic] count_parse_lenient = Count, parse_lenient -> L<Count>);
wrap!(#[no_panic] decimal_count_parse = DecimalCount, parse -> R<DecimalCount>);
wrap!(#[no_panic] decimal_count_parse_lenient = DecimalCount, parse_lenient -> L<DecimalCount>);
wrap!(#[no_panic] unix_time_parse = UnixTime, parse -> R<UnixTime>);
wrap!(#[no_panic] unix_time_parse_lenient = UnixTime, parse_lenient -> L<UnixTime>);
wrap!(#[no_panic] decimal_seconds_parse = DecimalSeconds, parse -> R<DecimalSeconds>);
wrap!(#[no_panic] decimal_seconds_parse_lenient = DecimalSeconds, parse_lenient -> L<DecimalSeconds>);
wrap!(#[no_panic] go_duration_parse = GoDuration, parse -> R<GoDuration>);
wrap!(#[no_panic] go_duration_parse_lenient = GoDuration, parse_lenient -> L<GoDuration>);
wrap!(#[no_panic] rfc3339_parse = Rfc3339, parse -> R<Rfc3339>);
wrap!(#[no_panic] rfc3339_parse_lenient = Rfc3339, parse_lenient -> L<Rfc3339>);
wrap!(#[no_panic] call_limit_parse = CallLimit, parse -> R<CallLimit>);
wrap!(#[no_panic] call_limit_parse_lenient = CallLimit, parse_lenient -> L<CallLimit>);
wrap!(#[no_panic] label_parse = Label<64>, parse -> R<Label<64>>);
wrap!(#[no_panic] label_parse_lenient = Label<64>, parse_lenient -> L<Label<64>>);
wrap!(#[no_panic] discord_scope_parse = DiscordScope, parse -> R<DiscordScope>);
wrap!(#[no_panic] discord_scope_parse_lenient = DiscordScope, parse_lenient -> L<DiscordScope>);
wrap!(#[no_panic] flag_parse = Flag, parse -> R<Flag>);
wrap!(#[no_panic] flag_parse_lenient = Flag, parse_lenient -> L<Flag>);

fn all_parsers(v: &[u8]) {
    let _ = black_box(limit_parse(black_box(v)));
    let _ = black_box(limit_parse_lenient(black_box(v)));
    let _ = black_box(remaining_parse(black_box(v)));
    let _ = black_box(remaining_parse_lenient(black_box(v)));
    let _ = black_box(reset_parse(black_box(v)));
    let _ = black_box(reset_parse_lenient(black_box(v)));
    let _ = black_box(policy_parse(black_box(v)));
    let _ = black_box(policy_parse_lenient(black_box(v)));
    let _ = black_box(ratelimit_parse(black_box(v)));
    let _ = black_box(ratelimit_parse_lenient(black_box(v)));
    let _ = black_box(retry_after_parse(black_box(v)));
    let _ = black_box(retry_after_parse_lenient(black_box(v)));
    let _ = black_box(http_date_parse(black_box(v)));
    let _ = black_box(http_date_parse_lenient(black_box(v)));
    let _ = black_box(count_parse(black_box(v)));
    let _ = black_box(count_parse_lenient(black_box(v)));
    let _ = black_box(decimal_count_parse(black_box(v)));
    let _ = black_box(decimal_count_parse_lenient(black_box(v)));
    let _ = black_box(unix_time_parse(black_box(v)));
    let _ = black_box(unix_time_parse_lenient(black_box(v)));
    let _ = black_box(decimal_seconds_parse(black_box(v)));
    let _ = black_box(decimal_seconds_parse_lenient(black_box(v)));
    let _ = black_box(go_duration_parse(black_box(v)));
    let _ = black_box(go_duration_parse_lenient(black_box(v)));
    let _ = black_box(rfc3339_parse(black_box(v)));
    let _ = black_box(rfc3339_parse_lenient(black_box(v)));
    let _ = black_box(call_limit_parse(black_box(v)));
    let _ = black_box(call_limit_parse_lenient(black_box(v)));
    let _ = black_box(label_parse(black_box(v)));
    let _ = black_box(label_parse_lenient(black_box(v)));
    let _ = black_box(discord_scope_parse(black_box(v)));
    let _ = black_box(discord_scope_parse_lenient(black_box(v)));
    let _ = black_box(flag_parse(black_box(v)));
    let _ = black_box(flag_parse_lenient(black_box(v)));
}

#[no_panic]
#[inline(never)]
pub fn retry_after_ms_parse(v: &[u8]) -> R<RetryAfterMs> {
    RetryAfterMs::parse(v)
}

#[no_panic]
#[inline(never)]
pub fn http_date_parse_relative_to(v: &[u8], year: u16) -> R<HttpDate> {
    HttpDate::parse_relative_to(v, year)
}

#[no_panic]
#[inline(never)]
pub fn sf_list_validate(v: &[u8]) -> R<usize> {
    List::validate(v)
}

#[no_panic]
#[inline(never)]
pub fn sf_dictionary_count(v: &[u8]) -> usize {
    Dictionary::new(v).filter(Result::is_ok).count()
}

#[no_panic]
#[inline(never)]
pub fn sf_parse_item(v: &[u8]) -> bool {
    sf::parse_item(v).is_ok()
}

#[no_panic]
#[inline(never)]
pub fn sf_params_parse(v: &[u8]) -> bool {
    Params::parse(v).is_ok()
}

#[no_panic]
#[inline(never)]
pub fn feedback_from_headers<'a>(
    status: Option<u16>,
    headers: &[(&'a [u8], &'a [u8])],
) -> Feedback<'a> {
    Feedback::from_headers(status, headers.iter().copied())
}

// The vendor values as durations: each accessor is total over the values a parser makes.

#[no_panic]
#[inline(never)]
pub fn unix_time_durations(t: UnixTime, date_unix_seconds: i64) -> (Duration, Duration) {
    (t.since_epoch(), t.delay_from(date_unix_seconds))
}

#[no_panic]
#[inline(never)]
pub fn vendor_durations(s: DecimalSeconds, g: GoDuration, r: Rfc3339, date: i64) -> [Duration; 3] {
    [s.duration(), g.duration(), r.delay_from(date)]
}

// In-place forms: a value the caller keeps, filled.

#[no_panic]
#[inline(never)]
pub fn limit_parse_in_place<'a>(out: &mut Limit<'a, 8>, v: &'a [u8]) -> R<Tolerances> {
    out.parse_in_place(v, ParseMode::Strict)
}

#[no_panic]
#[inline(never)]
pub fn limit_parse_lenient_in_place<'a>(out: &mut Limit<'a, 8>, v: &'a [u8]) -> R<Tolerances> {
    out.parse_in_place(v, ParseMode::Lenient)
}

#[no_panic]
#[inline(never)]
pub fn policy_parse_in_place<'a>(out: &mut RateLimitPolicy<'a, 8>, v: &'a [u8]) -> R<Tolerances> {
    out.parse_in_place(v, ParseMode::Strict)
}

#[no_panic]
#[inline(never)]
pub fn policy_parse_lenient_in_place<'a>(
    out: &mut RateLimitPolicy<'a, 8>,
    v: &'a [u8],
) -> R<Tolerances> {
    out.parse_in_place(v, ParseMode::Lenient)
}

#[no_panic]
#[inline(never)]
pub fn ratelimit_parse_in_place<'a>(out: &mut RateLimit<'a, 8>, v: &'a [u8]) -> R<Tolerances> {
    out.parse_in_place(v, ParseMode::Strict)
}

#[no_panic]
#[inline(never)]
pub fn ratelimit_parse_lenient_in_place<'a>(
    out: &mut RateLimit<'a, 8>,
    v: &'a [u8],
) -> R<Tolerances> {
    out.parse_in_place(v, ParseMode::Lenient)
}

#[no_panic]
#[inline(never)]
pub fn feedback_read<'a>(
    out: &mut Feedback<'a>,
    status: Option<u16>,
    headers: &[(&'a [u8], &'a [u8])],
    options: ReadOptions,
) {
    out.read(status, headers.iter().copied(), options)
}

// Encoders: a parsed value written back.

#[no_panic]
#[inline(never)]
pub fn limit_encode(v: &Limit<'_, 8>, buf: &mut [u8]) -> R<usize> {
    v.encode(buf)
}

#[no_panic]
#[inline(never)]
pub fn limit_encoded_len(v: &Limit<'_, 8>) -> usize {
    v.encoded_len()
}

#[no_panic]
#[inline(never)]
pub fn remaining_encode(v: &Remaining, buf: &mut [u8]) -> R<usize> {
    v.encode(buf)
}

#[no_panic]
#[inline(never)]
pub fn reset_encode(v: &Reset, buf: &mut [u8]) -> R<usize> {
    v.encode(buf)
}

#[no_panic]
#[inline(never)]
pub fn policy_encode(v: &RateLimitPolicy<'_, 8>, buf: &mut [u8]) -> R<usize> {
    v.encode(buf)
}

#[no_panic]
#[inline(never)]
pub fn ratelimit_encode(v: &RateLimit<'_, 8>, buf: &mut [u8]) -> R<usize> {
    v.encode(buf)
}

#[no_panic]
#[inline(never)]
pub fn retry_after_encode(v: &RetryAfter, buf: &mut [u8]) -> R<usize> {
    v.encode(buf)
}

#[no_panic]
#[inline(never)]
pub fn http_date_encode(v: &HttpDate, buf: &mut [u8]) -> R<usize> {
    v.encode(buf)
}

// The pacer.

#[no_panic]
#[inline(never)]
pub fn pacer_new() -> Pacer {
    Pacer::new(Config::DEFAULT)
}

#[no_panic]
#[inline(never)]
pub fn pacer_declare(p: &mut Pacer, id: PolicyId, q: u64, w: Duration) -> Result<(), DeclareError> {
    p.declare(id, q, w)
}

#[no_panic]
#[inline(never)]
pub fn pacer_on_sent(p: &mut Pacer, now: Instant) -> Ticket {
    p.on_sent(now)
}

#[no_panic]
#[inline(never)]
pub fn pacer_on_dropped(p: &mut Pacer, now: Instant, t: Ticket) {
    p.on_dropped(now, t)
}

#[no_panic]
#[inline(never)]
pub fn pacer_on_response(p: &mut Pacer, now: Instant, t: Ticket, fb: &Feedback<'_>) -> bool {
    p.on_response(now, t, fb).throttled
}

#[no_panic]
#[inline(never)]
pub fn pacer_next_allowed(p: &Pacer, now: Instant) -> Instant {
    p.next_allowed(now)
}

#[no_panic]
#[inline(never)]
pub fn pacer_wait(p: &Pacer, now: Instant) -> Duration {
    p.wait(now)
}

#[no_panic]
#[inline(never)]
pub fn pacer_available(p: &Pacer, now: Instant) -> Capacity {
    p.available(now)
}

#[no_panic]
#[inline(never)]
pub fn pacer_try_acquire(p: &mut Pacer, now: Instant) -> Result<Ticket, Instant> {
    p.try_acquire(now)
}

fn main() {
    let v: &[u8] = black_box(b"120, 120;w=60, 4;w=1");
    all_parsers(v);
    let _ = black_box(retry_after_ms_parse(black_box(v)));
    let _ = black_box(http_date_parse_relative_to(black_box(v), black_box(2026)));
    let _ = black_box(sf_list_validate(black_box(v)));
    black_box(sf_dictionary_count(black_box(v)));
    black_box(sf_parse_item(black_box(v)));
    black_box(sf_params_parse(black_box(v)));
    let headers: [(&[u8], &[u8]); 2] = black_box([
        (b"ratelimit-limit", b"120, 120;w=60, 4;w=1"),
        (b"ratelimit-remaining", b"118"),
    ]);
    let fb = black_box(feedback_from_headers(black_box(Some(429)), &headers));

    if let (Ok(t), Ok(s), Ok(g), Ok(r)) = (
        UnixTime::parse(v),
        DecimalSeconds::parse(v),
        GoDuration::parse(v),
        Rfc3339::parse(v),
    ) {
        black_box(unix_time_durations(t, black_box(0)));
        black_box(vendor_durations(s, g, r, black_box(0)));
    }

    let mut kept = Feedback::new(None);
    feedback_read(
        &mut kept,
        black_box(Some(200)),
        &headers,
        black_box(ReadOptions::new()),
    );
    black_box(&kept);
    let clock = black_box(ReadOptions::new().with_now_unix(0));
    feedback_read(&mut kept, black_box(Some(429)), &headers, clock);
    black_box(&kept);
    let mut limit = Limit::new(0);
    let _ = black_box(limit_parse_in_place(&mut limit, v));
    let _ = black_box(limit_parse_lenient_in_place(&mut limit, v));
    let mut policy = RateLimitPolicy::new();
    let _ = black_box(policy_parse_in_place(&mut policy, v));
    let _ = black_box(policy_parse_lenient_in_place(&mut policy, v));
    let mut ratelimit = RateLimit::list();
    let _ = black_box(ratelimit_parse_in_place(&mut ratelimit, v));
    let _ = black_box(ratelimit_parse_lenient_in_place(&mut ratelimit, v));
    black_box((&limit, &policy, &ratelimit));

    let mut buf = [0u8; 256];
    if let Ok(l) = Limit::<8>::parse(v) {
        let _ = black_box(limit_encode(&l, &mut buf));
        black_box(limit_encoded_len(&l));
    }
    if let Ok(x) = Remaining::parse(v) {
        let _ = black_box(remaining_encode(&x, &mut buf));
    }
    if let Ok(x) = Reset::parse(v) {
        let _ = black_box(reset_encode(&x, &mut buf));
    }
    if let Ok(x) = RateLimitPolicy::<8>::parse(v) {
        let _ = black_box(policy_encode(&x, &mut buf));
    }
    if let Ok(x) = RateLimit::<8>::parse(v) {
        let _ = black_box(ratelimit_encode(&x, &mut buf));
    }
    if let Ok(x) = RetryAfter::parse(v) {
        let _ = black_box(retry_after_encode(&x, &mut buf));
    }
    if let Ok(x) = HttpDate::parse(v) {
        let _ = black_box(http_date_encode(&x, &mut buf));
    }

    let mut p = pacer_new();
    let now = black_box(Instant::from_millis(5));
    let _ = black_box(pacer_declare(
        &mut p,
        PolicyId::window(1),
        black_box(4),
        black_box(Duration::from_secs(1)),
    ));
    let t = pacer_on_sent(&mut p, now);
    black_box(pacer_on_response(&mut p, now, t, &fb));
    let t = pacer_on_sent(&mut p, now);
    pacer_on_dropped(&mut p, now, t);
    black_box(pacer_next_allowed(&p, now));
    black_box(pacer_wait(&p, now));
    black_box(pacer_available(&p, now));
    let _ = black_box(pacer_try_acquire(&mut p, now));
    black_box(&p);
}
