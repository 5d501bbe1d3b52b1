# The shell tests' common ground, sourced by tests/test_cli*.sh:
#   . "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh" "$@"
# Takes BUILD_DIR SOURCE_DIR [SANITIZER] as the tests get them from CTest, sets build, src,
# sanitizer, kmm and a temporary directory tmp (removed at exit), and gives the checks:
# run/run_in (kmm's exit status in rc, its output in $tmp/out and $tmp/err), expect_rc,
# out_has/err_has/out_lacks/err_lacks (extended regexps), err_empty, count_err, check, fail.

build=${1:?usage: $(basename "$0") BUILD_DIR SOURCE_DIR [SANITIZER]}
src=${2:?usage: $(basename "$0") BUILD_DIR SOURCE_DIR [SANITIZER]}
sanitizer=${3:-}
kmm="$build/kmm"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

fail() {
	echo "FAIL: $*"
	if [ -f "$tmp/out" ]; then
		echo "--- exit status: ${rc:-?}"
		echo "--- stdout:"
		head -n 60 "$tmp/out"
		echo "--- stderr:"
		head -n 60 "$tmp/err"
	fi
	exit 1
}

check() {
	n=$((n + 1))
	echo "ok $n - $*"
}

# run ARGS...: runs kmm with stdin from /dev/null; sets rc, $tmp/out, $tmp/err
run() {
	"$kmm" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}

# run_in FILE ARGS...: the same with stdin from FILE
run_in() {
	local in=$1

	shift
	"$kmm" "$@" >"$tmp/out" 2>"$tmp/err" <"$in"
	rc=$?
}

expect_rc() {
	[ "$rc" = "$1" ] || fail "$2: exit status $rc, expected $1"
}

out_has() { grep -Eq -- "$1" "$tmp/out" || fail "$2: stdout has no line matching /$1/"; }
err_has() { grep -Eq -- "$1" "$tmp/err" || fail "$2: stderr has no line matching /$1/"; }
out_lacks() { ! grep -Eq -- "$1" "$tmp/out" || fail "$2: stdout has a line matching /$1/"; }
err_lacks() { ! grep -Eq -- "$1" "$tmp/err" || fail "$2: stderr has a line matching /$1/"; }
err_empty() { [ ! -s "$tmp/err" ] || fail "$1: stderr is not empty"; }
count_err() { grep -Ec -- "$1" "$tmp/err"; }

[ -x "$kmm" ] || fail "$kmm is not built"
[ -n "$sanitizer" ] && echo "# kmm built with -fsanitize=$sanitizer"
