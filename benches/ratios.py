#!/usr/bin/env python3
"""Print the benchmark ratios of the crate's criterion benches as Markdown tables.

    cargo bench --all-features --bench parse --bench fields --bench response --bench pacer && python3 benches/ratios.py

Every ratio compares two lines measured in the same run of the same bench (machines are
shared and noisy; absolute times are not comparable across runs).

Reads criterion's <target>/criterion/<group>/<id>/new/estimates.json, where <target> is
$CARGO_TARGET_DIR if set, else ./target. The time per iteration is criterion's headline
estimate: the slope of the linear regression when criterion computed one, else the mean.
`--stat median` (or mean, slope) picks another estimate. Standard library only.
"""

import argparse
import json
import os
import sys
from pathlib import Path

# (group, id): what each measured line is.
LABELS = {
    ("parse_limit", "ours_strict"): "Limit::<8>::parse (strict)",
    ("parse_limit", "ours_lenient"): "Limit::<8>::parse_lenient",
    ("parse_limit", "naive_std"): "naive std parser (split/trim/parse, Vec)",
    ("parse_limit", "hand_loop"): "hand-written byte loop (heapless::Vec)",
    ("parse_small", "ours_remaining"): "Remaining::parse(b\"118\")",
    ("parse_small", "std_parse_u64"): "\"118\".parse::<u64>()",
    ("encode_limit", "ours_encode"): "Limit::encode into [u8; 64]",
    ("encode_limit", "std_format"): "format!(...) into String",
    ("encode_limit", "ours_display_heapless"): "write!(heapless::String<64>, \"{}\", limit)",
    # cargo bench --bench fields
    ("ratelimit", "ours"): "RateLimit::<8>::parse, 2 named items",
    ("ratelimit", "sfv_visitor"): "sfv visitor, same data into heapless::Vec",
    ("ratelimit", "sfv_owned"): "sfv owned List",
    ("policy", "ours"): "RateLimitPolicy::<8>::parse, 2 named items",
    ("policy", "sfv_visitor"): "sfv visitor, same data into heapless::Vec",
    ("policy", "sfv_owned"): "sfv owned List",
    ("feedback_12", "ours"): "Feedback::from_headers, 12-header response",
    ("feedback_12", "std_map_sfv"): "HashMap of names + sfv owned parse",
    # cargo bench --all-features --bench response
    ("github_map", "ours"): "Feedback::from_header_map, GitHub's fields and Date",
    ("github_map", "rate_limits"): "rate-limits 0.7 RateLimit::new, same map",
    ("seed_12", "ours"): "Feedback::from_headers, the seed's 3 fields among 12 headers",
    ("seed_12", "three_alone"): "Limit, Remaining and Reset parsed alone",
    # cargo bench --bench pacer
    ("decision", "pacer_exact_next_then_acquire"): "Pacer<8,128>: next_allowed + try_acquire, 4/s and 120/min exact",
    ("decision", "pacer_exact_try_acquire_ok"): "Pacer<8,128>: try_acquire (allowed)",
    ("decision", "pacer_default_try_acquire_ok"): "Pacer (N=64, 120/min bucketed): try_acquire (allowed)",
    ("decision", "governor_check_ok"): "governor direct limiter check() (allowed)",
    ("decision", "governor_two_limiters_ok"): "two governor limiters chained",
    ("response", "pacer_on_response"): "Pacer::on_response with a parsed Feedback",
}

# (label, numerator, denominator, target, direction): ratio = numerator / denominator.
# direction "<=": the ratio must be at most target; ">=": at least target.
RATIOS = [
    ("parse strict: ours / hand loop", ("parse_limit", "ours_strict"), ("parse_limit", "hand_loop"), 1.5, "<="),
    ("parse lenient: ours / hand loop", ("parse_limit", "ours_lenient"), ("parse_limit", "hand_loop"), 1.5, "<="),
    ("parse strict: naive std / ours", ("parse_limit", "naive_std"), ("parse_limit", "ours_strict"), 3.0, ">="),
    ("parse lenient: naive std / ours", ("parse_limit", "naive_std"), ("parse_limit", "ours_lenient"), 3.0, ">="),
    ("parse small: ours / str::parse", ("parse_small", "ours_remaining"), ("parse_small", "std_parse_u64"), None, None),
    ("encode: format! / ours encode", ("encode_limit", "std_format"), ("encode_limit", "ours_encode"), 2.0, ">="),
    ("encode: format! / ours Display (heapless)", ("encode_limit", "std_format"), ("encode_limit", "ours_display_heapless"), None, None),
    ("RateLimit: sfv visitor / ours", ("ratelimit", "sfv_visitor"), ("ratelimit", "ours"), 4.0, ">="),
    ("RateLimit: sfv owned / ours", ("ratelimit", "sfv_owned"), ("ratelimit", "ours"), 8.0, ">="),
    ("RateLimit-Policy: sfv visitor / ours", ("policy", "sfv_visitor"), ("policy", "ours"), 4.0, ">="),
    ("RateLimit-Policy: sfv owned / ours", ("policy", "sfv_owned"), ("policy", "ours"), 8.0, ">="),
    ("Feedback: map + sfv / ours", ("feedback_12", "std_map_sfv"), ("feedback_12", "ours"), None, None),
    ("GitHub map: rate-limits 0.7 / ours", ("github_map", "rate_limits"), ("github_map", "ours"), 4.0, ">="),
    ("12-header response / its 3 fields alone", ("seed_12", "ours"), ("seed_12", "three_alone"), 3.0, "<="),
    ("pacer decision / governor check()", ("decision", "pacer_exact_next_then_acquire"), ("decision", "governor_check_ok"), 2.0, "<="),
    ("pacer try_acquire / governor check()", ("decision", "pacer_exact_try_acquire_ok"), ("decision", "governor_check_ok"), 2.0, "<="),
]


def target_dir() -> Path:
    env = os.environ.get("CARGO_TARGET_DIR")
    return Path(env) if env else Path("target")


def estimate(path: Path, stat: str) -> float:
    data = json.loads(path.read_text())
    if stat == "auto":
        slope = data.get("slope")
        return (slope or data["mean"])["point_estimate"]
    return data[stat]["point_estimate"]


def fmt_time(ns: float) -> str:
    if ns < 1_000:
        return f"{ns:.1f} ns"
    if ns < 1_000_000:
        return f"{ns / 1_000:.2f} µs"
    return f"{ns / 1_000_000:.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stat", choices=["auto", "slope", "mean", "median"], default="auto")
    args = ap.parse_args()

    root = target_dir() / "criterion"
    times = {}
    for key in LABELS:
        path = root.joinpath(*key, "new", "estimates.json")
        if path.is_file():
            times[key] = estimate(path, args.stat)
    if not times:
        print(f"no criterion results under {root}; run `cargo bench` first", file=sys.stderr)
        return 1

    print(f"| group | id | what | time ({args.stat}) |")
    print("|---|---|---|---:|")
    for key, label in LABELS.items():
        t = fmt_time(times[key]) if key in times else "—"
        print(f"| {key[0]} | {key[1]} | {label} | {t} |")

    print()
    print("| ratio | value | target | met |")
    print("|---|---:|---:|:---:|")
    for label, num, den, target, direction in RATIOS:
        if num not in times or den not in times:
            print(f"| {label} | — | — | — |")
            continue
        r = times[num] / times[den]
        if target is None:
            print(f"| {label} | {r:.2f}x | — | — |")
            continue
        met = r <= target if direction == "<=" else r >= target
        print(f"| {label} | {r:.2f}x | {direction} {target:g}x | {'yes' if met else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
