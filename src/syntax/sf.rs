//! Structured Field Values (RFC 9651): a pull parser that borrows from the input.
//!
//! Nothing is copied or allocated. Strings, tokens, keys and byte sequences are views of the
//! input bytes, validated once; [`SfStr::chars`] unescapes on the fly and
//! [`ByteSeq::decode_into`] decodes base64 into a caller's buffer. Lists and dictionaries are
//! read member by member with [`List`] and [`Dictionary`], so any number of members can be
//! visited with no storage at all.
//!
//! ```
//! use ratelimit_headers::sf::{BareItem, List, Member};
//!
//! let mut names = 0;
//! for member in List::new(br#""default";r=50;t=30, "daily";r=1000"#) {
//!     let Member::Item(item) = member? else { unreachable!() };
//!     if let BareItem::String(name) = item.bare {
//!         assert!(name == "default" || name == "daily");
//!         names += 1;
//!     }
//!     assert!(item.params.get("r").is_some());
//! }
//! assert_eq!(names, 2);
//! # Ok::<(), ratelimit_headers::Error>(())
//! ```

use core::fmt;

use super::{
    Mode, PResult, TOKEN_REST, ascii_str, consumed, fail, fail_unexpected, list_separator, ows, sp,
};
use crate::error::{Error, ErrorKind};
use crate::lenient::{Tolerance, Tolerances};

/// A Structured Field Decimal, held exactly as thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal {
    milli: i64,
}

impl Decimal {
    /// The decimal `milli / 1000`.
    pub const fn from_milli(milli: i64) -> Self {
        Decimal { milli }
    }

    /// The value in thousandths (`1.5` is 1500).
    pub const fn milli(self) -> i64 {
        self.milli
    }
}

impl fmt::Display for Decimal {
    /// Canonical SF form: one to three fraction digits, no trailing zeros beyond the first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        BareItem::Decimal(*self).fmt(f)
    }
}

/// A Structured Field String, borrowed with its escapes intact (`\"` and `\\`).
///
/// Compare it with a `&str` (the comparison unescapes), or read it with [`chars`](Self::chars).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SfStr<'a> {
    raw: &'a [u8],
}

impl<'a> SfStr<'a> {
    /// The escaped content between the quotes, exactly as on the wire.
    pub fn raw(&self) -> &'a str {
        ascii_str(self.raw)
    }

    /// The characters of the string, unescaped.
    pub fn chars(&self) -> Unescape<'a> {
        Unescape {
            rest: self.raw.iter(),
        }
    }

    /// Whether the content needed no escapes (then [`raw`](Self::raw) is the value itself).
    pub fn is_plain(&self) -> bool {
        !self.raw.contains(&b'\\')
    }

    /// Builds a string from text that is already escaped (checked: printable ASCII, escapes
    /// only `\"` and `\\`).
    ///
    /// ```
    /// use ratelimit_headers::sf::SfStr;
    /// let s = SfStr::from_escaped(r#"say \"hi\""#)?;
    /// assert_eq!(s, r#"say "hi""#);
    /// assert!(SfStr::from_escaped("bad \\n").is_err());
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn from_escaped(escaped: &'a str) -> Result<Self, Error> {
        let bytes = escaped.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => match bytes.get(i + 1) {
                    Some(b'"' | b'\\') => i += 2,
                    _ => return Err(Error::new(ErrorKind::InvalidString, i).with_found(Some(b))),
                },
                b'"' => return Err(Error::new(ErrorKind::InvalidString, i).with_found(Some(b))),
                0x20..=0x7E => i += 1,
                _ => {
                    let kind = if b > 0x7F {
                        ErrorKind::NonAscii
                    } else {
                        ErrorKind::InvalidString
                    };
                    return Err(Error::new(kind, i).with_found(Some(b)));
                }
            }
        }
        Ok(SfStr { raw: bytes })
    }
}

impl<'a> SfStr<'a> {
    /// A string from bytes already checked to be a valid String content or a Token.
    pub(crate) fn from_validated(raw: &'a [u8]) -> Self {
        SfStr { raw }
    }
}

impl PartialEq<str> for SfStr<'_> {
    fn eq(&self, other: &str) -> bool {
        self.chars().eq(other.chars())
    }
}

impl PartialEq<&str> for SfStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.chars().eq(other.chars())
    }
}

impl fmt::Debug for SfStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.raw())
    }
}

impl fmt::Display for SfStr<'_> {
    /// The unescaped text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        self.chars().try_for_each(|c| f.write_char(c))
    }
}

/// Iterator over the unescaped characters of an [`SfStr`].
#[derive(Debug, Clone)]
pub struct Unescape<'a> {
    rest: core::slice::Iter<'a, u8>,
}

impl Iterator for Unescape<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let b = *self.rest.next()?;
        let b = if b == b'\\' { *self.rest.next()? } else { b };
        Some(char::from(b))
    }
}

/// A Structured Field Byte Sequence, borrowed as its base64 text.
///
/// Two sequences are equal when their decoded bytes are (`:iZ==:` equals `:iQ==:`: pad bits
/// are not data). `Display` and `encode` write the canonical form, padded, pad bits zero.
#[derive(Clone, Copy)]
pub struct ByteSeq<'a> {
    b64: &'a [u8],
}

impl<'a> ByteSeq<'a> {
    /// The base64 text between the colons, as on the wire.
    pub fn base64(&self) -> &'a str {
        ascii_str(self.b64)
    }

    /// Builds a byte sequence from base64 text (checked; padding optional, non-zero pad bits
    /// accepted as RFC 9651 asks).
    pub fn from_base64(b64: &'a str) -> Result<Self, Error> {
        let bytes = b64.as_bytes();
        match validate_base64(bytes) {
            Ok(()) => Ok(ByteSeq { b64: bytes }),
            Err(at) => {
                Err(Error::new(ErrorKind::InvalidByteSequence, at)
                    .with_found(bytes.get(at).copied()))
            }
        }
    }

    /// The decoded bytes, one at a time.
    pub fn bytes(&self) -> DecodedBytes<'a> {
        DecodedBytes {
            b64: self.b64.iter(),
            acc: 0,
            bits: 0,
            left: self.decoded_len(),
        }
    }

    /// How many bytes the decoded sequence has.
    pub fn decoded_len(&self) -> usize {
        let data = self.b64.iter().take_while(|b| **b != b'=').count();
        data / 4 * 3
            + match data % 4 {
                2 => 1,
                3 => 2,
                _ => 0,
            }
    }

    /// Decodes into `out`, returning the number of bytes written.
    ///
    /// ```
    /// use ratelimit_headers::sf::ByteSeq;
    /// let pk = ByteSeq::from_base64("cHsdsRa894==")?; // non-zero pad bits, as in the drafts
    /// let mut buf = [0u8; 16];
    /// let n = pk.decode_into(&mut buf)?;
    /// assert_eq!(&buf[..n], &[0x70, 0x7b, 0x1d, 0xb1, 0x16, 0xbc, 0xf7]);
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn decode_into(&self, out: &mut [u8]) -> Result<usize, Error> {
        let need = self.decoded_len();
        if out.len() < need {
            return Err(Error::new(ErrorKind::BufferTooSmall, need));
        }
        let mut n = 0;
        for (slot, b) in out.iter_mut().zip(self.bytes()) {
            *slot = b;
            n += 1;
        }
        Ok(n)
    }
}

impl PartialEq for ByteSeq<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl Eq for ByteSeq<'_> {}

impl core::hash::Hash for ByteSeq<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.bytes().for_each(|b| state.write_u8(b));
    }
}

/// Iterator over the decoded bytes of a [`ByteSeq`].
#[derive(Debug, Clone)]
pub struct DecodedBytes<'a> {
    b64: core::slice::Iter<'a, u8>,
    acc: u32,
    bits: u32,
    left: usize,
}

impl Iterator for DecodedBytes<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.left == 0 {
            return None;
        }
        while self.bits < 8 {
            let v = b64_value(*self.b64.next()?)?;
            self.acc = ((self.acc << 6) | u32::from(v)) & 0xFFFF;
            self.bits += 6;
        }
        self.bits -= 8;
        self.left -= 1;
        // proven: masked to one byte.
        Some(((self.acc >> self.bits) & 0xFF) as u8)
    }
}

impl fmt::Debug for ByteSeq<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, ":{}:", self.base64())
    }
}

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Checks base64 text: alphabet characters, then optional `=` padding up to a multiple of 4
/// (missing or partial padding is synthesised, as RFC 9651 §4.2.7 asks of parsers; more `=`
/// than the length needs is an error). A single leftover character (length 1 mod 4) cannot
/// be decoded. Returns the bad offset.
fn validate_base64(b: &[u8]) -> Result<(), usize> {
    let data = b.iter().take_while(|c| b64_value(**c).is_some()).count();
    let pad = b
        .get(data..)
        .unwrap_or(&[])
        .iter()
        .take_while(|c| **c == b'=')
        .count();
    if data + pad != b.len() {
        return Err(data + pad);
    }
    if data % 4 == 1 {
        return Err(data);
    }
    let needed = (4 - data % 4) % 4;
    if pad > needed {
        return Err(data + needed);
    }
    Ok(())
}

/// A bare item: the value of a list member, dictionary member or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BareItem<'a> {
    /// An Integer (at most 15 digits).
    Integer(i64),
    /// A Decimal.
    Decimal(Decimal),
    /// A String.
    String(SfStr<'a>),
    /// A Token.
    Token(&'a str),
    /// A Byte Sequence.
    ByteSequence(ByteSeq<'a>),
    /// A Boolean.
    Boolean(bool),
}

impl BareItem<'_> {
    /// The Integer, if this is one.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            BareItem::Integer(v) => Some(*v),
            _ => None,
        }
    }
}

impl fmt::Display for BareItem<'_> {
    /// Canonical Structured Field serialisation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::encode::{EncodeTo, FmtSink};
        self.encode_to(&mut FmtSink(f)).map_err(|_| fmt::Error)
    }
}

/// `sf-string`: returns the escaped content between the quotes.
pub fn string(input: &[u8]) -> PResult<'_, SfStr<'_>> {
    let Some(b'"') = input.first() else {
        return fail_unexpected(input);
    };
    let body = input.get(1..).unwrap_or(&[]);
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        match b {
            b'"' => {
                let raw = body.get(..i).unwrap_or(&[]);
                return Ok((body.get(i + 1..).unwrap_or(&[]), SfStr { raw }));
            }
            b'\\' => match body.get(i + 1) {
                Some(b'"' | b'\\') => i += 2,
                None => {
                    return fail(
                        body.get(i + 1..).unwrap_or(&[]),
                        ErrorKind::UnterminatedString,
                    );
                }
                Some(_) => return fail(body.get(i + 1..).unwrap_or(&[]), ErrorKind::InvalidString),
            },
            0x20..=0x7E => i += 1,
            0x80..=0xFF => return fail(body.get(i..).unwrap_or(&[]), ErrorKind::NonAscii),
            _ => return fail(body.get(i..).unwrap_or(&[]), ErrorKind::InvalidString),
        }
    }
    fail(&[], ErrorKind::UnterminatedString)
}

/// `sf-token = ( ALPHA / "*" ) *( tchar / ":" / "/" )`.
pub fn token(input: &[u8]) -> PResult<'_, &str> {
    let (rest, ()) = token_end(input)?;
    Ok((rest, ascii_str(consumed(input, rest))))
}

/// Checks an `sf-token` and returns the rest (the token is the bytes before it).
pub(crate) fn token_end(input: &[u8]) -> PResult<'_, ()> {
    match input.first() {
        Some(b) if b.is_ascii_alphabetic() || *b == b'*' => {}
        _ => return fail_unexpected(input),
    }
    let n = 1 + input
        .get(1..)
        .unwrap_or(&[])
        .iter()
        .take_while(|b| TOKEN_REST.contains(**b))
        .count();
    Ok((input.get(n..).unwrap_or(&[]), ()))
}

/// `key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )`.
///
/// With `uppercase` (lenient mode) ASCII capitals are accepted too.
#[inline]
fn key_with(input: &[u8], uppercase: bool) -> PResult<'_, &[u8]> {
    let ok_first =
        |b: u8| b.is_ascii_lowercase() || b == b'*' || (uppercase && b.is_ascii_uppercase());
    match input.first() {
        Some(b) if ok_first(*b) => {}
        Some(b) if *b > 0x7F => return fail(input, ErrorKind::NonAscii),
        _ => return fail(input, ErrorKind::ExpectedKey),
    }
    let n = 1 + input
        .get(1..)
        .unwrap_or(&[])
        .iter()
        .take_while(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || matches!(b, b'_' | b'-' | b'.' | b'*')
                || (uppercase && b.is_ascii_uppercase())
        })
        .count();
    let (k, rest) = input.split_at(n.min(input.len()));
    Ok((rest, k))
}

/// `key` (strict: lowercase only).
pub fn key(input: &[u8]) -> PResult<'_, &str> {
    key_with(input, false).map(|(rest, k)| (rest, ascii_str(k)))
}

/// `sf-binary = ":" base64 ":"`.
pub fn byte_sequence(input: &[u8]) -> PResult<'_, ByteSeq<'_>> {
    let Some(b':') = input.first() else {
        return fail_unexpected(input);
    };
    let body = input.get(1..).unwrap_or(&[]);
    let Some(end) = body.iter().position(|b| *b == b':') else {
        return fail(&[], ErrorKind::InvalidByteSequence);
    };
    let b64 = body.get(..end).unwrap_or(&[]);
    if let Err(at) = validate_base64(b64) {
        return fail(
            body.get(at..).unwrap_or(&[]),
            ErrorKind::InvalidByteSequence,
        );
    }
    Ok((body.get(end + 1..).unwrap_or(&[]), ByteSeq { b64 }))
}

/// `sf-boolean = "?" ( "0" / "1" )`.
pub fn boolean(input: &[u8]) -> PResult<'_, bool> {
    match input {
        [b'?', b'0', rest @ ..] => Ok((rest, false)),
        [b'?', b'1', rest @ ..] => Ok((rest, true)),
        [b'?', rest @ ..] => fail(rest, ErrorKind::InvalidBoolean),
        _ => fail_unexpected(input),
    }
}

/// A bare item as checked by [`scan`]: a [`BareItem`] but for a Token, kept as bytes until its
/// view (a `&str`) is asked for ([`bare`](Self::bare)), so that a reader that only checks a
/// parameter builds none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    Integer(i64),
    Decimal(Decimal),
    String(SfStr<'a>),
    Token(&'a [u8]),
    ByteSequence(ByteSeq<'a>),
    Boolean(bool),
}

impl<'a> Value<'a> {
    /// The Integer, if this is one.
    pub(crate) fn integer(self) -> Option<i64> {
        match self {
            Value::Integer(v) => Some(v),
            _ => None,
        }
    }

    /// The bare item.
    #[inline(never)]
    pub(crate) fn bare(self) -> BareItem<'a> {
        match self {
            Value::Integer(v) => BareItem::Integer(v),
            Value::Decimal(d) => BareItem::Decimal(d),
            Value::String(s) => BareItem::String(s),
            Value::Token(t) => BareItem::Token(ascii_str(t)),
            Value::ByteSequence(b) => BareItem::ByteSequence(b),
            Value::Boolean(b) => BareItem::Boolean(b),
        }
    }
}

/// `bare-item`, dispatched on its first byte (no backtracking), checked (see [`Value`]).
pub(crate) fn scan<'a>(
    input: &'a [u8],
    mode: Mode,
    tol: &mut Tolerances,
) -> PResult<'a, Value<'a>> {
    match input.first() {
        Some(b'0'..=b'9' | b'-') => super::number(input, mode, tol),
        Some(b'"') => string(input).map(|(r, s)| (r, Value::String(s))),
        Some(b':') => byte_sequence(input).map(|(r, b)| (r, Value::ByteSequence(b))),
        Some(b'?') => boolean(input).map(|(r, b)| (r, Value::Boolean(b))),
        Some(b) if b.is_ascii_alphabetic() || *b == b'*' => {
            let (rest, ()) = token_end(input)?;
            Ok((rest, Value::Token(consumed(input, rest))))
        }
        _ => fail_unexpected(input),
    }
}

/// `bare-item`, dispatched on its first byte (no backtracking).
#[inline]
pub(crate) fn bare_item_mode<'a>(
    input: &'a [u8],
    mode: Mode,
    tol: &mut Tolerances,
) -> PResult<'a, BareItem<'a>> {
    scan(input, mode, tol).map(|(rest, v)| (rest, v.bare()))
}

/// The bare item at `value_at`, which a parser read already in `mode`, read again (callers
/// keep where a value starts rather than the value, which keeps their frames small), not
/// yet viewed. Reads alike (its tolerances were recorded the first time); should it not, the
/// Boolean `?1` stands in, which every caller rejects as the wrong type.
pub(crate) fn reread_value(value_at: &[u8], mode: Mode) -> Value<'_> {
    match scan(value_at, mode, &mut Tolerances::new()) {
        Ok((_, v)) => v,
        Err(_) => Value::Boolean(true),
    }
}

/// `bare-item` (strict).
pub fn bare_item(input: &[u8]) -> PResult<'_, BareItem<'_>> {
    bare_item_mode(input, Mode::Strict, &mut Tolerances::new())
}

/// One `";" *SP parameter`, if the input starts with one: `(key, value, key position)`.
///
/// Lenient mode also accepts, and reports: whitespace before `;` and a tab after it
/// ([`Tolerance::WhitespaceAroundSemicolon`]); uppercase letters in keys
/// ([`Tolerance::UppercaseKey`]).
#[inline]
#[allow(clippy::type_complexity)]
fn one_param<'a>(
    input: &'a [u8],
    mode: Mode,
    tol: &mut Tolerances,
) -> PResult<'a, Option<(&'a [u8], Value<'a>, &'a [u8])>> {
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
        _ => (after_key, Value::Boolean(true)),
    };
    Ok((rest, Some((k, value, key_at))))
}

/// `parameters = *( ";" *SP parameter )`, calling `each(key, value, key position)` for every
/// parameter in order (duplicates included), and returning the raw bytes of the section.
/// See [`one_param`] for the lenient extras.
#[inline]
pub(crate) fn parameters<'a>(
    input: &'a [u8],
    mode: Mode,
    tol: &mut Tolerances,
    mut each: impl FnMut(&'a [u8], Value<'a>, &'a [u8]) -> Result<(), SyntaxErrorAt<'a>>,
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

/// The most parameters one item may carry: RFC 9651 §4.2 asks parsers to support at least 256.
/// A cap keeps every use of a [`Params`] view linear in the input: finding the effective value
/// of each key without storage compares it with the others, which is quadratic in the count.
pub const MAX_PARAMS: usize = 256;

/// An error raised by a parameter callback: where, and what.
pub(crate) type SyntaxErrorAt<'a> = (&'a [u8], ErrorKind);

/// The parameters of an item, validated and borrowed from the input.
///
/// Iterating yields each key once, in the position of its first occurrence, with the value of
/// its last occurrence (RFC 9651 §4.2.3.2). Parameters that a field reads into typed fields
/// (such as `w` on a quota policy) are hidden from this view.
#[derive(Clone, Copy, Default)]
pub struct Params<'a> {
    raw: &'a [u8],
    hidden: Hidden,
}

/// Which keys a [`Params`] view hides because the owning value reads them itself: a set of
/// the keys in [`HIDDEN_KEYS`] (one bit each), compared ignoring ASCII case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Hidden(u8);

/// The keys a field can read into typed fields.
const HIDDEN_KEYS: [&[u8]; 7] = [b"w", b"window", b"q", b"qu", b"pk", b"r", b"t"];

impl Hidden {
    /// Hides nothing.
    pub(crate) const NONE: Hidden = Hidden(0);
    /// Hides `w` (a quota policy's window).
    pub(crate) const W: Hidden = Hidden(0b1);
    /// Hides `w` and `window` (draft-polli-00's spelling, when it was read as the window).
    pub(crate) const W_AND_WINDOW: Hidden = Hidden(0b11);
    /// Hides `q`, `w`, `qu`, `pk` (a named policy).
    pub(crate) const NAMED_POLICY: Hidden = Hidden(0b1_1101);
    /// Hides `r`, `t`, `pk` (a `RateLimit` item).
    pub(crate) const LIMIT_ITEM: Hidden = Hidden(0b111_0000);

    /// The set as bits (one per key of [`HIDDEN_KEYS`]), for packing.
    pub(crate) const fn bits(self) -> u8 {
        self.0
    }

    /// The set of [`bits`](Self::bits) `b`.
    pub(crate) const fn from_bits(b: u8) -> Hidden {
        Hidden(b)
    }

    fn hides(self, key: &[u8]) -> bool {
        self.0 != 0
            && HIDDEN_KEYS
                .iter()
                .enumerate()
                .any(|(i, h)| self.0 & (1 << i) != 0 && key.eq_ignore_ascii_case(h))
    }
}

impl<'a> Params<'a> {
    /// No parameters.
    pub const EMPTY: Params<'static> = Params {
        raw: b"",
        hidden: Hidden::NONE,
    };

    pub(crate) const fn from_validated(raw: &'a [u8], hidden: Hidden) -> Self {
        Params { raw, hidden }
    }

    /// The keys this view hides.
    pub(crate) const fn hidden(&self) -> Hidden {
        self.hidden
    }

    /// Parses a parameter section such as `;burst=1000;comment="sliding window"` (strict SF
    /// rules), for building values to encode.
    ///
    /// ```
    /// use ratelimit_headers::sf::{BareItem, Params};
    /// let p = Params::parse(br#";burst=1000;comment="sliding window""#)?;
    /// assert_eq!(p.get("burst"), Some(BareItem::Integer(1000)));
    /// assert_eq!(p.to_string(), r#";burst=1000;comment="sliding window""#);
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        let mut tol = Tolerances::new();
        match parameters(input, Mode::Strict, &mut tol, |_, _, _| Ok(())) {
            Ok(([], raw)) => Ok(Params {
                raw,
                hidden: Hidden::NONE,
            }),
            Ok((rest, _)) => Err(Error::new(
                super::unexpected_kind(rest),
                input.len() - rest.len(),
            )
            .with_found(rest.first().copied())),
            Err(e) => Err(super::nom_error(e, &[]).to_error(input)),
        }
    }

    /// The parameters as they were on the wire (including hidden ones).
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Whether the view yields no parameter.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The number of distinct parameters in the view.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The effective (last) value of `key`, if present and not hidden.
    pub fn get(&self, key: &str) -> Option<BareItem<'a>> {
        let key = key.as_bytes();
        if self.hidden.hides(key) {
            return None;
        }
        self.all().filter(|(k, _)| *k == key).last().map(|(_, v)| v)
    }

    /// Iterates the distinct parameters: `(key, value)`.
    pub fn iter(&self) -> ParamsIter<'a> {
        ParamsIter {
            all: self.all(),
            params: *self,
        }
    }

    /// Every parameter on the wire, duplicates included.
    fn all(&self) -> RawParams<'a> {
        RawParams { rest: self.raw }
    }
}

impl PartialEq for Params<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Params<'_> {}

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl fmt::Display for Params<'_> {
    /// Canonical form: `;key=value` each, a true Boolean as `;key`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::encode::{EncodeTo, FmtSink};
        self.encode_to(&mut FmtSink(f)).map_err(|_| fmt::Error)
    }
}

impl<'a> IntoIterator for Params<'a> {
    type Item = (&'a str, BareItem<'a>);
    type IntoIter = ParamsIter<'a>;
    fn into_iter(self) -> ParamsIter<'a> {
        self.iter()
    }
}

/// Every parameter of a validated section, in wire order.
#[derive(Debug, Clone)]
struct RawParams<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for RawParams<'a> {
    type Item = (&'a [u8], BareItem<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        // The section was validated when parsed; read it back with the lenient grammar,
        // which accepts everything either mode accepted.
        match one_param(self.rest, Mode::Lenient, &mut Tolerances::new()) {
            Ok((rest, Some((k, v, _)))) => {
                self.rest = rest;
                Some((k, v.bare()))
            }
            _ => {
                self.rest = &[];
                None
            }
        }
    }
}

/// Iterator over the distinct parameters of a [`Params`] view.
#[derive(Debug, Clone)]
pub struct ParamsIter<'a> {
    all: RawParams<'a>,
    params: Params<'a>,
}

impl<'a> Iterator for ParamsIter<'a> {
    type Item = (&'a str, BareItem<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let consumed_before = self.params.raw.len() - self.all.rest.len();
            let (k, v) = self.all.next()?;
            if self.params.hidden.hides(k) {
                continue;
            }
            // Skip a key already yielded (it appeared earlier in the section).
            let earlier = Params {
                raw: self.params.raw.get(..consumed_before).unwrap_or(&[]),
                hidden: Hidden::NONE,
            };
            if earlier.all().any(|(ek, _)| ek == k) {
                continue;
            }
            // The value is that of the last occurrence.
            let last = RawParams {
                rest: self.all.rest,
            }
            .filter(|(lk, _)| *lk == k)
            .last()
            .map_or(v, |(_, lv)| lv);
            return Some((ascii_str(k), last));
        }
    }
}

/// A list member that is an Item: a bare item with parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item<'a> {
    /// The value.
    pub bare: BareItem<'a>,
    /// Its parameters.
    pub params: Params<'a>,
}

/// An Inner List: `( item item ... )` with parameters.
///
/// Two inner lists are equal when their items and parameters are, however they were spelled
/// (`( 1  2 )` equals `(1 2)`).
#[derive(Debug, Clone, Copy)]
pub struct InnerList<'a> {
    items: &'a [u8],
    /// The parameters of the inner list itself.
    pub params: Params<'a>,
}

impl PartialEq for InnerList<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params && self.items().eq(other.items())
    }
}

impl Eq for InnerList<'_> {}

impl<'a> InnerList<'a> {
    /// Iterates the items of the inner list.
    pub fn items(&self) -> InnerItems<'a> {
        InnerItems { rest: self.items }
    }
}

/// Iterator over the items of an [`InnerList`].
#[derive(Debug, Clone)]
pub struct InnerItems<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for InnerItems<'a> {
    type Item = Item<'a>;
    fn next(&mut self) -> Option<Item<'a>> {
        let start = sp(self.rest);
        if start.is_empty() {
            return None;
        }
        let mut tol = Tolerances::new();
        match item(start, Mode::Lenient, &mut tol) {
            Ok((rest, it)) => {
                self.rest = rest;
                Some(it)
            }
            Err(_) => {
                self.rest = &[];
                None
            }
        }
    }
}

/// A member of a List or a Dictionary value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    /// An Item.
    Item(Item<'a>),
    /// An Inner List.
    InnerList(InnerList<'a>),
}

/// `sf-item = bare-item parameters`.
pub(crate) fn item<'a>(input: &'a [u8], mode: Mode, tol: &mut Tolerances) -> PResult<'a, Item<'a>> {
    let (rest, bare) = bare_item_mode(input, mode, tol)?;
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
#[inline(never)]
pub(crate) fn check_item<'a>(input: &'a [u8], mode: Mode, tol: &mut Tolerances) -> PResult<'a, ()> {
    let (rest, _) = scan(input, mode, tol)?;
    let (rest, _) = parameters(rest, mode, tol, |_, _, _| Ok(()))?;
    Ok((rest, ()))
}

/// `inner-list = "(" *SP [ sf-item *( 1*SP sf-item ) *SP ] ")" parameters`.
fn inner_list<'a>(input: &'a [u8], mode: Mode, tol: &mut Tolerances) -> PResult<'a, InnerList<'a>> {
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

fn member<'a>(input: &'a [u8], mode: Mode, tol: &mut Tolerances) -> PResult<'a, Member<'a>> {
    if let Some(b'(') = input.first() {
        inner_list(input, mode, tol).map(|(r, l)| (r, Member::InnerList(l)))
    } else {
        item(input, mode, tol).map(|(r, i)| (r, Member::Item(i)))
    }
}

/// Parses a whole Item field value (strict RFC 9651).
///
/// ```
/// use ratelimit_headers::sf::{self, BareItem};
/// let item = sf::parse_item(b"42;foo=bar")?;
/// assert_eq!(item.bare, BareItem::Integer(42));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
pub fn parse_item(input: &[u8]) -> Result<Item<'_>, Error> {
    let (value, start) = trim_sp(input);
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    let mut tol = Tolerances::new();
    match item(value, Mode::Strict, &mut tol) {
        Ok(([], it)) => Ok(it),
        Ok((rest, _)) => Err(unexpected_at(input, rest)),
        Err(e) => Err(super::nom_error(e, &[]).to_error(input)),
    }
}

/// RFC 9651 §4.2 discards leading and (before the final check) trailing SP only: a tab at
/// either end of a Structured Field value is an error.
fn trim_sp(input: &[u8]) -> (&[u8], usize) {
    let start = input.len() - sp(input).len();
    let inner = input.get(start..).unwrap_or(&[]);
    let end = inner.iter().rposition(|b| *b != b' ').map_or(0, |p| p + 1);
    (inner.get(..end).unwrap_or(&[]), start)
}

fn unexpected_at(whole: &[u8], rest: &[u8]) -> Error {
    Error::new(super::unexpected_kind(rest), whole.len() - rest.len())
        .with_found(rest.first().copied())
}

/// A List field value, read member by member (strict RFC 9651). An empty value is an empty
/// list. After the first error the iterator ends.
#[derive(Debug, Clone)]
pub struct List<'a> {
    whole: &'a [u8],
    rest: &'a [u8],
    started: bool,
    done: bool,
}

impl<'a> List<'a> {
    /// A reader over `input`, the combined field value (leading and trailing SP/HTAB ignored).
    pub fn new(input: &'a [u8]) -> Self {
        let (value, _) = trim_sp(input);
        List {
            whole: input,
            rest: value,
            started: false,
            done: value.is_empty(),
        }
    }

    /// Checks the whole list and counts its members.
    pub fn validate(input: &'a [u8]) -> Result<usize, Error> {
        let mut n = 0;
        for m in List::new(input) {
            m?;
            n += 1;
        }
        Ok(n)
    }
}

impl<'a> Iterator for List<'a> {
    type Item = Result<Member<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut tol = Tolerances::new();
        let mut input = self.rest;
        if self.started {
            match list_separator(input, Mode::Strict, &mut tol) {
                Ok((_, false)) => {
                    self.done = true;
                    return None;
                }
                Ok((rest, true)) => input = rest,
                Err(e) => {
                    self.done = true;
                    return Some(Err(super::nom_error(e, &[]).to_error(self.whole)));
                }
            }
        }
        self.started = true;
        match member(input, Mode::Strict, &mut tol) {
            Ok((rest, m)) => {
                self.rest = rest;
                Some(Ok(m))
            }
            Err(e) => {
                self.done = true;
                Some(Err(super::nom_error(e, &[]).to_error(self.whole)))
            }
        }
    }
}

/// A Dictionary field value, read member by member (strict RFC 9651): `(key, member)`.
///
/// Duplicate keys are all yielded in wire order; a consumer keeping the last one follows the
/// RFC. A key with no `=` has the value Boolean true (with its parameters).
#[derive(Debug, Clone)]
pub struct Dictionary<'a> {
    whole: &'a [u8],
    rest: &'a [u8],
    started: bool,
    done: bool,
}

impl<'a> Dictionary<'a> {
    /// A reader over `input`, the combined field value.
    pub fn new(input: &'a [u8]) -> Self {
        let (value, _) = trim_sp(input);
        Dictionary {
            whole: input,
            rest: value,
            started: false,
            done: value.is_empty(),
        }
    }
}

impl<'a> Dictionary<'a> {
    /// The input not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }
}

impl<'a> Iterator for Dictionary<'a> {
    type Item = Result<(&'a str, Member<'a>), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.advance(|input, tol| {
            key_with(input, false).and_then(|(rest, k)| {
                let k = ascii_str(k);
                if let Some(b'=') = rest.first() {
                    member(rest.get(1..).unwrap_or(&[]), Mode::Strict, tol)
                        .map(|(r, m)| (r, (k, m)))
                } else {
                    let (r, raw) = parameters(rest, Mode::Strict, tol, |_, _, _| Ok(()))?;
                    Ok((
                        r,
                        (
                            k,
                            Member::Item(Item {
                                bare: BareItem::Boolean(true),
                                params: Params::from_validated(raw, Hidden::NONE),
                            }),
                        ),
                    ))
                }
            })
        })
    }
}

impl<'a> Dictionary<'a> {
    /// The key of the next member, the member checked as [`next`](Iterator::next) checks it
    /// but not built (a reader that only locates members keeps a smaller frame).
    pub(crate) fn next_key(&mut self) -> Option<Result<&'a str, Error>> {
        self.advance(|input, tol| {
            let (rest, k) = key_with(input, false)?;
            let rest = match (rest.first(), rest.get(1..).unwrap_or(&[])) {
                (Some(b'='), value @ [b'(', ..]) => inner_list(value, Mode::Strict, tol)?.0,
                (Some(b'='), value) => check_item(value, Mode::Strict, tol)?.0,
                _ => parameters(rest, Mode::Strict, tol, |_, _, _| Ok(()))?.0,
            };
            Ok((rest, ascii_str(k)))
        })
    }

    /// Moves past the separator before a member (after the first), then reads the member
    /// with `read`. After the first error the reader ends.
    #[inline]
    fn advance<T>(
        &mut self,
        read: impl FnOnce(&'a [u8], &mut Tolerances) -> PResult<'a, T>,
    ) -> Option<Result<T, Error>> {
        if self.done {
            return None;
        }
        let mut tol = Tolerances::new();
        let mut input = self.rest;
        if self.started {
            match list_separator(input, Mode::Strict, &mut tol) {
                Ok((_, false)) => {
                    self.done = true;
                    return None;
                }
                Ok((rest, true)) => input = rest,
                Err(e) => {
                    self.done = true;
                    return Some(Err(super::nom_error(e, &[]).to_error(self.whole)));
                }
            }
        }
        self.started = true;
        match read(input, &mut tol) {
            Ok((rest, v)) => {
                self.rest = rest;
                Some(Ok(v))
            }
            Err(e) => {
                self.done = true;
                Some(Err(super::nom_error(e, &[]).to_error(self.whole)))
            }
        }
    }
}

#[cfg(test)]
mod check_only_tests {
    use super::*;
    use proptest::prelude::*;
    use std::vec::Vec;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]
        /// `next_key` accepts, rejects (same error) and stops exactly where `next` does.
        #[test]
        fn next_key_agrees_with_next(input in proptest::collection::vec(
            proptest::sample::select(b"ab=(); ,\t\"1-.:?*x\\".to_vec()),
            0..32,
        )) {
            let full: Vec<_> = Dictionary::new(&input).map(|r| r.map(|(k, _)| k)).collect();
            let mut reader = Dictionary::new(&input);
            let mut keys = Vec::new();
            while let Some(k) = reader.next_key() {
                keys.push(k);
            }
            prop_assert_eq!(keys, full);
        }
    }
}
