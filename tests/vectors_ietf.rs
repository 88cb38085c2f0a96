//! Every vector of `tests/data/headers.jsonl` for `RateLimit-Policy`, `RateLimit` and
//! `Retry-After` gives its expected result: valid ones by value (strict and lenient agree, no
//! tolerance), invalid ones as strict errors and as the `lenient` value where one is given.

use ratelimit_headers::{Error, RateLimit, RateLimitPolicy, RetryAfter, Tolerances};
use serde_json::{Map, Value, json};

#[path = "common/json.rs"]
mod json_view;
use json_view::{param_json, params_json};

fn policy_json(p: &RateLimitPolicy<'_, 1024>) -> Value {
    let items: Vec<Value> = p
        .policies()
        .iter()
        .map(|p| match p.name() {
            None => {
                json!({"limit": p.quota(), "window": p.window(), "params": params_json(p.params())})
            }
            Some(n) => json!({
                "name": n.to_string(),
                "quota": p.quota(),
                "window": p.window(),
                "quota_unit": p.unit().map(|u| u.to_string()),
                "partition_key_b64": p.partition_key().map(|k| k.base64()),
                "params": params_json(p.params()),
            }),
        })
        .collect();
    json!({ "policies": items })
}

fn ratelimit_json(r: &RateLimit<'_, 1024>) -> Value {
    match r {
        RateLimit::Dictionary(d) => {
            let mut o =
                json!({"limit": d.limit(), "remaining": d.remaining(), "reset_seconds": d.reset()});
            let unknown: Map<String, Value> = d
                .unknown()
                .map(|(k, m)| match m {
                    ratelimit_headers::sf::Member::Item(i) => (k.to_string(), param_json(i.bare)),
                    _ => (k.to_string(), Value::Null),
                })
                .collect();
            if !unknown.is_empty() {
                o["unknown"] = Value::Object(unknown);
            }
            o
        }
        RateLimit::List(items) => json!({
            "limits": items.iter().map(|l| json!({
                "name": l.name().to_string(),
                "remaining": l.remaining(),
                "reset_seconds": l.reset(),
                "partition_key_b64": l.partition_key().map(|k| k.base64()),
                "params": params_json(l.params()),
            })).collect::<Vec<_>>()
        }),
    }
}

fn retry_json(r: &RetryAfter) -> Value {
    match r {
        RetryAfter::Delay(d) if d.subsec_nanos() == 0 => {
            json!({"retry_after_seconds": d.as_secs()})
        }
        RetryAfter::Delay(d) => json!({"retry_after_seconds": d.as_secs_f64()}),
        RetryAfter::At(date) => json!({"retry_at_epoch": date.unix_seconds()}),
    }
}

type Parsed = Result<Value, Error>;
type ParsedLenient = Result<(Value, Tolerances), Error>;

fn run(header: &str, raw: &[u8]) -> Option<(Parsed, ParsedLenient)> {
    Some(match header {
        "ratelimit-policy" => (
            RateLimitPolicy::<1024>::parse(raw).map(|v| policy_json(&v)),
            RateLimitPolicy::<1024>::parse_lenient(raw)
                .map(|v| (policy_json(&v.value), v.tolerances)),
        ),
        "ratelimit" => (
            RateLimit::<1024>::parse(raw).map(|v| ratelimit_json(&v)),
            RateLimit::<1024>::parse_lenient(raw).map(|v| (ratelimit_json(&v.value), v.tolerances)),
        ),
        "retry-after" => (
            RetryAfter::parse(raw).map(|v| retry_json(&v)),
            RetryAfter::parse_lenient(raw).map(|v| (retry_json(&v.value), v.tolerances)),
        ),
        _ => return None,
    })
}

/// Our value agrees with the expected shape on every key the vector gives.
fn agrees(ours: &Value, expected: &Value, ctx: &str) {
    if let Some(n) = expected.get("limits_count") {
        let items = ours["limits"].as_array().unwrap();
        assert_eq!(items.len() as u64, n.as_u64().unwrap(), "{ctx}");
        assert_eq!(&items[0], &expected["first"], "{ctx}");
        assert_eq!(items.last().unwrap(), &expected["last"], "{ctx}");
        return;
    }
    for (k, e) in expected.as_object().unwrap() {
        if matches!(
            k.as_str(),
            "note" | "form" | "error" | "spec_action" | "lenient"
        ) || k.starts_with("partition_key_") && !k.ends_with("b64")
        {
            continue;
        }
        // An expected value too large to represent is given as a string: we saturate.
        if let Some(s) = e.as_str().filter(|s| s.bytes().all(|b| b.is_ascii_digit())) {
            assert!(s.len() > 15, "{ctx}");
            continue;
        }
        if k == "retry_after_seconds_saturated" {
            assert_eq!(ours["retry_after_seconds"], *e, "{ctx}");
            continue;
        }
        let o = ours.get(k).unwrap_or(&Value::Null);
        let e = match (k.as_str(), e) {
            // Dictionary `remaining` absent vs null.
            _ if e.is_null() => &Value::Null,
            _ => e,
        };
        if let (Some(a), Some(b)) = (o.as_f64(), e.as_f64()) {
            assert_eq!(a, b, "{ctx}: key {k}");
        } else {
            assert_eq!(o, e, "{ctx}: key {k}");
        }
    }
}

#[test]
fn ratelimit_policy_ratelimit_and_retry_after_vectors() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/headers.jsonl"
    ))
    .unwrap();
    let mut checked = 0;
    let mut total = 0;
    for (i, line) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(line).unwrap();
        let header = v["header"].as_str().unwrap().to_ascii_lowercase();
        let raw = v["value"].as_str().unwrap().as_bytes();
        let Some((strict, lenient)) = run(&header, raw) else {
            continue;
        };
        total += 1;
        let ctx = format!(
            "line {} ({} {header}: {:?})",
            i + 1,
            v["dialect"],
            v["value"]
        );
        let expected = &v["expected"];
        if v["valid"].as_bool().unwrap() {
            let s = strict.unwrap_or_else(|e| panic!("{ctx}: strict failed: {e}"));
            agrees(&s, expected, &ctx);
            let (l, tol) = lenient.unwrap_or_else(|e| panic!("{ctx}: lenient failed: {e}"));
            assert_eq!(l, s, "{ctx}");
            assert!(tol.is_empty(), "{ctx}: {tol:?}");
        } else {
            let err = strict.expect_err(&ctx);
            assert!(err.offset() <= raw.len(), "{ctx}");
            if let Some(le) = expected.get("lenient") {
                let (l, tol) = lenient.unwrap_or_else(|e| panic!("{ctx}: lenient failed: {e}"));
                agrees(&l, le, &ctx);
                assert!(!tol.is_empty(), "{ctx}: accepted without a tolerance");
            }
        }
        checked += 1;
    }
    assert_eq!(checked, total);
    assert!(checked >= 35, "{checked}");
    println!("{checked} vectors checked");
}

#[test]
fn built_dictionaries_round_trip() {
    use ratelimit_headers::LimitDictionary;
    let built: RateLimit = RateLimit::Dictionary(LimitDictionary::new(100, 5).with_remaining(50));
    let text = built.to_string();
    assert_eq!(text, "limit=100, remaining=50, reset=5");
    assert_eq!(RateLimit::<8>::parse(text.as_bytes()).unwrap(), built);
    let other = RateLimit::<8>::parse(b"limit=100, remaining=50, reset=5, acme=1").unwrap();
    assert_ne!(other, built);
    assert_eq!(
        RateLimit::<8>::parse(other.to_string().as_bytes()).unwrap(),
        other
    );
}
