//! One module per header field. Each value type has a strict `parse`, a `parse_lenient` that
//! reports what it tolerated, and `encode` / `encoded_len` / `Display` for the canonical form.

/// Defines `parse_in_place` and `parse_lenient_in_place` on a list field type `$ty<'a, N>`
/// that has `fn fill(&mut self, input, mode, tol) -> Result<(), Error>` (emptying `self` on
/// error): `impl_parse_in_place!(Type, "what an error leaves", "doc example");`
macro_rules! impl_parse_in_place {
    ($ty:ident, $empty:literal, $example:literal) => {
        impl<'a, const N: usize> $ty<'a, N> {
            /// [`parse`](Self::parse) into `self`, replacing what it held: the value is built
            /// where it is, never copied on the way out (for a value kept in a static or a
            /// long-lived struct, and for small stacks).
            #[doc = concat!("On error `self` is left ", $empty, ".")]
            ///
            #[doc = $example]
            pub fn parse_in_place(&mut self, input: &'a [u8]) -> Result<(), $crate::Error> {
                self.fill(
                    input,
                    $crate::grammar::Mode::Strict,
                    &mut $crate::Tolerances::new(),
                )
            }

            /// [`parse_lenient`](Self::parse_lenient) into `self`, as
            /// [`parse_in_place`](Self::parse_in_place) does; returns what was tolerated.
            pub fn parse_lenient_in_place(
                &mut self,
                input: &'a [u8],
            ) -> Result<$crate::Tolerances, $crate::Error> {
                let mut tolerances = $crate::Tolerances::new();
                self.fill(input, $crate::grammar::Mode::Lenient, &mut tolerances)?;
                Ok(tolerances)
            }
        }
    };
}

/// An absent optional count (a window, `r`, `t`) as the field types store it: 8 bytes where
/// an `Option<u64>` takes 16, which matters in lists of them. No value read or built reaches
/// it: parsed values have at most 16 digits or come from an `i64`, built ones are clamped to
/// [`SF_INTEGER_MAX`](crate::grammar::SF_INTEGER_MAX).
pub(crate) const ABSENT: u64 = u64::MAX;

/// A stored optional count as an `Option`.
pub(crate) const fn optional(v: u64) -> Option<u64> {
    match v {
        ABSENT => None,
        v => Some(v),
    }
}

/// An `Option` as stored (see [`ABSENT`]).
pub(crate) const fn stored(v: Option<u64>) -> u64 {
    match v {
        Some(v) => v,
        None => ABSENT,
    }
}

pub mod date;
pub mod limit;
pub mod policy;
pub mod ratelimit;
pub mod remaining;
pub mod reset;
pub mod retry_after;
pub mod vendor;

use crate::error::{Error, ErrorKind};

/// A header field value that writes itself in canonical form, with no allocation.
///
/// Implemented by every value type of the crate; lets code that emits headers (such as the
/// `http` integration) take any of them.
///
/// ```
/// use ratelimit_headers::field::{FieldValue, NamedField};
/// use ratelimit_headers::Remaining;
///
/// fn emit<F: NamedField>(v: &F, buf: &mut [u8]) -> Result<(&'static str, usize), ratelimit_headers::Error> {
///     Ok((F::NAME, v.encode(buf)?))
/// }
/// let mut buf = [0u8; 8];
/// assert_eq!(emit(&Remaining::new(7), &mut buf)?, ("ratelimit-remaining", 1));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
pub trait FieldValue: core::fmt::Display {
    /// Writes the canonical value into `buf`, returning its length.
    fn encode(&self, buf: &mut [u8]) -> Result<usize, Error>;
    /// The length of the canonical value.
    fn encoded_len(&self) -> usize;
}

/// A [`FieldValue`] whose header field has one standard name.
pub trait NamedField: FieldValue {
    /// The field name, lowercase (as HTTP/2 and HTTP/3 send it).
    const NAME: &'static str;
}

macro_rules! named {
    ($([$($gen:tt)*] $ty:ty => $name:literal),* $(,)?) => {
        $(impl<$($gen)*> NamedField for $ty {
            const NAME: &'static str = $name;
        })*
    };
}

named! {
    ['a, const N: usize] limit::Limit<'a, N> => "ratelimit-limit",
    [] remaining::Remaining => "ratelimit-remaining",
    [] reset::Reset => "ratelimit-reset",
    ['a, const N: usize] policy::RateLimitPolicy<'a, N> => "ratelimit-policy",
    ['a, const N: usize] ratelimit::RateLimit<'a, N> => "ratelimit",
    [] retry_after::RetryAfter => "retry-after",
    [] retry_after::RetryAfterMs => "retry-after-ms",
    [] date::HttpDate => "date",
}
use crate::grammar::{self, Mode, trim_ows};
use crate::lenient::Tolerances;

/// Parses a whole field value that is one non-negative Integer Item (parameters allowed and
/// ignored, as draft-ietf-06 says), such as `RateLimit-Remaining` or `RateLimit-Reset`.
pub(crate) fn integer_item(input: &[u8], mode: Mode, tol: &mut Tolerances) -> Result<u64, Error> {
    let (value, start) = trim_ows(input);
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    // The member parser of `RateLimit-Limit` reads the Integer and its parameters.
    match limit::member(value, value, mode, tol, limit::Item::Integer) {
        Ok(([], p)) => Ok(p.quota()),
        Ok((rest, _)) => Err(
            Error::new(grammar::unexpected_kind(rest), value.len() - rest.len())
                .with_found(rest.first().copied())
                .shifted(start),
        ),
        Err(e) => Err(e.shifted(start)),
    }
}

/// The error kind for bytes left after an item: whitespace before a `;` gets its own kind
/// (the common mistake `10 ;w=1`), anything else is an unexpected byte.
pub(crate) fn after_item_kind(rest: &[u8]) -> ErrorKind {
    if grammar::ows(rest).first() == Some(&b';') && rest.len() != grammar::ows(rest).len() {
        ErrorKind::WhitespaceBeforeParameter
    } else {
        grammar::unexpected_kind(rest)
    }
}
