//! Hostile input: every public parser, and `Feedback::from_headers` under every known header
//! name, is fed random bytes and adversarial shapes (long digit runs, deep repetitions of
//! `,;=` and quotes, thousands of duplicate parameters...) of 0 to 64 KiB.
//!
//! - `no_panic_on_hostile_input` checks that nothing panics (in debug builds this includes
//!   every arithmetic overflow) and that what parses also encodes.
//! - `parsing_time_is_linear` checks that doubling the input at most ~doubles the time, from
//!   4 KiB to 64 KiB. Wall-clock timing is only meaningful with optimisations, so it runs in
//!   release builds (`cargo test --release --test hostile`, a step of `.ci/run`); set
//!   `HOSTILE_REPORT=1` to print every measurement.
//!
//! The inputs come from a small deterministic PRNG (SplitMix64), so a failure reproduces.
#![allow(clippy::indexing_slicing, clippy::unwrap_used)]

use std::hint::black_box;
use std::sync::Mutex;
use std::time::Duration;
#[cfg(not(target_os = "linux"))]
use std::time::Instant;

use ratelimit_headers::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, DiscordScope, Flag, GoDuration, Label, Rfc3339,
    UnixTime,
};
use ratelimit_headers::sf::{self, Dictionary, List, Member, Params};
use ratelimit_headers::{
    Feedback, HttpDate, Limit, RateLimit, RateLimitPolicy, ReadOptions, Remaining, Reset,
    RetryAfter, RetryAfterMs,
};

/// The two tests share the machine's two cores with nothing else of ours: they take turns.
static SERIAL: Mutex<()> = Mutex::new(());

const KIB: usize = 1024;

// ---------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------

/// SplitMix64: small, fast, and good enough to make bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        // The modulo bias is irrelevant here.
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick(&mut self, from: &[u8]) -> u8 {
        from[self.below(from.len())]
    }
}

/// Bytes that mean something to at least one grammar.
const GRAMMAR: &[u8] = b"0123456789,;=\"\\:()?*-+./ \t\r\nawqrtpkAWGMTZhmsu\x7f\x80\xff";

/// An input shape: `len` bytes built from a seed.
type Shape = fn(usize, &mut Rng) -> Vec<u8>;

thread_local! {
    /// Whether shapes repeat their pattern a whole number of times (at most `len` bytes)
    /// rather than cutting it at exactly `len` bytes. The timing test uses whole patterns,
    /// so that every size ends the same way and does the same work per byte.
    static WHOLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `pattern` repeated and cut to `len` bytes (or to whole repetitions, see [`WHOLE`]).
fn repeat(pattern: &[u8], len: usize) -> Vec<u8> {
    let len = if WHOLE.get() {
        len - len % pattern.len()
    } else {
        len
    };
    pattern.iter().copied().cycle().take(len).collect()
}

/// `head`, then `pattern` repeated to make `len` bytes in all (at least `head`), then `tail`.
fn framed(head: &[u8], pattern: &[u8], tail: &[u8], len: usize) -> Vec<u8> {
    let body = len.saturating_sub(head.len() + tail.len());
    let mut v = head.to_vec();
    v.extend(repeat(pattern, body));
    v.extend_from_slice(tail);
    v
}

/// `;k<n>=1` for n = 0, 1, 2, ...: distinct parameter keys (`kaaaa`, `kbaaa`, ...).
fn distinct_params(len: usize) -> Vec<u8> {
    let mut v = b"1".to_vec();
    let mut n = 0u32;
    while v.len() + 8 <= len || (!WHOLE.get() && v.len() < len) {
        v.extend_from_slice(b";k");
        let mut m = n;
        for _ in 0..4 {
            v.push(b'a' + (m % 26) as u8);
            m /= 26;
        }
        v.extend_from_slice(b"=1");
        n += 1;
    }
    v.truncate(len);
    v
}

/// Named shapes: the name says what the bytes look like.
const SHAPES: &[(&str, Shape)] = &[
    ("random bytes", |len, r| {
        (0..len).map(|_| r.next() as u8).collect()
    }),
    ("random grammar bytes", |len, r| {
        (0..len).map(|_| r.pick(GRAMMAR)).collect()
    }),
    ("digits 999...", |len, _| repeat(b"9", len)),
    ("digits 1000...", |len, _| framed(b"1", b"0", b"", len)),
    ("decimal 0.000...1", |len, _| framed(b"0.", b"0", b"1", len)),
    ("negative -999...", |len, _| framed(b"-", b"9", b"", len)),
    ("commas ,,,", |len, _| repeat(b",", len)),
    ("semicolons ;;;", |len, _| repeat(b";", len)),
    ("equals ===", |len, _| repeat(b"=", len)),
    ("mixed ,;=", |len, _| repeat(b",;=", len)),
    ("quotes \"\"\"", |len, _| repeat(b"\"", len)),
    ("escaped quotes \"\\\"...", |len, _| {
        framed(b"\"", b"\\\"", b"", len)
    }),
    ("long string \"aaa...\"", |len, _| {
        framed(b"\"", b"a", b"\"", len)
    }),
    ("spaces then 1", |len, _| framed(b"", b" ", b"1", len)),
    ("tabs then 1", |len, _| framed(b"", b"\t", b"1", len)),
    ("1 then spaces", |len, _| framed(b"1", b" ", b"", len)),
    ("dup params 1;a=1;a=1...", |len, _| {
        framed(b"1", b";a=1", b"", len)
    }),
    ("dup w 1;w=1;w=1...", |len, _| {
        framed(b"1", b";w=1", b"", len)
    }),
    ("dup flags 1;a;a;a...", |len, _| {
        framed(b"1", b";a", b"", len)
    }),
    ("distinct params 1;kaaa=1;kbaa=1...", |len, _| {
        distinct_params(len)
    }),
    ("list 1, 1, 1...", |len, _| repeat(b"1, ", len)),
    ("list 1;w=1, ...", |len, _| repeat(b"1;w=1, ", len)),
    ("empty members 1,,,", |len, _| framed(b"1", b", ", b"", len)),
    ("named \"n\";q=1;w=1, ...", |len, _| {
        repeat(b"\"n\";q=1;w=1, ", len)
    }),
    ("named \"n\";r=1;t=1, ...", |len, _| {
        repeat(b"\"n\";r=1;t=1, ", len)
    }),
    ("dictionary a=1, ...", |len, _| repeat(b"a=1, ", len)),
    ("draft-07 limit=1, remaining=1, reset=1, ...", |len, _| {
        repeat(b"limit=1, remaining=1, reset=1, ", len)
    }),
    ("open parens (((", |len, _| repeat(b"(", len)),
    ("inner list (1 1 1 ...", |len, _| {
        framed(b"(", b"1 ", b")", len)
    }),
    ("byte sequence :AAA...:", |len, _| {
        framed(b":", b"A", b":", len)
    }),
    ("booleans ?1;?1", |len, _| repeat(b"?1;a=?1", len)),
    ("http-date then garbage", |len, _| {
        framed(b"Sun, 06 Nov 1994 08:49:37 GMT", b"GMT ", b"", len)
    }),
    ("http-dates repeated", |len, _| {
        repeat(b"Sun, 06 Nov 1994 08:49:37 GMT, ", len)
    }),
    ("go duration 1h1h1h...", |len, _| repeat(b"1h", len)),
    ("go duration 1.000...1s", |len, _| {
        framed(b"1.", b"0", b"1s", len)
    }),
    ("rfc3339 long fraction", |len, _| {
        framed(b"2024-01-01T00:00:00.", b"9", b"Z", len)
    }),
    ("call limit 1/999...", |len, _| {
        framed(b"1/", b"9", b"", len)
    }),
    ("token *aaa...", |len, _| framed(b"*", b"a", b"", len)),
    ("key-ish a-a-a...", |len, _| repeat(b"a-", len)),
];

// ---------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------

/// An entry point under test: returns something derived from its result so that nothing is
/// optimised away.
type Entry = Box<dyn Fn(&[u8]) -> u64>;

fn ok<T>(r: &Result<T, ratelimit_headers::Error>) -> u64 {
    match r {
        Ok(_) => 1,
        Err(e) => e.offset() as u64 + 2,
    }
}

/// Header names `Feedback::from_headers` knows, each with the value under test.
const HEADER_NAMES: &[&str] = &[
    "RateLimit",
    "RateLimit-Policy",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
    "retry-after-ms",
    "Date",
    "Age",
    "RateLimit-Observed",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Used",
    "X-RateLimit-Resource",
    "X-RateLimit-Reset-After",
    "X-RateLimit-Bucket",
    "X-Rate-Limit-Limit",
    "X-Rate-Limit-Remaining",
    "X-Rate-Limit-Reset",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
    "X-Shopify-Shop-Api-Call-Limit",
    "anthropic-ratelimit-requests-limit",
    "anthropic-ratelimit-requests-remaining",
    "anthropic-ratelimit-requests-reset",
    "anthropic-ratelimit-tokens-limit",
    "anthropic-ratelimit-tokens-remaining",
    "anthropic-ratelimit-tokens-reset",
    "anthropic-ratelimit-input-tokens-limit",
    "anthropic-ratelimit-input-tokens-remaining",
    "anthropic-ratelimit-input-tokens-reset",
    "anthropic-ratelimit-output-tokens-limit",
    "anthropic-ratelimit-output-tokens-remaining",
    "anthropic-ratelimit-output-tokens-reset",
    "X-RateLimit-Limit-Second",
    "X-RateLimit-Remaining-Second",
    "X-RateLimit-Limit-Minute",
    "X-RateLimit-Remaining-Minute",
    "X-RateLimit-Limit-Hour",
    "X-RateLimit-Remaining-Hour",
    "X-RateLimit-Limit-Day",
    "X-RateLimit-Remaining-Day",
    "X-RateLimit-Limit-Month",
    "X-RateLimit-Remaining-Month",
    "X-RateLimit-Limit-Year",
    "X-RateLimit-Remaining-Year",
];

fn summarise(fb: &Feedback<'_>) -> u64 {
    let mut n = fb.policies().len() as u64 + 16 * fb.ignored().len() as u64;
    n += fb.retry_after().map_or(0, |d| d.as_nanos() as u64);
    n
}

/// Every parser's strict and lenient entry point, and `Feedback::from_headers` under each
/// known header name (alone, and beside a `Date` and the other fields of its dialect).
fn parsers() -> Vec<(String, Entry)> {
    macro_rules! both {
        ($v:ident, $($name:literal => $ty:ty),* $(,)?) => {
            $(
                $v.push((concat!($name, "::parse").to_string(),
                    Box::new(|x: &[u8]| ok(&<$ty>::parse(x))) as Entry));
                $v.push((concat!($name, "::parse_lenient").to_string(),
                    Box::new(|x: &[u8]| ok(&<$ty>::parse_lenient(x))) as Entry));
            )*
        };
    }
    macro_rules! in_place {
        ($v:ident, $($name:literal => $ty:ty = $held:expr),* $(,)?) => {
            $(
                $v.push((concat!($name, "::parse_in_place").to_string(),
                    Box::new(|x: &[u8]| { let mut h: $ty = $held; ok(&h.parse_in_place(x, ratelimit_headers::ParseMode::Strict)) })
                        as Entry));
                $v.push((concat!($name, "::parse_lenient_in_place").to_string(),
                    Box::new(|x: &[u8]| { let mut h: $ty = $held; ok(&h.parse_in_place(x, ratelimit_headers::ParseMode::Lenient)) })
                        as Entry));
            )*
        };
    }
    let mut v: Vec<(String, Entry)> = Vec::new();
    both!(v,
        "Limit<8>" => Limit<'_, 8>,
        "Remaining" => Remaining,
        "Reset" => Reset,
        "RateLimitPolicy<8>" => RateLimitPolicy<'_, 8>,
        "RateLimit<8>" => RateLimit<'_, 8>,
        "RetryAfter" => RetryAfter,
        "HttpDate" => HttpDate,
        "Count" => Count,
        "DecimalCount" => DecimalCount,
        "UnixTime" => UnixTime,
        "DecimalSeconds" => DecimalSeconds,
        "GoDuration" => GoDuration,
        "Rfc3339" => Rfc3339,
        "CallLimit" => CallLimit,
        "Label<64>" => Label<64>,
        "DiscordScope" => DiscordScope,
        "Flag" => Flag,
    );
    v.push((
        "RetryAfterMs::parse".into(),
        Box::new(|x: &[u8]| ok(&RetryAfterMs::parse(x))),
    ));
    v.push((
        "HttpDate::parse_relative_to".into(),
        Box::new(|x: &[u8]| ok(&HttpDate::parse_relative_to(x, 2026))),
    ));
    // The in-place forms, into a value that held another.
    in_place!(v,
        "Limit<8>" => Limit<'_, 8> = Limit::new(3),
        "RateLimitPolicy<8>" => RateLimitPolicy<'_, 8> = RateLimitPolicy::new(),
        "RateLimit<8>" => RateLimit<'_, 8> = RateLimit::list(),
    );
    v.push((
        "Limit<1>::parse_lenient".into(),
        Box::new(|x: &[u8]| ok(&Limit::<1>::parse_lenient(x))),
    ));
    v.push((
        "sf::List (every member)".into(),
        Box::new(|x: &[u8]| {
            List::new(x)
                .map(|m| match m {
                    Ok(Member::Item(i)) => 1 + u64::from(i.params.get("a").is_some()),
                    Ok(Member::InnerList(l)) => 3 + l.items().count() as u64,
                    Err(e) => e.offset() as u64,
                })
                .sum()
        }),
    ));
    v.push((
        "sf::List::validate".into(),
        Box::new(|x: &[u8]| ok(&List::validate(x))),
    ));
    v.push((
        "sf::Dictionary (every member)".into(),
        Box::new(|x: &[u8]| {
            Dictionary::new(x)
                .map(|m| match m {
                    Ok((k, _)) => k.len() as u64,
                    Err(e) => e.offset() as u64,
                })
                .sum()
        }),
    ));
    v.push((
        "sf::parse_item".into(),
        Box::new(|x: &[u8]| ok(&sf::parse_item(x))),
    ));
    v.push((
        "sf::Params::parse".into(),
        Box::new(|x: &[u8]| ok(&Params::parse(x))),
    ));
    for name in HEADER_NAMES {
        v.push((
            format!("Feedback::from_headers [{name}]"),
            Box::new(move |x: &[u8]| {
                let fb: Feedback = Feedback::from_headers(Some(429), [(name.as_bytes(), x)]);
                summarise(&fb)
            }),
        ));
    }
    // The value beside the fields it is read with, so the combined paths run too.
    v.push((
        "Feedback::from_headers [every name, same value]".into(),
        Box::new(|x: &[u8]| {
            let fb: Feedback =
                Feedback::from_headers(Some(429), HEADER_NAMES.iter().map(|n| (n.as_bytes(), x)));
            summarise(&fb)
        }),
    ));
    v.push((
        "Feedback::read [Date + RateLimit-Reset, repeated lines, a clock]".into(),
        Box::new(|x: &[u8]| {
            let h: [(&[u8], &[u8]); 5] = [
                (b"date", b"Sun, 06 Nov 1994 08:49:37 GMT"),
                (b"ratelimit-limit", x),
                (b"ratelimit-limit", x),
                (b"ratelimit-reset", x),
                (b"ratelimit-remaining", b"1"),
            ];
            let mut fb: Feedback = Feedback::new(None);
            fb.read(Some(200), h, ReadOptions::new().with_now_unix(784_111_777));
            summarise(&fb)
        }),
    ));
    v.push((
        "Feedback::from_headers [RateLimit + RateLimit-Policy]".into(),
        Box::new(|x: &[u8]| {
            let h: [(&[u8], &[u8]); 2] = [(b"ratelimit-policy", x), (b"ratelimit", x)];
            let fb: Feedback = Feedback::from_headers(Some(429), h);
            summarise(&fb)
        }),
    ));
    v
}

/// What users do with a parsed value: read its parameters, encode it back. Checked for
/// panics (and encode/re-parse consistency) only: see `consumers_time` for their timing.
fn consumers() -> Vec<(String, Entry)> {
    let mut v: Vec<(String, Entry)> = Vec::new();
    v.push((
        "Params::parse + iter".into(),
        Box::new(|x: &[u8]| Params::parse(x).map_or(0, |p| p.iter().count() as u64)),
    ));
    v.push((
        "sf::parse_item + encoded_len".into(),
        Box::new(|x: &[u8]| {
            sf::parse_item(x).map_or(0, |i| {
                use std::fmt::Write;
                let mut s = String::new();
                write!(s, "{}{}", i.bare, i.params).unwrap();
                s.len() as u64
            })
        }),
    ));
    macro_rules! roundtrip {
        ($($name:literal => $ty:ty),* $(,)?) => {
            $(
                v.push((concat!($name, "::parse + encode + parse").to_string(),
                    Box::new(|x: &[u8]| {
                        let Ok(value) = <$ty>::parse(x) else { return 0 };
                        let n = value.encoded_len();
                        let mut buf = vec![0u8; n];
                        assert_eq!(value.encode(&mut buf), Ok(n), "{} {:?}", $name,
                            String::from_utf8_lossy(x));
                        if n > 0 {
                            assert!(value.encode(&mut buf[..n - 1]).is_err());
                        }
                        // The canonical form reads back as the same value.
                        let back = <$ty>::parse(&buf);
                        assert_eq!(back.as_ref(), Ok(&value), "{}: {:?} encoded as {:?}",
                            $name, String::from_utf8_lossy(x), String::from_utf8_lossy(&buf));
                        n as u64
                    }) as Entry));
                v.push((concat!($name, "::parse_lenient + encode").to_string(),
                    Box::new(|x: &[u8]| {
                        let Ok(l) = <$ty>::parse_lenient(x) else { return 0 };
                        let n = l.value.encoded_len();
                        let mut buf = vec![0u8; n];
                        assert_eq!(l.value.encode(&mut buf), Ok(n), "{} {:?}", $name,
                            String::from_utf8_lossy(x));
                        n as u64
                    }) as Entry));
            )*
        };
    }
    roundtrip!(
        "Limit<8>" => Limit<'_, 8>,
        "Remaining" => Remaining,
        "Reset" => Reset,
        "RateLimitPolicy<8>" => RateLimitPolicy<'_, 8>,
        "RateLimit<8>" => RateLimit<'_, 8>,
        "RetryAfter" => RetryAfter,
        "HttpDate" => HttpDate,
    );
    v
}

// ---------------------------------------------------------------------------------------
// Panic-freedom
// ---------------------------------------------------------------------------------------

fn run_all(entries: &[(String, Entry)], input: &[u8], what: &str) {
    for (name, f) in entries {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| black_box(f(input))));
        if r.is_err() {
            let shown: String = String::from_utf8_lossy(&input[..input.len().min(120)]).into();
            panic!(
                "{name} panicked on {what} ({} bytes, starting {shown:?})",
                input.len()
            );
        }
    }
}

#[test]
fn no_panic_on_hostile_input() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let parsers = parsers();
    let consumers = consumers();
    let mut rng = Rng(0x5EED_0001);
    // Every shape at small lengths (all of 0..=40), around powers of two, and up to 64 KiB.
    let mut lens: Vec<usize> = (0..=40).collect();
    lens.extend([
        63,
        64,
        65,
        100,
        255,
        256,
        257,
        1000,
        4 * KIB + 1,
        16 * KIB,
        64 * KIB,
    ]);
    for (shape, make) in SHAPES {
        for &len in &lens {
            let input = make(len, &mut rng);
            run_all(&parsers, &input, shape);
            // Consumers iterate parameters, quadratic in their number: up to 4 KiB here.
            if len <= 4 * KIB + 1 {
                run_all(&consumers, &input, shape);
            }
        }
    }
    // Random bytes and random grammar bytes: many short inputs, where the parsers get
    // furthest before failing.
    for i in 0..3000 {
        let len = rng.below(if i % 10 == 0 { 2048 } else { 48 });
        let input: Vec<u8> = if i % 2 == 0 {
            (0..len).map(|_| rng.pick(GRAMMAR)).collect()
        } else {
            (0..len).map(|_| rng.next() as u8).collect()
        };
        run_all(&parsers, &input, "random input");
        run_all(&consumers, &input, "random input");
    }
    // Valid values with one byte changed.
    let seeds: &[&[u8]] = &[
        b"120, 120;w=60, 4;w=1",
        b"\"default\";q=100;w=60;pk=:cHsdsRa894==:, \"daily\";q=1000;w=86400",
        b"\"default\";r=50;t=30",
        b"limit=100, remaining=50, reset=5",
        b"Sun, 06 Nov 1994 08:49:37 GMT",
        b"Sunday, 06-Nov-94 08:49:37 GMT",
        b"Sun Nov  6 08:49:37 1994",
        b"2024-01-01T00:00:00.123456789+01:00",
        b"1h2m3.5s",
        b"40/40",
        b"1.500",
        b"9223372036854775807",
        b"18446744073709551615",
        b"-9223372036854775808",
    ];
    for seed in seeds {
        for _ in 0..200 {
            let mut input = seed.to_vec();
            let at = rng.below(input.len());
            input[at] = if rng.next().is_multiple_of(2) {
                rng.pick(GRAMMAR)
            } else {
                rng.next() as u8
            };
            run_all(&parsers, &input, "mutated valid value");
            run_all(&consumers, &input, "mutated valid value");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Linear time
// ---------------------------------------------------------------------------------------

/// Input sizes of the timing test: 4 KiB doubling to 64 KiB.
const SIZES: [usize; 5] = [4 * KIB, 8 * KIB, 16 * KIB, 32 * KIB, 64 * KIB];
/// The allowed cost of doubling the input, on average over 4 KiB → 64 KiB (the geometric
/// mean of the four doublings, so the whole range may grow at most 2.2^4 ≈ 23x).
const MAX_RATIO: f64 = 2.2;
/// The allowed cost of any one doubling. A byte loop gets slower per byte once its input
/// no longer fits the L1 data cache: `Rfc3339::parse_lenient` on `1` and spaces measured
/// 0.60 ns/B up to 16 KiB and 0.68 ns/B from 32 KiB on (AMD EPYC, 32 KiB L1d), a 2.27x
/// doubling in a linear parser. One quadratic doubling (~4x) still fails.
const MAX_STEP: f64 = 2.75;
/// Each timed batch repeats the call until it lasts about this long.
const BATCH: Duration = Duration::from_micros(100);
/// Batches per size; the minimum is kept (noise only ever adds time).
const REPS: usize = 7;

/// This thread's CPU time: unlike wall-clock time it does not run while the thread waits
/// for a core, so other processes on a shared machine only add cache and SMT contention.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn cpu_now() -> Duration {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec (two `long`s on 64-bit Linux), and
    // clock_gettime writes nothing else.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Elsewhere: monotonic wall-clock time since the first call.
#[cfg(not(target_os = "linux"))]
fn cpu_now() -> Duration {
    static ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed()
}

/// Nanoseconds per call of `f` in one batch of `iters` calls, taking the copies in turn.
fn batch(f: &Entry, copies: &[Vec<u8>], iters: u32) -> f64 {
    let t = cpu_now();
    for i in 0..iters as usize {
        black_box(f(black_box(&copies[i % copies.len()])));
    }
    (cpu_now() - t).as_nanos() as f64 / f64::from(iters)
}

/// Copies of `input` that together exceed the L1 data cache several times over: taking them
/// in turn, every call reads its input from L2, at every size. Otherwise inputs up to
/// 16 KiB are read from L1 and larger ones are not, and that alone (a constant factor of
/// the hardware) made one doubling cost up to 3.3x in a linear parser (`sf::Dictionary` on
/// `1` and spaces: 0.28 ns/B up to 16 KiB, 0.47 ns/B from 32 KiB, AMD EPYC, 32 KiB L1d).
fn copies(input: &[u8]) -> Vec<Vec<u8>> {
    const SPAN: usize = 256 * KIB;
    vec![input.to_vec(); (SPAN / input.len().max(1)).max(2)]
}

/// How many calls of `f(input)` make a batch of about `BATCH`.
fn calibrate(f: &Entry, copies: &[Vec<u8>]) -> u32 {
    let mut n = 1u32;
    loop {
        let t = cpu_now();
        for i in 0..n as usize {
            black_box(f(black_box(&copies[i % copies.len()])));
        }
        let took = cpu_now() - t;
        if took >= BATCH / 8 || n >= 1 << 24 {
            let per = took.as_nanos().max(1) as f64 / f64::from(n);
            break (BATCH.as_nanos() as f64 / per).clamp(1.0, f64::from(1u32 << 26)) as u32;
        }
        n *= 8;
    }
}

/// The measurements of one entry on one shape at every size.
#[derive(Default)]
struct Series {
    /// Best time per call at each size (ns).
    best: Vec<f64>,
    /// For each doubling, the ratios measured by back-to-back batch pairs.
    pairs: Vec<Vec<f64>>,
}

impl Series {
    /// Measures `REPS` more pairs for every doubling.
    ///
    /// The cost of a doubling is measured as the ratio of two batches run back to back (in
    /// alternating order), so both see the same state of a shared machine: another process
    /// on the sibling hardware thread slows both alike. The median of the pairs is kept.
    fn measure(&mut self, f: &Entry, inputs: &[Vec<u8>]) {
        let inputs: Vec<Vec<Vec<u8>>> = inputs.iter().map(|x| copies(x)).collect();
        let iters: Vec<u32> = inputs.iter().map(|x| calibrate(f, x)).collect();
        self.best.resize(inputs.len(), f64::INFINITY);
        self.pairs.resize(inputs.len() - 1, Vec::new());
        for rep in 0..REPS {
            for step in 0..inputs.len() - 1 {
                let (small, large) = if rep % 2 == 0 {
                    let s = batch(f, &inputs[step], iters[step]);
                    (s, batch(f, &inputs[step + 1], iters[step + 1]))
                } else {
                    let l = batch(f, &inputs[step + 1], iters[step + 1]);
                    (batch(f, &inputs[step], iters[step]), l)
                };
                self.best[step] = self.best[step].min(small);
                self.best[step + 1] = self.best[step + 1].min(large);
                self.pairs[step].push(large / small.max(1.0));
            }
        }
    }

    /// The median pair ratio of each doubling.
    fn ratios(&self) -> Vec<f64> {
        self.pairs
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.sort_by(f64::total_cmp);
                p[p.len() / 2]
            })
            .collect()
    }

    fn worst(&self) -> f64 {
        self.ratios().into_iter().fold(0.0, f64::max)
    }

    /// The average cost of a doubling: the geometric mean of the median pair ratios.
    fn growth(&self) -> f64 {
        let r = self.ratios();
        r.iter().product::<f64>().powf(1.0 / r.len() as f64)
    }

    fn linear(&self) -> bool {
        self.growth() <= MAX_RATIO && self.worst() <= MAX_STEP
    }
}

struct Timing {
    entry: String,
    shape: &'static str,
    series: Series,
}

/// Times every entry on every shape; measures a failing series up to five more times,
/// pooling the pairs.
fn time_all(entries: &[(String, Entry)], sizes: &[usize]) -> Vec<Timing> {
    // The same seed for every size: a random input is a prefix of the next larger one.
    WHOLE.set(true);
    let inputs: Vec<(&'static str, Vec<Vec<u8>>)> = SHAPES
        .iter()
        .map(|(name, make)| {
            let sized = sizes
                .iter()
                .map(|&n| make(n, &mut Rng(0x5EED_0002)))
                .collect();
            (*name, sized)
        })
        .collect();
    let mut out = Vec::new();
    for (entry, f) in entries {
        for (shape, sized) in &inputs {
            let mut series = Series::default();
            series.measure(f, sized);
            for _ in 0..5 {
                if series.linear() {
                    break;
                }
                series.measure(f, sized);
            }
            out.push(Timing {
                entry: entry.clone(),
                shape,
                series,
            });
        }
    }
    out
}

fn report(title: &str, timings: &[Timing]) -> Vec<String> {
    let verbose = std::env::var_os("HOSTILE_REPORT").is_some();
    let row = |t: &Timing| {
        let s = &t.series;
        let best: Vec<String> = s.best.iter().map(|ns| format!("{ns:.0}")).collect();
        let ratios: Vec<String> = s.ratios().iter().map(|r| format!("{r:.2}")).collect();
        format!(
            "| {} | {} | {} | {} | {:.2} | {:.2} |",
            t.entry,
            t.shape,
            best.join(" | "),
            ratios.join(" "),
            s.worst(),
            s.growth(),
        )
    };
    let header = "| entry | shape | ns per call, 4 KiB (consumers: 1 KiB) | x2 | x4 | x8 | x16 \
                  | each doubling | worst | mean |\n|---|---|---|---|---|---|---|---|---|---|";
    if verbose {
        println!("## {title}: every series\n\n{header}");
        for t in timings {
            println!("{}", row(t));
        }
        // Per entry, the shape it grew most on.
        println!("\n## {title}: worst shape per entry\n\n{header}");
        let mut i = 0;
        while i < timings.len() {
            let entry = &timings[i].entry;
            let group: Vec<&Timing> = timings[i..]
                .iter()
                .take_while(|t| &t.entry == entry)
                .collect();
            i += group.len();
            let worst = group
                .iter()
                .max_by(|a, b| a.series.growth().total_cmp(&b.series.growth()))
                .unwrap();
            println!("{}", row(worst));
        }
        println!();
    }
    let failures: Vec<String> = timings
        .iter()
        .filter(|t| !t.series.linear())
        .map(row)
        .collect();
    if !failures.is_empty() {
        println!(
            "## {title}: not linear\n\n{header}\n{}",
            failures.join("\n")
        );
    }
    failures
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "timing needs optimisations: cargo test --release --test hostile"
)]
fn parsing_time_is_linear() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let failures = report("parsers", &time_all(&parsers(), &SIZES));
    assert!(
        failures.is_empty(),
        "doubling the input cost more than {MAX_RATIO}x on average or {MAX_STEP}x once:\n{}",
        failures.join("\n")
    );
}

/// Known to fail below the cap: iterating a `Params` view (and so `encode`, `encoded_len`,
/// `Display` and `==` of every value holding one) compares each key with the others without
/// storage, quadratic in the number of one item's parameters. Parsing caps that number at
/// `sf::MAX_PARAMS` (256, RFC 9651's minimum), which bounds the worst case (about 2.5 ms for
/// a 256-parameter item in release; before the cap, 64 KiB of `1;kaaaa=1;kbaaa=1;...` took
/// `Limit::encoded_len` 2.4 s), but doubling 1 KiB to 2 KiB still costs 4x.
#[test]
#[ignore = "finding: Params consumers are quadratic up to the 256-parameter cap; run by hand"]
fn consumer_time_is_linear() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let sizes = [KIB, 2 * KIB, 4 * KIB, 8 * KIB, 16 * KIB];
    let failures = report("consumers", &time_all(&consumers(), &sizes));
    assert!(
        failures.is_empty(),
        "doubling the input cost more than {MAX_RATIO}x on average or {MAX_STEP}x once:\n{}",
        failures.join("\n")
    );
}
