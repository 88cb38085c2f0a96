//! `RateLimit-Policy`: the quota policies a server applies (draft-ietf-04 and later).

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::field::limit::{QuotaPolicy, quota_policy};
use crate::grammar::sf::{parameters, scan, string, token_end};
use crate::grammar::{ParseMode, SF_INTEGER_MAX, consumed, for_each_member, nom_error, trim_ows};
use crate::lenient::{Lenient, Tolerance, Tolerances};
use crate::sf::{BareItem, ByteSeq, Hidden, Params, SfStr};

use crate::DEFAULT_POLICIES;

const fn clamp(v: u64) -> u64 {
    if v > SF_INTEGER_MAX {
        SF_INTEGER_MAX
    } else {
        v
    }
}

/// One item of `RateLimit-Policy`: a quota per window, named (draft-ietf-08 and later:
/// `"burst";q=100;w=60`) or not (draft-ietf-04 to -07: `100;w=60`).
///
/// ```
/// use ratelimit_headers::Policy;
///
/// let p = Policy::named("burst", 100)?.with_window(60);
/// assert_eq!(p.to_string(), r#""burst";q=100;w=60"#);
/// assert_eq!(p.name().map(|n| n.raw()), Some("burst"));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy<'a> {
    name: Option<SfStr<'a>>,
    quota: u64,
    /// The window in seconds, when given.
    window: Option<u64>,
    unit: Option<SfStr<'a>>,
    partition_key: Option<ByteSeq<'a>>,
    /// The other parameters: the keys the policy reads itself are hidden from the view.
    params: Params<'a>,
}

/// The keys an unnamed policy reads itself: its window.
pub(crate) const UNNAMED_KEYS: Hidden = Hidden::keys(&[b"w"]);
/// The keys a named policy reads itself (draft-ietf-08 and later): quota, window, quota unit
/// and partition key.
pub(crate) const NAMED_KEYS: Hidden = Hidden::keys(&[b"q", b"w", b"qu", b"pk"]);

impl<'a> Policy<'a> {
    /// A named policy of `quota` units (clamped to the largest Structured Field Integer). The
    /// name is given in its escaped form and checked as [`SfStr::from_escaped`] does.
    pub fn named(name: &'a str, quota: u64) -> Result<Self, Error> {
        Ok(Policy {
            name: Some(SfStr::from_escaped(name)?),
            quota: clamp(quota),
            window: None,
            unit: None,
            partition_key: None,
            params: Params::EMPTY,
        })
    }

    /// An unnamed policy, `quota;w=window` (draft-ietf-04 to -07).
    pub const fn unnamed(quota: u64, window_seconds: u64) -> Self {
        Policy {
            name: None,
            quota: clamp(quota),
            window: Some(clamp(window_seconds)),
            unit: None,
            partition_key: None,
            params: Params::EMPTY,
        }
    }

    /// Sets the window in seconds (clamped). A named policy's window must be non-zero
    /// (draft-ietf-09): for one, 0 means no window, as `parse_lenient` reads `w=0`, so that
    /// the value still encodes to a strictly valid item.
    pub const fn with_window(mut self, seconds: u64) -> Self {
        self.window = if seconds == 0 && self.name.is_some() {
            None
        } else {
            Some(clamp(seconds))
        };
        self
    }

    /// Sets the quota unit (`qu`), for example `content-bytes`. Named policies only: on an
    /// unnamed one (which has no `qu`) it fails with [`ErrorKind::WrongType`].
    pub fn with_unit(mut self, unit: &'a str) -> Result<Self, Error> {
        if self.name.is_none() {
            return Err(Error::new(ErrorKind::WrongType, 0));
        }
        self.unit = Some(SfStr::from_escaped(unit)?);
        Ok(self)
    }

    /// Sets the partition key (`pk`) from base64. Named policies only: on an unnamed one
    /// (which has no `pk`) it fails with [`ErrorKind::WrongType`].
    pub fn with_partition_key(mut self, base64: &'a str) -> Result<Self, Error> {
        if self.name.is_none() {
            return Err(Error::new(ErrorKind::WrongType, 0));
        }
        self.partition_key = Some(ByteSeq::from_base64(base64)?);
        Ok(self)
    }

    /// Sets other parameters (comments); keys the policy reads itself are ignored.
    pub fn with_params(mut self, params: Params<'a>) -> Self {
        let hidden = if self.name.is_some() {
            NAMED_KEYS
        } else {
            UNNAMED_KEYS
        };
        self.params = Params::from_validated(params.raw(), hidden);
        self
    }

    /// The policy name (draft-ietf-08 and later).
    pub const fn name(&self) -> Option<SfStr<'a>> {
        self.name
    }
    /// The quota: units per window.
    pub const fn quota(&self) -> u64 {
        self.quota
    }
    /// The window in seconds.
    pub const fn window(&self) -> Option<u64> {
        self.window
    }
    /// The quota unit (`qu`), when given; the default is requests.
    pub const fn unit(&self) -> Option<SfStr<'a>> {
        self.unit
    }
    /// The partition key (`pk`).
    pub const fn partition_key(&self) -> Option<ByteSeq<'a>> {
        self.partition_key
    }
    /// The other parameters.
    pub const fn params(&self) -> Params<'a> {
        self.params
    }
}

impl<'a> From<QuotaPolicy<'a>> for Policy<'a> {
    fn from(p: QuotaPolicy<'a>) -> Self {
        Policy {
            name: None,
            quota: p.quota(),
            window: p.window(),
            unit: None,
            partition_key: None,
            params: p.params(),
        }
    }
}

impl EncodeTo for Policy<'_> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        match self.name {
            None => {
                out.put_u64(self.quota())?;
                if let Some(w) = self.window() {
                    out.put(b";w=")?;
                    out.put_u64(w)?;
                }
            }
            Some(name) => {
                BareItem::String(name).encode_to(out)?;
                out.put(b";q=")?;
                out.put_u64(self.quota())?;
                if let Some(u) = self.unit {
                    out.put(b";qu=")?;
                    BareItem::String(u).encode_to(out)?;
                }
                if let Some(w) = self.window() {
                    out.put(b";w=")?;
                    out.put_u64(w)?;
                }
                if let Some(pk) = self.partition_key {
                    out.put(b";pk=")?;
                    BareItem::ByteSequence(pk).encode_to(out)?;
                }
            }
        }
        self.params().encode_to(out)
    }
}

/// `RateLimit-Policy`: a List of up to `N` [`Policy`] items, all named (draft-ietf-08 and
/// later) or all unnamed (draft-ietf-04 to -07); the form is detected from the first byte.
///
/// ```
/// use ratelimit_headers::RateLimitPolicy;
///
/// let p = RateLimitPolicy::<4>::parse(br#""burst";q=100;w=60,"daily";q=1000;w=86400"#)?;
/// assert_eq!(p.policies()[1].quota(), 1000);
/// assert_eq!(p.to_string(), r#""burst";q=100;w=60, "daily";q=1000;w=86400"#);
///
/// let old = RateLimitPolicy::<4>::parse(b"10;w=1, 50;w=60")?;
/// assert_eq!(old.policies()[1].window(), Some(60));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitPolicy<'a, const N: usize = DEFAULT_POLICIES> {
    policies: heapless::Vec<Policy<'a>, N>,
}

impl<'a, const N: usize> Default for RateLimitPolicy<'a, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a, const N: usize> RateLimitPolicy<'a, N> {
    /// An empty list (not a valid field value until a policy is added).
    pub const fn new() -> Self {
        RateLimitPolicy {
            policies: heapless::Vec::new(),
        }
    }

    /// Adds a policy. Fails with [`ErrorKind::WrongType`] when it mixes named and unnamed
    /// forms, [`ErrorKind::DuplicateQuota`] when it is unnamed and its quota is already
    /// listed (the strict parser rejects that, draft-ietf-06/07), and
    /// [`ErrorKind::CapacityExceeded`] when full.
    pub fn push(&mut self, p: Policy<'a>) -> Result<(), Error> {
        if let Some(first) = self.policies.first()
            && first.name.is_some() != p.name.is_some()
        {
            return Err(Error::new(ErrorKind::WrongType, self.policies.len()));
        }
        if repeats_quota(&self.policies, &p) {
            return Err(Error::new(ErrorKind::DuplicateQuota, self.policies.len()));
        }
        self.policies
            .push(p)
            .map_err(|_| Error::new(ErrorKind::CapacityExceeded, N))
    }

    /// Builder form of [`push`](Self::push).
    pub fn with_policy(mut self, p: Policy<'a>) -> Result<Self, Error> {
        self.push(p)?;
        Ok(self)
    }

    /// The policies, in order.
    pub fn policies(&self) -> &[Policy<'a>] {
        &self.policies
    }

    /// Strict parse (RFC 9651): named items need a String name, an Integer `q`, a non-zero
    /// Integer `w` if present, a String `qu`, a Byte Sequence `pk`; unnamed items need `w`
    /// and distinct quotas (draft-ietf-06/07).
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        let mut value = Self::new();
        value.parse_in_place(input, ParseMode::Strict)?;
        Ok(value)
    }

    /// Lenient parse: also a Token name ([`Tolerance::TokenName`]), `w=0` read as no window,
    /// duplicate quotas, and the tolerances of [`Limit`](crate::Limit) for unnamed items.
    pub fn parse_lenient(input: &'a [u8]) -> Result<Lenient<Self>, Error> {
        let mut value = Self::new();
        let tolerances = value.parse_in_place(input, ParseMode::Lenient)?;
        Ok(Lenient { value, tolerances })
    }
    /// Parses into `self`; empty on error.
    #[inline]
    fn fill(
        &mut self,
        input: &'a [u8],
        mode: ParseMode,
        tol: &mut Tolerances,
    ) -> Result<(), Error> {
        self.policies.clear();
        let res = parse_into(input, mode, tol, self);
        if res.is_err() {
            self.policies.clear();
        }
        res
    }
}

impl_parse_in_place!(
    RateLimitPolicy,
    "empty",
    r#"```
use ratelimit_headers::{ParseMode, RateLimitPolicy};
let mut p: RateLimitPolicy = RateLimitPolicy::new();
p.parse_in_place(b"\"burst\";q=100;w=60, \"daily\";q=1000;w=86400", ParseMode::Strict)?;
assert_eq!(p.policies()[1].quota(), 1000);
assert!(p.parse_in_place(b"\"burst\";q=-1", ParseMode::Strict).is_err());
assert!(p.policies().is_empty());
# Ok::<(), ratelimit_headers::Error>(())
```"#
);

/// Parses into `out` (new).
fn parse_into<'a, const N: usize>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    out: &mut RateLimitPolicy<'a, N>,
) -> Result<(), Error> {
    visit(input, mode, tol, |policy, at, tol| {
        add(out, &policy, at, mode, tol)
    })
}

/// Adds `policy`, read at `at`, to `out`. Out of line and by reference: the policy is copied
/// once, from where it was read into its slot, and the reading frame holds no copy of it.
#[inline]
fn add<'a, const N: usize>(
    out: &mut RateLimitPolicy<'a, N>,
    policy: &Policy<'a>,
    at: usize,
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<(), Error> {
    if repeats_quota(&out.policies, policy) {
        if !mode.lenient() {
            return Err(Error::new(ErrorKind::DuplicateQuota, at));
        }
        tol.insert(Tolerance::DuplicateQuota);
    }
    out.policies
        .push(*policy)
        .map_err(|_| Error::new(ErrorKind::CapacityExceeded, at))
}

/// Reads a `RateLimit-Policy` value item by item, calling `each(policy, offset, tol)`; no
/// storage. Errors carry offsets into `input`.
pub(crate) fn visit<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    mut each: impl FnMut(Policy<'a>, usize, &mut Tolerances) -> Result<(), Error>,
) -> Result<(), Error> {
    let (value, start) = trim_ows(input);
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    let mut named: Option<bool> = None;
    for_each_member(value, mode, tol, |at, tol| {
        let offset = value.len() - at.len();
        let is_named = !matches!(at.first(), Some(b'0'..=b'9' | b'-'));
        if *named.get_or_insert(is_named) != is_named {
            return Err(Error::new(ErrorKind::WrongType, offset));
        }
        let (rest, policy) = if is_named {
            named_policy(at, value, mode, tol)?
        } else {
            let (rest, p) = quota_policy(at, value, mode, tol)?;
            (rest, Policy::from(p))
        };
        each(policy, offset, tol)?;
        Ok(rest)
    })
    .map_err(|e| e.shifted(start))
}

/// Whether `p` is unnamed and one of `policies` has its quota (two unnamed policies may not
/// share one in draft-ietf-06/07).
fn repeats_quota(policies: &[Policy<'_>], p: &Policy<'_>) -> bool {
    p.name.is_none() && policies.iter().any(|o| o.quota() == p.quota())
}

/// The name of a named item: a String, or leniently a Token.
pub(crate) fn item_name<'a>(
    at: &'a [u8],
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<(&'a [u8], SfStr<'a>), Error> {
    let err = |e| nom_error(e, &[]).to_error(value);
    match at.first() {
        Some(b'"') => string(at).map_err(err),
        Some(b) if mode.lenient() && (b.is_ascii_alphabetic() || *b == b'*') => {
            let (rest, ()) = token_end(at).map_err(err)?;
            tol.insert(Tolerance::TokenName);
            Ok((rest, SfStr::from_validated(consumed(at, rest))))
        }
        _ => {
            // A well-formed item of another type is a type error; otherwise a syntax error.
            match scan(at, ParseMode::Strict, &mut Tolerances::new()) {
                Ok(_) => Err(Error::new(ErrorKind::WrongType, value.len() - at.len())),
                Err(e) => Err(err(e)),
            }
        }
    }
}

/// Reads a non-negative Integer parameter value, given as the Integer it is or `None` for an
/// item of another type (lenient: a negative one becomes 0, flagged).
pub(crate) fn int_param<'a>(
    v: Option<i64>,
    value_at: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<u64, (&'a [u8], ErrorKind)> {
    match v {
        Some(n) if n < 0 && mode.lenient() => {
            tol.insert(Tolerance::NegativeClamped);
            Ok(0)
        }
        v => uint_param(v, value_at),
    }
}

/// [`int_param`] read strictly: a negative Integer is an error too, reported at `value_at`.
pub(crate) fn uint_param(v: Option<i64>, value_at: &[u8]) -> Result<u64, (&[u8], ErrorKind)> {
    match v {
        Some(n) if n >= 0 => Ok(n.unsigned_abs()),
        Some(_) => Err((value_at, ErrorKind::Negative)),
        None => Err((value_at, ErrorKind::WrongType)),
    }
}

#[inline]
fn named_policy<'a>(
    at: &'a [u8],
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<(&'a [u8], Policy<'a>), Error> {
    let (rest, name) = item_name(at, value, mode, tol)?;
    // A repeated parameter keeps its last value (RFC 9651 §4.2.3.2): each is checked as read
    // and kept with where its value starts; only the last one's error is reported, once the
    // whole section is read. `q` and `w` are read strictly (no clamping).
    let mut q = None;
    let mut w = None;
    let mut qu = None;
    let mut pk = None;
    let (rest, raw) = parameters(rest, mode, tol, |k, v, key_at| {
        // A bare key is the Boolean true, reported where a value would start.
        let value_at = key_at.get(k.len() + 1..).unwrap_or(&[]);
        if k.iter().any(u8::is_ascii_uppercase) {
            return Err((key_at, ErrorKind::ExpectedKey));
        }
        match k {
            b"q" => q = Some(uint_param(v.as_integer(), value_at)),
            b"w" => {
                w = Some(match uint_param(v.as_integer(), value_at) {
                    Ok(0) => Err((value_at, ErrorKind::ZeroWindow)),
                    other => other,
                })
            }
            b"qu" => {
                qu = Some(match v {
                    BareItem::String(s) => Ok(s),
                    _ => Err(value_at),
                })
            }
            b"pk" => {
                pk = Some(match v {
                    BareItem::ByteSequence(b) => Ok(b),
                    _ => Err(value_at),
                })
            }
            _ => {}
        }
        Ok(())
    })
    .map_err(|e| nom_error(e, &[]).to_error(value))?;
    let error_at = |(rest, kind): (&[u8], ErrorKind)| {
        Error::new(kind, value.len() - rest.len()).with_found(rest.first().copied())
    };
    let q = q.transpose().map_err(error_at)?;
    let w = match w {
        Some(Err((_, ErrorKind::ZeroWindow))) if mode.lenient() => {
            tol.insert(Tolerance::ZeroWindow);
            None
        }
        w => w.transpose().map_err(error_at)?,
    };
    let wrong_type = |value_at| error_at((value_at, ErrorKind::WrongType));
    let unit = qu.transpose().map_err(wrong_type)?;
    let pk = pk.transpose().map_err(wrong_type)?;
    let Some(quota) = q else {
        return Err(Error::new(
            ErrorKind::MissingParameter,
            value.len() - at.len(),
        ));
    };
    Ok((
        rest,
        Policy {
            name: Some(name),
            quota,
            window: w,
            unit,
            partition_key: pk,
            params: Params::from_validated(raw, NAMED_KEYS),
        },
    ))
}

impl<const N: usize> EncodeTo for RateLimitPolicy<'_, N> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        for (i, p) in self.policies.iter().enumerate() {
            if i > 0 {
                out.put(b", ")?;
            }
            p.encode_to(out)?;
        }
        Ok(())
    }
}

impl_encode!(
    ['a, const N: usize] RateLimitPolicy<'a, N>,
    "```\nuse ratelimit_headers::{Policy, RateLimitPolicy};\nlet p: RateLimitPolicy = RateLimitPolicy::new()\n    .with_policy(Policy::named(\"hour\", 1000)?.with_window(3600))?;\nlet mut buf = [0u8; 32];\nlet n = p.encode(&mut buf)?;\nassert_eq!(&buf[..n], br#\"\"hour\";q=1000;w=3600\"#);\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);

impl core::fmt::Display for Policy<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.encode_to(&mut crate::encode::FmtSink(f))
            .map_err(|_| core::fmt::Error)
    }
}

#[cfg(test)]
mod visit_tests {
    use super::*;

    /// What `visit` passes on, or its error.
    fn visited(input: &[u8], mode: ParseMode) -> Result<std::vec::Vec<(Policy<'_>, usize)>, Error> {
        let mut seen = std::vec::Vec::new();
        visit(input, mode, &mut Tolerances::new(), |p, at, _| {
            seen.push((p, at));
            Ok(())
        })
        .map(|()| seen)
    }

    #[test]
    fn visit_passes_each_item_with_its_offset() {
        let v = br#""a";q=1;w=1, "b";q=2;w=2;qu="requests", "c";q=3"#;
        let items = visited(v, ParseMode::Strict).unwrap();
        let names: std::vec::Vec<_> = items
            .iter()
            .map(|(p, _)| p.name().map(|n| n.raw()))
            .collect();
        assert_eq!(names, [Some("a"), Some("b"), Some("c")]);
        assert_eq!(items[1].1, 13);
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;
    use crate::field::limit::Limit;

    /// The largest quota keeps its value, and each kind of policy hides the keys it reads.
    #[test]
    fn the_largest_quota_and_the_hidden_keys() {
        let named = Policy::named("a", u64::MAX).unwrap();
        assert_eq!(named.quota(), SF_INTEGER_MAX);
        let params = Params::parse(b";w=5;q=6;x=7").unwrap();
        let named = named.with_params(params);
        assert_eq!(named.quota(), SF_INTEGER_MAX);
        // A named policy hides `q` and `w`: only `x` is left.
        assert_eq!(named.params().iter().count(), 1);
        let unnamed = Policy::unnamed(u64::MAX, 1).with_params(params);
        assert_eq!(unnamed.quota(), SF_INTEGER_MAX);
        // An unnamed one hides `w` only.
        assert_eq!(unnamed.params().iter().count(), 2);
        let read = RateLimitPolicy::<2>::parse(b"\"a\";q=999999999999999;w=1;x=2").unwrap();
        assert_eq!(read.policies()[0].quota(), SF_INTEGER_MAX);
        assert_eq!(read.policies()[0].params().iter().count(), 1);
    }

    /// A quota policy read with draft-polli-00's `window=` hides it once it is a `Policy` too.
    #[test]
    fn the_window_alias_stays_hidden_in_a_policy() {
        let old = Limit::<2>::parse_lenient(b"100, 100;window=60")
            .unwrap()
            .value;
        let p = Policy::from(old.policies()[0]);
        assert_eq!(p.quota(), 100);
        assert_eq!(p.window(), Some(60));
        assert_eq!(p.params().iter().count(), 0);
        assert_eq!(p.params().raw(), b";window=60");
    }

    /// Equal policies compare equal by their quota and what their parameters show.
    #[test]
    fn equality_is_by_value() {
        let a = Policy::unnamed(10, 60);
        let b = Policy::unnamed(10, 60).with_params(Params::parse(b";w=60").unwrap());
        assert_eq!(a, b);
        assert_ne!(a, Policy::unnamed(11, 60));
    }
}
