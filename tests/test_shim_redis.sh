#!/usr/bin/env bash
# redis-server under libkmm-malloc.so on 127.0.0.1: redis-benchmark's 200 000
# requests of each of five commands (bounded in time), then SET, GET, INCR,
# RPUSH/LRANGE and a value of 300 000 bytes through redis-cli give their expected answers; the
# server is stopped by its pid.
#
#   tests/test_shim_redis.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u
. "$(dirname "${BASH_SOURCE[0]}")/shim_lib.sh" "$@"
needs redis-server redis-benchmark redis-cli timeout

server=""
stop() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null
		wait "$server" 2>/dev/null
		server=""
	fi
	rm -rf "$tmp"
}
trap stop EXIT

# a port nobody listens on: the server says so when it cannot bind
for try in 1 2 3 4 5; do
	port=$((20000 + (RANDOM * 7 + $$) % 40000))
	LD_PRELOAD="$shim" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
		--daemonize no --dir "$tmp" --logfile "$tmp/server.log" &
	server=$!
	for i in $(seq 1 100); do
		redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
		kill -0 "$server" 2>/dev/null || break
		sleep 0.05
	done
	redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	server=""
done
[ -n "$server" ] || fail "redis-server does not start under the shim: $(tail -3 "$tmp/server.log" 2>/dev/null)"
check "redis-server runs under the shim on port $port"

LD_PRELOAD="$shim" timeout 120 redis-benchmark -h 127.0.0.1 -p "$port" -n 200000 -q \
	-t set,get,incr,lpush,lpop >"$tmp/out" 2>"$tmp/err" || fail "redis-benchmark"
[ "$(grep -c 'requests per second' "$tmp/out")" = 5 ] || fail "redis-benchmark did not finish its five tests"
check "redis-benchmark -n 200000: $(tr '\r' '\n' <"$tmp/out" | grep 'requests per second' | sed 's/ requests per second.*//' | tr '\n' ' ')"

cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
[ "$(cli SET kmm-key "kmm value")" = OK ] || fail "SET"
[ "$(cli GET kmm-key)" = "kmm value" ] || fail "GET"
cli DEL counter >/dev/null
for i in $(seq 1 10); do cli INCR counter >/dev/null; done
[ "$(cli GET counter)" = 10 ] || fail "INCR"
cli DEL list >/dev/null
cli RPUSH list a b c d >/dev/null
[ "$(cli LRANGE list 0 -1 | tr '\n' ' ')" = "a b c d " ] || fail "LRANGE"
head -c 300000 /dev/zero | tr '\0' x >"$tmp/big"
cli -x SET big <"$tmp/big" >/dev/null
[ "$(cli STRLEN big)" = 300000 ] || fail "a 300000-byte value"
[ "$(cli GETRANGE big 299990 299999)" = xxxxxxxxxx ] || fail "GETRANGE of the large value"
[ "$(cli DBSIZE)" -ge 4 ] || fail "DBSIZE"
check "SET, GET, INCR, RPUSH/LRANGE and a large value answer as they should"

kill "$server" && wait "$server"
status=$?
server=""
[ "$status" = 0 ] || fail "redis-server exited with status $status after SIGTERM"
grep -q "ready to exit, bye bye" "$tmp/server.log" || fail "redis-server did not shut down cleanly"
check "redis-server stopped by its pid, cleanly"
