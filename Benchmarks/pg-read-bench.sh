#!/usr/bin/env bash
# Read scaling on PostgreSQL: the public pages of a mirror whose store is in
# PostgreSQL, served by one daemon and then by three (the same node, its data
# directory copied), behind nginx on loopback, under wrk.
#
#   bash Benchmarks/pg-read-bench.sh [ISSUES] [SECONDS]        (defaults 200000, 15)
#
# Or read a mirror a catch-up kept (its issues counted, not made):
#
#   .build/release/cix-bench catch-up 10000000 --events-per-issue 2 --keep
#   CIX_BENCH_FROM=/tmp/cix-catchup-bench-… bash Benchmarks/pg-read-bench.sh - [SECONDS]
#
# CIX_BENCH_STATUS chooses the JSON API's status filter (default in_progress);
# CIX_BENCH_SKIP names targets to leave out ("search", "issue page"). A mirror whose list is
# written straight into PostgreSQL, for searches at millions of issues: pg-search-mirror.sh.
#
# Needs: a release build (swift build -c release), wrk, nginx and PostgreSQL
# (apt-get install wrk nginx postgresql). Everything listens on 127.0.0.1 only;
# the cluster lives in the work folder and is stopped at the end. Pages are
# rendered for every request (--page-cache 0): what is measured is the store.
set -euo pipefail
cd "$(dirname "$0")/.."
issues=${1:-200000}
seconds=${2:-15}
work=${CIX_BENCH_DIR:-/tmp/cix-pg-read-bench-$issues}
bin=${CIX_BIN:-.build/release}
pg_port=15432
from=${CIX_BENCH_FROM:-}
status=${CIX_BENCH_STATUS:-in_progress}
nginx_port=18450
ports=(18451 18452 18453)

for tool in wrk nginx; do command -v $tool >/dev/null || { echo "$tool is needed: apt-get install $tool"; exit 1; }; done
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] || { echo "PostgreSQL is needed: apt-get install postgresql"; exit 1; }
[ -x $bin/cix ] && [ -x $bin/cix-bench ] || { echo "build first: swift build -c release"; exit 1; }

# PostgreSQL refuses to run as root: as root, its programs run as the postgres user.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -n "$from" ]; then
    # The kept mirror is the node; its cluster is started where the catch-up left it, at the
    # port its cix.toml names.
    work=$from
    pg_data=$from/postgres/data
    pg_root=$from/postgres
    node=$from/mirror
    pg_port=$(sed -n 's/^url *= *"postgresql:.*:\([0-9]*\)\/.*/\1/p' "$node/cix.toml")
    [ -n "$pg_port" ] || { echo "no PostgreSQL url in $node/cix.toml"; exit 1; }
else
    pg_data=$work/pg/data
    pg_root=$work/pg
    node=$work/node
fi
[ -n "$from" ] || mkdir -p "$work/pg"
chmod 755 "$work"
if [ -z "$from" ] && [ ! -d "$work/pg/data" ]; then
    echo "a long benchmark password" > "$work/pg/password"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$work/pg"
    as_postgres "$pgbin/initdb" -D "$work/pg/data" -U cix --auth=scram-sha-256 --pwfile="$work/pg/password" \
        -E UTF8 --no-locale > /dev/null
fi
as_postgres "$pgbin/pg_ctl" -D "$pg_data" -l "$pg_root/server.log" -w -o \
    "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_root -c max_connections=100 -c shared_buffers=1GB" start > /dev/null

pids=()
stop_daemons() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    pids=()
}
cleanup() {
    stop_daemons
    [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
    as_postgres "$pgbin/pg_ctl" -D "$pg_data" -m fast -w stop > /dev/null || true
}
trap cleanup EXIT

if [ -z "$from" ]; then
    url="postgresql://cix@127.0.0.1:$pg_port/postgres?sslmode=disable"
    $bin/cix-bench webstore "$issues" "$work" "${ports[0]}" --store "$url" --password-file "$work/pg/password"
fi
# The same node on three "machines": its data directory copied.
for n in 1 2; do [ -d "$work/node$n" ] || cp -r "$node" "$work/node$n"; done
directories=("$node" "$work/node1" "$work/node2")

# Starts COUNT daemons and nginx in front of them.
serve() {
    local count=$1
    stop_daemons
    [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null && sleep 0.5 || true
    local upstream=""
    for ((i = 0; i < count; i++)); do
        $bin/cix serve --data "${directories[$i]}" --listen "127.0.0.1:${ports[$i]}" --page-cache 0 \
            > "$work/daemon$i.log" 2>&1 &
        pids+=($!)
        upstream+="        server 127.0.0.1:${ports[$i]};"$'\n'
    done
    for ((i = 0; i < count; i++)); do
        for _ in $(seq 1 100); do curl -sk -o /dev/null "https://127.0.0.1:${ports[$i]}/healthz" && break; sleep 0.1; done
    done
    mkdir -p "$work/nginx"
    cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    upstream cix {
$upstream        keepalive 64;
    }
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $node/tls/cert.pem;
        ssl_certificate_key $node/tls/key.pem;
        location / {
            proxy_pass https://cix;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_ssl_verify off;
        }
    }
}
CONF
    nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
    sleep 0.5
}

source Benchmarks/wrk-measure.sh
write_paced_lua "$work/paced.lua"

serve 1
issue=$(curl -sk "https://127.0.0.1:$nginx_port/api/v1/issues?limit=1&sort=reported" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["issues"][0]["id"])')
echo
if [ -n "$from" ]; then
    issues=$(PGPASSFILE=/dev/null PGPASSWORD=$(cat "$pg_root/password") "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U cix \
        -d postgres -tAc "SELECT count(*) FROM issue")
fi
echo "Machine: $(nproc) cores; PostgreSQL store: $issues issues; each run ${seconds}s; wrk 2 threads; through nginx"
printf "%-34s %10s %10s %10s\n" "target" "req/s" "p50" "p99"
base=https://127.0.0.1:$nginx_port
# Two searches: a fault on a street (about one issue in 36) and a number (a few issues).
targets=("list page|/issues" "issue page|/issues/$issue" "search|/issues?q=pothole+mill"
    "search, a rare word|/issues?q=124999" "JSON API|/api/v1/issues?status=$status")
kept=()
for target in "${targets[@]}"; do [[ " ${CIX_BENCH_SKIP:-} " == *" ${target%%|*} "* ]] || kept+=("$target"); done
targets=("${kept[@]}")
for count in 1 3; do
    serve $count
    echo "-- $count daemon(s), --page-cache 0"
    measure_targets "$base" "${targets[@]}"
done
