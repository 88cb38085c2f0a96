//! Read, write and obey HTTP rate-limit header fields — `no_std`, with no allocation.
//!
//! Servers announce their quota in header fields such as
//!
//! ```text
//! RateLimit-Limit: 120, 120;w=60, 4;w=1
//! RateLimit-Remaining: 118
//! RateLimit-Reset: 32
//! ```
//!
//! (120 requests per 60 s and 4 per second; the first number is the limit closest to running
//! out; 118 left; the window resets in 32 s). This crate parses and formats those values:
//!
//! ```
//! use ratelimit_headers::{Limit, Remaining, Reset};
//!
//! let limit = Limit::<4>::parse(b"120, 120;w=60, 4;w=1")?;
//! let remaining = Remaining::parse(b"118")?;
//! let reset = Reset::parse(b"32")?;
//! assert_eq!(limit.policies()[1].quota(), 4);
//! assert_eq!(remaining.get(), 118);
//! assert_eq!(reset.seconds(), Some(32));
//! # Ok::<(), ratelimit_headers::Error>(())
//! ```
//!
//! Strict parsing (`parse`) follows the grammar exactly and rejects the whole field on any
//! error, as RFC 9651 requires. Real servers break the grammar — Claid answers a 429 with
//! `RateLimit-Remaining: -1` — so `parse_lenient` accepts such values and reports each
//! [`Tolerance`] it used:
//!
//! ```
//! use ratelimit_headers::{ErrorKind, Remaining, Tolerance};
//!
//! let err = Remaining::parse(b"-1").unwrap_err();
//! assert_eq!((err.kind(), err.offset()), (ErrorKind::Negative, 0));
//!
//! let lenient = Remaining::parse_lenient(b"-1")?;
//! assert!(lenient.value.is_exhausted());
//! assert!(lenient.tolerances.contains(Tolerance::NegativeClamped));
//! # Ok::<(), ratelimit_headers::Error>(())
//! ```
//!
//! Every value type encodes to its canonical form without allocating (`encode` into a byte
//! buffer, `encoded_len`, `Display`), and `parse(encode(v)) == v` for every value the
//! builders make.
//!
//! # Layers
//!
//! Data flows one way: [`syntax`] (the shared byte-level grammar, on nom, including the
//! [`sf`] Structured Field pull parser) → [`field`] (one module per header field).
//!
//! # Features
//!
//! None yet; the crate is `no_std` and allocation-free in every configuration.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing))]

mod error;
pub mod feedback;
pub mod field;
mod lenient;
pub mod syntax;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use error::{Error, ErrorKind};
pub use feedback::{Dialect, Feedback, PolicyFeedback, PolicyId, QuotaUnit};
pub use field::date::HttpDate;
pub use field::limit::{DEFAULT_POLICIES, Limit, QuotaPolicy};
pub use field::policy::{Policy, RateLimitPolicy};
pub use field::ratelimit::{LimitDictionary, RateLimit, ServiceLimit};
pub use field::remaining::Remaining;
pub use field::reset::Reset;
pub use field::retry_after::{RetryAfter, RetryAfterMs};
pub use field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, GoDuration, KongPeriod, Rfc3339, UnixTime,
};
pub use lenient::{Lenient, Tolerance, Tolerances};
pub use syntax::sf;
