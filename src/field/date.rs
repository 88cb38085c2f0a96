//! `HttpDate`: the IMF-fixdate form of an HTTP-date (RFC 9110 §5.6.7), no allocation, and
//! conversion to and from Unix seconds for any year from 1 to 9999.

use core::str::FromStr;

use nom::Parser;
use nom::bytes::complete::tag;

use crate::error::{Error, ErrorKind};
use crate::syntax::encode::{EncodeTo, Sink, impl_encode};
use crate::syntax::{PResult, SyntaxError, fail};

const DAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// A calendar instant in UTC with one-second precision, as HTTP dates carry.
///
/// ```
/// use ratelimit_headers::HttpDate;
///
/// let d = HttpDate::parse(b"Sun, 06 Nov 1994 08:49:37 GMT")?;
/// assert_eq!(d.unix_seconds(), 784111777);
/// assert_eq!(HttpDate::from_unix_seconds(784111777), Some(d));
/// assert_eq!(d.to_string(), "Sun, 06 Nov 1994 08:49:37 GMT");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HttpDate {
    // Field order gives chronological `Ord`.
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

/// Days from 0001-01-01 to 1970-01-01.
const UNIX_EPOCH_DAYS: i64 = 719_162;
/// Seconds from the Unix epoch to 0001-01-01T00:00:00.
const MIN_UNIX: i64 = -UNIX_EPOCH_DAYS * 86_400;
/// Seconds from the Unix epoch to 9999-12-31T23:59:59.
const MAX_UNIX: i64 = 253_402_300_799;

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 0001-01-01 (proleptic Gregorian) of a valid date.
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    crate::syntax::time::days_from_civil(y, m, d) + UNIX_EPOCH_DAYS
}

impl HttpDate {
    /// A date from its parts, if they name a real instant between years 1 and 9999.
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(i64::from(year), month)
            && hour < 24
            && minute < 60
            && second < 60;
        ok.then_some(HttpDate {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// The year (1 to 9999).
    pub const fn year(&self) -> u16 {
        self.year
    }
    /// The month (1 to 12).
    pub const fn month(&self) -> u8 {
        self.month
    }
    /// The day of the month (1 to 31).
    pub const fn day(&self) -> u8 {
        self.day
    }
    /// The hour (0 to 23).
    pub const fn hour(&self) -> u8 {
        self.hour
    }
    /// The minute (0 to 59).
    pub const fn minute(&self) -> u8 {
        self.minute
    }
    /// The second (0 to 59; leap seconds are not representable in HTTP dates).
    pub const fn second(&self) -> u8 {
        self.second
    }

    /// The day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> u8 {
        // 0001-01-01 was a Monday.
        let d = days_from_civil(i64::from(self.year), self.month, self.day);
        // proven: rem_euclid(7) is in 0..7.
        d.rem_euclid(7) as u8
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before 1970).
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), self.month, self.day) - UNIX_EPOCH_DAYS;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The date at `secs` seconds since the Unix epoch, if it falls in years 1 to 9999.
    pub fn from_unix_seconds(secs: i64) -> Option<Self> {
        if !(MIN_UNIX..=MAX_UNIX).contains(&secs) {
            return None;
        }
        let (year, month, day) = crate::syntax::time::civil_from_days(secs.div_euclid(86_400));
        let tod = secs.rem_euclid(86_400);
        // proven: year in 1..=9999 (secs is in range), tod < 86400: every cast below is in
        // range.
        HttpDate::new(
            year as u16,
            month,
            day,
            (tod / 3600) as u8,
            (tod / 60 % 60) as u8,
            (tod % 60) as u8,
        )
    }

    /// Parses an HTTP-date in any of its three forms (RFC 9110 §5.6.7), as recipients must:
    /// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete RFC 850 form
    /// `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`. Case-sensitive,
    /// exact spacing, zone `GMT` only; the weekday must match the date. Leading and trailing
    /// SP/HTAB are ignored.
    ///
    /// A two-digit RFC 850 year is resolved as RFC 9110 says, relative to the year 2026 (a
    /// year more than 50 years later means the previous century); use
    /// [`parse_relative_to`](Self::parse_relative_to) to give another reference.
    ///
    /// ```
    /// use ratelimit_headers::HttpDate;
    /// let a = HttpDate::parse(b"Sun, 06 Nov 1994 08:49:37 GMT")?;
    /// assert_eq!(HttpDate::parse(b"Sunday, 06-Nov-94 08:49:37 GMT")?, a);
    /// assert_eq!(HttpDate::parse(b"Sun Nov  6 08:49:37 1994")?, a);
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        Self::parse_relative_to(input, DEFAULT_REFERENCE_YEAR)
    }

    /// [`parse`](Self::parse) with the two-digit-year rule applied relative to
    /// `reference_year` (normally the current year, or that of the response's `Date`).
    pub fn parse_relative_to(input: &[u8], reference_year: u16) -> Result<Self, Error> {
        whole_date(input, false, reference_year).map(|(d, _)| d)
    }

    /// Lenient parse: also a one-digit day (`Sun, 6 Nov 1994 08:49:37 GMT`), reported as
    /// [`Tolerance::LooseDate`](crate::Tolerance::LooseDate).
    pub fn parse_lenient(input: &[u8]) -> Result<crate::Lenient<Self>, Error> {
        let (value, loose) = whole_date(input, true, DEFAULT_REFERENCE_YEAR)?;
        let mut tolerances = crate::Tolerances::new();
        if loose {
            tolerances.insert(crate::Tolerance::LooseDate);
        }
        Ok(crate::Lenient { value, tolerances })
    }
}

/// The reference year for two-digit RFC 850 years when none is given.
pub const DEFAULT_REFERENCE_YEAR: u16 = 2026;

fn whole_date(input: &[u8], loose: bool, reference_year: u16) -> Result<(HttpDate, bool), Error> {
    let (value, start) = crate::syntax::trim_ows(input);
    match http_date(value, loose, reference_year) {
        Ok(([], d)) => Ok(d),
        Ok((rest, _)) => Err(
            Error::new(ErrorKind::InvalidDate, start + value.len() - rest.len())
                .with_found(rest.first().copied()),
        ),
        Err(e) => Err(crate::syntax::nom_error(e, &[])
            .to_error(value)
            .shifted(start)),
    }
}

/// Any of the three HTTP-date forms, told apart by the byte after the first three letters.
/// With `loose`, a one-digit day is accepted in the IMF-fixdate form (reported as `true`).
pub(crate) fn http_date(
    input: &[u8],
    loose: bool,
    reference_year: u16,
) -> PResult<'_, (HttpDate, bool)> {
    match input.get(3) {
        Some(b',') => imf_fixdate_with(input, loose),
        Some(b' ') => asctime(input).map(|(r, d)| (r, (d, false))),
        _ => rfc850(input, reference_year).map(|(r, d)| (r, (d, false))),
    }
}

fn two_digits(input: &[u8]) -> PResult<'_, u8> {
    match input {
        [a @ b'0'..=b'9', b @ b'0'..=b'9', rest @ ..] => Ok((rest, (a - b'0') * 10 + (b - b'0'))),
        _ => fail(input, ErrorKind::InvalidDate),
    }
}

fn four_digits(input: &[u8]) -> PResult<'_, u16> {
    let (rest, hi) = two_digits(input)?;
    let (rest, lo) = two_digits(rest)?;
    Ok((rest, u16::from(hi) * 100 + u16::from(lo)))
}

fn name_of<'a>(input: &'a [u8], names: &[&[u8; 3]]) -> PResult<'a, u8> {
    let Some(head) = input.get(..3) else {
        return fail(input, ErrorKind::InvalidDate);
    };
    match names.iter().position(|n| n.as_slice() == head) {
        // proven: at most 12 names.
        Some(i) => Ok((input.get(3..).unwrap_or(&[]), i as u8)),
        None => fail(input, ErrorKind::InvalidDate),
    }
}

/// The literal `t`, via nom's `tag`; a mismatch is an [`ErrorKind::InvalidDate`].
fn lit<'a>(input: &'a [u8], t: &'static str) -> PResult<'a, &'a [u8]> {
    tag::<_, _, SyntaxError<'a>>(t.as_bytes())
        .parse(input)
        .map_err(|e| {
            e.map(|e| SyntaxError {
                kind: ErrorKind::InvalidDate,
                ..e
            })
        })
}

/// `IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT`.
pub(crate) fn imf_fixdate(input: &[u8]) -> PResult<'_, HttpDate> {
    imf_fixdate_with(input, false).map(|(r, (d, _))| (r, d))
}

fn imf_fixdate_with(input: &[u8], loose: bool) -> PResult<'_, (HttpDate, bool)> {
    let (rest, wd) = name_of(input, &DAYS)?;
    let (rest, _) = lit(rest, ", ")?;
    let (rest, day, loose_used) = match (two_digits(rest), rest) {
        (Ok((r, d)), _) => (r, d, false),
        (Err(_), [d @ b'1'..=b'9', b' ', ..]) if loose => {
            (rest.get(1..).unwrap_or(&[]), d - b'0', true)
        }
        (Err(e), _) => return Err(e),
    };
    let (rest, _) = lit(rest, " ")?;
    let (rest, month) = name_of(rest, &MONTHS)?;
    let (rest, _) = lit(rest, " ")?;
    let (rest, year) = four_digits(rest)?;
    let (rest, _) = lit(rest, " ")?;
    let (rest, (hour, minute, second)) = time_of_day(rest)?;
    let (rest, _) = lit(rest, " GMT")?;
    checked(input, rest, year, month, day, (hour, minute, second), wd)
        .map(|(r, d)| (r, (d, loose_used)))
}

/// `hour ":" minute ":" second`.
fn time_of_day(input: &[u8]) -> PResult<'_, (u8, u8, u8)> {
    let (rest, hour) = two_digits(input)?;
    let (rest, _) = lit(rest, ":")?;
    let (rest, minute) = two_digits(rest)?;
    let (rest, _) = lit(rest, ":")?;
    let (rest, second) = two_digits(rest)?;
    Ok((rest, (hour, minute, second)))
}

fn checked<'a>(
    start: &'a [u8],
    rest: &'a [u8],
    year: u16,
    month0: u8,
    day: u8,
    (hour, minute, second): (u8, u8, u8),
    weekday: u8,
) -> PResult<'a, HttpDate> {
    match HttpDate::new(year, month0 + 1, day, hour, minute, second) {
        Some(d) if d.weekday() == weekday => Ok((rest, d)),
        _ => fail(start, ErrorKind::InvalidDate),
    }
}

const LONG_DAYS: [&[u8]; 7] = [
    b"Monday",
    b"Tuesday",
    b"Wednesday",
    b"Thursday",
    b"Friday",
    b"Saturday",
    b"Sunday",
];

/// `rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT`, `date2 = day "-" month "-"
/// 2DIGIT`.
fn rfc850(input: &[u8], reference_year: u16) -> PResult<'_, HttpDate> {
    let Some(wd) = LONG_DAYS.iter().position(|d| input.starts_with(d)) else {
        return fail(input, ErrorKind::InvalidDate);
    };
    let name_len = LONG_DAYS.get(wd).map_or(0, |d| d.len());
    let rest = input.get(name_len..).unwrap_or(&[]);
    let (rest, _) = lit(rest, ", ")?;
    let (rest, day) = two_digits(rest)?;
    let (rest, _) = lit(rest, "-")?;
    let (rest, month) = name_of(rest, &MONTHS)?;
    let (rest, _) = lit(rest, "-")?;
    let (rest, yy) = two_digits(rest)?;
    let (rest, _) = lit(rest, " ")?;
    let (rest, time) = time_of_day(rest)?;
    let (rest, _) = lit(rest, " GMT")?;
    // RFC 9110 §5.6.7: a year that appears more than 50 years in the future is in the past.
    let century = reference_year / 100 * 100;
    // Saturating: a reference year near `u16::MAX` gives a year HttpDate::new rejects.
    let mut year = century.saturating_add(u16::from(yy));
    if year > reference_year.saturating_add(50) {
        year = year.saturating_sub(100);
    }
    // proven: wd < 7.
    checked(input, rest, year, month, day, time, wd as u8)
}

/// `asctime-date = day-name SP date3 SP time-of-day SP year`, `date3 = month SP ( 2DIGIT / (
/// SP DIGIT ))`.
fn asctime(input: &[u8]) -> PResult<'_, HttpDate> {
    let (rest, wd) = name_of(input, &DAYS)?;
    let (rest, _) = lit(rest, " ")?;
    let (rest, month) = name_of(rest, &MONTHS)?;
    let (rest, _) = lit(rest, " ")?;
    let (rest, day) = match rest {
        [b' ', d @ b'0'..=b'9', r @ ..] => (r, d - b'0'),
        _ => two_digits(rest)?,
    };
    let (rest, _) = lit(rest, " ")?;
    let (rest, time) = time_of_day(rest)?;
    let (rest, _) = lit(rest, " ")?;
    let (rest, year) = four_digits(rest)?;
    checked(input, rest, year, month, day, time, wd)
}

impl EncodeTo for HttpDate {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        let two = |v: u8| [b'0' + v / 10 % 10, b'0' + v % 10];
        let wd = DAYS
            .get(usize::from(self.weekday()))
            .copied()
            .unwrap_or(b"Mon");
        let mon = MONTHS
            .get(usize::from(self.month.saturating_sub(1)))
            .copied()
            .unwrap_or(b"Jan");
        out.put(wd)?;
        out.put(b", ")?;
        out.put(&two(self.day))?;
        out.put(b" ")?;
        out.put(mon)?;
        out.put(b" ")?;
        // proven: year <= 9999, so each quotient is a single digit after % 100 / 100.
        out.put(&two((self.year / 100) as u8))?;
        out.put(&two((self.year % 100) as u8))?;
        out.put(b" ")?;
        out.put(&two(self.hour))?;
        out.put(b":")?;
        out.put(&two(self.minute))?;
        out.put(b":")?;
        out.put(&two(self.second))?;
        out.put(b" GMT")
    }
}

impl_encode!(
    [] HttpDate,
    "```\nlet d = ratelimit_headers::HttpDate::from_unix_seconds(0).unwrap();\nlet mut buf = [0u8; 29];\nassert_eq!(d.encode(&mut buf)?, 29);\nassert_eq!(&buf, b\"Thu, 01 Jan 1970 00:00:00 GMT\");\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);

impl FromStr for HttpDate {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        HttpDate::parse(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_ends_round_trip() {
        for s in [MIN_UNIX, MAX_UNIX, 0, -1, 951_782_400, 784_887_151] {
            let d = HttpDate::from_unix_seconds(s).unwrap();
            assert_eq!(d.unix_seconds(), s);
        }
        assert_eq!(HttpDate::from_unix_seconds(MIN_UNIX - 1), None);
        assert_eq!(HttpDate::from_unix_seconds(MAX_UNIX + 1), None);
        assert_eq!(HttpDate::from_unix_seconds(i64::MIN), None);
        assert_eq!(HttpDate::from_unix_seconds(i64::MAX), None);
    }

    #[test]
    fn every_day_of_some_years_round_trips() {
        for year_start in [
            HttpDate::new(1, 1, 1, 0, 0, 0),
            HttpDate::new(1999, 1, 1, 0, 0, 0),
            HttpDate::new(2100, 1, 1, 0, 0, 0),
        ] {
            let base = year_start.unwrap().unix_seconds();
            for day in 0..800 {
                let s = base + day * 86_400 + 3_661;
                let d = HttpDate::from_unix_seconds(s).unwrap();
                assert_eq!(d.unix_seconds(), s);
            }
        }
    }

    #[test]
    fn rejects_wrong_weekday_and_forms() {
        assert!(HttpDate::parse(b"Mon, 06 Nov 1994 08:49:37 GMT").is_err());
        assert!(HttpDate::parse(b"Sun, 06 Nov 1994 08:49:37 UTC").is_err());
        assert!(HttpDate::parse(b"sun, 06 Nov 1994 08:49:37 GMT").is_err());
        assert!(HttpDate::parse(b"Sun, 6 Nov 1994 08:49:37 GMT").is_err());
        assert!(HttpDate::parse(b"Sun, 31 Feb 1994 08:49:37 GMT").is_err());
        assert!(HttpDate::parse(b"Sun, 06 Nov 1994 08:49:37 GMT ").is_ok());
        assert!(HttpDate::parse(b"Sunday, 06-Nov-94 08:49:37 UTC").is_err());
        assert!(HttpDate::parse(b"Sun Nov 6 08:49:37 1994").is_err());
    }

    #[test]
    fn two_digit_years() {
        let d = HttpDate::parse(b"Wednesday, 01-Jan-70 00:00:00 GMT").unwrap();
        assert_eq!(d.year(), 2070);
        let d = HttpDate::parse_relative_to(b"Thursday, 01-Jan-70 00:00:00 GMT", 2000).unwrap();
        assert_eq!(d.year(), 1970);
        let d = HttpDate::parse(b"Friday, 31-Dec-99 23:59:59 GMT").unwrap();
        assert_eq!(d.year(), 1999);
        let l = HttpDate::parse_lenient(b"Sun, 6 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(l.value.unix_seconds(), 784_111_777);
        assert!(l.tolerances.contains(crate::Tolerance::LooseDate));
        assert!(HttpDate::parse(b"Sun, 6 Nov 1994 08:49:37 GMT").is_err());
    }
}
