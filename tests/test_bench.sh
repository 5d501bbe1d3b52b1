#!/usr/bin/env bash
# make bench's program works end to end on a quick run: every row, the
# table, JSON, and a RESULTS.md marked as not for recording.
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$build/kmm-bench" --quick --output "$tmp/R.md" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err"; fail "kmm-bench --quick exited $?"; }
for row in page-o0 page-o3 page-o9 page-2thr-remote kmalloc-8 kmalloc-96 kmalloc-192 kmalloc-8k kmalloc-16k kmalloc-32k \
	kmem_cache-64 bulk-16 bulk-128 slab-2thr-remote slab-2thr-churn random-100k large-64k large-256k large-1M large-4M \
	kmap-cached kmap-uncached kmap_local-cached kmap_local-uncached \
	vmalloc-4k vmalloc-1M vmalloc-16M host-mmap-4k host-mmap-1M host-mmap-16M; do
	grep -q "^$row " "$tmp/out" || fail "no $row row in the table"
done
# the new rows have a figure in the table and a peak RSS in the RSS table, kmm's included
for row in kmalloc-16k kmalloc-32k random-100k large-64k large-256k large-1M large-4M; do
	grep -Eq "^$row +[0-9.]+ \([0-9.]+\) " "$tmp/out" || fail "no kmm figure in the $row row"
	# kmm's peak RSS, and glibc's beside it unless the peers were skipped (a sanitizer build)
	if grep -q "^glibc: skipped" "$tmp/out"; then
		grep -Eq "^$row +[0-9.]+ +- " "$tmp/out" || fail "no peak RSS in the $row row"
	else
		grep -Eq "^$row +[0-9.]+ +[0-9.]+ " "$tmp/out" || fail "no peak RSS in the $row row"
	fi
done
# a vmalloc row has kmm's figure and its ratio over the host floor, no peers
grep -Eq '^vmalloc-1M +[0-9.]+ \([0-9.]+\) +- .* x[0-9.]+ host floor$' "$tmp/out" ||
	fail "the vmalloc-1M row has no figure or no ratio over its host floor"
grep -q "0 from kmm_vmalloc_check()" "$tmp/out" || fail "vmalloc's walker is not in the checks"
grep -q "glibc" "$tmp/out" || fail "no glibc column"
grep -q "do not record: a --quick" "$tmp/R.md" || fail "a --quick RESULTS.md is not marked"
# the goals, each with a verdict: met, missed by N%, or not measured
grep -Eq '^  kmalloc-64 +kmm +[0-9.]+ +vs fastest peer: [a-z]+ +[0-9.]+ +x[0-9.]+ +(met|missed by [0-9]+%)$' \
	"$tmp/out" || { grep -q "^glibc: skipped" "$tmp/out" &&
	grep -Eq '^  kmalloc-64 +kmm .* not measured in this run$' "$tmp/out"; } ||
	fail "no verdict on the kmalloc-64 goal"
grep -Eq '^\| slab-2thr-churn, kmm \| [0-9.]+ \| mimalloc \| [0-9.]+ \| x[0-9.]+ \| (met|missed by [0-9]+%) \|$' \
	"$tmp/R.md" || grep -Eq '^\| slab-2thr-churn, kmm \| ([0-9.]+|-) \| mimalloc \| - \| - \| not measured in this run \|$' "$tmp/R.md" ||
	fail "RESULTS.md has no verdict on the churn goal"
"$build/kmm-bench" --quick --json --output "$tmp/R2.md" >"$tmp/json" 2>/dev/null || fail "--json run failed"
python3 -m json.tool "$tmp/json" >/dev/null || fail "--json output is not JSON"
python3 - "$tmp/json" <<'EOF' || fail "--json has no vmalloc-1M row over its floor"
import json, sys
rows = {w["name"]: w for w in json.load(open(sys.argv[1]))["workloads"]}
v = rows["vmalloc-1M"]
assert v["floor"] == "host-mmap-1M" and v["kmm_vs_floor"] > 0, v
assert list(v["results"]) == ["kmm"] and v["results"]["kmm"]["median_ns"] > 0, v
assert rows["host-mmap-1M"]["results"]["kmm"]["median_ns"] > 0
EOF
python3 - "$tmp/json" <<'EOF' || fail "--json lacks a figure, a peak RSS or a ratio of a new row"
import json, sys
doc = json.load(open(sys.argv[1]))
rows = {w["name"]: w for w in doc["workloads"]}
ok = sorted(a["name"] for a in doc["allocators"] if a["status"] == "ok")
peers = [a for a in ok if a not in ("kmm", "kmm-malloc")]
for name in ("kmalloc-16k", "kmalloc-32k", "random-100k",
             "large-64k", "large-256k", "large-1M", "large-4M"):
    w = rows[name]
    assert sorted(w["results"]) == ok, (name, list(w["results"]))
    for a, c in w["results"].items():
        assert c["median_ns"] > 0 and c["maxrss_kib"] > 0, (name, a, c)
    if peers:
        assert w["best_peer"] in peers and w["kmm_vs_best"] > 0, (name, w)
EOF
"$build/kmm-bench" --bogus >/dev/null 2>&1
[ $? = 2 ] || fail "a bad option does not exit 2"
echo "ok: kmm-bench --quick, --json and its errors"
