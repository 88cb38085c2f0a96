#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/seeds/<target>/.

Sources: the header test vectors (tests/data/headers.jsonl) and the httpwg Structured Field
test suite (tests/data/sf-tests/*.json, `raw` values; the generated files are sampled).
Each seed is named by the SHA-1 of its content, as libFuzzer names corpus files, so running
this again gives the same tree. Run from anywhere: `python3 fuzz/seed.py`.

The seeds are read-only inputs: the fuzz runs (`.ci/run`, README) write what they find into
fuzz/corpus/<target>/ (ignored by git) and read fuzz/seeds/<target>/ as a second corpus.
"""

import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
VECTORS = ROOT / "tests" / "data" / "headers.jsonl"
SF_TESTS = ROOT / "tests" / "data" / "sf-tests"

# Field targets: which header names (lowercase) feed which target.
FIELDS = {
    "limit": {"ratelimit-limit", "x-ratelimit-limit"},
    "remaining": {"ratelimit-remaining"},
    "reset": {"ratelimit-reset", "ratelimit-resettime"},
    "ratelimit_policy": {"ratelimit-policy"},
    "ratelimit": {"ratelimit"},
    "retry_after": {"retry-after", "retry-after-ms"},
}

# Extra seeds for quirks the vectors do not show on their own.
EXTRA = {
    "limit": ["100, , 100;window=60", "10, 10;W=1", "5, 5 ;w=1", "1234567890123456, 1;w=1",
              "0", "4, 120;w=60;burst=1000;comment=\"sliding window\"", "10, 5;w,6;w=1"],
    "remaining": ["-0", "999999999999999", "1000000000000000", "7;foo=bar"],
    "reset": ["Tue, 15 Nov 1994 08:12:31 GMT", "-1", "0;x=?1"],
    "ratelimit_policy": ["\"burst\";q=100;w=60;qu=\"content-bytes\";pk=:cHsdsRa894==:",
                         "burst;q=1;w=0", "10;w=1, 10;w=60", "5;w,6;w=1",
                         "\"a\";q=1;qu,\"b\";q=2", "\"a\";q=1;w,0"],
    "ratelimit": ["limit=100, remaining=-1, reset=5, foo=(1 2);a",
                  "\"a\";r=-1;t=3, b;t=1"],
    "retry_after": ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "2.5",
                    "Sun, 6 Nov 1994 08:49:37 GMT", "2147483649", "0.0001"],
    "http_date": ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                  "Sun Nov  6 08:49:37 1994", "Fri, 31 Dec 9999 23:59:59 GMT",
                  "Mon, 01 Jan 0001 00:00:00 GMT", "Thursday, 01-Jan-70 00:00:00 GMT"],
    "vendor": ["6m0s", "83.333333ms", "500\u00b5s", "2\u03bcs", "1h2m3.5s", "-1s", "60",
               "2025-08-21T14:40:59+02:00", "2016-12-31T23:59:60Z", "1470173023.123",
               "64.57", "599.0", "32/40", "-1", "18446744073709551616", "core", "shared",
               "true", "X-RateLimit-Remaining-Minute"],
}


def header_vectors():
    for line in VECTORS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def sf_raw_values(generated):
    """The `raw` field values of the SF suite (lines combined with `, `, as HTTP does), with
    `generated` samples of each generated file."""
    rng = random.Random(9651)
    for path in sorted(SF_TESTS.glob("*.json")):
        tests = [t for t in json.loads(path.read_text(encoding="utf-8")) if "raw" in t]
        if path.name.endswith("-generated.json"):
            # Hundreds of near-identical (and some very long) cases: a few short ones will do.
            short = [t for t in tests if sum(map(len, t["raw"])) <= 512]
            tests = rng.sample(short, min(len(short), generated))
        for t in tests:
            yield ", ".join(t["raw"])


def feedback_seeds(vectors):
    """One header block per dialect: byte 0 picks the status, byte 1 the clock."""
    by_dialect = {}
    for v in vectors:
        by_dialect.setdefault(v["dialect"], []).append(f"{v['header']}:{v['value']}")
    seeds = []
    for i, (dialect, lines) in enumerate(sorted(by_dialect.items())):
        status = bytes([i % 6, i % 4])
        seeds.append(status + "\n".join(lines).encode("utf-8"))
        # The same with a Date, so that absolute resets are used.
        seeds.append(bytes([2, 0]) + ("date:Thu, 21 Aug 2025 12:40:00 GMT\n" +
                                      "\n".join(lines)).encode("utf-8"))
    # One-byte names (known-name indices) and a repeated field.
    seeds.append(bytes([2, 1]) + b"\x02:10, 10;w=1\n\x03:-1\n\x04:1\n\x05:20")
    seeds.append(bytes([1, 0]) + b"ratelimit-remaining:5\nRateLimit-Remaining:6")
    return seeds


def blobs(n, seed):
    """Deterministic random inputs for the targets that read structured data."""
    rng = random.Random(seed)
    return [bytes(rng.randrange(256) for _ in range(rng.choice([8, 32, 128, 512])))
            for _ in range(n)]


def write(target, values):
    out = SEEDS / target
    out.mkdir(parents=True, exist_ok=True)
    names = set()
    for v in values:
        data = v.encode("utf-8") if isinstance(v, str) else v
        name = hashlib.sha1(data).hexdigest()
        names.add(name)
        (out / name).write_bytes(data)
    return len(names)


def main():
    vectors = list(header_vectors())
    seeds = {t: [] for t in FIELDS}
    for v in vectors:
        for target, headers in FIELDS.items():
            if v["header"].lower() in headers:
                seeds[target].append(v["value"])
    for target, extra in EXTRA.items():
        seeds.setdefault(target, []).extend(extra)
    # HTTP-dates from every vector that holds one.
    seeds["http_date"] += [v["value"] for v in vectors if v["value"].endswith(" GMT")]
    # Vendor values: everything that is not one of the IETF fields.
    ietf = set().union(*FIELDS.values())
    seeds["vendor"] += [v["value"] for v in vectors if v["header"].lower() not in ietf]
    seeds["sf"] = list(sf_raw_values(6))
    seeds["differential_sfv"] = list(sf_raw_values(0))
    seeds["feedback"] = feedback_seeds(vectors)
    seeds["roundtrip"] = blobs(12, 1)
    seeds["pacer"] = blobs(12, 2)

    if SEEDS.exists():
        shutil.rmtree(SEEDS)
    total = 0
    for target in sorted(seeds):
        n = write(target, seeds[target])
        total += n
        print(f"{target:18} {n:4} seeds")
    print(f"{'total':18} {total:4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
