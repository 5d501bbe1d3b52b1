#!/usr/bin/env bash
# A client program outside the build: linked against libkmm.a from the build
# tree, then against an installed tree (cmake --install --prefix) through
# pkg-config and libkmm.so; the installed files, the soname and the exported
# symbols.
#
#   tests/test_link.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u

build=${1:?usage: test_link.sh BUILD_DIR SOURCE_DIR [SANITIZER]}
src=${2:?usage: test_link.sh BUILD_DIR SOURCE_DIR [SANITIZER]}
sanitizer=${3:-}
cc=${CC:-cc}

if [ -n "$sanitizer" ]; then
	echo "SKIP: the library is built with -fsanitize=$sanitizer, so a plain client would need" \
		"the sanitizer runtime to link against libkmm.a; test_link runs in the normal build"
	exit 77
fi

build=$(cd "$build" && pwd -P) || { echo "FAIL: no build directory $1"; exit 1; }
src=$(cd "$src" && pwd -P) || { echo "FAIL: no source directory $2"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

fail() {
	echo "FAIL: $*"
	for f in "$tmp/log" "$tmp/out"; do
		if [ -s "$f" ]; then
			echo "--- $(basename "$f"):"
			head -n 40 "$f"
		fi
	done
	exit 1
}

check() {
	n=$((n + 1))
	echo "ok $n - $*"
	rm -f "$tmp/log" "$tmp/out"
}

version=$(sed -n 's/^#define KMM_VERSION "\([0-9.]*\)"$/\1/p' "$src/include/kmm/kmm.h")
[ -n "$version" ] || fail "no KMM_VERSION in $src/include/kmm/kmm.h"

# ---- the client ----

cat >"$tmp/prog.c" <<'EOF'
/* A client of the public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kmm/kmm.h>

static int try_profile(const char *profile)
{
	char cmdline[128], *buf;
	struct kmm_machine *m;
	long len;
	int bad = 0;

	snprintf(cmdline, sizeof(cmdline), "profile=%s quiet", profile);
	m = kmm_boot(cmdline);
	if (!m) {
		printf("%s: kmm_boot failed: %s\n", profile, kmm_last_error());
		return 1;
	}
	if (strcmp(kmm_profile_name(m), profile)) {
		printf("%s: booted profile %s\n", profile, kmm_profile_name(m));
		bad++;
	}
	if (kmm_current_machine() != m) {
		printf("%s: kmm_boot did not attach the calling thread\n", profile);
		bad++;
	}
	len = kmm_proc_read(m, "/proc/iomem", NULL, 0);
	if (len <= 0) {
		printf("%s: kmm_proc_read(/proc/iomem) returned %ld\n", profile, len);
		kmm_shutdown(m);
		return 1;
	}
	buf = malloc((size_t)len + 1);
	if (!buf || kmm_proc_read(m, "/proc/iomem", buf, (size_t)len + 1) != len ||
	    strlen(buf) != (size_t)len) {
		printf("%s: reading /proc/iomem again gave another length\n", profile);
		bad++;
	} else {
		if (!strstr(buf, " : System RAM\n")) {
			printf("%s: no System RAM in /proc/iomem:\n%s", profile, buf);
			bad++;
		}
		if (!strstr(buf, " : Kernel code\n")) {
			printf("%s: no Kernel code in /proc/iomem:\n%s", profile, buf);
			bad++;
		}
	}
	free(buf);
	kmm_shutdown(m);
	if (kmm_current_machine()) {
		printf("%s: still attached after kmm_shutdown\n", profile);
		bad++;
	}
	if (!bad)
		printf("%s: booted, /proc/iomem has %ld bytes with System RAM and Kernel code\n",
		       profile, len);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++)
		bad += try_profile(argv[i]);
	/* a failing boot is reported, not fatal */
	if (kmm_boot("profile=no-such-profile") || !strstr(kmm_last_error(), "no-such-profile")) {
		printf("a boot with an unknown profile did not fail with a message naming it\n");
		bad++;
	}
	printf("kmm %s: %s\n", KMM_VERSION, bad ? "FAILED" : "all profiles ok");
	return bad ? 1 : 0;
}
EOF

profiles="x86_64 i386-highmem at91rm9200"

# ---- against the build tree's static library ----

[ -f "$build/libkmm.a" ] || fail "$build/libkmm.a is not built"
"$cc" -I "$src/include" "$tmp/prog.c" "$build/libkmm.a" -lpthread -o "$tmp/prog-static" \
	>"$tmp/log" 2>&1 || fail "cc -I include prog.c libkmm.a -lpthread failed"
check "a client compiles with: cc -I $src/include prog.c $build/libkmm.a -lpthread"

# shellcheck disable=SC2086
"$tmp/prog-static" $profiles >"$tmp/out" 2>&1 || fail "the static client failed"
for p in $profiles; do
	grep -q "^$p: booted, /proc/iomem has [0-9]* bytes with System RAM and Kernel code\$" "$tmp/out" ||
		fail "the static client did not report $p"
done
sed "s/^/# /" "$tmp/out"
check "it boots and shuts down $profiles and reads /proc/iomem on each"

# the public header is clean C11 under strict warnings
"$cc" -std=c11 -Wall -Wextra -Werror -I "$src/include" -c "$tmp/prog.c" -o "$tmp/prog.o" \
	>"$tmp/log" 2>&1 || fail "<kmm/kmm.h> does not compile with -std=c11 -Wall -Wextra -Werror"
check "<kmm/kmm.h> compiles with -std=c11 -Wall -Wextra -Werror"

# ---- install ----

prefix="$tmp/prefix"
cmake --install "$build" --prefix "$prefix" >"$tmp/log" 2>&1 || fail "cmake --install $build --prefix $prefix failed"
check "cmake --install --prefix into a temporary directory"

for f in lib/libkmm.a include/kmm/kmm.h include/kmm/types.h include/kmm/resource.h \
	include/kmm-linux/linux/memblock.h lib/pkgconfig/kmm.pc lib/pkgconfig/kmm-linux.pc; do
	[ -f "$prefix/$f" ] || fail "the install has no $f"
done
[ -d "$prefix/include/kmm-linux" ] || fail "the install has no include/kmm-linux/"
[ -x "$prefix/bin/kmm" ] || fail "the install has no executable bin/kmm"
[ -e "$prefix/lib/libkmm.so" ] || fail "the install has no lib/libkmm.so"
[ -e "$prefix/lib/libkmm.so.0" ] || fail "the install has no lib/libkmm.so.0 (the soname's link)"
check "installed: lib/libkmm.a, lib/libkmm.so, include/kmm/, include/kmm-linux/, lib/pkgconfig/kmm.pc and kmm-linux.pc, bin/kmm"

soname=$(readelf -d "$prefix/lib/libkmm.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')
[ "$soname" = "libkmm.so.0" ] || fail "libkmm.so has SONAME '$soname', expected libkmm.so.0"
[ "$(readlink -f "$prefix/lib/libkmm.so")" = "$(readlink -f "$prefix/lib/libkmm.so.0")" ] ||
	fail "libkmm.so and libkmm.so.0 are not the same library"
check "libkmm.so has the versioned SONAME libkmm.so.0"

"$prefix/bin/kmm" --version >"$tmp/out" 2>&1 || fail "the installed kmm --version failed"
[ "$(cat "$tmp/out")" = "kmm $version" ] || fail "the installed kmm --version printed '$(cat "$tmp/out")'"
"$prefix/bin/kmm" -b "profile=at91rm9200 quiet" -c "cat /proc/iomem" </dev/null >"$tmp/out" 2>&1 ||
	fail "the installed kmm does not run"
grep -q ' : Kernel code$' "$tmp/out" || fail "the installed kmm's /proc/iomem has no Kernel code"
check "the installed bin/kmm runs ($version)"

# ---- exported symbols ----

# libkmm.so exports the public API: the kmm_ names the installed include/kmm/
# headers declare, and nothing else (no Linux names, no internal helpers)
nm -D --defined-only "$prefix/lib/libkmm.so" | awk 'NF >= 3 { print $3 }' | sort -u >"$tmp/symbols"
grep -qx 'kmm_boot' "$tmp/symbols" || fail "libkmm.so does not export kmm_boot"
grep -qx 'kmm_proc_read' "$tmp/symbols" || fail "libkmm.so does not export kmm_proc_read"
others=$(grep -v '^kmm_' "$tmp/symbols" | tr '\n' ' ')
[ -z "$others" ] || fail "libkmm.so exports names outside kmm_*: $others"
for s in memblock_add memblock_alloc memblock_reserve printk vsnprintf request_resource; do
	! grep -qx "$s" "$tmp/symbols" || fail "libkmm.so exports the Linux name $s"
done
# platform.h is the contract a platform implements for the core, not API: leave it out
for h in "$prefix"/include/kmm/*.h; do
	[ "$(basename "$h")" = platform.h ] || cat "$h"
done >"$tmp/public.h"
helpers=""
while read -r s; do
	grep -qw -- "$s" "$tmp/public.h" || helpers="$helpers $s"
done <"$tmp/symbols"
[ -z "$helpers" ] || fail "libkmm.so exports internal names that no header of include/kmm/ declares:$helpers"
# and every public function or variable the library defines is exported
missing=""
for s in $(nm -g --defined-only "$prefix/lib/libkmm.a" | awk 'NF == 3 { print $3 }' | sort -u); do
	if grep -qw -- "$s" "$tmp/public.h" && ! grep -qx -- "$s" "$tmp/symbols"; then
		missing="$missing $s"
	fi
done
[ -z "$missing" ] || fail "libkmm.so does not export these names of include/kmm/:$missing"
check "libkmm.so exports exactly the public kmm_* API ($(wc -l <"$tmp/symbols") names): no Linux or helper names"

# ---- pkg-config, against the shared library ----

if ! command -v pkg-config >/dev/null 2>&1; then
	echo "# pkg-config is not installed: the pkg-config build is not checked"
	echo "all $n checks passed"
	exit 0
fi
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR

pcver=$(pkg-config --modversion kmm 2>"$tmp/log") || fail "pkg-config kmm: not found in $PKG_CONFIG_PATH"
[ "$pcver" = "$version" ] || fail "pkg-config --modversion kmm is '$pcver', expected $version"
cflags=$(pkg-config --cflags kmm) || fail "pkg-config --cflags kmm"
libs=$(pkg-config --libs kmm) || fail "pkg-config --libs kmm"
echo "# pkg-config --cflags --libs kmm: $cflags $libs"

# the flags must lead to the installed tree, not to the prefix cmake was configured with
real_prefix=$(cd "$prefix" && pwd -P)
incdir=""
for f in $cflags; do
	case "$f" in
	-I*) d=${f#-I}; [ -d "$d" ] && [ "$(cd "$d" && pwd -P)" = "$real_prefix/include" ] && incdir=$d ;;
	esac
done
libdir=""
for f in $libs; do
	case "$f" in
	-L*) d=${f#-L}; [ -d "$d" ] && [ "$(cd "$d" && pwd -P)" = "$real_prefix/lib" ] && libdir=$d ;;
	esac
done
[ -n "$incdir" ] || fail "pkg-config --cflags kmm ('$cflags') has no -I for the installed $prefix/include" \
	"(kmm.pc says prefix=$(pkg-config --variable=prefix kmm))"
[ -n "$libdir" ] || fail "pkg-config --libs kmm ('$libs') has no -L for the installed $prefix/lib" \
	"(kmm.pc says prefix=$(pkg-config --variable=prefix kmm))"
check "pkg-config kmm $pcver points into the installed tree"

# shellcheck disable=SC2086
"$cc" "$tmp/prog.c" $cflags $libs -o "$tmp/prog-shared" >"$tmp/log" 2>&1 ||
	fail "cc prog.c \$(pkg-config --cflags --libs kmm) failed"
readelf -d "$tmp/prog-shared" | grep -q 'NEEDED.*\[libkmm\.so\.0\]' ||
	fail "the pkg-config client is not linked against libkmm.so.0"
LD_LIBRARY_PATH="$prefix/lib" ldd "$tmp/prog-shared" >"$tmp/out" 2>&1
grep -q "libkmm\.so\.0 => $prefix/lib/libkmm\.so\.0" "$tmp/out" ||
	grep -q "libkmm\.so\.0 => $real_prefix/lib/libkmm\.so\.0" "$tmp/out" ||
	fail "with LD_LIBRARY_PATH=$prefix/lib, libkmm.so.0 does not resolve to the installed one"
check "cc prog.c \$(pkg-config --cflags --libs kmm) links against libkmm.so.0"

# shellcheck disable=SC2086
LD_LIBRARY_PATH="$prefix/lib" "$tmp/prog-shared" $profiles >"$tmp/out" 2>&1 ||
	fail "the shared client failed"
for p in $profiles; do
	grep -q "^$p: booted, /proc/iomem has [0-9]* bytes with System RAM and Kernel code\$" "$tmp/out" ||
		fail "the shared client did not report $p"
done
check "the shared client boots $profiles and reads /proc/iomem"

# kmm-linux: the facade's headers on top of kmm's
fcflags=$(pkg-config --cflags kmm-linux) || fail "pkg-config --cflags kmm-linux"
flibs=$(pkg-config --libs kmm-linux) || fail "pkg-config --libs kmm-linux"
cat >"$tmp/facade.c" <<'EOF'
#include <stdio.h>

#include <linux/memblock.h>

int main(void)
{
	struct kmm_machine *m = kmm_boot("profile=at91rm9200 quiet");

	if (!m)
		return 1;
	/* 64M of SDRAM at 0x20000000 */
	int ok = memblock_start_of_DRAM() == 0x20000000 && memblock_end_of_DRAM() == 0x24000000;

	printf("facade: DRAM %#llx-%#llx\n", (unsigned long long)memblock_start_of_DRAM(),
	       (unsigned long long)memblock_end_of_DRAM());
	kmm_shutdown(m);
	return ok ? 0 : 1;
}
EOF
# shellcheck disable=SC2086
"$cc" "$tmp/facade.c" $fcflags $flibs -o "$tmp/facade" >"$tmp/log" 2>&1 ||
	fail "cc facade.c \$(pkg-config --cflags --libs kmm-linux) failed"
LD_LIBRARY_PATH="$prefix/lib" "$tmp/facade" >"$tmp/out" 2>&1 || fail "the facade client failed"
check "cc facade.c \$(pkg-config --cflags --libs kmm-linux) builds a <linux/memblock.h> client that runs"

echo "all $n checks passed"
exit 0
