//! `RateLimit-Reset`: when the quota resets.

use core::str::FromStr;

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::field::date::{HttpDate, imf_fixdate};
use crate::grammar::{ParseMode, SF_INTEGER_MAX, trim_ows};
use crate::lenient::{Lenient, Tolerance, Tolerances};

/// `RateLimit-Reset`: delay-seconds until the quota resets (every draft from polli-01 on), or,
/// read leniently, the HTTP-date that draft-polli-00 also allowed.
///
/// ```
/// use ratelimit_headers::Reset;
///
/// let r = Reset::parse(b"32")?;
/// assert_eq!(r.seconds(), Some(32));
/// assert_eq!(r.to_string(), "32");
///
/// let old = Reset::parse_lenient(b"Tue, 15 Nov 1994 08:12:31 GMT")?;
/// assert_eq!(old.value.date().map(|d| d.unix_seconds()), Some(784887151));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reset {
    /// Seconds from the moment the response was generated.
    Seconds(u64),
    /// An absolute instant (draft-polli-00 only; read by `parse_lenient`).
    At(HttpDate),
}

impl Reset {
    /// A reset `secs` seconds from now, clamped to 999,999,999,999,999 (the largest Structured
    /// Field Integer) so that every value can be encoded.
    pub const fn after_seconds(secs: u64) -> Self {
        Reset::Seconds(if secs > SF_INTEGER_MAX {
            SF_INTEGER_MAX
        } else {
            secs
        })
    }

    /// The delay in seconds, when the value is one.
    pub const fn seconds(&self) -> Option<u64> {
        match self {
            Reset::Seconds(s) => Some(*s),
            Reset::At(_) => None,
        }
    }

    /// The absolute date, when the value is one.
    pub const fn date(&self) -> Option<HttpDate> {
        match self {
            Reset::Seconds(_) => None,
            Reset::At(d) => Some(*d),
        }
    }

    /// The delay in seconds relative to `now` (for a date: the response's own `Date` header
    /// keeps client clock skew out). A date in the past gives 0.
    pub fn seconds_from(&self, now: HttpDate) -> u64 {
        match self {
            Reset::Seconds(s) => *s,
            Reset::At(d) => {
                let diff = d.unix_seconds().saturating_sub(now.unix_seconds());
                u64::try_from(diff).unwrap_or(0)
            }
        }
    }

    /// Strict parse: one non-negative Structured Field Integer (parameters accepted and
    /// ignored). Leading and trailing SP/HTAB are ignored.
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        super::integer_item(input, ParseMode::Strict, &mut Tolerances::new()).map(Reset::Seconds)
    }

    /// Lenient parse: also an IMF-fixdate ([`Tolerance::ResetAsDate`]), a negative value read
    /// as 0 ([`Tolerance::NegativeClamped`]) and integers of more than 15 digits (saturated).
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let mut tolerances = Tolerances::new();
        let (value, start) = trim_ows(input);
        if value.first().is_some_and(u8::is_ascii_alphabetic) {
            return match imf_fixdate(value) {
                Ok(([], d)) => {
                    tolerances.insert(Tolerance::ResetAsDate);
                    Ok(Lenient {
                        value: Reset::At(d),
                        tolerances,
                    })
                }
                Ok((rest, _)) => Err(Error::new(
                    ErrorKind::InvalidDate,
                    start + value.len() - rest.len(),
                )
                .with_found(rest.first().copied())),
                Err(e) => Err(crate::grammar::nom_error(e, &[])
                    .to_error(value)
                    .shifted(start)),
            };
        }
        let secs = super::integer_item(input, ParseMode::Lenient, &mut tolerances)?;
        Ok(Lenient {
            value: Reset::Seconds(secs),
            tolerances,
        })
    }
}

impl EncodeTo for Reset {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        match self {
            Reset::Seconds(s) => out.put_u64(*s),
            Reset::At(d) => d.encode_to(out),
        }
    }
}

impl_encode!(
    [] Reset,
    "```\nlet mut buf = [0u8; 16];\nlet n = ratelimit_headers::Reset::after_seconds(32).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"32\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);

impl FromStr for Reset {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Reset::parse(s.as_bytes())
    }
}
