//! `RateLimit-Limit`: strict and lenient parse never panic; what parses round-trips.
#![no_main]

use fuzz_support::{check_field, check_in_place};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::Limit;

fuzz_target!(|data: &[u8]| {
    // A small capacity reaches `CapacityExceeded`; the default one the common case.
    let (strict, _) = check_field!(data, Limit<'_, 2>);
    let (big, _) = check_field!(data, Limit<'_>);
    // A larger capacity accepts everything a smaller one does, with the same value.
    if let Ok(small) = &strict {
        let big = big
            .as_ref()
            .expect("Limit<8> rejects what Limit<2> accepts");
        assert_eq!(small.expiring_limit(), big.expiring_limit());
        assert_eq!(small.policies(), big.policies());
    }
    // Into a value that held another: the same result, and emptied on error.
    let held = || Limit::<'_, 2>::parse(b"9, 9;w=9").expect("valid");
    check_in_place!(data, Limit<'_, 2>, held(), Limit::new(0));
});
