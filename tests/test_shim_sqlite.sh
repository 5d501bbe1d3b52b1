#!/usr/bin/env bash
# sqlite3 under libkmm-malloc.so: 500 000 inserts into an indexed table, then
# queries; the output is the same as without the shim.
#
#   tests/test_shim_sqlite.sh BUILD_DIR SOURCE_DIR [SANITIZER]
set -u
. "$(dirname "${BASH_SOURCE[0]}")/shim_lib.sh" "$@"
needs sqlite3

cat >"$tmp/work.sql" <<'SQL'
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v INTEGER);
CREATE INDEX t_name ON t(name);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000)
INSERT INTO t(name, v) SELECT printf('name-%08d', (x * 7919) % 500000), x * 3 FROM c;
SELECT count(*), sum(v), min(name), max(name) FROM t;
SELECT name, v FROM t WHERE name BETWEEN 'name-00012345' AND 'name-00012350' ORDER BY name;
SELECT substr(name, 1, 8), count(*), sum(v) % 1000003 FROM t GROUP BY substr(name, 1, 8) ORDER BY 1 LIMIT 5;
DELETE FROM t WHERE id % 3 = 0;
SELECT count(*), sum(v) FROM t;
PRAGMA integrity_check;
SQL
sqlite3 "$tmp/a.db" <"$tmp/work.sql" >"$tmp/want" 2>&1 || fail "sqlite3 without the shim"
LD_PRELOAD="$shim" sqlite3 "$tmp/b.db" <"$tmp/work.sql" >"$tmp/out" 2>"$tmp/err" ||
	fail "sqlite3 under the shim"
cmp -s "$tmp/want" "$tmp/out" || fail "sqlite3 prints otherwise under the shim"
grep -qx ok "$tmp/out" || fail "integrity_check"
check "500000 indexed inserts and queries: the same output"
# the file the shim's sqlite3 wrote reads the same without it
sqlite3 "$tmp/b.db" "SELECT count(*), sum(v) FROM t" >"$tmp/out2" || fail "reading b.db"
sqlite3 "$tmp/a.db" "SELECT count(*), sum(v) FROM t" | cmp -s - "$tmp/out2" || fail "b.db differs"
check "the database it wrote reads the same"
