//! `RateLimit-Reset`: strict and lenient parse never panic; what parses round-trips (a
//! draft-polli-00 date leniently).
#![no_main]

use fuzz_support::check_field;
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::{Reset, Tolerance};

fuzz_target!(|data: &[u8]| {
    let (strict, lenient) = check_field!(data, Reset);
    if let Ok(r) = strict {
        assert!(r.seconds().is_some(), "strict parse gave a date: {r:?}");
    }
    if let Ok(l) = lenient {
        assert_eq!(
            l.value.date().is_some(),
            l.tolerances.contains(Tolerance::ResetAsDate),
            "a date and only a date is flagged ResetAsDate"
        );
        // Relative delays never overflow, whatever the reference.
        if let Some(d) = l.value.date() {
            let _ = l.value.seconds_from(d);
        }
    }
});
