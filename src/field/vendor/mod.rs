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

use core::time::Duration;

use crate::encode::Sink;
use crate::error::{Error, ErrorKind};
use crate::grammar::time::{self, DecimalParts};
use crate::grammar::{PResult, ParseMode, fail, nom_error, trim_ows, unexpected_kind};
use crate::lenient::{Tolerance, Tolerances};

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
    mode: ParseMode,
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

/// Adds `FromStr` (strict parse of the string's bytes).
macro_rules! impl_from_str {
    ([$($gen:tt)*] $ty:ty) => {
        impl<$($gen)*> FromStr for $ty {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                <$ty>::parse(s.as_bytes())
            }
        }
    };
}

mod call_limit;
mod count;
mod delay;
mod kong;
mod label;
mod reset;
#[cfg(test)]
mod tests;

pub use call_limit::CallLimit;
pub use count::{Count, DecimalCount};
pub use delay::{DecimalSeconds, GoDuration};
pub use kong::{KongField, KongPeriod};
pub use label::{DEFAULT_LABEL_CAPACITY, DiscordScope, Flag, Label};
pub use reset::{Rfc3339, UnixTime};
