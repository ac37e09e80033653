#!/usr/bin/env bash
# Objects v3, one record at a time: create, read (also by email), update,
# clear, archive, and the list with paging, properties and archived.
. "$(dirname "$0")/lib.sh"

# jb FILTER: applies a jq filter to the last response body.
jb() { jq -r "$1" "$TEST_TMP/body"; }

sandbox_start

api POST /crm/v3/objects/contacts \
    '{"properties":{"email":"Ann.Lee@Example.COM","firstname":"Ann"}}' >/dev/null
assert_eq 201 "$(api_status)" "create answers 201"
ann=$(jb .id)
assert_eq ann.lee@example.com "$(jb .properties.email)" "email stored lowercased"
assert_eq "$ann" "$(jb .properties.hs_object_id)" "hs_object_id is the id"
assert_eq false "$(jb .archived)" "a new record is not archived"
[[ "$(jb .createdAt)" =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T.*Z$ ]] &&
    pass "createdAt is ISO 8601" || fail "createdAt is ISO 8601: $(jb .createdAt)"

api GET "/crm/v3/objects/contacts/$ann" >/dev/null
assert_eq 200 "$(api_status)" "read by id"
assert_eq Ann "$(jb .properties.firstname)" "read returns the value"
assert_eq null "$(jb .properties.lastname)" "unset default property is null"
api GET "/crm/v3/objects/contacts/ANN.LEE@example.com?idProperty=email" >/dev/null
assert_eq "$ann" "$(jb .id)" "read by email, case-insensitively"
api GET "/crm/v3/objects/contacts/$ann?properties=jobtitle,nosuchprop" >/dev/null
assert_eq null "$(jb .properties.jobtitle)" "requested property shown as null"
assert_eq false "$(jb '.properties | has("nosuchprop")')" \
    "unknown requested property ignored"
api GET "/crm/v3/objects/contacts/999999" >/dev/null
assert_eq 404 "$(api_status)" "missing record gives 404"
assert_eq OBJECT_NOT_FOUND "$(jb .category)" "404 category"
api GET "/crm/v3/objects/widgets/1" >/dev/null
assert_eq 400 "$(api_status)" "unknown object type gives 400"

api POST /crm/v3/objects/contacts '{"properties":{"email":"ann.lee@example.com"}}' >/dev/null
assert_eq 409 "$(api_status)" "existing email gives 409"
assert_eq "Contact already exists. Existing ID: $ann" "$(jb .message)" \
    "409 names the existing id"
assert_eq CONFLICT "$(jb .category)" "409 category"

api PATCH "/crm/v3/objects/contacts/$ann" \
    '{"properties":{"lastname":"Lee","firstname":""}}' >/dev/null
assert_eq 200 "$(api_status)" "update answers 200"
api GET "/crm/v3/objects/contacts/$ann" >/dev/null
assert_eq Lee "$(jb .properties.lastname)" "update sets a value"
assert_eq null "$(jb .properties.firstname)" "empty string clears a value"
api PATCH "/crm/v3/objects/contacts/ann.lee@example.com?idProperty=email" \
    '{"properties":{"jobtitle":"CEO"}}' >/dev/null
assert_eq CEO "$(jb .properties.jobtitle)" "update by email"
api PATCH "/crm/v3/objects/contacts/$ann" '{"properties":{"hs_object_id":"7"}}' >/dev/null
assert_eq 400 "$(api_status)" "read-only property refused"
api POST /crm/v3/objects/contacts '{"properties":{"email":"old@example.com","createdate":"2019-03-04T05:06:07Z"}}' >/dev/null
assert_eq 201 "$(api_status)" "createdate accepted on create"
assert_eq 2019-03-04T05:06:07.000Z "$(jb .createdAt)" "createdAt follows createdate"
assert_eq 2019-03-04T05:06:07.000Z "$(jb .properties.createdate)" "createdate kept"
api PATCH "/crm/v3/objects/contacts/$ann" '{"properties":{"createdate":"1700000000000"}}' >/dev/null
assert_eq 400 "$(api_status)" "createdate refused on update"

# Companies and deals share the code path, with their own properties.
api POST /crm/v3/objects/companies '{"properties":{"name":"Acme","domain":"acme.io","industry":"BANKING"}}' >/dev/null
assert_eq 201 "$(api_status)" "company created"
acme=$(jb .id)
api POST /crm/v3/objects/companies '{"properties":{"name":"Acme 2","domain":"acme.io"}}' >/dev/null
assert_eq 201 "$(api_status)" "companies are not deduplicated by domain"
api GET "/crm/v3/objects/companies/acme.io?idProperty=domain" >/dev/null
assert_eq "$acme" "$(jb .id)" "company read by domain"
api POST /crm/v3/objects/deals '{"properties":{"dealname":"Big","amount":"1000.50","dealstage":"qualifiedtobuy","closedate":"2024-05-01T00:00:00Z"}}' >/dev/null
assert_eq 201 "$(api_status)" "deal created"
assert_eq default "$(jb .properties.pipeline)" "a deal without pipeline is in the default one"
assert_eq 2024-05-01T00:00:00.000Z "$(jb .properties.closedate)" "datetime normalized"

# Archive, then it is gone from reads and lists but visible as archived.
api DELETE "/crm/v3/objects/companies/$acme" >/dev/null
assert_eq 204 "$(api_status)" "archive answers 204"
api GET "/crm/v3/objects/companies/$acme" >/dev/null
assert_eq 404 "$(api_status)" "archived record is not found"
api GET "/crm/v3/objects/companies/$acme?archived=true" >/dev/null
assert_eq true "$(jb .archived)" "archived=true finds it"
[ "$(jb .archivedAt)" != null ] && pass "archivedAt set" || fail "archivedAt set"
api GET "/crm/v3/objects/companies?archived=true" >/dev/null
assert_eq "$acme" "$(jb '.results | map(.id) | join(",")')" \
    "archived list holds only archived records"

# Paging: 8 contacts in pages of 3; every one exactly once, no paging
# object on the last page.
for i in 1 2 3 4 5 6; do
    api POST /crm/v3/objects/contacts "{\"properties\":{\"email\":\"p$i@example.com\"}}" >/dev/null
done
after="" pages=0 seen=""
while :; do
    api GET "/crm/v3/objects/contacts?limit=3&properties=email${after:+&after=$after}" >/dev/null
    pages=$((pages + 1))
    seen="$seen $(jb '.results[].properties.email' | tr '\n' ' ')"
    after=$(jb '.paging.next.after // empty')
    [ -z "$after" ] && break
    [ "$pages" -gt 5 ] && break
done
assert_eq 3 "$pages" "8 records in pages of 3 take 3 pages"
assert_eq 8 "$(tr ' ' '\n' <<<"$seen" | grep -c @)" "every record listed"
assert_eq 8 "$(tr ' ' '\n' <<<"$seen" | grep @ | sort -u | wc -l | tr -d ' ')" \
    "no record listed twice"
api GET "/crm/v3/objects/contacts?limit=500" >/dev/null
assert_eq 8 "$(jb '.results | length')" "limit above 100 is capped, not refused"
api GET "/crm/v3/objects/contacts?limit=0" >/dev/null
assert_eq 400 "$(api_status)" "limit 0 refused"
api GET "/crm/v3/objects/contacts" >/dev/null
assert_eq 8 "$(jb '.results | length')" "default page holds up to 10"
assert_eq "createdate,email,firstname,hs_object_id,lastmodifieddate,lastname" \
    "$(jb '.results[0].properties | keys - ["hs_lastmodifieddate"] | join(",")')" \
    "default contact properties"

finish
