//! The number of proptest cases a property runs, shared by the property-test files.

use proptest::test_runner::Config as ProptestConfig;

/// `n` cases, or `PROPTEST_CASES` when set (for a longer run by hand). Keeps the default
/// failure persistence (`tests/<file>.proptest-regressions`).
pub fn cases(n: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    ProptestConfig {
        cases: n,
        ..ProptestConfig::default()
    }
}
