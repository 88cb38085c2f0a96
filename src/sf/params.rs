//! Structured Field parameters (RFC 9651 §3.1.2), validated and borrowed from the input.

use core::fmt;

use super::BareItem;
use crate::error::Error;
use crate::grammar::sf::{one_param, parameters};
use crate::grammar::{ParseMode, ascii_str};
use crate::lenient::Tolerances;

/// The most parameters one item may carry: RFC 9651 §4.2 asks parsers to support at least 256.
/// A cap keeps every use of a [`Params`] view linear in the input: finding the effective value
/// of each key without storage compares it with the others, which is quadratic in the count.
pub const MAX_PARAMS: usize = 256;

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

/// Which keys a [`Params`] view hides because the value that owns the parameters reads them
/// itself into typed fields (a field module names them), compared ignoring ASCII case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Hidden(&'static [&'static [u8]]);

impl Hidden {
    /// Hides nothing.
    pub(crate) const NONE: Hidden = Hidden(&[]);

    /// Hides `keys`.
    pub(crate) const fn keys(keys: &'static [&'static [u8]]) -> Hidden {
        Hidden(keys)
    }

    fn hides(self, key: &[u8]) -> bool {
        self.0.iter().any(|h| key.eq_ignore_ascii_case(h))
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
        match parameters(input, ParseMode::Strict, &mut tol, |_, _, _| Ok(())) {
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
        use crate::encode::{EncodeTo, FmtSink};
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
        match one_param(self.rest, ParseMode::Lenient, &mut Tolerances::new()) {
            Ok((rest, Some((k, v, _)))) => {
                self.rest = rest;
                Some((k, v))
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
