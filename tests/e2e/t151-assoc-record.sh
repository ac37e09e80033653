#!/usr/bin/env bash
# Associations v4 per record: PUT default, PUT with labels (the full set
# replaces the old one), DELETE, the paged list, the labels list, and the
# links as the objects API shows them (?associations=).
. "$(dirname "$0")/lib.sh"

sandbox_start || finish

create() {
    api POST "/crm/v3/objects/$1" "{\"properties\": $2}" | jq -r .id
}
spec() {
    echo "{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": $1}"
}
types() {
    api GET "/crm/v4/objects/$1/$3/associations/$2" |
        jq -r --arg to "$4" \
            '[.results[] | select(.toObjectId == $to) | .associationTypes[].typeId] | sort | map(tostring) | join(",")'
}

c1=$(create contacts '{"email": "r1@example.com"}')
o1=$(create companies '{"name": "R One"}')
o2=$(create companies '{"name": "R Two"}')
o3=$(create companies '{"name": "R Three"}')

body=$(api PUT "/crm/v4/objects/contacts/$c1/associations/default/companies/$o1")
assert_eq 200 "$(api_status)" "PUT default answers 200"
assert_eq "279:$c1>$o1 280:$o1>$c1" \
    "$(jq -r '[.results[] | "\(.associationSpec.associationTypeId):\(.from.id)>\(.to.id)"] | sort | join(" ")' <<<"$body")" \
    "PUT default reports both directions"
assert_eq "279" "$(types contacts companies "$c1" "$o1")" "default link stored"

body=$(api PUT "/crm/v4/objects/contact/$c1/associations/company/$o2" "[$(spec 1)]")
assert_eq 201 "$(api_status)" "PUT with labels answers 201"
assert_eq "0-1 $c1 0-2 $o2 Primary" \
    "$(jq -r '"\(.fromObjectTypeId) \(.fromObjectId) \(.toObjectTypeId) \(.toObjectId) \(.labels | join(","))"' <<<"$body")" \
    "LabelsBetweenObjectPair body"
assert_eq "1,279" "$(types contacts companies "$c1" "$o2")" "primary stored"
api PUT "/crm/v4/objects/contacts/$c1/associations/companies/$o2" "[$(spec 279)]" >/dev/null
assert_eq "279" "$(types contacts companies "$c1" "$o2")" \
    "a label write is the full set: primary dropped"

body=$(api PUT "/crm/v4/objects/contacts/$c1/associations/companies/$o2" "[$(spec 3)]")
assert_eq "400 VALIDATION_ERROR" "$(api_status) $(jq -r .category <<<"$body")" \
    "a type of another pair is refused"
body=$(api PUT "/crm/v4/objects/contacts/$c1/associations/companies/999999" "[$(spec 279)]")
assert_eq "400 999999" "$(api_status) $(jq -r '.context.toObjectId[0]' <<<"$body")" \
    "an unknown record is refused and named"
api PUT "/crm/v4/objects/contacts/$c1/associations/default/contacts/$c1" >/dev/null
assert_eq 400 "$(api_status)" "no default type from contact to contact"

# The list pages by limit and after.
api PUT "/crm/v4/objects/contacts/$c1/associations/default/companies/$o3" >/dev/null
body=$(api GET "/crm/v4/objects/contacts/$c1/associations/companies?limit=2")
assert_eq "200 2" "$(api_status) $(jq -r '.results | length' <<<"$body")" \
    "limit cuts the list"
after=$(jq -r '.paging.next.after' <<<"$body")
body=$(api GET "/crm/v4/objects/contacts/$c1/associations/companies?limit=2&after=$after")
assert_eq "$o3" "$(jq -r '[.results[].toObjectId] | map(tostring) | join(",")' <<<"$body")" \
    "after gives the rest"
assert_eq "null" "$(jq -r .paging <<<"$body")" "no paging after the last page"

# The objects API shows the links with v3 type names.
api PUT "/crm/v4/objects/contacts/$c1/associations/companies/$o1" "[$(spec 1)]" >/dev/null
body=$(api GET "/crm/v3/objects/contacts/$c1?associations=companies")
assert_eq "contact_to_company contact_to_company_unlabeled" \
    "$(jq -r --arg id "$o1" '[.associations.companies.results[] | select(.id == $id) | .type] | sort | join(" ")' <<<"$body")" \
    "?associations= lists a primary link under both type names"

api DELETE "/crm/v4/objects/contacts/$c1/associations/companies/$o1"
assert_eq 204 "$(api_status)" "DELETE answers 204"
assert_eq "" "$(types contacts companies "$c1" "$o1")" "link deleted"
assert_eq "" "$(types companies contacts "$o1" "$c1")" "from both ends"

# An archived record drops out of its partners' lists.
api DELETE "/crm/v3/objects/companies/$o3" >/dev/null
assert_eq "" "$(types contacts companies "$c1" "$o3")" \
    "an archived company is not listed"

body=$(api GET /crm/v4/associations/contacts/companies/labels)
assert_eq 200 "$(api_status)" "labels list"
assert_eq '[{"category":"HUBSPOT_DEFINED","typeId":1,"label":"Primary"},{"category":"HUBSPOT_DEFINED","typeId":279,"label":null}]' \
    "$(jq -c '.results | sort_by(.typeId)' <<<"$body")" "contact to company labels"
body=$(api GET /crm/v4/associations/0-3/0-1/labels)
assert_eq "3" "$(jq -r '[.results[].typeId] | map(tostring) | join(",")' <<<"$body")" \
    "deal to contact by object type ids"
api GET /crm/v4/associations/contacts/widgets/labels >/dev/null
assert_eq 400 "$(api_status)" "labels of an unknown type"

finish
