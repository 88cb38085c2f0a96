//! The IETF field encoders.
#![no_std]
#![no_main]

use footprint as _;

footprint::entry!(footprint::encoders());
