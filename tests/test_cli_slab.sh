#!/usr/bin/env bash
# The slab allocator from the kmm command: the issue's "Done when" line on /proc/slabinfo
# (x86_64 and at91rm9200), the 2.1 format, /sys/kernel/slab, the Slab lines of /proc/meminfo,
# and each command (kmalloc, kzalloc, krealloc, kfree, kmem_cache_create, kmem_cache_alloc,
# kmem_cache_free, kmem_cache_destroy, kmem_cache_shrink, slabtop), working and failing
# cleanly on bad input.
#
#   tests/test_cli_slab.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u

. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh" "$@"

# slabinfo_line NAME OBJSIZE OBJPERSLAB PAGESPERSLAB: a /proc/slabinfo line of that geometry
slabinfo_line() {
	printf '^%-17s [ 0-9]{6} [ 0-9]{6} %6s %4s %4s : tunables    0    0    0 : slabdata [ 0-9]{6} [ 0-9]{6}      0$' \
		"$1" "$2" "$3" "$4"
}

# field NAME N: field N of NAME's /proc/slabinfo line in $tmp/out
field() {
	awk -v name="$1" -v f="$2" '$1 == name { print $f; exit }' "$tmp/out"
}

header1='slabinfo - version: 2.1'
header2='# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>'

# ---- the issue's "Done when" ----

run -c "cat /proc/slabinfo"
expect_rc 0 "cat /proc/slabinfo"
[ "$(sed -n 1p "$tmp/out")" = "$header1" ] || fail "line 1 of /proc/slabinfo is '$(sed -n 1p "$tmp/out")'"
[ "$(sed -n 2p "$tmp/out")" = "$header2" ] || fail "line 2 of /proc/slabinfo is '$(sed -n 2p "$tmp/out")'"
sed -n '3,$p' "$tmp/out" | grep -Ev '^([^ ]{17}|[^ ]+ +) [ 0-9]{6} [ 0-9]{6} [ 0-9]{6} [ 0-9]{4} [ 0-9]{4} : tunables    0    0    0 : slabdata [ 0-9]{6} [ 0-9]{6}      0$' >"$tmp/bad"
[ -s "$tmp/bad" ] && fail "lines not in the 2.1 format: $(cat "$tmp/bad")"
# the default machine has 2 CPUs: the geometry of the real Linux 6.18 machine with 2 CPUs
while read -r name size ops pps; do
	out_has "$(slabinfo_line "$name" "$size" "$ops" "$pps")" "x86_64: $name"
done <<'EOF'
kmalloc-8 8 512 1
kmalloc-16 16 256 1
kmalloc-32 32 128 1
kmalloc-64 64 64 1
kmalloc-96 96 42 1
kmalloc-128 128 32 1
kmalloc-192 192 21 1
kmalloc-256 256 16 1
kmalloc-512 512 16 2
kmalloc-1k 1024 16 4
kmalloc-2k 2048 16 8
kmalloc-4k 4096 8 8
kmalloc-8k 8192 4 8
EOF
[ "$(grep -Ec '^kmalloc-[0-9]' "$tmp/out")" = 13 ] ||
	fail "x86_64: $(grep -Ec '^kmalloc-[0-9]' "$tmp/out") kmalloc-<size> caches, expected 13"
out_lacks '^kmalloc-16k ' "x86_64: no kmalloc-16k"
[ "$(tail -n 1 "$tmp/out" | cut -d' ' -f1)" = kmem_cache ] || fail "the last line (the oldest cache) is not kmem_cache"
check "x86_64: /proc/slabinfo lists kmalloc-8 ... kmalloc-8k with kmalloc-96 and kmalloc-192, in the 2.1 format"

run -b "profile=at91rm9200" -c "cat /proc/slabinfo"
expect_rc 0 "at91rm9200: cat /proc/slabinfo"
[ "$(sed -n 1p "$tmp/out")" = "$header1" ] || fail "at91rm9200: line 1 of /proc/slabinfo"
[ "$(sed -n 2p "$tmp/out")" = "$header2" ] || fail "at91rm9200: line 2 of /proc/slabinfo"
for size in 32 64 128 256 512 1024 2048 4096 8192 16384 32768 65536 131072; do
	if [ "$size" -ge 1024 ]; then name="kmalloc-$((size / 1024))k"; else name="kmalloc-$size"; fi
	[ "$(field "$name" 4)" = "$size" ] || fail "at91rm9200: $name has objsize '$(field "$name" 4)', expected $size"
done
[ "$(grep -Ec '^kmalloc-[0-9]' "$tmp/out")" = 13 ] ||
	fail "at91rm9200: $(grep -Ec '^kmalloc-[0-9]' "$tmp/out") kmalloc-<size> caches, expected 13"
for name in kmalloc-8 kmalloc-16 kmalloc-96 kmalloc-192 dma-kmalloc-32; do
	out_lacks "^$name " "at91rm9200: no $name"
done
out_has "$(slabinfo_line kmalloc-128k 131072 1 32)" "at91rm9200: kmalloc-128k, one object per order-5 slab"
check "at91rm9200: the kmalloc caches are 32 ... 131072 (kmalloc-32 ... kmalloc-128k), none of 8, 16, 96, 192"

run -b "slub_debug=FZPU" -c "kmalloc a 64; kfree a; kfree a; kmalloc b 64; kmalloc c 64; quiesce; cat /proc/slabinfo"
expect_rc 1 "slub_debug=FZPU: a double kfree"
err_has '\] BUG kmalloc-64 \(Not tainted\): Object already free$' "the double-free report"
err_has '\] Allocated in cli_kmalloc\+0x[0-9a-f]+ age=[0-9]+ cpu=[0-9]+ pid=[0-9]+$' "the alloc call site (U)"
err_has '\] Freed in cli_kfree\+0x[0-9a-f]+ age=[0-9]+ cpu=[0-9]+ pid=[0-9]+$' "the free call site (U)"
err_has 'kfree: a was freed already' "kfree a, twice"
out_has '^b: kmalloc-64, ' "kmalloc after the double free"
out_has '^c: kmalloc-64, ' "kmalloc after the double free"
[ "$(grep '^b: ' "$tmp/out" | sed 's/.*object \(0x[0-9a-f]*\).*/\1/')" != "$(grep '^c: ' "$tmp/out" | sed 's/.*object \(0x[0-9a-f]*\).*/\1/')" ] ||
	fail "after the double free, two kmallocs returned the same object"
[ "$(field kmalloc-64 2)" = 2 ] || fail "after the double free, kmalloc-64 has $(field kmalloc-64 2) active objects, expected 2"
check "slub_debug=FZPU: kmalloc a 64; kfree a; kfree a prints SLUB's double-free report, exits 1, the cache stays consistent"

# ---- kmalloc and friends ----

run -b quiet -c "kmalloc a 40; kzalloc b 8K; kmalloc c 16K; kmalloc d 0; kmalloc e 100 GFP_KERNEL|__GFP_RECLAIMABLE; kmalloc f 64 GFP_DMA; kmalloc g 0x20 GFP_KERNEL | __GFP_ZERO"
expect_rc 0 "kmalloc"
out_has '^a: kmalloc-64, object 0x[0-9a-f]+, size 40, ksize 64$' "kmalloc a 40"
out_has '^b: kmalloc-8k, object 0x[0-9a-f]+, size 8192, ksize 8192$' "kzalloc b 8K"
out_has '^c: 4 pages \(order 2\), object 0x[0-9a-f]+, size 16384, ksize 16384$' "kmalloc c 16K (large)"
out_has '^d: ZERO_SIZE_PTR \(0x10\), size 0, ksize 0$' "kmalloc d 0"
out_has '^e: kmalloc-rcl-128, object 0x[0-9a-f]+, size 100, ksize 128$' "__GFP_RECLAIMABLE"
out_has '^f: dma-kmalloc-64, ' "GFP_DMA"
out_has '^g: kmalloc-32, object 0x[0-9a-f]+, size 32, ksize 32$' "a hex size and GFP words with blanks"
check "kmalloc/kzalloc print the cache (or the pages of a large one), the object and ksize; sizes as memparse"

run -b quiet -c "kmalloc a 40; krealloc a 60; krealloc a 200; krealloc n 10; krealloc a 0; kfree a; kfree n; kmalloc a 8; kfree a"
expect_rc 0 "krealloc"
out_has '^a: kmalloc-64, object (0x[0-9a-f]+), size 60, ksize 64, in place$' "krealloc within the bucket"
out_has '^a: kmalloc-256, object 0x[0-9a-f]+, size 200, ksize 256, moved from 0x[0-9a-f]+$' "krealloc to a larger bucket"
out_has '^n: kmalloc-16, object 0x[0-9a-f]+, size 10, ksize 16, new$' "krealloc of an unknown name"
out_has '^a: ZERO_SIZE_PTR \(0x10\), size 0, ksize 0, 0x[0-9a-f]+ freed$' "krealloc to 0"
check "krealloc: in place within the bucket, moved beyond it, new for an unknown name, a free for size 0"

run -b quiet -c "kmalloc a 8M"
expect_rc 1 "kmalloc above KMALLOC_MAX_SIZE"
err_has 'kmalloc: a: 8388608-byte allocation failed' "kmalloc a 8M"
out_lacks '^a:' "kmalloc a 8M"
run -b quiet -c "kmalloc a 4M; kfree a"
expect_rc 0 "kmalloc of KMALLOC_MAX_SIZE"
out_has '^a: 1024 pages \(order 10\), ' "kmalloc a 4M"
run -b "profile=at91rm9200 quiet" -c "kmalloc a 128K; kmalloc b 131073"
expect_rc 1 "at91rm9200: kmalloc above the seed table"
out_has '^a: kmalloc-128k, ' "at91rm9200: kmalloc a 128K"
err_has 'kmalloc: b: 131073-byte allocation failed' "at91rm9200: kmalloc b 131073"
check "kmalloc fails (exit 1) above KMALLOC_MAX_SIZE (4M on x86_64), and above 128K on at91rm9200"

run -b quiet -c "kmalloc a x; kmalloc b 8Q; kmalloc c -1; kmalloc d; kmalloc e 8 GFP_BOGUS; kzalloc f 1K __GFP_NOPE; krealloc g; krealloc h y; kfree; kfree nobody; kmalloc i 8; kmalloc i 8"
expect_rc 1 "bad input"
err_has 'kmalloc: x: invalid size' "kmalloc a x"
err_has 'kmalloc: 8Q: invalid size' "kmalloc b 8Q"
err_has 'kmalloc: -1: invalid size' "kmalloc c -1"
err_has 'kmalloc: usage: kmalloc NAME SIZE \[GFP\]' "kmalloc d"
err_has "kmalloc: invalid GFP flags at 'GFP_BOGUS'" "kmalloc e 8 GFP_BOGUS"
err_has "kzalloc: invalid GFP flags at '__GFP_NOPE'" "kzalloc f 1K __GFP_NOPE"
err_has 'krealloc: usage: krealloc NAME SIZE' "krealloc g"
err_has 'krealloc: y: invalid size' "krealloc h y"
err_has 'kfree: usage: kfree NAME' "kfree"
err_has 'kfree: nobody: no such object' "kfree nobody"
err_has 'kmalloc: i is allocated already' "kmalloc i twice"
out_lacks '^[a-h]:' "bad input"
out_has '^i: kmalloc-8, ' "kmalloc i 8"
check "bad sizes, GFP words, names and missing arguments fail with a message, exit 1"

run -b quiet -c "kmalloc a 64; kfree a; krealloc a 10"
expect_rc 1 "krealloc of a freed name"
err_has 'krealloc: a was freed' "krealloc of a freed name"
check "krealloc of a freed name is refused"

# ---- caches ----

run -b quiet -c "kmem_cache_create foo 100 SLAB_HWCACHE_ALIGN|SLAB_NO_MERGE; kmem_cache_alloc x foo; cat /proc/slabinfo; kmem_cache_free x; kmem_cache_destroy foo; cat /sys/kernel/slab/kmalloc-64/object_size"
expect_rc 0 "kmem_cache_create, alloc, free, destroy"
out_has '^foo: object_size 100, slab_size 128, align 64, 32 objects per slab of order 0$' "kmem_cache_create foo 100 SLAB_HWCACHE_ALIGN"
out_has '^x: foo, object 0x[0-9a-f]+, ksize 100$' "kmem_cache_alloc x foo"
[ "$(sed -n '/^slabinfo - /{n;n;p}' "$tmp/out")" = "$(printf '%-17s %6d %6d %6d %4d %4d : tunables    0    0    0 : slabdata %6d %6d %6d' foo 32 32 128 32 1 1 1 0)" ] ||
	fail "the first line of /proc/slabinfo is not the new cache foo: $(sed -n '/^slabinfo - /{n;n;p}' "$tmp/out")"
[ "$(tail -n 1 "$tmp/out")" = 64 ] || fail "/sys/kernel/slab/kmalloc-64/object_size is not 64"
check "kmem_cache_create shows the layout; the new cache is the first line of /proc/slabinfo; alloc/free/destroy"

run -b quiet -c "kmem_cache_create bar 100; kmem_cache_create baz 100 16 SLAB_RECLAIM_ACCOUNT; kmem_cache_create qux 96 0 0x20000; kmem_cache_create merged 98; cat /sys/kernel/slab/baz/reclaim_account /sys/kernel/slab/bar/aliases"
expect_rc 0 "align and flags"
out_has '^bar: object_size 100, slab_size 104, align 8, 39 objects per slab of order 0$' "kmem_cache_create bar 100"
out_has '^baz: object_size 100, slab_size 112, align 16, 36 objects per slab of order 0$' "kmem_cache_create baz 100 16"
out_has '^qux: (an alias of [^:]+: )?object_size 96' "kmem_cache_create qux 96 0 0x20000 (hex flags)"
out_has '^merged: an alias of bar: object_size 100, slab_size 104' "a compatible cache merges"
[ "$(tail -n 2 "$tmp/out" | tr '\n' ' ')" = "1 1 " ] || fail "reclaim_account of baz and aliases of bar: $(tail -n 2 "$tmp/out" | tr '\n' ' ')"
check "kmem_cache_create with ALIGN, flag names or a number; a compatible cache becomes an alias"

run -b quiet -c "kmem_cache_create foo 100 SLAB_BOGUS; kmem_cache_create foo x; kmem_cache_create foo; kmem_cache_create foo 100 3; kmem_cache_create foo 100; kmem_cache_create foo 100; kmem_cache_alloc x nosuch; kmem_cache_alloc x; kmem_cache_free nobody; kmem_cache_destroy nosuch; kmem_cache_destroy kmalloc-64; kmem_cache_shrink nosuch; kmalloc k 10; kmem_cache_free k"
expect_rc 1 "bad cache commands"
err_has "kmem_cache_create: invalid flags at 'SLAB_BOGUS'" "a bad flag name"
err_has 'kmem_cache_create: x: invalid size' "a bad size"
err_has 'kmem_cache_create: usage: kmem_cache_create CACHE SIZE \[ALIGN\] \[FLAGS\]' "a missing size"
err_has 'kmem_cache_create: foo: creation failed' "an alignment that is not a power of two"
err_has 'kmem_cache_create: foo exists already' "a second foo"
err_has 'kmem_cache_alloc: nosuch: no such cache' "kmem_cache_alloc from an unknown cache"
err_has 'kmem_cache_alloc: usage: kmem_cache_alloc NAME CACHE' "kmem_cache_alloc without a cache"
err_has 'kmem_cache_free: nobody: no such object' "kmem_cache_free of an unknown name"
err_has 'kmem_cache_destroy: nosuch: no cache of that name was made by kmem_cache_create' "kmem_cache_destroy nosuch"
err_has 'kmem_cache_destroy: kmalloc-64: no cache of that name was made by kmem_cache_create' "kmem_cache_destroy kmalloc-64"
err_has 'kmem_cache_shrink: nosuch: no such cache' "kmem_cache_shrink nosuch"
err_has 'kmem_cache_free: k is not from kmem_cache_alloc' "kmem_cache_free of a kmalloc object"
check "bad cache commands fail with a message, exit 1; the machine's own caches cannot be destroyed"

run -b quiet -c "kmem_cache_create foo 200 0 SLAB_NO_MERGE; kmem_cache_alloc a foo; kmem_cache_alloc b foo; kmem_cache_free a; kmem_cache_destroy foo; cat /proc/slabinfo"
expect_rc 1 "kmem_cache_destroy with objects left"
err_has 'BUG foo \(.*\): Objects remaining on __kmem_cache_shutdown\(\)' "the kernel's report"
err_has 'kmem_cache_destroy: foo still has objects' "kmem_cache_destroy foo"
out_has "$(slabinfo_line foo 200 20 1)" "the leaked cache stays"
check "kmem_cache_destroy with an object left: SLUB's report, exit 1, the cache stays (leaked)"

run -b quiet -c "kmem_cache_alloc a kmalloc-64; kmem_cache_alloc b kmem_cache; kmem_cache_free a; kmem_cache_free b; kmem_cache_alloc c kmalloc-96; kfree c"
expect_rc 0 "kmem_cache_alloc from the machine's caches"
out_has '^a: kmalloc-64, object 0x[0-9a-f]+, ksize 64$' "kmem_cache_alloc a kmalloc-64"
out_has '^b: kmem_cache, object 0x[0-9a-f]+, ksize [0-9]+$' "kmem_cache_alloc b kmem_cache"
check "kmem_cache_alloc takes any cache of the machine by name; kfree frees a kmem_cache_alloc object"

cmds="kmem_cache_create foo 1000 0 SLAB_NO_MERGE;"
for i in $(seq 1 40); do cmds="$cmds kmem_cache_alloc o$i foo;"; done
for i in $(seq 1 40); do cmds="$cmds kmem_cache_free o$i;"; done
run -b quiet -c "$cmds cat /sys/kernel/slab/foo/slabs; kmem_cache_shrink foo; cat /sys/kernel/slab/foo/slabs /sys/kernel/slab/foo/objects; kmem_cache_shrink kmalloc-64"
expect_rc 0 "kmem_cache_shrink"
[ "$(grep -E '^[0-9]+' "$tmp/out" | head -n 1)" = "3 N0=3" ] || fail "foo has '$(grep -E '^[0-9]' "$tmp/out" | head -n 1)' slabs before the shrink, expected 3"
out_has '^foo: 0 slabs left \(0 partial\), 0 of 0 objects in use$' "kmem_cache_shrink foo"
[ "$(grep -E '^[0-9]+$' "$tmp/out" | tr '\n' ' ')" = "0 0 " ] || fail "after the shrink, slabs and objects of foo: $(grep -E '^[0-9]+$' "$tmp/out" | tr '\n' ' ')"
out_has '^kmalloc-64: [0-9]+ slabs? left' "kmem_cache_shrink kmalloc-64"
check "kmem_cache_shrink releases every empty slab"

# ---- reports ----

run -b quiet -c "cat /proc/meminfo; kmalloc a 1M; kmalloc b 4K; cat /proc/meminfo"
expect_rc 0 "meminfo"
grep -E '^(Slab|SReclaimable|SUnreclaim|KReclaimable):' "$tmp/out" >"$tmp/slab"
[ "$(wc -l <"$tmp/slab")" = 8 ] || fail "meminfo has $(wc -l <"$tmp/slab") Slab lines, expected 8"
awk '/^Slab:/ { s[++n] = $2 } /^SReclaimable:/ { r[++m] = $2 } /^SUnreclaim:/ { u[++k] = $2 }
     END { exit !(s[1] == r[1] + u[1] && s[2] == r[2] + u[2] && s[1] > 0 && u[2] - u[1] >= 1024 + 32) }' "$tmp/out" ||
	fail "Slab is not SReclaimable + SUnreclaim, or a 1M kmalloc and a 4K one did not add 1056 kB to SUnreclaim: $(cat "$tmp/slab")"
grep -Eq '^Slab:           [ 0-9]{8} kB$' "$tmp/out" || fail "the Slab line is not in show_val_kb's format"
check "/proc/meminfo: Slab = SReclaimable + SUnreclaim; a large kmalloc and a kmalloc-4k slab count in SUnreclaim"

run -b quiet -c "cat /sys/kernel/slab/kmalloc-64/object_size /sys/kernel/slab/kmalloc-64/slab_size /sys/kernel/slab/kmalloc-64/objs_per_slab /sys/kernel/slab/kmalloc-64/order /sys/kernel/slab/kmalloc-64/aliases /sys/kernel/slab/kmalloc-8k/order /sys/kernel/slab/kmalloc-8k/objs_per_slab; ls"
expect_rc 0 "/sys/kernel/slab"
[ "$(head -n 7 "$tmp/out" | tr '\n' ' ')" = "64 64 64 0 0 3 4 " ] || fail "/sys/kernel/slab attributes: $(head -n 7 "$tmp/out" | tr '\n' ' ')"
out_has '^/proc/slabinfo$' "ls"
out_has '^/sys/kernel/slab/kmalloc-64/object_size$' "ls"
out_has '^/sys/kernel/slab/kmalloc-64/shrink \(writable\)$' "ls"
run -b quiet -c "cat /sys/kernel/slab/nosuch/order; cat /sys/kernel/slab/kmalloc-64; echo 1 > /sys/kernel/slab/kmalloc-64/order; echo 1 > /sys/kernel/slab/kmalloc-64/shrink"
expect_rc 1 "/sys/kernel/slab errors"
err_has 'cat: /sys/kernel/slab/nosuch/order: No such file or directory' "an unknown cache"
err_has 'cat: /sys/kernel/slab/kmalloc-64: Is a directory' "a cache's directory"
err_has 'echo: write error: /sys/kernel/slab/kmalloc-64/order: Permission denied' "a read-only attribute"
err_lacks 'shrink' "echo 1 > .../shrink"
check "/sys/kernel/slab/<cache>/<attr>: SLUB's attributes; unknown ones, directories and read-only ones fail cleanly"

# ---- slabtop ----

run -b quiet -c "kmalloc a 64; kmem_cache_create foo 1000; kmem_cache_alloc b foo; cat /proc/slabinfo; slabtop"
expect_rc 0 "slabtop"
grep -Eq '^ Active / Total Objects \(% used\)    : [0-9]+ / [0-9]+ \([0-9]+\.[0-9]%\)$' "$tmp/out" || fail "slabtop: objects line"
grep -Eq '^ Active / Total Slabs \(% used\)      : [0-9]+ / [0-9]+ \([0-9]+\.[0-9]%\)$' "$tmp/out" || fail "slabtop: slabs line"
grep -Eq '^ Active / Total Caches \(% used\)     : [0-9]+ / [0-9]+ \([0-9]+\.[0-9]%\)$' "$tmp/out" || fail "slabtop: caches line"
grep -Eq '^ Active / Total Size \(% used\)       : [0-9]+\.[0-9]{2}K / [0-9]+\.[0-9]{2}K \([0-9]+\.[0-9]%\)$' "$tmp/out" || fail "slabtop: size line"
grep -Eq '^ Minimum / Average / Maximum Object : 0\.01K / [0-9]+\.[0-9]{2}K / 8\.00K$' "$tmp/out" || fail "slabtop: object size line"
awk '/^ Minimum/ { getline; if ($0 != "") exit 1; getline; if ($0 != sprintf("%-78s", "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME")) exit 1; found = 1 } END { exit !found }' "$tmp/out" ||
	fail "slabtop: no blank line and column headings after the summary"
awk 'p { print } /^  OBJS ACTIVE/ { p = 1 }' "$tmp/out" >"$tmp/rows"
grep -Ev '^[ 0-9]{6} [ 0-9]{6} [ 0-9]{3}% [ 0-9]{4}\.[0-9]{2}K [ 0-9]{6} [ 0-9]{8} [ 0-9]{9}K .{23,}$' "$tmp/rows" >"$tmp/bad"
[ -s "$tmp/bad" ] && fail "slabtop rows not in procps' format: $(cat "$tmp/bad")"
sort -s -k1,1nr "$tmp/rows" | cmp -s - "$tmp/rows" || fail "slabtop rows are not sorted by objects"
caches=$(grep -Ec '^[^#].* : tunables +[0-9]' "$tmp/out")
rows=$(awk 'p { n++ } /^  OBJS ACTIVE/ { p = 1 } END { print n + 0 }' "$tmp/out")
[ "$rows" = "$caches" ] || fail "slabtop shows $rows rows for $caches caches"
# the summary adds up the rows
awk -v want="$(awk '/^[^#].* : tunables +[0-9]/ { a += $2; t += $3 } END { print a " / " t }' "$tmp/out")" \
	'/^ Active \/ Total Objects/ { split($0, f, ": "); split(f[2], g, " \\("); exit !(g[1] == want) }' "$tmp/out" ||
	fail "slabtop's object totals are not the sums of /proc/slabinfo"
check "slabtop: procps' summary lines, headings, and one row per cache sorted by objects"

run -b quiet -c "kmalloc a 64; slabtop -s n; slabtop -s x; slabtop now"
expect_rc 1 "slabtop -s"
awk '/^  OBJS ACTIVE/ { p = 1; next } p { print $NF }' "$tmp/out" >"$tmp/names"
LC_ALL=C sort -c "$tmp/names" 2>/dev/null || fail "slabtop -s n is not sorted by name"
err_has 'slabtop: usage: slabtop \[-s ' "slabtop -s x"
check "slabtop -s n sorts by name; a bad sort key fails with the usage"

run -b "kmm.stop_at=memblock quiet" -c "cat /proc/slabinfo; slabtop"
expect_rc 1 "slabtop before the slab allocator"
[ ! -s "$tmp/out" ] || fail "/proc/slabinfo is not empty on a machine stopped at memblock"
err_has 'slabtop: /proc/slabinfo: no slab allocator on this machine' "slabtop on a machine stopped at memblock"
check "kmm.stop_at=memblock: /proc/slabinfo is empty and slabtop says why it fails"

run -b quiet -c "help"
expect_rc 0 "help"
for c in kmalloc kzalloc krealloc kfree kmem_cache_create kmem_cache_alloc kmem_cache_free kmem_cache_destroy kmem_cache_shrink slabtop; do
	out_has "^  $c( |\$)" "help lists $c"
done
check "help lists the slab commands"

echo "all $n checks passed"
exit 0
