//! A real HTTP client (reqwest) whose requests are gated by one shared [`Pacer`], fed with
//! the [`Feedback`] of every response.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratelimit_headers::Feedback;
use ratelimit_headers::pacer::{Config, Pacer, StdClock};

/// One run of the client.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The URL every request goes to.
    pub url: String,
    /// How many requests to send in all.
    pub requests: u32,
    /// How many tasks send them, sharing one pacer.
    pub tasks: u32,
    /// Whether the pacer gates the requests (`false`: every task sends as fast as it can).
    pub paced: bool,
    /// The pacer's configuration.
    pub pacer: Config,
}

/// What a run saw.
#[derive(Clone, Debug, Default)]
pub struct RunReport {
    /// Responses by status.
    pub statuses: BTreeMap<u16, u32>,
    /// Requests that got no response (connection errors).
    pub failed: u32,
    /// From the first send to the last send.
    pub send_span: Duration,
    /// From the first send to the last response.
    pub elapsed: Duration,
    /// Every send, as time since the first one (sorted).
    pub send_times: Vec<Duration>,
}

impl RunReport {
    /// Responses with status 429.
    pub fn throttled(&self) -> u32 {
        self.statuses.get(&429).copied().unwrap_or(0)
    }

    /// Responses with status 200.
    pub fn ok(&self) -> u32 {
        self.statuses.get(&200).copied().unwrap_or(0)
    }
}

struct Shared {
    pacer: Mutex<Pacer>,
    clock: StdClock,
    claimed: AtomicU32,
    /// Whether to print each response as the pacer saw it (`E2E_TRACE` set).
    trace: bool,
    /// Signalled after every response given to the pacer.
    answered: tokio::sync::Notify,
    report: Mutex<(
        RunReport,
        Vec<std::time::Instant>,
        Option<std::time::Instant>,
    )>,
}

/// Sends `config.requests` requests from `config.tasks` tasks and reports what came back.
pub async fn run(config: RunConfig) -> RunReport {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(config.tasks as usize)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client without TLS builds");
    let shared = Arc::new(Shared {
        pacer: Mutex::new(Pacer::new(config.pacer)),
        clock: StdClock::new(),
        claimed: AtomicU32::new(0),
        answered: tokio::sync::Notify::new(),
        trace: std::env::var_os("E2E_TRACE").is_some(),
        report: Mutex::new((RunReport::default(), Vec::new(), None)),
    });
    let mut tasks = Vec::new();
    for _ in 0..config.tasks {
        let (shared, http, config) = (Arc::clone(&shared), http.clone(), config.clone());
        tasks.push(tokio::spawn(
            async move { task(&shared, &http, &config).await },
        ));
    }
    for t in tasks {
        t.await.expect("a client task panicked");
    }
    let (mut report, sends, last_response) = std::mem::take(&mut *shared.report.lock().unwrap());
    let mut sends = sends;
    sends.sort();
    if let (Some(&first), Some(&last)) = (sends.first(), sends.last()) {
        report.send_span = last - first;
        report.elapsed = last_response.map_or(Duration::ZERO, |r| r - first);
        report.send_times = sends.iter().map(|&s| s - first).collect();
    }
    report
}

/// One task's loop: wait for the pacer, send, give the response to the pacer.
async fn task(shared: &Shared, http: &reqwest::Client, config: &RunConfig) {
    while shared.claimed.fetch_add(1, Ordering::SeqCst) < config.requests {
        // The pacer says when; `try_acquire` records the send at the same instant.
        let ticket = if config.paced {
            loop {
                // A response can let a send go sooner than the pacer said before it (another
                // task's answer shows the server counted more of the requests in flight), so
                // a waiting task wakes at `at` or at the next response, whichever is first.
                // Registered before asking the pacer, so no response is missed in between.
                let answered = shared.answered.notified();
                tokio::pin!(answered);
                answered.as_mut().enable();
                let now = shared.clock.now();
                let verdict = shared.pacer.lock().unwrap().try_acquire(now);
                match verdict {
                    Ok(ticket) => break Some(ticket),
                    Err(at) => match shared.clock.to_std(at) {
                        Some(deadline) => {
                            tokio::select! {
                                _ = tokio::time::sleep_until(deadline.into()) => {}
                                _ = answered => {}
                            }
                        }
                        None => panic!("the pacer blocked for ever"),
                    },
                }
            }
        } else {
            None
        };
        let sent = std::time::Instant::now();
        let response = http.get(&config.url).send().await;
        let now = shared.clock.now();
        let status = match response {
            Ok(response) => {
                let status = response.status().as_u16();
                if let Some(ticket) = ticket {
                    let feedback: Feedback =
                        Feedback::from_header_map(Some(status), response.headers());
                    let mut pacer = shared.pacer.lock().unwrap();
                    pacer.on_response(now, ticket, &feedback);
                    if shared.trace {
                        eprintln!(
                            "{:>10?} seq {:>3} (in flight before {}) {} {:?} -> in flight {}, available {:?}",
                            now,
                            ticket.seq(),
                            ticket.in_flight_before(),
                            status,
                            feedback
                                .policies()
                                .iter()
                                .map(|p| (p.remaining, p.reset))
                                .collect::<Vec<_>>(),
                            pacer.in_flight(),
                            pacer.available(now),
                        );
                    }
                }
                shared.answered.notify_waiters();
                let _ = response.bytes().await;
                Some(status)
            }
            Err(_) => {
                if let Some(ticket) = ticket {
                    shared.pacer.lock().unwrap().on_dropped(now, ticket);
                }
                shared.answered.notify_waiters();
                None
            }
        };
        let mut report = shared.report.lock().unwrap();
        match status {
            Some(s) => *report.0.statuses.entry(s).or_default() += 1,
            None => report.0.failed += 1,
        }
        report.1.push(sent);
        let received = std::time::Instant::now();
        report.2 = Some(report.2.map_or(received, |r| r.max(received)));
    }
}
