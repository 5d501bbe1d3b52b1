#!/usr/bin/env bash
# make bench's program works end to end on a quick run: every row, the
# table, JSON, and a RESULTS.md marked as not for recording.
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$build/kmm-bench" --quick --output "$tmp/R.md" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err"; fail "kmm-bench --quick exited $?"; }
for row in page-o0 page-o3 page-o9 page-2thr-remote kmalloc-8 kmalloc-96 kmalloc-192 kmalloc-8k \
	kmem_cache-64 bulk-16 bulk-128 slab-2thr-remote slab-2thr-churn \
	kmap-cached kmap-uncached kmap_local-cached kmap_local-uncached; do
	grep -q "^$row " "$tmp/out" || fail "no $row row in the table"
done
grep -q "glibc" "$tmp/out" || fail "no glibc column"
grep -q "do not record: a --quick" "$tmp/R.md" || fail "a --quick RESULTS.md is not marked"
"$build/kmm-bench" --quick --json --output "$tmp/R2.md" >"$tmp/json" 2>/dev/null || fail "--json run failed"
python3 -m json.tool "$tmp/json" >/dev/null || fail "--json output is not JSON"
"$build/kmm-bench" --bogus >/dev/null 2>&1
[ $? = 2 ] || fail "a bad option does not exit 2"
echo "ok: kmm-bench --quick, --json and its errors"
