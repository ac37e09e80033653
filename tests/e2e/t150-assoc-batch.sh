#!/usr/bin/env bash
# Associations v4 batch endpoints: create (201/207), read, archive, labels
# archive, associate default; primary implies unlabeled, one primary
# company per record, links visible from both ends, limits and errors.
. "$(dirname "$0")/lib.sh"

sandbox_start || finish

# create TYPE PROPERTIES_JSON: prints the new record's id.
create() {
    api POST "/crm/v3/objects/$1" "{\"properties\": $2}" | jq -r .id
}
# spec TYPE_ID: one HUBSPOT_DEFINED association type.
spec() {
    echo "{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": $1}"
}
# types FROM TO FROM_ID TO_ID: the sorted type ids of the link, from the
# per-record list endpoint.
types() {
    api GET "/crm/v4/objects/$1/$3/associations/$2" |
        jq -r --arg to "$4" \
            '[.results[] | select(.toObjectId == $to) | .associationTypes[].typeId] | sort | map(tostring) | join(",")'
}

c1=$(create contacts '{"email": "c1@example.com"}')
c2=$(create contacts '{"email": "c2@example.com"}')
c3=$(create contacts '{"email": "c3@example.com"}')
o1=$(create companies '{"name": "One"}')
o2=$(create companies '{"name": "Two"}')
d1=$(create deals '{"dealname": "D1"}')
[ -n "$c1" ] && [ "$c1" != null ] && [ "$d1" != null ] &&
    pass "records created" || fail "records created"

# A primary label writes the unlabeled type too, visible from both ends.
body=$(api POST /crm/v4/associations/contacts/companies/batch/create \
    "{\"inputs\": [{\"from\": {\"id\": \"$c1\"}, \"to\": {\"id\": \"$o1\"}, \"types\": [$(spec 1)]},
                   {\"from\": {\"id\": \"$c2\"}, \"to\": {\"id\": \"$o1\"}, \"types\": [$(spec 279)]}]}")
assert_eq 201 "$(api_status)" "batch create answers 201"
assert_eq "COMPLETE 2" "$(jq -r '"\(.status) \(.results | length)"' <<<"$body")" \
    "one result per input"
assert_eq '["Primary"]' \
    "$(jq -c --arg id "$c1" '.results[] | select(.fromObjectId == $id) | .labels' <<<"$body")" \
    "the primary link's labels"
assert_eq "0-1 0-2" \
    "$(jq -r '.results[0] | "\(.fromObjectTypeId) \(.toObjectTypeId)"' <<<"$body")" \
    "object type ids in results"
assert_eq "1,279" "$(types contacts companies "$c1" "$o1")" \
    "primary implies unlabeled (contact side)"
assert_eq "2,280" "$(types companies contacts "$o1" "$c1")" \
    "reverse type ids on the company side"
assert_eq "279" "$(types contacts companies "$c2" "$o1")" "unlabeled only"

# A new primary company replaces the old one; the old link stays.
api POST /crm/v4/associations/contacts/companies/batch/create \
    "{\"inputs\": [{\"from\": {\"id\": \"$c1\"}, \"to\": {\"id\": \"$o2\"}, \"types\": [$(spec 1)]}]}" >/dev/null
assert_eq 201 "$(api_status)" "second primary written"
assert_eq "1,279" "$(types contacts companies "$c1" "$o2")" "new primary"
assert_eq "279" "$(types contacts companies "$c1" "$o1")" \
    "old primary demoted to unlabeled"
assert_eq "280" "$(types companies contacts "$o1" "$c1")" \
    "old primary demoted on the company side too"

# Written from the company side (type 2), primary still means the
# contact's one primary company.
api POST /crm/v4/associations/companies/contacts/batch/create \
    "{\"inputs\": [{\"from\": {\"id\": \"$o1\"}, \"to\": {\"id\": \"$c1\"}, \"types\": [$(spec 2)]}]}" >/dev/null
assert_eq "1,279" "$(types contacts companies "$c1" "$o1")" \
    "primary written from the company side"
assert_eq "279" "$(types contacts companies "$c1" "$o2")" \
    "and the other company lost primary"

# 207: unknown ids and invalid types fail their input only.
body=$(api POST /crm/v4/associations/contacts/companies/batch/create \
    "{\"inputs\": [{\"from\": {\"id\": \"999999\"}, \"to\": {\"id\": \"$o1\"}, \"types\": [$(spec 279)]},
                   {\"from\": {\"id\": \"$c3\"}, \"to\": {\"id\": \"$o2\"}, \"types\": [$(spec 4)]},
                   {\"from\": {\"id\": \"$c3\"}, \"to\": {\"id\": \"$o1\"}, \"types\": [$(spec 279)]}]}")
assert_eq 207 "$(api_status)" "partial failure answers 207"
assert_eq "2 1" "$(jq -r '"\(.numErrors) \(.results | length)"' <<<"$body")" \
    "two errors, one result"
assert_eq '["999999"]' \
    "$(jq -c '[.errors[] | .context.fromObjectId // empty] | .[0]' <<<"$body")" \
    "unknown record named in the error context"
assert_eq "279" "$(types contacts companies "$c3" "$o1")" \
    "the valid input was written"
assert_eq "" "$(types contacts companies "$c3" "$o2")" \
    "the invalid type wrote nothing"

# Deal to contact: 3 one way, 4 the other.
api POST /crm/v4/associations/deals/contacts/batch/create \
    "{\"inputs\": [{\"from\": {\"id\": \"$d1\"}, \"to\": {\"id\": \"$c1\"}, \"types\": [$(spec 3)]}]}" >/dev/null
assert_eq 201 "$(api_status)" "deal to contact"
assert_eq "4" "$(types contacts deals "$c1" "$d1")" \
    "contact sees the deal with type 4"

# batch/read, with misses reported as NO_ASSOCIATIONS_FOUND.
body=$(api POST /crm/v4/associations/company/contact/batch/read \
    "{\"inputs\": [{\"id\": \"$o1\"}, {\"id\": \"$o2\"}, {\"id\": \"999999\"}]}")
assert_eq 207 "$(api_status)" "batch read with a miss answers 207"
assert_eq "$c1,$c2,$c3" \
    "$(jq -r --arg id "$o1" '.results[] | select(.from.id == $id) | [.to[].toObjectId | tonumber] | sort | map(tostring) | join(",")' <<<"$body")" \
    "batch read lists every linked contact"
assert_eq '[{"category":"HUBSPOT_DEFINED","typeId":2,"label":"Primary"},{"category":"HUBSPOT_DEFINED","typeId":280,"label":null}]' \
    "$(jq -c --arg id "$o1" --arg c "$c1" '.results[] | select(.from.id == $id) | .to[] | select(.toObjectId == $c) | .associationTypes | sort_by(.typeId)' <<<"$body")" \
    "associationTypes carry category, typeId and label"
assert_eq "crm.associations.NO_ASSOCIATIONS_FOUND 999999" \
    "$(jq -r '.errors[0] | "\(.subCategory) \(.context.fromObjectId[0])"' <<<"$body")" \
    "a record without links is an error item"

# Labels archive: removing a label keeps the link; removing the
# unlabeled type removes everything.
api POST /crm/v4/associations/contacts/companies/batch/labels/archive \
    "{\"inputs\": [{\"from\": {\"id\": \"$c1\"}, \"to\": {\"id\": \"$o1\"}, \"types\": [$(spec 1)]}]}" >/dev/null
assert_eq 204 "$(api_status)" "labels archive answers 204"
assert_eq "279" "$(types contacts companies "$c1" "$o1")" "primary label removed"
assert_eq "280" "$(types companies contacts "$o1" "$c1")" \
    "and from the company side"
api POST /crm/v4/associations/contacts/companies/batch/labels/archive \
    "{\"inputs\": [{\"from\": {\"id\": \"$c2\"}, \"to\": {\"id\": \"$o1\"}, \"types\": [$(spec 279)]}]}" >/dev/null
assert_eq "" "$(types contacts companies "$c2" "$o1")" \
    "removing unlabeled removes the link"
assert_eq "" "$(types companies contacts "$o1" "$c2")" \
    "removing unlabeled removes the reverse"

# Batch archive removes every type between each pair.
api POST /crm/v4/associations/contacts/companies/batch/archive \
    "{\"inputs\": [{\"from\": {\"id\": \"$c1\"}, \"to\": [{\"id\": \"$o1\"}, {\"id\": \"$o2\"}]}]}" >/dev/null
assert_eq 204 "$(api_status)" "batch archive answers 204"
assert_eq "" "$(types contacts companies "$c1" "$o2")" "all types removed"
assert_eq "" "$(types companies contacts "$o2" "$c1")" "from both ends"

# Associate default: the unlabeled type, reported both ways, and
# additive (an existing label stays).
api POST /crm/v4/associations/deals/companies/batch/create \
    "{\"inputs\": [{\"from\": {\"id\": \"$d1\"}, \"to\": {\"id\": \"$o2\"}, \"types\": [$(spec 5)]}]}" >/dev/null
body=$(api POST /crm/v4/associations/deals/companies/batch/associate/default \
    "{\"inputs\": [{\"from\": {\"id\": \"$d1\"}, \"to\": {\"id\": \"$o2\"}}, {\"from\": {\"id\": \"$d1\"}, \"to\": {\"id\": \"$o1\"}}]}")
assert_eq 200 "$(api_status)" "associate default answers 200"
assert_eq "341,341,342,342" \
    "$(jq -r '[.results[].associationSpec.associationTypeId] | sort | map(tostring) | join(",")' <<<"$body")" \
    "default results in both directions"
assert_eq "5,341" "$(types deals companies "$d1" "$o2")" \
    "associate default keeps the primary label"
assert_eq "341" "$(types deals companies "$d1" "$o1")" "default link written"

# Limits and malformed requests.
big=$(jq -nc '{inputs: [range(2001) | {from: {id: "1"}, to: {id: "2"}, types: []}]}')
body=$(api POST /crm/v4/associations/contacts/companies/batch/create "$big")
assert_eq "400 VALIDATION_ERROR" "$(api_status) $(jq -r .category <<<"$body")" \
    "more than 2000 inputs refused"
big=$(jq -nc '{inputs: [range(1001) | {id: "1"}]}')
api POST /crm/v4/associations/contacts/companies/batch/read "$big" >/dev/null
assert_eq 400 "$(api_status)" "more than 1000 read inputs refused"
body=$(api POST /crm/v4/associations/contacts/widgets/batch/create '{"inputs": []}')
assert_eq "400 Unable to infer object type from: widgets" \
    "$(api_status) $(jq -r .message <<<"$body")" "unknown object type"
api POST /crm/v4/associations/contacts/companies/batch/create '{"nope": 1}' >/dev/null
assert_eq 400 "$(api_status)" "missing inputs"

finish
