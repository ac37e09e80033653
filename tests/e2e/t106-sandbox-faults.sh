#!/usr/bin/env bash
# Fault injection: injected error statuses, repeatable with a seed, and
# writes committed whose response is dropped.
. "$(dirname "$0")/lib.sh"

jb() { jq -r "$1" "$TEST_TMP/body"; }
faults() {
    curl -s -o "$TEST_TMP/fbody" -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' -d "$1" "$SANDBOX_URL/_sandbox/faults"
}
# statuses N: the status codes of N reads, space-separated.
statuses() {
    local out="" i
    for ((i = 0; i < $1; i++)); do
        api GET /crm/v3/objects/contacts >/dev/null
        out="$out$(api_status) "
    done
    echo "$out"
}

sandbox_start

assert_eq 400 "$(faults '{"errorRate": 2}')" "share above 1 refused"
assert_eq 400 "$(faults '{"errorRate": 0.5, "statuses": [404]}')" \
    "only 500 502 503 504 423 can be injected"

assert_eq 200 "$(faults '{"seed": 1, "errorRate": 1, "statuses": [503]}')" \
    "faults accepted"
api GET /crm/v3/objects/contacts >/dev/null
assert_eq 503 "$(api_status)" "every request answered 503"
assert_eq error "$(jb .status)" "injected fault has an error body"
api POST /crm/v3/objects/contacts '{"properties":{"email":"f@example.com"}}' >/dev/null
assert_eq 503 "$(api_status)" "writes fail too"
faults '{"errorRate": 0}' >/dev/null
api GET "/crm/v3/objects/contacts/f@example.com?idProperty=email" >/dev/null
assert_eq 404 "$(api_status)" "an injected error writes nothing"

# A seed makes the sequence repeatable.
faults '{"seed": 7, "errorRate": 0.5, "statuses": [500, 502, 504, 423]}' >/dev/null
first=$(statuses 20)
faults '{"seed": 7, "errorRate": 0.5, "statuses": [500, 502, 504, 423]}' >/dev/null
second=$(statuses 20)
assert_eq "$first" "$second" "same seed, same faults"
grep -q 200 <<<"$first" && grep -Eq '500|502|504|423' <<<"$first" &&
    pass "a share of requests fails" || fail "a share of requests fails: $first"
faults '{"seed": 8, "errorRate": 0.5, "statuses": [500, 502, 504, 423]}' >/dev/null
[ "$(statuses 20)" != "$first" ] && pass "another seed, other faults" ||
    fail "another seed, other faults"

# Dropped responses: the write is committed, the client sees no reply.
faults '{"seed": 3, "dropRate": 1}' >/dev/null
curl -s -o /dev/null -X POST -H "Authorization: Bearer $SANDBOX_TOKEN" \
    -H 'Content-Type: application/json' \
    -d '{"properties":{"email":"dropped@example.com"}}' \
    "$SANDBOX_URL/crm/v3/objects/contacts"
rc=$?
assert_eq 52 "$rc" "client gets an empty reply (curl exit 52)"
api GET "/crm/v3/objects/contacts/dropped@example.com?idProperty=email" >/dev/null
assert_eq 200 "$(api_status)" "reads are not dropped"
assert_eq dropped@example.com "$(jb .properties.email)" \
    "the dropped write was committed"
api POST /crm/v3/objects/contacts/batch/read '{"inputs":[{"id":"1"}]}' >/dev/null
[ "$(api_status)" != 000 ] && pass "batch reads are not dropped" ||
    fail "batch reads are not dropped"
faults '{"dropRate": 0}' >/dev/null
stats=$(curl -s "$SANDBOX_URL/_sandbox/stats")
assert_eq 1 "$(jq -r .dropped <<<"$stats")" "stats count the dropped response"
assert_eq 2 "$(jq -r '.byStatus["503"]' <<<"$stats")" "stats count injected 503s"

# Reset clears faults and data.
faults '{"seed": 1, "errorRate": 1}' >/dev/null
curl -s -X POST "$SANDBOX_URL/_sandbox/reset" >/dev/null
api GET "/crm/v3/objects/contacts/dropped@example.com?idProperty=email" >/dev/null
assert_eq 404 "$(api_status)" "reset empties the portal and clears faults"
api GET /crm/v3/properties/contacts/email >/dev/null
assert_eq 200 "$(api_status)" "reset keeps the default properties"

finish
