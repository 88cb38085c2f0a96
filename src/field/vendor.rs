//! The X-RateLimit family and vendor formats: the value types behind GitHub, X/Twitter,
//! Discord, OpenAI/Groq, Azure OpenAI, Anthropic, Reddit, Shopify, GitLab, Kong, Traefik and
//! express-rate-limit's legacy headers.
//!
//! | Header (dialect) | Example | Type |
//! |---|---|---|
//! | `x-ratelimit-limit`, `-remaining`, `-used` (GitHub, Discord, express legacy), `x-rate-limit-*` (X), `x-ratelimit-{limit,remaining}-{requests,tokens}` (OpenAI, Azure), `X-RateLimit-{Limit,Remaining}-<Period>` (Kong) | `4999`, Azure `-1` | [`Count`] |
//! | `x-ratelimit-reset` (GitHub, X, express legacy, Discord), `RateLimit-Reset` (GitLab) | `1705420800`, `1470173023.123` | [`UnixTime`] |
//! | `X-RateLimit-Reset-After` (Discord), `x-ratelimit-reset` (Reddit) | `64.57`, `600` | [`DecimalSeconds`] |
//! | `x-ratelimit-reset-{requests,tokens}` (OpenAI, Groq), `X-Retry-In` (Traefik) | `6m0s`, `83.333333ms`, `500µs` | [`GoDuration`] |
//! | `anthropic-ratelimit-*-reset` (Anthropic) | `2025-08-21T12:40:59Z` | [`Rfc3339`] |
//! | `X-Shopify-Shop-Api-Call-Limit` (Shopify), `X-Gorgias-Account-Api-Call-Limit` | `32/40` | [`CallLimit`] |
//! | `X-Ratelimit-Remaining` (Reddit) | `599.0` | [`DecimalCount`] |
//! | `x-ratelimit-resource` (GitHub), `X-RateLimit-Bucket` (Discord), `RateLimit-Name` (GitLab) | `core` | [`Label`] |
//! | `X-RateLimit-Scope` (Discord) | `shared` | [`DiscordScope`] |
//! | `X-RateLimit-Global` (Discord) | `true` | [`Flag`] |
//! | the `<Period>` of Kong's header names | `X-RateLimit-Remaining-Minute` | [`KongPeriod`] |
//!
//! The same header name means different things in different dialects (`x-ratelimit-reset` is
//! an epoch time at GitHub and a delay at Reddit; `RateLimit-Reset` is epoch at GitLab), so the
//! caller picks the type for the dialect it talks to.
//!
//! Each strict `parse` follows the vendor's documented format; `parse_lenient` also reads the
//! quirks seen in the wild and reports each as a [`Tolerance`]. Leading and trailing SP/HTAB
//! are ignored, as the HTTP layer strips them. Values are bytes, not `str`: Traefik sends the
//! micro sign `µ` as the UTF-8 bytes C2 B5.

use core::fmt;
use core::str::FromStr;
use core::time::Duration;

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::field::date::HttpDate;
use crate::grammar::time::{self, DecimalParts};
use crate::grammar::{Mode, PResult, TCHAR, fail, nom_error, trim_ows, unexpected_kind};
use crate::lenient::{Lenient, Tolerance, Tolerances};

/// Runs `parse` on the whole field value (OWS trimmed): an empty value and bytes left over
/// are errors; every offset is into `input`.
fn whole<'a, T>(
    input: &'a [u8],
    parse: impl FnOnce(&'a [u8]) -> PResult<'a, T>,
) -> Result<T, Error> {
    let (value, start) = trim_ows(input);
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    match parse(value) {
        Ok(([], v)) => Ok(v),
        Ok((rest, _)) => Err(Error::new(
            unexpected_kind(rest),
            start.saturating_add(value.len().saturating_sub(rest.len())),
        )
        .with_found(rest.first().copied())),
        Err(e) => Err(nom_error(e, &[]).to_error(value).shifted(start)),
    }
}

/// `[ "-" ] 1*DIGIT [ "." 1*DIGIT ]`: whether a `-` came first, and the magnitude.
fn signed_decimal(input: &[u8]) -> PResult<'_, (bool, DecimalParts<'_>)> {
    let (negative, rest) = match input.first() {
        Some(b'-') => (true, input.get(1..).unwrap_or(&[])),
        _ => (false, input),
    };
    let (rest, parts) = time::unsigned_decimal(rest)?;
    Ok((rest, (negative, parts)))
}

/// Fails at the fourth fraction digit of `parts` (which ends where `rest` starts, inside
/// `whole`) when there are more than three, unless lenient mode tolerates it.
fn at_most_millis<'a>(
    whole: &'a [u8],
    rest: &'a [u8],
    parts: &DecimalParts<'_>,
    mode: Mode,
    tol: &mut Tolerances,
) -> PResult<'a, ()> {
    if parts.fraction.len() <= 3 {
        return Ok((rest, ()));
    }
    if mode.lenient() {
        tol.insert(Tolerance::ExtraFractionDigits);
        return Ok((rest, ()));
    }
    let at = whole
        .len()
        .saturating_sub(rest.len())
        .saturating_sub(parts.fraction.len().saturating_sub(3));
    fail(whole.get(at..).unwrap_or(&[]), ErrorKind::InvalidDecimal)
}

/// Writes `.` and the `width` digits of `frac` (`frac < 10^width`, `width <= 9`) without
/// trailing zeros; nothing when `frac` is 0, unless `keep_one` (then `.0`).
fn put_fraction<S: Sink>(
    out: &mut S,
    frac: u64,
    width: usize,
    keep_one: bool,
) -> Result<(), Error> {
    if frac == 0 {
        return if keep_one { out.put(b".0") } else { Ok(()) };
    }
    let width = width.min(9);
    let mut digits = [b'0'; 9];
    let mut v = frac;
    for i in (0..width).rev() {
        if let Some(d) = digits.get_mut(i) {
            // proven: v % 10 < 10 fits in u8.
            *d = b'0' + (v % 10) as u8;
        }
        v /= 10;
    }
    let mut end = width;
    while end > 1 && digits.get(end - 1) == Some(&b'0') {
        end -= 1;
    }
    out.put(b".")?;
    out.put(digits.get(..end).unwrap_or(&[]))
}

/// The delay from `date_unix_seconds` until `target_ms` (milliseconds since the epoch); zero
/// for a target in the past; saturating.
fn delay_until_ms(target_ms: i128, date_unix_seconds: i64) -> Duration {
    let diff = target_ms.saturating_sub(i128::from(date_unix_seconds).saturating_mul(1000));
    match u128::try_from(diff) {
        Ok(ms) => time::duration_from_nanos(ms.saturating_mul(1_000_000)),
        Err(_) => Duration::ZERO,
    }
}

/// Adds `FromStr` (strict parse of the string's bytes) and `TryFrom<&[u8]>`.
macro_rules! impl_from_str {
    ([$($gen:tt)*] $ty:ty) => {
        impl<$($gen)*> FromStr for $ty {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                <$ty>::parse(s.as_bytes())
            }
        }

        impl<$($gen)*> TryFrom<&[u8]> for $ty {
            type Error = Error;
            fn try_from(v: &[u8]) -> Result<Self, Error> {
                <$ty>::parse(v)
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Count

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
        whole(input, |v| count(v, Mode::Strict, &mut Tolerances::new())).map(Count)
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
        let value = whole(input, |v| count(v, Mode::Lenient, &mut tolerances)).map(Count)?;
        Ok(Lenient { value, tolerances })
    }
}

fn count<'a>(value: &'a [u8], mode: Mode, tol: &mut Tolerances) -> PResult<'a, u64> {
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

// ---------------------------------------------------------------------------------------------
// DecimalCount

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
            decimal_count(v, Mode::Strict, &mut Tolerances::new())
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
        let value = whole(input, |v| decimal_count(v, Mode::Lenient, &mut tolerances))?;
        Ok(Lenient { value, tolerances })
    }
}

fn decimal_count<'a>(
    value: &'a [u8],
    mode: Mode,
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

// ---------------------------------------------------------------------------------------------
// UnixTime

/// An instant as seconds since the Unix epoch, optionally with milliseconds: the reset time
/// of GitHub, X (`x-rate-limit-reset`), express-rate-limit's legacy `X-RateLimit-Reset`,
/// GitLab's `RateLimit-Reset` (`1705420800`) and Discord (`1470173023.123`).
///
/// Convert to a delay with [`delay_from`](Self::delay_from), passing the response's own
/// `Date` so that the client's clock skew stays out.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::{HttpDate, field::vendor::UnixTime};
///
/// let reset = UnixTime::parse(b"1470173023.123")?;
/// assert_eq!((reset.secs(), reset.subsec_millis()), (1470173023, 123));
/// assert_eq!(reset.delay_from(1470173000), Duration::from_millis(23_123));
/// assert_eq!(reset.delay_from(1470173999), Duration::ZERO); // already past
/// let date = HttpDate::parse(b"Tue, 02 Aug 2016 21:23:40 GMT")?;
/// assert_eq!(reset.delay_from_date(date), Duration::from_millis(3_123));
/// assert_eq!(UnixTime::from_secs(1705420800).to_string(), "1705420800");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime {
    secs: u64,
    millis: u16,
}

impl UnixTime {
    /// `secs` seconds after the epoch.
    pub const fn from_secs(secs: u64) -> Self {
        UnixTime { secs, millis: 0 }
    }

    /// `millis` milliseconds after the epoch.
    pub const fn from_unix_millis(millis: u64) -> Self {
        UnixTime {
            secs: millis / 1000,
            // proven: millis % 1000 < 1000 fits in u16.
            millis: (millis % 1000) as u16,
        }
    }

    /// Whole seconds after the epoch.
    pub const fn secs(self) -> u64 {
        self.secs
    }

    /// The milliseconds past [`secs`](Self::secs) (0 to 999).
    pub const fn subsec_millis(self) -> u16 {
        self.millis
    }

    /// The time since the epoch.
    pub const fn since_epoch(self) -> Duration {
        // proven: millis < 1000 (every constructor keeps it so), so the nanoseconds are below
        // 10^9 and `Duration::new` carries nothing into the seconds. The `% 1000` changes no
        // value; it lets the optimiser see the bound and drop `Duration::new`'s overflow
        // panic, which it cannot prove from a `u16` field alone.
        Duration::new(self.secs, (self.millis % 1000) as u32 * 1_000_000)
    }

    /// The delay from `date_unix_seconds` (normally the response's `Date` header, see
    /// [`HttpDate::unix_seconds`]) until this instant; zero for an instant in the past.
    pub fn delay_from(self, date_unix_seconds: i64) -> Duration {
        let target = i128::from(self.secs) * 1000 + i128::from(self.millis);
        delay_until_ms(target, date_unix_seconds)
    }

    /// [`delay_from`](Self::delay_from) the given date.
    pub fn delay_from_date(self, date: HttpDate) -> Duration {
        self.delay_from(date.unix_seconds())
    }

    /// Strict parse: `1*DIGIT [ "." 1*3DIGIT ]` (seconds, and Discord's optional
    /// milliseconds). A fourth fraction digit is an [`ErrorKind::InvalidDecimal`]; seconds
    /// beyond `u64::MAX` read as `u64::MAX`.
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        whole(input, |v| {
            unix_time(v, Mode::Strict, &mut Tolerances::new())
        })
    }

    /// Lenient parse: also more than three fraction digits, rounded up to the millisecond
    /// ([`Tolerance::ExtraFractionDigits`]).
    ///
    /// ```
    /// use ratelimit_headers::{Tolerance, field::vendor::UnixTime};
    /// assert!(UnixTime::parse(b"1470173023.1231").is_err());
    /// let l = UnixTime::parse_lenient(b"1470173023.1231")?;
    /// assert_eq!(l.value.subsec_millis(), 124);
    /// assert!(l.tolerances.contains(Tolerance::ExtraFractionDigits));
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let mut tolerances = Tolerances::new();
        let value = whole(input, |v| unix_time(v, Mode::Lenient, &mut tolerances))?;
        Ok(Lenient { value, tolerances })
    }
}

fn unix_time<'a>(value: &'a [u8], mode: Mode, tol: &mut Tolerances) -> PResult<'a, UnixTime> {
    let (rest, parts) = time::unsigned_decimal(value)?;
    let (rest, ()) = at_most_millis(value, rest, &parts, mode, tol)?;
    let millis = parts.fraction_millis_ceil();
    let t = if millis >= 1000 {
        match parts.int.checked_add(1) {
            Some(secs) => UnixTime { secs, millis: 0 },
            None => UnixTime {
                secs: u64::MAX,
                millis: 999,
            },
        }
    } else {
        UnixTime {
            secs: parts.int,
            // proven: millis < 1000 fits in u16.
            millis: millis as u16,
        }
    };
    Ok((rest, t))
}

impl EncodeTo for UnixTime {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put_u64(self.secs)?;
        put_fraction(out, u64::from(self.millis), 3, false)
    }
}

impl_encode!(
    [] UnixTime,
    "```\nlet mut buf = [0u8; 32];\nlet t = ratelimit_headers::field::vendor::UnixTime::from_unix_millis(1470173023123);\nlet n = t.encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"1470173023.123\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] UnixTime);

// ---------------------------------------------------------------------------------------------
// DecimalSeconds

/// A delay in seconds with an optional fraction, kept to the millisecond: Discord's
/// `X-RateLimit-Reset-After: 64.57`, Reddit's `x-ratelimit-reset: 600`.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::field::vendor::DecimalSeconds;
///
/// let d = DecimalSeconds::parse(b"64.57")?;
/// assert_eq!(d.duration(), Duration::from_millis(64_570));
/// assert_eq!(d.to_string(), "64.57");
/// assert_eq!(DecimalSeconds::from_secs(600).to_string(), "600");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DecimalSeconds(Duration);

impl DecimalSeconds {
    /// `secs` seconds.
    pub const fn from_secs(secs: u64) -> Self {
        DecimalSeconds(Duration::from_secs(secs))
    }

    /// `millis` milliseconds.
    pub const fn from_millis(millis: u64) -> Self {
        DecimalSeconds(Duration::from_millis(millis))
    }

    /// `d` rounded **up** to the millisecond (saturating).
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::field::vendor::DecimalSeconds;
    /// let d = DecimalSeconds::from_duration(Duration::from_micros(1_500));
    /// assert_eq!(d.duration(), Duration::from_millis(2));
    /// ```
    pub const fn from_duration(d: Duration) -> Self {
        let millis = d.subsec_nanos().div_ceil(1_000_000);
        if millis < 1000 {
            DecimalSeconds(Duration::new(d.as_secs(), millis * 1_000_000))
        } else if d.as_secs() < u64::MAX {
            DecimalSeconds(Duration::from_secs(d.as_secs() + 1))
        } else {
            DecimalSeconds(Duration::new(u64::MAX, 999_000_000))
        }
    }

    /// The delay (a whole number of milliseconds).
    pub const fn duration(self) -> Duration {
        self.0
    }

    /// Strict parse: `1*DIGIT [ "." 1*3DIGIT ]` seconds. A fourth fraction digit is an
    /// [`ErrorKind::InvalidDecimal`], a sign an [`ErrorKind::Negative`].
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        whole(input, |v| {
            decimal_secs(v, Mode::Strict, &mut Tolerances::new())
        })
    }

    /// Lenient parse: also more than three fraction digits, rounded up to the millisecond
    /// ([`Tolerance::ExtraFractionDigits`]), and a negative delay, read as 0
    /// ([`Tolerance::NegativeClamped`]).
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::{Tolerance, field::vendor::DecimalSeconds};
    /// let l = DecimalSeconds::parse_lenient(b"0.0001")?;
    /// assert_eq!(l.value.duration(), Duration::from_millis(1));
    /// assert!(l.tolerances.contains(Tolerance::ExtraFractionDigits));
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let mut tolerances = Tolerances::new();
        let value = whole(input, |v| decimal_secs(v, Mode::Lenient, &mut tolerances))?;
        Ok(Lenient { value, tolerances })
    }
}

fn decimal_secs<'a>(
    value: &'a [u8],
    mode: Mode,
    tol: &mut Tolerances,
) -> PResult<'a, DecimalSeconds> {
    let negative = value.first() == Some(&b'-');
    let magnitude = if negative {
        value.get(1..).unwrap_or(&[])
    } else {
        value
    };
    let (rest, (d, _)) = time::decimal_seconds(magnitude)?;
    let consumed = crate::grammar::consumed(magnitude, rest);
    let fraction = match consumed.iter().position(|b| *b == b'.') {
        Some(dot) => consumed.get(dot.saturating_add(1)..).unwrap_or(&[]),
        None => &[],
    };
    let parts = DecimalParts { int: 0, fraction };
    let (rest, ()) = at_most_millis(value, rest, &parts, mode, tol)?;
    if negative {
        if !mode.lenient() {
            return fail(value, ErrorKind::Negative);
        }
        tol.insert(Tolerance::NegativeClamped);
        return Ok((rest, DecimalSeconds(Duration::ZERO)));
    }
    Ok((rest, DecimalSeconds(d)))
}

impl EncodeTo for DecimalSeconds {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put_u64(self.0.as_secs())?;
        put_fraction(out, u64::from(self.0.subsec_millis()), 3, false)
    }
}

impl_encode!(
    [] DecimalSeconds,
    "```\nlet mut buf = [0u8; 32];\nlet n = ratelimit_headers::field::vendor::DecimalSeconds::from_millis(64_570).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"64.57\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] DecimalSeconds);

impl From<DecimalSeconds> for Duration {
    fn from(d: DecimalSeconds) -> Duration {
        d.0
    }
}

// ---------------------------------------------------------------------------------------------
// GoDuration

/// A Go `time.Duration` string: OpenAI's and Groq's `x-ratelimit-reset-requests: 1s`,
/// `x-ratelimit-reset-tokens: 6m0s`, Traefik's `X-Retry-In: 83.333333ms` or `500µs`.
///
/// Read as Go's `time.ParseDuration` reads it: units `ns`, `us`,
/// `µs`, `μs`, `ms`, `s`, `m`, `h`; a lone `0`; an optional `+`. Kept to the nanosecond, never
/// overflowing (saturates at [`Duration::MAX`], where Go stops at about 292 years). Written in
/// Go's canonical `String()` form: `6m0s`, `1h2m3s`, `12ms`, `83.333333ms`, `2µs`, `0s`.
///
/// The canonical form of a duration under a millisecond uses the micro sign `µ` (U+00B5, bytes
/// C2 B5), a non-ASCII byte in the header value, exactly as Go and Traefik write it.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::field::vendor::GoDuration;
///
/// assert_eq!(GoDuration::parse(b"6m0s")?.duration(), Duration::from_secs(360));
/// assert_eq!(GoDuration::parse("2µs".as_bytes())?.duration(), Duration::from_micros(2));
/// assert_eq!(GoDuration::parse(b"6m")?.to_string(), "6m0s");
/// assert_eq!(GoDuration::new(Duration::from_secs(3723)).to_string(), "1h2m3s");
/// assert_eq!(GoDuration::new(Duration::from_nanos(83_333_333)).to_string(), "83.333333ms");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct GoDuration(Duration);

impl GoDuration {
    /// The duration `d`.
    pub const fn new(d: Duration) -> Self {
        GoDuration(d)
    }

    /// The duration.
    pub const fn duration(self) -> Duration {
        self.0
    }

    /// Strict parse, as Go's `time.ParseDuration`, except that a negative duration is an
    /// [`ErrorKind::Negative`] (a reset is never in the past) and nothing overflows. A number
    /// without a unit or an unknown unit is an [`ErrorKind::InvalidDuration`].
    ///
    /// ```
    /// use ratelimit_headers::{ErrorKind, field::vendor::GoDuration};
    /// let e = GoDuration::parse(b"60").unwrap_err();
    /// assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidDuration, 2));
    /// assert_eq!(GoDuration::parse(b"-1s").unwrap_err().kind(), ErrorKind::Negative);
    /// ```
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        whole(input, |v| go(v, Mode::Strict, &mut Tolerances::new()))
    }

    /// Lenient parse: also a bare number, read as seconds ([`Tolerance::MissingUnit`]), and a
    /// negative duration, read as 0 ([`Tolerance::NegativeClamped`]).
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::{Tolerance, field::vendor::GoDuration};
    /// let l = GoDuration::parse_lenient(b"60")?;
    /// assert_eq!(l.value.duration(), Duration::from_secs(60));
    /// assert!(l.tolerances.contains(Tolerance::MissingUnit));
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let mut tolerances = Tolerances::new();
        let value = whole(input, |v| go(v, Mode::Lenient, &mut tolerances))?;
        Ok(Lenient { value, tolerances })
    }
}

fn go<'a>(value: &'a [u8], mode: Mode, tol: &mut Tolerances) -> PResult<'a, GoDuration> {
    let (rest, parts) = time::go_duration_with(value, mode.lenient())?;
    if parts.unitless {
        tol.insert(Tolerance::MissingUnit);
    }
    if parts.negative && !parts.duration.is_zero() {
        if !mode.lenient() {
            return fail(value, ErrorKind::Negative);
        }
        tol.insert(Tolerance::NegativeClamped);
        return Ok((rest, GoDuration(Duration::ZERO)));
    }
    Ok((rest, GoDuration(parts.duration)))
}

impl EncodeTo for GoDuration {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        let secs = self.0.as_secs();
        let nanos = u64::from(self.0.subsec_nanos());
        if secs == 0 {
            // Under a second: the largest unit below it, with a fraction (Go's String()).
            return match nanos {
                0 => out.put(b"0s"),
                1..=999 => {
                    out.put_u64(nanos)?;
                    out.put(b"ns")
                }
                1_000..=999_999 => {
                    out.put_u64(nanos / 1_000)?;
                    put_fraction(out, nanos % 1_000, 3, false)?;
                    // U+00B5 MICRO SIGN, written in one piece so that it stays valid UTF-8.
                    out.put("µs".as_bytes())
                }
                _ => {
                    out.put_u64(nanos / 1_000_000)?;
                    put_fraction(out, nanos % 1_000_000, 6, false)?;
                    out.put(b"ms")
                }
            };
        }
        let hours = secs / 3600;
        if hours > 0 {
            out.put_u64(hours)?;
            out.put(b"h")?;
        }
        if secs >= 60 {
            out.put_u64(secs / 60 % 60)?;
            out.put(b"m")?;
        }
        out.put_u64(secs % 60)?;
        put_fraction(out, nanos, 9, false)?;
        out.put(b"s")
    }
}

impl_encode!(
    [] GoDuration,
    "```\nuse core::time::Duration;\nlet mut buf = [0u8; 40];\nlet d = ratelimit_headers::field::vendor::GoDuration::new(Duration::from_millis(179_560));\nlet n = d.encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"2m59.56s\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] GoDuration);

impl From<GoDuration> for Duration {
    fn from(d: GoDuration) -> Duration {
        d.0
    }
}

impl From<Duration> for GoDuration {
    fn from(d: Duration) -> GoDuration {
        GoDuration(d)
    }
}

// ---------------------------------------------------------------------------------------------
// Rfc3339

/// 0000-01-01T00:00:00Z in milliseconds since the epoch.
const RFC3339_MIN_MS: i64 = -62_167_219_200_000;
/// 9999-12-31T23:59:59.999Z in milliseconds since the epoch.
const RFC3339_MAX_MS: i64 = 253_402_300_799_999;

/// An RFC 3339 timestamp, kept to the millisecond in UTC: Anthropic's
/// `anthropic-ratelimit-requests-reset: 2025-08-21T12:40:59Z`.
///
/// Any offset (`+02:00`) and any number of fraction digits are read (the fraction rounded up
/// to the millisecond); the value is written in UTC as `YYYY-MM-DDThh:mm:ssZ`, with `.sss`
/// (trailing zeros dropped) when there are milliseconds. The instant must fall in years 0000
/// to 9999 in UTC.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::field::vendor::Rfc3339;
///
/// let t = Rfc3339::parse(b"2025-08-21T14:40:59+02:00")?;
/// assert_eq!(t.unix_seconds(), 1755780059);
/// assert_eq!(t.to_string(), "2025-08-21T12:40:59Z");
/// assert_eq!(t.delay_from(1755780000), Duration::from_secs(59));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rfc3339 {
    unix_millis: i64,
}

impl Rfc3339 {
    /// The instant `secs` seconds after the epoch, if it falls in years 0000 to 9999.
    pub const fn from_unix_seconds(secs: i64) -> Option<Self> {
        match secs.checked_mul(1000) {
            Some(ms) => Self::from_unix_millis(ms),
            None => None,
        }
    }

    /// The instant `millis` milliseconds after the epoch, if it falls in years 0000 to 9999.
    pub const fn from_unix_millis(millis: i64) -> Option<Self> {
        if millis < RFC3339_MIN_MS || millis > RFC3339_MAX_MS {
            None
        } else {
            Some(Rfc3339 {
                unix_millis: millis,
            })
        }
    }

    /// The instant of an HTTP-date.
    ///
    /// ```
    /// use ratelimit_headers::{HttpDate, field::vendor::Rfc3339};
    /// let d = HttpDate::parse(b"Thu, 21 Aug 2025 12:40:59 GMT")?;
    /// assert_eq!(Rfc3339::from_http_date(d).to_string(), "2025-08-21T12:40:59Z");
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn from_http_date(date: HttpDate) -> Self {
        // HTTP dates cover years 1 to 9999, inside the range: the saturation never applies.
        Rfc3339 {
            unix_millis: date
                .unix_seconds()
                .saturating_mul(1000)
                .clamp(RFC3339_MIN_MS, RFC3339_MAX_MS),
        }
    }

    /// Whole seconds since the epoch (rounded down; negative before 1970).
    pub const fn unix_seconds(self) -> i64 {
        self.unix_millis.div_euclid(1000)
    }

    /// The milliseconds past [`unix_seconds`](Self::unix_seconds) (0 to 999).
    pub const fn subsec_millis(self) -> u16 {
        // proven: rem_euclid(1000) is in 0..1000.
        self.unix_millis.rem_euclid(1000) as u16
    }

    /// Milliseconds since the epoch.
    pub const fn unix_millis(self) -> i64 {
        self.unix_millis
    }

    /// The delay from `date_unix_seconds` (normally the response's `Date` header) until this
    /// instant; zero for an instant in the past.
    pub fn delay_from(self, date_unix_seconds: i64) -> Duration {
        delay_until_ms(i128::from(self.unix_millis), date_unix_seconds)
    }

    /// [`delay_from`](Self::delay_from) the given date.
    pub fn delay_from_date(self, date: HttpDate) -> Duration {
        self.delay_from(date.unix_seconds())
    }

    /// Strict parse: an RFC 3339 `date-time` (`2025-08-21T12:40:59Z`, a fraction and an offset allowed). Anything else is an
    /// [`ErrorKind::InvalidTimestamp`] at the offending byte.
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        whole(input, rfc3339)
    }

    /// Lenient parse: also an HTTP-date ([`Tolerance::HttpDateForTimestamp`]).
    ///
    /// ```
    /// use ratelimit_headers::{Tolerance, field::vendor::Rfc3339};
    /// let l = Rfc3339::parse_lenient(b"Thu, 21 Aug 2025 12:40:59 GMT")?;
    /// assert_eq!(l.value.unix_seconds(), 1755780059);
    /// assert!(l.tolerances.contains(Tolerance::HttpDateForTimestamp));
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let mut tolerances = Tolerances::new();
        let (value, _) = trim_ows(input);
        if value.first().is_some_and(u8::is_ascii_alphabetic) {
            let date = HttpDate::parse(input)?;
            tolerances.insert(Tolerance::HttpDateForTimestamp);
            return Ok(Lenient {
                value: Rfc3339::from_http_date(date),
                tolerances,
            });
        }
        let value = whole(input, rfc3339)?;
        Ok(Lenient { value, tolerances })
    }
}

fn rfc3339(value: &[u8]) -> PResult<'_, Rfc3339> {
    let (rest, ms) = time::rfc3339(value)?;
    match Rfc3339::from_unix_millis(ms) {
        Some(t) => Ok((rest, t)),
        None => fail(value, ErrorKind::InvalidTimestamp),
    }
}

impl EncodeTo for Rfc3339 {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        let secs = self.unix_seconds();
        let (y, m, d) = time::civil_from_days(secs.div_euclid(86_400));
        let tod = secs.rem_euclid(86_400);
        // proven: y is in 0..=9999 (the value's range) and tod < 86400, so every number
        // below is non-negative and has the digits written for it.
        let two = |v: i64| [b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8];
        out.put(&two(y / 100))?;
        out.put(&two(y % 100))?;
        out.put(b"-")?;
        out.put(&two(i64::from(m)))?;
        out.put(b"-")?;
        out.put(&two(i64::from(d)))?;
        out.put(b"T")?;
        out.put(&two(tod / 3600))?;
        out.put(b":")?;
        out.put(&two(tod / 60 % 60))?;
        out.put(b":")?;
        out.put(&two(tod % 60))?;
        put_fraction(out, u64::from(self.subsec_millis()), 3, false)?;
        out.put(b"Z")
    }
}

impl_encode!(
    [] Rfc3339,
    "```\nlet t = ratelimit_headers::field::vendor::Rfc3339::from_unix_seconds(1755780059).unwrap();\nlet mut buf = [0u8; 24];\nlet n = t.encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"2025-08-21T12:40:59Z\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] Rfc3339);

// ---------------------------------------------------------------------------------------------
// CallLimit

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

// ---------------------------------------------------------------------------------------------
// Label

/// The default capacity of a [`Label`], in bytes.
pub const DEFAULT_LABEL_CAPACITY: usize = 64;

/// An opaque identifier, a `token` (RFC 9110 §5.6.2) of at most `N` bytes held inline: GitHub's
/// `x-ratelimit-resource: core`, Discord's `X-RateLimit-Bucket: abcd1234`, GitLab's
/// `RateLimit-Name: throttle_authenticated_web`.
///
/// ```
/// use ratelimit_headers::field::vendor::Label;
///
/// let r: Label = Label::parse(b"core")?;
/// assert_eq!(r.as_str(), "core");
/// assert_eq!(Label::<4>::parse(b"graphql").unwrap_err().kind(),
///            ratelimit_headers::ErrorKind::CapacityExceeded);
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Label<const N: usize = DEFAULT_LABEL_CAPACITY> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Label<N> {
    /// A label from `s`, which must be a non-empty token of at most `N` bytes.
    ///
    /// ```
    /// use ratelimit_headers::field::vendor::Label;
    /// let l: Label = Label::new("search")?;
    /// assert_eq!(l.to_string(), "search");
    /// assert!(Label::<64>::new("two words").is_err());
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn new(s: &str) -> Result<Self, Error> {
        Self::parse_exact(s.as_bytes())
    }

    /// The label's bytes (ASCII).
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    /// The label.
    pub fn as_str(&self) -> &str {
        crate::grammar::ascii_str(self.as_bytes())
    }

    /// Strict parse: `1*tchar`, at most `N` bytes (more is an
    /// [`ErrorKind::CapacityExceeded`], not a syntax error).
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let (value, start) = trim_ows(input);
        Self::parse_exact(value).map_err(|e| e.shifted(start))
    }

    /// Lenient parse: the same as [`parse`](Self::parse); the tolerances are always empty.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        Self::parse(input).map(|value| Lenient {
            value,
            tolerances: Tolerances::new(),
        })
    }

    fn parse_exact(value: &[u8]) -> Result<Self, Error> {
        if value.is_empty() {
            return Err(Error::new(ErrorKind::Empty, 0));
        }
        if let Some(i) = value.iter().position(|b| !TCHAR.contains(*b)) {
            let rest = value.get(i..).unwrap_or(&[]);
            return Err(Error::new(unexpected_kind(rest), i).with_found(rest.first().copied()));
        }
        let mut buf = [0u8; N];
        match buf.get_mut(..value.len()) {
            Some(dst) => dst.copy_from_slice(value),
            None => return Err(Error::new(ErrorKind::CapacityExceeded, N)),
        }
        Ok(Label {
            buf,
            len: value.len(),
        })
    }
}

impl<const N: usize> PartialEq for Label<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl<const N: usize> Eq for Label<N> {}

impl<const N: usize> core::hash::Hash for Label<N> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl<const N: usize> fmt::Debug for Label<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Label").field(&self.as_str()).finish()
    }
}

impl<const N: usize> EncodeTo for Label<N> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put(self.as_bytes())
    }
}

impl_encode!(
    [const N: usize] Label<N>,
    "```\nuse ratelimit_headers::field::vendor::Label;\nlet mut buf = [0u8; 8];\nlet n = Label::<8>::new(\"core\")?.encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"core\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([const N: usize] Label<N>);

// ---------------------------------------------------------------------------------------------
// DiscordScope and Flag

/// Discord's `X-RateLimit-Scope` (sent on a 429 only): which limit was hit.
///
/// ```
/// use ratelimit_headers::field::vendor::DiscordScope;
/// let s = DiscordScope::parse(b"shared")?;
/// assert_eq!(s, DiscordScope::Shared);
/// assert_eq!(s.to_string(), "shared");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiscordScope {
    /// The per-user limit (per bot or user).
    User,
    /// The global limit across all routes.
    Global,
    /// A limit shared by a resource; such a 429 does not count toward the invalid-request
    /// ban.
    Shared,
}

impl DiscordScope {
    /// The header value: `user`, `global` or `shared`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DiscordScope::User => "user",
            DiscordScope::Global => "global",
            DiscordScope::Shared => "shared",
        }
    }

    /// Strict parse: `user`, `global` or `shared` (lowercase, as Discord documents them).
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let (value, start) = trim_ows(input);
        match value {
            b"user" => Ok(DiscordScope::User),
            b"global" => Ok(DiscordScope::Global),
            b"shared" => Ok(DiscordScope::Shared),
            [] => Err(Error::new(ErrorKind::Empty, start)),
            [first, ..] => Err(Error::new(unexpected_kind(value), start).with_found(Some(*first))),
        }
    }

    /// Lenient parse: the same as [`parse`](Self::parse); the tolerances are always empty.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        Self::parse(input).map(|value| Lenient {
            value,
            tolerances: Tolerances::new(),
        })
    }
}

impl EncodeTo for DiscordScope {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put(self.as_str().as_bytes())
    }
}

impl_encode!(
    [] DiscordScope,
    "```\nlet mut buf = [0u8; 6];\nlet n = ratelimit_headers::field::vendor::DiscordScope::Global.encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"global\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] DiscordScope);

/// A `true` / `false` header: Discord's `X-RateLimit-Global: true` (on a 429 from the global
/// limit).
///
/// ```
/// use ratelimit_headers::field::vendor::Flag;
/// assert!(Flag::parse(b"true")?.get());
/// assert!(Flag::parse(b"True").is_err());
/// assert_eq!(Flag::new(false).to_string(), "false");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flag(bool);

impl Flag {
    /// The flag `b`.
    pub const fn new(b: bool) -> Self {
        Flag(b)
    }

    /// The flag.
    pub const fn get(self) -> bool {
        self.0
    }

    /// Strict parse: `true` or `false` (lowercase).
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let (value, start) = trim_ows(input);
        match value {
            b"true" => Ok(Flag(true)),
            b"false" => Ok(Flag(false)),
            [] => Err(Error::new(ErrorKind::Empty, start)),
            [first, ..] => Err(Error::new(unexpected_kind(value), start).with_found(Some(*first))),
        }
    }

    /// Lenient parse: the same as [`parse`](Self::parse); the tolerances are always empty.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        Self::parse(input).map(|value| Lenient {
            value,
            tolerances: Tolerances::new(),
        })
    }
}

impl EncodeTo for Flag {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put(if self.0 { b"true" } else { b"false" })
    }
}

impl_encode!(
    [] Flag,
    "```\nlet mut buf = [0u8; 5];\nlet n = ratelimit_headers::field::vendor::Flag::new(true).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"true\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
impl_from_str!([] Flag);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

// ---------------------------------------------------------------------------------------------
// Kong

/// Which of Kong's per-period headers a name is: `X-RateLimit-Limit-<Period>` or
/// `X-RateLimit-Remaining-<Period>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KongField {
    /// `X-RateLimit-Limit-<Period>`: the quota for the period.
    Limit,
    /// `X-RateLimit-Remaining-<Period>`: what is left of it.
    Remaining,
}

/// A period of Kong's `rate-limiting` plugin, named at the end of its per-period headers
/// (`X-RateLimit-Remaining-Minute: 9`).
///
/// [`window_seconds`](Self::window_seconds) gives the lengths Kong itself uses
/// (`kong/plugins/rate-limiting/expiration.lua`): a month is a fixed 30 days and a year a fixed
/// 365 days, whatever the calendar says. Kong aligns its counters to calendar periods, so the
/// time left in the window is `RateLimit-Reset`, not this length.
///
/// ```
/// use ratelimit_headers::field::vendor::{KongField, KongPeriod};
///
/// assert_eq!(KongPeriod::from_header_suffix(b"Minute"), Some(KongPeriod::Minute));
/// assert_eq!(KongPeriod::Month.window_seconds(), 30 * 86_400);
/// assert_eq!(
///     KongPeriod::parse_header_name(b"x-ratelimit-remaining-hour"),
///     Some((KongField::Remaining, KongPeriod::Hour))
/// );
/// assert_eq!(KongPeriod::Day.limit_header(), "X-RateLimit-Limit-Day");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KongPeriod {
    /// One second.
    Second,
    /// 60 seconds.
    Minute,
    /// 3600 seconds.
    Hour,
    /// 86,400 seconds.
    Day,
    /// 30 days (2,592,000 seconds), as Kong counts it.
    Month,
    /// 365 days (31,536,000 seconds), as Kong counts it.
    Year,
}

impl KongPeriod {
    /// Every period, shortest first.
    pub const ALL: [KongPeriod; 6] = [
        KongPeriod::Second,
        KongPeriod::Minute,
        KongPeriod::Hour,
        KongPeriod::Day,
        KongPeriod::Month,
        KongPeriod::Year,
    ];

    /// The period named by a header-name suffix (`second`, `Minute`, `HOUR`…; ASCII
    /// case-insensitive, as header names are).
    pub fn from_header_suffix(suffix: &[u8]) -> Option<Self> {
        KongPeriod::ALL
            .into_iter()
            .find(|p| p.as_str().as_bytes().eq_ignore_ascii_case(suffix))
    }

    /// Splits a whole header name, `X-RateLimit-Limit-<Period>` or
    /// `X-RateLimit-Remaining-<Period>` (ASCII case-insensitive).
    pub fn parse_header_name(name: &[u8]) -> Option<(KongField, KongPeriod)> {
        const LIMIT: &[u8] = b"x-ratelimit-limit-";
        const REMAINING: &[u8] = b"x-ratelimit-remaining-";
        let starts = |prefix: &[u8]| {
            name.get(..prefix.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
        };
        let (field, suffix) = if starts(LIMIT) {
            (KongField::Limit, name.get(LIMIT.len()..))
        } else if starts(REMAINING) {
            (KongField::Remaining, name.get(REMAINING.len()..))
        } else {
            return None;
        };
        Some((field, KongPeriod::from_header_suffix(suffix?)?))
    }

    /// Kong's configuration key for the period: `second`, `minute`, `hour`, `day`, `month`,
    /// `year`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KongPeriod::Second => "second",
            KongPeriod::Minute => "minute",
            KongPeriod::Hour => "hour",
            KongPeriod::Day => "day",
            KongPeriod::Month => "month",
            KongPeriod::Year => "year",
        }
    }

    /// The length of the period in seconds, as Kong counts it (month 30 days, year 365
    /// days).
    pub const fn window_seconds(self) -> u64 {
        match self {
            KongPeriod::Second => 1,
            KongPeriod::Minute => 60,
            KongPeriod::Hour => 3_600,
            KongPeriod::Day => 86_400,
            KongPeriod::Month => 2_592_000,
            KongPeriod::Year => 31_536_000,
        }
    }

    /// The length of the period (see [`window_seconds`](Self::window_seconds)).
    pub const fn window(self) -> Duration {
        Duration::from_secs(self.window_seconds())
    }

    /// The name of the limit header for the period, as Kong writes it:
    /// `X-RateLimit-Limit-Minute`.
    pub const fn limit_header(self) -> &'static str {
        match self {
            KongPeriod::Second => "X-RateLimit-Limit-Second",
            KongPeriod::Minute => "X-RateLimit-Limit-Minute",
            KongPeriod::Hour => "X-RateLimit-Limit-Hour",
            KongPeriod::Day => "X-RateLimit-Limit-Day",
            KongPeriod::Month => "X-RateLimit-Limit-Month",
            KongPeriod::Year => "X-RateLimit-Limit-Year",
        }
    }

    /// The name of the remaining header for the period, as Kong writes it:
    /// `X-RateLimit-Remaining-Minute`.
    pub const fn remaining_header(self) -> &'static str {
        match self {
            KongPeriod::Second => "X-RateLimit-Remaining-Second",
            KongPeriod::Minute => "X-RateLimit-Remaining-Minute",
            KongPeriod::Hour => "X-RateLimit-Remaining-Hour",
            KongPeriod::Day => "X-RateLimit-Remaining-Day",
            KongPeriod::Month => "X-RateLimit-Remaining-Month",
            KongPeriod::Year => "X-RateLimit-Remaining-Year",
        }
    }
}

impl fmt::Display for KongPeriod {
    /// The configuration key (`minute`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::string::String;

    fn text<T: EncodeTo>(v: &T) -> String {
        let mut buf = [0u8; 64];
        let mut sink = crate::encode::SliceSink {
            buf: &mut buf,
            len: 0,
        };
        v.encode_to(&mut sink).unwrap();
        let n = sink.len;
        String::from(core::str::from_utf8(&buf[..n]).unwrap())
    }

    #[test]
    fn go_canonical_form() {
        let g = |n: u64| GoDuration::new(Duration::from_nanos(n));
        assert_eq!(text(&g(0)), "0s");
        assert_eq!(text(&g(1)), "1ns");
        assert_eq!(text(&g(999)), "999ns");
        assert_eq!(text(&g(1_000)), "1µs");
        assert_eq!(text(&g(1_500)), "1.5µs");
        assert_eq!(text(&g(12_000_000)), "12ms");
        assert_eq!(text(&g(83_333_333)), "83.333333ms");
        assert_eq!(text(&g(1_000_000_000)), "1s");
        assert_eq!(text(&g(360_000_000_000)), "6m0s");
        assert_eq!(text(&g(3_600_000_000_000)), "1h0m0s");
        assert_eq!(text(&g(3_723_500_000_000)), "1h2m3.5s");
        assert_eq!(text(&g(179_560_000_000)), "2m59.56s");
        assert_eq!(
            text(&GoDuration::new(Duration::MAX)),
            "5124095576030431h0m15.999999999s"
        );
    }

    #[test]
    fn go_parse() {
        let p = |s: &str| GoDuration::parse(s.as_bytes()).map(GoDuration::duration);
        assert_eq!(p("0"), Ok(Duration::ZERO));
        assert_eq!(p("+0"), Ok(Duration::ZERO));
        assert_eq!(p("-0"), Ok(Duration::ZERO));
        assert_eq!(p("-0s"), Ok(Duration::ZERO));
        assert_eq!(p("1.s"), Ok(Duration::from_secs(1)));
        assert_eq!(p(".5s"), Ok(Duration::from_millis(500)));
        assert_eq!(p("1s1s"), Ok(Duration::from_secs(2)));
        assert_eq!(p("1h2m3.5s"), Ok(Duration::from_millis(3_723_500)));
        assert_eq!(p("2μs"), Ok(Duration::from_micros(2)));
        assert_eq!(p("2us"), Ok(Duration::from_micros(2)));
        assert_eq!(p("1.0000000001s"), Ok(Duration::new(1, 1)));
        assert_eq!(p("0.1ns"), Ok(Duration::from_nanos(1)));
        assert_eq!(
            p("0.000000000000000000000000000001h"),
            Ok(Duration::from_nanos(1))
        );
        assert_eq!(
            p("99999999999999999999999999999999999999999h"),
            Ok(Duration::MAX)
        );
        let err = |s: &str| GoDuration::parse(s.as_bytes()).map_err(|e| (e.kind(), e.offset()));
        assert_eq!(err("60"), Err((ErrorKind::InvalidDuration, 2)));
        assert_eq!(err("00"), Err((ErrorKind::InvalidDuration, 2)));
        assert_eq!(err("1m30"), Err((ErrorKind::InvalidDuration, 4)));
        assert_eq!(err("1x"), Err((ErrorKind::InvalidDuration, 1)));
        assert_eq!(err("1S"), Err((ErrorKind::InvalidDuration, 1)));
        assert_eq!(err("1sx"), Err((ErrorKind::InvalidDuration, 1)));
        assert_eq!(err("."), Err((ErrorKind::ExpectedDigit, 0)));
        assert_eq!(err("s"), Err((ErrorKind::ExpectedDigit, 0)));
        assert_eq!(err("+"), Err((ErrorKind::ExpectedDigit, 1)));
        assert_eq!(err(""), Err((ErrorKind::Empty, 0)));
        assert_eq!(err(" 1s x"), Err((ErrorKind::UnexpectedByte, 3)));
        assert_eq!(err("-1s"), Err((ErrorKind::Negative, 0)));
        assert_eq!(err("1µ"), Err((ErrorKind::InvalidDuration, 1)));
        let l = GoDuration::parse_lenient(b"-1s").unwrap();
        assert_eq!(l.value.duration(), Duration::ZERO);
        assert!(l.tolerances.contains(Tolerance::NegativeClamped));
        let l = GoDuration::parse_lenient(b"1.5").unwrap();
        assert_eq!(l.value.duration(), Duration::from_millis(1_500));
        assert!(l.tolerances.contains(Tolerance::MissingUnit));
        assert!(GoDuration::parse_lenient(b"1m30").is_err());
        assert!(GoDuration::parse_lenient(b"6m0s").unwrap().is_strict());
    }

    #[test]
    fn rfc3339_forms() {
        let p = |s: &str| Rfc3339::parse(s.as_bytes()).map(Rfc3339::unix_millis);
        assert_eq!(p("2025-08-21T12:40:59Z"), Ok(1_755_780_059_000));
        assert_eq!(p("2025-08-21t12:40:59z"), Ok(1_755_780_059_000));
        assert_eq!(p("2025-08-21T14:40:59+02:00"), Ok(1_755_780_059_000));
        assert_eq!(p("2025-08-21T07:10:59-05:30"), Ok(1_755_780_059_000));
        assert_eq!(p("2025-08-21T12:40:59-00:00"), Ok(1_755_780_059_000));
        assert_eq!(p("2025-08-21T12:40:59.1234Z"), Ok(1_755_780_059_124));
        assert_eq!(p("2016-12-31T23:59:60Z"), Ok(1_483_228_800_000));
        assert_eq!(p("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(p("0000-01-01T00:00:00Z"), Ok(RFC3339_MIN_MS));
        assert_eq!(p("9999-12-31T23:59:59.999Z"), Ok(RFC3339_MAX_MS));
        assert_eq!(p("2024-02-29T00:00:00Z"), Ok(1_709_164_800_000));
        let err = |s: &str| Rfc3339::parse(s.as_bytes()).map_err(|e| (e.kind(), e.offset()));
        assert_eq!(
            err("2025-02-29T00:00:00Z"),
            Err((ErrorKind::InvalidTimestamp, 8))
        );
        assert_eq!(
            err("2025-13-01T00:00:00Z"),
            Err((ErrorKind::InvalidTimestamp, 5))
        );
        assert_eq!(
            err("2025-00-01T00:00:00Z"),
            Err((ErrorKind::InvalidTimestamp, 5))
        );
        assert_eq!(
            err("2025-08-21 12:40:59Z"),
            Err((ErrorKind::InvalidTimestamp, 10))
        );
        assert_eq!(
            err("2025-08-21T12:40:59"),
            Err((ErrorKind::InvalidTimestamp, 19))
        );
        assert_eq!(
            err("2025-08-21T24:00:00Z"),
            Err((ErrorKind::InvalidTimestamp, 11))
        );
        assert_eq!(
            err("2025-08-21T12:40:59.Z"),
            Err((ErrorKind::InvalidTimestamp, 20))
        );
        assert_eq!(
            err("9999-12-31T23:59:59.9991Z"),
            Err((ErrorKind::InvalidTimestamp, 0))
        );
        assert_eq!(
            err("0000-01-01T00:00:00+00:01"),
            Err((ErrorKind::InvalidTimestamp, 0))
        );
        assert_eq!(
            err("2025-08-21T12:40:59Zx"),
            Err((ErrorKind::UnexpectedByte, 20))
        );
        let t = Rfc3339::from_unix_millis(1_755_780_059_120).unwrap();
        assert_eq!(text(&t), "2025-08-21T12:40:59.12Z");
        assert_eq!(
            text(&Rfc3339::from_unix_millis(RFC3339_MIN_MS).unwrap()),
            "0000-01-01T00:00:00Z"
        );
        assert_eq!(
            text(&Rfc3339::from_unix_millis(-1).unwrap()),
            "1969-12-31T23:59:59.999Z"
        );
        assert_eq!(Rfc3339::from_unix_millis(RFC3339_MAX_MS + 1), None);
        assert_eq!(Rfc3339::from_unix_seconds(i64::MAX), None);
    }

    #[test]
    fn civil_round_trip() {
        for days in (-719_528..=2_932_896).step_by(97) {
            let (y, m, d) = time::civil_from_days(days);
            assert_eq!(time::days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(
            UnixTime::parse(b"1470173023.123").map(|t| t.subsec_millis()),
            Ok(123)
        );
        let e = UnixTime::parse(b"1470173023.1234").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidDecimal, 14));
        assert_eq!(UnixTime::parse(b"1470173023.").unwrap_err().offset(), 11);
        let l = UnixTime::parse_lenient(b"1.9999").unwrap();
        assert_eq!((l.value.secs(), l.value.subsec_millis()), (2, 0));
        let l = UnixTime::parse_lenient(b"18446744073709551615.9999").unwrap();
        assert_eq!((l.value.secs(), l.value.subsec_millis()), (u64::MAX, 999));
        // The largest instant the type holds is a Duration, with no overflow.
        assert_eq!(l.value.since_epoch(), Duration::new(u64::MAX, 999_000_000));
        assert_eq!(
            UnixTime::from_secs(u64::MAX).delay_from(i64::MIN),
            Duration::MAX
        );
        assert_eq!(text(&UnixTime::from_unix_millis(1_100)), "1.1");
        assert_eq!(text(&DecimalSeconds::from_millis(1_050)), "1.05");
        let e = DecimalSeconds::parse(b"1.0001").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidDecimal, 5));
        let e = DecimalSeconds::parse(b"-1").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::Negative, 0));
        let l = DecimalSeconds::parse_lenient(b"-1.5").unwrap();
        assert_eq!(l.value.duration(), Duration::ZERO);
        assert_eq!(
            DecimalSeconds::from_duration(Duration::MAX).duration(),
            Duration::new(u64::MAX, 999_000_000)
        );
        assert_eq!(
            DecimalSeconds::from_duration(Duration::new(1, 999_000_001)).duration(),
            Duration::from_secs(2)
        );
        assert_eq!(
            text(&DecimalCount::from_milli(u64::MAX)),
            "18446744073709551.615"
        );
        assert_eq!(text(&DecimalCount::from_milli(1_050)), "1.05");
        assert_eq!(
            DecimalCount::parse(b"-1").unwrap_err().kind(),
            ErrorKind::Negative
        );
        assert_eq!(
            Count::parse(b"99999999999999999999999").map(Count::get),
            Ok(u64::MAX)
        );
        let e = CallLimit::parse(b"32").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::UnexpectedByte, 2));
        let e = CallLimit::parse(b"32/").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::ExpectedDigit, 3));
        assert_eq!(CallLimit::parse(b"41/40").map(CallLimit::remaining), Ok(0));
    }

    #[test]
    fn labels_and_words() {
        let e = Label::<8>::parse(b" a b").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::UnexpectedByte, 2));
        let e = Label::<8>::parse("caf\u{e9}".as_bytes()).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::NonAscii, 3));
        assert_eq!(
            Label::<8>::parse(b"  ").unwrap_err().kind(),
            ErrorKind::Empty
        );
        assert_eq!(Label::<4>::parse(b"abcd").map(|l| l.len), Ok(4));
        assert_eq!(
            Label::<0>::parse(b"a").unwrap_err().kind(),
            ErrorKind::CapacityExceeded
        );
        assert_eq!(Label::<8>::parse(b"ab"), Label::<8>::new("ab"));
        assert_eq!(DiscordScope::parse(b" user "), Ok(DiscordScope::User));
        assert_eq!(DiscordScope::parse(b"users").unwrap_err().offset(), 0);
        assert_eq!(Flag::parse(b"false"), Ok(Flag::new(false)));
        assert_eq!(Flag::parse(b"").unwrap_err().kind(), ErrorKind::Empty);
        assert_eq!(
            KongPeriod::from_header_suffix(b"YEAR"),
            Some(KongPeriod::Year)
        );
        assert_eq!(KongPeriod::from_header_suffix(b"years"), None);
        assert_eq!(KongPeriod::parse_header_name(b"X-RateLimit-Limit-"), None);
        assert_eq!(
            KongPeriod::parse_header_name(b"X-RateLimit-Reset-Minute"),
            None
        );
        for p in KongPeriod::ALL {
            assert_eq!(
                KongPeriod::parse_header_name(p.limit_header().as_bytes()),
                Some((KongField::Limit, p))
            );
            assert_eq!(
                KongPeriod::parse_header_name(p.remaining_header().as_bytes()),
                Some((KongField::Remaining, p))
            );
        }
    }
}
