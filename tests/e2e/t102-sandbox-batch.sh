#!/usr/bin/env bash
# Objects v3 batches and HubSpot's rules for them.
. "$(dirname "$0")/lib.sh"

jb() { jq -r "$1" "$TEST_TMP/body"; }
# inputs N PREFIX [TRACE]: a batch/create body of N contacts.
inputs() {
    jq -cn --argjson n "$1" --arg p "$2" --arg t "${3:-}" \
        '{inputs: [range($n) | {properties: {email: "\($p)\(.)@example.com",
          firstname: "F\(.)"}} + (if $t == "" then {} else
          {objectWriteTraceId: "\($t)\(.)"} end)]}'
}
count_contacts() {
    api GET "/crm/v3/objects/contacts?limit=100" >/dev/null
    jb '.results | length'
}

sandbox_start --shuffle-seed 42

api POST /crm/v3/objects/contacts/batch/create "$(inputs 101 big)" >/dev/null
assert_eq 400 "$(api_status)" "101 inputs give 400"
assert_eq "The maximum number of inputs supported in a batch is 100. Please reduce the number of items and try again" \
    "$(jb .message)" "batch size message"
assert_eq 0 "$(count_contacts)" "nothing written by an oversized batch"

api POST /crm/v3/objects/contacts/batch/create "$(inputs 6 a)" >/dev/null
assert_eq 201 "$(api_status)" "batch create answers 201"
assert_eq COMPLETE "$(jb .status)" "batch status COMPLETE"
assert_eq 6 "$(jb '.results | length')" "six results"
order=$(jb '[.results[].properties.email] | join(" ")')
input="a0@example.com a1@example.com a2@example.com a3@example.com a4@example.com a5@example.com"
[ "$order" != "$input" ] && pass "results are not in input order" ||
    fail "results are not in input order"
assert_eq "$input" "$(jb '[.results[].properties.email] | sort | join(" ")')" \
    "results cover every input"

# The same seed gives the same order on a fresh portal.
first_order=$(jb '[.results[].properties.firstname] | join(" ")')
sandbox_stop
sandbox_start --shuffle-seed 42
api POST /crm/v3/objects/contacts/batch/create "$(inputs 6 a)" >/dev/null
assert_eq "$first_order" "$(jb '[.results[].properties.firstname] | join(" ")')" \
    "--shuffle-seed makes the order repeatable"

# Without trace ids, one bad input fails the batch and writes nothing.
body=$(jq -c '.inputs[1].properties.bogus = "x"' <<<"$(inputs 3 b)")
api POST /crm/v3/objects/contacts/batch/create "$body" >/dev/null
assert_eq 400 "$(api_status)" "a bad input fails the batch"
assert_eq VALIDATION_ERROR "$(jb .category)" "validation category"
[[ "$(jb .message)" == 'Property values were not valid: '* ]] &&
    pass "validation envelope" || fail "validation envelope: $(jb .message)"
assert_eq 6 "$(count_contacts)" "nothing of the failed batch written"

# A duplicate email inside the batch, or against the store: 409.
body=$(jq -c '.inputs[2].properties.email = "a3@example.com"' <<<"$(inputs 3 c)")
api POST /crm/v3/objects/contacts/batch/create "$body" >/dev/null
assert_eq 409 "$(api_status)" "existing email in a batch gives 409"
api GET "/crm/v3/objects/contacts/a3@example.com?idProperty=email" >/dev/null
a3=$(jb .id)
api POST /crm/v3/objects/contacts/batch/create "$body" >/dev/null
assert_eq "Contact already exists. Existing ID: $a3" "$(jb .message)" \
    "409 names the existing id"
body=$(jq -c '.inputs[2].properties.email = "C0@example.com"' <<<"$(inputs 3 c)")
api POST /crm/v3/objects/contacts/batch/create "$body" >/dev/null
assert_eq 409 "$(api_status)" "two inputs with one email (any case) give 409"
assert_eq 6 "$(count_contacts)" "nothing of the conflicting batch written"

# With a trace id on every input: 207, good inputs written, errors echo
# the trace id.
body=$(jq -c '.inputs[1].properties.bogus = "x"' <<<"$(inputs 3 d t-)")
api POST /crm/v3/objects/contacts/batch/create "$body" >/dev/null
assert_eq 207 "$(api_status)" "traced batch with a bad input gives 207"
assert_eq 2 "$(jb '.results | length')" "good inputs are results"
assert_eq 1 "$(jb .numErrors)" "numErrors"
assert_eq t-1 "$(jb '.errors[0].context.objectWriteTraceId[0]')" \
    "error echoes the trace id"
assert_eq "t-0 t-2" "$(jb '[.results[].objectWriteTraceId] | sort | join(" ")')" \
    "results echo trace ids"
assert_eq 8 "$(count_contacts)" "good inputs written"

# Update: duplicate ids refuse the whole batch, even with trace ids.
ids=$(jq -r '.results[].id' "$TEST_TMP/body" | head -n 2)
id1=$(sed -n 1p <<<"$ids")
id2=$(sed -n 2p <<<"$ids")
api POST /crm/v3/objects/contacts/batch/update "{\"inputs\":[{\"id\":\"$id1\",\"properties\":{\"lastname\":\"X\"},\"objectWriteTraceId\":\"1\"},{\"id\":\"$id1\",\"properties\":{\"lastname\":\"Y\"},\"objectWriteTraceId\":\"2\"}]}" >/dev/null
assert_eq 400 "$(api_status)" "duplicate ids in update give 400"
assert_eq "Duplicate IDs found in batch input: [$id1]. IDs must be unique" \
    "$(jb .message)" "duplicate ids message"
assert_eq "$id1" "$(jb '.context.ids[0]')" "duplicate ids context"
api POST /crm/v3/objects/contacts/batch/update "{\"inputs\":[{\"id\":\"$id1\",\"properties\":{\"lastname\":\"X\"}},{\"id\":\"$id2\",\"properties\":{\"lastname\":\"Y\"}}]}" >/dev/null
assert_eq 200 "$(api_status)" "batch update answers 200"
assert_eq "X Y" "$(jb '[.results[].properties.lastname] | sort | join(" ")')" \
    "batch update writes"
api POST /crm/v3/objects/contacts/batch/update "{\"inputs\":[{\"id\":\"$id1\",\"properties\":{\"lastname\":\"Z\"}},{\"id\":\"99999\",\"properties\":{\"lastname\":\"Q\"}}]}" >/dev/null
assert_eq 404 "$(api_status)" "untraced update of a missing id fails the batch"
api GET "/crm/v3/objects/contacts/$id1" >/dev/null
assert_eq X "$(jb .properties.lastname)" "failed update batch wrote nothing"
api POST /crm/v3/objects/contacts/batch/update '{"inputs":[{"id":"a1@example.com","idProperty":"email","properties":{"lastname":"Q"}}]}' >/dev/null
assert_eq 400 "$(api_status)" "update by email refused"

# Upsert by email: new true/false, case-insensitive match, duplicates.
api POST /crm/v3/objects/contacts/batch/upsert '{"inputs":[{"id":"A1@EXAMPLE.com","idProperty":"email","properties":{"lastname":"Up"}},{"id":"new1@example.com","idProperty":"email","properties":{"lastname":"New"}}]}' >/dev/null
assert_eq 200 "$(api_status)" "upsert answers 200"
assert_eq "false true" "$(jb '[.results[] | .new] | map(tostring) | sort | join(" ")')" \
    "upsert marks new and existing"
assert_eq Up "$(jb '.results[] | select(.new == false) | .properties.lastname')" \
    "upsert updates the existing contact"
assert_eq new1@example.com "$(jb '.results[] | select(.new) | .properties.email')" \
    "upsert creates with the email"
api POST /crm/v3/objects/contacts/batch/upsert '{"inputs":[{"id":"x@example.com","idProperty":"email","properties":{}},{"id":"X@example.com","idProperty":"email","properties":{}}]}' >/dev/null
assert_eq 400 "$(api_status)" "same email twice in upsert gives 400"
[[ "$(jb .message)" == "Duplicate IDs found in batch input: "* ]] &&
    pass "upsert duplicate message" || fail "upsert duplicate message"
api POST /crm/v3/objects/contacts/batch/upsert '{"inputs":[{"id":"F1","idProperty":"firstname","properties":{}}]}' >/dev/null
assert_eq 400 "$(api_status)" "upsert by a non-unique property refused"

# Read: misses are 207 OBJECT_NOT_FOUND with the ids.
api POST /crm/v3/objects/contacts/batch/read "{\"inputs\":[{\"id\":\"$id1\"},{\"id\":\"424242\"}],\"properties\":[\"lastname\"]}" >/dev/null
assert_eq 207 "$(api_status)" "batch read with a miss gives 207"
assert_eq "$id1" "$(jb '.results[0].id')" "found record returned"
assert_eq OBJECT_NOT_FOUND "$(jb '.errors[0].category')" "miss category"
assert_eq 424242 "$(jb '.errors[0].context.ids[0]')" "miss ids"
assert_eq "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid." \
    "$(jb '.errors[0].message')" "miss message"
api POST /crm/v3/objects/contacts/batch/read '{"inputs":[{"id":"a2@example.com"}],"idProperty":"email","properties":["email"]}' >/dev/null
assert_eq 200 "$(api_status)" "batch read by email"
assert_eq a2@example.com "$(jb '.results[0].properties.email')" "read by email value"

# Archive: 204, gone from reads.
api POST /crm/v3/objects/contacts/batch/archive "{\"inputs\":[{\"id\":\"$id1\"},{\"id\":\"$id2\"},{\"id\":\"777777\"}]}" >/dev/null
assert_eq 204 "$(api_status)" "batch archive answers 204"
api GET "/crm/v3/objects/contacts/$id2" >/dev/null
assert_eq 404 "$(api_status)" "batch-archived record is gone"

finish
