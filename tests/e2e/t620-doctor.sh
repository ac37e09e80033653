#!/usr/bin/env bash
# doctor on a portal without a project: finds seeded duplicates (domains
# with https://www., upper case and a path against a bare domain, repeated
# source ids on contacts and deals), proposes the survivor with its reason,
# and with --fix leaves one record per group holding all the group's
# associations; a second doctor finds nothing.
#
# Contacts sharing an email in different spellings need records the API
# refuses: t622 seeds them "unchecked".
. "$(dirname "$0")/lib.sh"

sfprop() {
    echo "{\"name\": \"salesforce_id\", \"label\": \"Salesforce ID\",
      \"type\": \"string\", \"fieldType\": \"text\", \"groupName\": \"$1\"}"
}
cat >"$TEST_TMP/seed.json" <<JSON
{"properties": {"contacts": [$(sfprop contactinformation)],
                "companies": [$(sfprop companyinformation)],
                "deals": [$(sfprop dealinformation)]},
 "records": {
  "contacts": [
    {"id": "101", "properties": {"email": "ann@example.com", "firstname": "Ann"}},
    {"id": "102", "properties": {"email": "bob@example.com", "salesforce_id": "003A",
      "firstname": "Bob", "lastname": "Older", "phone": "555"}},
    {"id": "103", "properties": {"email": "carl@example.com", "salesforce_id": "003A"}},
    {"id": "104", "properties": {"email": "zed@example.com"}}],
  "companies": [
    {"id": "201", "properties": {"name": "Acme www", "domain": "https://www.acme.example"}},
    {"id": "202", "properties": {"name": "Acme", "domain": "acme.example",
      "salesforce_id": "001X"}},
    {"id": "203", "properties": {"name": "Acme upper", "domain": "WWW.Acme.Example/about"}},
    {"id": "204", "properties": {"name": "Other", "domain": "other.example"}}],
  "deals": [
    {"id": "301", "properties": {"dealname": "D1", "amount": "10", "salesforce_id": "006A"}},
    {"id": "302", "properties": {"dealname": "D2", "salesforce_id": "006A"}}]},
 "associations": [
  {"from": {"type": "contacts", "id": "101"}, "to": {"type": "companies", "id": "201"}, "types": [1]},
  {"from": {"type": "contacts", "id": "102"}, "to": {"type": "companies", "id": "203"}, "types": [279]},
  {"from": {"type": "contacts", "id": "103"}, "to": {"type": "companies", "id": "204"}, "types": [1]},
  {"from": {"type": "deals", "id": "301"}, "to": {"type": "companies", "id": "201"}, "types": [341]},
  {"from": {"type": "deals", "id": "302"}, "to": {"type": "contacts", "id": "103"}, "types": [3]},
  {"from": {"type": "deals", "id": "302"}, "to": {"type": "companies", "id": "203"}, "types": [5]}]}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json" || finish
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN
cd "$TEST_TMP" || finish

ids() {
    api GET "/crm/v3/objects/$1?limit=100" | jq -r '[.results[].id] | sort | join(" ")'
}
to_ids() {
    api GET "/crm/v4/objects/$1/$2/associations/$3" |
        jq -r '[.results[].toObjectId | tostring] | sort | unique | join(" ")'
}
row() { # row OBJECT ID: role|action|why[|outcome] of a record in doctor.csv
    python3 - "$TEST_TMP/doctor.csv" "$1" "$2" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["object"] == sys.argv[2] and r["hubspot_id"] == sys.argv[3]:
        print("|".join(v for v in (r["role"], r["action"], r["why"],
                                   r["outcome"]) if v))
PY
}

"$HSMIGRATE" doctor --api-base "$SANDBOX_URL" --json >first.json 2>first.err
assert_eq 3 "$?" "doctor reports what it found (exit 3)"
assert_eq "1 2 1 1 1 1" \
    "$(jq -r '[.objects.companies.groups, .objects.companies.duplicates,
               .objects.contacts.groups, .objects.contacts.duplicates,
               .objects.deals.groups, .objects.deals.duplicates] | join(" ")' first.json)" \
    "one group per object: three companies, two contacts, two deals"
assert_eq "survivor|keep|it holds the source id" "$(row companies 202)" \
    "the company holding the source id survives"
assert_eq "duplicate|merge into 202" "$(row companies 201 | cut -d'|' -f1,2)" \
    "the https://www. domain is a duplicate of the bare one"
assert_eq "duplicate|merge into 202" "$(row companies 203 | cut -d'|' -f1,2)" \
    "the upper-case domain with a path is a duplicate too"
assert_eq "" "$(row companies 204)" "a company with its own domain is no duplicate"
assert_eq "survivor|keep" "$(row contacts 102 | cut -d'|' -f1,2)" \
    "of two contacts with one source id, the older survives"
assert_eq "source id 003A" "$(grep '^contacts,.*,103,' doctor.csv | cut -d, -f5)" \
    "the report names the shared key"
assert_eq "survivor|keep" "$(row deals 301 | cut -d'|' -f1,2)" \
    "deals with a repeated source id are grouped too"
assert_eq "101 102 103 104" "$(ids contacts)" "without --fix nothing changes"

"$HSMIGRATE" doctor --api-base "$SANDBOX_URL" --fix --json >fix.json 2>fix.err
assert_eq 0 "$?" "doctor --fix repairs everything"
assert_eq "2 1 1" "$(jq -r '[.objects.companies.merged, .objects.contacts.merged,
    .objects.deals.merged] | join(" ")' fix.json)" "every duplicate is merged"
assert_eq "merged into 202" "$(row companies 203 | cut -d'|' -f4)" \
    "the report says what was done"
assert_eq "kept as 202" "$(row companies 202 | cut -d'|' -f4)" \
    "and what became of the survivor"
assert_eq "202 204" "$(ids companies)" "one company per group is left"
assert_eq "101 102 104" "$(ids contacts)" "one contact per group is left"
assert_eq "301" "$(ids deals)" "one deal per group is left"
assert_eq "202" "$(to_ids contacts 101 companies)" \
    "a contact of a merged company is linked to the survivor"
assert_eq "202 204" "$(to_ids contacts 102 companies)" \
    "the surviving contact holds its group's companies"
assert_eq "202" "$(to_ids deals 301 companies)" \
    "the surviving deal holds its group's company links"
assert_eq "102" "$(to_ids deals 301 contacts)" \
    "and the merged deal's contact, moved to the surviving contact"
assert_eq "101 102" "$(to_ids companies 202 contacts)" \
    "the surviving company holds every contact of its group"

"$HSMIGRATE" doctor --api-base "$SANDBOX_URL" --json >second.json 2>/dev/null
assert_eq 0 "$?" "a second doctor finds nothing"
assert_eq "0 0 0" "$(jq -r '[.objects.companies.groups, .objects.contacts.groups,
    .objects.deals.groups] | join(" ")' second.json)" "no group is left"
assert_eq 1 "$(wc -l <doctor.csv)" "the second report holds only its header"

finish
