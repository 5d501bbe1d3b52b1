#!/usr/bin/env bash
# bench/programs_bench.py --quick: python3 and gcc under every malloc
# installed here and under libkmm-malloc.so, each run's output the same as
# glibc's, and a Markdown section with both tables and their goal columns.
# A smoke run (one round, small sizes): the figures are no measurement.
#
#   tests/test_bench_programs.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u
. "$(dirname "${BASH_SOURCE[0]}")/shim_lib.sh" "$@"
needs python3

python3 "$src/bench/programs_bench.py" --build "$build" --quick --json "$tmp/out.json" \
	>"$tmp/out" 2>"$tmp/err" || fail "programs_bench.py --quick exits non-zero: $(tail -5 "$tmp/err")"
grep -q '^## Real programs under each malloc' "$tmp/out" || fail "no section heading"
grep -q 'kmm-malloc' "$tmp/out" || fail "no kmm-malloc column"
python3 - "$tmp/out.json" <<'PY' || fail "the JSON results"
import json, sys
d = json.load(open(sys.argv[1]))
text = json.dumps(d)
assert "kmm-malloc" in text and "glibc" in text, "allocators missing"
PY
rows=$(grep -c '^| python3' "$tmp/out")
[ "$rows" -ge 2 ] || fail "python3 rows: $rows"
check "programs_bench.py --quick: $(grep -c '^| ' "$tmp/out") table lines, JSON well formed"
