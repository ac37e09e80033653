#!/usr/bin/env bash
# A whole run against a portal whose rolling window is tiny (5 requests
# per 1.5 s): the client's limiter paces every request from the window the
# headers report, so the portal never answers 429, and every record and
# link still lands exactly once.
. "$(dirname "$0")/lib.sh"

ORACLE="$(dirname "$0")/oracle.py"
EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

assert_cmd "generate a small export" "$HSMIGRATE" generate salesforce \
    --out "$EXPORT" --accounts 20 --contacts 40 --leads 5 \
    --opportunities 20 --users 3 --seed 5
sandbox_start --rate-window-max 5 --rate-window-ms 1500 --latency-ms 20 \
    --shuffle-seed 9
assert_cmd "init" "$HSMIGRATE" init --source salesforce --input "$EXPORT" \
    --dir "$PROJECT"
owners_optional "$PROJECT"

"$HSMIGRATE" run --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run.json" 2>"$TEST_TMP/run.err"
rc=$?
[ "$rc" -eq 0 ] && pass "run finished" ||
    fail "run: exit $rc $(tail -n 2 "$TEST_TMP/run.err")"

stats=$(curl -s "$SANDBOX_URL/_sandbox/stats")
calls=$(jq '.total' <<<"$stats")
[ "${calls:-0}" -gt 10 ] && pass "the run needed more than two windows ($calls calls)" ||
    fail "too few calls to test pacing: $stats"
assert_eq 0 "$(jq '.rateLimited' <<<"$stats")" "the portal never answered 429"
assert_eq 0 "$(jq '.api["429"]' "$TEST_TMP/run.json")" "the client saw no 429"
assert_eq "$calls" "$(jq '.api.calls' "$TEST_TMP/run.json")" \
    "the client counts the calls the portal saw"
if python3 "$ORACLE" "$EXPORT" "$SANDBOX_URL" "$SANDBOX_TOKEN" \
    >"$TEST_TMP/oracle.out" 2>"$TEST_TMP/oracle.err"; then
    pass "every record once, every link (oracle)"
else
    fail "oracle: $(head -c 1500 "$TEST_TMP/oracle.err")"
fi

finish
