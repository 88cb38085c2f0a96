//! The Structured Field grammar (RFC 9651 §3, parsed as §4.2 says): bare items, parameters,
//! items and inner lists, as nom parsers over the bytes of one field value. The values they
//! return are the borrowed views of [`crate::sf`].

use nom::Parser;
use nom::branch::alt;
use nom::combinator::{cut, value};
use nom::multi::many0_count;
use nom::sequence::{pair, preceded};

use super::{
    PResult, ParseMode, TOKEN_REST, ascii_str, byte, byte_where, consumed, expect, fail,
    fail_unexpected, ows, recognized, sp, span, span1,
};
use crate::error::ErrorKind;
use crate::lenient::{Tolerance, Tolerances};
use crate::sf::{
    BareItem, ByteSeq, Hidden, InnerList, Item, MAX_PARAMS, Member, Params, SfStr, validate_base64,
};

/// `sf-string = DQUOTE *( unescaped / "%" / bs-escaped ) DQUOTE` (RFC 9651 §3.3.3): returns
/// the escaped content between the quotes.
pub(crate) fn string(input: &[u8]) -> PResult<'_, SfStr<'_>> {
    // unescaped: printable ASCII but `"` and `\`; an escape is `\` then `"` or `\`.
    let unescaped = span1(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E));
    let escaped = preceded(byte(b'\\'), cut(escaped_char));
    let (rest, raw) = preceded(
        byte(b'"'),
        recognized(many0_count(alt((unescaped, escaped)))),
    )
    .parse(input)?;
    match rest.first() {
        Some(b'"') => Ok((rest.get(1..).unwrap_or(&[]), SfStr::from_validated(raw))),
        None => fail(rest, ErrorKind::UnterminatedString),
        Some(0x80..) => fail(rest, ErrorKind::NonAscii),
        Some(_) => fail(rest, ErrorKind::InvalidString),
    }
}

/// The byte after a `\` in a String: `"` or `\`.
fn escaped_char(input: &[u8]) -> PResult<'_, &[u8]> {
    match input.first() {
        Some(b'"' | b'\\') => Ok((input.get(1..).unwrap_or(&[]), input.get(..1).unwrap_or(&[]))),
        None => fail(input, ErrorKind::UnterminatedString),
        Some(_) => fail(input, ErrorKind::InvalidString),
    }
}

/// `sf-token = ( ALPHA / "*" ) *( tchar / ":" / "/" )` (RFC 9651 §3.3.4), checked: returns
/// the rest (the token is the bytes before it).
pub(crate) fn token_end(input: &[u8]) -> PResult<'_, ()> {
    let first = byte_where(|b| b.is_ascii_alphabetic() || b == b'*');
    let rest = span(|b| TOKEN_REST.contains(b));
    value((), pair(first, rest)).parse(input)
}

/// `key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )` (RFC 9651 §3.1.2).
///
/// With `uppercase` (lenient mode) ASCII capitals are accepted too.
#[inline]
pub(crate) fn key_with(input: &[u8], uppercase: bool) -> PResult<'_, &[u8]> {
    let first =
        |b: u8| b.is_ascii_lowercase() || b == b'*' || (uppercase && b.is_ascii_uppercase());
    let more = |b: u8| {
        b.is_ascii_lowercase()
            || b.is_ascii_digit()
            || matches!(b, b'_' | b'-' | b'.' | b'*')
            || (uppercase && b.is_ascii_uppercase())
    };
    let kind = match input.first() {
        Some(0x80..) => ErrorKind::NonAscii,
        _ => ErrorKind::ExpectedKey,
    };
    recognized(pair(expect(kind, byte_where(first)), span(more))).parse(input)
}

/// `key` (strict: lowercase only).
pub(crate) fn key(input: &[u8]) -> PResult<'_, &str> {
    key_with(input, false).map(|(rest, k)| (rest, ascii_str(k)))
}

/// `sf-binary = ":" base64 ":"` (RFC 9651 §3.3.5).
pub(crate) fn byte_sequence(input: &[u8]) -> PResult<'_, ByteSeq<'_>> {
    let (rest, b64) = preceded(byte(b':'), span(|b| b != b':')).parse(input)?;
    let Some(after) = rest.strip_prefix(b":") else {
        return fail(rest, ErrorKind::InvalidByteSequence);
    };
    match validate_base64(b64) {
        Ok(()) => Ok((after, ByteSeq { b64 })),
        // The offset of a failure is counted from the end, so it is given as the input from
        // the bad byte on (after the opening `:`).
        Err(at) => fail(
            input.get(1 + at..).unwrap_or(&[]),
            ErrorKind::InvalidByteSequence,
        ),
    }
}

/// `sf-boolean = "?" ( "0" / "1" )` (RFC 9651 §3.3.6).
pub(crate) fn boolean(input: &[u8]) -> PResult<'_, bool> {
    let digit = alt((value(false, byte(b'0')), value(true, byte(b'1'))));
    preceded(byte(b'?'), expect(ErrorKind::InvalidBoolean, digit)).parse(input)
}

/// `bare-item = sf-integer / sf-decimal / sf-string / sf-token / sf-binary / sf-boolean`
/// (RFC 9651 §3.3), dispatched on its first byte (no backtracking).
pub(crate) fn scan<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, BareItem<'a>> {
    match input.first() {
        Some(b'0'..=b'9' | b'-') => super::number(input, mode, tol),
        Some(b'"') => string(input).map(|(r, s)| (r, BareItem::String(s))),
        Some(b':') => byte_sequence(input).map(|(r, b)| (r, BareItem::ByteSequence(b))),
        Some(b'?') => boolean(input).map(|(r, b)| (r, BareItem::Boolean(b))),
        Some(b) if b.is_ascii_alphabetic() || *b == b'*' => {
            let (rest, ()) = token_end(input)?;
            Ok((rest, BareItem::Token(ascii_str(consumed(input, rest)))))
        }
        _ => fail_unexpected(input),
    }
}

/// `bare-item` (strict).
#[cfg(feature = "serde")]
pub(crate) fn bare_item(input: &[u8]) -> PResult<'_, BareItem<'_>> {
    scan(input, ParseMode::Strict, &mut Tolerances::new())
}

/// One `";" *SP parameter`, if the input starts with one: `(key, value, key position)`.
///
/// Lenient mode also accepts, and reports: whitespace before `;` and a tab after it
/// ([`Tolerance::WhitespaceAroundSemicolon`]); uppercase letters in keys
/// ([`Tolerance::UppercaseKey`]).
#[inline]
#[allow(clippy::type_complexity)]
pub(crate) fn one_param<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, Option<(&'a [u8], BareItem<'a>, &'a [u8])>> {
    let rest = match input.first() {
        Some(b';') => input,
        Some(b' ' | b'\t') if mode.lenient() => {
            let after = ows(input);
            if let Some(b';') = after.first() {
                tol.insert(Tolerance::WhitespaceAroundSemicolon);
                after
            } else {
                return Ok((input, None));
            }
        }
        _ => return Ok((input, None)),
    };
    let rest = rest.get(1..).unwrap_or(&[]);
    let key_at = if mode.lenient() {
        let k = ows(rest);
        if sp(rest).len() != k.len() {
            tol.insert(Tolerance::WhitespaceAroundSemicolon);
        }
        k
    } else {
        sp(rest)
    };
    let (after_key, k) = key_with(key_at, mode.lenient())?;
    if mode.lenient() && k.iter().any(u8::is_ascii_uppercase) {
        tol.insert(Tolerance::UppercaseKey);
    }
    let (rest, value) = match after_key.first() {
        Some(b'=') => scan(after_key.get(1..).unwrap_or(&[]), mode, tol)?,
        _ => (after_key, BareItem::Boolean(true)),
    };
    Ok((rest, Some((k, value, key_at))))
}

/// `parameters = *( ";" *SP parameter )`, calling `each(key, value, key position)` for every
/// parameter in order (duplicates included), and returning the raw bytes of the section.
/// See [`one_param`] for the lenient extras.
#[inline]
pub(crate) fn parameters<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    mut each: impl FnMut(&'a [u8], BareItem<'a>, &'a [u8]) -> Result<(), SyntaxErrorAt<'a>>,
) -> PResult<'a, &'a [u8]> {
    let mut rest = input;
    let mut count = 0usize;
    while let (after, Some((k, v, at))) = one_param(rest, mode, tol)? {
        count += 1;
        if count > MAX_PARAMS {
            return fail(rest, ErrorKind::CapacityExceeded);
        }
        if let Err(e) = each(k, v, at) {
            return fail(e.0, e.1);
        }
        rest = after;
    }
    Ok((rest, consumed(input, rest)))
}

/// An error raised by a parameter callback: where, and what.
pub(crate) type SyntaxErrorAt<'a> = (&'a [u8], ErrorKind);

/// `sf-item = bare-item parameters`.
pub(crate) fn item<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, Item<'a>> {
    let (rest, bare) = scan(input, mode, tol)?;
    let (rest, raw) = parameters(rest, mode, tol, |_, _, _| Ok(()))?;
    Ok((
        rest,
        Item {
            bare,
            params: Params::from_validated(raw, Hidden::NONE),
        },
    ))
}

/// `sf-item`, checked only: no [`Item`] is built (a reader that discards the item keeps a
/// smaller frame).
#[inline]
pub(crate) fn check_item<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, ()> {
    let (rest, _) = scan(input, mode, tol)?;
    let (rest, _) = parameters(rest, mode, tol, |_, _, _| Ok(()))?;
    Ok((rest, ()))
}

/// `inner-list = "(" *SP [ sf-item *( 1*SP sf-item ) *SP ] ")" parameters`.
pub(crate) fn inner_list<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, InnerList<'a>> {
    let Some(b'(') = input.first() else {
        return fail_unexpected(input);
    };
    let body = input.get(1..).unwrap_or(&[]);
    let mut rest = sp(body);
    loop {
        match rest.first() {
            Some(b')') => break,
            None => return fail(rest, ErrorKind::UnexpectedByte),
            Some(_) => {}
        }
        let (after, ()) = check_item(rest, mode, tol)?;
        let spaced = sp(after);
        match spaced.first() {
            Some(b')') => {
                rest = spaced;
                break;
            }
            _ if spaced.len() == after.len() => return fail_unexpected(after),
            _ => rest = spaced,
        }
    }
    let items = consumed(body, rest);
    let rest = rest.get(1..).unwrap_or(&[]);
    let (rest, raw) = parameters(rest, mode, tol, |_, _, _| Ok(()))?;
    Ok((
        rest,
        InnerList {
            items,
            params: Params::from_validated(raw, Hidden::NONE),
        },
    ))
}

pub(crate) fn member<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, Member<'a>> {
    if let Some(b'(') = input.first() {
        inner_list(input, mode, tol).map(|(r, l)| (r, Member::InnerList(l)))
    } else {
        item(input, mode, tol).map(|(r, i)| (r, Member::Item(i)))
    }
}
