//! Paces a simulated Claid-like server, in-process and in simulated time, and prints the
//! schedule.
//!
//! ```text
//! cargo run --example paced --features std
//! ```
//!
//! The server allows 4 requests per second and 120 per minute (each a sliding log), answers
//! every request with
//!
//! ```text
//! RateLimit-Limit: <expiring>, 120;w=60, 4;w=1
//! RateLimit-Remaining: <n>      (-1 on a 429, as Claid sends)
//! RateLimit-Reset: <seconds>
//! ```
//!
//! for the policy closest to running out, and with a 429 when a request would exceed either.
//! The client knows nothing in advance: it keeps up to 6 requests in flight, learns the two
//! policies from the first response, and from then on sends each request at
//! `Pacer::next_allowed`. Its first burst goes out before any response has arrived, so the
//! server throttles it once; after that no request is refused.
//!
//! The client reads each response with `Feedback::from_headers` (the observation attaches to
//! the policy whose quota equals the expiring limit) and gives it to `Pacer::on_response`.
use std::collections::VecDeque;
use std::time::Duration;

use ratelimit_headers::pacer::{Config, Constraint, Instant, Jitter, Pacer, StdClock, Ticket};
use ratelimit_headers::{Feedback, PolicyId};

const LATENCY: Duration = Duration::from_millis(80);
const REQUESTS: u32 = 130;
const CONCURRENCY: u64 = 6;

/// A status and the values of `RateLimit-Limit`, `-Remaining` and `-Reset`.
type Response = (u16, String, String, String);

/// One sliding-log limit: at most `q` requests in any window of `w`.
struct Log {
    q: u64,
    w: Duration,
    times: VecDeque<Instant>,
}

impl Log {
    fn prune(&mut self, t: Instant) {
        while self
            .times
            .front()
            .is_some_and(|&s| s.saturating_add(self.w) <= t)
        {
            self.times.pop_front();
        }
    }
    fn remaining(&self) -> u64 {
        self.q - self.times.len() as u64
    }
    fn reset(&self, t: Instant) -> u64 {
        // Seconds until the oldest request leaves the window, rounded up.
        let until = self.times.front().map_or(Duration::ZERO, |&s| {
            s.saturating_add(self.w).saturating_duration_since(t)
        });
        until.as_nanos().div_ceil(1_000_000_000) as u64
    }
}

/// The Claid-like server: 120 per 60 s and 4 per 1 s.
struct Server {
    minute: Log,
    second: Log,
}

impl Server {
    /// Handles a request arriving at `t`: the status and the three header values.
    fn handle(&mut self, t: Instant) -> Response {
        self.minute.prune(t);
        self.second.prune(t);
        let ok = self.minute.remaining() > 0 && self.second.remaining() > 0;
        if ok {
            self.minute.times.push_back(t);
            self.second.times.push_back(t);
        }
        // Report the policy closest to running out.
        let lowest = if self.second.remaining() <= self.minute.remaining() {
            &self.second
        } else {
            &self.minute
        };
        let remaining = if ok {
            lowest.remaining().to_string()
        } else {
            "-1".to_string()
        };
        (
            if ok { 200 } else { 429 },
            format!("{}, 120;w=60, 4;w=1", lowest.q),
            remaining,
            lowest.reset(t).to_string(),
        )
    }
}

/// Parses the response head the way a client would.
fn feedback<'a>(status: u16, limit: &'a str, remaining: &'a str, reset: &'a str) -> Feedback<'a> {
    let headers: [(&[u8], &[u8]); 3] = [
        (b"RateLimit-Limit", limit.as_bytes()),
        (b"RateLimit-Remaining", remaining.as_bytes()),
        (b"RateLimit-Reset", reset.as_bytes()),
    ];
    Feedback::from_headers(Some(status), headers)
}

/// A readable name for the policies of this server.
fn name(id: PolicyId) -> &'static str {
    if id == PolicyId::window(60) {
        "120;w=60"
    } else if id == PolicyId::window(1) {
        "4;w=1"
    } else {
        "another policy"
    }
}

fn secs(t: Instant) -> f64 {
    t.as_nanos() as f64 / 1e9
}

fn main() {
    let wall = StdClock::new();
    let mut server = Server {
        minute: Log {
            q: 120,
            w: Duration::from_secs(60),
            times: VecDeque::new(),
        },
        second: Log {
            q: 4,
            w: Duration::from_secs(1),
            times: VecDeque::new(),
        },
    };
    let mut pacer: Pacer = Pacer::new(Config::DEFAULT.with_jitter(Jitter::None));
    // Requests in flight, in send order: when the response arrives, the request number, the
    // ticket, and the response (status and header values).
    let mut in_flight: VecDeque<(Instant, u32, Ticket, Response)> = VecDeque::new();
    let mut now = Instant::ZERO;
    let mut sent = 0u32;
    let mut throttled = 0u32;
    let mut last_send = Instant::ZERO;

    println!("  time     request  event");
    while sent < REQUESTS || !in_flight.is_empty() {
        let next_send =
            (sent < REQUESTS && pacer.in_flight() < CONCURRENCY).then(|| pacer.next_allowed(now));
        let next_response = in_flight.front().map(|r| r.0);
        match (next_send, next_response) {
            (Some(s), r) if r.is_none_or(|r| s < r) => {
                now = s;
                let ticket = pacer.try_acquire(now).expect("allowed at next_allowed");
                sent += 1;
                let gap = now.saturating_duration_since(last_send);
                if sent <= 12 || gap >= Duration::from_millis(1_500) {
                    let why = match pacer.binding(now) {
                        Some(Constraint::Window(id)) => {
                            format!(" (now the {} window is full)", name(id))
                        }
                        Some(Constraint::Snapshot(id)) => {
                            format!(" (now {} is exhausted until its reset)", name(id))
                        }
                        Some(c) => format!(" (now blocked: {c:?})"),
                        None => String::new(),
                    };
                    println!(
                        "{:8.3}s  #{sent:<4}    send, {:.3}s after the previous{why}",
                        secs(now),
                        gap.as_secs_f64()
                    );
                }
                last_send = now;
                // The server sees it half-way; the response arrives after the full latency.
                let arrives = now.saturating_add(LATENCY / 2);
                let answered = now.saturating_add(LATENCY);
                let response = server.handle(arrives);
                if response.0 != 200 {
                    throttled += 1;
                }
                in_flight.push_back((answered, sent, ticket, response));
            }
            (_, Some(r)) => {
                now = r;
                let (_, n, ticket, (status, limit, remaining, reset)) =
                    in_flight.pop_front().expect("a response is due");
                let fb = feedback(status, &limit, &remaining, &reset);
                let out = pacer.on_response(now, ticket, &fb);
                if status != 200 || n <= 12 {
                    println!(
                        "{:8.3}s  #{n:<4}    {status}  RateLimit-Limit: {limit}  -Remaining: {remaining}  -Reset: {reset}{}",
                        secs(now),
                        if out.throttled {
                            format!("  -> next allowed at {:.3}s", secs(pacer.next_allowed(now)))
                        } else {
                            String::new()
                        }
                    );
                }
            }
            _ => break,
        }
    }
    println!(
        "\n{REQUESTS} requests in {:.3} simulated seconds, {throttled} throttled \
         (in the first burst, sent before any response said what the limits were).",
        secs(now)
    );
    for v in pacer.policies() {
        println!(
            "learned policy {}: {} per {:?}",
            name(v.id),
            v.quota.unwrap_or(0),
            v.window.unwrap_or_default()
        );
    }
    println!(
        "(simulated in {:?} of wall-clock time, measured with StdClock)",
        wall.now().since_origin()
    );
}
