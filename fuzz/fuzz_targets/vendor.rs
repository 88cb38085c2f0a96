//! The vendor value types (X-RateLimit family, Discord, OpenAI, Anthropic, Shopify, Kong...):
//! strict and lenient parse never panic; what parses round-trips; conversions to delays
//! never overflow.
#![no_main]

use std::time::Duration;

use fuzz_support::check_field;
use libfuzzer_sys::fuzz_target;
use ratelimit_headers::HttpDate;
use ratelimit_headers::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, DiscordScope, Flag, GoDuration, KongPeriod,
    Label, Rfc3339, UnixTime,
};

fuzz_target!(|data: &[u8]| {
    let _ = check_field!(data, Count);
    let _ = check_field!(data, DecimalCount);
    let _ = check_field!(data, CallLimit);
    let _ = check_field!(data, Label);
    let _ = check_field!(data, Label<4>);
    let _ = check_field!(data, DiscordScope);
    let _ = check_field!(data, Flag);

    let (_, unix) = check_field!(data, UnixTime);
    let (_, secs) = check_field!(data, DecimalSeconds);
    let (_, go) = check_field!(data, GoDuration);
    let (_, rfc) = check_field!(data, Rfc3339);

    // Delays from extreme reference times saturate instead of overflowing.
    let refs = [i64::MIN, -1, 0, 1_755_780_059, i64::MAX];
    if let Ok(t) = unix {
        for r in refs {
            let _ = t.value.delay_from(r);
        }
        let _ = t.value.since_epoch();
        assert!(t.value.subsec_millis() < 1000);
    }
    if let Ok(t) = rfc {
        for r in refs {
            let _ = t.value.delay_from(r);
        }
        assert!(t.value.subsec_millis() < 1000);
        assert_eq!(
            t.value.unix_millis(),
            t.value.unix_seconds() * 1000 + i64::from(t.value.subsec_millis())
        );
        if let Some(d) = HttpDate::from_unix_seconds(t.value.unix_seconds()) {
            let _ = t.value.delay_from_date(d);
        }
    }
    if let Ok(d) = secs {
        assert_eq!(
            d.value.duration().subsec_nanos() % 1_000_000,
            0,
            "whole milliseconds"
        );
    }
    if let Ok(d) = go {
        let _: Duration = d.value.duration();
    }

    // Kong's header names.
    if let Some((_, period)) = KongPeriod::parse_header_name(data) {
        assert!(period.window_seconds() > 0);
    }
    let _ = KongPeriod::from_header_suffix(data);
});
