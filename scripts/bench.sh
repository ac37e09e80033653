#!/usr/bin/env bash
# make bench: migrate a generated export into a sandbox portal at
# professional limits with 300 ms latency, and report API calls by kind,
# 429s, wall time next to the rate-limit floor, CPU time and peak RSS.
# Then the same with the export doubled, to show memory stays flat.
# Targets: zero 429s; wall <= 1.15 x floor; peak RSS < 100 MB, flat.
# First, `check` over a generated export of BENCH_CHECK_ROWS rows
# (1,000,000 by default): target >= 300,000 rows/s on one core, peak RSS
# < 100 MB. BENCH_CHECK_ONLY=1 stops after it; BENCH_CHECK=0 skips it.
# BENCH_SCALES ("1 2"), BENCH_CONCURRENCY (the config's run.concurrency) and
# BENCH_DIR (build/bench) change what is measured and where.
set -eu
cd "$(dirname "$0")/.."

bin=$PWD/build/hsmigrate
root=${BENCH_DIR:-$PWD/build/bench}
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

# The export's users as HubSpot owners (inactive ones archived), so
# owner columns map as they would in a prepared portal.
owners_seed() {
    python3 scripts/owners-seed.py "$1" >"$2"
}

start_sandbox() {
    local dir=$1 fifo=$1.fifo line
    rm -f "$fifo"
    mkfifo "$fifo"
    "$bin" sandbox --port 0 --token "$token" --tier professional \
        --latency-ms "$latency" --data "$dir" --seed-file "$dir.seed.json" \
        >"$fifo" 2>"$dir.log" &
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
    owners_seed "$dir/export" "$dir/portal.seed.json"
    "$bin" init -q --source salesforce --input "$dir/export" \
        --dir "$dir/project" >/dev/null
    if [ -n "${BENCH_CONCURRENCY:-}" ]; then
        sed -i "s/concurrency: \"[0-9]*\"/concurrency: \"$BENCH_CONCURRENCY\"/" \
            "$dir/project/hsmigrate.yaml"
    fi
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

# check reads the portal's schema once, then maps every row locally.
bench_check() {
    local rows=${BENCH_CHECK_ROWS:-1000000} dir=$root/check
    local a c l o wall user sys rss read
    a=$((rows / 5)) c=$((rows * 3 / 5)) l=$((rows / 10))
    o=$((rows - a - c - l))
    rm -rf "$dir"
    mkdir -p "$dir/portal"
    echo "== check: $rows rows ($a accounts, $c contacts, $l leads," \
        "$o opportunities)"
    "$bin" generate salesforce --out "$dir/export" --accounts "$a" \
        --contacts "$c" --leads "$l" --opportunities "$o" --seed 7 >/dev/null
    owners_seed "$dir/export" "$dir/portal.seed.json"
    "$bin" init -q --source salesforce --input "$dir/export" \
        --dir "$dir/project" >/dev/null
    latency=0 start_sandbox "$dir/portal"
    HUBSPOT_ACCESS_TOKEN=$token /usr/bin/time -f '%e %U %S %M' \
        -o "$dir/time.txt" "$bin" check -q --dir "$dir/project" \
        --api-base "$url" --json >"$dir/check.json" || true
    kill "$sandbox_pid"
    wait "$sandbox_pid" 2>/dev/null || true
    sandbox_pid=""
    read -r wall user sys rss <"$dir/time.txt"
    read=$(jq '[.objects[] | .read + .skipped] | add' "$dir/check.json")
    echo "   exit            $(jq '.exit' "$dir/check.json")" \
        "(problems $(jq '.problems' "$dir/check.json"))"
    echo "   rows checked    $read (+ $(jq '[.links[]] | add' \
        "$dir/check.json") link rows counted)"
    echo "   wall time       ${wall} s; cpu user ${user} s, sys ${sys} s"
    echo "   rows per second $(echo "$read / $wall" | bc) (target 300000)"
    echo "   peak rss        $((rss / 1024)) MB (target < 100)"
}

[ "${BENCH_CHECK:-1}" = 0 ] || bench_check
[ "${BENCH_CHECK_ONLY:-0}" = 1 ] && exit 0
for s in $scales; do
    bench_one "$s"
done
