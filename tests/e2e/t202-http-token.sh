#!/usr/bin/env bash
# The access token: a wrong one stops the run with exit 4 before any
# record is written; a right one never shows up in any output, log (even
# the -vvv HTTP trace), report or ledger file.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
SECRET="pat-na1-5ec12e7-0000-4bad-tok3n"
SANDBOX_TOKEN=$SECRET

assert_cmd "generate a small export" "$HSMIGRATE" generate salesforce \
    --out "$EXPORT" --accounts 5 --contacts 10 --leads 2 \
    --opportunities 5 --users 2 --seed 3
sandbox_start
assert_cmd "init" "$HSMIGRATE" init --source salesforce --input "$EXPORT" \
    --dir "$PROJECT"
owners_optional "$PROJECT"

HUBSPOT_ACCESS_TOKEN=wrong-token assert_exit 4 "a wrong token is exit 4" \
    "$HSMIGRATE" run --dir "$PROJECT" --api-base "$SANDBOX_URL"
grep -qi "401\|token" "$TEST_TMP/last.err" && pass "the error says why" ||
    fail "the error says why: $(tail -n 2 "$TEST_TMP/last.err")"
assert_eq 0 "$(api GET /crm/v3/objects/companies | jq '.results | length')" \
    "nothing was written"

HUBSPOT_ACCESS_TOKEN=$SECRET "$HSMIGRATE" run -vvv --dir "$PROJECT" \
    --api-base "$SANDBOX_URL" --json >"$TEST_TMP/run.out" 2>"$TEST_TMP/run.err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "run with the right token" ||
    fail "run: exit $rc $(tail -n 2 "$TEST_TMP/run.err")"
grep -q "trace: POST .*/batch/" "$TEST_TMP/run.err" &&
    pass "-vvv traces the HTTP calls" || fail "-vvv traces the HTTP calls"
if grep -rqF "$SECRET" "$TEST_TMP/run.out" "$TEST_TMP/run.err" "$PROJECT"; then
    fail "the token leaked: $(grep -rlF "$SECRET" "$TEST_TMP/run.out" \
        "$TEST_TMP/run.err" "$PROJECT")"
else
    pass "the token is in no output, log, report or ledger"
fi
grep -qi "authorization" "$TEST_TMP/run.err" &&
    fail "an Authorization header was logged" ||
    pass "no Authorization header in the trace"

# A rollback with a wrong token fails (exit 4) before undoing anything;
# status does not call the run rolled back, not even in part.
before=$(api GET "/crm/v3/objects/contacts?limit=100" | jq '.results | length')
HUBSPOT_ACCESS_TOKEN=wrong-token assert_exit 4 "a rollback with a wrong token" \
    "$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --yes --json
assert_eq "auth 4" "$(jq -r '[.status, .exit] | join(" ")' "$TEST_TMP/last.out")" \
    "rollback --json: status auth, exit 4"
for cmd in check verify; do
    HUBSPOT_ACCESS_TOKEN=wrong-token assert_exit 4 "$cmd with a wrong token" \
        "$HSMIGRATE" $cmd --dir "$PROJECT" --api-base "$SANDBOX_URL" --json
    jq -e --arg c "$cmd" '.command == $c and .status == "auth" and .exit == 4
        and (.error | length > 0)' "$TEST_TMP/last.out" >/dev/null &&
        pass "$cmd --json says why it stopped" ||
        fail "$cmd --json: $(cat "$TEST_TMP/last.out")"
done
assert_eq "$before" "$(api GET "/crm/v3/objects/contacts?limit=100" |
    jq '.results | length')" "the rollback archived nothing"
HUBSPOT_ACCESS_TOKEN=$SECRET assert_exit 0 "status" "$HSMIGRATE" status \
    --dir "$PROJECT" --json
assert_eq "none failed" "$(jq -r '.runs[] | select(.command == "run") |
    .rolled_back | [.state, .rollbacks[0].status] | join(" ")' \
    "$TEST_TMP/last.out" | tail -1)" \
    "status: the run is rolled back 'none', by a rollback that failed"

# A token with a line break or a space is refused before any request (it
# would otherwise add a header of its own), and so is an API base that is
# not an http(s) URL with a host; neither is echoed back.
total() { curl -s "$SANDBOX_URL/_sandbox/stats" | jq .total; }
sent=$(total)
HUBSPOT_ACCESS_TOKEN=$'abc\r\nX-Injected: yes' assert_exit 2 \
    "a token with a line break" "$HSMIGRATE" verify --dir "$PROJECT" \
    --api-base "$SANDBOX_URL"
grep -q "HUBSPOT_ACCESS_TOKEN holds a line break at character 4" \
    "$TEST_TMP/last.err" && pass "the error says where" ||
    fail "error: $(cat "$TEST_TMP/last.err")"
grep -q "Injected" "$TEST_TMP/last.err" && fail "the token is echoed" ||
    pass "the token is not echoed"
HUBSPOT_ACCESS_TOKEN="$SECRET " assert_exit 2 "a token with a space" \
    "$HSMIGRATE" check --dir "$PROJECT" --api-base "$SANDBOX_URL"
assert_eq "$sent" "$(total)" "neither sent a request"
for base in "" "notaurl" "ftp://example.org" "http://[::1"; do
    HUBSPOT_ACCESS_TOKEN=$SECRET assert_exit 2 "API base '$base'" \
        "$HSMIGRATE" verify --dir "$PROJECT" --api-base "$base"
    grep -q "is not an http:// or https:// URL with a host" \
        "$TEST_TMP/last.err" && pass "API base '$base' is named a usage error" ||
        fail "API base '$base': $(cat "$TEST_TMP/last.err")"
done

finish
