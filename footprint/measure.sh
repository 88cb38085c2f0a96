#!/usr/bin/env bash
# Flash and stack footprint of ratelimit-headers on a Cortex-M4F (thumbv7em-none-eabihf),
# printed as Markdown. Run from anywhere: `footprint/measure.sh`.
#
# Flash: each binary in src/bin links one component; its `.text` + `.rodata` minus those of
# `empty` (entry point and panic handler only) is what the component adds. Fat LTO,
# codegen-units = 1, panic = abort, opt-level "s" (profile release) and "z" (release-z).
#
# Stack: nightly `-Z emit-stack-sizes` gives every function's frame; stack.py adds frames
# along the deepest direct call path from each wrapper in src/lib.rs (a static bound for all
# inputs; values returned by value, such as a `Feedback`, live in the caller's frame).
#
# Dialects: `client-ietf` and `client-fields` read only some dialects, chosen by the crate's
# Cargo features (`select-dialects` and `dialect-*`). A package's binaries share one feature
# set of their dependencies, so those two are built with this package's feature `ietf` or
# `ietf-fields` in a target directory of their own (target/ietf, target/ietf-fields); every
# other binary reads every dialect.
#
# Needs: the thumbv7em-none-eabihf target on stable and nightly, llvm-tools, python3.
set -euo pipefail
cd "$(dirname "$0")"
T=thumbv7em-none-eabihf
rustup target add "$T" >/dev/null 2>&1 || true
rustup +nightly target add "$T" >/dev/null 2>&1 || true
rustup component add llvm-tools >/dev/null 2>&1 || true
rustup +nightly component add llvm-tools >/dev/null 2>&1 || true
LLVM="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin"
NLLVM="$(rustc +nightly --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin"

BINS=(parse parse-vendor encode feedback pacer client client-ietf client-fields all)
# The package feature each binary is built with (none: every dialect).
declare -A FEATURE=([client-ietf]=ietf [client-fields]=ietf-fields)
for p in release release-z; do
    cargo build -q --target "$T" --profile "$p"
    for b in "${!FEATURE[@]}"; do
        CARGO_TARGET_DIR="target/${FEATURE[$b]}" \
            cargo build -q --target "$T" --profile "$p" --bin "$b" --features "${FEATURE[$b]}"
    done
done

# The binary $2 as built for profile $1 (in its feature's target directory, if it has one);
# $3 is the directory of the default build (target, or target/stack).
bin() {
    local f="${FEATURE[$2]:-}"
    echo "${3:-target}${f:+/$f}/$T/$1/$2"
}

# text+rodata of a binary, in bytes
size_of() {
    "$LLVM/llvm-size" -A "$1" | awk '$1 == ".text" || $1 == ".rodata" { s += $2 } END { print s }'
}
# bytes of the compiler's memory routines (compiler-builtins' memcpy, memset, memcmp and their
# __aeabi_ forms) linked into a binary: code every firmware that moves a buffer has already
mem_of() {
    local total=0 size name
    while read -r _ size _ name; do
        case "$name" in
        memcpy | memmove | memset | memcmp | bcmp | __aeabi_mem* | compiler_builtins::mem::*)
            total=$((total + 16#$size))
            ;;
        esac
    done < <("$LLVM/llvm-nm" -S -C "$1")
    echo "$total"
}
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }

declare -A DESC=(
    [parse]="IETF field parsers, strict + lenient (Limit, Remaining, Reset, RateLimit-Policy, RateLimit, Retry-After, Retry-After-Ms, HTTP-date)"
    [parse-vendor]="vendor parsers (Count, DecimalCount, UnixTime, DecimalSeconds, GoDuration, Rfc3339, CallLimit, Label, DiscordScope, Flag) + sf List/Dictionary/Item"
    [encode]="IETF field encoders"
    [feedback]="Feedback::from_headers (every dialect, with the parsers it uses)"
    [pacer]="Pacer: declare, on_sent, on_response, next_allowed, wait, available"
    [client]="Feedback::from_headers + Pacer (a client's whole use)"
    [client-ietf]="the same, reading the IETF dialects only (feature ietf: select-dialects, dialect-ietf-fields, dialect-ietf-structured)"
    [client-fields]="the same, reading RateLimit-Limit/-Remaining/-Reset only (feature ietf-fields: select-dialects, dialect-ietf-fields)"
    [all]="everything above"
)

echo "### Flash (thumbv7em-none-eabihf, fat LTO; .text + .rodata over an empty binary)"
echo
echo "| component | opt-level s | opt-level z | of which memory routines (s / z) | the crate's own code (s / z) |"
echo "|---|---:|---:|---:|---:|"
base_s=$(size_of "$(bin release empty)")
base_z=$(size_of "$(bin release-z empty)")
for b in "${BINS[@]}"; do
    s=$(( $(size_of "$(bin release "$b")") - base_s ))
    z=$(( $(size_of "$(bin release-z "$b")") - base_z ))
    ms=$(mem_of "$(bin release "$b")")
    mz=$(mem_of "$(bin release-z "$b")")
    echo "| \`$b\`: ${DESC[$b]} | $s B ($(kib "$s")) | $z B ($(kib "$z")) | $ms / $mz B | $((s - ms)) B ($(kib $((s - ms)))) / $((z - mz)) B ($(kib $((z - mz)))) |"
done
echo
echo "Empty baseline: $base_s B (s), $base_z B (z). Memory routines: compiler-builtins' \`memcpy\`,"
echo "\`memset\`, \`memcmp\` and their \`__aeabi_\` forms, which the binary links for the crate's"
echo "copies and clears; a firmware that moves any buffer links them already."
echo
echo "Largest functions of \`client\` (opt-level s):"
echo
echo '```'
"$LLVM/llvm-nm" --size-sort -S -C "target/$T/release/client" | tail -8 |
    while read -r _ size _ name; do printf '%6d B  %s\n' "$((16#$size))" "$name"; done
echo '```'
echo
echo "Panic paths linked (opt-level s):"
echo
for b in "${BINS[@]}"; do
    p=$("$LLVM/llvm-nm" -C "$(bin release "$b")" | grep -E ' [tT] core::(panicking|option::expect_failed|result::unwrap_failed|slice::.*fail)' | sed 's/^.* [tT] //' | tr '\n' ' ' || true)
    echo "- \`$b\`: ${p:-none}"
done

# Stack: nightly, frames per function.
RUSTFLAGS="-Z emit-stack-sizes" CARGO_TARGET_DIR=target/stack \
    cargo +nightly build -q --target "$T" --profile release
for b in "${!FEATURE[@]}"; do
    RUSTFLAGS="-Z emit-stack-sizes" CARGO_TARGET_DIR="target/stack/${FEATURE[$b]}" \
        cargo +nightly build -q --target "$T" --profile release --bin "$b" --features "${FEATURE[$b]}"
done
S="target/stack/$T/release"
echo
echo "### Stack per call (opt-level s, static worst case over all paths)"
echo
echo "| call | stack | deepest path (frame bytes) |"
echo "|---|---:|---|"
{
    python3 stack.py "$NLLVM" "$S/parse" footprint::parse_limit footprint::parse_limit_lenient \
        footprint::parse_remaining footprint::parse_remaining_lenient footprint::parse_reset \
        footprint::parse_reset_lenient footprint::parse_policy footprint::parse_policy_lenient \
        footprint::parse_ratelimit footprint::parse_ratelimit_lenient footprint::parse_retry_after \
        footprint::parse_retry_after_lenient footprint::parse_retry_after_ms footprint::parse_date \
        footprint::parse_date_lenient footprint::parse_limit_in_place \
        footprint::parse_limit_lenient_in_place footprint::parse_policy_in_place \
        footprint::parse_policy_lenient_in_place footprint::parse_ratelimit_in_place \
        footprint::parse_ratelimit_lenient_in_place
    python3 stack.py "$NLLVM" "$S/parse-vendor" footprint::parse_vendor footprint::parse_sf
    python3 stack.py "$NLLVM" "$S/encode-calls" footprint::encode_limit footprint::encode_remaining \
        footprint::encode_reset footprint::encode_date footprint::encode_retry_after \
        footprint::encode_retry_after_ms footprint::encode_policy footprint::encode_ratelimit
    python3 stack.py "$NLLVM" "$S/feedback" footprint::feedback footprint::feedback_in_place
    # The same call in the builds that read fewer dialects, named by their feature.
    for b in client-ietf client-fields; do
        python3 stack.py "$NLLVM" "$(bin release "$b" target/stack)" footprint::feedback_in_place |
            sed "s/^footprint::feedback_in_place/&, feature ${FEATURE[$b]}/"
    done
    python3 stack.py "$NLLVM" "$S/client" footprint::pacer_declare \
        footprint::on_sent footprint::on_response footprint::next_allowed
} | awk -F'\t' '{ printf "| `%s` | %s B | %s |\n", $1, $2, $3 }'
