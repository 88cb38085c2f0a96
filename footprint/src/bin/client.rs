//! A client: `Feedback::from_headers` on each response, fed to the pacer.
#![no_std]
#![no_main]

footprint::entry!({
    let fb = footprint::feedback(core::hint::black_box(429), footprint::headers());
    footprint::pace(&fb)
});
