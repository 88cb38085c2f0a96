//! Parse and encode throughput against two baselines: what a typical application writes with
//! `std` (split / trim / `parse::<u64>`, into a `Vec`) and a minimal hand-written byte loop.
//!
//! ```text
//! cargo bench --bench parse && python3 benches/ratios.py
//! ```
//!
//! Groups and ids (the ratios script reads them by these names):
//!
//! | group          | ids                                                     |
//! |----------------|---------------------------------------------------------|
//! | `parse_limit`  | `ours_strict`, `ours_lenient`, `naive_std`, `hand_loop` |
//! | `parse_small`  | `ours_remaining`, `std_parse_u64`                       |
//! | `encode_limit` | `ours_encode`, `std_format`, `ours_display_heapless`    |
//!
//! Inputs pass through `black_box`; a result is kept by `black_box(&out)` rather than returned
//! from the closure: criterion would move a returned value into its own `black_box` slot,
//! a memcpy of the whole value (424 bytes for `Limit<8>`, 216 for the hand loop's) that
//! stalls on store forwarding and would be charged to whichever parser returns more bytes.
//! The parsers' own return-by-value copies are still measured.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use core::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ratelimit_headers::{Limit, QuotaPolicy, Remaining};

const LIMIT: &[u8] = b"120, 120;w=60, 4;w=1";

/// The expected result of parsing [`LIMIT`]: the expiring limit and `(quota, window)` pairs.
const EXPECTED: (u64, &[Policy]) = (120, &[(120, Some(60)), (4, Some(1))]);

/// One quota policy as the baselines return it: `(quota, window)`.
type Policy = (u64, Option<u64>);

/// Baseline (b): what a typical application writes with `std`. Splits on `,`, trims, splits on
/// `;`, `split_once('=')`, `str::parse::<u64>`, collecting the policies into a `Vec`.
fn naive_std(input: &[u8]) -> Option<(u64, Vec<Policy>)> {
    let s = std::str::from_utf8(input).ok()?;
    let mut members = s.split(',').map(str::trim);
    let expiring = members
        .next()?
        .split(';')
        .next()?
        .trim()
        .parse::<u64>()
        .ok()?;
    let mut policies = Vec::new();
    for member in members {
        let mut parts = member.split(';');
        let quota = parts.next()?.trim().parse::<u64>().ok()?;
        let mut window = None;
        for param in parts {
            if let Some((k, v)) = param.split_once('=')
                && k.trim() == "w"
            {
                window = Some(v.trim().parse::<u64>().ok()?);
            }
        }
        policies.push((quota, window));
    }
    Some((expiring, policies))
}

/// Baseline (c): a minimal single pass over the bytes. Digits accumulate into a `u64`; `;w=`
/// is recognised; any other parameter is skipped up to the next `;` or `,`. No validation
/// beyond "a member starts with a digit".
fn hand_loop(input: &[u8]) -> Option<(u64, heapless::Vec<Policy, 8>)> {
    let mut policies: heapless::Vec<Policy, 8> = heapless::Vec::new();
    let mut expiring = None;
    let len = input.len();
    let mut i = 0;
    loop {
        while i < len && (input[i] == b' ' || input[i] == b'\t') {
            i += 1;
        }
        // The member's integer.
        let start = i;
        let mut quota: u64 = 0;
        while i < len && input[i].is_ascii_digit() {
            quota = quota * 10 + u64::from(input[i] - b'0');
            i += 1;
        }
        if i == start {
            return None;
        }
        // Its parameters.
        let mut window = None;
        while i < len && input[i] == b';' {
            i += 1;
            if i + 1 < len && input[i] == b'w' && input[i + 1] == b'=' {
                i += 2;
                let mut w: u64 = 0;
                let s = i;
                while i < len && input[i].is_ascii_digit() {
                    w = w * 10 + u64::from(input[i] - b'0');
                    i += 1;
                }
                if i == s {
                    return None;
                }
                window = Some(w);
            } else {
                while i < len && input[i] != b';' && input[i] != b',' {
                    i += 1;
                }
            }
        }
        if expiring.is_none() {
            expiring = Some(quota);
        } else {
            policies.push((quota, window)).ok()?;
        }
        while i < len && (input[i] == b' ' || input[i] == b'\t') {
            i += 1;
        }
        if i == len {
            return Some((expiring?, policies));
        }
        if input[i] != b',' {
            return None;
        }
        i += 1;
    }
}

/// Checks every parser against [`EXPECTED`], once, outside the timed loops.
fn check_parsers() {
    let ours = Limit::<8>::parse(LIMIT).unwrap();
    let ours_pairs: Vec<_> = ours
        .policies()
        .iter()
        .map(|p| (p.quota(), p.window()))
        .collect();
    assert_eq!((ours.expiring_limit(), &ours_pairs[..]), EXPECTED);

    let lenient = Limit::<8>::parse_lenient(LIMIT).unwrap();
    assert_eq!(lenient.value, ours);
    assert!(lenient.tolerances.is_empty());

    let (e, p) = naive_std(LIMIT).unwrap();
    assert_eq!((e, &p[..]), EXPECTED);

    let (e, p) = hand_loop(LIMIT).unwrap();
    assert_eq!((e, &p[..]), EXPECTED);

    assert_eq!(Remaining::parse(b"118").unwrap().get(), 118);
    assert_eq!("118".parse::<u64>().unwrap(), 118);
}

fn parse_limit(c: &mut Criterion) {
    check_parsers();
    let mut g = c.benchmark_group("parse_limit");
    g.bench_function("ours_strict", |b| {
        b.iter(|| {
            let out = Limit::<8>::parse(black_box(LIMIT));
            black_box(&out);
        })
    });
    g.bench_function("ours_lenient", |b| {
        b.iter(|| {
            let out = Limit::<8>::parse_lenient(black_box(LIMIT));
            black_box(&out);
        })
    });
    g.bench_function("naive_std", |b| {
        b.iter(|| {
            let out = naive_std(black_box(LIMIT));
            black_box(&out);
        })
    });
    g.bench_function("hand_loop", |b| {
        b.iter(|| {
            let out = hand_loop(black_box(LIMIT));
            black_box(&out);
        })
    });
    g.finish();
}

fn parse_small(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse_small");
    g.bench_function("ours_remaining", |b| {
        b.iter(|| black_box(Remaining::parse(black_box(b"118"))))
    });
    g.bench_function("std_parse_u64", |b| {
        b.iter(|| black_box(black_box("118").parse::<u64>()))
    });
    g.finish();
}

fn encode_limit(c: &mut Criterion) {
    let limit: Limit = Limit::new(4)
        .with_policy(QuotaPolicy::new(120, 60))
        .unwrap()
        .with_policy(QuotaPolicy::new(4, 1))
        .unwrap();
    let nums: (u64, u64, u64, u64, u64) = (4, 120, 60, 4, 1);
    let expected = "4, 120;w=60, 4;w=1";

    // Same output from all three, checked once.
    let mut buf = [0u8; 64];
    let n = limit.encode(&mut buf).unwrap();
    assert_eq!(&buf[..n], expected.as_bytes());
    let (a, q1, w1, q2, w2) = nums;
    assert_eq!(format!("{a}, {q1};w={w1}, {q2};w={w2}"), expected);
    let mut s: heapless::String<64> = heapless::String::new();
    write!(s, "{limit}").unwrap();
    assert_eq!(s.as_str(), expected);

    let mut g = c.benchmark_group("encode_limit");
    g.bench_function("ours_encode", |b| {
        b.iter(|| {
            let mut buf = [0u8; 64];
            let n = black_box(&limit).encode(&mut buf);
            black_box(&buf);
            black_box(n)
        })
    });
    g.bench_function("std_format", |b| {
        b.iter(|| {
            let (a, q1, w1, q2, w2) = black_box(nums);
            black_box(format!("{a}, {q1};w={w1}, {q2};w={w2}"))
        })
    });
    g.bench_function("ours_display_heapless", |b| {
        b.iter(|| {
            let mut s: heapless::String<64> = heapless::String::new();
            let r = write!(s, "{}", black_box(&limit));
            black_box(&s);
            black_box(r)
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = parse_limit, parse_small, encode_limit
}
criterion_main!(benches);
