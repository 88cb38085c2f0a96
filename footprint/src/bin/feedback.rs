//! `Feedback::from_headers` (with every parser it uses).
#![no_std]
#![no_main]

use footprint as _;

footprint::entry!(footprint::read_feedback());
