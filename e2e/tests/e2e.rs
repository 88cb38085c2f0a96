//! A paced client against real HTTP servers on 127.0.0.1: ours (axum, Claid's policies and
//! headers written by the crate's encoders) and express-rate-limit (node) in each header
//! mode. Every scenario runs at the same time, so the whole test takes as long as the
//! longest one (about 15 s).
//!
//! For each paced scenario: 0 responses with status 429 over 62 requests sent by 4 tasks
//! sharing one pacer, and the time from the first send to the last within 15% of the
//! theoretical minimum for the quota (plus, where the server's resets are whole seconds
//! counted from a whole-second `Date`, up to 1 s per window: see `whole_second_slack`).
//! Unpaced runs of the same client against the same servers must get 429s, so the paced
//! result is not an accident of slow sending.

use std::time::Duration;

use ratelimit_headers::pacer::Config;
use ratelimit_headers_e2e::client::{self, RunConfig, RunReport};
use ratelimit_headers_e2e::express::{self, Express};
use ratelimit_headers_e2e::server::{
    Counting, HeaderDialect, RunningServer, ServerConfig, ServerCounts,
};

/// At least 60, and not a multiple of any quota below: when a server answers concurrent
/// requests out of order, the client cannot tell which of those in flight were counted and
/// may leave one request of a window unused; with a few to spare in the last window, that
/// does not cost a whole extra window.
const REQUESTS: u32 = 62;
const TASKS: u32 = 4;
/// Five minutes, the skew of the clock-skew scenarios.
const SKEW_MS: i64 = 5 * 60 * 1000;

/// The pacer of every run: the defaults, with 20 ms added to each local window to absorb the
/// spread of loopback latency against a sliding-log server.
fn pacer_config() -> Config {
    Config::DEFAULT.with_window_margin(Duration::from_millis(20))
}

/// The least time from the first send to the last for `n` requests under `quota` per
/// `window`: every `quota` requests after the first batch wait a whole window.
fn minimum(n: u32, quota: u32, window: Duration) -> Duration {
    window * (n.div_ceil(quota) - 1)
}

/// One scenario's outcome.
struct Outcome {
    name: &'static str,
    report: RunReport,
    /// What the server counted, when it is ours.
    server: Option<ServerCounts>,
    minimum: Duration,
    /// Extra time allowed (and explained) on top of 15% of the minimum.
    slack: Duration,
    paced: bool,
}

/// An epoch reset in whole seconds rounded up, minus a `Date` in whole seconds rounded down,
/// is up to 2 s longer than the true wait (1 s from each rounding); a client cannot know the
/// server's sub-second phase, so it must wait for the later reading, each window.
fn whole_second_slack(n: u32, quota: u32) -> Duration {
    Duration::from_secs(2 * u64::from(n.div_ceil(quota) - 1))
}

fn run_config(url: String, paced: bool) -> RunConfig {
    RunConfig {
        url,
        requests: REQUESTS,
        tasks: TASKS,
        paced,
        pacer: pacer_config(),
    }
}

/// Runs the client against a server of ours with `config`.
async fn ours(
    name: &'static str,
    config: ServerConfig,
    paced: bool,
    minimum: Duration,
    slack: Duration,
) -> Outcome {
    let server = RunningServer::start(config).await.expect("bind 127.0.0.1");
    let report = client::run(run_config(server.url(), paced)).await;
    let counts = server.counts();
    server.stop().await;
    Outcome {
        name,
        report,
        server: Some(counts),
        minimum,
        slack,
        paced,
    }
}

/// Runs the client against express-rate-limit started with `env`.
async fn express(
    name: &'static str,
    env: Vec<(&'static str, String)>,
    paced: bool,
    minimum: Duration,
    slack: Duration,
) -> Outcome {
    let server = Express::start(&env)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let report = client::run(run_config(server.url(), paced)).await;
    server.stop().await;
    Outcome {
        name,
        report,
        server: None,
        minimum,
        slack,
        paced,
    }
}

fn env(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|&(k, v)| (k, v.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paced_clients_never_trip_real_servers() {
    let started = std::time::Instant::now();
    let sec = Duration::from_secs;
    let claid_min = minimum(REQUESTS, 4, sec(1));

    // One policy for the epoch dialect (GitHub's headers describe a single limit), counted
    // in windows that start with the first request, as GitHub's do.
    let epoch = |skew_ms| ServerConfig {
        policies: vec![(16, sec(4))],
        counting: Counting::FixedFromFirst,
        dialect: HeaderDialect::XRateLimitEpoch,
        skew_ms,
    };
    let epoch_min = minimum(REQUESTS, 16, sec(4));
    let epoch_slack = whole_second_slack(REQUESTS, 16);

    let mut runs = tokio::task::JoinSet::new();
    runs.spawn(ours(
        "ours: Claid fixed window",
        ServerConfig::claid(Counting::FixedWindow),
        true,
        claid_min,
        Duration::ZERO,
    ));
    runs.spawn(ours(
        "ours: Claid sliding log",
        ServerConfig::claid(Counting::SlidingLog),
        true,
        claid_min,
        Duration::ZERO,
    ));
    for (name, dialect) in [
        (
            "ours: draft-07 RateLimit dictionary",
            HeaderDialect::IetfDictionary,
        ),
        (
            "ours: draft-08 named lists, both policies",
            HeaderDialect::IetfList,
        ),
    ] {
        let config = ServerConfig {
            dialect,
            ..ServerConfig::claid(Counting::SlidingLog)
        };
        runs.spawn(ours(name, config, true, claid_min, Duration::ZERO));
    }
    runs.spawn(ours(
        "ours: X-RateLimit epoch + Date",
        epoch(0),
        true,
        epoch_min,
        epoch_slack,
    ));
    runs.spawn(ours(
        "ours: X-RateLimit epoch, clock -5 min",
        epoch(-SKEW_MS),
        true,
        epoch_min,
        epoch_slack,
    ));
    runs.spawn(ours(
        "ours: Claid fixed window, UNPACED",
        ServerConfig::claid(Counting::FixedWindow),
        false,
        claid_min,
        Duration::ZERO,
    ));

    match express::unavailable() {
        Some(reason) => println!("express-rate-limit scenarios skipped: {reason}"),
        None => {
            let single = |mode: &str, skew: i64| {
                env(&[
                    ("MODE", mode),
                    ("LIMIT", "16"),
                    ("WINDOW_MS", "4000"),
                    ("SKEW_MS", &skew.to_string()),
                ])
            };
            let min = minimum(REQUESTS, 16, sec(4));
            let legacy_slack = whole_second_slack(REQUESTS, 16);
            runs.spawn(express(
                "express-rate-limit: legacy X-RateLimit-* + Date",
                single("legacy", 0),
                true,
                min,
                legacy_slack,
            ));
            runs.spawn(express(
                "express-rate-limit: legacy, clock +5 min",
                single("legacy", SKEW_MS),
                true,
                min,
                legacy_slack,
            ));
            for (name, mode) in [
                ("express-rate-limit: draft-6", "draft-6"),
                ("express-rate-limit: draft-7", "draft-7"),
            ] {
                runs.spawn(express(name, single(mode, 0), true, min, Duration::ZERO));
            }
            // Two stacked limiters: 12 per second in front of 24 per 4 s. 62 requests: 12 at
            // 0 s and 1 s, then at 4 s and 5 s, then 12 at 8 s and 2 at 9 s: 9 s at best.
            let stacked = env(&[
                ("MODE", "draft-8"),
                ("BURST_LIMIT", "12"),
                ("BURST_WINDOW_MS", "1000"),
                ("LIMIT", "24"),
                ("WINDOW_MS", "4000"),
            ]);
            runs.spawn(express(
                "express-rate-limit: draft-8, two limiters",
                stacked.clone(),
                true,
                sec(9),
                Duration::ZERO,
            ));
            runs.spawn(express(
                "express-rate-limit: draft-8, UNPACED",
                stacked,
                false,
                sec(9),
                Duration::ZERO,
            ));
        }
    }

    let mut outcomes = Vec::new();
    while let Some(outcome) = runs.join_next().await {
        outcomes.push(outcome.expect("a scenario panicked"));
    }
    outcomes.sort_by_key(|o| o.name);

    println!(
        "\n{:<48} {:>5} {:>5} {:>9} {:>9} {:>7}",
        "scenario", "200", "429", "span", "minimum", "ratio"
    );
    for o in &outcomes {
        println!(
            "{:<48} {:>5} {:>5} {:>8.2}s {:>8.2}s {:>6.3}x",
            o.name,
            o.report.ok(),
            o.report.throttled(),
            o.report.send_span.as_secs_f64(),
            o.minimum.as_secs_f64(),
            o.report.send_span.as_secs_f64() / o.minimum.as_secs_f64(),
        );
    }
    println!(
        "all scenarios together: {:.1} s",
        started.elapsed().as_secs_f64()
    );

    for o in &outcomes {
        let r = &o.report;
        assert_eq!(r.failed, 0, "{}: requests without a response", o.name);
        assert_eq!(
            r.statuses.values().sum::<u32>(),
            REQUESTS,
            "{}: {:?}",
            o.name,
            r.statuses
        );
        if o.paced {
            assert_eq!(
                r.throttled(),
                0,
                "{}: paced client got 429s: {:?}",
                o.name,
                r
            );
            assert_eq!(r.ok(), REQUESTS, "{}: {:?}", o.name, r.statuses);
            if let Some(server) = o.server {
                assert_eq!(server.throttled, 0, "{}: server counted 429s", o.name);
            }
            let bound = o.minimum.mul_f64(1.15) + o.slack;
            assert!(
                r.send_span <= bound,
                "{}: {:?} from first to last send, more than {:?} (minimum {:?}); sends at {:?}",
                o.name,
                r.send_span,
                bound,
                o.minimum,
                r.send_times
            );
            // Not faster than the quota allows either, or the minimum is wrong.
            assert!(
                r.send_span + Duration::from_millis(50) >= o.minimum,
                "{}: {:?} is under the minimum {:?}",
                o.name,
                r.send_span,
                o.minimum
            );
        } else {
            assert!(
                r.throttled() > 0,
                "{}: an unpaced client should be throttled: {:?}",
                o.name,
                r.statuses
            );
            if let Some(server) = o.server {
                assert_eq!(server.throttled, r.throttled(), "{}", o.name);
            }
        }
    }
    // Clock skew: a server 5 minutes off takes no longer than the same server on time (the
    // client reads epoch resets against the server's own `Date`, never its own clock).
    for (skewed, on_time) in [
        (
            "ours: X-RateLimit epoch, clock -5 min",
            "ours: X-RateLimit epoch + Date",
        ),
        (
            "express-rate-limit: legacy, clock +5 min",
            "express-rate-limit: legacy X-RateLimit-* + Date",
        ),
    ] {
        let span = |name| {
            outcomes
                .iter()
                .find(|o| o.name == name)
                .map(|o| o.report.send_span)
        };
        if let (Some(a), Some(b)) = (span(skewed), span(on_time)) {
            assert!(
                a <= b + Duration::from_secs(1),
                "{skewed}: {a:?}, against {b:?} with the clock right"
            );
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "the end-to-end scenarios must stay under 2 minutes"
    );
}
