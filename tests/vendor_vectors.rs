//! Every vector of `tests/data/headers.jsonl` in a vendor dialect (GitHub, X/Twitter, Discord,
//! OpenAI, Azure OpenAI, Anthropic, Reddit, Shopify, GitLab, Kong, Traefik, express-rate-limit
//! legacy) gives its expected result with the vendor value types.
//!
//! A valid vector must parse strictly to the expected value (and leniently to the same value
//! with no tolerance). An invalid vector must fail strict parsing; when it has a lenient
//! reading, lenient parsing must give it and report at least one tolerance.
//!
//! Vectors for fields with IETF meaning are checked elsewhere (`RateLimit-Limit`,
//! `-Remaining`, `-Reset` outside GitLab, `Retry-After`, `RateLimit`, `RateLimit-Policy`);
//! they are counted as skipped, and the test asserts checked + skipped = all.

use core::time::Duration;

use ratelimit_headers::field::vendor::{
    CallLimit, Count, DecimalCount, DecimalSeconds, DiscordScope, Flag, GoDuration, KongField,
    KongPeriod, Label, Rfc3339, UnixTime,
};
use ratelimit_headers::{Error, HttpDate, Lenient, Tolerance};
use serde_json::{Map, Value};

const DIALECTS: &[&str] = &[
    "github",
    "twitter",
    "discord",
    "openai",
    "azure-openai",
    "anthropic",
    "reddit",
    "shopify",
    "gitlab",
    "kong",
    "traefik",
    "express-legacy",
];

/// Keys of `expected` that describe the vector rather than the value.
const DESCRIPTIVE: &[&str] = &["note", "form", "format", "error", "lenient"];

/// The parsed meaning of a vendor value, as `(key, JSON value)` pairs in the vectors' terms.
type Meaning = Vec<(&'static str, Value)>;

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

fn secs(d: Duration) -> Value {
    Value::from(d.as_secs_f64())
}

/// How to read one header of one dialect.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Owned by another module (IETF meaning): skipped here.
    Elsewhere,
    /// A count; the key it has in `expected`.
    Count(&'static str),
    /// Kong's `X-RateLimit-{Limit,Remaining}-<Period>`.
    KongCount,
    DecimalCount(&'static str),
    /// Epoch seconds, expected as `reset_at_epoch` or `reset_at_epoch_ms`.
    UnixTime,
    DecimalSeconds(&'static str),
    GoDuration(&'static str),
    Rfc3339,
    HttpDate,
    CallLimit,
    Label(&'static str),
    Scope,
    Flag,
}

fn kind(dialect: &str, header: &str) -> Option<Kind> {
    let h = header.to_ascii_lowercase();
    let k = match h.as_str() {
        "retry-after"
        | "ratelimit"
        | "ratelimit-policy"
        | "ratelimit-limit"
        | "ratelimit-remaining" => Kind::Elsewhere,
        "ratelimit-reset" if dialect == "gitlab" => Kind::UnixTime,
        "ratelimit-reset" => Kind::Elsewhere,
        "ratelimit-resettime" => Kind::HttpDate,
        "ratelimit-name" | "x-ratelimit-resource" | "x-ratelimit-bucket" => {
            Kind::Label(if h == "x-ratelimit-resource" {
                "resource"
            } else {
                "name"
            })
        }
        "x-ratelimit-reset" | "x-rate-limit-reset" if dialect == "reddit" => {
            Kind::DecimalSeconds("reset_seconds")
        }
        "x-ratelimit-reset" | "x-rate-limit-reset" => Kind::UnixTime,
        "x-ratelimit-reset-after" => Kind::DecimalSeconds("reset_seconds"),
        "x-ratelimit-remaining" if dialect == "reddit" => Kind::DecimalCount("remaining"),
        "x-ratelimit-limit" | "x-rate-limit-limit" => Kind::Count("limit"),
        "x-ratelimit-remaining" | "x-rate-limit-remaining" => Kind::Count("remaining"),
        "x-ratelimit-used" => Kind::Count("used"),
        "x-ratelimit-scope" => Kind::Scope,
        "x-ratelimit-global" => Kind::Flag,
        "x-shopify-shop-api-call-limit" | "x-gorgias-account-api-call-limit" => Kind::CallLimit,
        "x-retry-in" => Kind::GoDuration("retry_in_seconds"),
        _ if h.starts_with("x-ratelimit-reset-") => Kind::GoDuration("reset_seconds"),
        _ if h.starts_with("x-ratelimit-limit-")
            && KongPeriod::parse_header_name(h.as_bytes()).is_some() =>
        {
            Kind::KongCount
        }
        _ if h.starts_with("x-ratelimit-remaining-")
            && KongPeriod::parse_header_name(h.as_bytes()).is_some() =>
        {
            Kind::KongCount
        }
        _ if h.starts_with("x-ratelimit-limit-") => Kind::Count("limit"),
        _ if h.starts_with("x-ratelimit-remaining-") => Kind::Count("remaining"),
        _ if h.starts_with("anthropic-ratelimit-") && h.ends_with("-reset") => Kind::Rfc3339,
        _ if h.starts_with("anthropic-ratelimit-") && h.ends_with("-limit") => Kind::Count("limit"),
        _ if h.starts_with("anthropic-ratelimit-") && h.ends_with("-remaining") => {
            Kind::Count("remaining")
        }
        _ => return None,
    };
    Some(k)
}

/// Parses `bytes` as `kind`, strictly or leniently, into its meaning and tolerances.
fn read(kind: Kind, header: &str, bytes: &[u8], lenient: bool) -> Result<(Meaning, bool), Error> {
    fn go<T>(
        lenient: bool,
        bytes: &[u8],
        strict: fn(&[u8]) -> Result<T, Error>,
        loose: fn(&[u8]) -> Result<Lenient<T>, Error>,
    ) -> Result<(T, bool), Error> {
        if lenient {
            loose(bytes).map(|l| (l.value, !l.tolerances.is_empty()))
        } else {
            strict(bytes).map(|v| (v, false))
        }
    }
    Ok(match kind {
        Kind::Elsewhere => unreachable!(),
        Kind::Count(key) if lenient => {
            let l = Count::parse_lenient(bytes)?;
            if key == "limit" && l.tolerances.contains(Tolerance::NegativeClamped) {
                // A negative limit is a sentinel for "unknown" (Azure OpenAI), not a limit of 0.
                let unknown = vec![("limit", Value::Null), ("unknown", Value::Bool(true))];
                return Ok((unknown, true));
            }
            (vec![(key, Value::from(l.value.get()))], !l.is_strict())
        }
        Kind::Count(key) => (vec![(key, Value::from(Count::parse(bytes)?.get()))], false),
        Kind::KongCount => {
            let (c, tol) = go(lenient, bytes, Count::parse, Count::parse_lenient)?;
            let (field, period) = KongPeriod::parse_header_name(header.as_bytes()).unwrap();
            let key = match field {
                KongField::Limit => "limit",
                KongField::Remaining => "remaining",
            };
            (
                vec![
                    (key, Value::from(c.get())),
                    ("window", Value::from(period.window_seconds())),
                ],
                tol,
            )
        }
        Kind::DecimalCount(key) => {
            let (c, tol) = go(
                lenient,
                bytes,
                DecimalCount::parse,
                DecimalCount::parse_lenient,
            )?;
            (vec![(key, Value::from(c.milli() as f64 / 1000.0))], tol)
        }
        Kind::UnixTime => {
            let (t, tol) = go(lenient, bytes, UnixTime::parse, UnixTime::parse_lenient)?;
            let ms = t.secs() * 1000 + u64::from(t.subsec_millis());
            (
                vec![
                    ("reset_at_epoch", Value::from(t.secs())),
                    ("reset_at_epoch_ms", Value::from(ms)),
                ],
                tol,
            )
        }
        Kind::DecimalSeconds(key) => {
            let (d, tol) = go(
                lenient,
                bytes,
                DecimalSeconds::parse,
                DecimalSeconds::parse_lenient,
            )?;
            (vec![(key, secs(d.duration()))], tol)
        }
        Kind::GoDuration(key) => {
            let (d, tol) = go(lenient, bytes, GoDuration::parse, GoDuration::parse_lenient)?;
            (vec![(key, secs(d.duration()))], tol)
        }
        Kind::Rfc3339 => {
            let (t, tol) = go(lenient, bytes, Rfc3339::parse, Rfc3339::parse_lenient)?;
            (vec![("reset_at_epoch", Value::from(t.unix_seconds()))], tol)
        }
        Kind::HttpDate => {
            let d = HttpDate::parse(bytes)?;
            (
                vec![("reset_at_epoch", Value::from(d.unix_seconds()))],
                false,
            )
        }
        Kind::CallLimit => {
            let (c, tol) = go(lenient, bytes, CallLimit::parse, CallLimit::parse_lenient)?;
            (
                vec![
                    ("used", Value::from(c.used())),
                    ("limit", Value::from(c.size())),
                    ("remaining", Value::from(c.remaining())),
                ],
                tol,
            )
        }
        Kind::Label(key) => {
            let (l, tol) = go(
                lenient,
                bytes,
                Label::<64>::parse,
                Label::<64>::parse_lenient,
            )?;
            (vec![(key, Value::from(l.as_str()))], tol)
        }
        Kind::Scope => {
            let (s, tol) = go(
                lenient,
                bytes,
                DiscordScope::parse,
                DiscordScope::parse_lenient,
            )?;
            (vec![("scope", Value::from(s.as_str()))], tol)
        }
        Kind::Flag => {
            let (f, tol) = go(lenient, bytes, Flag::parse, Flag::parse_lenient)?;
            (vec![("global", Value::from(f.get()))], tol)
        }
    })
}

/// Keys of `expected` that are dialect knowledge, not in the value: `(dialect, header, key)`.
/// X's windows are 15 minutes by documentation; nothing in `x-rate-limit-limit: 900` says so.
const DIALECT_KNOWLEDGE: &[(&str, &str, &str)] = &[("twitter", "x-rate-limit-limit", "window")];

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        // Durations are seconds as floats: equal to the nanosecond.
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

/// Checks every key of `expected` (except descriptive ones) against the meaning read.
fn check(ctx: &str, dialect: &str, header: &str, expected: &Map<String, Value>, got: &Meaning) {
    for (key, want) in expected {
        if DESCRIPTIVE.contains(&key.as_str()) {
            continue;
        }
        let known = DIALECT_KNOWLEDGE
            .iter()
            .any(|(d, h, k)| *d == dialect && h.eq_ignore_ascii_case(header) && *k == key);
        if known {
            continue;
        }
        let found = got.iter().find(|(k, _)| k == key);
        match found {
            Some((_, v)) => assert!(same(v, want), "{ctx}: {key} = {v}, expected {want}"),
            None => panic!("{ctx}: expected key {key:?} is not produced (got {got:?})"),
        }
    }
}

#[test]
fn vendor_vectors() {
    let data = include_str!("data/headers.jsonl");
    let (mut total, mut checked, mut skipped) = (0, 0, 0);
    let mut invalid_checked = 0;
    for (line_no, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).unwrap();
        let dialect = v["dialect"].as_str().unwrap();
        if !DIALECTS.contains(&dialect) {
            continue;
        }
        total += 1;
        let header = v["header"].as_str().unwrap();
        let ctx = format!(
            "line {} ({dialect} {header}: {:?})",
            line_no + 1,
            v["value"]
        );
        let kind = kind(dialect, header).unwrap_or_else(|| panic!("{ctx}: no type for header"));
        if let Kind::Elsewhere = kind {
            skipped += 1;
            continue;
        }
        let bytes = raw_bytes(&v);
        let expected = v["expected"].as_object().unwrap();
        if v["valid"].as_bool().unwrap() {
            let (got, _) = read(kind, header, &bytes, false)
                .unwrap_or_else(|e| panic!("{ctx}: strict parse failed: {e}"));
            check(&ctx, dialect, header, expected, &got);
            let (lenient, tolerated) = read(kind, header, &bytes, true)
                .unwrap_or_else(|e| panic!("{ctx}: lenient parse failed: {e}"));
            assert!(!tolerated, "{ctx}: a valid value needs no tolerance");
            assert_eq!(lenient, got, "{ctx}: lenient and strict differ");
        } else {
            let err = read(kind, header, &bytes, false);
            assert!(err.is_err(), "{ctx}: strict parse accepted {err:?}");
            if let Some(want) = expected.get("lenient").and_then(Value::as_object) {
                let (got, tolerated) = read(kind, header, &bytes, true)
                    .unwrap_or_else(|e| panic!("{ctx}: lenient parse failed: {e}"));
                assert!(tolerated, "{ctx}: lenient parse reported no tolerance");
                check(&ctx, dialect, header, want, &got);
            }
            invalid_checked += 1;
        }
        checked += 1;
    }
    assert_eq!(
        checked + skipped,
        total,
        "every vendor vector is checked or owned elsewhere"
    );
    // The counts at the time of writing: a change in the vector file shows up here.
    assert_eq!((total, checked, skipped, invalid_checked), (30, 26, 4, 4));
}

#[test]
fn express_legacy_and_github_shapes() {
    // express-rate-limit's legacy headers (no vector in the file): epoch reset with a Date.
    let date = HttpDate::parse(b"Tue, 16 Jan 2024 16:00:00 GMT").unwrap();
    let reset = UnixTime::parse(b"1705420860").unwrap();
    assert_eq!(reset.delay_from_date(date), Duration::from_secs(60));
    assert_eq!(Count::parse(b"5").unwrap().get(), 5);
    // GitHub: limit 5000, remaining 4987, used 13, reset epoch, resource core.
    assert_eq!(Count::parse(b"4987").unwrap().get(), 4987);
    assert_eq!(Label::<64>::parse(b"core").unwrap().as_str(), "core");
    // Discord decimal epoch and reset-after.
    let t = UnixTime::parse(b"1470173023.123").unwrap();
    assert_eq!(t.since_epoch(), Duration::from_millis(1_470_173_023_123));
    assert_eq!(
        DecimalSeconds::parse(b"64.57").unwrap().duration(),
        Duration::from_millis(64_570)
    );
    // Reddit decimal remaining.
    let r = DecimalCount::parse(b"599.0").unwrap();
    assert_eq!((r.floor(), r.to_string()), (599, "599.0".to_string()));
    // OpenAI and Groq examples from the documentation and community threads.
    for (s, ms) in [
        ("1s", 1_000),
        ("12ms", 12),
        ("9ms", 9),
        ("6m0s", 360_000),
        ("2m59.56s", 179_560),
        ("1h2m3s", 3_723_000),
    ] {
        let d = GoDuration::parse(s.as_bytes()).unwrap();
        assert_eq!(d.duration(), Duration::from_millis(ms), "{s}");
        assert_eq!(d.to_string(), s);
    }
    let d = GoDuration::parse("2µs".as_bytes()).unwrap();
    assert_eq!(d.to_string(), "2µs");
    let d = GoDuration::parse("2μs".as_bytes()).unwrap();
    assert_eq!(d.to_string(), "2µs");
    assert_eq!(
        Rfc3339::parse(b"2025-08-21T12:40:59Z").unwrap().to_string(),
        "2025-08-21T12:40:59Z"
    );
}
