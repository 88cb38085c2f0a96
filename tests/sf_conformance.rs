//! Runs the httpwg structured-field-tests records (tests/data/sf-tests, see ORIGIN.txt and
//! LICENSE.md there) against the Structured Field Values parser in `ratelimit_headers::sf`.
//!
//! For every record of every file in `FILES`:
//! - `must_fail`: our parser must reject the field value;
//! - otherwise it must parse, and the parsed value, converted to the suite's JSON model, must
//!   equal `expected` exactly (a `can_fail` record may also be rejected);
//! - when it parses, our canonical serialisation (built from the `Display` of `BareItem` and
//!   `Params`) is compared with `canonical` (or with the raw value when there is none).
//!
//! Dates (`@`) and Display Strings (`%"`) are outside this crate; a record whose expected value
//! holds one is counted as "not representable". The few records listed in
//! `DOCUMENTED_DIFFERENCES` are deliberate, reported differences: they must still disagree in
//! exactly the stated way, so the list cannot go stale silently.
//!
//! Run with `cargo test --test sf_conformance -- --nocapture` to see the per-file summary.

use std::fmt::Write as _;
use std::path::PathBuf;

use ratelimit_headers::sf::{self, BareItem, Dictionary, InnerList, Item, List, Member, Params};
use serde_json::{Value, json};

/// The suite files run here (all of them in tests/data/sf-tests).
const FILES: &[&str] = &[
    "list",
    "param-list",
    "number",
    "number-generated",
    "key-generated",
    "token",
    "token-generated",
    "string",
    "string-generated",
    "item",
    "binary",
    "boolean",
    "dictionary",
    "param-dict",
    "examples",
    "large-generated",
];

/// `(file, record name, why)`: `must_fail` records that we accept on purpose (none: the
/// `sf` entry points trim SP only, as RFC 9651 §4.2 says).
const DOCUMENTED_DIFFERENCES: &[(&str, &str, &str)] = &[];

/// `(file, record name, why)`: records whose value parses exactly but whose canonical
/// serialisation we do not produce (none).
const SERIALISATION_DIFFERENCES: &[(&str, &str, &str)] = &[];

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sf-tests")
}

// ---------------------------------------------------------------------------------------------
// The suite's JSON model, normalised so that numbers compare by kind and exact value.
// ---------------------------------------------------------------------------------------------

/// Why an expected value cannot be compared.
#[derive(Debug)]
enum Model {
    /// Dates and Display Strings: not in this crate.
    NotRepresentable,
    /// The record itself is malformed (a bug in this test or the data).
    Bad(String),
}

fn bad<T>(what: impl Into<String>) -> Result<T, Model> {
    Err(Model::Bad(what.into()))
}

/// RFC 4648 base32 (upper-case alphabet, `=` padding) to bytes.
fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc: u64 = 0;
    let mut bits = 0u32;
    for c in s.bytes().take_while(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u64::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A normalised bare item from the suite's model.
fn expected_bare(v: &Value) -> Result<Value, Model> {
    match v {
        Value::Bool(b) => Ok(json!({ "bool": b })),
        Value::String(s) => Ok(json!({ "string": s })),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(json!({ "int": i }))
            } else if let Some(f) = n.as_f64() {
                let milli = (f * 1000.0).round();
                if ((f * 1000.0) - milli).abs() > 1e-6 {
                    // More than three fraction digits: cannot be a Decimal.
                    Ok(json!({ "float": f }))
                } else {
                    Ok(json!({ "dec_milli": milli as i64 }))
                }
            } else {
                bad(format!("number {n}"))
            }
        }
        Value::Object(o) => {
            let ty = o.get("__type").and_then(Value::as_str).unwrap_or("");
            let value = o.get("value");
            match ty {
                "token" => match value.and_then(Value::as_str) {
                    Some(t) => Ok(json!({ "token": t })),
                    None => bad("token without value"),
                },
                "binary" => match value.and_then(Value::as_str).and_then(base32_decode) {
                    Some(b) => Ok(json!({ "binary": hex(&b) })),
                    None => bad("binary without a base32 value"),
                },
                "date" | "displaystring" => Err(Model::NotRepresentable),
                other => bad(format!("unknown __type {other:?}")),
            }
        }
        other => bad(format!("bare item {other}")),
    }
}

/// `[[key, bare], ...]`.
fn expected_params(v: &Value) -> Result<Value, Model> {
    let Some(arr) = v.as_array() else {
        return bad("params not an array");
    };
    arr.iter()
        .map(|p| match p.as_array().map(Vec::as_slice) {
            Some([Value::String(k), val]) => Ok(json!([k, expected_bare(val)?])),
            _ => bad(format!("param {p}")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// `[bare, params]`.
fn expected_item(v: &Value) -> Result<Value, Model> {
    match v.as_array().map(Vec::as_slice) {
        Some([bare, params]) => Ok(json!([expected_bare(bare)?, expected_params(params)?])),
        _ => bad(format!("item {v}")),
    }
}

/// An item `[bare, params]` or an inner list `[[item, ...], params]`.
fn expected_member(v: &Value) -> Result<Value, Model> {
    match v.as_array().map(Vec::as_slice) {
        Some([Value::Array(items), params]) => {
            let items = items
                .iter()
                .map(expected_item)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(json!([{ "inner": items }, expected_params(params)?]))
        }
        Some(_) => expected_item(v),
        None => bad(format!("member {v}")),
    }
}

fn expected_value(header_type: &str, v: &Value) -> Result<Value, Model> {
    match header_type {
        "item" => expected_item(v),
        "list" => match v.as_array() {
            Some(a) => a
                .iter()
                .map(expected_member)
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            None => bad("list not an array"),
        },
        "dictionary" => match v.as_array() {
            Some(a) => a
                .iter()
                .map(|e| match e.as_array().map(Vec::as_slice) {
                    Some([Value::String(k), m]) => Ok(json!([k, expected_member(m)?])),
                    _ => bad(format!("dictionary entry {e}")),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            None => bad("dictionary not an array"),
        },
        other => bad(format!("header_type {other:?}")),
    }
}

// ---------------------------------------------------------------------------------------------
// Our parse results in the same normalised model, and their canonical serialisation.
// ---------------------------------------------------------------------------------------------

fn our_bare(b: &BareItem<'_>) -> Result<Value, String> {
    Ok(match b {
        BareItem::Integer(i) => json!({ "int": i }),
        BareItem::Decimal(d) => json!({ "dec_milli": d.milli() }),
        BareItem::String(s) => json!({ "string": s.to_string() }),
        BareItem::Token(t) => json!({ "token": t }),
        BareItem::ByteSequence(bs) => {
            let mut buf = vec![0u8; bs.decoded_len()];
            let n = bs
                .decode_into(&mut buf)
                .map_err(|e| format!("decode_into failed: {e}"))?;
            json!({ "binary": hex(buf.get(..n).unwrap_or(&[])) })
        }
        BareItem::Boolean(b) => json!({ "bool": b }),
    })
}

fn our_params(p: &Params<'_>) -> Result<Value, String> {
    p.iter()
        .map(|(k, v)| Ok(json!([k, our_bare(&v)?])))
        .collect::<Result<Vec<_>, String>>()
        .map(Value::Array)
}

fn our_item(it: &Item<'_>) -> Result<Value, String> {
    Ok(json!([our_bare(&it.bare)?, our_params(&it.params)?]))
}

fn our_inner(l: &InnerList<'_>) -> Result<Value, String> {
    let items = l
        .items()
        .map(|i| our_item(&i))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!([{ "inner": items }, our_params(&l.params)?]))
}

fn our_member(m: &Member<'_>) -> Result<Value, String> {
    match m {
        Member::Item(i) => our_item(i),
        Member::InnerList(l) => our_inner(l),
    }
}

fn ser_item(it: &Item<'_>) -> String {
    format!("{}{}", it.bare, it.params)
}

fn ser_member(m: &Member<'_>) -> String {
    match m {
        Member::Item(i) => ser_item(i),
        Member::InnerList(l) => {
            let items: Vec<String> = l.items().map(|i| ser_item(&i)).collect();
            format!("({}){}", items.join(" "), l.params)
        }
    }
}

/// A parsed field: its normalised model and its canonical serialisation.
struct Parsed {
    model: Value,
    canonical: String,
}

/// Parses `input` as `header_type`. `Err(None)` is a parse failure (a rejection), `Err(Some)`
/// an internal inconsistency (such as a byte sequence that parsed but does not decode).
fn parse(header_type: &str, input: &[u8]) -> Result<Parsed, Option<String>> {
    match header_type {
        "item" => {
            let it = sf::parse_item(input).map_err(|_| None)?;
            Ok(Parsed {
                model: our_item(&it).map_err(Some)?,
                canonical: ser_item(&it),
            })
        }
        "list" => {
            let members = List::new(input)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| None)?;
            let model = members
                .iter()
                .map(our_member)
                .collect::<Result<Vec<_>, _>>()
                .map_err(Some)?;
            let canonical: Vec<String> = members.iter().map(ser_member).collect();
            Ok(Parsed {
                model: Value::Array(model),
                canonical: canonical.join(", "),
            })
        }
        "dictionary" => {
            let entries = Dictionary::new(input)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| None)?;
            // Duplicate keys: the first position, the last value (RFC 9651 §4.2.2).
            let mut dict: Vec<(&str, Member<'_>)> = Vec::new();
            for (k, m) in entries {
                match dict.iter_mut().find(|(dk, _)| *dk == k) {
                    Some(slot) => slot.1 = m,
                    None => dict.push((k, m)),
                }
            }
            let model = dict
                .iter()
                .map(|(k, m)| Ok(json!([k, our_member(m)?])))
                .collect::<Result<Vec<_>, String>>()
                .map_err(Some)?;
            let canonical: Vec<String> = dict
                .iter()
                .map(|(k, m)| match m {
                    Member::Item(Item {
                        bare: BareItem::Boolean(true),
                        params,
                    }) => format!("{k}{params}"),
                    m => format!("{k}={}", ser_member(m)),
                })
                .collect();
            Ok(Parsed {
                model: Value::Array(model),
                canonical: canonical.join(", "),
            })
        }
        other => Err(Some(format!("unknown header_type {other:?}"))),
    }
}

/// The field lines as bytes: each character is one octet (Latin-1) when it fits, so
/// `"\u0080"` in the JSON is the byte 0x80; anything wider is sent as UTF-8 (also non-ASCII).
fn field_bytes(lines: &[&str]) -> Vec<u8> {
    // Multiple field lines are combined with a comma (RFC 9110 §5.3); the space is OWS.
    let joined = lines.join(", ");
    let mut out = Vec::with_capacity(joined.len());
    for c in joined.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(b) => out.push(b),
            Err(_) => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The run.
// ---------------------------------------------------------------------------------------------

#[derive(Default, Clone, Copy)]
struct Counts {
    records: usize,
    /// Valid records that parsed to exactly the expected value.
    passed: usize,
    /// `must_fail` records we rejected.
    rejected: usize,
    /// `can_fail` records we rejected (allowed).
    can_fail_rejected: usize,
    /// Expected values holding a Date or a Display String.
    not_representable: usize,
    /// Listed in `DOCUMENTED_DIFFERENCES` and still disagreeing as described.
    documented: usize,
    /// Canonical serialisation compared and equal.
    ser_checked: usize,
    ser_matched: usize,
    /// Disagreements (each is also printed).
    failures: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.records += o.records;
        self.passed += o.passed;
        self.rejected += o.rejected;
        self.can_fail_rejected += o.can_fail_rejected;
        self.not_representable += o.not_representable;
        self.documented += o.documented;
        self.ser_checked += o.ser_checked;
        self.ser_matched += o.ser_matched;
        self.failures += o.failures;
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name:<18} records {:>4}  passed {:>4}  must_fail rejected {:>4}  \
             can_fail rejected {:>2}  not representable {:>2}  documented {:>2}  \
             canonical {:>4}/{:<4}  disagreements {}",
            self.records,
            self.passed,
            self.rejected,
            self.can_fail_rejected,
            self.not_representable,
            self.documented,
            self.ser_matched,
            self.ser_checked,
            self.failures,
        )
    }
}

fn listed<'a>(list: &'a [(&str, &str, &str)], file: &str, name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(f, n, _)| *f == file && *n == name)
        .map(|(_, _, why)| *why)
}

fn run_file(file: &str, problems: &mut Vec<String>) -> Counts {
    let path = data_dir().join(format!("{file}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let records: Vec<Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(!records.is_empty(), "{}: no records", path.display());

    let mut c = Counts::default();
    for r in &records {
        c.records += 1;
        let name = r["name"].as_str().unwrap_or("<unnamed>");
        let header_type = r["header_type"].as_str().unwrap_or("");
        let lines: Vec<&str> = r["raw"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let must_fail = r["must_fail"].as_bool().unwrap_or(false);
        let can_fail = r["can_fail"].as_bool().unwrap_or(false);
        let input = field_bytes(&lines);
        let shown = String::from_utf8_lossy(&input).into_owned();
        let mut fail = |why: String| {
            c.failures += 1;
            problems.push(format!("{file}: {name:?} {shown:?}: {why}"));
        };

        let result = parse(header_type, &input);
        let documented = listed(DOCUMENTED_DIFFERENCES, file, name);

        if must_fail {
            match (&result, documented) {
                (Err(None), None) => c.rejected += 1,
                (Err(None), Some(_)) => {
                    fail("listed as a documented difference but now rejected: drop it".into())
                }
                (Err(Some(e)), _) => fail(e.clone()),
                (Ok(_), Some(_)) => c.documented += 1,
                (Ok(p), None) => fail(format!("must fail, but parsed as {}", p.model)),
            }
            continue;
        }
        if documented.is_some() {
            fail("listed as a documented difference, but the record is not must_fail".into());
            continue;
        }

        let expected = match r.get("expected") {
            Some(e) => match expected_value(header_type, e) {
                Ok(e) => e,
                Err(Model::NotRepresentable) => {
                    c.not_representable += 1;
                    continue;
                }
                Err(Model::Bad(why)) => {
                    fail(format!("bad record: {why}"));
                    continue;
                }
            },
            None => {
                fail("record has neither must_fail nor expected".into());
                continue;
            }
        };

        let parsed = match result {
            Ok(p) => p,
            Err(None) if can_fail => {
                c.can_fail_rejected += 1;
                continue;
            }
            Err(None) => {
                fail(format!("rejected, expected {expected}"));
                continue;
            }
            Err(Some(e)) => {
                fail(e);
                continue;
            }
        };
        if parsed.model != expected {
            fail(format!(
                "value differs:\n    ours     {}\n    expected {expected}",
                parsed.model
            ));
            continue;
        }
        c.passed += 1;

        // Serialisation: `canonical` when given, else the raw value is already canonical.
        let canonical = match r.get("canonical").and_then(Value::as_array) {
            Some(a) => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            None => lines.join(", "),
        };
        c.ser_checked += 1;
        let ser_documented = listed(SERIALISATION_DIFFERENCES, file, name);
        match (parsed.canonical == canonical, ser_documented) {
            (true, None) => c.ser_matched += 1,
            (false, Some(_)) => {}
            (true, Some(_)) => {
                fail("listed as a serialisation difference but now canonical: drop it".into())
            }
            (false, None) => fail(format!(
                "serialisation differs:\n    ours      {:?}\n    canonical {canonical:?}",
                parsed.canonical
            )),
        }
    }
    c
}

#[test]
fn structured_field_tests() {
    let dir = data_dir();
    assert!(
        dir.is_dir(),
        "{} is missing: the httpwg structured-field-tests records are required",
        dir.display()
    );

    let mut total = Counts::default();
    let mut problems = Vec::new();
    for file in FILES {
        let c = run_file(file, &mut problems);
        println!("{}", c.line(file));
        total.add(&c);
    }
    println!("{}", total.line("TOTAL"));
    for (file, name, why) in DOCUMENTED_DIFFERENCES {
        println!("documented difference: {file}: {name:?}: {why}");
    }
    for (file, name, why) in SERIALISATION_DIFFERENCES {
        println!("serialisation difference: {file}: {name:?}: {why}");
    }

    for p in &problems {
        println!("DISAGREEMENT {p}");
    }
    assert!(
        problems.is_empty(),
        "{} disagreement(s) with structured-field-tests (see output above)",
        problems.len()
    );
    // Every documented difference was seen, so none of them is stale.
    assert_eq!(total.documented, DOCUMENTED_DIFFERENCES.len());
    assert_eq!(
        total.ser_checked - total.ser_matched,
        SERIALISATION_DIFFERENCES.len()
    );
    assert_eq!(total.passed + total.rejected + total.can_fail_rejected, {
        total.records - total.not_representable - total.documented
    });
}
