//! `Retry-After` (RFC 9110 §10.2.3) and `retry-after-ms`.

use core::str::FromStr;
use core::time::Duration;

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::field::date::{HttpDate, http_date};
use crate::grammar::time::decimal_seconds;
use crate::grammar::{nom_error, trim_ows};
use crate::lenient::{Lenient, Tolerance, Tolerances};

/// Delay-seconds saturate here (2^31 s, about 68 years), as RFC 9111 §1.2.2 tells caches to
/// do with delta-seconds too large to represent.
pub const MAX_DELAY_SECONDS: u64 = 1 << 31;

/// `Retry-After`: how long to wait, as a delay or as an HTTP-date.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::{HttpDate, RetryAfter};
///
/// assert_eq!(RetryAfter::parse(b"120")?, RetryAfter::Delay(Duration::from_secs(120)));
///
/// // A date is turned into a delay with the response's own Date header (no clock skew).
/// let ra = RetryAfter::parse(b"Mon, 05 Aug 2019 09:27:05 GMT")?;
/// let date = HttpDate::parse(b"Mon, 05 Aug 2019 09:27:00 GMT")?;
/// assert_eq!(ra.delay(Some(date), None), Some(Duration::from_secs(5)));
///
/// // Shopify sends `2.0`: not delay-seconds, but read leniently.
/// assert!(RetryAfter::parse(b"2.0").is_err());
/// let l = RetryAfter::parse_lenient(b"2.0")?;
/// assert_eq!(l.value, RetryAfter::Delay(Duration::from_secs(2)));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryAfter {
    /// Wait this long from when the response was received.
    Delay(Duration),
    /// Wait until this instant.
    At(HttpDate),
}

impl RetryAfter {
    /// A delay of `secs` seconds (saturating at [`MAX_DELAY_SECONDS`]).
    pub const fn after_seconds(secs: u64) -> Self {
        let secs = if secs > MAX_DELAY_SECONDS {
            MAX_DELAY_SECONDS
        } else {
            secs
        };
        RetryAfter::Delay(Duration::from_secs(secs))
    }

    /// The delay this value asks for.
    ///
    /// A delay is returned as is. A date is measured from `date_header` (the response's own
    /// `Date`, so that both instants come from the server's clock), or else from `now_unix`
    /// (the caller's wall clock, in Unix seconds); with neither it is `None`. A date in the
    /// past gives zero.
    pub fn delay(&self, date_header: Option<HttpDate>, now_unix: Option<i64>) -> Option<Duration> {
        match self {
            RetryAfter::Delay(d) => Some(*d),
            RetryAfter::At(at) => delay_until(at.unix_seconds(), date_header, now_unix),
        }
    }

    /// Strict parse: `delay-seconds` (`1*DIGIT`, saturating at [`MAX_DELAY_SECONDS`]) or an
    /// HTTP-date in any of its three forms.
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        parse(input, false).map(|(v, _)| v)
    }

    /// Lenient parse: also decimal seconds (`2.0`, rounded up to the millisecond;
    /// [`Tolerance::DecimalSeconds`]) and a one-digit day in a date
    /// ([`Tolerance::LooseDate`]).
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        let (value, tolerances) = parse(input, true)?;
        Ok(Lenient { value, tolerances })
    }
}

fn parse(input: &[u8], lenient: bool) -> Result<(RetryAfter, Tolerances), Error> {
    let (value, start) = trim_ows(input);
    let mut tol = Tolerances::new();
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    let err = |e| nom_error(e, &[]).to_error(value).shifted(start);
    let (rest, v) = match value.first() {
        // Strict parsing reads the same number and refuses a fraction: one reader for both.
        Some(b'0'..=b'9') => match decimal_seconds(value) {
            Ok((rest, (d, fraction))) if lenient || !fraction => {
                if fraction {
                    tol.insert(Tolerance::DecimalSeconds);
                }
                let cap = Duration::from_secs(MAX_DELAY_SECONDS);
                (rest, RetryAfter::Delay(d.min(cap)))
            }
            Err(e) if lenient => return Err(err(e)),
            // Strict, and a `.` after the digits (with or without a fraction).
            _ => return Err(Error::new(ErrorKind::WrongType, start).with_found(Some(b'.'))),
        },
        Some(b'-') => return Err(Error::new(ErrorKind::Negative, start)),
        _ => {
            let (rest, (d, loose)) =
                http_date(value, lenient, crate::field::date::DEFAULT_REFERENCE_YEAR)
                    .map_err(err)?;
            if loose {
                tol.insert(Tolerance::LooseDate);
            }
            (rest, RetryAfter::At(d))
        }
    };
    if let Some(b) = rest.first() {
        let kind = match (b, v) {
            (b'.', RetryAfter::Delay(_)) => ErrorKind::WrongType,
            (_, RetryAfter::At(_)) => ErrorKind::InvalidDate,
            _ => crate::grammar::unexpected_kind(rest),
        };
        let at = if kind == ErrorKind::WrongType {
            start
        } else {
            start + value.len() - rest.len()
        };
        return Err(Error::new(kind, at).with_found(Some(*b)));
    }
    Ok((v, tol))
}

impl EncodeTo for RetryAfter {
    /// Whole seconds, rounded up (a wait must not get shorter), or an IMF-fixdate.
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        match self {
            RetryAfter::Delay(d) => {
                let up = u64::from(d.subsec_nanos() > 0);
                out.put_u64(d.as_secs().saturating_add(up))
            }
            RetryAfter::At(date) => date.encode_to(out),
        }
    }
}

impl_encode!(
    [] RetryAfter,
    "```\nlet mut buf = [0u8; 32];\nlet n = ratelimit_headers::RetryAfter::after_seconds(20).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"20\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);

impl FromStr for RetryAfter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        RetryAfter::parse(s.as_bytes())
    }
}

/// `retry-after-ms` (OpenAI, Anthropic, Azure): milliseconds to wait, possibly with a
/// fraction, rounded up to the millisecond.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::RetryAfterMs;
/// assert_eq!(RetryAfterMs::parse(b"1500")?.get(), Duration::from_millis(1500));
/// assert_eq!(RetryAfterMs::parse(b"0.5")?.get(), Duration::from_millis(1));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RetryAfterMs(Duration);

impl RetryAfterMs {
    /// A wait of `ms` milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        RetryAfterMs(Duration::from_millis(ms))
    }

    /// The wait.
    pub const fn get(self) -> Duration {
        self.0
    }

    /// The same as [`parse`](Self::parse), with no tolerances: the field's one grammar
    /// already takes a fraction, the only variant servers send.
    pub fn parse_lenient(input: &[u8]) -> Result<Lenient<Self>, Error> {
        Ok(Lenient {
            value: Self::parse(input)?,
            tolerances: Tolerances::new(),
        })
    }

    /// Parses `1*DIGIT [ "." 1*DIGIT ]` milliseconds (a fraction rounds up).
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let (value, start) = trim_ows(input);
        if value.is_empty() {
            return Err(Error::new(ErrorKind::Empty, start));
        }
        if value.first() == Some(&b'-') {
            return Err(Error::new(ErrorKind::Negative, start));
        }
        // Read as decimal *seconds* then scale: `decimal_seconds` rounds the fraction up to
        // thousandths, which are here microseconds; round those up to whole milliseconds.
        let (rest, (as_secs, _)) =
            decimal_seconds(value).map_err(|e| nom_error(e, &[]).to_error(value).shifted(start))?;
        if let Some(b) = rest.first() {
            return Err(Error::new(
                crate::grammar::unexpected_kind(rest),
                start + value.len() - rest.len(),
            )
            .with_found(Some(*b)));
        }
        let whole_ms = as_secs.as_secs();
        let up = u64::from(as_secs.subsec_nanos() > 0);
        Ok(RetryAfterMs(Duration::from_millis(
            whole_ms.saturating_add(up),
        )))
    }
}

/// The delay from now until `at_unix` (0 once past), where now is the response's `Date`, else
/// the caller's clock; `None` when neither is known. Absolute times in other fields (a reset
/// as a date or an epoch) are turned into delays the same way.
pub(crate) fn delay_until(
    at_unix: i64,
    date_header: Option<HttpDate>,
    now_unix: Option<i64>,
) -> Option<Duration> {
    let now = match (date_header, now_unix) {
        (Some(d), _) => d.unix_seconds(),
        (None, Some(n)) => n,
        (None, None) => return None,
    };
    Some(Duration::from_secs(
        u64::try_from(at_unix.saturating_sub(now)).unwrap_or(0),
    ))
}

impl EncodeTo for RetryAfterMs {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        let ms = u64::try_from(self.0.as_millis()).unwrap_or(u64::MAX);
        let up = u64::from(!self.0.subsec_nanos().is_multiple_of(1_000_000));
        out.put_u64(ms.saturating_add(up))
    }
}

impl_encode!(
    [] RetryAfterMs,
    "```\nlet mut buf = [0u8; 8];\nlet n = ratelimit_headers::RetryAfterMs::from_millis(1500).encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"1500\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);
