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
sandbox_start --latency-ms 15 --shuffle-seed 9
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"

kills=0
for attempt in 1 2 3 4; do
    "$HSMIGRATE" run --allow-rejects -q --dir "$PROJECT" --api-base "$SANDBOX_URL" \
        >/dev/null 2>&1 &
    pid=$!
    sleep "0.$((RANDOM % 9 + 1))"
    if kill -9 "$pid" 2>/dev/null; then
        kills=$((kills + 1))
    fi
    wait "$pid" 2>/dev/null
done
echo "killed $kills runs"
run_to_end "the resumed run"
assert_oracle "portal equals a clean run (oracle)" "$EXPORT"
assert_exit 0 "verify finds no duplicates" "$HSMIGRATE" verify \
    --dir "$PROJECT" --api-base "$SANDBOX_URL"

finish
