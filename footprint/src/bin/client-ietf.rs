//! A client of IETF servers only: `Feedback::read_headers_of::<{ dialects::IETF }>` on each
//! response (the vendor dialects not linked), fed to the pacer.
#![no_std]
#![no_main]

footprint::entry!({
    let mut fb = ratelimit_headers::Feedback::new(None);
    footprint::feedback_ietf(&mut fb, core::hint::black_box(429), footprint::headers());
    footprint::pace(&fb)
});
