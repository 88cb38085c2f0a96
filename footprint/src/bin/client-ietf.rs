//! A client of IETF servers only: `Feedback::read` on each response, fed to the pacer. Built
//! with the package feature `ietf` (`select-dialects` with the IETF dialects, the vendor
//! dialects not linked), as `measure.sh` does.
#![no_std]
#![no_main]

footprint::entry!({
    let mut fb = ratelimit_headers::Feedback::new(None);
    footprint::feedback_in_place(&mut fb, core::hint::black_box(429), footprint::headers());
    footprint::pace(&fb)
});
