#!/usr/bin/env bash
# Merge: the survivor keeps its values and fills gaps from the merged
# record, takes over its associations, lists the merged id in
# hs_merged_object_ids (contacts: its email in hs_additional_emails), and
# the merged-away id resolves to the survivor afterwards.
. "$(dirname "$0")/lib.sh"

sandbox_start --search-per-second 1000 || finish

create() {
    api POST "/crm/v3/objects/$1" "{\"properties\": $2}" | jq -r .id
}

a=$(create contacts '{"email": "keep@example.com", "firstname": "Keep"}')
b=$(create contacts '{"email": "gone@example.com", "firstname": "Gone", "lastname": "Later", "phone": "555"}')
o1=$(create companies '{"name": "Linked"}')
o2=$(create companies '{"name": "Own"}')
d1=$(create deals '{"dealname": "Deal"}')
api PUT "/crm/v4/objects/contacts/$b/associations/companies/$o1" \
    '[{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]' >/dev/null
api PUT "/crm/v4/objects/contacts/$a/associations/companies/$o2" \
    '[{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]' >/dev/null
api PUT "/crm/v4/objects/deals/$d1/associations/default/contacts/$b" >/dev/null

body=$(api POST /crm/v3/objects/contacts/merge \
    "{\"primaryObjectId\": \"$a\", \"objectIdToMerge\": \"$b\"}")
assert_eq 200 "$(api_status)" "merge answers 200"
assert_eq "$a keep@example.com Keep" \
    "$(jq -r '"\(.id) \(.properties.email) \(.properties.firstname)"' <<<"$body")" \
    "the survivor keeps its id and values"
assert_eq "$b" "$(jq -r .properties.hs_merged_object_ids <<<"$body")" \
    "hs_merged_object_ids lists the merged id"
assert_eq "gone@example.com" "$(jq -r .properties.hs_additional_emails <<<"$body")" \
    "the merged email goes to hs_additional_emails"

body=$(api GET "/crm/v3/objects/contacts/$a?properties=lastname,phone,firstname")
assert_eq "Later 555 Keep" \
    "$(jq -r '.properties | "\(.lastname) \(.phone) \(.firstname)"' <<<"$body")" \
    "gaps filled from the merged record, own values kept"

# The merged-away id resolves to the survivor.
body=$(api GET "/crm/v3/objects/contacts/$b")
assert_eq "200 $a" "$(api_status) $(jq -r .id <<<"$body")" \
    "GET of the merged id answers with the survivor"
body=$(api POST /crm/v3/objects/contacts/batch/read "{\"inputs\": [{\"id\": \"$b\"}]}")
assert_eq "$a" "$(jq -r '.results[0].id' <<<"$body")" \
    "batch read of the merged id gives the survivor"

# Associations moved; the survivor's own primary company wins.
body=$(api GET "/crm/v4/objects/contacts/$a/associations/companies")
assert_eq "$o1:279 $o2:1,279" \
    "$(jq -r '[.results[] | "\(.toObjectId):\([.associationTypes[].typeId] | sort | map(tostring) | join(","))"] | join(" ")' <<<"$body")" \
    "links moved, the survivor keeps its primary"
body=$(api GET "/crm/v4/objects/deals/$d1/associations/contacts")
assert_eq "$a" "$(jq -r '[.results[].toObjectId] | map(tostring) | join(",")' <<<"$body")" \
    "the deal now points at the survivor"
body=$(api GET "/crm/v4/objects/companies/$o1/associations/contacts")
assert_eq "$a" "$(jq -r '[.results[].toObjectId] | map(tostring) | join(",")' <<<"$body")" \
    "the company sees the survivor only"

# The merged record no longer appears on its own.
body=$(api POST /crm/v3/objects/contacts/search '{}')
assert_eq "$a" "$(jq -r '[.results[].id] | join(",")' <<<"$body")" \
    "search finds the survivor only"

# A chain: merging the survivor into another keeps both ids resolving.
c=$(create contacts '{"email": "third@example.com"}')
body=$(api POST /crm/v3/objects/contacts/merge \
    "{\"primaryObjectId\": \"$c\", \"objectIdToMerge\": \"$a\"}")
assert_eq "200 $a;$b" \
    "$(api_status) $(jq -r '.properties.hs_merged_object_ids | split(";") | sort | join(";")' <<<"$body")" \
    "merged ids accumulate"
assert_eq "$c" "$(api GET "/crm/v3/objects/contacts/$b" | jq -r .id)" \
    "an id merged twice resolves to the last survivor"

# Companies and deals merge too.
body=$(api POST /crm/v3/objects/companies/merge \
    "{\"primaryObjectId\": $o2, \"objectIdToMerge\": $o1}")
assert_eq "200 $o1" "$(api_status) $(jq -r .properties.hs_merged_object_ids <<<"$body")" \
    "companies merge (ids as numbers)"
assert_eq "null" "$(jq -r .properties.hs_additional_emails <<<"$body")" \
    "no additional emails on companies"

# Refusals.
body=$(api POST /crm/v3/objects/contacts/merge \
    "{\"primaryObjectId\": \"$c\", \"objectIdToMerge\": \"$c\"}")
assert_eq "400 VALIDATION_ERROR" "$(api_status) $(jq -r .category <<<"$body")" \
    "merging a record with itself"
body=$(api POST /crm/v3/objects/contacts/merge \
    "{\"primaryObjectId\": \"$c\", \"objectIdToMerge\": \"999999\"}")
assert_eq "404 OBJECT_NOT_FOUND" "$(api_status) $(jq -r .category <<<"$body")" \
    "merging an unknown record"
api POST /crm/v3/objects/contacts/merge '{"primaryObjectId": "x"}' >/dev/null
assert_eq 400 "$(api_status)" "malformed merge body"

finish
