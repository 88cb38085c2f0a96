//! Every vector of `tests/data/headers.jsonl` for RateLimit-Limit, -Remaining and -Reset in
//! the dialects that send them in the list form (Claid, the draft generations up to
//! draft-ietf-06, Envoy, Kong, express-rate-limit draft-6) gives its expected result.
//!
//! Strict parsing follows RFC 9651 (draft generations B and later). For the `#rule` dialects
//! (draft-polli-00, draft-gen-a) a valid vector must parse leniently to the expected value,
//! with every departure from RFC 9651 reported as a tolerance.

use ratelimit_headers::{Limit, Remaining, Reset, Tolerance};
use serde_json::{Value, json};

const DIALECTS: &[&str] = &[
    "claid",
    "draft-polli-00",
    "draft-gen-a",
    "draft-gen-b",
    "draft-gen-c",
    "envoy-draft-03",
    "kong",
    "express-draft-6",
];

/// Dialects whose grammar is the `#rule` ABNF rather than Structured Fields.
const ABNF_DIALECTS: &[&str] = &["draft-polli-00", "draft-gen-a"];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Field {
    Limit,
    Remaining,
    Reset,
}

fn field_of(header: &str) -> Option<Field> {
    let h = header.to_ascii_lowercase();
    match h.as_str() {
        "ratelimit-limit" | "x-ratelimit-limit" => Some(Field::Limit),
        "ratelimit-reset" | "x-ratelimit-reset" => Some(Field::Reset),
        _ if h == "ratelimit-remaining" || h.starts_with("x-ratelimit-remaining") => {
            Some(Field::Remaining)
        }
        _ => None,
    }
}

fn raw_bytes(v: &Value) -> Vec<u8> {
    if let Some(hex) = v.get("value_hex").and_then(Value::as_str) {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    } else {
        v["value"].as_str().unwrap().as_bytes().to_vec()
    }
}

#[path = "common/json.rs"]
mod json_view;
use json_view::params_json;

fn limit_json<const N: usize>(l: &Limit<'_, N>) -> Value {
    let policies: Vec<Value> = l
        .policies()
        .iter()
        .map(|p| json!({ "limit": p.quota(), "window": p.window(), "params": params_json(p.params()) }))
        .collect();
    json!({
        "expiring_limit": l.expiring_limit(),
        "expiring_limit_params": params_json(l.expiring_params()),
        "policies": policies,
    })
}

/// Compares our Limit with an expected shape, which may give only some keys.
fn check_limit(ours: &Value, expected: &Value, ctx: &str) {
    if let Some(e) = expected
        .get("expiring_limit")
        .or(expected.get("lenient_expiring_limit"))
    {
        assert_eq!(&ours["expiring_limit"], e, "{ctx}: expiring limit");
    }
    let eparams = expected
        .get("expiring_limit_params")
        .cloned()
        .unwrap_or(json!({}));
    assert_eq!(
        ours["expiring_limit_params"], eparams,
        "{ctx}: expiring params"
    );
    let ours_p = ours["policies"].as_array().unwrap();
    if let Some(n) = expected.get("policies_count") {
        assert_eq!(
            ours_p.len() as u64,
            n.as_u64().unwrap(),
            "{ctx}: policy count"
        );
        assert_eq!(&ours_p[0], &expected["first"], "{ctx}: first policy");
        assert_eq!(
            ours_p.last().unwrap(),
            &expected["last"],
            "{ctx}: last policy"
        );
        return;
    }
    let exp_p = expected
        .get("policies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    assert_eq!(ours_p.len(), exp_p.len(), "{ctx}: policy count");
    for (o, e) in ours_p.iter().zip(&exp_p) {
        let mut e = e.clone();
        // A vector that reads draft-polli-00's `window=` as an unknown parameter (window
        // null) meets our lenient reading, which takes it as the window (reported as
        // Tolerance::WindowAlias, checked by the caller).
        if e["window"].is_null() && e["params"].get("window").is_some() {
            let w = e["params"]
                .as_object_mut()
                .unwrap()
                .remove("window")
                .unwrap();
            e["window"] = w;
        }
        assert_eq!(o, &e, "{ctx}: policy");
    }
}

fn check_scalar(
    field: Field,
    ours: Option<Reset>,
    rem: Option<Remaining>,
    expected: &Value,
    ctx: &str,
) {
    match field {
        Field::Remaining => {
            assert_eq!(
                json!(rem.unwrap().get()),
                expected["remaining"],
                "{ctx}: remaining"
            );
        }
        Field::Reset => match ours.unwrap() {
            Reset::Seconds(s) => assert_eq!(json!(s), expected["reset_seconds"], "{ctx}: reset"),
            Reset::At(d) => assert_eq!(
                json!(d.unix_seconds()),
                expected["reset_at_epoch"],
                "{ctx}: reset date"
            ),
        },
        Field::Limit => unreachable!(),
    }
}

/// The parse results of one vector: strict, and lenient with its tolerances.
struct Outcome {
    strict: Result<Value, ratelimit_headers::Error>,
    lenient: Result<(Value, ratelimit_headers::Tolerances), ratelimit_headers::Error>,
}

fn run(field: Field, raw: &[u8]) -> Outcome {
    let scalar = |r: Option<Reset>, m: Option<Remaining>| match (r, m) {
        (Some(Reset::Seconds(s)), _) => json!({ "reset_seconds": s }),
        (Some(Reset::At(d)), _) => json!({ "reset_at_epoch": d.unix_seconds() }),
        (_, Some(m)) => json!({ "remaining": m.get() }),
        _ => unreachable!(),
    };
    match field {
        Field::Limit => Outcome {
            strict: Limit::<1024>::parse(raw).map(|l| limit_json(&l)),
            lenient: Limit::<1024>::parse_lenient(raw)
                .map(|l| (limit_json(&l.value), l.tolerances)),
        },
        Field::Remaining => Outcome {
            strict: Remaining::parse(raw).map(|r| scalar(None, Some(r))),
            lenient: Remaining::parse_lenient(raw)
                .map(|r| (scalar(None, Some(r.value)), r.tolerances)),
        },
        Field::Reset => Outcome {
            strict: Reset::parse(raw).map(|r| scalar(Some(r), None)),
            lenient: Reset::parse_lenient(raw).map(|r| (scalar(Some(r.value), None), r.tolerances)),
        },
    }
}

fn check(field: Field, ours: &Value, expected: &Value, ctx: &str) {
    match field {
        Field::Limit => check_limit(ours, expected, ctx),
        Field::Remaining => check_scalar(
            field,
            None,
            Some(Remaining::new(ours["remaining"].as_u64().unwrap())),
            expected,
            ctx,
        ),
        Field::Reset => {
            if let Some(s) = ours.get("reset_seconds") {
                check_scalar(
                    field,
                    Some(Reset::Seconds(s.as_u64().unwrap())),
                    None,
                    expected,
                    ctx,
                )
            } else {
                assert_eq!(
                    ours["reset_at_epoch"], expected["reset_at_epoch"],
                    "{ctx}: reset date"
                );
            }
        }
    }
}

#[test]
fn header_vectors_for_limit_remaining_reset() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/headers.jsonl"
    ))
    .expect("tests/data/headers.jsonl");
    let mut checked = 0;
    let mut expected_count = 0;
    for (line_no, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).unwrap();
        let dialect = v["dialect"].as_str().unwrap();
        let header = v["header"].as_str().unwrap();
        let Some(field) = field_of(header) else {
            continue;
        };
        if !DIALECTS.contains(&dialect) {
            continue;
        }
        expected_count += 1;
        let raw = raw_bytes(&v);
        let ctx = format!(
            "line {} ({dialect} {header}: {:?})",
            line_no + 1,
            v["value"]
        );
        let valid = v["valid"].as_bool().unwrap();
        let expected = &v["expected"];
        let abnf = ABNF_DIALECTS.contains(&dialect);
        let out = run(field, &raw);

        match (valid, abnf) {
            (true, false) => {
                // Structured Field dialect, valid: strict and lenient agree, nothing tolerated.
                let strict = out
                    .strict
                    .unwrap_or_else(|e| panic!("{ctx}: strict failed: {e}"));
                check(field, &strict, expected, &ctx);
                let (lenient, tol) = out
                    .lenient
                    .unwrap_or_else(|e| panic!("{ctx}: lenient failed: {e}"));
                assert_eq!(lenient, strict, "{ctx}: lenient differs from strict");
                assert!(
                    tol.is_empty(),
                    "{ctx}: tolerances on a valid value: {tol:?}"
                );
            }
            (true, true) => {
                // `#rule` dialect, valid: lenient gives the value; strict gives it too or
                // rejects it, in which case lenient must report why.
                let (lenient, tol) = out
                    .lenient
                    .unwrap_or_else(|e| panic!("{ctx}: lenient failed: {e}"));
                check(field, &lenient, expected, &ctx);
                match out.strict {
                    Ok(strict) => {
                        assert_eq!(strict, lenient, "{ctx}: strict differs");
                        assert!(tol.is_empty(), "{ctx}: {tol:?}");
                    }
                    Err(_) => assert!(
                        !tol.is_empty(),
                        "{ctx}: strict rejects but nothing tolerated"
                    ),
                }
            }
            (false, _) => {
                let lenient_expected = expected.get("lenient").cloned().or_else(|| {
                    expected
                        .get("lenient_expiring_limit")
                        .map(|_| expected.clone())
                });
                // One vector is invalid only under the `#rule` grammar: `-0` has no sign in
                // `1*DIGIT`, but RFC 9651 reads it as 0 (number.json "negative zero"), and
                // strict parsing follows RFC 9651. Its lenient reading (0) must still hold.
                let sf_valid_exception = abnf && raw == b"-0";
                if sf_valid_exception {
                    let strict = out.strict.unwrap_or_else(|e| panic!("{ctx}: {e}"));
                    check(field, &strict, lenient_expected.as_ref().unwrap(), &ctx);
                } else {
                    let err = out.strict.expect_err(&ctx);
                    assert!(
                        err.offset() <= raw.len(),
                        "{ctx}: offset {} past the end",
                        err.offset()
                    );
                }
                if let Some(le) = lenient_expected {
                    let (lenient, tol) = out
                        .lenient
                        .unwrap_or_else(|e| panic!("{ctx}: lenient failed: {e}"));
                    check(field, &lenient, &le, &ctx);
                    if !sf_valid_exception {
                        assert!(
                            !tol.is_empty(),
                            "{ctx}: lenient accepted without a tolerance"
                        );
                    }
                    if le.get("exhausted") == Some(&json!(true)) {
                        assert!(
                            tol.contains(Tolerance::NegativeClamped),
                            "{ctx}: not flagged over quota"
                        );
                    }
                    if expected["policies"].as_array().is_some_and(|p| {
                        p.iter()
                            .any(|p| p["window"].is_null() && p["params"].get("window").is_some())
                    }) {
                        assert!(
                            tol.contains(Tolerance::WindowAlias),
                            "{ctx}: window alias not reported"
                        );
                    }
                }
            }
        }
        checked += 1;
    }
    assert_eq!(checked, expected_count);
    assert!(checked >= 40, "only {checked} vectors found");
    println!("{checked} vectors checked");
}

#[test]
fn the_1023_policy_vector_exceeds_the_default_capacity() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/headers.jsonl"
    ))
    .unwrap();
    let big = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["expected"].get("policies_count").is_some() && v["dialect"] == "draft-gen-b")
        .expect("the 1023-policy vector");
    let raw = big["value"].as_str().unwrap().as_bytes();
    let err = Limit::<8>::parse(raw).unwrap_err();
    assert_eq!(err.kind(), ratelimit_headers::ErrorKind::CapacityExceeded);
    // The ninth policy is where capacity ran out.
    let ninth = raw.windows(5).position(|w| w == b", 9;w").unwrap() + 2;
    assert_eq!(err.offset(), ninth);
    assert_eq!(Limit::<1023>::parse(raw).unwrap().policies().len(), 1023);
}

#[test]
fn error_offsets_point_at_the_offending_byte() {
    use ratelimit_headers::ErrorKind::*;
    let cases: &[(&[u8], ratelimit_headers::ErrorKind, usize)] = &[
        (b"10, 10;W=1", ExpectedKey, 7),
        (b"10, 10 ;w=1", WhitespaceBeforeParameter, 6),
        (b"10, , 10;w=1", EmptyListMember, 4),
        (b"10, 10;w=1,", TrailingComma, 11),
        (b"10, 10;\tw=1", ExpectedKey, 7),
        (b"10, 10;w=x", WrongType, 9),
        (b"10, 10;w=-1", Negative, 9),
        (b"10, 10", MissingWindow, 4),
        (b"1000000000000000, 10;w=1", IntegerTooLong, 15),
        (b"  ", Empty, 2),
        (b"10, 10;w=1;c=\"a\\n\"", InvalidString, 16),
    ];
    for (input, kind, offset) in cases {
        let e = Limit::<4>::parse(input).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (*kind, *offset),
            "{:?}: {e}",
            String::from_utf8_lossy(input)
        );
    }
    let e = Remaining::parse(b"1\xff").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (NonAscii, 1));
    let e = Remaining::parse(b"1.5").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (WrongType, 0));
    let e = Reset::parse(b" -5").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (Negative, 1));
}

#[test]
fn dictionary_members_of_the_wrong_type_are_reported_where_their_value_starts() {
    use ratelimit_headers::{ErrorKind, RateLimit};
    let cases: &[(&[u8], ErrorKind, usize)] = &[
        // A bare key is the Boolean true.
        (b"limit=5, remaining, reset=3", ErrorKind::WrongType, 19),
        (b"limit=5, reset=3, remaining", ErrorKind::WrongType, 27),
        (b"limit=(1 2), reset=1", ErrorKind::WrongType, 6),
        (b"limit=-5, reset=1", ErrorKind::Negative, 6),
        (b"limit=5;w=1, reset=\"x\"", ErrorKind::WrongType, 19),
        // The last of a repeated member counts.
        (
            b"limit=x, limit=5, reset=1, reset=?1",
            ErrorKind::WrongType,
            33,
        ),
    ];
    for (input, kind, offset) in cases {
        let e = RateLimit::<0>::parse(input).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (*kind, *offset),
            "{}",
            String::from_utf8_lossy(input)
        );
    }
    let ok = RateLimit::<0>::parse(b"limit=x, limit=5, reset=?1, reset=1").unwrap();
    let RateLimit::Dictionary(d) = ok else {
        panic!("a dictionary")
    };
    assert_eq!((d.limit(), d.reset()), (5, 1));
}

/// A parameter without `=` is the Boolean true (RFC 9651 §4.2.3.2): a bare `w`, `q`, `qu` or
/// `pk` has the wrong type, reported where a value would start. The value used to be read
/// again from just past `key=`, so a bare key followed by `,` took the next member's item as
/// its value (`10, 5;w,6;w=1` gave the policy 5 a window of 6).
#[test]
fn bare_parameters_are_booleans_not_the_next_member() {
    use ratelimit_headers::{ErrorKind, RateLimit, RateLimitPolicy};
    let wrong = |r: Result<(), ratelimit_headers::Error>| {
        let e = r.unwrap_err();
        (e.kind(), e.offset(), e.found())
    };
    let limit = |i: &[u8]| {
        let strict = wrong(Limit::<4>::parse(i).map(drop));
        assert_eq!(strict, wrong(Limit::<4>::parse_lenient(i).map(drop)));
        strict
    };
    assert_eq!(
        limit(b"10, 5;w,6;w=1"),
        (ErrorKind::WrongType, 8, Some(b'6'))
    );
    assert_eq!(
        limit(b"10, 5;w,-6;w=1"),
        (ErrorKind::WrongType, 8, Some(b'-'))
    );
    // Lenient mode reads `W` as `w`.
    let l = Limit::<4>::parse_lenient(b"10, 5;W,6;w=1").unwrap_err();
    assert_eq!((l.kind(), l.offset()), (ErrorKind::WrongType, 8));

    let policy = |i: &[u8]| {
        let strict = wrong(RateLimitPolicy::<4>::parse(i).map(drop));
        assert_eq!(
            strict,
            wrong(RateLimitPolicy::<4>::parse_lenient(i).map(drop))
        );
        strict
    };
    assert_eq!(policy(b"5;w,6;w=1"), (ErrorKind::WrongType, 4, Some(b'6')));
    assert_eq!(
        policy(br#""a";q=1;qu,"b";q=2"#),
        (ErrorKind::WrongType, 11, Some(b'"'))
    );
    assert_eq!(
        policy(br#""a";q=1;w,0"#),
        (ErrorKind::WrongType, 10, Some(b'0'))
    );
    assert_eq!(
        policy(br#""a";q,-5"#),
        (ErrorKind::WrongType, 6, Some(b'-'))
    );
    assert_eq!(
        policy(br#""a";q=1;pk,:aGk=:"#),
        (ErrorKind::WrongType, 11, Some(b':'))
    );

    // `RateLimit` keeps each value as read: the same inputs were, and are, rejected.
    let ratelimit = |i: &[u8]| {
        let strict = wrong(RateLimit::<4>::parse(i).map(drop));
        assert_eq!(strict, wrong(RateLimit::<4>::parse_lenient(i).map(drop)));
        strict
    };
    assert_eq!(
        ratelimit(br#""a";r=1;t,"b";r=2"#),
        (ErrorKind::WrongType, 10, Some(b'"'))
    );
    assert_eq!(
        ratelimit(br#""a";r,5"#),
        (ErrorKind::WrongType, 6, Some(b'5'))
    );

    // The last occurrence counts: a bare key followed by a valid one is fine.
    let l = Limit::<4>::parse(b"10, 5;w;w=6").unwrap();
    assert_eq!(l.policies()[0].window(), Some(6));
    let p = RateLimitPolicy::<4>::parse(br#""a";q;qu;q=1;qu="b""#).unwrap();
    assert_eq!(p.policies()[0].quota(), 1);
    assert_eq!(p.policies()[0].unit().map(|u| u.raw()), Some("b"));
}

/// The fast paths pass an item on only once it ended in the canonical shape: an item they
/// had read up to a lenient OWS before `;` (`"a";r=1 ;t=2`) was passed on without what
/// followed, and the general parser, reading the value again, kept that shortened item. The
/// result is now the same with and without the `perf` feature.
#[test]
fn lenient_items_read_past_the_fast_path_keep_all_their_parameters() {
    use ratelimit_headers::{RateLimit, RateLimitPolicy, Tolerance};

    let rl = RateLimit::<8>::parse_lenient(br#""a";r=1 ;t=2, "b";r=3"#).unwrap();
    let items = rl.value.items();
    assert_eq!(items.len(), 2);
    assert_eq!((items[0].remaining(), items[0].reset()), (Some(1), Some(2)));
    assert_eq!((items[1].remaining(), items[1].reset()), (Some(3), None));
    assert!(rl.tolerances.contains(Tolerance::WhitespaceAroundSemicolon));

    let p = RateLimitPolicy::<8>::parse_lenient(br#""a";q=1 ;w=2, "b";q=3"#).unwrap();
    let policies = p.value.policies();
    assert_eq!(policies.len(), 2);
    assert_eq!((policies[0].quota(), policies[0].window()), (1, Some(2)));
    assert_eq!((policies[1].quota(), policies[1].window()), (3, None));

    let p = RateLimitPolicy::<8>::parse_lenient(b"1;w=1 ;q=1").unwrap();
    let policies = p.value.policies();
    assert_eq!(policies.len(), 1);
    assert!(policies[0].params().get("q").is_some());
}

/// `RateLimit-Limit`'s fast path passed a policy on once its window was read, so in
/// `10, 101;w=1 ;w=60` (a lenient OWS before a repeated `w`, whose last value wins, RFC 9651
/// §4.2.3.2) `Feedback` declared 101 per 1 s where `Limit::parse_lenient` reads 101 per 60 s.
/// Found by the behaviour differential (`differential/run.sh --no-default-features`).
#[test]
fn feedback_reads_a_lenient_limit_as_limit_parse_lenient_does() {
    use core::time::Duration;
    use ratelimit_headers::{Feedback, Limit};

    let value = b"10, 101;w=1 ;w=60";
    let limit = Limit::<8>::parse_lenient(value).unwrap().value;
    assert_eq!(limit.policies().len(), 1);
    assert_eq!(limit.policies()[0].window(), Some(60));

    let headers: [(&[u8], &[u8]); 1] = [(b"ratelimit-limit", value)];
    let fb: Feedback = Feedback::from_headers(Some(200), headers.iter().copied());
    assert_eq!(fb.policies().len(), 1);
    assert_eq!(fb.policies()[0].quota, Some(101));
    assert_eq!(fb.policies()[0].window, Some(Duration::from_secs(60)));
}
