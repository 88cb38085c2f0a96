//! `Feedback::from_headers` on the responses quoted in the header research (§3) and the
//! parsing scenarios of the pacer specification (S8, S9, S27; S26 with the vendor dialects).

use core::time::Duration;

use ratelimit_headers::{
    Dialect, ErrorKind, Feedback, PolicyId, QuotaUnit, ReadOptions, Tolerance,
};

fn fb<'a>(status: u16, headers: &'a [(&'a str, &'a str)]) -> Feedback<'a> {
    Feedback::from_headers(
        Some(status),
        headers.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())),
    )
}

#[test]
fn claid_200() {
    let h = [
        ("RateLimit-Limit", "120, 120;w=60, 4;w=1"),
        ("RateLimit-Remaining", "118"),
        ("RateLimit-Reset", "32"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::IetfFields);
    assert_eq!(f.policies().len(), 2);
    let w60 = f.policy(PolicyId::window(60)).unwrap();
    assert_eq!(
        (w60.quota, w60.window),
        (Some(120), Some(Duration::from_secs(60)))
    );
    assert_eq!(w60.remaining, Some(118));
    assert_eq!(w60.reset, Some(Duration::from_secs(32)));
    let w1 = f.policy(PolicyId::window(1)).unwrap();
    assert_eq!((w1.quota, w1.remaining), (Some(4), None));
    assert!(f.ignored().is_empty());
    assert!(f.tolerances().is_empty());
    assert!(!f.is_throttle());
}

#[test]
fn claid_429_keeps_the_negative_remaining() {
    let h = [
        ("ratelimit-limit", "4, 120;w=60, 4;w=1"),
        ("RATELIMIT-REMAINING", "-1"),
        ("RateLimit-Reset", "1"),
    ];
    let f = fb(429, &h);
    assert!(f.is_throttle());
    let w1 = f.policy(PolicyId::window(1)).unwrap();
    assert_eq!(w1.remaining, Some(-1));
    assert_eq!(w1.reset, Some(Duration::from_secs(1)));
    assert!(f.policy(PolicyId::window(60)).unwrap().remaining.is_none());
    assert!(f.tolerances().contains(Tolerance::NegativeClamped));
}

#[test]
fn s4b_remaining_and_reset_without_limit_go_to_the_anonymous_policy() {
    let h = [("RateLimit-Remaining", "-1"), ("RateLimit-Reset", "1")];
    let f = fb(429, &h);
    let p = f.policy(PolicyId::ANONYMOUS).unwrap();
    assert_eq!((p.quota, p.window, p.remaining), (None, None, Some(-1)));
}

#[test]
fn s27_duplicate_quota_attaches_to_the_smallest_window_covering_the_reset() {
    let h = [
        ("RateLimit-Limit", "10, 10;w=1, 10;w=60"),
        ("RateLimit-Reset", "30"),
        ("RateLimit-Remaining", "3"),
    ];
    let f = fb(200, &h);
    let w60 = f.policy(PolicyId::window(60)).unwrap();
    assert_eq!(w60.remaining, Some(3));
    assert_eq!(w60.reset, Some(Duration::from_secs(30)));
    assert_eq!(f.policy(PolicyId::window(1)).unwrap().remaining, None);
    // With no window covering the reset, the smallest window is chosen.
    let h = [
        ("RateLimit-Limit", "10, 10;w=1, 10;w=60"),
        ("RateLimit-Reset", "90"),
        ("RateLimit-Remaining", "3"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.policy(PolicyId::window(1)).unwrap().remaining, Some(3));
}

#[test]
fn s8_retry_after_ms_wins() {
    let h = [("retry-after-ms", "1500"), ("Retry-After", "2")];
    let f = fb(429, &h);
    assert_eq!(f.retry_after(), Some(Duration::from_millis(1500)));
    assert_eq!(f.dialect(), Dialect::RetryAfterOnly);
}

#[test]
fn s9_retry_after_date_uses_the_date_header() {
    let h = [
        ("Date", "Mon, 05 Aug 2019 09:27:00 GMT"),
        ("Retry-After", "Mon, 05 Aug 2019 09:27:05 GMT"),
    ];
    let f = fb(503, &h);
    assert_eq!(f.retry_after(), Some(Duration::from_secs(5)));
    // Without Date and without a wall clock the absolute time cannot be used.
    let h = [("Retry-After", "Mon, 05 Aug 2019 09:27:05 GMT")];
    let f = fb(503, &h);
    assert_eq!(f.retry_after(), None);
    assert_eq!(f.ignored()[0].error.kind(), ErrorKind::NeedsClock);
    // With a wall clock it can.
    let mut f: Feedback = Feedback::new(None);
    f.read(
        Some(503),
        h.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())),
        ReadOptions::new().with_now_unix(1_564_997_223),
    );
    assert_eq!(f.retry_after(), Some(Duration::from_secs(2)));
}

#[test]
fn draft_ietf_08_named_lists_with_policy() {
    // The draft's example: a 429 with Retry-After and the two named fields.
    let h = [
        ("Retry-After", "20"),
        ("RateLimit-Policy", "\"dynamic\";q=100;w=60"),
        ("RateLimit", "\"dynamic\";r=15;t=40"),
    ];
    let f = fb(429, &h);
    assert_eq!(f.dialect(), Dialect::IetfNamed);
    assert_eq!(f.retry_after(), Some(Duration::from_secs(20)));
    assert_eq!(f.policies().len(), 1);
    let p = &f.policies()[0];
    assert_eq!(p.name, Some("dynamic"));
    assert_eq!(
        (p.quota, p.window),
        (Some(100), Some(Duration::from_secs(60)))
    );
    assert_eq!(
        (p.remaining, p.reset),
        (Some(15), Some(Duration::from_secs(40)))
    );
    assert_eq!(p.unit, QuotaUnit::Requests);
}

#[test]
fn cloudflare_and_hour_day_policies() {
    let h = [
        ("Ratelimit", "\"default\";r=50;t=30"),
        ("Ratelimit-Policy", "\"burst\";q=100;w=60"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::IetfNamed);
    assert_eq!(f.policies().len(), 2);
    let h = [
        (
            "RateLimit-Policy",
            "\"hour\";q=1000;w=3600, \"day\";q=5000;w=86400",
        ),
        ("RateLimit", "\"day\";r=100;t=36000"),
    ];
    let f = fb(200, &h);
    let day = f.policies().iter().find(|p| p.name == Some("day")).unwrap();
    assert_eq!((day.quota, day.remaining), (Some(5000), Some(100)));
    let hour = f
        .policies()
        .iter()
        .find(|p| p.name == Some("hour"))
        .unwrap();
    assert_eq!(hour.remaining, None);
}

#[test]
fn express_draft_8_two_stacked_limiters_on_split_lines() {
    let h = [
        (
            "RateLimit-Policy",
            "\"5-in-2hrs\"; q=5; w=7200; pk=:MmMyNmI0NmI2OGZm:",
        ),
        ("RateLimit", "\"5-in-2hrs\"; r=4; t=7200"),
        (
            "RateLimit-Policy",
            "\"10-in-1min\"; q=10; w=60; pk=:MmMyNmI0NmI2OGZm:",
        ),
        ("RateLimit", "\"10-in-1min\"; r=9; t=60"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.policies().len(), 2);
    for (name, q, r) in [("5-in-2hrs", 5, 4), ("10-in-1min", 10, 9)] {
        let p = f.policies().iter().find(|p| p.name == Some(name)).unwrap();
        assert_eq!((p.quota, p.remaining), (Some(q), Some(r)), "{name}");
    }
    // Policies are identified by name: the partition key sent on RateLimit-Policy only does
    // not split them.
    assert_eq!(f.policies()[0].id, PolicyId::named(b"5-in-2hrs"));
}

#[test]
fn one_bad_line_of_a_list_field_drops_the_whole_field() {
    let h = [
        ("RateLimit", "\"a\";r=1;t=1"),
        ("RateLimit", "\"b\";r=1;t=1;"),
    ];
    let f = fb(200, &h);
    assert!(f.policies().is_empty());
    assert_eq!(f.ignored().len(), 1);
    assert_eq!(f.ignored()[0].header, b"RateLimit");
}

#[test]
fn express_draft_7_dictionary_and_draft_6_fields() {
    let h = [
        ("RateLimit-Policy", "5;w=60"),
        ("RateLimit", "limit=5, remaining=4, reset=60"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::IetfDictionary);
    let p = f.policy(PolicyId::window(60)).unwrap();
    assert_eq!(
        (p.quota, p.remaining, p.reset),
        (Some(5), Some(4), Some(Duration::from_secs(60)))
    );

    let h = [
        ("RateLimit-Policy", "5;w=60"),
        ("RateLimit-Limit", "5"),
        ("RateLimit-Remaining", "4"),
        ("RateLimit-Reset", "60"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::IetfFields);
    let p = f.policy(PolicyId::window(60)).unwrap();
    assert_eq!((p.quota, p.remaining), (Some(5), Some(4)));
}

#[test]
fn gitlab_epoch_reset_is_converted_with_date() {
    let h = [
        ("Date", "Tue, 05 Jan 2021 10:59:30 GMT"),
        ("RateLimit-Limit", "60"),
        ("RateLimit-Name", "throttle_authenticated_web"),
        ("RateLimit-Observed", "67"),
        ("RateLimit-Remaining", "0"),
        ("RateLimit-Reset", "1609844400"),
        ("RateLimit-ResetTime", "Tue, 05 Jan 2021 11:00:00 GMT"),
        ("Retry-After", "30"),
    ];
    let f = fb(429, &h);
    assert_eq!(f.dialect(), Dialect::GitLab);
    let p = f.policy(PolicyId::window(60)).unwrap();
    assert_eq!(p.quota, Some(60));
    assert_eq!(p.remaining, Some(0));
    assert_eq!(p.reset, Some(Duration::from_secs(30)));
    assert_eq!(f.retry_after(), Some(Duration::from_secs(30)));
}

#[test]
fn envoy_window_alias_and_age_marks_cached() {
    let h = [
        (
            "RateLimit-Limit",
            "10, 10;window=1;name=\"per-ip\", 1000;window=3600",
        ),
        ("RateLimit-Remaining", "3"),
        ("RateLimit-Reset", "1"),
        ("Age", "12"),
    ];
    let f = fb(200, &h);
    assert!(f.from_cache());
    assert!(f.tolerances().contains(Tolerance::WindowAlias));
    assert_eq!(f.policy(PolicyId::window(1)).unwrap().remaining, Some(3));
}

#[test]
fn repeated_item_fields_and_garbage_are_listed_as_ignored() {
    let h = [
        ("RateLimit-Remaining", "5"),
        ("RateLimit-Remaining", "6"),
        ("RateLimit-Reset", "soon"),
        ("RateLimit-Limit", "10, 10;w=1"),
    ];
    let f = fb(200, &h);
    let kinds: Vec<_> = f
        .ignored()
        .iter()
        .map(|i| (i.header, i.error.kind()))
        .collect();
    assert!(
        kinds.contains(&(&b"RateLimit-Remaining"[..], ErrorKind::Repeated)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(&b"RateLimit-Reset"[..], ErrorKind::InvalidDate)),
        "{kinds:?}"
    );
    // Nothing observed, but the declaration stands.
    let p = f.policy(PolicyId::window(1)).unwrap();
    assert_eq!((p.quota, p.remaining), (Some(10), None));
}

#[test]
fn no_rate_limit_fields() {
    let h = [
        ("Content-Type", "text/html"),
        ("Date", "Tue, 05 Jan 2021 10:59:30 GMT"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::None);
    assert!(f.policies().is_empty() && f.ignored().is_empty());
}

#[test]
fn s26_github_epoch_reset_against_date() {
    // Date = 1700000000 (Tue, 14 Nov 2023 22:13:20 GMT), reset 60 s later.
    let h = [
        ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
        ("x-ratelimit-limit", "5000"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-used", "5000"),
        ("x-ratelimit-reset", "1700000060"),
        ("x-ratelimit-resource", "core"),
    ];
    let f = fb(403, &h);
    assert_eq!(f.dialect(), Dialect::GitHub);
    let p = f.policy(PolicyId::named(b"core")).unwrap();
    assert_eq!(p.name, Some("core"));
    assert_eq!((p.quota, p.remaining), (Some(5000), Some(0)));
    assert_eq!(p.reset, Some(Duration::from_secs(60)));
}

#[test]
fn express_legacy_headers_with_a_skewed_server_clock() {
    // The server's clock is 5 minutes ahead of ours: only its own Date matters.
    let h = [
        ("X-RateLimit-Limit", "5"),
        ("X-RateLimit-Remaining", "4"),
        ("Date", "Tue, 14 Nov 2023 22:18:20 GMT"),
        ("X-RateLimit-Reset", "1700000360"),
    ];
    let mut f: Feedback = Feedback::new(None);
    f.read(
        Some(200),
        h.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())),
        ReadOptions::new().with_now_unix(1_700_000_000),
    );
    let p = &f.policies()[0];
    assert_eq!(p.reset, Some(Duration::from_secs(60)));
}

#[test]
fn discord_prefers_reset_after() {
    let h = [
        ("X-RateLimit-Limit", "5"),
        ("X-RateLimit-Remaining", "0"),
        ("X-RateLimit-Reset", "1470173023.123"),
        ("X-RateLimit-Reset-After", "64.57"),
        ("X-RateLimit-Bucket", "abcd1234"),
    ];
    let f = fb(429, &h);
    assert_eq!(f.dialect(), Dialect::Discord);
    let p = f.policy(PolicyId::named(b"abcd1234")).unwrap();
    assert_eq!((p.quota, p.remaining), (Some(5), Some(0)));
    assert_eq!(p.reset, Some(Duration::from_millis(64_570)));
}

#[test]
fn openai_requests_and_tokens_and_azure_minus_one() {
    let h = [
        ("x-ratelimit-limit-requests", "60"),
        ("x-ratelimit-limit-tokens", "150000"),
        ("x-ratelimit-remaining-requests", "59"),
        ("x-ratelimit-remaining-tokens", "149984"),
        ("x-ratelimit-reset-requests", "1s"),
        ("x-ratelimit-reset-tokens", "6m0s"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::OpenAi);
    let r = f.policy(PolicyId::named(b"requests")).unwrap();
    assert_eq!(
        (r.quota, r.remaining, r.reset),
        (Some(60), Some(59), Some(Duration::from_secs(1)))
    );
    let t = f.policy(PolicyId::named(b"tokens")).unwrap();
    assert_eq!(t.unit, QuotaUnit::Tokens);
    assert_eq!(t.reset, Some(Duration::from_secs(360)));
    // S19: Azure's -1 on a success is kept as -1 (the pacer ignores it as malformed).
    let h = [
        ("x-ratelimit-remaining-tokens", "-1"),
        ("x-ratelimit-limit-tokens", "-1"),
    ];
    let f = fb(200, &h);
    let t = f.policy(PolicyId::named(b"tokens")).unwrap();
    assert_eq!((t.quota, t.remaining), (None, Some(-1)));
}

#[test]
fn anthropic_rfc3339_resets() {
    let h = [
        ("date", "Thu, 21 Aug 2025 12:40:00 GMT"),
        ("anthropic-ratelimit-requests-limit", "50"),
        ("anthropic-ratelimit-requests-remaining", "49"),
        ("anthropic-ratelimit-requests-reset", "2025-08-21T12:40:59Z"),
        ("anthropic-ratelimit-tokens-limit", "40000"),
        ("anthropic-ratelimit-tokens-remaining", "39000"),
        ("anthropic-ratelimit-tokens-reset", "2025-08-21T12:40:01Z"),
        ("retry-after", "60"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::Anthropic);
    let r = f.policy(PolicyId::named(b"requests")).unwrap();
    assert_eq!(
        (r.quota, r.remaining, r.reset),
        (Some(50), Some(49), Some(Duration::from_secs(59)))
    );
    let t = f.policy(PolicyId::named(b"tokens")).unwrap();
    assert_eq!(t.reset, Some(Duration::from_secs(1)));
}

#[test]
fn shopify_reddit_twitter_kong() {
    let f = fb(200, &[("X-Shopify-Shop-Api-Call-Limit", "32/40")]);
    assert_eq!(f.dialect(), Dialect::Shopify);
    assert_eq!(
        (f.policies()[0].quota, f.policies()[0].remaining),
        (Some(40), Some(8))
    );

    let f = fb(
        200,
        &[
            ("X-Ratelimit-Used", "1"),
            ("X-Ratelimit-Remaining", "599.0"),
            ("X-Ratelimit-Reset", "412"),
        ],
    );
    assert_eq!(f.dialect(), Dialect::Reddit);
    let p = &f.policies()[0];
    assert_eq!(
        (p.quota, p.remaining, p.reset),
        (Some(600), Some(599), Some(Duration::from_secs(412)))
    );

    let h = [
        ("date", "Tue, 16 Jan 2024 15:45:00 GMT"),
        ("x-rate-limit-limit", "900"),
        ("x-rate-limit-remaining", "847"),
        ("x-rate-limit-reset", "1705420800"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::Twitter);
    assert_eq!(f.policies()[0].reset, Some(Duration::from_secs(900)));

    let h = [
        ("RateLimit-Limit", "10"),
        ("RateLimit-Remaining", "9"),
        ("RateLimit-Reset", "47"),
        ("X-RateLimit-Limit-Minute", "10"),
        ("X-RateLimit-Remaining-Minute", "9"),
        ("X-RateLimit-Limit-Hour", "100"),
        ("X-RateLimit-Remaining-Hour", "99"),
    ];
    let f = fb(200, &h);
    assert_eq!(f.dialect(), Dialect::Kong);
    let m = f.policy(PolicyId::window(60)).unwrap();
    assert_eq!(
        (m.quota, m.remaining, m.reset),
        (Some(10), Some(9), Some(Duration::from_secs(47)))
    );
    let h = f.policy(PolicyId::window(3600)).unwrap();
    assert_eq!((h.quota, h.remaining), (Some(100), Some(99)));
}

#[test]
fn envoy_list_form_under_the_x_name() {
    let h = [
        (
            "x-ratelimit-limit",
            "10, 10;w=1;name=\"per-ip\", 1000;w=3600",
        ),
        ("x-ratelimit-remaining", "5"),
        ("x-ratelimit-reset", "1"),
    ];
    let f = fb(200, &h);
    let p = f.policy(PolicyId::window(1)).unwrap();
    assert_eq!(
        (p.quota, p.remaining, p.reset),
        (Some(10), Some(5), Some(Duration::from_secs(1)))
    );
    assert_eq!(f.policy(PolicyId::window(3600)).unwrap().quota, Some(1000));
}

#[test]
fn a_ratelimit_limit_split_over_lines_is_one_list() {
    // The lines joined with ", " are `10, 10;w=1, 100;w=60`: the expiring limit is on the
    // first line, and every member of a later line is a quota policy.
    let h = [
        ("RateLimit-Limit", "10, 10;w=1"),
        ("RateLimit-Limit", "100;w=60"),
        ("RateLimit-Remaining", "9"),
    ];
    let f = fb(200, &h);
    assert!(f.ignored().is_empty(), "{:?}", f.ignored());
    let minute = f
        .policy(PolicyId::window(60))
        .expect("the later line's policy");
    assert_eq!(minute.quota, Some(100));
    assert_eq!(f.policy(PolicyId::window(1)).unwrap().remaining, Some(9));

    // A String member is no quota policy: the joined value is not a Limit, and the whole
    // field is dropped.
    let h = [
        ("RateLimit-Limit", "10, 10;w=1"),
        ("RateLimit-Limit", "\"burst\";q=100;w=60"),
    ];
    let f = fb(200, &h);
    assert!(f.policy(PolicyId::window(1)).is_none());
    assert_eq!(f.ignored().len(), 1);
    assert_eq!(f.ignored()[0].header, b"RateLimit-Limit");
    assert_eq!(f.ignored()[0].error.offset(), 0);
}

/// Names are matched in any case whichever dialects the build reads (Cargo features
/// `select-dialects` and `dialect-*`), and a field of a dialect it does not read stays unread.
#[test]
fn names_match_in_any_case_in_every_dialect_selection() {
    let headers: [(&[u8], &[u8]); 6] = [
        (b"DATE", b"Sun, 06 Nov 1994 08:49:37 GMT"),
        (b"RateLimit-LIMIT", b"10, 10;w=1"),
        (b"ratelimit-Remaining", b"3"),
        (b"RATELIMIT-RESET", b"1"),
        (b"Retry-AFTER", b"Sun, 06 Nov 1994 08:49:42 GMT"),
        (b"X-RateLimit-Remaining", b"7"),
    ];
    let selects = cfg!(feature = "select-dialects");
    let fields = !selects || cfg!(feature = "dialect-ietf-fields");
    let vendor = !selects || cfg!(feature = "dialect-vendor");
    let mut fb: Feedback = Feedback::new(None);
    fb.read(Some(429), headers, ReadOptions::new());
    // The date form needs the `Date` header: found whatever its case, in every build.
    assert_eq!(fb.retry_after(), Some(Duration::from_secs(5)));
    if fields {
        assert_eq!(fb.dialect(), Dialect::IetfFields);
        assert_eq!(fb.policies().len(), 1);
        assert_eq!(fb.policies()[0].quota, Some(10));
        assert_eq!(fb.policies()[0].remaining, Some(3));
        assert_eq!(fb.policies()[0].reset, Some(Duration::from_secs(1)));
    } else if vendor {
        // Only the vendor fields are left when the IETF ones are not read.
        assert_eq!(fb.dialect(), Dialect::GitHub);
        assert_eq!(fb.policies()[0].remaining, Some(7));
    } else {
        assert_eq!(fb.dialect(), Dialect::RetryAfterOnly);
        assert!(fb.policies().is_empty());
    }
}

#[test]
fn push_policy_keeps_a_new_policy_whole_and_merges_the_next() {
    use ratelimit_headers::feedback::PolicyFeedback;
    let mut f: Feedback<'static, 2, 2> = Feedback::new(None);
    // A window and a unit without a quota are kept on a new policy.
    let mut p = PolicyFeedback::new(PolicyId::window(60)).with_unit(QuotaUnit::Tokens);
    p.window = Some(Duration::from_secs(60));
    f.push_policy(p.with_remaining(5)).unwrap();
    assert_eq!(f.policies(), &[p.with_remaining(5)]);
    // Merged: no quota leaves quota, window and unit; given fields win.
    f.push_policy(PolicyFeedback::new(PolicyId::window(60)).with_reset(Duration::from_secs(3)))
        .unwrap();
    assert_eq!(
        f.policies(),
        &[p.with_remaining(5).with_reset(Duration::from_secs(3))]
    );
    f.push_policy(
        PolicyFeedback::new(PolicyId::window(60))
            .with_quota(10, Duration::from_secs(30))
            .with_name("n"),
    )
    .unwrap();
    let q = f.policies()[0];
    assert_eq!(
        (q.quota, q.window, q.unit, q.name, q.remaining),
        (
            Some(10),
            Some(Duration::from_secs(30)),
            QuotaUnit::Requests,
            Some("n"),
            Some(5)
        )
    );
    f.push_policy(PolicyFeedback::new(PolicyId::window(1)))
        .unwrap();
    let e = f
        .push_policy(PolicyFeedback::new(PolicyId::window(2)))
        .unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::CapacityExceeded, 2));
    assert_eq!(f.policies().len(), 2);
}

#[test]
fn limit_lines_after_the_first_are_policies() {
    let combined = fb(
        200,
        &[
            ("RateLimit-Limit", "10, 10;w=1"),
            ("RateLimit-Remaining", "3"),
            ("RateLimit-Limit", "20;w=60, ,5;window=5"),
        ],
    );
    let one = fb(
        200,
        &[
            ("RateLimit-Limit", "10, 10;w=1, 20;w=60, ,5;window=5"),
            ("RateLimit-Remaining", "3"),
        ],
    );
    assert_eq!(combined.policies(), one.policies());
    assert_eq!(combined.tolerances(), one.tolerances());
    assert_eq!(combined.policies().len(), 3);
    // A later line that fails takes the whole field back.
    let bad = fb(
        200,
        &[
            ("RateLimit-Limit", "10, 10;w=1"),
            ("RateLimit-Limit", " 20;w=60, 5;w=x"),
            ("RateLimit-Limit", ""),
        ],
    );
    assert!(bad.policies().is_empty());
    let e = bad.ignored()[0].error;
    assert_eq!((e.kind(), e.offset()), (ErrorKind::WrongType, 14));
    let empty = fb(
        200,
        &[("RateLimit-Limit", "10, 10;w=1"), ("RateLimit-Limit", "  ")],
    );
    let e = empty.ignored()[0].error;
    assert_eq!((e.kind(), e.offset()), (ErrorKind::Empty, 2));
    // No capacity check on a later line but the feedback's own.
    let mut small: Feedback<'_, 2, 2> = Feedback::new(None);
    let h: [(&[u8], &[u8]); 2] = [
        (b"RateLimit-Limit", b"1, 1;w=1"),
        (b"RateLimit-Limit", b"2;w=2, 3;w=3"),
    ];
    small.read(Some(200), h, ReadOptions::new());
    assert_eq!(small.policies().len(), 2);
    let e = small.ignored()[0].error;
    assert_eq!(e.kind(), ErrorKind::CapacityExceeded);
}
