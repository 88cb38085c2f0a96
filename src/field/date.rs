//! `HttpDate`: the IMF-fixdate form of an HTTP-date (RFC 9110 §5.6.7), no allocation, and
//! conversion to and from Unix seconds for any year from 1 to 9999.

use core::str::FromStr;

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::grammar::{PResult, fail};

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
    crate::grammar::time::days_from_civil(y, m, d) + UNIX_EPOCH_DAYS
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
        // proven: d is in 0..3_652_059 (years 1 to 9999), so the casts keep it and the
        // remainder, in 32 bits (64-bit division is a library call on 32-bit targets).
        (d as u32 % 7) as u8
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
        // Seconds since 0001-01-01, divided by 86 400 = 128 × 675 in two steps that 32-bit
        // targets do inline. proven: u is in 0..2^39 (secs is in range), so u >> 7 fits a
        // u32, and the remainder is below 86 400.
        let u = (secs - MIN_UNIX) as u64;
        let days = (u >> 7) as u32 / 675;
        let tod = (u - u64::from(days) * 86_400) as u32;
        let (year, month, day) =
            crate::grammar::time::civil_from_days(i64::from(days) - UNIX_EPOCH_DAYS);
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
pub(crate) fn http_date(
    input: &[u8],
    loose: bool,
    reference_year: u16,
) -> PResult<'_, (HttpDate, bool)> {
    let (form, loose) = match input.get(3) {
        Some(b',') => (IMF_FIXDATE, loose),
        Some(b' ') => (ASCTIME, false),
        _ => (RFC850, false),
    };
    form_date(input, form, loose, reference_year)
}

/// `IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT`.
pub(crate) fn imf_fixdate(input: &[u8]) -> PResult<'_, HttpDate> {
    form_date(input, IMF_FIXDATE, false, DEFAULT_REFERENCE_YEAR).map(|(r, (d, _))| (r, d))
}

/// [`scan`] with its error as an [`ErrorKind::InvalidDate`].
fn form_date<'a>(
    input: &'a [u8],
    pattern: &[u8],
    loose: bool,
    reference_year: u16,
) -> PResult<'a, (HttpDate, bool)> {
    match scan(input, pattern, loose, reference_year) {
        Ok(ok) => Ok(ok),
        Err(at) => fail(at, ErrorKind::InvalidDate),
    }
}

// The three forms as patterns for `scan`: a byte below 0x20 is a field, stored in slot
// `code & 7` of [weekday, month - 1, day, year, hour, minute, second]; any other byte is a
// literal.
/// `day-name`, three letters.
const WEEKDAY: u8 = 0;
/// `month`, three letters.
const MONTH: u8 = 1;
/// `day`, `2DIGIT` (loosely also one digit followed by SP).
const DAY: u8 = 2;
/// The first two digits of `year` (`4DIGIT`).
const YEAR: u8 = 3;
const HOUR: u8 = 4;
const MINUTE: u8 = 5;
const SECOND: u8 = 6;
/// `day-name-l`, the whole name.
const LONG_WEEKDAY: u8 = 8;
/// The asctime day, `2DIGIT / ( SP DIGIT )`.
const ASCTIME_DAY: u8 = 10;
/// The last two digits of `year`.
const YEAR_LOW: u8 = 11;
/// The RFC 850 year, `2DIGIT`, resolved against the reference year.
const YEAR2: u8 = 19;

/// `IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT`, `date1 = day SP month SP
/// year`.
const IMF_FIXDATE: &[u8] = &[
    WEEKDAY, b',', b' ', DAY, b' ', MONTH, b' ', YEAR, YEAR_LOW, b' ', HOUR, b':', MINUTE, b':',
    SECOND, b' ', b'G', b'M', b'T',
];
/// `rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT`, `date2 = day "-" month "-"
/// 2DIGIT`.
#[rustfmt::skip]
const RFC850: &[u8] = &[
    LONG_WEEKDAY, b',', b' ', DAY, b'-', MONTH, b'-', YEAR2,
    b' ', HOUR, b':', MINUTE, b':', SECOND, b' ', b'G', b'M', b'T',
];
/// `asctime-date = day-name SP date3 SP time-of-day SP year`, `date3 = month SP ( 2DIGIT / (
/// SP DIGIT ))`.
#[rustfmt::skip]
const ASCTIME: &[u8] = &[
    WEEKDAY, b' ', MONTH, b' ', ASCTIME_DAY,
    b' ', HOUR, b':', MINUTE, b':', SECOND, b' ', YEAR, YEAR_LOW,
];

/// The weekday and month names: `NAMES[i]` is weekday `i` (0 = Monday) for `i < 7`, and
/// month `i - 7` (0 = January) after.
const NAMES: [[u8; 3]; 19] = [
    *b"Mon", *b"Tue", *b"Wed", *b"Thu", *b"Fri", *b"Sat", *b"Sun", *b"Jan", *b"Feb", *b"Mar",
    *b"Apr", *b"May", *b"Jun", *b"Jul", *b"Aug", *b"Sep", *b"Oct", *b"Nov", *b"Dec",
];

/// The rest of each long weekday name: `LONG[LONG_AT[i]..LONG_AT[i + 1]]` for weekday `i`.
const LONG: &[u8; 29] = b"daysdaynesdayrsdaydayurdayday";
const LONG_AT: [u8; 8] = [0, 3, 7, 13, 18, 21, 26, 29];

/// What [`scan`] read: the rest of the input, the date and whether the day was loose.
type Scanned<'a> = (&'a [u8], (HttpDate, bool));

/// Reads `input` as the form `pattern` describes and checks the date it names. A field that
/// does not parse is reported where it starts, a run of literals where the run starts, and a
/// date that does not exist (or whose weekday is wrong) at the start of `input`.
fn scan<'a>(
    input: &'a [u8],
    pattern: &[u8],
    loose: bool,
    reference_year: u16,
) -> Result<Scanned<'a>, &'a [u8]> {
    let mut v = [0u16; 8];
    let mut loose_used = false;
    let mut rest = input;
    // Where the current run of literals started (just after the last field).
    let mut run = input;
    for &code in pattern {
        if code >= 0x20 {
            match rest {
                [b, r @ ..] if *b == code => rest = r,
                _ => return Err(run),
            }
            continue;
        }
        let mut len = 2;
        let value = match (code, rest) {
            (WEEKDAY | LONG_WEEKDAY | MONTH, _) => {
                let head = rest.first_chunk::<3>().ok_or(rest)?;
                let i = NAMES.iter().position(|n| n == head).ok_or(rest)?;
                len = 3;
                let i = if code == MONTH {
                    i.checked_sub(7).ok_or(rest)?
                } else if i < 7 {
                    i
                } else {
                    return Err(rest);
                };
                if code == LONG_WEEKDAY {
                    let from = usize::from(LONG_AT.get(i).copied().unwrap_or(0));
                    let to = usize::from(LONG_AT.get(i + 1).copied().unwrap_or(0));
                    let tail = LONG.get(from..to).unwrap_or(&[]);
                    // Byte by byte: a slice comparison would link `memcmp` for this alone.
                    let after = rest.get(3..).unwrap_or(&[]);
                    if after.len() < tail.len() || tail.iter().zip(after).any(|(t, a)| t != a) {
                        return Err(rest);
                    }
                    len += tail.len();
                }
                // proven: i < 19.
                i as u16
            }
            (ASCTIME_DAY, [b' ', d @ b'0'..=b'9', ..]) => u16::from(d - b'0'),
            (DAY, [d @ b'1'..=b'9', b' ', ..]) if loose => {
                loose_used = true;
                len = 1;
                u16::from(d - b'0')
            }
            _ => {
                let n = match rest {
                    [a @ b'0'..=b'9', b @ b'0'..=b'9', ..] => {
                        u16::from(a - b'0') * 10 + u16::from(b - b'0')
                    }
                    _ => return Err(rest),
                };
                match code {
                    YEAR_LOW => v.get(3).copied().unwrap_or(0) * 100 + n,
                    YEAR2 => {
                        // RFC 9110 §5.6.7: a year that appears more than 50 years in the
                        // future is in the past.
                        let century = reference_year / 100 * 100;
                        // Saturating: a reference year near `u16::MAX` gives a year
                        // HttpDate::new rejects.
                        let year = century.saturating_add(n);
                        if year > reference_year.saturating_add(50) {
                            year.saturating_sub(100)
                        } else {
                            year
                        }
                    }
                    _ => n,
                }
            }
        };
        if let Some(slot) = v.get_mut(usize::from(code & 7)) {
            *slot = value;
        }
        rest = rest.get(len..).unwrap_or(&[]);
        run = rest;
    }
    let [weekday, month0, day, year, hour, minute, second, _] = v;
    // proven: the month index is below 12 and every field but the year below 100.
    let (month, day, hour, minute, second) = (
        month0 as u8 + 1,
        day as u8,
        hour as u8,
        minute as u8,
        second as u8,
    );
    match HttpDate::new(year, month, day, hour, minute, second) {
        Some(d) if u16::from(d.weekday()) == weekday => Ok((rest, (d, loose_used))),
        _ => Err(input),
    }
}

impl EncodeTo for HttpDate {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        let two = |v: u8| [b'0' + v / 10 % 10, b'0' + v % 10];
        let wd = NAMES.get(usize::from(self.weekday())).unwrap_or(b"Mon");
        let mon = NAMES
            .get(7 + usize::from(self.month.saturating_sub(1)))
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
