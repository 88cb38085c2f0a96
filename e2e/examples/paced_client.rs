//! Sends requests to a URL as fast as a shared pacer allows and prints what came back.
//!
//! ```text
//! cargo run -p ratelimit-headers-e2e --example paced_client -- http://127.0.0.1:8080/ [requests] [tasks]
//! ```
//!
//! `E2E_TRACE=1` prints each response as the pacer saw it.
use std::time::Duration;

use ratelimit_headers::pacer::Config;
use ratelimit_headers_e2e::client::{RunConfig, run};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080/".into());
    let requests = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let tasks = args.next().and_then(|a| a.parse().ok()).unwrap_or(4);
    let report = run(RunConfig {
        url,
        requests,
        tasks,
        paced: true,
        pacer: Config::DEFAULT.with_window_margin(Duration::from_millis(20)),
    })
    .await;
    println!(
        "{:?}; {} failed; first to last send {:.2} s",
        report.statuses,
        report.failed,
        report.send_span.as_secs_f64()
    );
}
