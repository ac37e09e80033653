#!/usr/bin/env bash
# A run killed half-way is rolled back, and that rollback is itself killed
# half-way and run again: the portal ends in its seeded state, with no
# record left over from the run (writes the ledger never saw confirmed
# are found by their source id), and the ledger holds nothing of the run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rollback_lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 80 \
    --contacts 400 --leads 0 --opportunities 60 --users 3 --seed 62 >/dev/null
email=$(first_emails "$EXPORT/Contact.csv" 1)
cat >"$TEST_TMP/seed.json" <<JSON
{"records": {
  "contacts": [
    {"id": "9001", "properties": {"email": "$email", "firstname": "Before",
      "jobtitle": "Old title"}},
    {"id": "9002", "properties": {"email": "other@example.org",
      "firstname": "Other"}}],
  "companies": [{"id": "8001", "properties": {"name": "Seeded Co"}}]
}}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json" --latency-ms 20 || finish
save_portal before
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"

"$HSMIGRATE" run -q --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    >/dev/null 2>&1 &
pid=$!
if wait_rows "SELECT count(*) FROM records WHERE state = 1 AND object = 'contacts'" 150 $pid; then
    kill -9 $pid 2>/dev/null
    pass "the run was killed half-way"
else
    fail "the run ended before it could be killed"
fi
wait $pid 2>/dev/null
total=$(sqlite3 "$PROJECT/ledger.db" "SELECT count(*) FROM records WHERE
    state = 1")
[ "$total" -gt 0 ] && pass "the killed run created records ($total)" ||
    fail "the killed run created nothing"

"$HSMIGRATE" rollback --yes -q --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    >/dev/null 2>&1 &
pid=$!
if wait_rows "SELECT count(*) FROM rollback_items WHERE outcome = 'archived'" 50 $pid; then
    kill -9 $pid 2>/dev/null
    pass "the rollback was killed half-way"
else
    fail "the rollback ended before it could be killed"
fi
wait $pid 2>/dev/null
rolled() { # how status --json says the run was rolled back
    "$HSMIGRATE" status --dir "$PROJECT" --json | jq -r '.runs[0].rolled_back |
        "\(.state) \(.left > 0) \([.rollbacks[] | "\(.status)/\(.archived > 0)"]
        | join(","))"'
}
assert_eq "partial true running/true" "$(rolled)" \
    "status: the run is partly rolled back, by a rollback that never finished"

"$HSMIGRATE" rollback --yes --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    --json >"$TEST_TMP/rb.json" 2>"$TEST_TMP/rb.err"
assert_eq 0 "$?" "the resumed rollback finishes"
assert_eq "complete false running/true,done/true" "$(rolled)" \
    "status: the run is rolled back completely, by both rollbacks"
assert_portal before "the portal equals the seeded state"
assert_eq "[]" "$(links contacts 9001 companies)" \
    "the seeded contact has no association left from the run"
assert_eq 0 "$(sqlite3 "$PROJECT/ledger.db" "SELECT count(*) FROM records")" \
    "the ledger holds no record of the run"
assert_eq 0 "$(sqlite3 "$PROJECT/ledger.db" "SELECT count(*) FROM
    associations WHERE created = 1")" "nor any association it created"

# A later run migrates everything again, from scratch.
"$HSMIGRATE" run -q --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/rerun.json" 2>/dev/null
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "a run after the rollback finishes" ||
    fail "run after rollback: exit $rc"
assert_eq "1" "$(jq '.objects.contacts.updated' "$TEST_TMP/rerun.json")" \
    "it finds the seeded contact again and updates it"
[ "$(jq '.objects.contacts.created' "$TEST_TMP/rerun.json")" -gt 0 ] &&
    pass "it creates the contacts again" || fail "the rerun created nothing"

finish
