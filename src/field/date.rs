//! `HttpDate`: the IMF-fixdate form of an HTTP-date (RFC 9110 §5.6.7), no allocation, and
//! conversion to and from Unix seconds for any year from 1 to 9999.

use core::str::FromStr;

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use nom::Parser;

use crate::grammar::{PResult, SyntaxError, byte_where, fail};

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

/// Days since 0001-01-01 (proleptic Gregorian) of a valid date.
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    crate::grammar::time::days_from_civil(y, m, d) + UNIX_EPOCH_DAYS
}

impl HttpDate {
    /// A date from its parts, if they name a real instant between years 1 and 9999.
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= crate::grammar::time::days_in_month(i64::from(year), month)
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
        // 0001-01-01 was a Monday. proven: the remainder is in 0..7.
        days_from_civil(i64::from(self.year), self.month, self.day).rem_euclid(7) as u8
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
        // Whole days since 0001-01-01 and the second of that day (secs is in range, so
        // both are non-negative).
        let since = secs - MIN_UNIX;
        let (days, tod) = (since / 86_400, since % 86_400);
        let (year, month, day) = crate::grammar::time::civil_from_days(days - UNIX_EPOCH_DAYS);
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
    let (value, start) = crate::grammar::trim_ows(input);
    match http_date(value, loose, reference_year) {
        Ok(([], d)) => Ok(d),
        Ok((rest, _)) => Err(
            Error::new(ErrorKind::InvalidDate, start + value.len() - rest.len())
                .with_found(rest.first().copied()),
        ),
        Err(e) => Err(crate::grammar::nom_error(e, &[])
            .to_error(value)
            .shifted(start)),
    }
}

/// Any of the three HTTP-date forms, told apart by the byte after the first three letters.
/// With `loose`, a one-digit day is accepted in the IMF-fixdate form (reported as `true`).
///
/// A part that does not parse is reported where it starts (a run of literals such as `, `
/// where the run starts), and a date that does not exist, or whose weekday is wrong, at the
/// start of `input`; the kind is always [`ErrorKind::InvalidDate`].
pub(crate) fn http_date(
    input: &[u8],
    loose: bool,
    reference_year: u16,
) -> PResult<'_, (HttpDate, bool)> {
    let form = match input.get(3) {
        Some(b',') => imf_fixdate_parts(input, loose),
        Some(b' ') => asctime_parts(input),
        _ => rfc850_parts(input, reference_year),
    };
    checked(input, form)
}

/// `IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT` alone.
pub(crate) fn imf_fixdate(input: &[u8]) -> PResult<'_, HttpDate> {
    checked(input, imf_fixdate_parts(input, false)).map(|(r, (d, _))| (r, d))
}

/// The date the parts of `form`, read from `input`, name, with every failure an
/// [`ErrorKind::InvalidDate`]: where the parts stopped, or at the start of `input` when
/// they name no date or the wrong weekday.
fn checked<'a>(input: &'a [u8], form: PResult<'a, (Parts, bool)>) -> PResult<'a, (HttpDate, bool)> {
    let (rest, (parts, loose_day)) = form.map_err(|e| {
        e.map(|e| SyntaxError {
            kind: ErrorKind::InvalidDate,
            ..e
        })
    })?;
    match parts.date() {
        Some(d) => Ok((rest, (d, loose_day))),
        None => fail(input, ErrorKind::InvalidDate),
    }
}

/// The parts of an HTTP-date as read, before they are checked to name a real date.
struct Parts {
    weekday: u8,
    year: u16,
    month: u8,
    day: u8,
    time: (u8, u8, u8),
}

impl Parts {
    /// The date, if it exists and falls on the weekday given.
    fn date(&self) -> Option<HttpDate> {
        let (hour, minute, second) = self.time;
        HttpDate::new(self.year, self.month, self.day, hour, minute, second)
            .filter(|d| d.weekday() == self.weekday)
    }
}

/// `IMF-fixdate`, `date1 = day SP month SP year` (RFC 9110 §5.6.7); with `loose`, the day
/// may be one digit (reported as `true`).
fn imf_fixdate_parts(input: &[u8], loose: bool) -> PResult<'_, (Parts, bool)> {
    let day = |i| imf_day(i, loose);
    let (rest, (weekday, _, (day, loose_day), _, month, _, year, time)) = (
        day_name,
        literal(b", "),
        day,
        literal(b" "),
        month,
        literal(b" "),
        four_digit_year,
        time_gmt,
    )
        .parse(input)?;
    Ok((
        rest,
        (
            Parts {
                weekday,
                year,
                month,
                day,
                time,
            },
            loose_day,
        ),
    ))
}

/// `rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT`, `date2 = day "-" month "-"
/// 2DIGIT`: the two-digit year is resolved as RFC 9110 §5.6.7 says, a year more than 50
/// years after `reference_year` being in the previous century.
fn rfc850_parts(input: &[u8], reference_year: u16) -> PResult<'_, (Parts, bool)> {
    let (rest, (weekday, _, day, _, month, _, yy, time)) = (
        day_name_long,
        literal(b", "),
        two_digits,
        literal(b"-"),
        month,
        literal(b"-"),
        two_digits,
        time_gmt,
    )
        .parse(input)?;
    // Saturating: a reference year near `u16::MAX` gives a year `HttpDate::new` rejects.
    let in_century = (reference_year / 100 * 100).saturating_add(u16::from(yy));
    let year = if in_century > reference_year.saturating_add(50) {
        in_century.saturating_sub(100)
    } else {
        in_century
    };
    Ok((
        rest,
        (
            Parts {
                weekday,
                year,
                month,
                day,
                time,
            },
            false,
        ),
    ))
}

/// `asctime-date = day-name SP date3 SP time-of-day SP year`, `date3 = month SP ( 2DIGIT /
/// ( SP DIGIT ))`.
fn asctime_parts(input: &[u8]) -> PResult<'_, (Parts, bool)> {
    let (rest, (weekday, _, month, _, day, _, time, _, year)) = (
        day_name,
        literal(b" "),
        month,
        literal(b" "),
        asctime_day,
        literal(b" "),
        time_of_day,
        literal(b" "),
        four_digit_year,
    )
        .parse(input)?;
    Ok((
        rest,
        (
            Parts {
                weekday,
                year,
                month,
                day,
                time,
            },
            false,
        ),
    ))
}

/// `day = 2DIGIT`; with `loose`, also one digit before SP (reported as `true`).
fn imf_day(input: &[u8], loose: bool) -> PResult<'_, (u8, bool)> {
    match input {
        [d @ b'1'..=b'9', rest @ ..] if loose && rest.first() == Some(&b' ') => {
            Ok((rest, (d - b'0', true)))
        }
        _ => two_digits.map(|d| (d, false)).parse(input),
    }
}

/// The asctime day, `2DIGIT / ( SP DIGIT )`.
fn asctime_day(input: &[u8]) -> PResult<'_, u8> {
    match input {
        [b' ', d @ b'0'..=b'9', rest @ ..] => Ok((rest, d - b'0')),
        _ => two_digits(input),
    }
}

/// `SP time-of-day SP GMT`, the end of the IMF-fixdate and RFC 850 forms.
fn time_gmt(input: &[u8]) -> PResult<'_, (u8, u8, u8)> {
    (literal(b" "), time_of_day, literal(b" GMT"))
        .map(|(_, time, _)| time)
        .parse(input)
}

/// `time-of-day = hour ":" minute ":" second`, each `2DIGIT` (checked as a time later).
fn time_of_day(input: &[u8]) -> PResult<'_, (u8, u8, u8)> {
    (
        two_digits,
        literal(b":"),
        two_digits,
        literal(b":"),
        two_digits,
    )
        .map(|(h, _, m, _, s)| (h, m, s))
        .parse(input)
}

/// `year = 4DIGIT`, read as two pairs (a bad second pair is reported where it starts).
fn four_digit_year(input: &[u8]) -> PResult<'_, u16> {
    (two_digits, two_digits)
        .map(|(hi, lo)| u16::from(hi) * 100 + u16::from(lo))
        .parse(input)
}

/// `2DIGIT`.
fn two_digits(input: &[u8]) -> PResult<'_, u8> {
    let digit = || byte_where(|b| b.is_ascii_digit()).map(|d| d - b'0');
    let (rest, (tens, ones)) = (digit(), digit())
        .parse(input)
        .map_err(|e| e.map(|e| SyntaxError { rest: input, ..e }))?;
    Ok((rest, tens * 10 + ones))
}

/// Bytes that must come next, reported where they start when they do not.
fn literal<'a>(
    expected: &'static [u8],
) -> impl Parser<&'a [u8], Output = (), Error = SyntaxError<'a>> {
    move |input: &'a [u8]| match input.strip_prefix(expected) {
        Some(rest) => Ok((rest, ())),
        None => fail(input, ErrorKind::InvalidDate),
    }
}

/// `day-name`: `Mon` to `Sun`, as 0 (Monday) to 6.
fn day_name(input: &[u8]) -> PResult<'_, u8> {
    name_in(input, &DAY_NAMES)
}

/// `day-name-l`: `Monday` to `Sunday`, as 0 to 6.
fn day_name_long(input: &[u8]) -> PResult<'_, u8> {
    name_in(input, &LONG_DAY_NAMES)
}

/// `month`: `Jan` to `Dec`, as 1 to 12.
fn month(input: &[u8]) -> PResult<'_, u8> {
    name_in(input, &MONTH_NAMES).map(|(rest, m)| (rest, m + 1))
}

/// The index of the name of `names` that `input` starts with.
fn name_in<'a>(input: &'a [u8], names: &[&[u8]]) -> PResult<'a, u8> {
    names
        .iter()
        .zip(0u8..)
        .find_map(|(name, i)| input.strip_prefix(*name).map(|rest| (rest, i)))
        .map_or_else(|| fail(input, ErrorKind::InvalidDate), Ok)
}

/// The weekday names, Monday first (as [`HttpDate::weekday`] counts).
const DAY_NAMES: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
/// The month names, January first.
const MONTH_NAMES: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
/// The weekday names of RFC 850 dates, Monday first.
const LONG_DAY_NAMES: [&[u8]; 7] = [
    b"Monday",
    b"Tuesday",
    b"Wednesday",
    b"Thursday",
    b"Friday",
    b"Saturday",
    b"Sunday",
];

impl EncodeTo for HttpDate {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        let two = |v: u8| [b'0' + v / 10 % 10, b'0' + v % 10];
        let wd = DAY_NAMES
            .get(usize::from(self.weekday()))
            .unwrap_or(&DAY_NAMES[0]);
        let mon = MONTH_NAMES
            .get(usize::from(self.month.saturating_sub(1)))
            .unwrap_or(&MONTH_NAMES[0]);
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
