//! The pacer: `declare`, `on_sent`, `on_response` (a feedback built by hand), `next_allowed`, `wait`, `available`.
#![no_std]
#![no_main]

use footprint as _;

footprint::entry!({
    let mut fb = ratelimit_headers::Feedback::new(Some(core::hint::black_box(200)));
    footprint::manual_feedback(&mut fb);
    footprint::pace(&fb)
});
