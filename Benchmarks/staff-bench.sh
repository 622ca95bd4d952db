#!/usr/bin/env bash
# The staff console under load: wrk with a signed-in session against a police
# node holding ISSUES issues routed to it and STAFF accounts.
#
#   bash Benchmarks/staff-bench.sh [ISSUES] [STAFF] [SECONDS]     (defaults 100000, 50, 15)
#
# Needs: a release build (swift build -c release) and wrk (apt-get install wrk).
# Everything listens on 127.0.0.1 only. For the inbox, a case page and the
# figures page (a year of answers) it prints the most requests per second wrk
# gets (2 threads, 8 connections) and a paced run (4 connections, each waiting
# 10 ms between requests) with its p50 and p99 latency; then the inbox of an
# officer limited to one ward (deploy/wards.example.geojson as the node's named
# areas). Staff pages are never cached, so every request is rendered.
set -euo pipefail
cd "$(dirname "$0")/.."
issues=${1:-100000}
staff=${2:-50}
seconds=${3:-15}
work=${CIX_BENCH_DIR:-/tmp/cix-staff-bench-$issues}
port=18445
bin=.build/release

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
[ -x $bin/cix ] && [ -x $bin/cix-bench ] || { echo "build first: swift build -c release"; exit 1; }

$bin/cix-bench staffstore "$issues" "$staff" "$work" $port
node=$work/node
cookie=$(cat "$work/cookie")
area_cookie=$(cat "$work/cookie-area")
issue=$(cat "$work/issue")

$bin/cix serve --data "$node" --listen 127.0.0.1:$port > "$work/cix.log" 2>&1 &
cix_pid=$!
trap 'kill $cix_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sk -o /dev/null https://127.0.0.1:$port/healthz && break; sleep 0.1; done
status=$(curl -sk -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" https://127.0.0.1:$port/staff)
[ "$status" = 200 ] || { echo "the session does not work: /staff answered $status"; exit 1; }

cat > "$work/paced.lua" <<'LUA'
function delay() return 10 end
LUA

measure() {
    local name=$1 url=$2
    shift 2
    local out rps p50 p99 errors
    out=$(wrk --latency -d "${seconds}s" -H "Cookie: $cookie" "$@" "$url")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")
    printf "%-30s %10s %10s %10s  %s\n" "$name" "$rps" "$p50" "$p99" "$errors"
}

echo
echo "Machine: $(nproc) cores; $issues issues, $staff staff accounts; each run ${seconds}s; wrk 2 threads"
printf "%-30s %10s %10s %10s\n" "target" "req/s" "p50" "p99"
base=https://127.0.0.1:$port
from=$(date -u -d '1 year ago' +%F)
to=$(date -u +%F)
# The first ask for a period counts it (then it is cached): timed on its own, since under wrk it
# may take longer than wrk's 2 s timeout on a cold store.
first=$(curl -sk -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$base/staff/figures?from=$from&to=$to")
printf "%-30s %10s %10s %10s\n" "figures, a year (first, uncached)" "-" "${first}s" "-"
for target in "inbox|/staff" "case page|/staff/cases/$issue" "figures, a year (cached)|/staff/figures?from=$from&to=$to"; do
    name=${target%%|*}
    path=${target#*|}
    measure "$name (max)" "$base$path" -t2 -c8
    measure "$name (paced)" "$base$path" -t2 -c4 -s "$work/paced.lua"
done
# A case officer limited to one ward: the inbox tests each candidate's place against the ward.
cookie=$area_cookie
measure "inbox, one ward (max)" "$base/staff" -t2 -c8
measure "inbox, one ward (paced)" "$base/staff" -t2 -c4 -s "$work/paced.lua"
