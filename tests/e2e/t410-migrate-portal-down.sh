#!/usr/bin/env bash
# The portal stops answering in the middle of a run: the run gives up
# soon after its first request has spent its attempts on refused
# connections (it does not try every remaining batch six times), says so,
# exits 1, and the same command finishes the migration once the portal
# is back, with nothing duplicated.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
PORTAL=$TEST_TMP/portal
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 60 \
    --contacts 600 --leads 0 --opportunities 60 --users 3 --seed 410 \
    >/dev/null
sandbox_start --data "$PORTAL" --latency-ms 150 || finish
port=${SANDBOX_URL##*:}
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
sed -i 's/concurrency: "[0-9]*"/concurrency: "2"/' "$PROJECT/hsmigrate.yaml"

"$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    --json >"$TEST_TMP/run1.json" 2>"$TEST_TMP/run1.err" &
pid=$!
wait_rows "SELECT count(*) FROM records WHERE object = 'contacts' AND
    state = 1" 100 "$pid" && pass "the run was writing contacts" ||
    fail "the run wrote no contacts before it ended"
sandbox_stop
wait "$pid"
assert_eq 1 "$?" "the run exits 1 when the portal stops answering"
grep -q "the portal at $SANDBOX_URL is not answering" "$TEST_TMP/run1.err" &&
    pass "it says the portal is not answering" ||
    fail "no word of the portal: $(tail -3 "$TEST_TMP/run1.err")"
assert_eq "error" "$(jq -r .status "$TEST_TMP/run1.json")" \
    "--json status error"
jq -r .error "$TEST_TMP/run1.json" | grep -q "run again once it answers" &&
    pass "--json says to run again" || fail "--json error: $(jq .error "$TEST_TMP/run1.json")"
# Each batch cut off counts its requests; six tries of every remaining
# batch would be many more than the concurrency's worth.
tries=$(grep -c "Couldn't connect to server" "$TEST_TMP/run1.err")
[ "$tries" -le 20 ] && pass "few refused requests were reported ($tries)" ||
    fail "$tries refused requests reported"
"$HSMIGRATE" status --dir "$PROJECT" --json >"$TEST_TMP/status.json"
jq -e '[.phases[]] | index("failed")' "$TEST_TMP/status.json" >/dev/null &&
    pass "status shows the phase that failed" ||
    fail "status phases: $(jq -c .phases "$TEST_TMP/status.json")"

sandbox_start --data "$PORTAL" --port "$port" || finish
assert_eq "$port" "${SANDBOX_URL##*:}" "the portal is back on its port"
run_to_end rerun
assert_oracle "every record once, every link, after the outage" "$EXPORT"
"$HSMIGRATE" verify --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/verify.json" 2>/dev/null
assert_eq 0 "$?" "verify finds nothing missing or duplicated"

finish
