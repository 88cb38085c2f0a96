//! `RateLimit-Limit`: the expiring limit, then the quota policies (`120, 120;w=60, 4;w=1`).

use core::fmt;

use crate::encode::{EncodeTo, Sink, impl_encode};
use crate::error::{Error, ErrorKind};
use crate::field::policy::uint_param;
use crate::grammar::sf::parameters;
use crate::grammar::{
    ParseMode, SF_INTEGER_MAX, SyntaxError, for_each_member, nom_error, non_negative_integer,
    trim_ows,
};
use crate::lenient::{Lenient, Tolerance, Tolerances};
use crate::sf::{Hidden, Params};

use crate::DEFAULT_POLICIES;

/// The key a quota policy reads itself: its window.
const WINDOW_KEY: Hidden = Hidden::keys(&[b"w"]);
/// The keys of a policy whose window was read leniently from draft-polli-00's `window=`.
const WINDOW_KEYS_WITH_ALIAS: Hidden = Hidden::keys(&[b"w", b"window"]);

/// One quota policy of a `RateLimit-Limit` list: `quota;w=window` plus any other parameters.
///
/// ```
/// use ratelimit_headers::QuotaPolicy;
/// use ratelimit_headers::sf::Params;
///
/// let p = QuotaPolicy::new(100, 60).with_params(Params::parse(b";burst=1000")?);
/// assert_eq!(p.quota(), 100);
/// assert_eq!(p.window(), Some(60));
/// assert_eq!(p.params().get("burst").and_then(|v| v.as_integer()), Some(1000));
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaPolicy<'a> {
    quota: u64,
    /// The window in seconds; `None` only for a policy read leniently without one.
    window: Option<u64>,
    params: Params<'a>,
}

const fn clamp(v: u64) -> u64 {
    if v > SF_INTEGER_MAX {
        SF_INTEGER_MAX
    } else {
        v
    }
}

impl<'a> QuotaPolicy<'a> {
    /// `quota` units per `window_seconds`. Both are clamped to 999,999,999,999,999, the
    /// largest Structured Field Integer, so every policy can be encoded.
    pub const fn new(quota: u64, window_seconds: u64) -> Self {
        QuotaPolicy {
            quota: clamp(quota),
            window: Some(clamp(window_seconds)),
            params: Params::EMPTY,
        }
    }

    /// The same policy with other parameters (comments such as `burst` or `name`). A `w` among
    /// them is ignored: the window is the one given to [`new`](Self::new).
    pub fn with_params(mut self, params: Params<'a>) -> Self {
        self.params = Params::from_validated(params.raw(), WINDOW_KEY);
        self
    }

    /// The quota: units allowed per window.
    pub const fn quota(&self) -> u64 {
        self.quota
    }

    /// The window in seconds. `None` only for a policy read leniently without one.
    pub const fn window(&self) -> Option<u64> {
        self.window
    }

    /// The other parameters (`w` excluded), borrowed from the input.
    pub const fn params(&self) -> Params<'a> {
        self.params
    }
}

impl EncodeTo for QuotaPolicy<'_> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put_u64(self.quota)?;
        if let Some(w) = self.window() {
            out.put(b";w=")?;
            out.put_u64(w)?;
        }
        self.params.encode_to(out)
    }
}

impl fmt::Display for QuotaPolicy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.encode_to(&mut crate::encode::FmtSink(f))
            .map_err(|_| fmt::Error)
    }
}

/// `RateLimit-Limit` in its list form (draft-polli-00 to draft-ietf-03): the expiring limit
/// (the limit closest to running out) followed by up to `N` quota policies. The single Integer
/// of draft-ietf-04 to -06 is the same type with no policies.
///
/// Borrowed from the input (parameters are zero-copy views); `N` fixes the capacity, with no
/// allocation.
///
/// ```
/// use ratelimit_headers::Limit;
///
/// let limit = Limit::<4>::parse(b"120, 120;w=60, 4;w=1")?;
/// assert_eq!(limit.expiring_limit(), 120);
/// let windows: Vec<_> = limit.policies().iter().map(|p| (p.quota(), p.window())).collect();
/// assert_eq!(windows, [(120, Some(60)), (4, Some(1))]);
/// assert_eq!(limit.to_string(), "120, 120;w=60, 4;w=1");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
///
/// Building one to send:
///
/// ```
/// use ratelimit_headers::{Limit, QuotaPolicy};
///
/// let limit: Limit = Limit::new(4)
///     .with_policy(QuotaPolicy::new(120, 60))?
///     .with_policy(QuotaPolicy::new(4, 1))?;
/// let mut buf = [0u8; 64];
/// let n = limit.encode(&mut buf)?;
/// assert_eq!(&buf[..n], b"4, 120;w=60, 4;w=1");
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit<'a, const N: usize = DEFAULT_POLICIES> {
    expiring: u64,
    expiring_params: Params<'a>,
    policies: heapless::Vec<QuotaPolicy<'a>, N>,
}

impl<'a, const N: usize> Limit<'a, N> {
    /// A limit with expiring limit `expiring` (clamped like [`QuotaPolicy::new`]) and no
    /// policies.
    pub const fn new(expiring: u64) -> Self {
        Limit {
            expiring: clamp(expiring),
            expiring_params: Params::EMPTY,
            policies: heapless::Vec::new(),
        }
    }

    /// Adds a quota policy; [`ErrorKind::CapacityExceeded`] when `N` are already held (the
    /// offset is then the number of policies held).
    pub fn push(&mut self, policy: QuotaPolicy<'a>) -> Result<(), Error> {
        self.policies
            .push(policy)
            .map_err(|_| Error::new(ErrorKind::CapacityExceeded, N))
    }

    /// Builder form of [`push`](Self::push).
    pub fn with_policy(mut self, policy: QuotaPolicy<'a>) -> Result<Self, Error> {
        self.push(policy)?;
        Ok(self)
    }

    /// The expiring limit: the quota of the policy closest to running out.
    pub const fn expiring_limit(&self) -> u64 {
        self.expiring
    }

    /// Parameters on the expiring limit (no draft defines any; kept for inspection).
    pub const fn expiring_params(&self) -> Params<'a> {
        self.expiring_params
    }

    /// The quota policies, in order.
    pub fn policies(&self) -> &[QuotaPolicy<'a>] {
        &self.policies
    }

    /// Strict parse, following RFC 9651 exactly (draft-ietf-02/03): a non-empty List of
    /// non-negative Integers, every member after the first carrying an Integer `w`. Any error
    /// rejects the whole field. Leading and trailing SP/HTAB are ignored.
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        let mut value = Limit::new(0);
        value.parse_in_place(input, ParseMode::Strict)?;
        Ok(value)
    }

    /// Lenient parse: also what the `#rule` drafts (polli-00 to ietf-01) and real servers
    /// send, each use reported — empty list members, `window=` for `w=`, `W=`, whitespace
    /// around `;`, integers of more than 15 digits (saturated), a policy without a window.
    ///
    /// ```
    /// use ratelimit_headers::{Limit, Tolerance};
    /// let old = Limit::<4>::parse_lenient(b"100, , 100;window=60")?;
    /// assert_eq!(old.value.policies()[0].window(), Some(60));
    /// assert!(old.tolerances.contains(Tolerance::WindowAlias));
    /// assert!(old.tolerances.contains(Tolerance::EmptyListMember));
    /// # Ok::<(), ratelimit_headers::Error>(())
    /// ```
    pub fn parse_lenient(input: &'a [u8]) -> Result<Lenient<Self>, Error> {
        let mut value = Limit::new(0);
        let tolerances = value.parse_in_place(input, ParseMode::Lenient)?;
        Ok(Lenient { value, tolerances })
    }

    /// Parses into `self`; empty on error.
    fn fill(
        &mut self,
        input: &'a [u8],
        mode: ParseMode,
        tol: &mut Tolerances,
    ) -> Result<(), Error> {
        self.clear();
        let (value, start) = trim_ows(input);
        match parse_view(value, mode, tol, self.policies.as_mut_view()) {
            Ok((expiring, params)) => {
                self.expiring = expiring;
                self.expiring_params = params;
                Ok(())
            }
            Err(e) => {
                self.clear();
                Err(e.shifted(start))
            }
        }
    }

    /// Makes `self` what `Limit::new(0)` is, in place.
    fn clear(&mut self) {
        self.expiring = 0;
        self.expiring_params = Params::EMPTY;
        self.policies.clear();
    }
}

impl_parse_in_place!(
    Limit,
    "as `Limit::new(0)`",
    r#"```
use ratelimit_headers::{Limit, ParseMode, Tolerance};
let mut limit: Limit = Limit::new(0);
limit.parse_in_place(b"120, 120;w=60, 4;w=1", ParseMode::Strict)?;
assert_eq!(limit.policies().len(), 2);
assert!(limit.parse_in_place(b"120, 4;w=x", ParseMode::Strict).is_err());
assert!(limit.policies().is_empty());
let tolerated = limit.parse_in_place(b"120, 4;window=1", ParseMode::Lenient)?;
assert!(tolerated.contains(Tolerance::WindowAlias));
# Ok::<(), ratelimit_headers::Error>(())
```"#
);

/// The general parser over any capacity (one copy of the code for every `N`).
fn parse_view<'a>(
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    policies: &mut heapless::vec::VecView<QuotaPolicy<'a>>,
) -> Result<(u64, Params<'a>), Error> {
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, 0));
    }
    let cap = policies.capacity();
    parse_list(value, mode, tol, cap, false, |p| {
        let _ = policies.push(p);
    })
}

/// Reads a `RateLimit-Limit` value without storing it: returns the expiring limit and calls
/// `each` with every quota policy, failing where `Limit::<cap>::parse`/`parse_lenient` would
/// (policies already passed to `each` are then to be discarded).
///
/// With `continuation`, `input` is a later line of a combined field (RFC 9110 §5.3: the lines
/// joined with `, ` are one List, whose first member, the expiring limit, is on the first
/// line): every member is a quota policy, with no limit on their number, and 0 is returned.
/// Errors carry offsets into `input`.
#[inline]
pub(crate) fn visit<'a>(
    input: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    cap: usize,
    continuation: bool,
    each: impl FnMut(QuotaPolicy<'a>),
) -> Result<u64, Error> {
    let (value, start) = trim_ows(input);
    if value.is_empty() {
        return Err(Error::new(ErrorKind::Empty, start));
    }
    let cap = if continuation { usize::MAX } else { cap };
    parse_list(value, mode, tol, cap, continuation, each)
        .map(|(expiring, _)| expiring)
        .map_err(|e| e.shifted(start))
}

/// The list parser: the expiring limit and its parameters; each of at most `cap`
/// policies is passed to `each` (one more is [`ErrorKind::CapacityExceeded`]). With
/// `continuation`, every member is a policy and the expiring limit is 0. Inlined: one frame
/// for [`visit`] and it, under which the member parsers run.
#[inline(always)]
fn parse_list<'a>(
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    cap: usize,
    continuation: bool,
    mut each: impl FnMut(QuotaPolicy<'a>),
) -> Result<(u64, Params<'a>), Error> {
    let mut expiring: Option<(u64, Params<'a>)> = continuation.then_some((0, Params::EMPTY));
    let mut count = 0;
    for_each_member(value, mode, tol, |at, tol| {
        // The expiring limit and the policies share one member parser.
        let first = expiring.is_none();
        let kind = if first { Item::Expiring } else { Item::Policy };
        let (rest, policy) = member(at, value, mode, tol, kind)?;
        if first {
            expiring = Some((policy.quota, policy.params));
            return Ok(rest);
        }
        if count == cap {
            return Err(Error::new(
                ErrorKind::CapacityExceeded,
                value.len() - at.len(),
            ));
        }
        count += 1;
        each(policy);
        Ok(rest)
    })?;
    expiring.ok_or(Error::new(ErrorKind::Empty, value.len()))
}

/// One quota policy, `quota;w=window[;params]`, starting at `at` inside `value` (offsets in
/// errors are relative to `value`). Shared by `RateLimit-Limit` and the Integer form of
/// `RateLimit-Policy`.
pub(crate) fn quota_policy<'a>(
    at: &'a [u8],
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
) -> Result<(&'a [u8], QuotaPolicy<'a>), Error> {
    member(at, value, mode, tol, Item::Policy)
}

/// What [`member`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    /// A quota policy.
    Policy,
    /// The expiring limit (its parameters hide nothing).
    Expiring,
    /// A lone Integer Item (`RateLimit-Remaining`, `RateLimit-Reset`): any parameters.
    Integer,
}

/// A member of a `RateLimit-Limit` list: a quota policy (see [`quota_policy`]), or the
/// expiring limit (or a lone Integer Item), `quota[;params]`, returned as a policy without a
/// window (its parameters hide nothing; `w` is an ordinary key there). An uppercase key
/// other than a policy's `W` is an error, except on an Integer Item. Out of line: one copy of the
/// integer read and the parameter loop for all three.
#[inline]
pub(crate) fn member<'a>(
    at: &'a [u8],
    value: &'a [u8],
    mode: ParseMode,
    tol: &mut Tolerances,
    item: Item,
) -> Result<(&'a [u8], QuotaPolicy<'a>), Error> {
    let policy = item == Item::Policy;
    // A repeated parameter keeps its last value (RFC 9651 §4.2.3.2): checked once the whole
    // section is read (`None`: no `w` yet).
    let mut w: Option<Result<u64, SyntaxError<'a>>> = None;
    let mut alias = None;
    // The integer, the parameters and a bad `w` fail through one conversion.
    let (after, quota, raw) = non_negative_integer(at, mode, tol)
        .and_then(|(after, quota)| {
            let (after, raw) = parameters(after, mode, tol, |k, v, key_at| {
                if policy && (k == b"w" || (mode.lenient() && k == b"W")) {
                    // Checked once the section is read: an earlier `w` of the wrong type is
                    // no error. A bare `w` is the Boolean true, reported where a value would
                    // start.
                    let value_at = key_at.get(k.len() + 1..).unwrap_or(&[]);
                    w = Some(
                        uint_param(v.as_integer(), value_at)
                            .map_err(|(rest, kind)| SyntaxError { rest, kind }),
                    );
                } else if mode.lenient()
                    && item != Item::Integer
                    && k.iter().any(u8::is_ascii_uppercase)
                {
                    // Lenient mode accepts an uppercase key only as `W` (the early drafts'
                    // case-insensitive ABNF); kept elsewhere it would not encode canonically.
                    return Err((key_at, ErrorKind::ExpectedKey));
                } else if policy && mode.lenient() && k == b"window" {
                    // The draft-polli-00 spelling is read as the window only when it holds
                    // one; otherwise it is an ordinary parameter, as the strict grammar
                    // reads it.
                    alias = match v.as_integer() {
                        Some(n @ 0..) => Some(n.unsigned_abs()),
                        _ => None,
                    };
                }
                Ok(())
            })?;
            match w {
                Some(Err(e)) => Err(nom::Err::Error(e)),
                _ => Ok((after, quota, raw)),
            }
        })
        .map_err(|e| nom_error(e, &[]).to_error(value))?;
    if !policy {
        return Ok((
            after,
            QuotaPolicy {
                quota,
                window: None,
                params: Params::from_validated(raw, Hidden::NONE),
            },
        ));
    }
    let w = w.and_then(Result::ok);
    let window = match (w, alias) {
        (Some(w), _) => Some(w),
        (None, Some(a)) => {
            tol.insert(Tolerance::WindowAlias);
            Some(a)
        }
        (None, None) if mode.lenient() => {
            tol.insert(Tolerance::MissingWindow);
            None
        }
        (None, None) => {
            return Err(match super::after_item_kind(after) {
                ErrorKind::WhitespaceBeforeParameter => Error::new(
                    ErrorKind::WhitespaceBeforeParameter,
                    value.len() - after.len(),
                ),
                _ => Error::new(ErrorKind::MissingWindow, value.len() - at.len()),
            });
        }
    };
    let hidden = if w.is_none() && alias.is_some() {
        WINDOW_KEYS_WITH_ALIAS
    } else {
        WINDOW_KEY
    };
    Ok((
        after,
        QuotaPolicy {
            quota,
            window,
            params: Params::from_validated(raw, hidden),
        },
    ))
}

impl<const N: usize> EncodeTo for Limit<'_, N> {
    fn encode_to<S: Sink>(&self, out: &mut S) -> Result<(), Error> {
        out.put_u64(self.expiring)?;
        self.expiring_params.encode_to(out)?;
        for p in &self.policies {
            out.put(b", ")?;
            p.encode_to(out)?;
        }
        Ok(())
    }
}

impl_encode!(
    ['a, const N: usize] Limit<'a, N>,
    "```\nuse ratelimit_headers::{Limit, QuotaPolicy};\nlet limit: Limit = Limit::new(120).with_policy(QuotaPolicy::new(120, 60))?;\nlet mut buf = [0u8; 32];\nlet n = limit.encode(&mut buf)?;\nassert_eq!(&buf[..n], b\"120, 120;w=60\");\nassert_eq!(n, limit.encoded_len());\n# Ok::<(), ratelimit_headers::Error>(())\n```"
);

#[cfg(test)]
mod visit_tests {
    use super::*;
    use proptest::prelude::*;
    use std::{format, string::ToString, vec};

    fn inputs() -> impl Strategy<Value = std::vec::Vec<u8>> {
        let noise = proptest::collection::vec(
            proptest::sample::select(b"0123456789 ,;=wWq-.\"\tx".to_vec()),
            0..40,
        );
        let shaped = (
            0u64..2000,
            proptest::collection::vec(
                (
                    0u64..99999,
                    0u64..9999,
                    proptest::sample::select(vec![";w=", ";W=", ";x=", ";w=-", ";w=1.", ";w=0"]),
                    proptest::sample::select(vec![", ", ",", " , ", ",\t", ", ,", ",  "]),
                ),
                0..5,
            ),
        )
            .prop_map(|(e, ps)| {
                let mut s = e.to_string();
                for (q, w, k, sep) in ps {
                    s.push_str(&format!("{sep}{q}{k}{w}"));
                }
                s.into_bytes()
            });
        prop_oneof![noise, shaped]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]
        /// `visit` passes each policy on once, in order, and returns the expiring limit, as
        /// the parser reads them into a `Limit`.
        #[test]
        fn visit_passes_each_policy_once(input in inputs(), lenient: bool) {
            let mode = if lenient { ParseMode::Lenient } else { ParseMode::Strict };
            let mut seen = std::vec::Vec::new();
            let visited = visit(&input, mode, &mut Tolerances::new(), 4, false, |p| seen.push(p));
            let mut limit = Limit::<4>::new(0);
            let parsed = limit.fill(&input, mode, &mut Tolerances::new());
            match (visited, parsed) {
                (Ok(expiring), Ok(())) => {
                    prop_assert_eq!(expiring, limit.expiring_limit());
                    prop_assert_eq!(&seen[..], limit.policies());
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "visit {:?}, parse {:?}", a, b),
            }
        }
    }

    #[test]
    fn visit_passes_policies_with_extra_parameters() {
        let mut seen = std::vec::Vec::new();
        let v = b"10, 10;w=1, 20;w=2, 30;w=3;burst=5";
        let e = visit(
            v,
            ParseMode::Strict,
            &mut Tolerances::new(),
            8,
            false,
            |p| seen.push(p),
        )
        .unwrap();
        assert_eq!(e, 10);
        let quotas: std::vec::Vec<u64> = seen.iter().map(|p| p.quota()).collect();
        assert_eq!(quotas, [10, 20, 30]);
    }
}

#[cfg(test)]
mod member_tests {
    use crate::{ErrorKind, Limit, Remaining, Reset};

    /// The member parser is shared by the expiring limit, the quota policies and the Integer
    /// fields: an uppercase key is an error on the first two, accepted on the last.
    #[test]
    fn uppercase_keys_per_item() {
        assert_eq!(Remaining::parse_lenient(b"7;Foo=1").unwrap().value.get(), 7);
        assert!(Remaining::parse(b"7;Foo=1").is_err());
        assert!(Reset::parse_lenient(b" 7;Foo=1;W").is_ok());
        for (input, offset) in [
            (&b"7;Foo=1"[..], 2),
            (b"7, 1;w=1;Foo=1", 9),
            (b"7, 1;Foo=1;w=1", 5),
        ] {
            let e = Limit::<4>::parse_lenient(input).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (ErrorKind::ExpectedKey, offset),
                "{input:?}"
            );
        }
        let l = Limit::<4>::parse_lenient(b"7, 1;W=2").unwrap();
        assert_eq!(l.value.policies()[0].window(), Some(2));
        // A `w` on an Integer Item or the expiring limit is an ordinary parameter.
        assert_eq!(Remaining::parse(b"7;w=x").unwrap().get(), 7);
        assert_eq!(Limit::<4>::parse(b"7;w=x").unwrap().expiring_limit(), 7);
    }
}
