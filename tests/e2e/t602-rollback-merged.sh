#!/usr/bin/env bash
# Records merged in HubSpot after the run: a created contact merged into
# another created one is followed and archived with it; a created contact
# merged into a pre-existing one is never archived (that would archive
# the pre-existing record) and is reported; the pre-existing record's
# replaced values are still restored. Created contacts deleted by hand
# since are gone: reported, nothing to archive (their lookups are sent
# together with the merges' in one go).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rollback_lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 5 \
    --contacts 20 --leads 0 --opportunities 4 --users 2 --seed 65 >/dev/null
email=$(first_emails "$EXPORT/Contact.csv" 1)
cat >"$TEST_TMP/seed.json" <<JSON
{"records": {"contacts": [
  {"id": "9001", "properties": {"email": "$email", "firstname": "Before"}}]}}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json" || finish
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
"$HSMIGRATE" run -q --dir "$PROJECT" --api-base "$SANDBOX_URL" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "run finished (exit $rc)" ||
    fail "run: exit $rc"
mapfile -t made < <(sqlite3 "$PROJECT/ledger.db" "SELECT hubspot_id FROM
    records WHERE object = 'contacts' AND state = 1 ORDER BY
    CAST(hubspot_id AS INTEGER) LIMIT 6")
assert_eq 6 "${#made[@]}" "the run created contacts"
x=${made[0]} y=${made[1]} z=${made[2]}

merge() {
    api POST /crm/v3/objects/contacts/merge \
        "{\"primaryObjectId\": \"$1\", \"objectIdToMerge\": \"$2\"}" >/dev/null
    assert_eq 200 "$(api_status)" "merge $2 into $1"
}
merge "$x" "$y"
merge 9001 "$z"
for id in "${made[@]:3}"; do
    api DELETE "/crm/v3/objects/contacts/$id" >/dev/null
    assert_eq 204 "$(api_status)" "contact $id deleted by hand"
done

"$HSMIGRATE" rollback --yes --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    --json >"$TEST_TMP/rb.json" 2>"$TEST_TMP/rb.err"
assert_eq 3 "$?" "rollback finishes and reports what it left"
assert_eq "1 1" "$(jq -r '"\(.objects.contacts.followed) \(.objects.contacts.kept)"' \
    "$TEST_TMP/rb.json")" "one merge followed, one record kept"
assert_eq 3 "$(jq .objects.contacts.gone "$TEST_TMP/rb.json")" \
    "the contacts deleted by hand are gone"
assert_eq "9001" "$(api GET /crm/v3/objects/contacts?limit=100 |
    jq -r '[.results[].id] | join(" ")')" \
    "only the pre-existing contact is left"
assert_eq "Before" "$(api GET "/crm/v3/objects/contacts/9001?properties=firstname" |
    jq -r .properties.firstname)" "its replaced value is restored"
R=$PROJECT/reports/rollback.csv
grep -q ",archived,merged from $y" "$R" &&
    pass "the followed merge is in the report" ||
    fail "no followed merge in the report: $(grep archive "$R" | head -3)"
grep ",kept," "$R" | grep -q "merged into 9001" &&
    pass "the kept record is reported with its survivor" ||
    fail "no kept record in the report"
assert_eq "" "$(python3 - "$R" <<'PY'
import csv, sys
print(" ".join(sorted({r["detail"] for r in csv.DictReader(open(sys.argv[1]))
                       if r["outcome"] == "restored" and r["hubspot_id"] == "9001"})))
PY
)" "values restored on the record itself carry no detail"
for id in "${made[@]:3}"; do
    grep -q "^contacts,$id,.*,gone," "$R" &&
        pass "deleted contact $id is reported gone" ||
        fail "deleted contact $id: $(grep ",$id," "$R")"
done

finish
