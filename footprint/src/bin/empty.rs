//! Baseline: the entry point, the panic handler and one opaque input; nothing of the crate.
#![no_std]
#![no_main]

use footprint as _;

footprint::entry!(core::hint::black_box(footprint::input(b"1")));
