//! Lenient parsing: what was tolerated, so nothing is accepted silently.

use core::fmt;

/// Which grammar a parse follows: the field's own, exactly, or also the variants real
/// servers send, each reported as a [`Tolerance`]. The list types take it in their in-place
/// parse; the by-value parsers are `parse` and `parse_lenient`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ParseMode {
    /// The grammar exactly: any departure rejects the whole field.
    #[default]
    Strict,
    /// The grammar and the tolerated variants, each reported.
    Lenient,
}

impl ParseMode {
    /// Whether this is [`ParseMode::Lenient`].
    #[inline]
    pub const fn lenient(self) -> bool {
        matches!(self, ParseMode::Lenient)
    }
}

/// One departure from the strict grammar that lenient parsing accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Tolerance {
    /// Empty list members or a trailing `,` (valid in `#rule` lists, RFC 9110 §5.6.1; fatal
    /// in Structured Fields).
    EmptyListMember,
    /// The window parameter spelled `window=` (draft-polli-00, older Envoy) was read as `w`.
    WindowAlias,
    /// The window parameter spelled `W=60` (valid under the case-insensitive ABNF of the
    /// early drafts; fatal in Structured Fields). Other uppercase keys stay errors.
    UppercaseKey,
    /// Whitespace before `;`, or a tab after it (allowed by the early drafts' `OWS ";" OWS`).
    WhitespaceAroundSemicolon,
    /// An integer of more than 15 digits, saturated at 999,999,999,999,999.
    IntegerSaturated,
    /// A negative count, such as `RateLimit-Remaining: -1`, read as 0. Servers send this
    /// when the quota is exhausted (over quota).
    NegativeClamped,
    /// A quota policy with no window parameter; its window is unknown.
    MissingWindow,
    /// `RateLimit-Reset` given as an HTTP-date (draft-polli-00 only) rather than seconds.
    ResetAsDate,
    /// A policy name sent as a Token (`quota;q=100`) where the draft requires a String (the
    /// draft's own appendix example does this).
    TokenName,
    /// A window of `w=0` (illegal since draft-ietf-09); read as no window.
    ZeroWindow,
    /// A `RateLimit` item without the `r` (remaining) parameter (REQUIRED since
    /// draft-ietf-09).
    MissingRemaining,
    /// Two `RateLimit-Policy` items with the same quota (forbidden in draft-ietf-06/07).
    DuplicateQuota,
    /// Seconds with a decimal fraction (`Retry-After: 2.0`), rounded up to the millisecond.
    DecimalSeconds,
    /// An HTTP-date with a one-digit day (`Sun, 6 Nov 1994 ...`).
    LooseDate,
    /// A decimal number where a whole count is required (`X-RateLimit-Remaining: 599.0`),
    /// rounded down to whole units.
    DecimalValue,
    /// More fraction digits than the vendor's format carries (`1470173023.1234` where
    /// Discord sends milliseconds), rounded up to the millisecond.
    ExtraFractionDigits,
    /// A Go duration given as a bare number (`x-ratelimit-reset-requests: 60`), read as
    /// seconds.
    MissingUnit,
    /// An HTTP-date (`Thu, 21 Aug 2025 12:40:59 GMT`) where an RFC 3339 timestamp is
    /// expected.
    HttpDateForTimestamp,
}

impl Tolerance {
    const ALL: [Tolerance; 18] = [
        Tolerance::EmptyListMember,
        Tolerance::WindowAlias,
        Tolerance::UppercaseKey,
        Tolerance::WhitespaceAroundSemicolon,
        Tolerance::IntegerSaturated,
        Tolerance::NegativeClamped,
        Tolerance::MissingWindow,
        Tolerance::ResetAsDate,
        Tolerance::TokenName,
        Tolerance::ZeroWindow,
        Tolerance::MissingRemaining,
        Tolerance::DuplicateQuota,
        Tolerance::DecimalSeconds,
        Tolerance::LooseDate,
        Tolerance::DecimalValue,
        Tolerance::ExtraFractionDigits,
        Tolerance::MissingUnit,
        Tolerance::HttpDateForTimestamp,
    ];

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// A short description in plain words.
    pub const fn description(self) -> &'static str {
        match self {
            Tolerance::EmptyListMember => "empty list member ignored",
            Tolerance::WindowAlias => "`window=` read as `w=` (draft-polli-00 spelling)",
            Tolerance::UppercaseKey => "uppercase `W=` read as `w=`",
            Tolerance::WhitespaceAroundSemicolon => "whitespace around `;` accepted",
            Tolerance::IntegerSaturated => "integer over 15 digits saturated at 999999999999999",
            Tolerance::NegativeClamped => "negative value read as 0 (over quota)",
            Tolerance::MissingWindow => "quota policy without a window",
            Tolerance::ResetAsDate => "reset given as an HTTP-date (draft-polli-00)",
            Tolerance::TokenName => "policy name sent as a Token instead of a String",
            Tolerance::ZeroWindow => "`w=0` read as no window",
            Tolerance::MissingRemaining => "`r` (remaining) missing",
            Tolerance::DuplicateQuota => "two policies with the same quota",
            Tolerance::DecimalSeconds => "decimal seconds rounded up to the millisecond",
            Tolerance::LooseDate => "HTTP-date with a one-digit day",
            Tolerance::DecimalValue => "decimal count rounded down to whole units",
            Tolerance::ExtraFractionDigits => {
                "more fraction digits than the format carries, rounded up to the millisecond"
            }
            Tolerance::MissingUnit => "Go duration without a unit read as seconds",
            Tolerance::HttpDateForTimestamp => "HTTP-date where an RFC 3339 timestamp is expected",
        }
    }
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A set of [`Tolerance`]s.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Tolerances(u32);

impl Tolerances {
    /// The empty set.
    pub const fn new() -> Self {
        Tolerances(0)
    }

    /// Adds `t`.
    pub fn insert(&mut self, t: Tolerance) {
        self.0 |= t.bit();
    }

    /// Adds every tolerance of `other`.
    pub fn insert_all(&mut self, other: Tolerances) {
        self.0 |= other.0;
    }

    /// Whether `t` is in the set.
    pub const fn contains(&self, t: Tolerance) -> bool {
        self.0 & t.bit() != 0
    }

    /// Whether the set is empty (the input was strictly valid).
    pub const fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The tolerances in the set.
    pub fn iter(&self) -> impl Iterator<Item = Tolerance> + '_ {
        Tolerance::ALL.into_iter().filter(|t| self.contains(*t))
    }
}

impl fmt::Debug for Tolerances {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for Tolerances {
    /// The descriptions, separated by `; `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(t.description())?;
        }
        Ok(())
    }
}

/// A value read by a `parse_lenient` function, with what was tolerated to read it.
///
/// ```
/// use ratelimit_headers::{Remaining, Tolerance};
/// let r = Remaining::parse_lenient(b"-1")?;
/// assert_eq!(r.value.get(), 0);
/// assert!(r.tolerances.contains(Tolerance::NegativeClamped));
/// assert!(!r.is_strict());
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lenient<T> {
    /// The value read.
    pub value: T,
    /// What was tolerated; empty when the input was strictly valid.
    pub tolerances: Tolerances,
}

impl<T> Lenient<T> {
    /// Whether nothing was tolerated (the strict parser gives the same value).
    pub const fn is_strict(&self) -> bool {
        self.tolerances.is_empty()
    }

    /// The value, dropping the tolerances.
    pub fn into_value(self) -> T {
        self.value
    }
}
