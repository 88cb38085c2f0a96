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

use ratelimit_headers::{Error, Limit, Remaining, Reset, Tolerances};

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

/// The fields this inspector knows.
#[derive(Clone, Copy)]
enum Known {
    Limit,
    Remaining,
    Reset,
}

fn known(name: &str) -> Option<Known> {
    match name.to_ascii_lowercase().as_str() {
        "ratelimit-limit" => Some(Known::Limit),
        "ratelimit-remaining" => Some(Known::Remaining),
        "ratelimit-reset" => Some(Known::Reset),
        _ => None,
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
    let (l, tolerances) = if lenient {
        let l = Limit::<16>::parse_lenient(v)?;
        (l.value, l.tolerances)
    } else {
        (Limit::<16>::parse(v)?, Tolerances::new())
    };
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
    let (r, tolerances) = if lenient {
        let r = Remaining::parse_lenient(v)?;
        (r.value, r.tolerances)
    } else {
        (Remaining::parse(v)?, Tolerances::new())
    };
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
    let (r, tolerances) = if lenient {
        let r = Reset::parse_lenient(v)?;
        (r.value, r.tolerances)
    } else {
        (Reset::parse(v)?, Tolerances::new())
    };
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
    let mut status: Option<u16> = None;
    let mut failures = 0;
    for raw_line in input.split(|b| *b == b'\n') {
        let line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if line.starts_with(b"HTTP/") {
            let code = line
                .split(|b| *b == b' ')
                .nth(1)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.parse().ok());
            status = code;
            if !o.json {
                println!("{}", String::from_utf8_lossy(line));
            }
            continue;
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let name = String::from_utf8_lossy(&line[..colon]).trim().to_string();
        let Some(kind) = known(&name) else { continue };
        // As an HTTP library does, strip the whitespace around the value before parsing.
        let value = line[colon + 1..].trim_ascii();
        let reading = match kind {
            Known::Limit => read_limit(value, o.lenient),
            Known::Remaining => read_remaining(value, o.lenient),
            Known::Reset => read_reset(value, o.lenient),
        };
        let shown = String::from_utf8_lossy(value);
        if o.json {
            let status_json = status.map_or("null".into(), |s| s.to_string());
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
                // The caret sits under the offending byte of the value as printed (the value
                // is shown from the byte after the colon; offsets count bytes of the value).
                let upto = String::from_utf8_lossy(&value[..e.offset().min(value.len())]);
                let pad = prefix.chars().count() + upto.chars().count();
                println!("{}^ {e}", " ".repeat(pad));
                if !o.lenient {
                    println!("    (strict parsing rejects the whole field; try --lenient)");
                }
            }
        }
    }
    if !o.json && failures > 0 {
        println!("\n{failures} field(s) rejected in {mode} mode.");
    }
    ExitCode::SUCCESS
}
