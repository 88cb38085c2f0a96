//! `RateLimit`: the current state of the quota — a Dictionary in draft-ietf-07
//! (`limit=100, remaining=50, reset=5`), a List of named items from draft-ietf-08 on
//! (`"default";r=50;t=30`).

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::field::policy::{int_param, item_name, uint_param};
use crate::grammar::sf::{key, parameters};
use crate::grammar::{ParseMode, SF_INTEGER_MAX, for_each_member, nom_error, trim_ows};
use crate::lenient::{Lenient, Tolerance, Tolerances};
use crate::sf::{self, BareItem, ByteSeq, Hidden, Member, Params, SfStr};

use crate::DEFAULT_POLICIES;

const fn clamp(v: u64) -> u64 {
    if v > SF_INTEGER_MAX {
        SF_INTEGER_MAX
    } else {
        v
    }
}

/// The keys a `RateLimit` item reads itself: remaining, reset and partition key.
const ITEM_KEYS: Hidden = Hidden::keys(&[b"r", b"t", b"pk"]);

/// One item of the draft-ietf-08+ `RateLimit` list: the state of one named policy.
///
/// ```
/// use ratelimit_headers::ServiceLimit;
/// let l = ServiceLimit::named("default")?.with_remaining(50).with_reset(30);
/// assert_eq!(l.to_string(), r#""default";r=50;t=30"#);
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceLimit<'a> {
    name: SfStr<'a>,
    /// `r`, the units left.
    remaining: Option<u64>,
    /// A negative `r` was read (leniently) as 0: the server reports being over quota.
    over_quota: bool,
    /// `t`, the seconds until the quota resets.
    reset: Option<u64>,
    partition_key: Option<ByteSeq<'a>>,
    params: Params<'a>,
}

impl<'a> ServiceLimit<'a> {
    /// An item for the policy `name` (given escaped, checked like [`SfStr::from_escaped`]),
    /// reporting nothing yet. Add [`with_remaining`](Self::with_remaining): `r` is REQUIRED
    /// for a strictly valid value.
    pub fn named(name: &'a str) -> Result<Self, Error> {
        Ok(ServiceLimit {
            name: SfStr::from_escaped(name)?,
            remaining: None,
            over_quota: false,
            reset: None,
            partition_key: None,
            params: Params::EMPTY,
        })
    }

    /// Sets `r`, the units left (clamped to the largest Structured Field Integer).
    pub const fn with_remaining(mut self, r: u64) -> Self {
        self.remaining = Some(clamp(r));
        self
    }

    /// Sets `t`, seconds until more quota is available (clamped).
    pub const fn with_reset(mut self, seconds: u64) -> Self {
        self.reset = Some(clamp(seconds));
        self
    }

    /// Sets the partition key (`pk`) from base64.
    pub fn with_partition_key(mut self, base64: &'a str) -> Result<Self, Error> {
        self.partition_key = Some(ByteSeq::from_base64(base64)?);
        Ok(self)
    }

    /// Sets other parameters; `r`, `t` and `pk` among them are ignored.
    pub fn with_params(mut self, params: Params<'a>) -> Self {
        self.params = Params::from_validated(params.raw(), ITEM_KEYS);
        self
    }

    /// The policy name.
    pub const fn name(&self) -> SfStr<'a> {
        self.name
    }
    /// `r`: units left. `None` only when read leniently without one.
    pub const fn remaining(&self) -> Option<u64> {
        self.remaining
    }
    /// Whether the server sent a negative `r` (read leniently as 0): over quota.
    pub const fn is_over_quota(&self) -> bool {
        self.over_quota
    }
    /// `t`: seconds until more quota is available.
    pub const fn reset(&self) -> Option<u64> {
        self.reset
    }
    /// `pk`: the partition key.
    pub const fn partition_key(&self) -> Option<ByteSeq<'a>> {
        self.partition_key
    }
    /// Other parameters.
    pub const fn params(&self) -> Params<'a> {
        self.params
    }
}

impl EncodeTo for ServiceLimit<'_> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        BareItem::String(self.name).encode_to(out)?;
        if let Some(r) = self.remaining() {
            out.put(b";r=")?;
            out.put_u64(r)?;
        }
        if let Some(t) = self.reset() {
            out.put(b";t=")?;
            out.put_u64(t)?;
        }
        if let Some(pk) = self.partition_key {
            out.put(b";pk=")?;
            BareItem::ByteSequence(pk).encode_to(out)?;
        }
        self.params.encode_to(out)
    }
}

impl core::fmt::Display for ServiceLimit<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.encode_to(&mut crate::encode::FmtSink(f))
            .map_err(|_| core::fmt::Error)
    }
}

/// The draft-ietf-07 `RateLimit` Dictionary: `limit`, `remaining` (optional), `reset`, and
/// any other members (kept, borrowed). Two dictionaries are equal when their values and their
/// other members are, however they were spelled.
#[derive(Debug, Clone, Copy)]
pub struct LimitDictionary<'a> {
    limit: u64,
    remaining: Option<u64>,
    reset: u64,
    raw: &'a [u8],
}

const DICT_KEYS: &[&str] = &["limit", "remaining", "reset"];

impl PartialEq for LimitDictionary<'_> {
    fn eq(&self, other: &Self) -> bool {
        (self.limit, self.remaining, self.reset) == (other.limit, other.remaining, other.reset)
            && self.unknown().eq(other.unknown())
    }
}

impl Eq for LimitDictionary<'_> {}

impl<'a> LimitDictionary<'a> {
    /// `limit=limit, reset=reset` (both clamped to the largest Structured Field Integer).
    pub const fn new(limit: u64, reset: u64) -> Self {
        LimitDictionary {
            limit: clamp(limit),
            remaining: None,
            reset: clamp(reset),
            raw: b"",
        }
    }

    /// Sets `remaining` (clamped).
    pub const fn with_remaining(mut self, remaining: u64) -> Self {
        self.remaining = Some(clamp(remaining));
        self
    }

    /// `limit`: the expiring limit.
    pub const fn limit(&self) -> u64 {
        self.limit
    }
    /// `remaining`.
    pub const fn remaining(&self) -> Option<u64> {
        self.remaining
    }
    /// `reset`, in seconds.
    pub const fn reset(&self) -> u64 {
        self.reset
    }

    /// The members other than `limit`, `remaining` and `reset`, in order.
    pub fn unknown(&self) -> impl Iterator<Item = (&'a str, Member<'a>)> + 'a {
        sf::Dictionary::new(self.raw)
            .filter_map(Result::ok)
            .filter(|(k, _)| !DICT_KEYS.contains(k))
    }
}

/// `RateLimit`: a draft-ietf-07 Dictionary or a draft-ietf-08+ List of up to `N` named items.
/// The form is detected from the value: a key followed by `=` at the start means a
/// Dictionary.
///
/// ```
/// use ratelimit_headers::RateLimit;
///
/// let named = RateLimit::<4>::parse(br#""default";r=50;t=30"#)?;
/// let RateLimit::List(items) = &named else { panic!() };
/// assert_eq!(items[0].remaining(), Some(50));
///
/// let dict = RateLimit::<4>::parse(b"limit=100, remaining=50, reset=5")?;
/// let RateLimit::Dictionary(d) = dict else { panic!() };
/// assert_eq!((d.limit(), d.remaining(), d.reset()), (100, Some(50), 5));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateLimit<'a, const N: usize = DEFAULT_POLICIES> {
    /// draft-ietf-07: `limit=100, remaining=50, reset=5`.
    Dictionary(LimitDictionary<'a>),
    /// draft-ietf-08 and later: `"default";r=50;t=30, ...`.
    List(heapless::Vec<ServiceLimit<'a>, N>),
}

impl<'a, const N: usize> RateLimit<'a, N> {
    /// An empty List form, to fill with [`push`](Self::push).
    pub const fn list() -> Self {
        RateLimit::List(heapless::Vec::new())
    }

    /// Adds an item to the List form; [`ErrorKind::WrongType`] on the Dictionary form,
    /// [`ErrorKind::CapacityExceeded`] when full.
    pub fn push(&mut self, item: ServiceLimit<'a>) -> Result<(), Error> {
        match self {
            RateLimit::List(v) => v
                .push(item)
                .map_err(|_| Error::new(ErrorKind::CapacityExceeded, N)),
            RateLimit::Dictionary(_) => Err(Error::new(ErrorKind::WrongType, 0)),
        }
    }

    /// Builder form of [`push`](Self::push).
    pub fn with_item(mut self, item: ServiceLimit<'a>) -> Result<Self, Error> {
        self.push(item)?;
        Ok(self)
    }

    /// The items of the List form (empty for the Dictionary form).
    pub fn items(&self) -> &[ServiceLimit<'a>] {
        match self {
            RateLimit::List(v) => v,
            RateLimit::Dictionary(_) => &[],
        }
    }

    /// Strict parse (RFC 9651). Dictionary: Integer `limit` and `reset` REQUIRED, `remaining`
    /// optional, all non-negative. List: String names, Integer `r` REQUIRED, `t` optional,
    /// both non-negative, Byte Sequence `pk`.
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        let mut value = RateLimit::List(heapless::Vec::new());
        value.parse_in_place(input, ParseMode::Strict)?;
        Ok(value)
    }

    /// Lenient parse: also Token names ([`Tolerance::TokenName`]), a missing `r`
    /// ([`Tolerance::MissingRemaining`]) and a negative `r` or `remaining` read as 0
    /// ([`Tolerance::NegativeClamped`]).
    pub fn parse_lenient(input: &'a [u8]) -> Result<Lenient<Self>, Error> {
        let mut value = RateLimit::List(heapless::Vec::new());
        let tolerances = value.parse_in_place(input, ParseMode::Lenient)?;
        Ok(Lenient { value, tolerances })
    }

    /// Parses into `self`; an empty List on error.
    #[inline]
    fn fill(
        &mut self,
        input: &'a [u8],
        mode: ParseMode,
        tol: &mut Tolerances,
    ) -> Result<(), Error> {
        let res = parse_into(input, mode, tol, self);
        if res.is_err() {
            match self {
                RateLimit::List(items) => items.clear(),
                RateLimit::Dictionary(_) => *self = RateLimit::List(heapless::Vec::new()),
            }
        }
        res
    }
}

impl_parse_in_place!(
    RateLimit,
    "an empty List",
    r#"```
use ratelimit_headers::{ParseMode, RateLimit};
let mut r: RateLimit = RateLimit::list();
r.parse_in_place(b"\"default\";r=50;t=30", ParseMode::Strict)?;
assert_eq!(r.items()[0].remaining(), Some(50));
r.parse_in_place(b"limit=100, remaining=50, reset=5", ParseMode::Strict)?;
assert!(matches!(r, RateLimit::Dictionary(_)));
assert!(r.parse_in_place(b"\"default\";r=x", ParseMode::Strict).is_err());
assert!(r.items().is_empty());
# Ok::<(), ratelimit_headers::Error>(())
```"#
);

/// Whether a value (trimmed) is a Dictionary: it starts with a key immediately followed by
/// `=`. (A bare key is also a valid dictionary member, but no server sends one alone.)
pub(crate) fn is_dictionary(value: &[u8]) -> bool {
    match key(value) {
        Ok((rest, _)) => rest.first() == Some(&b'='),
        Err(_) => false,
    }
}

/// Parses into `out`, in place.
fn parse_into<'a, const N: usize>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    out: &mut RateLimit<'a, N>,
) -> Result<(), Error> {
    let (value, start) = trim_ows(input);
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    if is_dictionary(value) {
        *out = RateLimit::Dictionary(read_dictionary(input, mode, tol)?);
        return Ok(());
    }
    if !matches!(out, RateLimit::List(_)) {
        *out = RateLimit::List(heapless::Vec::new());
    }
    let RateLimit::List(items) = out else {
        return Ok(());
    };
    items.clear();
    visit_list(input, mode, tol, |item, at| {
        items
            .push(item)
            .map_err(|_| Error::new(ErrorKind::CapacityExceeded, at))
    })
}

/// Reads the List form item by item, calling `each(item, offset)`; no storage. Errors carry
/// offsets into `input`.
pub(crate) fn visit_list<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    mut each: impl FnMut(ServiceLimit<'a>, usize) -> Result<(), Error>,
) -> Result<(), Error> {
    let (value, start) = trim_ows(input);
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    for_each_member(value, mode, tol, |at, tol| {
        let (rest, item) = service_limit(at, value, mode, tol)?;
        each(item, value.len() - at.len())?;
        Ok(rest)
    })
    .map_err(|e| e.shifted(start))
}

/// Reads a value known to be the Dictionary form (see [`is_dictionary`]) without the
/// `RateLimit` around it. Errors carry offsets into `input`.
pub(crate) fn read_dictionary<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<LimitDictionary<'a>, Error> {
    let (value, start) = trim_ows(input);
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    parse_dictionary(value, mode, tol).map_err(|e| e.shifted(start))
}

fn parse_dictionary<'a>(
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<LimitDictionary<'a>, Error> {
    // A repeated member keeps its last value (RFC 9651 §4.2.2): each known member is kept
    // with where its value starts, and read once the whole dictionary is checked.
    let mut limit = None;
    let mut remaining = None;
    let mut reset = None;
    let mut reader = sf::Dictionary::new(value);
    let mut before = value;
    while let Some(entry) = reader.next() {
        let (k, member) = entry?;
        // The member starts after the separator that followed the previous one.
        let key_at = key_position(value, before);
        before = reader.rest();
        let slot = match k {
            "limit" => &mut limit,
            "remaining" => &mut remaining,
            "reset" => &mut reset,
            _ => continue,
        };
        // An Item's Integer, if it holds one (`None` inside for another type; `None` for an
        // Inner List), and from the end of the key: `=` and the value, or a bare key.
        let integer = match member {
            Member::Item(item) => Some(item.bare.as_integer()),
            Member::InnerList(_) => None,
        };
        *slot = Some((integer, value.get(key_at + k.len()..).unwrap_or(&[])));
    }
    // Each must be an Integer Item given with `=` (a bare key is the Boolean true).
    let mut read = |kept: Option<(Option<Option<i64>>, &'a [u8])>, mode: ParseMode| {
        let Some((integer, after_key)) = kept else {
            return Ok(None);
        };
        let at = after_key.get(1..).unwrap_or(&[]);
        match (after_key.first(), integer) {
            (Some(b'='), Some(integer)) => int_param(integer, at, mode, tol)
                .map(Some)
                .map_err(|(rest, kind)| Error::new(kind, value.len() - rest.len())),
            _ => Err(Error::new(ErrorKind::WrongType, value.len() - at.len())),
        }
    };
    let limit = read(limit, ParseMode::Strict)?;
    let remaining = read(remaining, mode)?;
    let reset = read(reset, ParseMode::Strict)?;
    let missing = Error::new(ErrorKind::MissingParameter, value.len());
    Ok(LimitDictionary {
        limit: limit.ok_or(missing)?,
        remaining,
        reset: reset.ok_or(missing)?,
        raw: value,
    })
}

/// The offset of the member that follows `before` (the reader's rest after the previous
/// member): past OWS, a `,` and OWS.
fn key_position(value: &[u8], before: &[u8]) -> usize {
    let skipped = crate::grammar::ows(before);
    let skipped = match skipped.first() {
        Some(b',') => crate::grammar::ows(skipped.get(1..).unwrap_or(&[])),
        _ => skipped,
    };
    value.len() - skipped.len()
}

fn service_limit<'a>(
    at: &'a [u8],
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<(&'a [u8], ServiceLimit<'a>), Error> {
    let (rest, name) = item_name(at, value, mode, tol)?;
    // A repeated parameter keeps its last value (RFC 9651 §4.2.3.2): the values are kept
    // as read and checked once the whole section is.
    let mut r = None;
    let mut t = None;
    let mut pk = None;
    let (rest, raw) = parameters(rest, mode, tol, |k, v, key_at| {
        let value_at = key_at.get(k.len() + 1..).unwrap_or(&[]);
        if k.iter().any(u8::is_ascii_uppercase) {
            return Err((key_at, ErrorKind::ExpectedKey));
        }
        match k {
            b"r" => r = Some((v.as_integer(), value_at)),
            b"t" => t = Some((v.as_integer(), value_at)),
            b"pk" => pk = Some((v, value_at)),
            _ => {}
        }
        Ok(())
    })
    .map_err(|e| nom_error(e, &[]).to_error(value))?;
    let error_at = |(rest, kind): (&[u8], ErrorKind)| {
        Error::new(kind, value.len() - rest.len()).with_found(rest.first().copied())
    };
    let mut negative = false;
    let r = match r {
        Some((v, value_at)) => {
            let mut local = Tolerances::new();
            let n = int_param(v, value_at, mode, &mut local).map_err(error_at)?;
            negative = !local.is_empty();
            Some(n)
        }
        None => None,
    };
    let t = match t {
        Some((v, value_at)) => Some(uint_param(v, value_at).map_err(error_at)?),
        None => None,
    };
    let pk = match pk {
        Some((BareItem::ByteSequence(b), _)) => Some(b),
        Some((_, value_at)) => return Err(error_at((value_at, ErrorKind::WrongType))),
        None => None,
    };
    if negative {
        tol.insert(Tolerance::NegativeClamped);
    }
    if r.is_none() {
        if !mode.lenient() {
            return Err(Error::new(
                ErrorKind::MissingParameter,
                value.len() - at.len(),
            ));
        }
        tol.insert(Tolerance::MissingRemaining);
    }
    Ok((
        rest,
        ServiceLimit {
            name,
            remaining: r,
            over_quota: negative,
            reset: t,
            partition_key: pk,
            params: Params::from_validated(raw, ITEM_KEYS),
        },
    ))
}

impl<const N: usize> EncodeTo for RateLimit<'_, N> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        match self {
            RateLimit::Dictionary(d) => {
                out.put(b"limit=")?;
                out.put_u64(d.limit)?;
                if let Some(r) = d.remaining {
                    out.put(b", remaining=")?;
                    out.put_u64(r)?;
                }
                out.put(b", reset=")?;
                out.put_u64(d.reset)?;
                for (k, m) in d.unknown() {
                    out.put(b", ")?;
                    out.put(k.as_bytes())?;
                    match m {
                        Member::Item(item) if item.bare == BareItem::Boolean(true) => {
                            item.params.encode_to(out)?;
                        }
                        m => {
                            out.put(b"=")?;
                            m.encode_to(out)?;
                        }
                    }
                }
                Ok(())
            }
            RateLimit::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.put(b", ")?;
                    }
                    item.encode_to(out)?;
                }
                Ok(())
            }
        }
    }
}

impl_encode!(
    ['a, const N: usize] RateLimit<'a, N>,
    "```\nuse ratelimit_headers::{RateLimit, ServiceLimit};\nlet v: RateLimit = RateLimit::list().with_item(ServiceLimit::named(\"day\")?.with_remaining(100).with_reset(36000))?;\nlet mut buf = [0u8; 32];\nlet n = v.encode(&mut buf)?;\nassert_eq!(&buf[..n], br#\"\"day\";r=100;t=36000\"#);\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);

#[cfg(test)]
mod visit_tests {
    use super::*;

    /// What `visit_list` passes on, or its error.
    fn visited(
        input: &[u8],
        mode: ParseMode,
    ) -> Result<std::vec::Vec<(ServiceLimit<'_>, usize)>, Error> {
        let mut seen = std::vec::Vec::new();
        visit_list(input, mode, &mut Tolerances::new(), |item, at| {
            seen.push((item, at));
            Ok(())
        })
        .map(|()| seen)
    }

    #[test]
    fn visit_passes_each_item_with_its_offset() {
        let v = br#""a";r=1;t=1, "b";r=2;pk=:AA==:, "c";r=3"#;
        let items = visited(v, ParseMode::Strict).unwrap();
        let names: std::vec::Vec<_> = items.iter().map(|(i, _)| i.name().raw()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(items[1].1, 13);
    }
}
