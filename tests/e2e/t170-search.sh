#!/usr/bin/env bash
# CRM search: every filter operator, case rules, OR groups, the
# associations pseudo-property, sorts, properties, paging, limits, and
# archived records never matching.
. "$(dirname "$0")/lib.sh"

# The search bucket is HubSpot's 5/s; raise it so a quick script is not
# throttled.
sandbox_start --search-per-second 1000 || finish

create() {
    api POST "/crm/v3/objects/$1" "{\"properties\": $2}" | jq -r .id
}
# search TYPE BODY: prints the sorted ids found.
search() {
    api POST "/crm/v3/objects/$1/search" "$2" |
        jq -r '[.results[].id | tonumber] | sort | map(tostring) | join(",")'
}
# f PROP OP VALUE: a one-filter body.
f() {
    echo "{\"filterGroups\": [{\"filters\": [{\"propertyName\": \"$1\", \"operator\": \"$2\", \"value\": \"$3\"}]}]}"
}

k1=$(create contacts '{"email": "ann@example.com", "firstname": "Ann", "lastname": "Lee", "lifecyclestage": "lead"}')
k2=$(create contacts '{"email": "bob@example.com", "firstname": "Bob", "lifecyclestage": "customer"}')
k3=$(create contacts '{"email": "cy@other.org", "firstname": "Cy", "lastname": "Ode"}')
d1=$(create deals '{"dealname": "Small", "amount": "90", "closedate": "2024-01-10T12:00:00Z"}')
d2=$(create deals '{"dealname": "Mid", "amount": "500", "closedate": "2024-02-10T12:00:00Z"}')
d3=$(create deals '{"dealname": "Big", "amount": "1000.5", "closedate": "2024-03-10T12:00:00Z"}')
o1=$(create companies '{"name": "Acme"}')
[ "$k3" != null ] && [ "$d3" != null ] && [ "$o1" != null ] &&
    pass "records created" || fail "records created"

assert_eq "$k1" "$(search contacts "$(f email EQ ANN@Example.COM)")" \
    "EQ on a string is case-insensitive"
assert_eq "" "$(search contacts "$(f lifecyclestage EQ Lead)")" \
    "EQ on an enumeration is case-sensitive"
assert_eq "$k1" "$(search contacts "$(f lifecyclestage EQ lead)")" \
    "EQ on an enumeration with the exact value"
assert_eq "$k2,$k3" "$(search contacts "$(f firstname NEQ ann)")" "NEQ"
assert_eq "$k1,$k3" \
    "$(search contacts '{"filterGroups": [{"filters": [{"propertyName": "email", "operator": "IN", "values": ["ann@example.com", "cy@other.org"]}]}]}')" \
    "IN with lowercase values"
assert_eq "" \
    "$(search contacts '{"filterGroups": [{"filters": [{"propertyName": "email", "operator": "IN", "values": ["ANN@EXAMPLE.COM"]}]}]}')" \
    "IN on strings needs lowercase values"
assert_eq "$k2,$k3" \
    "$(search contacts '{"filterGroups": [{"filters": [{"propertyName": "email", "operator": "NOT_IN", "values": ["ann@example.com"]}]}]}')" \
    "NOT_IN"
assert_eq "$k1,$k3" "$(search contacts "$(f lastname HAS_PROPERTY x)")" \
    "HAS_PROPERTY"
assert_eq "$k2" "$(search contacts "$(f lastname NOT_HAS_PROPERTY x)")" \
    "NOT_HAS_PROPERTY"
assert_eq "$k3" "$(search contacts "$(f email CONTAINS_TOKEN '*other.org')")" \
    "CONTAINS_TOKEN with a wildcard"

assert_eq "$d2,$d3" "$(search deals "$(f amount GT 90)")" "GT is numeric"
assert_eq "$d1,$d2,$d3" "$(search deals "$(f amount GTE 90)")" "GTE"
assert_eq "$d1" "$(search deals "$(f amount LT 100)")" "LT"
assert_eq "$d1,$d2" "$(search deals "$(f amount LTE 500)")" "LTE"
assert_eq "$d2,$d3" \
    "$(search deals '{"filterGroups": [{"filters": [{"propertyName": "amount", "operator": "BETWEEN", "value": "500", "highValue": "1000.5"}]}]}')" \
    "BETWEEN is inclusive"
# 2024-02-01 and 2024-03-01 at midnight UTC, in epoch ms.
assert_eq "$d2" \
    "$(search deals '{"filterGroups": [{"filters": [{"propertyName": "closedate", "operator": "BETWEEN", "value": "1706745600000", "highValue": "1709251200000"}]}]}')" \
    "dates compare with epoch ms filter values"

assert_eq "$k1,$k2" \
    "$(search contacts '{"filterGroups": [{"filters": [{"propertyName": "firstname", "operator": "EQ", "value": "ann"}]}, {"filters": [{"propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"}]}]}')" \
    "filter groups are ORed"
assert_eq "" \
    "$(search contacts '{"filterGroups": [{"filters": [{"propertyName": "firstname", "operator": "EQ", "value": "ann"}, {"propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"}]}]}')" \
    "filters in a group are ANDed"

# The associations pseudo-property.
api PUT "/crm/v4/objects/contacts/$k2/associations/default/companies/$o1" >/dev/null
assert_eq "$k2" "$(search contacts "$(f associations.company EQ "$o1")")" \
    "associations.company EQ"
assert_eq "$k1,$k3" "$(search contacts "$(f associations.company NEQ "$o1")")" \
    "associations.company NEQ"

# Sorts, properties, paging and total.
body=$(api POST /crm/v3/objects/deals/search \
    '{"sorts": [{"propertyName": "amount", "direction": "DESCENDING"}], "properties": ["dealname"], "limit": 2}')
assert_eq 200 "$(api_status)" "search answers 200"
assert_eq "Big Mid" "$(jq -r '[.results[].properties.dealname] | join(" ")' <<<"$body")" \
    "sorted by amount descending"
assert_eq "3 2" "$(jq -r '"\(.total) \(.paging.next.after)"' <<<"$body")" \
    "total and the next offset"
assert_eq "null" "$(jq -r '.results[0].properties.amount' <<<"$body")" \
    "only the requested properties (and the system ones)"
assert_eq "$d3" "$(jq -r '.results[0].properties.hs_object_id' <<<"$body")" \
    "hs_object_id is always returned"
body=$(api POST /crm/v3/objects/deals/search \
    '{"sorts": [{"propertyName": "amount", "direction": "DESCENDING"}], "limit": 2, "after": "2"}')
assert_eq "Small null" \
    "$(jq -r '"\([.results[].properties.dealname] | join(" ")) \(.paging)"' <<<"$body")" \
    "the last page has no paging"
assert_eq "Small" "$(jq -r '.results[0].properties.dealname' <<<"$body")" \
    "default properties when none are asked"
body=$(api POST /crm/v3/objects/deals/search '{"sorts": ["amount"]}')
assert_eq "Small Mid Big" "$(jq -r '[.results[].properties.dealname] | join(" ")' <<<"$body")" \
    "a sort given as a string, ascending"
assert_eq "$k1" "$(search contacts '{"query": "ann"}')" "free-text query"

# Archived records never match.
api DELETE "/crm/v3/objects/contacts/$k3" >/dev/null
assert_eq "" "$(search contacts "$(f firstname EQ cy)")" \
    "an archived record does not match"

# Limits: HubSpot answers 400 VALIDATION_ERROR.
groups=$(jq -nc '{filterGroups: [range(6) | {filters: [{propertyName: "email", operator: "HAS_PROPERTY"}]}]}')
body=$(api POST /crm/v3/objects/contacts/search "$groups")
assert_eq "400 VALIDATION_ERROR" "$(api_status) $(jq -r .category <<<"$body")" \
    "more than 5 filter groups"
many=$(jq -nc '{filterGroups: [range(4) | {filters: [range(5) | {propertyName: "email", operator: "HAS_PROPERTY"}]}]}')
api POST /crm/v3/objects/contacts/search "$many" >/dev/null
assert_eq 400 "$(api_status)" "more than 18 filters"
api POST /crm/v3/objects/contacts/search '{"limit": 201}' >/dev/null
assert_eq 400 "$(api_status)" "limit over 200"
api POST /crm/v3/objects/contacts/search '{"limit": 200}' >/dev/null
assert_eq 200 "$(api_status)" "limit 200"
api POST /crm/v3/objects/contacts/search '{"after": "10000"}' >/dev/null
assert_eq 400 "$(api_status)" "paging past 10,000 results"
body=$(api POST /crm/v3/objects/contacts/search "$(f email LIKE x)")
assert_eq "400 VALIDATION_ERROR" "$(api_status) $(jq -r .category <<<"$body")" \
    "unknown operator"
api POST /crm/v3/objects/widgets/search '{}' >/dev/null
assert_eq 400 "$(api_status)" "unknown object type"

# Search has its own bucket and no rate-limit headers.
hdrs=$(curl -s -D - -o /dev/null -X POST -H "Authorization: Bearer $SANDBOX_TOKEN" \
    -H 'Content-Type: application/json' -d '{}' "$SANDBOX_URL/crm/v3/objects/contacts/search")
grep -qi '^x-hubspot-ratelimit' <<<"$hdrs" &&
    fail "search responses carry no rate-limit headers" ||
    pass "search responses carry no rate-limit headers"

finish
