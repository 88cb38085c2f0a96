//! One response → one [`Feedback`]: which dialect the server spoke, each policy it declared or
//! reported on, and how long it asked the client to wait.
//!
//! A `Feedback` is what the [pacer](crate) consumes. It can be built from response headers
//! ([`Feedback::from_headers`], or [`Feedback::read`] into a value kept in place, with
//! [`ReadOptions`]) or by hand, for tests and for servers whose limits are documented rather
//! than sent.

mod ietf;
mod names;
mod read;
mod vendor;

pub use read::ReadOptions;

use core::fmt;
use core::time::Duration;

use crate::DEFAULT_POLICIES;
use crate::error::{Error, ErrorKind};
use crate::lenient::Tolerances;

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
pub struct Feedback<'a, const P: usize = DEFAULT_POLICIES, const I: usize = DEFAULT_IGNORED> {
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

    /// The policy with id `id`, or a new one (`true`) that says nothing yet, to merge into
    /// field by field. [`ErrorKind::CapacityExceeded`] when it is new and `P` are held.
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

    /// [`push_policy`](Self::push_policy), or an ignored-field entry for `header` when the
    /// policy does not fit.
    fn push_or_ignore(&mut self, header: &'a [u8], p: PolicyFeedback<'a>) {
        if let Err(e) = self.push_policy(p) {
            self.push_ignored(header, e);
        }
    }
}

/// A `RateLimit-Reset` of at least this many seconds (31.7 years) is read as an epoch time,
/// as GitLab sends it.
pub const EPOCH_THRESHOLD: u64 = 1_000_000_000;
