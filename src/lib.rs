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
//! Data flows one way, each layer knowing only those below it: a private grammar (nom
//! parsers for the byte-level rules every field shares) → [`sf`] (the Structured Field
//! values, borrowed from the input) → [`field`] (one module per header field) → [`feedback`]
//! (one response read whole) → [`pacer`] (when the next request may go).
//!
//! # Small stacks
//!
//! On a microcontroller, keep the large values in one place and fill them there.
//! [`Pacer::new`] is a `const fn`, so a pacer can be built at compile time in a `static`;
//! `parse_in_place` (on [`Limit`], [`RateLimitPolicy`], [`RateLimit`]) and
//! [`Feedback::read`] fill a value the caller keeps instead of returning one, which
//! spares the copy on the way out (on a Cortex-M4, 0.6 KiB of stack for a `RateLimit-Policy`
//! value rather than 1 KiB, and 0.9 KiB to read a whole response rather than 1.8 KiB; the
//! table is in `footprint/README.md`). A firmware that talks to known servers can also read
//! only their dialects, leaving the others' parsers out of the binary (see
//! [Features](#features): `select-dialects`).
//!
//! ```
//! use ratelimit_headers::pacer::{Config, Pacer};
//! use ratelimit_headers::{Feedback, Limit, ParseMode, ReadOptions};
//!
//! struct Link<'a> {
//!     pacer: Pacer,
//!     limit: Limit<'a>,
//!     feedback: Feedback<'a>,
//! }
//! const FRESH: Pacer = Pacer::new(Config::DEFAULT);
//!
//! let mut link = Link { pacer: FRESH, limit: Limit::new(0), feedback: Feedback::new(None) };
//! link.limit.parse_in_place(b"120, 120;w=60, 4;w=1", ParseMode::Strict)?;
//! let headers: [(&[u8], &[u8]); 2] =
//!     [(b"RateLimit-Limit", b"4, 4;w=1"), (b"RateLimit-Remaining", b"3")];
//! link.feedback.read(Some(200), headers, ReadOptions::new());
//! assert_eq!(link.feedback.policies()[0].remaining, Some(3));
//! # let _ = &link.pacer;
//! # Ok::<(), ratelimit_headers::Error>(())
//! ```
//!
//! # Features
//!
//! None is on by default; with or without any of them the crate is `no_std` and
//! allocation-free (`std`, `http` and `arbitrary` aside).
//!
//! - `select-dialects`, with `dialect-ietf-fields`, `dialect-ietf-structured` and
//!   `dialect-vendor`: which dialects [`Feedback`] reads. Without `select-dialects` it reads
//!   every dialect, whatever else is on. With it, only the families whose `dialect-*` feature
//!   is on: `dialect-ietf-fields` for `RateLimit-Limit`, `-Remaining`, `-Reset` (and
//!   GitLab's `RateLimit-Observed`), `dialect-ietf-structured` for `RateLimit` and
//!   `RateLimit-Policy`, `dialect-vendor` for `X-RateLimit-*` and the other vendor fields.
//!   The fields of a family left out are read as if absent, and its parsers are not linked;
//!   `Retry-After`, `Retry-After-Ms`, `Date` and `Age` are read in every build. For a
//!   firmware binary that counts its flash:
//!   `features = ["select-dialects", "dialect-ietf-fields"]`.
//!
//!   Why this shape: Cargo features are meant to be additive, and every dialect being read
//!   is what a build without default features has always had, so `default-features =
//!   false` must keep it. `select-dialects` is the one feature that takes something away;
//!   as with `log`'s `max_level_*` features, only the final binary should turn it on. A
//!   library that reads a dialect turns on that dialect's `dialect-*` feature, which does
//!   nothing by itself and keeps the dialect read whatever the binary selects.
//! - `http`: reads a [`Feedback`] straight from an `http::HeaderMap` or `http::Response`
//!   (`Feedback::from_header_map`, `Feedback::from_response`; names and values are borrowed,
//!   not copied) and writes any field value into a `HeaderMap` (`http::insert`,
//!   `http::append`, and `insert_as` / `append_as` for other names). Only that module uses
//!   `std` (through the `http` crate).
//! - `serde`: `Serialize` and `Deserialize` for the field value types, [`Tolerance`],
//!   [`Tolerances`], [`ErrorKind`], [`Error`], [`Dialect`], [`QuotaUnit`], [`PolicyId`] and
//!   [`Feedback`] (formats below). Still `no_std` and allocation-free.
//! - `std`: the pacer's clock helper.
//! - `arbitrary`: `arbitrary::Arbitrary` for the field value types (`Remaining`, `Reset`,
//!   `RetryAfter`, `RetryAfterMs`, `HttpDate`, `QuotaPolicy`, `Limit`, `Policy`,
//!   `RateLimitPolicy`, `ServiceLimit`, `LimitDictionary`, `RateLimit` and the vendor types
//!   `Count`, `UnixTime`, `GoDuration`, `Rfc3339`, `CallLimit`, `DecimalCount`,
//!   `DecimalSeconds`), for fuzzers. Every value is one the builders can make, so
//!   `parse(encode(v)) == v` holds for it; names and parameters borrow from the fuzzer's
//!   input. The `arbitrary` crate needs `std`, so this feature is for hosts, not `no_std`
//!   targets.
//!
//! # Serde formats
//!
//! A field value (`Limit`, `Remaining`, `Reset`, `RateLimitPolicy`, `RateLimit`, `RetryAfter`,
//! `RetryAfterMs`, `HttpDate`, and the parts `QuotaPolicy`, `Policy`, `ServiceLimit`,
//! `LimitDictionary`, `sf::Params`, `sf::BareItem`) is a string holding its canonical field
//! value, written without allocating and read back with the strict parser, so an invalid
//! value fails with the parser's message and byte offset (`invalid RateLimit-Remaining value:
//! unexpected byte, found `x` at byte 1`). `Reset` also reads back the HTTP-date that
//! `Reset::At` writes. `sf::SfStr` is its escaped content, `sf::ByteSeq` its base64 text.
//!
//! Types with a lifetime borrow from the input, so deserializing them needs a *borrowed*
//! string: `serde_json::from_str` (not `from_reader`) gives one when the JSON string has no
//! escapes. A value holding `"` (named policies, String parameters) is always escaped in JSON
//! and cannot be read back from JSON this way (the error says "expected ... a borrowed
//! string"); formats that store strings as they are (most binary ones) can.
//!
//! [`Tolerance`] and [`ErrorKind`] are their variant names (`"NegativeClamped"`),
//! [`Tolerances`] a list of them; [`Dialect`] and [`QuotaUnit`] their `as_str` names
//! (`"ietf-fields"`, `"requests"`); [`PolicyId`] its hash as an integer. An [`Error`] is
//! `{"kind": "UnexpectedByte", "offset": 1, "found": 120, "message": "unexpected byte, found
//! `x` at byte 1"}` (`found`: the offending byte or null; `message` is not read back).
//!
//! A [`Feedback`] is the object
//!
//! ```text
//! {"status": 429 | null, "dialect": "ietf-fields",
//!  "policies": [{"id": 9869623731491268133, "name": "burst" | null, "quota": 4 | null,
//!                "window_s": 1 | null, "unit": "requests", "remaining": -1 | null,
//!                "reset_s": 1 | 0.25 | null}],
//!  "retry_after_ms": 2500 | null, "from_cache": false, "tolerances": ["NegativeClamped"],
//!  "ignored": [{"header": "RateLimit-Policy", "error": {"kind": ..., "offset": ..., ...}}],
//!  "ignored_overflow": 0}
//! ```
//!
//! Durations in seconds are integers when whole and floats otherwise (read back to the
//! nearest nanosecond); `retry_after_ms` is rounded up to the millisecond. Reading it back,
//! every member may be left out and unknown members are skipped; a policy without `id` gets
//! the id of its name, else of its window. Policy names and ignored header names are
//! borrowed. A feedback read from headers comes back equal:
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use ratelimit_headers::Feedback;
//!
//! let headers = [
//!     ("RateLimit-Limit", "4, 120;w=60, 4;w=1"),
//!     ("RateLimit-Remaining", "-1"),
//!     ("RateLimit-Reset", "1"),
//! ];
//! let fb: Feedback = Feedback::from_headers(
//!     Some(429),
//!     headers.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())),
//! );
//! let json = serde_json::to_string(&fb).unwrap();
//! assert!(json.starts_with(r#"{"status":429,"dialect":"ietf-fields","policies":[{"id":"#));
//! let back: Feedback = serde_json::from_str(&json).unwrap();
//! assert_eq!(back, fb);
//!
//! let err = serde_json::from_str::<ratelimit_headers::Remaining>(r#""1x""#).unwrap_err();
//! assert!(err.to_string().contains("at byte 1"));
//! # }
//! ```
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

#[cfg(feature = "arbitrary")]
mod arbitrary_impls;
#[cfg(test)]
extern crate std;

mod arith;
mod encode;
mod error;
pub mod feedback;
pub mod field;
mod grammar;
#[cfg(feature = "http")]
pub mod http;
mod lenient;
pub mod pacer;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod sf;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use error::{Error, ErrorKind};
pub use feedback::{Dialect, Feedback, PolicyFeedback, PolicyId, QuotaUnit, ReadOptions};
pub use field::date::HttpDate;
pub use field::limit::{Limit, QuotaPolicy};

/// How many policies a value holds unless told otherwise: the quota policies of a [`Limit`],
/// the items of a [`RateLimitPolicy`] or a [`RateLimit`] list, the policies of a [`Feedback`]
/// and those a [`Pacer`] tracks. Real servers send one to five.
pub const DEFAULT_POLICIES: usize = 8;
pub use field::policy::{Policy, RateLimitPolicy};
pub use field::ratelimit::{LimitDictionary, RateLimit, ServiceLimit};
pub use field::remaining::Remaining;
pub use field::reset::Reset;
pub use field::retry_after::{RetryAfter, RetryAfterMs};
pub use lenient::{Lenient, ParseMode, Tolerance, Tolerances};
pub use pacer::Pacer;
