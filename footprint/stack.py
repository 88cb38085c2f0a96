#!/usr/bin/env python3
"""Worst-case stack of a call, from a thumbv7em binary built with `-Z emit-stack-sizes`.

Usage: stack.py LLVM_BIN_DIR BINARY ROOT...

Each function's own frame comes from the `.stack_sizes` section (`llvm-readobj
--stack-sizes`); functions compiled without it (compiler_builtins' memcpy and friends) get
a frame read from their prologue (`push`, `vpush`, `sub sp`). Calls are the direct `bl`/`b`
edges of `llvm-objdump -d`. The result for ROOT is the largest sum of frames along any call
path from it: a static bound for every input, not a measurement of one run. An indirect
call (`blx rN`) or recursion on a path makes the bound unknown and is reported.

A ROOT is matched against the demangled function name (`footprint::parse_limit`).
Prints one line per root: `ROOT<TAB>BYTES<TAB>deepest path`.
"""
import collections
import re
import subprocess
import sys

llvm, binary, roots = sys.argv[1], sys.argv[2], sys.argv[3:]


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


frames = {}
for m in re.finditer(r"Functions: \[([^\]]*)\]\s*Size: (0x[0-9A-Fa-f]+)",
                     run(f"{llvm}/llvm-readobj", "--stack-sizes", binary)):
    for name in m.group(1).split(", "):
        frames[name] = int(m.group(2), 16)

# Mangled and demangled names, in the same order.
raw = run(f"{llvm}/llvm-objdump", "-d", "--no-show-raw-insn", binary)
pretty = run(f"{llvm}/llvm-objdump", "-d", "-C", "--no-show-raw-insn", binary)
head = re.compile(r"^([0-9a-f]+) <(.*)>:$")
demangled = {}
for a, b in zip(re.finditer(head.pattern, raw, re.M), re.finditer(head.pattern, pretty, re.M)):
    demangled[a.group(2)] = b.group(2)

calls = collections.defaultdict(set)
indirect = set()
prologue = collections.defaultdict(int)
cur = None
for line in raw.splitlines():
    m = head.match(line)
    if m:
        cur = m.group(2)
        continue
    if cur is None or not line.strip():
        continue
    ins = line.split("\t")
    op = ins[1].strip() if len(ins) > 1 else ""
    args = ins[2] if len(ins) > 2 else ""
    t = re.search(r"<([^>+]+)(\+0x[0-9a-f]+)?>", line)
    if re.fullmatch(r"(bl|b|b\.w|b\.n)", op) and t and t.group(1) != cur and not t.group(2):
        calls[cur].add(t.group(1))
    elif op in ("blx", "bx") and not args.strip().startswith("lr"):
        indirect.add(cur)
    elif op in ("push", "push.w") or (op.startswith("stmdb") and args.startswith("sp!")):
        prologue[cur] += 4 * (args.count(",") + 1)
    elif op in ("vpush", "vpush.w"):
        n = args.count(",") + 1
        prologue[cur] += 8 * n
    elif op in ("sub", "sub.w", "subw") and args.startswith("sp, "):
        v = re.search(r"#(0x[0-9a-f]+|\d+)", args)
        if v:
            prologue[cur] += int(v.group(1), 0)


def frame(f):
    return frames.get(f, prologue.get(f, 0))


memo = {}


def worst(f, stack=()):
    if f in stack:
        raise RecursionError(demangled.get(f, f))
    if f in memo:
        return memo[f]
    if f in indirect:
        raise LookupError("indirect call in " + demangled.get(f, f))
    best, path = 0, []
    for c in calls.get(f, ()):
        s, p = worst(c, stack + (f,))
        if s > best:
            best, path = s, p
    memo[f] = (frame(f) + best, [f] + path)
    return memo[f]


for root in roots:
    found = [f for f, d in demangled.items() if re.fullmatch(re.escape(root) + r"(::h[0-9a-f]+)?", d)]
    if not found:
        print(f"{root}\t?\tnot in the binary (inlined?)")
        continue
    try:
        total, path = worst(found[0])
        shown = " > ".join(
            f"{re.sub(r'::h[0-9a-f]{16}$', '', demangled.get(p, p)).split('::')[-1]}({frame(p)})"
            for p in path)
        print(f"{root}\t{total}\t{shown}")
    except (RecursionError, LookupError) as e:
        print(f"{root}\t?\tunbounded: {e}")
