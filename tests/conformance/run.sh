#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/conformance/run.sh [BUILD_DIR]
#
# Builds Linux 6.12's unmodified memblock test suite (tools/testing/memblock)
# against kmm's memblock core instead of the kernel's mm/memblock.c, runs it
# and reports "memblock conformance: N of 181 passed". Exit status 0 only
# when every check passed.
#
# The suite is GPL: it is extracted from Debian's linux-source-6.12 tarball
# into BUILD_DIR/conformance/ at test time and never enters the repository.
# See tests/conformance/README.md.
#
# Environment (mirroring the suite's own make options):
#   NUMA=1            build with CONFIG_NUMA (expects 263 checks instead of 181)
#   MEMBLOCK_DEBUG=1  enable memblock_dbg() messages
set -euo pipefail

CC=${CC:-cc}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_ARG=${1:-build}
mkdir -p "$BUILD_ARG"
BUILD_DIR=$(cd "$BUILD_ARG" && pwd)

KVER=6.12
PKG=linux-source-$KVER
TARBALL=/usr/src/$PKG.tar.xz
TOP=$PKG                                    # top directory inside the tarball
WORK=$BUILD_DIR/conformance
SRCROOT=$WORK/$TOP
SUITE=$SRCROOT/tools/testing/memblock

EXPECTED=181
SUITE_DEFS=(-D CONFIG_PHYS_ADDR_T_64BIT)
OBJDIR=$WORK/obj
if [[ ${NUMA:-0} == 1 ]]; then
	SUITE_DEFS+=(-D CONFIG_NUMA -D CONFIG_NODES_SHIFT=4)
	EXPECTED=263
	OBJDIR=$WORK/obj-numa
fi
if [[ ${MEMBLOCK_DEBUG:-0} == 1 ]]; then
	SUITE_DEFS+=(-D MEMBLOCK_DEBUG)
	OBJDIR=$OBJDIR-debug
fi

# Whatever happens, the last line is the summary (0 passed if we stop early).
summary_done=0
trap '((summary_done)) || echo "memblock conformance: 0 of $EXPECTED passed"' EXIT

log() { printf '%s\n' "conformance: $*"; }
die() { printf '%s\n' "conformance: error: $*" >&2; exit 1; }

# ---- 1. Kernel source and build dependencies -------------------------------

missing=()
[[ -f $TARBALL ]] || missing+=("$PKG")
# tools/lib/slab.c includes <urcu/uatomic.h> (multiarch path on Debian)
printf '#include <urcu/uatomic.h>\n' | "$CC" -E -x c - >/dev/null 2>&1 || missing+=(liburcu-dev)
if ((${#missing[@]})); then
	if [[ $(id -u) != 0 ]]; then
		die "missing ${missing[*]} ($PKG provides $TARBALL, liburcu-dev provides <urcu/uatomic.h>); run this as root to install them, or first: sudo apt-get install ${missing[*]}"
	fi
	log "installing ${missing[*]}: DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; then
		log "install failed; running apt-get update and retrying"
		DEBIAN_FRONTEND=noninteractive apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
	fi
	[[ -f $TARBALL ]] || die "$PKG installed but $TARBALL not found"
fi

# ---- 2. Extract only what the suite needs (never mm/memblock.c) ------------

# tools/testing/memblock: the suite; tools/include, tools/arch/x86/include:
# its headers (asm/asm.h and asm/cmpxchg.h are symlinked from tools/arch);
# tools/lib/{slab,cmdline}.c: its DEP_OFILES besides memblock.o;
# kselftest.h: ksft_test_result_*; include/linux/memblock.h: the API under
# test; include/linux/gfp_types.h: included by tools/include/linux/gfp_types.h.
MEMBERS=(
	"$TOP/tools/testing/memblock"
	"$TOP/tools/testing/selftests/kselftest.h"
	"$TOP/tools/include"
	"$TOP/tools/arch/x86/include"
	"$TOP/tools/lib/slab.c"
	"$TOP/tools/lib/cmdline.c"
	"$TOP/include/linux/memblock.h"
	"$TOP/include/linux/gfp_types.h"
)
STAMP=$SRCROOT/.kmm-extracted
want_stamp="$(stat -c '%s %Y' "$TARBALL") ${MEMBERS[*]}"
if [[ -f $STAMP && $(cat "$STAMP") == "$want_stamp" ]]; then
	log "using extracted suite in $SRCROOT"
else
	log "extracting the memblock suite from $TARBALL into $WORK"
	rm -rf "$SRCROOT" "$WORK/.extract"
	mkdir -p "$WORK/.extract"
	tar -xJf "$TARBALL" -C "$WORK/.extract" "${MEMBERS[@]}"
	mv "$WORK/.extract/$TOP" "$SRCROOT"
	rmdir "$WORK/.extract"
	printf '%s\n' "$want_stamp" >"$STAMP"
fi
[[ -e $SRCROOT/mm ]] && die "$SRCROOT/mm exists: the kernel's mm/memblock.c must not be extracted"
[[ -e $SUITE/memblock.c ]] && die "$SUITE/memblock.c exists: the suite must not build the kernel's memblock"

# The symlinks of the suite Makefile's "include" target (not memblock.c).
mkdir -p "$SUITE/linux" "$SUITE/asm"
[[ -L $SUITE/linux/memblock.h ]] || ln -s ../../../../include/linux/memblock.h "$SUITE/linux/memblock.h"
[[ -L $SUITE/asm/asm.h ]] || ln -s ../../../arch/x86/include/asm/asm.h "$SUITE/asm/asm.h"
[[ -L $SUITE/asm/cmpxchg.h ]] || ln -s ../../../arch/x86/include/asm/cmpxchg.h "$SUITE/asm/cmpxchg.h"

# ---- 3. Build ---------------------------------------------------------------

# The suite's Makefile CFLAGS, verbatim, relative to the suite directory.
SAN=(-fsanitize=address -fsanitize=undefined)
SUITE_CFLAGS=(-I. -I../../include -Wall -O2 "${SAN[@]}" "${SUITE_DEFS[@]}")
# The adapter also sees kmm's headers; it and the core type-pun struct memblock
# with struct kmm_memblock, hence -fno-strict-aliasing (as the kernel builds).
ADAPTER_CFLAGS=("${SUITE_CFLAGS[@]}" -I "$REPO/include" -fno-strict-aliasing)
# kmm's freestanding core: its own C11 flags, plus the suite's sanitizers.
CORE_CFLAGS=(-std=c11 -I "$REPO/include" -Wall -Wextra -O2 "${SAN[@]}" -fno-strict-aliasing
	"${SUITE_DEFS[@]}")

rm -rf "$OBJDIR"
mkdir -p "$OBJDIR/tests" "$OBJDIR/lib" "$OBJDIR/kmm"

# Mirrors the Makefile: main.o, DEP_OFILES minus memblock.o, TEST_OFILES.
SUITE_SRCS=(main.c lib/slab.c mmzone.c ../../lib/slab.c ../../lib/cmdline.c
	tests/alloc_nid_api.c tests/alloc_helpers_api.c tests/alloc_api.c
	tests/basic_api.c tests/common.c tests/alloc_exact_nid_api.c)
SUITE_OBJS=(main.o lib/slab.o mmzone.o tools_lib_slab.o tools_lib_cmdline.o
	tests/alloc_nid_api.o tests/alloc_helpers_api.o tests/alloc_api.o
	tests/basic_api.o tests/common.o tests/alloc_exact_nid_api.o)

compile() { # dir, output, flags... -- source
	local dir=$1 out=$2
	shift 2
	(cd "$dir" && "$CC" "$@" -c -o "$out") || die "compiling ${*: -1} failed"
}

log "building the suite with kmm's memblock in $OBJDIR"
OBJS=()
for i in "${!SUITE_SRCS[@]}"; do
	compile "$SUITE" "$OBJDIR/${SUITE_OBJS[$i]}" "${SUITE_CFLAGS[@]}" "${SUITE_SRCS[$i]}"
	OBJS+=("$OBJDIR/${SUITE_OBJS[$i]}")
done
compile "$SUITE" "$OBJDIR/kmm/memblock_adapter.o" "${ADAPTER_CFLAGS[@]}" \
	"$REPO/tests/conformance/memblock_adapter.c"
compile "$REPO" "$OBJDIR/kmm/kmm_memblock.o" "${CORE_CFLAGS[@]}" src/core/memblock.c
compile "$REPO" "$OBJDIR/kmm/kmm_printf.o" "${CORE_CFLAGS[@]}" src/core/printf.c
OBJS+=("$OBJDIR/kmm/memblock_adapter.o" "$OBJDIR/kmm/kmm_memblock.o" "$OBJDIR/kmm/kmm_printf.o")

rm -f "$SUITE/main"
"$CC" "${SAN[@]}" -o "$SUITE/main" "${OBJS[@]}" || die "linking main failed"

# ---- 4. Prove that the kernel's memblock is not in the binary --------------

for o in "${OBJS[@]}"; do
	[[ $(basename "$o") == memblock.o ]] && die "an object named memblock.o is linked: $o"
done
# mm/memblock.c's internal functions and data: none may appear, whatever the
# compiler's clone suffix (.isra.0, .constprop.0, .cold).
KERNEL_ONLY='memblock_double_array|memblock_add_range|memblock_isolate_range|memblock_merge_regions|memblock_insert_region|memblock_remove_region|memblock_remove_range|memblock_find_in_range|memblock_find_in_range_node|__memblock_find_range_top_down|__memblock_find_range_bottom_up|memblock_alloc_internal|memblock_setclr_flag|__next_mem_range|__next_mem_range_rev|memblock_memory_init_regions|memblock_reserved_init_regions'
nm "$SUITE/main" >"$WORK/main.nm"
if leaked=$(awk '{print $NF}' "$WORK/main.nm" | grep -E "^($KERNEL_ONLY)(\..*)?\$"); then
	die "kernel mm/memblock.c symbols found in main: $(echo $leaked)"
fi
grep -q ' T kmm_memblock_core_add$' "$WORK/main.nm" ||
	die "kmm's memblock core is not linked into main"
nm "$OBJDIR/kmm/memblock_adapter.o" >"$WORK/adapter.nm"
grep -q ' [DdBb] memblock$' "$WORK/adapter.nm" ||
	die "the global struct memblock is not defined by the adapter"
log "nm check passed: no object from mm/memblock.c; memblock comes from kmm"

# ---- 5. Run -----------------------------------------------------------------

OUT=$WORK/main.out
ERR=$WORK/main.err
log "running ./main -v in $SUITE"
# The inner shell reports a crash (into $ERR) and always exits 0 itself; stdout
# is line buffered by the adapter so that an abort() loses no "ok" line.
(
	cd "$SUITE"
	rc=0
	timeout 600 ./main -v || rc=$?
	echo "$rc" >"$WORK/main.rc"
) >"$OUT" 2>"$ERR"
rc=$(cat "$WORK/main.rc")

passed=$(grep -c '^ok' "$OUT" || true)
fail=0
if grep -q '^not ok' "$OUT"; then
	echo "failed checks:"
	grep '^not ok' "$OUT"
	fail=1
fi
if ((rc != 0)); then
	echo "./main exited with status $rc; last output and diagnostics:"
	tail -n 5 "$OUT" | grep -v -E '^(not )?ok' || true
	grep -E 'Assertion|ERROR: AddressSanitizer|SUMMARY|runtime error' "$ERR" | head -n 20 || true
	((rc == 124)) && echo "(timed out)"
	fail=1
elif grep -q 'runtime error\|Sanitizer' "$ERR"; then
	echo "sanitizer reports:"
	grep -E 'runtime error|Sanitizer' "$ERR" | head -n 20
	fail=1
fi
# The adapter runs kmm_memblock_core_check() after every mutating call.
if grep -q '^kmm_memblock_core_check' "$ERR"; then
	echo "kmm invariant violations ($(grep -c '^kmm_memblock_core_check' "$ERR") calls):"
	grep '^kmm_memblock_core_check' "$ERR" | head -n 20
	fail=1
fi
if [[ -s $ERR ]] && ((fail == 0)); then
	echo "stderr of ./main:"
	head -n 20 "$ERR"
fi
((passed == EXPECTED)) || fail=1

summary_done=1
echo "memblock conformance: $passed of $EXPECTED passed"
exit $fail
