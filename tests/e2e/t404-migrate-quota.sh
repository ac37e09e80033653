#!/usr/bin/env bash
# The daily quota floor: the run stops cleanly before the portal's daily
# remaining falls below the configured floor (exit 5, no DAILY 429), the
# ledger says where it stopped, and a later run with quota left finishes
# the job without duplicating anything.
. "$(dirname "$0")/lib.sh"

ORACLE="$(dirname "$0")/oracle.py"
EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 2000 \
    --contacts 300 --leads 0 --opportunities 50 --users 3 --seed 51 \
    >/dev/null
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
sed -i -e 's/daily_quota_floor: "5000"/daily_quota_floor: "20"/' \
    -e 's/concurrency: "16"/concurrency: "2"/' "$PROJECT/hsmigrate.yaml"

# A portal with 40 requests left today: the floor of 20 leaves 20, of
# which the schema reads and property creations take about 9 (companies
# need no reads when the run creates their source-id property).
sandbox_start --daily-limit 40 --data "$TEST_TMP/portal"
assert_exit 5 "the run stops at the floor" "$HSMIGRATE" run --dir "$PROJECT" \
    --api-base "$SANDBOX_URL" --json
run1=$(cat "$TEST_TMP/last.out")
assert_eq "stopped" "$(jq -r .status <<<"$run1")" "the summary says stopped"
stats=$(curl -s "$SANDBOX_URL/_sandbox/stats")
assert_eq "0" "$(jq '[.byEndpoint[].byStatus["429"] // 0] | add' <<<"$stats")" \
    "no 429 was provoked"
companies=$(jq '.objects.companies.created' <<<"$run1")
# The export's live accounts (the run stops reading when it stops).
live=$(python3 -c 'import csv, sys
rows = csv.DictReader(open(sys.argv[1], encoding="utf-8", newline=""))
print(sum(1 for r in rows if r["IsDeleted"] != "1"))' "$EXPORT/Account.csv")
[ "$companies" -gt 0 ] && [ "$companies" -lt "$live" ] &&
    pass "part of the companies landed ($companies)" ||
    fail "part of the companies landed: $companies"
# Stopped, the run reads no further than the batches it had in flight
# (two of 100): rows it never sent are not reported as unanswered.
unsent=$(jq '.objects.companies.read - .objects.companies.created' <<<"$run1")
[ "$unsent" -le 200 ] && pass "reading stops with the run ($unsent unsent)" ||
    fail "the stopped run kept reading: $unsent rows read but not written"
assert_exit 0 "status reads the ledger" "$HSMIGRATE" status --dir "$PROJECT" \
    --json
assert_eq "not started" "$(jq -r .phases.links "$TEST_TMP/last.out")" \
    "links never started"

# The next day: the same portal with its budget back.
sandbox_stop
sandbox_start --daily-limit unlimited --data "$TEST_TMP/portal"
"$HSMIGRATE" run --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run2.json" 2>"$TEST_TMP/run2.err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "the resumed run finished" ||
    fail "resumed run: exit $rc $(tail -3 "$TEST_TMP/run2.err")"
assert_eq "$live" "$(jq ".objects.companies.created + $companies" \
    "$TEST_TMP/run2.json")" "every company created exactly once over both runs"
if python3 "$ORACLE" "$EXPORT" "$SANDBOX_URL" "$SANDBOX_TOKEN" \
    >"$TEST_TMP/oracle.out" 2>"$TEST_TMP/oracle.err"; then
    pass "portal equals a clean run (oracle)"
else
    fail "oracle: $(head -c 1500 "$TEST_TMP/oracle.err")"
fi

finish
