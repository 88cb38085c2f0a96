//! The in-place readers (`parse_in_place`, `parse_lenient_in_place`, `Feedback::read`)
//! give exactly what the by-value ones give, whatever the value held before, and leave an
//! empty value on error.

#[path = "common/cases.rs"]
mod cases;

use cases::cases;
use proptest::prelude::*;
use ratelimit_headers::{Feedback, Limit, RateLimit, RateLimitPolicy, ReadOptions};

/// Real field values of every list form, each mutated at one place by a byte of the grammar's
/// alphabet (or left whole), so that both the fast path and the general parser, and their
/// errors, are reached.
fn field_value() -> impl Strategy<Value = Vec<u8>> {
    const SEEDS: &[&str] = &[
        "120, 120;w=60, 4;w=1",
        "10",
        "100, , 100;window=60",
        "4, 4;W=1;comment=\"x\"",
        "\"default\";q=100;w=60",
        "\"burst\";q=100;w=60, \"daily\";q=1000;w=86400;qu=\"requests\"",
        "10;w=1, 50;w=60",
        "default;q=5;w=0;pk=:AQID:",
        "\"default\";r=50;t=30",
        "\"a\";r=-1, b;t=3",
        "limit=100, remaining=50, reset=5",
        "limit=100, reset=5, remaining=-2",
        "1, 2;w=1, 3;w=2, 4;w=3",
    ];
    let alphabet: &[u8] = b"0123456789 ,;=wqrt\"\\:-.*?aW\t";
    (
        prop::sample::select(SEEDS),
        prop::option::of((
            any::<prop::sample::Index>(),
            prop::sample::select(alphabet),
            0u8..3,
        )),
    )
        .prop_map(|(seed, edit)| {
            let mut v = seed.as_bytes().to_vec();
            if let Some((at, b, how)) = edit {
                let i = at.index(v.len() + 1);
                match how {
                    0 => v.insert(i, b),
                    1 if i < v.len() => v[i] = b,
                    _ if i < v.len() => {
                        v.remove(i);
                    }
                    _ => v.push(b),
                }
            }
            v
        })
}

/// Checks `parse_in_place` of `$ty`, strict and lenient, against `parse` and
/// `parse_lenient` on `$input`, into a value that held `$held`; `$empty` is what an error
/// leaves.
macro_rules! agrees {
    ($input:expr, $ty:ty, $held:expr, $empty:expr) => {{
        let input: &[u8] = $input;
        let mut v: $ty = $held;
        match (
            <$ty>::parse(input),
            v.parse_in_place(input, ratelimit_headers::ParseMode::Strict),
        ) {
            (Ok(by_value), Ok(t)) => {
                prop_assert_eq!(&v, &by_value);
                prop_assert!(t.is_empty(), "a strict parse tolerates nothing");
            }
            (Err(a), Err(b)) => {
                prop_assert_eq!(a, b);
                prop_assert_eq!(&v, &$empty);
            }
            (a, b) => prop_assert!(false, "parse {:?} but parse_in_place {:?}", a, b),
        }
        let mut v: $ty = $held;
        match (
            <$ty>::parse_lenient(input),
            v.parse_in_place(input, ratelimit_headers::ParseMode::Lenient),
        ) {
            (Ok(by_value), Ok(t)) => {
                prop_assert_eq!(&v, &by_value.value);
                prop_assert_eq!(t, by_value.tolerances);
            }
            (Err(a), Err(b)) => {
                prop_assert_eq!(a, b);
                prop_assert_eq!(&v, &$empty);
            }
            (a, b) => prop_assert!(false, "lenient {:?} but in place {:?}", a, b),
        }
    }};
}

/// Header names a response may carry, and values for them.
fn headers() -> impl Strategy<Value = Vec<(&'static str, Vec<u8>)>> {
    const NAMES: &[&str] = &[
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        "RateLimit-Policy",
        "RateLimit",
        "Retry-After",
        "Date",
        "Age",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "RateLimit-Observed",
        "X-RateLimit-Limit-Minute",
        "X-RateLimit-Remaining-Minute",
        "x-ratelimit-remaining-requests",
        "anthropic-ratelimit-requests-remaining",
        "X-RateLimit-Reset-After",
    ];
    let value = prop_oneof![
        field_value(),
        "(-?[0-9]{1,11}|Sun, 06 Nov 1994 08:49:3[0-9] GMT)".prop_map(String::into_bytes),
    ];
    prop::collection::vec((prop::sample::select(NAMES), value), 0..6)
}

/// Whether this build reads the fields named `name`: every field, unless the Cargo feature
/// `select-dialects` keeps only the families whose `dialect-*` feature is on.
fn read_in_this_build(name: &str) -> bool {
    let selected = |feature: bool| !cfg!(feature = "select-dialects") || feature;
    match name.to_ascii_lowercase().as_str() {
        "ratelimit" | "ratelimit-policy" => selected(cfg!(feature = "dialect-ietf-structured")),
        "ratelimit-limit" | "ratelimit-remaining" | "ratelimit-reset" | "ratelimit-observed" => {
            selected(cfg!(feature = "dialect-ietf-fields"))
        }
        "retry-after" | "retry-after-ms" | "date" | "age" => true,
        _ => selected(cfg!(feature = "dialect-vendor")),
    }
}

/// The options of a read with the caller's clock `clock`, if any.
fn clock_options(clock: Option<i64>) -> ReadOptions {
    let mut options = ReadOptions::new();
    options.now_unix = clock;
    options
}

/// The pairs `Feedback` reads.
fn lines<'a>(h: &'a [(&'static str, Vec<u8>)]) -> Vec<(&'a [u8], &'a [u8])> {
    h.iter().map(|(n, v)| (n.as_bytes(), &v[..])).collect()
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn limit_in_place_agrees(input in field_value()) {
        let held = || Limit::<'_, 2>::parse(b"9, 9;w=9").unwrap();
        agrees!(&input, Limit<'_, 2>, held(), Limit::new(0));
        agrees!(&input, Limit<'_>, Limit::new(3), Limit::new(0));
    }

    #[test]
    fn policy_in_place_agrees(input in field_value()) {
        let held = || RateLimitPolicy::<'_, 2>::parse(b"\"x\";q=1").unwrap();
        agrees!(&input, RateLimitPolicy<'_, 2>, held(), RateLimitPolicy::new());
        agrees!(&input, RateLimitPolicy<'_>, RateLimitPolicy::new(), RateLimitPolicy::new());
    }

    #[test]
    fn ratelimit_in_place_agrees(input in field_value()) {
        let dict = || RateLimit::<'_, 2>::parse(b"limit=1, remaining=1, reset=1").unwrap();
        agrees!(&input, RateLimit<'_, 2>, dict(), RateLimit::list());
        let list = || RateLimit::<'_>::parse(b"\"x\";r=1, \"y\";r=2").unwrap();
        agrees!(&input, RateLimit<'_>, list(), RateLimit::list());
    }

    #[test]
    fn read_headers_agrees_with_from_headers(
        earlier in headers(),
        now in headers(),
        status in prop::option::of(prop::sample::select(&[200u16, 429, 503][..])),
        clock in prop::option::of(0i64..2_000_000_000),
    ) {
        let (earlier, now) = (lines(&earlier), lines(&now));
        // By value: `from_headers` without a clock, a fresh `Feedback` read with one.
        let by_value: Feedback<'_, 3, 2> = match clock {
            None => Feedback::from_headers(status, now.iter().copied()),
            Some(_) => {
                let mut fresh = Feedback::new(status);
                fresh.read(status, now.iter().copied(), clock_options(clock));
                fresh
            }
        };
        let mut kept: Feedback<'_, 3, 2> = Feedback::new(None);
        kept.read(Some(429), earlier.iter().copied(), clock_options(Some(1)));
        kept.read(status, now.iter().copied(), clock_options(clock));
        prop_assert_eq!(kept, by_value);
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// A build that selects its dialects reads a response as if the fields of the others
    /// were absent. Each selection is its own build: run this file with, for example,
    /// `--features select-dialects,dialect-ietf-fields` (every dialect is read without
    /// `select-dialects`, and the property holds trivially).
    #[test]
    fn a_dialect_selection_reads_as_if_the_other_dialects_were_absent(
        h in headers(),
        status in prop::option::of(prop::sample::select(&[200u16, 429][..])),
        clock in prop::option::of(0i64..2_000_000_000),
    ) {
        let kept: Vec<(&'static str, Vec<u8>)> =
            h.iter().filter(|(n, _)| read_in_this_build(n)).cloned().collect();
        let mut expected: Feedback<'_> = Feedback::new(None);
        expected.read(status, lines(&kept), clock_options(clock));
        let mut fb: Feedback<'_> = Feedback::new(None);
        fb.read(status, lines(&h), clock_options(clock));
        prop_assert_eq!(fb, expected);
    }
}
