//! Reads HTTP response heads and explains every rate-limit header in plain words.
//!
//! ```text
//! cargo run --example inspect                      # the bundled Claid sample (a 200 and a 429)
//! cargo run --example inspect -- response.txt      # a file
//! curl -sI https://api.example.com | cargo run --example inspect
//! cargo run --example inspect -- --lenient --json  # tolerant parsing, JSON lines
//! ```
//!
//! Input: optional `HTTP/x NNN` status lines, then `Name: value` lines; a blank line or a new
//! status line starts the next response.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use ratelimit_headers::field::{Field, FieldValue};
use ratelimit_headers::pacer::{Config, Constraint, Instant};
use ratelimit_headers::{
    Error, Feedback, HttpDate, Limit, Pacer, RateLimit, RateLimitPolicy, Remaining, Reset,
    RetryAfter, Tolerances,
};

const SAMPLE: &str = include_str!("data/claid.txt");

struct Options {
    lenient: bool,
    json: bool,
    path: Option<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        lenient: false,
        json: false,
        path: None,
    };
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--lenient" => o.lenient = true,
            "--json" => o.json = true,
            "-h" | "--help" => {
                return Err("usage: inspect [--lenient] [--json] [FILE]\n\
                     Reads a response head (status line optional, then `Name: value` lines)\n\
                     from FILE or standard input; with neither, uses a bundled sample."
                    .into());
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            s => o.path = Some(s.to_string()),
        }
    }
    Ok(o)
}

fn read_input(o: &Options) -> Result<(Vec<u8>, &'static str), String> {
    if let Some(p) = &o.path {
        return std::fs::read(p)
            .map(|b| (b, "file"))
            .map_err(|e| format!("{p}: {e}"));
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut buf = Vec::new();
        stdin
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| format!("stdin: {e}"))?;
        if !buf.iter().all(u8::is_ascii_whitespace) {
            return Ok((buf, "stdin"));
        }
    }
    Ok((SAMPLE.as_bytes().to_vec(), "sample"))
}

/// The fields this inspector explains one by one.
#[derive(Clone, Copy)]
enum Known {
    Limit,
    Remaining,
    Reset,
    Policy,
    RateLimit,
    RetryAfter,
    Date,
}

fn known(name: &str) -> Option<Known> {
    let names = [
        (Limit::<16>::NAME, Known::Limit),
        (Remaining::NAME, Known::Remaining),
        (Reset::NAME, Known::Reset),
        (RateLimitPolicy::<16>::NAME, Known::Policy),
        (RateLimit::<16>::NAME, Known::RateLimit),
        (RetryAfter::NAME, Known::RetryAfter),
        (HttpDate::NAME, Known::Date),
    ];
    names
        .into_iter()
        .find(|(n, _)| name.eq_ignore_ascii_case(n))
        .map(|(_, k)| k)
}

/// Parses a value as `F`, strictly or leniently, with what was tolerated.
fn parsed<'a, F: FieldValue<'a>>(v: &'a [u8], lenient: bool) -> Result<(F, Tolerances), Error> {
    if lenient {
        let l = F::parse_lenient(v)?;
        Ok((l.value, l.tolerances))
    } else {
        Ok((F::parse(v)?, Tolerances::new()))
    }
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn tolerances_json(t: Tolerances) -> String {
    let items: Vec<String> = t.iter().map(|t| json_str(&format!("{t:?}"))).collect();
    format!("[{}]", items.join(","))
}

/// What one header value means: plain words, a JSON object, and what was tolerated.
struct Reading {
    words: String,
    json: String,
    tolerances: Tolerances,
}

fn read_limit(v: &[u8], lenient: bool) -> Result<Reading, Error> {
    let (l, tolerances) = parsed::<Limit<16>>(v, lenient)?;
    let mut words = format!(
        "the limit closest to running out allows {} requests",
        l.expiring_limit()
    );
    let mut policies = Vec::new();
    for p in l.policies() {
        let w = match p.window() {
            Some(w) => format!("{} per {w} s", p.quota()),
            None => format!("{} per an unknown window", p.quota()),
        };
        words.push_str(&format!("; policy: {w}"));
        let extra = p.params().to_string();
        if !extra.is_empty() {
            words.push_str(&format!(
                " ({})",
                extra.trim_start_matches(';').replace(';', ", ")
            ));
        }
        policies.push(format!(
            "{{\"quota\":{},\"window_s\":{},\"params\":{}}}",
            p.quota(),
            p.window().map_or("null".into(), |w| w.to_string()),
            json_str(&extra)
        ));
    }
    Ok(Reading {
        words,
        json: format!(
            "{{\"expiring_limit\":{},\"policies\":[{}],\"canonical\":{}}}",
            l.expiring_limit(),
            policies.join(","),
            json_str(&l.to_string())
        ),
        tolerances,
    })
}

fn read_remaining(v: &[u8], lenient: bool) -> Result<Reading, Error> {
    let (r, tolerances) = parsed::<Remaining>(v, lenient)?;
    let over = tolerances.contains(ratelimit_headers::Tolerance::NegativeClamped);
    let words = if over {
        "over quota: the server sent a negative count, read as 0 requests left".to_string()
    } else if r.is_exhausted() {
        "no requests left in the current window: wait for the reset".to_string()
    } else {
        format!("{} requests left in the current window", r.get())
    };
    Ok(Reading {
        words,
        json: format!("{{\"remaining\":{},\"over_quota\":{over}}}", r.get()),
        tolerances,
    })
}

fn read_reset(v: &[u8], lenient: bool) -> Result<Reading, Error> {
    let (r, tolerances) = parsed::<Reset>(v, lenient)?;
    Ok(match r {
        Reset::Seconds(s) => Reading {
            words: format!("the quota resets in {s} s"),
            json: format!("{{\"reset_s\":{s}}}"),
            tolerances,
        },
        Reset::At(d) => Reading {
            words: format!("the quota resets at {d} (an absolute date)"),
            json: format!("{{\"reset_at_unix\":{}}}", d.unix_seconds()),
            tolerances,
        },
    })
}

fn read_policy(v: &[u8], lenient: bool) -> Result<Reading, Error> {
    let (p, tolerances) = parsed::<RateLimitPolicy<16>>(v, lenient)?;
    let parts: Vec<String> = p
        .policies()
        .iter()
        .map(|p| {
            let name = p.name().map_or(String::new(), |n| format!("\"{n}\": "));
            let unit = p.unit().map_or("requests".to_string(), |u| u.to_string());
            match p.window() {
                Some(w) => format!("{name}{} {unit} per {w} s", p.quota()),
                None => format!("{name}{} {unit}", p.quota()),
            }
        })
        .collect();
    Ok(Reading {
        words: format!("declared policies: {}", parts.join("; ")),
        json: format!("{{\"canonical\":{}}}", json_str(&p.to_string())),
        tolerances,
    })
}

fn read_ratelimit(v: &[u8], lenient: bool) -> Result<Reading, Error> {
    let (r, tolerances) = parsed::<RateLimit<16>>(v, lenient)?;
    let words = match &r {
        RateLimit::Dictionary(d) => format!(
            "limit {}, {} left, resets in {} s",
            d.limit(),
            d.remaining().map_or("unknown".into(), |r| r.to_string()),
            d.reset()
        ),
        RateLimit::List(items) => items
            .iter()
            .map(|i| {
                let left = match (i.remaining(), i.is_over_quota()) {
                    (_, true) => "over quota".to_string(),
                    (Some(r), _) => format!("{r} left"),
                    (None, _) => "remaining unknown".to_string(),
                };
                match i.reset() {
                    Some(t) => format!("\"{}\": {left}, more in {t} s", i.name()),
                    None => format!("\"{}\": {left}", i.name()),
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
    };
    Ok(Reading {
        words,
        json: format!("{{\"canonical\":{}}}", json_str(&r.to_string())),
        tolerances,
    })
}

fn read_retry_after(v: &[u8], lenient: bool) -> Result<Reading, Error> {
    let (r, tolerances) = parsed::<RetryAfter>(v, lenient)?;
    Ok(match r {
        RetryAfter::Delay(d) => Reading {
            words: format!("wait {:.3} s before retrying", d.as_secs_f64()),
            json: format!("{{\"delay_ms\":{}}}", d.as_millis()),
            tolerances,
        },
        RetryAfter::At(d) => Reading {
            words: format!("retry after {d}"),
            json: format!("{{\"at_unix\":{}}}", d.unix_seconds()),
            tolerances,
        },
    })
}

fn read_date(v: &[u8], lenient: bool) -> Result<Reading, Error> {
    let (d, tolerances) = parsed::<HttpDate>(v, lenient)?;
    Ok(Reading {
        words: format!("the server's clock read {d} (Unix {})", d.unix_seconds()),
        json: format!("{{\"unix\":{}}}", d.unix_seconds()),
        tolerances,
    })
}

/// One response head: its status and header lines.
struct Response {
    status: Option<u16>,
    status_line: Option<String>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
}

fn split_responses(input: &[u8]) -> Vec<Response> {
    let mut out: Vec<Response> = Vec::new();
    let mut current: Option<Response> = None;
    for raw_line in input.split(|b| *b == b'\n') {
        let line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if line.iter().all(u8::is_ascii_whitespace) {
            // A blank line ends a head.
            out.extend(current.take());
            continue;
        }
        if line.starts_with(b"HTTP/") {
            out.extend(current.take());
            let status = line
                .split(|b| *b == b' ')
                .nth(1)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.parse().ok());
            current = Some(Response {
                status,
                status_line: Some(String::from_utf8_lossy(line).into_owned()),
                headers: Vec::new(),
            });
            continue;
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let name = line[..colon].trim_ascii().to_vec();
        // As an HTTP library does, strip the whitespace around the value.
        let value = line[colon + 1..].trim_ascii().to_vec();
        current
            .get_or_insert_with(|| Response {
                status: None,
                status_line: None,
                headers: Vec::new(),
            })
            .headers
            .push((name, value));
    }
    out.extend(current);
    out
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("null".into(), |v| v.to_string())
}

/// Seconds as JSON: an integer when whole, else with millisecond precision.
fn secs_json(d: Option<std::time::Duration>) -> String {
    match d {
        None => "null".into(),
        Some(d) if d.subsec_nanos() == 0 => d.as_secs().to_string(),
        Some(d) => format!("{:.3}", d.as_secs_f64()),
    }
}

/// What a fresh pacer makes of the response: it sent the request at 0 and got this response
/// at 0. Returns the wait in milliseconds and a sentence saying why.
fn pacing(fb: &Feedback<'_, 16, 16>) -> (u64, String) {
    let mut pacer: Pacer = Pacer::new(Config::DEFAULT);
    let t0 = Instant::ZERO;
    let ticket = pacer.on_sent(t0);
    let outcome = pacer.on_response(t0, ticket, fb);
    let next = pacer.next_allowed(t0);
    let wait = next.saturating_duration_since(t0);
    let ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
    let name = |id| {
        fb.policies()
            .iter()
            .find(|p| p.id == id)
            .map_or("a policy".to_string(), |p| match (p.name, p.window) {
                (Some(n), _) => format!("policy \"{n}\""),
                (None, Some(w)) => format!("the {} s window", w.as_secs()),
                (None, None) => "the expiring limit".to_string(),
            })
    };
    let why = match pacer.binding(t0) {
        None => "nothing limits it".to_string(),
        Some(Constraint::Global) if fb.retry_after().is_some() => {
            let capped = if outcome.capped { " (capped)" } else { "" };
            format!("the server asked to retry later (Retry-After){capped}")
        }
        Some(Constraint::Global) => {
            "the server throttled without saying how long (backoff)".to_string()
        }
        Some(Constraint::Snapshot(id)) => format!("{} is exhausted until its reset", name(id)),
        Some(Constraint::Window(id)) => format!("{} is full", name(id)),
        Some(other) => format!("{other:?} binds"),
    };
    let sentence = if ms == 0 {
        format!("next request allowed now: {why}")
    } else {
        format!(
            "next request allowed in {:.3} s, because {why}",
            wait.as_secs_f64()
        )
    };
    (ms, sentence)
}

fn feedback_json(fb: &Feedback<'_, 16, 16>) -> String {
    let policies: Vec<String> = fb
        .policies()
        .iter()
        .map(|p| {
            format!(
                "{{\"name\":{},\"quota\":{},\"window_s\":{},\"unit\":\"{}\",\"remaining\":{},\"reset_s\":{}}}",
                p.name.map_or("null".into(), json_str),
                opt(p.quota),
                secs_json(p.window),
                p.unit.as_str(),
                opt(p.remaining),
                secs_json(p.reset)
            )
        })
        .collect();
    let ignored: Vec<String> = fb
        .ignored()
        .iter()
        .map(|i| {
            format!(
                "{{\"header\":{},\"error\":{}}}",
                json_str(&String::from_utf8_lossy(i.header)),
                json_str(&i.error.to_string())
            )
        })
        .collect();
    let (next_ms, _) = pacing(fb);
    format!(
        "{{\"status\":{},\"dialect\":\"{}\",\"policies\":[{}],\"retry_after_ms\":{},\"from_cache\":{},\"tolerances\":{},\"ignored\":[{}],\"next_allowed_ms\":{next_ms}}}",
        opt(fb.status()),
        fb.dialect(),
        policies.join(","),
        opt(fb
            .retry_after()
            .map(|d| d.as_millis() + u128::from(d.subsec_nanos() % 1_000_000 > 0))),
        fb.from_cache(),
        tolerances_json(fb.tolerances()),
        ignored.join(",")
    )
}

fn feedback_words(fb: &Feedback<'_, 16, 16>) {
    println!("  => summary ({} dialect):", fb.dialect());
    if let Some(d) = fb.retry_after() {
        println!(
            "     the server asks to wait {:.3} s before the next request",
            d.as_secs_f64()
        );
    }
    for p in fb.policies() {
        let name = match (p.name, p.window) {
            (Some(n), _) => format!("policy \"{n}\""),
            (None, Some(w)) => format!("the {} s window", w.as_secs()),
            (None, None) => "the expiring limit".to_string(),
        };
        let mut parts = Vec::new();
        if let (Some(q), Some(w)) = (p.quota, p.window) {
            parts.push(format!("{q} {} per {} s", p.unit.as_str(), w.as_secs_f64()));
        } else if let Some(q) = p.quota {
            parts.push(format!("limit {q}"));
        }
        match p.remaining {
            Some(r) if r < 0 => parts.push("over quota".into()),
            Some(r) => parts.push(format!("{r} left")),
            None => {}
        }
        if let Some(t) = p.reset {
            parts.push(format!("resets in {:.3} s", t.as_secs_f64()));
        }
        println!("     {name}: {}", parts.join(", "));
    }
    if !fb.tolerances().is_empty() {
        println!("     tolerated: {}", fb.tolerances());
    }
    for i in fb.ignored() {
        println!(
            "     ignored {}: {}",
            String::from_utf8_lossy(i.header),
            i.error
        );
    }
    if fb.policies().is_empty() && fb.retry_after().is_none() {
        println!("     no rate-limit information");
    }
    println!("     {}", pacing(fb).1);
}

fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let (input, origin) = match read_input(&o) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("inspect: {msg}");
            return ExitCode::from(1);
        }
    };
    let mode = if o.lenient { "lenient" } else { "strict" };
    if !o.json && origin == "sample" {
        println!("(no input given: reading the bundled sample, a Claid 200 and 429)\n");
    }
    let mut failures = 0;
    for response in split_responses(&input) {
        if !o.json
            && let Some(line) = &response.status_line
        {
            println!("{line}");
        }
        for (name_bytes, value) in &response.headers {
            let name = String::from_utf8_lossy(name_bytes).into_owned();
            let Some(kind) = known(&name) else { continue };
            let reading = match kind {
                Known::Limit => read_limit(value, o.lenient),
                Known::Remaining => read_remaining(value, o.lenient),
                Known::Reset => read_reset(value, o.lenient),
                Known::Policy => read_policy(value, o.lenient),
                Known::RateLimit => read_ratelimit(value, o.lenient),
                Known::RetryAfter => read_retry_after(value, o.lenient),
                Known::Date => read_date(value, o.lenient),
            };
            let shown = String::from_utf8_lossy(value);
            if o.json {
                let status_json = opt(response.status);
                let body = match &reading {
                    Ok(r) => format!(
                        "\"ok\":true,\"value\":{},\"tolerances\":{}",
                        r.json,
                        tolerances_json(r.tolerances)
                    ),
                    Err(e) => format!(
                        "\"ok\":false,\"error\":{{\"kind\":{},\"offset\":{},\"message\":{}}}",
                        json_str(&format!("{:?}", e.kind())),
                        e.offset(),
                        json_str(&e.to_string())
                    ),
                };
                println!(
                    "{{\"status\":{status_json},\"header\":{},\"raw\":{},\"mode\":\"{mode}\",{body}}}",
                    json_str(&name),
                    json_str(&shown)
                );
                continue;
            }
            let prefix = format!("  {name}: ");
            println!("{prefix}{shown}");
            match reading {
                Ok(r) => {
                    println!("    -> {}", r.words);
                    if !r.tolerances.is_empty() {
                        println!("    (tolerated: {})", r.tolerances);
                    }
                }
                Err(e) => {
                    failures += 1;
                    // The caret sits under the offending byte of the value.
                    let upto = String::from_utf8_lossy(&value[..e.offset().min(value.len())]);
                    let pad = prefix.chars().count() + upto.chars().count();
                    println!("{}^ {e}", " ".repeat(pad));
                    if !o.lenient {
                        println!("    (strict parsing rejects the whole field; try --lenient)");
                    }
                }
            }
        }
        // What a client should make of the whole response (always read leniently).
        let fb: Feedback<'_, 16, 16> = Feedback::from_headers(
            response.status,
            response
                .headers
                .iter()
                .map(|(n, v)| (n.as_slice(), v.as_slice())),
        );
        if o.json {
            println!("{}", feedback_json(&fb));
        } else {
            feedback_words(&fb);
            println!();
        }
    }
    if !o.json && failures > 0 {
        println!("\n{failures} field(s) rejected in {mode} mode.");
    }
    ExitCode::SUCCESS
}
