//! Inputs found by the fuzz targets in `fuzz/` (each test names its target), kept so that the
//! bugs stay fixed without running a fuzzer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use core::time::Duration;

use ratelimit_headers::field::vendor::DecimalSeconds;
use ratelimit_headers::{
    ErrorKind, Feedback, Limit, Policy, RateLimitPolicy, ReadOptions, RetryAfter, RetryAfterMs,
};

/// `limit`: a strictly valid value whose Boolean `window` parameter made the lenient parser
/// fail (it read every `window` as the draft-polli-00 window and wanted an Integer).
#[test]
fn limit_boolean_window_parameter_is_read_leniently() {
    let input = b"10, 11;window;w=6";
    let strict = Limit::<4>::parse(input).unwrap();
    let lenient = Limit::<4>::parse_lenient(input).unwrap();
    assert!(lenient.is_strict());
    assert_eq!(lenient.value, strict);
    assert_eq!(strict.policies()[0].window(), Some(6));
    assert_eq!(strict.to_string(), "10, 11;w=6;window");

    // A `window` that is not a window is an ordinary parameter; without `w` the policy has
    // no window (tolerated), where it used to be an error.
    let l = Limit::<4>::parse_lenient(b"10, 11;window=-3;w=6").unwrap();
    assert_eq!(l.value, Limit::<4>::parse(b"10, 11;window=-3;w=6").unwrap());
    let l = Limit::<4>::parse_lenient(b"10, 11;window=\"x\"").unwrap();
    assert_eq!(l.value.policies()[0].window(), None);
    // The draft-polli-00 spelling still works.
    let l = Limit::<4>::parse_lenient(b"10, 11;window=60").unwrap();
    assert_eq!(l.value.policies()[0].window(), Some(60));
}

/// `vendor`: decimal seconds past `u64::MAX` saturated at `Duration::MAX` (not a whole number
/// of milliseconds), so the value did not survive encoding.
#[test]
fn decimal_seconds_saturate_at_whole_milliseconds() {
    let top = Duration::new(u64::MAX, 999_000_000);
    let l = DecimalSeconds::parse_lenient(b"0499999999999999999999.9993").unwrap();
    assert_eq!(l.value.duration(), top);
    let s = DecimalSeconds::parse(b"18446744073709551616.5").unwrap();
    assert_eq!(s.duration(), Duration::new(u64::MAX, 500_000_000));
    assert_eq!(DecimalSeconds::parse(s.to_string().as_bytes()), Ok(s));
    let s = DecimalSeconds::parse(b"18446744073709551615.999").unwrap();
    assert_eq!(s.duration(), top);
    // The same reader is behind `Retry-After: 2.5` (capped long before) and retry-after-ms.
    assert_eq!(
        RetryAfterMs::parse(b"18446744073709551615.9").map(|m| m.get()),
        Ok(Duration::from_millis(u64::MAX))
    );
    assert_eq!(
        RetryAfter::parse_lenient(b"99999999999999999999.9").map(|l| l.value),
        Ok(RetryAfter::after_seconds(u64::MAX))
    );
}

/// `roundtrip`: the builders made `RateLimitPolicy` values that the strict parser rejects
/// (repeated unnamed quotas), or that lost data when encoded (`qu` and `pk` on an unnamed
/// policy, `w=0` on a named one).
#[test]
fn policy_builders_make_only_valid_values() {
    let mut list: RateLimitPolicy<'_, 4> = RateLimitPolicy::new();
    list.push(Policy::unnamed(5, 1)).unwrap();
    let e = list.push(Policy::unnamed(5, 60)).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::DuplicateQuota, 1));
    list.push(Policy::unnamed(6, 60)).unwrap();
    assert_eq!(
        RateLimitPolicy::<4>::parse(list.to_string().as_bytes()),
        Ok(list)
    );

    let e = Policy::unnamed(5, 1).with_unit("requests").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongType);
    let e = Policy::unnamed(5, 1)
        .with_partition_key("aGk=")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongType);

    let named = Policy::named("n", 10).unwrap().with_window(0);
    assert_eq!(named.window(), None);
    assert_eq!(named.to_string(), r#""n";q=10"#);
    let list = RateLimitPolicy::<1>::new().with_policy(named).unwrap();
    assert_eq!(
        RateLimitPolicy::<1>::parse(list.to_string().as_bytes()),
        Ok(list)
    );
    // An unnamed policy keeps `w=0`, which its drafts allow.
    assert_eq!(Policy::unnamed(5, 1).with_window(0).window(), Some(0));
}

/// `feedback`: a policy that did not fit was listed as ignored under an empty header name when
/// its dialect's limit field was absent (here: only Anthropic remaining fields).
#[test]
fn ignored_policies_name_a_header_of_the_response() {
    let headers: [(&[u8], &[u8]); 4] = [
        (b"anthropic-ratelimit-requests-remaining", b"1"),
        (b"anthropic-ratelimit-tokens-remaining", b"2"),
        (b"anthropic-ratelimit-input-tokens-remaining", b"3"),
        (
            b"Anthropic-Ratelimit-Output-Tokens-Reset",
            b"2025-08-21T12:40:59Z",
        ),
    ];
    let mut fb: Feedback<'_, 2, 8> = Feedback::new(None);
    fb.read(Some(200), headers, ReadOptions::new().with_now_unix(0));
    assert_eq!(fb.policies().len(), 2);
    let names: Vec<&[u8]> = fb.ignored().iter().map(|i| i.header).collect();
    assert_eq!(
        names,
        [
            &b"anthropic-ratelimit-input-tokens-remaining"[..],
            b"Anthropic-Ratelimit-Output-Tokens-Reset",
        ]
    );
    assert!(
        fb.ignored()
            .iter()
            .all(|i| i.error.kind() == ErrorKind::CapacityExceeded)
    );
}

/// `ratelimit_policy`, `ratelimit`: a repeated parameter (or dictionary member) keeps its last
/// value (RFC 9651 §4.2.3.2, §4.2.2), but every occurrence was checked: the strict parser
/// rejected `w=0;w=60` although the field says `w=60`, and the lenient one read `r=-1;r=5` as
/// 5 *and* over quota (the Feedback then reported -1).
#[test]
fn repeated_parameters_keep_their_last_value() {
    let p = RateLimitPolicy::<2>::parse(br#""N";q=0;w=0;w=60;w=3600"#).unwrap();
    assert_eq!(
        (p.policies()[0].quota(), p.policies()[0].window()),
        (0, Some(3600))
    );
    let p =
        RateLimitPolicy::<2>::parse(br#""N";q=?1;q=5;qu=1;qu="tokens";pk=2;pk=:aGk=:"#).unwrap();
    assert_eq!(p.policies()[0].quota(), 5);
    assert_eq!(p.policies()[0].unit().map(|u| u.raw()), Some("tokens"));
    let e = RateLimitPolicy::<2>::parse(br#""N";q=5;w=60;w=0"#).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::ZeroWindow, 15));
    let e = RateLimitPolicy::<2>::parse(br#""N";q=5;q=-1"#).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::Negative, 10));

    let rl = ratelimit_headers::RateLimit::<2>::parse(br#""a";r=-1;r=5;t=?1;t=2"#).unwrap();
    assert_eq!(
        (rl.items()[0].remaining(), rl.items()[0].reset()),
        (Some(5), Some(2))
    );
    let l = ratelimit_headers::RateLimit::<2>::parse_lenient(br#""a";r=-1;r=5"#).unwrap();
    assert!(l.is_strict());
    assert!(!l.value.items()[0].is_over_quota());
    let l = ratelimit_headers::RateLimit::<2>::parse_lenient(br#""a";r=5;r=-1"#).unwrap();
    assert!(l.value.items()[0].is_over_quota());
    assert_eq!(l.value.items()[0].remaining(), Some(0));

    let d = ratelimit_headers::RateLimit::<0>::parse(
        b"limit=?1, limit=5, remaining=-1, remaining=3, reset=(1), reset=1",
    )
    .unwrap();
    let ratelimit_headers::RateLimit::Dictionary(d) = d else {
        panic!("a dictionary")
    };
    assert_eq!((d.limit(), d.remaining(), d.reset()), (5, Some(3), 1));
    let headers: [(&[u8], &[u8]); 1] =
        [(b"RateLimit", b"limit=5, remaining=-1, remaining=3, reset=1")];
    let fb: Feedback = Feedback::from_headers(Some(200), headers);
    assert_eq!(fb.policies()[0].remaining, Some(3));

    let limit = Limit::<2>::parse(b"10, 11;w=-1;w=6").unwrap();
    assert_eq!(limit.policies()[0].window(), Some(6));
    let e = Limit::<2>::parse(b"10, 11;w=6;w=-1").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::Negative, 13));
}

/// `http_date`: the RFC 850 two-digit year overflowed `u16` for a reference year near
/// `u16::MAX` (a panic with overflow checks on).
#[test]
fn rfc850_year_with_a_huge_reference_year() {
    let d = b"Sunday, 06-Nov-94 08:49:37 GMT";
    for year in [u16::MAX, 65_499, 9_999, 0] {
        let _ = ratelimit_headers::HttpDate::parse_relative_to(d, year);
    }
    assert_eq!(
        ratelimit_headers::HttpDate::parse_relative_to(d, u16::MAX)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidDate
    );
}

/// `differential_sfv`: partial base64 padding (`:aGVsb8=:`, one `=` where two complete the
/// quantum) was rejected; RFC 9651 §4.2.7 has parsers synthesise missing padding, and sfv
/// accepts it. Padding beyond what the length needs is still an error.
#[test]
fn byte_sequences_with_partial_padding() {
    use ratelimit_headers::sf::{self, BareItem};
    let item = sf::parse_item(b":aGVsb8=:").unwrap();
    assert_eq!(item.bare.to_string(), ":aGVsbw==:");
    assert!(matches!(item.bare, BareItem::ByteSequence(b) if b.decoded_len() == 4));
    assert!(sf::parse_item(b":aGV=:").is_ok());
    let e = sf::parse_item(b":aGVs=:").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidByteSequence, 5));
    let e = sf::parse_item(b":aG===:").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidByteSequence, 5));
    assert!(sf::parse_item(b":a=:").is_err());
}

/// `ratelimit`: inner lists compared their raw bytes, so a `RateLimit` dictionary with an
/// unknown inner-list member (`foo=(051)`) did not equal its own canonical form (`foo=(51)`).
#[test]
fn inner_lists_compare_by_value() {
    use ratelimit_headers::RateLimit;
    use ratelimit_headers::sf::List;
    let a = RateLimit::<0>::parse(b"limit=100, foo=(051);a, reset=2").unwrap();
    let text = a.to_string();
    let b = RateLimit::<0>::parse(text.as_bytes()).unwrap();
    assert_eq!(a.to_string(), "limit=100, reset=2, foo=(51);a");
    assert_eq!(a, b);
    let spaced: Vec<_> = List::new(b"( 1  2 );x").collect();
    let tight: Vec<_> = List::new(b"(1 2);x").collect();
    assert_eq!(spaced, tight);
    let other: Vec<_> = List::new(b"(1 3);x").collect();
    assert_ne!(spaced, other);
}
