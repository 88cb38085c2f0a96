//! The vendor dialects: GitHub and the `X-RateLimit-*` family, Twitter, Discord, Envoy,
//! OpenAI, Anthropic, Reddit, Shopify and Kong.

use core::time::Duration;

use super::ietf::{attach, declare_limit};
use super::names::{Field, FieldSet};
use super::read::{Lines, Reader, to_i64};
use super::{Dialect, EPOCH_THRESHOLD, Feedback, PolicyFeedback, PolicyId, QuotaUnit};
use crate::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, GoDuration, KongPeriod, Rfc3339, UnixTime,
};
use crate::lenient::Tolerances;

/// One quota of a dialect that reports several (requests, tokens...), each under three
/// fields of its own; the policy is named after the quota.
struct Quota {
    name: &'static str,
    unit: QuotaUnit,
    limit: Field,
    remaining: Field,
    reset: Field,
}

/// OpenAI's quotas (Groq and Azure OpenAI send the same fields).
const OPENAI: [Quota; 2] = [
    Quota {
        name: "requests",
        unit: QuotaUnit::Requests,
        limit: Field::OaLimitRequests,
        remaining: Field::OaRemainingRequests,
        reset: Field::OaResetRequests,
    },
    Quota {
        name: "tokens",
        unit: QuotaUnit::Tokens,
        limit: Field::OaLimitTokens,
        remaining: Field::OaRemainingTokens,
        reset: Field::OaResetTokens,
    },
];

/// Anthropic's quotas.
const ANTHROPIC: [Quota; 4] = [
    Quota {
        name: "requests",
        unit: QuotaUnit::Requests,
        limit: Field::AnthropicRequestsLimit,
        remaining: Field::AnthropicRequestsRemaining,
        reset: Field::AnthropicRequestsReset,
    },
    Quota {
        name: "tokens",
        unit: QuotaUnit::Tokens,
        limit: Field::AnthropicTokensLimit,
        remaining: Field::AnthropicTokensRemaining,
        reset: Field::AnthropicTokensReset,
    },
    Quota {
        name: "input-tokens",
        unit: QuotaUnit::Tokens,
        limit: Field::AnthropicInputTokensLimit,
        remaining: Field::AnthropicInputTokensRemaining,
        reset: Field::AnthropicInputTokensReset,
    },
    Quota {
        name: "output-tokens",
        unit: QuotaUnit::Tokens,
        limit: Field::AnthropicOutputTokensLimit,
        remaining: Field::AnthropicOutputTokensRemaining,
        reset: Field::AnthropicOutputTokensReset,
    },
];

/// Kong's per-period fields: (period, limit, remaining).
const KONG: [(KongPeriod, Field, Field); 6] = [
    (
        KongPeriod::Second,
        Field::KongLimitSecond,
        Field::KongRemainingSecond,
    ),
    (
        KongPeriod::Minute,
        Field::KongLimitMinute,
        Field::KongRemainingMinute,
    ),
    (
        KongPeriod::Hour,
        Field::KongLimitHour,
        Field::KongRemainingHour,
    ),
    (
        KongPeriod::Day,
        Field::KongLimitDay,
        Field::KongRemainingDay,
    ),
    (
        KongPeriod::Month,
        Field::KongLimitMonth,
        Field::KongRemainingMonth,
    ),
    (
        KongPeriod::Year,
        Field::KongLimitYear,
        Field::KongRemainingYear,
    ),
];

/// The limit and remaining fields of every Kong period.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
const KONG_FIELDS: FieldSet = {
    let mut set = FieldSet::EMPTY;
    let mut i = 0;
    while i < KONG.len() {
        let (_, limit, remaining) = KONG[i];
        set = set
            .with(limit.index() as usize)
            .with(remaining.index() as usize);
        i += 1;
    }
    set
};

impl<'a, H: Iterator<Item = (&'a [u8], &'a [u8])> + Clone> Reader<H> {
    /// Kong's `X-RateLimit-Limit-Minute` / `-Remaining-Minute` and the other periods.
    #[inline(never)]
    pub(super) fn kong<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
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
    pub(super) fn vendor<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
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
            .any(|q| self.has(q.limit) || self.has(q.remaining) || self.has(q.reset))
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
        // Checked whole (one line: it is read as one value) before any policy is declared.
        if let Some((e, tol)) = self.item(fb, Field::XLimit, |v| {
            let mut tol = Tolerances::new();
            declare_limit::<P, I>(v, &mut tol, false, None).map(|e| (e, tol))
        }) {
            fb.tolerances.insert_all(tol);
            expiring = Some(e);
            let _checked = declare_limit(
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
    fn openai<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        fb.dialect = Dialect::OpenAi;
        self.quotas(fb, &OPENAI, |reader, fb, reset| {
            reader
                .lenient(fb, reset, GoDuration::parse_lenient)
                .map(|d| d.value.duration())
        });
    }

    /// Anthropic: requests, tokens, input and output tokens, resets as RFC 3339 instants.
    fn anthropic<const P: usize, const I: usize>(&self, fb: &mut Feedback<'a, P, I>) {
        fb.dialect = Dialect::Anthropic;
        self.quotas(fb, &ANTHROPIC, |reader, fb, reset| {
            reader
                .lenient(fb, reset, Rfc3339::parse_lenient)
                .and_then(|t| reader.delay_until(fb, reset, t.value.unix_seconds()))
        });
    }

    /// A policy for each of `quotas` the response reports on, its reset read by `reset`.
    #[inline(never)]
    fn quotas<const P: usize, const I: usize>(
        &self,
        fb: &mut Feedback<'a, P, I>,
        quotas: &[Quota],
        reset: impl Fn(&Self, &mut Feedback<'a, P, I>, Field) -> Option<Duration>,
    ) {
        for q in quotas {
            if !self.has(q.limit) && !self.has(q.remaining) && !self.has(q.reset) {
                continue;
            }
            let mut p = PolicyFeedback::new(PolicyId::named(q.name.as_bytes()))
                .with_name(q.name)
                .with_unit(q.unit);
            p.quota = self.quota(fb, q.limit);
            p.remaining = self.count(fb, q.remaining);
            p.reset = reset(self, fb, q.reset);
            fb.push_or_ignore(self.name_of(&[q.limit, q.remaining, q.reset]), p);
        }
    }
}

/// Whole Unix seconds of an epoch time, rounded up (a reset must not come early).
fn unix(t: UnixTime) -> i64 {
    let up = u64::from(t.subsec_millis() > 0);
    i64::try_from(t.secs().saturating_add(up)).unwrap_or(i64::MAX)
}
