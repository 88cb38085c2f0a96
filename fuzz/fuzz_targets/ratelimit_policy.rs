//! `RateLimit-Policy`: strict and lenient parse never panic; what parses round-trips.
#![no_main]

use fuzz_support::{check_field, check_in_place};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::RateLimitPolicy;

fuzz_target!(|data: &[u8]| {
    let (strict, _) = check_field!(data, RateLimitPolicy<'_, 2>);
    let (big, _) = check_field!(data, RateLimitPolicy<'_>);
    if let Ok(small) = &strict {
        let big = big
            .as_ref()
            .expect("capacity 8 rejects what capacity 2 accepts");
        assert_eq!(small.policies(), big.policies());
    }
    if let Ok(p) = &big {
        // All named or all unnamed.
        let named = p.policies().iter().filter(|p| p.name().is_some()).count();
        assert!(named == 0 || named == p.policies().len());
    }
    // Into a value that held another: the same result, and emptied on error.
    let held = || RateLimitPolicy::<'_, 2>::parse(b"\"x\";q=1").expect("valid");
    check_in_place!(data, RateLimitPolicy<'_, 2>, held(), RateLimitPolicy::new());
});
