#!/usr/bin/env bash
# Records the last full bench run: copies BUILD/bench/RESULTS.md (written by
# build/kmm-bench) to bench/RESULTS.md, which is committed. Refuses results
# that kmm-bench marked as not to be recorded (--quick, a sanitizer or
# unoptimised build, failed runs).
#
#   bench/record.sh [BUILD_DIR]     (make bench-record)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
from=$build/bench/RESULTS.md
to=$src/bench/RESULTS.md

if [ ! -f "$from" ]; then
	echo "record.sh: $from: no results (run 'make bench' first)" >&2
	exit 1
fi
reason=$(sed -n 's/^<!-- kmm-bench: do not record: \(.*\) -->$/\1/p' "$from")
if [ -n "$reason" ]; then
	echo "record.sh: $from is not recorded: $reason" >&2
	exit 1
fi
cp "$from" "$to"
echo "record.sh: recorded $from as bench/RESULTS.md"
