//! `Serialize` and `Deserialize` (feature `serde`): `no_std`, no allocation.
//!
//! - Field values (`Limit`, `Remaining`, `Reset`, `RateLimitPolicy`, `RateLimit`,
//!   `RetryAfter`, `RetryAfterMs`, `HttpDate`, and the parts `QuotaPolicy`, `Policy`,
//!   `ServiceLimit`, `LimitDictionary`, `Params`, `BareItem`) are their canonical field value
//!   as a string (`Display`, written with `collect_str`), and are read back with the strict
//!   parser. `SfStr` is its escaped content and `ByteSeq` its base64 text. Types with a
//!   lifetime borrow from the input, so they need a borrowed string: `serde_json::from_str`
//!   gives one unless the JSON string has escapes (a `"` inside a value always is escaped in
//!   JSON, so named policies cannot be read back from JSON; see the crate docs).
//! - `Tolerance`, `ErrorKind`: the variant name (`"NegativeClamped"`); `Tolerances`: a list of
//!   them. `Dialect`, `QuotaUnit`: their `as_str` name (`"ietf-fields"`, `"requests"`).
//!   `PolicyId`: its hash as an integer.
//! - `Error`: `{"kind", "offset", "found", "message"}`; `message` is ignored when reading.
//! - `Feedback`: the object described in the crate docs, for self-describing formats (a
//!   duration is an integer or a float; structs given as arrays, as MessagePack does, are
//!   read too).

mod feedback;

use core::fmt;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::error::{Error, ErrorKind};
use crate::feedback::{Dialect, PolicyId, QuotaUnit};
use crate::field::date::HttpDate;
use crate::field::limit::{Limit, QuotaPolicy};
use crate::field::policy::{Policy, RateLimitPolicy};
use crate::field::ratelimit::{LimitDictionary, RateLimit, ServiceLimit, is_dictionary};
use crate::field::remaining::Remaining;
use crate::field::reset::Reset;
use crate::field::retry_after::{RetryAfter, RetryAfterMs};
use crate::grammar::{ParseMode, nom_error, trim_ows};
use crate::lenient::{Tolerance, Tolerances};
use crate::sf::{BareItem, ByteSeq, Params, SfStr};

// ---------------------------------------------------------------------------------------------
// Field values: canonical strings.

/// The serde error for a value that failed to parse: names the field, keeps the offset.
fn invalid<E: de::Error>(what: &str, e: Error) -> E {
    E::custom(format_args!("invalid {what} value: {e}"))
}

/// Reads a value that owns nothing: any string (or bytes) will do.
struct OwnedValue<T> {
    what: &'static str,
    parse: fn(&[u8]) -> Result<T, Error>,
}

impl<T> Visitor<'_> for OwnedValue<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} field value as a string", self.what)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.visit_bytes(v.as_bytes())
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<T, E> {
        (self.parse)(v).map_err(|e| invalid(self.what, e))
    }
}

/// Reads a value that borrows from the input: only a borrowed string (or bytes) will do.
struct BorrowedValue<'de, T> {
    what: &'static str,
    parse: fn(&'de [u8]) -> Result<T, Error>,
}

impl<'de, T> Visitor<'de> for BorrowedValue<'de, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} field value as a borrowed string (the value borrows from the input, so the \
             string must not need unescaping)",
            self.what
        )
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<T, E> {
        self.visit_borrowed_bytes(v.as_bytes())
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<T, E> {
        (self.parse)(v).map_err(|e| invalid(self.what, e))
    }
}

/// Serializes a `Display` value with `collect_str` (no allocation).
struct AsStr<'v, T: ?Sized>(&'v T);

impl<T: fmt::Display + ?Sized> Serialize for AsStr<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

macro_rules! owned_value {
    ($($ty:ty => $what:literal, $parse:expr;)*) => {$(
        impl Serialize for $ty {
            /// The canonical field value, as a string.
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            /// A string holding a strictly valid field value.
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(OwnedValue { what: $what, parse: $parse })
            }
        }
    )*};
}

owned_value! {
    Remaining => "RateLimit-Remaining", Remaining::parse;
    Reset => "RateLimit-Reset", reset;
    RetryAfter => "Retry-After", RetryAfter::parse;
    RetryAfterMs => "retry-after-ms", RetryAfterMs::parse;
    HttpDate => "HTTP-date", HttpDate::parse;
}

macro_rules! borrowed_value {
    ($([$($gen:tt)*] $ty:ty => $what:literal, $parse:expr;)*) => {$(
        impl<'a, $($gen)*> Serialize for $ty {
            /// The canonical field value, as a string.
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'a, $($gen)*> Deserialize<'a> for $ty {
            /// A borrowed string holding a strictly valid field value.
            fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(BorrowedValue { what: $what, parse: $parse })
            }
        }
    )*};
}

borrowed_value! {
    [const N: usize] Limit<'a, N> => "RateLimit-Limit", |v| Limit::parse(v);
    [const N: usize] RateLimitPolicy<'a, N> => "RateLimit-Policy", |v| RateLimitPolicy::parse(v);
    [const N: usize] RateLimit<'a, N> => "RateLimit", |v| RateLimit::parse(v);
    [] QuotaPolicy<'a> => "quota policy", quota_policy;
    [] Policy<'a> => "RateLimit-Policy item", policy;
    [] ServiceLimit<'a> => "RateLimit item", service_limit;
    [] Params<'a> => "parameters", |v| Params::parse(v);
    [] BareItem<'a> => "bare item", bare_item;
}

/// Strict `RateLimit-Reset`, or the IMF-fixdate that [`Reset::At`] encodes to.
fn reset(v: &[u8]) -> Result<Reset, Error> {
    match Reset::parse(v) {
        Ok(r) => Ok(r),
        Err(e) if trim_ows(v).0.first().is_some_and(u8::is_ascii_alphabetic) => {
            HttpDate::parse(v).map(Reset::At).map_err(|_| e)
        }
        Err(e) => Err(e),
    }
}

/// Exactly one quota policy, `quota;w=window[;params]`.
fn quota_policy(v: &[u8]) -> Result<QuotaPolicy<'_>, Error> {
    let mut tol = Tolerances::new();
    let (rest, p) = crate::field::limit::quota_policy(v, v, ParseMode::Strict, &mut tol)?;
    match rest.first() {
        None => Ok(p),
        Some(b) => Err(
            Error::new(crate::field::after_item_kind(rest), v.len() - rest.len())
                .with_found(Some(*b)),
        ),
    }
}

/// Exactly one `RateLimit-Policy` item (a second one exceeds the capacity of one).
fn policy(v: &[u8]) -> Result<Policy<'_>, Error> {
    let list = RateLimitPolicy::<1>::parse(v)?;
    list.policies()
        .first()
        .copied()
        .ok_or(Error::new(ErrorKind::Empty, 0))
}

/// Exactly one item of the draft-ietf-08+ `RateLimit` list.
fn service_limit(v: &[u8]) -> Result<ServiceLimit<'_>, Error> {
    match RateLimit::<1>::parse(v)? {
        RateLimit::List(items) => items
            .first()
            .copied()
            .ok_or(Error::new(ErrorKind::Empty, 0)),
        RateLimit::Dictionary(_) => Err(Error::new(ErrorKind::WrongType, trim_ows(v).1)),
    }
}

/// The draft-ietf-07 `RateLimit` dictionary.
fn limit_dictionary(v: &[u8]) -> Result<LimitDictionary<'_>, Error> {
    let (trimmed, start) = trim_ows(v);
    if !trimmed.is_empty() && !is_dictionary(trimmed) {
        return Err(Error::new(ErrorKind::WrongType, start));
    }
    match RateLimit::<0>::parse(v)? {
        RateLimit::Dictionary(d) => Ok(d),
        RateLimit::List(_) => Err(Error::new(ErrorKind::WrongType, start)),
    }
}

/// Exactly one bare item, strict.
fn bare_item(v: &[u8]) -> Result<BareItem<'_>, Error> {
    match crate::grammar::sf::bare_item(v) {
        Ok(([], item)) => Ok(item),
        Ok((rest, _)) => Err(Error::new(
            crate::grammar::unexpected_kind(rest),
            v.len() - rest.len(),
        )
        .with_found(rest.first().copied())),
        Err(e) => Err(nom_error(e, &[]).to_error(v)),
    }
}

impl Serialize for LimitDictionary<'_> {
    /// The canonical `RateLimit` dictionary (`limit=100, remaining=50, reset=5`), as a string.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&RateLimit::<0>::Dictionary(*self))
    }
}

impl<'a> Deserialize<'a> for LimitDictionary<'a> {
    /// A borrowed string holding a strictly valid draft-ietf-07 `RateLimit` dictionary.
    fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(BorrowedValue {
            what: "RateLimit dictionary",
            parse: limit_dictionary,
        })
    }
}

/// Borrowed bytes as text; the first byte that is not UTF-8 is a [`ErrorKind::NonAscii`].
fn utf8(v: &[u8]) -> Result<&str, Error> {
    core::str::from_utf8(v).map_err(|e| {
        Error::new(ErrorKind::NonAscii, e.valid_up_to()).with_found(v.get(e.valid_up_to()).copied())
    })
}

impl Serialize for SfStr<'_> {
    /// The escaped content (without the quotes), as on the wire.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.raw())
    }
}

impl<'a> Deserialize<'a> for SfStr<'a> {
    /// A borrowed string of escaped content, checked as [`SfStr::from_escaped`] does.
    fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(BorrowedValue {
            what: "String",
            parse: |v| utf8(v).and_then(SfStr::from_escaped),
        })
    }
}

impl Serialize for ByteSeq<'_> {
    /// The base64 text (without the colons), as on the wire.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.base64())
    }
}

impl<'a> Deserialize<'a> for ByteSeq<'a> {
    /// A borrowed string of base64, checked as [`ByteSeq::from_base64`] does.
    fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(BorrowedValue {
            what: "Byte Sequence",
            parse: |v| utf8(v).and_then(ByteSeq::from_base64),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Names: Tolerance, ErrorKind, Dialect, QuotaUnit.

/// For an enum: the list of variants, their names, and `fn(variant) -> name`. The `match` is
/// exhaustive, so a new variant does not compile until it is listed here.
macro_rules! names {
    ($ty:ident, $all:ident, $names:ident, $name_of:ident, variant: [$($v:ident),* $(,)?]) => {
        const $all: &[$ty] = &[$($ty::$v),*];
        const $names: &[&str] = &[$(stringify!($v)),*];
        const fn $name_of(x: $ty) -> &'static str {
            match x { $($ty::$v => stringify!($v)),* }
        }
    };
    ($ty:ident, $all:ident, $names:ident, $name_of:ident, as_str: [$($v:ident),* $(,)?]) => {
        const $all: &[$ty] = &[$($ty::$v),*];
        const $names: &[&str] = &[$($ty::$v.as_str()),*];
        const fn $name_of(x: $ty) -> &'static str {
            match x { $($ty::$v => $ty::$v.as_str()),* }
        }
    };
}

names!(Tolerance, TOLERANCES, TOLERANCE_NAMES, tolerance_name, variant: [
    EmptyListMember, WindowAlias, UppercaseKey, WhitespaceAroundSemicolon, IntegerSaturated,
    NegativeClamped, MissingWindow, ResetAsDate, TokenName, ZeroWindow, MissingRemaining,
    DuplicateQuota, DecimalSeconds, LooseDate, DecimalValue, ExtraFractionDigits, MissingUnit,
    HttpDateForTimestamp,
]);

names!(ErrorKind, ERROR_KINDS, ERROR_KIND_NAMES, error_kind_name, variant: [
    Empty, NonAscii, UnexpectedByte, ExpectedDigit, IntegerTooLong, InvalidDecimal, Negative,
    WrongType, ExpectedKey, InvalidString, UnterminatedString, InvalidByteSequence,
    InvalidBoolean, ExpectedComma, EmptyListMember, TrailingComma, WhitespaceBeforeParameter,
    MissingWindow, InvalidDate, CapacityExceeded, BufferTooSmall, InvalidDuration,
    InvalidTimestamp, MissingParameter, ZeroWindow, DuplicateQuota, NeedsClock, Repeated,
]);

names!(Dialect, DIALECTS, DIALECT_NAMES, dialect_name, as_str: [
    None, IetfFields, IetfDictionary, IetfNamed, GitHub, Twitter, Discord, OpenAi, Anthropic,
    Reddit, Shopify, GitLab, Kong, RetryAfterOnly,
]);

names!(QuotaUnit, QUOTA_UNITS, QUOTA_UNIT_NAMES, quota_unit_name, as_str: [
    Requests, ContentBytes, ConcurrentRequests, Tokens, Other,
]);

/// Reads one of `names`, giving the variant at the same index of `all`.
struct NameVisitor<T: 'static> {
    what: &'static str,
    all: &'static [T],
    names: &'static [&'static str],
}

impl<T: Copy> Visitor<'_> for NameVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the name of a {}", self.what)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.names
            .iter()
            .position(|n| *n == v)
            .and_then(|i| self.all.get(i).copied())
            .ok_or_else(|| E::unknown_variant(v, self.names))
    }
}

macro_rules! by_name {
    ($($ty:ident => $what:literal, $all:ident, $names:ident, $name_of:ident;)*) => {$(
        impl Serialize for $ty {
            /// Its name, as a string.
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($name_of(*self))
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            /// One of the names [`Serialize`] writes.
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(NameVisitor { what: $what, all: $all, names: $names })
            }
        }
    )*};
}

by_name! {
    Tolerance => "tolerance", TOLERANCES, TOLERANCE_NAMES, tolerance_name;
    ErrorKind => "error kind", ERROR_KINDS, ERROR_KIND_NAMES, error_kind_name;
    Dialect => "dialect", DIALECTS, DIALECT_NAMES, dialect_name;
    QuotaUnit => "quota unit", QUOTA_UNITS, QUOTA_UNIT_NAMES, quota_unit_name;
}

impl Serialize for Tolerances {
    /// The tolerances' names, as a list.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Tolerances {
    /// A list of tolerance names (repeats allowed).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tolerances;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of tolerance names")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tolerances, A::Error> {
                let mut set = Tolerances::new();
                while let Some(t) = seq.next_element::<Tolerance>()? {
                    set.insert(t);
                }
                Ok(set)
            }
        }
        d.deserialize_seq(V)
    }
}

impl Serialize for PolicyId {
    /// The hash, as an unsigned integer.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.get())
    }
}

impl<'de> Deserialize<'de> for PolicyId {
    /// An unsigned integer.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        u64::deserialize(d).map(PolicyId::from_raw)
    }
}

// ---------------------------------------------------------------------------------------------
// Error.

impl Serialize for Error {
    /// `{"kind": "UnexpectedByte", "offset": 1, "found": 120, "message": "unexpected byte,
    /// found `x` at byte 1"}`; `found` is the offending byte or null.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Error", 4)?;
        st.serialize_field("kind", &self.kind())?;
        st.serialize_field("offset", &u64::try_from(self.offset()).unwrap_or(u64::MAX))?;
        st.serialize_field("found", &self.found())?;
        st.serialize_field("message", &AsStr(self))?;
        st.end()
    }
}

#[derive(serde::Deserialize)]
#[serde(rename = "Error")]
struct ErrorRepr {
    kind: ErrorKind,
    #[serde(default)]
    offset: u64,
    #[serde(default)]
    found: Option<u8>,
}

impl<'de> Deserialize<'de> for Error {
    /// The object [`Serialize`] writes; `offset` and `found` may be left out, `message` is
    /// ignored (it is derived from the rest).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = ErrorRepr::deserialize(d)?;
        let offset = usize::try_from(r.offset).unwrap_or(usize::MAX);
        Ok(Error::new(r.kind, offset).with_found(r.found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_tables_line_up() {
        for (i, t) in TOLERANCES.iter().enumerate() {
            assert_eq!(TOLERANCE_NAMES.get(i).copied(), Some(tolerance_name(*t)));
        }
        for (i, k) in ERROR_KINDS.iter().enumerate() {
            assert_eq!(ERROR_KIND_NAMES.get(i).copied(), Some(error_kind_name(*k)));
        }
        for (i, d) in DIALECTS.iter().enumerate() {
            assert_eq!(DIALECT_NAMES.get(i).copied(), Some(dialect_name(*d)));
        }
        for (i, u) in QUOTA_UNITS.iter().enumerate() {
            assert_eq!(QUOTA_UNIT_NAMES.get(i).copied(), Some(quota_unit_name(*u)));
        }
    }
}
