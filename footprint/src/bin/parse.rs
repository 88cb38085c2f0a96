//! The IETF field parsers, strict and lenient.
#![no_std]
#![no_main]

use footprint as _;

footprint::entry!(footprint::parsers());
