//! A client of servers that send `RateLimit-Limit`, `-Remaining` and `-Reset` (with
//! `Retry-After`): `Feedback::read_headers_of::<{ dialects::IETF_FIELDS }>` on each response,
//! fed to the pacer.
#![no_std]
#![no_main]

footprint::entry!({
    let mut fb = ratelimit_headers::Feedback::new(None);
    footprint::feedback_fields(&mut fb, core::hint::black_box(429), footprint::headers());
    footprint::pace(&fb)
});
