//! The byte-level grammar every field shares: whitespace, integers and lists here; the
//! Structured Field items and parameters (RFC 9651) in [`sf`]; times, dates and durations in
//! [`time`]. Private to the crate: no nom type reaches the public API.
//!
//! Every parser is a complete nom parser over `&[u8]` (`fn(&[u8]) -> IResult<&[u8], T,
//! SyntaxError>`), composed from nom's combinators and deciding on the first byte. None
//! allocates and none panics. A [`SyntaxError`] carries the unparsed rest of the input, so
//! the byte offset of a failure is `input.len() - rest.len()` for the value handed in.

pub(crate) mod sf;
pub(crate) mod time;

use nom::Parser;
use nom::combinator::opt;

use crate::error::{Error, ErrorKind};
use crate::lenient::{Tolerance, Tolerances};

/// The error type of the crate's nom parsers: where parsing stopped and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError<'a> {
    /// The input from the offending byte on.
    pub rest: &'a [u8],
    /// What was wrong there.
    pub kind: ErrorKind,
}

impl<'a> SyntaxError<'a> {
    /// Converts to a crate [`Error`] with the offset of `rest` inside `whole`.
    pub fn to_error(self, whole: &[u8]) -> Error {
        Error::new(self.kind, whole.len().saturating_sub(self.rest.len()))
            .with_found(self.rest.first().copied())
    }
}

impl<'a> nom::error::ParseError<&'a [u8]> for SyntaxError<'a> {
    fn from_error_kind(input: &'a [u8], _kind: nom::error::ErrorKind) -> Self {
        SyntaxError {
            rest: input,
            kind: unexpected_kind(input),
        }
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

/// The result type of the crate's nom parsers.
pub type PResult<'a, T> = nom::IResult<&'a [u8], T, SyntaxError<'a>>;

/// Fails at `rest` with `kind`.
#[inline]
pub(crate) fn fail<T>(rest: &[u8], kind: ErrorKind) -> PResult<'_, T> {
    Err(nom::Err::Error(SyntaxError { rest, kind }))
}

/// The kind for an unexpected byte: `NonAscii` for bytes over 0x7F, `Empty` at end of input.
#[inline]
pub(crate) fn unexpected_kind(rest: &[u8]) -> ErrorKind {
    match rest.first() {
        None => ErrorKind::Empty,
        Some(b) if *b > 0x7F => ErrorKind::NonAscii,
        Some(_) => ErrorKind::UnexpectedByte,
    }
}

/// Fails at `rest` with the kind that fits the byte found there.
#[inline]
pub(crate) fn fail_unexpected<T>(rest: &[u8]) -> PResult<'_, T> {
    fail(rest, unexpected_kind(rest))
}

/// Unwraps a nom result's error into a [`SyntaxError`] (complete parsers never return
/// `Incomplete`; if one did, it is reported as an unexpected end of input).
pub(crate) fn nom_error<'a>(e: nom::Err<SyntaxError<'a>>, at_end: &'a [u8]) -> SyntaxError<'a> {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => SyntaxError {
            rest: at_end,
            kind: ErrorKind::Empty,
        },
    }
}

pub(crate) use crate::lenient::ParseMode;

/// The largest Structured Field Integer, 999,999,999,999,999 (15 digits).
pub const SF_INTEGER_MAX: u64 = 999_999_999_999_999;

/// Runs `parser`; where it fails, the failure is reported as `kind` at the byte it failed on.
/// The grammar's own words for a failure ("expected digit") replace nom's.
#[inline]
pub(crate) fn expect<'a, O>(
    kind: ErrorKind,
    mut parser: impl Parser<&'a [u8], Output = O, Error = SyntaxError<'a>>,
) -> impl Parser<&'a [u8], Output = O, Error = SyntaxError<'a>> {
    move |input: &'a [u8]| {
        parser
            .parse(input)
            .map_err(|e| e.map(|e| SyntaxError { kind, ..e }))
    }
}

// The leaves. Every parser below is composed with nom's combinators (`opt`, `preceded`,
// `pair`, `alt`, `cut`, `many0_count`, ...) from these four, which are nom's `satisfy`,
// `char`, `take_while` and `take_while1` for byte slices. nom 8's own step past what they
// matched through `<&[u8] as Input>::take_from`, an out-of-line slice whose bounds check the
// compiler keeps or drops depending on where it inlines: the no-panic proof of the entry
// points fails with them. These split the slice with checked calls and have no panic path.

/// One byte for which `pred` holds (`satisfy`).
#[inline]
pub(crate) fn byte_where<'a>(
    pred: impl Fn(u8) -> bool,
) -> impl Parser<&'a [u8], Output = u8, Error = SyntaxError<'a>> {
    move |input: &'a [u8]| match input.split_first() {
        Some((&b, rest)) if pred(b) => Ok((rest, b)),
        _ => Err(nom::Err::Error(SyntaxError {
            rest: input,
            kind: unexpected_kind(input),
        })),
    }
}

/// The byte `expected` (`char`).
#[inline]
pub(crate) fn byte<'a>(
    expected: u8,
) -> impl Parser<&'a [u8], Output = u8, Error = SyntaxError<'a>> {
    byte_where(move |b| b == expected)
}

/// The longest run of bytes for which `pred` holds, maybe empty (`take_while`).
#[inline]
pub(crate) fn span<'a>(
    pred: impl Fn(u8) -> bool,
) -> impl Parser<&'a [u8], Output = &'a [u8], Error = SyntaxError<'a>> {
    move |input: &'a [u8]| {
        let n = input.iter().position(|b| !pred(*b)).unwrap_or(input.len());
        let (run, rest) = input.split_at_checked(n).unwrap_or((input, &[]));
        Ok((rest, run))
    }
}

/// The longest run of bytes for which `pred` holds, at least one (`take_while1`).
#[inline]
pub(crate) fn span1<'a>(
    pred: impl Fn(u8) -> bool + Copy,
) -> impl Parser<&'a [u8], Output = &'a [u8], Error = SyntaxError<'a>> {
    move |input: &'a [u8]| match input.first() {
        Some(&b) if pred(b) => span(pred).parse(input),
        _ => Err(nom::Err::Error(SyntaxError {
            rest: input,
            kind: unexpected_kind(input),
        })),
    }
}

/// The bytes `parser` consumed: nom's `recognize`, whose slice by pointer difference the
/// compiler cannot prove in bounds (a panic path in every caller); this one slices by the
/// lengths, checked.
#[inline]
pub(crate) fn recognized<'a, O>(
    mut parser: impl Parser<&'a [u8], Output = O, Error = SyntaxError<'a>>,
) -> impl Parser<&'a [u8], Output = &'a [u8], Error = SyntaxError<'a>> {
    move |input: &'a [u8]| {
        let (rest, _) = parser.parse(input)?;
        Ok((rest, consumed(input, rest)))
    }
}

/// The rest of `input` after `parser`, which cannot fail (a `take_while`, say).
#[inline]
fn skipped<'a>(
    input: &'a [u8],
    mut parser: impl Parser<&'a [u8], Output = &'a [u8], Error = SyntaxError<'a>>,
) -> &'a [u8] {
    parser.parse(input).map_or(input, |(rest, _)| rest)
}

/// `OWS = *( SP / HTAB )` (RFC 9110 §5.6.3): skips optional whitespace.
#[inline]
pub(crate) fn ows(input: &[u8]) -> &[u8] {
    skipped(input, span(|b| b == b' ' || b == b'\t'))
}

/// `*SP` (RFC 9651 §3.1.2, after `;` in parameters): skips spaces only.
#[inline]
pub(crate) fn sp(input: &[u8]) -> &[u8] {
    skipped(input, span(|b| b == b' '))
}

/// Strips leading and trailing SP/HTAB, as the HTTP layer does around a field value.
/// Returns the inner value and how many bytes were dropped at the front.
#[inline]
pub(crate) fn trim_ows(input: &[u8]) -> (&[u8], usize) {
    let inner = ows(input);
    let start = input.len() - inner.len();
    let end = inner
        .iter()
        .rposition(|b| *b != b' ' && *b != b'\t')
        .map_or(0, |p| p + 1);
    (inner.get(..end).unwrap_or(&[]), start)
}

/// `1*DIGIT` read into a `u64` that saturates at `u64::MAX` (the older `#rule` grammars have
/// no digit limit). Returns the value and the number of digits.
#[inline]
pub(crate) fn digits(input: &[u8]) -> PResult<'_, (u64, usize)> {
    expect(ErrorKind::ExpectedDigit, span1(|b: u8| b.is_ascii_digit()))
        .map(|run: &[u8]| (saturating_value(run), run.len()))
        .parse(input)
}

/// The value of a run of ASCII digits, saturating at `u64::MAX`.
#[inline]
fn saturating_value(run: &[u8]) -> u64 {
    run.iter()
        .try_fold(0u64, |v, b| {
            v.checked_mul(10)?
                .checked_add(u64::from(b.wrapping_sub(b'0')))
        })
        .unwrap_or(u64::MAX)
}

/// `sf-integer / sf-decimal` (RFC 9651 §4.2.4). In lenient mode an Integer of more than 15
/// digits saturates at ±[`SF_INTEGER_MAX`] and adds [`Tolerance::IntegerSaturated`]. Returns
/// a [`sf::Value`] (`Integer` or `Decimal`), so that `sf::scan` passes it on as it is.
#[inline]
pub(crate) fn number<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, crate::sf::BareItem<'a>> {
    let (unsigned, sign) = opt(byte(b'-')).parse(input)?;
    let neg = sign.is_some();
    let (after, (int, ndigits)) = digits(unsigned)?;
    let (frac_in, point) = opt(byte(b'.')).parse(after)?;
    if point.is_some() {
        // sf-decimal: at most 12 integer digits, then 1 to 3 fraction digits.
        if ndigits > 12 {
            return fail(unsigned, ErrorKind::InvalidDecimal);
        }
        let (end, (frac, nfrac)) = expect(ErrorKind::InvalidDecimal, digits).parse(frac_in)?;
        if nfrac > 3 {
            return fail(frac_in.get(3..).unwrap_or(&[]), ErrorKind::InvalidDecimal);
        }
        let scale = match nfrac {
            1 => 100,
            2 => 10,
            _ => 1,
        };
        // proven: int < 10^12 and frac < 1000, so the product fits easily in i64.
        let milli = (int as i64) * 1000 + (frac as i64) * scale;
        let milli = if neg { -milli } else { milli };
        return Ok((
            end,
            crate::sf::BareItem::Decimal(crate::sf::Decimal::from_milli(milli)),
        ));
    }
    let value = if ndigits > 15 {
        if !mode.lenient() {
            return fail(unsigned.get(15..).unwrap_or(&[]), ErrorKind::IntegerTooLong);
        }
        tol.insert(Tolerance::IntegerSaturated);
        SF_INTEGER_MAX
    } else {
        int
    };
    // proven: value <= SF_INTEGER_MAX < i64::MAX.
    let value = value as i64;
    Ok((
        after,
        crate::sf::BareItem::Integer(if neg { -value } else { value }),
    ))
}

/// A non-negative Structured Field Integer (`-0` is 0). Lenient mode clamps a negative value
/// to 0 ([`Tolerance::NegativeClamped`]) and saturates long ones.
#[inline]
pub(crate) fn non_negative_integer<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, u64> {
    let (rest, n) = number(input, mode, tol)?;
    match n {
        crate::sf::BareItem::Integer(v) if v >= 0 => Ok((rest, v.unsigned_abs())),
        crate::sf::BareItem::Integer(_) => {
            if mode.lenient() {
                tol.insert(Tolerance::NegativeClamped);
                Ok((rest, 0))
            } else {
                fail(input, ErrorKind::Negative)
            }
        }
        // A Decimal: `number` returns no other type.
        _ => fail(input, ErrorKind::WrongType),
    }
}

/// A set of small numbers (below `32 · W`) as a bitmap: bit `n % 32` of word `n / 32`. A
/// lookup is a load and a shift, with no branch on the members; 32-bit words are cheap on a
/// 32-bit target. Byte classes of the tokenisers and the fields a response has use it.
#[derive(Clone, Copy)]
pub(crate) struct BitSet<const W: usize>([u32; W]);

/// A set of ASCII bytes.
pub(crate) type AsciiSet = BitSet<4>;

impl<const W: usize> BitSet<W> {
    /// The empty set.
    pub(crate) const EMPTY: Self = BitSet([0; W]);

    /// The set with `n` added (at compile time).
    #[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
    pub(crate) const fn with(mut self, n: usize) -> Self {
        self.0[n / 32] |= 1 << (n % 32);
        self
    }

    /// Adds `n` (nothing if it is not below `32 · W`).
    #[inline]
    pub(crate) fn insert(&mut self, n: u8) {
        if let Some(w) = self.0.get_mut(usize::from(n / 32)) {
            *w |= 1 << (n % 32);
        }
    }

    /// Whether `n` is in the set (never for `n` at or above `32 · W`).
    #[inline]
    pub(crate) fn contains(&self, n: u8) -> bool {
        self.0
            .get(usize::from(n / 32))
            .is_some_and(|w| (w >> (n % 32)) & 1 != 0)
    }

    /// Whether the two sets share a member.
    #[inline]
    pub(crate) fn intersects(&self, other: &Self) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }
}

impl AsciiSet {
    /// Letters and digits, with the bytes of `extra`.
    #[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
    const fn alphanumeric_and(extra: &[u8]) -> Self {
        let mut set = Self::EMPTY;
        let mut b = 0u8;
        while b < 128 {
            let mut member = b.is_ascii_alphanumeric();
            let mut i = 0;
            while i < extra.len() {
                member |= extra[i] == b;
                i += 1;
            }
            if member {
                set = set.with(b as usize);
            }
            b += 1;
        }
        set
    }
}

/// `tchar` (RFC 9110 §5.6.2).
pub(crate) const TCHAR: AsciiSet = AsciiSet::alphanumeric_and(b"!#$%&'*+-.^_`|~");
/// The bytes after the first of an `sf-token`: `tchar / ":" / "/"` (RFC 9651 §3.3.4).
pub(crate) const TOKEN_REST: AsciiSet = AsciiSet::alphanumeric_and(b"!#$%&'*+-.^_`|~:/");

/// Converts bytes already checked to be ASCII into `&str`.
#[inline]
pub(crate) fn ascii_str(bytes: &[u8]) -> &str {
    // proven: callers pass only bytes validated as ASCII, which are valid UTF-8; the
    // fallback is never taken.
    core::str::from_utf8(bytes).unwrap_or("")
}

/// The part of `whole` consumed before `rest` (`rest` must be a suffix of `whole`).
#[inline]
pub(crate) fn consumed<'a>(whole: &'a [u8], rest: &[u8]) -> &'a [u8] {
    whole
        .get(..whole.len().saturating_sub(rest.len()))
        .unwrap_or(&[])
}

/// After a list member: `OWS "," OWS` before the next member, or the end of the value.
///
/// Returns `Ok((rest, true))` when another member follows, `Ok((rest, false))` at the end.
/// Strict: a trailing `,` and an empty member are errors. Lenient (`#rule` lists, RFC 9110
/// §5.6.1): empty members are skipped and reported.
#[inline]
pub(crate) fn list_separator<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> PResult<'a, bool> {
    let rest = ows(input);
    match rest.first() {
        None => return Ok((rest, false)),
        Some(b',') => {}
        Some(_) => return fail(rest, ErrorKind::ExpectedComma),
    }
    let mut rest = ows(rest.get(1..).unwrap_or(&[]));
    loop {
        match rest.first() {
            None => {
                if mode.lenient() {
                    tol.insert(Tolerance::EmptyListMember);
                    return Ok((rest, false));
                }
                return fail(rest, ErrorKind::TrailingComma);
            }
            Some(b',') => {
                if !mode.lenient() {
                    return fail(rest, ErrorKind::EmptyListMember);
                }
                tol.insert(Tolerance::EmptyListMember);
                rest = ows(rest.get(1..).unwrap_or(&[]));
            }
            Some(_) => return Ok((rest, true)),
        }
    }
}

/// Lenient only: skips empty members at the start of a `#rule` list.
#[inline]
pub(crate) fn leading_empty_members<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> &'a [u8] {
    let mut rest = input;
    if mode.lenient() {
        while let Some(b',') = rest.first() {
            tol.insert(Tolerance::EmptyListMember);
            rest = ows(rest.get(1..).unwrap_or(&[]));
        }
    }
    rest
}

/// Drives a whole List value (already trimmed, non-empty): calls `each(at, tol)` with the
/// input at the start of every member, which parses the member and returns the rest. Handles
/// separators, and in lenient mode empty members. Error offsets are relative to `value`.
#[inline(always)]
pub(crate) fn for_each_member<'a>(
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    mut each: impl FnMut(&'a [u8], &mut Tolerances) -> Result<&'a [u8], Error>,
) -> Result<(), Error> {
    let mut at = leading_empty_members(value, mode, tol);
    if at.is_empty() {
        // Only empty members (lenient): there is no value.
        return Err(Error::new(ErrorKind::Empty, value.len()));
    }
    loop {
        let rest = each(at, tol)?;
        match list_separator(rest, mode, tol) {
            Ok((_, false)) => return Ok(()),
            Ok((next, true)) => at = next,
            Err(e) => return Err(nom_error(e, &[]).to_error(value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_sets_match_their_grammar() {
        for b in 0..=u8::MAX {
            let tchar = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            assert_eq!(TCHAR.contains(b), tchar, "tchar {b:#04x}");
            assert_eq!(
                TOKEN_REST.contains(b),
                tchar || b == b':' || b == b'/',
                "token {b:#04x}"
            );
        }
    }

    #[test]
    fn digits_saturate() {
        let (_, (v, n)) = digits(b"99999999999999999999999").unwrap();
        assert_eq!(v, u64::MAX);
        assert_eq!(n, 23);
        assert!(digits(b"x").is_err());
    }

    #[test]
    fn numbers() {
        let mut t = Tolerances::new();
        let n = |s: &'static [u8], t: &mut Tolerances| number(s, ParseMode::Strict, t).map(|r| r.1);
        assert_eq!(n(b"42", &mut t), Ok(crate::sf::BareItem::Integer(42)));
        assert_eq!(n(b"-0", &mut t), Ok(crate::sf::BareItem::Integer(0)));
        assert_eq!(
            n(b"1.5", &mut t),
            Ok(crate::sf::BareItem::Decimal(
                crate::sf::Decimal::from_milli(1500)
            ))
        );
        assert!(n(b"1.", &mut t).is_err());
        assert!(n(b"1.1234", &mut t).is_err());
        assert!(n(b"1234567890123456", &mut t).is_err());
        assert!(n(b"-", &mut t).is_err());
        let (_, v) = number(b"1234567890123456", ParseMode::Lenient, &mut t).unwrap();
        assert_eq!(v, crate::sf::BareItem::Integer(SF_INTEGER_MAX as i64));
        assert!(t.contains(Tolerance::IntegerSaturated));
    }

    /// `digits` as it was written with two folds: wrapping up to 19 digits, saturating beyond.
    fn digits_reference(input: &[u8]) -> PResult<'_, (u64, usize)> {
        let n = input.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return fail(input, ErrorKind::ExpectedDigit);
        }
        let run = input.get(..n).unwrap_or(&[]);
        let value = if n <= 19 {
            run.iter().fold(0u64, |v, b| {
                v.wrapping_mul(10).wrapping_add(u64::from(b - b'0'))
            })
        } else {
            run.iter().fold(0u64, |v, b| {
                v.saturating_mul(10).saturating_add(u64::from(b - b'0'))
            })
        };
        Ok((input.get(n..).unwrap_or(&[]), (value, n)))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 4096, ..proptest::prelude::ProptestConfig::default()
        })]
        /// `digits` reads what the two-fold reference reads, around 19 and 20 digits too.
        #[test]
        fn digits_agree_with_reference(
            input in proptest::collection::vec(
                proptest::sample::select(b"01234567899999999.x".to_vec()), 0..30),
        ) {
            proptest::prop_assert_eq!(digits(&input), digits_reference(&input));
        }
    }

    #[test]
    fn digits_at_the_edge_of_u64() {
        for s in [
            &b"18446744073709551615"[..],
            b"18446744073709551616",
            b"9999999999999999999",
            b"99999999999999999999",
            b"1844674407370955161",
        ] {
            assert_eq!(digits(s), digits_reference(s));
        }
    }

    #[test]
    fn trims() {
        assert_eq!(trim_ows(b" \t a b \t"), (&b"a b"[..], 3));
        assert_eq!(trim_ows(b"   "), (&b""[..], 3));
    }
}
