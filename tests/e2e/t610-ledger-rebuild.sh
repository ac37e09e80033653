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

finish
