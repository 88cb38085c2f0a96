//! The IETF list/dictionary fields, Retry-After and `Feedback` allocate nothing: a counting
//! global allocator watches every call.

use ratelimit_headers::{
    Feedback, HttpDate, Policy, RateLimit, RateLimitPolicy, ReadOptions, RetryAfter, RetryAfterMs,
    ServiceLimit,
};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations;

#[test]
fn the_counter_is_live() {
    let (n, v) = allocations(|| std::hint::black_box(vec![1u8; 32]));
    assert!(n >= 1, "the counting allocator saw no allocation");
    drop(v);
}

#[test]
fn new_fields_parse_and_encode_without_allocating() {
    let mut buf = [0u8; 256];
    for input in [
        &br#""burst";q=100;w=60;qu="requests";pk=:cHsdsRa894==:, "daily";q=1000;w=86400"#[..],
        b"10;w=1, 50;w=60",
        b"quota;q=100;w=1",
        b"10;w=1, 10;w=60",
    ] {
        let (n, r) = allocations(|| RateLimitPolicy::<8>::parse(input));
        assert_eq!(n, 0);
        let (n, l) = allocations(|| RateLimitPolicy::<8>::parse_lenient(input));
        assert_eq!(n, 0);
        if let Ok(v) = r
            .as_ref()
            .map_err(|_| ())
            .or(l.as_ref().map(|l| &l.value).map_err(|_| ()))
        {
            let (n, _) = allocations(|| v.encode(&mut buf));
            assert_eq!(n, 0);
        }
    }
    for input in [
        &br#""default";r=50;t=30, "daily";r=1000;t=36000"#[..],
        b"limit=100, remaining=50, reset=5, acme-scope=user",
        b"default;t=1",
        br#""default";r=-1;t=1"#,
    ] {
        let (n, r) = allocations(|| RateLimit::<8>::parse_lenient(input));
        assert_eq!(n, 0);
        if let Ok(v) = r {
            let (n, _) = allocations(|| v.value.encode(&mut buf));
            assert_eq!(n, 0);
            let (n, _) = allocations(|| v.value.encoded_len());
            assert_eq!(n, 0);
        }
    }
    for input in [
        &b"120"[..],
        b"Sun, 06 Nov 1994 08:49:37 GMT",
        b"Sunday, 06-Nov-94 08:49:37 GMT",
        b"Sun Nov  6 08:49:37 1994",
        b"2.0",
    ] {
        let (n, r) = allocations(|| RetryAfter::parse_lenient(input));
        assert_eq!(n, 0);
        let (n, _) = allocations(|| r.map(|r| r.value.encode(&mut buf)));
        assert_eq!(n, 0);
        let (n, _) = allocations(|| HttpDate::parse(input));
        assert_eq!(n, 0);
    }
    let (n, _) = allocations(|| RetryAfterMs::parse(b"1500.5").map(|v| v.encode(&mut buf)));
    assert_eq!(n, 0);
    let (n, r) = allocations(|| {
        let p = Policy::named("hour", 1000)?.with_window(3600);
        let v: RateLimitPolicy = RateLimitPolicy::new().with_policy(p)?;
        let l: RateLimit =
            RateLimit::list().with_item(ServiceLimit::named("hour")?.with_remaining(5))?;
        Ok::<_, ratelimit_headers::Error>(v.encode(&mut buf)? + l.encoded_len())
    });
    assert_eq!(n, 0);
    assert!(r.is_ok());
}

#[test]
fn feedback_from_headers_allocates_nothing() {
    type Headers<'a> = &'a [(&'a [u8], &'a [u8])];
    let responses: &[(u16, Headers<'_>)] = &[
        (
            429,
            &[
                (b"RateLimit-Limit", b"4, 120;w=60, 4;w=1"),
                (b"RateLimit-Remaining", b"-1"),
                (b"RateLimit-Reset", b"1"),
            ],
        ),
        (
            200,
            &[
                (b"Date", b"Mon, 05 Aug 2019 09:27:00 GMT"),
                (
                    b"RateLimit-Policy",
                    br#""hour";q=1000;w=3600, "day";q=5000;w=86400"#,
                ),
                (b"RateLimit", br#""day";r=100;t=36000"#),
                (b"RateLimit", br#""hour";r=10;t=60"#),
                (b"Retry-After", b"Mon, 05 Aug 2019 09:27:05 GMT"),
                (b"Age", b"0"),
                (b"Content-Type", b"application/json"),
            ],
        ),
        (
            200,
            &[
                (b"RateLimit-Policy", b"5;w=60"),
                (b"RateLimit", b"limit=5, remaining=4, reset=60"),
                (b"RateLimit-Remaining", b"oops"),
            ],
        ),
    ];
    for (status, headers) in responses {
        let (n, fb) = allocations(|| {
            let fb: Feedback = Feedback::from_headers(Some(*status), headers.iter().copied());
            fb
        });
        assert_eq!(n, 0, "status {status}");
        assert!(!fb.policies().is_empty());
        // Into a Feedback kept from an earlier response.
        let mut kept: Feedback = Feedback::from_headers(Some(429), responses[0].1.iter().copied());
        let (n, ()) = allocations(|| {
            kept.read(Some(*status), headers.iter().copied(), ReadOptions::new());
        });
        assert_eq!(n, 0, "read, status {status}");
        assert_eq!(kept, fb);
    }
}
