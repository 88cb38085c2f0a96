//! Whole and decimal counts: the `X-RateLimit-{Limit,Remaining,Used}` family and Reddit's `599.0`.

use core::str::FromStr;

use super::{put_fraction, signed_decimal, whole};
use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::grammar::{PResult, ParseMode, fail};
use crate::lenient::{Lenient, Tolerance, Tolerances};

/// A whole count, `1*DIGIT`: `x-ratelimit-limit`, `-remaining`, `-used` (GitHub, Discord,
/// express-rate-limit legacy), `x-rate-limit-*` (X), `x-ratelimit-{limit,remaining}-{requests,
/// tokens}` (OpenAI, Groq, Azure OpenAI) and Kong's `X-RateLimit-{Limit,Remaining}-<Period>`.
///
/// Unlike `RateLimit-Remaining` these are not Structured Fields: there is no 15-digit limit
/// (values over `u64::MAX` read as `u64::MAX`), no parameters, and leading zeros are allowed.
///
/// ```
/// use ratelimit_headers::field::vendor::Count;
/// use ratelimit_headers::Tolerance;
///
/// assert_eq!(Count::parse(b"4999")?.get(), 4999);
/// assert_eq!(Count::new(13).to_string(), "13");
///
/// // Azure OpenAI sends `-1` as a sentinel; rate-limiters send it for "over quota".
/// assert!(Count::parse(b"-1").is_err());
/// let l = Count::parse_lenient(b"-1")?;
/// assert_eq!(l.value.get(), 0);
/// assert!(l.tolerances.contains(Tolerance::NegativeClamped));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
///
/// A negative *limit* is not a limit of 0: Azure's `x-ratelimit-limit-tokens: -1` means "no
/// limit reported". When reading a limit, treat a lenient result carrying
/// [`Tolerance::NegativeClamped`] as unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Count(u64);

impl Count {
    /// A count of `n`.
    pub const fn new(n: u64) -> Self {
        Count(n)
    }

    /// The count.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// Strict parse: `1*DIGIT`. A sign is an [`ErrorKind::Negative`], a fraction an
    /// [`ErrorKind::WrongType`].
    ///
    /// ```
    /// use ratelimit_headers::{ErrorKind, field::vendor::Count};
    /// assert_eq!(Count::parse(b" 007 ")?.get(), 7);
    /// assert_eq!(Count::parse(b"1.5").unwrap_err().kind(), ErrorKind::WrongType);
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        whole(input, |v| {
            count(v, ParseMode::Strict, &mut Tolerances::new())
        })
        .map(Count)
    }

    /// Lenient parse: also a negative value, read as 0 ([`Tolerance::NegativeClamped`]), and
    /// a decimal, rounded down ([`Tolerance::DecimalValue`]).
    ///
    /// ```
    /// use ratelimit_headers::{Tolerance, field::vendor::Count};
    /// let l = Count::parse_lenient(b"599.7")?;
    /// assert_eq!(l.value.get(), 599);
    /// assert!(l.tolerances.contains(Tolerance::DecimalValue));
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let mut tolerances = Tolerances::new();
        let value = whole(input, |v| count(v, ParseMode::Lenient, &mut tolerances)).map(Count)?;
        Ok(Lenient { value, tolerances })
    }
}

fn count<'a>(value: &'a [u8], mode: ParseMode, tol: &mut Tolerances) -> PResult<'a, u64> {
    let (rest, (negative, parts)) = signed_decimal(value)?;
    if negative {
        if !mode.lenient() {
            return fail(value, ErrorKind::Negative);
        }
        tol.insert(Tolerance::NegativeClamped);
    }
    if !parts.fraction.is_empty() {
        if !mode.lenient() {
            return fail(value, ErrorKind::WrongType);
        }
        tol.insert(Tolerance::DecimalValue);
    }
    Ok((rest, if negative { 0 } else { parts.int }))
}

impl EncodeTo for Count {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put_u64(self.0)
    }
}

impl_encode!(
    [] Count,
    "```\nlet mut buf = [0u8; 20];\nlet n = ratelimit_headers::field::vendor::Count::new(4999).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"4999\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] Count);

impl From<Count> for u64 {
    fn from(c: Count) -> u64 {
        c.0
    }
}

impl From<u64> for Count {
    fn from(n: u64) -> Count {
        Count(n)
    }
}

/// A count that may have a fraction, kept in thousandths: Reddit's approximate
/// `X-Ratelimit-Remaining: 599.0` (Reddit's client library reads it with `float()`).
///
/// The format is `1*DIGIT [ "." 1*DIGIT ]`; fraction digits past the third are dropped
/// (rounded down: never more requests left than the server said). Encoded with at least one
/// fraction digit, as Reddit sends it.
///
/// ```
/// use ratelimit_headers::field::vendor::DecimalCount;
///
/// let r = DecimalCount::parse(b"599.0")?;
/// assert_eq!((r.floor(), r.milli()), (599, 599_000));
/// assert_eq!(r.to_string(), "599.0");
/// assert_eq!(DecimalCount::parse(b"12.3456")?.milli(), 12_345);
/// assert_eq!(DecimalCount::from_milli(1_500).to_string(), "1.5");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DecimalCount {
    milli: u64,
}

impl DecimalCount {
    /// `milli` thousandths.
    pub const fn from_milli(milli: u64) -> Self {
        DecimalCount { milli }
    }

    /// A whole number `n`, saturated at `u64::MAX` thousandths.
    pub const fn from_whole(n: u64) -> Self {
        DecimalCount {
            milli: n.saturating_mul(1000),
        }
    }

    /// The value in thousandths.
    pub const fn milli(self) -> u64 {
        self.milli
    }

    /// The whole units: for a remaining count, the requests that can surely still be made.
    pub const fn floor(self) -> u64 {
        self.milli / 1000
    }

    /// Whether the value is below one whole unit.
    pub const fn is_exhausted(self) -> bool {
        self.milli < 1000
    }

    /// Strict parse: `1*DIGIT [ "." 1*DIGIT ]` (any number of fraction digits; the fourth
    /// and later are dropped). A sign is an [`ErrorKind::Negative`].
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        whole(input, |v| {
            decimal_count(v, ParseMode::Strict, &mut Tolerances::new())
        })
    }

    /// Lenient parse: also a negative value, read as 0 ([`Tolerance::NegativeClamped`]).
    ///
    /// ```
    /// use ratelimit_headers::{Tolerance, field::vendor::DecimalCount};
    /// let l = DecimalCount::parse_lenient(b"-1.0")?;
    /// assert_eq!(l.value.milli(), 0);
    /// assert!(l.tolerances.contains(Tolerance::NegativeClamped));
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let mut tolerances = Tolerances::new();
        let value = whole(input, |v| {
            decimal_count(v, ParseMode::Lenient, &mut tolerances)
        })?;
        Ok(Lenient { value, tolerances })
    }
}

fn decimal_count<'a>(
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, DecimalCount> {
    let (rest, (negative, parts)) = signed_decimal(value)?;
    if negative {
        if !mode.lenient() {
            return fail(value, ErrorKind::Negative);
        }
        tol.insert(Tolerance::NegativeClamped);
        return Ok((rest, DecimalCount::from_milli(0)));
    }
    let milli = parts
        .int
        .saturating_mul(1000)
        .saturating_add(u64::from(parts.fraction_millis_floor()));
    Ok((rest, DecimalCount::from_milli(milli)))
}

impl EncodeTo for DecimalCount {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put_u64(self.milli / 1000)?;
        put_fraction(out, self.milli % 1000, 3, true)
    }
}

impl_encode!(
    [] DecimalCount,
    "```\nlet mut buf = [0u8; 24];\nlet n = ratelimit_headers::field::vendor::DecimalCount::from_whole(599).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"599.0\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] DecimalCount);
