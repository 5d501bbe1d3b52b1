#!/usr/bin/env bash
# libkmm-malloc.so: the malloc API's contract (tests/shim_api.c under
# LD_PRELOAD), KMM_MALLOC_STATS=1's report at exit, a bad KMM_MALLOC_CMDLINE
# reported with the default machine booted instead, KMM_MALLOC_CMDLINE taking
# effect, and a program that never allocates not paying for a machine.
#
#   tests/test_shim.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u
. "$(dirname "${BASH_SOURCE[0]}")/shim_lib.sh" "$@"

api="$build/shim_api"
[ -x "$api" ] || fail "$api is not built"

# the API's contract
LD_PRELOAD="$shim" "$api" >"$tmp/out" 2>"$tmp/err" || fail "shim_api under the shim"
grep -q "^ok 1 shim_api" "$tmp/out" || fail "shim_api did not pass"
check "the API's contract: $(grep -c '^    ok ' "$tmp/out") cases"

# statistics at exit, written even when the program closed its stderr (as coreutils' do)
KMM_MALLOC_STATS=1 LD_PRELOAD="$shim" ls / >/dev/null 2>"$tmp/err" || fail "ls under the shim"
grep -q '^libkmm-malloc: the heap at exit, machine "profile=x86_64 mem=' "$tmp/err" ||
	fail "KMM_MALLOC_STATS=1: no header"
grep -q '^/proc/slabinfo:$' "$tmp/err" || fail "KMM_MALLOC_STATS=1: no slabinfo"
grep -q '^slabinfo - version: 2.1$' "$tmp/err" || fail "KMM_MALLOC_STATS=1: slabinfo's header"
grep -Eq '^kmalloc-64 +[1-9][0-9]* ' "$tmp/err" || fail "KMM_MALLOC_STATS=1: no active kmalloc-64 objects"
grep -q '^/proc/buddyinfo:$' "$tmp/err" || fail "KMM_MALLOC_STATS=1: no buddyinfo"
grep -Eq '^Node 0, zone +Normal ' "$tmp/err" || fail "KMM_MALLOC_STATS=1: buddyinfo's Normal zone"
grep -q '^host blocks: 0, 0 kB$' "$tmp/err" || fail "KMM_MALLOC_STATS=1: host blocks"
check "KMM_MALLOC_STATS=1 prints slabinfo and buddyinfo at exit"

# without it, nothing but the program's own output
LD_PRELOAD="$shim" ls / >"$tmp/out" 2>"$tmp/err" || fail "ls under the shim"
[ ! -s "$tmp/err" ] || fail "the shim wrote to stderr unasked"
ls / | cmp -s - "$tmp/out" || fail "ls / differs under the shim"
check "silent unless asked; ls / prints the same"

# a bad command line: reported, and the default machine boots
KMM_MALLOC_CMDLINE="mem=banana" KMM_MALLOC_STATS=1 LD_PRELOAD="$shim" ls / >"$tmp/out" 2>"$tmp/err" ||
	fail "ls with a bad KMM_MALLOC_CMDLINE"
grep -q '^libkmm-malloc: KMM_MALLOC_CMDLINE="mem=banana": mem=banana: invalid size' "$tmp/err" ||
	fail "a bad KMM_MALLOC_CMDLINE is not reported"
grep -q 'booting the default machine$' "$tmp/err" || fail "no word of the default machine"
grep -q '^libkmm-malloc: the heap at exit, machine "profile=x86_64 mem=' "$tmp/err" ||
	fail "the default machine did not boot"
ls / | cmp -s - "$tmp/out" || fail "ls / differs with a bad KMM_MALLOC_CMDLINE"
KMM_MALLOC_CMDLINE="bogus=1" LD_PRELOAD="$shim" /bin/echo hi >"$tmp/out" 2>"$tmp/err"
grep -q "'bogus=1': unknown kernel command line parameter; booting the default machine" "$tmp/err" ||
	fail "an unknown parameter in KMM_MALLOC_CMDLINE is not reported"
check "a bad KMM_MALLOC_CMDLINE is reported and the default machine used"

# a good one takes effect, after the shim's own settings
KMM_MALLOC_CMDLINE="mem=512M nr_cpus=3 slub_debug=F" KMM_MALLOC_STATS=1 LD_PRELOAD="$shim" \
	ls / >/dev/null 2>"$tmp/err" || fail "ls with KMM_MALLOC_CMDLINE"
grep -q 'machine "kmm.ram=anon kmm.deferred_init=1 kmm.page_reporting_thread=0 loglevel=5 mem=512M nr_cpus=3 slub_debug=F"' "$tmp/err" ||
	fail "KMM_MALLOC_CMDLINE is not the machine's command line"
check "KMM_MALLOC_CMDLINE boots its machine"

# an address space too small for a machine as large as the host's RAM: a smaller one boots
(ulimit -v 2000000 && KMM_MALLOC_STATS=1 LD_PRELOAD="$shim" ls / >"$tmp/out" 2>"$tmp/err") ||
	fail "ls under ulimit -v"
grep -q '^libkmm-malloc: the heap at exit, machine "profile=x86_64 mem=' "$tmp/err" ||
	fail "no machine under ulimit -v"
ls / | cmp -s - "$tmp/out" || fail "ls / differs under ulimit -v"
check "under ulimit -v 2000000 the default machine is smaller, and works"

# with slub_debug=F, SLUB's own checks catch a double free too
KMM_MALLOC_CMDLINE="slub_debug=F" LD_PRELOAD="$shim" "$api" >"$tmp/out" 2>"$tmp/err" ||
	fail "shim_api under slub_debug=F"
check "the API's contract holds with slub_debug=F"
