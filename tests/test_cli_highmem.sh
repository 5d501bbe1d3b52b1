#!/usr/bin/env bash
# Highmem from the kmm command: kmap and kunmap of pages named by alloc_pages, on a highmem
# profile and without highmem, the walker's line in check, a kunmap too many and its BUG
# report, the guard against a kmap that would sleep forever, and the usage errors.
#
#   tests/test_cli_highmem.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u

. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh" "$@"

HM="profile=i386-highmem mem=2G quiet"
addr='0x[0-9a-f]+'

run -b "$HM" -c "alloc_pages a 0 GFP_HIGHUSER; kmap k a; kmap k2 a; check; kunmap k; kunmap k2; check"
expect_rc 0 "kmap of a HighMem page"
out_has "^k: pfn $addr \\(HighMem\\) at $addr, PKMAP slot 1\$" "kmap k a"
k=$(sed -n 's/^k: .* at \(0x[0-9a-f]*\),.*/\1/p' "$tmp/out")
k2=$(sed -n 's/^k2: .* at \(0x[0-9a-f]*\),.*/\1/p' "$tmp/out")
[ -n "$k" ] && [ "$k" = "$k2" ] || fail "two kmaps of one page: $k and $k2, expected the same address"
[ "$(grep -c '^highmem: 0 violations$' "$tmp/out")" = 2 ] || fail "check did not print 'highmem: 0 violations' twice"
err_lacks 'BUG|WARNING' "kmap and kunmap"
check "kmap of a HighMem page prints its PKMAP slot (1, the first one handed out), twice the same; check has a highmem line"

run -b "$HM" -c "alloc_pages a 0 GFP_HIGHUSER; alloc_pages b 0 GFP_HIGHUSER; kmap k a; kunmap k; kmap l b; kunmap l; kmap k a"
expect_rc 0 "kmap after kunmap"
out_has "^l: pfn $addr \\(HighMem\\) at $addr, PKMAP slot 2\$" "a second page"
[ "$(grep -c 'PKMAP slot 1$' "$tmp/out")" = 2 ] || fail "a page kmapped again before a flush did not get its slot back"
check "a page kunmapped keeps its slot until the next flush: kmapped again, it gets the same one"

run -b "$HM" -c "alloc_pages low 0; kmap k low; kunmap k"
expect_rc 0 "kmap of a lowmem page"
out_has "^k: pfn $addr \\(Normal\\) at $addr, the direct map\$" "kmap of a Normal page"
check "kmap of a lowmem page on a highmem profile is its direct-map address"

run -b quiet -c "alloc_pages a 0 GFP_HIGHUSER; kmap k a; kunmap k; check"
expect_rc 0 "kmap without highmem"
out_has "^k: pfn $addr \\(DMA32\\) at $addr, the direct map\$" "kmap on x86_64"
out_has '^highmem: 0 violations$' "check on x86_64"
check "x86_64: kmap is page_address, and check has its highmem line"

run -b "$HM" -c "alloc_pages a 0 GFP_HIGHUSER; kmap k a; kunmap k; kunmap k; check; dmesg"
expect_rc 1 "a kunmap too many"
err_has '\] kernel BUG at mm/highmem\.c:381!$' "a kunmap too many"
out_has '\] ------------\[ cut here \]------------$' "the BUG report in dmesg"
out_has '\] Oops: invalid opcode: 0000 \[#1\] PREEMPT SMP$' "the BUG report in dmesg"
out_has '\] EIP: kunmap_high\+0x[0-9a-f]+/0x[0-9a-f]+$' "the BUG report in dmesg"
err_has 'kunmap: k was kunmapped already' "a kunmap too many"
out_has '^highmem: 0 violations$' "the walker after a kunmap too many"
check "a second kunmap exits 1 with the kernel's BUG report and leaves the walker clean"

run -b "$HM" -c "alloc_pages a 0 GFP_HIGHUSER; kmap k a; kmap k a"
expect_rc 1 "kmap of a name in use"
err_has 'kmap: k is mapped already' "kmap of a name in use"
check "kmap of a name in use exits 1"

run -b "$HM" -c "kmap k nobody; kunmap nobody; kmap k; kunmap"
expect_rc 1 "unknown names and missing arguments"
err_has 'kmap: nobody: no such page' "kmap of an unknown page"
err_has 'kunmap: nobody: no such kmap' "kunmap of an unknown name"
err_has 'kmap: usage: kmap NAME PAGE-NAME' "kmap without a page"
err_has 'kunmap: usage: kunmap NAME' "kunmap without a name"
check "unknown names and missing arguments exit 1 with a message"

run -b "$HM" -c "alloc_pages a 0 GFP_HIGHUSER; free_pages a; kmap k a"
expect_rc 1 "kmap of a freed page"
err_has 'kmap: a: no such page' "kmap of a freed page"
check "kmap of a page that was freed exits 1"

# every PKMAP slot held by the shell: one more kmap would sleep forever
script="$tmp/full.kmm"
for i in $(seq 0 1024); do
	echo "alloc_pages p$i 0 GFP_HIGHUSER"
done >"$script"
for i in $(seq 0 1023); do
	echo "kmap k$i p$i"
done >>"$script"
echo "kmap k1024 p1024; kmap again p5; check" >>"$script"
run -b "$HM" "$script"
expect_rc 1 "a 1025th kmap"
out_has '^k1023: pfn .* PKMAP slot 0$' "the 1024th kmap (wrapped to slot 0)"
out_lacks '^k1024:' "the 1025th kmap"
err_has 'kmap: all 1024 PKMAP slots are held by this shell' "the 1025th kmap"
out_has "^again: pfn $addr \\(HighMem\\) at $addr, PKMAP slot 6\$" "a page that is mapped already"
out_has '^highmem: 0 violations$' "the walker with every slot in use"
check "with all 1024 slots held, kmap of a new page is refused instead of sleeping forever; a mapped page still maps"

run -c "help kmap; help kunmap"
expect_rc 0 "help kmap"
out_has '^kmap NAME PAGE-NAME$' "help kmap"
out_has '^kunmap NAME$' "help kunmap"
check "help describes kmap and kunmap"

echo "all $n checks passed"
exit 0
