#!/usr/bin/env bash
# The behaviour differential: today's parsers against the baseline release, side by side.
#
# The baseline is the crate as it stood at BASELINE (the 0.1 release with its last fix,
# before the core redesign), taken from git history into differential/baseline/ under
# another package name, so both versions link into one program. Usage: differential/run.sh [INPUTS_PER_PARSER]
# (default 2,000,000; CI runs fewer). Extra arguments go to cargo. Exits non-zero on any
# difference.
set -euo pipefail
cd "$(dirname "$0")"
BASELINE=4901dc230c802273c4957eada68c3fdef86125fe
inputs="${1:-2000000}"
shift || true

# A shallow clone lacks the baseline commit: say so rather than compare against nothing.
if ! git -C .. cat-file -e "$BASELINE^{commit}" 2>/dev/null; then
    echo "differential: baseline commit $BASELINE is not in this clone (fetch its history)" >&2
    exit 2
fi
# Refresh the baseline copy when it is missing or from another commit.
if [ "$(cat baseline/.commit 2>/dev/null || true)" != "$BASELINE" ]; then
    rm -rf baseline
    mkdir -p baseline
    git -C .. archive "$BASELINE" src Cargo.toml README.md | tar -x -C baseline
    # Keep the package's own sections, under the new name; drop what builds tests and benches.
    awk '
        /^\[/ { keep = ($0 == "[package]" || $0 == "[lib]" || $0 == "[features]" || $0 == "[dependencies]") }
        keep && /^name = "ratelimit-headers"$/ { print "name = \"ratelimit-headers-baseline\""; next }
        keep && /^name = "ratelimit_headers"$/ { print "name = \"ratelimit_headers_baseline\""; next }
        keep && /^(readme|exclude) = / { next }
        keep { print }
    ' baseline/Cargo.toml >baseline/Cargo.toml.new
    mv baseline/Cargo.toml.new baseline/Cargo.toml
    echo "$BASELINE" >baseline/.commit
fi

cargo run --release --quiet "$@" -- "$inputs"
