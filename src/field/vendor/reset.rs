//! Absolute times: epoch seconds (`1705420800`, `1470173023.123`) and RFC 3339 instants.

use core::str::FromStr;
use core::time::Duration;

use super::{at_most_millis, delay_until_ms, put_fraction, whole};
use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::field::date::HttpDate;
use crate::grammar::time::{self};
use crate::grammar::{PResult, ParseMode, fail, trim_ows};
use crate::lenient::{Lenient, Tolerance, Tolerances};

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
            unix_time(v, ParseMode::Strict, &mut Tolerances::new())
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
        let value = whole(input, |v| unix_time(v, ParseMode::Lenient, &mut tolerances))?;
        Ok(Lenient { value, tolerances })
    }
}

fn unix_time<'a>(value: &'a [u8], mode: ParseMode, tol: &mut Tolerances) -> PResult<'a, UnixTime> {
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

/// 0000-01-01T00:00:00Z in milliseconds since the epoch.
pub(super) const RFC3339_MIN_MS: i64 = -62_167_219_200_000;
/// 9999-12-31T23:59:59.999Z in milliseconds since the epoch.
pub(super) const RFC3339_MAX_MS: i64 = 253_402_300_799_999;

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
