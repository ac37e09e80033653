#!/usr/bin/env bash
# The sandbox portal's basics: startup line, token, correlation ids, admin
# stats, flags and a clean stop.
. "$(dirname "$0")/lib.sh"

UUID_RE='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

assert_exit 2 "unknown tier is a usage error" \
    "$HSMIGRATE" sandbox --port 0 --tier platinum
grep -q "invalid value 'platinum' for --tier" "$TEST_TMP/last.err" &&
    pass "bad tier is named" || fail "bad tier is named"
assert_exit 2 "bad port is a usage error" "$HSMIGRATE" sandbox --port 70000
assert_exit 0 "help" "$HSMIGRATE" sandbox --help
grep -q -- "--shuffle-seed" "$TEST_TMP/last.out" &&
    pass "help lists flags" || fail "help lists flags"

sandbox_start
[[ "$SANDBOX_URL" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] &&
    pass "first line names the loopback url" ||
    fail "first line names the loopback url: '$SANDBOX_URL'"

# No token, a wrong token, and a malformed header are all refused.
code=$(curl -s -o "$TEST_TMP/b" -w '%{http_code}' \
    "$SANDBOX_URL/crm/v3/objects/contacts")
assert_eq 401 "$code" "missing token gives 401"
assert_eq INVALID_AUTHENTICATION "$(jq -r .category "$TEST_TMP/b")" \
    "401 category"
assert_eq error "$(jq -r .status "$TEST_TMP/b")" "401 status field"
[[ "$(jq -r .correlationId "$TEST_TMP/b")" =~ $UUID_RE ]] &&
    pass "401 body has a correlation id" ||
    fail "401 body has a correlation id"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' \
    "$SANDBOX_URL/crm/v3/objects/contacts")
assert_eq 401 "$code" "wrong token gives 401"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $SANDBOX_TOKEN" \
    "$SANDBOX_URL/crm/v3/objects/contacts")
assert_eq 401 "$code" "token without Bearer gives 401"

# Every response carries a correlation id, fresh each time.
curl -s -D "$TEST_TMP/h1" -o /dev/null "$SANDBOX_URL/nothing/here"
curl -s -D "$TEST_TMP/h2" -o /dev/null -H "Authorization: Bearer $SANDBOX_TOKEN" \
    "$SANDBOX_URL/nothing/here"
c1=$(grep -i '^X-HubSpot-Correlation-Id:' "$TEST_TMP/h1" | cut -d' ' -f2 | tr -d '\r')
c2=$(grep -i '^X-HubSpot-Correlation-Id:' "$TEST_TMP/h2" | cut -d' ' -f2 | tr -d '\r')
[[ "$c1" =~ $UUID_RE ]] && pass "correlation id is a uuid" ||
    fail "correlation id is a uuid: '$c1'"
[ -n "$c2" ] && [ "$c1" != "$c2" ] && pass "correlation ids differ" ||
    fail "correlation ids differ"
api GET /no/such/endpoint >/dev/null
assert_eq 404 "$(api_status)" "unknown path gives 404"

# Malformed JSON is a 400, not a crash.
api POST /_sandbox/faults '{"errorRate": ' >"$TEST_TMP/b"
assert_eq 400 "$(api_status)" "malformed JSON gives 400"

# Stats count every non-admin request by endpoint and status.
stats=$(curl -s "$SANDBOX_URL/_sandbox/stats")
assert_eq 4 "$(jq -r '.byStatus."401"' <<<"$stats")" "stats count the 401s"
assert_eq 6 "$(jq -r .total <<<"$stats")" "stats count every request"

# A port already taken is a clear error, not a crash.
port=${SANDBOX_URL##*:}
assert_exit 1 "busy port fails" "$HSMIGRATE" sandbox --port "$port"
grep -q "cannot listen on 127.0.0.1:$port" "$TEST_TMP/last.err" &&
    pass "busy port is named" || fail "busy port is named"

sandbox_stop
assert_eq 0 "$?" "SIGTERM stops the sandbox cleanly"

finish
