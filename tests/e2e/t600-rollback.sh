#!/usr/bin/env bash
# A seeded portal, a migration that creates some records and updates
# others, then a rollback: the portal equals the seeded state again, except
# for one value edited in the portal after the run, which survives and is
# reported. A second rollback changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rollback_lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 8 \
    --contacts 25 --leads 5 --opportunities 6 --users 3 --seed 61 >/dev/null
# Two live contacts with an email: they will exist in the portal already.
mapfile -t picked < <(first_emails "$EXPORT/Contact.csv" 2)
upper=$(printf '%s' "${picked[0]}" | tr a-z A-Z)
cat >"$TEST_TMP/seed.json" <<JSON
{"records": {
  "contacts": [
    {"id": "9001", "properties": {"email": "$upper", "firstname": "Before",
      "jobtitle": "Old title"}},
    {"id": "9002", "properties": {"email": "${picked[1]}", "firstname": "Two",
      "lastname": "Seeded", "jobtitle": "Keeper"}},
    {"id": "9003", "properties": {"email": "untouched@example.org",
      "firstname": "Nobody"}}],
  "companies": [
    {"id": "8001", "properties": {"name": "Seeded Co", "domain": "seeded.example"}}]
}}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json" || finish
api PUT /crm/v4/objects/contacts/9003/associations/companies/8001 \
    '[{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]' \
    >/dev/null

save_portal before
links_before=$(links contacts 9003 companies)

"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
run_project run
created=$(jq '.objects.contacts.created' "$TEST_TMP/run.json")
[ "$created" -gt 0 ] && pass "the run created contacts" ||
    fail "the run created no contacts"
assert_eq "2" "$(jq '.objects.contacts.updated' "$TEST_TMP/run.json")" \
    "the run updated the two seeded contacts"
[ "$(snapshot contacts)" != "$(cat "$TEST_TMP/before.contacts")" ] &&
    pass "the portal changed" || fail "the run changed nothing"
deal_links=$(sqlite3 "$PROJECT/ledger.db" \
    "SELECT count(*) FROM associations WHERE created = 1")
[ "$deal_links" -gt 0 ] && pass "the run created associations" ||
    fail "the run created no associations"

# Someone edits a value on 9002 that the run wrote.
prop=$(sqlite3 "$PROJECT/ledger.db" "SELECT property FROM preimages WHERE
    hubspot_id = '9002' AND property NOT IN ('email', 'salesforce_id')
    ORDER BY property LIMIT 1")
[ -n "$prop" ] && pass "the run replaced a value on 9002 ($prop)" ||
    fail "no pre-image for 9002"
api PATCH /crm/v3/objects/contacts/9002 \
    "{\"properties\": {\"$prop\": \"Edited later\"}}" >/dev/null
assert_eq 200 "$(api_status)" "the value is edited in the portal"

# Without --yes and without an answer, nothing happens.
"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    </dev/null >/dev/null 2>"$TEST_TMP/refused.err"
assert_eq 2 "$?" "rollback without --yes and no answer is refused"
"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --dry-run \
    --json >"$TEST_TMP/plan.json" 2>/dev/null
assert_eq "$created" "$(jq '.plan.objects.contacts.archive' "$TEST_TMP/plan.json")" \
    "the dry run plans to archive every contact the run created"
[ "$(snapshot contacts | wc -c)" -gt "$(wc -c <"$TEST_TMP/before.contacts")" ] &&
    pass "refusal and dry run left the portal alone" ||
    fail "the portal changed before the rollback"

echo y | "$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    --json >"$TEST_TMP/rb.json" 2>"$TEST_TMP/rb.err"
assert_eq 3 "$?" "rollback confirmed on stdin finishes, with a value left alone"
assert_eq "$created" "$(jq '.objects.contacts.archived' "$TEST_TMP/rb.json")" \
    "every created contact is archived"
assert_eq 1 "$(jq '.objects.contacts.changed' "$TEST_TMP/rb.json")" \
    "one value is reported as changed since the run"
assert_eq "9002,$prop,changed" \
    "$(grep ',changed,' "$PROJECT/reports/rollback.csv" | cut -d, -f2,5,7)" \
    "reports/rollback.csv names the record, the property and the outcome"
assert_eq "archive restore unlink: 0 rows without a source id" \
    "$(python3 - "$PROJECT/reports/rollback.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(" ".join(sorted({r["action"] for r in rows})) + ": %d rows without a"
      " source id" % sum(1 for r in rows if not r["source_id"]))
PY
)" "every row of reports/rollback.csv names its source id"

# The portal equals the seeded state, but for the edited value.
jq -S -c --arg p "$prop" 'map(if .[0] == "9002" then .[1][$p] = "Edited later"
    else . end)' "$TEST_TMP/before.contacts" >"$TEST_TMP/want.contacts"
assert_eq "$(cat "$TEST_TMP/want.contacts")" "$(snapshot contacts)" \
    "contacts equal the seeded state, edited value kept"
for o in companies deals; do
    assert_eq "$(cat "$TEST_TMP/before.$o")" "$(snapshot $o)" \
        "$o equal the seeded state"
done
assert_eq "$links_before" "$(links contacts 9003 companies)" \
    "a seeded association is untouched"
assert_eq "[]" "$(links contacts 9001 companies)" \
    "the association the run gave a seeded contact is removed"

assert_eq 0 "$(sqlite3 "$PROJECT/ledger.db" "SELECT count(*) FROM records")" \
    "the ledger forgets the rolled-back records"
assert_eq "$created" "$(sqlite3 "$PROJECT/ledger.db" "SELECT count(*) FROM
    rollback_items WHERE object = 'contacts' AND outcome = 'archived'")" \
    "the ledger records each archived contact"

"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --yes \
    --json >"$TEST_TMP/rb2.json" 2>/dev/null
assert_eq 0 "$?" "a second rollback succeeds"
assert_eq "0 0" "$(jq -r '"\(.objects.contacts.archived) \(.objects.contacts.restored)"' \
    "$TEST_TMP/rb2.json")" "a second rollback changes nothing"
assert_eq "$(cat "$TEST_TMP/want.contacts")" "$(snapshot contacts)" \
    "the portal is unchanged by the second rollback"
"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --yes \
    >/dev/null 2>"$TEST_TMP/rb3.err"
assert_eq 0 "$?" "a rollback with nothing left to undo exits 0"
grep -q "^nothing to roll back in run [0-9]*; 'hsmigrate status' lists the runs: --run ID names another, --all undoes every run$" \
    "$TEST_TMP/rb3.err" && pass "it names the run and how to name another" ||
    fail "nothing to undo: $(cat "$TEST_TMP/rb3.err")"

finish
