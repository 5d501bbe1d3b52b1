#!/usr/bin/env bash
# vmalloc from the kmm command: the issue's "Done when" line (an 8 MiB area on i386-highmem in
# /proc/vmallocinfo and the highmem lines of /proc/meminfo), the format of /proc/vmallocinfo,
# VmallocUsed, and each command (vmalloc, vzalloc, vfree, kvmalloc, kvfree, check), working
# and failing cleanly on bad input.
#
#   tests/test_cli_vmalloc.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u

. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh" "$@"

# ---- the issue's "Done when" ----

run -b "profile=i386-highmem mem=2G" -c "vmalloc v 8M; cat /proc/vmallocinfo; cat /proc/meminfo"
expect_rc 0 "vmalloc v 8M on i386-highmem"
out_has '^0x[0-9a-f]{16}-0x[0-9a-f]{16} 8392704 cli_vmalloc\+0x[0-9a-f]+ pages=2048 vmalloc vpages$' "the 8 MiB area in /proc/vmallocinfo"
# the 16 KiB page array is an area of its own, made for the same caller
out_has '^0x[0-9a-f]{16}-0x[0-9a-f]{16}   20480 cli_vmalloc\+0x[0-9a-f]+ pages=4 vmalloc$' "the page array's area"
for l in HighTotal HighFree LowTotal LowFree; do
	out_has "^$l: +[0-9]+ kB$" "meminfo: $l"
done
out_has '^VmallocTotal:     131072 kB$' "VmallocTotal is vmalloc= (128 MiB)"
out_has '^VmallocUsed:        8208 kB$' "VmallocUsed counts the 2052 pages"
out_has '^VmallocChunk:          0 kB$' "VmallocChunk is 0, as Linux prints it"
# the area came from HighMem frames, as the kernel's vmalloc prefers them
out_has '^  2048 pages in [0-9]+ runs? of contiguous frames: HighMem 2048$' "the frames are HighMem's"
check "vmalloc 8M on i386-highmem: /proc/vmallocinfo and /proc/meminfo"

# ---- areas, the end of an area, and the free ----

run -b quiet -c "vmalloc a 5000; vzalloc b 1M; cat /proc/vmallocinfo; vfree a; vfree b; cat /proc/vmallocinfo; check"
expect_rc 0 "vmalloc, vzalloc, vfree"
out_has '^a: vmalloc area 0x[0-9a-f]+-0x[0-9a-f]+, 8192 bytes \(\+ a guard page\)$' "5000 bytes round up to 2 pages"
out_has '^0x[0-9a-f]{16}-0x[0-9a-f]{16}   12288 cli_vmalloc\+0x[0-9a-f]+ pages=2 vmalloc N0=2$' "x86_64 prints N0="
out_has '^0x[0-9a-f]{16}-0x[0-9a-f]{16} 1052672 cli_vzalloc\+0x[0-9a-f]+ pages=256 vmalloc N0=256$' "the vzalloc'ed area"
out_has '^0x[0-9a-f]{16}-0x[0-9a-f]{16}   12288 unpurged vm_area$' "a freed area waits for the purge"
out_has '^vmalloc: 0 violations$' "the walker"
check "vmalloc, vzalloc, vfree, unpurged areas, check"

# the area's end and its guard page are consecutive in /proc/vmallocinfo: the next area starts after the guard
run -b quiet -c "vmalloc a 4096; vmalloc b 4096; cat /proc/vmallocinfo"
expect_rc 0 "two areas"
a_end=$(grep -E '^0x' "$tmp/out" | awk 'NR == 1 { split($1, r, "-"); print r[2] }')
starts=$(grep -E '^0x' "$tmp/out" | awk '{ split($1, r, "-"); print r[1] }')
echo "$starts" | grep -qx "$a_end" || fail "an area ends ($a_end) where no next area begins: $starts"
check "areas follow each other, a guard page apart"

# ---- kvmalloc's choice ----

run -b quiet -c "kvmalloc s 100; kvmalloc m 64K; kvmalloc l 8M; kvmalloc n 8M GFP_NOWAIT; kvfree s; kvfree m; kvfree l; check"
expect_rc 1 "kvmalloc: the GFP_NOWAIT one fails"
out_has "^s: kmalloc'ed at 0x[0-9a-f]+, ksize 128$" "100 bytes: kmalloc"
out_has "^m: kmalloc'ed at 0x[0-9a-f]+, ksize 65536$" "64 KiB on a fresh machine: kmalloc"
out_has "^l: vmalloc area " "8 MiB (beyond KMALLOC_MAX_SIZE): vmalloc"
err_has "^kvmalloc: n: 8388608-byte allocation failed" "8 MiB GFP_NOWAIT: no vmalloc fallback"
out_has '^vmalloc: 0 violations$' "the walker after kvfree"
check "kvmalloc: kmalloc, vmalloc, no fallback without sleeping"

# ---- failures, reported as the kernel reports them ----

run -b "vmalloc=8M quiet" -c "vmalloc a 6M; vmalloc b 4M; vfree a; vmalloc c 4M; check"
expect_rc 1 "the region is exhausted"
err_has "^vmalloc: b: 4194304-byte allocation failed" "the CLI says which one failed"
# a's range waits for the purge; the failed search purges it and retries
out_has "^c: vmalloc area " "after vfree a, the purge makes room for c"
out_has '^vmalloc: 0 violations$' "the walker after the failure"
run -b "vmalloc=8M" -c "vmalloc a 6M; vmalloc b 4M"
err_has 'vmalloc_node_range for size 4198400 failed: Address range restricted to 0x[0-9a-f]+ - 0x[0-9a-f]+' "the region's message"
err_has 'kmm: vmalloc error: size 4194304, vm_struct allocation failed, mode:0xcc0\(GFP_KERNEL\)' "warn_alloc's line"
check "VA exhaustion: the kernel's messages"

run -b "mem=128M" -c "vmalloc big 200M"
expect_rc 1 "vmalloc of more than the RAM"
err_has 'vmalloc error: size 209715200, exceeds total pages' "exceeds total pages"
check "more than the RAM: exceeds total pages"

run -b quiet -c "vmalloc a 4096; vfree a; vfree a; dmesg; check"
expect_rc 0 "a double vfree"
out_has 'Trying to vfree\(\) nonexistent vm area \(0x[0-9a-f]+\)' "the WARN of a double vfree"
out_has '^vmalloc: 0 violations$' "a double vfree changes nothing"
check "a double vfree: the kernel's WARN, nothing changed"

# ---- bad command lines ----

for cmd in "vmalloc" "vmalloc a" "vmalloc a 1x" "vmalloc a 1M extra" "vfree" "vfree nosuch" "kvmalloc a 1M NOT_A_FLAG" "kvfree"; do
	run -b quiet -c "$cmd"
	expect_rc 1 "'$cmd'"
	[ -s "$tmp/err" ] || fail "'$cmd' says nothing on stderr"
done
run -b quiet -c "vmalloc a 1M; vmalloc a 1M"
expect_rc 1 "a name in use"
err_has "^vmalloc: a is in use" "a name in use"
check "bad command lines fail with a message"

echo "1..$n"
