//! The vendor dialect parsers and the Structured Field readers.
#![no_std]
#![no_main]

use footprint as _;

footprint::entry!(footprint::vendor_parsers());
