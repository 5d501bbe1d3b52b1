#!/usr/bin/env bash
# The core stays freestanding: src/core compiles with -ffreestanding -nostdlib,
# includes no libc header, and its objects need no symbol outside the platform
# interface (include/kmm/platform.h: kmm_plat_*) but memcpy, memset, memmove
# and memcmp, which freestanding compilers may emit.
set -u
src=${2:-.}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

for f in "$src"/src/core/*.c; do
	o="$tmp/$(basename "$f" .c).o"
	if ! $cc -std=c11 -ffreestanding -nostdlib -fno-stack-protector -O2 -Wall -Wextra -Werror \
		-I "$src/include" -c "$f" -o "$o"; then
		echo "FAIL: $f does not compile freestanding"
		fail=1
		continue
	fi
	# headers: only ours and the compiler's freestanding ones
	deps=$($cc -std=c11 -ffreestanding -I "$src/include" -M "$f" | tr ' \\' '\n\n' | grep '\.h$' || true)
	for d in $deps; do
		case "$d" in
		"$src"/include/kmm/*|"$src"/src/core/*|src/core/*|include/kmm/*) ;;
		*/gcc/*/include/*|*/clang/*/include/*) ;;
		*)
			echo "FAIL: $f includes $d, which is not a freestanding header"
			fail=1
			;;
		esac
	done
done
[ $fail = 0 ] || exit 1

ld -r -o "$tmp/core.o" "$tmp"/*.o
undef=$(nm -u "$tmp/core.o" | awk '{print $2}' | sort -u)
bad=$(printf '%s\n' "$undef" | grep -v -E '^(kmm_plat_[a-z_]+|memcpy|memset|memmove|memcmp)$' | grep -v '^$' || true)
echo "core objects: $(ls "$tmp"/*.o | wc -l) files; undefined symbols:"
printf '  %s\n' $undef
if [ -n "$bad" ]; then
	echo "FAIL: the core needs symbols outside the platform interface:"
	printf '  %s\n' $bad
	exit 1
fi
# every platform function the core calls is declared in platform.h
for s in $(printf '%s\n' "$undef" | grep '^kmm_plat_'); do
	grep -q "\b$s\b" "$src/include/kmm/platform.h" || { echo "FAIL: $s is not in include/kmm/platform.h"; exit 1; }
done
echo "ok: src/core is freestanding"
