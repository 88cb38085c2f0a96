//! `Retry-After` and `retry-after-ms`: parse never panics; what parses round-trips.
//!
//! A lenient decimal delay (`2.5`) is kept to the millisecond but written as whole seconds
//! rounded up ("a wait must not get shorter"), so its round trip is checked as: the value read
//! back is the original rounded up to the second.
#![no_main]

use std::time::Duration;

use fuzz_support::{check_error, check_field, encode, show};
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::field::retry_after::MAX_DELAY_SECONDS;
use ratelimit_headers::{RetryAfter, RetryAfterMs, Tolerance, Tolerances};

fuzz_target!(|data: &[u8]| {
    let (strict, lenient) = check_field!(data, RetryAfter, |_v: &RetryAfter, t: &Tolerances| {
        t.contains(Tolerance::DecimalSeconds)
    });
    let cap = Duration::from_secs(MAX_DELAY_SECONDS);
    if let Ok(RetryAfter::Delay(d)) = strict {
        assert_eq!(d.subsec_nanos(), 0, "strict delays are whole seconds");
        assert!(d <= cap);
    }
    if let Ok(l) = lenient
        && let RetryAfter::Delay(d) = l.value
    {
        assert!(d <= cap, "delay {d:?} above the cap");
        assert_eq!(d.subsec_nanos() % 1_000_000, 0, "kept to the millisecond");
        let back = RetryAfter::parse_lenient(&encode(&l.value)).map(|b| b.value);
        let up = Duration::from_secs(d.as_secs() + u64::from(d.subsec_nanos() > 0));
        assert_eq!(back, Ok(RetryAfter::Delay(up)), "rounded up to the second");
    }

    match RetryAfterMs::parse(data) {
        Ok(ms) => {
            let enc = encode(&ms);
            assert_eq!(
                RetryAfterMs::parse(&enc),
                Ok(ms),
                "retry-after-ms round trip through {}",
                show(&enc)
            );
            assert_eq!(ms.get().subsec_nanos() % 1_000_000, 0, "whole milliseconds");
        }
        Err(e) => check_error(&e, data),
    }
});
