//! Parsing and encoding allocate nothing: a counting global allocator watches every call.

use ratelimit_headers::sf::{Dictionary, List, Params};
use ratelimit_headers::{HttpDate, Limit, QuotaPolicy, Remaining, Reset};

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
fn parse_and_parse_lenient_allocate_nothing() {
    let limits: &[&[u8]] = &[
        b"120, 120;w=60, 4;w=1",
        b"4, 120;w=60, 4;w=1",
        b"100, 100;w=60;burst=1000;comment=\"sliding \\\"window\\\"\", 5000;w=3600;pk=:cHsdsRa894==:",
        b"10, , 10;W=1 ; x=?0",
        b"10, 10;window=1;name=\"per-ip\", 1000;window=3600",
        b"10, 10;w=1;w=oops",
        b"99999999999999999999, 1;w=1",
    ];
    for input in limits {
        let (n, r) = allocations(|| Limit::<8>::parse(std::hint::black_box(input)));
        assert_eq!(n, 0, "Limit::parse({:?})", String::from_utf8_lossy(input));
        let (n, l) = allocations(|| Limit::<8>::parse_lenient(std::hint::black_box(input)));
        assert_eq!(
            n,
            0,
            "Limit::parse_lenient({:?})",
            String::from_utf8_lossy(input)
        );
        // Reading parameters is also allocation-free.
        let (n, count) = allocations(|| {
            let mut count = 0;
            if let Ok(l) = &l {
                for p in l.value.policies() {
                    count += p.params().iter().count();
                    count += usize::from(p.params().get("name").is_some());
                }
            }
            if let Ok(l) = &r {
                count += l.policies().len();
            }
            count
        });
        assert_eq!(n, 0);
        std::hint::black_box(count);
    }
    for input in [
        &b"118"[..],
        b"-1",
        b"007",
        b"  42  ",
        b"1\xff",
        b"1.5",
        b"50;foo=bar",
    ] {
        let (n, _) = allocations(|| Remaining::parse(std::hint::black_box(input)));
        assert_eq!(n, 0);
        let (n, _) = allocations(|| Remaining::parse_lenient(std::hint::black_box(input)));
        assert_eq!(n, 0);
        let (n, _) = allocations(|| Reset::parse(std::hint::black_box(input)));
        assert_eq!(n, 0);
        let (n, _) = allocations(|| Reset::parse_lenient(std::hint::black_box(input)));
        assert_eq!(n, 0);
    }
    let (n, _) = allocations(|| Reset::parse_lenient(b"Tue, 15 Nov 1994 08:12:31 GMT"));
    assert_eq!(n, 0);
    let (n, _) = allocations(|| HttpDate::parse(b"Sun, 06 Nov 1994 08:49:37 GMT"));
    assert_eq!(n, 0);
    let (n, count) = allocations(|| {
        List::new(br#""default";r=50;t=30, "daily";r=1000;t=36000, (a b);c"#).count()
            + Dictionary::new(b"limit=100, remaining=50, reset=5").count()
    });
    assert_eq!((n, count), (0, 6));
}

#[test]
fn encode_allocates_nothing() {
    let limit: Limit = Limit::new(4)
        .with_policy(QuotaPolicy::new(120, 60))
        .unwrap()
        .with_policy(
            QuotaPolicy::new(4, 1).with_params(Params::parse(b";name=\"per-ip\"").unwrap()),
        )
        .unwrap();
    let mut buf = [0u8; 128];
    let (n, r) = allocations(|| limit.encode(&mut buf));
    assert_eq!(n, 0);
    assert_eq!(&buf[..r.unwrap()], b"4, 120;w=60, 4;w=1;name=\"per-ip\"");
    let (n, len) = allocations(|| limit.encoded_len());
    assert_eq!((n, len), (0, b"4, 120;w=60, 4;w=1;name=\"per-ip\"".len()));
    let (n, _) = allocations(|| limit.encode(&mut buf[..3]));
    assert_eq!(n, 0);
    let (n, r) = allocations(|| Remaining::new(118).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(3)));
    let (n, r) = allocations(|| Reset::after_seconds(32).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(2)));
    let date = HttpDate::from_unix_seconds(784_887_151).unwrap();
    let (n, r) = allocations(|| Reset::At(date).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(29)));
    // Display into a fixed buffer does not allocate either.
    let (n, ok) = allocations(|| {
        use core::fmt::Write;
        let mut s = heapless::String::<64>::new();
        write!(s, "{limit}").is_ok() && s.as_str() == "4, 120;w=60, 4;w=1;name=\"per-ip\""
    });
    assert_eq!((n, ok), (0, true));
}

#[test]
fn vendor_values_allocate_nothing() {
    use core::time::Duration;
    use ratelimit_headers::field::vendor::{
        CallLimit, Count, DecimalCount, DecimalSeconds, DiscordScope, Flag, GoDuration, KongPeriod,
        Label, Rfc3339, UnixTime,
    };

    let inputs: &[&[u8]] = &[
        b"4999",
        b"-1",
        b"599.0",
        b"599.1234",
        b"1470173023.123",
        b"1470173023.1234",
        b"64.57",
        b"6m0s",
        b"2m59.56s",
        b"83.333333ms",
        "500\u{b5}s".as_bytes(),
        "2\u{3bc}s".as_bytes(),
        b"-1s",
        b"60",
        b"2025-08-21T12:40:59Z",
        b"2025-08-21T14:40:59.5+02:00",
        b"Thu, 21 Aug 2025 12:40:59 GMT",
        b"32/40",
        b"core",
        b"shared",
        b"true",
        b"  \xff garbage \x00",
        b"",
    ];
    for input in inputs {
        let input = std::hint::black_box(*input);
        let (n, _) = allocations(|| {
            (
                Count::parse(input).is_ok(),
                Count::parse_lenient(input).is_ok(),
                DecimalCount::parse(input).is_ok(),
                DecimalCount::parse_lenient(input).is_ok(),
                UnixTime::parse(input).is_ok(),
                UnixTime::parse_lenient(input).is_ok(),
                DecimalSeconds::parse(input).is_ok(),
                DecimalSeconds::parse_lenient(input).is_ok(),
                GoDuration::parse(input).is_ok(),
                GoDuration::parse_lenient(input).is_ok(),
                Rfc3339::parse(input).is_ok(),
                Rfc3339::parse_lenient(input).is_ok(),
            )
        });
        assert_eq!(n, 0, "vendor parse of {:?}", String::from_utf8_lossy(input));
        let (n, _) = allocations(|| {
            (
                CallLimit::parse(input).is_ok(),
                CallLimit::parse_lenient(input).is_ok(),
                Label::<64>::parse(input).is_ok(),
                Label::<64>::parse_lenient(input).is_ok(),
                DiscordScope::parse(input).is_ok(),
                DiscordScope::parse_lenient(input).is_ok(),
                Flag::parse(input).is_ok(),
                Flag::parse_lenient(input).is_ok(),
                KongPeriod::from_header_suffix(input),
                KongPeriod::parse_header_name(input),
            )
        });
        assert_eq!(n, 0, "vendor parse of {:?}", String::from_utf8_lossy(input));
    }

    let mut buf = [0u8; 64];
    let go = GoDuration::new(Duration::from_nanos(83_333_333));
    let (n, r) = allocations(|| go.encode(&mut buf));
    assert_eq!((n, r), (0, Ok(11)));
    let micro = GoDuration::new(Duration::from_micros(500));
    let (n, r) = allocations(|| micro.encode(&mut buf));
    assert_eq!((n, r), (0, Ok(6)));
    let (n, r) = allocations(|| UnixTime::from_unix_millis(1_470_173_023_123).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(14)));
    let (n, r) = allocations(|| DecimalSeconds::from_millis(64_570).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(5)));
    let (n, r) = allocations(|| DecimalCount::from_whole(599).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(5)));
    let (n, r) = allocations(|| Count::new(4999).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(4)));
    let t = Rfc3339::from_unix_seconds(1_755_780_059).unwrap();
    let (n, r) = allocations(|| t.encode(&mut buf));
    assert_eq!((n, r), (0, Ok(20)));
    let (n, r) = allocations(|| CallLimit::new(32, 40).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(5)));
    let label = Label::<64>::new("core").unwrap();
    let (n, r) = allocations(|| label.encode(&mut buf));
    assert_eq!((n, r), (0, Ok(4)));
    let (n, r) = allocations(|| DiscordScope::Shared.encode(&mut buf));
    assert_eq!((n, r), (0, Ok(6)));
    let (n, r) = allocations(|| Flag::new(true).encode(&mut buf));
    assert_eq!((n, r), (0, Ok(4)));
    let (n, r) = allocations(|| go.encode(&mut buf[..3]));
    assert_eq!(
        (n, r.map_err(|e| e.kind())),
        (0, Err(ratelimit_headers::ErrorKind::BufferTooSmall))
    );
    let (n, len) = allocations(|| {
        go.encoded_len() + micro.encoded_len() + t.encoded_len() + label.encoded_len()
    });
    assert_eq!((n, len), (0, 11 + 6 + 20 + 4));
    // Display into a fixed buffer, including the non-ASCII micro sign.
    let (n, ok) = allocations(|| {
        use core::fmt::Write;
        let mut s = heapless::String::<64>::new();
        write!(s, "{go} {micro} {t} {label}").is_ok()
            && s.as_str() == "83.333333ms 500\u{b5}s 2025-08-21T12:40:59Z core"
    });
    assert_eq!((n, ok), (0, true));
    let (n, _) = allocations(|| {
        let d = UnixTime::from_secs(1_705_420_860).delay_from(1_705_420_800);
        let e = t.delay_from(0);
        (d, e, KongPeriod::Month.window())
    });
    assert_eq!(n, 0);
}

#[test]
fn parse_in_place_allocates_nothing() {
    use ratelimit_headers::{RateLimit, RateLimitPolicy};
    let inputs: &[&[u8]] = &[
        b"120, 120;w=60, 4;w=1",
        b"10, , 10;W=1 ; x=?0",
        b"\"default\";q=100;w=60;qu=\"requests\";pk=:AQID:",
        b"10;w=1, 50;w=60",
        b"\"a\";r=-1, b;t=3",
        b"limit=100, remaining=50, reset=5",
        b"oops",
    ];
    let mut limit = Limit::<8>::new(0);
    let mut policy = RateLimitPolicy::<8>::new();
    let mut ratelimit = RateLimit::<8>::list();
    for input in inputs {
        let input = std::hint::black_box(*input);
        let (n, _) = allocations(|| {
            (
                limit
                    .parse_in_place(input, ratelimit_headers::ParseMode::Strict)
                    .is_ok(),
                limit
                    .parse_in_place(input, ratelimit_headers::ParseMode::Lenient)
                    .is_ok(),
                policy
                    .parse_in_place(input, ratelimit_headers::ParseMode::Strict)
                    .is_ok(),
                policy
                    .parse_in_place(input, ratelimit_headers::ParseMode::Lenient)
                    .is_ok(),
                ratelimit
                    .parse_in_place(input, ratelimit_headers::ParseMode::Strict)
                    .is_ok(),
                ratelimit
                    .parse_in_place(input, ratelimit_headers::ParseMode::Lenient)
                    .is_ok(),
            )
        });
        assert_eq!(n, 0, "in place: {:?}", String::from_utf8_lossy(input));
    }
}
