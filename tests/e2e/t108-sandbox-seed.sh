#!/usr/bin/env bash
# --seed-file: custom properties, pre-existing records and links; bad seed
# files are refused with the file and the place named. Also links made at
# create time and read back with ?associations=.
. "$(dirname "$0")/lib.sh"

jb() { jq -r "$1" "$TEST_TMP/body"; }
seed="$TEST_TMP/seed.json"
cat >"$seed" <<'JSON'
{
  "properties": {
    "contacts": [
      {"name": "sf_id", "label": "Salesforce ID", "type": "string",
       "fieldType": "text", "groupName": "salesforce",
       "hasUniqueValue": true}
    ],
    "companies": [
      {"name": "tier", "label": "Tier", "type": "enumeration",
       "fieldType": "select", "groupName": "companyinformation",
       "options": [{"label": "Gold", "value": "gold"},
                   {"label": "Silver", "value": "silver"}]}
    ]
  },
  "records": {
    "companies": [
      {"id": "500", "properties": {"name": "Old Co", "tier": "gold"}}
    ],
    "contacts": [
      {"id": "600", "properties": {"email": "Old@Example.com",
                                   "sf_id": "003OLD"}},
      {"properties": {"email": "gone@example.com"}, "archived": true}
    ]
  },
  "associations": [
    {"from": {"type": "contacts", "id": "600"},
     "to": {"type": "companies", "id": "500"}, "types": [1]}
  ]
}
JSON

sandbox_start --seed-file "$seed"
api GET "/crm/v3/objects/contacts/600?properties=email,sf_id&associations=companies" >/dev/null
assert_eq 200 "$(api_status)" "seeded record with its id"
assert_eq old@example.com "$(jb .properties.email)" "seeded values validated and normalized"
assert_eq 003OLD "$(jb .properties.sf_id)" "seeded custom property"
assert_eq "500:contact_to_company 500:contact_to_company_unlabeled" \
    "$(jb '[.associations.companies.results[] | "\(.id):\(.type)"] | sort | join(" ")')" \
    "seeded primary link implies the unlabeled one"
api GET /crm/v3/properties/contacts/groups/salesforce >/dev/null
assert_eq 200 "$(api_status)" "a seeded property's group is created"
api GET "/crm/v3/objects/contacts/gone@example.com?idProperty=email" >/dev/null
assert_eq 404 "$(api_status)" "seeded archived record is archived"
api POST /crm/v3/objects/contacts '{"properties":{"email":"x@example.com","sf_id":"003OLD"}}' >/dev/null
assert_eq 409 "$(api_status)" "seeded unique value enforced"

# Links at create time, then read back from both ends.
api POST /crm/v3/objects/deals '{"properties":{"dealname":"D"},"associations":[{"to":{"id":"500"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":341}]},{"to":{"id":"600"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]}]}' >/dev/null
assert_eq 201 "$(api_status)" "create with associations"
deal=$(jb .id)
api GET "/crm/v3/objects/deals/$deal?associations=companies,contacts" >/dev/null
assert_eq "500:deal_to_company_unlabeled" \
    "$(jb '[.associations.companies.results[] | "\(.id):\(.type)"] | join(" ")')" \
    "deal lists its company"
assert_eq 600 "$(jb '.associations.contacts.results[0].id')" "deal lists its contact"
api GET "/crm/v3/objects/companies/500?associations=deals" >/dev/null
assert_eq "$deal" "$(jb '.associations.deals.results[0].id')" "company lists the deal"
api GET "/crm/v3/objects/companies?associations=contacts" >/dev/null
assert_eq 600 "$(jb '.results[0].associations.contacts.results[0].id')" \
    "list reads associations too"
api POST /crm/v3/objects/deals '{"properties":{"dealname":"E"},"associations":[{"to":{"id":"999999"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":341}]}]}' >/dev/null
assert_eq 400 "$(api_status)" "link to a missing record refused"
api POST /crm/v3/objects/deals '{"properties":{"dealname":"F"},"associations":[{"to":{"id":"500"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]}]}' >/dev/null
assert_eq 400 "$(api_status)" "type id of another object pair refused"
api POST /crm/v3/objects/deals/batch/read '{"inputs":[{"id":"1"}],"properties":["dealname"]}' >/dev/null
assert_eq 0 "$(jb '[.results[] | select(.properties.dealname == "E" or .properties.dealname == "F")] | length')" \
    "refused creates wrote nothing"
sandbox_stop

# Bad seed files stop the start with a precise message.
bad() {
    printf '%s' "$2" >"$TEST_TMP/bad.json"
    assert_exit 1 "$1: refused" "$HSMIGRATE" sandbox --port 0 \
        --seed-file "$TEST_TMP/bad.json"
    grep -q "$3" "$TEST_TMP/last.err" && pass "$1: message" ||
        fail "$1: message: $(cat "$TEST_TMP/last.err")"
}
bad "malformed JSON" '{"records": [' "bad.json: line 1"
bad "unknown section" '{"recrods": {}}' "unknown section 'recrods'"
bad "bad value" '{"records":{"deals":[{"properties":{"amount":"1,5"}}]}}' \
    "records.deals\[0\].properties: Property values were not valid"
bad "bad property" '{"properties":{"contacts":[{"name":"x","label":"x","type":"string","fieldType":"select","groupName":"g"}]}}' \
    "properties.contacts\[0\]: fieldType 'select' is not valid"
bad "bad link" '{"associations":[{"from":{"type":"contacts","id":"1"},"to":{"type":"companies","id":"2"}}]}' \
    "associations\[0\]: no such record"
assert_exit 1 "missing seed file refused" "$HSMIGRATE" sandbox --port 0 \
    --seed-file "$TEST_TMP/nope.json"

finish
