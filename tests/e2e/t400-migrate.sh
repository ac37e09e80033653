#!/usr/bin/env bash
# The main job end to end: init, check, run against a sandbox portal, then
# an independent oracle reads the portal back; a second run changes
# nothing; the ledger and reports agree with the portal.
. "$(dirname "$0")/lib.sh"

ORACLE="$(dirname "$0")/oracle.py"
EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

assert_cmd "generate a sample export" "$HSMIGRATE" generate salesforce \
    --out "$EXPORT" --accounts 30 --contacts 70 --leads 25 \
    --opportunities 35 --users 6 --seed 11 --encoding latin1
# The portal's owners are the export's users: owners.unmatched stays
# "error", as init writes it, and every record gets its owner.
owners_seed "$EXPORT" "$TEST_TMP/owners.json"
sandbox_start --tier professional --shuffle-seed 5 \
    --seed-file "$TEST_TMP/owners.json"

assert_exit 0 "init" "$HSMIGRATE" init --source salesforce --input "$EXPORT" \
    --dir "$PROJECT"
grep -q 'Account.csv' "$TEST_TMP/last.out" && pass "init lists files" ||
    fail "init lists files"
assert_eq "600" "$(stat -c %a "$PROJECT/hsmigrate.yaml")" \
    "the config is owner-only"
grep -q '^  unmatched: "error"$' "$PROJECT/hsmigrate.yaml" &&
    pass "init: a user without a HubSpot owner is an error" ||
    fail "init: owners.unmatched is not \"error\""

"$HSMIGRATE" check --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/check.json" 2>"$TEST_TMP/check.err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "check ran (exit $rc)" ||
    fail "check ran: exit $rc $(cat "$TEST_TMP/check.err")"
assert_eq "0" "$(api GET /crm/v3/objects/contacts | jq '.results | length')" \
    "check wrote no record"

"$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run1.json" 2>"$TEST_TMP/run1.err"
rc=$?
# Not a terminal: progress as plain lines, each phase ending with its count.
for phase in schema companies contacts deals links; do
    grep -Eq "^$phase: [0-9]+ of [0-9]+, done$" "$TEST_TMP/run1.err" &&
        pass "a plain progress line ends the $phase phase" ||
        fail "no end of $phase in: $(grep -c . "$TEST_TMP/run1.err") lines"
done
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "first run finished (exit $rc)" ||
    fail "first run: exit $rc $(tail -5 "$TEST_TMP/run1.err")"
created=$(jq '[.objects[].created] | add' "$TEST_TMP/run1.json")
[ "${created:-0}" -gt 100 ] && pass "first run created records ($created)" ||
    fail "first run created records: $created"
assert_eq "0" "$(jq '.api["429"]' "$TEST_TMP/run1.json")" "no 429 received"
# The run created the source-id property: nothing could be found by it,
# so only the contacts (one batch of fewer than 100) were read, by email.
assert_eq "1" "$(jq .api.batch_read "$TEST_TMP/run1.json")" \
    "a fresh source-id property spares the reads by source id"
# One create batch per kind of link, and no read of primary companies:
# every record was created by this run (folded contacts included).
assert_eq "3" "$(jq .api.associations "$TEST_TMP/run1.json")" \
    "links into a fresh portal need no association reads"

# The oracle joins on 18-character ids; make sure the export really holds
# 15-character references for it to resolve.
short=$(python3 - "$EXPORT/Contact.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read().decode("cp1252", "replace")
rows = csv.DictReader(raw.replace("\x00", "").splitlines(True))
print(sum(1 for r in rows if len(r["AccountId"]) == 15))
PY
)
[ "$short" -gt 0 ] && pass "the export has 15-character AccountIds ($short)" ||
    fail "the export has no 15-character AccountId to join"
if python3 "$ORACLE" "$EXPORT" "$SANDBOX_URL" "$SANDBOX_TOKEN" \
    --owners "$TEST_TMP/owners.json" \
    >"$TEST_TMP/oracle1.out" 2>"$TEST_TMP/oracle1.err"; then
    pass "portal matches the export, 15-character joins included (oracle)"
else
    fail "oracle: $(head -c 1500 "$TEST_TMP/oracle1.err")"
fi
owners=$(jq .owners_checked "$TEST_TMP/oracle1.out")
[ "${owners:-0}" -gt 100 ] && pass "records carry their owners ($owners)" ||
    fail "records carry their owners: ${owners:-none} checked"
grep -q 'no HubSpot owner' "$PROJECT"/reports/*-errors.csv &&
    fail "owner errors: $(grep -h 'no HubSpot owner' "$PROJECT"/reports/*-errors.csv | head -3)" ||
    pass "no row rejected for its owner"
grep -q 'is archived (deactivated),warning only' \
    "$PROJECT"/reports/check-errors.csv &&
    pass "records of archived owners are flagged in the check report" ||
    fail "no archived-owner warning in check-errors.csv"

# Every rejected row is explained in the reports.
rejected=$(jq '[.objects[].rejected] | add' "$TEST_TMP/run1.json")
rows=$(cat "$PROJECT"/reports/*-errors.csv | grep -vc '^source_file,')
[ "$rows" -ge "$rejected" ] && pass "rejected rows are in the reports" ||
    fail "rejected rows are in the reports ($rows < $rejected)"
assert_eq "600" "$(stat -c %a "$PROJECT/ledger.db")" "the ledger is owner-only"
if grep -rq "$SANDBOX_TOKEN" "$PROJECT" "$TEST_TMP"/run1.*; then
    fail "the token leaked into the project or the output"
else
    pass "the token appears nowhere"
fi

# A second run changes nothing.
before=$(python3 "$ORACLE" "$EXPORT" "$SANDBOX_URL" "$SANDBOX_TOKEN" 2>/dev/null)
"$HSMIGRATE" run --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/run2.json" 2>"$TEST_TMP/run2.err"
assert_eq "0" "$(jq '[.objects[].created, .objects[].updated] | add' \
    "$TEST_TMP/run2.json")" "second run writes no record"
assert_eq "0" "$(jq '[.associations[].created] | add' "$TEST_TMP/run2.json")" \
    "second run writes no association"
after=$(python3 "$ORACLE" "$EXPORT" "$SANDBOX_URL" "$SANDBOX_TOKEN" 2>/dev/null)
assert_eq "$before" "$after" "portal unchanged by the second run"

# verify reads the portal back: every association the ledger holds is
# there; one removed in the portal since is reported and makes it exit 3.
assert_exit 0 "verify after the runs" "$HSMIGRATE" verify --dir "$PROJECT" \
    --api-base "$SANDBOX_URL" --json
cp "$TEST_TMP/last.out" "$TEST_TMP/verify1.json"
assert_eq "0" "$(jq '[.associations_missing[]] | add' "$TEST_TMP/verify1.json")" \
    "verify: no association of the ledger is missing"
assert_eq "$(sqlite3 "$PROJECT/ledger.db" "SELECT count(*) FROM (SELECT \
    DISTINCT from_id, to_id FROM associations WHERE from_object = 'contacts' \
    AND to_object = 'companies')")" \
    "$(jq .associations_in_ledger.contact_company "$TEST_TMP/verify1.json")" \
    "verify counts the ledger's contact-company links"
pair=$(sqlite3 -separator ' ' "$PROJECT/ledger.db" "SELECT from_id, to_id FROM \
    associations WHERE from_object = 'contacts' AND to_object = 'companies' \
    LIMIT 1")
api DELETE "/crm/v4/objects/contacts/${pair% *}/associations/companies/${pair#* }" \
    >/dev/null
assert_eq "204" "$(api_status)" "an association removed in the portal"
assert_exit 3 "verify finds the removed association" "$HSMIGRATE" verify \
    --dir "$PROJECT" --api-base "$SANDBOX_URL" --json
assert_eq "1 0 0" "$(jq -r '.associations_missing |
    [.contact_company, .deal_company, .deal_contact] | join(" ")' \
    "$TEST_TMP/last.out")" \
    "verify: one contact-company link missing, and only that"
assert_eq "mismatch" "$(jq -r .status "$TEST_TMP/last.out")" \
    "verify: mismatch"
assert_eq "0 0 0" "$(jq -r '.primary_labels_missing |
    [.contact_company, .deal_company, .deal_contact] | join(" ")' \
    "$TEST_TMP/last.out")" "verify: every primary label in place"
# A primary link turned unlabeled in the portal (a label write replaces
# the pair's labels): the link is there, its primary label is not.
pair=$(sqlite3 -separator ' ' "$PROJECT/ledger.db" "SELECT from_id, to_id FROM \
    associations WHERE from_object = 'deals' AND to_object = 'companies' \
    AND type_id = 5 LIMIT 1")
api PUT "/crm/v4/objects/deals/${pair% *}/associations/companies/${pair#* }" \
    '[{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 341}]' \
    >/dev/null
assert_eq "201" "$(api_status)" "a deal's primary company made unlabeled"
assert_exit 3 "verify finds the lost label" "$HSMIGRATE" verify \
    --dir "$PROJECT" --api-base "$SANDBOX_URL" --json
assert_eq "0 1 0" "$(jq -r '.primary_labels_missing |
    [.contact_company, .deal_company, .deal_contact] | join(" ")' \
    "$TEST_TMP/last.out")" "verify: one deal-company primary label missing"
assert_eq "0" "$(jq -r .associations_missing.deal_company "$TEST_TMP/last.out")" \
    "verify: the link itself is there"

assert_exit 0 "status" "$HSMIGRATE" status --dir "$PROJECT" --json
assert_eq "done" "$(jq -r .phases.links "$TEST_TMP/last.out")" \
    "status: links phase done"

# A report that cannot be written fails the run (exit 1) after everything
# else, and the other reports are still written; the rerun writes it.
rm -f "$PROJECT"/reports/*-success.csv "$PROJECT"/reports/*-errors.csv
mkdir "$PROJECT/reports/contacts-success.csv"
assert_exit 1 "a run whose report cannot be written" "$HSMIGRATE" run \
    --allow-rejects --dir "$PROJECT" --api-base "$SANDBOX_URL"
grep -q "contacts-success.csv.*the portal and the ledger are complete" \
    "$TEST_TMP/last.err" && pass "it names the report and says all landed" ||
    fail "error: $(tail -2 "$TEST_TMP/last.err")"
[ -s "$PROJECT/reports/deals-success.csv" ] &&
    pass "the reports after it are still written" ||
    fail "deals-success.csv not written"
rmdir "$PROJECT/reports/contacts-success.csv"
assert_exit 0 "the rerun" "$HSMIGRATE" run --allow-rejects --dir "$PROJECT" \
    --api-base "$SANDBOX_URL"
[ -s "$PROJECT/reports/contacts-success.csv" ] &&
    pass "the rerun writes the report" || fail "no contacts-success.csv"

# rollback the same: its report cannot be written, the undo is complete
# and recorded as done, and the command exits 1.
mkdir "$PROJECT/reports/rollback.csv"
assert_exit 1 "a rollback whose report cannot be written" "$HSMIGRATE" \
    rollback --all --yes --dir "$PROJECT" --api-base "$SANDBOX_URL"
grep -q "rollback.csv.*the rollback is complete in the portal and the ledger" \
    "$TEST_TMP/last.err" && pass "it names the report and says the undo is complete" ||
    fail "error: $(tail -2 "$TEST_TMP/last.err")"
assert_eq "0" "$(api GET "/crm/v3/objects/companies?limit=100" |
    jq '.results | length')" "the run's companies are archived"
"$HSMIGRATE" status --dir "$PROJECT" --json >"$TEST_TMP/st.json"
assert_eq "done" "$(jq -r '[.runs[] | select(.command == "rollback")][-1].status' \
    "$TEST_TMP/st.json")" "status: the rollback is done"

finish
