#!/usr/bin/env bash
# Ctrl-C in the middle of a run: it stops cleanly after the requests in
# flight, exits 5, says how to go on, and the same command then finishes
# the migration: the portal equals a clean run's (oracle).
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 150 \
    --contacts 400 --leads 50 --opportunities 150 --users 4 --seed 41 \
    >/dev/null
sandbox_start --latency-ms 300 --shuffle-seed 4
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"

"$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    >"$TEST_TMP/int.out" 2>"$TEST_TMP/int.err" &
pid=$!
if wait_rows "SELECT count(*) FROM records WHERE object = 'companies'" 1 \
    "$pid"; then
    kill -INT "$pid"
    pass "a run was interrupted with companies in the ledger"
else
    fail "the run ended before it could be interrupted"
fi
wait "$pid"
assert_eq 5 "$?" "an interrupted run exits 5"
grep -q "stopped: interrupted" "$TEST_TMP/int.err" &&
    grep -q "run the same command again to go on" "$TEST_TMP/int.err" &&
    pass "it says it was interrupted and how to go on" ||
    fail "interrupted run said: $(tail -3 "$TEST_TMP/int.err")"
pending=$(sqlite3 "$PROJECT/ledger.db" "SELECT count(*) FROM records WHERE
    state = 0")
assert_eq 0 "$pending" "no write is left unconfirmed after a clean stop"
assert_exit 0 "status after the interruption" "$HSMIGRATE" status \
    --dir "$PROJECT" --json
assert_eq "1 0" "$(jq -r '[.phases[]] | [map(select(. == "interrupted")) |
    length, (map(select(. == "running")) | length)] | join(" ")' \
    "$TEST_TMP/last.out")" "status: the phase it stopped in is interrupted, none running"

run_to_end "the same command again"
assert_exit 0 "status after the rerun" "$HSMIGRATE" status --dir "$PROJECT" \
    --json
assert_eq "done done done done done" "$(jq -r '[.phases[]] | join(" ")' \
    "$TEST_TMP/last.out")" "status: every phase done"
assert_oracle "portal equals a clean run (oracle)" "$EXPORT"

finish
