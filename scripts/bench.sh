#!/usr/bin/env bash
# make bench: migrate a generated export into a sandbox portal at
# professional limits with 300 ms latency, and report API calls by kind,
# 429s, wall time next to the rate-limit floor, CPU time and peak RSS.
# Then the same with the export doubled, to show memory stays flat.
# Targets: zero 429s; wall <= 1.15 x floor; peak RSS < 100 MB, flat.
set -eu
cd "$(dirname "$0")/.."

bin=$PWD/build/hsmigrate
root=$PWD/build/bench
accounts=${BENCH_ACCOUNTS:-50000}
contacts=${BENCH_CONTACTS:-100000}
opps=${BENCH_OPPORTUNITIES:-30000}
latency=${BENCH_LATENCY_MS:-300}
scales=${BENCH_SCALES:-1 2}
token=bench-token
sandbox_pid=""

command -v /usr/bin/time >/dev/null || {
    echo "bench: GNU time is missing (apt-get install time)" >&2
    exit 1
}
cleanup() {
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
    wait 2>/dev/null || true
}
trap cleanup EXIT

start_sandbox() {
    local dir=$1 fifo=$1.fifo line
    rm -f "$fifo"
    mkfifo "$fifo"
    "$bin" sandbox --port 0 --token "$token" --tier professional \
        --latency-ms "$latency" --data "$dir" >"$fifo" 2>"$dir.log" &
    sandbox_pid=$!
    read -r line <"$fifo"
    rm -f "$fifo"
    url=${line#listening on }
}

bench_one() {
    local scale=$1 dir=$root/x$1
    local a=$((accounts * scale)) c=$((contacts * scale)) o=$((opps * scale))

    rm -rf "$dir"
    mkdir -p "$dir/portal"
    echo "== scale x$scale: $a accounts, $c contacts, $o opportunities"
    "$bin" generate salesforce --out "$dir/export" --accounts "$a" \
        --contacts "$c" --leads 0 --opportunities "$o" --seed 42 >/dev/null
    "$bin" init -q --source salesforce --input "$dir/export" \
        --dir "$dir/project" >/dev/null
    start_sandbox "$dir/portal"
    HUBSPOT_ACCESS_TOKEN=$token /usr/bin/time -f '%e %U %S %M' \
        -o "$dir/time.txt" "$bin" run --allow-rejects -q --dir "$dir/project" \
        --api-base "$url" --json >"$dir/run.json" || true
    kill "$sandbox_pid"
    wait "$sandbox_pid" 2>/dev/null || true
    sandbox_pid=""
    report "$dir"
}

report() {
    local dir=$1 wall user sys rss calls floor
    read -r wall user sys rss <"$dir/time.txt"
    calls=$(jq '.api.calls' "$dir/run.json")
    floor=$(echo "scale=1; $calls / 19" | bc)
    echo "   exit status     $(jq -r '.status' "$dir/run.json")"
    echo "   api calls       $calls  $(jq -c '.api | del(.calls, .retries, .["429"])' "$dir/run.json")"
    echo "   429s received   $(jq '.api["429"]' "$dir/run.json")"
    echo "   wall time       ${wall} s (floor $floor s = calls / 19 per s;" \
        "ratio $(echo "scale=3; $wall / $floor" | bc))"
    echo "   cpu time        user ${user} s, sys ${sys} s"
    echo "   peak rss        $((rss / 1024)) MB"
    echo "   records         $(jq -c '[.objects[] | .created + .updated]' "$dir/run.json")"
    echo "   associations    $(jq -c '[.associations[] | .created]' "$dir/run.json")"
}

for s in $scales; do
    bench_one "$s"
done
