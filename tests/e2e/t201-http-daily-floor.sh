#!/usr/bin/env bash
# The daily quota floor: a run stops cleanly (exit 5) before the portal's
# daily remaining falls below the configured floor, never reaching a DAILY
# 429; with the floor lowered, the next run resumes and the portal ends
# with every record and link exactly once.
. "$(dirname "$0")/lib.sh"

ORACLE="$(dirname "$0")/oracle.py"
EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

assert_cmd "generate a small export" "$HSMIGRATE" generate salesforce \
    --out "$EXPORT" --accounts 20 --contacts 40 --leads 5 \
    --opportunities 20 --users 3 --seed 5
sandbox_start --daily-limit 60
assert_cmd "init" "$HSMIGRATE" init --source salesforce --input "$EXPORT" \
    --dir "$PROJECT"
owners_optional "$PROJECT"
sed -i 's/daily_quota_floor: "[0-9]*"/daily_quota_floor: "45"/' \
    "$PROJECT/hsmigrate.yaml"
grep -q 'daily_quota_floor: "45"' "$PROJECT/hsmigrate.yaml" &&
    pass "floor set to 45" || fail "floor set to 45"

assert_exit 5 "the run stops at the floor" "$HSMIGRATE" run --dir "$PROJECT" \
    --api-base "$SANDBOX_URL"
grep -q "floor of 45" "$TEST_TMP/last.err" && pass "the floor is named" ||
    fail "the floor is named: $(tail -n 2 "$TEST_TMP/last.err")"
stats=$(curl -s "$SANDBOX_URL/_sandbox/stats")
used=$(jq '.total' <<<"$stats")
# Requests already in flight when the floor showed may finish, no more.
[ "${used:-99}" -le 15 ] && pass "stopped at the floor ($used of 60 used)" ||
    fail "used $used of 60 with a floor of 45"
assert_eq 0 "$(jq '.rateLimited' <<<"$stats")" "no DAILY 429 was reached"

sed -i 's/daily_quota_floor: "45"/daily_quota_floor: "0"/' \
    "$PROJECT/hsmigrate.yaml"
"$HSMIGRATE" run --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    >"$TEST_TMP/run2.out" 2>"$TEST_TMP/run2.err"
rc=$?
[ "$rc" -eq 0 ] && pass "the rerun completes" ||
    fail "rerun: exit $rc $(tail -n 2 "$TEST_TMP/run2.err")"
if python3 "$ORACLE" "$EXPORT" "$SANDBOX_URL" "$SANDBOX_TOKEN" \
    >"$TEST_TMP/oracle.out" 2>"$TEST_TMP/oracle.err"; then
    pass "every record once, every link (oracle)"
else
    fail "oracle: $(head -c 1500 "$TEST_TMP/oracle.err")"
fi

finish
