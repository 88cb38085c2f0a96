//! Delays: decimal seconds (`64.57`) and Go durations (`6m0s`, `83.333333ms`).

use core::str::FromStr;
use core::time::Duration;

use super::{at_most_millis, put_fraction, whole};
use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::grammar::time::{self, DecimalParts};
use crate::grammar::{PResult, ParseMode, fail};
use crate::lenient::{Lenient, Tolerance, Tolerances};

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
            decimal_secs(v, ParseMode::Strict, &mut Tolerances::new())
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
        let value = whole(input, |v| {
            decimal_secs(v, ParseMode::Lenient, &mut tolerances)
        })?;
        Ok(Lenient { value, tolerances })
    }
}

fn decimal_secs<'a>(
    value: &'a [u8],
    mode: ParseMode,
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
        whole(input, |v| go(v, ParseMode::Strict, &mut Tolerances::new()))
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
        let value = whole(input, |v| go(v, ParseMode::Lenient, &mut tolerances))?;
        Ok(Lenient { value, tolerances })
    }
}

fn go<'a>(value: &'a [u8], mode: ParseMode, tol: &mut Tolerances) -> PResult<'a, GoDuration> {
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
