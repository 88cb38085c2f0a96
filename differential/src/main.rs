//! The behaviour differential: every field parser, strict and lenient, and `Feedback`, run on
//! the same generated inputs by the current crate and by the baseline release (see `run.sh`),
//! comparing what each returns: the value (its `Debug` form and, for a value, its canonical
//! encoding), or the error's kind and byte offset (both in the error's `Debug` form).
//!
//! Inputs come from a fixed-seed generator, so a run is repeatable and a difference it prints
//! can be replayed: half are fuzz seeds (`fuzz/seeds/<target>`) mutated a few times, half are
//! concatenations of the grammar's fragments (numbers at the SF limits, separators, parameter
//! keys, the three HTTP-date forms, RFC 3339 times, Go durations, vendor shapes).

use std::collections::BTreeMap;
use std::fmt::{Debug, Display, Write as _};
use std::path::Path;
use std::process::ExitCode;

/// splitmix64: small, fast and good enough to spread mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Pieces of the grammars the parsers read, and of what servers get wrong.
const FRAGMENTS: &[&[u8]] = &[
    b"0",
    b"1",
    b"4",
    b"9",
    b"10",
    b"60",
    b"118",
    b"120",
    b"-1",
    b"-0",
    b"007",
    b"999999999999999",
    b"1000000000000000",
    b"18446744073709551616",
    b"1755780000",
    b"1755780000000",
    b"1.5",
    b"2.0",
    b"0.001",
    b".5",
    b"1e3",
    b" ",
    b"  ",
    b"\t",
    b",",
    b", ",
    b";",
    b"; ",
    b" ;",
    b"=",
    b":",
    b"/",
    b"-",
    b"+",
    b".",
    b"*",
    b"(",
    b"\\",
    b"%",
    b"\x80",
    b"\xff",
    b"\x00",
    b"\r\n",
    b"w",
    b"W",
    b"q",
    b"r",
    b"t",
    b"a",
    b"c",
    b"qu",
    b"pk",
    b"window",
    b"x",
    b"requests",
    b"tokens",
    b"day",
    b"\"",
    b"\"day\"",
    b"\"\\\"\"",
    b":cHJvamVjdA==:",
    b"::",
    b"?1",
    b"?0",
    b"?",
    b"w=60",
    b";w=60",
    b";w=1",
    b";q=1000",
    b";qu=\"requests\"",
    b";pk=:AQ==:",
    b";r=5",
    b";t=30",
    b"120;w=60",
    b"\"default\";r=50;t=30",
    b"\"day\";q=1000;w=86400",
    b"limit=100",
    b"remaining=50",
    b"reset=50",
    b"policy",
    b"expiring",
    b"Sun, 06 Nov 1994 08:49:37 GMT",
    b"Sunday, 06-Nov-94 08:49:37 GMT",
    b"Sun Nov  6 08:49:37 1994",
    b"Mon, 08 Dec 2026 04:39:07 GMT",
    b"GMT",
    b"Nov",
    b"Sun",
    b"2026-12-08T04:39:07Z",
    b"2026-12-08T04:39:07.123+01:00",
    b"T",
    b"Z",
    b"+01:00",
    b"1h2m3.5s",
    b"6m0s",
    b"100ms",
    b"1.5s",
    b"ms",
    b"s",
    b"m",
    b"h",
    b"us",
    b"ns",
    b"40/40",
    b"39/40",
    b"global",
    b"user",
    b"shared",
    b"true",
    b"false",
    b"True",
];

fn fragment_input(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..1 + rng.below(8) {
        out.extend_from_slice(rng.pick(FRAGMENTS));
    }
    out
}

/// Changes `input` in up to three places (a quarter of the time, none).
fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(6) {
            0 if at < input.len() => input[at] = rng.next() as u8,
            1 if at < input.len() => {
                let end = (at + 1 + rng.below(8)).min(input.len());
                input.drain(at..end);
            }
            2 => {
                let piece = rng.pick(FRAGMENTS);
                input.splice(at..at, piece.iter().copied());
            }
            3 if at < input.len() => {
                let end = (at + 1 + rng.below(8)).min(input.len());
                let copy = input[at..end].to_vec();
                input.splice(end..end, copy);
            }
            4 => input.truncate(at),
            _ => {
                let piece = rng.pick(FRAGMENTS);
                if let Some(b) = piece.first() {
                    input.insert(at, *b);
                }
            }
        }
    }
}

/// Reads every file of `fuzz/seeds/<target>` (none when the folder is missing).
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn input(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    if seeds.is_empty() || rng.below(2) == 0 {
        let mut v = fragment_input(rng);
        if rng.below(4) == 0 {
            mutate(rng, &mut v);
        }
        v
    } else {
        let mut v = seeds[rng.below(seeds.len())].clone();
        mutate(rng, &mut v);
        v
    }
}

/// What a parse returned, as one comparable line: a value's `Debug` form and its canonical
/// encoding, or the error's `Debug` form (its kind and offset).
fn strict<T: Debug + Display, E: Debug>(r: Result<T, E>) -> (bool, String) {
    let accepted = r.is_ok();
    let shown = match r {
        Ok(v) => format!("Ok({v:?}) encodes {:?}", v.to_string()),
        Err(e) => format!("Err({e:?})"),
    };
    (accepted, shown)
}

/// The same for a lenient parse, whose value comes with the tolerances it needed.
macro_rules! lenient {
    ($r:expr) => {{
        let r = $r;
        let accepted = r.is_ok();
        let shown = match r {
            Ok(l) => format!(
                "Ok({:?}, {:?}) encodes {:?}",
                l.value,
                l.tolerances,
                l.value.to_string()
            ),
            Err(e) => format!("Err({e:?})"),
        };
        (accepted, shown)
    }};
}

/// Differences found, by parser, with the first few inputs that show them.
#[derive(Default)]
struct Report {
    /// Per parser: inputs, inputs the current crate accepted, differences, examples.
    runs: BTreeMap<&'static str, (u64, u64, u64, Vec<String>)>,
}

impl Report {
    /// Counts one input of `parser`. Each side is what it returned as a line, and whether the
    /// current crate read a value from the input (counted, to show the inputs reach values).
    fn compare(
        &mut self,
        parser: &'static str,
        input: &[u8],
        (accepted, current): (bool, String),
        (_, baseline): (bool, String),
    ) {
        let (runs, oks, diffs, examples) = self.runs.entry(parser).or_default();
        *runs += 1;
        *oks += u64::from(accepted);
        if current != baseline {
            *diffs += 1;
            if examples.len() < 3 {
                examples.push(format!(
                    "    input    {}\n    current  {current}\n    baseline {baseline}",
                    escape(input)
                ));
            }
        }
    }
}

fn escape(bytes: &[u8]) -> String {
    let mut s = String::from("b\"");
    for b in bytes {
        let _ = write!(s, "{}", std::ascii::escape_default(*b));
    }
    s.push('"');
    s
}

/// One field type, strict and lenient, by its path below each crate's root.
macro_rules! field {
    ($report:expr, $input:expr, $name:literal, $($path:tt)+) => {{
        let input: &[u8] = $input;
        $report.compare(
            concat!($name, " strict"),
            input,
            strict(<current::$($path)+>::parse(input)),
            strict(<baseline::$($path)+>::parse(input)),
        );
        $report.compare(
            concat!($name, " lenient"),
            input,
            lenient!(<current::$($path)+>::parse_lenient(input)),
            lenient!(<baseline::$($path)+>::parse_lenient(input)),
        );
    }};
}

fn fields(report: &mut Report, rng: &mut Rng, per_parser: u64) {
    let pools: Vec<(&str, Vec<Vec<u8>>)> = [
        "limit",
        "ratelimit_policy",
        "ratelimit",
        "remaining",
        "reset",
        "retry_after",
        "http_date",
        "vendor",
    ]
    .into_iter()
    .map(|t| (t, seeds(t)))
    .collect();
    let all: Vec<Vec<u8>> = pools.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
    for n in 0..per_parser {
        // Each input is tried on every parser; its seed pool rotates so that every target's
        // seeds feed every parser.
        let (_, pool) = &pools[(n as usize) % pools.len()];
        let from_all = rng.below(4) == 0;
        let data = input(rng, if from_all { &all } else { pool });
        let d = &data[..];
        field!(report, d, "Limit<8>", Limit<'_>);
        field!(report, d, "Limit<2>", Limit<'_, 2>);
        field!(report, d, "RateLimitPolicy<8>", RateLimitPolicy<'_>);
        field!(report, d, "RateLimitPolicy<2>", RateLimitPolicy<'_, 2>);
        field!(report, d, "RateLimit<8>", RateLimit<'_>);
        field!(report, d, "RateLimit<2>", RateLimit<'_, 2>);
        field!(report, d, "Remaining", Remaining);
        field!(report, d, "Reset", Reset);
        field!(report, d, "RetryAfter", RetryAfter);
        field!(report, d, "HttpDate", HttpDate);
        let year = 1900 + rng.below(300) as u16;
        report.compare(
            "HttpDate relative",
            d,
            strict(current::HttpDate::parse_relative_to(d, year)),
            strict(baseline::HttpDate::parse_relative_to(d, year)),
        );
        report.compare(
            "RetryAfterMs strict",
            d,
            strict(current::RetryAfterMs::parse(d)),
            strict(baseline::RetryAfterMs::parse(d)),
        );
        field!(report, d, "Count", field::vendor::Count);
        field!(report, d, "DecimalCount", field::vendor::DecimalCount);
        field!(report, d, "CallLimit", field::vendor::CallLimit);
        field!(report, d, "Label<32>", field::vendor::Label<32>);
        field!(report, d, "Label<4>", field::vendor::Label<4>);
        field!(report, d, "DiscordScope", field::vendor::DiscordScope);
        field!(report, d, "Flag", field::vendor::Flag);
        field!(report, d, "UnixTime", field::vendor::UnixTime);
        field!(report, d, "DecimalSeconds", field::vendor::DecimalSeconds);
        field!(report, d, "GoDuration", field::vendor::GoDuration);
        field!(report, d, "Rfc3339", field::vendor::Rfc3339);
    }
}

/// Header names a response may carry; generated lines use them most of the time.
const NAMES: &[&str] = &[
    "ratelimit",
    "ratelimit-policy",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "retry-after",
    "retry-after-ms",
    "date",
    "age",
    "ratelimit-observed",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
    "x-ratelimit-reset-after",
    "x-ratelimit-bucket",
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
    "x-shopify-shop-api-call-limit",
    "anthropic-ratelimit-requests-limit",
    "anthropic-ratelimit-requests-remaining",
    "anthropic-ratelimit-requests-reset",
    "anthropic-ratelimit-tokens-limit",
    "anthropic-ratelimit-tokens-remaining",
    "anthropic-ratelimit-tokens-reset",
    "anthropic-ratelimit-input-tokens-limit",
    "anthropic-ratelimit-output-tokens-remaining",
    "x-ratelimit-limit-second",
    "x-ratelimit-remaining-second",
    "x-ratelimit-limit-minute",
    "x-ratelimit-remaining-minute",
    "x-ratelimit-limit-day",
    "x-ratelimit-remaining-day",
    "x-ratelimit-limit-month",
    "x-ratelimit-remaining-year",
    "x-ratelimit-scope",
    "x-ratelimit-global",
    "content-type",
    "RateLimit-Limit",
    "X-RateLimit-Remaining",
    "Retry-After",
];

const STATUSES: &[Option<u16>] = &[None, Some(200), Some(429), Some(503), Some(403), Some(0)];
const CLOCKS: &[Option<i64>] = &[None, Some(1_755_780_000), Some(0), Some(i64::MAX), Some(-1)];

/// One `Feedback` capacity (`P` policies, `I` ignored fields) read by both crates from the
/// same response; "accepted" when the current crate's holds a policy.
macro_rules! feedback_at {
    ($report:expr, $shown:expr, $status:expr, $pairs:expr, $now:expr, $p:literal, $i:literal) => {{
        // The by-value door without a clock, a read into a fresh `Feedback` with one.
        let c: current::Feedback<'_, $p, $i> = match $now {
            None => current::Feedback::from_headers($status, $pairs.iter().copied()),
            now => {
                let mut options = current::ReadOptions::new();
                options.now_unix = now;
                let mut fb = current::Feedback::new($status);
                fb.read($status, $pairs.iter().copied(), options);
                fb
            }
        };
        let b: baseline::Feedback<'_, $p, $i> =
            baseline::Feedback::from_headers_at($status, $pairs.iter().copied(), $now);
        $report.compare(
            concat!("Feedback<", $p, ", ", $i, ">"),
            $shown.as_bytes(),
            (!c.policies().is_empty(), format!("{c:?}")),
            (!b.policies().is_empty(), format!("{b:?}")),
        );
    }};
}

fn feedback(report: &mut Report, rng: &mut Rng, runs: u64) {
    let value_seeds: Vec<Vec<u8>> = ["limit", "ratelimit_policy", "ratelimit", "reset", "vendor"]
        .iter()
        .flat_map(|t| seeds(t))
        .collect();
    for _ in 0..runs {
        let status = rng.pick(STATUSES);
        let now = rng.pick(CLOCKS);
        let lines: Vec<(Vec<u8>, Vec<u8>)> = (0..rng.below(9))
            .map(|_| {
                let mut name = rng.pick(NAMES).as_bytes().to_vec();
                if rng.below(16) == 0 {
                    mutate(rng, &mut name);
                }
                (name, input(rng, &value_seeds))
            })
            .collect();
        let pairs: Vec<(&[u8], &[u8])> = lines.iter().map(|(n, v)| (&n[..], &v[..])).collect();
        let mut shown = Vec::new();
        for (n, v) in &pairs {
            shown.extend_from_slice(n);
            shown.push(b':');
            shown.extend_from_slice(v);
            shown.push(b'\n');
        }
        let shown = format!("{status:?} {now:?} {}", escape(&shown));
        feedback_at!(report, &shown, status, &pairs, now, 8, 8);
        feedback_at!(report, &shown, status, &pairs, now, 2, 1);
    }
}

fn main() -> ExitCode {
    let per_parser: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    let mut report = Report::default();
    let mut rng = Rng(0x5EED_0001);
    fields(&mut report, &mut rng, per_parser);
    feedback(&mut report, &mut rng, per_parser);

    let mut total = 0;
    println!(
        "{:<28} {:>10} {:>10} {:>12}",
        "parser", "inputs", "accepted", "differences"
    );
    for (parser, (runs, oks, diffs, examples)) in &report.runs {
        println!("{parser:<28} {runs:>10} {oks:>10} {diffs:>12}");
        for e in examples {
            println!("{e}");
        }
        total += diffs;
    }
    if total == 0 {
        println!("differential: 0 differences");
        ExitCode::SUCCESS
    } else {
        println!("differential: {total} differences");
        ExitCode::FAILURE
    }
}
