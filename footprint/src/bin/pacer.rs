//! The pacer: `declare`, `on_sent`, `on_response` (a feedback built by hand), `next_allowed`, `wait`, `available`.
#![no_std]
#![no_main]

use footprint as _;

footprint::entry!(footprint::pace(&footprint::manual_feedback()));
