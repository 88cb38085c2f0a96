//! Everything: parsers, vendor parsers, encoders, feedback and the pacer.
#![no_std]
#![no_main]

footprint::entry!({
    footprint::parsers();
    footprint::vendor_parsers();
    footprint::encoders();
    let fb = footprint::feedback(core::hint::black_box(429), footprint::headers());
    footprint::pace(&fb)
});
