#!/usr/bin/env bash
# Properties v3: HubSpot's defaults, create, conflicts, type pairs, unique
# values, groups.
. "$(dirname "$0")/lib.sh"

jb() { jq -r "$1" "$TEST_TMP/body"; }
prop() {
    jq -cn --arg n "$1" --arg t "${2:-string}" --arg f "${3:-text}" \
        --arg g "${4:-contactinformation}" --argjson u "${5:-false}" \
        '{name: $n, label: $n, type: $t, fieldType: $f, groupName: $g,
          hasUniqueValue: $u}'
}

sandbox_start

api GET /crm/v3/properties/contacts >/dev/null
assert_eq 200 "$(api_status)" "list contacts properties"
for p in email firstname lastname phone company website lifecyclestage \
    hubspot_owner_id jobtitle city state country zip address createdate \
    lastmodifieddate hs_object_id hs_additional_emails hs_merged_object_ids \
    hs_lead_status; do
    assert_eq 1 "$(jb "[.results[] | select(.name == \"$p\")] | length")" \
        "contacts have $p"
done
api GET /crm/v3/properties/companies >/dev/null
assert_eq "annualrevenue description domain industry name numberofemployees" \
    "$(jb '[.results[].name | select(. == "name" or . == "domain" or . == "industry" or . == "numberofemployees" or . == "annualrevenue" or . == "description")] | sort | join(" ")')" \
    "companies have their defaults"
api GET /crm/v3/properties/deals >/dev/null
assert_eq "amount closedate dealname dealstage dealtype pipeline" \
    "$(jb '[.results[].name | select(. == "dealname" or . == "amount" or . == "closedate" or . == "pipeline" or . == "dealstage" or . == "dealtype")] | sort | join(" ")')" \
    "deals have their defaults"

api GET /crm/v3/properties/contacts/hs_object_id >/dev/null
assert_eq true "$(jb .modificationMetadata.readOnlyValue)" "hs_object_id is read-only"
api GET /crm/v3/properties/contacts/email >/dev/null
assert_eq false "$(jb .modificationMetadata.readOnlyValue)" "email is writable"
assert_eq true "$(jb .hubspotDefined)" "defaults are hubspotDefined"
api GET /crm/v3/properties/contacts/lifecyclestage >/dev/null
assert_eq "subscriber lead marketingqualifiedlead salesqualifiedlead opportunity customer evangelist other" \
    "$(jb '[.options[].value] | join(" ")')" "lifecycle stage options"
api GET /crm/v3/properties/contacts/nosuch >/dev/null
assert_eq 404 "$(api_status)" "unknown property gives 404"

api POST /crm/v3/properties/contacts "$(prop Legacy_ID)" >/dev/null
assert_eq 201 "$(api_status)" "create answers 201"
assert_eq legacy_id "$(jb .name)" "names are stored lowercase"
curl -s -D "$TEST_TMP/h" -o /dev/null -X POST -H "Authorization: Bearer $SANDBOX_TOKEN" \
    -H 'Content-Type: application/json' -d "$(prop loc_check)" \
    "$SANDBOX_URL/crm/v3/properties/contacts"
grep -qi '^Location: /crm/v3/properties/contacts/loc_check' "$TEST_TMP/h" &&
    pass "create sends Location" || fail "create sends Location"
api GET /crm/v3/properties/contacts/legacy_id >/dev/null
assert_eq 200 "$(api_status)" "created property reads back"
assert_eq false "$(jb .modificationMetadata.readOnlyValue)" "custom property writable"
api POST /crm/v3/properties/contacts "$(prop legacy_id)" >/dev/null
assert_eq 409 "$(api_status)" "existing name gives 409"
api POST /crm/v3/properties/contacts "$(prop p1 string select)" >/dev/null
assert_eq 400 "$(api_status)" "string/select refused"
api POST /crm/v3/properties/contacts "$(prop p2 number text)" >/dev/null
assert_eq 400 "$(api_status)" "number/text refused"
api POST /crm/v3/properties/contacts "$(prop p3 enumeration select)" >/dev/null
assert_eq 400 "$(api_status)" "enumeration without options refused"
api POST /crm/v3/properties/contacts "$(prop p4 string text nosuchgroup)" >/dev/null
assert_eq 400 "$(api_status)" "unknown group refused"
api POST /crm/v3/properties/contacts '{"name":"p5","label":"x"}' >/dev/null
assert_eq 400 "$(api_status)" "missing type refused"
api POST /crm/v3/properties/contacts "$(prop 9lives)" >/dev/null
assert_eq 400 "$(api_status)" "name must start with a letter"

# Unique values: at most 10 per object; enforced on writes; usable for
# upserts.
for i in 1 2 3 4 5 6 7 8 9 10; do
    api POST /crm/v3/properties/companies "$(prop ext_$i string text companyinformation true)" >/dev/null
done
assert_eq 201 "$(api_status)" "tenth unique property accepted"
assert_eq true "$(jb .hasUniqueValue)" "hasUniqueValue kept"
api POST /crm/v3/properties/companies "$(prop ext_11 string text companyinformation true)" >/dev/null
assert_eq 400 "$(api_status)" "eleventh unique property refused"
api POST /crm/v3/objects/companies '{"properties":{"name":"A","ext_1":"K-1"}}' >/dev/null
first=$(jb .id)
api POST /crm/v3/objects/companies '{"properties":{"name":"B","ext_1":"K-1"}}' >/dev/null
assert_eq 409 "$(api_status)" "a unique value cannot be used twice"
api POST /crm/v3/objects/companies/batch/upsert '{"inputs":[{"id":"K-1","idProperty":"ext_1","properties":{"name":"A2"}},{"id":"K-2","idProperty":"ext_1","properties":{"name":"C"}}]}' >/dev/null
assert_eq 200 "$(api_status)" "upsert by a unique property"
assert_eq "$first" "$(jb '.results[] | select(.new == false) | .id')" \
    "upsert found the record by its unique value"
api GET "/crm/v3/objects/companies/K-2?idProperty=ext_1&properties=name" >/dev/null
assert_eq C "$(jb .properties.name)" "read by a unique property"

# Groups.
api GET /crm/v3/properties/contacts/groups >/dev/null
assert_eq contactinformation "$(jb '.results[0].name')" "default group listed"
api POST /crm/v3/properties/contacts/groups '{"name":"migration","label":"Migration"}' >/dev/null
assert_eq 201 "$(api_status)" "group created"
api POST /crm/v3/properties/contacts/groups '{"name":"migration","label":"Migration"}' >/dev/null
assert_eq 409 "$(api_status)" "existing group gives 409"
api GET /crm/v3/properties/contacts/groups/migration >/dev/null
assert_eq Migration "$(jb .label)" "group reads back"
api POST /crm/v3/properties/contacts "$(prop sf_id string text migration)" >/dev/null
assert_eq 201 "$(api_status)" "property in the new group"

finish
