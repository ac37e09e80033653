#!/usr/bin/env bash
# A run killed at random points and resumed ends equal to a clean run:
# the independent oracle finds every record once and every link.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN
seed=${KILL_SEED:-$((RANDOM))}
RANDOM=$seed
echo "kill seed $seed (rerun with KILL_SEED=$seed)"

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 60 \
    --contacts 150 --leads 40 --opportunities 70 --users 5 --seed 31 \
    >/dev/null
sandbox_start --latency-ms 40 --shuffle-seed 9
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"

# Kill points chosen by progress, not by time (a run of this export takes
# about a second): in each record phase and in the link passes. A point
# the ledger has already passed kills the next run during its first
# reads. The export gives about 300 records and 250 links.
points=("records $((RANDOM % 60 + 1))" "records $((RANDOM % 150 + 61))"
    "records $((RANDOM % 60 + 215))" "associations $((RANDOM % 150 + 1))")
kills=0
for point in "${points[@]}"; do
    read -r table n <<<"$point"
    "$HSMIGRATE" run --allow-rejects -q --dir "$PROJECT" --api-base "$SANDBOX_URL" \
        >/dev/null 2>&1 &
    pid=$!
    wait_rows "SELECT count(*) FROM $table" "$n" "$pid"
    if kill -9 "$pid" 2>/dev/null; then
        kills=$((kills + 1))
        echo "killed at $table >= $n"
    fi
    wait "$pid" 2>/dev/null
done
[ "$kills" -ge 3 ] && pass "killed $kills runs part-way" ||
    fail "only $kills of 4 runs were killed before they ended"
run_to_end "the resumed run"
assert_oracle "portal equals a clean run (oracle)" "$EXPORT"
assert_exit 0 "verify finds no duplicates" "$HSMIGRATE" verify \
    --dir "$PROJECT" --api-base "$SANDBOX_URL"

finish
