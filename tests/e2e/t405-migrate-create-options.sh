#!/usr/bin/env bash
# A Salesforce picklist value the portal's enumeration lacks, with the
# field's on_unknown: "create": check plans the option and writes
# nothing; run adds it with one PATCH that carries the whole list (the
# portal's options intact, in their order) and the records carry its
# internal value; a second run changes nothing. Without the opt-in the
# rows are rejected with the allowed values listed.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN
mkdir -p "$EXPORT" "$PROJECT"

# Platinum and Diamond are new; "platinum" is the same option in another
# case, so only two options are planned.
cat >"$EXPORT/Contact.csv" <<'CSV'
Id,LastName,Email,Tier__c
003000000000001,Ames,ames@example.com,Gold
003000000000002,Berg,berg@example.com,Platinum
003000000000003,Cole,cole@example.com,silver
003000000000004,Dahl,dahl@example.com,Diamond
003000000000005,Eyre,eyre@example.com,platinum
CSV

# The portal's options carry what a PATCH must not lose: a description,
# a hidden option and their display order.
cat >"$TEST_TMP/seed.json" <<'JSON'
{"properties": {"contacts": [
  {"name": "service_tier", "label": "Service tier", "type": "enumeration",
   "fieldType": "select", "groupName": "contactinformation",
   "options": [
     {"label": "Gold", "value": "gold", "displayOrder": 0, "hidden": false,
      "description": "top customers"},
     {"label": "Silver", "value": "silver", "displayOrder": 1,
      "hidden": false},
     {"label": "Bronze", "value": "bronze", "displayOrder": 2,
      "hidden": true}]}]}}
JSON

write_config() {
    local policy=$1
    cat >"$PROJECT/hsmigrate.yaml" <<YAML
version: "1"
source:
  type: "salesforce"
  input: "$EXPORT"
target:
  id_property: "salesforce_id"
run:
  concurrency: "4"
  daily_quota_floor: "0"
objects:
  contacts:
    - file: "Contact.csv"
      fields:
        - {column: "LastName", property: "lastname"}
        - {column: "Email", property: "email", transform: "email"}
        - {column: "Tier__c", property: "service_tier"$policy}
YAML
    chmod 600 "$PROJECT/hsmigrate.yaml"
}

tier_of() {
    api GET "/crm/v3/objects/contacts/$1?idProperty=salesforce_id&properties=service_tier" |
        jq -r '.properties.service_tier // "<none>"'
}

contacts_in_portal() {
    api GET "/crm/v3/objects/contacts?limit=100" | jq '.results | length'
}

patches() {
    curl -s "$SANDBOX_URL/_sandbox/stats" |
        jq '.byEndpoint["PATCH /crm/v3/properties/{objectType}/{propertyName}"].total // 0'
}

sandbox_start --seed-file "$TEST_TMP/seed.json"
api GET /crm/v3/properties/contacts/service_tier | jq -c '.options' \
    >"$TEST_TMP/before.json"

# check: the plan lists the two options, nothing is written.
write_config ', on_unknown: "create"'
"$HSMIGRATE" check --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/check.json" 2>"$TEST_TMP/check.err"
assert_eq 0 "$?" "check exits 0"
assert_eq 2 "$(jq '.plan.options_to_create' "$TEST_TMP/check.json")" \
    "check plans two options"
assert_eq '{"object":"contacts","property":"service_tier","values":["Platinum","Diamond"]}' \
    "$(jq -c '.plan.create.options[0]' "$TEST_TMP/check.json")" \
    "the plan names the property and the new values"
assert_eq 0 "$(jq '.objects.contacts.rejected' "$TEST_TMP/check.json")" \
    "check rejects no row"
assert_eq "$(jq '.plan.properties_to_create' "$TEST_TMP/check.json")" \
    "$(jq '(.plan.create.id_properties | length) +
        (.plan.create.properties | length)' "$TEST_TMP/check.json")" \
    "the plan lists every property it counts"
[ "$(jq '.plan.create.id_properties | length' "$TEST_TMP/check.json")" -gt 0 ] &&
    pass "the source-id properties are among them" ||
    fail "no source-id property planned: $(jq -c .plan.create "$TEST_TMP/check.json")"
"$HSMIGRATE" check --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    >"$TEST_TMP/check.txt" 2>&1
grep -qF "add options to the contacts property 'service_tier': 'Platinum', 'Diamond'" \
    "$TEST_TMP/check.txt" && pass "check prints the options it would add" ||
    fail "check prints the options it would add: $(cat "$TEST_TMP/check.txt")"
assert_eq 0 "$(patches)" "check sent no property change"
assert_eq "$(cat "$TEST_TMP/before.json")" \
    "$(api GET /crm/v3/properties/contacts/service_tier | jq -c '.options')" \
    "check left the options as they were"
assert_eq 0 "$(contacts_in_portal)" "check wrote no contact"

# run: one PATCH with the whole list; the records carry the values.
"$HSMIGRATE" run --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run.json" 2>"$TEST_TMP/run.err"
rc=$?
assert_eq 0 "$rc" "run exits 0"
[ "$rc" = 0 ] || tail -n 5 "$TEST_TMP/run.err" >&2
assert_eq 2 "$(jq '.schema.options_created' "$TEST_TMP/run.json")" \
    "run counts two options created"
assert_eq 1 "$(patches)" "one PATCH added both options"
prop=$(api GET /crm/v3/properties/contacts/service_tier)
assert_eq "gold silver bronze Platinum Diamond" \
    "$(jq -r '[.options[].value] | join(" ")' <<<"$prop")" \
    "the new options follow the old ones, in order"
assert_eq "$(cat "$TEST_TMP/before.json")" \
    "$(jq -c '.options[0:3]' <<<"$prop")" \
    "the old options are intact (labels, description, hidden, order)"
assert_eq '{"label":"Platinum","value":"Platinum","hidden":false}' \
    "$(jq -c '.options[3] | {label: .label, value: .value, hidden: .hidden}' <<<"$prop")" \
    "the new option's label and internal value are the source value"
assert_eq 5 "$(contacts_in_portal)" "five contacts landed"
assert_eq gold "$(tier_of 003000000000001AAA)" "Gold maps to gold"
assert_eq Platinum "$(tier_of 003000000000002AAA)" "Platinum is written"
assert_eq silver "$(tier_of 003000000000003AAA)" "silver maps to silver"
assert_eq Diamond "$(tier_of 003000000000004AAA)" "Diamond is written"
assert_eq Platinum "$(tier_of 003000000000005AAA)" \
    "platinum takes the option Platinum"

# A second run: nothing planned, nothing sent, the property untouched.
"$HSMIGRATE" run --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run2.json" 2>"$TEST_TMP/run2.err"
assert_eq 0 "$?" "second run exits 0"
assert_eq 0 "$(jq '.schema.options_created' "$TEST_TMP/run2.json")" \
    "second run creates no option"
assert_eq 1 "$(patches)" "second run sent no PATCH"
assert_eq "$(jq -c . <<<"$prop")" \
    "$(api GET /crm/v3/properties/contacts/service_tier | jq -c .)" \
    "the property did not change"
assert_eq 5 "$(jq '.objects.contacts.unchanged' "$TEST_TMP/run2.json")" \
    "second run leaves the five contacts unchanged"
assert_eq 5 "$(contacts_in_portal)" "still five contacts"

# Without the opt-in: the rows are rejected with the allowed values, and
# nothing is written.
sandbox_stop
sandbox_start --seed-file "$TEST_TMP/seed.json"
rm -rf "$PROJECT"
mkdir -p "$PROJECT"
write_config ''
"$HSMIGRATE" check --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/check.json" 2>"$TEST_TMP/check.err"
assert_eq 3 "$?" "check without the opt-in exits 3"
assert_eq 3 "$(jq '.objects.contacts.rejected' "$TEST_TMP/check.json")" \
    "three rows are rejected"
assert_eq 0 "$(jq '.plan.options_to_create' "$TEST_TMP/check.json")" \
    "no option is planned"
errors=$PROJECT/reports/check-errors.csv
for row in "3,003000000000002AAA,contacts,Tier__c,Platinum" \
    "5,003000000000004AAA,contacts,Tier__c,Diamond" \
    "6,003000000000005AAA,contacts,Tier__c,platinum"; do
    grep -F "Contact.csv,$row,not one of the property's options,\"allowed: gold, silver, bronze\"" \
        "$errors" >/dev/null && pass "rejected with the allowed values: $row" ||
        fail "rejected with the allowed values: $row: $(cat "$errors")"
done
"$HSMIGRATE" run --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run.json" 2>"$TEST_TMP/run.err"
assert_eq 3 "$?" "run without the opt-in refuses (exit 3)"
assert_eq 0 "$(patches)" "the refused run sent no PATCH"
assert_eq 0 "$(contacts_in_portal)" "the refused run wrote no contact"
assert_eq "$(cat "$TEST_TMP/before.json")" \
    "$(api GET /crm/v3/properties/contacts/service_tier | jq -c '.options')" \
    "the options are as they were"

finish
