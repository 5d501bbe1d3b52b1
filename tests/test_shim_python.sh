#!/usr/bin/env bash
# python3 under libkmm-malloc.so prints what it prints without it: the
# issue's line (a million str() calls), and a dict of two million small
# strings built and torn down, with Python's own allocator and with every
# object through malloc (PYTHONMALLOC=malloc); KMM_MALLOC_STATS=1 then shows
# the objects Python still holds at exit in the kmalloc caches.
#
#   tests/test_shim_python.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u
. "$(dirname "${BASH_SOURCE[0]}")/shim_lib.sh" "$@"
needs python3

# the interpreter itself, not a wrapper script around it (pyenv's shims are bash)
py=$(python3 -c 'import sys; print(sys.executable)') || fail "python3 does not run"

line='print(sum(len(str(i)) for i in range(10**6)))'
"$py" -c "$line" >"$tmp/want" || fail "python3 -c without the shim"
LD_PRELOAD="$shim" "$py" -c "$line" >"$tmp/out" 2>"$tmp/err" || fail "python3 -c under the shim"
cmp -s "$tmp/want" "$tmp/out" || fail "python3 -c prints $(cat "$tmp/out"), not $(cat "$tmp/want")"
[ ! -s "$tmp/err" ] || fail "python3 -c: stderr under the shim"
check "the issue's line prints $(cat "$tmp/out") under the shim too"

# every object through malloc, and the heap's statistics at exit
PYTHONMALLOC=malloc KMM_MALLOC_STATS=1 LD_PRELOAD="$shim" "$py" -c "$line" >"$tmp/out" 2>"$tmp/err" ||
	fail "PYTHONMALLOC=malloc python3 -c under the shim"
cmp -s "$tmp/want" "$tmp/out" || fail "PYTHONMALLOC=malloc: python3 -c prints $(cat "$tmp/out")"
active=$(awk '/^kmalloc-/ { n += $2 } END { print n + 0 }' "$tmp/err")
[ "$active" -gt 1000 ] || fail "KMM_MALLOC_STATS=1: $active active objects in the kmalloc caches"
check "PYTHONMALLOC=malloc: the same line, and $active kmalloc objects still held at exit"

# The count is exact: 200 000 strings Python never frees (a list whose
# reference is leaked, so its finalisation leaves it) are all there at exit,
# in kmalloc-64 (a 7-byte str is 56 bytes), and the same strings dropped
# before exit are not.
keep='import ctypes
kept = ["k%06d" % i for i in range(200000)]
ctypes.pythonapi.Py_IncRef(ctypes.py_object(kept))
print(len(kept))'
drop='kept = ["k%06d" % i for i in range(200000)]
print(len(kept))
del kept'
PYTHONMALLOC=malloc KMM_MALLOC_STATS=1 LD_PRELOAD="$shim" "$py" -c "$keep" >"$tmp/out" 2>"$tmp/err" ||
	fail "200000 strings kept, under the shim"
held=$(awk '$1 == "kmalloc-64" { print $2 }' "$tmp/err")
[ "${held:-0}" -ge 200000 ] || fail "KMM_MALLOC_STATS=1: ${held:-no} active kmalloc-64 objects, 200000 strings held"
PYTHONMALLOC=malloc KMM_MALLOC_STATS=1 LD_PRELOAD="$shim" "$py" -c "$drop" >"$tmp/out" 2>"$tmp/err" ||
	fail "200000 strings dropped, under the shim"
gone=$(awk '$1 == "kmalloc-64" { print $2 }' "$tmp/err")
[ "${gone:-0}" -lt 100000 ] || fail "KMM_MALLOC_STATS=1: $gone active kmalloc-64 objects after the strings were freed"
check "200000 strings held at exit: $held active kmalloc-64 objects; freed before exit: $gone"

# a dict of two million small strings, built and torn down
cat >"$tmp/dict.py" <<'PY'
d = {}
for i in range(2000000):
    d["k%d" % i] = "v%d" % (i * 7)
total = sum(len(v) for v in d.values())
keys = sorted(d)[:3] + sorted(d)[-3:]
print(len(d), total, keys, d["k1999999"])
del d
junk = [("x" * (i % 50)) for i in range(300000)]
print(len(junk), sum(map(len, junk)))
PY
"$py" "$tmp/dict.py" >"$tmp/want" || fail "the dict workload without the shim"
for mode in pymalloc malloc; do
	PYTHONMALLOC=$mode LD_PRELOAD="$shim" "$py" "$tmp/dict.py" >"$tmp/out" 2>"$tmp/err" ||
		fail "the dict workload under the shim (PYTHONMALLOC=$mode)"
	cmp -s "$tmp/want" "$tmp/out" || fail "the dict workload prints otherwise (PYTHONMALLOC=$mode)"
	check "a dict of 2000000 strings, PYTHONMALLOC=$mode: the same output"
done
