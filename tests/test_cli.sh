#!/usr/bin/env bash
# The kmm command as a user drives it: options, profiles, boot errors, the
# commands, scripts and stdin, exit statuses, and where the output goes.
#
#   tests/test_cli.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u

. "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh" "$@"

# ---- options ----

run --help
expect_rc 0 "kmm --help"
out_has '^Usage: kmm ' "kmm --help"
out_has 'profiles' "kmm --help"
check "kmm --help exits 0 and prints the usage"

run -h
expect_rc 0 "kmm -h"
out_has '^Usage: kmm ' "kmm -h"
check "kmm -h is --help"

version=$(sed -n 's/^#define KMM_VERSION "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' "$src/include/kmm/kmm.h")
[ -n "$version" ] || fail "no KMM_VERSION \"X.Y.Z\" in $src/include/kmm/kmm.h"
run --version
expect_rc 0 "kmm --version"
[ "$(cat "$tmp/out")" = "kmm $version" ] || fail "kmm --version printed '$(cat "$tmp/out")', expected 'kmm $version'"
check "kmm --version prints 'kmm $version' (KMM_VERSION)"

run -V
[ "$rc" = 0 ] && [ "$(cat "$tmp/out")" = "kmm $version" ] || fail "kmm -V"
check "kmm -V is --version"

run --frobnicate
expect_rc 2 "kmm --frobnicate"
err_has 'Usage: kmm ' "kmm --frobnicate"
check "an unknown option exits 2 with the usage on stderr"

run -b quiet -c help extra-argument another
expect_rc 2 "two script arguments"
err_has "unexpected argument 'another'" "two script arguments"
check "a second script argument exits 2 naming it"

# ---- profiles ----

run profiles
expect_rc 0 "kmm profiles"
for p in x86_64 i386-highmem at91rm9200; do
	out_has "^$p " "kmm profiles lists $p"
done
check "kmm profiles lists x86_64, i386-highmem and at91rm9200"

run profiles extra
expect_rc 2 "kmm profiles extra"
check "kmm profiles with an argument exits 2"

# ---- /proc/iomem ----

run -b "profile=i386-highmem mem=2G" -c "cat /proc/iomem"
expect_rc 0 "cat /proc/iomem on i386-highmem"
[ -s "$tmp/out" ] || fail "/proc/iomem is empty"
bad=$(grep -Ev '^ *[0-9a-f]{8,}-[0-9a-f]{8,} : [^ ].*$' "$tmp/out" || true)
[ -z "$bad" ] || fail "/proc/iomem lines not in the form 'START-END : NAME': $bad"
for name in "System RAM" "Kernel code" "Kernel rodata" "Kernel data" "Kernel bss"; do
	out_has "^ *[0-9a-f]{8,}-[0-9a-f]{8,} : $name\$" "/proc/iomem has '$name'"
done
check "/proc/iomem on i386-highmem mem=2G: System RAM and the kernel image, in /proc/iomem form"

# every range has start <= end; the image is nested (indented) under System RAM
while read -r range _ name; do
	s=$((16#${range%-*}))
	e=$((16#${range#*-}))
	[ "$s" -le "$e" ] || fail "/proc/iomem: $range : $name ends before it starts"
done <"$tmp/out"
out_has '^  01000000-[0-9a-f]{8} : Kernel code$' "Kernel code at 16M, one level down"
out_has '^00100000-7fffffff : System RAM$' "mem=2G: RAM from 1M to 2G"
# the image lines follow the System RAM line that holds them
awk '/^[0-9a-f]/ { top = $0 } / : Kernel / { if (top !~ / : System RAM$/) exit 1 }' "$tmp/out" ||
	fail "a Kernel line is not under a System RAM line"
check "/proc/iomem ranges are ordered pairs and the kernel image nests under System RAM"

run -b "profile=at91rm9200" -c "cat /proc/iomem"
expect_rc 0 "cat /proc/iomem on at91rm9200"
out_has '^20000000-23ffffff : System RAM$' "at91rm9200: 64M of SDRAM at 0x20000000"
out_has '^  20008000-[0-9a-f]{8} : Kernel code$' "at91rm9200: the kernel at PHYS_OFFSET + 0x8000"
check "/proc/iomem on at91rm9200 shows its SDRAM at 0x20000000 and the kernel in it"

# ---- boot errors ----

run -b "mem=banana" -c help
expect_rc 2 "kmm -b mem=banana"
err_has 'mem=' "kmm -b mem=banana names mem="
out_lacks 'Commands' "kmm -b mem=banana ran no command"
check "a bad mem= value exits 2 and names mem= on stderr"

run -b "quiet frobnicate=1" -c help
expect_rc 2 "unknown parameter"
err_has 'frobnicate' "the unknown parameter is named"
check "an unknown boot parameter exits 2 naming it"

run -b "profile=sparc64" -c help
expect_rc 2 "unknown profile"
err_has 'sparc64' "the unknown profile is named"
check "an unknown profile exits 2 naming it"

# ---- memblock ----

run -b quiet -c "cat /sys/kernel/debug/memblock/reserved"
expect_rc 0 "cat /sys/kernel/debug/memblock/reserved"
out_has '0x0000000001000000\.\.0x0000000003c57fff' "memblock.reserved holds the x86_64 kernel image"
bad=$(grep -Ev '^ *[0-9]+: 0x[0-9a-f]{16}\.\.0x[0-9a-f]{16} +([0-9]+|x) [A-Z_|]+$' "$tmp/out" || true)
[ -z "$bad" ] || fail "memblock/reserved lines not in memblock_debug_show form: $bad"
found=""
while read -r _ range _; do
	s=$((${range%..*}))
	e=$((${range#*..}))
	if [ $((e - s + 1)) = 8388608 ]; then
		found=$range
	fi
done <"$tmp/out"
[ -n "$found" ] || fail "no reserved range of exactly 8 MiB (mem_map: 131072 struct pages of 64 bytes)"
check "memblock.reserved: the kernel image 0x1000000..0x3c57fff and mem_map's 8 MiB ($found)"

# ---- commands, separators, failures ----

run -b quiet -c "cat /nope; cat /proc/cmdline"
expect_rc 1 "a failing cat"
err_has '/nope' "the failing cat names the file"
[ "$(cat "$tmp/out")" = "quiet" ] || fail "the command after a failing one did not run"
check "a failing command exits 1 and the commands after it still run"

run -b "quiet mem=256M" -c "cat /proc/cmdline;cat /proc/sys/kernel/printk ; ls"
expect_rc 0 "';'-separated commands"
[ "$(sed -n 1p "$tmp/out")" = "quiet mem=256M" ] && [ "$(sed -n 2p "$tmp/out")" = "$(printf '4\t4\t1\t7')" ] ||
	fail "';'-separated commands: wrong output"
out_has '^/proc/iomem$' "ls after ';'"
out_has '^/proc/sys/kernel/printk \(writable\)$' "ls marks writable files"
check "';'-separated commands run in order"

run -b quiet -c "$(printf 'cat /proc/cmdline\n\n# a comment\ncat /proc/sys/kernel/printk   # trailing comment\n')"
expect_rc 0 "newline-separated commands"
[ "$(cat "$tmp/out")" = "$(printf 'quiet\n4\t4\t1\t7')" ] || fail "newline-separated commands: wrong output"
check "newline-separated commands, blank lines and comments"

run -b quiet -c "frobnicate now"
expect_rc 1 "an unknown command"
err_has 'frobnicate' "the unknown command is named"
err_has 'unknown command' "the message says what is wrong"
check "an unknown command exits 1 with a message naming it"

run -b quiet -c "help"
expect_rc 0 "help"
for c in cat echo dmesg ls help; do
	out_has "^  $c( |\$)" "help lists $c"
done
run -b quiet -c "help cat"
expect_rc 0 "help cat"
out_has '^cat PATH' "help cat"
run -b quiet -c "help frobnicate"
expect_rc 1 "help frobnicate"
check "help lists the commands; help CMD describes one; help of an unknown one fails"

# ---- the printk sysctl ----

run -b quiet -c "echo 3 > /proc/sys/kernel/printk; cat /proc/sys/kernel/printk"
expect_rc 0 "echo 3 > /proc/sys/kernel/printk"
[ "$(cat "$tmp/out")" = "$(printf '3\t4\t1\t7')" ] || fail "after echo 3, /proc/sys/kernel/printk is '$(cat "$tmp/out")'"
check "echo 3 > /proc/sys/kernel/printk, then cat shows 3"

run -b quiet -c "echo 99 > /proc/sys/kernel/printk; cat /proc/sys/kernel/printk"
expect_rc 1 "echo 99 > /proc/sys/kernel/printk"
err_has 'printk' "the failing write names the file"
[ "$(cat "$tmp/out")" = "$(printf '4\t4\t1\t7')" ] || fail "a refused write changed the console loglevel"
check "a bad sysctl value exits 1 and changes nothing"

run -b quiet -c "echo 3 > /proc/iomem"
expect_rc 1 "writing a read-only file"
check "writing a read-only file exits 1"

run -b quiet -c "echo hello world"
expect_rc 0 "echo without a redirection"
[ "$(cat "$tmp/out")" = "hello world" ] || fail "echo printed '$(cat "$tmp/out")'"
check "echo without '>' prints its words"

# ---- dmesg and the console ----

run -b "quiet mem=256M" -c dmesg
expect_rc 0 "dmesg"
[ -s "$tmp/out" ] || fail "dmesg printed nothing"
bad=$(grep -Ev '^\[ *[0-9]+\.[0-9]{6}\] ' "$tmp/out" || true)
[ -z "$bad" ] || fail "dmesg lines without a [seconds.micros] stamp: $bad"
out_has '^\[    0\.[0-9]{6}\] Command line: quiet mem=256M$' "dmesg shows the command line"
out_has '^\[    0\.[0-9]{6}\] kmm version ' "dmesg starts with the version line"
err_empty "quiet dmesg"
check "dmesg prints '[    0.000000] text' lines, 'Command line:' among them"

run -b quiet -c "cat /proc/cmdline"
expect_rc 0 "quiet boot"
err_empty "a quiet boot"
check "quiet: nothing on stderr"

run -b "mem=256M" -c "cat /proc/cmdline"
expect_rc 0 "default boot"
err_has '^\[ *[0-9]+\.[0-9]{6}\] Command line: mem=256M$' "the default boot echoes its log"
err_has '^\[ *[0-9]+\.[0-9]{6}\] BIOS-e820: ' "the default boot echoes the e820 map"
[ "$(cat "$tmp/out")" = "mem=256M" ] || fail "the boot log went to stdout"
check "default boot: the boot log on stderr, the file contents alone on stdout"

run -b "loglevel=6" -c "cat /proc/cmdline"
expect_rc 0 "loglevel=6"
err_has 'Command line: loglevel=6$' "loglevel=6 echoes notices (5)"
err_lacks 'BIOS-e820' "loglevel=6 hushes info messages (6)"
check "loglevel=6: notices on stderr, info messages not"

# ---- scripts ----

cat >"$tmp/tour.kmm" <<'EOF'
# a script
cat /proc/cmdline
echo 5 > /proc/sys/kernel/printk ; cat /proc/sys/kernel/printk

ls
EOF
run -b quiet "$tmp/tour.kmm"
expect_rc 0 "a script argument"
cp "$tmp/out" "$tmp/script.out"
[ "$(sed -n 1p "$tmp/out")" = "quiet" ] && [ "$(sed -n 2p "$tmp/out")" = "$(printf '5\t4\t1\t7')" ] ||
	fail "the script's output is wrong"
out_has '^/dev/kmsg$' "the script's last command"
check "a script file given as an argument runs every line"

run_in "$tmp/tour.kmm" -b quiet -
expect_rc 0 "a script on stdin ('-')"
cmp -s "$tmp/out" "$tmp/script.out" || fail "'-' (stdin) gave other output than the script argument"
check "the same script on stdin with '-' gives the same output"

run_in "$tmp/tour.kmm" -b quiet
expect_rc 0 "a script on stdin (no argument)"
cmp -s "$tmp/out" "$tmp/script.out" || fail "stdin without '-' gave other output"
check "with neither -c nor a script, commands come from stdin"

run -b quiet -c "cat /proc/sys/kernel/printk" "$tmp/tour.kmm"
expect_rc 0 "-c then a script"
[ "$(sed -n 1p "$tmp/out")" = "$(printf '4\t4\t1\t7')" ] && [ "$(sed -n 2p "$tmp/out")" = "quiet" ] ||
	fail "-c did not run before the script"
check "-c runs first, then the script"

printf 'cat /proc/cmdline\ncat /nope\nfrobnicate\ncat /proc/sys/kernel/printk\n' >"$tmp/bad.kmm"
run -b quiet "$tmp/bad.kmm"
expect_rc 1 "a script with failing lines"
err_has 'bad\.kmm:3: frobnicate: unknown command' "the unknown command's line is named"
[ "$(cat "$tmp/out")" = "$(printf 'quiet\n4\t4\t1\t7')" ] || fail "the script stopped at a failing line"
check "a script with failing lines exits 1, names the line, and runs to the end"

run -b quiet "$tmp/no-such-script.kmm"
expect_rc 2 "a nonexistent script"
err_has 'no-such-script\.kmm' "the missing script is named"
check "a nonexistent script exits 2 naming it"

echo "all $n checks passed"
exit 0
