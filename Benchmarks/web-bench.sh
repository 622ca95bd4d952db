#!/usr/bin/env bash
# The public pages under load: wrk against a node holding ISSUES issues, beside
# nginx serving a static file over TLS on the same machine.
#
#   bash Benchmarks/web-bench.sh [ISSUES] [SECONDS]        (defaults 100000, 15)
#
# Needs: a release build (swift build -c release), and wrk and nginx
# (apt-get install wrk nginx). Everything listens on 127.0.0.1 only.
# Each target runs with the one-second page cache (the default) and without it
# (--page-cache 0, every request rendered). For each it prints two runs: the most requests per second wrk can get
# (2 threads, 32 connections), and a paced run near 1,000 requests per second
# (12 connections, each waiting 10 ms between requests) with its p99 latency.
set -euo pipefail
cd "$(dirname "$0")/.."
issues=${1:-100000}
seconds=${2:-15}
work=${CIX_BENCH_DIR:-/tmp/cix-web-bench-$issues}
cix_port=18443
nginx_port=18444
bin=.build/release

for tool in wrk nginx; do command -v $tool >/dev/null || { echo "$tool is needed: apt-get install $tool"; exit 1; }; done
[ -x $bin/cix ] && [ -x $bin/cix-bench ] || { echo "build first: swift build -c release"; exit 1; }

$bin/cix-bench webstore "$issues" "$work" $cix_port
node=$work/node

cleanup() {
    [ -n "${cix_pid:-}" ] && kill "$cix_pid" 2>/dev/null || true
    [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# Starts the node with a page cache lifetime (seconds; 0 renders every request).
serve() {
    [ -n "${cix_pid:-}" ] && kill "$cix_pid" 2>/dev/null && wait "$cix_pid" 2>/dev/null || true
    $bin/cix serve --data "$node" --listen 127.0.0.1:$cix_port --page-cache "$1" > "$work/cix.log" 2>&1 &
    cix_pid=$!
    for _ in $(seq 1 100); do curl -sk -o /dev/null https://127.0.0.1:$cix_port/healthz && break; sleep 0.1; done
}
serve 1

# nginx serves the node's own home page, saved as a static file, with the node's certificate.
mkdir -p "$work/nginx/www"
curl -sk https://127.0.0.1:$cix_port/ > "$work/nginx/www/index.html"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $node/tls/cert.pem;
        ssl_certificate_key $node/tls/key.pem;
        root $work/nginx/www;
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
sleep 0.5

issue=$(curl -sk "https://127.0.0.1:$cix_port/api/v1/issues?limit=1&sort=reported" | python3 -c 'import json,sys; print(json.load(sys.stdin)["issues"][0]["id"])')
source Benchmarks/wrk-measure.sh
write_paced_lua "$work/paced.lua"

echo
echo "Machine: $(nproc) cores; store: $issues issues; each run ${seconds}s; wrk 2 threads"
printf "%-34s %10s %10s %10s\n" "target" "req/s" "p50" "p99"
base=https://127.0.0.1:$cix_port
measure "nginx static (max)" https://127.0.0.1:$nginx_port/index.html -t2 -c32
targets=("list page|/issues" "issue page|/issues/$issue" "search|/issues?q=pothole+mill" "JSON API|/api/v1/issues?status=in_progress" "home page|/")
for cache in 1 0; do
    serve $cache
    echo "-- cix serve --page-cache $cache"
    measure_targets "$base" "${targets[@]}"
done
