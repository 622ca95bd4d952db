# Shared by the wrk benchmarks: source it after setting `seconds` (each run's length).

# Writes a wrk script in which each connection waits 10 ms after each response:
# 12 connections then give about 1,000 requests/s.
write_paced_lua() {
    cat > "$1" <<'LUA'
-- Each connection waits 10 ms after each response: 12 connections give about 1,000 requests/s.
function delay() return 10 end
LUA
}

# Prints: name, requests/s, p50, p99 (and any errors) for one wrk run: measure NAME URL [WRK ARGS...].
measure() {
    local name=$1 url=$2 shift_args=("${@:3}")
    local out rps p50 p99 errors
    out=$(wrk --latency -d "${seconds}s" "${shift_args[@]}" "$url")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")
    printf "%-34s %10s %10s %10s  %s\n" "$name" "$rps" "$p50" "$p99" "$errors"
}

# For each "name|path" target: the most requests/s wrk gets (2 threads, 32 connections),
# and a paced run near 1,000/s (12 connections; needs `write_paced_lua "$work/paced.lua"`).
# measure_targets BASE TARGET...
measure_targets() {
    local base=$1 target name path
    shift
    for target in "$@"; do
        name=${target%%|*}
        path=${target#*|}
        measure "$name (max)" "$base$path" -t2 -c32
        measure "$name (paced ~1000/s)" "$base$path" -t2 -c12 -s "$work/paced.lua"
    done
}
