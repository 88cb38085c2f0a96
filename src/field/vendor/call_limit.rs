//! Shopify's and Gorgias's `used/size` call limit (`32/40`).

use core::str::FromStr;

use super::whole;
use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::grammar::{PResult, fail};
use crate::lenient::{Lenient, Tolerances};

/// Shopify's leaky bucket, `X-Shopify-Shop-Api-Call-Limit: 32/40`: calls used / bucket size
/// (Gorgias sends the same shape in `X-Gorgias-Account-Api-Call-Limit`).
///
/// ```
/// use ratelimit_headers::field::vendor::CallLimit;
///
/// let c = CallLimit::parse(b"32/40")?;
/// assert_eq!((c.used(), c.size(), c.remaining()), (32, 40, 8));
/// assert!(CallLimit::parse(b"40/40")?.is_exhausted());
/// assert_eq!(CallLimit::new(1, 40).to_string(), "1/40");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CallLimit {
    used: u64,
    size: u64,
}

impl CallLimit {
    /// `used` calls in a bucket of `size`.
    pub const fn new(used: u64, size: u64) -> Self {
        CallLimit { used, size }
    }

    /// The calls in the bucket.
    pub const fn used(self) -> u64 {
        self.used
    }

    /// The bucket size.
    pub const fn size(self) -> u64 {
        self.size
    }

    /// The calls left: `size - used`, or 0 when the bucket is full (or over-full).
    pub const fn remaining(self) -> u64 {
        self.size.saturating_sub(self.used)
    }

    /// Whether no call is left.
    pub const fn is_exhausted(self) -> bool {
        self.remaining() == 0
    }

    /// Strict parse: `1*DIGIT "/" 1*DIGIT`, no spaces inside.
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        whole(input, call_limit)
    }

    /// Lenient parse: the same as [`parse`](Self::parse) (no quirk of this format is known);
    /// the tolerances are always empty.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        Self::parse(input).map(|value| Lenient {
            value,
            tolerances: Tolerances::new(),
        })
    }
}

fn call_limit(value: &[u8]) -> PResult<'_, CallLimit> {
    let (rest, (used, _)) = crate::grammar::digits(value)?;
    let Some(b'/') = rest.first() else {
        return fail(rest, ErrorKind::UnexpectedByte);
    };
    let (rest, (size, _)) = crate::grammar::digits(rest.get(1..).unwrap_or(&[]))?;
    Ok((rest, CallLimit { used, size }))
}

impl EncodeTo for CallLimit {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put_u64(self.used)?;
        out.put(b"/")?;
        out.put_u64(self.size)
    }
}

impl_encode!(
    [] CallLimit,
    "```\nlet mut buf = [0u8; 42];\nlet n = ratelimit_headers::field::vendor::CallLimit::new(32, 40).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"32/40\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] CallLimit);
