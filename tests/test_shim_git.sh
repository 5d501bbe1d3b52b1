#!/usr/bin/env bash
# git under libkmm-malloc.so: init, add and commit a generated tree, amend
# it, repack (git forks its helpers), log, fsck; with fixed names and dates
# the hashes are those of the same run without the shim.
#
#   tests/test_shim_git.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u
. "$(dirname "${BASH_SOURCE[0]}")/shim_lib.sh" "$@"
needs git

work() {
	local dir=$1

	mkdir -p "$dir" && cd "$dir" || return 1
	git init -q -b main . || return 1
	for i in $(seq 1 60); do
		mkdir -p "dir$i"
		for j in $(seq 1 20); do
			printf 'file %d %d\n%s\n' "$i" "$j" "$(seq "$i" $((i * j + 40)))" >"dir$i/f$j.txt"
		done
	done
	git add -A && git commit -q -m "a generated tree" || return 1
	for i in 1 2 3 4 5; do
		echo "change $i" >>"dir$i/f1.txt"
		git rm -q "dir$((i + 10))/f2.txt"
		git commit -q -am "change $i" || return 1
	done
	git log --format='%H%n%T%n%s'
	git gc -q --aggressive || return 1
	git fsck --strict 2>&1
	git count-objects -v | grep -v size
	git rev-list --all --objects | sort | sha256sum
	git diff HEAD~3 --stat | tail -1
}

export GIT_AUTHOR_NAME=kmm GIT_AUTHOR_EMAIL=kmm@example.org
export GIT_COMMITTER_NAME=kmm GIT_COMMITTER_EMAIL=kmm@example.org
export GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" GIT_CONFIG_GLOBAL=/dev/null
(work "$tmp/a") >"$tmp/want" 2>&1 || fail "git without the shim"
(LD_PRELOAD="$shim" work "$tmp/b") >"$tmp/out" 2>"$tmp/err" || fail "git under the shim"
cmp -s "$tmp/want" "$tmp/out" || fail "git prints otherwise under the shim"
check "git init, add, commit, gc, log, fsck: the same hashes ($(head -1 "$tmp/out" | cut -c1-12))"
