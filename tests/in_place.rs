//! The in-place readers (`parse_in_place`, `parse_lenient_in_place`, `Feedback::read_headers`)
//! give exactly what the by-value ones give, whatever the value held before, and leave an
//! empty value on error.

#[path = "common/cases.rs"]
mod cases;

use cases::cases;
use proptest::prelude::*;
use ratelimit_headers::feedback::dialects;
use ratelimit_headers::{Feedback, Limit, RateLimit, RateLimitPolicy};

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

/// The dialect group of a header name (0: read whatever the set).
fn group(name: &str) -> u8 {
    match name.to_ascii_lowercase().as_str() {
        "ratelimit" | "ratelimit-policy" => dialects::IETF_STRUCTURED,
        "ratelimit-limit" | "ratelimit-remaining" | "ratelimit-reset" | "ratelimit-observed" => {
            dialects::IETF_FIELDS
        }
        "retry-after" | "retry-after-ms" | "date" | "age" => 0,
        _ => dialects::VENDOR,
    }
}

/// `read_headers_of::<D>` reads `headers` as `from_headers_at` reads them without the fields
/// of the dialects outside `D`.
fn as_if_absent<const D: u8>(
    headers: &[(&'static str, Vec<u8>)],
    status: Option<u16>,
    clock: Option<i64>,
) -> Result<(), TestCaseError> {
    let kept: Vec<(&'static str, Vec<u8>)> = headers
        .iter()
        .filter(|(n, _)| group(n) == 0 || group(n) & D != 0)
        .cloned()
        .collect();
    let expected: Feedback<'_> = Feedback::from_headers_at(status, lines(&kept), clock);
    let mut fb: Feedback<'_> = Feedback::new(None);
    fb.read_headers_of::<D, _>(status, lines(headers), clock);
    prop_assert_eq!(fb, expected);
    Ok(())
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
        let by_value: Feedback<'_, 3, 2> =
            Feedback::from_headers_at(status, now.iter().copied(), clock);
        let mut kept: Feedback<'_, 3, 2> =
            Feedback::from_headers_at(Some(429), earlier.iter().copied(), Some(1));
        kept.read_headers(status, now.iter().copied(), clock);
        prop_assert_eq!(kept, by_value);
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn a_dialect_set_reads_as_if_the_other_dialects_were_absent(
        h in headers(),
        status in prop::option::of(prop::sample::select(&[200u16, 429][..])),
        clock in prop::option::of(0i64..2_000_000_000),
    ) {
        as_if_absent::<{ dialects::ALL }>(&h, status, clock)?;
        as_if_absent::<{ dialects::IETF }>(&h, status, clock)?;
        as_if_absent::<{ dialects::IETF_FIELDS }>(&h, status, clock)?;
        as_if_absent::<{ dialects::IETF_STRUCTURED }>(&h, status, clock)?;
        as_if_absent::<{ dialects::VENDOR }>(&h, status, clock)?;
        as_if_absent::<{ dialects::IETF_FIELDS | dialects::VENDOR }>(&h, status, clock)?;
        as_if_absent::<0>(&h, status, clock)?;
    }
}
