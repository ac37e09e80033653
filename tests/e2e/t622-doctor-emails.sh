#!/usr/bin/env bash
# doctor on contacts whose emails differ only in case and white space, or
# meet through hs_additional_emails: records the API would refuse, seeded
# "unchecked" as other tools leave them. The sandbox's lookups, upserts
# and merges treat them as one email; doctor reports one group with the
# oldest as survivor and, with --fix, leaves one contact holding every
# association of the group; the ledger records the merges; a second
# doctor finds nothing.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN
jb() { jq -r "$1" "$TEST_TMP/body"; }

# A misspelt "unchecked" is refused, not silently a checked record.
cat >"$TEST_TMP/bad.json" <<'JSON'
{"records": {"contacts": [
  {"properties": {"email": "ANN@Example.com"}, "uncheked": true}]}}
JSON
"$HSMIGRATE" sandbox --port 0 --seed-file "$TEST_TMP/bad.json" \
    >/dev/null 2>"$TEST_TMP/bad.err" </dev/null
assert_eq 1 "$?" "a seed record with an unknown key stops the sandbox"
grep -q "records.contacts\[0\]: unknown key 'uncheked'" "$TEST_TMP/bad.err" &&
    pass "the error names the place and the key" ||
    fail "unexpected error: $(cat "$TEST_TMP/bad.err")"
cat >"$TEST_TMP/bad.json" <<'JSON'
{"records": {"contacts": [
  {"properties": {"emial": "a@example.com"}, "unchecked": true}]}}
JSON
"$HSMIGRATE" sandbox --port 0 --seed-file "$TEST_TMP/bad.json" \
    >/dev/null 2>"$TEST_TMP/bad.err" </dev/null
grep -q 'records.contacts\[0\].properties: Property "emial" does not exist' \
    "$TEST_TMP/bad.err" && pass "an unchecked record still names real properties" ||
    fail "unexpected error: $(cat "$TEST_TMP/bad.err")"

cat >"$TEST_TMP/seed.json" <<'JSON'
{"records": {
  "contacts": [
    {"id": "401", "properties": {"email": "ann@example.com", "firstname": "Ann"}},
    {"id": "402", "unchecked": true,
     "properties": {"email": "ANN@Example.com", "lastname": "Upper"}},
    {"id": "403", "unchecked": true,
     "properties": {"email": " ann@example.com ", "phone": "555",
                    "createdate": "2019-05-01T10:00:00.000Z"}},
    {"id": "404", "unchecked": true,
     "properties": {"email": "ann.lee@work.example",
                    "hs_additional_emails": "Ann@Example.com"}},
    {"id": "405", "properties": {"email": "zed@example.com"}},
    {"id": "406", "unchecked": true, "properties": {"email": " Bob@Example.COM"}}],
  "companies": [
    {"id": "501", "properties": {"name": "A"}},
    {"id": "502", "properties": {"name": "B"}},
    {"id": "503", "properties": {"name": "C"}},
    {"id": "504", "properties": {"name": "D"}}],
  "deals": [
    {"id": "601", "properties": {"dealname": "D1"}},
    {"id": "602", "properties": {"dealname": "D2"}}]},
 "associations": [
  {"from": {"type": "contacts", "id": "401"}, "to": {"type": "companies", "id": "501"}, "types": [1]},
  {"from": {"type": "contacts", "id": "402"}, "to": {"type": "companies", "id": "502"}, "types": [279]},
  {"from": {"type": "contacts", "id": "404"}, "to": {"type": "companies", "id": "503"}, "types": [279]},
  {"from": {"type": "contacts", "id": "405"}, "to": {"type": "companies", "id": "504"}, "types": [279]},
  {"from": {"type": "deals", "id": "601"}, "to": {"type": "contacts", "id": "403"}, "types": [3]},
  {"from": {"type": "deals", "id": "602"}, "to": {"type": "contacts", "id": "404"}, "types": [3]}]}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json" || finish

# The sandbox keeps the values as given and matches them as one email.
api GET "/crm/v3/objects/contacts/403?properties=email,hs_additional_emails" >/dev/null
assert_eq " ann@example.com " "$(jb .properties.email)" \
    "an unchecked email is stored as given"
api GET "/crm/v3/objects/contacts/404?properties=hs_additional_emails" >/dev/null
assert_eq "Ann@Example.com" "$(jb .properties.hs_additional_emails)" \
    "an unchecked record may hold a read-only property"
api GET "/crm/v3/objects/contacts/ANN@example.com?idProperty=email" >/dev/null
assert_eq 401 "$(jb .id)" "a read by email finds the exact match first"
api POST /crm/v3/objects/contacts/batch/read \
    '{"idProperty": "email", "inputs": [{"id": "bob@example.com"}], "properties": ["email"]}' \
    >/dev/null
assert_eq 406 "$(jb '.results[0].id')" \
    "a batch read by email finds a variant with white space and capitals"
api POST /crm/v3/objects/contacts \
    '{"properties": {"email": "bob@example.com"}}' >/dev/null
assert_eq "409 Contact already exists. Existing ID: 406" \
    "$(api_status) $(jb .message)" "a new contact may not take a variant's email"
api POST /crm/v3/objects/contacts/batch/upsert \
    '{"inputs": [{"id": "BOB@example.com", "idProperty": "email",
      "properties": {"firstname": "Bob"}}]}' >/dev/null
assert_eq "200 406 false" "$(api_status) $(jb '.results[0] | "\(.id) \(.new)"')" \
    "an upsert by email updates the variant instead of creating a contact"
search() { # search OPERATOR VALUE: the ids of contacts whose email matches
    api POST /crm/v3/objects/contacts/search "{\"filterGroups\": [{\"filters\":
        [{\"propertyName\": \"email\", \"operator\": \"$1\", \"value\": \"$2\"}]}],
        \"properties\": [\"email\"]}" | jq -r '[.results[].id] | sort | join(" ")'
}
assert_eq "401 402" "$(search EQ ann@example.com)" \
    "search EQ compares stored emails case-insensitively, white space included"
assert_eq "401 402 403" "$(search CONTAINS_TOKEN ann@example.com)" \
    "search CONTAINS_TOKEN finds the email with white space too"
api GET /crm/v3/objects/contacts?limit=100 >/dev/null
assert_eq "401 402 403 404 405 406" "$(jb '[.results[].id] | sort | join(" ")')" \
    "a list shows every seeded contact"

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 2 --contacts 3 \
    --leads 0 --opportunities 1 --users 1 --seed 66 >/dev/null
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null

ids() {
    api GET "/crm/v3/objects/$1?limit=100" | jq -r '[.results[].id] | sort | join(" ")'
}
to_ids() {
    api GET "/crm/v4/objects/$1/$2/associations/$3" |
        jq -r '[.results[].toObjectId | tostring] | sort | unique | join(" ")'
}
R=$PROJECT/reports/doctor.csv
row() { # row ID: role|key|action|why|outcome of a contact in doctor.csv
    python3 - "$R" "$1" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["object"] == "contacts" and r["hubspot_id"] == sys.argv[2]:
        print("|".join((r["role"], r["key"], r["action"], r["why"],
                        r["outcome"])))
PY
}

"$HSMIGRATE" doctor --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/first.json" 2>"$TEST_TMP/first.err"
assert_eq 3 "$?" "doctor reports what it found (exit 3)"
assert_eq "1 3" "$(jq -r '[.objects.contacts.groups,
    .objects.contacts.duplicates] | join(" ")' "$TEST_TMP/first.json")" \
    "four contacts with one email in four spellings are one group"
assert_eq "survivor|email ann@example.com|keep|it is the oldest|" "$(row 403)" \
    "the oldest survives, though its email has white space"
why="shares a key with 403, kept because it is the oldest"
for id in 401 402; do
    assert_eq "duplicate|email ann@example.com|merge into 403|$why|" "$(row $id)" \
        "contact $id is a duplicate of 403"
done
assert_eq "duplicate|email ann@example.com|merge into 403|$why|" "$(row 404)" \
    "the contact holding the email among its additional emails is too"
assert_eq "" "$(row 406)" "a contact alone with its email is no duplicate"
assert_eq "401 402 403 404 405 406" "$(ids contacts)" "without --fix nothing changes"

# The ledger as a run would have left it, holding links of contacts that
# --fix merges away; 401 and 403 both link to 501.
sqlite3 "$PROJECT/ledger.db" "INSERT INTO associations(run_id, from_object,
    from_id, to_object, to_id, type_id, created) VALUES
    (1, 'contacts', '401', 'companies', '501', 1, 1),
    (1, 'contacts', '403', 'companies', '501', 1, 1),
    (1, 'contacts', '402', 'companies', '502', 279, 1),
    (1, 'deals', '602', 'contacts', '404', 3, 1)" &&
    pass "links of the duplicates put in the ledger" ||
    fail "could not write the ledger's links"

"$HSMIGRATE" doctor --dir "$PROJECT" --api-base "$SANDBOX_URL" --fix --json \
    >"$TEST_TMP/fix.json" 2>"$TEST_TMP/fix.err"
assert_eq 0 "$?" "doctor --fix repairs everything"
assert_eq 3 "$(jq '.objects.contacts.merged' "$TEST_TMP/fix.json")" \
    "three contacts are merged"
assert_eq "merged into 403" "$(row 402 | cut -d'|' -f5)" "the report says what was done"
assert_eq "403 405 406" "$(ids contacts)" "one contact of the group is left"
assert_eq "501 502 503" "$(to_ids contacts 403 companies)" \
    "the survivor holds every company of the group"
assert_eq "601 602" "$(to_ids contacts 403 deals)" \
    "and every deal of the group"
assert_eq "403" "$(to_ids deals 602 contacts)" \
    "a deal of a merged contact now points at the survivor"
assert_eq "504" "$(to_ids contacts 405 companies)" "an unrelated contact is untouched"
api GET "/crm/v3/objects/contacts/401?properties=email,hs_additional_emails" >/dev/null
assert_eq "403" "$(jb .id)" "a merged-away id reads as the survivor"
assert_eq "ann.lee@work.example" "$(jb .properties.hs_additional_emails)" \
    "the survivor's additional emails hold each other email once, normalized"
assert_eq "401 402 404" "$(sqlite3 "$PROJECT/ledger.db" "SELECT hubspot_id FROM
    doctor_changes WHERE action = 'merge' AND other_id = '403'
    ORDER BY hubspot_id" | tr '\n' ' ' | sed 's/ $//')" \
    "the ledger records each merge into the survivor"
assert_eq "contacts 403 companies 501|contacts 403 companies 502|deals 602 \
contacts 403" "$(sqlite3 "$PROJECT/ledger.db" "SELECT from_object || ' ' ||
    from_id || ' ' || to_object || ' ' || to_id FROM associations ORDER BY 1" |
    paste -sd '|')" "the ledger's links follow the merges, one row a pair"
assert_exit 0 "verify: every link of the ledger is in the portal" \
    "$HSMIGRATE" verify --dir "$PROJECT" --api-base "$SANDBOX_URL" --json
assert_eq "2 0 1" "$(jq -r '.associations_in_ledger | [.contact_company,
    .deal_company, .deal_contact] | join(" ")' "$TEST_TMP/last.out")" \
    "verify compared the ledger's three links"

"$HSMIGRATE" doctor --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/second.json" 2>/dev/null
assert_eq 0 "$?" "a second doctor finds nothing"
assert_eq "0" "$(jq '.objects.contacts.groups' "$TEST_TMP/second.json")" \
    "no group is left"
api GET "/crm/v3/objects/contacts/ANN@example.com?idProperty=email" >/dev/null
assert_eq 403 "$(jb .id)" "the group's email now finds the survivor"

finish
