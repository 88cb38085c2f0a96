//! A minimal rate-limited HTTP server (std only, HTTP/1.1 on 127.0.0.1) that answers every
//! request with rate-limit headers written by this crate's encoders, in a dialect of your
//! choice, and refuses with 429 (and `Retry-After`) what its policies do not allow.
//!
//! ```text
//! cargo run --example server                          # Claid's headers on 127.0.0.1:8080
//! cargo run --example server -- ietf-list 8081        # draft-ietf-08+ RateLimit / RateLimit-Policy
//! cargo run --example server -- github 8082 sliding   # X-RateLimit-* with epoch resets, sliding logs
//! curl -i http://127.0.0.1:8080/
//! ```
//!
//! Dialects: `claid` (RateLimit-Limit / -Remaining / -Reset), `ietf-dict` (draft-07
//! `RateLimit` dictionary and `RateLimit-Policy`), `ietf-list` (draft-08+ named lists),
//! `github` (`X-RateLimit-*` with an epoch reset and `Date`). Counting: `fixed` (windows
//! aligned to the clock, the default), `first` (windows that start with the first request),
//! `sliding` (sliding logs). The policies are Claid's: 4 per second and 120 per minute.
//!
//! The limiter and the header writing are in `limiter.rs`, shared with the end-to-end tests
//! (`e2e/`), which run a paced client against this logic behind a real HTTP server.

mod limiter;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use limiter::{Counting, HeaderDialect, Limiter, ServerConfig};

fn usage() -> String {
    let names: Vec<&str> = HeaderDialect::ALL.iter().map(|(n, _)| *n).collect();
    format!(
        "usage: server [{}] [port] [fixed|first|sliding]",
        names.join("|")
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{}", usage());
        return ExitCode::SUCCESS;
    }
    let dialect = match args.first() {
        None => HeaderDialect::Claid,
        Some(name) => match HeaderDialect::ALL.iter().find(|(n, _)| n == name) {
            Some(&(_, d)) => d,
            None => {
                eprintln!("unknown dialect {name:?}\n{}", usage());
                return ExitCode::from(2);
            }
        },
    };
    let port: u16 = match args.get(1).map(|p| p.parse()) {
        None => 8080,
        Some(Ok(p)) => p,
        Some(Err(_)) => {
            eprintln!("not a port: {:?}\n{}", args[1], usage());
            return ExitCode::from(2);
        }
    };
    let counting = match args.get(2).map(String::as_str) {
        None | Some("fixed") => Counting::FixedWindow,
        Some("first") => Counting::FixedFromFirst,
        Some("sliding") => Counting::SlidingLog,
        Some(other) => {
            eprintln!("unknown counting {other:?}\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let config = ServerConfig {
        dialect,
        ..ServerConfig::claid(counting)
    };
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on http://127.0.0.1:{port}/ ({dialect:?}, {counting:?}, 4/s and 120/min)");
    let limiter = Arc::new(Mutex::new(Limiter::new(config)));
    for stream in listener.incoming().flatten() {
        let limiter = Arc::clone(&limiter);
        std::thread::spawn(move || {
            let _ = serve(stream, &limiter);
        });
    }
    ExitCode::SUCCESS
}

/// Answers the requests of one connection (HTTP/1.1 keep-alive) until the client closes it.
fn serve(stream: TcpStream, limiter: &Mutex<Limiter>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        // The request head: a request line and header lines up to a blank line. Bodies are
        // not expected (GET); a request with one is answered, then the connection closes.
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut has_body = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            has_body |= lower.starts_with("content-length:") && lower[15..].trim() != "0"
                || lower.starts_with("transfer-encoding:");
        }
        let (decision, dialect) = {
            let mut limiter = limiter.lock().unwrap_or_else(|e| e.into_inner());
            (limiter.decide(), limiter.config.dialect)
        };
        let (status, body) = if decision.accepted {
            ("200 OK", "ok\n")
        } else {
            ("429 Too Many Requests", "too many requests\n")
        };
        let mut response = format!("HTTP/1.1 {status}\r\n");
        match limiter::headers(dialect, &decision) {
            Ok(headers) => {
                for (name, value) in headers {
                    response.push_str(&format!("{name}: {value}\r\n"));
                }
            }
            Err(e) => eprintln!("cannot write the headers: {e}"),
        }
        response.push_str(&format!(
            "Content-Length: {}\r\nContent-Type: text/plain\r\n\r\n{body}",
            body.len()
        ));
        out.write_all(response.as_bytes())?;
        if has_body {
            return Ok(());
        }
    }
}
