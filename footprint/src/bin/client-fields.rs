//! A client of servers that send `RateLimit-Limit`, `-Remaining` and `-Reset` (with
//! `Retry-After`): `Feedback::read` on each response, fed to the pacer. Built with the package
//! feature `ietf-fields` (`select-dialects` with `dialect-ietf-fields` only), as `measure.sh`
//! does.
#![no_std]
#![no_main]

footprint::entry!({
    let mut fb = ratelimit_headers::Feedback::new(None);
    footprint::feedback_in_place(&mut fb, core::hint::black_box(429), footprint::headers());
    footprint::pace(&fb)
});
