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

use core::fmt;
use core::marker::PhantomData;
use core::time::Duration;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::error::{Error, ErrorKind};
use crate::feedback::{Dialect, Feedback, Ignored, PolicyFeedback, PolicyId, QuotaUnit};
use crate::field::date::HttpDate;
use crate::field::limit::{Limit, QuotaPolicy};
use crate::field::policy::{Policy, RateLimitPolicy};
use crate::field::ratelimit::{LimitDictionary, RateLimit, ServiceLimit, is_dictionary};
use crate::field::remaining::Remaining;
use crate::field::reset::Reset;
use crate::field::retry_after::{RetryAfter, RetryAfterMs};
use crate::grammar::{Mode, nom_error, trim_ows};
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
    let (rest, p) = crate::field::limit::quota_policy(v, v, Mode::Strict, &mut tol)?;
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

// ---------------------------------------------------------------------------------------------
// Feedback.

/// A duration in seconds: an integer when whole, else a float.
struct Secs(Duration);

impl Serialize for Secs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.subsec_nanos() == 0 {
            s.serialize_u64(self.0.as_secs())
        } else {
            s.serialize_f64(self.0.as_secs_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Secs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Secs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative number of seconds")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Secs, E> {
                Ok(Secs(Duration::from_secs(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Secs, E> {
                u64::try_from(v)
                    .map(|v| Secs(Duration::from_secs(v)))
                    .map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Secs, E> {
                // Rounds to the nearest nanosecond.
                Duration::try_from_secs_f64(v)
                    .map(Secs)
                    .map_err(|_| E::invalid_value(Unexpected::Float(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// `retry_after_ms`: whole milliseconds, rounded up (a wait must not get shorter).
fn millis_up(d: Duration) -> u64 {
    let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    ms.saturating_add(u64::from(!d.subsec_nanos().is_multiple_of(1_000_000)))
}

impl Serialize for PolicyFeedback<'_> {
    /// `{"id": N, "name": S|null, "quota": N|null, "window_s": N|null, "unit": "requests",
    /// "remaining": N|null, "reset_s": N|null}`; durations in seconds, an integer when whole.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PolicyFeedback", 7)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("quota", &self.quota)?;
        st.serialize_field("window_s", &self.window.map(Secs))?;
        st.serialize_field("unit", &self.unit)?;
        st.serialize_field("remaining", &self.remaining)?;
        st.serialize_field("reset_s", &self.reset.map(Secs))?;
        st.end()
    }
}

#[derive(serde::Deserialize)]
#[serde(rename = "PolicyFeedback")]
struct PolicyRepr<'a> {
    #[serde(default)]
    id: Option<PolicyId>,
    #[serde(default, borrow)]
    name: Option<&'a str>,
    #[serde(default)]
    quota: Option<u64>,
    #[serde(default)]
    window_s: Option<Secs>,
    #[serde(default)]
    unit: QuotaUnit,
    #[serde(default)]
    remaining: Option<i64>,
    #[serde(default)]
    reset_s: Option<Secs>,
}

impl<'de> Deserialize<'de> for PolicyFeedback<'de> {
    /// The object [`Serialize`] writes; every member may be left out. Without `id`, the id is
    /// that of the name ([`PolicyId::named`]), else of the window ([`PolicyId::window`]), else
    /// [`PolicyId::ANONYMOUS`]. The name is borrowed.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = PolicyRepr::deserialize(d)?;
        let window = r.window_s.map(|s| s.0);
        let id = match (r.id, r.name, window) {
            (Some(id), _, _) => id,
            (None, Some(n), _) => PolicyId::named(n.as_bytes()),
            (None, None, Some(w)) => PolicyId::window(w.as_secs()),
            (None, None, None) => PolicyId::ANONYMOUS,
        };
        Ok(PolicyFeedback {
            id,
            name: r.name,
            quota: r.quota,
            window,
            unit: r.unit,
            remaining: r.remaining,
            reset: r.reset_s.map(|s| s.0),
        })
    }
}

/// A header name as a string; bytes that are not UTF-8 become U+FFFD.
struct Lossy<'a>(&'a [u8]);

impl fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for Ignored<'_> {
    /// `{"header": S, "error": {...}}` (the header name as received; see [`Error`]'s format).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Ignored", 2)?;
        st.serialize_field("header", &AsStr(&Lossy(self.header)))?;
        st.serialize_field("error", &self.error)?;
        st.end()
    }
}

#[derive(serde::Deserialize)]
#[serde(rename = "Ignored")]
struct IgnoredRepr<'a> {
    #[serde(borrow)]
    header: &'a str,
    error: Error,
}

impl<'de> Deserialize<'de> for Ignored<'de> {
    /// The object [`Serialize`] writes; the header name is borrowed.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = IgnoredRepr::deserialize(d)?;
        Ok(Ignored {
            header: r.header.as_bytes(),
            error: r.error,
        })
    }
}

impl<const P: usize, const I: usize> Serialize for Feedback<'_, P, I> {
    /// The object described in the crate docs ("serde formats").
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Feedback", FEEDBACK_FIELDS.len())?;
        st.serialize_field("status", &self.status())?;
        st.serialize_field("dialect", &self.dialect())?;
        st.serialize_field("policies", self.policies())?;
        st.serialize_field("retry_after_ms", &self.retry_after().map(millis_up))?;
        st.serialize_field("from_cache", &self.from_cache())?;
        st.serialize_field("tolerances", &self.tolerances())?;
        st.serialize_field("ignored", self.ignored())?;
        st.serialize_field("ignored_overflow", &self.ignored_overflow())?;
        st.end()
    }
}

const FEEDBACK_FIELDS: &[&str] = &[
    "status",
    "dialect",
    "policies",
    "retry_after_ms",
    "from_cache",
    "tolerances",
    "ignored",
    "ignored_overflow",
];

#[derive(Clone, Copy, serde::Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Key {
    Status,
    Dialect,
    Policies,
    RetryAfterMs,
    FromCache,
    Tolerances,
    Ignored,
    IgnoredOverflow,
    #[serde(other)]
    Other,
}

/// At most `P` policies, in fixed storage.
struct PolicyList<'de, const P: usize>(heapless::Vec<PolicyFeedback<'de>, P>);

impl<'de, const P: usize> Deserialize<'de> for PolicyList<'de, P> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'de, const P: usize>(PhantomData<&'de ()>);
        impl<'de, const P: usize> Visitor<'de> for V<'de, P> {
            type Value = PolicyList<'de, P>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list of at most {P} policies")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut list = heapless::Vec::new();
                while let Some(p) = seq.next_element::<PolicyFeedback<'de>>()? {
                    if list.push(p).is_err() {
                        return Err(de::Error::invalid_length(P.saturating_add(1), &self));
                    }
                }
                Ok(PolicyList(list))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

/// The ignored fields that fit in `I`, and how many did not.
struct IgnoredList<'de, const I: usize>(heapless::Vec<Ignored<'de>, I>, u16);

impl<'de, const I: usize> Deserialize<'de> for IgnoredList<'de, I> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'de, const I: usize>(PhantomData<&'de ()>);
        impl<'de, const I: usize> Visitor<'de> for V<'de, I> {
            type Value = IgnoredList<'de, I>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of ignored fields")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut list = heapless::Vec::new();
                let mut overflow = 0u16;
                while let Some(i) = seq.next_element::<Ignored<'de>>()? {
                    if list.push(i).is_err() {
                        overflow = overflow.saturating_add(1);
                    }
                }
                Ok(IgnoredList(list, overflow))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

/// The members of a `Feedback` object, as read.
struct Parts<'de, const P: usize, const I: usize> {
    status: Option<u16>,
    dialect: Dialect,
    policies: PolicyList<'de, P>,
    retry_after_ms: Option<u64>,
    from_cache: bool,
    tolerances: Tolerances,
    ignored: IgnoredList<'de, I>,
    ignored_overflow: u16,
}

impl<'de, const P: usize, const I: usize> Parts<'de, P, I> {
    fn new() -> Self {
        Parts {
            status: None,
            dialect: Dialect::None,
            policies: PolicyList(heapless::Vec::new()),
            retry_after_ms: None,
            from_cache: false,
            tolerances: Tolerances::new(),
            ignored: IgnoredList(heapless::Vec::new(), 0),
            ignored_overflow: 0,
        }
    }

    fn build<E: de::Error>(self) -> Result<Feedback<'de, P, I>, E> {
        let mut fb = Feedback::new(self.status);
        fb.set_dialect(self.dialect);
        fb.set_retry_after(self.retry_after_ms.map(Duration::from_millis));
        fb.set_from_cache(self.from_cache);
        fb.set_tolerances(self.tolerances);
        for p in self.policies.0 {
            fb.push_policy(p)
                .map_err(|_| E::custom(format_args!("more than {P} distinct policies")))?;
        }
        for i in self.ignored.0 {
            fb.push_ignored(i.header, i.error);
        }
        let overflow = self.ignored_overflow.saturating_add(self.ignored.1);
        if overflow > 0 && fb.ignored().len() < I {
            return Err(E::custom(
                "`ignored_overflow` is not 0 but the `ignored` list is not full",
            ));
        }
        // The list is full: each push is counted as overflow and not stored.
        for _ in 0..overflow {
            fb.push_ignored(b"", Error::new(ErrorKind::CapacityExceeded, I));
        }
        Ok(fb)
    }
}

impl<'de, const P: usize, const I: usize> Deserialize<'de> for Feedback<'de, P, I> {
    /// The object [`Serialize`] writes. Every member may be left out (defaults: null,
    /// `"none"`, empty, `false`, 0) and unknown members are skipped. Policy names and ignored
    /// header names are borrowed from the input. Fails when the policies do not fit in `P`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("Feedback", FEEDBACK_FIELDS, FeedbackVisitor(PhantomData))
    }
}

struct FeedbackVisitor<'de, const P: usize, const I: usize>(PhantomData<&'de ()>);

impl<'de, const P: usize, const I: usize> Visitor<'de> for FeedbackVisitor<'de, P, I> {
    type Value = Feedback<'de, P, I>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Feedback object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut parts = Parts::<P, I>::new();
        let mut seen = [false; 8];
        while let Some(key) = map.next_key::<Key>()? {
            // `Key` lists the members in `FEEDBACK_FIELDS` order; `Other` is past the end.
            // proven: the cast reads the discriminant of a fieldless enum (0 to 8).
            let i = key as usize;
            if let (Some(s), Some(name)) = (seen.get_mut(i), FEEDBACK_FIELDS.get(i)) {
                if *s {
                    return Err(de::Error::duplicate_field(name));
                }
                *s = true;
            }
            match key {
                Key::Status => parts.status = map.next_value()?,
                Key::Dialect => parts.dialect = map.next_value()?,
                Key::Policies => parts.policies = map.next_value()?,
                Key::RetryAfterMs => parts.retry_after_ms = map.next_value()?,
                Key::FromCache => parts.from_cache = map.next_value()?,
                Key::Tolerances => parts.tolerances = map.next_value()?,
                Key::Ignored => parts.ignored = map.next_value()?,
                Key::IgnoredOverflow => parts.ignored_overflow = map.next_value()?,
                Key::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        parts.build()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut parts = Parts::<P, I>::new();
        let missing = |i: usize| de::Error::invalid_length(i, &"a Feedback of 8 members");
        parts.status = seq.next_element()?.ok_or_else(|| missing(0))?;
        parts.dialect = seq.next_element()?.ok_or_else(|| missing(1))?;
        parts.policies = seq.next_element()?.ok_or_else(|| missing(2))?;
        parts.retry_after_ms = seq.next_element()?.ok_or_else(|| missing(3))?;
        parts.from_cache = seq.next_element()?.ok_or_else(|| missing(4))?;
        parts.tolerances = seq.next_element()?.ok_or_else(|| missing(5))?;
        parts.ignored = seq.next_element()?.ok_or_else(|| missing(6))?;
        parts.ignored_overflow = seq.next_element()?.ok_or_else(|| missing(7))?;
        parts.build()
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

    #[test]
    fn millis_round_up() {
        assert_eq!(millis_up(Duration::from_micros(1)), 1);
        assert_eq!(millis_up(Duration::from_millis(1500)), 1500);
        assert_eq!(millis_up(Duration::MAX), u64::MAX);
    }
}
