#!/usr/bin/env bash
# gcc under libkmm-malloc.so (the driver, cc1, as and ld, each its own
# process with its own heap) compiles a C file to the same object, and the
# program it links prints the same.
#
#   tests/test_shim_gcc.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u
. "$(dirname "${BASH_SOURCE[0]}")/shim_lib.sh" "$@"
needs gcc

# a program with some work in it for the optimiser: kmm's printf and a driver for it
cat >"$tmp/main.c" <<'C'
#include <stdarg.h>
#include <stdio.h>
int kmm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
static int fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = kmm_vsnprintf(buf, len, f, ap);
	va_end(ap);
	return n;
}
int main(void)
{
	char buf[128];
	unsigned long h = 5381;

	for (int i = 0; i < 20000; i++) {
		fmt(buf, sizeof(buf), "%d %x %-8s|%08.3d %lu %c", i, i * 7, "kmm", i % 1000, h, 'a' + i % 26);
		for (char *p = buf; *p; p++)
			h = h * 33 + (unsigned char)*p;
	}
	printf("%s %lu\n", buf, h);
	return 0;
}
C
for opt in -O0 -O2; do
	gcc $opt -c -I "$src/src/core" "$src/src/core/printf.c" -o "$tmp/printf-a.o" &&
		gcc $opt -c "$tmp/main.c" -o "$tmp/main-a.o" &&
		gcc "$tmp/main-a.o" "$tmp/printf-a.o" -o "$tmp/prog-a" || fail "gcc $opt without the shim"
	LD_PRELOAD="$shim" gcc $opt -c -I "$src/src/core" "$src/src/core/printf.c" -o "$tmp/printf-b.o" 2>"$tmp/err" &&
		LD_PRELOAD="$shim" gcc $opt -c "$tmp/main.c" -o "$tmp/main-b.o" 2>>"$tmp/err" &&
		LD_PRELOAD="$shim" gcc "$tmp/main-b.o" "$tmp/printf-b.o" -o "$tmp/prog-b" 2>>"$tmp/err" ||
		fail "gcc $opt under the shim"
	cmp -s "$tmp/printf-a.o" "$tmp/printf-b.o" || fail "gcc $opt: printf.o differs under the shim"
	# and the largest files of kmm's core, for the compiler's heap to work on
	for f in slab page_alloc vmalloc memblock; do
		gcc $opt -c -I "$src/include" "$src/src/core/$f.c" -o "$tmp/$f-a.o" &&
			LD_PRELOAD="$shim" gcc $opt -c -I "$src/include" "$src/src/core/$f.c" \
				-o "$tmp/$f-b.o" 2>>"$tmp/err" || fail "gcc $opt $f.c"
		cmp -s "$tmp/$f-a.o" "$tmp/$f-b.o" || fail "gcc $opt: $f.o differs under the shim"
	done
	cmp -s "$tmp/main-a.o" "$tmp/main-b.o" || fail "gcc $opt: main.o differs under the shim"
	"$tmp/prog-a" >"$tmp/want" && "$tmp/prog-b" >"$tmp/out" || fail "the programs do not run"
	cmp -s "$tmp/want" "$tmp/out" || fail "gcc $opt: the programs print otherwise"
	check "gcc $opt: the same objects, and the program prints the same"
done
