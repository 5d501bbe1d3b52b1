#!/usr/bin/env bash
# kmm replay from the command line: hand-written traces in each text format with exactly
# known reports (events, unmatched frees, the perf kmem stat figures, kmm's rounding), the same
# report twice, --json, --plot, --level, failures on a small machine with their call sites,
# malformed, truncated, compressed and missing inputs, stdin, usage errors, and the shared
# traces when ../shared is there.
#   tests/test_cli_replay.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u

. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh" "$@"
data="$src/tests/data"
shared="$src/../shared/traces"

# basic_report: the figures every format of replay-basic must give
basic_report() {
	local what=$1
	out_has '^  kmalloc +2$' "$what: kmalloc events"
	out_has '^  kfree +2$' "$what: kfree events"
	out_has '^  kmem_cache_alloc +1$' "$what: kmem_cache_alloc events"
	out_has '^  kmem_cache_free +1$' "$what: kmem_cache_free events"
	out_has '^  mm_page_alloc +2$' "$what: mm_page_alloc events"
	out_has '^  mm_page_free +2$' "$what: mm_page_free events"
	out_has '^  mm_page_free_batched +1$' "$what: mm_page_free_batched events"
	out_has '^  other events +1 ' "$what: mm_page_alloc_zone_locked is counted and skipped"
	out_has '^  freed twice in the log +1 ' "$what: the batched free is not freed twice"
	out_has '^  replayed +8 ' "$what: kmm calls"
	out_has 'unmatched frees \(allocated before the trace began\): kfree 1, kmem_cache_free 0, mm_page_free 1, mm_page_free_batched 0$' "$what: unmatched frees"
	out_has '^  live at the end: 1 objects \(64 bytes\), 4 pages of page events$' "$what: what is left"
	out_has '^  cross-CPU frees \(freed on another CPU than the allocating one\): 1$' "$what: cross-CPU frees"
	out_has '^== Allocation failures in kmm: 0$' "$what: no failure"
	out_has '^ foo\+10 +\| +192/96 \| +160/80 \| +2 \| +1 \| 16\.667% \| +192/96 \| +16\.667% \| 0$' "$what: foo's row"
	out_has '^ baz\+8 +\| +192/192 \| +184/184 \| +1 \| +0 \|  4\.167% \| +184/184 \| +0\.000% \| 0$' "$what: baz's row, kmm's 184-byte cache"
	out_has '^Total bytes requested: 344$' "$what: requested"
	out_has '^Total bytes allocated: 384$' "$what: allocated"
	out_has '^Total bytes freed:     320$' "$what: freed"
	out_has '^Net total bytes allocated: 64$' "$what: net"
	out_has '^Total bytes wasted on internal fragmentation: 40$' "$what: wasted"
	out_has '^Internal fragmentation: 10\.416667%$' "$what: fragmentation"
	out_has '^Cross CPU allocations: 0/3$' "$what: cross-node allocations"
	out_has '^ thing +\| +1 \| +184 \| +192 \| +184 \| ' "$what: the cache thing"
	out_has '^Total allocation requests +: +2 +\[ +20 KB \]$' "$what: page allocation requests"
	out_has '^Total free requests +: +2 +\[ +8 KB \]$' "$what: page free requests"
	out_has '^Total alloc\+freed requests +: +1 +\[ +4 KB \]$' "$what: alloc+freed"
	out_has '^Total alloc-only requests +: +1 +\[ +16 KB \]$' "$what: alloc-only"
	out_has '^Total free-only requests +: +1 +\[ +4 KB \]$' "$what: free-only"
	out_has '^ +16 \| +1 \| +2 \| Unmovable +\| +0 \| GFP_KERNEL\|__GFP_COMP / a\.out$' "$what: the order-2 group names its task"
	out_has '^== Memory, in pages of 4 KiB: at most 8 in use' "$what: the peak"
}

for fmt in ftrace perf-script trace-cmd; do
	run replay "$data/replay-basic.$fmt.txt"
	expect_rc 0 "replay of the $fmt sample"
	basic_report "$fmt"
	out_has '1 malformed$' "$fmt: the line that is not an event is counted"
	out_has "^    line [0-9]+: .*this line is not an event" "$fmt: and reported with its line number"
	check "replay-basic in $fmt format: exactly the known report"
done

# the same report twice
run replay "$data/replay-basic.ftrace.txt"
cp "$tmp/out" "$tmp/first"
run replay "$data/replay-basic.ftrace.txt"
cmp -s "$tmp/out" "$tmp/first" || fail "two replays of one trace differ: $(diff "$tmp/first" "$tmp/out" | head -5)"
check "a replay gives the same report twice"

# --json: a document python accepts, with the same figures
run replay --json "$data/replay-basic.ftrace.txt"
expect_rc 0 "--json"
python3 - "$tmp/out" <<'PY' || fail "--json: $(cat "$tmp/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["events"]["kmalloc"] == 2 and d["events"]["mm_page_free_batched"] == 1, d["events"]
assert d["events"]["freed_twice_in_log"] == 1
assert d["unmatched_frees"] == {"kfree": 1, "kmem_cache_free": 0, "mm_page_free": 1, "mm_page_free_batched": 0}
s = d["slab"]
assert (s["bytes_requested"], s["bytes_allocated"], s["bytes_freed"], s["bytes_wasted"]) == (344, 384, 320, 40), s
site = {c["call_site"]: c for c in s["call_sites"]}
assert site["foo+0x10"]["hits"] == 2 and site["foo+0x10"]["ping_pong"] == 1, site
p = d["pages"]
assert (p["allocation_requests"], p["alloc_freed_requests"], p["alloc_only_requests"], p["free_only_requests"]) == (2, 1, 1, 1), p
assert d["failures"]["count"] == 0
assert d["files"][0]["malformed"] == 1
PY
check "--json: valid JSON with the report's figures"

# --level: slab only, page only
run replay --level slab "$data/replay-basic.ftrace.txt"
expect_rc 0 "--level slab"
out_has '^  skipped by --level +5$' "--level slab skips the 5 page events"
out_lacks 'SUMMARY \(page allocator\)' "--level slab has no page summary"
out_lacks 'counted twice' "--level slab does not warn of double counting"
run replay --level page "$data/replay-basic.ftrace.txt"
out_has '^  skipped by --level +6$' "--level page skips the 6 slab events"
out_lacks 'SUMMARY \(SLAB allocator\)' "--level page has no slab summary"
run replay "$data/replay-basic.ftrace.txt"
out_has 'counted twice' "--level all says slab pages are counted twice"
check "--level slab, page and all"

# failures on a small machine, with their call sites (kmalloc) and tasks (pages)
{
	echo "# tracer: nop"
	for i in $(seq 1 40); do
		printf '            big-7  [000] ..... 20.%06d: mm_page_alloc: page=0000000011110000 pfn=0x%x order=10 migratetype=0 gfp_flags=GFP_KERNEL\n' "$i" $((0x100000 + i * 1024))
		printf '            big-7  [000] ..... 20.%06d: kmalloc: call_site=grab+0x2a/0x60 ptr=00000000%08x bytes_req=2097152 bytes_alloc=2097152 gfp_flags=GFP_KERNEL node=-1 accounted=false\n' "$i" "$i"
	done
} >"$tmp/big.txt"
run replay -b "mem=128M" "$tmp/big.txt"
expect_rc 0 "failures are findings, not errors"
out_has '^== Allocation failures in kmm: [1-9][0-9]*, of [12] kinds' "failures counted"
out_has 'mm_page_alloc order:10 mode:0xcc0\(GFP_KERNEL\) by big-7$' "a page failure names its task and pid"
out_has 'kmalloc 2097152 bytes mode:0xcc0\(GFP_KERNEL\) at grab\+2a$' "a kmalloc failure names its call site"
check "a small machine: failures with their call sites"

# --plot: SVG files a browser opens (well-formed XML with an svg root)
run replay --every 2 --plot "$tmp/plots" "$data/replay-basic.ftrace.txt"
expect_rc 0 "--plot"
for f in free-pages free-blocks unusable-index extfrag-index; do
	[ -s "$tmp/plots/$f.svg" ] || fail "--plot wrote no $f.svg"
	python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); assert d.documentElement.tagName == "svg"' \
		"$tmp/plots/$f.svg" || fail "$f.svg is not well-formed SVG"
done
check "--plot: four SVG charts"

# inputs: compressed, stdin, missing, empty, nothing recognisable, truncated
if command -v xz >/dev/null; then
	xz -c "$data/replay-basic.ftrace.txt" >"$tmp/basic.txz"
	run replay "$tmp/basic.txz"
	expect_rc 0 "an xz-compressed trace (no .xz suffix: recognised by content)"
	basic_report "xz"
	check "xz-compressed input"
fi
if command -v gzip >/dev/null; then
	gzip -c "$data/replay-basic.perf-script.txt" >"$tmp/basic.gz"
	run replay "$tmp/basic.gz"
	expect_rc 0 "a gzip-compressed trace"
	basic_report "gzip"
	check "gzip-compressed input"
fi
"$kmm" replay - <"$data/replay-basic.trace-cmd.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "stdin"
basic_report "stdin"
check "'-' reads stdin"

run replay "$tmp/does-not-exist"
expect_rc 1 "a missing file"
err_has 'does-not-exist' "the missing file is named"
: >"$tmp/empty"
run replay "$tmp/empty"
expect_rc 1 "an empty file"
err_has 'no kmem event' "an empty file: no kmem event"
printf 'hello\nworld\n' >"$tmp/prose"
run replay "$tmp/prose"
expect_rc 1 "a file with no event"
head -c 2000 "$data/replay-basic.ftrace.txt" >"$tmp/truncated"
run replay "$tmp/truncated"
expect_rc 0 "a truncated trace still replays what it has"
out_has '^  kmalloc +2$' "the truncated trace's events"
check "missing, empty, unrecognisable and truncated inputs"

# usage errors exit 2
for args in "" "--level fast x" "--every 0 x" "--every -3 x" "--bogus x"; do
	# shellcheck disable=SC2086
	run replay $args
	expect_rc 2 "replay $args"
done
run replay -b "mem=1K" "$data/replay-basic.ftrace.txt"
expect_rc 2 "a machine that cannot boot"
run replay --help
expect_rc 0 "--help"
out_has '^Usage: kmm replay' "--help prints the usage"
check "usage errors exit 2"

# the script command, on the script's machine
run -b quiet -c "replay $data/replay-basic.ftrace.txt; check"
expect_rc 0 "replay in a script"
basic_report "script"
out_has '^slab: 0 violations$' "the walkers after a replay"
check "the script command replay"

# the shared traces, when they are there
if [ -d "$shared" ]; then
	run replay "$shared/linux-6.18-cp-drop-caches.trace.xz"
	expect_rc 0 "the shared trace"
	out_has '^== Allocation failures in kmm: 0$' "the shared trace replays without failure at mem=4G"
	cp "$tmp/out" "$tmp/first"
	run replay "$shared/linux-6.18-cp-drop-caches.trace.xz"
	cmp -s "$tmp/out" "$tmp/first" || fail "the shared trace's two reports differ"
	run replay -b "mem=64M" "$shared/linux-6.18-cp-drop-caches.trace.xz"
	expect_rc 0 "the shared trace at mem=64M"
	out_has '^== Allocation failures in kmm: [1-9]' "mem=64M: failures"
	out_has ' at [a-z_0-9.]+\+[0-9a-f]+$' "mem=64M: failures with call sites"
	check "the shared trace: no failure at 4G, the same twice, failures at 64M"
else
	echo "# skipped: $shared is not there"
fi

# perf kmem stat on the same recording: every figure of its summaries agrees
formats="$shared/linux-6.18-formats"
if [ -d "$formats" ]; then
	run replay "$formats/perf-script.txt.xz"
	expect_rc 0 "the perf script sample"
	for golden in perf-kmem-stat-slab-caller.txt perf-kmem-stat-page-alloc.txt; do
		# the SUMMARY lines and the request/failure lines, as perf prints them
		grep -E '^(Total |Net total|Internal fragmentation|Cross CPU)' "$formats/$golden" >"$tmp/want"
		while IFS= read -r line; do
			grep -qxF -- "$line" "$tmp/out" || fail "perf kmem stat ($golden) says '$line'; the replay does not"
		done <"$tmp/want"
	done
	# the per-call-site rows: Total_alloc/Per, Total_req/Per, Hit, Ping-pong and Frag as perf's
	grep -E '^ [a-z_0-9.]+\+[0-9a-f]+ +\|' "$formats/perf-kmem-stat-slab-caller.txt" |
		awk -F'|' '{ gsub(/ /, "", $1); print $1 "|" $2 "|" $3 "|" $4 "|" $5 "|" $6 }' >"$tmp/rows"
	while IFS='|' read -r site alloc req hit pp frag; do
		got=$(awk -F'|' -v s="$site" '{ x = $1; gsub(/ /, "", x) } x == s { print $2 "|" $3 "|" $4 "|" $5 "|" $6; exit }' "$tmp/out")
		[ "$(echo "$got" | tr -d ' ')" = "$(echo "$alloc|$req|$hit|$pp|$frag" | tr -d ' ')" ] ||
			fail "call site $site: perf kmem stat says $alloc|$req|$hit|$pp|$frag, the replay $got"
	done <"$tmp/rows"
	check "perf kmem stat's figures on the same recording agree (summaries and call sites)"
else
	echo "# skipped: $formats is not there"
fi

echo "1..$n"
