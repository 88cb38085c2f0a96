//! HTTP-date in its three forms: parse never panics; every date encodes as an IMF-fixdate
//! that parses back to it; the two-digit-year rule never overflows.
#![no_main]

use fuzz_support::{check_field, encode};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::HttpDate;

fuzz_target!(|data: &[u8]| {
    // The first two bytes pick a reference year for the RFC 850 form.
    let (year, input) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => (2026, data),
    };
    let (strict, _) = check_field!(input, HttpDate);
    if let Ok(d) = HttpDate::parse_relative_to(input, year) {
        let enc = encode(&d);
        assert_eq!(enc.len(), 29, "IMF-fixdate is 29 bytes");
        assert_eq!(HttpDate::parse(&enc), Ok(d));
        assert_eq!(HttpDate::from_unix_seconds(d.unix_seconds()), Some(d));
        // The reference year only matters for the RFC 850 form.
        if strict.as_ref().is_ok_and(|s| *s != d) {
            assert!(
                input.contains(&b'-'),
                "only RFC 850 dates depend on the reference year"
            );
        }
    }
    if let Ok(d) = strict {
        assert!((1..=9999).contains(&d.year()));
        assert!(d.weekday() < 7);
    }
});
