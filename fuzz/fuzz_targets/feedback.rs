//! `Feedback::read` (with or without a clock) and `Feedback::from_headers` on an arbitrary set
//! of header lines (see [`lines`]: names mostly the known ones): never panics; the policy and
//! ignored lists stay within capacity; every ignored entry names a header of the input and
//! carries an offset inside one of its values. The result is then given to a pacer, which must
//! not panic either. `read` into a `Feedback` that held another response gives the same result
//! as into a fresh one.
#![no_main]

use fuzz_support::show;
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::pacer::{Config, Instant, Pacer};
use ratelimit_headers::{ErrorKind, Feedback, ReadOptions};

const KNOWN: &[&str] = &[
    "ratelimit",
    "ratelimit-policy",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "retry-after",
    "retry-after-ms",
    "date",
    "age",
    "ratelimit-observed",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
    "x-ratelimit-reset-after",
    "x-ratelimit-bucket",
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
    "x-shopify-shop-api-call-limit",
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
    "x-ratelimit-limit-second",
    "x-ratelimit-remaining-second",
    "x-ratelimit-limit-minute",
    "x-ratelimit-remaining-minute",
    "x-ratelimit-limit-hour",
    "x-ratelimit-remaining-hour",
    "x-ratelimit-limit-day",
    "x-ratelimit-remaining-day",
    "x-ratelimit-limit-month",
    "x-ratelimit-remaining-month",
    "x-ratelimit-limit-year",
    "x-ratelimit-remaining-year",
    "content-type",
    "x-ratelimit-scope",
    "x-ratelimit-global",
];

/// The header lines, from text: `name:value` lines separated by `\n`. A one-byte name picks
/// a known name (`KNOWN[b % len]`, in uppercase when `b >= 0x80`), so that mutations land
/// on real fields most of the time; a longer name is taken as it is.
fn lines(text: &[u8]) -> Vec<(Vec<u8>, &[u8])> {
    text.split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .take(32)
        .map(|line| {
            let (name, value) = match line.iter().position(|b| *b == b':') {
                Some(i) => (&line[..i], &line[i + 1..]),
                None => (line, &b""[..]),
            };
            let name = match name {
                [b] => {
                    let known = KNOWN[usize::from(*b) % KNOWN.len()].as_bytes();
                    if *b >= 0x80 {
                        known.to_ascii_uppercase()
                    } else {
                        known.to_vec()
                    }
                }
                other => other.to_vec(),
            };
            (name, value)
        })
        .collect()
}

fn check<const P: usize, const I: usize>(fb: &Feedback<'_, P, I>, lines: &[(&[u8], &[u8])]) {
    assert!(
        fb.policies().len() <= P,
        "{} policies in capacity {P}",
        fb.policies().len()
    );
    assert!(fb.ignored().len() <= I);
    for ig in fb.ignored() {
        let values: Vec<&[u8]> = lines
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(ig.header))
            .map(|(_, v)| *v)
            .collect();
        assert!(
            lines.iter().any(|(n, _)| *n == ig.header),
            "ignored entry names {} which is not a header of the input ({:?})",
            show(ig.header),
            ig.error
        );
        let longest = values.iter().map(|v| v.len()).max().unwrap_or(0);
        let offset = ig.error.offset();
        match ig.error.kind() {
            // Not a byte offset: the capacity, or nothing.
            ErrorKind::CapacityExceeded => assert!(offset == P || offset <= longest),
            ErrorKind::NeedsClock => assert_eq!(offset, 0),
            ErrorKind::Repeated => assert!(values.len() > 1 && offset <= longest),
            _ => assert!(
                offset <= longest,
                "offset {offset} past every value of {} ({:?})",
                show(ig.header),
                ig.error
            ),
        }
        let _ = ig.error.to_string();
    }
    // A pacer takes whatever the parser produced.
    let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
    let ticket = pacer.on_sent(Instant::from_millis(1));
    let _ = pacer.on_response(Instant::from_millis(2), ticket, fb);
    let _ = pacer.next_allowed(Instant::from_millis(2));
}

fuzz_target!(|data: &[u8]| {
    // Byte 0: the status; byte 1: the caller's clock; then the header lines.
    let [s, c, text @ ..] = data else { return };
    let status = [None, Some(200), Some(429), Some(503), Some(403), Some(0)][usize::from(*s) % 6];
    let now = match c % 4 {
        0 => None,
        1 => Some(1_755_780_000),
        2 => Some(i64::from(*c) * 1_000_000_007 - 100_000_000_000),
        _ => Some(i64::MAX),
    };
    let owned = lines(text);
    let lines: Vec<(&[u8], &[u8])> = owned.iter().map(|(n, v)| (&n[..], *v)).collect();

    let mut options = ReadOptions::new();
    options.now_unix = now;

    let mut fb: Feedback = Feedback::new(None);
    fb.read(status, lines.iter().copied(), options);
    check(&fb, &lines);
    let mut small: Feedback<'_, 2, 1> = Feedback::new(None);
    small.read(status, lines.iter().copied(), options);
    check(&small, &lines);
    let none: Feedback<'_, 1, 0> = Feedback::from_headers(status, lines.iter().copied());
    check(&none, &lines);
    // Read in place over what an earlier response left: the same result.
    let mut kept: Feedback<'_, 2, 1> = Feedback::from_headers(Some(429), EARLIER.iter().copied());
    kept.read(status, lines.iter().copied(), options);
    assert_eq!(
        kept, small,
        "a read over an earlier response differs from a fresh one"
    );
});

/// A response whose reading fills every part of a `Feedback`: policies, an ignored field,
/// tolerances, Retry-After, a cache age.
const EARLIER: [(&[u8], &[u8]); 5] = [
    (b"RateLimit-Limit", b"10, 10;w=1, 100;W=60"),
    (b"RateLimit-Remaining", b"-1"),
    (b"RateLimit-Reset", b"x"),
    (b"Retry-After", b"3"),
    (b"Age", b"5"),
];
