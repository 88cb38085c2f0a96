//! The vendor value types on their documented examples and their quirks.

use super::reset::{RFC3339_MAX_MS, RFC3339_MIN_MS};
use super::*;
use crate::encode::EncodeTo;

extern crate std;
use std::string::String;

fn text<T: EncodeTo>(v: &T) -> String {
    let mut buf = [0u8; 64];
    let mut sink = crate::encode::SliceSink {
        buf: &mut buf,
        len: 0,
    };
    v.encode_to(&mut sink).unwrap();
    let n = sink.len;
    String::from(core::str::from_utf8(&buf[..n]).unwrap())
}

#[test]
fn go_canonical_form() {
    let g = |n: u64| GoDuration::new(Duration::from_nanos(n));
    assert_eq!(text(&g(0)), "0s");
    assert_eq!(text(&g(1)), "1ns");
    assert_eq!(text(&g(999)), "999ns");
    assert_eq!(text(&g(1_000)), "1µs");
    assert_eq!(text(&g(1_500)), "1.5µs");
    assert_eq!(text(&g(12_000_000)), "12ms");
    assert_eq!(text(&g(83_333_333)), "83.333333ms");
    assert_eq!(text(&g(1_000_000_000)), "1s");
    assert_eq!(text(&g(360_000_000_000)), "6m0s");
    assert_eq!(text(&g(3_600_000_000_000)), "1h0m0s");
    assert_eq!(text(&g(3_723_500_000_000)), "1h2m3.5s");
    assert_eq!(text(&g(179_560_000_000)), "2m59.56s");
    assert_eq!(
        text(&GoDuration::new(Duration::MAX)),
        "5124095576030431h0m15.999999999s"
    );
}

#[test]
fn go_parse() {
    let p = |s: &str| GoDuration::parse(s.as_bytes()).map(GoDuration::duration);
    assert_eq!(p("0"), Ok(Duration::ZERO));
    assert_eq!(p("+0"), Ok(Duration::ZERO));
    assert_eq!(p("-0"), Ok(Duration::ZERO));
    assert_eq!(p("-0s"), Ok(Duration::ZERO));
    assert_eq!(p("1.s"), Ok(Duration::from_secs(1)));
    assert_eq!(p(".5s"), Ok(Duration::from_millis(500)));
    assert_eq!(p("1s1s"), Ok(Duration::from_secs(2)));
    assert_eq!(p("1h2m3.5s"), Ok(Duration::from_millis(3_723_500)));
    assert_eq!(p("2μs"), Ok(Duration::from_micros(2)));
    assert_eq!(p("2us"), Ok(Duration::from_micros(2)));
    assert_eq!(p("1.0000000001s"), Ok(Duration::new(1, 1)));
    assert_eq!(p("0.1ns"), Ok(Duration::from_nanos(1)));
    assert_eq!(
        p("0.000000000000000000000000000001h"),
        Ok(Duration::from_nanos(1))
    );
    assert_eq!(
        p("99999999999999999999999999999999999999999h"),
        Ok(Duration::MAX)
    );
    let err = |s: &str| GoDuration::parse(s.as_bytes()).map_err(|e| (e.kind(), e.offset()));
    assert_eq!(err("60"), Err((ErrorKind::InvalidDuration, 2)));
    assert_eq!(err("00"), Err((ErrorKind::InvalidDuration, 2)));
    assert_eq!(err("1m30"), Err((ErrorKind::InvalidDuration, 4)));
    assert_eq!(err("1x"), Err((ErrorKind::InvalidDuration, 1)));
    assert_eq!(err("1S"), Err((ErrorKind::InvalidDuration, 1)));
    assert_eq!(err("1sx"), Err((ErrorKind::InvalidDuration, 1)));
    assert_eq!(err("."), Err((ErrorKind::ExpectedDigit, 0)));
    assert_eq!(err("s"), Err((ErrorKind::ExpectedDigit, 0)));
    assert_eq!(err("+"), Err((ErrorKind::ExpectedDigit, 1)));
    assert_eq!(err(""), Err((ErrorKind::Empty, 0)));
    assert_eq!(err(" 1s x"), Err((ErrorKind::UnexpectedByte, 3)));
    assert_eq!(err("-1s"), Err((ErrorKind::Negative, 0)));
    assert_eq!(err("1µ"), Err((ErrorKind::InvalidDuration, 1)));
    let l = GoDuration::parse_lenient(b"-1s").unwrap();
    assert_eq!(l.value.duration(), Duration::ZERO);
    assert!(l.tolerances.contains(Tolerance::NegativeClamped));
    let l = GoDuration::parse_lenient(b"1.5").unwrap();
    assert_eq!(l.value.duration(), Duration::from_millis(1_500));
    assert!(l.tolerances.contains(Tolerance::MissingUnit));
    assert!(GoDuration::parse_lenient(b"1m30").is_err());
    assert!(GoDuration::parse_lenient(b"6m0s").unwrap().is_strict());
}

#[test]
fn rfc3339_forms() {
    let p = |s: &str| Rfc3339::parse(s.as_bytes()).map(Rfc3339::unix_millis);
    assert_eq!(p("2025-08-21T12:40:59Z"), Ok(1_755_780_059_000));
    assert_eq!(p("2025-08-21t12:40:59z"), Ok(1_755_780_059_000));
    assert_eq!(p("2025-08-21T14:40:59+02:00"), Ok(1_755_780_059_000));
    assert_eq!(p("2025-08-21T07:10:59-05:30"), Ok(1_755_780_059_000));
    assert_eq!(p("2025-08-21T12:40:59-00:00"), Ok(1_755_780_059_000));
    assert_eq!(p("2025-08-21T12:40:59.1234Z"), Ok(1_755_780_059_124));
    assert_eq!(p("2016-12-31T23:59:60Z"), Ok(1_483_228_800_000));
    assert_eq!(p("1970-01-01T00:00:00Z"), Ok(0));
    assert_eq!(p("0000-01-01T00:00:00Z"), Ok(RFC3339_MIN_MS));
    assert_eq!(p("9999-12-31T23:59:59.999Z"), Ok(RFC3339_MAX_MS));
    assert_eq!(p("2024-02-29T00:00:00Z"), Ok(1_709_164_800_000));
    let err = |s: &str| Rfc3339::parse(s.as_bytes()).map_err(|e| (e.kind(), e.offset()));
    assert_eq!(
        err("2025-02-29T00:00:00Z"),
        Err((ErrorKind::InvalidTimestamp, 8))
    );
    assert_eq!(
        err("2025-13-01T00:00:00Z"),
        Err((ErrorKind::InvalidTimestamp, 5))
    );
    assert_eq!(
        err("2025-00-01T00:00:00Z"),
        Err((ErrorKind::InvalidTimestamp, 5))
    );
    assert_eq!(
        err("2025-08-21 12:40:59Z"),
        Err((ErrorKind::InvalidTimestamp, 10))
    );
    assert_eq!(
        err("2025-08-21T12:40:59"),
        Err((ErrorKind::InvalidTimestamp, 19))
    );
    assert_eq!(
        err("2025-08-21T24:00:00Z"),
        Err((ErrorKind::InvalidTimestamp, 11))
    );
    assert_eq!(
        err("2025-08-21T12:40:59.Z"),
        Err((ErrorKind::InvalidTimestamp, 20))
    );
    assert_eq!(
        err("9999-12-31T23:59:59.9991Z"),
        Err((ErrorKind::InvalidTimestamp, 0))
    );
    assert_eq!(
        err("0000-01-01T00:00:00+00:01"),
        Err((ErrorKind::InvalidTimestamp, 0))
    );
    assert_eq!(
        err("2025-08-21T12:40:59Zx"),
        Err((ErrorKind::UnexpectedByte, 20))
    );
    let t = Rfc3339::from_unix_millis(1_755_780_059_120).unwrap();
    assert_eq!(text(&t), "2025-08-21T12:40:59.12Z");
    assert_eq!(
        text(&Rfc3339::from_unix_millis(RFC3339_MIN_MS).unwrap()),
        "0000-01-01T00:00:00Z"
    );
    assert_eq!(
        text(&Rfc3339::from_unix_millis(-1).unwrap()),
        "1969-12-31T23:59:59.999Z"
    );
    assert_eq!(Rfc3339::from_unix_millis(RFC3339_MAX_MS + 1), None);
    assert_eq!(Rfc3339::from_unix_seconds(i64::MAX), None);
}

#[test]
fn civil_round_trip() {
    for days in (-719_528..=2_932_896).step_by(97) {
        let (y, m, d) = time::civil_from_days(days);
        assert_eq!(time::days_from_civil(y, m, d), days);
    }
}

#[test]
fn numbers() {
    assert_eq!(
        UnixTime::parse(b"1470173023.123").map(|t| t.subsec_millis()),
        Ok(123)
    );
    let e = UnixTime::parse(b"1470173023.1234").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidDecimal, 14));
    assert_eq!(UnixTime::parse(b"1470173023.").unwrap_err().offset(), 11);
    let l = UnixTime::parse_lenient(b"1.9999").unwrap();
    assert_eq!((l.value.secs(), l.value.subsec_millis()), (2, 0));
    let l = UnixTime::parse_lenient(b"18446744073709551615.9999").unwrap();
    assert_eq!((l.value.secs(), l.value.subsec_millis()), (u64::MAX, 999));
    // The largest instant the type holds is a Duration, with no overflow.
    assert_eq!(l.value.since_epoch(), Duration::new(u64::MAX, 999_000_000));
    assert_eq!(
        UnixTime::from_secs(u64::MAX).delay_from(i64::MIN),
        Duration::MAX
    );
    assert_eq!(text(&UnixTime::from_unix_millis(1_100)), "1.1");
    assert_eq!(text(&DecimalSeconds::from_millis(1_050)), "1.05");
    let e = DecimalSeconds::parse(b"1.0001").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidDecimal, 5));
    let e = DecimalSeconds::parse(b"-1").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::Negative, 0));
    let l = DecimalSeconds::parse_lenient(b"-1.5").unwrap();
    assert_eq!(l.value.duration(), Duration::ZERO);
    assert_eq!(
        DecimalSeconds::from_duration(Duration::MAX).duration(),
        Duration::new(u64::MAX, 999_000_000)
    );
    assert_eq!(
        DecimalSeconds::from_duration(Duration::new(1, 999_000_001)).duration(),
        Duration::from_secs(2)
    );
    assert_eq!(
        text(&DecimalCount::from_milli(u64::MAX)),
        "18446744073709551.615"
    );
    assert_eq!(text(&DecimalCount::from_milli(1_050)), "1.05");
    assert_eq!(
        DecimalCount::parse(b"-1").unwrap_err().kind(),
        ErrorKind::Negative
    );
    assert_eq!(
        Count::parse(b"99999999999999999999999").map(Count::get),
        Ok(u64::MAX)
    );
    let e = CallLimit::parse(b"32").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::UnexpectedByte, 2));
    let e = CallLimit::parse(b"32/").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::ExpectedDigit, 3));
    assert_eq!(CallLimit::parse(b"41/40").map(CallLimit::remaining), Ok(0));
}

#[test]
fn labels_and_words() {
    let e = Label::<8>::parse(b" a b").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::UnexpectedByte, 2));
    let e = Label::<8>::parse("caf\u{e9}".as_bytes()).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::NonAscii, 3));
    assert_eq!(
        Label::<8>::parse(b"  ").unwrap_err().kind(),
        ErrorKind::Empty
    );
    assert_eq!(
        Label::<4>::parse(b"abcd").map(|l| l.as_bytes().len()),
        Ok(4)
    );
    assert_eq!(
        Label::<0>::parse(b"a").unwrap_err().kind(),
        ErrorKind::CapacityExceeded
    );
    assert_eq!(Label::<8>::parse(b"ab"), Label::<8>::new("ab"));
    assert_eq!(DiscordScope::parse(b" user "), Ok(DiscordScope::User));
    assert_eq!(DiscordScope::parse(b"users").unwrap_err().offset(), 0);
    assert_eq!(Flag::parse(b"false"), Ok(Flag::new(false)));
    assert_eq!(Flag::parse(b"").unwrap_err().kind(), ErrorKind::Empty);
    assert_eq!(
        KongPeriod::from_header_suffix(b"YEAR"),
        Some(KongPeriod::Year)
    );
    assert_eq!(KongPeriod::from_header_suffix(b"years"), None);
    assert_eq!(KongPeriod::parse_header_name(b"X-RateLimit-Limit-"), None);
    assert_eq!(
        KongPeriod::parse_header_name(b"X-RateLimit-Reset-Minute"),
        None
    );
    for p in KongPeriod::ALL {
        assert_eq!(
            KongPeriod::parse_header_name(p.limit_header().as_bytes()),
            Some((KongField::Limit, p))
        );
        assert_eq!(
            KongPeriod::parse_header_name(p.remaining_header().as_bytes()),
            Some((KongField::Remaining, p))
        );
    }
}
