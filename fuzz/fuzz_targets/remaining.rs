//! `RateLimit-Remaining`: strict and lenient parse never panic; what parses round-trips.
#![no_main]

use fuzz_support::check_field;
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::Remaining;

fuzz_target!(|data: &[u8]| {
    let (strict, _) = check_field!(data, Remaining);
    if let Ok(r) = strict {
        assert!(r.get() <= ratelimit_headers::sf::INTEGER_MAX);
    }
    // `FromStr` is the strict parser.
    if let Ok(s) = std::str::from_utf8(data) {
        assert_eq!(s.parse::<Remaining>(), Remaining::parse(data));
    }
});
