//! Time values outside Structured Fields: decimal seconds (`2.0`, `64.57`), unsigned decimal
//! numbers (`1470173023.123`, `599.0`), Go `time.Duration` strings (`6m0s`, `83.333333ms`,
//! `2µs`) and RFC 3339 timestamps (`2025-08-21T12:40:59Z`).

use core::time::Duration;

use nom::Parser;
use nom::combinator::{cut, opt};
use nom::multi::fold_many_m_n;
use nom::sequence::preceded;

use super::{PResult, SyntaxError, byte, byte_where, digits, expect, fail, span1};
use crate::error::ErrorKind;

/// The largest [`Duration`] that is a whole number of milliseconds.
const MAX_WHOLE_MILLIS: Duration = Duration::new(u64::MAX, 999_000_000);

/// `1*DIGIT [ "." 1*DIGIT ]` seconds, as a [`Duration`] rounded **up** to the millisecond
/// (a wait must never come out shorter than the server asked). Saturates on overflow, at
/// `u64::MAX` seconds and 999 milliseconds (still a whole number of milliseconds).
///
/// Returns the duration and whether a fraction was present.
pub(crate) fn decimal_seconds(input: &[u8]) -> PResult<'_, (Duration, bool)> {
    let (rest, n) = unsigned_decimal(input)?;
    if n.fraction.is_empty() {
        return Ok((rest, (Duration::from_secs(n.int), false)));
    }
    // Saturates at the largest whole number of milliseconds, not at `Duration::MAX`.
    let d = Duration::from_secs(n.int)
        .checked_add(Duration::from_millis(u64::from(n.fraction_millis_ceil())))
        .unwrap_or(MAX_WHOLE_MILLIS);
    Ok((rest, (d, true)))
}

/// An unsigned decimal number, `1*DIGIT [ "." 1*DIGIT ]`, split into its parts without
/// rounding (see [`unsigned_decimal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DecimalParts<'a> {
    /// The integer part, saturated at `u64::MAX`.
    pub int: u64,
    /// The fraction digits after the `.` (empty when there is no `.`).
    pub fraction: &'a [u8],
}

impl DecimalParts<'_> {
    /// The fraction in thousandths rounded **up** (0 to 1000; 1000 means a carry into the
    /// integer part): right for times, where a wait must never come out shorter.
    pub(crate) fn fraction_millis_ceil(&self) -> u32 {
        millis_ceil(self.fraction)
    }

    /// The fraction in thousandths rounded **down** (0 to 999): right for counts, where
    /// "requests left" must never come out larger.
    pub(crate) fn fraction_millis_floor(&self) -> u32 {
        millis_floor(self.fraction)
    }
}

/// Thousandths of `0.<digits>` rounded down (the first three digits, missing ones as 0).
fn millis_floor(digits: &[u8]) -> u32 {
    let mut millis = 0;
    for i in 0..3 {
        let d = digits.get(i).map_or(0, |d| d.saturating_sub(b'0'));
        millis = millis * 10 + u32::from(d);
    }
    millis
}

/// Thousandths of `0.<digits>` rounded up (0 to 1000).
fn millis_ceil(digits: &[u8]) -> u32 {
    let beyond = digits.get(3..).unwrap_or(&[]).iter().any(|d| *d != b'0');
    millis_floor(digits) + u32::from(beyond)
}

/// `1*DIGIT [ "." 1*DIGIT ]`: an unsigned decimal number such as an epoch time with
/// milliseconds (`1470173023.123`, Discord) or Reddit's `599.0`. A `.` must be followed by a
/// digit. Nothing is rounded: the caller decides how many fraction digits it keeps.
pub(crate) fn unsigned_decimal(input: &[u8]) -> PResult<'_, DecimalParts<'_>> {
    let fraction = preceded(
        byte(b'.'),
        cut(expect(
            ErrorKind::ExpectedDigit,
            span1(|b| b.is_ascii_digit()),
        )),
    );
    (digits, opt(fraction))
        .map(|((int, _), fraction)| DecimalParts {
            int,
            fraction: fraction.unwrap_or(&[]),
        })
        .parse(input)
}

/// Nanoseconds in each Go duration unit.
const NS: u64 = 1;
const US: u64 = 1_000;
const MS: u64 = 1_000_000;
const SEC: u64 = 1_000_000_000;
const MIN: u64 = 60 * SEC;
const HOUR: u64 = 60 * MIN;

/// The size of a Go duration unit in nanoseconds, or `None` for an unknown unit.
fn go_unit(unit: &[u8]) -> Option<u64> {
    Some(match unit {
        b"ns" => NS,
        // `us`, U+00B5 MICRO SIGN, U+03BC GREEK SMALL LETTER MU.
        b"us" | b"\xC2\xB5s" | b"\xCE\xBCs" => US,
        b"ms" => MS,
        b"s" => SEC,
        b"m" => MIN,
        b"h" => HOUR,
        _ => return None,
    })
}

/// Whether `b` can be part of a Go duration unit: a letter, or a byte of a UTF-8 sequence
/// (the micro signs).
fn is_unit_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b >= 0x80
}

/// `ceil(0.<digits> × unit)` in whole nanoseconds, exactly for any number of digits.
///
/// Folds from the last digit: `ceil((d·unit + ceil(x)) / 10) = ceil((d·unit + x) / 10)` for
/// an integer `d·unit` and a real `x`, so each step stays below `unit + 1`.
fn fraction_ceil(digits: &[u8], unit: u64) -> u64 {
    digits.iter().rev().fold(0u64, |carry, d| {
        // proven: d·unit + carry <= 9·3.6e12 + 3.6e12, far below u64::MAX.
        let n = u64::from(d.saturating_sub(b'0'))
            .saturating_mul(unit)
            .saturating_add(carry);
        n.div_ceil(10)
    })
}

/// A Go duration read by [`go_duration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GoDurationParts {
    /// The magnitude, rounded up to the nanosecond, saturated at [`Duration::MAX`].
    pub duration: Duration,
    /// Whether a `-` sign came first (the magnitude may still be zero, as in `-0s`).
    pub negative: bool,
    /// Whether the value was a bare number read as seconds (only with `unitless_seconds`).
    pub unitless: bool,
}

/// A Go `time.Duration` string as `time.ParseDuration` reads it: an optional `+` or `-`, then
/// one or more `number unit` pairs, where the number is `1*DIGIT [ "." *DIGIT ]` or
/// `"." 1*DIGIT` and the unit is `ns`, `us`, `µs` (U+00B5, bytes C2 B5), `μs` (U+03BC, bytes
/// CE BC), `ms`, `s`, `m` or `h` (case-sensitive); or a lone `0`. Units may repeat and come in
/// any order (`1s1s` is 2 s), as in Go. With `unitless_seconds`, a bare number (`60`, `1.5`)
/// is read as seconds and reported in [`GoDurationParts::unitless`].
///
/// Unlike Go (int64 nanoseconds), the value never overflows: it saturates at
/// [`Duration::MAX`]. Fractions finer than a nanosecond round **up**.
pub(crate) fn go_duration_with(
    input: &[u8],
    unitless_seconds: bool,
) -> PResult<'_, GoDurationParts> {
    let (negative, mut rest) = match input.first() {
        Some(b'-') => (true, input.get(1..).unwrap_or(&[])),
        Some(b'+') => (false, input.get(1..).unwrap_or(&[])),
        _ => (false, input),
    };
    let mut parts = GoDurationParts {
        duration: Duration::ZERO,
        negative,
        unitless: false,
    };
    // A lone `0` needs no unit.
    if let [b'0', after @ ..] = rest {
        let continues = after
            .first()
            .is_some_and(|b| b.is_ascii_digit() || *b == b'.' || is_unit_byte(*b));
        if !continues {
            return Ok((after, parts));
        }
    }
    let mut total: u128 = 0;
    let mut first = true;
    loop {
        // The number: `1*DIGIT [ "." *DIGIT ]` or `"." 1*DIGIT`.
        let number_at = rest;
        let n_int = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let int = rest.iter().take(n_int).fold(0u128, |v, d| {
            v.saturating_mul(10)
                .saturating_add(u128::from(d.saturating_sub(b'0')))
        });
        rest = rest.get(n_int..).unwrap_or(&[]);
        let mut fraction: &[u8] = &[];
        if let Some(b'.') = rest.first() {
            let after_dot = rest.get(1..).unwrap_or(&[]);
            let n = after_dot.iter().take_while(|b| b.is_ascii_digit()).count();
            fraction = after_dot.get(..n).unwrap_or(&[]);
            rest = after_dot.get(n..).unwrap_or(&[]);
        }
        if n_int == 0 && fraction.is_empty() {
            return fail(number_at, ErrorKind::ExpectedDigit);
        }
        // The unit: every letter or UTF-8 byte up to the next number, as Go reads it.
        let n_unit = rest.iter().take_while(|b| is_unit_byte(**b)).count();
        let unit = if n_unit == 0 {
            if unitless_seconds && first {
                parts.unitless = true;
                SEC
            } else {
                return fail(rest, ErrorKind::InvalidDuration);
            }
        } else {
            match go_unit(rest.get(..n_unit).unwrap_or(&[])) {
                Some(u) => u,
                None => return fail(rest, ErrorKind::InvalidDuration),
            }
        };
        rest = rest.get(n_unit..).unwrap_or(&[]);
        total = total
            .saturating_add(int.saturating_mul(u128::from(unit)))
            .saturating_add(u128::from(fraction_ceil(fraction, unit)));
        first = false;
        if parts.unitless
            || !rest
                .first()
                .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
        {
            break;
        }
    }
    parts.duration = duration_from_nanos(total);
    Ok((rest, parts))
}

/// A nanosecond count as a [`Duration`], saturated at [`Duration::MAX`].
pub(crate) fn duration_from_nanos(total: u128) -> Duration {
    let sec = u128::from(SEC);
    match u64::try_from(total / sec) {
        // proven: total % 1e9 < 1e9 fits in u32; the fallback is never taken.
        Ok(secs) => Duration::new(secs, u32::try_from(total % sec).unwrap_or(0)),
        Err(_) => Duration::MAX,
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date `y-m-d` (H. Hinnant's
/// `days_from_civil`); `y` in 0..=9999 (the range of every date the crate reads), `m` in
/// 1..=12, `d` in 1..=31. In 32-bit unsigned arithmetic, which 32-bit targets do inline.
pub(crate) fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    // Counted from March of year -400, a whole era early, so that January and February of
    // year 0 (counted with the year before) stay non-negative.
    // proven: y is in 0..=9999, so the cast keeps it.
    let y = y as u32 + 400 - u32::from(m <= 2);
    let era = y / 400;
    let yoe = y % 400;
    let mp = u32::from(m.saturating_add(9) % 12);
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + (153 * mp + 2) / 5 + u32::from(d);
    // The day of the era counts from 1 here (`d` is), hence the extra 1.
    i64::from(era * 146_097 + doe) - (719_468 + 146_097 + 1)
}

/// The date `(year, month, day)` `days` after 1970-01-01 (H. Hinnant's `civil_from_days`),
/// for a day of years 0 to 9999 (the range of every date the crate writes). In 32-bit
/// unsigned arithmetic, as [`days_from_civil`].
pub(crate) fn civil_from_days(days: i64) -> (i64, u8, u8) {
    // Counted from March of year -400, a whole era early, so that every day is non-negative.
    // proven: days is in -719_528..=2_932_896, so z is in 146_037..=3_798_461.
    let z = (days + 719_468 + 146_097) as u32;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // proven: doy in 0..366 and mp in 0..12, so the day is 1..=31 and the month 1..=12.
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    let y = i64::from(yoe + era * 400 + u32::from(m <= 2)) - 400;
    (y, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// The number of days in month `m` of year `y`.
pub(crate) fn days_in_month(y: i64, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Exactly `n` digits (n <= 4) as a number in `0..=max`, else an
/// [`ErrorKind::InvalidTimestamp`] at the first of them.
fn fixed_digits<'a>(
    n: usize,
    max: u16,
) -> impl Parser<&'a [u8], Output = u16, Error = SyntaxError<'a>> {
    move |input: &'a [u8]| {
        let digit = byte_where(|b| b.is_ascii_digit()).map(|d| u16::from(d - b'0'));
        match fold_many_m_n(n, n, digit, || 0u16, |v, d| v * 10 + d).parse(input) {
            Ok((rest, v)) if v <= max => Ok((rest, v)),
            _ => fail(input, ErrorKind::InvalidTimestamp),
        }
    }
}

/// One byte of `set` (a separator such as `T` or `t`), else an
/// [`ErrorKind::InvalidTimestamp`].
fn separator<'a>(
    set: &'static [u8],
) -> impl Parser<&'a [u8], Output = u8, Error = SyntaxError<'a>> {
    expect(
        ErrorKind::InvalidTimestamp,
        byte_where(|b| set.contains(&b)),
    )
}

/// An RFC 3339 `date-time` (§5.6): `full-date "T" partial-time time-offset`, that is
/// `YYYY-MM-DD "T" hh:mm:ss [ "." 1*DIGIT ]` then `Z` or `±hh:mm`. `T` and `Z` may be
/// lowercase (RFC 3339 §5.6 note); a leap second `:60` is the start of the next minute;
/// `-00:00` is UTC. Returns milliseconds since the Unix epoch (UTC), the fraction rounded
/// **up** to the millisecond. The day must exist in its month.
pub(crate) fn rfc3339(input: &[u8]) -> PResult<'_, i64> {
    let full_date = (
        fixed_digits(4, 9999),
        separator(b"-"),
        fixed_digits(2, 12),
        separator(b"-"),
        fixed_digits(2, 31),
    );
    let time_of_day = (
        fixed_digits(2, 23),
        separator(b":"),
        fixed_digits(2, 59),
        separator(b":"),
        fixed_digits(2, 60),
    );
    let fraction = preceded(
        byte(b'.'),
        cut(expect(
            ErrorKind::InvalidTimestamp,
            span1(|b| b.is_ascii_digit()),
        )),
    );
    let (rest, ((year, _, month, _, day), _, (hour, _, minute, _, second), fraction)) =
        (full_date, separator(b"Tt"), time_of_day, opt(fraction)).parse(input)?;
    let (rest, offset_secs) = time_offset(rest)?;
    // The fields have fixed widths: the month starts at byte 5, the day at byte 8.
    if month == 0 {
        return fail(input.get(5..).unwrap_or(&[]), ErrorKind::InvalidTimestamp);
    }
    let (y, m, d) = (i64::from(year), small(month), small(day));
    if d == 0 || d > days_in_month(y, m) {
        return fail(input.get(8..).unwrap_or(&[]), ErrorKind::InvalidTimestamp);
    }
    let millis = fraction.map_or(0, millis_ceil);
    let secs = days_from_civil(y, m, d) * 86_400
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second)
        - offset_secs;
    // proven: |secs| < 3e11 and millis <= 1000, so nothing here can overflow i64.
    Ok((rest, secs * 1000 + i64::from(millis)))
}

/// `time-offset = "Z" / time-numoffset`, `time-numoffset = ( "+" / "-" ) time-hour ":"
/// time-minute` (RFC 3339 §5.6), in seconds east of UTC.
fn time_offset(input: &[u8]) -> PResult<'_, i64> {
    match input.first() {
        Some(b'Z' | b'z') => Ok((input.get(1..).unwrap_or(&[]), 0)),
        Some(&sign @ (b'+' | b'-')) => {
            let mut numoffset = (fixed_digits(2, 23), separator(b":"), fixed_digits(2, 59));
            let (rest, (oh, _, om)) = numoffset.parse(input.get(1..).unwrap_or(&[]))?;
            let secs = i64::from(oh) * 3600 + i64::from(om) * 60;
            Ok((rest, if sign == b'-' { -secs } else { secs }))
        }
        _ => fail(input, ErrorKind::InvalidTimestamp),
    }
}

/// Narrows a value already checked to be small.
fn small(v: u16) -> u8 {
    // proven: callers pass values checked against a maximum below 256.
    u8::try_from(v).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_of_years_0_to_9999_round_trips() {
        // 0000-01-01 to 9999-12-31.
        for days in -719_528..=2_932_896 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn rounds_up_to_the_millisecond() {
        let d = |s: &[u8]| decimal_seconds(s).map(|(_, (d, _))| d).ok();
        assert_eq!(d(b"2"), Some(Duration::from_secs(2)));
        assert_eq!(d(b"2.0"), Some(Duration::from_secs(2)));
        assert_eq!(d(b"64.57"), Some(Duration::from_millis(64_570)));
        assert_eq!(d(b"0.0001"), Some(Duration::from_millis(1)));
        assert_eq!(d(b"1.0000000001"), Some(Duration::from_millis(1_001)));
        assert_eq!(d(b"1."), None);
        assert_eq!(d(b".5"), None);
        assert_eq!(
            d(b"99999999999999999999999.9"),
            Some(Duration::from_secs(u64::MAX).saturating_add(Duration::from_millis(900)))
        );
    }

    #[test]
    fn unsigned_decimal_reads_its_examples() {
        let (rest, n) = unsigned_decimal(b"1470173023.1234;x").unwrap();
        assert_eq!(
            (n.int, n.fraction, rest),
            (1470173023, &b"1234"[..], &b";x"[..])
        );
        assert_eq!(n.fraction_millis_ceil(), 124);
        assert_eq!(n.fraction_millis_floor(), 123);
        assert!(unsigned_decimal(b"1.").is_err());
        assert!(unsigned_decimal(b".5").is_err());
    }

    #[test]
    fn go_duration_reads_its_examples() {
        let (rest, d) = go_duration_with("2m59.56s".as_bytes(), false).unwrap();
        assert_eq!(
            (d.duration, d.negative, rest),
            (Duration::from_millis(179_560), false, &b""[..])
        );
        let (_, d) = go_duration_with("2µs".as_bytes(), false).unwrap();
        assert_eq!(d.duration, Duration::from_micros(2));
        let (_, d) = go_duration_with(b"-1s", false).unwrap();
        assert!(d.negative);
        assert!(go_duration_with(b"60", false).is_err()); // a number needs a unit (except a lone `0`)
    }

    #[test]
    fn rfc3339_reads_its_examples() {
        let (_, ms) = rfc3339(b"2025-08-21T12:40:59Z").unwrap();
        assert_eq!(ms, 1_755_780_059_000);
        let (_, ms) = rfc3339(b"2025-08-21T14:40:59.5+02:00").unwrap();
        assert_eq!(ms, 1_755_780_059_500);
        assert!(rfc3339(b"2025-02-30T00:00:00Z").is_err());
    }
}
