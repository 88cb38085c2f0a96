//! `RateLimit-Remaining`: how many requests are left in the current window.

use core::str::FromStr;

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::Error;
use crate::grammar::{ParseMode, SF_INTEGER_MAX};
use crate::lenient::{Lenient, Tolerances};

/// `RateLimit-Remaining`: the quota units left (a non-negative Integer).
///
/// ```
/// use ratelimit_headers::Remaining;
///
/// let r = Remaining::parse(b"118")?;
/// assert_eq!(r.get(), 118);
/// assert_eq!(r.to_string(), "118");
///
/// // Claid's 429 sends -1: invalid in every draft, but it means "over quota".
/// assert!(Remaining::parse(b"-1").is_err());
/// let lenient = Remaining::parse_lenient(b"-1")?;
/// assert!(lenient.value.is_exhausted());
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Remaining(u64);

impl Remaining {
    /// `n` remaining units, clamped to 999,999,999,999,999 (the largest Structured Field
    /// Integer) so that every value can be encoded.
    pub const fn new(n: u64) -> Self {
        Remaining(if n > SF_INTEGER_MAX {
            SF_INTEGER_MAX
        } else {
            n
        })
    }

    /// The number of units left.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// Whether no unit is left.
    pub const fn is_exhausted(self) -> bool {
        self.0 == 0
    }

    /// Strict parse: one non-negative Structured Field Integer (at most 15 digits; `-0` is 0);
    /// parameters are accepted and ignored (draft-ietf-06). Leading and trailing SP/HTAB are
    /// ignored.
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        super::integer_item(input, ParseMode::Strict, &mut Tolerances::new()).map(Remaining)
    }

    /// Lenient parse: also reads a negative value as 0
    /// ([`NegativeClamped`](crate::Tolerance::NegativeClamped), meaning over quota) and
    /// saturates integers of more than 15 digits.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let mut tolerances = Tolerances::new();
        let value =
            super::integer_item(input, ParseMode::Lenient, &mut tolerances).map(Remaining)?;
        Ok(Lenient { value, tolerances })
    }
}

impl EncodeTo for Remaining {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put_u64(self.0)
    }
}

impl_encode!(
    [] Remaining,
    "```\nlet mut buf = [0u8; 16];\nlet n = ratelimit_headers::Remaining::new(118).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"118\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);

impl FromStr for Remaining {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Remaining::parse(s.as_bytes())
    }
}

impl From<Remaining> for u64 {
    fn from(r: Remaining) -> u64 {
        r.0
    }
}
