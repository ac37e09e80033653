#!/usr/bin/env bash
# Injected 5xx and 423 answers and dropped responses (writes committed but
# the answer lost) leave no duplicates, and every record lands once.
. "$(dirname "$0")/lib.sh"

ORACLE="$(dirname "$0")/oracle.py"
EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 40 \
    --contacts 100 --leads 20 --opportunities 40 --users 4 --seed 41 \
    >/dev/null
sandbox_start --shuffle-seed 3
curl -s -X POST "$SANDBOX_URL/_sandbox/faults" -H 'Content-Type: application/json' \
    -d '{"seed": 7, "errorRate": 0.15, "statuses": [500, 502, 503, 504, 423], "dropRate": 0.1}' \
    >/dev/null
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
"$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run.json" 2>"$TEST_TMP/run.err"
rc=$?
# With faults on, a few writes may still be unsettled after every retry:
# the rerun (faults off) settles them without duplicating anything.
curl -s -X POST "$SANDBOX_URL/_sandbox/faults" -H 'Content-Type: application/json' \
    -d '{"errorRate": 0, "dropRate": 0}' >/dev/null
"$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run2.json" 2>"$TEST_TMP/run2.err"
rc2=$?
[ "$rc2" -eq 0 ] || [ "$rc2" -eq 3 ] && pass "runs finished ($rc, $rc2)" ||
    fail "rerun: exit $rc2 $(tail -3 "$TEST_TMP/run2.err")"
stats=$(curl -s "$SANDBOX_URL/_sandbox/stats")
dropped=$(jq '.dropped' <<<"$stats")
[ "${dropped:-0}" -gt 0 ] && pass "responses were dropped ($dropped)" ||
    fail "no response was dropped: $stats"
[ "$(jq '.api.retries' "$TEST_TMP/run.json")" -gt 0 ] &&
    pass "the client retried" || fail "the client never retried"
if python3 "$ORACLE" "$EXPORT" "$SANDBOX_URL" "$SANDBOX_TOKEN" \
    >"$TEST_TMP/oracle.out" 2>"$TEST_TMP/oracle.err"; then
    pass "every record once, every link (oracle)"
else
    fail "oracle: $(head -c 1500 "$TEST_TMP/oracle.err")"
fi

finish
