//! One module per header field. Each value type has a strict `parse`, a `parse_lenient` that
//! reports what it tolerated, and `encode` / `encoded_len` / `Display` for the canonical form.

/// Defines `parse_in_place` on a list field type `$ty<'a, N>` that has `fn fill(&mut self,
/// input, mode, tol) -> Result<(), Error>` (emptying `self` on error):
/// `impl_parse_in_place!(Type, "what an error leaves", "doc example");`
macro_rules! impl_parse_in_place {
    ($ty:ident, $empty:literal, $example:literal) => {
        impl<'a, const N: usize> $ty<'a, N> {
            /// Parses into `self`, replacing what it held, strictly or leniently as `mode`
            /// says ([`parse`](Self::parse), [`parse_lenient`](Self::parse_lenient)), and
            /// returns what was tolerated (nothing, when strict). The value is built where it
            /// is, never copied on the way out: for a value kept in a static or a long-lived
            /// struct, and for small stacks.
            #[doc = concat!("On error `self` is left ", $empty, ".")]
            ///
            #[doc = $example]
            pub fn parse_in_place(
                &mut self,
                input: &'a [u8],
                mode: $crate::ParseMode,
            ) -> Result<$crate::Tolerances, $crate::Error> {
                let mut tolerances = $crate::Tolerances::new();
                self.fill(input, mode, &mut tolerances)?;
                Ok(tolerances)
            }
        }
    };
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
use crate::lenient::Lenient;

/// A header field's value type: its strict and lenient parsers and its canonical encoding,
/// with no allocation. Every value type of the crate implements it, and generic code goes
/// through it: the `http` integration, the `serde` impls, the `inspect` example.
///
/// ```
/// use ratelimit_headers::field::{Field, FieldValue};
/// use ratelimit_headers::{Error, Remaining, Reset};
///
/// /// Re-encodes a field in its canonical form, under its name.
/// fn canonical<'a, F: Field<'a>>(value: &'a [u8], buf: &mut [u8]) -> Result<(&'static str, usize), Error> {
///     let parsed = F::parse_lenient(value)?.value;
///     Ok((F::NAME, parsed.encode(buf)?))
/// }
/// let mut buf = [0u8; 16];
/// assert_eq!(canonical::<Remaining>(b" 007 ", &mut buf)?, ("ratelimit-remaining", 1));
/// assert_eq!(&buf[..1], b"7");
/// assert!(canonical::<Reset>(b"soon", &mut buf).is_err());
/// # Ok::<(), Error>(())
/// ```
pub trait FieldValue<'a>: Sized + core::fmt::Display {
    /// Strict parse of a whole field value (leading and trailing SP/HTAB ignored), following
    /// the grammar of the field's dialect exactly.
    fn parse(input: &'a [u8]) -> Result<Self, Error>;
    /// Lenient parse: also the variants real servers send, each reported as a
    /// [`Tolerance`](crate::Tolerance).
    fn parse_lenient(input: &'a [u8]) -> Result<Lenient<Self>, Error>;
    /// Writes the canonical value into `buf`, returning its length.
    fn encode(&self, buf: &mut [u8]) -> Result<usize, Error>;
    /// The length of the canonical value.
    fn encoded_len(&self) -> usize;
}

/// A [`FieldValue`] sent under one standard field name. (The vendor value types are read
/// under many names, so they have none: give the name where they are written.)
pub trait Field<'a>: FieldValue<'a> {
    /// The field name, lowercase (as HTTP/2 and HTTP/3 send it).
    const NAME: &'static str;
}

/// Implements [`FieldValue`] for each type by its inherent methods of the same names, and
/// [`Field`] for those given a name: the one list of the crate's value types.
macro_rules! field_values {
    ($([$($gen:tt)*] $lt:lifetime $ty:ty $(=> $name:literal)?),* $(,)?) => {
        $(
            impl<$($gen)*> FieldValue<$lt> for $ty {
                fn parse(input: &$lt [u8]) -> Result<Self, Error> {
                    <$ty>::parse(input)
                }
                fn parse_lenient(input: &$lt [u8]) -> Result<Lenient<Self>, Error> {
                    <$ty>::parse_lenient(input)
                }
                fn encode(&self, buf: &mut [u8]) -> Result<usize, Error> {
                    <$ty>::encode(self, buf)
                }
                fn encoded_len(&self) -> usize {
                    <$ty>::encoded_len(self)
                }
            }
            field_name!([$($gen)*] $lt $ty $(, $name)?);
        )*
    };
}

/// The [`Field`] impl of one entry of [`field_values!`], if it has a name.
macro_rules! field_name {
    ([$($gen:tt)*] $lt:lifetime $ty:ty, $name:literal) => {
        impl<$($gen)*> Field<$lt> for $ty {
            const NAME: &'static str = $name;
        }
    };
    ([$($gen:tt)*] $lt:lifetime $ty:ty) => {};
}

field_values! {
    ['a, const N: usize] 'a limit::Limit<'a, N> => "ratelimit-limit",
    ['a] 'a remaining::Remaining => "ratelimit-remaining",
    ['a] 'a reset::Reset => "ratelimit-reset",
    ['a, const N: usize] 'a policy::RateLimitPolicy<'a, N> => "ratelimit-policy",
    ['a, const N: usize] 'a ratelimit::RateLimit<'a, N> => "ratelimit",
    ['a] 'a retry_after::RetryAfter => "retry-after",
    ['a] 'a retry_after::RetryAfterMs => "retry-after-ms",
    ['a] 'a date::HttpDate => "date",
    ['a] 'a vendor::Count,
    ['a] 'a vendor::DecimalCount,
    ['a] 'a vendor::UnixTime,
    ['a] 'a vendor::DecimalSeconds,
    ['a] 'a vendor::GoDuration,
    ['a] 'a vendor::Rfc3339,
    ['a] 'a vendor::CallLimit,
    ['a, const N: usize] 'a vendor::Label<N>,
    ['a] 'a vendor::DiscordScope,
    ['a] 'a vendor::Flag,
}

use crate::grammar::{self, ParseMode, trim_ows};
use crate::lenient::Tolerances;

/// Parses a whole field value that is one non-negative Integer Item (parameters allowed and
/// ignored, as draft-ietf-06 says), such as `RateLimit-Remaining` or `RateLimit-Reset`.
pub(crate) fn integer_item(
    input: &[u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<u64, Error> {
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
    let spaced = grammar::ows(rest);
    if spaced.first() == Some(&b';') && rest.len() != spaced.len() {
        ErrorKind::WhitespaceBeforeParameter
    } else {
        grammar::unexpected_kind(rest)
    }
}
