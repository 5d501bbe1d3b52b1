# What the shim's tests share, sourced by tests/test_shim*.sh:
#   . "$(dirname "${BASH_SOURCE[0]}")/shim_lib.sh" "$@"
# Takes BUILD_DIR SOURCE_DIR [SANITIZER] as the tests get them from CTest. A
# sanitizer build has no shim (the sanitizer owns malloc): the test reports
# itself skipped (77). Sets build, src, shim (libkmm-malloc.so's absolute path)
# and a temporary directory tmp (removed at exit), and gives fail, check,
# skip and needs (a program, else skipped).

build=${1:?usage: $(basename "$0") BUILD_DIR SOURCE_DIR [SANITIZER]}
src=${2:?usage: $(basename "$0") BUILD_DIR SOURCE_DIR [SANITIZER]}
sanitizer=${3:-}
n=0

skip() {
	echo "SKIP: $*"
	exit 77
}

if [ -n "$sanitizer" ]; then
	skip "built with -fsanitize=$sanitizer, which owns malloc: there is no libkmm-malloc.so to" \
		"preload; the shim's tests run in the plain build"
fi

build=$(cd "$build" && pwd -P) || { echo "FAIL: no build directory $1"; exit 1; }
src=$(cd "$src" && pwd -P) || { echo "FAIL: no source directory $2"; exit 1; }
shim="$build/libkmm-malloc.so"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*"
	for f in "$tmp/out" "$tmp/err"; do
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
}

# needs PROGRAM...: skipped, saying so, unless each is installed
needs() {
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || skip "$p is not installed (.ci/run installs it)"
	done
}

[ -f "$shim" ] || fail "$shim is not built"
