#!/usr/bin/env bash
# A contact that was in the portal before the run keeps its primary
# company: the run links the export's company to it unlabeled (a primary
# link would take the label from the company it had, and rollback could
# not give it back). Rolling back leaves the contact's associations
# exactly as they were, labels included.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rollback_lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
L=$PROJECT/ledger.db
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 6 \
    --contacts 20 --leads 0 --opportunities 4 --users 2 --seed 71 >/dev/null
# A live contact with a valid email whose live account is in the export.
read -r email sid acct < <(python3 - "$EXPORT" <<'PY'
import csv, sys
def rows(name):
    raw = open(f"{sys.argv[1]}/{name}.csv", "rb").read().decode("utf-8", "replace")
    return [r for r in csv.DictReader(raw.replace("\x00", "").splitlines(True))
            if r["IsDeleted"] != "1"]
accounts = {a["Id"][:15] for a in rows("Account")}
emails = [c["Email"].strip().lower() for c in rows("Contact")]
for c in rows("Contact"):
    e = c["Email"].strip().lower()
    if (e and " " not in e and e.count("@") == 1 and emails.count(e) == 1
            and c["AccountId"][:15] in accounts):
        print(e, c["Id"], c["AccountId"])
        break
PY
)
[ -n "$email" ] && pass "picked contact $sid ($email)" || fail "no contact to pick"
cat >"$TEST_TMP/seed.json" <<JSON
{"records": {
  "contacts": [{"id": "900", "properties": {"email": "$email"}}],
  "companies": [{"id": "500", "properties": {"name": "Old Co"}}]},
 "associations": [
  {"from": {"type": "contacts", "id": "900"},
   "to": {"type": "companies", "id": "500"}, "types": [1]}]}
JSON
sandbox_start --seed-file "$TEST_TMP/seed.json" || finish
links_of_900() {
    api GET "/crm/v4/objects/contacts/900/associations/companies" |
        jq -S -c '[.results[] | {to: (.toObjectId | tostring),
            types: ([.associationTypes[].typeId] | sort)}] | sort_by(.to)'
}
before=$(links_of_900)
assert_eq '[{"to":"500","types":[1,279]}]' "$before" \
    "the seeded contact's primary company is Old Co"

"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
run_to_end run
assert_eq "900" "$(sqlite3 "$L" "SELECT hubspot_id FROM records WHERE
    object = 'contacts' AND source_id = '$sid'")" \
    "the run found the seeded contact by email"
co=$(sqlite3 "$L" "SELECT hubspot_id FROM records WHERE object = 'companies'
    AND substr(source_id, 1, 15) = substr('$acct', 1, 15)")
assert_eq "[{\"to\":\"500\",\"types\":[1,279]},{\"to\":\"$co\",\"types\":[279]}]" \
    "$(links_of_900)" \
    "it keeps Old Co as primary; the export's company is linked unlabeled"
assert_eq 1 "$(jq .associations.contact_company.primary_kept "$TEST_TMP/run.json")" \
    "the summary counts the primary kept"
run_to_end rerun
assert_eq "0 0" "$(jq -r '[([.associations[].created] | add),
    .api.associations] | join(" ")' "$TEST_TMP/rerun.json")" \
    "a rerun sends no link and reads no primary again"

"$HSMIGRATE" rollback --dir "$PROJECT" --api-base "$SANDBOX_URL" --all --yes \
    >/dev/null 2>"$TEST_TMP/rb.err"
assert_eq 0 "$?" "rollback --all finishes"
assert_eq "$before" "$(links_of_900)" \
    "after rollback the contact's associations are as they were, labels too"

finish
