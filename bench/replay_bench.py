#!/usr/bin/env python3
"""How fast `kmm replay` goes: a Markdown section for bench/RESULTS.md.

    bench/replay_bench.py [--build DIR] [--runs N] [TRACE.xz]

On a kmem trace (default: the shared linux-6.18-cp-drop-caches trace when it
is there, else the largest slice in tests/data), best of N runs each:

  - parse only, decompressed and from the .xz (kmm-trace-bench);
  - end to end, `kmm replay TRACE > /dev/null`: wall time, events per
    second and the tool's peak RSS, decompressed and from the .xz;
  - `xz -dc TRACE > /dev/null` alone, the floor of the .xz run.

Replay alone is end to end (decompressed) less parsing. The goals (issue 6):
at least 2 million events/s end to end on decompressed input, and on the .xz
a wall time within 1.2x of `xz -dc` alone.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_trace():
    shared = os.path.join(ROOT, "..", "shared", "traces", "linux-6.18-cp-drop-caches.trace.xz")
    if os.path.exists(shared):
        return os.path.normpath(shared)
    data = os.path.join(ROOT, "tests", "data")
    slices = [os.path.join(data, f) for f in os.listdir(data) if f.endswith(".xz")]
    return max(slices, key=os.path.getsize)


def timed(argv, stdout=subprocess.DEVNULL):
    """Wall seconds and peak RSS (KiB) of one run of argv."""
    t0 = time.perf_counter()
    with subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL) as p:
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if p.returncode:
        raise SystemExit("replay_bench: %s exited with %d" % (" ".join(argv), p.returncode))
    return wall, usage.ru_maxrss


def best(argv, runs):
    results = [timed(argv) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def parse_only(build, trace, runs):
    """kmm-trace-bench's events and best wall time."""
    out = subprocess.run([os.path.join(build, "kmm-trace-bench"), "-r", str(runs), trace],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        m = re.match(r"^\S+\s+\S.*?\s(\d+)\s+([0-9.]+)\s+(\d+)\s", line)
        if m and not line.startswith("trace "):
            return int(m.group(1)), float(m.group(2))
    raise SystemExit("replay_bench: cannot read kmm-trace-bench's output:\n" + out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("trace", nargs="?")
    a = ap.parse_args()
    trace = a.trace or default_trace()
    kmm = os.path.join(a.build, "kmm")
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "trace.txt")
        with open(plain, "wb") as f:
            subprocess.run(["xz", "-dc", trace], stdout=f, check=True)
        events, parse_plain = parse_only(a.build, plain, a.runs)
        _, parse_xz = parse_only(a.build, trace, a.runs)
        e2e_plain, rss_plain = best([kmm, "replay", plain], a.runs)
        e2e_xz, rss_xz = best([kmm, "replay", trace], a.runs)
        xz_alone, _ = best(["xz", "-dc", trace], a.runs)
        plain_mb = os.path.getsize(plain) / 1e6
    rate = lambda s: "%.2f M" % (events / s / 1e6)
    print("\n## Replay (kmm replay)\n")
    print("`bench/replay_bench.py` on `%s` (%d events, %.1f MB decompressed), best of %d runs:\n"
          % (os.path.basename(trace), events, plain_mb, a.runs))
    print("| run | wall s | events/s | peak RSS |")
    print("| --- | ---: | ---: | ---: |")
    print("| parse only, decompressed | %.3f | %s | - |" % (parse_plain, rate(parse_plain)))
    replay_only = max(e2e_plain - parse_plain, 1e-9)
    print("| replay only (end to end less parsing) | %.3f | %s | - |" % (replay_only, rate(replay_only)))
    print("| end to end, decompressed (goal: >= 2 M events/s) | %.3f | %s | %d MiB |"
          % (e2e_plain, rate(e2e_plain), rss_plain // 1024))
    print("| parse only, .xz | %.3f | %s | - |" % (parse_xz, rate(parse_xz)))
    print("| end to end, .xz | %.3f | %s | %d MiB |" % (e2e_xz, rate(e2e_xz), rss_xz // 1024))
    print("| `xz -dc > /dev/null` alone | %.3f | - | - |" % xz_alone)
    print("\nEnd to end on the .xz takes x%.2f of `xz -dc` alone (goal: within x1.20). "
          "The replay's machine is `mem=4G` (its struct pages are most of the peak RSS)."
          % (e2e_xz / xz_alone))
    return 0


if __name__ == "__main__":
    sys.exit(main())
