//! End-to-end tests of `ratelimit-headers` over real HTTP on 127.0.0.1 (not published).
//!
//! * [`server`]: an axum server that enforces rate-limit policies (fixed window or sliding
//!   log) and writes its headers with the crate's encoders, in Claid's dialect or GitHub's
//!   `X-RateLimit-*` with epoch resets, with an optional clock skew.
//! * [`express`]: express-rate-limit (npm, run by node) in each of its header modes.
//! * [`client`]: a reqwest client whose tasks share one `Pacer`, fed with the `Feedback` of
//!   every response.
//!
//! The scenarios are in `tests/e2e.rs`: `cargo test -p ratelimit-headers-e2e`.

pub mod client;
pub mod express;
pub mod server;
