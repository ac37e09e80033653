#!/usr/bin/env bash
# A lost ledger rebuilt from the portal maps the same source ids to the
# same HubSpot ids as the original, folds contacts that share an email the
# way the run did, lists the source rows without a record, and a run over
# the rebuilt ledger creates nothing.
. "$(dirname "$0")/lib.sh"

EXPORT=$TEST_TMP/export
PROJECT=$TEST_TMP/project
export HUBSPOT_ACCESS_TOKEN=$SANDBOX_TOKEN

"$HSMIGRATE" generate salesforce --out "$EXPORT" --accounts 20 \
    --contacts 80 --leads 20 --opportunities 25 --users 4 --seed 63 >/dev/null
sandbox_start || finish
"$HSMIGRATE" init --source salesforce --input "$EXPORT" --dir "$PROJECT" \
    >/dev/null
owners_optional "$PROJECT"
"$HSMIGRATE" run -q --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    >/dev/null 2>"$TEST_TMP/run.err"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] && pass "run finished (exit $rc)" ||
    fail "run: exit $rc $(tail -3 "$TEST_TMP/run.err")"

q_map="SELECT object || ' ' || source_id || ' ' || hubspot_id FROM records
    WHERE state IN (1, 2) ORDER BY 1"
q_fold="SELECT object || ' ' || source_id || ' ' || merged_into FROM records
    WHERE state = 4 ORDER BY 1"
q_rej="SELECT object || ' ' || source_id FROM records WHERE state = 3
    AND coalesce(hubspot_id, '') = '' ORDER BY 1"
sqlite3 "$PROJECT/ledger.db" "$q_map" >"$TEST_TMP/map.orig"
sqlite3 "$PROJECT/ledger.db" "$q_fold" >"$TEST_TMP/fold.orig"
sqlite3 "$PROJECT/ledger.db" "$q_rej" >"$TEST_TMP/rej.orig"
[ "$(wc -l <"$TEST_TMP/map.orig")" -gt 100 ] &&
    pass "the original ledger maps records" || fail "too few records mapped"
[ -s "$TEST_TMP/fold.orig" ] && pass "the run folded contacts by email" ||
    fail "the generator's duplicate emails were not folded"

# One company is deleted in the portal: its source row has no record now.
read -r _ lost_sid lost_id < <(grep '^companies ' "$TEST_TMP/map.orig" | head -1)
api DELETE "/crm/v3/objects/companies/$lost_id" >/dev/null
assert_eq 204 "$(api_status)" "a company is deleted in the portal"
grep -v " $lost_sid " "$TEST_TMP/map.orig" >"$TEST_TMP/map.want"
{ cat "$TEST_TMP/rej.orig"; echo "companies $lost_sid"; } | sort |
    sed '/^$/d' >"$TEST_TMP/missing.want"

rm -f "$PROJECT"/ledger.db*
"$HSMIGRATE" ledger rebuild --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    --json >"$TEST_TMP/rebuild.json" 2>"$TEST_TMP/rebuild.err"
assert_eq 3 "$?" "rebuild finishes, with rows that have no record"
assert_eq "$(cat "$TEST_TMP/map.want")" \
    "$(sqlite3 "$PROJECT/ledger.db" "$q_map")" \
    "the rebuilt ledger maps the same source ids to the same HubSpot ids"
assert_eq "$(cat "$TEST_TMP/fold.orig")" \
    "$(sqlite3 "$PROJECT/ledger.db" "$q_fold")" \
    "contacts folded by email are folded into the same rows"
assert_eq "$(cat "$TEST_TMP/missing.want")" \
    "$(tail -n +2 "$PROJECT/reports/ledger-rebuild.csv" | cut -d, -f1,4 |
        tr , ' ' | sort)" \
    "reports/ledger-rebuild.csv lists exactly the rows without a record"
assert_eq "$(grep -c '^contacts ' "$TEST_TMP/map.orig")" \
    "$(jq '.objects.contacts.mapped' "$TEST_TMP/rebuild.json")" \
    "the summary counts the mapped contacts"

# The rebuilt ledger is usable: a run updates in place and creates only
# the deleted company again.
"$HSMIGRATE" run -q --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/rerun.json" 2>/dev/null
assert_eq "1 0 0" "$(jq -r '"\(.objects.companies.created) \(.objects.contacts.created) \(.objects.deals.created)"' \
    "$TEST_TMP/rerun.json")" "a run over the rebuilt ledger creates only the missing company"
assert_exit 0 "verify finds no duplicates" "$HSMIGRATE" verify \
    --dir "$PROJECT" --api-base "$SANDBOX_URL"

# With the ledger in place, a contact deleted in the portal: run trusts
# the ledger and does not write it again; verify sees the gap; rebuild
# forgets the row and the lost record's links; run creates the contact
# again and links it as the export says; verify is clean.
L=$PROJECT/ledger.db
read -r gone_sid gone_id < <(sqlite3 -separator ' ' "$L" "SELECT source_id,
    hubspot_id FROM records WHERE object = 'contacts' AND state IN (1, 2)
    AND hubspot_id IN (SELECT to_id FROM associations WHERE from_object =
    'deals' AND to_object = 'contacts') ORDER BY 1 LIMIT 1")
links=$(sqlite3 "$L" "SELECT count(*) FROM associations WHERE
    (from_object = 'contacts' AND from_id = '$gone_id') OR
    (to_object = 'contacts' AND to_id = '$gone_id')")
[ "$links" -gt 1 ] && pass "the contact to delete has links ($links)" ||
    fail "the contact to delete has $links links"
api DELETE "/crm/v3/objects/contacts/$gone_id" >/dev/null
assert_eq 204 "$(api_status)" "a linked contact is deleted in the portal"
assert_exit 3 "verify sees the deleted contact" "$HSMIGRATE" verify \
    --dir "$PROJECT" --api-base "$SANDBOX_URL"
"$HSMIGRATE" ledger rebuild --dir "$PROJECT" --api-base "$SANDBOX_URL" \
    --json >"$TEST_TMP/rebuild2.json" 2>/dev/null
assert_eq "1" "$(jq .objects.contacts.gone "$TEST_TMP/rebuild2.json")" \
    "rebuild finds the one row whose record is gone"
assert_eq "0 0" "$(sqlite3 "$L" "SELECT count(*) FROM records WHERE object =
    'contacts' AND source_id = '$gone_sid'") $(sqlite3 "$L" "SELECT count(*)
    FROM associations WHERE (from_object = 'contacts' AND from_id =
    '$gone_id') OR (to_object = 'contacts' AND to_id = '$gone_id')")" \
    "the ledger forgot the row and the lost record's links"
"$HSMIGRATE" run -q --dir "$PROJECT" --api-base "$SANDBOX_URL" --json \
    >"$TEST_TMP/rerun2.json" 2>/dev/null
assert_eq "1" "$(jq .objects.contacts.created "$TEST_TMP/rerun2.json")" \
    "run creates the deleted contact again"
new_id=$(sqlite3 "$L" "SELECT hubspot_id FROM records WHERE object =
    'contacts' AND source_id = '$gone_sid'")
assert_eq "$links" "$(sqlite3 "$L" "SELECT count(*) FROM associations WHERE
    (from_object = 'contacts' AND from_id = '$new_id') OR (to_object =
    'contacts' AND to_id = '$new_id')")" "and links it as before"
assert_exit 0 "verify: portal and ledger agree again" "$HSMIGRATE" verify \
    --dir "$PROJECT" --api-base "$SANDBOX_URL"

finish
