//! A whole response read into a `Feedback`, against its baselines (feature `http`):
//!
//! | group | ids |
//! |---|---|
//! | `github_map` | `ours` (`Feedback::from_header_map`), `rate_limits` (the `rate-limits` 0.7 crate), on one `http::HeaderMap` with GitHub's `x-ratelimit-*` fields and `Date` |
//! | `seed_12` | `ours` (`Feedback::from_headers`, the seed's three fields among nine ordinary headers), `three_alone` (`Limit`, `Remaining` and `Reset` parsed from their values alone) |
//!
//! `cargo bench --all-features --bench response && python3 benches/ratios.py`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue};
use ratelimit_headers::{Feedback, Limit, Remaining, Reset};

/// GitHub's REST API answer: its four rate-limit fields, `Date`, and what else it sends.
fn github_map() -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in [
        ("date", "Tue, 14 Nov 2023 22:13:20 GMT"),
        ("content-type", "application/json; charset=utf-8"),
        ("x-ratelimit-limit", "5000"),
        ("x-ratelimit-remaining", "4999"),
        ("x-ratelimit-reset", "1700003600"),
        ("x-ratelimit-used", "1"),
        ("x-ratelimit-resource", "core"),
        ("x-github-request-id", "CE01:1F2B:3C4D:5E6F:6553A2A0"),
    ] {
        map.insert(name, HeaderValue::from_static(value));
    }
    map
}

fn bench_github(c: &mut Criterion) {
    let map = github_map();
    let fb: Feedback = Feedback::from_header_map(Some(200), &map);
    assert_eq!(fb.policies()[0].remaining, Some(4999));
    let theirs = rate_limits::RateLimit::new(&map).expect("rate-limits reads GitHub's fields");
    assert_eq!(theirs.remaining(), Some(4999));
    let mut g = c.benchmark_group("github_map");
    g.bench_function("ours", |b| {
        b.iter(|| {
            let fb: Feedback = Feedback::from_header_map(Some(200), black_box(&map));
            black_box(&fb);
        })
    });
    g.bench_function("rate_limits", |b| {
        b.iter(|| black_box(rate_limits::RateLimit::new(black_box(&map))))
    });
    g.finish();
}

/// The seed's response: its three fields among nine ordinary headers.
const SEED_12: [(&[u8], &[u8]); 12] = [
    (b"Date", b"Tue, 14 Nov 2023 22:13:20 GMT"),
    (b"Content-Type", b"image/png"),
    (b"Content-Length", b"48213"),
    (b"Connection", b"keep-alive"),
    (b"Server", b"nginx"),
    (b"RateLimit-Limit", b"120, 120;w=60, 4;w=1"),
    (b"Cache-Control", b"no-store"),
    (b"RateLimit-Remaining", b"118"),
    (b"Vary", b"Accept-Encoding"),
    (b"RateLimit-Reset", b"32"),
    (b"X-Request-Id", b"4f1c2a9e-7b7d-4c53-9d3e-2c1f0a7e9b11"),
    (b"Strict-Transport-Security", b"max-age=31536000"),
];

fn bench_seed(c: &mut Criterion) {
    let fb: Feedback = Feedback::from_headers(Some(200), SEED_12);
    assert_eq!(fb.policies().len(), 2);
    let mut g = c.benchmark_group("seed_12");
    g.bench_function("ours", |b| {
        b.iter(|| {
            let fb: Feedback =
                Feedback::from_headers(Some(200), black_box(&SEED_12).iter().copied());
            black_box(&fb);
        })
    });
    g.bench_function("three_alone", |b| {
        b.iter(|| {
            let limit: Limit = Limit::parse(black_box(b"120, 120;w=60, 4;w=1")).unwrap();
            let remaining = Remaining::parse(black_box(b"118")).unwrap();
            let reset = Reset::parse(black_box(b"32")).unwrap();
            black_box((&limit, remaining, reset));
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
    targets = bench_github, bench_seed
}
criterion_main!(benches);
