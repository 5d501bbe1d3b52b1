#!/usr/bin/env bash
# The page allocator from the kmm command, as the issue's "Done when" lines put it:
# /proc/buddyinfo on each profile, the order limit and its WARNING splat, exhaustion and
# its report, bad frees, GFP parsing, zone choice, fault injection, the walker, and the
# tour on every profile.
#
#   tests/test_cli_pages.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u

. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh" "$@"

# buddyinfo_line ZONE NCOLS: a /proc/buddyinfo line of ZONE with NCOLS order columns
buddyinfo_line() {
	printf '^Node 0, zone +%s( +[0-9]+){%d} ?$' "$1" "$2"
}

# ---- the issue's "Done when" ----

run -b "profile=at91rm9200" -c "cat /proc/buddyinfo"
expect_rc 0 "at91rm9200: cat /proc/buddyinfo"
[ "$(wc -l <"$tmp/out")" = 1 ] || fail "at91rm9200: /proc/buddyinfo has $(wc -l <"$tmp/out") lines, expected 1"
out_has "$(buddyinfo_line Normal 10)" "at91rm9200: /proc/buddyinfo"
check "at91rm9200: /proc/buddyinfo is one zone line (Normal) with 10 order columns"

run -b "profile=at91rm9200" -c "alloc_pages p 9"
expect_rc 0 "at91rm9200: alloc_pages p 9"
out_has '^p: order 9, pfn 0x[0-9a-f]+-0x[0-9a-f]+, zone Normal$' "alloc_pages p 9"
err_lacks 'WARNING:' "alloc_pages p 9"
check "at91rm9200: alloc_pages p 9 succeeds"

run -b "profile=at91rm9200" -c "alloc_pages p 9; alloc_pages q 10"
expect_rc 1 "at91rm9200: alloc_pages q 10"
out_has '^p: order 9' "alloc_pages p 9 before q"
out_lacks '^q:' "alloc_pages q 10"
err_has '^\[ *[0-9]+\.[0-9]+\] ------------\[ cut here \]------------$' "the order-10 splat"
err_has '^\[ *[0-9]+\.[0-9]+\] WARNING: CPU: 0 PID: [0-9]+ at mm/page_alloc\.c:[0-9]+ __alloc_pages' "the order-10 splat"
err_has '---\[ end trace 0000000000000000 \]---' "the order-10 splat"
err_has 'alloc_pages: q: order-10 allocation failed' "alloc_pages q 10"
err_lacks 'page allocation failure' "an order above MAX_PAGE_ORDER"
check "at91rm9200: alloc_pages q 10 fails (exit 1) with the kernel's WARNING splat, not the failure report"

run -b "profile=at91rm9200" -c "alloc_pages q 10; alloc_pages q 10; alloc_pages q 10 GFP_KERNEL|__GFP_NOWARN"
expect_rc 1 "at91rm9200: alloc_pages q 10, three times"
[ "$(count_err 'WARNING: CPU:')" = 1 ] || fail "WARN_ON_ONCE printed $(count_err 'WARNING: CPU:') splats"
check "the order-limit splat is printed once (WARN_ON_ONCE)"

cmds=""
for i in $(seq 1 40); do
	cmds="$cmds alloc_pages r$i 9;"
done
run -b "profile=at91rm9200" -c "$cmds"
expect_rc 1 "at91rm9200: alloc_pages r1..r40 9"
out_has '^r1: order 9' "the first order-9 allocation"
out_lacks '^r40:' "the 40th order-9 allocation (80 MiB of 64)"
err_has 'kmm: page allocation failure: order:9, mode:0xcc0\(GFP_KERNEL\), nodemask=\(null\)' "exhaustion"
err_has '\] Mem-Info:$' "exhaustion"
err_has '\] Node 0 Normal free:[0-9]+kB boost:[0-9]+kB min:[0-9]+kB low:[0-9]+kB high:[0-9]+kB' "Mem-Info's zone line"
err_has '\] Node 0 Normal: [0-9]+\*4kB .* = [0-9]+kB$' "Mem-Info's per-order free counts"
err_has '\] lowmem_reserve\[\]:( [0-9]+)+$' "Mem-Info's lowmem_reserve"
err_has 'alloc_pages: r[0-9]+: order-9 allocation failed' "exhaustion"
err_lacks 'WARNING: CPU:' "exhaustion"
[ "$(count_err 'page allocation failure')" = 1 ] ||
	fail "the failure report is printed $(count_err 'page allocation failure') times, expected once (ratelimited)"
check "at91rm9200: order-9 allocations until memory runs out end with 'page allocation failure: order:9' and Mem-Info (once)"

run -b "profile=i386-highmem mem=2G" -c "cat /proc/buddyinfo"
expect_rc 0 "i386-highmem: cat /proc/buddyinfo"
[ "$(wc -l <"$tmp/out")" = 3 ] || fail "i386-highmem: /proc/buddyinfo has $(wc -l <"$tmp/out") lines, expected 3"
[ "$(sed -n 1p "$tmp/out" | grep -Ec "$(buddyinfo_line DMA 11)")" = 1 ] || fail "i386-highmem: line 1 is not DMA with 11 columns"
[ "$(sed -n 2p "$tmp/out" | grep -Ec "$(buddyinfo_line Normal 11)")" = 1 ] || fail "i386-highmem: line 2 is not Normal with 11 columns"
[ "$(sed -n 3p "$tmp/out" | grep -Ec "$(buddyinfo_line HighMem 11)")" = 1 ] || fail "i386-highmem: line 3 is not HighMem with 11 columns"
check "i386-highmem mem=2G: /proc/buddyinfo has DMA, Normal and HighMem lines with 11 order columns"

run -b quiet -c "cat /proc/buddyinfo"
expect_rc 0 "x86_64: cat /proc/buddyinfo"
[ "$(wc -l <"$tmp/out")" = 2 ] || fail "x86_64 512M: /proc/buddyinfo has $(wc -l <"$tmp/out") lines, expected 2"
out_has "$(buddyinfo_line DMA 11)" "x86_64: DMA"
out_has "$(buddyinfo_line DMA32 11)" "x86_64: DMA32"
check "x86_64 (512M): /proc/buddyinfo has DMA and DMA32 lines with 11 order columns"

# ---- bad frees ----

run -b quiet -c "cat /proc/buddyinfo"
cp "$tmp/out" "$tmp/boot"
run -c "alloc_pages a 2; free_pages a; free_pages a; quiesce; cat /proc/buddyinfo"
expect_rc 1 "a double free_pages"
err_has '\] BUG: Bad page state in process [^ ]+  pfn:[0-9a-f]+$' "a double free"
err_has '\] page dumped because: ' "a double free"
err_has 'free_pages: a was freed already' "a double free"
sed -n '/^Node/p' "$tmp/out" >"$tmp/after"
cmp -s "$tmp/boot" "$tmp/after" || fail "after a double free and quiesce, /proc/buddyinfo differs from boot:
$(diff "$tmp/boot" "$tmp/after")"
check "a double free_pages exits 1, logs 'BUG: Bad page state' and leaves the free lists as they were"

run -b quiet -c "alloc_pages a 9; free_pages a; free_pages a; check"
expect_rc 1 "a double free_pages of an order-9 block"
out_has '^page allocator: 0 violations$' "the walker after a double free"
check "a double free of a buddy-list block (order 9) is caught too, and the walker stays clean"

run -b quiet -c "free_pages nobody"
expect_rc 1 "free_pages of an unknown name"
err_has 'free_pages: nobody: no such allocation' "free_pages nobody"
check "free_pages of an unknown name exits 1 naming it"

# ---- GFP parsing and zones ----

run -b quiet -c "alloc_pages a 0 GFP_DMA"
expect_rc 0 "alloc_pages a 0 GFP_DMA"
out_has '^a: order 0, pfn 0x[0-9a-f]+-0x[0-9a-f]+, zone DMA$' "alloc_pages a 0 GFP_DMA"
check "x86_64: alloc_pages a 0 GFP_DMA lands in zone DMA"

run -b quiet -c "alloc_pages a 1 GFP_KERNEL|__GFP_ZERO; alloc_pages b 1 GFP_KERNEL | __GFP_ZERO; alloc_pages c 0 0xcc0; alloc_pages d 0 __GFP_DMA32"
expect_rc 0 "GFP masks written as the kernel prints them"
out_has '^a: order 1, .* zone DMA32$' "GFP_KERNEL|__GFP_ZERO"
out_has '^b: order 1, .* zone DMA32$' "GFP_KERNEL | __GFP_ZERO (blanks)"
out_has '^c: order 0, ' "0xcc0"
out_has '^d: order 0, .* zone DMA32$' "__GFP_DMA32"
check "GFP masks parse as the kernel prints them (names joined by '|', blanks, hex)"

run -b quiet -c "alloc_pages a 0 GFP_BOGUS"
expect_rc 1 "a bad GFP word"
err_has "alloc_pages: invalid GFP flags at 'GFP_BOGUS'" "a bad GFP word"
out_lacks '^a:' "a bad GFP word"
check "a bad GFP word exits 1 with a message naming it"

run -b quiet -c "alloc_pages a 0 GFP_KERNEL|__GFP_NOSUCH"
expect_rc 1 "a bad GFP word after a good one"
err_has "invalid GFP flags at '__GFP_NOSUCH'" "a bad GFP word after a good one"
check "a bad GFP word after a good one is named"

run -b quiet -c "alloc_pages a x; alloc_pages b; get_free_pages c -1"
expect_rc 1 "bad orders and missing arguments"
err_has 'alloc_pages: x: invalid order' "alloc_pages a x"
err_has 'usage: alloc_pages NAME ORDER \[GFP\]' "alloc_pages b"
check "a bad order or a missing argument exits 1 with a message"

run -b quiet -c "get_free_pages g 2 GFP_KERNEL; free_pages g; check"
expect_rc 0 "get_free_pages"
out_has '^g: order 2, pfn 0x[0-9a-f]+-0x[0-9a-f]+, zone DMA32, address 0x[0-9a-f]+$' "get_free_pages g 2"
check "get_free_pages prints the block's direct-map address, and free_pages frees it"

run -b quiet -c "alloc_pages a 0; alloc_pages a 0"
expect_rc 1 "alloc_pages of a name in use"
err_has 'a is allocated already' "alloc_pages of a name in use"
check "alloc_pages of a name in use exits 1"

# zone_of CMDLINE GFP: the zone an order-0 allocation with GFP lands in
zone_of() {
	"$kmm" -b "quiet $1" -c "alloc_pages z 0 $2" 2>/dev/null | sed -n 's/^z: .*, zone \([A-Za-z0-9]*\)$/\1/p'
}
while read -r cmdline gfp want; do
	[ "$cmdline" = "-" ] && cmdline=""
	got=$(zone_of "$cmdline" "$gfp")
	[ "$got" = "$want" ] || fail "'$cmdline' alloc_pages z 0 $gfp landed in '$got', expected $want"
done <<'EOF'
-                       GFP_KERNEL                          DMA32
-                       GFP_KERNEL|__GFP_DMA                DMA
-                       GFP_KERNEL|__GFP_DMA32              DMA32
-                       GFP_KERNEL|__GFP_HIGHMEM            DMA32
-                       GFP_HIGHUSER_MOVABLE                DMA32
mem=8G                  GFP_KERNEL                          Normal
mem=8G                  GFP_DMA32                           DMA32
mem=8G                  GFP_HIGHUSER_MOVABLE                Normal
profile=i386-highmem    GFP_KERNEL                          Normal
profile=i386-highmem    GFP_DMA                             DMA
profile=i386-highmem    GFP_DMA32                           Normal
profile=i386-highmem    GFP_HIGHUSER                        HighMem
profile=i386-highmem    GFP_HIGHUSER_MOVABLE                HighMem
profile=at91rm9200      GFP_DMA                             Normal
profile=at91rm9200      GFP_HIGHUSER                        Normal
EOF
check "each zone modifier lands in the zone docs/page_alloc.md's table gives, on each profile"

run -c "alloc_pages a 0 GFP_KERNEL|__GFP_DMA|__GFP_HIGHMEM"
expect_rc 1 "invalid zone modifiers"
err_has 'WARNING: CPU: 0 PID: [0-9]+ at include/linux/gfp\.h:[0-9]+ gfp_zone' "invalid zone modifiers"
check "invalid zone modifiers (__GFP_DMA|__GFP_HIGHMEM) fail with a WARNING"

# ---- the walker, quiesce and the sysctls ----

run -b quiet -c "alloc_pages a 0; alloc_pages b 3; alloc_pages c 7 GFP_ATOMIC; get_free_pages d 1 GFP_DMA; check; free_pages a; free_pages b; free_pages c; free_pages d; quiesce; check; cat /proc/buddyinfo"
expect_rc 0 "check"
[ "$(grep -c '^memblock: 0 violations$' "$tmp/out")" = 2 ] || fail "check did not print 'memblock: 0 violations' twice"
[ "$(grep -c '^page allocator: 0 violations$' "$tmp/out")" = 2 ] || fail "check did not print 'page allocator: 0 violations' twice"
sed -n '/^Node/p' "$tmp/out" >"$tmp/after"
cmp -s "$tmp/boot" "$tmp/after" || fail "after freeing everything and quiesce, /proc/buddyinfo differs from boot:
$(diff "$tmp/boot" "$tmp/after")"
check "check prints 0 violations with blocks allocated and after; quiesce brings /proc/buddyinfo back to boot"

run -b quiet -c "cat /proc/sys/vm/min_free_kbytes; echo 8192 > /proc/sys/vm/min_free_kbytes; cat /proc/sys/vm/min_free_kbytes; cat /proc/sys/vm/watermark_scale_factor /proc/sys/vm/lowmem_reserve_ratio"
expect_rc 0 "the vm sysctls"
[ "$(sed -n 1p "$tmp/out")" = 2741 ] || fail "min_free_kbytes on the default machine is '$(sed -n 1p "$tmp/out")', expected 2741 (int_sqrt(469656 * 16))"
[ "$(sed -n 2p "$tmp/out")" = 8192 ] || fail "min_free_kbytes did not take 8192"
[ "$(sed -n 3p "$tmp/out")" = 10 ] || fail "watermark_scale_factor is not 10"
check "/proc/sys/vm/min_free_kbytes is 2741 on the default machine, and writable"

run -b "quiet min_free_kbytes=4096" -c "cat /proc/sys/vm/min_free_kbytes"
expect_rc 0 "min_free_kbytes= at boot"
[ "$(cat "$tmp/out")" = 4096 ] || fail "min_free_kbytes=4096 at boot reads '$(cat "$tmp/out")'"
check "min_free_kbytes=N at boot sets /proc/sys/vm/min_free_kbytes"

# ---- fault injection ----

run -b "fail_page_alloc=1,100,0,1" -c "alloc_pages k 1 GFP_KERNEL; alloc_pages z 0 GFP_ATOMIC; alloc_pages a 1 GFP_ATOMIC; alloc_pages b 1 GFP_ATOMIC"
expect_rc 1 "fail_page_alloc=1,100,0,1"
out_has '^k: order 1' "a sleeping allocation (ignore-gfp-wait)"
out_has '^z: order 0' "an order-0 allocation (min-order 1)"
out_lacks '^a:' "the first eligible allocation"
out_has '^b: order 1' "the second eligible allocation (times 1)"
err_has 'alloc_pages: a: order-1 allocation failed' "the injected failure"
err_has '\] FAULT_INJECTION: forcing a failure\.$' "the injected failure"
err_has '\] name fail_page_alloc, interval 1, probability 100, space 0, times 0$' "the injected failure"
err_lacks 'page allocation failure' "an injected failure"
check "fail_page_alloc=1,100,0,1 fails the first eligible allocation only, with the FAULT_INJECTION lines"

run -b quiet -c "echo 0 > /sys/kernel/debug/fail_page_alloc/min-order
echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-wait
echo 2 > /sys/kernel/debug/fail_page_alloc/times
echo 100 > /sys/kernel/debug/fail_page_alloc/probability
alloc_pages a 0; alloc_pages b 0; alloc_pages c 0; cat /sys/kernel/debug/fail_page_alloc/times"
expect_rc 1 "the fail_page_alloc debugfs knobs"
out_lacks '^a:' "the first injected failure"
out_lacks '^b:' "the second injected failure"
out_has '^c: order 0' "times used up"
[ "$(tail -n 1 "$tmp/out")" = 0 ] || fail "fail_page_alloc/times reads '$(tail -n 1 "$tmp/out")' after use, expected 0"
check "the fail_page_alloc debugfs knobs fail exactly 'times' allocations (docs/page_alloc.md's example)"

run -b "fail_page_alloc=1,101,0,1"
expect_rc 2 "fail_page_alloc=1,101,0,1"
err_has 'fail_page_alloc=1,101,0,1' "a bad fail_page_alloc="
check "a bad fail_page_alloc= value fails the boot naming it"

# ---- early boot ----

run -b "quiet kmm.stop_at=memblock" -c "alloc_pages a 0"
expect_rc 1 "alloc_pages on a machine stopped at memblock"
err_has 'the page allocator is not running' "kmm.stop_at=memblock"
check "kmm.stop_at=memblock: alloc_pages fails, saying there is no page allocator"

# ---- the tour, on every profile ----

for profile in x86_64 i386-highmem at91rm9200; do
	run -b "profile=$profile" "$src/scenarios/tour.kmm"
	expect_rc 0 "the tour on $profile"
	out_has '^a: order 3, ' "the tour's alloc_pages on $profile"
	out_has '^page allocator: 0 violations$' "the tour's check on $profile"
	# the buddyinfo after quiesce is the one at boot: number the sections, keep their Node lines
	awk '/^== /{s++} /^Node/{print s "\t" $0}' "$tmp/out" >"$tmp/tour"
	sections=$(cut -f1 "$tmp/tour" | sort -un | wc -l)
	[ "$sections" -ge 4 ] || fail "the tour on $profile shows /proc/buddyinfo $sections times, expected 4"
	first=$(cut -f1 "$tmp/tour" | sort -un | head -n 1)
	# the quiesce stop's (later stops, such as replay's report, print buddyinfo-shaped lines too)
	last=$(awk '/^== /{s++} /^== quiesce/{print s; exit}' "$tmp/out")
	awk -F '\t' -v s="$first" '$1 == s {print $2}' "$tmp/tour" >"$tmp/tour.first"
	awk -F '\t' -v s="$last" '$1 == s {print $2}' "$tmp/tour" >"$tmp/tour.last"
	[ -s "$tmp/tour.first" ] || fail "the tour on $profile: no /proc/buddyinfo at boot"
	cmp -s "$tmp/tour.first" "$tmp/tour.last" || fail "the tour on $profile: /proc/buddyinfo after quiesce differs from boot:
$(diff "$tmp/tour.first" "$tmp/tour.last")"
	check "the tour exits 0 on $profile and ends with /proc/buddyinfo as at boot"
done

echo "all $n checks passed"
exit 0
