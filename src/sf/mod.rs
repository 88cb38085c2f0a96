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

mod binary;
mod params;
mod string;

use core::fmt;

pub use binary::ByteSeq;
pub(crate) use binary::validate_base64;
pub(crate) use params::Hidden;
pub use params::{MAX_PARAMS, Params, ParamsIter};
pub use string::SfStr;

/// The largest Structured Field Integer, 999,999,999,999,999 (15 digits, RFC 9651 §3.3.1).
pub use crate::grammar::SF_INTEGER_MAX as INTEGER_MAX;

use crate::error::{Error, ErrorKind};
use crate::grammar::sf::{item, key_with, member, parameters};
use crate::grammar::{
    PResult, ParseMode, ascii_str, list_separator, nom_error, sp, unexpected_kind,
};
use crate::lenient::Tolerances;

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
        use crate::encode::{EncodeTo, FmtSink};
        self.encode_to(&mut FmtSink(f)).map_err(|_| fmt::Error)
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
    pub(crate) items: &'a [u8],
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
    pub fn items(&self) -> impl Iterator<Item = Item<'a>> + Clone + 'a {
        InnerItems { rest: self.items }
    }
}

/// Iterator over the items of an [`InnerList`].
#[derive(Debug, Clone)]
struct InnerItems<'a> {
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
        match item(start, ParseMode::Lenient, &mut tol) {
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
    match item(value, ParseMode::Strict, &mut tol) {
        Ok(([], it)) => Ok(it),
        Ok((rest, _)) => Err(unexpected_at(input, rest)),
        Err(e) => Err(nom_error(e, &[]).to_error(input)),
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
    Error::new(unexpected_kind(rest), whole.len() - rest.len()).with_found(rest.first().copied())
}

/// Where a reader of a List or Dictionary value is: the members are read one at a time,
/// each after the separator that follows the one before (RFC 9651 §4.2.1, §4.2.2).
#[derive(Debug, Clone)]
struct Members<'a> {
    whole: &'a [u8],
    rest: &'a [u8],
    started: bool,
    done: bool,
}

impl<'a> Members<'a> {
    /// A reader over `input`, the combined field value (leading and trailing SP ignored).
    fn new(input: &'a [u8]) -> Self {
        let (value, _) = trim_sp(input);
        Members {
            whole: input,
            rest: value,
            started: false,
            done: value.is_empty(),
        }
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
            match list_separator(input, ParseMode::Strict, &mut tol) {
                Ok((_, false)) => {
                    self.done = true;
                    return None;
                }
                Ok((rest, true)) => input = rest,
                Err(e) => {
                    self.done = true;
                    return Some(Err(nom_error(e, &[]).to_error(self.whole)));
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
                Some(Err(nom_error(e, &[]).to_error(self.whole)))
            }
        }
    }
}

/// A List field value, read member by member (strict RFC 9651). An empty value is an empty
/// list. After the first error the iterator ends.
#[derive(Debug, Clone)]
pub struct List<'a>(Members<'a>);

impl<'a> List<'a> {
    /// A reader over `input`, the combined field value (leading and trailing SP/HTAB ignored).
    pub fn new(input: &'a [u8]) -> Self {
        List(Members::new(input))
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
        self.0
            .advance(|input, tol| member(input, ParseMode::Strict, tol))
    }
}

/// A Dictionary field value, read member by member (strict RFC 9651): `(key, member)`.
///
/// Duplicate keys are all yielded in wire order; a consumer keeping the last one follows the
/// RFC. A key with no `=` has the value Boolean true (with its parameters).
#[derive(Debug, Clone)]
pub struct Dictionary<'a>(Members<'a>);

impl<'a> Dictionary<'a> {
    /// A reader over `input`, the combined field value.
    pub fn new(input: &'a [u8]) -> Self {
        Dictionary(Members::new(input))
    }

    /// The input not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.0.rest
    }
}

impl<'a> Iterator for Dictionary<'a> {
    type Item = Result<(&'a str, Member<'a>), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.advance(|input, tol| {
            key_with(input, false).and_then(|(rest, k)| {
                let k = ascii_str(k);
                if let Some(b'=') = rest.first() {
                    member(rest.get(1..).unwrap_or(&[]), ParseMode::Strict, tol)
                        .map(|(r, m)| (r, (k, m)))
                } else {
                    let (r, raw) = parameters(rest, ParseMode::Strict, tol, |_, _, _| Ok(()))?;
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
