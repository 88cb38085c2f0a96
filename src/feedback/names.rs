//! The one table of header names the reader knows, and the lookup of a name in it.
//!
//! Header names are compared ASCII case-insensitively (RFC 9110 §5.1).

/// The header fields a response is read for (their names are in [`NAMES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
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

/// Every field's name, lowercase. The only list of names: the lookup below is built from it.
pub(super) const NAMES: [(&[u8], Field); 51] = [
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

impl Field {
    /// The field's place in [`NAMES`] (and its bit in a [`FieldSet`]).
    pub(super) const fn index(self) -> u8 {
        self as u8
    }

    /// Whether the field belongs to a vendor dialect (not read in a build that selects its
    /// dialects without `dialect-vendor`); the others are the IETF fields and those every
    /// dialect uses.
    pub(super) const fn is_vendor(self) -> bool {
        !matches!(
            self,
            Field::RateLimit
                | Field::RateLimitPolicy
                | Field::Limit
                | Field::Remaining
                | Field::Reset
                | Field::RetryAfter
                | Field::RetryAfterMs
                | Field::Date
                | Field::Age
                | Field::GitLabObserved
        )
    }
}

/// How many fields there are.
pub(super) const FIELD_COUNT: usize = NAMES.len();

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

/// [`NAMES`] ordered by length, so that a name is compared only with those as long as it.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
static BY_LENGTH: [(&[u8], Field); FIELD_COUNT] = {
    let mut out = NAMES;
    // Insertion sort (a `const` block has no `sort`): stable, so ties keep the table's order.
    let mut i = 1;
    while i < FIELD_COUNT {
        let mut k = i;
        while k > 0 && out[k - 1].0.len() > out[k].0.len() {
            let t = out[k - 1];
            out[k - 1] = out[k];
            out[k] = t;
            k -= 1;
        }
        i += 1;
    }
    out
};

/// Where each length starts in [`BY_LENGTH`]: the names of length `n` are
/// `BY_LENGTH[START[n]..START[n + 1]]`.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: a bad index fails the build.
static START: [u8; LONGEST + 2] = {
    let mut out = [0; LONGEST + 2];
    let mut len = 0;
    while len < LONGEST + 2 {
        let (mut shorter, mut i) = (0, 0);
        while i < FIELD_COUNT {
            if NAMES[i].0.len() < len {
                shorter += 1;
            }
            i += 1;
        }
        out[len] = shorter;
        len += 1;
    }
    out
};

/// The field a header name is, if any (ASCII case-insensitive).
pub(super) fn classify(name: &[u8]) -> Option<Field> {
    let from = usize::from(*START.get(name.len())?);
    let to = usize::from(*START.get(name.len() + 1)?);
    BY_LENGTH
        .get(from..to)?
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, field)| *field)
}

/// A set of fields: bit `i` for the field at `NAMES[i]`.
pub(super) type FieldSet = crate::grammar::BitSet<2>;

const _: () = assert!(FIELD_COUNT <= 64, "a FieldSet holds 64 fields");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_named_once_at_its_index() {
        for (i, (name, field)) in NAMES.iter().enumerate() {
            assert_eq!(
                usize::from(field.index()),
                i,
                "{}",
                core::str::from_utf8(name).unwrap()
            );
            assert!(name.iter().all(|b| !b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn every_name_is_found_in_any_case() {
        for (name, field) in NAMES.iter() {
            assert_eq!(classify(name), Some(*field));
            let mut upper = [0; 64];
            let upper = &mut upper[..name.len()];
            upper.copy_from_slice(name);
            upper.make_ascii_uppercase();
            assert_eq!(classify(upper), Some(*field));
        }
        for other in [
            &b""[..],
            b"content-type",
            b"x-ratelimit",
            b"ratelimit-limits",
            b"dat",
        ] {
            assert_eq!(classify(other), None);
        }
        let long = [b'x'; 300];
        assert_eq!(classify(&long), None);
    }
}
