#!/usr/bin/env bash
# A contact that already exists in the portal with the same email (other
# case) is updated, not duplicated, and the values the run replaced are
# kept in the ledger for rollback.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 10 \
    --contacts 30 --leads 0 --opportunities 5 --users 3 --seed 21 >/dev/null
# The first live contact with an email, read with Python's csv module.
read -r sid email < <(python3 - "$EXPORT/Contact.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace").lstrip("\ufeff")
for r in csv.DictReader(raw.replace("\x00", "").splitlines(True)):
    e = r["Email"].strip()
    if e and r["IsDeleted"] != "1" and "@" in e:
        print(r["Id"], e.lower())
        break
PY
)
upper=$(printf '%s' "$email" | tr a-z A-Z)
cat >"$TEST_TMP/seed.json" <<JSON
{"records": {"contacts": [{"id": "9001", "properties":
  {"email": "$upper", "firstname": "Before", "jobtitle": "Old title"}}]}}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json"

"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
"$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run.json" 2>"$TEST_TMP/run.err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "run finished (exit $rc)" ||
    fail "run: exit $rc $(tail -3 "$TEST_TMP/run.err")"

body='{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"'$email'"}]}],"properties":["email","salesforce_id","firstname"]}'
found=$(api POST /crm/v3/objects/contacts/search "$body")
assert_eq "1" "$(jq '.total' <<<"$found")" "one contact holds the email"
assert_eq "9001" "$(jq -r '.results[0].id' <<<"$found")" \
    "it is the pre-existing record"
assert_eq "$sid" "$(jq -r '.results[0].properties.salesforce_id' <<<"$found")" \
    "it now carries the source id"
assert_eq "1" "$(jq '.objects.contacts.updated' "$TEST_TMP/run.json")" \
    "the run counts it as updated"
assert_eq "Before" "$(sqlite3 "$PROJECT/ledger.db" \
    "SELECT old_value FROM preimages WHERE hubspot_id = '9001' AND property = 'firstname'")" \
    "the ledger kept the replaced first name"
assert_eq "2" "$(sqlite3 "$PROJECT/ledger.db" \
    "SELECT state FROM records WHERE source_id = '$sid'")" \
    "the ledger marks the record as existing before the run"

finish
