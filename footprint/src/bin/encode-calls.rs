//! The IETF field encoders, each called through a wrapper of its own (stack per call; the
//! flash of the encoders is measured by `encode`).
#![no_std]
#![no_main]

use footprint as _;

footprint::entry!(footprint::encoder_calls());
