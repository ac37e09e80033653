#!/usr/bin/env bash
# Links between two records that were both in the portal before the run.
# The run reads their links first: a pair already linked is left as it is
# and recorded as not created; a pair it links is its own, and rollback
# removes it while leaving the pre-existing link and both records alone.
# A pre-existing contact without any company gets the export's company as
# primary (HubSpot's NO_ASSOCIATIONS_FOUND answer means "none").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rollback_lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
L=$PROJECT/ledger.db
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 8 \
    --contacts 30 --leads 0 --opportunities 4 --users 2 --seed 607 >/dev/null
# Two live contacts with distinct valid emails and distinct live accounts:
# email, contact id, account id (18 characters, as the run writes it).
mapfile -t picked < <(python3 - "$EXPORT" <<'PY'
import csv, sys
def rows(name):
    raw = open(f"{sys.argv[1]}/{name}.csv", "rb").read().decode("utf-8", "replace")
    return [r for r in csv.DictReader(raw.lstrip("\ufeff").replace("\x00", "").splitlines(True))
            if r["IsDeleted"] != "1"]
accounts = {a["Id"][:15]: a["Id"] for a in rows("Account") if len(a["Id"]) == 18}
emails = [c["Email"].strip().lower() for c in rows("Contact")]
used = set()
for c in rows("Contact"):
    e = c["Email"].strip().lower()
    acct = accounts.get(c["AccountId"][:15])
    if (e and " " not in e and e.count("@") == 1 and emails.count(e) == 1
            and acct and acct not in used):
        print(e, c["Id"], acct)
        used.add(acct)
    if len(used) == 2:
        break
PY
)
assert_eq 2 "${#picked[@]}" "picked two contacts with their accounts"
read -r email1 sid1 acct1 <<<"${picked[0]}"
read -r email2 sid2 acct2 <<<"${picked[1]}"

sfprop() {
    echo "{\"name\": \"salesforce_id\", \"label\": \"Salesforce ID\",
      \"type\": \"string\", \"fieldType\": \"text\", \"groupName\": \"$1\",
      \"hasUniqueValue\": true}"
}
cat >"$TEST_TMP/seed.json" <<JSON
{"properties": {"companies": [$(sfprop companyinformation)]},
 "records": {
  "contacts": [
    {"id": "901", "properties": {"email": "$email1", "firstname": "Had"}},
    {"id": "902", "properties": {"email": "$email2", "firstname": "Linked"}}],
  "companies": [
    {"id": "501", "properties": {"name": "First Co", "salesforce_id": "$acct1"}},
    {"id": "502", "properties": {"name": "Second Co", "salesforce_id": "$acct2"}}]},
 "associations": [
  {"from": {"type": "contacts", "id": "902"},
   "to": {"type": "companies", "id": "502"}, "types": [279]}]}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json" || finish
assert_eq "[]" "$(links contacts 901 companies)" "901 starts with no company"
assert_eq '[["502",[279]]]' "$(links contacts 902 companies)" \
    "902 starts linked to 502, unlabeled"

"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
run_to_end run
assert_eq "901 902 501 502" "$(sqlite3 "$L" "SELECT group_concat(hubspot_id, ' ')
    FROM (SELECT hubspot_id FROM records WHERE state = 2 AND source_id IN
    ('$sid1', '$sid2', '$acct1', '$acct2') ORDER BY object DESC, source_id =
    '$sid2', source_id = '$acct2')")" \
    "the run found the four seeded records and updated them"
assert_eq '[["501",[1,279]]]' "$(links contacts 901 companies)" \
    "901, which had no company, gets its export company as primary"
assert_eq '[["502",[279]]]' "$(links contacts 902 companies)" \
    "902's existing link is left as it was (no primary label added)"
assert_eq "1|0" "$(sqlite3 "$L" "SELECT group_concat(created, '|') FROM
    (SELECT created FROM associations WHERE from_object = 'contacts' AND
    from_id IN ('901', '902') ORDER BY from_id)")" \
    "the ledger: 901's link created by the run, 902's there before"
assert_eq 1 "$(jq .associations.contact_company.existed "$TEST_TMP/run.json")" \
    "the summary counts the pair that was linked already"
[ "$(jq .api.associations "$TEST_TMP/run.json")" -gt 0 ] &&
    pass "the links of the seeded records were read" ||
    fail "no association calls: $(jq -c .api "$TEST_TMP/run.json")"

run_to_end rerun
assert_eq "0 0 0" "$(jq -r '[([.associations[].created] | add),
    ([.associations[].existed] | add), .api.associations] | join(" ")' \
    "$TEST_TMP/rerun.json")" "a rerun sends and reads no link"

"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --all --yes \
    --json >"$TEST_TMP/rb.json" 2>"$TEST_TMP/rb.err"
assert_eq 0 "$?" "rollback --all finishes"
assert_eq "[]" "$(links contacts 901 companies)" \
    "the link the run gave 901 is removed"
assert_eq '[["502",[279]]]' "$(links contacts 902 companies)" \
    "902's link from before the run stays"
for rec in contacts/901 contacts/902 companies/501 companies/502; do
    api GET "/crm/v3/objects/$rec" >/dev/null
    assert_eq 200 "$(api_status)" "$rec is still in the portal"
done

finish
