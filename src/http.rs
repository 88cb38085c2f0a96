//! The [`http`] crate's `HeaderMap`, in and out (feature `http`).
//!
//! Reading: [`Feedback::from_header_map`] (and [`from_response`](Feedback::from_response))
//! borrow every name and value from the map; nothing is copied.
//!
//! ```
//! use http::{HeaderMap, HeaderValue};
//! use ratelimit_headers::Feedback;
//!
//! let mut map = HeaderMap::new();
//! map.insert("ratelimit-limit", HeaderValue::from_static("4, 120;w=60, 4;w=1"));
//! map.insert("ratelimit-remaining", HeaderValue::from_static("0"));
//! map.insert("ratelimit-reset", HeaderValue::from_static("1"));
//! let fb: Feedback = Feedback::from_header_map(Some(429), &map);
//! assert_eq!(fb.policies().len(), 2);
//! ```
//!
//! Writing: [`insert`] and [`append`] put any field value the crate can encode into a map
//! under its standard name; [`insert_as`] and [`append_as`] take the name (for the
//! `X-RateLimit-*` family, say).
//!
//! ```
//! use http::HeaderMap;
//! use ratelimit_headers::{http::insert, Remaining, Reset};
//!
//! let mut map = HeaderMap::new();
//! insert(&mut map, &Remaining::new(118))?;
//! insert(&mut map, &Reset::after_seconds(32))?;
//! assert_eq!(map["ratelimit-remaining"], "118");
//! assert_eq!(map["ratelimit-reset"], "32");
//! # Ok::<(), ratelimit_headers::Error>(())
//! ```
//!
//! This module (and only it) uses `std`'s allocator, through `http`: a `HeaderValue` owns its
//! bytes. Values of up to 128 bytes are encoded on the stack first.

extern crate alloc;

use alloc::vec;

use ::http::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, ErrorKind};
use crate::feedback::Feedback;
use crate::field::{Field, FieldValue};

/// Every line of a `HeaderMap` as `(name, value)` byte pairs, borrowed: the iterator
/// [`Feedback::from_headers`] takes, made from a map by [`header_pairs`].
///
/// `http`'s own iterator is not `Clone`, and `from_headers` walks the lines several times;
/// this one is (cloning it at the start, as `from_headers` does, costs nothing). Names are
/// lowercase, as `HeaderMap` stores them; all lines of one name come together, in order.
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use ratelimit_headers::http::header_pairs;
///
/// let mut map = HeaderMap::new();
/// map.append("ratelimit-policy", HeaderValue::from_static("10;w=1"));
/// map.append("ratelimit-policy", HeaderValue::from_static("50;w=60"));
/// let pairs: Vec<_> = header_pairs(&map).collect();
/// assert_eq!(pairs, [
///     (&b"ratelimit-policy"[..], &b"10;w=1"[..]),
///     (&b"ratelimit-policy"[..], &b"50;w=60"[..]),
/// ]);
/// ```
#[derive(Debug)]
pub struct HeaderPairs<'a> {
    map: &'a HeaderMap,
    /// How many lines `inner` has yielded.
    pos: usize,
    inner: header::Iter<'a, HeaderValue>,
}

/// The lines of `map` as byte pairs, for [`Feedback::from_headers`] and anything else that
/// reads `(name, value)` pairs. See [`HeaderPairs`].
pub fn header_pairs(map: &HeaderMap) -> HeaderPairs<'_> {
    HeaderPairs {
        map,
        pos: 0,
        inner: map.iter(),
    }
}

impl<'a> Iterator for HeaderPairs<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let (name, value) = self.inner.next()?;
        self.pos = self.pos.saturating_add(1);
        Some((name.as_str().as_bytes(), value.as_bytes()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl core::iter::FusedIterator for HeaderPairs<'_> {}

impl Clone for HeaderPairs<'_> {
    /// A fresh `http` iterator advanced to the same line: free at the start, `O(lines)` later.
    fn clone(&self) -> Self {
        let mut inner = self.map.iter();
        for _ in 0..self.pos {
            if inner.next().is_none() {
                break;
            }
        }
        HeaderPairs {
            map: self.map,
            pos: self.pos,
            inner,
        }
    }
}

impl<'a, const P: usize, const I: usize> Feedback<'a, P, I> {
    /// [`from_headers`](Feedback::from_headers) over an `http::HeaderMap` (feature `http`).
    /// Names and values are borrowed from the map. To read with a clock, or into a value
    /// kept in place, give [`header_pairs`] to [`read`](Feedback::read).
    ///
    /// ```
    /// use http::{HeaderMap, HeaderValue};
    /// use ratelimit_headers::{Dialect, Feedback, Tolerance};
    ///
    /// // Claid's 429: a negative remaining, read as "over quota".
    /// let mut map = HeaderMap::new();
    /// map.insert("RateLimit-Limit", HeaderValue::from_static("4, 120;w=60, 4;w=1"));
    /// map.insert("RateLimit-Remaining", HeaderValue::from_static("-1"));
    /// map.insert("RateLimit-Reset", HeaderValue::from_static("1"));
    /// let fb: Feedback = Feedback::from_header_map(Some(429), &map);
    /// assert_eq!(fb.dialect(), Dialect::IetfFields);
    /// assert!(fb.tolerances().contains(Tolerance::NegativeClamped));
    /// assert!(fb.policies().iter().any(|p| p.remaining == Some(-1)));
    /// ```
    ///
    /// With the caller's clock, for a response without `Date`:
    ///
    /// ```
    /// use core::time::Duration;
    /// use http::{HeaderMap, HeaderValue};
    /// use ratelimit_headers::http::header_pairs;
    /// use ratelimit_headers::{Dialect, Feedback, ReadOptions};
    ///
    /// // GitLab: the reset is an epoch time.
    /// let mut map = HeaderMap::new();
    /// map.insert("ratelimit-limit", HeaderValue::from_static("600"));
    /// map.insert("ratelimit-remaining", HeaderValue::from_static("0"));
    /// map.insert("ratelimit-reset", HeaderValue::from_static("1700000060"));
    /// let mut fb: Feedback = Feedback::new(None);
    /// let clock = ReadOptions::new().with_now_unix(1_700_000_000);
    /// fb.read(Some(429), header_pairs(&map), clock);
    /// assert_eq!(fb.dialect(), Dialect::GitLab);
    /// assert_eq!(fb.policies()[0].reset, Some(Duration::from_secs(60)));
    /// ```
    pub fn from_header_map(status: Option<u16>, map: &'a HeaderMap) -> Self {
        Self::from_headers(status, header_pairs(map))
    }

    /// The feedback of an `http::Response`: its status and headers (feature `http`).
    ///
    /// ```
    /// use http::{Response, StatusCode};
    /// use ratelimit_headers::Feedback;
    ///
    /// let response = Response::builder()
    ///     .status(StatusCode::TOO_MANY_REQUESTS)
    ///     .header("retry-after", "20")
    ///     .body(())
    ///     .unwrap();
    /// let fb: Feedback = Feedback::from_response(&response);
    /// assert!(fb.is_throttle());
    /// assert_eq!(fb.retry_after().map(|d| d.as_secs()), Some(20));
    /// ```
    pub fn from_response<B>(response: &'a ::http::Response<B>) -> Self {
        Self::from_header_map(Some(response.status().as_u16()), response.headers())
    }
}

/// Values up to this length are encoded on the stack before `HeaderValue` copies them.
const STACK_BYTES: usize = 128;

/// The canonical form of `value` as a `HeaderValue` (feature `http`).
///
/// Short values are encoded into a stack buffer and copied once into the `HeaderValue`;
/// longer ones are encoded into a `Vec` that the `HeaderValue` takes over.
///
/// ```
/// use ratelimit_headers::{http::to_header_value, Limit, QuotaPolicy};
///
/// let limit: Limit = Limit::new(4).with_policy(QuotaPolicy::new(120, 60))?;
/// assert_eq!(to_header_value(&limit)?, "4, 120;w=60");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
pub fn to_header_value<'a, F: FieldValue<'a>>(value: &F) -> Result<HeaderValue, Error> {
    let len = value.encoded_len();
    if len <= STACK_BYTES {
        let mut buf = [0u8; STACK_BYTES];
        let n = value.encode(&mut buf)?;
        let bytes = buf.get(..n).unwrap_or(&[]);
        check_value(bytes)?;
        HeaderValue::from_bytes(bytes).map_err(|_| Error::new(ErrorKind::UnexpectedByte, 0))
    } else {
        let mut buf = vec![0u8; len];
        let n = value.encode(&mut buf)?;
        buf.truncate(n);
        check_value(&buf)?;
        HeaderValue::try_from(buf).map_err(|_| Error::new(ErrorKind::UnexpectedByte, 0))
    }
}

/// Checks the bytes as `HeaderValue` does: no control byte other than HTAB, no DEL. The
/// crate's encoders write visible ASCII only, so this never fails for them; it keeps an error
/// from `http` (which has no offset) from ever being the one reported.
fn check_value(bytes: &[u8]) -> Result<(), Error> {
    match bytes
        .iter()
        .position(|&b| (b < 0x20 && b != b'\t') || b == 0x7F)
    {
        Some(at) => {
            Err(Error::new(ErrorKind::UnexpectedByte, at).with_found(bytes.get(at).copied()))
        }
        None => Ok(()),
    }
}

/// The standard name of field `F`. Checked when the program is compiled, so it cannot panic.
fn name_of<'a, F: Field<'a>>() -> HeaderName {
    const { HeaderName::from_static(F::NAME) }
}

fn map_full(map: &HeaderMap) -> Error {
    Error::new(ErrorKind::CapacityExceeded, map.len())
}

/// Sets field `F` in `map` to `value`, replacing every line of that name (feature `http`).
///
/// Fails when the value cannot be encoded, or with [`ErrorKind::CapacityExceeded`] when the
/// map cannot grow (`http`'s maximum size). `F::NAME` must be a valid lowercase field name;
/// that is checked when the program is compiled (the crate's own fields all pass).
///
/// ```
/// use http::HeaderMap;
/// use ratelimit_headers::{http::insert, Policy, RateLimitPolicy};
///
/// let mut map = HeaderMap::new();
/// let policy: RateLimitPolicy = RateLimitPolicy::new()
///     .with_policy(Policy::named("hour", 1000)?.with_window(3600))?;
/// insert(&mut map, &policy)?;
/// assert_eq!(map["ratelimit-policy"], r#""hour";q=1000;w=3600"#);
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
pub fn insert<'a, F: Field<'a>>(map: &mut HeaderMap, value: &F) -> Result<(), Error> {
    insert_as(map, name_of::<F>(), value)
}

/// Adds a line of field `F` to `map`, after those already there (feature `http`).
///
/// Errors as [`insert`].
///
/// ```
/// use http::HeaderMap;
/// use ratelimit_headers::{http::append, Policy, RateLimitPolicy};
///
/// let mut map = HeaderMap::new();
/// let burst: RateLimitPolicy = RateLimitPolicy::new().with_policy(Policy::unnamed(10, 1))?;
/// let steady: RateLimitPolicy = RateLimitPolicy::new().with_policy(Policy::unnamed(50, 60))?;
/// append(&mut map, &burst)?;
/// append(&mut map, &steady)?;
/// let lines: Vec<_> = map.get_all("ratelimit-policy").iter().collect();
/// assert_eq!(lines, ["10;w=1", "50;w=60"]);
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
pub fn append<'a, F: Field<'a>>(map: &mut HeaderMap, value: &F) -> Result<(), Error> {
    append_as(map, name_of::<F>(), value)
}

/// Sets field `name` in `map` to `value`, replacing every line of that name (feature `http`).
///
/// For names other than the standard one, such as the `X-RateLimit-*` family. Errors as
/// [`insert`].
///
/// ```
/// use http::{HeaderMap, HeaderName};
/// use ratelimit_headers::{http::insert_as, Remaining};
///
/// let mut map = HeaderMap::new();
/// let name = HeaderName::from_static("x-ratelimit-remaining");
/// insert_as(&mut map, name, &Remaining::new(59))?;
/// assert_eq!(map["x-ratelimit-remaining"], "59");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
pub fn insert_as<'a, F: FieldValue<'a>>(
    map: &mut HeaderMap,
    name: HeaderName,
    value: &F,
) -> Result<(), Error> {
    let v = to_header_value(value)?;
    map.try_insert(name, v).map_err(|_| map_full(map))?;
    Ok(())
}

/// Adds a line of field `name` to `map`, after those already there (feature `http`).
///
/// Errors as [`insert`].
///
/// ```
/// use core::time::Duration;
/// use http::{HeaderMap, HeaderName};
/// use ratelimit_headers::{http::append_as, RetryAfter};
///
/// let mut map = HeaderMap::new();
/// let name = HeaderName::from_static("retry-after");
/// append_as(&mut map, name, &RetryAfter::Delay(Duration::from_millis(1500)))?;
/// assert_eq!(map["retry-after"], "2"); // whole seconds, rounded up
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
pub fn append_as<'a, F: FieldValue<'a>>(
    map: &mut HeaderMap,
    name: HeaderName,
    value: &F,
) -> Result<(), Error> {
    let v = to_header_value(value)?;
    map.try_append(name, v).map_err(|_| map_full(map))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Remaining;
    use alloc::vec::Vec;

    #[test]
    fn clone_mid_way_resumes_at_the_same_line() {
        let mut map = HeaderMap::new();
        map.append("a", HeaderValue::from_static("1"));
        map.append("a", HeaderValue::from_static("2"));
        map.append("b", HeaderValue::from_static("3"));
        let mut it = header_pairs(&map);
        let _ = it.next();
        let rest: Vec<_> = it.clone().collect();
        assert_eq!(rest, [(&b"a"[..], &b"2"[..]), (&b"b"[..], &b"3"[..])]);
        assert_eq!(it.collect::<Vec<_>>(), rest);
    }

    #[test]
    fn invalid_value_points_at_the_control_byte() {
        assert_eq!(check_value(b"a\tb"), Ok(()));
        let e = check_value(b"ab\ncd").unwrap_err();
        assert_eq!(
            (e.kind(), e.offset(), e.found()),
            (ErrorKind::UnexpectedByte, 2, Some(b'\n'))
        );
    }

    #[test]
    fn names_are_the_standard_ones() {
        assert_eq!(name_of::<Remaining>(), "ratelimit-remaining");
    }
}
