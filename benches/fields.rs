//! The draft-ietf-08+ fields and `Feedback`, against the `sfv` crate on the same bytes.
//!
//! ```text
//! cargo bench --bench fields && python3 benches/ratios.py
//! ```
//!
//! | group          | ids                                                   |
//! |----------------|-------------------------------------------------------|
//! | `ratelimit`    | `ours`, `sfv_visitor`, `sfv_owned`                    |
//! | `policy`       | `ours`, `sfv_visitor`, `sfv_owned`                    |
//! | `feedback_12`  | `ours`, `std_map_sfv`                                 |
//!
//! Every competitor extracts the same data: for each list member its String name and its
//! Integer parameters (`r`/`t`, or `q`/`w`). The visitor collects into a fixed-size
//! `heapless::Vec`, like ours, so it allocates nothing either; the owned parse builds sfv's
//! `List` (allocating). The `feedback_12` baseline is what an application without this crate
//! would write: a `HashMap` of lowercased names, then sfv's owned parser on the two fields.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::convert::Infallible;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ratelimit_headers::{Feedback, RateLimit, RateLimitPolicy};
use sfv::visitor::{EntryVisitor, Ignored, ItemVisitor, ListVisitor, ParameterVisitor};
use sfv::{BareItemFromInput, KeyRef, Parser, StringRef};

const RATELIMIT: &[u8] = br#""default";r=50;t=30, "daily";r=1000;t=36000"#;
const POLICY: &[u8] = br#""default";q=100;w=60, "daily";q=1000;w=86400"#;

type Row<'de> = (Cow<'de, StringRef>, Option<i64>, Option<i64>);
type Rows<'de> = heapless::Vec<Row<'de>, 8>;

/// An sfv list visitor that keeps, per member, the String name and the two named Integer
/// parameters.
struct Collect<'de> {
    keys: (&'static str, &'static str),
    rows: Rows<'de>,
}

struct Entry<'a, 'de> {
    keys: (&'static str, &'static str),
    rows: &'a mut Rows<'de>,
}

struct Params<'a, 'de> {
    keys: (&'static str, &'static str),
    rows: &'a mut Rows<'de>,
    row: Option<Row<'de>>,
}

impl<'de> ListVisitor<'de> for Collect<'de> {
    type Out = Rows<'de>;
    type Error = Infallible;
    fn entry(&mut self) -> Result<impl EntryVisitor<'de>, Infallible> {
        Ok(Entry {
            keys: self.keys,
            rows: &mut self.rows,
        })
    }
    fn finish(self) -> Result<Rows<'de>, Infallible> {
        Ok(self.rows)
    }
}

impl<'a, 'de> EntryVisitor<'de> for Entry<'a, 'de> {
    type Error = Infallible;
    fn item(self) -> Result<impl ItemVisitor<'de>, Infallible> {
        Ok(self)
    }
    fn inner_list(self) -> Result<impl sfv::visitor::InnerListVisitor<'de>, Infallible> {
        Ok(Ignored)
    }
}

impl<'a, 'de> ItemVisitor<'de> for Entry<'a, 'de> {
    type Out = ();
    type Error = Infallible;
    fn bare_item(
        self,
        bare: BareItemFromInput<'de>,
    ) -> Result<impl ParameterVisitor<'de, Out = ()>, Infallible> {
        let row = match bare {
            sfv::GenericBareItem::String(s) => Some((s, None, None)),
            _ => None,
        };
        Ok(Params {
            keys: self.keys,
            rows: self.rows,
            row,
        })
    }
}

impl<'a, 'de> ParameterVisitor<'de> for Params<'a, 'de> {
    type Out = ();
    type Error = Infallible;
    fn parameter(
        &mut self,
        key: &'de KeyRef,
        value: BareItemFromInput<'de>,
    ) -> Result<(), Infallible> {
        if let Some(row) = &mut self.row {
            let v = value.as_integer().map(i64::from);
            if key.as_str() == self.keys.0 {
                row.1 = v;
            } else if key.as_str() == self.keys.1 {
                row.2 = v;
            }
        }
        Ok(())
    }
    fn finish(self) -> Result<(), Infallible> {
        if let Some(row) = self.row {
            let _ = self.rows.push(row);
        }
        Ok(())
    }
}

fn sfv_visitor<'a>(input: &'a [u8], keys: (&'static str, &'static str)) -> Rows<'a> {
    Parser::new(input)
        .parse_list_with_visitor(Collect {
            keys,
            rows: heapless::Vec::new(),
        })
        .unwrap()
}

fn sfv_owned(input: &[u8]) -> sfv::List {
    Parser::new(input).parse_list().unwrap()
}

fn check_equivalence() {
    let ours = RateLimit::<8>::parse(RATELIMIT).unwrap();
    let theirs = sfv_visitor(RATELIMIT, ("r", "t"));
    assert_eq!(ours.items().len(), theirs.len());
    for (o, t) in ours.items().iter().zip(&theirs) {
        assert_eq!(o.name().raw(), t.0.as_str());
        assert_eq!(o.remaining().map(|v| v as i64), t.1);
        assert_eq!(o.reset().map(|v| v as i64), t.2);
    }
    let ours = RateLimitPolicy::<8>::parse(POLICY).unwrap();
    let theirs = sfv_visitor(POLICY, ("q", "w"));
    for (o, t) in ours.policies().iter().zip(&theirs) {
        assert_eq!(o.name().unwrap().raw(), t.0.as_str());
        assert_eq!(Some(o.quota() as i64), t.1);
        assert_eq!(o.window().map(|v| v as i64), t.2);
    }
    assert_eq!(sfv_owned(RATELIMIT).len(), 2);
}

fn bench_lists(c: &mut Criterion) {
    check_equivalence();
    for (group, input, keys) in [
        ("ratelimit", RATELIMIT, ("r", "t")),
        ("policy", POLICY, ("q", "w")),
    ] {
        let mut g = c.benchmark_group(group);
        if group == "ratelimit" {
            g.bench_function("ours", |b| {
                b.iter(|| {
                    let v = RateLimit::<8>::parse(black_box(input));
                    black_box(&v);
                })
            });
        } else {
            g.bench_function("ours", |b| {
                b.iter(|| {
                    let v = RateLimitPolicy::<8>::parse(black_box(input));
                    black_box(&v);
                })
            });
        }
        g.bench_function("sfv_visitor", |b| {
            b.iter(|| {
                let v = sfv_visitor(black_box(input), keys);
                black_box(&v);
            })
        });
        g.bench_function("sfv_owned", |b| {
            b.iter(|| {
                let v = sfv_owned(black_box(input));
                black_box(&v);
            })
        });
        g.finish();
    }
}

/// A typical response head: 12 fields, two of them rate limits.
const RESPONSE: [(&[u8], &[u8]); 12] = [
    (b"Date", b"Tue, 14 Nov 2023 22:13:20 GMT"),
    (b"Content-Type", b"application/json; charset=utf-8"),
    (b"Content-Length", b"1432"),
    (b"Connection", b"keep-alive"),
    (b"Server", b"cloudflare"),
    (b"Cache-Control", b"no-store"),
    (b"Vary", b"Accept-Encoding"),
    (b"X-Request-Id", b"4f1c2a9e-7b7d-4c53-9d3e-2c1f0a7e9b11"),
    (
        b"Strict-Transport-Security",
        b"max-age=31536000; includeSubDomains",
    ),
    (b"Ratelimit-Policy", POLICY),
    (b"Ratelimit", RATELIMIT),
    (b"Cf-Ray", b"8251c0b9dbe21e2a-AMS"),
];

/// The baseline: headers into a map of lowercased names, then sfv's owned parser.
fn std_map_sfv(headers: &[(&[u8], &[u8])]) -> (Option<sfv::List>, Option<sfv::List>) {
    let map: HashMap<String, &[u8]> = headers
        .iter()
        .map(|(n, v)| (String::from_utf8_lossy(n).to_ascii_lowercase(), *v))
        .collect();
    let policy = map
        .get("ratelimit-policy")
        .and_then(|v| Parser::new(*v).parse_list().ok());
    let limit = map
        .get("ratelimit")
        .and_then(|v| Parser::new(*v).parse_list().ok());
    (policy, limit)
}

fn bench_feedback(c: &mut Criterion) {
    let fb: Feedback = Feedback::from_headers(Some(200), RESPONSE);
    assert_eq!(fb.policies().len(), 2);
    assert_eq!(fb.policies()[1].remaining, Some(1000));
    let mut g = c.benchmark_group("feedback_12");
    g.bench_function("ours", |b| {
        b.iter(|| {
            let fb: Feedback =
                Feedback::from_headers(Some(200), black_box(&RESPONSE).iter().copied());
            black_box(&fb);
        })
    });
    g.bench_function("std_map_sfv", |b| {
        b.iter(|| {
            let v = std_map_sfv(black_box(&RESPONSE));
            black_box(&v);
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_lists, bench_feedback
}
criterion_main!(benches);
