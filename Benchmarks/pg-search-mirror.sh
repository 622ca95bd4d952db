#!/usr/bin/env bash
# A mirror on PostgreSQL whose issue list holds ISSUES issues written straight into its
# projection (no events behind them): what the list, search and JSON API read, made in
# minutes instead of the hours a catch-up of as many events takes. Then read it as a kept
# catch-up is read (the issue page needs the issues' events, so it is left out):
#
#   bash Benchmarks/pg-search-mirror.sh 2500000
#   CIX_BENCH_FROM=/tmp/cix-pg-search-mirror-2500000 CIX_BENCH_SKIP="issue page" \
#       CIX_BENCH_STATUS=open bash Benchmarks/pg-read-bench.sh - 15
#
# The issues are the workload's (Sources/CIXTesting/Workload.swift): each one of six faults on
# one of six streets with the fault's description, titled with its number, so a fault's word
# is in one issue of six, a fault and a street in one of 36, a number in one. Twenty bodies'
# issues arrive as a catch-up stores them: eight bodies at a time, interleaved, each body's
# issues in time order, stored in that order (so a word's issues are spread through the
# table as they would be). Such a mirror is for reading only: `cix verify` would find issues
# without events.
#
# Needs: a release build (swift build -c release) and PostgreSQL (apt-get install postgresql).
# The cluster listens on 127.0.0.1 only and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
issues=${1:?usage: pg-search-mirror.sh ISSUES [DIRECTORY]}
work=${2:-/tmp/cix-pg-search-mirror-$issues}
bin=${CIX_BIN:-.build/release}
pg_port=${CIX_BENCH_PG_PORT:-15434}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] || { echo "PostgreSQL is needed: apt-get install postgresql"; exit 1; }
[ -x $bin/cix ] || { echo "build first: swift build -c release"; exit 1; }
[ ! -e "$work" ] || { echo "$work exists: remove it or name another directory"; exit 1; }

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$work/postgres"
chmod 755 "$work"
echo "a long benchmark password" > "$work/postgres/password"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$work/postgres"
as_postgres "$pgbin/initdb" -D "$work/postgres/data" -U cix --auth=scram-sha-256 \
    --pwfile="$work/postgres/password" -E UTF8 --no-locale > /dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/postgres/data" -l "$work/postgres/server.log" -w -o \
    "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/postgres -c max_wal_size=8GB" start > /dev/null
trap 'as_postgres "$pgbin/pg_ctl" -D "$work/postgres/data" -m fast -w stop > /dev/null' EXIT

url="postgresql://cix@127.0.0.1:$pg_port/postgres?sslmode=disable"
$bin/cix init --data "$work/mirror" --name "Search mirror" --kind mirror --url https://127.0.0.1:18451 \
    --store "$url" --store-password-file "$work/postgres/password" > /dev/null
echo "writing $issues issues into the mirror's list (a few minutes a million)..."
start=$(date +%s)
PGPASSWORD=$(cat "$work/postgres/password") "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U cix -d postgres \
    -v ON_ERROR_STOP=1 -q <<SQL
CREATE TEMP TABLE street (n int, name text);
INSERT INTO street VALUES (0, 'Mill Lane'), (1, 'Station Road'), (2, 'Market Square'),
    (3, 'Riverside Park'), (4, 'Orchard Estate'), (5, 'Church Street');
CREATE TEMP TABLE fault (n int, category text, name text, description text);
INSERT INTO fault VALUES
    (0, 'pothole', 'Pothole', 'Deep pothole in the carriageway, cars swerving round it'),
    (1, 'street_lighting', 'Street light out', 'The lamp has been dark for a week; the path is unlit at night'),
    (2, 'fly_tipping', 'Fly-tipping', 'Mattresses and bags of rubble dumped by the gate'),
    (3, 'graffiti', 'Graffiti', 'Spray paint across the bus shelter'),
    (4, 'antisocial_behaviour', 'Anti-social behaviour', 'Groups gathering late with loud music and broken glass'),
    (5, 'bus_timetable', 'No early bus', 'The first bus arrives too late for early shifts');
-- Issue i: body b (eight at a time, interleaved), its k-th issue; times two minutes apart per body.
INSERT INTO issue (id, origin, status, reported_at, updated_at, state, category, title, lat, lon, routed, words)
SELECT md5(i::text) || md5((i + 1)::text), md5('body ' || b) || md5('key ' || b), 'open',
    1700000000000 + k::bigint * 120000 + b, 1700000000000 + k::bigint * 120000 + b + 60000, '\x00'::bytea,
    fault.category, fault.name || ' on ' || street.name || ' (#' || k || ')',
    52.2 + (i % 1000) / 100000.0, 0.12 + (i % 777) / 100000.0, true,
    array_to_tsvector(array(SELECT DISTINCT word FROM regexp_split_to_table(
        lower(fault.name || ' ' || street.name || ' ' || k || ' ' || fault.description), '[^[:alnum:]]+') AS word
        WHERE word <> ''))
FROM (SELECT i, (i / (8 * per)) * 8 + i % 8 AS b, (i % (8 * per)) / 8 AS k,
        (hashtext('street ' || i) & 65535) % 6 AS s, (hashtext('fault ' || i) & 65535) % 6 AS f
      FROM generate_series(0, $issues - 1) AS i, (SELECT greatest(1, $issues / 20) AS per) AS size) AS made
JOIN street ON street.n = made.s JOIN fault ON fault.n = made.f
ORDER BY i;
VACUUM ANALYZE issue;
SQL
count=$(PGPASSWORD=$(cat "$work/postgres/password") "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U cix -d postgres \
    -tAc "SELECT count(*) || ' issues, ' || pg_size_pretty(pg_total_relation_size('issue')) FROM issue")
echo "$count in $(($(date +%s) - start)) s; the mirror: $work/mirror"
