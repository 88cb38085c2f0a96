//! One response → one [`Feedback`]: which dialect the server spoke, each policy it declared or
//! reported on, and how long it asked the client to wait.
//!
//! A `Feedback` is what the [pacer](crate) consumes. It can be built from response headers
//! (see `Feedback::from_headers`) or by hand, for tests and for servers whose limits are
//! documented rather than sent.

use core::cell::Cell;
use core::fmt;
use core::time::Duration;

use crate::error::{Error, ErrorKind};
use crate::field::date::HttpDate;
use crate::field::limit;
use crate::field::policy::{self, Policy};
use crate::field::ratelimit::{self, ServiceLimit, is_dictionary};
use crate::field::remaining::Remaining;
use crate::field::reset::Reset;
use crate::field::retry_after::{RetryAfter, RetryAfterMs};
use crate::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, GoDuration, Rfc3339, UnixTime,
};
use crate::grammar::Mode;
use crate::lenient::{Lenient, Tolerance, Tolerances};

/// Identifies one policy across responses: a hash of its name and partition key (IETF
/// draft-ietf-08 and later), or of its window (the list form of earlier drafts, where
/// policies have no name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyId(u64);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

const fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    let mut rest = bytes;
    while let [b, tail @ ..] = rest {
        h ^= *b as u64;
        h = h.wrapping_mul(FNV_PRIME);
        rest = tail;
    }
    h
}

impl PolicyId {
    /// The policy the expiring limit or a bare `RateLimit-Remaining` refers to when no window
    /// identifies it.
    pub const ANONYMOUS: PolicyId = PolicyId(FNV_OFFSET);

    /// The id of a named policy: FNV-1a over its name (as sent, escapes kept).
    ///
    /// The partition key is deliberately not part of the id: express-rate-limit (draft-8
    /// mode) sends `pk` on `RateLimit-Policy` but not on `RateLimit`, and a client only ever
    /// sees its own partition, so the name alone links the two fields.
    pub const fn named(name: &[u8]) -> Self {
        let h = fnv1a(FNV_OFFSET, b"n:");
        PolicyId(fnv1a(h, name))
    }

    /// The id of an unnamed policy known by its window (`w60` for `120;w=60`).
    pub const fn window(seconds: u64) -> Self {
        let h = fnv1a(FNV_OFFSET, b"w:");
        PolicyId(fnv1a(h, &seconds.to_le_bytes()))
    }

    /// The raw hash.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The id whose raw hash is `hash` (the inverse of [`get`](Self::get)), for ids stored
    /// or sent elsewhere.
    ///
    /// ```
    /// use ratelimit_headers::PolicyId;
    /// let id = PolicyId::window(60);
    /// assert_eq!(PolicyId::from_raw(id.get()), id);
    /// ```
    pub const fn from_raw(hash: u64) -> Self {
        PolicyId(hash)
    }
}

/// What a policy's quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum QuotaUnit {
    /// Requests (the default of every draft).
    #[default]
    Requests,
    /// Bytes of content (`qu="content-bytes"`).
    ContentBytes,
    /// Requests in flight at once (`qu="concurrent-requests"`).
    ConcurrentRequests,
    /// Tokens (LLM APIs: OpenAI, Anthropic, Groq).
    Tokens,
    /// Any other unit; not enforced locally.
    Other,
}

impl QuotaUnit {
    /// The unit's registered name (`requests`, `content-bytes`, `concurrent-requests`), or
    /// `tokens` / `other`.
    pub const fn as_str(self) -> &'static str {
        match self {
            QuotaUnit::Requests => "requests",
            QuotaUnit::ContentBytes => "content-bytes",
            QuotaUnit::ConcurrentRequests => "concurrent-requests",
            QuotaUnit::Tokens => "tokens",
            QuotaUnit::Other => "other",
        }
    }
}

/// What one response said about one policy: what it declared (quota per window) and what it
/// observed (remaining, reset). Every part is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyFeedback<'a> {
    /// Which policy.
    pub id: PolicyId,
    /// Its name as sent (escapes kept), when the dialect names policies.
    pub name: Option<&'a str>,
    /// Declared quota: units per window.
    pub quota: Option<u64>,
    /// Declared window.
    pub window: Option<Duration>,
    /// What the quota counts.
    pub unit: QuotaUnit,
    /// Units left, as reported. Negative only when a lenient reading kept a server's `-1`
    /// (the pacer reads it as exhausted on a throttle and ignores it otherwise).
    pub remaining: Option<i64>,
    /// Time until the quota resets, from the moment the response was generated.
    pub reset: Option<Duration>,
}

impl<'a> PolicyFeedback<'a> {
    /// Feedback about policy `id` that says nothing yet.
    pub const fn new(id: PolicyId) -> Self {
        PolicyFeedback {
            id,
            name: None,
            quota: None,
            window: None,
            unit: QuotaUnit::Requests,
            remaining: None,
            reset: None,
        }
    }

    /// Declares `quota` units per `window`.
    pub const fn with_quota(mut self, quota: u64, window: Duration) -> Self {
        self.quota = Some(quota);
        self.window = Some(window);
        self
    }

    /// Reports `remaining` units left.
    pub const fn with_remaining(mut self, remaining: i64) -> Self {
        self.remaining = Some(remaining);
        self
    }

    /// Reports a reset `reset` from now.
    pub const fn with_reset(mut self, reset: Duration) -> Self {
        self.reset = Some(reset);
        self
    }

    /// Names the policy.
    pub const fn with_name(mut self, name: &'a str) -> Self {
        self.name = Some(name);
        self
    }

    /// Sets the unit.
    pub const fn with_unit(mut self, unit: QuotaUnit) -> Self {
        self.unit = unit;
        self
    }
}

/// Which header dialect a response used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Dialect {
    /// No rate-limit field was recognised.
    #[default]
    None,
    /// `RateLimit-Limit` / `-Remaining` / `-Reset` (draft-polli-00 to draft-ietf-06).
    IetfFields,
    /// `RateLimit` as a Dictionary (draft-ietf-07).
    IetfDictionary,
    /// `RateLimit` and `RateLimit-Policy` as Lists of named items (draft-ietf-08 and later).
    IetfNamed,
    /// `X-RateLimit-*` (GitHub, express-rate-limit legacy and similar): reset is epoch seconds.
    GitHub,
    /// `x-rate-limit-*` (X/Twitter): reset is epoch seconds.
    Twitter,
    /// Discord's `X-RateLimit-*` with `Reset-After` and `Bucket`.
    Discord,
    /// `x-ratelimit-*-requests|tokens` with Go durations (OpenAI, Groq).
    OpenAi,
    /// `anthropic-ratelimit-*` with RFC 3339 resets.
    Anthropic,
    /// Reddit's `X-Ratelimit-*` (decimal remaining, reset in seconds).
    Reddit,
    /// `X-Shopify-Shop-Api-Call-Limit: used/size`.
    Shopify,
    /// GitLab's `RateLimit-*` with an epoch `RateLimit-Reset` and `RateLimit-Observed`.
    GitLab,
    /// Kong's per-period `X-RateLimit-Remaining-Minute` and similar.
    Kong,
    /// Only `Retry-After` (or `retry-after-ms`).
    RetryAfterOnly,
}

impl Dialect {
    /// A stable lowercase name (`ietf-fields`, `github`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Dialect::None => "none",
            Dialect::IetfFields => "ietf-fields",
            Dialect::IetfDictionary => "ietf-dictionary",
            Dialect::IetfNamed => "ietf-named",
            Dialect::GitHub => "github",
            Dialect::Twitter => "twitter",
            Dialect::Discord => "discord",
            Dialect::OpenAi => "openai",
            Dialect::Anthropic => "anthropic",
            Dialect::Reddit => "reddit",
            Dialect::Shopify => "shopify",
            Dialect::GitLab => "gitlab",
            Dialect::Kong => "kong",
            Dialect::RetryAfterOnly => "retry-after",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A header field that was recognised but not used, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ignored<'a> {
    /// The field name as received.
    pub header: &'a [u8],
    /// Why it was ignored.
    pub error: Error,
}

/// The default number of policies a [`Feedback`] holds.
pub const DEFAULT_FEEDBACK_POLICIES: usize = 8;
/// The default number of ignored fields a [`Feedback`] lists.
pub const DEFAULT_IGNORED: usize = 8;

/// Everything one response said about rate limits, in fixed-size storage.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_headers::feedback::{Feedback, PolicyFeedback, PolicyId};
///
/// let mut fb: Feedback = Feedback::new(Some(429));
/// fb.set_retry_after(Some(Duration::from_secs(20)));
/// fb.push_policy(
///     PolicyFeedback::new(PolicyId::window(1))
///         .with_quota(4, Duration::from_secs(1))
///         .with_remaining(0)
///         .with_reset(Duration::from_secs(1)),
/// )?;
/// assert!(fb.is_throttle());
/// assert_eq!(fb.policies().len(), 1);
/// # Ok::<(), ratelimit_headers::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback<
    'a,
    const P: usize = DEFAULT_FEEDBACK_POLICIES,
    const I: usize = DEFAULT_IGNORED,
> {
    status: Option<u16>,
    dialect: Dialect,
    retry_after: Option<Duration>,
    from_cache: bool,
    policies: heapless::Vec<PolicyFeedback<'a>, P>,
    ignored: heapless::Vec<Ignored<'a>, I>,
    ignored_overflow: u16,
    tolerances: Tolerances,
}

impl<'a, const P: usize, const I: usize> Feedback<'a, P, I> {
    /// Empty feedback for a response with this status (`None` when unknown).
    pub const fn new(status: Option<u16>) -> Self {
        Feedback {
            status,
            dialect: Dialect::None,
            retry_after: None,
            from_cache: false,
            policies: heapless::Vec::new(),
            ignored: heapless::Vec::new(),
            ignored_overflow: 0,
            tolerances: Tolerances::new(),
        }
    }

    /// Empties `self` in place, as [`new`](Self::new) would make it.
    fn clear(&mut self, status: Option<u16>) {
        // Destructured, so that a new field cannot be forgotten here.
        let Feedback {
            status: s,
            dialect,
            retry_after,
            from_cache,
            policies,
            ignored,
            ignored_overflow,
            tolerances,
        } = self;
        *s = status;
        *dialect = Dialect::None;
        *retry_after = None;
        *from_cache = false;
        policies.clear();
        ignored.clear();
        *ignored_overflow = 0;
        *tolerances = Tolerances::new();
    }

    /// Every departure from the strict grammars that reading the headers tolerated.
    pub const fn tolerances(&self) -> Tolerances {
        self.tolerances
    }

    /// The response status, if known.
    pub const fn status(&self) -> Option<u16> {
        self.status
    }

    /// Whether the status is 429 or 503, the throttling statuses.
    pub const fn is_throttle(&self) -> bool {
        matches!(self.status, Some(429 | 503))
    }

    /// The dialect detected.
    pub const fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Sets the dialect.
    pub fn set_dialect(&mut self, dialect: Dialect) {
        self.dialect = dialect;
    }

    /// How long the server asked to wait (Retry-After as a delay).
    pub const fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Sets the Retry-After delay.
    pub fn set_retry_after(&mut self, delay: Option<Duration>) {
        self.retry_after = delay;
    }

    /// Whether the response came from a cache (its fields are stale and must not be applied).
    pub const fn from_cache(&self) -> bool {
        self.from_cache
    }

    /// Marks the response as served from a cache.
    pub fn set_from_cache(&mut self, cached: bool) {
        self.from_cache = cached;
    }

    /// The policies, in the order the response gave them.
    pub fn policies(&self) -> &[PolicyFeedback<'a>] {
        &self.policies
    }

    /// The policies, mutably.
    pub fn policies_mut(&mut self) -> &mut [PolicyFeedback<'a>] {
        &mut self.policies
    }

    /// The policy with this id.
    pub fn policy(&self, id: PolicyId) -> Option<&PolicyFeedback<'a>> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// Adds a policy, or merges it into the one with the same id (fields given here win).
    /// [`ErrorKind::CapacityExceeded`] when `P` distinct policies are already held.
    pub fn push_policy(&mut self, p: PolicyFeedback<'a>) -> Result<(), Error> {
        let (old, new) = self.slot(p.id)?;
        old.name = p.name.or(old.name);
        // A new slot takes all of `p` (its window and unit even without a quota).
        if p.quota.is_some() || new {
            old.quota = p.quota;
            old.window = p.window;
            old.unit = p.unit;
        }
        old.remaining = p.remaining.or(old.remaining);
        old.reset = p.reset.or(old.reset);
        Ok(())
    }

    /// The policy with id `id`, or a new one (`true`) that says nothing yet: where a policy
    /// is merged, field by field (no copy of one on the stack of the caller that builds it).
    #[inline]
    fn slot(&mut self, id: PolicyId) -> Result<(&mut PolicyFeedback<'a>, bool), Error> {
        let full = Error::new(ErrorKind::CapacityExceeded, P);
        let (at, new) = match self.policies.iter().position(|o| o.id == id) {
            Some(at) => (at, false),
            None => {
                self.policies
                    .push(PolicyFeedback::new(id))
                    .map_err(|_| full)?;
                (self.policies.len() - 1, true)
            }
        };
        self.policies.get_mut(at).map(|p| (p, new)).ok_or(full)
    }

    /// The fields that were recognised but ignored, with why.
    pub fn ignored(&self) -> &[Ignored<'a>] {
        &self.ignored
    }

    /// How many ignored fields did not fit in the list (beyond capacity `I`).
    pub const fn ignored_overflow(&self) -> u16 {
        self.ignored_overflow
    }

    /// Records an ignored field.
    #[inline(never)]
    pub fn push_ignored(&mut self, header: &'a [u8], error: Error) {
        if self.ignored.push(Ignored { header, error }).is_err() {
            self.ignored_overflow = self.ignored_overflow.saturating_add(1);
        }
    }

    /// Replaces the set of [`tolerances`](Self::tolerances) (for feedback built by hand or
    /// restored from storage).
    ///
    /// ```
    /// use ratelimit_headers::{Feedback, Tolerance, Tolerances};
    /// let mut t = Tolerances::new();
    /// t.insert(Tolerance::NegativeClamped);
    /// let mut fb: Feedback = Feedback::new(Some(429));
    /// fb.set_tolerances(t);
    /// assert!(fb.tolerances().contains(Tolerance::NegativeClamped));
    /// ```
    pub fn set_tolerances(&mut self, tolerances: Tolerances) {
        self.tolerances = tolerances;
    }
}

/// The fields [`Feedback::from_headers`] knows, by lowercase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Field {
    RateLimit,
    RateLimitPolicy,
    Limit,
    Remaining,
    Reset,
    RetryAfter,
    RetryAfterMs,
    Date,
    Age,
    GitLabObserved,
    XLimit,
    XRemaining,
    XReset,
    XUsed,
    XResource,
    XResetAfter,
    XBucket,
    TwLimit,
    TwRemaining,
    TwReset,
    OaLimitRequests,
    OaLimitTokens,
    OaRemainingRequests,
    OaRemainingTokens,
    OaResetRequests,
    OaResetTokens,
    Shopify,
    AnthropicRequestsLimit,
    AnthropicRequestsRemaining,
    AnthropicRequestsReset,
    AnthropicTokensLimit,
    AnthropicTokensRemaining,
    AnthropicTokensReset,
    AnthropicInputTokensLimit,
    AnthropicInputTokensRemaining,
    AnthropicInputTokensReset,
    AnthropicOutputTokensLimit,
    AnthropicOutputTokensRemaining,
    AnthropicOutputTokensReset,
    KongLimitSecond,
    KongRemainingSecond,
    KongLimitMinute,
    KongRemainingMinute,
    KongLimitHour,
    KongRemainingHour,
    KongLimitDay,
    KongRemainingDay,
    KongLimitMonth,
    KongRemainingMonth,
    KongLimitYear,
    KongRemainingYear,
}

const FIELD_COUNT: usize = 51;

/// Every field's lowercase name, in [`Field`] order (only read at compile time, into
/// [`BY_LENGTH`], [`PACKED`], [`FIRST`] and [`OFFSET`]).
const NAMES: [(&[u8], Field); FIELD_COUNT] = [
    (b"ratelimit", Field::RateLimit),
    (b"ratelimit-policy", Field::RateLimitPolicy),
    (b"ratelimit-limit", Field::Limit),
    (b"ratelimit-remaining", Field::Remaining),
    (b"ratelimit-reset", Field::Reset),
    (b"retry-after", Field::RetryAfter),
    (b"retry-after-ms", Field::RetryAfterMs),
    (b"date", Field::Date),
    (b"age", Field::Age),
    (b"ratelimit-observed", Field::GitLabObserved),
    (b"x-ratelimit-limit", Field::XLimit),
    (b"x-ratelimit-remaining", Field::XRemaining),
    (b"x-ratelimit-reset", Field::XReset),
    (b"x-ratelimit-used", Field::XUsed),
    (b"x-ratelimit-resource", Field::XResource),
    (b"x-ratelimit-reset-after", Field::XResetAfter),
    (b"x-ratelimit-bucket", Field::XBucket),
    (b"x-rate-limit-limit", Field::TwLimit),
    (b"x-rate-limit-remaining", Field::TwRemaining),
    (b"x-rate-limit-reset", Field::TwReset),
    (b"x-ratelimit-limit-requests", Field::OaLimitRequests),
    (b"x-ratelimit-limit-tokens", Field::OaLimitTokens),
    (
        b"x-ratelimit-remaining-requests",
        Field::OaRemainingRequests,
    ),
    (b"x-ratelimit-remaining-tokens", Field::OaRemainingTokens),
    (b"x-ratelimit-reset-requests", Field::OaResetRequests),
    (b"x-ratelimit-reset-tokens", Field::OaResetTokens),
    (b"x-shopify-shop-api-call-limit", Field::Shopify),
    (
        b"anthropic-ratelimit-requests-limit",
        Field::AnthropicRequestsLimit,
    ),
    (
        b"anthropic-ratelimit-requests-remaining",
        Field::AnthropicRequestsRemaining,
    ),
    (
        b"anthropic-ratelimit-requests-reset",
        Field::AnthropicRequestsReset,
    ),
    (
        b"anthropic-ratelimit-tokens-limit",
        Field::AnthropicTokensLimit,
    ),
    (
        b"anthropic-ratelimit-tokens-remaining",
        Field::AnthropicTokensRemaining,
    ),
    (
        b"anthropic-ratelimit-tokens-reset",
        Field::AnthropicTokensReset,
    ),
    (
        b"anthropic-ratelimit-input-tokens-limit",
        Field::AnthropicInputTokensLimit,
    ),
    (
        b"anthropic-ratelimit-input-tokens-remaining",
        Field::AnthropicInputTokensRemaining,
    ),
    (
        b"anthropic-ratelimit-input-tokens-reset",
        Field::AnthropicInputTokensReset,
    ),
    (
        b"anthropic-ratelimit-output-tokens-limit",
        Field::AnthropicOutputTokensLimit,
    ),
    (
        b"anthropic-ratelimit-output-tokens-remaining",
        Field::AnthropicOutputTokensRemaining,
    ),
    (
        b"anthropic-ratelimit-output-tokens-reset",
        Field::AnthropicOutputTokensReset,
    ),
    (b"x-ratelimit-limit-second", Field::KongLimitSecond),
    (b"x-ratelimit-remaining-second", Field::KongRemainingSecond),
    (b"x-ratelimit-limit-minute", Field::KongLimitMinute),
    (b"x-ratelimit-remaining-minute", Field::KongRemainingMinute),
    (b"x-ratelimit-limit-hour", Field::KongLimitHour),
    (b"x-ratelimit-remaining-hour", Field::KongRemainingHour),
    (b"x-ratelimit-limit-day", Field::KongLimitDay),
    (b"x-ratelimit-remaining-day", Field::KongRemainingDay),
    (b"x-ratelimit-limit-month", Field::KongLimitMonth),
    (b"x-ratelimit-remaining-month", Field::KongRemainingMonth),
    (b"x-ratelimit-limit-year", Field::KongLimitYear),
    (b"x-ratelimit-remaining-year", Field::KongRemainingYear),
];

/// The length of the longest name.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
const LONGEST: usize = {
    let (mut n, mut i) = (0, 0);
    while i < FIELD_COUNT {
        if NAMES[i].0.len() > n {
            n = NAMES[i].0.len();
        }
        i += 1;
    }
    n
};

/// The length of all the names.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
const PACKED_LEN: usize = {
    let (mut n, mut i) = (0, 0);
    while i < FIELD_COUNT {
        n += NAMES[i].0.len();
        i += 1;
    }
    n
};

/// The fields by the length of their names (shortest first; in [`Field`] order within a
/// length), as discriminants.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
static BY_LENGTH: [u8; FIELD_COUNT] = {
    let mut out = [0; FIELD_COUNT];
    let (mut len, mut at) = (0, 0);
    while len <= LONGEST {
        let mut i = 0;
        while i < FIELD_COUNT {
            // The index of a name is its field's discriminant.
            assert!(NAMES[i].1 as usize == i);
            if NAMES[i].0.len() == len {
                out[at] = i as u8;
                at += 1;
            }
            i += 1;
        }
        len += 1;
    }
    out
};

/// The names in [`BY_LENGTH`] order, end to end: with [`FIRST`], a few bytes of table per
/// name, where a slice takes eight.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
static PACKED: [u8; PACKED_LEN] = {
    let mut out = [0; PACKED_LEN];
    let (mut k, mut at) = (0, 0);
    while k < FIELD_COUNT {
        let name = NAMES[BY_LENGTH[k] as usize].0;
        let mut b = 0;
        while b < name.len() {
            out[at] = name[b];
            at += 1;
            b += 1;
        }
        k += 1;
    }
    out
};

/// For each length `n`, how many names are shorter: the names of length `n` are
/// `BY_LENGTH[FIRST[n]..FIRST[n + 1]]`.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
static FIRST: [u8; LONGEST + 2] = {
    let mut out = [0; LONGEST + 2];
    let mut len = 0;
    while len < LONGEST + 2 {
        let (mut n, mut i) = (0, 0);
        while i < FIELD_COUNT {
            if NAMES[i].0.len() < len {
                n += 1;
            }
            i += 1;
        }
        out[len] = n;
        len += 1;
    }
    out
};

/// For each length `n`, where in [`PACKED`] the names of length `n` start.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
static OFFSET: [u16; LONGEST + 1] = {
    let mut out = [0; LONGEST + 1];
    let mut len = 0;
    while len <= LONGEST {
        let (mut n, mut i) = (0, 0);
        while i < FIELD_COUNT {
            if NAMES[i].0.len() < len {
                n += NAMES[i].0.len();
            }
            i += 1;
        }
        out[len] = n as u16;
        len += 1;
    }
    out
};

/// The field (as its discriminant) a header name is, compared case-insensitively.
fn classify(name: &[u8]) -> Option<u8> {
    // Every known name starts with one of these letters; most headers are rejected here.
    if !matches!(
        name.first().map(u8::to_ascii_lowercase),
        Some(b'r' | b'd' | b'a' | b'x')
    ) {
        return None;
    }
    // Tables and a loop over the names of the same length rather than a `match`: the match
    // compiles to one comparison chain per name, several kilobytes of code.
    let len = name.len();
    let (Some(&from), Some(&to), Some(&offset)) =
        (FIRST.get(len), FIRST.get(len + 1), OFFSET.get(len))
    else {
        return None;
    };
    let mut start = usize::from(offset);
    for field in BY_LENGTH.get(usize::from(from)..usize::from(to))? {
        if PACKED
            .get(start..start + len)
            .is_some_and(|n| is_name(n, name))
        {
            return Some(*field);
        }
        start += len;
    }
    None
}

/// How many of [`NAMES`] come before the vendor fields: those read whatever the dialects.
const CORE: usize = Field::GitLabObserved as usize + 1;

/// The names of the fields before the vendor ones (`NAMES[..CORE]`, checked at compile time),
/// for a reader without the vendor dialects.
const CORE_NAMES: [&[u8]; CORE] = [
    b"ratelimit",
    b"ratelimit-policy",
    b"ratelimit-limit",
    b"ratelimit-remaining",
    b"ratelimit-reset",
    b"retry-after",
    b"retry-after-ms",
    b"date",
    b"age",
    b"ratelimit-observed",
];

#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
const _: () = {
    let mut i = 0;
    while i < CORE {
        let (a, b) = (CORE_NAMES[i], NAMES[i].0);
        assert!(a.len() == b.len());
        let mut k = 0;
        while k < a.len() {
            assert!(a[k] == b[k]);
            k += 1;
        }
        i += 1;
    }
    // Every vendor field comes after them.
    assert!(Field::XLimit as usize == CORE);
};

/// [`classify`] among the first [`CORE`] fields only: a scan of ten names.
fn classify_core(name: &[u8]) -> Option<u8> {
    let at = CORE_NAMES.iter().position(|n| is_name(n, name))?;
    u8::try_from(at).ok()
}

/// Whether header `name` is `known` (lowercase), ignoring ASCII case.
#[inline]
fn is_name(known: &[u8], name: &[u8]) -> bool {
    known.len() == name.len()
        && known
            .iter()
            .zip(name)
            .all(|(k, b)| *k == b.to_ascii_lowercase())
}

/// The Anthropic quota kinds, with their fields (limit, remaining, reset).
const ANTHROPIC: [(&str, QuotaUnit, Field, Field, Field); 4] = [
    (
        "requests",
        QuotaUnit::Requests,
        Field::AnthropicRequestsLimit,
        Field::AnthropicRequestsRemaining,
        Field::AnthropicRequestsReset,
    ),
    (
        "tokens",
        QuotaUnit::Tokens,
        Field::AnthropicTokensLimit,
        Field::AnthropicTokensRemaining,
        Field::AnthropicTokensReset,
    ),
    (
        "input-tokens",
        QuotaUnit::Tokens,
        Field::AnthropicInputTokensLimit,
        Field::AnthropicInputTokensRemaining,
        Field::AnthropicInputTokensReset,
    ),
    (
        "output-tokens",
        QuotaUnit::Tokens,
        Field::AnthropicOutputTokensLimit,
        Field::AnthropicOutputTokensRemaining,
        Field::AnthropicOutputTokensReset,
    ),
];

/// Kong's per-period fields: (period, limit, remaining).
const KONG: [(crate::field::vendor::KongPeriod, Field, Field); 6] = [
    (
        crate::field::vendor::KongPeriod::Second,
        Field::KongLimitSecond,
        Field::KongRemainingSecond,
    ),
    (
        crate::field::vendor::KongPeriod::Minute,
        Field::KongLimitMinute,
        Field::KongRemainingMinute,
    ),
    (
        crate::field::vendor::KongPeriod::Hour,
        Field::KongLimitHour,
        Field::KongRemainingHour,
    ),
    (
        crate::field::vendor::KongPeriod::Day,
        Field::KongLimitDay,
        Field::KongRemainingDay,
    ),
    (
        crate::field::vendor::KongPeriod::Month,
        Field::KongLimitMonth,
        Field::KongRemainingMonth,
    ),
    (
        crate::field::vendor::KongPeriod::Year,
        Field::KongLimitYear,
        Field::KongRemainingYear,
    ),
];

/// Where a field's lines are: how many (0, 1, or 2 for more than one), the first (name and
/// value).
#[derive(Clone, Copy, Default)]
struct Lines<'a> {
    count: u8,
    name: &'a [u8],
    value: &'a [u8],
}

/// Sets of dialects for [`Feedback::read_headers_of`]: bit masks, combined with `|`.
pub mod dialects {
    /// `RateLimit-Limit`, `-Remaining` and `-Reset` (draft-polli-00 to draft-ietf-06, and
    /// GitLab's epoch reset). `RateLimit-Policy` beside them is read only with
    /// [`IETF_STRUCTURED`].
    pub const IETF_FIELDS: u8 = 1;
    /// `RateLimit-Policy` and `RateLimit`, as dictionary (draft-ietf-07) and named lists
    /// (draft-ietf-08 and later).
    pub const IETF_STRUCTURED: u8 = 1 << 1;
    /// The `X-RateLimit-*` family and the other vendor fields: GitHub, Twitter, Discord,
    /// OpenAI, Anthropic, Kong, Envoy, Reddit, Shopify.
    pub const VENDOR: u8 = 1 << 2;
    /// Every IETF generation.
    pub const IETF: u8 = IETF_FIELDS | IETF_STRUCTURED;
    /// Every dialect: what [`Feedback::read_headers`](super::Feedback::read_headers) and
    /// [`Feedback::from_headers`](super::Feedback::from_headers) read.
    pub const ALL: u8 = IETF | VENDOR;
}

/// A `RateLimit-Reset` of at least this many seconds (31.7 years) is read as an epoch time,
/// as GitLab sends it.
pub const EPOCH_THRESHOLD: u64 = 1_000_000_000;

impl<'a, const P: usize, const I: usize> Feedback<'a, P, I> {
    /// Reads one response: its status and its header fields as `(name, value)` pairs (names
    /// compared case-insensitively; repeated field lines combined as RFC 9110 §5.3 says).
    ///
    /// Fields are read leniently, and every [`Tolerance`] used is reported in
    /// [`tolerances`](Self::tolerances); a field that cannot be read at all is listed in
    /// [`ignored`](Self::ignored) with its error. Absolute times (epoch resets, HTTP-dates) are
    /// turned into delays with the response's own `Date` header, so the client's clock never
    /// enters; without `Date` they are ignored (see [`from_headers_at`](Self::from_headers_at)).
    ///
    /// ```
    /// use core::time::Duration;
    /// use ratelimit_headers::{Dialect, Feedback, PolicyId};
    ///
    /// let headers: [(&[u8], &[u8]); 3] = [
    ///     (b"RateLimit-Limit", b"4, 120;w=60, 4;w=1"),
    ///     (b"RateLimit-Remaining", b"-1"),
    ///     (b"RateLimit-Reset", b"1"),
    /// ];
    /// let fb: Feedback = Feedback::from_headers(Some(429), headers);
    /// assert_eq!(fb.dialect(), Dialect::IetfFields);
    /// let per_second = fb.policy(PolicyId::window(1)).unwrap();
    /// assert_eq!(per_second.quota, Some(4));
    /// assert_eq!(per_second.remaining, Some(-1)); // over quota, as the server said
    /// assert_eq!(per_second.reset, Some(Duration::from_secs(1)));
    /// ```
    pub fn from_headers<H>(status: Option<u16>, headers: H) -> Self
    where
        H: IntoIterator<Item = (&'a [u8], &'a [u8])>,
        H::IntoIter: Clone,
    {
        Self::from_headers_at(status, headers, None)
    }

    /// [`from_headers`](Self::from_headers) with the caller's wall-clock time (Unix seconds),
    /// used for absolute times only when the response has no `Date` header.
    pub fn from_headers_at<H>(status: Option<u16>, headers: H, now_unix: Option<i64>) -> Self
    where
        H: IntoIterator<Item = (&'a [u8], &'a [u8])>,
        H::IntoIter: Clone,
    {
        let mut fb = Feedback::new(status);
        fb.read_headers(status, headers, now_unix);
        fb
    }

    /// [`from_headers_at`](Self::from_headers_at) into `self`, replacing all it held: for a
    /// `Feedback` kept in a long-lived place (a static, a connection's state). The value is
    /// built where it is, never on the stack on the way out: on a small target this call
    /// needs little more than half the stack of `from_headers` (see the footprint table in
    /// the README).
    ///
    /// ```
    /// use ratelimit_headers::{Dialect, Feedback};
    ///
    /// let mut fb: Feedback = Feedback::new(None);
    /// fb.read_headers(Some(200), [(&b"RateLimit-Remaining"[..], &b"7"[..])], None);
    /// assert_eq!(fb.dialect(), Dialect::IetfFields);
    /// assert_eq!(fb.policies()[0].remaining, Some(7));
    /// fb.read_headers(Some(429), [(&b"Retry-After"[..], &b"2"[..])], None);
    /// assert_eq!(fb.dialect(), Dialect::RetryAfterOnly);
    /// assert!(fb.policies().is_empty());
    /// ```
    pub fn read_headers<H>(&mut self, status: Option<u16>, headers: H, now_unix: Option<i64>)
    where
        H: IntoIterator<Item = (&'a [u8], &'a [u8])>,
        H::IntoIter: Clone,
    {
        self.read_headers_of::<{ dialects::ALL }, H>(status, headers, now_unix);
    }

    /// [`read_headers`](Self::read_headers) for the dialects in the set `D` only (a union of
    /// the [`dialects`] constants): fields of the other dialects are not read, as if absent,
    /// and their parsers are not linked into the program. For firmware that talks to one
    /// known server and counts its flash; `Retry-After`, `Retry-After-Ms`, `Date` and `Age`
    /// are read whatever `D` is.
    ///
    /// ```
    /// use ratelimit_headers::feedback::dialects;
    /// use ratelimit_headers::{Dialect, Feedback};
    ///
    /// let headers: [(&[u8], &[u8]); 3] = [
    ///     (b"RateLimit-Limit", b"120, 120;w=60, 4;w=1"),
    ///     (b"RateLimit-Remaining", b"118"),
    ///     (b"X-RateLimit-Remaining", b"7"),
    /// ];
    /// let mut fb: Feedback = Feedback::new(None);
    /// fb.read_headers_of::<{ dialects::IETF_FIELDS }, _>(Some(200), headers, None);
    /// assert_eq!(fb.dialect(), Dialect::IetfFields);
    /// assert_eq!(fb.policies().len(), 2);
    ///
    /// // Only the vendor dialects: the IETF fields are not read.
    /// fb.read_headers_of::<{ dialects::VENDOR }, _>(Some(200), headers, None);
    /// assert_eq!(fb.dialect(), Dialect::GitHub);
    /// assert_eq!(fb.policies()[0].remaining, Some(7));
    /// ```
    pub fn read_headers_of<const D: u8, H>(
        &mut self,
        status: Option<u16>,
        headers: H,
        now_unix: Option<i64>,
    ) where
        H: IntoIterator<Item = (&'a [u8], &'a [u8])>,
        H::IntoIter: Clone,
    {
        let mut reader = Reader::<'a, H::IntoIter, D> {
            all: headers.into_iter(),
            present: FieldSet::EMPTY,
            repeated: FieldSet::EMPTY,
            borrowed: core::marker::PhantomData,
            kinds: [NOT_OURS; KINDS_CACHED],
            now_unix,
            date: None,
            failed: Default::default(),
            read_again: Cell::new(false),
        };
        reader.scan();
        // A field read through `apply_lines` that fails is taken back whole: the response is
        // read again with that field skipped (rare, and cheaper on the stack than a copy of
        // the policies to restore).
        loop {
            reader.read::<P, I>(status, self);
            if !reader.read_again.replace(false) {
                return;
            }
        }
    }

    fn push_or_ignore(&mut self, header: &'a [u8], p: PolicyFeedback<'a>) {
        if let Err(e) = self.push_policy(p) {
            self.push_ignored(header, e);
        }
    }

    /// Adds what a `RateLimit` item reports (out of line, as [`declare`](Self::declare)).
    #[inline(never)]
    fn report(&mut self, header: &'a [u8], item: &ServiceLimit<'a>) {
        let name = item.name().raw();
        let mut p = PolicyFeedback::new(PolicyId::named(name.as_bytes())).with_name(name);
        p.remaining = item
            .remaining()
            .map(|r| if item.is_over_quota() { -1 } else { to_i64(r) });
        p.reset = item.reset().map(Duration::from_secs);
        self.push_or_ignore(header, p);
    }

    /// Adds the declaration `p` makes (out of line: the parsers that call it keep a small
    /// frame; the declaration is written field by field into its slot, as
    /// [`push_policy`](Self::push_policy) would merge it).
    #[inline(never)]
    fn declare(&mut self, header: &'a [u8], p: &Policy<'a>) {
        let (name, unit) = declared(p);
        self.declare_as(header, name, unit, p.quota(), p.window());
    }

    /// [`declare`](Self::declare) from the parts of the declaration: the policy named `name`,
    /// or else the one of window `window`. What a `RateLimit-Limit` policy declares (no
    /// name, in requests) is added with no `Policy` built.
    #[inline(never)]
    fn declare_as(
        &mut self,
        header: &'a [u8],
        name: Option<&'a str>,
        unit: QuotaUnit,
        quota: u64,
        window: Option<u64>,
    ) {
        let id = match name {
            Some(n) => PolicyId::named(n.as_bytes()),
            None => PolicyId::window(window.unwrap_or(0)),
        };
        match self.slot(id) {
            Ok((old, _)) => {
                // A declaration has a quota and no state: what it leaves is the slot's.
                old.name = name.or(old.name);
                old.quota = Some(quota);
                old.window = window.map(Duration::from_secs);
                old.unit = unit;
            }
            Err(e) => self.push_ignored(header, e),
        }
    }
}

/// The headers of one response, and what has been read of them.
struct Reader<'a, H, const D: u8> {
    all: H,
    /// The fields the response has.
    present: FieldSet,
    /// The fields it has more than one line of.
    repeated: FieldSet,
    /// The header bytes borrowed by `all`.
    borrowed: core::marker::PhantomData<&'a [u8]>,
    /// The field of each of the first [`KINDS_CACHED`] headers (as [`cached`]; `NOT_OURS` for
    /// others), so that a field's lines are found again without comparing names.
    kinds: [u8; KINDS_CACHED],
    now_unix: Option<i64>,
    date: Option<HttpDate>,
    /// The error of each field read by `apply_lines` (by `Field` index: `RateLimit`,
    /// `RateLimitPolicy`, `Limit`) that failed in an earlier reading: it is skipped.
    failed: [Cell<Option<Error>>; APPLIED],
    /// Set when a field failed for the first time: the response must be read again.
    read_again: Cell<bool>,
}

/// How many fields `apply_lines` reads (the first three of [`Field`]).
const APPLIED: usize = 3;
const _: () = assert!(
    Field::RateLimit as usize == 0
        && Field::RateLimitPolicy as usize == 1
        && Field::Limit as usize == APPLIED - 1
);

/// A set of fields (bit `f` for field `f`).
type FieldSet = crate::grammar::BitSet<2>;
const _: () = assert!(FIELD_COUNT <= 64);

/// The limit and remaining fields of every Kong period.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
const KONG_FIELDS: FieldSet = {
    let mut set = FieldSet::EMPTY;
    let mut i = 0;
    while i < KONG.len() {
        let (_, limit, remaining) = KONG[i];
        set = set.with(limit as usize).with(remaining as usize);
        i += 1;
    }
    set
};

/// How many headers' classifications are remembered; later ones are classified again.
const KINDS_CACHED: usize = 48;
/// A header that is none of [`Field`] (zero, so that the cache starts as zeroed memory, with
/// no `memset` of another byte linked for it).
const NOT_OURS: u8 = 0;

/// How [`Reader::kinds`] holds field `f` (its discriminant, below 64): one more, clear of
/// [`NOT_OURS`].
const fn cached(f: u8) -> u8 {
    // proven: `f` is a `Field` discriminant, below 64 (the field sets are 64-bit), so the sum
    // is at most 64.
    f + 1
}

impl<'a, H: Iterator<Item = (&'a [u8], &'a [u8])> + Clone, const D: u8> Reader<'a, H, D> {
    /// The field (as its discriminant) a header name is among those `D` reads: without the
    /// vendor dialects, only the first [`CORE`] names are looked up (and the vendor names
    /// are not linked).
    fn classify(name: &[u8]) -> Option<u8> {
        if D & dialects::VENDOR == 0 {
            classify_core(name)
        } else {
            classify(name)
        }
    }

    /// Finds the lines of each field.
    fn scan(&mut self) {
        for (i, (name, _)) in self.all.clone().enumerate() {
            let kind = Self::classify(name);
            if let Some(slot) = self.kinds.get_mut(i) {
                *slot = kind.map_or(NOT_OURS, cached);
            }
            if let Some(f) = kind {
                if self.present.contains(f) {
                    self.repeated.insert(f);
                }
                self.present.insert(f);
            }
        }
    }

    /// Reads the whole response into `fb`, from scratch.
    #[inline]
    fn read<const P: usize, const I: usize>(
        &mut self,
        status: Option<u16>,
        fb: &mut Feedback<'a, P, I>,
    ) {
        fb.clear(status);
        self.date = self.item(fb, Field::Date, HttpDate::parse);
        if let Some(age) = self.item(fb, Field::Age, |v| {
            crate::grammar::digits(v)
                .map(|(_, (n, _))| n)
                .map_err(|_| Error::new(ErrorKind::ExpectedDigit, 0))
        }) {
            fb.from_cache = age > 0;
        }
        self.retry_after(fb);
        // Each `D & ...` is a constant: a dialect left out is not compiled in.
        if D & dialects::VENDOR != 0 {
            // Kong's per-period headers declare policies whatever else the response carries.
            self.kong(fb);
        }
        if D & dialects::IETF_STRUCTURED != 0 && self.has(Field::RateLimit) {
            self.ratelimit(fb);
        } else if D & dialects::IETF_FIELDS != 0
            && (self.has(Field::Limit) || self.has(Field::Remaining) || self.has(Field::Reset))
        {
            self.fields::<P, I>(fb);
        } else if D & dialects::VENDOR != 0 {
            self.vendor(fb);
        }
        if fb.dialect == Dialect::None && fb.retry_after.is_some() {
            fb.dialect = Dialect::RetryAfterOnly;
        }
    }

    #[inline(never)]
    fn lines(&self, f: Field) -> Lines<'a> {
        let count = match (
            self.present.contains(f as u8),
            self.repeated.contains(f as u8),
        ) {
            (false, _) => return Lines::default(),
            (true, false) => 1,
            (true, true) => 2,
        };
        // The first line: found among the cached kinds, else classified again (a response of
        // more than `KINDS_CACHED` headers).
        let first = match self.kinds.iter().position(|k| *k == cached(f as u8)) {
            Some(at) => self.all.clone().nth(at),
            None => self
                .all
                .clone()
                .skip(KINDS_CACHED)
                .find(|(n, _)| Self::classify(n) == Some(f as u8)),
        };
        match first {
            Some((name, value)) => Lines { count, name, value },
            None => Lines::default(),
        }
    }

    fn has(&self, f: Field) -> bool {
        self.present.contains(f as u8)
    }

    /// The name of the first of `fields` the response has (for an ignored-field entry about
    /// a policy several fields describe; empty only when none is present).
    fn name_of(&self, fields: &[Field]) -> &'a [u8] {
        fields
            .iter()
            .map(|f| self.lines(*f))
            .find(|l| l.count > 0)
            .map_or(&[], |l| l.name)
    }

    /// Every line of `f`, in order.
    fn each(&self, f: Field) -> impl Iterator<Item = &'a [u8]> + use<'a, '_, H, D> {
        let l = self.lines(f);
        let kinds = &self.kinds;
        // One line (the usual case): no need to walk the headers again.
        let single = (l.count == 1).then_some(l.value);
        let many = self
            .all
            .clone()
            .take(if l.count > 1 { usize::MAX } else { 0 })
            .enumerate()
            .filter(move |(i, (n, _))| match kinds.get(*i) {
                Some(k) => *k == cached(f as u8),
                None => Self::classify(n) == Some(f as u8),
            })
            .map(|(_, (_, v))| v);
        single.into_iter().chain(many)
    }

    /// Applies every line of `f` with `apply(line, is_first, fb, tol)`. A field is one value:
    /// if any line fails, the field is listed as ignored and nothing it added is kept (RFC
    /// 9651 §4.2: a parse failure discards the whole field); the response is then read
    /// again, skipping it.
    fn apply_lines<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
        mut apply: impl FnMut(
            &'a [u8],
            bool,
            &mut Feedback<'a, P, I>,
            &mut Tolerances,
        ) -> Result<(), Error>,
    ) {
        if !self.has(f) {
            return;
        }
        let failed = self.failed.get(f as usize);
        if let Some(e) = failed.and_then(Cell::get) {
            fb.push_ignored(self.lines(f).name, e);
            return;
        }
        let mut tol = Tolerances::new();
        let mut lines = self.each(f);
        let mut first = true;
        // Several fields are read by lines only with the structured dialects: then the
        // iterator is shared, out of line.
        while let Some(line) = if D & dialects::IETF_STRUCTURED != 0 {
            next_of(&mut lines)
        } else {
            lines.next()
        } {
            if let Err(e) = apply(line, core::mem::replace(&mut first, false), fb, &mut tol) {
                match failed {
                    Some(slot) => {
                        // What the field added is in `fb`: read everything again without it.
                        slot.set(Some(e));
                        self.read_again.set(true);
                    }
                    None => fb.push_ignored(self.lines(f).name, e),
                }
                return;
            }
        }
        fb.tolerances.insert_all(tol);
    }

    /// The value of a field that occurs once, read by `parse`; errors are recorded.
    fn item<T, const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
        parse: impl FnOnce(&'a [u8]) -> Result<T, Error>,
    ) -> Option<T> {
        // Most fields are absent: no call for them.
        if !self.has(f) {
            return None;
        }
        let l = self.single(fb, f)?;
        match parse(l.value) {
            Ok(v) => Some(v),
            Err(e) => {
                fb.push_ignored(l.name, e);
                None
            }
        }
    }

    /// The line of a field that occurs once (the part of [`item`](Self::item) that does not
    /// depend on the parser: one copy for all of them); a repeated field is recorded.
    #[inline(never)]
    fn single<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
    ) -> Option<Lines<'a>> {
        let l = self.lines(f);
        if l.count == 0 {
            return None;
        }
        if l.count > 1 {
            // Combined with `, `, the value is no longer one Item.
            fb.push_ignored(l.name, Error::new(ErrorKind::Repeated, l.value.len()));
            return None;
        }
        Some(l)
    }

    /// Like [`item`](Self::item) for a lenient parser: tolerances are recorded.
    fn lenient<T, const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
        parse: impl FnOnce(&'a [u8]) -> Result<Lenient<T>, Error>,
    ) -> Option<Lenient<T>> {
        let v = self.item(fb, f, parse)?;
        fb.tolerances.insert_all(v.tolerances);
        Some(v)
    }

    #[inline(never)]
    fn retry_after<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        // `retry-after-ms` first (millisecond precision), as the OpenAI and Anthropic SDKs do.
        if let Some(ms) = self.item(fb, Field::RetryAfterMs, RetryAfterMs::parse) {
            fb.retry_after = Some(ms.get());
            return;
        }
        let Some(ra) = self.lenient(fb, Field::RetryAfter, RetryAfter::parse_lenient) else {
            return;
        };
        // As `RetryAfter::delay` with the response's `Date` and the caller's clock.
        fb.retry_after = match ra.value {
            RetryAfter::Delay(d) => Some(d),
            RetryAfter::At(at) => self.delay_until(fb, Field::RetryAfter, at.unix_seconds()),
        };
    }

    /// `RateLimit` (and `RateLimit-Policy`): the named lists of draft-ietf-08+, or the
    /// draft-ietf-07 dictionary.
    #[inline]
    fn ratelimit<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        let first = self.lines(Field::RateLimit);
        if is_dictionary(crate::grammar::trim_ows(first.value).0) {
            self.dictionary(fb);
            return;
        }
        fb.dialect = Dialect::IetfNamed;
        self.policy_declarations(fb);
        self.ratelimit_list(fb, first.name);
    }

    /// The items of the `RateLimit` list (after the declarations of `RateLimit-Policy`).
    #[inline(never)]
    fn ratelimit_list<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        header: &'a [u8],
    ) {
        self.apply_lines(fb, Field::RateLimit, |line, _, fb, tol| {
            ratelimit::visit_list(line, Mode::Lenient, tol, |item, _| {
                fb.report(header, &item);
                Ok(())
            })
        });
    }

    /// The draft-ietf-07 dictionary: handled like the three separate fields.
    #[inline]
    fn dictionary<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        fb.dialect = Dialect::IetfDictionary;
        self.policy_declarations(fb);
        self.dictionary_state(fb);
    }

    /// The dictionary's state, attached as [`fields_state`](Self::fields_state) does (out of
    /// line for the same reason).
    #[inline(never)]
    fn dictionary_state<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        // `ratelimit` found the first line to be a dictionary.
        let Some(l) = self.lenient(fb, Field::RateLimit, |v| {
            let mut tolerances = Tolerances::new();
            ratelimit::read_dictionary(v, Mode::Lenient, &mut tolerances)
                .map(|value| Lenient { value, tolerances })
        }) else {
            return;
        };
        let d = l.value;
        let over = l.tolerances.contains(Tolerance::NegativeClamped);
        let remaining = d.remaining().map(|r| if over { -1 } else { to_i64(r) });
        let name = self.lines(Field::RateLimit).name;
        attach(
            fb,
            name,
            Some(d.limit()),
            remaining,
            Some(Duration::from_secs(d.reset())),
        );
    }

    /// `RateLimit-Policy` as declarations (both forms), when every line parses.
    #[inline(never)]
    fn policy_declarations<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        let header = self.lines(Field::RateLimitPolicy).name;
        self.apply_lines(fb, Field::RateLimitPolicy, |line, _, fb, tol| {
            declare_policies(line, tol, fb, header)
        });
    }

    /// `RateLimit-Limit`: declares its policies; returns the expiring limit when the field
    /// was read.
    #[inline(never)]
    fn limit_declarations<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
    ) -> Option<u64> {
        let limit_lines = self.lines(Field::Limit);
        let mut expiring = None;
        // The first line is a whole Limit; later lines (the field combined) add policies:
        // every member of theirs is a quota policy, as in the combined List.
        self.apply_lines(fb, Field::Limit, |line, first, fb, tol| {
            let e = declare_limit(line, tol, !first, Some((fb, limit_lines.name)))?;
            if first {
                expiring = Some(e);
            }
            Ok(())
        });
        if fb
            .ignored
            .iter()
            .any(|i| core::ptr::eq(i.header, limit_lines.name))
        {
            expiring = None;
        }
        expiring
    }

    /// `RateLimit-Limit`, `-Remaining`, `-Reset` (draft-polli-00 to draft-ietf-06, and
    /// GitLab's variant with an epoch reset).
    #[inline]
    fn fields<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        if fb.dialect != Dialect::Kong {
            fb.dialect = Dialect::IetfFields;
        }
        let expiring = self.limit_declarations(fb);
        if D & dialects::IETF_STRUCTURED != 0 {
            // `RateLimit-Policy` beside the fields (draft-ietf-03 to -07).
            self.policy_declarations(fb);
        }
        self.fields_state(fb, expiring);
    }

    /// The state half of [`fields`](Self::fields): `Remaining` and `Reset`, attached to the
    /// policy whose quota is `expiring`. Out of line, so that its values are not in the frame
    /// under the declarations' parsers.
    #[inline(never)]
    fn fields_state<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        expiring: Option<u64>,
    ) {
        let limit_name = self.lines(Field::Limit).name;
        let remaining = self
            .lenient(fb, Field::Remaining, Remaining::parse_lenient)
            .map(|r| {
                if r.tolerances.contains(Tolerance::NegativeClamped) {
                    -1
                } else {
                    to_i64(r.value.get())
                }
            });
        let gitlab = self.has(Field::GitLabObserved);
        // A delay, or (`Err`) an absolute time to turn into one.
        let reset = match self
            .lenient(fb, Field::Reset, Reset::parse_lenient)
            .map(|r| r.value)
        {
            Some(Reset::Seconds(s)) if s >= EPOCH_THRESHOLD || gitlab && s > 0 => {
                // An epoch time (GitLab), not a delay.
                fb.dialect = Dialect::GitLab;
                Err(i64::try_from(s).unwrap_or(i64::MAX))
            }
            Some(Reset::Seconds(s)) => Ok(Some(Duration::from_secs(s))),
            Some(Reset::At(date)) => Err(date.unix_seconds()),
            None => Ok(None),
        };
        let reset = reset.unwrap_or_else(|at| self.delay_until(fb, Field::Reset, at));
        if gitlab {
            fb.dialect = Dialect::GitLab;
        }
        if fb.dialect == Dialect::GitLab && fb.policies.is_empty() {
            // GitLab's RateLimit-Limit counts requests per minute.
            if let Some(q) = expiring {
                fb.declare_as(limit_name, None, QuotaUnit::Requests, q, Some(60));
            }
        }
        let name = self
            .lines(if self.has(Field::Remaining) {
                Field::Remaining
            } else {
                Field::Reset
            })
            .name;
        if remaining.is_some() || reset.is_some() {
            attach(fb, name, expiring, remaining, reset);
        }
    }
}

/// The next item of `it`, out of line: one copy of a field's line iterator for every reader
/// of lines.
#[inline(never)]
fn next_of<T: Iterator>(it: &mut T) -> Option<T::Item> {
    it.next()
}

/// Attaches the legacy `Remaining`/`Reset` pair to the declared policy whose quota is the
/// expiring limit (several: the smallest window not shorter than the reset, else the smallest
/// window; none: an anonymous policy with no window). Out of line: its policy is not held
/// in the frame of the dialect readers while they parse.
#[inline(never)]
fn attach<'a, const P: usize, const I: usize>(
    fb: &mut Feedback<'a, P, I>,
    header: &'a [u8],
    expiring: Option<u64>,
    remaining: Option<i64>,
    reset: Option<Duration>,
) {
    let mut best: Option<(Duration, bool, PolicyId)> = None;
    if let Some(l) = expiring {
        for p in fb.policies.iter().filter(|p| p.quota == Some(l)) {
            let Some(w) = p.window else { continue };
            let covers = reset.is_none_or(|r| w >= r);
            let better = match best {
                None => true,
                Some((bw, bcovers, _)) => (covers && !bcovers) || (covers == bcovers && w < bw),
            };
            if better {
                best = Some((w, covers, p.id));
            }
        }
    }
    let mut p = match best {
        Some((_, _, id)) => PolicyFeedback::new(id),
        None => {
            let mut p = PolicyFeedback::new(PolicyId::ANONYMOUS);
            p.quota = expiring;
            p
        }
    };
    p.remaining = remaining;
    p.reset = reset;
    fb.push_or_ignore(header, p);
}

/// Reads a `RateLimit-Limit` value as `Limit::<P>::parse_lenient` does, without holding a
/// `Limit<P>`: returns the expiring limit, and declares each policy with a window in `fb`
/// (as from `header`) when one is given (even those before an error: check first). With
/// `continuation`, `value` is a later line of the field: its members are all policies.
#[inline]
fn declare_limit<'a, const P: usize, const I: usize>(
    value: &'a [u8],
    tol: &mut Tolerances,
    continuation: bool,
    mut into: Option<(&mut Feedback<'a, P, I>, &'a [u8])>,
) -> Result<u64, Error> {
    limit::visit(value, Mode::Lenient, tol, P, continuation, |p| {
        if let Some((fb, header)) = &mut into
            && p.window().is_some()
        {
            // As `declare(header, &Policy::from(p))`: no name, no unit.
            fb.declare_as(header, None, QuotaUnit::Requests, p.quota(), p.window());
        }
    })
}

/// Reads a line of `RateLimit-Policy` and declares in `fb` each policy that has a window or
/// a name (even those before an error: the caller takes the field back).
#[inline]
fn declare_policies<'a, const P: usize, const I: usize>(
    line: &'a [u8],
    tol: &mut Tolerances,
    fb: &mut Feedback<'a, P, I>,
    header: &'a [u8],
) -> Result<(), Error> {
    policy::visit(line, Mode::Lenient, tol, |p, _, _| {
        if p.window().is_some() || p.name().is_some() {
            fb.declare(header, &p);
        }
        Ok(())
    })
}

/// The name and unit of the declaration a `RateLimit-Policy` item makes (its quota and
/// window are the item's).
fn declared<'a>(p: &Policy<'a>) -> (Option<&'a str>, QuotaUnit) {
    let name = p.name().map(|n| n.raw());
    let unit = match p.unit().map(|u| u.raw()) {
        None | Some("requests" | "request") => QuotaUnit::Requests,
        Some("content-bytes") => QuotaUnit::ContentBytes,
        Some("concurrent-requests") => QuotaUnit::ConcurrentRequests,
        Some(_) => QuotaUnit::Other,
    };
    (name, unit)
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl<'a, H: Iterator<Item = (&'a [u8], &'a [u8])> + Clone, const D: u8> Reader<'a, H, D> {
    /// A lenient count; a negative one (Azure's `-1`) is kept as -1.
    #[inline(never)]
    fn count<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
    ) -> Option<i64> {
        self.lenient(fb, f, Count::parse_lenient).map(|c| {
            if c.tolerances.contains(Tolerance::NegativeClamped) {
                -1
            } else {
                to_i64(c.value.get())
            }
        })
    }

    /// A lenient count used as a quota: a negative one means "unknown".
    #[inline(never)]
    fn quota<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
    ) -> Option<u64> {
        self.count(fb, f).and_then(|c| u64::try_from(c).ok())
    }

    /// The delay until an absolute Unix time, or an ignored-field entry when no clock is known.
    #[inline(never)]
    fn delay_until<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        f: Field,
        at_unix: i64,
    ) -> Option<Duration> {
        let d = crate::field::retry_after::delay_until(at_unix, self.date, self.now_unix);
        if d.is_none() {
            fb.push_ignored(self.lines(f).name, Error::new(ErrorKind::NeedsClock, 0));
        }
        d
    }

    /// Kong's `X-RateLimit-Limit-Minute` / `-Remaining-Minute` and the other periods.
    #[inline(never)]
    fn kong<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        if !self.present.intersects(&KONG_FIELDS) {
            return;
        }
        for (period, limit, remaining) in KONG {
            if !self.has(limit) && !self.has(remaining) {
                continue;
            }
            let mut p = PolicyFeedback::new(PolicyId::window(period.window_seconds()));
            if let Some(q) = self.quota(fb, limit) {
                p = p.with_quota(q, period.window());
            }
            p.remaining = self.count(fb, remaining);
            fb.push_or_ignore(self.name_of(&[limit, remaining]), p);
            if fb.dialect == Dialect::None {
                fb.dialect = Dialect::Kong;
            }
        }
    }

    /// The vendor dialects, when no IETF field is present.
    #[inline]
    fn vendor<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        if self.has(Field::XBucket) || self.has(Field::XResetAfter) {
            return self.discord(fb);
        }
        if [
            Field::OaLimitRequests,
            Field::OaLimitTokens,
            Field::OaRemainingRequests,
            Field::OaRemainingTokens,
        ]
        .iter()
        .any(|f| self.has(*f))
        {
            return self.openai(fb);
        }
        if ANTHROPIC
            .iter()
            .any(|(_, _, l, r, t)| self.has(*l) || self.has(*r) || self.has(*t))
        {
            return self.anthropic(fb);
        }
        if self.has(Field::XLimit) || self.has(Field::XRemaining) || self.has(Field::XReset) {
            let limit = self.lines(Field::XLimit);
            // Envoy sends the IETF list form under the X- name.
            if limit.count > 0 && limit.value.iter().any(|b| matches!(b, b',' | b';')) {
                return self.envoy(fb, limit);
            }
            return self.x_ratelimit(fb);
        }
        if self.has(Field::TwLimit) || self.has(Field::TwRemaining) || self.has(Field::TwReset) {
            return self.twitter(fb);
        }
        if self.has(Field::Shopify) {
            self.shopify(fb);
        }
    }

    /// Twitter's `X-Rate-Limit-*` (epoch reset).
    #[inline(never)]
    fn twitter<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        fb.dialect = Dialect::Twitter;
        let mut p = PolicyFeedback::new(PolicyId::ANONYMOUS);
        p.quota = self.quota(fb, Field::TwLimit);
        p.remaining = self.count(fb, Field::TwRemaining);
        p.reset = self
            .lenient(fb, Field::TwReset, UnixTime::parse_lenient)
            .and_then(|t| self.delay_until(fb, Field::TwReset, unix(t.value)));
        let name = self.name_of(&[Field::TwLimit, Field::TwRemaining, Field::TwReset]);
        fb.push_or_ignore(name, p);
    }

    /// Shopify's `X-Shopify-Shop-Api-Call-Limit: 32/40`.
    #[inline(never)]
    fn shopify<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        if let Some(c) = self.lenient(fb, Field::Shopify, CallLimit::parse_lenient) {
            fb.dialect = Dialect::Shopify;
            let mut p = PolicyFeedback::new(PolicyId::named(b"call-limit")).with_name("call-limit");
            p.quota = Some(c.value.size());
            p.remaining = Some(to_i64(c.value.remaining()));
            fb.push_or_ignore(self.lines(Field::Shopify).name, p);
        }
    }

    /// `X-RateLimit-*`: GitHub and express-rate-limit (epoch reset), Reddit (no limit,
    /// decimal remaining, delta reset). Envoy's list form is read by [`envoy`](Self::envoy).
    #[inline(never)]
    fn x_ratelimit<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        let reddit = self.has(Field::XUsed) && !self.has(Field::XLimit);
        let mut p = PolicyFeedback::new(PolicyId::ANONYMOUS);
        if reddit {
            fb.dialect = Dialect::Reddit;
            let used = self
                .lenient(fb, Field::XUsed, Count::parse_lenient)
                .map(|c| c.value.get());
            let left = self
                .lenient(fb, Field::XRemaining, DecimalCount::parse_lenient)
                .map(|d| d.value.floor());
            p.remaining = left.map(to_i64);
            if let (Some(u), Some(l)) = (used, left) {
                p.quota = Some(u.saturating_add(l));
            }
        } else {
            fb.dialect = Dialect::GitHub;
            p.quota = self.quota(fb, Field::XLimit);
            p.remaining = self.count(fb, Field::XRemaining);
            let resource = self.lines(Field::XResource);
            if resource.count == 1
                && let Ok(name) = core::str::from_utf8(crate::grammar::trim_ows(resource.value).0)
                && !name.is_empty()
            {
                p.id = PolicyId::named(name.as_bytes());
                p.name = Some(name);
            }
        }
        p.reset = match self.lenient(fb, Field::XReset, UnixTime::parse_lenient) {
            // Epoch seconds (GitHub, express-rate-limit) or, below the threshold, a delay
            // (Reddit, and servers that follow the IETF meaning).
            Some(t) if t.value.secs() >= EPOCH_THRESHOLD => {
                self.delay_until(fb, Field::XReset, unix(t.value))
            }
            Some(t) => Some(t.value.since_epoch()),
            None => None,
        };
        let name = self.name_of(&[
            Field::XLimit,
            Field::XRemaining,
            Field::XReset,
            Field::XUsed,
        ]);
        fb.push_or_ignore(name, p);
    }

    /// Envoy: the IETF list form of `RateLimit-Limit` under `X-RateLimit-Limit`, with a delta
    /// reset.
    #[inline(never)]
    fn envoy<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>, limit: Lines<'a>) {
        fb.dialect = Dialect::IetfFields;
        let mut expiring = None;
        // Checked whole before any policy is declared.
        if let Some((e, tol)) = self.item(fb, Field::XLimit, |v| {
            let mut tol = Tolerances::new();
            declare_limit::<P, I>(v, &mut tol, false, None).map(|e| (e, tol))
        }) {
            fb.tolerances.insert_all(tol);
            expiring = Some(e);
            let _ = declare_limit(
                limit.value,
                &mut Tolerances::new(),
                false,
                Some((fb, limit.name)),
            );
        }
        let remaining = self.count(fb, Field::XRemaining);
        let reset = self
            .lenient(fb, Field::XReset, Count::parse_lenient)
            .map(|c| Duration::from_secs(c.value.get()));
        attach(
            fb,
            self.name_of(&[Field::XRemaining, Field::XReset, Field::XLimit]),
            expiring,
            remaining,
            reset,
        );
    }

    /// Discord: `X-RateLimit-Reset-After` (decimal seconds) preferred over the epoch
    /// `X-RateLimit-Reset`; the bucket names the policy.
    #[inline(never)]
    fn discord<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        fb.dialect = Dialect::Discord;
        let mut p = PolicyFeedback::new(PolicyId::ANONYMOUS);
        let bucket = self.lines(Field::XBucket);
        if bucket.count == 1
            && let Ok(name) = core::str::from_utf8(crate::grammar::trim_ows(bucket.value).0)
            && !name.is_empty()
        {
            p.id = PolicyId::named(name.as_bytes());
            p.name = Some(name);
        }
        p.quota = self.quota(fb, Field::XLimit);
        p.remaining = self.count(fb, Field::XRemaining);
        p.reset = match self.lenient(fb, Field::XResetAfter, DecimalSeconds::parse_lenient) {
            Some(d) => Some(d.value.duration()),
            None => self
                .lenient(fb, Field::XReset, UnixTime::parse_lenient)
                .and_then(|t| self.delay_until(fb, Field::XReset, unix(t.value))),
        };
        let name = self.name_of(&[
            Field::XBucket,
            Field::XLimit,
            Field::XRemaining,
            Field::XResetAfter,
            Field::XReset,
        ]);
        fb.push_or_ignore(name, p);
    }

    /// OpenAI, Groq, Azure OpenAI: requests and tokens, resets as Go durations.
    #[inline(never)]
    fn openai<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        fb.dialect = Dialect::OpenAi;
        let kinds = [
            (
                "requests",
                QuotaUnit::Requests,
                Field::OaLimitRequests,
                Field::OaRemainingRequests,
                Field::OaResetRequests,
            ),
            (
                "tokens",
                QuotaUnit::Tokens,
                Field::OaLimitTokens,
                Field::OaRemainingTokens,
                Field::OaResetTokens,
            ),
        ];
        for (name, unit, limit, remaining, reset) in kinds {
            if !self.has(limit) && !self.has(remaining) && !self.has(reset) {
                continue;
            }
            let mut p = PolicyFeedback::new(PolicyId::named(name.as_bytes()))
                .with_name(name)
                .with_unit(unit);
            p.quota = self.quota(fb, limit);
            p.remaining = self.count(fb, remaining);
            p.reset = self
                .lenient(fb, reset, GoDuration::parse_lenient)
                .map(|d| d.value.duration());
            fb.push_or_ignore(self.name_of(&[limit, remaining, reset]), p);
        }
    }

    /// Anthropic: requests, tokens, input and output tokens, resets as RFC 3339 instants.
    #[inline(never)]
    fn anthropic<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        fb.dialect = Dialect::Anthropic;
        for (name, unit, limit, remaining, reset) in ANTHROPIC {
            if !self.has(limit) && !self.has(remaining) && !self.has(reset) {
                continue;
            }
            let mut p = PolicyFeedback::new(PolicyId::named(name.as_bytes()))
                .with_name(name)
                .with_unit(unit);
            p.quota = self.quota(fb, limit);
            p.remaining = self.count(fb, remaining);
            p.reset = self
                .lenient(fb, reset, Rfc3339::parse_lenient)
                .and_then(|t| self.delay_until(fb, reset, t.value.unix_seconds()));
            fb.push_or_ignore(self.name_of(&[limit, remaining, reset]), p);
        }
    }
}

/// Whole Unix seconds of an epoch time, rounded up (a reset must not come early).
fn unix(t: UnixTime) -> i64 {
    let up = u64::from(t.subsec_millis() > 0);
    i64::try_from(t.secs().saturating_add(up)).unwrap_or(i64::MAX)
}
