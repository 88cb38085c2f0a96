//! `arbitrary::Arbitrary` for the value types (feature `arbitrary`), so that fuzzers — ours in
//! `fuzz/` and those of crates that depend on this one — can generate them.
//!
//! Every value is made with the public builders (`new`, `named`, `with_*`, `push`), so it is
//! one that a server could emit, and `parse(encode(v)) == v` holds for it (`Reset::At` is read
//! back by `Reset::parse_lenient`, as draft-polli-00 dates always are).
//!
//! Names, units, partition keys and parameters borrow from the fuzzer's input: a `&str` (or
//! bytes) is taken from the [`Unstructured`] and cut to its longest valid prefix (`SfStr`
//! content, base64, a parameter section), so most inputs give a usable value.
//!
//! The `arbitrary` crate needs `std`, so this feature is for hosts (fuzzers, tests), not for
//! `no_std` targets; the library itself is unchanged by it.

use core::time::Duration;

use arbitrary::{Arbitrary, Error as ArbError, Result, Unstructured};

use crate::field::date::HttpDate;
use crate::field::limit::{Limit, QuotaPolicy};
use crate::field::policy::{Policy, RateLimitPolicy};
use crate::field::ratelimit::{LimitDictionary, RateLimit, ServiceLimit};
use crate::field::remaining::Remaining;
use crate::field::reset::Reset;
use crate::field::retry_after::{RetryAfter, RetryAfterMs};
use crate::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, GoDuration, Rfc3339, UnixTime,
};
use crate::grammar::ParseMode;
use crate::grammar::sf::parameters;
use crate::lenient::Tolerances;
use crate::sf::Params;

/// A `u64` that is often small or at an edge (0, 1, the largest SF Integer, `u64::MAX`), so
/// that the interesting values are reached with few input bytes.
fn number(u: &mut Unstructured<'_>) -> Result<u64> {
    Ok(match u.int_in_range(0u8..=7)? {
        0 => 0,
        1 => u64::from(u.arbitrary::<u8>()?),
        2 => u64::from(u.arbitrary::<u16>()?),
        3 => crate::grammar::SF_INTEGER_MAX,
        4 => u64::MAX,
        _ => u.arbitrary()?,
    })
}

/// The longest prefix of `s` that is valid escaped `SfStr` content (printable ASCII, `\"`
/// and `\\` escapes only).
fn sf_str_prefix(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => match bytes.get(i + 1) {
                Some(b'"' | b'\\') => i += 2,
                _ => break,
            },
            b'"' => break,
            0x20..=0x7E => i += 1,
            _ => break,
        }
    }
    // proven: every byte before `i` is ASCII, so `i` is a char boundary.
    s.get(..i).unwrap_or("")
}

/// A borrowed `SfStr` content from the input (possibly empty, always valid).
fn sf_text<'a>(u: &mut Unstructured<'a>) -> Result<&'a str> {
    let s: &'a str = u.arbitrary()?;
    Ok(sf_str_prefix(s))
}

/// A borrowed base64 text from the input, cut to a valid length (never 1 mod 4), unpadded.
fn base64_text<'a>(u: &mut Unstructured<'a>) -> Result<&'a str> {
    let s: &'a str = u.arbitrary()?;
    let data = s
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
        .count();
    let n = if data % 4 == 1 { data - 1 } else { data };
    // proven: the first `data` bytes are ASCII, so `n <= data` is a char boundary.
    Ok(s.get(..n).unwrap_or(""))
}

/// A borrowed parameter section from the input: its longest prefix that parses strictly
/// (cut at a `;` before the first parameter that fails).
fn params<'a>(u: &mut Unstructured<'a>) -> Result<Params<'a>> {
    if !u.ratio(1u8, 4)? {
        return Ok(Params::EMPTY);
    }
    let mut bytes: &'a [u8] = u.arbitrary()?;
    loop {
        let parsed = parameters(
            bytes,
            ParseMode::Strict,
            &mut Tolerances::new(),
            |_, _, _| Ok(()),
        );
        let failed_at = match parsed {
            Ok((_, raw)) => return Ok(Params::parse(raw).unwrap_or(Params::EMPTY)),
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                bytes.len().saturating_sub(e.rest.len())
            }
            Err(nom::Err::Incomplete(_)) => return Ok(Params::EMPTY),
        };
        // Retry with the section up to the last `;` before the failure (shorter each time).
        let cut = bytes
            .get(..failed_at)
            .and_then(|head| head.iter().rposition(|b| *b == b';'))
            .unwrap_or(0);
        if cut == 0 {
            return Ok(Params::EMPTY);
        }
        bytes = bytes.get(..cut).unwrap_or(&[]);
    }
}

impl<'a> Arbitrary<'a> for Remaining {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Remaining::new(number(u)?))
    }
}

impl<'a> Arbitrary<'a> for HttpDate {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let min = HttpDate::new(1, 1, 1, 0, 0, 0).map_or(0, |d| d.unix_seconds());
        let max = HttpDate::new(9999, 12, 31, 23, 59, 59).map_or(0, |d| d.unix_seconds());
        let secs = u.int_in_range(min..=max)?;
        HttpDate::from_unix_seconds(secs).ok_or(ArbError::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Reset {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(1u8, 8)? {
            Ok(Reset::At(u.arbitrary()?))
        } else {
            Ok(Reset::after_seconds(number(u)?))
        }
    }
}

impl<'a> Arbitrary<'a> for RetryAfter {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(1u8, 4)? {
            Ok(RetryAfter::At(u.arbitrary()?))
        } else {
            Ok(RetryAfter::after_seconds(number(u)?))
        }
    }
}

impl<'a> Arbitrary<'a> for RetryAfterMs {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(RetryAfterMs::from_millis(number(u)?))
    }
}

impl<'a> Arbitrary<'a> for QuotaPolicy<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(QuotaPolicy::new(number(u)?, number(u)?).with_params(params(u)?))
    }
}

impl<'a, const N: usize> Arbitrary<'a> for Limit<'a, N> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut limit = Limit::new(number(u)?);
        let n = u.int_in_range(0..=N)?;
        for _ in 0..n {
            limit
                .push(u.arbitrary()?)
                .map_err(|_| ArbError::IncorrectFormat)?;
        }
        Ok(limit)
    }
}

/// A named policy, or an unnamed one when `named` is false.
fn policy<'a>(u: &mut Unstructured<'a>, named: bool) -> Result<Policy<'a>> {
    if !named {
        return Ok(Policy::unnamed(number(u)?, number(u)?).with_params(params(u)?));
    }
    let mut p = Policy::named(sf_text(u)?, number(u)?).map_err(|_| ArbError::IncorrectFormat)?;
    if u.arbitrary()? {
        p = p.with_window(number(u)?);
    }
    if u.ratio(1u8, 4)? {
        p = p
            .with_unit(sf_text(u)?)
            .map_err(|_| ArbError::IncorrectFormat)?;
    }
    if u.ratio(1u8, 4)? {
        p = p
            .with_partition_key(base64_text(u)?)
            .map_err(|_| ArbError::IncorrectFormat)?;
    }
    Ok(p.with_params(params(u)?))
}

impl<'a> Arbitrary<'a> for Policy<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let named = u.arbitrary()?;
        policy(u, named)
    }
}

impl<'a, const N: usize> Arbitrary<'a> for RateLimitPolicy<'a, N> {
    /// One to `N` policies, all named or all unnamed (an empty list is not a field value).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if N == 0 {
            return Err(ArbError::IncorrectFormat);
        }
        let named = u.arbitrary()?;
        let mut list = RateLimitPolicy::new();
        let n = u.int_in_range(1..=N)?;
        for _ in 0..n {
            // A policy the list refuses (a repeated unnamed quota) is left out.
            let _ = list.push(policy(u, named)?);
        }
        if list.policies().is_empty() {
            return Err(ArbError::IncorrectFormat);
        }
        Ok(list)
    }
}

impl<'a> Arbitrary<'a> for ServiceLimit<'a> {
    /// Always with `r`, which a strictly valid item needs.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut item = ServiceLimit::named(sf_text(u)?)
            .map_err(|_| ArbError::IncorrectFormat)?
            .with_remaining(number(u)?);
        if u.arbitrary()? {
            item = item.with_reset(number(u)?);
        }
        if u.ratio(1u8, 4)? {
            item = item
                .with_partition_key(base64_text(u)?)
                .map_err(|_| ArbError::IncorrectFormat)?;
        }
        Ok(item.with_params(params(u)?))
    }
}

impl<'a> Arbitrary<'a> for LimitDictionary<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let d = LimitDictionary::new(number(u)?, number(u)?);
        Ok(if u.arbitrary()? {
            d.with_remaining(number(u)?)
        } else {
            d
        })
    }
}

impl<'a, const N: usize> Arbitrary<'a> for RateLimit<'a, N> {
    /// The draft-ietf-07 Dictionary, or a List of one to `N` items.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if N == 0 || u.ratio(1u8, 4)? {
            return Ok(RateLimit::Dictionary(u.arbitrary()?));
        }
        let mut list = RateLimit::list();
        let n = u.int_in_range(1..=N)?;
        for _ in 0..n {
            list.push(u.arbitrary()?)
                .map_err(|_| ArbError::IncorrectFormat)?;
        }
        Ok(list)
    }
}

impl<'a> Arbitrary<'a> for Count {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Count::new(number(u)?))
    }
}

impl<'a> Arbitrary<'a> for DecimalCount {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.arbitrary()? {
            DecimalCount::from_whole(number(u)?)
        } else {
            DecimalCount::from_milli(number(u)?)
        })
    }
}

impl<'a> Arbitrary<'a> for UnixTime {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.arbitrary()? {
            UnixTime::from_secs(number(u)?)
        } else {
            UnixTime::from_unix_millis(number(u)?)
        })
    }
}

impl<'a> Arbitrary<'a> for DecimalSeconds {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=2)? {
            0 => DecimalSeconds::from_secs(number(u)?),
            1 => DecimalSeconds::from_millis(number(u)?),
            _ => DecimalSeconds::from_duration(duration(u)?),
        })
    }
}

/// Any `Duration`, often whole or at an edge.
fn duration(u: &mut Unstructured<'_>) -> Result<Duration> {
    let secs = number(u)?;
    let nanos = match u.int_in_range(0u8..=3)? {
        0 => 0,
        1 => 999_999_999,
        _ => u.int_in_range(0..=999_999_999)?,
    };
    Ok(Duration::new(secs, nanos))
}

impl<'a> Arbitrary<'a> for GoDuration {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(GoDuration::new(duration(u)?))
    }
}

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in milliseconds since the epoch, the
/// range of [`Rfc3339`].
const RFC3339_RANGE_MS: core::ops::RangeInclusive<i64> = -62_167_219_200_000..=253_402_300_799_999;

impl<'a> Arbitrary<'a> for Rfc3339 {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let ms = u.int_in_range(RFC3339_RANGE_MS)?;
        Rfc3339::from_unix_millis(ms).ok_or(ArbError::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for CallLimit {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(CallLimit::new(number(u)?, number(u)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sf::SfStr;

    #[test]
    fn prefixes_are_valid() {
        assert_eq!(sf_str_prefix(r#"ab\"c"d"#), r#"ab\"c"#);
        assert_eq!(sf_str_prefix("ab\\n"), "ab");
        assert_eq!(sf_str_prefix("a\u{e9}"), "a");
        assert!(SfStr::from_escaped(sf_str_prefix(r#"x\\y\"#)).is_ok());
    }

    #[test]
    fn values_from_zeros_and_ones() {
        for fill in [0u8, 1, 0x55, 0xFF] {
            let data = [fill; 256];
            let mut u = Unstructured::new(&data);
            let _: RateLimitPolicy<'_, 4> = u.arbitrary().unwrap_or_default();
            let mut u = Unstructured::new(&data);
            let _ = u.arbitrary::<Limit<'_, 4>>();
            let mut u = Unstructured::new(&data);
            let _ = u.arbitrary::<RateLimit<'_, 4>>();
        }
    }
}
